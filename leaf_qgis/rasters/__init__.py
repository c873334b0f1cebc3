"""GDAL block I/O shared by every part that reads or writes rasters: the local engine, the Earth Engine direct
download, the styling (QC value scans) and ``leaf:decode_qc``.

Its own floor between the core and the engines: it imports GDAL and the core, never ``qgis`` nor ``ee``, so the
engines and the QGIS layer share one reader (windows on the tile grid, dataset pools, the GDAL cache limit) and one
writer (tiled, compressed GeoTIFFs committed atomically, with locks and no silent overwrite).
"""
