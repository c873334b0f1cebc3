<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
  <context>
    <name>leaf</name>
    <message>
      <source>&amp;LEAF</source>
      <translation>&amp;LEAF</translation>
    </message>
    <message>
      <source>Authenticate with Earth Engine…</source>
      <translation>S'authentifier auprès d'Earth Engine…</translation>
    </message>
    <message>
      <source>Sign in to Earth Engine in the browser window that just opened…</source>
      <translation>Connectez-vous à Earth Engine dans la fenêtre du navigateur qui vient de s'ouvrir…</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Annuler</translation>
    </message>
    <message>
      <source>Authenticate with Earth Engine</source>
      <translation>Authentification Earth Engine</translation>
    </message>
    <message>
      <source>The sign-in was cancelled or did not complete in time. Run the action again, or run 'earthengine authenticate' in a terminal.</source>
      <translation>La connexion a été annulée ou ne s'est pas terminée à temps. Relancez l'action, ou exécutez « earthengine authenticate » dans un terminal.</translation>
    </message>
    <message>
      <source>Earth Engine credentials were saved to {path}.</source>
      <translation>Les identifiants Earth Engine ont été enregistrés dans {path}.</translation>
    </message>
    <message>
      <source>Earth Engine Cloud project</source>
      <translation>Projet Google Cloud pour Earth Engine</translation>
    </message>
    <message>
      <source>Google Cloud project id registered for Earth Engine (lowercase letters, digits and hyphens, e.g. my-leaf-project; not the project's display name):</source>
      <translation>Identifiant du projet Google Cloud inscrit à Earth Engine (lettres minuscules, chiffres et traits d'union, p. ex. my-leaf-project; pas le nom d'affichage du projet) :</translation>
    </message>
    <message>
      <source>Give the Cloud Storage BUCKET for the gcs destination.</source>
      <translation>Indiquez le BUCKET Cloud Storage pour la destination gcs.</translation>
    </message>
    <message>
      <source>The folder name '{folder}' contains characters that cannot be used here. Use letters, digits, '-', '_' and '.' (Drive folders also allow spaces).</source>
      <translation>Le nom de dossier « {folder} » contient des caractères qui ne peuvent pas être utilisés ici. Utilisez des lettres, des chiffres, « - », « _ » et « . » (les dossiers Drive acceptent aussi les espaces).</translation>
    </message>
    <message>
      <source>The {destination} destination has no export task to submit: its maps are fetched directly.</source>
      <translation>La destination {destination} n'a aucune tâche d'exportation à soumettre : ses cartes sont téléchargées directement.</translation>
    </message>
    <message>
      <source>The folder name is longer than 100 characters.</source>
      <translation>Le nom du dossier dépasse 100 caractères.</translation>
    </message>
    <message>
      <source>Site tables cannot be exported to the {destination} destination; choose drive or gcs.</source>
      <translation>Les tables de sites ne peuvent pas être exportées vers la destination {destination}; choisissez drive ou gcs.</translation>
    </message>
    <message>
      <source>'{bucket}' is not a valid Cloud Storage bucket name: 3-63 characters, lower-case letters, digits, '-', '_' and '.', starting and ending with a letter or digit, not starting with 'goog'.</source>
      <translation>« {bucket} » n'est pas un nom de bucket Cloud Storage valide : de 3 à 63 caractères, lettres minuscules, chiffres, « - », « _ » et « . », commençant et se terminant par une lettre ou un chiffre, ne commençant pas par « goog ».</translation>
    </message>
    <message>
      <source>'{root}' is not an Earth Engine asset folder. Use projects/&lt;project id&gt;/assets/&lt;folder&gt; (the folder must exist in your project).</source>
      <translation>« {root} » n'est pas un dossier d'assets Earth Engine. Utilisez projects/&lt;project id&gt;/assets/&lt;folder&gt; (le dossier doit exister dans votre projet).</translation>
    </message>
    <message>
      <source>Unknown destination '{dest}'. Choose one of: {choices}.</source>
      <translation>Destination inconnue « {dest} ». Choisissez parmi : {choices}.</translation>
    </message>
    <message>
      <source>The graph of {name} in the plan does not match its checksum (the plan file was changed or damaged). Build the plan again.</source>
      <translation>Le graphe de {name} dans le plan ne correspond pas à sa somme de contrôle (le fichier du plan a été modifié ou endommagé). Reconstruisez le plan.</translation>
    </message>
    <message>
      <source>The plan entry {name} was written by an earlier version of the plugin, without its export options. Build the plan again.</source>
      <translation>L'entrée {name} du plan a été écrite par une version antérieure de l'extension, sans ses options d'exportation. Reconstruisez le plan.</translation>
    </message>
    <message>
      <source>{count} export tasks would share a name with another ({names}): Earth Engine knows a task by its name (at most 100 characters), so a submit would skip all but the first as already on Earth Engine. Give the regions shorter names that differ in their first characters (REGION_NAME, or the values of REGION_NAME_FIELD).</source>
      <translation>{count} tâches d'exportation partageraient leur nom avec une autre ({names}) : Earth Engine reconnaît une tâche à son nom (100 caractères au plus), si bien qu'une soumission ignorerait toutes ces tâches sauf la première, comme déjà présentes sur Earth Engine. Donnez aux régions des noms plus courts qui diffèrent dès leurs premiers caractères (REGION_NAME, ou les valeurs de REGION_NAME_FIELD).</translation>
    </message>
    <message>
      <source>The plan cannot be written to '{path}': the folder does not exist or is not writable. Choose another file.</source>
      <translation>Impossible d'écrire le plan dans « {path} » : le dossier n'existe pas ou n'est pas accessible en écriture. Choisissez un autre fichier.</translation>
    </message>
    <message>
      <source>'{path}' already exists and is not a plan written by this plugin, so it was left untouched. Choose another file name for the PLAN, or move that file away first.</source>
      <translation>« {path} » existe déjà et n'est pas un plan écrit par cette extension; il a été laissé intact. Choisissez un autre nom de fichier pour le PLAN, ou déplacez d'abord ce fichier.</translation>
    </message>
    <message>
      <source>The plan cannot be written to '{path}': {reason}.</source>
      <translation>Impossible d'écrire le plan dans « {path} » : {reason}.</translation>
    </message>
    <message>
      <source>{name} is {width} × {height} pixels ({mpx:.0f} million), more than the {limit:.0f} million a direct download handles. Choose a smaller area or a coarser resolution, or the Drive or Cloud Storage destination.</source>
      <translation>{name} compte {width} × {height} pixels ({mpx:.0f} millions), plus que les {limit:.0f} millions que permet un téléchargement direct. Choisissez une zone plus petite ou une résolution plus grossière, ou la destination Drive ou Cloud Storage.</translation>
    </message>
    <message>
      <source>Earth Engine answered a piece of an unexpected size or format; retry the download.</source>
      <translation>Earth Engine a renvoyé un morceau d'une taille ou d'un format inattendu; relancez le téléchargement.</translation>
    </message>
    <message>
      <source>Choose the DOWNLOAD FOLDER for the download destination.</source>
      <translation>Choisissez le dossier de téléchargement (DOWNLOAD FOLDER) pour la destination download.</translation>
    </message>
    <message>
      <source>Cancelled after submitting {submitted} of {total} tasks ({skipped} already on Earth Engine). The task table {path} lists them; run again to submit the rest (tasks already submitted are skipped).</source>
      <translation>Annulé après la soumission de {submitted} tâches sur {total} ({skipped} déjà sur Earth Engine). Le tableau des tâches {path} les énumère; relancez pour soumettre le reste (les tâches déjà soumises sont ignorées).</translation>
    </message>
    <message>
      <source>The Earth Engine Python API (earthengine-api) is not available to the Python that runs QGIS ({detail}). Install leaf_qgis from its release zip (Plugins › Manage and Install Plugins › Install from ZIP): the zip carries earthengine-api and uses it when QGIS has none. That copy needs Python 3.11 or newer; with an older QGIS, install the 'Google Earth Engine' QGIS plugin (it brings the package), then restart QGIS. Do not pip-install into the system Python of a Linux distribution.</source>
      <translation>L'API Python d'Earth Engine (earthengine-api) n'est pas disponible pour le Python qui exécute QGIS ({detail}). Installez leaf_qgis à partir de son archive zip de diffusion (Extensions › Installer/Gérer les extensions › Installer depuis un ZIP) : l'archive contient earthengine-api et l'utilise quand QGIS n'en a pas. Cette copie exige Python 3.11 ou plus récent; avec un QGIS plus ancien, installez l'extension QGIS « Google Earth Engine » (elle apporte le paquet), puis redémarrez QGIS. N'installez rien avec pip dans le Python système d'une distribution Linux.</translation>
    </message>
    <message>
      <source>This earthengine-api installation does not ship the algorithm signatures ({path}) needed to build a plan without connecting to Earth Engine. Reinstall earthengine-api from PyPI.</source>
      <translation>Cette installation d'earthengine-api ne fournit pas les signatures d'algorithmes ({path}) nécessaires pour construire un plan sans se connecter à Earth Engine. Réinstallez earthengine-api depuis PyPI.</translation>
    </message>
    <message>
      <source>No Google Cloud project is set for Earth Engine; every Earth Engine request needs one. Give the project id in the PROJECT parameter or in the plugin settings (for example my-leaf-project). You find it in the project picker of https://console.cloud.google.com; register it for Earth Engine at https://code.earthengine.google.com/register.</source>
      <translation>Aucun projet Google Cloud n'est défini pour Earth Engine; chaque requête Earth Engine en exige un. Indiquez l'ID du projet dans le paramètre PROJECT ou dans les paramètres de l'extension (par exemple my-leaf-project). Vous le trouverez dans le sélecteur de projets de https://console.cloud.google.com; enregistrez-le pour Earth Engine à https://code.earthengine.google.com/register.</translation>
    </message>
    <message>
      <source>'{project}' is not a Google Cloud project id. Give the project id, not the project name: an id has 6 to 30 characters, lowercase letters, digits and hyphens, starts with a letter (for example my-leaf-project-2024). The project picker of https://console.cloud.google.com shows both.</source>
      <translation>« {project} » n'est pas un ID de projet Google Cloud. Indiquez l'ID du projet, pas son nom : un ID compte de 6 à 30 caractères (lettres minuscules, chiffres et traits d'union) et commence par une lettre (par exemple my-leaf-project-2024). Le sélecteur de projets de https://console.cloud.google.com affiche les deux.</translation>
    </message>
    <message>
      <source>Earth Engine does not know project '{project}' or the project is not registered for Earth Engine ({detail}). Check that you gave the project id (not its name), then register the project at https://code.earthengine.google.com/register.</source>
      <translation>Earth Engine ne connaît pas le projet « {project} », ou le projet n'est pas enregistré pour Earth Engine ({detail}). Vérifiez que vous avez donné l'ID du projet (et non son nom), puis enregistrez le projet à https://code.earthengine.google.com/register.</translation>
    </message>
    <message>
      <source>The Earth Engine API is not enabled for project '{project}' ({detail}). Enable it at https://console.cloud.google.com/apis/library/earthengine.googleapis.com?project={project}, wait a minute, then retry.</source>
      <translation>L'API Earth Engine n'est pas activée pour le projet « {project} » ({detail}). Activez-la à https://console.cloud.google.com/apis/library/earthengine.googleapis.com?project={project}, attendez une minute, puis réessayez.</translation>
    </message>
    <message>
      <source>No Earth Engine credentials were found ({detail}). Use the plugin menu action 'Authenticate with Earth Engine…', or run 'earthengine authenticate' in a terminal using the Python that QGIS uses (the OSGeo4W Shell on Windows), or choose a service-account key file in the plugin settings; then retry.</source>
      <translation>Aucun identifiant Earth Engine n'a été trouvé ({detail}). Utilisez l'action « S'authentifier auprès d'Earth Engine… » du menu de l'extension, ou exécutez « earthengine authenticate » dans un terminal avec le Python qu'utilise QGIS (OSGeo4W Shell sous Windows), ou choisissez un fichier de clé de compte de service dans les paramètres de l'extension; puis réessayez.</translation>
    </message>
    <message>
      <source>Earth Engine refused your credentials: they have expired or were revoked ({detail}). Authenticate again with the plugin menu action 'Authenticate with Earth Engine…' or 'earthengine authenticate', or check the service-account key; then retry.</source>
      <translation>Earth Engine a refusé vos identifiants : ils ont expiré ou ont été révoqués ({detail}). Authentifiez-vous de nouveau avec l'action « S'authentifier auprès d'Earth Engine… » du menu de l'extension ou avec « earthengine authenticate », ou vérifiez la clé du compte de service; puis réessayez.</translation>
    </message>
    <message>
      <source>Earth Engine refused the request because a quota or rate limit was reached for project '{project}' ({detail}). Wait a few minutes and retry, submit fewer tasks at once, or check the project's Earth Engine quota tier in the Cloud console.</source>
      <translation>Earth Engine a refusé la requête, car un quota ou une limite de débit a été atteint pour le projet « {project} » ({detail}). Attendez quelques minutes et réessayez, soumettez moins de tâches à la fois, ou vérifiez le niveau de quota Earth Engine du projet dans la console Cloud.</translation>
    </message>
    <message>
      <source>The Earth Engine service had a temporary problem ({detail}). Retry in a few minutes.</source>
      <translation>Le service Earth Engine a eu un problème temporaire ({detail}). Réessayez dans quelques minutes.</translation>
    </message>
    <message>
      <source>Earth Engine refused access for project '{project}' ({detail}). Check that the project is registered for Earth Engine and that your account (or the service account) has the 'Earth Engine Resource Writer' and 'Service Usage Consumer' roles on it.</source>
      <translation>Earth Engine a refusé l'accès pour le projet « {project} » ({detail}). Vérifiez que le projet est enregistré pour Earth Engine et que votre compte (ou le compte de service) y détient les rôles « Earth Engine Resource Writer » et « Service Usage Consumer ».</translation>
    </message>
    <message>
      <source>Earth Engine could not be reached ({detail}). Check the internet connection; behind a proxy, set it in the QGIS options (Network) or with the HTTPS_PROXY environment variable; then retry.</source>
      <translation>Impossible de joindre Earth Engine ({detail}). Vérifiez la connexion Internet; derrière un serveur mandataire (proxy), configurez-le dans les options de QGIS (Réseau) ou avec la variable d'environnement HTTPS_PROXY; puis réessayez.</translation>
    </message>
    <message>
      <source>The service-account key file '{path}' does not exist or cannot be read. Choose the JSON key downloaded from the Cloud console (IAM, Service accounts, Keys).</source>
      <translation>Le fichier de clé de compte de service « {path} » n'existe pas ou ne peut pas être lu. Choisissez la clé JSON téléchargée depuis la console Cloud (IAM, Comptes de service, Clés).</translation>
    </message>
    <message>
      <source>'{path}' is not a valid service-account JSON key ({detail}). Download a new JSON key from the Cloud console (IAM, Service accounts, Keys).</source>
      <translation>« {path} » n'est pas une clé JSON de compte de service valide ({detail}). Téléchargez une nouvelle clé JSON depuis la console Cloud (IAM, Comptes de service, Clés).</translation>
    </message>
    <message>
      <source>Earth Engine did not answer within {seconds:g} s, even after several tries ({detail}). The service or the connection is very slow: retry later; behind a proxy, check the QGIS network settings.</source>
      <translation>Earth Engine n'a pas répondu dans les {seconds:g} s, même après plusieurs essais ({detail}). Le service ou la connexion est très lent : réessayez plus tard; derrière un proxy, vérifiez les paramètres réseau de QGIS.</translation>
    </message>
    <message>
      <source>The Earth Engine request failed: {detail}</source>
      <translation>La requête Earth Engine a échoué : {detail}</translation>
    </message>
    <message>
      <source>{service} did not answer within {seconds:g} s; retrying in {delay:.0f} s ({attempt}/{attempts}).</source>
      <translation>{service} n'a pas répondu dans les {seconds:g} s; nouvel essai dans {delay:.0f} s ({attempt}/{attempts}).</translation>
    </message>
    <message>
      <source>{service} answered HTTP {status} ({reason}); retrying in {delay:.0f} s ({attempt}/{attempts}).</source>
      <translation>{service} a répondu HTTP {status} ({reason}); nouvel essai dans {delay:.0f} s ({attempt}/{attempts}).</translation>
    </message>
    <message>
      <source>The connection to {service} failed ({reason}); retrying in {delay:.0f} s ({attempt}/{attempts}).</source>
      <translation>La connexion à {service} a échoué ({reason}); nouvel essai dans {delay:.0f} s ({attempt}/{attempts}).</translation>
    </message>
    <message>
      <source>The period {first} – {last} is in the future (today is {today}): there is no image yet. Choose a year up to {year}.</source>
      <translation>La période du {first} au {last} est dans le futur (nous sommes le {today}) : il n'y a encore aucune image. Choisissez une année jusqu'à {year}.</translation>
    </message>
    <message>
      <source>{sensor} has no surface reflectance for {year} in Earth Engine: its archive covers {first} to {last}. Choose a year in that range or another sensor.</source>
      <translation>{sensor} n'a pas de réflectance de surface pour {year} dans Earth Engine : ses archives couvrent {first} à {last}. Choisissez une année dans cet intervalle ou un autre capteur.</translation>
    </message>
    <message>
      <source>Unknown product '{key}'. Choose from: {choices}.</source>
      <translation>Produit inconnu « {key} ». Choisissez parmi : {choices}.</translation>
    </message>
    <message>
      <source>Choose at least one product or map to export.</source>
      <translation>Choisissez au moins un produit ou une carte à exporter.</translation>
    </message>
    <message>
      <source>Unknown algorithm '{algorithm}'. Choose one of: {choices}.</source>
      <translation>Algorithme « {algorithm} » inconnu. Choisissez parmi : {choices}.</translation>
    </message>
    <message>
      <source>The resolution {resolution} m is not usable: give whole metres from {low} to {high} (Sentinel-2 networks work at 20 m, Landsat at 30 m).</source>
      <translation>La résolution {resolution} m n'est pas utilisable : indiquez un nombre entier de mètres de {low} à {high} (les réseaux Sentinel-2 fonctionnent à 20 m, ceux de Landsat à 30 m).</translation>
    </message>
    <message>
      <source>For CCRS tiles the resolution must divide 300 000 m exactly, so that tile edges fall on pixel edges (e.g. 10, 20, 30, 100, 200, 250, 1000); {resolution} m does not.</source>
      <translation>Pour les tuiles du CCT, la résolution doit diviser exactement 300 000 m, afin que les bords des tuiles tombent sur les bords des pixels (p. ex. 10, 20, 30, 100, 200, 250, 1000); ce n'est pas le cas de {resolution} m.</translation>
    </message>
    <message>
      <source>No tile name given.</source>
      <translation>Aucun nom de tuile n'a été donné.</translation>
    </message>
    <message>
      <source>The region name '{name}' cannot be used in file names. Use letters, digits, '-' and '_' only.</source>
      <translation>Le nom de région « {name} » ne peut pas être utilisé dans les noms de fichiers. Utilisez uniquement des lettres, des chiffres, « - » et « _ ».</translation>
    </message>
    <message>
      <source>The region is empty. Draw or select a non-empty area.</source>
      <translation>La région est vide. Dessinez ou sélectionnez une zone non vide.</translation>
    </message>
    <message>
      <source>The region lies outside the area LEAF covers (the CCRS grid and the NALCMS land cover: longitude {west}° to {east}°, latitude {south}° to {north}°). Check the region and its CRS.</source>
      <translation>La région se trouve hors de la zone couverte par LEAF (la grille du CCT et la couverture terrestre NALCMS : longitude {west}° à {east}°, latitude {south}° à {north}°). Vérifiez la région et son SCR.</translation>
    </message>
    <message>
      <source>The region is empty or has zero area. Draw or select an area.</source>
      <translation>La région est vide ou a une superficie nulle. Dessinez ou sélectionnez une zone.</translation>
    </message>
    <message>
      <source>No region given.</source>
      <translation>Aucune région n'a été donnée.</translation>
    </message>
    <message>
      <source>No period given: choose months, the peak season or dates.</source>
      <translation>Aucune période n'a été donnée : choisissez des mois, la pleine saison de croissance ou des dates.</translation>
    </message>
    <message>
      <source>The time-score weight must lie between 0 and 10.</source>
      <translation>Le poids du score temporel doit être compris entre 0 et 10.</translation>
    </message>
    <message>
      <source>The plan holds no export task: nothing to submit.</source>
      <translation>Le plan ne contient aucune tâche d'exportation : rien à soumettre.</translation>
    </message>
    <message>
      <source>The task table cannot be written to '{path}': the folder does not exist or is not writable. Choose another file.</source>
      <translation>Impossible d'écrire le tableau des tâches dans « {path} » : le dossier n'existe pas ou n'est pas accessible en écriture. Choisissez un autre fichier.</translation>
    </message>
    <message>
      <source>'{path}' already exists and is not a task table written by this plugin, so it was left untouched. Choose another file name for the TASK TABLE, or move that file away first.</source>
      <translation>« {path} » existe déjà et n'est pas un tableau des tâches écrit par cette extension; il a été laissé intact. Choisissez un autre nom de fichier pour le TASK TABLE, ou déplacez d'abord ce fichier.</translation>
    </message>
    <message>
      <source>The task table cannot be written to '{path}': {reason}.</source>
      <translation>Impossible d'écrire le tableau des tâches dans « {path} » : {reason}.</translation>
    </message>
    <message>
      <source>The files cannot be written to '{path}': {reason}. Choose a writable folder with enough free space.</source>
      <translation>Impossible d'écrire les fichiers dans « {path} » : {reason}. Choisissez un dossier accessible en écriture qui a assez d'espace libre.</translation>
    </message>
    <message>
      <source>The download of gs://{bucket}/{name} is damaged (its checksum does not match the one Cloud Storage gives, twice); the partial file was removed. Run the download again.</source>
      <translation>Le téléchargement de gs://{bucket}/{name} est endommagé (sa somme de contrôle ne correspond pas à celle que fournit Cloud Storage, deux fois de suite); le fichier partiel a été supprimé. Relancez le téléchargement.</translation>
    </message>
    <message>
      <source>Cloud Storage refused to list gs://{bucket}/{prefix}: {detail}. Check the bucket name and that your account can read it.</source>
      <translation>Cloud Storage a refusé de lister gs://{bucket}/{prefix} : {detail}. Vérifiez le nom du bucket et que votre compte peut le lire.</translation>
    </message>
    <message>
      <source>gs://{bucket}/{name} could not be downloaded: {detail}. Its partial file is kept; run the download again to resume it.</source>
      <translation>gs://{bucket}/{name} n'a pas pu être téléchargé : {detail}. Son fichier partiel est conservé; relancez le téléchargement pour le reprendre.</translation>
    </message>
    <message>
      <source>Task {description} is COMPLETED but no file starting with gs://{bucket}/{prefix} was found.</source>
      <translation>La tâche {description} est COMPLETED, mais aucun fichier commençant par gs://{bucket}/{prefix} n'a été trouvé.</translation>
    </message>
    <message>
      <source>Skipped the object gs://{bucket}/{name}: its name would put the file outside the download folder or holds characters not allowed in file names ('..', an absolute path, a backslash, a control character…). Nothing was written for it; check what writes into this bucket.</source>
      <translation>Objet gs://{bucket}/{name} ignoré : son nom placerait le fichier hors du dossier de téléchargement ou contient des caractères interdits dans les noms de fichiers ('..', un chemin absolu, une barre oblique inverse, un caractère de contrôle…). Rien n'a été écrit pour lui; vérifiez ce qui écrit dans ce bucket.</translation>
    </message>
    <message>
      <source>Skipped gs://{bucket}/{name}: the file '{path}' already exists and is not a download of this object (its size or checksum differ), so it was left untouched. Move or rename that file, or choose another download folder, then run the download again.</source>
      <translation>gs://{bucket}/{name} ignoré : le fichier « {path} » existe déjà et n'est pas un téléchargement de cet objet (sa taille ou sa somme de contrôle diffèrent) ; il n'a donc pas été modifié. Déplacez ou renommez ce fichier, ou choisissez un autre dossier de téléchargement, puis relancez le téléchargement.</translation>
    </message>
    <message>
      <source>The angle {name} read from {source} is {value}, outside {low:g}–{high:g}°: that metadata is damaged or not as expected. Check the product (download it again); the angle parameters are not used for a product.</source>
      <translation>L'angle {name} lu dans {source} vaut {value}, hors de {low:g}–{high:g}° : ces métadonnées sont endommagées ou inattendues. Vérifiez le produit (téléchargez-le de nouveau); les paramètres d'angle ne servent pas pour un produit.</translation>
    </message>
    <message>
      <source>The angle {name} is missing. Give the sun zenith, view zenith and relative azimuth in degrees, or an angle raster with bands SZA, VZA, RAA.</source>
      <translation>L'angle {name} est manquant. Indiquez l'angle zénithal solaire, l'angle zénithal de visée et l'angle azimutal relatif en degrés, ou un raster d'angles avec les bandes SZA, VZA, RAA.</translation>
    </message>
    <message>
      <source>{name} = {value:g}° is outside {low:g}–{high:g}°. Give the angle in degrees (zenith angles 0–90°, relative azimuth 0–360°).</source>
      <translation>{name} = {value:g}° est hors de l'intervalle {low:g}–{high:g}°. Indiquez l'angle en degrés (angles zénithaux de 0 à 90°, azimut relatif de 0 à 360°).</translation>
    </message>
    <message>
      <source>The angle raster '{path}' has {count} bands; it needs 3, in degrees: sun zenith (SZA), view zenith (VZA), relative azimuth (RAA).</source>
      <translation>Le raster d'angles « {path} » a {count} bandes; il lui en faut 3, en degrés : zénith solaire (SZA), zénith de visée (VZA), azimut relatif (RAA).</translation>
    </message>
    <message>
      <source>Band {index} ({name}) of the angle raster '{path}' holds {low:g}–{high:g}°, outside {vlow:g}–{vhigh:g}°. The bands must be SZA, VZA, RAA in degrees.</source>
      <translation>La bande {index} ({name}) du raster d'angles « {path} » contient des valeurs de {low:g}–{high:g}°, hors de {vlow:g}–{vhigh:g}°. Les bandes doivent être SZA, VZA, RAA, en degrés.</translation>
    </message>
    <message>
      <source>RASTERS: '{path}' is neither a LEAF output (a name like tile55_2020_Jul_LAI_20m or LEAF metadata) nor a Sentinel-2 L2A product or a Landsat Collection 2 Level-2 scene.</source>
      <translation>RASTERS : « {path} » n'est ni une sortie LEAF (un nom comme tile55_2020_Jul_LAI_20m ou des métadonnées LEAF), ni un produit Sentinel-2 L2A, ni une scène Landsat Collection 2 niveau 2.</translation>
    </message>
    <message>
      <source>RASTERS holds two {key} maps of the same run: '{first}' and '{second}'. Keep one.</source>
      <translation>RASTERS contient deux cartes {key} du même traitement : « {first} » et « {second} ». Gardez-en une.</translation>
    </message>
    <message>
      <source>The acquisition date of '{path}' cannot be read from its name; keep the product's original name.</source>
      <translation>La date d'acquisition de « {path} » ne peut pas être lue dans son nom ; gardez le nom d'origine du produit.</translation>
    </message>
    <message>
      <source>RASTERS: choose the LEAF outputs or the scenes to sample.</source>
      <translation>RASTERS : choisissez les sorties LEAF ou les scènes à échantillonner.</translation>
    </message>
    <message>
      <source>SENSOR is {sensor} but RASTERS holds {path}, a scene of another sensor. Choose the matching SENSOR or remove the scene.</source>
      <translation>SENSOR vaut {sensor} mais RASTERS contient {path}, une scène d'un autre capteur. Choisissez le SENSOR correspondant ou retirez la scène.</translation>
    </message>
    <message>
      <source>No site lies inside any of the RASTERS (checked {sites} sites against {rasters} rasters). Check the layers' CRS and that the rasters cover the sites.</source>
      <translation>Aucun site ne se trouve dans les RASTERS ({sites} sites comparés à {rasters} rasters). Vérifiez le SCR des couches et que les rasters couvrent les sites.</translation>
    </message>
    <message>
      <source>'{path}' cannot be read: {reason}.</source>
      <translation>« {path} » ne peut pas être lu : {reason}.</translation>
    </message>
    <message>
      <source>RASTERS: the LEAF run '{run}' has no QC map; add its _QC_ file (the QC byte says which values are valid).</source>
      <translation>RASTERS : le traitement LEAF « {run} » n'a pas de carte QC ; ajoutez son fichier _QC_ (l'octet QC dit quelles valeurs sont valides).</translation>
    </message>
    <message>
      <source>RASTERS: the LEAF run '{run}' holds none of the PRODUCTS asked for ({products}).</source>
      <translation>RASTERS : le traitement LEAF « {run} » ne contient aucun des PRODUCTS demandés ({products}).</translation>
    </message>
    <message>
      <source>'{path}' is not a readable Sentinel-2 Level-2A product ({reason}). Give the .SAFE folder, its .zip as downloaded, or its MTD_MSIL2A.xml file.</source>
      <translation>« {path} » n'est pas un produit Sentinel-2 de niveau 2A lisible ({reason}). Indiquez le dossier .SAFE, son .zip tel que téléchargé, ou son fichier MTD_MSIL2A.xml.</translation>
    </message>
    <message>
      <source>The granule metadata (MTD_TL.xml) has no mean viewing angles for band {band}: the product looks incomplete. Download it again, or stack its bands into one raster and give SUN_ZENITH, VIEW_ZENITH and RELATIVE_AZIMUTH yourself.</source>
      <translation>Les métadonnées du granule (MTD_TL.xml) n'ont pas d'angles de visée moyens pour la bande {band} : le produit semble incomplet. Téléchargez-le de nouveau, ou empilez ses bandes dans un seul raster et indiquez vous-même SUN_ZENITH, VIEW_ZENITH et RELATIVE_AZIMUTH.</translation>
    </message>
    <message>
      <source>The granule metadata has no angle grids for band {band}; use the mean angles or give the angles as parameters.</source>
      <translation>Les métadonnées du granule ne contiennent pas de grilles d'angles pour la bande {band}; utilisez les angles moyens ou indiquez les angles en paramètres.</translation>
    </message>
    <message>
      <source>'{path}' is a damaged or truncated zip archive (its table of contents cannot be read), probably an interrupted download. Download the product again.</source>
      <translation>« {path} » est une archive zip endommagée ou tronquée (sa table des matières est illisible), probablement un téléchargement interrompu. Téléchargez de nouveau le produit.</translation>
    </message>
    <message>
      <source>The band file '{file}' of the product '{path}' is damaged or truncated (GDAL: {reason}). Download the product again.</source>
      <translation>Le fichier de bande « {file} » du produit « {path} » est endommagé ou tronqué (GDAL : {reason}). Téléchargez de nouveau le produit.</translation>
    </message>
    <message>
      <source>A Sentinel-2 product needs SENSOR S2 (20 m) or S2_10M (10 m), not {key}.</source>
      <translation>Un produit Sentinel-2 exige SENSOR S2 (20 m) ou S2_10M (10 m), et non {key}.</translation>
    </message>
    <message>
      <source>The input is the {chosen} m sub-dataset of the product but SENSOR {key} works at {res} m. Choose the {res} m sub-dataset, or the sensor for {chosen} m.</source>
      <translation>L'entrée est le sous-jeu de données à {chosen} m du produit, mais SENSOR {key} fonctionne à {res} m. Choisissez le sous-jeu de données à {res} m, ou le capteur pour {chosen} m.</translation>
    </message>
    <message>
      <source>The product '{path}' lacks the {res} m files of {bands}. Check that the download is complete (Level-2A, all resolutions).</source>
      <translation>Il manque au produit « {path} » les fichiers à {res} m de {bands}. Vérifiez que le téléchargement est complet (niveau 2A, toutes les résolutions).</translation>
    </message>
    <message>
      <source>'{path}' is not a readable Landsat Collection 2 scene ({reason}). Give the scene folder, its .tar as downloaded, or its _MTL.txt file.</source>
      <translation>« {path} » n'est pas une scène Landsat Collection 2 lisible ({reason}). Donnez le dossier de la scène, son .tar tel que téléchargé, ou son fichier _MTL.txt.</translation>
    </message>
    <message>
      <source>'{path}' is a {level} Landsat product: the local engine needs Level-2 surface reflectance (processing level L2SP or L2SR, the SR_B*.TIF files). Download the Collection 2 Level-2 product of this scene.</source>
      <translation>« {path} » est un produit Landsat {level} : le moteur local a besoin de la réflectance de surface de niveau 2 (niveau de traitement L2SP ou L2SR, les fichiers SR_B*.TIF). Téléchargez le produit Collection 2 de niveau 2 de cette scène.</translation>
    </message>
    <message>
      <source>The Landsat scene '{path}' comes from {spacecraft}; LEAF has networks for Landsat 5, 7, 8 and 9 only.</source>
      <translation>La scène Landsat « {path} » provient de {spacecraft}; LEAF n'a de réseaux que pour Landsat 5, 7, 8 et 9.</translation>
    </message>
    <message>
      <source>The Landsat scene '{path}' was acquired by {spacecraft} but SENSOR is {key}. Choose SENSOR {scene_key}.</source>
      <translation>La scène Landsat « {path} » a été acquise par {spacecraft}, mais SENSOR vaut {key}. Choisissez SENSOR {scene_key}.</translation>
    </message>
    <message>
      <source>The Landsat scene '{path}' lacks the files of {bands}. Check that the download is complete (Collection 2 Level-2, all bands).</source>
      <translation>Il manque à la scène Landsat « {path} » les fichiers de {bands}. Vérifiez que le téléchargement est complet (Collection 2 de niveau 2, toutes les bandes).</translation>
    </message>
    <message>
      <source>{mpx} Mpx in {seconds} s ({rate} Mpx/s), {blocks} blocks</source>
      <translation>{mpx} Mpx en {seconds} s ({rate} Mpx/s), {blocks} blocs</translation>
    </message>
    <message>
      <source>Reflectance range test (QC bit 2): the input does not provide {bands}, so only its other bands are tested (CCRS production also tests {bands}). If your raster holds them, name them in RANGE_BANDS (NAME=band number).</source>
      <translation>Test de plage de réflectance (bit QC 2) : l'entrée ne fournit pas {bands}; seules ses autres bandes sont donc testées (la production du CCT teste aussi {bands}). Si votre raster les contient, nommez-les dans RANGE_BANDS (NOM=numéro de bande).</translation>
    </message>
    <message>
      <source>{name} has {given} values; give one value, or one per spectral band ({count}).</source>
      <translation>{name} a {given} valeurs; indiquez une seule valeur, ou une par bande spectrale ({count}).</translation>
    </message>
    <message>
      <source>Choose at least one product ({choices}).</source>
      <translation>Choisissez au moins un produit ({choices}).</translation>
    </message>
    <message>
      <source>ALGORITHM SL2P-CCRS chooses a network per land-cover class: give LANDCOVER (NALCMS classes on the input grid), or choose ALGORITHM SL2P (the generic network, no land cover needed).</source>
      <translation>ALGORITHM SL2P-CCRS choisit un réseau par classe de couverture terrestre : donnez LANDCOVER (classes NALCMS sur la grille de l'entrée), ou choisissez ALGORITHM SL2P (le réseau générique, sans couverture terrestre).</translation>
    </message>
    <message>
      <source>BANDS lists {given} bands but {sensor} needs {count}: {names} (in this order).</source>
      <translation>BANDS énumère {given} bandes, mais {sensor} en exige {count} : {names} (dans cet ordre).</translation>
    </message>
    <message>
      <source>BANDS {wrong} do not exist: the input has bands 1–{count}.</source>
      <translation>Les bandes {wrong} de BANDS n'existent pas : l'entrée a les bandes 1–{count}.</translation>
    </message>
    <message>
      <source>BANDS lists band {repeated} more than once: each of {names} is a different band of your raster. Give {count} different band numbers, in that order.</source>
      <translation>BANDS énumère la bande {repeated} plus d'une fois : chacune de {names} est une bande différente de votre raster. Donnez {count} numéros de bande différents, dans cet ordre.</translation>
    </message>
    <message>
      <source>The input has {given} bands: without BANDS it must hold the {count} network bands of {sensor} ({names}, in this order) and then the bands RANGE_BANDS names ({extra}). Give BANDS (the band numbers of the network bands in your raster).</source>
      <translation>L'entrée a {given} bandes : sans BANDS, elle doit contenir les {count} bandes de réseau de {sensor} ({names}, dans cet ordre), puis les bandes que nomme RANGE_BANDS ({extra}). Donnez BANDS (les numéros des bandes de réseau dans votre raster).</translation>
    </message>
    <message>
      <source>The input has {given} bands but {sensor} needs {count}: {names}, in this order. Give BANDS (the band numbers of those bands in your raster, e.g. 3,4,5,…) or a raster with exactly those bands.</source>
      <translation>L'entrée a {given} bandes, mais {sensor} en exige {count} : {names}, dans cet ordre. Indiquez BANDS (les numéros de ces bandes dans votre raster, p. ex. 3,4,5,…) ou un raster qui a exactement ces bandes.</translation>
    </message>
    <message>
      <source>SCALE must be a positive number and OFFSET a finite one (reflectance = DN · SCALE + OFFSET); got SCALE {scale}, OFFSET {offset}.</source>
      <translation>SCALE doit être un nombre positif et OFFSET un nombre fini (réflectance = CN · SCALE + OFFSET); reçu SCALE {scale}, OFFSET {offset}.</translation>
    </message>
    <message>
      <source>INPUT '{path}' has no coordinate reference system, so the outputs could not be placed on a map. Assign its CRS first (Raster › Projections › Assign Projection, or gdal_edit.py -a_srs).</source>
      <translation>INPUT « {path} » n'a pas de système de coordonnées de référence : les sorties ne pourraient pas être placées sur une carte. Attribuez-lui d'abord son SCR (Raster › Projections › Définir la projection, ou gdal_edit.py -a_srs).</translation>
    </message>
    <message>
      <source>{role} '{path}' has {count} bands; it must have one.</source>
      <translation>{role} « {path} » a {count} bandes; il doit n'en avoir qu'une.</translation>
    </message>
    <message>
      <source>No file name for output(s) {keys}.</source>
      <translation>Aucun nom de fichier pour la ou les sorties {keys}.</translation>
    </message>
    <message>
      <source>RANGE_BANDS names {names}, but the other bands {sensor} tests against the reflectance range are {choices} (its network bands are always tested).</source>
      <translation>RANGE_BANDS nomme {names}, mais les autres bandes que {sensor} soumet au test de plage de réflectance sont {choices} (ses bandes de réseau sont toujours testées).</translation>
    </message>
    <message>
      <source>RANGE_BANDS {wrong} do not exist: the input has bands 1–{count}.</source>
      <translation>Les bandes RANGE_BANDS {wrong} n'existent pas : l'entrée a les bandes 1–{count}.</translation>
    </message>
    <message>
      <source>RANGE_BANDS uses band {repeated} again: each of its bands must be a band of your raster that the network bands and the other RANGE_BANDS do not use.</source>
      <translation>RANGE_BANDS réutilise la bande {repeated} : chacune de ses bandes doit être une bande de votre raster que ni les bandes de réseau ni les autres RANGE_BANDS n'utilisent.</translation>
    </message>
    <message>
      <source>INPUT looks like reflectance already in 0–1 (largest value {largest}), but it is being read as DN with SCALE {scale}: every reflectance would be about {rho} and every map wrong. Give SCALE 1 and OFFSET 0.</source>
      <translation>INPUT semble contenir une réflectance déjà entre 0 et 1 (plus grande valeur {largest}), mais elle est lue comme des CN avec SCALE {scale} : chaque réflectance vaudrait environ {rho} et toutes les cartes seraient fausses. Donnez SCALE 1 et OFFSET 0.</translation>
    </message>
    <message>
      <source>With SCALE {scale} and OFFSET {offset} the median reflectance of INPUT is {rho}, not 0–1: the raster holds DN. Leave SCALE and OFFSET empty (the sensor's Level-2 scaling) or give the scaling of your product.</source>
      <translation>Avec SCALE {scale} et OFFSET {offset}, la réflectance médiane de INPUT est {rho}, pas entre 0 et 1 : le raster contient des CN. Laissez SCALE et OFFSET vides (la mise à l'échelle de niveau 2 du capteur) ou donnez celle de votre produit.</translation>
    </message>
    <message>
      <source>LANDCOVER '{path}' holds values {values} that are not NALCMS classes. It must hold NALCMS classes 1–19 (0, or the band's nodata value, = no data): {classes}. Reclassify it, or set its nodata value, first.</source>
      <translation>LANDCOVER « {path} » contient les valeurs {values}, qui ne sont pas des classes NALCMS. Il doit contenir les classes NALCMS 1–19 (0, ou la valeur sans données de la bande, = aucune donnée) : {classes}. Reclassez-le, ou définissez sa valeur sans données, d'abord.</translation>
    </message>
    <message>
      <source>The region of {xsize} × {ysize} pixels at column {xoff}, row {yoff} is not inside INPUT ({width} × {height} pixels): only regions inside the raster can be computed.</source>
      <translation>La région de {xsize} × {ysize} pixels en colonne {xoff}, ligne {yoff} n'est pas à l'intérieur d'INPUT ({width} × {height} pixels) : seules les régions à l'intérieur du raster peuvent être calculées.</translation>
    </message>
    <message>
      <source>CCRS tiles (comma-separated, e.g. tile55, tile56)</source>
      <translation>Tuiles du CCT (séparées par des virgules, p. ex. tile55, tile56)</translation>
    </message>
    <message>
      <source>Sensor</source>
      <translation>Capteur</translation>
    </message>
    <message>
      <source>Year</source>
      <translation>Année</translation>
    </message>
    <message>
      <source>Months</source>
      <translation>Mois</translation>
    </message>
    <message>
      <source>Products</source>
      <translation>Produits</translation>
    </message>
    <message>
      <source>CCRS tile grid</source>
      <translation>Grille de tuiles du CCT</translation>
    </message>
    <message>
      <source>Tile grid</source>
      <translation>Grille de tuiles</translation>
    </message>
    <message>
      <source>Earth Engine plan (dry run)</source>
      <translation>Plan Earth Engine (simulation)</translation>
    </message>
    <message>
      <source>Plan</source>
      <translation>Plan</translation>
    </message>
    <message>
      <source>Example: CCRS tiles → their grid layer and the Earth Engine export plan.</source>
      <translation>Exemple : tuiles du CCT → leur couche de grille et le plan d'exportation Earth Engine.</translation>
    </message>
    <message>
      <source>&lt;p&gt;Example model of the LEAF plugin (open it in the graphical modeler to adapt it).&lt;/p&gt;&lt;p&gt;Draws the CCRS tiles you name (900 km tiles containing them) with &lt;i&gt;CCRS tile grid&lt;/i&gt;, then runs &lt;i&gt;Produce LEAF maps on Earth Engine&lt;/i&gt; as a &lt;b&gt;dry run&lt;/b&gt; for the same tiles: the PLAN JSON file lists the export tasks for each product, tile and month (20 m, Google Drive). Change the destination, resolution or period in the modeler. Nothing is sent to Earth Engine and no credentials are needed.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Modèle d'exemple de l'extension LEAF (ouvrez-le dans le modeleur graphique pour l'adapter).&lt;/p&gt;&lt;p&gt;Trace les tuiles du CCT que vous nommez (les tuiles de 900 km qui les contiennent) avec &lt;i&gt;Grille de tuiles du CCT&lt;/i&gt;, puis exécute &lt;i&gt;Produire des cartes LEAF sur Earth Engine&lt;/i&gt; en &lt;b&gt;simulation&lt;/b&gt; pour les mêmes tuiles : le fichier JSON PLAN énumère les tâches d'exportation pour chaque produit, tuile et mois (20 m, Google Drive). Modifiez la destination, la résolution ou la période dans le modeleur. Rien n'est envoyé à Earth Engine et aucun identifiant n'est nécessaire.&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Tile names of any level, comma-separated (tile55, tile55_411, tile55_912).</source>
      <translation>Noms de tuiles de n'importe quel niveau, séparés par des virgules (tile55, tile55_411, tile55_912).</translation>
    </message>
    <message>
      <source>S2 (Sentinel-2, 2017 on), L5, L7, L8 or L9.</source>
      <translation>S2 (Sentinel-2, depuis 2017), L5, L7, L8 ou L9.</translation>
    </message>
    <message>
      <source>Year of the monthly composites.</source>
      <translation>Année des composites mensuels.</translation>
    </message>
    <message>
      <source>One composite per month chosen.</source>
      <translation>Un composite par mois choisi.</translation>
    </message>
    <message>
      <source>Products to export; a QC map is always exported with LAI, fCOVER, fAPAR or albedo.</source>
      <translation>Produits à exporter; une carte QC est toujours exportée avec LAI, fCOVER, fAPAR ou l'albédo.</translation>
    </message>
    <message>
      <source>The tile polygons (EPSG:3979).</source>
      <translation>Les polygones des tuiles (EPSG:3979).</translation>
    </message>
    <message>
      <source>The plan of every export task (JSON).</source>
      <translation>Le plan de toutes les tâches d'exportation (JSON).</translation>
    </message>
    <message>
      <source>Surface reflectance raster</source>
      <translation>Raster de réflectance de surface</translation>
    </message>
    <message>
      <source>Land cover (NALCMS classes, same grid)</source>
      <translation>Couverture terrestre (classes NALCMS, même grille)</translation>
    </message>
    <message>
      <source>Invalid-pixel mask (non-zero = cloud, shadow…; same grid)</source>
      <translation>Masque des pixels invalides (non nul = nuage, ombre…; même grille)</translation>
    </message>
    <message>
      <source>Sun zenith angle (°)</source>
      <translation>Angle zénithal solaire (°)</translation>
    </message>
    <message>
      <source>View zenith angle (°)</source>
      <translation>Angle zénithal de visée (°)</translation>
    </message>
    <message>
      <source>Relative azimuth angle (°)</source>
      <translation>Angle azimutal relatif (°)</translation>
    </message>
    <message>
      <source>Polygons (zones for the statistics)</source>
      <translation>Polygones (zones des statistiques)</translation>
    </message>
    <message>
      <source>Produce SL2P maps locally</source>
      <translation>Produire des cartes SL2P localement</translation>
    </message>
    <message>
      <source>LAI</source>
      <translation>LAI</translation>
    </message>
    <message>
      <source>QC byte</source>
      <translation>Octet QC</translation>
    </message>
    <message>
      <source>Decode QC byte</source>
      <translation>Décoder l'octet QC</translation>
    </message>
    <message>
      <source>QC flag: input out of training domain</source>
      <translation>Indicateur QC : entrée hors du domaine d'entraînement</translation>
    </message>
    <message>
      <source>QC flag: output out of range</source>
      <translation>Indicateur QC : sortie hors plage</translation>
    </message>
    <message>
      <source>QC flag: invalid pixel</source>
      <translation>Indicateur QC : pixel invalide</translation>
    </message>
    <message>
      <source>Zonal statistics of LAI</source>
      <translation>Statistiques zonales du LAI</translation>
    </message>
    <message>
      <source>LAI statistics per polygon</source>
      <translation>Statistiques du LAI par polygone</translation>
    </message>
    <message>
      <source>Example: local LAI and QC → QC flags and LAI statistics per polygon.</source>
      <translation>Exemple : LAI et QC locaux → indicateurs QC et statistiques du LAI par polygone.</translation>
    </message>
    <message>
      <source>&lt;p&gt;Example model of the LEAF plugin (open it in the graphical modeler to adapt it).&lt;/p&gt;&lt;p&gt;Runs &lt;i&gt;Produce SL2P maps locally&lt;/i&gt; for LAI on a surface-reflectance raster, splits its QC byte into 0/1 flag rasters with &lt;i&gt;Decode QC byte&lt;/i&gt;, and computes &lt;i&gt;Zonal statistics&lt;/i&gt; of LAI over each polygon: fields lai_count, lai_mean, lai_stdev, lai_min and lai_max.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Units&lt;/b&gt;: the LAI file is stored as bytes (LAI × 20, 255 = no data) and carries its scale 0.05; QGIS applies that scale when it reads the file, so the statistics are in physical LAI (m²/m²) and pixels without data are left out. No raster calculator step is needed.&lt;/p&gt;&lt;p&gt;Invalid pixels (cloud, shadow, water, no data) have no LAI and are left out; pixels flagged input out of domain or output out of range keep their value and are counted: mask them with the QC flags first if needed.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Modèle d'exemple de l'extension LEAF (ouvrez-le dans le modeleur graphique pour l'adapter).&lt;/p&gt;&lt;p&gt;Exécute &lt;i&gt;Produire des cartes SL2P localement&lt;/i&gt; pour le LAI sur un raster de réflectance de surface, décompose son octet QC en rasters d'indicateurs 0/1 avec &lt;i&gt;Décoder l'octet QC&lt;/i&gt;, et calcule les &lt;i&gt;Statistiques zonales&lt;/i&gt; du LAI sur chaque polygone : champs lai_count, lai_mean, lai_stdev, lai_min et lai_max.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Unités&lt;/b&gt; : le fichier LAI est stocké en octets (LAI × 20, 255 = aucune donnée) et porte son facteur d'échelle 0,05; QGIS applique ce facteur à la lecture du fichier, de sorte que les statistiques sont en LAI physique (m²/m²) et que les pixels sans données sont exclus. Aucune étape de calculatrice raster n'est nécessaire.&lt;/p&gt;&lt;p&gt;Les pixels invalides (nuage, ombre, eau, aucune donnée) n'ont pas de LAI et sont exclus; les pixels signalés comme entrée hors du domaine ou sortie hors plage gardent leur valeur et sont comptés : masquez-les d'abord avec les indicateurs QC au besoin.&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Stack of the sensor's bands in network order (Sentinel-2 20 m: B3, B4, B5, B6, B7, B8A, B11, B12).</source>
      <translation>Pile des bandes du capteur dans l'ordre du réseau (Sentinel-2 20 m : B3, B4, B5, B6, B7, B8A, B11, B12).</translation>
    </message>
    <message>
      <source>Optional: selects the CCRS land-cover networks.</source>
      <translation>Facultatif : sélectionne les réseaux du CCT par couverture terrestre.</translation>
    </message>
    <message>
      <source>Optional: non-zero pixels are marked invalid.</source>
      <translation>Facultatif : les pixels non nuls sont marqués invalides.</translation>
    </message>
    <message>
      <source>Angles of the scene in degrees (one value for the whole raster).</source>
      <translation>Angles de la scène en degrés (une valeur pour tout le raster).</translation>
    </message>
    <message>
      <source>Any polygon layer; reprojected to the raster's CRS.</source>
      <translation>N'importe quelle couche de polygones; reprojetée dans le SCR du raster.</translation>
    </message>
    <message>
      <source>LAI (LEAF encoding).</source>
      <translation>LAI (encodage LEAF).</translation>
    </message>
    <message>
      <source>The LEAF QC byte.</source>
      <translation>L'octet QC de LEAF.</translation>
    </message>
    <message>
      <source>1 where the input is outside the SL2P training domain, else 0.</source>
      <translation>1 là où l'entrée est hors du domaine d'entraînement de SL2P, sinon 0.</translation>
    </message>
    <message>
      <source>1 where LAI was out of range (clamped), else 0.</source>
      <translation>1 là où le LAI était hors plage (écrêté), sinon 0.</translation>
    </message>
    <message>
      <source>1 for invalid pixels (cloud, shadow, snow, water, masked), else 0.</source>
      <translation>1 pour les pixels invalides (nuage, ombre, neige, eau, masqués), sinon 0.</translation>
    </message>
    <message>
      <source>The polygons with LAI count, mean, standard deviation, minimum and maximum (physical LAI).</source>
      <translation>Les polygones avec le nombre, la moyenne, l'écart-type, le minimum et le maximum du LAI (LAI physique).</translation>
    </message>
    <message>
      <source>Field sites (points or polygons)</source>
      <translation>Sites de terrain (points ou polygones)</translation>
    </message>
    <message>
      <source>Site id field</source>
      <translation>Champ d'identifiant du site</translation>
    </message>
    <message>
      <source>Visit date field</source>
      <translation>Champ de date de visite</translation>
    </message>
    <message>
      <source>Days before and after the visit</source>
      <translation>Jours avant et après la visite</translation>
    </message>
    <message>
      <source>Sentinel-2 / Landsat scenes or LEAF outputs</source>
      <translation>Scènes Sentinel-2 / Landsat ou sorties LEAF</translation>
    </message>
    <message>
      <source>Sample SL2P time series at sites</source>
      <translation>Échantillonner des séries temporelles SL2P sur des sites</translation>
    </message>
    <message>
      <source>Site time series</source>
      <translation>Séries temporelles des sites</translation>
    </message>
    <message>
      <source>Site time series (CSV)</source>
      <translation>Séries temporelles des sites (CSV)</translation>
    </message>
    <message>
      <source>Time-series chart</source>
      <translation>Graphique des séries temporelles</translation>
    </message>
    <message>
      <source>Example: field sites with a visit date → LAI and fCOVER on every acquisition around it, as a table, a CSV and a chart.</source>
      <translation>Exemple : sites de terrain avec une date de visite → LAI et fCOVER de chaque acquisition autour de cette date, en table, en CSV et en graphique.</translation>
    </message>
    <message>
      <source>&lt;p&gt;Example model of the LEAF plugin (open it in the graphical modeler to adapt it).&lt;/p&gt;&lt;p&gt;Runs &lt;i&gt;Sample SL2P time series at sites&lt;/i&gt; with the local engine: for each site, every scene acquired within WINDOW_DAYS of its visit date is run through the local SL2P engine around the site (a 30 m disc around points), and the mean, median, standard deviation and count of its good pixels are written per acquisition, with the decoded QC. Switch ENGINE to Earth Engine in the modeler to sample the whole Sentinel-2 or Landsat archive instead of local scenes.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Modèle d'exemple de l'extension LEAF (ouvrez-le dans le modeleur graphique pour l'adapter).&lt;/p&gt;&lt;p&gt;Exécute &lt;i&gt;Échantillonner des séries temporelles SL2P sur des sites&lt;/i&gt; avec le moteur local : pour chaque site, chaque scène acquise à moins de WINDOW_DAYS jours de sa date de visite passe par le moteur SL2P local autour du site (un disque de 30 m autour des points), et la moyenne, la médiane, l'écart type et le nombre de ses bons pixels sont écrits par acquisition, avec le QC décodé. Passez ENGINE à Earth Engine dans le modeleur pour échantillonner toute l'archive Sentinel-2 ou Landsat plutôt que des scènes locales.&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Any point or polygon layer, any CRS.</source>
      <translation>Toute couche de points ou de polygones, dans n'importe quel SCR.</translation>
    </message>
    <message>
      <source>A date field, or text such as 2021-07-15.</source>
      <translation>Un champ date, ou du texte comme 2021-07-15.</translation>
    </message>
    <message>
      <source>Sentinel-2 L2A products (MTD_MSIL2A.xml, .SAFE, .zip), Landsat Collection 2 Level-2 scenes (*_MTL.txt, folder, .tar) or LEAF outputs.</source>
      <translation>Produits Sentinel-2 L2A (MTD_MSIL2A.xml, .SAFE, .zip), scènes Landsat Collection 2 niveau 2 (*_MTL.txt, dossier, .tar) ou sorties LEAF.</translation>
    </message>
    <message>
      <source>One row per site and acquisition (GeoPackage).</source>
      <translation>Une ligne par site et par acquisition (GeoPackage).</translation>
    </message>
    <message>
      <source>LAI and fCOVER per site over time (HTML).</source>
      <translation>LAI et fCOVER de chaque site dans le temps (HTML).</translation>
    </message>
    <message>
      <source>{role}: GDAL cannot open '{path}' as a raster ({reason}). Check the path and that the file is a raster GDAL reads (GeoTIFF, JPEG 2000, VRT …).</source>
      <translation>{role} : GDAL ne peut pas ouvrir « {path} » comme raster ({reason}). Vérifiez le chemin et que le fichier est un raster lisible par GDAL (GeoTIFF, JPEG 2000, VRT …).</translation>
    </message>
    <message>
      <source>{role}: '{path}' is empty (no band or no pixel). Choose a raster with data; for a file with sub-datasets, choose one of them.</source>
      <translation>{role} : « {path} » est vide (aucune bande ou aucun pixel). Choisissez un raster qui contient des données; pour un fichier à sous-jeux de données, choisissez l'un d'eux.</translation>
    </message>
    <message>
      <source>{role} '{path}' is not on the grid of the input ({grid} instead of {expected}). Resample it onto the input grid first, e.g. with GDAL ▸ Warp (reproject) using the input as the target extent and resolution (nearest neighbour for classes).</source>
      <translation>{role} « {path} » n'est pas sur la grille de l'entrée ({grid} au lieu de {expected}). Rééchantillonnez-le d'abord sur la grille de l'entrée, p. ex. avec GDAL ▸ Projection (warp) en prenant l'entrée comme emprise et résolution cibles (plus proche voisin pour les classes).</translation>
    </message>
    <message>
      <source>Reading rows {first}–{last} of '{path}' failed ({reason}). The file may be truncated or corrupt; check it with gdalinfo -checksum.</source>
      <translation>La lecture des lignes {first}–{last} de « {path} » a échoué ({reason}). Le fichier est peut-être tronqué ou corrompu; vérifiez-le avec gdalinfo -checksum.</translation>
    </message>
    <message>
      <source>Output {key} '{path}': the local engine writes GeoTIFF only. Give the file a .tif extension.</source>
      <translation>Sortie {key} « {path} » : le moteur local écrit uniquement en GeoTIFF. Donnez au fichier l'extension .tif.</translation>
    </message>
    <message>
      <source>Outputs {first} and {second} point to the same file '{path}'. Give each output its own file name.</source>
      <translation>Les sorties {first} et {second} désignent le même fichier « {path} ». Donnez à chaque sortie son propre nom de fichier.</translation>
    </message>
    <message>
      <source>Output {key} '{path}' is one of the inputs. Choose another file name: the inputs are never overwritten.</source>
      <translation>La sortie {key} « {path} » est l'une des entrées. Choisissez un autre nom de fichier : les entrées ne sont jamais écrasées.</translation>
    </message>
    <message>
      <source>Output {key} '{path}' is an existing folder. Give a file name ending in .tif.</source>
      <translation>La sortie {key} « {path} » est un dossier existant. Donnez un nom de fichier se terminant par .tif.</translation>
    </message>
    <message>
      <source>Output {key} '{path}' already exists and is not a LEAF output, so it is kept. Choose another file name, or delete the file first if you want to replace it (previous LEAF outputs are replaced without asking).</source>
      <translation>La sortie {key} « {path} » existe déjà et n'est pas une sortie LEAF : elle est donc conservée. Choisissez un autre nom de fichier, ou supprimez d'abord le fichier si vous voulez le remplacer (les sorties LEAF précédentes sont remplacées sans confirmation).</translation>
    </message>
    <message>
      <source>Output {key}: the folder '{folder}' is read-only or not a folder, so '{path}' cannot be written. Choose a folder you can write into.</source>
      <translation>Sortie {key} : le dossier « {folder} » est en lecture seule ou n'est pas un dossier; « {path} » ne peut donc pas être écrit. Choisissez un dossier dans lequel vous pouvez écrire.</translation>
    </message>
    <message>
      <source>Output {key} '{path}' is being written by another run (process {pid}). Wait for it to finish, or choose other file names. If no LEAF run is active, delete the lock file '{lock}'.</source>
      <translation>La sortie {key} « {path} » est en cours d'écriture par une autre exécution (processus {pid}). Attendez qu'elle se termine ou choisissez d'autres noms de fichiers. Si aucune exécution LEAF n'est active, supprimez le fichier de verrou « {lock} ».</translation>
    </message>
    <message>
      <source>Output {key} '{path}': cannot take the lock file '{lock}'.</source>
      <translation>Sortie {key} « {path} » : impossible de prendre le fichier de verrou « {lock} ».</translation>
    </message>
    <message>
      <source>Output {key}: cannot create a file in '{folder}' ({reason}). Choose a folder you can write into, with free space.</source>
      <translation>Sortie {key} : impossible de créer un fichier dans « {folder} » ({reason}). Choisissez un dossier dans lequel vous pouvez écrire et qui a de l'espace libre.</translation>
    </message>
    <message>
      <source>Writing output {key} failed ({reason}). Check the free space in '{folder}'.</source>
      <translation>L'écriture de la sortie {key} a échoué ({reason}). Vérifiez l'espace libre dans « {folder} ».</translation>
    </message>
    <message>
      <source>Finishing outputs {keys} failed. Check the free space in the output folder; nothing was written.</source>
      <translation>La finalisation des sorties {keys} a échoué. Vérifiez l'espace libre dans le dossier de sortie; rien n'a été écrit.</translation>
    </message>
    <message>
      <source>Output(s) {keys}: a file appeared or changed at {paths} while this run computed, so it is kept and nothing was written. Run again with other file names, or once that file is no longer needed.</source>
      <translation>Sortie(s) {keys} : un fichier est apparu ou a changé à {paths} pendant le calcul; il est conservé et rien n'a été écrit. Relancez avec d'autres noms de fichier, ou quand ce fichier ne sera plus nécessaire.</translation>
    </message>
    <message>
      <source>Output {key}: a file appeared at '{path}' at the end of the run; it is kept and this output was not written.</source>
      <translation>Sortie {key} : un fichier est apparu à « {path} » à la fin de l'exécution; il est conservé et cette sortie n'a pas été écrite.</translation>
    </message>
    <message>
      <source>The layer {name} is empty: nothing to render.</source>
      <translation>La couche {name} est vide : rien à afficher.</translation>
    </message>
    <message>
      <source>No valid layer to render.</source>
      <translation>Aucune couche valide à afficher.</translation>
    </message>
    <message>
      <source>Could not write the preview {path} (error {code}).</source>
      <translation>Impossible d'écrire l'aperçu {path} (erreur {code}).</translation>
    </message>
    <message>
      <source>unknown sensor {code}</source>
      <translation>capteur inconnu {code}</translation>
    </message>
    <message>
      <source>input outside training domain</source>
      <translation>entrée hors du domaine d'entraînement</translation>
    </message>
    <message>
      <source>output out of range</source>
      <translation>sortie hors plage</translation>
    </message>
    <message>
      <source>invalid or flagged</source>
      <translation>invalide ou signalé</translation>
    </message>
    <message>
      <source>valid</source>
      <translation>valide</translation>
    </message>
    <message>
      <source>class {value} (not in the NALCMS legend)</source>
      <translation>classe {value} (absente de la légende NALCMS)</translation>
    </message>
    <message>
      <source>{path}: kept the style file made outside LEAF; the layer keeps that style. To get the LEAF style, delete or rename that file, then load the layer again.</source>
      <translation>{path} : le fichier de style créé hors de LEAF est conservé; la couche garde ce style. Pour obtenir le style LEAF, supprimez ou renommez ce fichier, puis chargez la couche de nouveau.</translation>
    </message>
    <message>
      <source>Could not save the style to {path}: {reason}</source>
      <translation>Impossible d'enregistrer le style dans {path} : {reason}</translation>
    </message>
    <message>
      <source>{year} peak season</source>
      <translation>{year}, pleine saison de croissance</translation>
    </message>
    <message>
      <source>Could not style the LEAF layer {name}: {error}</source>
      <translation>Impossible d'appliquer le style à la couche LEAF {name} : {error}</translation>
    </message>
    <message>
      <source>no clear observation</source>
      <translation>aucune observation claire</translation>
    </message>
    <message>
      <source>clear</source>
      <translation>clair</translation>
    </message>
    <message>
      <source>outside training domain or range (QC bit 0/1)</source>
      <translation>hors du domaine d'entraînement ou de l'intervalle (bits QC 0/1)</translation>
    </message>
    <message>
      <source>flagged invalid (QC bit 2)</source>
      <translation>marqué invalide (bit QC 2)</translation>
    </message>
    <message>
      <source>bars: SL2P uncertainty</source>
      <translation>barres : incertitude SL2P</translation>
    </message>
    <message>
      <source>bars: standard deviation of the pixels</source>
      <translation>barres : écart type des pixels</translation>
    </message>
    <message>
      <source>Unknown tile level '{level}'. Choose one of: {choices}.</source>
      <translation>Niveau de tuile inconnu « {level} ». Choisissez parmi : {choices}.</translation>
    </message>
    <message>
      <source>'{name}' is not a CCRS tile name: tile names are lower case, e.g. '{suggestion}'.</source>
      <translation>« {name} » n'est pas un nom de tuile du CCT : les noms de tuiles s'écrivent en minuscules, p. ex. « {suggestion} ».</translation>
    </message>
    <message>
      <source>'{name}' is not a CCRS tile name. Use tileRC (row R 1-6 from the north, column C 1-7 from the west, e.g. tile55), tileRC_4ij for a quarter or tileRC_9ij for a ninth (i = sub-row from the north, j = sub-column from the west).</source>
      <translation>« {name} » n'est pas un nom de tuile du CCT. Utilisez tileRC (rangée R de 1 à 6 à partir du nord, colonne C de 1 à 7 à partir de l'ouest, p. ex. tile55), tileRC_4ij pour un quart ou tileRC_9ij pour un neuvième (i = sous-rangée à partir du nord, j = sous-colonne à partir de l'ouest).</translation>
    </message>
    <message>
      <source>There is no tile {name} in the CCRS grid. The tiles are: {choices}.</source>
      <translation>Il n'y a pas de tuile {name} dans la grille du CCT. Les tuiles sont : {choices}.</translation>
    </message>
    <message>
      <source>'{name}': the sub-tile part must start with 4 (2×2 quarters, i and j 1-2) or 9 (3×3 ninths, i and j 1-3), e.g. tile{row}{col}_411 or tile{row}{col}_933.</source>
      <translation>« {name} » : la partie sous-tuile doit commencer par 4 (quarts 2×2, i et j de 1 à 2) ou par 9 (neuvièmes 3×3, i et j de 1 à 3), p. ex. tile{row}{col}_411 ou tile{row}{col}_933.</translation>
    </message>
    <message>
      <source>'{name}': a {level} sub-tile has sub-row and sub-column numbers from 1 to {n} (tile{row}{col}_{digit}11 … tile{row}{col}_{digit}{n}{n}).</source>
      <translation>« {name} » : une sous-tuile de niveau {level} a des numéros de sous-rangée et de sous-colonne de 1 à {n} (tile{row}{col}_{digit}11 … tile{row}{col}_{digit}{n}{n}).</translation>
    </message>
    <message>
      <source>input outside the SL2P training domain</source>
      <translation>entrée hors du domaine d'entraînement de SL2P</translation>
    </message>
    <message>
      <source>an estimate outside its valid range, or clamped by the LEAF encoding</source>
      <translation>une estimation hors de sa plage valide, ou écrêtée par l'encodage LEAF</translation>
    </message>
    <message>
      <source>invalid or flagged pixel (no clear observation, snow, water, urban, saturated sensor, reflectance out of range)</source>
      <translation>pixel invalide ou signalé (aucune observation claire, neige, eau, zone urbaine, capteur saturé, réflectance hors plage)</translation>
    </message>
    <message>
      <source>Leaf area index</source>
      <translation>Indice de surface foliaire</translation>
    </message>
    <message>
      <source>Fraction of vegetation cover</source>
      <translation>Fraction du couvert végétal</translation>
    </message>
    <message>
      <source>Fraction of absorbed PAR</source>
      <translation>Fraction du rayonnement photosynthétiquement actif absorbé</translation>
    </message>
    <message>
      <source>Black-sky albedo</source>
      <translation>Albédo ciel noir</translation>
    </message>
    <message>
      <source>Canopy chlorophyll content</source>
      <translation>Teneur en chlorophylle du couvert</translation>
    </message>
    <message>
      <source>Canopy water content</source>
      <translation>Teneur en eau du couvert</translation>
    </message>
    <message>
      <source>quality bits and sensor code (below)</source>
      <translation>bits de qualité et code du capteur (ci-dessous)</translation>
    </message>
    <message>
      <source>Acquisition date</source>
      <translation>Date d'acquisition</translation>
    </message>
    <message>
      <source>days since 1970-01-01 of the chosen acquisition</source>
      <translation>jours depuis le 1970-01-01 de l'acquisition retenue</translation>
    </message>
    <message>
      <source>Land-cover partition</source>
      <translation>Partition de la couverture terrestre</translation>
    </message>
    <message>
      <source>NALCMS land-cover class that chose the SL2P-CCRS network</source>
      <translation>classe de couverture terrestre NALCMS qui a choisi le réseau SL2P-CCRS</translation>
    </message>
    <message>
      <source>Unknown algorithm '{value}'. Choose one of: {choices}.</source>
      <translation>Algorithme inconnu « {value} ». Choisissez parmi : {choices}.</translation>
    </message>
    <message>
      <source>no clear observation from {first} to {last}</source>
      <translation>aucune observation claire du {first} au {last}</translation>
    </message>
    <message>
      <source>outside every raster</source>
      <translation>hors de tous les rasters</translation>
    </message>
    <message>
      <source>Unknown sampling '{value}'. Choose one of: {choices}.</source>
      <translation>Échantillonnage « {value} » inconnu. Choisissez parmi : {choices}.</translation>
    </message>
    <message>
      <source>BUFFER is {value} m: it must be 0 (the pixel under each point) or a positive distance in metres.</source>
      <translation>BUFFER vaut {value} m : il doit valoir 0 (le pixel sous chaque point) ou une distance positive en mètres.</translation>
    </message>
    <message>
      <source>BUFFER is {value} m, more than {limit} m: a site that large is a region; use 'Produce LEAF maps on Earth Engine' and zonal statistics instead, or a smaller buffer.</source>
      <translation>BUFFER vaut {value} m, plus que {limit} m : un site aussi grand est une région ; utilisez plutôt « Produire les cartes LEAF sur Earth Engine » et des statistiques zonales, ou un tampon plus petit.</translation>
    </message>
    <message>
      <source>The maximum scene cloud cover must lie between 0 and 100 % (or -1 for the CCRS production default), not {value}.</source>
      <translation>La couverture nuageuse maximale des scènes doit être comprise entre 0 et 100 % (ou -1 pour la valeur par défaut de la production du CCT), et non {value}.</translation>
    </message>
    <message>
      <source>RESOLUTION must lie between 10 and 1000 m, not {value}.</source>
      <translation>RESOLUTION doit être comprise entre 10 et 1000 m, et non {value}.</translation>
    </message>
    <message>
      <source>The SITES layer has no feature (or none is selected while 'Selected features only' is on). Add or select the sites to sample.</source>
      <translation>La couche SITES n'a aucune entité (ou aucune n'est sélectionnée alors que « Entités sélectionnées uniquement » est coché). Ajoutez ou sélectionnez les sites à échantillonner.</translation>
    </message>
    <message>
      <source>Give a period: START and END dates, or YEAR with MONTHS, or a DATE field on the sites.</source>
      <translation>Indiquez une période : des dates START et END, ou YEAR avec MONTHS, ou un champ DATE sur les sites.</translation>
    </message>
    <message>
      <source>WINDOW_DAYS is {days}: a window of 0 days around each site's date holds no acquisition. Give the number of days to search before and after the date (e.g. 10).</source>
      <translation>WINDOW_DAYS vaut {days} : une fenêtre de 0 jour autour de la date de chaque site ne contient aucune acquisition. Indiquez le nombre de jours à parcourir avant et après la date (par ex. 10).</translation>
    </message>
    <message>
      <source>WINDOW_DAYS must not be negative (it is {days}).</source>
      <translation>WINDOW_DAYS ne doit pas être négatif (il vaut {days}).</translation>
    </message>
    <message>
      <source>Feature {feature} has an empty site id. Fill the ID field of every site (or choose another ID field).</source>
      <translation>L'entité {feature} a un identifiant de site vide. Remplissez le champ ID de chaque site (ou choisissez un autre champ ID).</translation>
    </message>
    <message>
      <source>Site id '{site}' is used by features {first} and {second}. Site ids must be unique: the table and the chart tell sites apart by them.</source>
      <translation>L'identifiant de site « {site} » est utilisé par les entités {first} et {second}. Les identifiants doivent être uniques : la table et le graphique distinguent les sites par eux.</translation>
    </message>
    <message>
      <source>Site '{site}' (feature {feature}) has no usable geometry. Sites must be points or polygons.</source>
      <translation>Le site « {site} » (entité {feature}) n'a pas de géométrie utilisable. Les sites doivent être des points ou des polygones.</translation>
    </message>
    <message>
      <source>Site '{site}' (feature {feature}) has coordinates ({lon}, {lat}) outside longitude -180…180 / latitude -90…90: check the layer's CRS.</source>
      <translation>Le site « {site} » (entité {feature}) a des coordonnées ({lon}, {lat}) hors de longitude -180…180 / latitude -90…90 : vérifiez le SCR de la couche.</translation>
    </message>
    <message>
      <source>Site '{site}' (feature {feature}) has a window of {days} days, more than {limit}. Split the period.</source>
      <translation>Le site « {site} » (entité {feature}) a une fenêtre de {days} jours, plus que {limit}. Découpez la période.</translation>
    </message>
    <message>
      <source>Site '{site}' (feature {feature}): the {role} field holds '{value}', which is not a date. Use a date field or text like 2020-07-15.</source>
      <translation>Site « {site} » (entité {feature}) : le champ {role} contient « {value} », qui n'est pas une date. Utilisez un champ date ou du texte comme 2020-07-15.</translation>
    </message>
    <message>
      <source>Site '{site}' (feature {feature}) has no {role} date. Fill it, or remove the site from the selection.</source>
      <translation>Le site « {site} » (entité {feature}) n'a pas de date {role}. Remplissez-la, ou retirez le site de la sélection.</translation>
    </message>
    <message>
      <source>Site '{site}' (feature {feature}) ends on {last}, before it starts on {first}. Swap the START and END fields.</source>
      <translation>Le site « {site} » (entité {feature}) se termine le {last}, avant de commencer le {first}. Inversez les champs START et END.</translation>
    </message>
    <message>
      <source>Site '{site}' (feature {feature}) asks for {first} to {last}, when {sensor} has no surface reflectance ({years}). Choose another sensor or dates.</source>
      <translation>Le site « {site} » (entité {feature}) demande du {first} au {last}, alors que {sensor} n'a pas de réflectance de surface ({years}). Choisissez un autre capteur ou d'autres dates.</translation>
    </message>
    <message>
      <source>The SL2P network file '{name}' is not in the CCRS format ({reason}).</source>
      <translation>Le fichier de réseau SL2P « {name} » n'est pas au format du CCT ({reason}).</translation>
    </message>
    <message>
      <source>Landsat 5</source>
      <translation>Landsat 5</translation>
    </message>
    <message>
      <source>Landsat 7</source>
      <translation>Landsat 7</translation>
    </message>
    <message>
      <source>Landsat 8</source>
      <translation>Landsat 8</translation>
    </message>
    <message>
      <source>Landsat 9</source>
      <translation>Landsat 9</translation>
    </message>
    <message>
      <source>Sentinel-2</source>
      <translation>Sentinel-2</translation>
    </message>
    <message>
      <source>Sentinel-2 (10 m)</source>
      <translation>Sentinel-2 (10 m)</translation>
    </message>
    <message>
      <source>HLS Landsat (L30)</source>
      <translation>HLS Landsat (L30)</translation>
    </message>
    <message>
      <source>HLS Sentinel-2 (S30)</source>
      <translation>HLS Sentinel-2 (S30)</translation>
    </message>
    <message>
      <source>Landsat 8 + 9</source>
      <translation>Landsat 8 et 9</translation>
    </message>
    <message>
      <source>Landsat 5 + 7</source>
      <translation>Landsat 5 et 7</translation>
    </message>
    <message>
      <source>Unknown sensor '{key}'. Choose one of: {choices}.</source>
      <translation>Capteur inconnu « {key} ». Choisissez parmi : {choices}.</translation>
    </message>
    <message>
      <source>The SL2P network file '{rel}' is not in the CCRS format ({reason}).</source>
      <translation>Le fichier de réseau SL2P « {rel} » n'est pas au format du CCT ({reason}).</translation>
    </message>
    <message>
      <source>The SL2P network file '{rel}' has {n} inputs; {expected} expected.</source>
      <translation>Le fichier de réseau SL2P « {rel} » a {n} entrées; {expected} attendues.</translation>
    </message>
    <message>
      <source>'{rel}' is not a known SL2P network file.</source>
      <translation>« {rel} » n'est pas un fichier de réseau SL2P connu.</translation>
    </message>
    <message>
      <source>The SL2P network file '{rel}' was not found (searched: {searched}; {rejected}) and could not be downloaded ({problem}) from {url}. Download that file (or the whole CCRS networks folder) into {cache}, or set a folder holding the networks in Settings › Options › Processing › Providers › LEAF or in the LEAF_QGIS_NETWORKS environment variable. Copies with the wrong checksum are never used: replace them.</source>
      <translation>Le fichier de réseau SL2P « {rel} » est introuvable (recherché dans : {searched}; {rejected}) et n'a pas pu être téléchargé ({problem}) depuis {url}. Téléchargez ce fichier (ou tout le dossier des réseaux du CCT) dans {cache}, ou indiquez un dossier contenant les réseaux dans Préférences › Options › Traitement › Fournisseurs › LEAF ou dans la variable d'environnement LEAF_QGIS_NETWORKS. Les copies dont la somme de contrôle est erronée ne sont jamais utilisées : remplacez-les.</translation>
    </message>
    <message>
      <source>Temperate or sub-polar needleleaf forest</source>
      <translation>Forêt de conifères tempérée ou subpolaire</translation>
    </message>
    <message>
      <source>Sub-polar taiga needleleaf forest</source>
      <translation>Forêt de conifères de la taïga subpolaire</translation>
    </message>
    <message>
      <source>Tropical or sub-tropical broadleaf evergreen forest</source>
      <translation>Forêt de feuillus sempervirents tropicale ou subtropicale</translation>
    </message>
    <message>
      <source>Tropical or sub-tropical broadleaf deciduous forest</source>
      <translation>Forêt de feuillus décidus tropicale ou subtropicale</translation>
    </message>
    <message>
      <source>Temperate or sub-polar broadleaf deciduous forest</source>
      <translation>Forêt de feuillus décidus tempérée ou subpolaire</translation>
    </message>
    <message>
      <source>Mixed forest</source>
      <translation>Forêt mixte</translation>
    </message>
    <message>
      <source>Tropical or sub-tropical shrubland</source>
      <translation>Arbustaie tropicale ou subtropicale</translation>
    </message>
    <message>
      <source>Temperate or sub-polar shrubland</source>
      <translation>Arbustaie tempérée ou subpolaire</translation>
    </message>
    <message>
      <source>Tropical or sub-tropical grassland</source>
      <translation>Prairie tropicale ou subtropicale</translation>
    </message>
    <message>
      <source>Temperate or sub-polar grassland</source>
      <translation>Prairie tempérée ou subpolaire</translation>
    </message>
    <message>
      <source>Sub-polar or polar shrubland-lichen-moss</source>
      <translation>Arbustaie-lichens-mousses subpolaire ou polaire</translation>
    </message>
    <message>
      <source>Sub-polar or polar grassland-lichen-moss</source>
      <translation>Prairie-lichens-mousses subpolaire ou polaire</translation>
    </message>
    <message>
      <source>Sub-polar or polar barren-lichen-moss</source>
      <translation>Terres stériles-lichens-mousses subpolaire ou polaire</translation>
    </message>
    <message>
      <source>Wetland</source>
      <translation>Terres humides</translation>
    </message>
    <message>
      <source>Cropland</source>
      <translation>Terres cultivées</translation>
    </message>
    <message>
      <source>Barren land</source>
      <translation>Terres stériles</translation>
    </message>
    <message>
      <source>Urban and built-up</source>
      <translation>Zones urbaines et bâties</translation>
    </message>
    <message>
      <source>Water</source>
      <translation>Eau</translation>
    </message>
    <message>
      <source>Snow and ice</source>
      <translation>Neige et glace</translation>
    </message>
    <message>
      <source>Month {month} is not between 1 and 12.</source>
      <translation>Le mois {month} n'est pas compris entre 1 et 12.</translation>
    </message>
    <message>
      <source>The end date {last} is before the start date {first}.</source>
      <translation>La date de fin {last} précède la date de début {first}.</translation>
    </message>
    <message>
      <source>The extent does not reach the CCRS grid, which covers x {xmin:.0f} … {xmax:.0f} m and y {ymin:.0f} … {ymax:.0f} m in EPSG:3979 (Canada and its surroundings). Check the extent and its CRS.</source>
      <translation>L'emprise n'atteint pas la grille du CCT, qui couvre x {xmin:.0f} … {xmax:.0f} m et y {ymin:.0f} … {ymax:.0f} m en EPSG:3979 (le Canada et ses environs). Vérifiez l'emprise et son SCR.</translation>
    </message>
    <message>
      <source>No {level} tile is left after filtering: none of the tiles {names} intersects the extent. Widen the extent or list other tiles (valid tiles: {choices}).</source>
      <translation>Aucune tuile de niveau {level} ne reste après le filtrage : aucune des tuiles {names} n'intersecte l'emprise. Élargissez l'emprise ou indiquez d'autres tuiles (tuiles valides : {choices}).</translation>
    </message>
    <message>
      <source>tile,grid,ccrs,leaf,canada,3979</source>
      <translation>tuile,grille,cct,ccrs,leaf,canada,3979,tile,grid</translation>
    </message>
    <message>
      <source>&lt;p&gt;Creates the Canada Centre for Remote Sensing (CCRS) tile grid used by LEAF production, as exact squares in EPSG:3979 (NAD83(CSRS) / Canada Atlas Lambert).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Level&lt;/b&gt;: &lt;i&gt;tile&lt;/i&gt; = 900 km tiles named tileRC (R = row 1–6 from the north, C = column 1–7 from the west; 27 tiles); &lt;i&gt;quarter&lt;/i&gt; = 450 km sub-tiles tileRC_4ij; &lt;i&gt;ninth&lt;/i&gt; = 300 km sub-tiles tileRC_9ij (i = sub-row from the north, j = sub-column from the west).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Tiles&lt;/b&gt; (optional): comma-separated tile names; only tiles of the chosen level that overlap them are kept. Empty = all tiles.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Extent&lt;/b&gt; (optional, any CRS): only tiles that intersect it are kept.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: polygons with fields name, row, col and level. Column c spans x = −2 600 000 + (c−1)·900 000 m … +900 000 m; row r spans y = 3 914 925 − r·900 000 m … +900 000 m.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Crée la grille de tuiles du Centre canadien de télédétection (CCT) utilisée par la production LEAF, sous forme de carrés exacts en EPSG:3979 (NAD83(CSRS) / Canada Atlas Lambert).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Niveau&lt;/b&gt; : &lt;i&gt;tile&lt;/i&gt; = tuiles de 900 km nommées tileRC (R = rangée de 1 à 6 à partir du nord, C = colonne de 1 à 7 à partir de l'ouest; 27 tuiles); &lt;i&gt;quarter&lt;/i&gt; = sous-tuiles de 450 km tileRC_4ij; &lt;i&gt;ninth&lt;/i&gt; = sous-tuiles de 300 km tileRC_9ij (i = sous-rangée à partir du nord, j = sous-colonne à partir de l'ouest).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Tuiles&lt;/b&gt; (facultatif) : noms de tuiles séparés par des virgules; seules les tuiles du niveau choisi qui les chevauchent sont conservées. Vide = toutes les tuiles.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Emprise&lt;/b&gt; (facultatif, n'importe quel SCR) : seules les tuiles qui l'intersectent sont conservées.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : polygones avec les champs name, row, col et level. La colonne c s'étend de x = −2 600 000 + (c−1)·900 000 m … +900 000 m; la rangée r s'étend de y = 3 914 925 − r·900 000 m … +900 000 m.&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>Niveau</translation>
    </message>
    <message>
      <source>Tiles (comma-separated, empty = all)</source>
      <translation>Tuiles (séparées par des virgules, vide = toutes)</translation>
    </message>
    <message>
      <source>Only tiles intersecting this extent</source>
      <translation>Seulement les tuiles qui intersectent cette emprise</translation>
    </message>
    <message>
      <source>{count} tiles written.</source>
      <translation>{count} tuiles écrites.</translation>
    </message>
    <message>
      <source>CCRS tiles (comma-separated, e.g. tile55, tile55_411)</source>
      <translation>Tuiles du CCT (séparées par des virgules, p. ex. tile55, tile55_411)</translation>
    </message>
    <message>
      <source>Or: extent (any CRS)</source>
      <translation>Ou : emprise (n'importe quel SCR)</translation>
    </message>
    <message>
      <source>Or: area of interest (polygon layer; tick 'Selected features only' to restrict it)</source>
      <translation>Ou : zone d'intérêt (couche de polygones; cochez « Entités sélectionnées uniquement » pour la restreindre)</translation>
    </message>
    <message>
      <source>Name of the custom region in file names (empty: the layer name, or 'extent', followed by a code of the area, so that two areas never share a folder)</source>
      <translation>Nom de la région personnalisée dans les noms de fichiers (vide : le nom de la couche, ou « extent », suivi d'un code de la zone, afin que deux zones ne partagent jamais un dossier)</translation>
    </message>
    <message>
      <source>One region per AOI feature (else all AOI polygons form one region)</source>
      <translation>Une région par entité de la zone d'intérêt (sinon tous ses polygones forment une seule région)</translation>
    </message>
    <message>
      <source>Field naming each AOI feature's region (one region per feature; empty: the region name followed by the feature id and a code of its area)</source>
      <translation>Champ qui nomme la région de chaque entité de la zone d'intérêt (une région par entité; vide : le nom de la région suivi de l'identifiant de l'entité et d'un code de sa zone)</translation>
    </message>
    <message>
      <source>The field's values name the regions as they are, cut to {limit} characters (letters, digits, '-' and '_'): they must be unique within their first {limit} characters. They are checked within this layer only: two AOI layers whose features have the same values (e.g. P1…P20) get the same folders and Earth Engine task names, and a submit skips the second layer's tasks as already on Earth Engine. Give each layer's features names of their own, or leave the field empty (names then end with the feature id and a code of its area).</source>
      <translation>Les valeurs du champ nomment les régions telles quelles, coupées à {limit} caractères (lettres, chiffres, « - » et « _ ») : elles doivent être uniques dans leurs {limit} premiers caractères. Elles ne sont vérifiées qu'au sein de cette couche : deux couches de zone d'intérêt dont les entités ont les mêmes valeurs (p. ex. P1…P20) reçoivent les mêmes dossiers et noms de tâches Earth Engine, et une soumission ignore les tâches de la seconde couche, comme déjà présentes sur Earth Engine. Donnez aux entités de chaque couche des noms qui leur sont propres, ou laissez le champ vide (les noms se terminent alors par l'identifiant de l'entité et un code de sa zone).</translation>
    </message>
    <message>
      <source>The region name '{name}' has {length} characters; use at most {limit}. Earth Engine task names hold 100 characters, and the year, month, product and resolution (and, per feature, the feature id and a code of its area) follow the region name: longer names would give several tasks the same name.</source>
      <translation>Le nom de région « {name} » compte {length} caractères ; utilisez-en au plus {limit}. Les noms de tâches Earth Engine comptent 100 caractères au plus, et l'année, le mois, le produit et la résolution (et, par entité, l'identifiant de l'entité et un code de sa zone) suivent le nom de la région : des noms plus longs donneraient le même nom à plusieurs tâches.</translation>
    </message>
    <message>
      <source>Give exactly one region: CCRS tile names (TILES), an extent (EXTENT) or a polygon layer (AOI). Given: {given}.</source>
      <translation>Indiquez exactement une région : des noms de tuiles du CCT (TILES), une emprise (EXTENT) ou une couche de polygones (AOI). Fourni : {given}.</translation>
    </message>
    <message>
      <source>The extent has zero area ({width} × {height}). Give an extent with a width and a height.</source>
      <translation>L'emprise a une superficie nulle ({width} × {height}). Donnez une emprise qui a une largeur et une hauteur.</translation>
    </message>
    <message>
      <source>The area-of-interest layer could not be read. Check the layer.</source>
      <translation>La couche de la zone d'intérêt n'a pas pu être lue. Vérifiez la couche.</translation>
    </message>
    <message>
      <source>REGION_NAME_FIELD names one region per feature: tick REGION_PER_FEATURE too, or leave the field empty.</source>
      <translation>REGION_NAME_FIELD nomme une région par entité : cochez aussi REGION_PER_FEATURE, ou laissez le champ vide.</translation>
    </message>
    <message>
      <source>The AOI layer has no field '{field}'. Its fields: {fields}.</source>
      <translation>La couche de la zone d'intérêt n'a pas de champ « {field} ». Ses champs : {fields}.</translation>
    </message>
    <message>
      <source>The area-of-interest layer has no polygon (or no selected polygon when 'Selected features only' is ticked). Select or draw at least one polygon.</source>
      <translation>La couche de la zone d'intérêt ne contient aucun polygone (ou aucun polygone sélectionné lorsque « Entités sélectionnées uniquement » est coché). Sélectionnez ou dessinez au moins un polygone.</translation>
    </message>
    <message>
      <source>{count} AOI polygon(s) have zero area (feature id(s) {ids}): a polygon whose points lie on a line or on one point covers nothing. Fix or remove them.</source>
      <translation>{count} polygone(s) de la zone d'intérêt ont une superficie nulle (identifiant(s) d'entité {ids}) : un polygone dont les points sont alignés ou confondus ne couvre rien. Corrigez-les ou supprimez-les.</translation>
    </message>
    <message>
      <source>Several AOI features would get the same region name ({names}); each region needs its own name, or their files would overwrite each other. Names are cut to {limit} characters (letters, digits, '-' and '_'; other characters become '_'): values that differ only past that length, or only in other characters, become equal. Choose a field whose values are unique within their first {limit} characters, or leave REGION_NAME_FIELD empty (names then end with the feature id and a code of the feature's area).</source>
      <translation>Plusieurs entités de la zone d'intérêt recevraient le même nom de région ({names}); chaque région doit avoir son propre nom, sinon leurs fichiers s'écraseraient. Les noms sont coupés à {limit} caractères (lettres, chiffres, « - » et « _ »; les autres caractères deviennent « _ ») : des valeurs qui ne diffèrent qu'au-delà de cette longueur, ou que par d'autres caractères, deviennent identiques. Choisissez un champ dont les valeurs sont uniques dans leurs {limit} premiers caractères, ou laissez REGION_NAME_FIELD vide (les noms se terminent alors par l'identifiant de l'entité et un code de sa zone).</translation>
    </message>
    <message>
      <source>Produce SL2P maps locally (LAI, fCOVER, fAPAR, albedo, QC)</source>
      <translation>Produire des cartes SL2P localement (LAI, fCOVER, fAPAR, albédo, QC)</translation>
    </message>
    <message>
      <source>Runs the CCRS SL2P neural networks on a surface-reflectance raster on this computer, without Earth Engine, and writes the chosen products (see Products) and the LEAF QC byte on the input's pixel grid.&lt;br&gt;&lt;br&gt;&lt;b&gt;Input&lt;/b&gt;: a stack of the sensor's bands in network order (see Sensor) or any raster plus BANDS, or a Sentinel-2 L2A product (.SAFE folder, its .zip or MTD_MSIL2A.xml): bands, BOA offset, angles and the scene-classification mask are then read from it; or a Landsat Collection 2 Level-2 scene (folder, .tar or _MTL.txt): bands, reflectance scale and offset, sun angles (view at nadir) and the QA_PIXEL / QA_RADSAT mask are then read from it, and SENSOR must be the scene's satellite.&lt;br&gt;&lt;b&gt;Angles&lt;/b&gt;: sun zenith, view zenith and relative azimuth in degrees, or an angle raster (bands SZA, VZA, RAA).&lt;br&gt;&lt;b&gt;Algorithm&lt;/b&gt;: SL2P, the generic network (default), or SL2P-CCRS, the CCRS land-cover ensemble that CCRS production runs (needs LANDCOVER).&lt;br&gt;&lt;b&gt;Land cover&lt;/b&gt; (optional; NALCMS classes 1–19 on the input grid, 0 or the band's nodata value = no data): selects the SL2P-CCRS network of each pixel; water and no data get no estimate; urban and snow/ice keep the generic estimate with QC bit 2.&lt;br&gt;&lt;b&gt;Flagged pixels&lt;/b&gt;: snow, water, urban, saturated sensor, reflectance out of range keep their estimate and carry QC bit 2, as in CCRS production; MASK_FLAGGED blanks them too.&lt;br&gt;&lt;b&gt;Reflectance range test&lt;/b&gt; (reflectance below −0.005 or above 1.05 → QC bit 2): CCRS production tests more bands than the networks read (see RANGE_BANDS). Here: the network bands, plus those other bands the input provides: a Sentinel-2 product at 20 m adds B2 (its B8 exists only at 10 m), at 10 m none (B5–B7, B8A, B11, B12 exist only at 20 m); a Landsat scene adds SR_B1 (and SR_B2 for Landsat 8 and 9); a plain stack adds the bands named in RANGE_BANDS. A band the input lacks is not tested, and the log says which.</source>
      <translation>Exécute les réseaux de neurones SL2P du CCT sur un raster de réflectance de surface, sur cet ordinateur, sans Earth Engine, et écrit les produits choisis (voir Produits) et l'octet QC de LEAF sur la grille de pixels de l'entrée.&lt;br&gt;&lt;br&gt;&lt;b&gt;Entrée&lt;/b&gt; : une pile des bandes du capteur dans l'ordre du réseau (voir Capteur) ou n'importe quel raster avec BANDS, ou un produit Sentinel-2 L2A (dossier .SAFE, son .zip ou MTD_MSIL2A.xml) : les bandes, le décalage BOA, les angles et le masque de classification de scène y sont alors lus; ou une scène Landsat Collection 2 de niveau 2 (dossier, .tar ou _MTL.txt) : les bandes, le facteur d'échelle et le décalage de réflectance, les angles solaires (visée au nadir) et le masque QA_PIXEL / QA_RADSAT y sont alors lus, et SENSOR doit être le satellite de la scène.&lt;br&gt;&lt;b&gt;Angles&lt;/b&gt; : angle zénithal solaire, angle zénithal de visée et angle azimutal relatif en degrés, ou un raster d'angles (bandes SZA, VZA, RAA).&lt;br&gt;&lt;b&gt;Algorithme&lt;/b&gt; : SL2P, le réseau générique (par défaut), ou SL2P-CCRS, l'ensemble par couverture terrestre du CCT qu'exécute la production du CCT (exige LANDCOVER).&lt;br&gt;&lt;b&gt;Couverture terrestre&lt;/b&gt; (facultatif; classes NALCMS 1–19 sur la grille de l'entrée, 0 ou la valeur sans données de la bande = aucune donnée) : sélectionne le réseau SL2P-CCRS de chaque pixel; l'eau et l'absence de données n'ont pas d'estimation; les zones urbaines et la neige/glace gardent l'estimation générique avec le bit QC 2.&lt;br&gt;&lt;b&gt;Pixels signalés&lt;/b&gt; : neige, eau, zones urbaines, capteur saturé, réflectance hors plage gardent leur estimation et portent le bit QC 2, comme dans la production du CCT; MASK_FLAGGED les masque aussi.&lt;br&gt;&lt;b&gt;Test de plage de réflectance&lt;/b&gt; (réflectance inférieure à −0,005 ou supérieure à 1,05 → bit QC 2) : la production du CCT teste plus de bandes que les réseaux n'en lisent (voir RANGE_BANDS). Ici : les bandes de réseau, plus celles de ces autres bandes que fournit l'entrée : un produit Sentinel-2 à 20 m ajoute B2 (sa bande B8 n'existe qu'à 10 m), à 10 m aucune (B5–B7, B8A, B11, B12 n'existent qu'à 20 m); une scène Landsat ajoute SR_B1 (et SR_B2 pour Landsat 8 et 9); une pile simple ajoute les bandes nommées dans RANGE_BANDS. Une bande absente de l'entrée n'est pas testée, et le journal indique laquelle.</translation>
    </message>
    <message>
      <source>Surface reflectance raster, Sentinel-2 L2A product (.SAFE, .zip) or Landsat C2 L2 scene (folder, .tar, _MTL.txt)</source>
      <translation>Raster de réflectance de surface, produit Sentinel-2 L2A (.SAFE, .zip) ou scène Landsat C2 L2 (dossier, .tar, _MTL.txt)</translation>
    </message>
    <message>
      <source>The band stack each sensor's networks read, in this order:</source>
      <translation>La pile de bandes que lisent les réseaux de chaque capteur, dans cet ordre :</translation>
    </message>
    <message>
      <source>Band numbers of the network inputs, in network order (empty = bands 1…n)</source>
      <translation>Numéros des bandes d'entrée du réseau, dans l'ordre du réseau (vide = bandes 1…n)</translation>
    </message>
    <message>
      <source>Other bands for the reflectance range test, as NAME=band number (e.g. Sentinel-2 20 m: B2=9,B8=10; empty = the network bands only)</source>
      <translation>Autres bandes pour le test de plage de réflectance, sous la forme NOM=numéro de bande (p. ex. Sentinel-2 20 m : B2=9,B8=10; vide = les bandes de réseau seulement)</translation>
    </message>
    <message>
      <source>The bands CCRS production tests against the reflectance range, per sensor, and those the networks do not read (which RANGE_BANDS may name):</source>
      <translation>Les bandes que la production du CCT soumet au test de plage de réflectance, par capteur, et celles que les réseaux ne lisent pas (celles que RANGE_BANDS peut nommer) :</translation>
    </message>
    <message>
      <source>Reflectance scale (reflectance = DN × scale + offset; empty = sensor default)</source>
      <translation>Facteur d'échelle de la réflectance (réflectance = CN × échelle + décalage; vide = valeur par défaut du capteur)</translation>
    </message>
    <message>
      <source>Reflectance offset (empty = sensor default)</source>
      <translation>Décalage de la réflectance (vide = valeur par défaut du capteur)</translation>
    </message>
    <message>
      <source>Angle raster (bands SZA, VZA, RAA in degrees; instead of the three angles)</source>
      <translation>Raster d'angles (bandes SZA, VZA, RAA en degrés; au lieu des trois angles)</translation>
    </message>
    <message>
      <source>Algorithm</source>
      <translation>Algorithme</translation>
    </message>
    <message>
      <source>Land cover (NALCMS classes, same grid; needed by SL2P-CCRS)</source>
      <translation>Couverture terrestre (classes NALCMS, même grille; exigée par SL2P-CCRS)</translation>
    </message>
    <message>
      <source>Invalid-pixel mask (non-zero = cloud, shadow, snow…; same grid)</source>
      <translation>Masque des pixels invalides (non nul = nuage, ombre, neige…; même grille)</translation>
    </message>
    <message>
      <source>Also write the uncertainty of each product (SL2P error networks)</source>
      <translation>Écrire aussi l'incertitude de chaque produit (réseaux d'erreur SL2P)</translation>
    </message>
    <message>
      <source>Blank flagged pixels too (QC bit 2: snow, water, urban, saturated sensor, out-of-range reflectance)</source>
      <translation>Masquer aussi les pixels signalés (bit QC 2 : neige, eau, zones urbaines, capteur saturé, réflectance hors plage)</translation>
    </message>
    <message>
      <source>Encoding</source>
      <translation>Encodage</translation>
    </message>
    <message>
      <source>LEAF: the products' uint8 encodings (see Products), 255 = no data; the files carry the scale so QGIS shows physical values. FLOAT32: physical values, NaN = no data.</source>
      <translation>LEAF : les encodages uint8 des produits (voir Produits), 255 = aucune donnée; les fichiers portent le facteur d'échelle, de sorte que QGIS affiche les valeurs physiques. FLOAT32 : valeurs physiques, NaN = aucune donnée.</translation>
    </message>
    <message>
      <source>{product} uncertainty</source>
      <translation>Incertitude de {product}</translation>
    </message>
    <message>
      <source>{name}: '{value}' is not a raster QGIS can open.</source>
      <translation>{name} : « {value} » n'est pas un raster que QGIS peut ouvrir.</translation>
    </message>
    <message>
      <source>BANDS '{text}' is not a comma-separated list of band numbers (e.g. 3,4,5,6,7).</source>
      <translation>BANDS « {text} » n'est pas une liste de numéros de bandes séparés par des virgules (p. ex. 3,4,5,6,7).</translation>
    </message>
    <message>
      <source>RANGE_BANDS '{text}' is not a comma-separated list of NAME=band number pairs, each name once (e.g. Sentinel-2 20 m: B2=9,B8=10).</source>
      <translation>RANGE_BANDS « {text} » n'est pas une liste de paires NOM=numéro de bande séparées par des virgules, chaque nom une seule fois (p. ex. Sentinel-2 20 m : B2=9,B8=10).</translation>
    </message>
    <message>
      <source>INPUT: choose a surface-reflectance raster.</source>
      <translation>INPUT : choisissez un raster de réflectance de surface.</translation>
    </message>
    <message>
      <source>{names}: not used, the product itself gives the bands, reflectance scaling and angles.</source>
      <translation>{names} : non utilisé(s), le produit fournit lui-même les bandes, la mise à l'échelle de la réflectance et les angles.</translation>
    </message>
    <message>
      <source>LEAF (CCRS SL2P)</source>
      <translation>LEAF (SL2P du CCT)</translation>
    </message>
    <message>
      <source>LEAF: Landscape Evolution And Forecasting — SL2P LAI, fCOVER, fAPAR and albedo</source>
      <translation>LEAF : Landscape Evolution And Forecasting — LAI, fCOVER, fAPAR et albédo SL2P</translation>
    </message>
    <message>
      <source>SL2P networks folder (empty: bundled, cache, or download)</source>
      <translation>Dossier des réseaux SL2P (vide : réseaux fournis, cache ou téléchargement)</translation>
    </message>
    <message>
      <source>Earth Engine Cloud project id</source>
      <translation>ID du projet Earth Engine (Google Cloud)</translation>
    </message>
    <message>
      <source>Earth Engine service-account key file (optional)</source>
      <translation>Fichier de clé de compte de service Earth Engine (facultatif)</translation>
    </message>
    <message>
      <source>&lt;b&gt;{key}&lt;/b&gt;: {name}{unit}; valid range {valid} (QC bit 1 outside); LEAF encoding DN = value {scale} (a step of {step}), 255 = no data</source>
      <translation>&lt;b&gt;{key}&lt;/b&gt; : {name}{unit}; plage valide {valid} (bit QC 1 en dehors); encodage LEAF CN = valeur {scale} (un pas de {step}), 255 = aucune donnée</translation>
    </message>
    <message>
      <source>; SNAP calls it {name}</source>
      <translation>; SNAP la nomme {name}</translation>
    </message>
    <message>
      <source>; made only when asked for</source>
      <translation>; produite seulement sur demande</translation>
    </message>
    <message>
      <source>Uncertainty maps (_Error) have their product's encoding. FLOAT32 writes physical values, NaN = no data.</source>
      <translation>Les cartes d'incertitude (_Error) ont l'encodage de leur produit. FLOAT32 écrit les valeurs physiques, NaN = aucune donnée.</translation>
    </message>
    <message>
      <source>&lt;b&gt;{token}&lt;/b&gt;: {name}, {dtype}, {nodata} = no data: {meaning}</source>
      <translation>&lt;b&gt;{token}&lt;/b&gt; : {name}, {dtype}, {nodata} = aucune donnée : {meaning}</translation>
    </message>
    <message>
      <source>bit {bit} ({value}): {meaning}</source>
      <translation>bit {bit} ({value}) : {meaning}</translation>
    </message>
    <message>
      <source>bits 3–7: the sensor code ({codes}); 0 = outside the processed area</source>
      <translation>bits 3–7 : le code du capteur ({codes}); 0 = hors de la zone traitée</translation>
    </message>
    <message>
      <source>Bits 0 and 1 are set only where bit 2 is clear.</source>
      <translation>Les bits 0 et 1 ne sont activés que là où le bit 2 ne l'est pas.</translation>
    </message>
    <message>
      <source>&lt;b&gt;{key}&lt;/b&gt; {name} ({resolution} m): {bands}</source>
      <translation>&lt;b&gt;{key}&lt;/b&gt; {name} ({resolution} m) : {bands}</translation>
    </message>
    <message>
      <source>&lt;b&gt;{key}&lt;/b&gt;: {bands}; beyond the network bands: {extra}</source>
      <translation>&lt;b&gt;{key}&lt;/b&gt; : {bands}; en plus des bandes de réseau : {extra}</translation>
    </message>
    <message>
      <source>Cancelled: nothing was written.</source>
      <translation>Annulé : rien n'a été écrit.</translation>
    </message>
    <message>
      <source>Production</source>
      <translation>Production</translation>
    </message>
    <message>
      <source>Results</source>
      <translation>Résultats</translation>
    </message>
    <message>
      <source>Earth Engine</source>
      <translation>Earth Engine</translation>
    </message>
    <message>
      <source>{label} is required: give a value.</source>
      <translation>{label} est obligatoire : indiquez une valeur.</translation>
    </message>
    <message>
      <source>{label}: {bad} is not a choice. Choose one or more of: {choices} (or their numbers {numbers}).</source>
      <translation>{label} : {bad} n'est pas un choix possible. Choisissez un ou plusieurs de : {choices} (ou leurs numéros {numbers}).</translation>
    </message>
    <message>
      <source>{label}: {bad} is not a choice. Choose one of: {choices} (or its number {numbers}).</source>
      <translation>{label} : {bad} n'est pas un choix possible. Choisissez parmi : {choices} (ou son numéro {numbers}).</translation>
    </message>
    <message>
      <source>a whole number</source>
      <translation>un nombre entier</translation>
    </message>
    <message>
      <source>a number</source>
      <translation>un nombre</translation>
    </message>
    <message>
      <source>{kind} from {low:g} to {high:g}</source>
      <translation>{kind} de {low:g} à {high:g}</translation>
    </message>
    <message>
      <source>{kind} of at least {low:g}</source>
      <translation>{kind} d'au moins {low:g}</translation>
    </message>
    <message>
      <source>{kind} of at most {high:g}</source>
      <translation>{kind} d'au plus {high:g}</translation>
    </message>
    <message>
      <source>{label} must be {rule}; got {value}.</source>
      <translation>{label} doit être {rule}; reçu : {value}.</translation>
    </message>
    <message>
      <source>{label}: {value} is not a date. Write an existing calendar date as YYYY-MM-DD, e.g. 2024-06-01.</source>
      <translation>{label} : {value} n'est pas une date. Écrivez une date existante sous la forme AAAA-MM-JJ, p. ex. 2024-06-01.</translation>
    </message>
    <message>
      <source>{label} must be true or false; got {value}.</source>
      <translation>{label} doit valoir vrai ou faux; reçu : {value}.</translation>
    </message>
    <message>
      <source>{label}: {reason}</source>
      <translation>{label} : {reason}</translation>
    </message>
    <message>
      <source>{label}: '{path}' does not exist. Check the path.</source>
      <translation>{label} : « {path} » n'existe pas. Vérifiez le chemin.</translation>
    </message>
    <message>
      <source>{label}: '{path}' is not a .{extension} file. Choose a .{extension} file.</source>
      <translation>{label} : « {path} » n'est pas un fichier .{extension}. Choisissez un fichier .{extension}.</translation>
    </message>
    <message>
      <source>{label}: '{path}' is not a folder.</source>
      <translation>{label} : « {path} » n'est pas un dossier.</translation>
    </message>
    <message>
      <source>{label}: '{path}' is not a file.</source>
      <translation>{label} : « {path} » n'est pas un fichier.</translation>
    </message>
    <message>
      <source>{label}: {value} is not an extent. Write xmin,xmax,ymin,ymax [CRS], e.g. -76.0,-75.5,45.2,45.5 [EPSG:4326], or choose a layer.</source>
      <translation>{label} : {value} n'est pas une emprise. Écrivez xmin,xmax,ymin,ymax [SCR], p. ex. -76.0,-75.5,45.2,45.5 [EPSG:4326], ou choisissez une couche.</translation>
    </message>
    <message>
      <source>{label}: the value {value} cannot be used here.</source>
      <translation>{label} : la valeur {value} ne peut pas être utilisée ici.</translation>
    </message>
    <message>
      <source>Finished before the cancellation and kept: {files}.</source>
      <translation>Fichiers terminés avant l'annulation et conservés : {files}.</translation>
    </message>
    <message>
      <source>'{path}' does not exist. Check the path.</source>
      <translation>« {path} » n'existe pas. Vérifiez le chemin.</translation>
    </message>
    <message>
      <source>'{path}' is a folder, not a raster file.</source>
      <translation>« {path} » est un dossier, pas un fichier raster.</translation>
    </message>
    <message>
      <source>'{path}' is empty (0 bytes): not a raster GDAL can read. It may be an interrupted copy or download; copy or produce it again.</source>
      <translation>« {path} » est vide (0 octet) : ce n'est pas un raster que GDAL peut lire. C'est peut-être une copie ou un téléchargement interrompu; copiez-le ou produisez-le de nouveau.</translation>
    </message>
    <message>
      <source>'{path}' ({size} bytes) is not a raster GDAL can read ({reason}). Choose a GeoTIFF or another raster format.</source>
      <translation>« {path} » ({size} octets) n'est pas un raster que GDAL peut lire ({reason}). Choisissez un GeoTIFF ou un autre format raster.</translation>
    </message>
    <message>
      <source>unknown format</source>
      <translation>format inconnu</translation>
    </message>
    <message>
      <source>'{path}' has no raster band. Choose a raster with bands.</source>
      <translation>« {path} » n'a aucune bande raster. Choisissez un raster qui a des bandes.</translation>
    </message>
    <message>
      <source>'{path}' cannot be opened as a raster layer.</source>
      <translation>« {path} » ne peut pas être ouvert comme couche raster.</translation>
    </message>
    <message>
      <source>'{path}' is empty (0 bytes): not a vector layer OGR can read. Copy or save it again.</source>
      <translation>« {path} » est vide (0 octet) : ce n'est pas une couche vectorielle qu'OGR peut lire. Copiez-la ou enregistrez-la de nouveau.</translation>
    </message>
    <message>
      <source>'{path}' is not a vector layer OGR can read ({reason}). Choose a polygon layer (GeoPackage, shapefile, GeoJSON …).</source>
      <translation>« {path} » n'est pas une couche vectorielle qu'OGR peut lire ({reason}). Choisissez une couche de polygones (GeoPackage, shapefile, GeoJSON…).</translation>
    </message>
    <message>
      <source>'{path}' is not a polygon layer (or it holds several layers: choose one). Choose a polygon layer.</source>
      <translation>« {path} » n'est pas une couche de polygones (ou elle contient plusieurs couches : choisissez-en une). Choisissez une couche de polygones.</translation>
    </message>
    <message>
      <source>Cancelled after listing: the task table {table} lists the {total} tasks selected; nothing was changed on Earth Engine.</source>
      <translation>Annulé après la liste : le tableau des tâches {table} énumère les {total} tâches sélectionnées; rien n'a été modifié sur Earth Engine.</translation>
    </message>
    <message>
      <source>Cancelled: {asked} of {total} unfinished tasks were asked to stop; the others go on (task table: {table}). Run 'cancel' again to stop the rest.</source>
      <translation>Annulé : l'arrêt de {asked} des {total} tâches non terminées a été demandé; les autres se poursuivent (tableau des tâches : {table}). Relancez « cancel » pour arrêter les autres.</translation>
    </message>
    <message>
      <source>Cancelled: the waiting stopped, the Earth Engine tasks go on (task table: {table}). Run 'wait' again to follow them.</source>
      <translation>Annulé : l'attente s'est arrêtée, les tâches Earth Engine se poursuivent (tableau des tâches : {table}). Relancez « wait » pour les suivre.</translation>
    </message>
    <message>
      <source>Cancelled: {downloaded} files were downloaded in full and stay in {folder}; an interrupted file resumes on the next run. The Earth Engine tasks are not affected (task table: {table}).</source>
      <translation>Annulé : {downloaded} fichiers ont été téléchargés en entier et restent dans {folder}; un fichier interrompu reprend à l'exécution suivante. Les tâches Earth Engine ne sont pas touchées (tableau des tâches : {table}).</translation>
    </message>
    <message>
      <source>Cancelled: nothing was changed on Earth Engine, no task table was written.</source>
      <translation>Annulé : rien n'a été modifié sur Earth Engine, aucun tableau des tâches n'a été écrit.</translation>
    </message>
    <message>
      <source>Earth Engine tasks (list, cancel, wait, download)</source>
      <translation>Tâches Earth Engine (lister, annuler, attendre, télécharger)</translation>
    </message>
    <message>
      <source>earth engine,gee,tasks,export,download,cancel,wait,cloud storage</source>
      <translation>earth engine,gee,tâches,exportation,téléchargement,annuler,attendre,cloud storage,tasks,export,download,cancel,wait</translation>
    </message>
    <message>
      <source>&lt;p&gt;Follows the export tasks this plugin submitted to an Earth Engine project (PROJECT, or the plugin setting): tasks whose description is a LEAF output name (e.g. tile55_2020_Jul_LAI_20m). The project's other tasks are left alone unless INCLUDE FOREIGN TASKS is checked.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Filter&lt;/b&gt;: tasks whose description starts with FILTER (e.g. tile55_2020), in the chosen STATES, created at most MAX_AGE_HOURS ago (0: any age). When a task was run several times, its latest run counts.&lt;/p&gt;&lt;p&gt;&lt;b&gt;list&lt;/b&gt;: writes the TASK TABLE (CSV or JSON: id, description, state, destination, error). FAILED tasks are reported with their description and the server's error message.&lt;/p&gt;&lt;p&gt;&lt;b&gt;cancel&lt;/b&gt;: lists in the log, then asks Earth Engine to stop, the selected tasks that are not finished.&lt;/p&gt;&lt;p&gt;&lt;b&gt;wait&lt;/b&gt;: polls every POLL_SECONDS until every selected task is COMPLETED, FAILED or CANCELLED; cancelling stops the waiting, not the tasks.&lt;/p&gt;&lt;p&gt;&lt;b&gt;download&lt;/b&gt;: copies the files of COMPLETED Cloud Storage exports into FOLDER (keeping their folders). Interrupted downloads resume; every file is checked against the checksum Cloud Storage gives before it appears under its final name; files already complete are not downloaded again. Objects whose name would land outside FOLDER (.., absolute paths, odd characters) are skipped; a damaged or unreachable object does not stop the others; both are listed at the end and the run fails.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Suit les tâches d'exportation que cette extension a soumises à un projet Earth Engine (PROJECT, ou le paramètre de l'extension) : les tâches dont la description est un nom de sortie LEAF (p. ex. tile55_2020_Jul_LAI_20m). Les autres tâches du projet ne sont pas touchées, sauf si INCLUDE FOREIGN TASKS est coché.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Filtre&lt;/b&gt; : les tâches dont la description commence par FILTER (p. ex. tile55_2020), dans les états choisis (STATES), créées il y a au plus MAX_AGE_HOURS heures (0 : n'importe quel âge). Lorsqu'une tâche a été exécutée plusieurs fois, c'est sa dernière exécution qui compte.&lt;/p&gt;&lt;p&gt;&lt;b&gt;list&lt;/b&gt; : écrit le TASK TABLE (tableau des tâches, CSV ou JSON : identifiant, description, état, destination, erreur). Les tâches FAILED sont signalées avec leur description et le message d'erreur du serveur.&lt;/p&gt;&lt;p&gt;&lt;b&gt;cancel&lt;/b&gt; : liste dans le journal, puis demande à Earth Engine d'arrêter, les tâches sélectionnées qui ne sont pas terminées.&lt;/p&gt;&lt;p&gt;&lt;b&gt;wait&lt;/b&gt; : interroge toutes les POLL_SECONDS secondes jusqu'à ce que chaque tâche sélectionnée soit COMPLETED, FAILED ou CANCELLED; l'annulation arrête l'attente, pas les tâches.&lt;/p&gt;&lt;p&gt;&lt;b&gt;download&lt;/b&gt; : copie les fichiers des exportations Cloud Storage COMPLETED dans FOLDER (en conservant leurs dossiers). Les téléchargements interrompus reprennent; chaque fichier est vérifié avec la somme de contrôle que fournit Cloud Storage avant d'apparaître sous son nom définitif; les fichiers déjà complets ne sont pas téléchargés de nouveau. Les objets dont le nom aboutirait hors de FOLDER (.., chemins absolus, caractères inhabituels) sont ignorés; un objet endommagé ou inaccessible n'arrête pas les autres; les deux sont listés à la fin et l'exécution échoue.&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>Action</translation>
    </message>
    <message>
      <source>Description starts with</source>
      <translation>La description commence par</translation>
    </message>
    <message>
      <source>States (none: all)</source>
      <translation>États (aucun : tous)</translation>
    </message>
    <message>
      <source>Created at most this many hours ago (0: any age)</source>
      <translation>Créées il y a au plus ce nombre d'heures (0 : n'importe quel âge)</translation>
    </message>
    <message>
      <source>Include tasks this plugin did not create (all of the Cloud project's tasks)</source>
      <translation>Inclure les tâches que cette extension n'a pas créées (toutes les tâches du projet Cloud)</translation>
    </message>
    <message>
      <source>Earth Engine Cloud project id (default: plugin setting)</source>
      <translation>ID du projet Earth Engine (Google Cloud) (par défaut : paramètre de l'extension)</translation>
    </message>
    <message>
      <source>Seconds between checks (wait)</source>
      <translation>Secondes entre les vérifications (wait)</translation>
    </message>
    <message>
      <source>Download folder (download)</source>
      <translation>Dossier de téléchargement (download)</translation>
    </message>
    <message>
      <source>Task table</source>
      <translation>Tableau des tâches</translation>
    </message>
    <message>
      <source>CSV files (*.csv);;JSON files (*.json)</source>
      <translation>Fichiers CSV (*.csv);;Fichiers JSON (*.json)</translation>
    </message>
    <message>
      <source>Tasks selected</source>
      <translation>Tâches sélectionnées</translation>
    </message>
    <message>
      <source>Tasks completed</source>
      <translation>Tâches terminées</translation>
    </message>
    <message>
      <source>Tasks failed</source>
      <translation>Tâches échouées</translation>
    </message>
    <message>
      <source>Tasks ready or running</source>
      <translation>Tâches prêtes ou en cours</translation>
    </message>
    <message>
      <source>Tasks cancelled</source>
      <translation>Tâches annulées</translation>
    </message>
    <message>
      <source>Files downloaded</source>
      <translation>Fichiers téléchargés</translation>
    </message>
    <message>
      <source>Download folder</source>
      <translation>Dossier de téléchargement</translation>
    </message>
    <message>
      <source>Choose the download FOLDER.</source>
      <translation>Choisissez le dossier de téléchargement (FOLDER).</translation>
    </message>
    <message>
      <source>Task {description} FAILED: {message}</source>
      <translation>La tâche {description} est FAILED : {message}</translation>
    </message>
    <message>
      <source>{count} files were not downloaded (the {downloaded} others are in {folder}):
{problems}</source>
      <translation>{count} fichiers n'ont pas été téléchargés (les {downloaded} autres sont dans {folder}) :
{problems}</translation>
    </message>
    <message>
      <source>{count} tasks selected in project {project}, including tasks this plugin did not create.</source>
      <translation>{count} tâches sélectionnées dans le projet {project}, y compris des tâches que cette extension n'a pas créées.</translation>
    </message>
    <message>
      <source>{count} tasks of this plugin selected in project {project} (other tasks of the project are left alone).</source>
      <translation>{count} tâches de cette extension sélectionnées dans le projet {project} (les autres tâches du projet ne sont pas touchées).</translation>
    </message>
    <message>
      <source>Cancelling {count} unfinished tasks:</source>
      <translation>Annulation de {count} tâches non terminées :</translation>
    </message>
    <message>
      <source>  to cancel: {description} ({state}, task {task})</source>
      <translation>  à annuler : {description} ({state}, tâche {task})</translation>
    </message>
    <message>
      <source>Asked Earth Engine to cancel {count} tasks.</source>
      <translation>Demande d'annulation de {count} tâches envoyée à Earth Engine.</translation>
    </message>
    <message>
      <source>{description}: {path} ({outcome})</source>
      <translation>{description} : {path} ({outcome})</translation>
    </message>
    <message>
      <source>{count} completed tasks are not Cloud Storage exports (Drive or asset): nothing to download for them ({names}).</source>
      <translation>{count} tâches terminées ne sont pas des exportations Cloud Storage (Drive ou asset) : rien à télécharger pour elles ({names}).</translation>
    </message>
    <message>
      <source>{downloaded} files downloaded, {present} already complete ({mb:.1f} MB) in {folder}.</source>
      <translation>{downloaded} fichiers téléchargés, {present} déjà complets ({mb:.1f} Mo) dans {folder}.</translation>
    </message>
    <message>
      <source>Cancelled: no site table, CSV or chart was written.</source>
      <translation>Annulé : ni table des sites, ni CSV, ni graphique n'a été écrit.</translation>
    </message>
    <message>
      <source>sites,plots,time series,validation,field,lai,fcover,fapar,sl2p,earth engine,csv,chart</source>
      <translation>sites,placettes,séries temporelles,validation,terrain,lai,fcover,fapar,sl2p,earth engine,csv,graphique</translation>
    </message>
    <message>
      <source>&lt;p&gt;For every site of a point or polygon layer, every acquisition (not a composite) in a date window: the SL2P estimates, their uncertainty and the QC byte, with the same masks, angles, networks and pixel rules as the LEAF maps. One row per site × acquisition × pixel (PIXELS) or per site × acquisition with the mean, median, standard deviation and count of the site's good pixels (STATS).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sites&lt;/b&gt;: any CRS; 'selected features only' is honoured; ID field (unique). Points take the pixel under them, or every pixel within BUFFER metres; polygons every pixel whose centre is inside.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Dates&lt;/b&gt;: a DATE field (e.g. the field-measurement date) with WINDOW_DAYS before and after, or DATE and END fields (each widened by WINDOW_DAYS), or else the same START and END (inclusive) or YEAR and MONTHS for every site.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Engine&lt;/b&gt;: Earth Engine (Sentinel-2 or Landsat surface reflectance; requests of up to 5 000 estimated rows are fetched directly, larger ones become a CSV table export to Drive or Cloud Storage followed with 'Earth Engine tasks'; DRY_RUN writes the PLAN only), or local rasters: LEAF outputs of either engine (dates from the Date map or the names) or Sentinel-2 L2A products (MTD_MSIL2A.xml, .SAFE, .zip) and Landsat Collection 2 Level-2 scenes (*_MTL.txt, folder, .tar) run through the local engine around each site.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: a GeoPackage layer (pixel centres or site centroids, WGS84) with site_id, date, sensor, scene_id, algorithm, network_slot, the values and the QC decoded into qc_domain (bit 0), qc_range (bit 1), qc_invalid (bit 2) and qc_sensor; the same as CSV; and a chart of each product per site (points coloured by QC, error bars = uncertainty). A site with no clear observation keeps a row with the reason in 'note' and is listed in the log.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Pour chaque site d'une couche de points ou de polygones, chaque acquisition (et non un composite) d'une fenêtre de dates : les estimations SL2P, leur incertitude et l'octet QC, avec les mêmes masques, angles, réseaux et règles de pixels que les cartes LEAF. Une ligne par site × acquisition × pixel (PIXELS) ou par site × acquisition avec la moyenne, la médiane, l'écart type et le nombre des bons pixels du site (STATS).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sites&lt;/b&gt; : n'importe quel SCR ; « entités sélectionnées uniquement » est respecté ; champ ID (unique). Les points prennent le pixel sous eux, ou chaque pixel à moins de BUFFER mètres ; les polygones chaque pixel dont le centre est à l'intérieur.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Dates&lt;/b&gt; : un champ DATE (par ex. la date de mesure sur le terrain) avec WINDOW_DAYS jours avant et après, ou des champs DATE et END (chacun élargi de WINDOW_DAYS), ou sinon les mêmes START et END (inclus) ou YEAR et MONTHS pour tous les sites.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Moteur&lt;/b&gt; : Earth Engine (réflectance de surface Sentinel-2 ou Landsat ; les demandes d'au plus 5 000 lignes estimées sont récupérées directement, les plus grandes deviennent un export de table CSV vers Drive ou Cloud Storage suivi avec « Tâches Earth Engine » ; DRY_RUN n'écrit que le PLAN), ou rasters locaux : sorties LEAF de l'un ou l'autre moteur (dates tirées de la carte Date ou des noms) ou produits Sentinel-2 L2A (MTD_MSIL2A.xml, .SAFE, .zip) et scènes Landsat Collection 2 niveau 2 (*_MTL.txt, dossier, .tar) passés par le moteur local autour de chaque site.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sorties&lt;/b&gt; : une couche GeoPackage (centres des pixels ou centroïdes des sites, WGS84) avec site_id, date, sensor, scene_id, algorithm, network_slot, les valeurs et le QC décodé en qc_domain (bit 0), qc_range (bit 1), qc_invalid (bit 2) et qc_sensor ; la même en CSV ; et un graphique de chaque produit par site (points colorés selon le QC, barres d'erreur = incertitude). Un site sans observation claire garde une ligne avec la raison dans « note » et est listé dans le journal.&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Sites (points or polygons)</source>
      <translation>Sites (points ou polygones)</translation>
    </message>
    <message>
      <source>Date field (e.g. field measurement date; optional)</source>
      <translation>Champ de date (par ex. date de mesure sur le terrain ; facultatif)</translation>
    </message>
    <message>
      <source>End date field (with the date field as start; optional)</source>
      <translation>Champ de date de fin (le champ de date sert de début ; facultatif)</translation>
    </message>
    <message>
      <source>Days before and after each site's date</source>
      <translation>Jours avant et après la date de chaque site</translation>
    </message>
    <message>
      <source>Year (no date field)</source>
      <translation>Année (sans champ de date)</translation>
    </message>
    <message>
      <source>Months (no date field)</source>
      <translation>Mois (sans champ de date)</translation>
    </message>
    <message>
      <source>Or: start date (inclusive)</source>
      <translation>Ou : date de début (incluse)</translation>
    </message>
    <message>
      <source>End date (inclusive)</source>
      <translation>Date de fin (incluse)</translation>
    </message>
    <message>
      <source>Buffer around points (m; 0 = the pixel under the point)</source>
      <translation>Tampon autour des points (m ; 0 = le pixel sous le point)</translation>
    </message>
    <message>
      <source>Uncertainty of each estimate</source>
      <translation>Incertitude de chaque estimation</translation>
    </message>
    <message>
      <source>Sampling</source>
      <translation>Échantillonnage</translation>
    </message>
    <message>
      <source>Maximum scene cloud cover (%; -1 = CCRS production default)</source>
      <translation>Couverture nuageuse maximale des scènes (% ; -1 = valeur par défaut de la production du CCRS)</translation>
    </message>
    <message>
      <source>Resolution (m; Earth Engine)</source>
      <translation>Résolution (m ; Earth Engine)</translation>
    </message>
    <message>
      <source>Also blank flagged pixels (snow, urban, saturation, range tests)</source>
      <translation>Masquer aussi les pixels signalés (neige, urbain, saturation, tests de plage)</translation>
    </message>
    <message>
      <source>Engine</source>
      <translation>Moteur</translation>
    </message>
    <message>
      <source>Local rasters: LEAF outputs, or Sentinel-2 / Landsat scenes (local engine)</source>
      <translation>Rasters locaux : sorties LEAF, ou scènes Sentinel-2 / Landsat (moteur local)</translation>
    </message>
    <message>
      <source>NALCMS land cover (local scenes with SL2P-CCRS)</source>
      <translation>Couverture du sol NALCMS (scènes locales avec SL2P-CCRS)</translation>
    </message>
    <message>
      <source>Earth Engine destination (auto: direct up to 5 000 rows, else Drive)</source>
      <translation>Destination Earth Engine (auto : directe jusqu'à 5 000 lignes, sinon Drive)</translation>
    </message>
    <message>
      <source>Drive folder or Cloud Storage prefix</source>
      <translation>Dossier Drive ou préfixe Cloud Storage</translation>
    </message>
    <message>
      <source>Cloud Storage bucket</source>
      <translation>Bucket Cloud Storage</translation>
    </message>
    <message>
      <source>Dry run (Earth Engine): write the plan only, send nothing</source>
      <translation>Essai à blanc (Earth Engine) : écrire seulement le plan, ne rien envoyer</translation>
    </message>
    <message>
      <source>Plan (Earth Engine)</source>
      <translation>Plan (Earth Engine)</translation>
    </message>
    <message>
      <source>JSON files (*.json)</source>
      <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
      <source>Task table (table export; default: next to the plan)</source>
      <translation>Table des tâches (export de table ; par défaut : à côté du plan)</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
      <source>HTML files (*.html);;PNG files (*.png)</source>
      <translation>Fichiers HTML (*.html);;Fichiers PNG (*.png)</translation>
    </message>
    <message>
      <source>Rows</source>
      <translation>Lignes</translation>
    </message>
    <message>
      <source>Sites without a clear observation</source>
      <translation>Sites sans observation claire</translation>
    </message>
    <message>
      <source>Give both a start and an end date, or neither.</source>
      <translation>Indiquez à la fois une date de début et une date de fin, ou aucune des deux.</translation>
    </message>
    <message>
      <source>Choose at least one month, the peak season, or start and end dates.</source>
      <translation>Choisissez au moins un mois, la saison de pointe, ou des dates de début et de fin.</translation>
    </message>
    <message>
      <source>SITES: choose a point or polygon layer.</source>
      <translation>SITES : choisissez une couche de points ou de polygones.</translation>
    </message>
    <message>
      <source>An END date field needs a DATE field too (the start of each site's window).</source>
      <translation>Un champ de date END demande aussi un champ DATE (le début de la fenêtre de chaque site).</translation>
    </message>
    <message>
      <source>{count} sites, {first} to {last}, {sensor}, {algorithm}, {sampling}.</source>
      <translation>{count} sites, du {first} au {last}, {sensor}, {algorithm}, {sampling}.</translation>
    </message>
    <message>
      <source>ENGINE local needs RASTERS: LEAF outputs, or Sentinel-2 L2A products / Landsat Collection 2 scenes.</source>
      <translation>ENGINE local demande RASTERS : des sorties LEAF, ou des produits Sentinel-2 L2A / scènes Landsat Collection 2.</translation>
    </message>
    <message>
      <source>About {rows} rows are expected, more than the {budget} a direct fetch handles. Choose the drive or gcs DESTINATION (a table export), fewer sites, a shorter window or STATS.</source>
      <translation>Environ {rows} lignes sont attendues, plus que les {budget} qu'une récupération directe traite. Choisissez la DESTINATION drive ou gcs (un export de table), moins de sites, une fenêtre plus courte ou STATS.</translation>
    </message>
    <message>
      <source>About {rows} rows expected: {how}.</source>
      <translation>Environ {rows} lignes attendues : {how}.</translation>
    </message>
    <message>
      <source>fetched directly</source>
      <translation>récupérées directement</translation>
    </message>
    <message>
      <source>table export</source>
      <translation>export de table</translation>
    </message>
    <message>
      <source>A dry run writes the PLAN: choose its file.</source>
      <translation>Un essai à blanc écrit le PLAN : choisissez son fichier.</translation>
    </message>
    <message>
      <source>A table export writes its PLAN and task table: choose the PLAN file.</source>
      <translation>Un export de table écrit son PLAN et sa table des tâches : choisissez le fichier du PLAN.</translation>
    </message>
    <message>
      <source>Plan written: {path} ({seconds} s, {trips} server round trips).</source>
      <translation>Plan écrit : {path} ({seconds} s, {trips} allers-retours serveur).</translation>
    </message>
    <message>
      <source>{action}: {description} ({state}, task {task}); follow it with 'Earth Engine tasks'. Task table: {path}.</source>
      <translation>{action} : {description} ({state}, tâche {task}) ; suivez-la avec « Tâches Earth Engine ». Table des tâches : {path}.</translation>
    </message>
    <message>
      <source>{count} features fetched in {pages} pages.</source>
      <translation>{count} entités récupérées en {pages} pages.</translation>
    </message>
    <message>
      <source>The output layer cannot be created.</source>
      <translation>La couche de sortie ne peut pas être créée.</translation>
    </message>
    <message>
      <source>Site {site}: {note}.</source>
      <translation>Site {site} : {note}.</translation>
    </message>
    <message>
      <source>LEAF time series at sites</source>
      <translation>Séries temporelles LEAF sur les sites</translation>
    </message>
    <message>
      <source>{rows} rows; {missing} sites without a clear observation.</source>
      <translation>{rows} lignes ; {missing} sites sans observation claire.</translation>
    </message>
    <message>
      <source>Input out of training domain</source>
      <translation>Entrée hors du domaine d'entraînement</translation>
    </message>
    <message>
      <source>Output out of range</source>
      <translation>Sortie hors plage</translation>
    </message>
    <message>
      <source>Invalid pixel (cloud, shadow, snow, water)</source>
      <translation>Pixel invalide (nuage, ombre, neige, eau)</translation>
    </message>
    <message>
      <source>'{path}' is not a QC raster: it looks like a LEAF {product} map (LEAF_PRODUCT={product}{layer}). Give the QC file of the same run (…_QC_….tif, or the OUTPUT_QC of produce_local).</source>
      <translation>« {path} » n'est pas un raster QC : il ressemble à une carte LEAF {product} (LEAF_PRODUCT={product}{layer}). Donnez le fichier QC de la même exécution (…_QC_….tif, ou la sortie OUTPUT_QC de produce_local).</translation>
    </message>
    <message>
      <source>QC raster '{path}' has {bands} band(s) of type {dtype}; a LEAF QC raster has one band of bytes (Byte/uint8). Choose the *_QC_* file of a LEAF output.</source>
      <translation>Le raster QC « {path} » a {bands} bande(s) de type {dtype}; un raster QC de LEAF a une seule bande d'octets (Byte/uint8). Choisissez le fichier *_QC_* d'une sortie LEAF.</translation>
    </message>
    <message>
      <source>'{path}' is not a LEAF QC raster: {percent:.1f} % of its pixels have sensor codes (bits 3–7) {codes}, which no LEAF sensor uses (LEAF codes: {known}). It is probably a product map (LAI, fCOVER …) or another byte raster; give the QC file of a LEAF output.</source>
      <translation>« {path} » n'est pas un raster QC LEAF : {percent:.1f} % de ses pixels ont les codes de capteur (bits 3–7) {codes}, qu'aucun capteur LEAF n'utilise (codes LEAF : {known}). C'est probablement une carte de produit (LAI, fCOVER…) ou un autre raster d'octets; donnez le fichier QC d'une sortie LEAF.</translation>
    </message>
    <message>
      <source>qc,quality,flag,bit,mask,sensor,leaf</source>
      <translation>qc,qualité,indicateur,bit,masque,capteur,leaf,quality,flag,mask,sensor</translation>
    </message>
    <message>
      <source>&lt;p&gt;Splits a LEAF QC raster (one byte per pixel) into masks you can use in the raster calculator, zonal statistics or a model.&lt;/p&gt;&lt;p&gt;&lt;b&gt;QC byte&lt;/b&gt;: {bits}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: input out of training domain, output out of range and invalid pixel as 0/1 bytes, 255 where the QC has no data; the sensor of each pixel as its code (bits 3–7), 0 where the QC has no data.&lt;/p&gt;&lt;p&gt;A summary (pixel count and percent per flag and per sensor, of the pixels with data) is written to the log and returned as SUMMARY, with the counts as numbers.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Décompose un raster QC de LEAF (un octet par pixel) en masques utilisables dans la calculatrice raster, les statistiques zonales ou un modèle.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Octet QC&lt;/b&gt; : {bits}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sorties&lt;/b&gt; : entrée hors du domaine d'entraînement, sortie hors plage et pixel invalide en octets 0/1, 255 là où le QC n'a pas de données; le capteur de chaque pixel sous forme de code (bits 3–7), 0 là où le QC n'a pas de données.&lt;/p&gt;&lt;p&gt;Un résumé (nombre et pourcentage de pixels par indicateur et par capteur, parmi les pixels qui ont des données) est écrit dans le journal et retourné dans SUMMARY, avec les nombres sous forme de valeurs numériques.&lt;/p&gt;</translation>
    </message>
    <message>
      <source>QC raster</source>
      <translation>Raster QC</translation>
    </message>
    <message>
      <source>Summary</source>
      <translation>Résumé</translation>
    </message>
    <message>
      <source>Pixels with QC data</source>
      <translation>Pixels avec données QC</translation>
    </message>
    <message>
      <source>Pixels without any flag</source>
      <translation>Pixels sans aucun indicateur</translation>
    </message>
    <message>
      <source>QC raster: the layer '{value}' cannot be opened.</source>
      <translation>Raster QC : la couche « {value} » ne peut pas être ouverte.</translation>
    </message>
    <message>
      <source>QC class</source>
      <translation>Classe QC</translation>
    </message>
    <message>
      <source>pixels</source>
      <translation>pixels</translation>
    </message>
    <message>
      <source>percent</source>
      <translation>pourcentage</translation>
    </message>
    <message>
      <source>The plan file '{path}' does not exist.</source>
      <translation>Le fichier de plan « {path} » n'existe pas.</translation>
    </message>
    <message>
      <source>'{path}' is not a plan of leaf:produce_gee ({reason}). Choose the JSON file written by its 'Plan' output.</source>
      <translation>« {path} » n'est pas un plan de leaf:produce_gee ({reason}). Choisissez le fichier JSON écrit par sa sortie « Plan ».</translation>
    </message>
    <message>
      <source>Cancelled: no layer was loaded.</source>
      <translation>Annulé : aucune couche n'a été chargée.</translation>
    </message>
    <message>
      <source>Load LEAF outputs</source>
      <translation>Charger les sorties LEAF</translation>
    </message>
    <message>
      <source>load,open,style,temporal,time,group,lai,fcover,fapar,albedo,qc,leaf</source>
      <translation>charger,ouvrir,style,temporel,temps,groupe,lai,fcover,fapar,albédo,qc,leaf,load,open,temporal,time,group,albedo</translation>
    </message>
    <message>
      <source>&lt;p&gt;Loads LEAF GeoTIFFs (from the local engine or exported by Earth Engine) into the project, styled with the LEAF styles and grouped by tile and period.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Files&lt;/b&gt; and/or &lt;b&gt;Folder&lt;/b&gt;: the GeoTIFFs to load; in a folder every .tif is looked at (with its subfolders when asked).&lt;/p&gt;&lt;p&gt;Files named as LEAF names its outputs (&lt;i&gt;tile55_2024_Jun_LAI_20m.tif&lt;/i&gt;, &lt;i&gt;tile55_2024_QC_20m.tif&lt;/i&gt; for the peak season, &lt;i&gt;tile55_20240601-20240715_fAPAR_20m.tif&lt;/i&gt;) or carrying the LEAF metadata (LEAF_PRODUCT, as the outputs of &lt;i&gt;produce_local&lt;/i&gt; under any name) are loaded; the others are listed in the log and counted, never guessed. A LEAF file that cannot be read (incomplete download…) is skipped with a warning.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Maps recognised&lt;/b&gt;: the products {tokens} (and their _Error uncertainty), each with its fixed colour ramp, and {maps}&lt;/p&gt;&lt;p&gt;Each map gets its period as a fixed time range, so the Temporal Controller animates a season of monthly maps as it is. Each style is also saved as a .qml beside its file when it has none; a .qml already there is never rewritten (inside the project the labels follow the interface language).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Plan&lt;/b&gt; (optional): the JSON plan written by &lt;i&gt;produce_gee&lt;/i&gt;. Only the files it lists are loaded, and the listed files not found (exports still running or not downloaded yet) are reported. Without files or a folder, the plan's own folder is searched.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: the ids of the loaded layers, their number, the number and list of the files not recognised, and of the planned files not found.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Charge des GeoTIFF LEAF (du moteur local ou exportés par Earth Engine) dans le projet, avec les styles LEAF, regroupés par tuile et par période.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fichiers&lt;/b&gt; et/ou &lt;b&gt;Dossier&lt;/b&gt; : les GeoTIFF à charger; dans un dossier, chaque .tif est examiné (avec ses sous-dossiers sur demande).&lt;/p&gt;&lt;p&gt;Les fichiers nommés comme LEAF nomme ses sorties (&lt;i&gt;tile55_2024_Jun_LAI_20m.tif&lt;/i&gt;, &lt;i&gt;tile55_2024_QC_20m.tif&lt;/i&gt; pour la pleine saison de croissance, &lt;i&gt;tile55_20240601-20240715_fAPAR_20m.tif&lt;/i&gt;) ou portant les métadonnées LEAF (LEAF_PRODUCT, comme les sorties de &lt;i&gt;produce_local&lt;/i&gt; sous n'importe quel nom) sont chargés; les autres sont énumérés dans le journal et comptés, jamais devinés. Un fichier LEAF illisible (téléchargement incomplet…) est ignoré avec un avertissement.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Cartes reconnues&lt;/b&gt; : les produits {tokens} (et leur incertitude _Error), chacun avec sa rampe de couleurs fixe, et {maps}&lt;/p&gt;&lt;p&gt;Chaque carte reçoit sa période comme plage temporelle fixe, de sorte que le Contrôleur temporel anime telle quelle une saison de cartes mensuelles. Chaque style est aussi enregistré dans un .qml à côté de son fichier quand celui-ci n'en a pas; un .qml déjà présent n'est jamais réécrit (dans le projet, les étiquettes suivent la langue de l'interface).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Plan&lt;/b&gt; (facultatif) : le plan JSON écrit par &lt;i&gt;produce_gee&lt;/i&gt;. Seuls les fichiers qu'il énumère sont chargés, et les fichiers énumérés introuvables (exportations encore en cours ou pas encore téléchargées) sont signalés. Sans fichiers ni dossier, le dossier du plan lui-même est parcouru.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sorties&lt;/b&gt; : les identifiants des couches chargées, leur nombre, le nombre et la liste des fichiers non reconnus, et ceux des fichiers prévus introuvables.&lt;/p&gt;</translation>
    </message>
    <message>
      <source>LEAF files</source>
      <translation>Fichiers LEAF</translation>
    </message>
    <message>
      <source>Folder of LEAF files</source>
      <translation>Dossier de fichiers LEAF</translation>
    </message>
    <message>
      <source>Include subfolders</source>
      <translation>Inclure les sous-dossiers</translation>
    </message>
    <message>
      <source>Plan of produce_gee (optional)</source>
      <translation>Plan de produce_gee (facultatif)</translation>
    </message>
    <message>
      <source>Loaded layers</source>
      <translation>Couches chargées</translation>
    </message>
    <message>
      <source>Number of layers loaded</source>
      <translation>Nombre de couches chargées</translation>
    </message>
    <message>
      <source>Number of files not recognised</source>
      <translation>Nombre de fichiers non reconnus</translation>
    </message>
    <message>
      <source>Files not recognised</source>
      <translation>Fichiers non reconnus</translation>
    </message>
    <message>
      <source>Number of LEAF files that cannot be read</source>
      <translation>Nombre de fichiers LEAF illisibles</translation>
    </message>
    <message>
      <source>LEAF files that cannot be read</source>
      <translation>Fichiers LEAF illisibles</translation>
    </message>
    <message>
      <source>Number of planned files not found</source>
      <translation>Nombre de fichiers prévus introuvables</translation>
    </message>
    <message>
      <source>Planned files not found</source>
      <translation>Fichiers prévus introuvables</translation>
    </message>
    <message>
      <source>No input: choose LEAF files, a folder of LEAF files, or both.</source>
      <translation>Aucune entrée : choisissez des fichiers LEAF, un dossier de fichiers LEAF, ou les deux.</translation>
    </message>
    <message>
      <source>{count} file(s) do not exist or are not files: {files}. Check the paths (a folder goes in 'Folder of LEAF files').</source>
      <translation>{count} fichier(s) n'existent pas ou ne sont pas des fichiers : {files}. Vérifiez les chemins (un dossier va dans « Dossier de fichiers LEAF »).</translation>
    </message>
    <message>
      <source>The folder '{folder}' does not exist.</source>
      <translation>Le dossier « {folder} » n'existe pas.</translation>
    </message>
    <message>
      <source>Neither a LEAF output name nor LEAF metadata, not loaded: {path}</source>
      <translation>Ni nom de sortie LEAF ni métadonnées LEAF, non chargé : {path}</translation>
    </message>
    <message>
      <source>Not in the plan, not loaded: {path}</source>
      <translation>Absent du plan, non chargé : {path}</translation>
    </message>
    <message>
      <source>Planned but not found: {name}</source>
      <translation>Prévu mais introuvable : {name}</translation>
    </message>
    <message>
      <source>None of the {count} file(s) of the plan '{plan}' was found. Download the exports (or wait for them to finish) and choose the folder that holds them.</source>
      <translation>Aucun des {count} fichier(s) du plan « {plan} » n'a été trouvé. Téléchargez les exportations (ou attendez qu'elles se terminent) et choisissez le dossier qui les contient.</translation>
    </message>
    <message>
      <source>The folder '{folder}' holds no .tif or .tiff file. Choose the folder the LEAF outputs were written or downloaded to, or tick 'Include subfolders'.</source>
      <translation>Le dossier « {folder} » ne contient aucun fichier .tif ou .tiff. Choisissez le dossier où les sorties LEAF ont été écrites ou téléchargées, ou cochez « Inclure les sous-dossiers ».</translation>
    </message>
    <message>
      <source>None of the {count} file(s) is named as a LEAF output or carries LEAF metadata ({where}). LEAF names read REGION_YEAR_Mon_PRODUCT_RESm.tif, e.g. tile55_2024_Jun_LAI_20m.tif.</source>
      <translation>Aucun des {count} fichier(s) ne porte un nom de sortie LEAF ni des métadonnées LEAF ({where}). Les noms LEAF se lisent REGION_YEAR_Mon_PRODUCT_RESm.tif, p. ex. tile55_2024_Jun_LAI_20m.tif.</translation>
    </message>
    <message>
      <source>Skipped, not loaded: {reason} It has a LEAF name but it may be incomplete or damaged: produce or download it again.</source>
      <translation>Ignoré, non chargé : {reason} Il porte un nom LEAF, mais il est peut-être incomplet ou endommagé : produisez-le ou téléchargez-le de nouveau.</translation>
    </message>
    <message>
      <source>{name}: {state}</source>
      <translation>{name} : {state}</translation>
    </message>
    <message>
      <source>styled</source>
      <translation>style appliqué</translation>
    </message>
    <message>
      <source>kept its own style</source>
      <translation>a conservé son propre style</translation>
    </message>
    <message>
      <source>{loaded} layer(s) to load, {unknown} file(s) not recognised.</source>
      <translation>{loaded} couche(s) à charger, {unknown} fichier(s) non reconnu(s).</translation>
    </message>
    <message>
      <source>{count} LEAF file(s) could not be read and were skipped.</source>
      <translation>{count} fichier(s) LEAF n'ont pas pu être lus et ont été ignorés.</translation>
    </message>
    <message>
      <source>{missing} of the {count} planned file(s) not found.</source>
      <translation>{missing} des {count} fichier(s) prévu(s) introuvable(s).</translation>
    </message>
    <message>
      <source>Cancelled: no partial file was left.</source>
      <translation>Annulé : aucun fichier partiel n'a été laissé.</translation>
    </message>
    <message>
      <source>Produce LEAF maps on Earth Engine</source>
      <translation>Produire des cartes LEAF sur Earth Engine</translation>
    </message>
    <message>
      <source>earth engine,gee,lai,fcover,fapar,albedo,sl2p,sentinel-2,landsat,export</source>
      <translation>earth engine,gee,lai,fcover,fapar,albédo,albedo,sl2p,sentinel-2,landsat,exportation,export</translation>
    </message>
    <message>
      <source>&lt;p&gt;Builds the LEAF production workflow on Google Earth Engine for a region, a sensor and one or more periods: cloud-masked best-pixel composites, the CCRS SL2P networks, QC byte and acquisition-date maps, exported as uint8 GeoTIFFs on the CCRS grid.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Region&lt;/b&gt;: CCRS tile names (any level), or an extent, or a polygon layer (one region, or one region per feature with REGION_PER_FEATURE, named by REGION_NAME_FIELD or by the feature id and a code of its area). Custom regions are named REGION_NAME, else after the layer (or 'extent') plus a code of the area, so two areas never write into the same folder.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sensor&lt;/b&gt;: {sensors}.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Period&lt;/b&gt;: YEAR with MONTHS (one composite per calendar month, last day included), or the peak season (15 June – 15 September inclusive), or START and END dates (inclusive) — one of the three; combining them is refused. Defaults (logged when used): YEAR 2020, and June, July and August when no period is chosen. Years after the current one are refused.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Resolution&lt;/b&gt;: empty = the sensor's own (20 m Sentinel-2, 30 m Landsat).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Products&lt;/b&gt;: see Products below; a QC map is always exported with them.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Algorithm&lt;/b&gt;: SL2P-CCRS (default, what CCRS production runs) picks, per pixel, the network of its land-cover class (public NALCMS 2020 land cover, gaps filled from Copernicus 100 m); SL2P runs the generic network everywhere. The algorithm and network set are recorded in the plan.&lt;/p&gt;&lt;p&gt;&lt;b&gt;QC byte&lt;/b&gt;: {qc}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Flagged pixels&lt;/b&gt; keep their estimate, as in CCRS production; only water and no-data land cover and pixels without a clear observation get nodata. Tick 'Blank flagged pixels' to write nodata wherever bit 2 is set.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Maximum scene cloud cover&lt;/b&gt; (advanced): scenes whose provider-reported cloud cover (Sentinel-2 CLOUDY_PIXEL_PERCENTAGE, Landsat CLOUD_COVER) exceeds it never enter a composite. -1 (the default) does what CCRS production does: Sentinel-2 scenes below 85 % cloud where the region's centre lies south of 55° N, below 70 % farther north; every Landsat scene. 0-100: scenes at or below that value (100: every scene).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Files&lt;/b&gt;: &amp;lt;region&amp;gt;_&amp;lt;year&amp;gt;_&amp;lt;Mon&amp;gt;_&amp;lt;PRODUCT&amp;gt;_&amp;lt;resolution&amp;gt;m (e.g. tile55_2020_Jul_LAI_20m), in FOLDER (default &amp;lt;region&amp;gt;_&amp;lt;year&amp;gt;) on Google Drive, in a Cloud Storage BUCKET, or as assets under ASSET_ROOT.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Dry run&lt;/b&gt;: writes the PLAN (every export task with its Earth Engine expression) without contacting Earth Engine; no credentials needed.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Submit&lt;/b&gt; (dry run off): writes the plan, signs in to Earth Engine with the PROJECT (or the plugin setting) and the standard credentials or the service-account key of the settings, then starts each task of the plan (throttled, retried on rate limits and server errors). Tasks already READY, RUNNING or COMPLETED with the same description are skipped, so an interrupted batch resumes where it stopped; FAILED or CANCELLED ones are submitted again. The TASK TABLE (CSV or JSON, default next to the plan) lists every task with its id, state and destination; follow it with 'Earth Engine tasks'.&lt;/p&gt;&lt;p&gt;&lt;b&gt;download&lt;/b&gt; destination (small areas, up to 100 million pixels per map): no export task; each map is fetched directly in pieces below Earth Engine's request size limit and merged into one tiled, compressed GeoTIFF with the LEAF scale and nodata in the DOWNLOAD FOLDER, then loaded.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Construit le flux de production LEAF sur Google Earth Engine pour une région, un capteur et une ou plusieurs périodes : composites du meilleur pixel avec masquage des nuages, réseaux SL2P du CCT, cartes de l'octet QC et de la date d'acquisition, exportés en GeoTIFF uint8 sur la grille du CCT.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Région&lt;/b&gt; : noms de tuiles du CCT (n'importe quel niveau), ou une emprise, ou une couche de polygones (une seule région, ou une région par entité avec REGION_PER_FEATURE, nommée d'après REGION_NAME_FIELD ou d'après l'identifiant de l'entité et un code de sa zone). Les régions personnalisées portent le nom REGION_NAME, sinon celui de la couche (ou « extent ») suivi d'un code de la zone, de sorte que deux zones n'écrivent jamais dans le même dossier.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Capteur&lt;/b&gt; : {sensors}.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Période&lt;/b&gt; : YEAR avec MONTHS (un composite par mois civil, dernier jour inclus), ou la pleine saison de croissance (du 15 juin au 15 septembre inclusivement), ou les dates START et END (incluses) — une seule des trois; les combiner est refusé. Valeurs par défaut (consignées dans le journal quand elles servent) : YEAR 2020, et juin, juillet et août quand aucune période n'est choisie. Les années postérieures à l'année en cours sont refusées.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Résolution&lt;/b&gt; : vide = celle du capteur (20 m Sentinel-2, 30 m Landsat).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Produits&lt;/b&gt; : voir Produits ci-dessous; une carte QC est toujours exportée avec eux.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Algorithme&lt;/b&gt; : SL2P-CCRS (par défaut, ce qu'exécute la production du CCT) choisit, pour chaque pixel, le réseau de sa classe de couverture terrestre (couverture NALCMS 2020 publique, lacunes comblées par Copernicus 100 m); SL2P applique le réseau générique partout. L'algorithme et le jeu de réseaux sont consignés dans le plan.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Octet QC&lt;/b&gt; : {qc}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Pixels signalés&lt;/b&gt; : ils gardent leur estimation, comme dans la production du CCT; seuls l'eau et l'absence de données dans la couverture terrestre et les pixels sans observation claire reçoivent la valeur sans données. Cochez « Masquer les pixels signalés » pour écrire la valeur sans données partout où le bit 2 est activé.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Couverture nuageuse maximale des scènes&lt;/b&gt; (avancé) : les scènes dont la couverture nuageuse déclarée par le fournisseur (Sentinel-2 CLOUDY_PIXEL_PERCENTAGE, Landsat CLOUD_COVER) la dépasse n'entrent dans aucun composite. -1 (par défaut) fait comme la production du CCT : scènes Sentinel-2 sous 85 % de nuages là où le centre de la région est au sud de 55° N, sous 70 % plus au nord; toutes les scènes Landsat. 0-100 : scènes à cette valeur ou en dessous (100 : toutes les scènes).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fichiers&lt;/b&gt; : &amp;lt;region&amp;gt;_&amp;lt;year&amp;gt;_&amp;lt;Mon&amp;gt;_&amp;lt;PRODUCT&amp;gt;_&amp;lt;resolution&amp;gt;m (p. ex. tile55_2020_Jul_LAI_20m), dans FOLDER (par défaut &amp;lt;region&amp;gt;_&amp;lt;year&amp;gt;) sur Google Drive, dans un BUCKET Cloud Storage, ou comme assets sous ASSET_ROOT.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Simulation (aucune soumission)&lt;/b&gt; : écrit le PLAN (chaque tâche d'exportation avec son expression Earth Engine) sans communiquer avec Earth Engine; aucun identifiant n'est nécessaire.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Soumission&lt;/b&gt; (simulation désactivée) : écrit le plan, se connecte à Earth Engine avec le PROJECT (ou le paramètre de l'extension) et les identifiants standards ou la clé de compte de service des paramètres, puis lance chaque tâche du plan (à débit limité, avec nouvelles tentatives en cas de limite de débit ou d'erreur du serveur). Les tâches déjà READY, RUNNING ou COMPLETED ayant la même description sont ignorées, de sorte qu'un lot interrompu reprend là où il s'est arrêté; les tâches FAILED ou CANCELLED sont soumises de nouveau. Le TASK TABLE (tableau des tâches, CSV ou JSON, par défaut à côté du plan) énumère chaque tâche avec son identifiant, son état et sa destination; suivez-les avec « Earth Engine tasks ».&lt;/p&gt;&lt;p&gt;Destination &lt;b&gt;download&lt;/b&gt; (petites zones, jusqu'à 100 millions de pixels par carte) : aucune tâche d'exportation; chaque carte est récupérée directement en morceaux sous la limite de taille des requêtes Earth Engine et fusionnée en un seul GeoTIFF tuilé et compressé, avec le facteur d'échelle et la valeur sans données de LEAF, dans le DOWNLOAD FOLDER, puis chargée.&lt;/p&gt;</translation>
    </message>
    <message>
      <source>{key} ({name}, {first} on)</source>
      <translation>{key} ({name}, depuis {first})</translation>
    </message>
    <message>
      <source>{key} ({name}, {first}–{last})</source>
      <translation>{key} ({name}, {first}–{last})</translation>
    </message>
    <message>
      <source>Year (default {year}; not used with start and end dates)</source>
      <translation>Année (par défaut {year}; inutilisée avec des dates de début et de fin)</translation>
    </message>
    <message>
      <source>Months (none chosen: June, July and August, unless the peak season or dates are chosen)</source>
      <translation>Mois (aucun choisi : juin, juillet et août, sauf si la pleine saison de croissance ou des dates sont choisies)</translation>
    </message>
    <message>
      <source>Peak season instead of months (15 June – 15 September)</source>
      <translation>Pleine saison de croissance au lieu des mois (du 15 juin au 15 septembre)</translation>
    </message>
    <message>
      <source>Blank flagged pixels (QC bit 2) instead of keeping their estimate</source>
      <translation>Masquer les pixels signalés (bit 2 du QC) au lieu de garder leur estimation</translation>
    </message>
    <message>
      <source>Resolution (m; empty: the sensor's own, 20 m for Sentinel-2, 30 m for Landsat)</source>
      <translation>Résolution (m; vide : celle du capteur, 20 m pour Sentinel-2, 30 m pour Landsat)</translation>
    </message>
    <message>
      <source>Weight of closeness to the middle of the period in the best-pixel score (0: spectral score only, as the reference tool)</source>
      <translation>Poids de la proximité du milieu de la période dans le score du meilleur pixel (0 : score spectral seulement, comme l'outil de référence)</translation>
    </message>
    <message>
      <source>Maximum scene cloud cover, % (-1: CCRS production default)</source>
      <translation>Couverture nuageuse maximale des scènes, % (-1 : valeur par défaut de la production du CCT)</translation>
    </message>
    <message>
      <source>Destination</source>
      <translation>Destination</translation>
    </message>
    <message>
      <source>Folder (default &lt;region&gt;_&lt;year&gt;)</source>
      <translation>Dossier (par défaut &lt;region&gt;_&lt;year&gt;)</translation>
    </message>
    <message>
      <source>Asset folder (projects/&lt;project id&gt;/assets/&lt;folder&gt;)</source>
      <translation>Dossier d'assets (projects/&lt;project id&gt;/assets/&lt;folder&gt;)</translation>
    </message>
    <message>
      <source>Dry run: write the plan only, submit nothing</source>
      <translation>Simulation (aucune soumission) : écrire le plan seulement, ne rien soumettre</translation>
    </message>
    <message>
      <source>Task table (when submitting; default: next to the plan)</source>
      <translation>Tableau des tâches (lors de la soumission; par défaut : à côté du plan)</translation>
    </message>
    <message>
      <source>Download folder (download destination)</source>
      <translation>Dossier de téléchargement (destination download)</translation>
    </message>
    <message>
      <source>Downloaded maps</source>
      <translation>Cartes téléchargées</translation>
    </message>
    <message>
      <source>Number of export tasks</source>
      <translation>Nombre de tâches d'exportation</translation>
    </message>
    <message>
      <source>Tasks submitted</source>
      <translation>Tâches soumises</translation>
    </message>
    <message>
      <source>Tasks skipped (already on Earth Engine)</source>
      <translation>Tâches ignorées (déjà sur Earth Engine)</translation>
    </message>
    <message>
      <source>Choose one kind of period: START and END dates, or MONTHS, or PEAK_SEASON — not {given} together. Clear {clear}.</source>
      <translation>Choisissez un seul type de période : les dates START et END, ou MONTHS, ou PEAK_SEASON — pas {given} ensemble. Videz {clear}.</translation>
    </message>
    <message>
      <source>No YEAR given: using {year} (the default).</source>
      <translation>Aucune année YEAR donnée : {year} est utilisée (valeur par défaut).</translation>
    </message>
    <message>
      <source>Choose one kind of period: MONTHS ({months}) or PEAK_SEASON (15 June – 15 September), not both. Clear MONTHS for the peak season, or untick PEAK_SEASON for the months.</source>
      <translation>Choisissez un seul type de période : MONTHS ({months}) ou PEAK_SEASON (du 15 juin au 15 septembre), pas les deux. Videz MONTHS pour la pleine saison de croissance, ou décochez PEAK_SEASON pour les mois.</translation>
    </message>
    <message>
      <source>No period chosen: using June, July and August {year} (the default). Choose MONTHS, PEAK_SEASON or START and END for another period.</source>
      <translation>Aucune période choisie : juin, juillet et août {year} sont utilisés (valeur par défaut). Choisissez MONTHS, PEAK_SEASON ou START et END pour une autre période.</translation>
    </message>
    <message>
      <source>No resolution given: using {res} m, the resolution of {sensor}.</source>
      <translation>Aucune résolution donnée : {res} m est utilisée, la résolution de {sensor}.</translation>
    </message>
    <message>
      <source>Regions: {names}</source>
      <translation>Régions : {names}</translation>
    </message>
    <message>
      <source>Submitted {submitted} tasks, skipped {skipped} already on Earth Engine; task table: {path}.</source>
      <translation>{submitted} tâches soumises, {skipped} ignorées car déjà sur Earth Engine; tableau des tâches : {path}.</translation>
    </message>
    <message>
      <source>Building {count} export tasks offline (nothing is sent to Earth Engine).</source>
      <translation>Construction de {count} tâches d'exportation hors ligne (rien n'est envoyé à Earth Engine).</translation>
    </message>
    <message>
      <source>Plan written: {path} ({count} tasks, {trips} server round trips).</source>
      <translation>Plan écrit : {path} ({count} tâches, {trips} allers-retours avec le serveur).</translation>
    </message>
    <message>
      <source>Connecting to Earth Engine (project {project}).</source>
      <translation>Connexion à Earth Engine (projet {project}).</translation>
    </message>
    <message>
      <source>{action}: {description} ({state}, task {task})</source>
      <translation>{action} : {description} ({state}, tâche {task})</translation>
    </message>
    <message>
      <source>Downloaded {description}: {path}</source>
      <translation>{description} téléchargé : {path}</translation>
    </message>
  </context>
</TS>
