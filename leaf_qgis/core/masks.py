"""Vendor quality bands shared by the engines: Sentinel-2 scene classes, Landsat Collection 2 ``QA_PIXEL`` bits and
HLS ``Fmask`` bits, defined once (the declarative rules built from them are in :mod:`leaf_qgis.core.sensors`).
*Removed* means "not a clear observation" (no estimate); *flagged* means QC bit 2 with the estimate kept
(:mod:`leaf_qgis.core.pixel_rules`).

The Sentinel-2 L2A scene classification (``SCL``) classes removed before compositing are the ones LEAF production
removes (``ImgMask.Img_VenderMask(…, CLEAR_MASK)``: cloud shadow, cloud medium/high probability, thin cirrus) and no
data. Water, snow and *saturation* are production's other vendor masks: it keeps those pixels for compositing and
flags them in the QC (``LEAF_valid_mask`` → ``Img_ValidMask`` = clear mask OR ``SATU_MASK`` OR value mask, and the
snow mask; reference: ``leaf-production-tool.md`` §4.4–4.5). So SCL 1 (saturated or defective) is flagged, not
removed. For Landsat the ``QA_PIXEL`` bits play the same part, and ``QA_RADSAT`` ≠ 0 (a band saturated) is flagged
like SCL 1: production's intent (``Img_ValidMask`` ORs the saturation mask) although its Landsat ``SATU_MASK`` code
is commented out in the September 2023 snapshot; a later upstream ``ImgMask.py`` (fqqlsun/LEAF_production commit
0c8e000, revised November–December 2023) enables it as exactly ``QA_RADSAT`` > 0. HLS v2.0 ``Fmask`` has no
saturation bit (bits 0–7: cirrus (reserved), cloud, adjacent, shadow, snow/ice, water, aerosol level), and upstream's
HLS ``SATU_MASK`` is a constant 0: nothing to flag there.
"""

from __future__ import annotations

#: Sentinel-2 ``QA60`` bits removed: 10 opaque cloud, 11 cirrus (empty from processing baseline 04.00).
S2_REMOVED_QA60_BITS: tuple[int, ...] = (10, 11)
#: ESA's L1C cloud-mask rasters (scenes processed with baseline 04.00 or later); pixel ≠ 0 = cloud.
S2_CLOUD_MASK_BANDS: tuple[str, ...] = ("MSK_CLASSI_OPAQUE", "MSK_CLASSI_CIRRUS")
#: SCL classes removed before compositing: no data, cloud shadow, cloud medium and high probability, thin cirrus.
SCL_REMOVED_CLASSES: tuple[int, ...] = (0, 3, 8, 9, 10)
#: SCL classes kept for compositing but flagged invalid (QC bit 2): saturated or defective, water, snow or ice.
SCL_FLAGGED_CLASSES: tuple[int, ...] = (1, 6, 11)
#: SCL class names, for documentation and messages.
SCL_CLASS_NAMES: dict[int, str] = {
    0: "no data", 1: "saturated or defective", 2: "dark area pixels", 3: "cloud shadows", 4: "vegetation",
    5: "not vegetated", 6: "water", 7: "unclassified", 8: "cloud medium probability", 9: "cloud high probability",
    10: "thin cirrus", 11: "snow or ice",
}

#: Landsat Collection 2 ``QA_PIXEL`` bits removed before compositing: fill, dilated cloud, cirrus (OLI only; always 0
#: on TM/ETM+), cloud, cloud shadow.
LANDSAT_QA_REMOVED_BITS: tuple[int, ...] = (0, 1, 2, 3, 4)
#: ``QA_PIXEL`` bits kept for compositing but flagged invalid: snow, water. (``QA_RADSAT`` ≠ 0, a band saturated, is
#: flagged too: :data:`LANDSAT_SATURATION_BAND`.)
LANDSAT_QA_FLAGGED_BITS: tuple[int, ...] = (5, 7)
#: The Landsat band whose non-zero value (any band saturated) flags a pixel (kept for compositing, QC bit 2).
LANDSAT_SATURATION_BAND = "QA_RADSAT"
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
