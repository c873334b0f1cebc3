"""French translation: the catalogue covers every string of the code, keeps the placeholders and markup, and the
compiled catalogue turns the plugin French when the QGIS locale is French."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "i18n" / "leaf_qgis_fr.ts"
UPDATER = ROOT / "i18n" / "update_catalogue.py"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
MARKUP = re.compile(r"</?[A-Za-z][^>]*>|&[A-Za-z]+;")


def sources() -> list[str]:
    """Every Python file of the plugin, as ``make ts`` passes them."""
    return sorted(str(p) for p in (ROOT / "leaf_qgis").rglob("*.py") if "__pycache__" not in p.parts)


def messages(ts: Path) -> list[tuple[str, str | None, str | None]]:
    """(source, translation text, translation type) of every message of a catalogue."""
    found = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        found.append((message.findtext("source") or "", None if translation is None else translation.text,
                      None if translation is None else translation.get("type")))
    return found


def untranslated(ts: Path) -> list[str]:
    return [source for source, text, kind in messages(ts) if not (text or "").strip() or kind is not None]


def load_updater():
    spec = importlib.util.spec_from_file_location("update_catalogue", UPDATER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_string_of_the_code_has_a_french_translation(tmp_path):
    """Regenerate the catalogue from the current sources into a copy (as ``make ts`` does): a string added to the
    code without its French fails here, listed."""
    copy = tmp_path / "leaf_qgis_fr.ts"
    shutil.copy(TS, copy)
    subprocess.run([sys.executable, str(UPDATER), str(copy), *sources()], check=True, capture_output=True, text=True)
    total = len(messages(copy))
    assert total > 200
    missing = untranslated(copy)
    assert not missing, (f"{len(missing)} of {total} strings have no French translation; run `make ts` and translate "
                         "them in i18n/leaf_qgis_fr.ts:\n" + "\n".join(missing))


def test_committed_catalogue_has_no_unfinished_entry():
    missing = untranslated(TS)
    assert not missing, "\n".join(missing)


def test_translations_keep_placeholders_and_markup():
    problems = []
    for source, text, _ in messages(TS):
        if not text:
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"placeholders {PLACEHOLDER.findall(source)} → {PLACEHOLDER.findall(text)}: {source}")
        if sorted(MARKUP.findall(source)) != sorted(MARKUP.findall(text)):
            problems.append(f"markup differs: {source[:80]}")
    assert not problems, "\n".join(problems)


def test_extraction_finds_what_pylupdate5_missed(tmp_path):
    """Trailing commas (ruff's layout of long calls), f-strings and ``QCoreApplication.translate``: all extracted,
    adjacent literals joined; other contexts and non-literal arguments ignored."""
    source = tmp_path / "sample.py"
    source.write_text(
        'raise LeafError(\n    QT_TRANSLATE_NOOP(\n        "leaf",\n        "First part, "\n        "second part.",\n'
        '    ),\n)\n'
        'row = f"{self.tr(\'QC class\')}\\t{tr(\'pixels\')}"\n'
        'QCoreApplication.translate("leaf", "Translated {n}")\n'
        'QT_TRANSLATE_NOOP("other", "Other context")\n'
        'tr(label)\n',
        encoding="utf-8")
    assert load_updater().extract([str(source)]) == ["First part, second part.", "QC class", "pixels",
                                                      "Translated {n}"]


@pytest.fixture()
def french(tmp_path, monkeypatch, qgis_app):
    """The plugin's translator installed as the plugin does for a QGIS user whose locale is ``fr_CA``, from a
    catalogue compiled here from the .ts; the previous translator and locale are restored afterwards."""
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QCoreApplication

    from leaf_qgis import i18n

    lrelease = shutil.which("lrelease")
    if lrelease is None:
        pytest.skip("lrelease (qttools5-dev-tools) is not installed")
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(tmp_path / "leaf_qgis_fr.qm")], check=True)
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    settings = QgsSettings()
    previous_locale = settings.value("locale/userLocale", None)
    previous_translator = i18n._translator
    settings.setValue("locale/userLocale", "fr_CA")
    try:
        assert i18n.user_language() == "fr"
        assert i18n.install_translator()
        yield i18n.tr
    finally:
        i18n.remove_translator()
        if previous_translator is not None:
            QCoreApplication.installTranslator(previous_translator)
            i18n._translator = previous_translator
        if previous_locale is None:
            settings.remove("locale/userLocale")
        else:
            settings.setValue("locale/userLocale", previous_locale)


def test_french_locale_translates_names_help_messages_and_qc_labels(french, leaf_provider):
    from qgis.core import QgsApplication

    from leaf_qgis.core.errors import QT_TRANSLATE_NOOP, LeafError
    from leaf_qgis.styling.styles import qc_label

    registry = QgsApplication.processingRegistry()
    registered = registry.algorithmById("leaf:produce_local")
    assert registered.displayName() == "Produire des cartes SL2P localement (LAI, fCOVER, fAPAR, albédo, QC)"
    fresh = registered.create()
    assert fresh.displayName() == registered.displayName()
    assert "réflectance de surface" in fresh.shortHelpString()
    assert "<b>Octet QC</b>" in fresh.shortHelpString()
    assert fresh.parameterDefinition("SUN_ZENITH").description() == "Angle zénithal solaire (°)"
    # Help generated from the tables: translated fragments, the tables' numbers.
    products = fresh.parameterDefinition("PRODUCTS").help()
    assert ("<b>CCC</b> : Teneur en chlorophylle du couvert, µg/cm²; plage valide 0–600 (bit QC 1 en dehors); "
            "encodage LEAF CN = valeur × 0.4 (un pas de 2.5), 255 = aucune donnée; SNAP la nomme LAI_Cab; produite "
            "seulement sur demande") in products
    assert "bit 0 (1) : entrée hors du domaine d'entraînement de SL2P" in fresh.shortHelpString()
    assert "L9 (Landsat 9, depuis 2021)" in registry.algorithmById("leaf:produce_gee").create().shortHelpString()
    assert registry.algorithmById("leaf:tile_grid").displayName() == "Grille de tuiles du CCT"
    assert registry.algorithmById("leaf:decode_qc").group() == "Résultats"
    assert registry.algorithmById("leaf:produce_gee").displayName() == "Produire des cartes LEAF sur Earth Engine"
    assert leaf_provider.name() == "LEAF (SL2P du CCT)"

    # QC style labels: sensor code 21 (Sentinel-2) in bits 3–7, flags in bits 0–2.
    assert qc_label(21 << 3) == "Sentinel-2 · valide"
    assert qc_label(8 << 3 | 0b111) == ("Landsat 8 · entrée hors du domaine d'entraînement · sortie hors plage · "
                                        "invalide ou signalé")

    # Core errors: the template is translated, then formatted with the untranslated parameters.
    error = LeafError(QT_TRANSLATE_NOOP("leaf", "There is no tile {name} in the CCRS grid. The tiles are: {choices}."),
                      name="tile99", choices="tile11, tile12")
    assert error.render(french) == ("Il n'y a pas de tuile tile99 dans la grille du CCT. Les tuiles sont : "
                                    "tile11, tile12.")


def test_french_wording_is_one_word_per_concept(french, leaf_provider):
    """'Blank' is "Masquer" in every label (it was Vider, Effacer and Masquer), the range test is "test de plage"
    (sample_sites said "tests d'intervalle"), and the files kept after a cancellation are said in the plural."""
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    algorithms = [registry.algorithmById(f"leaf:{name}").create()
                  for name in ("produce_local", "produce_gee", "sample_sites")]
    labels = [algorithm.parameterDefinition("MASK_FLAGGED").description() for algorithm in algorithms]
    assert labels == [
        "Masquer aussi les pixels signalés (bit QC 2 : neige, eau, zones urbaines, capteur saturé, réflectance hors "
        "plage)", "Masquer les pixels signalés (bit 2 du QC) au lieu de garder leur estimation",
        "Masquer aussi les pixels signalés (neige, urbain, saturation, tests de plage)"]
    catalogue = TS.read_text(encoding="utf-8")
    assert "Vider" not in catalogue and "Effacer" not in catalogue and "intervalle)" not in catalogue
    tile_grid = registry.algorithmById("leaf:tile_grid").create()
    assert tile_grid.cancelled_message(("a.gpkg", "b.csv")) == (
        "Annulé : rien n'a été écrit. Fichiers terminés avant l'annulation et conservés : a.gpkg, b.csv.")


def test_a_damaged_site_plan_names_its_table_in_both_languages(french):
    """The message of a site plan whose graph does not match names the table (its export description), not an
    English word left in the French text."""
    from leaf_qgis.core.errors import LeafError
    from leaf_qgis.engines.gee import sites as gee_sites

    plan = {"table": {"graph": 3, "expression_sha256": "0" * 64, "description": "leaf_sites_S2_20240624_stats_1a2b3c"},
            "graph": {}, "exports": []}
    with pytest.raises(LeafError) as caught:
        gee_sites.table_expression(plan)
    assert caught.value.render() == (
        "The graph of leaf_sites_S2_20240624_stats_1a2b3c in the plan does not match its checksum (the plan file was "
        "changed or damaged). Build the plan again.")
    assert caught.value.render(french) == (
        "Le graphe de leaf_sites_S2_20240624_stats_1a2b3c dans le plan ne correspond pas à sa somme de contrôle (le "
        "fichier du plan a été modifié ou endommagé). Reconstruisez le plan.")


def test_english_again_after_the_french_test(leaf_provider):
    from qgis.core import QgsApplication

    from leaf_qgis.styling.styles import qc_label

    algorithm = QgsApplication.processingRegistry().algorithmById("leaf:produce_local")
    assert algorithm.displayName() == "Produce SL2P maps locally (LAI, fCOVER, fAPAR, albedo, QC)"
    assert qc_label(21 << 3) == "Sentinel-2 · valid"


@pytest.mark.slow
def test_qgis_process_with_a_french_profile_speaks_french(qgis_process, tmp_path):
    """The deployed plugin in a QGIS started with the French locale (profile setting ``locale/userLocale``)."""
    ini = tmp_path / "profile" / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nleaf_qgis=true\n\n[locale]\noverrideFlag=true\nuserLocale=fr_CA\n")
    env = dict(os.environ)
    env.update(QGIS_PLUGINPATH=str(qgis_process.plugins), QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"),
               QT_QPA_PLATFORM="offscreen", PATH=f"{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}")
    done = subprocess.run(["qgis_process.bin", "help", "leaf:decode_qc"], env=env, capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Décoder l'octet QC" in done.stdout
    assert "entrée hors du domaine d'entraînement" in done.stdout
