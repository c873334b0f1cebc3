"""The sensors LEAF supports, defined once for every engine.

A sensor here is what selects an SL2P network set: Sentinel-2 at 20 m and at 10 m are two sensors with the same
satellite. Band names are the Earth Engine names (the local engine maps a Sentinel-2 SAFE product's ``B03`` etc. onto
them). ``spectral_inputs`` is the band stack a sensor's networks read (the union of their bands, in band order,
taken from :mod:`leaf_qgis.core.network_catalog`, which holds each network's own order and the evidence for it).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import QT_TRANSLATE_NOOP, LeafError
from .network_catalog import SENSOR_BANDS

#: The angle inputs that precede the reflectances in every SL2P network, in network order.
ANGLE_INPUTS: tuple[str, ...] = ("cosVZA", "cosSZA", "cosRAA")


@dataclass(frozen=True)
class Sensor:
    """One SL2P input configuration: satellite, bands, reflectance scaling and QC sensor code."""

    key: str
    """Stable identifier used in parameters, file names and scripts (``S2``, ``S2_10M``, ``L5`` …)."""
    name: str
    """English display name (translated by the QGIS layer)."""
    qc_code: int
    """Value stored in bits 3–7 of the QC byte."""
    spectral_inputs: tuple[str, ...]
    """The reflectance stack the networks read, in band order (Earth Engine band names)."""
    spectral_roles: tuple[str, ...]
    """The role of each band in ``spectral_inputs`` (``green``, ``red``, ``nir`` …), for masks and docs."""
    dn_scale: float
    """Surface reflectance = DN · dn_scale + dn_offset, for the product as distributed (EE collection, SAFE, C2 L2)."""
    dn_offset: float
    resolution_m: int
    """Native resolution of the network inputs, metres."""
    gee_collection: str
    """Earth Engine surface-reflectance collection."""
    first_year: int
    """First year with surface reflectance in ``gee_collection``."""
    last_year: int | None
    """Last year with data, ``None`` while the mission is acquiring."""
    gee_toa_collection: str | None = None
    """Landsat: the Collection 2 top-of-atmosphere collection whose scenes (same ``system:index`` as the surface
    reflectance scenes) carry the per-pixel sun and view angle bands ``SZA, SAA, VZA, VAA`` in hundredths of a
    degree, which CCRS production joins to each surface-reflectance scene. ``None`` for Sentinel-2 (scene-mean
    angle metadata)."""

    @property
    def is_landsat(self) -> bool:
        return self.key.startswith("L")



_S2_SR = "COPERNICUS/S2_SR_HARMONIZED"
_LANDSAT_ROLES = ("green", "red", "nir", "swir1", "swir2")
_C2_SCALE, _C2_OFFSET = 0.0000275, -0.2

SENSORS: dict[str, Sensor] = {
    s.key: s
    for s in (
        Sensor(
            "S2", QT_TRANSLATE_NOOP("leaf", "Sentinel-2"), 21,
            SENSOR_BANDS["S2"],
            ("green", "red", "rededge1", "rededge2", "rededge3", "nir", "swir1", "swir2"),
            0.0001, 0.0, 20, _S2_SR, 2017, None,
        ),
        Sensor(
            "S2_10M", QT_TRANSLATE_NOOP("leaf", "Sentinel-2 (10 m)"), 21,
            SENSOR_BANDS["S2_10M"], ("blue", "green", "red", "nir"),
            0.0001, 0.0, 10, _S2_SR, 2017, None,
        ),
        Sensor(
            "L5", QT_TRANSLATE_NOOP("leaf", "Landsat 5"), 5, SENSOR_BANDS["L5"], _LANDSAT_ROLES,
            _C2_SCALE, _C2_OFFSET, 30, "LANDSAT/LT05/C02/T1_L2", 1984, 2012, "LANDSAT/LT05/C02/T1_TOA",
        ),
        Sensor(
            "L7", QT_TRANSLATE_NOOP("leaf", "Landsat 7"), 7, SENSOR_BANDS["L7"], _LANDSAT_ROLES,
            _C2_SCALE, _C2_OFFSET, 30, "LANDSAT/LE07/C02/T1_L2", 1999, 2024, "LANDSAT/LE07/C02/T1_TOA",
        ),
        Sensor(
            "L8", QT_TRANSLATE_NOOP("leaf", "Landsat 8"), 8, SENSOR_BANDS["L8"], _LANDSAT_ROLES,
            _C2_SCALE, _C2_OFFSET, 30, "LANDSAT/LC08/C02/T1_L2", 2013, None, "LANDSAT/LC08/C02/T1_TOA",
        ),
        Sensor(
            "L9", QT_TRANSLATE_NOOP("leaf", "Landsat 9"), 9, SENSOR_BANDS["L9"], _LANDSAT_ROLES,
            _C2_SCALE, _C2_OFFSET, 30, "LANDSAT/LC09/C02/T1_L2", 2021, None, "LANDSAT/LC09/C02/T1_TOA",
        ),
    )
}

#: QC sensor code → sensor (both Sentinel-2 configurations share code 21: the first, ``S2``, stands for them).
SENSOR_BY_QC_CODE: dict[int, Sensor] = {}
for _s in SENSORS.values():
    SENSOR_BY_QC_CODE.setdefault(_s.qc_code, _s)
#: QC sensor code → English sensor name.
SENSOR_NAME_BY_QC_CODE: dict[int, str] = {code: s.name for code, s in SENSOR_BY_QC_CODE.items()}


def sensor(key: str) -> Sensor:
    """The sensor called ``key`` (case-insensitive), or a :class:`LeafError` listing the valid keys."""
    found = SENSORS.get(key.strip().upper()) if isinstance(key, str) else None
    if found is None:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "Unknown sensor '{key}'. Choose one of: {choices}."),
            key=key, choices=", ".join(SENSORS),
        )
    return found
