"""The QGIS Processing layer: the ``leaf`` provider and its algorithms (thin: parameters → core request → engine)."""
