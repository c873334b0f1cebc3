"""leaf_qgis: the CCRS LEAF workflow (SL2P LAI, fCOVER, fAPAR, albedo) as a QGIS Processing provider.

QGIS calls :func:`classFactory` at plugin load; everything heavy (numpy evaluation, GDAL blocks, Earth Engine) is
imported later, when an algorithm runs.
"""


def classFactory(iface):
    from .plugin import LeafPlugin

    return LeafPlugin(iface)
