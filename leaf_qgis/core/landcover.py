"""The NALCMS land-cover legend (19 classes) of the LEAF partition map: the one table of class names and colours.

The partition map selects the SL2P network per pixel; its classes are those of the North American Land Change
Monitoring System (NALCMS 2010/2015/2020, also CCRS's CanLC2020), which the reference tool uses directly. Colours are
the NALCMS legend colours (as Earth Engine's ``USGS/NLCD_RELEASES/2020_REL/NALCMS`` catalogue shows them), so a
partition map in QGIS looks like the land-cover maps users already know. Pure data: no ``qgis``, no ``ee``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import QT_TRANSLATE_NOOP

#: Partition-map value of pixels outside the processed region (class 0 does not exist in NALCMS).
PARTITION_NODATA = 0


@dataclass(frozen=True)
class LandCoverClass:
    """One NALCMS class."""

    value: int
    name: str
    """English name (translated by the QGIS layer)."""
    color: str
    """Legend colour, ``#rrggbb``."""


NALCMS_CLASSES: dict[int, LandCoverClass] = {
    c.value: c
    for c in (
        LandCoverClass(1, QT_TRANSLATE_NOOP("leaf", "Temperate or sub-polar needleleaf forest"), "#033e00"),
        LandCoverClass(2, QT_TRANSLATE_NOOP("leaf", "Sub-polar taiga needleleaf forest"), "#939b71"),
        LandCoverClass(3, QT_TRANSLATE_NOOP("leaf", "Tropical or sub-tropical broadleaf evergreen forest"), "#196d12"),
        LandCoverClass(4, QT_TRANSLATE_NOOP("leaf", "Tropical or sub-tropical broadleaf deciduous forest"), "#1fab01"),
        LandCoverClass(5, QT_TRANSLATE_NOOP("leaf", "Temperate or sub-polar broadleaf deciduous forest"), "#5b725c"),
        LandCoverClass(6, QT_TRANSLATE_NOOP("leaf", "Mixed forest"), "#6b7d2c"),
        LandCoverClass(7, QT_TRANSLATE_NOOP("leaf", "Tropical or sub-tropical shrubland"), "#b29d29"),
        LandCoverClass(8, QT_TRANSLATE_NOOP("leaf", "Temperate or sub-polar shrubland"), "#b48833"),
        LandCoverClass(9, QT_TRANSLATE_NOOP("leaf", "Tropical or sub-tropical grassland"), "#e9da5d"),
        LandCoverClass(10, QT_TRANSLATE_NOOP("leaf", "Temperate or sub-polar grassland"), "#e0cd88"),
        LandCoverClass(11, QT_TRANSLATE_NOOP("leaf", "Sub-polar or polar shrubland-lichen-moss"), "#a07451"),
        LandCoverClass(12, QT_TRANSLATE_NOOP("leaf", "Sub-polar or polar grassland-lichen-moss"), "#bad292"),
        LandCoverClass(13, QT_TRANSLATE_NOOP("leaf", "Sub-polar or polar barren-lichen-moss"), "#3f8970"),
        LandCoverClass(14, QT_TRANSLATE_NOOP("leaf", "Wetland"), "#6ca289"),
        LandCoverClass(15, QT_TRANSLATE_NOOP("leaf", "Cropland"), "#e6ad6a"),
        LandCoverClass(16, QT_TRANSLATE_NOOP("leaf", "Barren land"), "#a9abae"),
        LandCoverClass(17, QT_TRANSLATE_NOOP("leaf", "Urban and built-up"), "#db2126"),
        LandCoverClass(18, QT_TRANSLATE_NOOP("leaf", "Water"), "#4c73a1"),
        LandCoverClass(19, QT_TRANSLATE_NOOP("leaf", "Snow and ice"), "#fff7fe"),
    )
}
