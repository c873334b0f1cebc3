"""Invalid-pixel definitions (QC bit 2) shared by the engines: Sentinel-2 scene classes, defined once.

The Sentinel-2 L2A scene classification (``SCL``) classes that make a pixel invalid are the ones LEAF production
masks (``ImgMask``: cloud shadow, cloud medium/high probability, cirrus; plus water, snow and saturation for the QC),
and no data.
"""

from __future__ import annotations

#: SCL classes removed before compositing on Earth Engine: no data, saturated/defective, cloud shadow, cloud medium
#: and high probability, thin cirrus.
SCL_REMOVED_CLASSES: tuple[int, ...] = (0, 1, 3, 8, 9, 10)
#: SCL classes kept for compositing but flagged invalid: water, snow or ice.
SCL_FLAGGED_CLASSES: tuple[int, ...] = (6, 11)
#: SCL classes that make a pixel invalid (QC bit 2) in a single scene (the local engine).
SCL_INVALID_CLASSES: tuple[int, ...] = tuple(sorted(SCL_REMOVED_CLASSES + SCL_FLAGGED_CLASSES))
#: SCL class names, for documentation and messages.
SCL_CLASS_NAMES: dict[int, str] = {
    0: "no data", 1: "saturated or defective", 2: "dark area pixels", 3: "cloud shadows", 4: "vegetation",
    5: "not vegetated", 6: "water", 7: "unclassified", 8: "cloud medium probability", 9: "cloud high probability",
    10: "thin cirrus", 11: "snow or ice",
}
