"""Compare the Earth Engine graphs of a plan with the local engine, pixel for pixel, on synthetic scenes.

:func:`compare_plan` builds a dry-run plan (the plugin's public entry point :func:`build_plan`) for one month and a
custom region or CCRS tiles, with the request's options (algorithm, time-score weight, scene-cloud maximum,
``mask_flagged``), evaluates every exported graph (products, QC, DATE, PARTITION) of each region with
:mod:`.evaluator` on :mod:`.synthetic` sources, and independently:

1. picks per pixel the scene the *documented* compositing rule picks: scenes over the region (a tile: scenes whose
   ground bounds meet its rectangle) and of the month (filter dates inclusive), Sentinel-2 scenes with angle
   metadata, the scene-cloud prefilter of :mod:`leaf_qgis.core.scene_cloud`'s docstring, vendor "removed" pixels
   dropped (the masks listed in :mod:`leaf_qgis.engines.gee.collections`' docstring), the highest score of
   :mod:`leaf_qgis.engines.gee.compositing`'s docstring (re-implemented here in numpy from that text, time term
   included), ties to the first scene — rules restated here as literals, so a mutation of the engine cannot hide in
   the reference;
2. runs the LOCAL engine (:func:`leaf_qgis.engines.local.produce.produce`, with the Earth Engine workflow's own
   network set) on exactly those pixels: the chosen scene's DN, its vendor QA bands (SCL, or QA_PIXEL and
   QA_RADSAT), its angles (an angle raster: a Landsat scene's TOA partner's per-pixel angles, or without a partner
   the metadata fallback of :mod:`leaf_qgis.engines.gee.angles`' docstring) and the land cover, with the request's
   ``mask_flagged``; the local engine applies its own pixel rules (:mod:`leaf_qgis.core.pixel_rules`); pixels without
   a clear observation are input nodata;
3. compares, exactly: equal DN per product, equal QC bytes (and which bits differ), DATE = the chosen scene's day,
   PARTITION, and nodata (inside the region: 255 exactly where the local engine writes 255; outside: every map holds
   its nodata value). No tolerance: the graph's and the local engine's float32 estimates agree to a few units in the
   last place, and the uint8 encoding has never put them on two sides of a DN step on these scenes; a difference of
   one DN there would be reported, not absorbed.

A custom region covers :func:`.synthetic.region_mask` (the last row and column lie outside it); a tile covers the
whole grid, which stands for the tile's file.

Export model: a masked pixel is written as 0 (Earth Engine writes masked pixels as 0 unless the image is unmasked to
the nodata value first — its export guide's own example unmasks before exporting; the ``noData`` format option only
tags the file).
"""

from __future__ import annotations

import functools
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from leaf_qgis.core.networks import NetworkSet
from leaf_qgis.core.periods import Period, days_since_epoch
from leaf_qgis.core.sensors import SENSORS

from . import synthetic
from .evaluator import Evaluator, GraphError, Image

# As tests/conftest.py, for scripts (``python -m tests.ee_eval.compare``): the shared networks next to the checkout.
os.environ.setdefault("LEAF_QGIS_NETWORKS", str(Path(__file__).resolve().parents[3] / "shared" / "sl2p-networks"))

#: Years tested per sensor (within each mission's life; merged sensors in years when both members fly).
YEARS = {"S2": 2020, "S2_10M": 2020, "L5": 2005, "L7": 2010, "L8": 2020, "L9": 2022, "HLS_L30": 2021,
         "HLS_S30": 2021, "LANDSAT_OLI": 2022, "LANDSAT_TM_ETM": 2005}
PRODUCT_KEYS = ("LAI", "FCOVER", "FAPAR", "ALBEDO")
MASKED_EXPORT_VALUE = 0

# --- The documented rules, restated (scene_cloud.py, angles.py, collections.py, compositing.py docstrings) ------------
S2_REMOVED_QA60_BITS = (10, 11)
S2_REMOVED_SCL = (0, 3, 8, 9, 10)
S2_FLAGGED_SCL = (1, 6, 11)
LANDSAT_REMOVED_QA_BITS = (0, 1, 2, 3, 4)
LANDSAT_FLAGGED_QA_BITS = (5, 7)
HLS_REMOVED_FMASK_BITS = (1, 2, 3)
HLS_FLAGGED_FMASK_BITS = (4, 5)
#: The reflectance range test's bands (production's ``OUT_BANDS``; the local engine gets those beyond the networks'
#: stack as RANGE_BANDS).
RANGE_BANDS = {
    "S2": ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12"),
    "TM": ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7"),
    "OLI": ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7"),
    "HLS_L30": ("B1", "B2", "B3", "B4", "B5", "B6", "B7"),
    "HLS_S30": ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12"),
}
#: DN scale and offset; HLS: of the distributed int16 (Earth Engine serves the scaled floats).
SCALE = {"S2": (0.0001, 0.0), "TM": (0.0000275, -0.2), "OLI": (0.0000275, -0.2), "HLS_L30": (0.0001, 0.0),
         "HLS_S30": (0.0001, 0.0)}
SCORE_BANDS = {
    "S2": ("B2", "B3", "B4", "B8A", "B11", "B12"),
    "TM": ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7"),
    "OLI": ("SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7"),
    "HLS_L30": ("B2", "B3", "B4", "B5", "B6", "B7"),
    "HLS_S30": ("B2", "B3", "B4", "B8A", "B11", "B12"),
}
TIME_SCALE_DAYS = {"S2": 50.0, "TM": 100.0, "OLI": 100.0, "HLS_L30": 100.0, "HLS_S30": 50.0}
#: The scene-cloud prefilter (scene_cloud.py): the property each family reports; the production default (Sentinel-2
#: keeps scenes *below* 85 % south of 55° N and below 70 % from 55° N; Landsat and HLS: no filter); an explicit
#: maximum keeps scenes *at or below* it (those without the property dropped), 100 none.
CLOUD_PROPERTY = {"S2": "CLOUDY_PIXEL_PERCENTAGE", "TM": "CLOUD_COVER", "OLI": "CLOUD_COVER",
                  "HLS_L30": "CLOUD_COVERAGE", "HLS_S30": "CLOUD_COVERAGE"}
S2_NORTH_LATITUDE, S2_MAX_CLOUD_SOUTH, S2_MAX_CLOUD_NORTH = 55.0, 85.0, 70.0
#: Sentinel-2 scenes without these angle properties (> 0) are dropped (angles.py).
S2_ANGLE_PROPERTIES = ("MEAN_SOLAR_ZENITH_ANGLE", "MEAN_INCIDENCE_ZENITH_ANGLE_B8A")
NO_SCORE = -1.0e6
MS_PER_DAY = 86_400_000

REGION = {"type": "Polygon", "coordinates": [[[-75.9, 45.2], [-75.4, 45.2], [-75.4, 45.5], [-75.9, 45.5],
                                              [-75.9, 45.2]]]}
REGION_LATITUDE = 45.35
"""Centroid latitude of :data:`REGION` (a lon/lat rectangle): south of 55° N."""


def _family(sensor_key: str) -> str:
    """The key of the restated tables above (merged sensors: their members')."""
    if sensor_key.startswith("S2"):
        return "S2"
    if sensor_key.startswith("HLS"):
        return sensor_key
    return "TM" if sensor_key in ("L5", "L7", "LANDSAT_TM_ETM") else "OLI"


def _scene_sensor(src: synthetic.SyntheticSources, truth: synthetic.SceneTruth) -> str:
    """The sensor whose collection holds ``truth`` (a merged sensor's member)."""
    return truth.sensor_key or src.sensor_key


@functools.cache
def networks(sensor_key: str, algorithm: str | None = None) -> NetworkSet:
    """The network set the Earth Engine workflow uses for ``algorithm`` (its default when ``None``: the choice of
    :class:`WorkflowBuilder`)."""
    from leaf_qgis.engines.gee import request as rq
    from leaf_qgis.engines.gee.workflow import WorkflowBuilder

    year = YEARS[sensor_key]
    extra = {"algorithm": algorithm} if algorithm else {}
    request = rq.make_request([rq.custom_region("synthetic", REGION)], sensor_key, [Period.month(year, 7)], ["LAI"],
                              SENSORS[sensor_key].resolution_m, **extra)
    return WorkflowBuilder(None, request).network_set


# ---------------------------------------------------------------------------------------------------------------------
# Reference: the documented compositing rule, in numpy
# ---------------------------------------------------------------------------------------------------------------------

def _bits(value: np.ndarray, bits: tuple[int, ...]) -> np.ndarray:
    return (value & sum(1 << b for b in bits)) != 0


def removed_and_flagged(sensor_key: str, truth: synthetic.SceneTruth) -> tuple[np.ndarray, np.ndarray]:
    if sensor_key.startswith("S2"):
        scl = truth.qa["SCL"]
        removed = _bits(truth.qa["QA60"], S2_REMOVED_QA60_BITS) | np.isin(scl, S2_REMOVED_SCL)
        return removed, np.isin(scl, S2_FLAGGED_SCL)
    if sensor_key.startswith("HLS"):
        fmask = truth.qa["Fmask"]
        return _bits(fmask, HLS_REMOVED_FMASK_BITS), _bits(fmask, HLS_FLAGGED_FMASK_BITS)
    qa = truth.qa["QA_PIXEL"]
    return _bits(qa, LANDSAT_REMOVED_QA_BITS), _bits(qa, LANDSAT_FLAGGED_QA_BITS) | (truth.qa["QA_RADSAT"] != 0)


def reflectance(sensor_key: str, truth: synthetic.SceneTruth, band: str) -> np.ndarray:
    """Reflectance as the composite holds it: DN · scale + offset, rounded to float32."""
    scale, offset = SCALE[_family(sensor_key)]
    return (truth.dn[band] * scale + offset).astype(np.float32).astype(np.float64)


def score(sensor_key: str, truth: synthetic.SceneTruth) -> np.ndarray:
    """The spectral score of compositing.py's docstring (reflectance in percent)."""
    blu, grn, red, nir, sw1, sw2 = (100.0 * reflectance(sensor_key, truth, b) for b in SCORE_BANDS[_family(sensor_key)])
    with np.errstate(all="ignore"):
        ndvi = (nir - red) / (nir + red)
        min_band = np.minimum.reduce([blu, grn, red, nir, sw1, sw2])
        bad = np.zeros(blu.shape, dtype=bool)
        blu_star = np.where(blu < 0.1, sw2 / 4, blu)
        veg = nir / (blu_star + 15 / nir)
        bad |= (nir == 0) | (blu_star + 15 / nir == 0)
        haze = blu - sw2 / 4
        veg = np.where((haze > 0) & (haze < 0.3) & (ndvi > 0.8), veg - 10 * haze, veg)
        veg = np.where(min_band < -ndvi, -1000.0, veg)
        low_vis = np.minimum(grn, red)
        ref = np.where(low_vis < 0, 0.7 * np.maximum(grn, red), 0.7 * low_vis)
        blu_nv = np.maximum(blu, ref)
        max_ir = np.maximum(nir, sw1)
        nonveg = max_ir / (blu_nv + 35 / max_ir)
        bad_nv = (max_ir == 0) | (blu_nv + 35 / max_ir == 0)
        nonveg = np.where(sw1 < blu, nonveg - np.abs(blu - sw1), nonveg)
        nonveg = np.where((min_band < 0.5) | (max_ir < 2), -10000.0, nonveg)
        max_vis = np.maximum(blu, grn)
        max_sw = np.maximum(sw1, sw2)
        nir_w = np.where(nir < 0, max_sw, nir)
        water = np.maximum(10 * max_vis / (10 * max_sw + max_vis), 10 * max_vis / (10 * nir_w + max_vis))
        bad_w = (10 * max_sw + max_vis == 0) | (10 * nir_w + max_vis == 0)
        use_veg = (ndvi > 0.5) & (nir > 5)
        combined = np.maximum(np.where(use_veg, veg, nonveg), water)
        uncomputable = np.where(use_veg, bad, bad_nv) | bad_w | ((nir + red) == 0)
    return np.where(uncomputable, NO_SCORE, combined)


@dataclass
class Reference:
    chosen: np.ndarray
    """Index into ``truth`` of the chosen scene per pixel, −1 where no clear observation."""
    date: np.ndarray
    """Days since 1970-01-01 of the chosen scene (0 where none)."""
    flagged: np.ndarray
    in_period: list[int]


def keeps_cloud_cover(family: str, properties: dict, latitude: float, max_scene_cloud: float | None) -> bool:
    """The scene-cloud prefilter, restated (see :data:`CLOUD_PROPERTY`): does a scene of ``family`` with these
    properties enter the composite of a region centred at ``latitude``?"""
    cover = properties.get(CLOUD_PROPERTY[family])
    if max_scene_cloud is not None:
        return max_scene_cloud >= 100 or (cover is not None and cover <= max_scene_cloud)
    if family != "S2":
        return True
    limit = S2_MAX_CLOUD_SOUTH if latitude < S2_NORTH_LATITUDE else S2_MAX_CLOUD_NORTH
    return cover is not None and cover < limit


def meets(scene_bounds: tuple | None, region_bounds: tuple | None) -> bool:
    """Whether a scene lying on ``scene_bounds`` is over a region of ``region_bounds`` (either ``None``: yes)."""
    if scene_bounds is None or region_bounds is None:
        return True
    x0, y0, x1, y1 = region_bounds
    sx0, sy0, sx1, sy1 = scene_bounds
    return x0 <= sx1 and sx0 <= x1 and y0 <= sy1 and sy0 <= y1


def reference_choice(src: synthetic.SyntheticSources, period: Period, time_weight: float = 0.0,
                     max_scene_cloud: float | None = None, latitude: float = REGION_LATITUDE,
                     region_bounds: tuple | None = None) -> Reference:
    """The documented choice (module doc, step 1) for a region centred at ``latitude`` whose rectangle is
    ``region_bounds`` (EPSG:3979; ``None``: every scene is over it)."""
    first = days_since_epoch(period.first) * MS_PER_DAY
    end = days_since_epoch(period.end_exclusive) * MS_PER_DAY
    keep = []
    for i, t in enumerate(src.truth):
        if not first <= t.time_start < end or not meets(t.bounds, region_bounds):
            continue
        if _family(src.sensor_key) == "S2" and not all(t.properties.get(p, 0) > 0 for p in S2_ANGLE_PROPERTIES):
            continue
        if not keeps_cloud_cover(_family(_scene_sensor(src, t)), t.properties, latitude, max_scene_cloud):
            continue
        keep.append(i)
    best = np.full(synthetic.GRID, -np.inf)
    chosen = np.full(synthetic.GRID, -1, dtype=np.int64)
    flagged = np.zeros(synthetic.GRID, dtype=bool)
    middle = days_since_epoch(period.middle)
    for i in keep:
        t = src.truth[i]
        removed, flag = removed_and_flagged(_scene_sensor(src, t), t)
        s = score(_scene_sensor(src, t), t).astype(np.float32).astype(np.float64)
        if time_weight > 0:
            tau = TIME_SCALE_DAYS[_family(src.sensor_key)]
            s = s + time_weight * math.exp(-abs(t.time_start // MS_PER_DAY - middle) / tau)
            s = s.astype(np.float32).astype(np.float64)  # the graph's score band is float32
        better = ~removed & (s > best)
        best = np.where(better, s, best)
        chosen = np.where(better, i, chosen)
        flagged = np.where(better, flag, flagged)
    date = np.zeros(synthetic.GRID, dtype=np.int64)
    for i in keep:
        date[chosen == i] = src.truth[i].time_start // MS_PER_DAY
    return Reference(chosen, date, flagged, keep)


def reference_partition(src: synthetic.SyntheticSources) -> np.ndarray:
    from leaf_qgis.engines.gee.landcover import COPERNICUS_TO_NALCMS

    lookup = dict(zip(*COPERNICUS_TO_NALCMS))
    fill = np.vectorize(lambda v: lookup.get(int(v), 0))(src.copernicus)
    return np.where(src.nalcms > 0, src.nalcms, fill).astype(np.uint8)


# ---------------------------------------------------------------------------------------------------------------------
# The local engine on the chosen pixels
# ---------------------------------------------------------------------------------------------------------------------

def chosen_inputs(src: synthetic.SyntheticSources, ref: Reference, bands: tuple[str, ...],
                  member: str | None = None) -> dict[str, np.ndarray]:
    """The chosen scene per pixel, as local-engine inputs: DN stack (65535 where no clear observation), its vendor QA
    bands (SCL, or QA_PIXEL and QA_RADSAT) and angles (degrees: SZA, VZA, RAA). A Landsat scene without its TOA
    partner: the metadata fallback (angles.py's doc: SZA 90° − ``SUN_ELEVATION``, nadir view, relative azimuth 0).

    HLS: the reflectance as Earth Engine serves it (float32, NaN where no clear observation; read with scale 1) and
    its Fmask snow/water bits as the Landsat ``QA_PIXEL`` bits the local engine reads (5, 7): the local engine has no
    HLS reader, and the reference is the Landsat 8 networks on the same reflectances. ``member``: only the pixels
    whose chosen scene comes from that member of a merged sensor."""
    family = _family(member or src.sensor_key)
    hls = family.startswith("HLS")
    landsat = family != "S2"
    dn = np.full((len(bands), *synthetic.GRID), np.nan if hls else 65535, dtype=np.float32 if hls else np.uint16)
    angles = np.zeros((3, *synthetic.GRID), dtype=np.float32)
    qa_names = ("QA_PIXEL", "QA_RADSAT") if landsat else ("SCL",)
    qa = {name: np.zeros(synthetic.GRID, dtype=np.uint16 if landsat else np.uint8) for name in qa_names}
    if landsat:
        qa["QA_PIXEL"][:] = 1  # fill where no scene is chosen
    for i in ref.in_period:
        t = src.truth[i]
        where = ref.chosen == i
        if not where.any() or (member is not None and t.sensor_key != member):
            continue
        for k, band in enumerate(bands):
            dn[k][where] = reflectance(family, t, band)[where] if hls else t.dn[band][where]
        if hls:
            fmask = t.qa["Fmask"]
            qa["QA_PIXEL"][where] = ((((fmask >> 4) & 1) << 5) | (((fmask >> 5) & 1) << 7))[where]
        else:
            for name in qa_names:
                qa[name][where] = t.qa[name][where]
        a = t.angles_deg
        if family in ("TM", "OLI") and not synthetic.has_toa(src, i):
            sza = np.full(synthetic.GRID, 90.0 - t.properties["SUN_ELEVATION"])
            vza = np.zeros(synthetic.GRID)
            raa = np.zeros(synthetic.GRID)
        else:
            sza, vza, raa = a["SZA"], a["VZA"], np.mod(a["SAA"] - a["VAA"], 360.0)
        angles[0][where], angles[1][where], angles[2][where] = sza[where], vza[where], raa[where]
    return {"dn": dn, "angles": angles, **qa}


def run_local(src: synthetic.SyntheticSources, ref: Reference, partition: np.ndarray, products: tuple[str, ...],
              network_set: NetworkSet, mask_flagged: bool = False) -> dict[str, np.ndarray]:
    """The local engine, with its own pixel rules (:mod:`leaf_qgis.core.pixel_rules`), on the chosen pixels.

    A merged sensor: the local engine once per member, with that member's networks and QC code, on the pixels whose
    chosen scene is that member's; each pixel keeps its own member's outputs (pixels without a scene: the first
    member's, whose code the graph writes there)."""
    members = synthetic.MERGED.get(src.sensor_key)
    if not members:
        return _run_local_once(src, ref, partition, products, network_set, None, mask_flagged)
    result: dict[str, np.ndarray] = {}
    for k, member in enumerate(members):
        nets = network_set if k == 0 else networks(member, network_set.algorithm)
        out = _run_local_once(src, ref, partition, products, nets, member, mask_flagged)
        if not result:
            result = out
            continue
        mine = np.isin(ref.chosen, [i for i in ref.in_period if src.truth[i].sensor_key == member])
        result = {key: np.where(mine, out[key], value) for key, value in result.items()}
    return result


def _run_local_once(src: synthetic.SyntheticSources, ref: Reference, partition: np.ndarray,
                    products: tuple[str, ...], network_set: NetworkSet, member: str | None,
                    mask_flagged: bool) -> dict[str, np.ndarray]:
    from osgeo import gdal

    from leaf_qgis.engines.local.angles import AngleRaster
    from leaf_qgis.engines.local.produce import ProduceConfig, produce
    from tests.local_factory import write_raster

    sensor_key = member or src.sensor_key
    stack = tuple(network_set.stack_bands)
    extra = tuple(b for b in RANGE_BANDS[_family(sensor_key)] if b not in stack)
    inputs = chosen_inputs(src, ref, stack + extra, member)
    with tempfile.TemporaryDirectory(prefix="ee_eval_") as tmp:
        folder = Path(tmp)
        paths = {name: write_raster(folder / f"{name}.tif", array) for name, array in inputs.items()}
        lc = write_raster(folder / "landcover.tif", partition)
        outputs = {key: str(folder / f"{key}.tif") for key in (*products, "QC")}
        family = _family(sensor_key)
        scale, offset = (1.0, 0.0) if family.startswith("HLS") else SCALE[family]
        config = ProduceConfig(paths["dn"], sensor_key, outputs, AngleRaster(paths["angles"]), scale=scale,
                               offset=offset, products=tuple(products), algorithm=network_set.algorithm,
                               mask_flagged=mask_flagged, landcover_path=lc, nodata=65535, threads=1,
                               bands=tuple(range(1, len(stack) + 1)),
                               range_bands={b: len(stack) + k for k, b in enumerate(extra, 1)},
                               scl_path=paths.get("SCL"), qa_pixel_path=paths.get("QA_PIXEL"),
                               qa_radsat_path=paths.get("QA_RADSAT"))
        produce(config, network_set=network_set)
        return {key: gdal.Open(path).ReadAsArray() for key, path in outputs.items()}


# ---------------------------------------------------------------------------------------------------------------------
# The Earth Engine side: plan graphs evaluated
# ---------------------------------------------------------------------------------------------------------------------

def plan_exports(sensor_key: str, year: int, products: tuple[str, ...], network_set: NetworkSet,
                 time_weight: float = 0.0, tiles: tuple[str, ...] = (), max_scene_cloud: float | None = None,
                 mask_flagged: bool = False) -> tuple[list[dict], Period, tuple]:
    """(every export of the plan with its graph text, the month, the request's regions): July of ``year`` over the
    custom :data:`REGION` or the CCRS ``tiles``."""
    from leaf_qgis.engines.gee import plan as gee_plan
    from leaf_qgis.engines.gee import request as rq

    period = Period.month(year, 7)
    sensor = SENSORS[sensor_key]
    regions = rq.tile_regions(tiles) if tiles else [rq.custom_region("synthetic", REGION)]
    request = rq.make_request(regions, sensor_key, [period], [*products, "DATE", "PARTITION"], sensor.resolution_m,
                              time_score_weight=time_weight, algorithm=network_set.algorithm,
                              max_scene_cloud=max_scene_cloud, mask_flagged=mask_flagged)
    plan = gee_plan.build_plan(request, network_set)
    exports = [{**entry, "expression": gee_plan.task_expression(plan, index)}  # the one reader of plan graphs
               for index, entry in enumerate(plan["exports"])]
    return exports, period, request.regions


def exported(image: Image, data_type: str) -> np.ndarray:
    """The file Earth Engine writes for a 1-band image (see the module doc's export model)."""
    if len(image.bands) != 1:
        raise GraphError(f"export of a {len(image.bands)}-band image ({image.names}); one band expected")
    band = image.bands[0]
    if band.is_array:
        raise GraphError(f"export of array band {band.name!r}")
    values = np.where(band.mask, band.values, MASKED_EXPORT_VALUE)
    info = np.iinfo(np.dtype(data_type))
    return np.clip(np.trunc(values), info.min, info.max).astype(data_type)


# ---------------------------------------------------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------------------------------------------------

@dataclass
class ProductStats:
    differ: int
    """Region pixels whose DN differ."""
    max_diff: int
    """Largest |DN difference| over pixels where both hold an estimate (neither is nodata)."""
    nodata_differ: int
    """Region pixels where one file holds the map's nodata value (255) and the other does not."""


@dataclass
class Comparison:
    sensor_key: str
    region: str = "synthetic"
    errors: list[str] = field(default_factory=list)
    """Evaluation errors (graph defects the evaluator refuses), one per failing export."""
    products: dict[str, ProductStats] = field(default_factory=dict)
    qc_differ: int = 0
    qc_bits_differ: dict[int, int] = field(default_factory=dict)
    """Region pixels where QC bit 0/1/2 (and 3 for the sensor code, bits 3–7) differs."""
    date_wrong: int = 0
    """Region pixels whose DATE is not the documented rule's scene day (0 without observation)."""
    partition_wrong: int = 0
    outside_wrong: dict[str, int] = field(default_factory=dict)
    """Map → pixels outside the region that do not hold its nodata value."""
    missing: list[str] = field(default_factory=list)
    """Maps the plan does not export for the region."""
    region_pixels: int = 0
    maps: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    """The files the graphs write (whole grid)."""
    local: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    """The local engine's files (whole grid)."""
    reference: Reference | None = field(default=None, repr=False)

    def problems(self) -> list[str]:
        """Every difference (empty = the graphs write exactly what the reference and the local engine write)."""
        out = [f"evaluation error: {e}" for e in self.errors]
        out += [f"{key}: not exported" for key in self.missing]
        n = self.region_pixels
        for key, s in self.products.items():
            if s.differ:
                out.append(f"{key}: {s.differ} of {n} pixels differ, up to {s.max_diff} DN apart")
            if s.nodata_differ:
                out.append(f"{key}: nodata disagrees on {s.nodata_differ} of {n} pixels")
        if self.qc_differ:
            bits = ", ".join(f"bit {b} on {count}" for b, count in self.qc_bits_differ.items() if count)
            out.append(f"QC: {self.qc_differ} of {n} pixels differ ({bits})")
        if self.date_wrong:
            out.append(f"DATE: {self.date_wrong} of {n} pixels name another scene than the documented rule")
        if self.partition_wrong:
            out.append(f"PARTITION: {self.partition_wrong} of {n} pixels wrong")
        if self.outside_wrong:
            wrong = ", ".join(f"{k} on {count}" for k, count in self.outside_wrong.items())
            out.append(f"outside the region, maps not at their nodata value: {wrong}")
        return out

    def summary(self) -> str:
        return f"{self.sensor_key} {self.region}: " + ("; ".join(self.problems()) or "all equal")


def _evaluate_region(sensor_key: str, src: synthetic.SyntheticSources, exports: list[dict], region_name: str,
                     region_mask: np.ndarray, products: tuple[str, ...]) -> tuple[Comparison, dict[str, np.ndarray]]:
    """The files the graphs of one region write, evaluated on ``src``."""
    result = Comparison(sensor_key, region_name, region_pixels=int(region_mask.sum()))
    maps: dict[str, np.ndarray] = {}
    entries = {e["key"]: e for e in exports if e["region_name"] == region_name}
    result.missing = [key for key in (*products, "QC", "DATE", "PARTITION") if key not in entries]
    for key, entry in entries.items():
        ev = Evaluator(synthetic.GRID, src.collections, src.images, region_mask)
        try:
            maps[key] = exported(ev.evaluate(json.loads(entry["expression"])), entry["data_type"])
        except GraphError as error:
            result.errors.append(f"{key}: {error}")
        outside = ~region_mask
        if key in maps and outside.any():
            wrong = int(np.sum(maps[key][outside] != entry["nodata"]))
            if wrong:
                result.outside_wrong[key] = wrong
    return result, maps


def compare_plan(sensor_key: str, year: int | None = None, products: tuple[str, ...] = PRODUCT_KEYS,
                 time_weight: float = 0.0, algorithm: str | None = None, max_scene_cloud: float | None = None,
                 mask_flagged: bool = False, tiles: tuple[str, ...] = (),
                 src: synthetic.SyntheticSources | None = None) -> dict[str, Comparison]:
    """Evaluate each region's graphs and the local engine on the same synthetic pixels (see the module doc).

    ``src``: the sources (default: :func:`.synthetic.sources` of the sensor and year); ``tiles``: CCRS tile names
    instead of the custom region (the same sources under every tile: their scenes' ground bounds say which tile each
    scene lies over)."""
    from leaf_qgis.core.products import nodata_for

    year = year or YEARS[sensor_key]
    nets = networks(sensor_key, algorithm)
    src = src or synthetic.sources(sensor_key, year)
    exports, period, regions = plan_exports(sensor_key, year, products, nets, time_weight, tuple(tiles),
                                            max_scene_cloud, mask_flagged)
    partition = reference_partition(src)
    results = {}
    for region in regions:
        mask = np.ones(synthetic.GRID, dtype=bool) if region.is_tile else synthetic.region_mask()
        result, maps = _evaluate_region(sensor_key, src, exports, region.name, mask, products)
        ref = reference_choice(src, period, time_weight, max_scene_cloud, region.centroid_latitude,
                               region.tile.bounds if region.is_tile else None)
        local = run_local(src, ref, partition, products, nets, mask_flagged)
        result.maps, result.local, result.reference = maps, local, ref
        if "DATE" in maps:
            result.date_wrong = int(np.sum(maps["DATE"][mask] != ref.date[mask]))
        if "PARTITION" in maps:
            result.partition_wrong = int(np.sum(maps["PARTITION"][mask] != partition[mask]))
        for key in products:
            if key not in maps:
                continue
            nodata = nodata_for(key)
            gee, loc = maps[key][mask].astype(np.int64), local[key][mask].astype(np.int64)
            both = (gee != nodata) & (loc != nodata)
            result.products[key] = ProductStats(int(np.sum(gee != loc)), int(np.abs(gee - loc)[both].max(initial=0)),
                                                int(np.sum((gee == nodata) != (loc == nodata))))
        if "QC" in maps:
            gee, loc = maps["QC"][mask].astype(np.int64), local["QC"][mask].astype(np.int64)
            result.qc_differ = int(np.sum(gee != loc))
            result.qc_bits_differ = {b: int(np.sum(((gee ^ loc) >> b) & 1)) for b in (0, 1, 2)}
            result.qc_bits_differ[3] = int(np.sum((gee >> 3) != (loc >> 3)))
        results[region.name] = result
    return results


def compare_with_local(sensor_key: str, year: int | None = None, products: tuple[str, ...] = PRODUCT_KEYS,
                       time_weight: float = 0.0, algorithm: str | None = None, max_scene_cloud: float | None = None,
                       mask_flagged: bool = False, src: synthetic.SyntheticSources | None = None) -> Comparison:
    """:func:`compare_plan` over the custom :data:`REGION`."""
    return compare_plan(sensor_key, year, products, time_weight, algorithm, max_scene_cloud, mask_flagged,
                        src=src)["synthetic"]


def main() -> None:
    """``python -m tests.ee_eval.compare``: the figures of every sensor."""
    for sensor, year in (("S2", 2020), ("S2", 2023), ("L5", 2005), ("L7", 2010), ("L8", 2020), ("L9", 2022),
                         ("HLS_L30", 2021), ("HLS_S30", 2021), ("LANDSAT_OLI", 2022), ("LANDSAT_TM_ETM", 2005)):
        result = compare_with_local(sensor, year)
        print(f"{sensor} {year}: {result.region_pixels} region pixels")
        for line in result.problems() or ["all equal"]:
            print(f"  {line}")


if __name__ == "__main__":
    main()
