"""Surface-reflectance collections, per-sensor masks, and the per-scene bands the composite carries along.

Every scene becomes: reflectance (DN · ``Sensor.dn_scale`` + ``dn_offset``, from :mod:`leaf_qgis.core.sensors`) for
the networks' bands, the compositing score's bands and the reflectance range test's bands (``Sensor.range_bands``,
production's ``OUT_BANDS``: Sentinel-2 adds B8, Landsat 8/9 SR_B1), the angle cosines (:mod:`.angles`), ``date``
(days since 1970-01-01, uint16), ``sensor`` (the QC sensor code, so a composite of several sensors keeps a per-pixel
code) and ``flagged`` (1 where the pixel is usable for compositing but must carry QC bit 2).

Masks, bit by bit. *Removed* pixels never enter the composite; *flagged* pixels may be chosen but set QC bit 2.

Sentinel-2 (``QA60``, ``MSK_CLASSI_*``, ``SCL``):
  removed — QA60 bit 10 (opaque cloud), bit 11 (cirrus); ``MSK_CLASSI_OPAQUE`` ≠ 0, ``MSK_CLASSI_CIRRUS`` ≠ 0; SCL 0
  (no data), 3 (cloud shadow), 8 (cloud, medium probability), 9 (cloud, high probability), 10 (thin cirrus). QA60
  went empty with processing baseline 04.00 (25 January 2022), when ESA's L1C cloud mask moved to the
  ``MSK_CLASSI_OPAQUE`` / ``MSK_CLASSI_CIRRUS`` rasters, which older scenes do not have.
  So that one graph serves every scene, a missing band reads as 0 (not cloudy): the scene's bands are added over a
  constant zero image with those names (``addBands(…, overwrite=True)``), and a masked QA pixel reads as 0 too
  (``unmask(0)``). QA60 bits and SCL classes keep serving older scenes.
  flagged — SCL 1 (saturated or defective: production keeps it for compositing and flags it, ``Img_ValidMask``),
  SCL 6 (water), SCL 11 (snow or ice).
Landsat Collection 2 level 2 (``QA_PIXEL``, ``QA_RADSAT``):
  removed — QA_PIXEL bit 0 (fill; the reference tool forgot it), bit 1 (dilated cloud), bit 2 (cirrus, OLI only;
  0 on TM/ETM+), bit 3 (cloud), bit 4 (cloud shadow).
  flagged — QA_PIXEL bit 5 (snow), bit 7 (water); QA_RADSAT ≠ 0 (any band saturated: production's intent, its code
  commented out; evidence in :mod:`leaf_qgis.core.masks`).
HLS v2.0 (``Fmask``):
  removed — bit 1 (cloud), bit 2 (adjacent to cloud or shadow), bit 3 (cloud shadow).
  flagged — bit 4 (snow or ice), bit 5 (water). (No saturation bit in Fmask.)

These are the sensors' declarative rules (``Sensor.qa_rule``, :mod:`leaf_qgis.core.sensors`, bits and classes from
:mod:`leaf_qgis.core.masks`); :func:`removed_and_flagged` only interprets them.
Both, on the composite (:mod:`.outputs`): reflectance range test (any ``Sensor.range_bands`` band < −0.005 or
> 1.05), NDSI snow test (NDSI > 0.2 and green > 0.1) and the land-cover classes of :mod:`leaf_qgis.core.pixel_rules`
(urban and snow/ice flagged, water and no data without estimate).

Scenes: the region and the period, an optional scene-cloud prefilter (:mod:`leaf_qgis.core.scene_cloud`; by default
CCRS production's: Sentinel-2 ``CLOUDY_PIXEL_PERCENTAGE`` < 85 % south of 55° N, < 70 % north, Landsat none), and
for Landsat the join with the Collection 2 TOA scenes whose per-pixel angle bands feed the networks (:mod:`.angles`).

A merged sensor (``Sensor.members``, e.g. Landsat 8 + 9) is the merge of its members' prepared scenes, each member
with its own collection, rule, angles and QC code: the composite picks among all of them, and the ``sensor`` band
says per pixel which satellite the chosen scene came from. Members whose archive misses the period are left out.
"""

from __future__ import annotations

from typing import Any

from ...core.masks import bits_mask
from ...core.periods import Period
from ...core.scene_cloud import SceneCloudFilter
from ...core.sensors import ANGLE_INPUTS, QaTest, Sensor
from .angles import angle_bands, attach_angles
from .mapping import MappedFunctions

MS_PER_DAY = 86_400_000


def reflectance_bands(sensor: Sensor) -> tuple[str, ...]:
    """Bands read from each scene: the networks' stack, then the score's bands, then the range test's, without
    repeats."""
    return tuple(dict.fromkeys([*sensor.spectral_inputs, *sensor.score_bands, *sensor.range_bands]))


def _bits_set(ee: Any, qa: Any, bits: tuple[int, ...]) -> Any:
    return qa.bitwiseAnd(ee.Number(bits_mask(bits))).neq(0)


def _in_values(qa: Any, values: tuple[int, ...]) -> Any:
    test = qa.eq(values[0])
    for value in values[1:]:
        test = test.Or(qa.eq(value))
    return test


def _any_nonzero_or_missing(ee: Any, image: Any, bands: tuple[str, ...]) -> Any:
    """1 where any of ``bands`` is ≠ 0; 0 where not, or where the scene lacks the band (see the module doc): the
    scene's bands are added over a constant zero image with those names."""
    names = list(bands)
    zeros = ee.Image.constant([0] * len(names)).rename(names)
    masks = zeros.addBands(image, None, True).select(names).unmask(0)
    return masks.neq(0).reduce(ee.Reducer.max())


def qa_test(ee: Any, image: Any, test: QaTest) -> Any:
    """0/1 image: where ``image`` fails one vendor test of a sensor's QA rule."""
    if test.kind == "nonzero":
        if test.missing_as_zero:
            return _any_nonzero_or_missing(ee, image, test.bands)
        if len(test.bands) == 1:
            return image.select(test.bands[0]).neq(0)
        return image.select(list(test.bands)).neq(0).reduce(ee.Reducer.max())
    qa = image.select(test.bands[0])
    if test.missing_as_zero:
        qa = qa.unmask(0)
    if test.kind == "bits":
        return _bits_set(ee, qa, test.values)
    if test.kind == "classes":
        return _in_values(qa, test.values)
    raise ValueError(f"unknown QA test kind {test.kind!r}")


def _any(ee: Any, image: Any, tests: tuple[QaTest, ...]) -> Any:
    result = qa_test(ee, image, tests[0])
    for test in tests[1:]:
        result = result.Or(qa_test(ee, image, test))
    return result


def removed_and_flagged(ee: Any, image: Any, sensor: Sensor) -> tuple[Any, Any]:
    """(removed, flagged) 0/1 images for one scene, from the sensor's declarative QA rule (see the module doc)."""
    rule = sensor.qa_rule
    if rule is None:
        raise ValueError(f"{sensor.key} has no QA rule of its own (a merged sensor: prepare its members' scenes)")
    return _any(ee, image, rule.removed), _any(ee, image, rule.flagged)


def scene_bands(ee: Any, sensor: Sensor, reflectance: Any, cosines: Any, days: Any, flagged: Any) -> Any:
    """A prepared scene's bands, in their one order and with their one set of types: reflectance (float32, the bands
    of :func:`reflectance_bands`), ``cosVZA cosSZA cosRAA`` (as given: float32), ``date`` (uint16 days), ``sensor``
    (uint8 QC code) and ``flagged`` (uint8).

    Why one function: :func:`prepare_scene` and the placeholder :func:`empty_scene` must agree band for band and type
    for type (a composite mixes them); written twice, a type changed in one would drift silently. (The cosines are
    not cast here: :func:`.angles.angle_bands` already gives float32, and a cast more would change every plan's
    graph.)"""
    date = ee.Image.constant(days).toUint16().rename("date")
    code = ee.Image.constant(sensor.qc_code).toUint8().rename("sensor")
    return (reflectance.toFloat().addBands(cosines).addBands(date).addBands(code)
            .addBands(flagged.toUint8().rename("flagged")))


def prepare_scene(ee: Any, image: Any, sensor: Sensor) -> Any:
    """One scene → masked reflectance + cosVZA/cosSZA/cosRAA + date + sensor + flagged (see the module doc)."""
    bands = list(reflectance_bands(sensor))
    removed, flagged = removed_and_flagged(ee, image, sensor)
    reflectance = image.select(bands).multiply(sensor.dn_scale).add(sensor.dn_offset)
    days = ee.Number(image.get("system:time_start")).divide(MS_PER_DAY).floor()
    out = scene_bands(ee, sensor, reflectance, angle_bands(ee, image, sensor), days, flagged)
    return out.updateMask(removed.Not()).copyProperties(image, ["system:time_start"])


def empty_scene(ee: Any, sensor: Sensor) -> Any:
    """A prepared scene without any pixel: the bands of :func:`prepare_scene` (:func:`scene_bands`), all masked.

    Why: a composite of a region and period without any scene (a strict cloud maximum, a winter month in the north,
    a gap in an archive) would be Earth Engine's mosaic of an empty collection, an image *without bands*, from which
    every map's ``select`` fails and the export task with it. Among the candidates, this scene never wins a pixel,
    and with no other candidate the composite keeps its bands, all masked: every map then reads "no clear
    observation" (products nodata, QC the sensor code with bit 2, DATE 0)."""
    bands = list(reflectance_bands(sensor))
    reflectance = ee.Image.constant([0] * len(bands)).rename(bands)
    cosines = ee.Image.constant([1] * len(ANGLE_INPUTS)).rename(list(ANGLE_INPUTS)).toFloat()
    return scene_bands(ee, sensor, reflectance, cosines, 0, ee.Image.constant(0)).updateMask(0)


def active_members(sensor: Sensor, period: Period) -> tuple[Sensor, ...]:
    """The sensors whose scenes enter a composite of ``period``: a single sensor itself; a merged sensor's members
    whose archive overlaps the period (all of them if none does, so that the graph stays valid and empty)."""
    members = sensor.member_sensors
    covering = tuple(m for m in members if m.covers(period.first.year, period.last.year))
    return covering or members


def cloud_cover_filter(ee: Any, prop: str, maximum: Any, inclusive: bool) -> Any:
    """Scenes whose ``prop`` lies below ``maximum`` (``inclusive``: at or below it); a scene that does not report
    ``prop`` never passes (:mod:`leaf_qgis.core.scene_cloud`: only an explicit 100 keeps such scenes, by setting no
    filter). ``ee.Filter.lt`` drops it by itself, but the client writes ``ee.Filter.lte`` as ``Filter.gt(…).Not()``,
    which lets it through: the inclusive test also requires the property. ``maximum``: a number or an ``ee.Number``."""
    if not inclusive:
        return ee.Filter.lt(prop, maximum)
    return ee.Filter.And(ee.Filter.notNull([prop]), ee.Filter.lte(prop, maximum))


def scene_collection(ee: Any, sensor: Sensor, region: Any, period: Period,
                     cloud_filter: SceneCloudFilter | None = None, functions: MappedFunctions | None = None) -> Any:
    """The sensor's scenes over ``region`` from the first to the last day of ``period`` inclusive, below the scene
    cloud maximum of ``cloud_filter`` (``None``: every scene), prepared; a merged sensor's members' scenes merged.
    ``functions``: the mapped functions shared by a plan's collections (:mod:`.mapping`; default: this one's own)."""
    functions = functions or MappedFunctions(ee)
    if sensor.is_merged:
        merged = None
        for member in active_members(sensor, period):
            scenes = scene_collection(ee, member, region, period, cloud_filter, functions)
            merged = scenes if merged is None else merged.merge(scenes)
        return merged
    first, end = period.first.isoformat(), period.end_exclusive.isoformat()
    collection = ee.ImageCollection(sensor.gee_collection).filterBounds(region).filterDate(first, end)
    if cloud_filter is not None:
        collection = collection.filter(cloud_cover_filter(ee, cloud_filter.property, cloud_filter.maximum,
                                                          cloud_filter.inclusive))
    collection = attach_angles(ee, collection, sensor, region, first, end, functions)
    return functions.map(collection, ("prepare_scene", sensor), lambda image: prepare_scene(ee, image, sensor))
