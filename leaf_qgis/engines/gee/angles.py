"""Sun and view geometry per scene, as the three cosine bands every SL2P network reads first.

Sentinel-2 (as LEAF production): scene-mean metadata, constant over the scene — sun zenith
``MEAN_SOLAR_ZENITH_ANGLE``, sun azimuth ``MEAN_SOLAR_AZIMUTH_ANGLE``, view zenith and azimuth of band 8A
(``MEAN_INCIDENCE_ZENITH_ANGLE_B8A``, ``MEAN_INCIDENCE_AZIMUTH_ANGLE_B8A``); the networks' red-edge/NIR inputs are
20 m bands, and B8A is the reference tool's choice.

Landsat (as LEAF production, ``Mosaic.attach_LSAngleBands``): per pixel, from the Collection 2 top-of-atmosphere
scene with the same ``system:index`` (``Sensor.gee_toa_collection``), joined to each surface-reflectance scene by
:func:`join_toa` (``ee.Join.saveFirst`` into the property :data:`TOA_PROPERTY`). Its bands ``VZA, VAA, SZA, SAA``
hold hundredths of a degree: cos VZA = cos(VZA/100°), cos SZA = cos(SZA/100°), cos RAA = cos((SAA − VAA)/100°).

A surface-reflectance scene without a TOA partner (the join is outer, so the scene is kept) falls back to the scene
metadata: sun zenith 90° − ``SUN_ELEVATION``, view at nadir (cos VZA = 1), and view azimuth = sun azimuth
``SUN_AZIMUTH`` (cos RAA = 1, the principal plane: at nadir the relative azimuth has no physical meaning). Landsat
looks at most 7.5° off nadir, so the fallback's cos VZA is off by less than 0.009.

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
"""Property holding the joined TOA scene (absent when the scene has none)."""
DEG = 3.141592653589793 / 180


def join_toa(ee: Any, collection: Any, sensor: Sensor, region: Any, first: str, end_exclusive: str) -> Any:
    """``collection`` (Landsat C2 L2 scenes) with each scene's C2 TOA scene of the same ``system:index`` in the
    property :data:`TOA_PROPERTY`; scenes without a partner are kept without it (outer join)."""
    toa = ee.ImageCollection(sensor.gee_toa_collection).filterBounds(region).filterDate(first, end_exclusive)
    same_scene = ee.Filter.equals(leftField="system:index", rightField="system:index")
    joined = ee.Join.saveFirst(matchKey=TOA_PROPERTY, outer=True).apply(collection, toa, same_scene)
    return ee.ImageCollection(joined)


def _landsat_fallback(ee: Any, image: Any) -> Any:
    """A TOA-like angle image from the scene metadata: nadir view, view azimuth = sun azimuth (module doc)."""
    sza = ee.Number(90).subtract(ee.Number(image.get(LANDSAT_SUN_ELEVATION))).divide(LANDSAT_ANGLE_SCALE)
    saa = ee.Number(image.get(LANDSAT_SUN_AZIMUTH)).divide(LANDSAT_ANGLE_SCALE)
    return ee.Image.constant(ee.List([0, saa, sza, saa])).rename(list(LANDSAT_ANGLE_BANDS))


def angle_bands(ee: Any, image: Any, sensor: Sensor) -> Any:
    """A 3-band float image ``cosVZA, cosSZA, cosRAA`` for one scene (per pixel for Landsat, constant for S2)."""
    if sensor.is_landsat:
        toa = image.get(TOA_PROPERTY)
        angles = ee.Image(ee.Algorithms.If(toa, toa, _landsat_fallback(ee, image))).select(list(LANDSAT_ANGLE_BANDS))
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
