"""The sensors LEAF supports: one :class:`Sensor` record per sensor holds everything every engine needs about it.

A sensor here is what selects an SL2P network set: Sentinel-2 at 20 m and at 10 m are two sensors with the same
satellite. Band names are the Earth Engine names (the local engine maps a Sentinel-2 SAFE product's ``B03`` etc. onto
them). ``spectral_inputs`` is the band stack a sensor's networks read (the union of their bands, in band order,
taken from :mod:`leaf_qgis.core.network_catalog`, which holds each network's own order and the evidence for it).

Why one record: an engine reads the record's *data* (collections, band roles, QA rule, angle source, time scale)
instead of testing the sensor's key, so adding a sensor means adding a record here (and its network entry), not
editing a branch in every module. The family (:class:`Family`) only says which vendor the data come from, for the
few rules that are the vendor's (the scene-cloud default of CCRS production, which local readers apply).

Sensors added by issue 13, and the evidence for each choice:

* ``HLS_L30`` / ``HLS_S30`` — NASA Harmonized Landsat Sentinel-2 v2.0 on Earth Engine (``NASA/HLS/HLSL30/v002``,
  ``NASA/HLS/HLSS30/v002``; the Earth Engine catalogue entries ``NASA_HLS_HLSL30_v002`` / ``NASA_HLS_HLSS30_v002``).
  Bands: L30 B1–B7, B9–B11; S30 B1–B12 with B8A; both ``Fmask``, ``SZA SAA VZA VAA``. Earth Engine serves these
  collections already scaled (derived on the fly from ``…_RAW2``): reflectance as 0–1 floats (the catalogue's own
  display range is 0.01–0.18, no ``gee:scale``) and angles in degrees (``gee:units`` degree, no scale), hence
  ``dn_scale`` 1, ``dn_offset`` 0, ``angle_scale`` 1. ``Fmask`` bits (catalogue bitmask): 0 cirrus (reserved, not
  used in v2), 1 cloud, 2 adjacent to cloud/shadow, 3 cloud shadow, 4 snow/ice, 5 water, 6–7 aerosol level.
  Removed: 1, 2, 3 (what NASA's own HLS-VI product masks, ``hls-vi`` commit c804467: cloud, adjacent, shadow; an
  Fmask fill of 255 sets them too). Flagged: 4 snow/ice, 5 water (as Landsat bits 5/7 and SCL 11/6). Kept: aerosol
  (LaSRC's own retrieval level; neither CCRS nor NASA masks on it). Angles: per-pixel bands of the scene itself.
  Networks: the Landsat 8 sets (:mod:`.network_catalog`). QC codes 30 (L30) and 31 (S30): above production's
  Landsat (< 20) and Sentinel-2 (21, 22) codes, below 32 (bits 3–7). Time scale: 100 days (L30, Landsat revisit)
  and 50 days (S30, Sentinel-2 revisit), as their source sensors. Scene cloud property ``CLOUD_COVERAGE``; no
  production default filter (production's cloud rule is Sentinel-2's and Landsat's, and HLS is neither).
Network sets are keyed by the sensor key in :mod:`.network_catalog` (a merged sensor has none: its members' serve).

* ``LANDSAT_OLI`` (Landsat 8 + 9) and ``LANDSAT_TM_ETM`` (Landsat 5 + 7) — *merged* sensors: ``members`` name the
  sensors whose prepared scenes are composited together. Each scene keeps its own QC code in the ``sensor`` band, so
  QC bits 3–7 give each pixel's own satellite, and each pixel is estimated with its own satellite's networks (the
  Landsat 8 and 9 sets differ; Landsat 5 uses Landsat 7's, so TM/ETM+ needs one set). A merged sensor has no
  collection of its own, and no QC code of its own either: ``qc_code`` is the code written where no scene observed
  a pixel (its first member's).

The reflectance range test (QC bit 2, :data:`leaf_qgis.core.pixel_rules.REFLECTANCE_RANGE`) reads
``Sensor.range_bands``: the ``OUT_BANDS`` of LEAF production's ``Image.SSR_META_DICT``, which ``ImgMask.Img_ValueMask``
tests (reference: ``leaf-production-tool.md`` §4.5; fqqlsun/LEAF_production ``Image.py``):

* Sentinel-2 (``S2_SR``): B2, B3, B4, B5, B6, B7, B8, B8A, B11, B12 — also for ``S2_10M`` (the same instrument;
  production has no 10 m configuration) and for ``HLS_S30``, whose band names are Sentinel-2's (production has no
  S30 entry: our choice, by the same instrument's bands).
* Landsat 8 and 9 (``L8_SR``, ``L9_SR``): SR_B1 … SR_B7. Landsat 5 and 7 (``L5_SR``, ``L7_SR``): SR_B1, SR_B2,
  SR_B3, SR_B4, SR_B5, SR_B7.
* ``HLS_L30`` (upstream ``HLS_SR``, ``NASA/HLS/HLSL30/v002``, added after the 2023 snapshot): B1 … B7.

These lists hold more bands than the networks read (Sentinel-2: B2 and B8; Landsat: the coastal/blue bands), so the
Earth Engine composite carries them (:func:`leaf_qgis.engines.gee.collections.reflectance_bands`); the local engine
tests those its input provides (:attr:`leaf_qgis.engines.local.produce.ProduceConfig.range_bands`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .errors import QT_TRANSLATE_NOOP, LeafError
from .masks import (
    HLS_FMASK_FLAGGED_BITS,
    HLS_FMASK_REMOVED_BITS,
    LANDSAT_QA_FLAGGED_BITS,
    LANDSAT_QA_REMOVED_BITS,
    LANDSAT_SATURATION_BAND,
    S2_CLOUD_MASK_BANDS,
    S2_REMOVED_QA60_BITS,
    SCL_FLAGGED_CLASSES,
    SCL_REMOVED_CLASSES,
)
from .network_catalog import SENSOR_BANDS
from .products import GEE, LOCAL  # the engines (one definition, in products)

#: The angle inputs that precede the reflectances in every SL2P network, in network order.
ANGLE_INPUTS: tuple[str, ...] = ("cosVZA", "cosSZA", "cosRAA")
#: Band roles of the compositing score (and of ``Sensor.score_bands``), in this order.
SCORE_ROLES: tuple[str, ...] = ("blue", "green", "red", "nir", "swir1", "swir2")


class Family(Enum):
    """Whose data: ESA Sentinel-2, USGS Landsat Collection 2, or NASA HLS."""

    S2 = "S2"
    LANDSAT = "LANDSAT"
    HLS = "HLS"


class AngleSource(Enum):
    """Where a scene's sun and view angles come from (see :mod:`leaf_qgis.engines.gee.angles`)."""

    SCENE_MEAN = "scene_mean"
    """Scene-mean metadata properties (Sentinel-2 ``MEAN_*_ANGLE*``), constant over the scene."""
    TOA_JOIN = "toa_join"
    """Per-pixel bands of the top-of-atmosphere scene with the same ``system:index`` (Landsat Collection 2)."""
    PIXEL_BANDS = "pixel_bands"
    """Per-pixel bands ``SZA SAA VZA VAA`` of the scene itself (HLS)."""


@dataclass(frozen=True)
class QaTest:
    """One vendor test of a declarative QA rule, 1 where the pixel fails it.

    ``kind``: ``bits`` (any of ``values`` set in ``bands[0]``), ``classes`` (``bands[0]`` equals one of ``values``),
    ``nonzero`` (any of ``bands`` ≠ 0). ``missing_as_zero``: a masked pixel, or (``nonzero`` with several bands) a
    band the scene lacks, reads as 0 — so that one graph serves scenes from before and after a format change."""

    kind: str
    bands: tuple[str, ...]
    values: tuple[int, ...] = ()
    missing_as_zero: bool = False


@dataclass(frozen=True)
class QaRule:
    """Which vendor tests remove a pixel (no clear observation) and which flag it (QC bit 2, estimate kept); each
    side is the OR of its tests, in order."""

    removed: tuple[QaTest, ...]
    flagged: tuple[QaTest, ...]

    @property
    def bands(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(b for t in (*self.removed, *self.flagged) for b in t.bands))


@dataclass(frozen=True)
class Sensor:
    """One SL2P input configuration: everything the engines need about a sensor (see the module doc)."""

    key: str
    """Stable identifier used in parameters, file names and scripts (``S2``, ``S2_10M``, ``L5`` …)."""
    name: str
    """English display name (translated by the QGIS layer)."""
    family: Family
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
    gee_collection: str | None
    """Earth Engine surface-reflectance collection (``None`` for a merged sensor: its members' collections)."""
    first_year: int
    """First year with surface reflectance in ``gee_collection``."""
    last_year: int | None
    """Last year with data, ``None`` while the mission is acquiring."""
    gee_toa_collection: str | None = None
    """Landsat: the Collection 2 top-of-atmosphere collection whose scenes (same ``system:index`` as the surface
    reflectance scenes) carry the per-pixel sun and view angle bands ``SZA, SAA, VZA, VAA`` in hundredths of a
    degree, which CCRS production joins to each surface-reflectance scene. ``None`` otherwise."""
    score_bands: tuple[str, ...] = ()
    """The six bands of the compositing score, in :data:`SCORE_ROLES` order."""
    qa_rule: QaRule | None = None
    angle_source: AngleSource = AngleSource.SCENE_MEAN
    angle_scale: float = 1.0
    """Degrees per angle unit (per-pixel angle bands)."""
    view_angle_band: str = ""
    """Sentinel-2: the band (Earth Engine name) whose view angles stand for the scene: the NIR band of the stack, B8A
    as LEAF production at 20 m, B8 at 10 m."""
    time_scale_days: float = 100.0
    """τ of the optional time score of compositing (the revisit: 50 days for Sentinel-2, 100 for Landsat)."""
    revisit_days: float = 5.0
    """Days between acquisitions of one site, for the row estimates of ``leaf:sample_sites`` (Sentinel-2A/B/C: 5
    days, often two orbits overlap → 2.5; one Landsat: 16 days, side-lap → 8; 5 for the others, HLS and the merged
    sensors, which have no figure of their own). Deliberately pessimistic: the estimate picks a path (a direct
    fetch or a table export)."""
    cloud_property: str = ""
    """Scene cloud percentage property of the Earth Engine scenes (the scene-cloud prefilter)."""
    spacecraft_ids: tuple[str, ...] = ()
    """``SPACECRAFT_ID`` values of this sensor's Landsat MTL files (the local engine's Level-2 reader)."""
    members: tuple[str, ...] = ()
    """Merged sensor: the keys of the sensors composited together (empty for a single sensor)."""
    range_bands: tuple[str, ...] = ()
    """The bands of the reflectance range test, production's ``OUT_BANDS`` (module doc), in band order."""
    engines: tuple[str, ...] = (GEE, LOCAL)
    """Engines that offer this sensor."""

    @property
    def snow_bands(self) -> tuple[str, str]:
        """(green, SWIR1): the bands of the NDSI snow test."""
        return self.score_bands[SCORE_ROLES.index("green")], self.score_bands[SCORE_ROLES.index("swir1")]

    @property
    def range_only_bands(self) -> tuple[str, ...]:
        """The range-test bands the networks do not read (Sentinel-2 20 m: B2, B8), in :attr:`range_bands` order."""
        return tuple(b for b in self.range_bands if b not in self.spectral_inputs)

    @property
    def is_merged(self) -> bool:
        return bool(self.members)

    @property
    def member_sensors(self) -> tuple[Sensor, ...]:
        """The sensors composited together (a single sensor: itself)."""
        return tuple(SENSORS[k] for k in self.members) if self.members else (self,)

    def covers(self, first_year: int, last_year: int) -> bool:
        """The sensor's archive overlaps the years ``first_year``–``last_year``."""
        return self.first_year <= last_year and (self.last_year is None or first_year <= self.last_year)


_S2_SR = "COPERNICUS/S2_SR_HARMONIZED"
_LANDSAT_ROLES = ("green", "red", "nir", "swir1", "swir2")
_C2_SCALE, _C2_OFFSET = 0.0000275, -0.2
_TM_SCORE = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7")
_OLI_SCORE = ("SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7")
#: Production's ``OUT_BANDS`` (module doc): the bands of the reflectance range test.
S2_RANGE_BANDS: tuple[str, ...] = ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12")
OLI_RANGE_BANDS: tuple[str, ...] = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7")
TM_RANGE_BANDS: tuple[str, ...] = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7")
HLS_L30_RANGE_BANDS: tuple[str, ...] = ("B1", "B2", "B3", "B4", "B5", "B6", "B7")

#: Sentinel-2 L2A (see :mod:`.masks`): QA60 bits 10/11, ESA's L1C cloud rasters (missing before baseline 04.00),
#: SCL classes.
S2_QA = QaRule(
    removed=(QaTest("bits", ("QA60",), S2_REMOVED_QA60_BITS, missing_as_zero=True),
             QaTest("nonzero", S2_CLOUD_MASK_BANDS, missing_as_zero=True),
             QaTest("classes", ("SCL",), SCL_REMOVED_CLASSES)),
    flagged=(QaTest("classes", ("SCL",), SCL_FLAGGED_CLASSES),),
)
#: Landsat Collection 2 Level-2: ``QA_PIXEL`` bits; ``QA_RADSAT`` ≠ 0 (saturation) flagged, as production intends
#: (evidence in :mod:`.masks`).
LANDSAT_QA = QaRule(
    removed=(QaTest("bits", ("QA_PIXEL",), LANDSAT_QA_REMOVED_BITS),),
    flagged=(QaTest("bits", ("QA_PIXEL",), LANDSAT_QA_FLAGGED_BITS),
             QaTest("nonzero", (LANDSAT_SATURATION_BAND,))),
)
#: HLS v2.0 ``Fmask`` (see the module doc).
HLS_QA = QaRule(
    removed=(QaTest("bits", ("Fmask",), HLS_FMASK_REMOVED_BITS),),
    flagged=(QaTest("bits", ("Fmask",), HLS_FMASK_FLAGGED_BITS),),
)


def _s2(key: str, name: str, roles: tuple[str, ...], resolution: int, view_band: str, engines: tuple[str, ...]
        ) -> Sensor:
    return Sensor(
        key, name, Family.S2, 21, SENSOR_BANDS[key], roles, 0.0001, 0.0, resolution, _S2_SR, 2017, None,
        score_bands=("B2", "B3", "B4", "B8A", "B11", "B12"), qa_rule=S2_QA, angle_source=AngleSource.SCENE_MEAN,
        view_angle_band=view_band, time_scale_days=50.0, revisit_days=2.5, cloud_property="CLOUDY_PIXEL_PERCENTAGE",
        engines=engines, range_bands=S2_RANGE_BANDS,
    )


def _landsat(number: int, name: str, code: str, first: int, last: int | None) -> Sensor:
    key = f"L{number}"
    return Sensor(
        key, name, Family.LANDSAT, number, SENSOR_BANDS[key], _LANDSAT_ROLES, _C2_SCALE, _C2_OFFSET, 30,
        f"LANDSAT/{code}/C02/T1_L2", first, last, f"LANDSAT/{code}/C02/T1_TOA",
        score_bands=_TM_SCORE if number < 8 else _OLI_SCORE, qa_rule=LANDSAT_QA, angle_source=AngleSource.TOA_JOIN,
        angle_scale=0.01, time_scale_days=100.0, revisit_days=8.0, cloud_property="CLOUD_COVER",
        spacecraft_ids=(f"LANDSAT_{number}",), range_bands=TM_RANGE_BANDS if number < 8 else OLI_RANGE_BANDS,
    )


def _hls(key: str, name: str, code: int, collection: str, score: tuple[str, ...], first: int, tau: float,
         range_bands: tuple[str, ...]) -> Sensor:
    return Sensor(
        key, name, Family.HLS, code, SENSOR_BANDS[key], _LANDSAT_ROLES, 1.0, 0.0, 30, collection, first, None,
        score_bands=score, qa_rule=HLS_QA, angle_source=AngleSource.PIXEL_BANDS, angle_scale=1.0,
        time_scale_days=tau, cloud_property="CLOUD_COVERAGE", engines=(GEE,), range_bands=range_bands,
    )


def _merged(key: str, name: str, members: tuple[Sensor, ...]) -> Sensor:
    """A sensor compositing ``members`` together (module doc): their common bands, rules and archive span."""
    first = members[0]
    for other in members[1:]:
        same = (other.spectral_inputs, other.score_bands, other.range_bands, other.dn_scale, other.dn_offset,
                other.time_scale_days, other.resolution_m) == (first.spectral_inputs, first.score_bands,
                                                               first.range_bands, first.dn_scale, first.dn_offset,
                                                               first.time_scale_days, first.resolution_m)
        if not same:
            raise ValueError(f"{key}: members {first.key} and {other.key} differ in bands or scaling")
    last_years = [m.last_year for m in members]
    return Sensor(
        key, name, first.family, first.qc_code, first.spectral_inputs, first.spectral_roles, first.dn_scale,
        first.dn_offset, first.resolution_m, None, min(m.first_year for m in members),
        None if None in last_years else max(y for y in last_years if y is not None),
        score_bands=first.score_bands, qa_rule=None, angle_source=first.angle_source, angle_scale=first.angle_scale,
        time_scale_days=first.time_scale_days, cloud_property=first.cloud_property,
        members=tuple(m.key for m in members), engines=(GEE,), range_bands=first.range_bands,
    )


_L5 = _landsat(5, QT_TRANSLATE_NOOP("leaf", "Landsat 5"), "LT05", 1984, 2012)
_L7 = _landsat(7, QT_TRANSLATE_NOOP("leaf", "Landsat 7"), "LE07", 1999, 2024)
_L8 = _landsat(8, QT_TRANSLATE_NOOP("leaf", "Landsat 8"), "LC08", 2013, None)
_L9 = _landsat(9, QT_TRANSLATE_NOOP("leaf", "Landsat 9"), "LC09", 2021, None)

SENSORS: dict[str, Sensor] = {
    s.key: s
    for s in (
        _s2("S2", QT_TRANSLATE_NOOP("leaf", "Sentinel-2"),
            ("green", "red", "rededge1", "rededge2", "rededge3", "nir", "swir1", "swir2"), 20, "B8A", (GEE, LOCAL)),
        _s2("S2_10M", QT_TRANSLATE_NOOP("leaf", "Sentinel-2 (10 m)"), ("blue", "green", "red", "nir"), 10, "B8",
            (LOCAL,)),
        _L5, _L7, _L8, _L9,
        _hls("HLS_L30", QT_TRANSLATE_NOOP("leaf", "HLS Landsat (L30)"), 30, "NASA/HLS/HLSL30/v002",
             ("B2", "B3", "B4", "B5", "B6", "B7"), 2013, 100.0, HLS_L30_RANGE_BANDS),
        _hls("HLS_S30", QT_TRANSLATE_NOOP("leaf", "HLS Sentinel-2 (S30)"), 31, "NASA/HLS/HLSS30/v002",
             ("B2", "B3", "B4", "B8A", "B11", "B12"), 2015, 50.0, S2_RANGE_BANDS),
        _merged("LANDSAT_OLI", QT_TRANSLATE_NOOP("leaf", "Landsat 8 + 9"), (_L8, _L9)),
        _merged("LANDSAT_TM_ETM", QT_TRANSLATE_NOOP("leaf", "Landsat 5 + 7"), (_L5, _L7)),
    )
}

#: QC sensor code → sensor (both Sentinel-2 configurations share code 21: the first, ``S2``, stands for them; a
#: merged sensor's code is its first member's).
SENSOR_BY_QC_CODE: dict[int, Sensor] = {}
for _s in SENSORS.values():
    SENSOR_BY_QC_CODE.setdefault(_s.qc_code, _s)
#: QC sensor code → English sensor name.
SENSOR_NAME_BY_QC_CODE: dict[int, str] = {code: s.name for code, s in SENSOR_BY_QC_CODE.items()}


def sensors_for(engine: str) -> dict[str, Sensor]:
    """The sensors ``engine`` (:data:`GEE` or :data:`LOCAL`) offers, in table order."""
    return {k: s for k, s in SENSORS.items() if engine in s.engines}


def unknown_sensor(key: object, choices: object) -> LeafError:
    """The one "unknown sensor" message (``choices``: the keys the caller offers)."""
    return LeafError(
        QT_TRANSLATE_NOOP("leaf", "Unknown sensor '{key}'. Choose one of: {choices}."),
        key=key, choices=", ".join(choices),
    )


def sensor(key: str) -> Sensor:
    """The sensor called ``key`` (case-insensitive), or a :class:`LeafError` listing the valid keys."""
    found = SENSORS.get(key.strip().upper()) if isinstance(key, str) else None
    if found is None:
        raise unknown_sensor(key, SENSORS)
    return found
