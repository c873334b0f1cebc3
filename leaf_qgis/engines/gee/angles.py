"""Sun and view geometry per scene, as the three cosine bands every SL2P network reads first.

Sentinel-2 (as LEAF production): scene-mean metadata, constant over the scene — sun zenith
``MEAN_SOLAR_ZENITH_ANGLE``, sun azimuth ``MEAN_SOLAR_AZIMUTH_ANGLE``, view zenith and azimuth of band 8A
(``MEAN_INCIDENCE_ZENITH_ANGLE_B8A``, ``MEAN_INCIDENCE_AZIMUTH_ANGLE_B8A``); the networks' red-edge/NIR inputs are
20 m bands, and B8A is the reference tool's choice.

Landsat (documented choice): scene-level sun angles from ``SUN_ELEVATION`` (zenith = 90° − elevation) and
``SUN_AZIMUTH``; view at nadir (zenith 0°, so cos VZA = 1). Landsat TM/ETM+/OLI look at most 7.5° off nadir, which
changes cos VZA by less than 0.009; per-pixel angles would need the matching TOA scene for every surface-reflectance
scene (the reference tool's join), doubling the collections read for a change far below the LEAF encoding step. At
nadir the relative azimuth has no physical meaning; we set cos RAA = 1 (principal plane). Both cosines = 1 sit on
the upper edge of every Landsat network's normalisation range (which reaches 1 − 3·10⁻⁸), i.e. the edge of the
training set: per-pixel view angles remain the better choice for a later release.
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
LANDSAT_COS_VZA = 1.0
LANDSAT_COS_RAA = 1.0


def angle_bands(ee: Any, image: Any, sensor: Sensor) -> Any:
    """A 3-band float image ``cosVZA, cosSZA, cosRAA`` for one scene (constant over the scene)."""
    rad = ee.Number(3.141592653589793).divide(180)
    if sensor.is_landsat:
        sza = ee.Number(90).subtract(ee.Number(image.get(LANDSAT_SUN_ELEVATION)))
        cos_sza = sza.multiply(rad).cos()
        values = ee.List([LANDSAT_COS_VZA, cos_sza, LANDSAT_COS_RAA])
    else:
        sza = ee.Number(image.get(S2_ANGLE_PROPERTIES["SZA"]))
        vza = ee.Number(image.get(S2_ANGLE_PROPERTIES["VZA"]))
        saa = ee.Number(image.get(S2_ANGLE_PROPERTIES["SAA"]))
        raa = saa.subtract(ee.Number(image.get(S2_ANGLE_PROPERTIES["VAA"])))
        values = ee.List([vza.multiply(rad).cos(), sza.multiply(rad).cos(), raa.multiply(rad).cos()])
    return ee.Image.constant(values).toFloat().rename(list(ANGLE_INPUTS))
