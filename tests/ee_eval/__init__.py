"""An offline numpy interpreter of serialized Earth Engine graphs, for tests only (never shipped in the plugin).

* :mod:`.evaluator` evaluates ``ee.Image.serialize()`` / ``ee.serializer.encode(..., for_cloud_api=True)`` graphs
  against registered synthetic sources;
* :mod:`.synthetic` builds those sources (Sentinel-2 SR, Landsat C2 L2 + TOA, NALCMS, Copernicus land cover);
* :mod:`.compare` runs the plugin's Earth Engine graphs and the local engine on the same pixels and compares them.
"""
