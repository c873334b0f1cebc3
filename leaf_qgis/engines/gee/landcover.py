"""Land cover: public NALCMS 2020, gaps filled from Copernicus 100 m; the SL2P-CCRS network per pixel, and the
classes of the pixel rules (:mod:`leaf_qgis.core.pixel_rules`: no estimate for no data and water, QC bit 2 for
urban and snow/ice) for both algorithms.

No personal or private asset: NALCMS 2020 is ``USGS/NLCD_RELEASES/2020_REL/NALCMS`` (30 m, North America, band
``landcover``, 0 = no data) and the fill is the Copernicus Global Land Cover 100 m (``discrete_classification``,
collection 3, 2019) remapped to NALCMS classes with the reference tool's table. The partition (NALCMS classes 1–19)
is what the PARTITION map exports; the network per pixel comes from the network set's own class → slot table
(``NetworkSet.class_slot``, from the CCRS legend and parameter file), so the engine never restates it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...core.networks import NetworkSet
from .sl2p import class_positions

NALCMS_2020 = "USGS/NLCD_RELEASES/2020_REL/NALCMS"
NALCMS_BAND = "landcover"
COPERNICUS_100M = "COPERNICUS/Landcover/100m/Proba-V-C3/Global/2019"
COPERNICUS_BAND = "discrete_classification"
#: Copernicus discrete classes → NALCMS classes (the reference tool's ``get_GlobLC`` table).
COPERNICUS_TO_NALCMS: tuple[tuple[int, ...], tuple[int, ...]] = (
    (0, 20, 30, 40, 50, 60, 70, 80, 90, 100, 111, 112, 113, 114, 115, 116, 121, 122, 123, 124, 125, 126, 200),
    (0, 8, 10, 15, 17, 16, 19, 18, 14, 13, 1, 3, 1, 5, 6, 6, 2, 4, 2, 5, 6, 6, 18),
)


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


def class_in(partition_image: Any, classes: Iterable[int]) -> Any:
    """0/1 per pixel: the partition's class is one of ``classes`` (a missing class counts as 0, NALCMS no data)."""
    values = sorted(int(c) for c in classes)
    return partition_image.unmask(0).remap(values, [1] * len(values), 0).rename("class_in")


def network_positions(ee: Any, partition_image: Any, network_set: NetworkSet) -> Any | None:
    """Stack position of each pixel's network (band ``network``, :func:`.sl2p.class_positions`), or ``None`` when
    the set has one distinct network (SL2P). An unknown or missing class takes the set's default slot."""
    classes, positions, default = class_positions(network_set)
    if len(set(positions) | {default}) <= 1:
        return None
    return (partition_image.unmask(0).remap(classes, positions, default).toUint8().rename("network"))
