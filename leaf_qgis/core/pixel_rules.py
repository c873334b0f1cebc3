"""Which pixels get an estimate, and which carry QC bit 2: the one rule set both engines apply.

CCRS production keeps an estimate wherever a land pixel was observed and only *flags* doubtful pixels; it blanks
land-cover water and pixels with no observation. So:

* **No estimate** (product nodata, QC = sensor code | bit 2):
  - no clear observation: every candidate scene removed by the vendor cloud/shadow/fill masks (:mod:`.masks`:
    ``SCL_REMOVED_CLASSES``, ``LANDSAT_QA_REMOVED_BITS``), the user's MASK, the input's nodata, a non-finite
    reflectance or missing angles;
  - land cover :data:`NO_ESTIMATE_CLASSES`: NALCMS water (18) and no data (0).
* **Flagged** (QC bit 2, the estimate is kept):
  - vendor water, snow or saturation of the chosen scene (``SCL_FLAGGED_CLASSES``: SCL 1 saturated or defective,
    6, 11; ``LANDSAT_QA_FLAGGED_BITS`` and ``QA_RADSAT`` ≠ 0), as production's ``Img_ValidMask`` (evidence in
    :mod:`.masks`);
  - land cover :data:`FLAGGED_CLASSES` (urban 17, snow and ice 19), estimated with the generic network as the CCRS
    legend's ``invalid`` slot does;
  - the snow test (:func:`snow`) and the reflectance range test (:data:`REFLECTANCE_RANGE`) of the LEAF
    production tool (``Img_SnowMask``, ``Img_ValueMask``), the latter on every band of production's ``OUT_BANDS``
    (``Sensor.range_bands``: Sentinel-2 B2–B8, B8A, B11, B12, more than the networks read). The local engine tests
    those its input provides (a plain stack: its network bands, plus the bands named in RANGE_BANDS).
* ``MASK_FLAGGED`` (an option, default off) also blanks flagged pixels, for users who want CCRS-masked maps.
* Bits 0 (input out of domain) and 1 (output out of range) describe an estimate's quality; they are set only where
  bit 2 is clear, so an invalid pixel never reads as "out of domain".

The CCRS Python package itself estimates urban, water and snow/ice with the generic network and no flag; the
production tool blanks land-cover water: we follow production and flag the other two.
"""

from __future__ import annotations

from typing import Any

#: NALCMS classes with no estimate: 0 (no data) and 18 (water).
NO_ESTIMATE_CLASSES: tuple[int, ...] = (0, 18)
#: NALCMS classes estimated (generic network) but flagged: 17 (urban and built-up), 19 (snow and ice).
FLAGGED_CLASSES: tuple[int, ...] = (17, 19)
#: Every value a land-cover raster may hold: NALCMS 0 (no data) and classes 1–19.
LANDCOVER_VALUES: tuple[int, ...] = tuple(range(20))

#: Reflectance outside this closed range (any band of ``Sensor.range_bands``) flags the pixel (the production tool's
#: ``Img_ValueMask``: < −0.005 or > 1.05 times the maximum reflectance).
REFLECTANCE_RANGE: tuple[float, float] = (-0.005, 1.05)
#: Snow test thresholds (production ``Img_SnowMask``: NDSI > 0.2 and green > 0.1).
NDSI_SNOW = 0.2
SNOW_MIN_GREEN = 0.1


def snow(green: Any, swir1: Any) -> Any:
    """The snow test, written without a division: green > 0.1 and (green − swir1) > 0.2·(green + swir1).

    Identical to NDSI > 0.2 wherever green + swir1 > 0 (always, given green > 0.1, unless SWIR1 < −0.1, a
    reflectance the range test flags anyway). No division means no masked or infinite NDSI on either engine: Earth
    Engine's ``normalizedDifference`` masks pixels where an input is negative, which silently dropped every Landsat
    pixel with a slightly negative green or SWIR1. Works on numpy arrays (and on Python floats)."""
    return (green > SNOW_MIN_GREEN) & ((green - swir1) > NDSI_SNOW * (green + swir1))


def out_of_range(reflectance: Any) -> Any:
    """Per pixel of a ``(bands, pixels)`` numpy array: any band outside :data:`REFLECTANCE_RANGE` (NaN counts)."""
    import numpy as np

    low, high = REFLECTANCE_RANGE
    with np.errstate(invalid="ignore"):
        inside = (reflectance >= low) & (reflectance <= high)
    return ~inside.all(axis=0)
