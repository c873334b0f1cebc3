"""Surface-reflectance collections, per-sensor masks, and the per-scene bands the composite carries along.

Every scene becomes: reflectance (DN · ``Sensor.dn_scale`` + ``dn_offset``, from :mod:`leaf_qgis.core.sensors`) for
the networks' bands and the compositing score's bands, the angle cosines (:mod:`.angles`), ``date`` (days since
1970-01-01, uint16), ``sensor`` (the QC sensor code, so a composite of several sensors keeps a per-pixel code) and
``flagged`` (1 where the pixel is usable for compositing but must carry QC bit 2).

Masks, bit by bit. *Removed* pixels never enter the composite; *flagged* pixels may be chosen but set QC bit 2.

Sentinel-2 (``QA60``, ``MSK_CLASSI_*``, ``SCL``):
  removed — QA60 bit 10 (opaque cloud), bit 11 (cirrus); ``MSK_CLASSI_OPAQUE`` ≠ 0, ``MSK_CLASSI_CIRRUS`` ≠ 0; SCL 0
  (no data), 1 (saturated or defective), 3 (cloud shadow), 8 (cloud, medium probability), 9 (cloud, high
  probability), 10 (thin cirrus). QA60 went empty with processing baseline 04.00 (25 January 2022), when ESA's L1C
  cloud mask moved to the ``MSK_CLASSI_OPAQUE`` / ``MSK_CLASSI_CIRRUS`` rasters, which older scenes do not have.
  So that one graph serves every scene, a missing band reads as 0 (not cloudy): the scene's bands are added over a
  constant zero image with those names (``addBands(…, overwrite=True)``), and a masked QA pixel reads as 0 too
  (``unmask(0)``). QA60 bits and SCL classes keep serving older scenes.
  flagged — SCL 6 (water), SCL 11 (snow or ice).
Landsat Collection 2 level 2 (``QA_PIXEL``, ``QA_RADSAT``):
  removed — QA_PIXEL bit 0 (fill; the reference tool forgot it), bit 1 (dilated cloud), bit 2 (cirrus, OLI only;
  0 on TM/ETM+), bit 3 (cloud), bit 4 (cloud shadow); QA_RADSAT ≠ 0 (any band saturated).
  flagged — QA_PIXEL bit 5 (snow), bit 7 (water).
Both, on the composite (:mod:`.outputs`): reflectance range test (any network band < −0.005 or > 1.05), NDSI snow
test (NDSI > 0.2 and green > 0.1) and the land-cover classes of :mod:`leaf_qgis.core.pixel_rules` (urban and
snow/ice flagged, water and no data without estimate).

Scenes: the region and the period, an optional scene-cloud prefilter (:mod:`leaf_qgis.core.scene_cloud`; by default
CCRS production's: Sentinel-2 ``CLOUDY_PIXEL_PERCENTAGE`` < 85 % south of 55° N, < 70 % north, Landsat none), and
for Landsat the join with the Collection 2 TOA scenes whose per-pixel angle bands feed the networks (:mod:`.angles`).
"""

from __future__ import annotations

from typing import Any

from ...core.masks import (
    LANDSAT_QA_FLAGGED_BITS,
    LANDSAT_QA_REMOVED_BITS,
    SCL_FLAGGED_CLASSES,
    SCL_REMOVED_CLASSES,
    bits_mask,
)
from ...core.periods import Period
from ...core.scene_cloud import SceneCloudFilter
from ...core.sensors import Sensor
from .angles import angle_bands, join_toa

S2_REMOVED_QA60_BITS = (10, 11)
S2_CLOUD_MASK_BANDS = ("MSK_CLASSI_OPAQUE", "MSK_CLASSI_CIRRUS")
"""ESA's L1C cloud-mask rasters (scenes processed with baseline 04.00 or later); pixel ≠ 0 = cloud."""
S2_REMOVED_SCL = SCL_REMOVED_CLASSES
S2_FLAGGED_SCL = SCL_FLAGGED_CLASSES
LANDSAT_REMOVED_QA_BITS = LANDSAT_QA_REMOVED_BITS
LANDSAT_FLAGGED_QA_BITS = LANDSAT_QA_FLAGGED_BITS

#: The six bands of the compositing score, in role order blue, green, red, NIR, SWIR1, SWIR2.
SCORE_BANDS: dict[str, tuple[str, ...]] = {
    "S2": ("B2", "B3", "B4", "B8A", "B11", "B12"),
    "L5": ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7"),
    "L7": ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7"),
    "L8": ("SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7"),
    "L9": ("SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7"),
}
SCORE_ROLES = ("blue", "green", "red", "nir", "swir1", "swir2")
MS_PER_DAY = 86_400_000


def reflectance_bands(sensor: Sensor) -> tuple[str, ...]:
    """Bands read from each scene: the networks' stack plus the score's bands, in band order, without repeats."""
    return tuple(dict.fromkeys([*sensor.spectral_inputs, *SCORE_BANDS[sensor.key]]))


def _bits_set(ee: Any, qa: Any, bits: tuple[int, ...]) -> Any:
    return qa.bitwiseAnd(ee.Number(bits_mask(bits))).neq(0)


def _in_values(qa: Any, values: tuple[int, ...]) -> Any:
    test = qa.eq(values[0])
    for value in values[1:]:
        test = test.Or(qa.eq(value))
    return test


def s2_cloud_masks(ee: Any, image: Any) -> Any:
    """1 where ``MSK_CLASSI_OPAQUE`` or ``MSK_CLASSI_CIRRUS`` is set; 0 where not, or where the scene lacks the band
    (see the module doc)."""
    names = list(S2_CLOUD_MASK_BANDS)
    zeros = ee.Image.constant([0] * len(names)).rename(names)
    masks = zeros.addBands(image, None, True).select(names).unmask(0)
    return masks.neq(0).reduce(ee.Reducer.max())


def removed_and_flagged(ee: Any, image: Any, sensor: Sensor) -> tuple[Any, Any]:
    """(removed, flagged) 0/1 images for one scene, from the vendor QA bands (see the module doc)."""
    if sensor.is_landsat:
        qa = image.select("QA_PIXEL")
        removed = _bits_set(ee, qa, LANDSAT_REMOVED_QA_BITS).Or(image.select("QA_RADSAT").neq(0))
        flagged = _bits_set(ee, qa, LANDSAT_FLAGGED_QA_BITS)
    else:
        scl = image.select("SCL")
        qa60 = _bits_set(ee, image.select("QA60").unmask(0), S2_REMOVED_QA60_BITS)
        removed = qa60.Or(s2_cloud_masks(ee, image)).Or(_in_values(scl, S2_REMOVED_SCL))
        flagged = _in_values(scl, S2_FLAGGED_SCL)
    return removed, flagged


def prepare_scene(ee: Any, image: Any, sensor: Sensor) -> Any:
    """One scene → masked reflectance + cosVZA/cosSZA/cosRAA + date + sensor + flagged (see the module doc)."""
    bands = list(reflectance_bands(sensor))
    removed, flagged = removed_and_flagged(ee, image, sensor)
    reflectance = image.select(bands).multiply(sensor.dn_scale).add(sensor.dn_offset).toFloat()
    days = ee.Number(image.get("system:time_start")).divide(MS_PER_DAY).floor()
    date = ee.Image.constant(days).toUint16().rename("date")
    code = ee.Image.constant(sensor.qc_code).toUint8().rename("sensor")
    out = (reflectance.addBands(angle_bands(ee, image, sensor)).addBands(date).addBands(code)
           .addBands(flagged.toUint8().rename("flagged")))
    return out.updateMask(removed.Not()).copyProperties(image, ["system:time_start"])


def scene_collection(ee: Any, sensor: Sensor, region: Any, period: Period,
                     cloud_filter: SceneCloudFilter | None = None) -> Any:
    """The sensor's scenes over ``region`` from the first to the last day of ``period`` inclusive, below the scene
    cloud maximum of ``cloud_filter`` (``None``: every scene), prepared."""
    first, end = period.first.isoformat(), period.end_exclusive.isoformat()
    collection = ee.ImageCollection(sensor.gee_collection).filterBounds(region).filterDate(first, end)
    if cloud_filter is not None:
        test = ee.Filter.lte if cloud_filter.inclusive else ee.Filter.lt
        collection = collection.filter(test(cloud_filter.property, cloud_filter.maximum))
    if sensor.is_landsat:
        collection = join_toa(ee, collection, sensor, region, first, end)
    else:
        # Scenes without angle metadata cannot feed the networks (the reference tool's filter, kept).
        for prop in ("MEAN_SOLAR_ZENITH_ANGLE", "MEAN_INCIDENCE_ZENITH_ANGLE_B8A"):
            collection = collection.filter(ee.Filter.gt(prop, 0))
    return collection.map(lambda image: prepare_scene(ee, image, sensor))
