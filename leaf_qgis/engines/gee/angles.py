"""Sun and view geometry per scene, as the three cosine bands every SL2P network reads first.

Sentinel-2 (as LEAF production): scene-mean metadata, constant over the scene — sun zenith
``MEAN_SOLAR_ZENITH_ANGLE``, sun azimuth ``MEAN_SOLAR_AZIMUTH_ANGLE``, view zenith and azimuth of band 8A
(``MEAN_INCIDENCE_ZENITH_ANGLE_B8A``, ``MEAN_INCIDENCE_AZIMUTH_ANGLE_B8A``); the networks' red-edge/NIR inputs are
20 m bands, and B8A is the reference tool's choice.

Landsat (as LEAF production, ``Mosaic.attach_LSAngleBands``): per pixel, from the Collection 2 top-of-atmosphere
scene with the same ``system:index`` (``Sensor.gee_toa_collection``), joined to each surface-reflectance scene by
:func:`join_toa`. Its bands ``VZA, VAA, SZA, SAA`` hold hundredths of a degree: cos VZA = cos(VZA/100°),
cos SZA = cos(SZA/100°), cos RAA = cos((SAA − VAA)/100°).

A surface-reflectance scene without a TOA partner falls back to its own metadata: sun zenith 90° − ``SUN_ELEVATION``,
view at nadir (cos VZA = 1), and view azimuth = sun azimuth ``SUN_AZIMUTH`` (cos RAA = 1, the principal plane: at
nadir the relative azimuth has no physical meaning). Landsat looks at most 7.5° off nadir, so the fallback's cos VZA
is off by less than 0.009. How, without a server-side conditional: every scene also gets a constant "fallback TOA"
image with the same four bands; the join's candidates are the TOA scenes (rank 0) and the fallbacks (rank 1), keyed
by the surface-reflectance ``system:index``, and ``ee.Join.saveFirst`` ordered by rank keeps the real TOA scene when
there is one and the fallback otherwise. Every scene therefore has the property :data:`TOA_PROPERTY`, never null.

HLS (``AngleSource.PIXEL_BANDS``): per pixel, the scene's own bands ``SZA SAA VZA VAA``, in degrees as Earth Engine
serves them (``Sensor.angle_scale`` 1), with the same cosines as Landsat.

Which of the three a sensor uses is its record's ``angle_source`` (:mod:`leaf_qgis.core.sensors`), never its key.

Relative azimuth is sun minus view azimuth; only its cosine enters the networks.
"""

from __future__ import annotations

from typing import Any

from ...core.sensors import ANGLE_INPUTS, AngleSource, Sensor
from .mapping import MappedFunctions


def scene_mean_properties(sensor: Sensor) -> dict[str, str]:
    """Sentinel-2 scene-mean angle properties: sun, and the view of ``Sensor.view_angle_band``."""
    return {
        "SZA": "MEAN_SOLAR_ZENITH_ANGLE",
        "SAA": "MEAN_SOLAR_AZIMUTH_ANGLE",
        "VZA": f"MEAN_INCIDENCE_ZENITH_ANGLE_{sensor.view_angle_band}",
        "VAA": f"MEAN_INCIDENCE_AZIMUTH_ANGLE_{sensor.view_angle_band}",
    }


LANDSAT_SUN_ELEVATION = "SUN_ELEVATION"
LANDSAT_SUN_AZIMUTH = "SUN_AZIMUTH"
PIXEL_ANGLE_BANDS = ("VZA", "VAA", "SZA", "SAA")
"""Per-pixel angle bands of a Collection 2 TOA scene (hundredths of a degree) and of an HLS scene (degrees)."""
TOA_PROPERTY = "leaf_toa"
"""Property holding the joined angle image (the TOA scene, or the scene's fallback)."""
SCENE_KEY = "leaf_scene"
"""The surface-reflectance ``system:index`` a join candidate belongs to (``merge`` renames ``system:index``)."""
RANK = "leaf_rank"
"""0 for a TOA scene, 1 for a fallback: the join keeps the lowest."""
DEG = 3.141592653589793 / 180


def _landsat_fallback(ee: Any, image: Any, sensor: Sensor) -> Any:
    """A TOA-like angle image from the scene metadata: nadir view, view azimuth = sun azimuth (module doc)."""
    sza = ee.Number(90).subtract(ee.Number(image.get(LANDSAT_SUN_ELEVATION))).divide(sensor.angle_scale)
    saa = ee.Number(image.get(LANDSAT_SUN_AZIMUTH)).divide(sensor.angle_scale)
    return ee.Image.constant(ee.List([0, saa, sza, saa])).rename(list(PIXEL_ANGLE_BANDS))


def join_toa(ee: Any, collection: Any, sensor: Sensor, region: Any, first: str, end_exclusive: str,
             functions: MappedFunctions | None = None) -> Any:
    """``collection`` (Landsat C2 L2 scenes) with each scene's angle image in the property :data:`TOA_PROPERTY`: its
    C2 TOA scene of the same ``system:index``, or its metadata fallback when there is none (module doc).
    ``functions``: the mapped functions shared by a plan (:mod:`.mapping`; default: this join's own)."""
    functions = functions or MappedFunctions(ee)
    toa = functions.map(
        ee.ImageCollection(sensor.gee_toa_collection).filterBounds(region).filterDate(first, end_exclusive),
        "toa_angles", lambda scene: scene.select(list(PIXEL_ANGLE_BANDS)).set(
            {SCENE_KEY: scene.get("system:index"), RANK: 0}))
    fallbacks = functions.map(collection, ("fallback_angles", sensor), lambda scene: _landsat_fallback(
        ee, scene, sensor).set({SCENE_KEY: scene.get("system:index"), RANK: 1}))
    same_scene = ee.Filter.equals(leftField="system:index", rightField=SCENE_KEY)
    joined = ee.Join.saveFirst(matchKey=TOA_PROPERTY, ordering=RANK, ascending=True).apply(
        collection, toa.merge(fallbacks), same_scene)
    return ee.ImageCollection(joined)


def attach_angles(ee: Any, collection: Any, sensor: Sensor, region: Any, first: str, end_exclusive: str,
                  functions: MappedFunctions | None = None) -> Any:
    """``collection`` ready for :func:`angle_bands`: Landsat C2 scenes joined to their TOA angles
    (:func:`join_toa`); Sentinel-2 scenes without angle metadata dropped (they cannot feed the networks: the
    reference tool's filter, kept); HLS scenes as they are (their angle bands are their own)."""
    if sensor.angle_source is AngleSource.TOA_JOIN:
        return join_toa(ee, collection, sensor, region, first, end_exclusive, functions)
    if sensor.angle_source is AngleSource.SCENE_MEAN:
        props = scene_mean_properties(sensor)
        for prop in (props["SZA"], props["VZA"]):
            collection = collection.filter(ee.Filter.gt(prop, 0))
    return collection


def _pixel_cosines(angles: Any, scale: float) -> Any:
    radians = angles.select(list(PIXEL_ANGLE_BANDS)).toFloat().multiply(scale * DEG)
    vza, vaa, sza, saa = (radians.select(b) for b in PIXEL_ANGLE_BANDS)
    return vza.cos().addBands(sza.cos()).addBands(saa.subtract(vaa).cos()).toFloat().rename(list(ANGLE_INPUTS))


def angle_bands(ee: Any, image: Any, sensor: Sensor) -> Any:
    """A 3-band float image ``cosVZA, cosSZA, cosRAA`` for one scene (per pixel for Landsat and HLS, constant for
    Sentinel-2)."""
    if sensor.angle_source is AngleSource.TOA_JOIN:
        return _pixel_cosines(ee.Image(image.get(TOA_PROPERTY)), sensor.angle_scale)
    if sensor.angle_source is AngleSource.PIXEL_BANDS:
        return _pixel_cosines(image, sensor.angle_scale)
    props = scene_mean_properties(sensor)
    rad = ee.Number(DEG)
    sza = ee.Number(image.get(props["SZA"]))
    vza = ee.Number(image.get(props["VZA"]))
    saa = ee.Number(image.get(props["SAA"]))
    raa = saa.subtract(ee.Number(image.get(props["VAA"])))
    values = ee.List([vza.multiply(rad).cos(), sza.multiply(rad).cos(), raa.multiply(rad).cos()])
    return ee.Image.constant(values).toFloat().rename(list(ANGLE_INPUTS))
