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

Relative azimuth is sun minus view azimuth; only its cosine enters the networks.
"""

from __future__ import annotations

from typing import Any

from ...core.sensors import ANGLE_INPUTS, Sensor

S2_ANGLE_PROPERTIES = {
    "SZA": "MEAN_SOLAR_ZENITH_ANGLE",
    "SAA": "MEAN_SOLAR_AZIMUTH_ANGLE",
    "VZA": "MEAN_INCIDENCE_ZENITH_ANGLE_B8A",
    "VAA": "MEAN_INCIDENCE_AZIMUTH_ANGLE_B8A",
}
LANDSAT_SUN_ELEVATION = "SUN_ELEVATION"
LANDSAT_SUN_AZIMUTH = "SUN_AZIMUTH"
LANDSAT_ANGLE_BANDS = ("VZA", "VAA", "SZA", "SAA")
"""Per-pixel angle bands of a Collection 2 TOA scene, hundredths of a degree."""
LANDSAT_ANGLE_SCALE = 0.01
TOA_PROPERTY = "leaf_toa"
"""Property holding the joined angle image (the TOA scene, or the scene's fallback)."""
SCENE_KEY = "leaf_scene"
"""The surface-reflectance ``system:index`` a join candidate belongs to (``merge`` renames ``system:index``)."""
RANK = "leaf_rank"
"""0 for a TOA scene, 1 for a fallback: the join keeps the lowest."""
DEG = 3.141592653589793 / 180


def _landsat_fallback(ee: Any, image: Any) -> Any:
    """A TOA-like angle image from the scene metadata: nadir view, view azimuth = sun azimuth (module doc)."""
    sza = ee.Number(90).subtract(ee.Number(image.get(LANDSAT_SUN_ELEVATION))).divide(LANDSAT_ANGLE_SCALE)
    saa = ee.Number(image.get(LANDSAT_SUN_AZIMUTH)).divide(LANDSAT_ANGLE_SCALE)
    return ee.Image.constant(ee.List([0, saa, sza, saa])).rename(list(LANDSAT_ANGLE_BANDS))


def join_toa(ee: Any, collection: Any, sensor: Sensor, region: Any, first: str, end_exclusive: str) -> Any:
    """``collection`` (Landsat C2 L2 scenes) with each scene's angle image in the property :data:`TOA_PROPERTY`: its
    C2 TOA scene of the same ``system:index``, or its metadata fallback when there is none (module doc)."""
    toa = (ee.ImageCollection(sensor.gee_toa_collection).filterBounds(region).filterDate(first, end_exclusive)
           .map(lambda scene: scene.select(list(LANDSAT_ANGLE_BANDS)).set(
               {SCENE_KEY: scene.get("system:index"), RANK: 0})))
    fallbacks = collection.map(lambda scene: _landsat_fallback(ee, scene).set(
        {SCENE_KEY: scene.get("system:index"), RANK: 1}))
    same_scene = ee.Filter.equals(leftField="system:index", rightField=SCENE_KEY)
    joined = ee.Join.saveFirst(matchKey=TOA_PROPERTY, ordering=RANK, ascending=True).apply(
        collection, toa.merge(fallbacks), same_scene)
    return ee.ImageCollection(joined)


def angle_bands(ee: Any, image: Any, sensor: Sensor) -> Any:
    """A 3-band float image ``cosVZA, cosSZA, cosRAA`` for one scene (per pixel for Landsat, constant for S2)."""
    if sensor.is_landsat:
        angles = ee.Image(image.get(TOA_PROPERTY)).select(list(LANDSAT_ANGLE_BANDS))
        radians = angles.toFloat().multiply(LANDSAT_ANGLE_SCALE * DEG)
        vza, vaa, sza, saa = (radians.select(b) for b in LANDSAT_ANGLE_BANDS)
        return vza.cos().addBands(sza.cos()).addBands(saa.subtract(vaa).cos()).toFloat().rename(list(ANGLE_INPUTS))
    rad = ee.Number(DEG)
    sza = ee.Number(image.get(S2_ANGLE_PROPERTIES["SZA"]))
    vza = ee.Number(image.get(S2_ANGLE_PROPERTIES["VZA"]))
    saa = ee.Number(image.get(S2_ANGLE_PROPERTIES["SAA"]))
    raa = saa.subtract(ee.Number(image.get(S2_ANGLE_PROPERTIES["VAA"])))
    values = ee.List([vza.multiply(rad).cos(), sza.multiply(rad).cos(), raa.multiply(rad).cos()])
    return ee.Image.constant(values).toFloat().rename(list(ANGLE_INPUTS))
