"""Compare the Earth Engine graphs of a plan with the local engine, pixel for pixel, on synthetic scenes.

:func:`compare_with_local` builds a dry-run plan (the plugin's public entry point :func:`build_plan`) for one month
and a custom region, evaluates every exported graph (products, QC, DATE, PARTITION) with :mod:`.evaluator` on
:mod:`.synthetic` sources, and independently:

1. picks per pixel the scene the *documented* compositing rule picks: scenes of the month (filter dates inclusive),
   Sentinel-2 scenes with angle metadata, vendor "removed" pixels dropped (the masks listed in
   :mod:`leaf_qgis.engines.gee.collections`' docstring, restated here as literals so a mutation of the engine cannot
   hide in the reference), the highest score of :mod:`leaf_qgis.engines.gee.compositing`'s docstring (re-implemented
   here in numpy from that text), ties to the first scene;
2. runs the LOCAL engine (:func:`leaf_qgis.engines.local.produce.produce`, with the Earth Engine workflow's own
   network set) on exactly those pixels: the chosen scene's DN, its vendor QA bands (SCL, or QA_PIXEL and
   QA_RADSAT), its angles (per pixel: an angle raster) and the land cover; the local engine applies its own pixel
   rules (:mod:`leaf_qgis.core.pixel_rules`); pixels without a clear observation are input nodata;
3. compares: equal DN per product, max DN difference, equal QC bytes (and which bits differ), DATE = the chosen
   scene's day, and nodata agreement (inside the region: 255 exactly where the local engine writes 255; outside:
   every map holds its nodata value).

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
ALL_TOLERATED = ("arrayReshape-lengths", "mosaic-band-names")
MASKED_EXPORT_VALUE = 0

# --- The documented rules, restated (collections.py / compositing.py / outputs.py docstrings) ---------------------
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
NO_SCORE = -1.0e6
MS_PER_DAY = 86_400_000

REGION = {"type": "Polygon", "coordinates": [[[-75.9, 45.2], [-75.4, 45.2], [-75.4, 45.5], [-75.9, 45.5],
                                              [-75.9, 45.2]]]}


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


def reference_choice(src: synthetic.SyntheticSources, period: Period, time_weight: float = 0.0,
                     max_scene_cloud: float | None = None) -> Reference:
    first = days_since_epoch(period.first) * MS_PER_DAY
    end = days_since_epoch(period.end_exclusive) * MS_PER_DAY
    keep = []
    for i, t in enumerate(src.truth):
        if not first <= t.time_start < end:
            continue
        if _family(src.sensor_key) == "S2" and not (t.properties.get("MEAN_SOLAR_ZENITH_ANGLE", 0) > 0
                                                    and t.properties.get("MEAN_INCIDENCE_ZENITH_ANGLE_B8A", 0) > 0):
            continue
        if max_scene_cloud is not None:
            cover = t.properties.get("CLOUDY_PIXEL_PERCENTAGE", t.properties.get("CLOUD_COVER"))
            if cover is None or cover > max_scene_cloud:
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
                  per_pixel_landsat_angles: bool, member: str | None = None) -> dict[str, np.ndarray]:
    """The chosen scene per pixel, as local-engine inputs: DN stack (65535 where no clear observation), its vendor QA
    bands (SCL, or QA_PIXEL and QA_RADSAT) and angles (degrees: SZA, VZA, RAA).

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
        if family in ("TM", "OLI") and not per_pixel_landsat_angles:
            sza = np.full(synthetic.GRID, 90.0 - t.properties["SUN_ELEVATION"])
            vza = np.zeros(synthetic.GRID)
            raa = np.zeros(synthetic.GRID)
        else:
            sza, vza, raa = a["SZA"], a["VZA"], np.mod(a["SAA"] - a["VAA"], 360.0)
        angles[0][where], angles[1][where], angles[2][where] = sza[where], vza[where], raa[where]
    return {"dn": dn, "angles": angles, **qa}


def run_local(src: synthetic.SyntheticSources, ref: Reference, partition: np.ndarray, products: tuple[str, ...],
              per_pixel_landsat_angles: bool, network_set: NetworkSet) -> dict[str, np.ndarray]:
    """The local engine, with its own pixel rules (:mod:`leaf_qgis.core.pixel_rules`), on the chosen pixels.

    A merged sensor: the local engine once per member, with that member's networks and QC code, on the pixels whose
    chosen scene is that member's; each pixel keeps its own member's outputs (pixels without a scene: the first
    member's, whose code the graph writes there)."""
    members = synthetic.MERGED.get(src.sensor_key)
    if not members:
        return _run_local_once(src, ref, partition, products, per_pixel_landsat_angles, network_set, None)
    result: dict[str, np.ndarray] = {}
    for k, member in enumerate(members):
        nets = network_set if k == 0 else networks(member, network_set.algorithm)
        out = _run_local_once(src, ref, partition, products, per_pixel_landsat_angles, nets, member)
        if not result:
            result = out
            continue
        mine = np.isin(ref.chosen, [i for i in ref.in_period if src.truth[i].sensor_key == member])
        result = {key: np.where(mine, out[key], value) for key, value in result.items()}
    return result


def _run_local_once(src: synthetic.SyntheticSources, ref: Reference, partition: np.ndarray,
                    products: tuple[str, ...], per_pixel_landsat_angles: bool, network_set: NetworkSet,
                    member: str | None) -> dict[str, np.ndarray]:
    from osgeo import gdal

    from leaf_qgis.engines.local.angles import AngleRaster
    from leaf_qgis.engines.local.produce import ProduceConfig, produce
    from tests.local_factory import write_raster

    sensor_key = member or src.sensor_key
    stack = tuple(network_set.stack_bands)
    extra = tuple(b for b in RANGE_BANDS[_family(sensor_key)] if b not in stack)
    inputs = chosen_inputs(src, ref, stack + extra, per_pixel_landsat_angles, member)
    with tempfile.TemporaryDirectory(prefix="ee_eval_") as tmp:
        folder = Path(tmp)
        paths = {name: write_raster(folder / f"{name}.tif", array) for name, array in inputs.items()}
        lc = write_raster(folder / "landcover.tif", partition)
        outputs = {key: str(folder / f"{key}.tif") for key in (*products, "QC")}
        family = _family(sensor_key)
        scale, offset = (1.0, 0.0) if family.startswith("HLS") else SCALE[family]
        config = ProduceConfig(paths["dn"], sensor_key, outputs, AngleRaster(paths["angles"]), scale=scale,
                               offset=offset, products=tuple(products), landcover_path=lc, nodata=65535, threads=1,
                               bands=tuple(range(1, len(stack) + 1)),
                               range_bands={b: len(stack) + k for k, b in enumerate(extra, 1)},
                               scl_path=paths.get("SCL"), qa_pixel_path=paths.get("QA_PIXEL"),
                               qa_radsat_path=paths.get("QA_RADSAT"))
        if hasattr(config, "algorithm"):
            config.algorithm = getattr(network_set, "algorithm", config.algorithm)
        produce(config, network_set=network_set)
        return {key: gdal.Open(path).ReadAsArray() for key, path in outputs.items()}


# ---------------------------------------------------------------------------------------------------------------------
# The Earth Engine side: plan graphs evaluated
# ---------------------------------------------------------------------------------------------------------------------

def plan_exports(sensor_key: str, year: int, products: tuple[str, ...], network_set: NetworkSet,
                 time_weight: float = 0.0) -> tuple[list[dict], Period]:
    from leaf_qgis.engines.gee import plan as gee_plan
    from leaf_qgis.engines.gee import request as rq

    period = Period.month(year, 7)
    sensor = SENSORS[sensor_key]
    request = rq.make_request([rq.custom_region("synthetic", REGION)], sensor_key, [period],
                              [*products, "DATE", "PARTITION"], sensor.resolution_m,
                              time_score_weight=time_weight, algorithm=network_set.algorithm)
    plan = gee_plan.build_plan(request, network_set)
    exports = [{**entry, "expression": gee_plan.task_expression(plan, index)}  # the one reader of plan graphs
               for index, entry in enumerate(plan["exports"])]
    return exports, period


def exported(image: Image, data_type: str, masked_value: int = MASKED_EXPORT_VALUE) -> np.ndarray:
    """The file Earth Engine writes for a 1-band image (see the module doc's export model)."""
    if len(image.bands) != 1:
        raise GraphError(f"export of a {len(image.bands)}-band image ({image.names}); one band expected")
    band = image.bands[0]
    if band.is_array:
        raise GraphError(f"export of array band {band.name!r}")
    values = np.where(band.mask, band.values, masked_value)
    info = np.iinfo(np.dtype(data_type))
    return np.clip(np.trunc(values), info.min, info.max).astype(data_type)


# ---------------------------------------------------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------------------------------------------------

@dataclass
class ProductStats:
    equal: float
    """Fraction of region pixels with equal DN."""
    max_diff: int
    """Largest |DN difference| over pixels where both hold an estimate (neither is 255 nor masked-as-0 nodata)."""
    nodata_agree: float
    """Fraction of region pixels where both or neither hold the map's nodata value (255) in the files."""
    lost: float = 0.0
    """Fraction of region pixels the local engine estimates but the graph leaves masked (no estimate)."""


@dataclass
class Comparison:
    sensor_key: str
    errors: list[str] = field(default_factory=list)
    """Strict evaluation errors (graph defects the evaluator refuses), one per failing export."""
    defects: list[str] = field(default_factory=list)
    """Defects tolerated (recorded instead of raised) in the figures below."""
    products: dict[str, ProductStats] = field(default_factory=dict)
    qc_equal: float = 0.0
    qc_bits_differ: dict[int, float] = field(default_factory=dict)
    """Fraction of region pixels where QC bit 0/1/2 (and 3 for the sensor code) differs."""
    date_right: float = 0.0
    """Fraction of region pixels whose DATE equals the documented rule's scene day (0 without observation)."""
    outside_nodata: bool = False
    """Every map holds its nodata value outside the region."""
    outside_wrong: dict[str, float] = field(default_factory=dict)
    """Map → fraction of the pixels outside the region that do not hold its nodata value."""
    partition_right: float = 0.0
    region_pixels: int = 0
    breakdown: dict[str, float] = field(default_factory=dict)
    """Where the LAI and QC maps differ, by kind (fractions of the region's pixels), to name the defects."""

    def problems(self, min_equal: float = 0.99, max_dn: int = 1) -> list[str]:
        """What fails the issue's expectations (empty = the comparison passes)."""
        out = []
        out += [f"evaluation error: {e}" for e in self.errors]
        for key, s in self.products.items():
            if s.equal < min_equal:
                out.append(f"{key}: {100 * (1 - s.equal):.1f} % of pixels differ")
            if s.max_diff > max_dn:
                out.append(f"{key}: DN up to {s.max_diff} apart")
            if s.lost > 0:
                out.append(f"{key}: {100 * s.lost:.1f} % of pixels masked by the graph but estimated locally")
            if s.nodata_agree < 1:
                out.append(f"{key}: nodata disagrees on {100 * (1 - s.nodata_agree):.1f} % of pixels")
        if self.products and self.qc_equal < min_equal:
            bits = ", ".join(f"bit {b} {100 * f:.1f} %" for b, f in self.qc_bits_differ.items() if f)
            out.append(f"QC: {100 * (1 - self.qc_equal):.1f} % differ ({bits})")
        if self.date_right < 1:
            out.append(f"DATE: {100 * (1 - self.date_right):.1f} % name another scene than the documented rule")
        if not self.outside_nodata:
            wrong = ", ".join(f"{k} {100 * f:.0f} %" for k, f in self.outside_wrong.items()) or "maps missing"
            out.append(f"outside the region, maps not at their nodata value: {wrong}")
        if self.partition_right < 1:
            out.append(f"PARTITION: {100 * (1 - self.partition_right):.1f} % wrong")
        return out

    def summary(self) -> str:
        head = f"{self.sensor_key}: " + ("; ".join(self.problems()) or "all equal")
        if self.defects:
            head += " [tolerated: " + " | ".join(sorted(set(d.split(";")[0] for d in self.defects))) + "]"
        return head


def _breakdown(maps: dict[str, np.ndarray], masks: dict[str, np.ndarray], local: dict[str, np.ndarray],
               partition: np.ndarray, region: np.ndarray) -> dict[str, float]:
    gee_est = masks["LAI"] & region
    loc_est = (local["LAI"] != 255) & region
    loc_flag = (local["QC"] & 4) != 0
    gee_qc = maps["QC"]
    n = float(region.sum())
    both = gee_est & loc_est
    far = both & (np.abs(maps["LAI"].astype(np.int64) - local["LAI"].astype(np.int64)) > 1)
    out = {
        "graph blanks a flagged pixel the local engine estimates": (~gee_est & loc_est & loc_flag).sum() / n,
        "graph blanks a valid pixel the local engine estimates": (~gee_est & loc_est & ~loc_flag).sum() / n,
        "graph estimates where the local engine has no estimate": (gee_est & ~loc_est).sum() / n,
        "masked pixel written 0 where the local engine writes 255": (~gee_est & region & (maps["LAI"] == 0)
                                                                    & ~loc_est).sum() / n,
        "QC bit 0 set with bit 2 (graph)": (((gee_qc & 5) == 5) & region).sum() / n,
        "LAI more than 1 DN apart": far.sum() / n,
    }
    for value in np.unique(partition[far]):
        out[f"LAI more than 1 DN apart, NALCMS class {int(value)}"] = (far & (partition == value)).sum() / n
    return {k: float(v) for k, v in out.items() if v}


def compare_with_local(sensor_key: str, year: int | None = None, products: tuple[str, ...] = PRODUCT_KEYS,
                       tolerate: tuple[str, ...] = (), time_weight: float = 0.0,
                       masked_as_nodata: bool = False, algorithm: str | None = None) -> Comparison:
    """Evaluate the plan's graphs and the local engine on the same synthetic pixels (see the module doc).

    ``masked_as_nodata``: the other export model (masked pixels written as the file's ``noData`` value instead of 0),
    to see which differences depend on the model."""
    year = year or YEARS[sensor_key]
    nets = networks(sensor_key, algorithm)
    src = synthetic.sources(sensor_key, year)
    exports, period = plan_exports(sensor_key, year, products, nets, time_weight)
    region = synthetic.region_mask()
    result = Comparison(sensor_key, region_pixels=int(region.sum()))
    maps: dict[str, np.ndarray] = {}
    masks: dict[str, np.ndarray] = {}
    expressions = {e["key"]: e for e in exports}
    for key, entry in expressions.items():
        ev = Evaluator(synthetic.GRID, src.collections, src.images, region, tolerate=tolerate)
        try:
            image = ev.evaluate(json.loads(entry["expression"]))
            maps[key] = exported(image, entry["data_type"],
                                 entry["nodata"] if masked_as_nodata else MASKED_EXPORT_VALUE)
            masks[key] = image.bands[0].mask
        except GraphError as error:
            result.errors.append(f"{key}: {error}")
        result.defects += ev.defects
    from leaf_qgis.engines.gee import collections as gee_collections

    per_pixel = any("T1_TOA" in e["expression"] for e in exports)
    ref = reference_choice(src, period, time_weight, getattr(gee_collections, "MAX_SCENE_CLOUD", None))
    partition = reference_partition(src)
    local = run_local(src, ref, partition, products, per_pixel, nets)
    outside = ~region
    for key, entry in expressions.items():
        if key in maps:
            wrong = float(np.mean(maps[key][outside] != entry["nodata"]))
            if wrong:
                result.outside_wrong[key] = wrong
    result.outside_nodata = not result.outside_wrong and len(maps) == len(expressions)
    if "DATE" in maps:
        result.date_right = float(np.mean(maps["DATE"][region] == ref.date[region]))
    if "PARTITION" in maps:
        result.partition_right = float(np.mean(maps["PARTITION"][region] == partition[region]))
    for key in products:
        if key not in maps:
            continue
        nodata = expressions[key]["nodata"]
        gee, loc = maps[key][region].astype(np.int64), local[key][region].astype(np.int64)
        gee_estimate = masks[key][region] & (gee != nodata)
        both = gee_estimate & (loc != nodata)
        result.products[key] = ProductStats(
            float(np.mean(gee == loc)), int(np.abs(gee - loc)[both].max(initial=0)),
            float(np.mean((gee == nodata) == (loc == nodata))), float(np.mean(~gee_estimate & (loc != nodata))))
    if "LAI" in maps and "QC" in maps:
        result.breakdown = _breakdown(maps, masks, local, partition, region)
    if "QC" in maps:
        gee, loc = maps["QC"][region].astype(np.int64), local["QC"][region].astype(np.int64)
        result.qc_equal = float(np.mean(gee == loc))
        result.qc_bits_differ = {b: float(np.mean(((gee ^ loc) >> b) & 1)) for b in (0, 1, 2)}
        result.qc_bits_differ[3] = float(np.mean((gee >> 3) != (loc >> 3)))
    return result


def main() -> None:
    """``python -m tests.ee_eval.compare``: the figures of every sensor, strict and with the defects tolerated."""
    for sensor, year in (("S2", 2020), ("S2", 2023), ("L5", 2005), ("L7", 2010), ("L8", 2020), ("L9", 2022),
                         ("HLS_L30", 2021), ("HLS_S30", 2021), ("LANDSAT_OLI", 2022), ("LANDSAT_TM_ETM", 2005)):
        strict = compare_with_local(sensor, year)
        tolerant = compare_with_local(sensor, year, tolerate=ALL_TOLERATED)
        print(f"{sensor} {year}")
        for line in strict.errors:
            print(f"  strict: {line[:160]}")
        for line in tolerant.problems():
            print(f"  tolerant: {line}")
        for key, s in tolerant.products.items():
            print(f"  {key}: {100 * s.equal:.1f} % equal, max {s.max_diff} DN apart, nodata agrees on "
                  f"{100 * s.nodata_agree:.1f} %, {100 * s.lost:.1f} % lost")
        bits = ", ".join(f"bit {b}: {100 * f:.1f} %" for b, f in tolerant.qc_bits_differ.items())
        print(f"  QC: {100 * tolerant.qc_equal:.1f} % equal ({bits}); DATE right {100 * tolerant.date_right:.1f} %")
        for kind, fraction in tolerant.breakdown.items():
            print(f"  {kind}: {100 * fraction:.1f} %")


if __name__ == "__main__":
    main()
