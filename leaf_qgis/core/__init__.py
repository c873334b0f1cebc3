"""LEAF core: sensors, tile grid, products, QC encoding, SL2P networks and their evaluation.

Nothing under this package may import ``qgis`` or ``ee``: it is plain Python and numpy, so it can be
tested in milliseconds and shared verbatim by the local engine, the Earth Engine engine and the QGIS layer.
"""
