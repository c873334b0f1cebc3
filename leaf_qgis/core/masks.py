"""Vendor quality bands shared by the engines: Sentinel-2 scene classes, Landsat Collection 2 ``QA_PIXEL`` bits and
HLS ``Fmask`` bits, defined once (the declarative rules built from them are in :mod:`leaf_qgis.core.sensors`).
*Removed* means "not a clear observation" (no estimate); *flagged* means QC bit 2 with the estimate kept
(:mod:`leaf_qgis.core.pixel_rules`).

The Sentinel-2 L2A scene classification (``SCL``) classes that make a pixel invalid are the ones LEAF production
masks (``ImgMask``: cloud shadow, cloud medium/high probability, cirrus; plus water, snow and saturation for the QC),
and no data. For Landsat the ``QA_PIXEL`` bits play the same part (and ``QA_RADSAT`` ≠ 0, any band saturated, makes
a pixel invalid too).
"""

from __future__ import annotations

#: Sentinel-2 ``QA60`` bits removed: 10 opaque cloud, 11 cirrus (empty from processing baseline 04.00).
S2_REMOVED_QA60_BITS: tuple[int, ...] = (10, 11)
#: ESA's L1C cloud-mask rasters (scenes processed with baseline 04.00 or later); pixel ≠ 0 = cloud.
S2_CLOUD_MASK_BANDS: tuple[str, ...] = ("MSK_CLASSI_OPAQUE", "MSK_CLASSI_CIRRUS")
#: SCL classes removed before compositing on Earth Engine: no data, saturated/defective, cloud shadow, cloud medium
#: and high probability, thin cirrus.
SCL_REMOVED_CLASSES: tuple[int, ...] = (0, 1, 3, 8, 9, 10)
#: SCL classes kept for compositing but flagged invalid: water, snow or ice.
SCL_FLAGGED_CLASSES: tuple[int, ...] = (6, 11)
#: SCL class names, for documentation and messages.
SCL_CLASS_NAMES: dict[int, str] = {
    0: "no data", 1: "saturated or defective", 2: "dark area pixels", 3: "cloud shadows", 4: "vegetation",
    5: "not vegetated", 6: "water", 7: "unclassified", 8: "cloud medium probability", 9: "cloud high probability",
    10: "thin cirrus", 11: "snow or ice",
}

#: Landsat Collection 2 ``QA_PIXEL`` bits removed before compositing on Earth Engine: fill, dilated cloud, cirrus
#: (OLI only; always 0 on TM/ETM+), cloud, cloud shadow. ``QA_RADSAT`` ≠ 0 (any band saturated) is removed too.
LANDSAT_QA_REMOVED_BITS: tuple[int, ...] = (0, 1, 2, 3, 4)
#: ``QA_PIXEL`` bits kept for compositing but flagged invalid: snow, water.
LANDSAT_QA_FLAGGED_BITS: tuple[int, ...] = (5, 7)
#: ``QA_PIXEL`` bit names, for documentation and messages.
LANDSAT_QA_BIT_NAMES: dict[int, str] = {
    0: "fill", 1: "dilated cloud", 2: "cirrus", 3: "cloud", 4: "cloud shadow", 5: "snow", 6: "clear", 7: "water",
}

#: HLS v2.0 ``Fmask`` bits removed before compositing: cloud, adjacent to cloud/shadow, cloud shadow (bit 0, cirrus,
#: is reserved and unused in v2.0; evidence in :mod:`leaf_qgis.core.sensors`).
HLS_FMASK_REMOVED_BITS: tuple[int, ...] = (1, 2, 3)
#: ``Fmask`` bits kept for compositing but flagged invalid: snow/ice, water.
HLS_FMASK_FLAGGED_BITS: tuple[int, ...] = (4, 5)
#: ``Fmask`` bit names, for documentation and messages (bits 6–7: aerosol level, kept).
HLS_FMASK_BIT_NAMES: dict[int, str] = {
    0: "cirrus (reserved)", 1: "cloud", 2: "adjacent to cloud or shadow", 3: "cloud shadow", 4: "snow or ice",
    5: "water",
}


def bits_mask(bits: tuple[int, ...]) -> int:
    """The integer with ``bits`` set: ``bits_mask((0, 3))`` → 9."""
    return sum(1 << b for b in set(bits))
