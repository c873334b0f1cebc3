"""Engines that produce LEAF maps: ``gee`` (Earth Engine, where the archives live) and ``local`` (GDAL + numpy on the
user's own rasters).

Engines never import ``qgis``: the Processing algorithms read their parameters, build an engine request and report
its progress, so the same engines serve the Toolbox, the modeler, ``qgis_process`` and plain Python scripts. Nothing
here is imported at plugin load; the algorithms import an engine inside ``processAlgorithm``.
"""
