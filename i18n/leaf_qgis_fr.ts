<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
  <context>
    <name>leaf</name>
    <message>
      <source>LEAF (CCRS SL2P)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>LEAF: Landscape Evolution And Forecasting — SL2P LAI, fCOVER, fAPAR and albedo</source>
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
      <source>Unknown product '{key}'. Choose from: {choices}.</source>
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
      <source>Unknown sensor '{key}'. Choose one of: {choices}.</source>
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
  </context>
</TS>
