<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
  <context>
    <name>leaf</name>
    <message>
      <source>The layer {name} is empty: nothing to render.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No valid layer to render.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Could not write the preview {path} (error {code}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>unknown sensor {code}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>input outside training domain</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>output out of range</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>invalid (cloud/snow/water)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>valid</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>class {value} (not in the NALCMS legend)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{path}: kept the style file made outside LEAF; the layer keeps that style.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Could not save the style to {path}: {reason}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{year} peak season</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Could not style the LEAF layer {name}: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>CCRS tiles (comma-separated, e.g. tile55, tile55_411)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Or: extent (any CRS)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Or: area of interest (polygon layer; tick 'Selected features only' to restrict it)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Name of the custom region in file names</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>LEAF (CCRS SL2P)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>LEAF: Landscape Evolution And Forecasting — SL2P LAI, fCOVER, fAPAR and albedo</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Decode QC byte</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>qc,quality,flag,bit,mask,sensor,leaf</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&lt;p&gt;Splits a LEAF QC raster (one byte per pixel) into masks you can use in the raster calculator, zonal statistics or a model.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: input out of training domain, output out of range and invalid pixel (cloud, shadow, snow/ice, water, saturation) as 0/1 bytes, 255 where the QC has no data; the sensor of each pixel as its code (5 Landsat 5, 7 Landsat 7, 8 Landsat 8, 9 Landsat 9, 21 Sentinel-2), 0 where the QC has no data.&lt;/p&gt;&lt;p&gt;A summary (pixel count and percent per flag and per sensor, of the pixels with data) is written to the log and returned as SUMMARY, with the counts as numbers.&lt;/p&gt;</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>QC raster</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sensor</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Summary</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Pixels with QC data</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Pixels without any flag</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown sensor code</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Load LEAF outputs</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>load,open,style,temporal,time,group,lai,fcover,fapar,albedo,qc,leaf</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&lt;p&gt;Loads LEAF GeoTIFFs (from the local engine or exported by Earth Engine) into the project, styled with the LEAF styles and grouped by tile and period.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Files&lt;/b&gt; and/or &lt;b&gt;Folder&lt;/b&gt;: the GeoTIFFs to load; in a folder every .tif is looked at (with its subfolders when asked).&lt;/p&gt;&lt;p&gt;Only files named as LEAF names its outputs (&lt;i&gt;tile55_2024_Jun_LAI_20m.tif&lt;/i&gt;, &lt;i&gt;tile55_2024_QC_20m.tif&lt;/i&gt; for the peak season, &lt;i&gt;tile55_20240601-20240715_fAPAR_20m.tif&lt;/i&gt;) are loaded; the others are listed in the log and counted, never guessed.&lt;/p&gt;&lt;p&gt;Each map gets its period as a fixed time range, so the Temporal Controller animates a season of monthly maps as it is. Each style is also saved as a .qml beside its file.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: the ids of the loaded layers, their number, and the number and list of the files not recognised.&lt;/p&gt;</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>LEAF files</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Folder of LEAF files</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Include subfolders</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Loaded layers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Number of layers loaded</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Number of files not recognised</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Files not recognised</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Not a LEAF output name, not loaded: {path}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name}: {state}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>styled</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>kept its own style</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{loaded} layer(s) to load, {unknown} file(s) not recognised.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Produce LEAF maps on Earth Engine</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>earth engine,gee,lai,fcover,fapar,albedo,sl2p,sentinel-2,landsat,export</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&lt;p&gt;Builds the LEAF production workflow on Google Earth Engine for a region, a sensor and one or more periods: cloud-masked best-pixel composites, the CCRS SL2P networks, QC byte and acquisition-date maps, exported as uint8 GeoTIFFs on the CCRS grid.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Region&lt;/b&gt;: CCRS tile names (any level), or an extent, or a polygon layer (one region).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sensor&lt;/b&gt;: S2 (Sentinel-2 surface reflectance, 2017 on), L5 (1984–2012), L7 (1999–2024), L8 (2013 on), L9 (2021 on).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Period&lt;/b&gt;: YEAR with MONTHS (one composite per calendar month, last day included), or the peak season (15 June – 15 September inclusive), or START and END dates (inclusive).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Products&lt;/b&gt;: LAI (DN/20), fCOVER, fAPAR, albedo (DN/200); a QC map is always exported with them; DATE = acquisition date of each pixel as days since 1970-01-01 (uint16); PARTITION = the NALCMS land cover that selects the SL2P network. Nodata: 255 for products, 0 for QC, Date and Partition.&lt;/p&gt;&lt;p&gt;&lt;b&gt;QC byte&lt;/b&gt;: bit 0 input outside the training domain, bit 1 output out of range (or clamped), bit 2 invalid pixel (cloud, shadow, snow/ice, water, saturation, no data), bits 3–7 sensor code (L5 5, L7 7, L8 8, L9 9, S2 21).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Files&lt;/b&gt;: &amp;lt;region&amp;gt;_&amp;lt;year&amp;gt;_&amp;lt;Mon&amp;gt;_&amp;lt;PRODUCT&amp;gt;_&amp;lt;resolution&amp;gt;m (e.g. tile55_2020_Jul_LAI_20m), in FOLDER (default &amp;lt;region&amp;gt;_&amp;lt;year&amp;gt;) on Google Drive, in a Cloud Storage BUCKET, or as assets under ASSET_ROOT.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Dry run&lt;/b&gt;: writes the PLAN (every export task with its Earth Engine expression) without contacting Earth Engine; no credentials needed.&lt;/p&gt;</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Months</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Peak season instead of months (15 June – 15 September)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Or: start date (inclusive)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>End date (inclusive)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Products</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Resolution (m)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Destination</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Folder (default &lt;region&gt;_&lt;year&gt;)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cloud Storage bucket</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Asset folder (projects/&lt;project id&gt;/assets/&lt;folder&gt;)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Earth Engine Cloud project id (default: plugin setting)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Dry run: write the plan only, submit nothing</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Plan</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>JSON files (*.json)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Number of export tasks</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Produce SL2P maps locally (LAI, fCOVER, fAPAR, albedo, QC)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Runs the CCRS SL2P neural networks on a surface-reflectance raster on this computer, without Earth Engine, and writes LAI, fCOVER, fAPAR, black-sky albedo and the LEAF QC byte on the input's pixel grid.&lt;br&gt;&lt;br&gt;&lt;b&gt;Input&lt;/b&gt;: a stack of the sensor's bands in network order (Sentinel-2 20 m: B3, B4, B5, B6, B7, B8A, B11, B12; 10 m: B2, B3, B4, B8; Landsat 5/7: SR_B2, SR_B3, SR_B4, SR_B5, SR_B7; Landsat 8/9: SR_B1 … SR_B7) or any raster plus BANDS, or a Sentinel-2 L2A product (.SAFE folder, its .zip or MTD_MSIL2A.xml): bands, BOA offset, angles and the scene-classification mask are then read from it.&lt;br&gt;&lt;b&gt;Angles&lt;/b&gt;: sun zenith, view zenith and relative azimuth in degrees, or an angle raster (bands SZA, VZA, RAA).&lt;br&gt;&lt;b&gt;Land cover&lt;/b&gt; (optional): NALCMS classes on the input grid select the CCRS land-cover networks; urban, water and snow/ice are marked invalid.&lt;br&gt;&lt;b&gt;QC byte&lt;/b&gt;: bit 0 input outside the training domain, bit 1 output out of range (or clamped), bit 2 invalid pixel, bits 3–7 the sensor code (S2 21, L5 5, L7 7, L8 8, L9 9).&lt;br&gt;&lt;b&gt;LEAF encoding&lt;/b&gt;: uint8, LAI × 20, the others × 200, 255 = no data; the files carry the scale so QGIS shows physical values. FLOAT32 writes physical values with NaN as no data.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Surface reflectance raster, or Sentinel-2 L2A product (.SAFE, .zip)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Band numbers of the network inputs, in network order (empty = bands 1…n)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reflectance scale (reflectance = DN × scale + offset; empty = sensor default)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reflectance offset (empty = sensor default)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sun zenith angle (°)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>View zenith angle (°)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Relative azimuth angle (°)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Angle raster (bands SZA, VZA, RAA in degrees; instead of the three angles)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Land cover (NALCMS classes, same grid): land-cover networks</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Invalid-pixel mask (non-zero = cloud, shadow, snow…; same grid)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Also write the uncertainty of each product (SL2P error networks)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Encoding</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>QC byte</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{product} uncertainty</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Incorrect parameter value for {name}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cancelled: nothing was written.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>CCRS tile grid</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>tile,grid,ccrs,leaf,canada,3979</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&lt;p&gt;Creates the Canada Centre for Remote Sensing (CCRS) tile grid used by LEAF production, as exact squares in EPSG:3979 (NAD83(CSRS) / Canada Atlas Lambert).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Level&lt;/b&gt;: &lt;i&gt;tile&lt;/i&gt; = 900 km tiles named tileRC (R = row 1–6 from the north, C = column 1–7 from the west; 27 tiles); &lt;i&gt;quarter&lt;/i&gt; = 450 km sub-tiles tileRC_4ij; &lt;i&gt;ninth&lt;/i&gt; = 300 km sub-tiles tileRC_9ij (i = sub-row from the north, j = sub-column from the west).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Tiles&lt;/b&gt; (optional): comma-separated tile names; only tiles of the chosen level that overlap them are kept. Empty = all tiles.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Extent&lt;/b&gt; (optional, any CRS): only tiles that intersect it are kept.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: polygons with fields name, row, col and level. Column c spans x = −2 600 000 + (c−1)·900 000 m … +900 000 m; row r spans y = 3 914 925 − r·900 000 m … +900 000 m.&lt;/p&gt;</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Level</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tiles (comma-separated, empty = all)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Only tiles intersecting this extent</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tile grid</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{count} tiles written.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cancelled.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The plan cannot be written to '{path}': {reason}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown product '{key}'. Choose from: {choices}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Choose at least one product or map to export.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown destination '{dest}'. Choose one of: {choices}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The folder name is longer than 100 characters.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No tile name given.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The region is empty. Draw or select a non-empty area.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown sensor '{key}'. Choose one of: {choices}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No region given.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No period given: choose months, the peak season or dates.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The time-score weight must lie between 0 and 10.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The angle {name} is missing. Give the sun zenith, view zenith and relative azimuth in degrees, or an angle raster with bands SZA, VZA, RAA.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} = {value:g}° is outside {low:g}–{high:g}°. Give the angle in degrees (zenith angles 0–90°, relative azimuth 0–360°).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The angle raster '{path}' has {count} bands; it needs 3, in degrees: sun zenith (SZA), view zenith (VZA), relative azimuth (RAA).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Band {index} ({name}) of the angle raster '{path}' holds {low:g}–{high:g}°, outside {vlow:g}–{vhigh:g}°. The bands must be SZA, VZA, RAA in degrees.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{path}' is not a readable Sentinel-2 Level-2A product ({reason}). Give the .SAFE folder, its .zip as downloaded, or its MTD_MSIL2A.xml file.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The granule metadata has no mean viewing angles for band {band}. Give the angles as parameters instead.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The granule metadata has no angle grids for band {band}; use the mean angles or give the angles as parameters.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>A Sentinel-2 product needs SENSOR S2 (20 m) or S2_10M (10 m), not {key}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The input is the {chosen} m sub-dataset of the product but SENSOR {key} works at {res} m. Choose the {res} m sub-dataset, or the sensor for {chosen} m.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The product '{path}' lacks the {res} m files of {bands}. Check that the download is complete (Level-2A, all resolutions).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name} has {given} values; give one value, or one per spectral band ({count}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Choose at least one product (LAI, FCOVER, FAPAR, ALBEDO).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>BANDS lists {given} bands but {sensor} needs {count}: {names} (in this order).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>BANDS {wrong} do not exist: the input has bands 1–{count}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>SCALE must not be 0 (reflectance = DN · SCALE + OFFSET).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{role} '{path}' has {count} bands; it must have one.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No file name for output(s) {keys}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{role}: GDAL cannot open '{path}' as a raster ({reason}). Check the path and that the file is a raster GDAL reads (GeoTIFF, JPEG 2000, VRT …).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{role}: '{path}' is empty (no band or no pixel). Choose a raster with data; for a file with sub-datasets, choose one of them.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reading rows {first}–{last} of '{path}' failed ({reason}). The file may be truncated or corrupt; check it with gdalinfo -checksum.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output {key} '{path}': the local engine writes GeoTIFF only. Give the file a .tif extension.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Outputs {first} and {second} point to the same file '{path}'. Give each output its own file name.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output {key} '{path}' is one of the inputs. Choose another file name: the inputs are never overwritten.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output {key} '{path}' is an existing folder. Give a file name ending in .tif.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output {key}: the folder '{folder}' is read-only or not a folder, so '{path}' cannot be written. Choose a folder you can write into.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output {key}: cannot create a file in '{folder}' ({reason}). Choose a folder you can write into, with free space.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Writing output {key} failed ({reason}). Check the free space in '{folder}'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Finishing outputs {keys} failed. Check the free space in the output folder; nothing was written.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unknown tile level '{level}'. Choose one of: {choices}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{name}' is not a CCRS tile name: tile names are lower case, e.g. '{suggestion}'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>There is no tile {name} in the CCRS grid. The tiles are: {choices}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Leaf area index</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Fraction of vegetation cover</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Fraction of absorbed PAR</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Black-sky albedo</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The SL2P network file '{name}' is not in the CCRS format ({reason}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sentinel-2</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sentinel-2 (10 m)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Landsat 5</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Landsat 7</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Landsat 8</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Landsat 9</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The SL2P network file '{rel}' has {n} inputs; {expected} expected.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{rel}' is not a known SL2P network file.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Temperate or sub-polar needleleaf forest</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sub-polar taiga needleleaf forest</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tropical or sub-tropical broadleaf evergreen forest</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tropical or sub-tropical broadleaf deciduous forest</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Temperate or sub-polar broadleaf deciduous forest</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Mixed forest</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tropical or sub-tropical shrubland</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Temperate or sub-polar shrubland</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tropical or sub-tropical grassland</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Temperate or sub-polar grassland</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sub-polar or polar shrubland-lichen-moss</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sub-polar or polar grassland-lichen-moss</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sub-polar or polar barren-lichen-moss</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Wetland</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cropland</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Barren land</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Urban and built-up</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Water</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Snow and ice</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Month {month} is not between 1 and 12.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The end date {last} is before the start date {first}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The area-of-interest layer could not be read. Check the layer.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{name}: '{value}' is not a raster QGIS can open.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>BANDS '{text}' is not a comma-separated list of band numbers (e.g. 3,4,5,6,7).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>INPUT: choose a surface-reflectance raster.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Production</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Results</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Earth Engine</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Input out of training domain</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output out of range</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Invalid pixel (cloud, shadow, snow, water)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>QC raster: the layer '{value}' cannot be opened.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No input: choose LEAF files, a folder of LEAF files, or both.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{count} file(s) do not exist or are not files: {files}. Check the paths (a folder goes in 'Folder of LEAF files').</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The folder '{folder}' does not exist.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>None of the {count} file(s) is named as a LEAF output ({where}). LEAF names read &lt;region&gt;_&lt;year&gt;_&lt;Mon&gt;_&lt;product&gt;_&lt;res&gt;m.tif, e.g. tile55_2024_Jun_LAI_20m.tif.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>'{path}' has a LEAF name but cannot be opened as a raster; it may be incomplete or damaged. Produce or download it again.</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
