"""Land cover for SL2P-CCRS: public NALCMS 2020, gaps filled from Copernicus 100 m, mapped to network ids.

No personal or private asset: NALCMS 2020 is ``USGS/NLCD_RELEASES/2020_REL/NALCMS`` (30 m, North America, band
``landcover``, 0 = no data) and the fill is the Copernicus Global Land Cover 100 m (``discrete_classification``,
collection 3, 2019) remapped to NALCMS classes with the reference tool's table. The partition (NALCMS classes 1–19)
is what the PARTITION map exports; the network id per pixel comes from the network set's own legend
(``NetworkSet.class_network``) and index (``NetworkSet.network_index``), so the engine never restates them.
"""

from __future__ import annotations

from typing import Any

from ...core.network_catalog import INVALID_CLASS_NETWORK
from ...core.networks import NetworkSet

NALCMS_2020 = "USGS/NLCD_RELEASES/2020_REL/NALCMS"
NALCMS_BAND = "landcover"
COPERNICUS_100M = "COPERNICUS/Landcover/100m/Proba-V-C3/Global/2019"
COPERNICUS_BAND = "discrete_classification"
#: Copernicus discrete classes → NALCMS classes (the reference tool's ``get_GlobLC`` table).
COPERNICUS_TO_NALCMS: tuple[tuple[int, ...], tuple[int, ...]] = (
    (0, 20, 30, 40, 50, 60, 70, 80, 90, 100, 111, 112, 113, 114, 115, 116, 121, 122, 123, 124, 125, 126, 200),
    (0, 8, 10, 15, 17, 16, 19, 18, 14, 13, 1, 3, 1, 5, 6, 6, 2, 4, 2, 5, 6, 6, 18),
)
GENERIC_NETWORK_ID = 0
"""Ensemble index of the generic network (also used by the ``invalid`` classes)."""


def partition(ee: Any) -> Any:
    """NALCMS class per pixel (uint8, band ``partition``), masked where neither map has a class.

    Both images are renamed ``partition`` before the mosaic: ``mosaic`` combines bands by name, and a collection of
    images with different band names would not overlay NALCMS on the fill."""
    nalcms = ee.Image(NALCMS_2020).select(NALCMS_BAND)
    nalcms = nalcms.updateMask(nalcms.gt(0))
    fill = ee.Image(COPERNICUS_100M).select(COPERNICUS_BAND).remap(
        list(COPERNICUS_TO_NALCMS[0]), list(COPERNICUS_TO_NALCMS[1]))
    fill = fill.updateMask(fill.gt(0))
    layers = [fill.toUint8().rename("partition"), nalcms.toUint8().rename("partition")]
    return ee.ImageCollection.fromImages(layers).mosaic()


def class_to_network_id(network_set: NetworkSet) -> tuple[list[int], list[int]]:
    """(NALCMS classes, ensemble index) pairs from the network set's legend; unmapped classes → generic."""
    classes, ids = [], []
    for value, name in sorted(network_set.class_network.items()):
        index = network_set.network_index.get(name, GENERIC_NETWORK_ID)
        classes.append(int(value))
        ids.append(int(index) if name in network_set.landcover else GENERIC_NETWORK_ID)
    return classes, ids


def invalid_classes(network_set: NetworkSet) -> list[int]:
    """NALCMS classes the CCRS legend marks ``invalid`` (urban, water, snow/ice): QC bit 2."""
    return sorted(v for v, name in network_set.class_network.items() if name == INVALID_CLASS_NETWORK)


def network_ids(ee: Any, partition_image: Any, network_set: NetworkSet) -> Any:
    """Ensemble index per pixel (band ``network``); generic where the class is unknown or missing."""
    classes, ids = class_to_network_id(network_set)
    if not classes:
        return ee.Image.constant(GENERIC_NETWORK_ID).toUint8().rename("network")
    return partition_image.remap(classes, ids, GENERIC_NETWORK_ID).unmask(GENERIC_NETWORK_ID).toUint8().rename(
        "network")
