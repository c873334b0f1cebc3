"""The local engine: SL2P products and the QC byte from a reflectance raster, block by block.

Flow: validate everything (bands, angles, auxiliary grids, destinations) → create temporary outputs → for each
tile-aligned window, read → reflectance → SL2P (core) → QC byte and encodings (core) → write → rename the outputs into
place. Windows are computed by a small thread pool (numpy and GDAL release the GIL) and written in order by the
calling thread, with at most two windows in flight per worker, so memory stays bounded whatever the raster size.
:class:`WindowEngine` is the same engine without files, for a few regions of a raster (``leaf:sample_sites``).

Pixel rules: :mod:`leaf_qgis.core.pixel_rules` (one rule set for both engines). Here that means:

* no estimate (product nodata, QC = sensor code | bit 2): input nodata or non-finite reflectance in a network band
  (in a range-only band it only leaves that band out of the range test, as Earth Engine does), MASK ≠ 0, a
  Sentinel-2 SCL class of :data:`core.masks.SCL_REMOVED_CLASSES`, a Landsat ``QA_PIXEL`` bit of
  :data:`core.masks.LANDSAT_QA_REMOVED_BITS`, missing angles, LANDCOVER water or no data;
* flagged (QC bit 2, estimate kept unless ``mask_flagged``): SCL saturated/defective, water, snow; ``QA_PIXEL``
  snow/water; ``QA_RADSAT`` ≠ 0; LANDCOVER urban or snow/ice; the snow test; a reflectance outside the production
  range in a network band or in one of the sensor's other range-test bands the input provides
  (:attr:`ProduceConfig.range_bands`: read with the network bands in the same call, tested in the same vectorised
  pass; an input without them reads nothing more);
* every other pixel: estimates, bit 0 (input outside the training domain), bit 1 (an estimate outside the valid
  range, or clamped by the LEAF encoding) and the sensor code.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from osgeo import gdal

from ...core import pixel_rules, qc
from ...core.encoding import FLOAT32_NODATA, Encoding, encode_leaf, leaf_scale_metadata
from ...core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError
from ...core.landcover import NALCMS_CLASSES, PARTITION_NODATA
from ...core.masks import (
    LANDSAT_QA_FLAGGED_BITS,
    LANDSAT_QA_REMOVED_BITS,
    LANDSAT_SATURATION_BAND,
    SCL_FLAGGED_CLASSES,
    SCL_REMOVED_CLASSES,
    bits_mask,
)
from ...core.network_catalog import SL2P, SL2P_CCRS, algorithm_key
from ...core.network_store import NetworkStore
from ...core.networks import NetworkSet, load_network_set
from ...core.products import (
    DEFAULT_PRODUCTS,
    ERROR_KEY_SUFFIX,
    ERROR_TOKEN_SUFFIX,
    MAPS,
    PRODUCTS,
    QC_KEY,
    QC_TOKEN,
    output_keys,
)
from ...core.products import product as get_product
from ...core.sensors import sensor as get_sensor
from ...core.sl2p import Sl2pEvaluator, domain_code_tables
from ...rasters.raster_io import (
    MAX_WINDOW_PIXELS,
    MIN_CACHE_BYTES,
    DatasetPool,
    Grid,
    OutputSet,
    OutputSpec,
    Window,
    cache_limit,
    check_destinations,
    open_raster,
    read_window,
    require_same_grid,
    run_cache_bytes,
    windows,
)
from .angles import AngleGrid, AngleRaster, AngleSource, ConstantAngles, check_angle_raster_ranges, raster_cosines
from .blas import single_threaded_blas

#: GDAL type of each data type of the map table (:data:`leaf_qgis.core.products.MAPS`).
GDAL_TYPES = {"uint8": gdal.GDT_Byte, "uint16": gdal.GDT_UInt16}
RUN_SUMMARY = QT_TRANSLATE_NOOP("leaf", "{mpx} Mpx in {seconds} s ({rate} Mpx/s), {blocks} blocks")
RANGE_NOT_TESTED = QT_TRANSLATE_NOOP(
    "leaf", "Reflectance range test (QC bit 2): the input does not provide {bands}, so only its other bands are "
            "tested (CCRS production also tests {bands}). If your raster holds them, name them in RANGE_BANDS "
            "(NAME=band number).")


class Progress(Protocol):
    """What the engine needs from its caller (a QgsProcessingFeedback fits)."""

    def setProgress(self, percent: float) -> None: ...
    def isCanceled(self) -> bool: ...
    def pushInfo(self, text: str) -> None: ...


class _Silent:
    def setProgress(self, percent: float) -> None:
        pass

    def isCanceled(self) -> bool:
        return False

    def pushInfo(self, text: str) -> None:
        pass


class StageProfile:
    """Where a run's time goes, per (thread, stage): wall seconds and the thread's CPU seconds (CPU time is what the
    stage costs; wall time also counts waiting for a core, on a busy machine). Filled when passed as
    :attr:`ProduceConfig.profile` (``make bench`` prints it); the cost is a few clock reads per stage and window.

    Stages of a worker window: ``read`` (GDAL read and decompression of the stack), ``reflectance`` (DN → float32,
    nodata), ``pixel rules`` (range and snow tests, auxiliary rasters, angles), ``domain``, ``sl2p``, ``encoding``
    (LEAF bytes, range flags), ``qc``. The writing thread: ``wait`` (for the next window), ``write`` (hand the
    arrays to GDAL, which compresses tiles in its own threads) and ``flush`` (the last tiles, closing); before
    those, ``validate`` (every check, the networks, the scale check's preview read) and ``create outputs``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.wall: dict[tuple[str, str], float] = defaultdict(float)
        self.cpu: dict[tuple[str, str], float] = defaultdict(float)
        self.pixels: dict[str, int] = defaultdict(int)
        self.seconds = 0.0
        self.windows = 0

    def add(self, thread: str, stage: str, wall: float, cpu: float) -> None:
        with self._lock:
            self.wall[thread, stage] += wall
            self.cpu[thread, stage] += cpu

    def add_pixels(self, thread: str, pixels: int) -> None:
        with self._lock:
            self.pixels[thread] += pixels

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly: ``{"seconds", "windows", "wall"/"cpu": {thread: {stage: s}}, "pixels": {thread: n}}``."""
        out: dict[str, Any] = {"seconds": self.seconds, "windows": self.windows, "pixels": dict(self.pixels)}
        for name, table in (("wall", self.wall), ("cpu", self.cpu)):
            by_thread: dict[str, dict[str, float]] = {}
            for (thread, stage), seconds in sorted(table.items()):
                by_thread.setdefault(thread, {})[stage] = seconds
            out[name] = by_thread
        return out


class _Laps:
    """``lap(stage)`` charges the wall and CPU time since the previous lap to ``stage`` of the current thread."""

    def __init__(self, profile: StageProfile | None) -> None:
        self.profile = profile
        self.thread = threading.current_thread().name
        self.last = time.perf_counter()
        self.last_cpu = time.thread_time() if profile is not None else 0.0

    def __call__(self, stage: str) -> None:
        if self.profile is not None:
            now, cpu = time.perf_counter(), time.thread_time()
            self.profile.add(self.thread, stage, now - self.last, cpu - self.last_cpu)
            self.last, self.last_cpu = now, cpu

    def done(self, pixels: int = 0) -> None:
        if self.profile is not None:
            self.profile.add_pixels(self.thread, pixels)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers and ``taskset`` restrict)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class ProduceConfig:
    """One local run, validated by :func:`validate` before anything is written."""

    input_path: str
    sensor_key: str
    outputs: dict[str, str]
    """``LAI``, ``FCOVER``, ``FAPAR``, ``ALBEDO``, ``QC`` and, with uncertainty, ``LAI_ERROR`` … → GeoTIFF path."""
    angles: AngleSource
    bands: tuple[int, ...] | None = None
    """1-based bands of the stack in network-stack order; ``None``: the raster holds exactly the stack."""
    range_bands: dict[str, int] = field(default_factory=dict)
    """The sensor's other bands of the reflectance range test (``Sensor.range_only_bands``, e.g. Sentinel-2 B2 and
    B8) that the input holds: band name → 1-based band of the input. Tested against the range only (QC bit 2, as
    production's ``Img_ValueMask``); a band the input lacks is simply not tested. Empty: the network bands alone."""
    scale: Sequence[float] | float | None = None
    """Reflectance = DN·scale + offset: one value, or one per band read: the network bands, then the bands of
    ``range_bands`` in the sensor's ``range_only_bands`` order (e.g. Sentinel-2: B2, then B8), whatever the order of
    the dict; ``None``: the sensor's default."""
    offset: Sequence[float] | float | None = None
    products: tuple[str, ...] = DEFAULT_PRODUCTS
    uncertainty: bool = False
    encoding: Encoding = Encoding.LEAF
    algorithm: str = SL2P
    """``SL2P`` (generic network) or ``SL2P-CCRS`` (land-cover ensemble; needs ``landcover_path``)."""
    mask_flagged: bool = False
    """Also blank pixels that carry QC bit 2 but have an estimate (snow, urban, water flags, range tests)."""
    landcover_path: str | None = None
    landcover_label: str | None = None
    """The LANDCOVER path the messages name; ``None``: ``landcover_path``. ``sample_sites`` gives the user's land
    cover here, as the engine reads an in-memory copy warped onto the scene's grid, a path the user never chose."""
    mask_path: str | None = None
    scl_path: str | None = None
    qa_pixel_path: str | None = None
    """Landsat ``QA_PIXEL`` on the input grid (removed and flagged bits: :mod:`leaf_qgis.core.masks`)."""
    qa_radsat_path: str | None = None
    """Landsat ``QA_RADSAT`` on the input grid: ≠ 0 (a band saturated) is flagged (QC bit 2, estimate kept)."""
    nodata: float | None = None
    """Input DN that marks no data; ``None``: the raster's own nodata value (if any)."""
    metadata: dict[str, str] = field(default_factory=dict)
    translate: Callable[[str], str] | None = None
    """Translates the engine's messages (``tr`` in QGIS); ``None``: English."""
    threads: int = field(default_factory=lambda: usable_cores())
    """Worker threads computing windows; default: the cores this process may use."""
    max_window_pixels: int = MAX_WINDOW_PIXELS
    profile: StageProfile | None = None
    """Filled with the time per stage and thread when given (benchmarks)."""


@dataclass
class _Prepared:
    config: ProduceConfig
    grid: Grid
    bands: list[int]
    """Every band read: the network stack, then the range-only bands (:attr:`ProduceConfig.range_bands`)."""
    scale: np.ndarray
    offset: np.ndarray
    nodata: float | None
    networks: NetworkSet
    evaluator: Sl2pEvaluator
    qc_code: int
    snow_rows: tuple[int, int] | None
    angle_nodata: tuple[float | None, ...] = ()
    extra_paths: list[str] = field(default_factory=list)
    cache_bytes: int = MIN_CACHE_BYTES
    """GDAL block cache cap for the run (:func:`rasters.raster_io.run_cache_bytes` of every input)."""
    domain_tables: np.ndarray | None = None
    """Per band, the domain-code term of every DN (8/16-bit integer inputs, :func:`core.sl2p.domain_code_tables`)."""
    landcover_nodata: float | None = None
    """The LANDCOVER band's nodata value (e.g. 255 in many NALCMS copies): those pixels are land-cover no data."""
    inputs: int = 0
    """How many of :attr:`bands` the networks read (the first ones)."""


def _per_band(value: Sequence[float] | float, count: int, name: str) -> np.ndarray:
    values = np.atleast_1d(np.asarray(value, dtype=np.float64))
    if values.size == 1:
        values = np.repeat(values, count)
    if values.size != count:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "{name} has {given} values; give one value, or one per spectral band ({count})."),
            name=name, given=values.size, count=count,
        )
    return values.astype(np.float32)


def validate(config: ProduceConfig, network_set: NetworkSet | None = None,
             store: NetworkStore | None = None, *, to_arrays: bool = False) -> _Prepared:
    """Every check that can fail, before anything is created.

    ``to_arrays``: the caller computes windows to arrays (:class:`WindowEngine`), so there are no destinations to
    check, and the reflectance-scale check is left to each window computed (the whole-raster preview can cost more
    than the few windows that hold some sites)."""
    sensor = get_sensor(config.sensor_key)
    if not config.products:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "Choose at least one product ({choices})."),
                        choices=", ".join(PRODUCTS))
    for key in config.products:
        get_product(key)  # a clear error for an unknown key
    config.algorithm = algorithm_key(config.algorithm)
    if config.algorithm == SL2P_CCRS and not config.landcover_path:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "ALGORITHM SL2P-CCRS chooses a network per land-cover class: give LANDCOVER (NALCMS classes on "
                    "the input grid), or choose ALGORITHM SL2P (the generic network, no land cover needed)."))
    _check_range_band_names(config, sensor)
    ds = open_raster(config.input_path, "INPUT")
    grid = Grid.of(ds)
    stack = sensor.spectral_inputs
    if config.bands:
        bands = list(config.bands)
        if len(bands) != len(stack):
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "BANDS lists {given} bands but {sensor} needs {count}: {names} (in this "
                                          "order)."),
                given=len(bands), sensor=sensor.key, count=len(stack), names=", ".join(stack),
            )
        wrong = [b for b in bands if not 1 <= b <= ds.RasterCount]
        if wrong:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "BANDS {wrong} do not exist: the input has bands 1–{count}."),
                wrong=", ".join(str(b) for b in wrong), count=ds.RasterCount,
            )
        repeated = sorted({b for b in bands if bands.count(b) > 1})
        if repeated:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "BANDS lists band {repeated} more than once: each of {names} is a different "
                                          "band of your raster. Give {count} different band numbers, in that order."),
                repeated=", ".join(str(b) for b in repeated), names=", ".join(stack), count=len(stack),
            )
    else:  # the network stack first, then (a product's reader) the range-test bands it names
        if config.range_bands and ds.RasterCount != len(stack) + len(config.range_bands):
            raise LeafError(
                QT_TRANSLATE_NOOP(
                    "leaf",
                    "The input has {given} bands: without BANDS it must hold the {count} network bands of {sensor} "
                    "({names}, in this order) and then the bands RANGE_BANDS names ({extra}). Give BANDS (the band "
                    "numbers of the network bands in your raster)."),
                given=ds.RasterCount, sensor=sensor.key, count=len(stack), names=", ".join(stack),
                extra=", ".join(config.range_bands),
            )
        if ds.RasterCount != len(stack) + len(config.range_bands or {}):
            raise LeafError(
                QT_TRANSLATE_NOOP(
                    "leaf",
                    "The input has {given} bands but {sensor} needs {count}: {names}, in this order. Give BANDS (the "
                    "band numbers of those bands in your raster, e.g. 3,4,5,…) or a raster with exactly those bands.",
                ),
                given=ds.RasterCount, sensor=sensor.key, count=len(stack), names=", ".join(stack),
            )
        bands = list(range(1, len(stack) + 1))
    extra = _range_bands(config, sensor, ds, bands)
    count = len(stack) + len(extra)
    scale = _per_band(sensor.dn_scale if config.scale is None else config.scale, count, "SCALE")
    offset = _per_band(sensor.dn_offset if config.offset is None else config.offset, count, "OFFSET")
    if np.any(scale <= 0) or not np.all(np.isfinite(scale)) or not np.all(np.isfinite(offset)):
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "SCALE must be a positive number and OFFSET a finite one (reflectance = DN · SCALE + OFFSET); got "
                    "SCALE {scale}, OFFSET {offset}."), scale=config.scale, offset=config.offset)
    if not ds.GetProjection():
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "INPUT '{path}' has no coordinate reference system, so the outputs could not be placed on a map. "
                    "Assign its CRS first (Raster › Projections › Assign Projection, or gdal_edit.py -a_srs)."),
            path=config.input_path)
    nodata = config.nodata
    if nodata is None:
        nodata = ds.GetRasterBand(bands[0]).GetNoDataValue()
    if not to_arrays:
        _check_reflectance_scale(ds, bands, scale[:len(stack)], offset[:len(stack)], nodata)
    inputs = [config.input_path]
    opened = [ds]  # every input, for the block cache size
    angle_nodata: tuple[float | None, ...] = ()
    landcover_nodata: float | None = None
    angles = config.angles
    if isinstance(angles, ConstantAngles):
        angles = angles.validated()
        config.angles = angles
    elif isinstance(angles, AngleRaster):
        ads = open_raster(angles.path, "ANGLES")
        require_same_grid(grid, ads, "ANGLES", angles.path)
        check_angle_raster_ranges(ads, angles.path)
        angle_nodata = tuple(ads.GetRasterBand(i).GetNoDataValue() for i in (1, 2, 3))
        inputs.append(angles.path)
        opened.append(ads)
    for role, path in (("LANDCOVER", config.landcover_path), ("MASK", config.mask_path), ("SCL", config.scl_path),
                       ("QA_PIXEL", config.qa_pixel_path), (LANDSAT_SATURATION_BAND, config.qa_radsat_path)):
        if path:
            aux = open_raster(path, role)
            require_same_grid(grid, aux, role, path)
            if aux.RasterCount != 1:
                raise LeafError(
                    QT_TRANSLATE_NOOP("leaf", "{role} '{path}' has {count} bands; it must have one."),
                    role=role, path=path, count=aux.RasterCount,
                )
            inputs.append(path)
            opened.append(aux)
            if role == "LANDCOVER":
                landcover_nodata = aux.GetRasterBand(1).GetNoDataValue()
    if not to_arrays:
        keys = output_keys(config.products, config.uncertainty)
        missing = [k for k in keys if not config.outputs.get(k)]
        if missing:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "No file name for output(s) {keys}."), keys=", ".join(missing))
        check_destinations({k: config.outputs[k] for k in keys}, inputs)
    # Last: every check above is local and instant, while the networks may have to be downloaded.
    networks = network_set or load_network_set(sensor.key, config.algorithm, store)
    evaluator = Sl2pEvaluator(networks, config.products, config.uncertainty)
    roles = sensor.spectral_roles
    snow_rows = (roles.index("green"), roles.index("swir1")) if {"green", "swir1"} <= set(roles) else None
    prep = _Prepared(config, grid, bands + extra, scale, offset, nodata, networks, evaluator, sensor.qc_code,
                     snow_rows, angle_nodata, inputs=len(stack))
    prep.cache_bytes = run_cache_bytes(opened)
    prep.landcover_nodata = landcover_nodata
    dn_type = _integer_dn_type(ds, bands + extra)
    if dn_type is not None and networks.domain:
        prep.domain_tables = domain_code_tables(scale[:len(stack)], offset[:len(stack)], dn_type)
    return prep


def _check_range_band_names(config: ProduceConfig, sensor: Any) -> None:
    """:attr:`ProduceConfig.range_bands` names only bands the sensor tests beyond its network bands."""
    unknown = [name for name in config.range_bands or {} if name not in sensor.range_only_bands]
    if unknown:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "RANGE_BANDS names {names}, but the other bands {sensor} tests against the "
                                      "reflectance range are {choices} (its network bands are always tested)."),
            names=", ".join(unknown), sensor=sensor.key, choices=", ".join(sensor.range_only_bands) or "-",
        )


def _range_bands(config: ProduceConfig, sensor: Any, ds: Any, bands: list[int]) -> list[int]:
    """The input bands of :attr:`ProduceConfig.range_bands` (names checked by :func:`_check_range_band_names`), in
    the sensor's order, checked: bands that exist and are not already read."""
    given = config.range_bands or {}
    extra = [int(given[name]) for name in sensor.range_only_bands if name in given]
    wrong = [b for b in extra if not 1 <= b <= ds.RasterCount]
    if wrong:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "RANGE_BANDS {wrong} do not exist: the input has bands 1–{count}."),
            wrong=", ".join(str(b) for b in wrong), count=ds.RasterCount,
        )
    read = bands + extra
    repeated = sorted({b for b in extra if read.count(b) > 1})
    if repeated:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "RANGE_BANDS uses band {repeated} again: each of its bands must be a band of "
                                      "your raster that the network bands and the other RANGE_BANDS do not use."),
            repeated=", ".join(str(b) for b in repeated),
        )
    return extra


def _integer_dn_type(ds: Any, bands: list[int]) -> np.dtype | None:
    """The numpy type GDAL reads the stack as, when it is an 8- or 16-bit integer shared by every band."""
    types = {ds.GetRasterBand(b).DataType for b in bands}
    numpy_types = {gdal.GDT_Byte: np.uint8, gdal.GDT_UInt16: np.uint16, gdal.GDT_Int16: np.int16}
    return np.dtype(numpy_types[types.pop()]) if len(types) == 1 and next(iter(types), None) in numpy_types else None


def _output_specs(prep: _Prepared) -> list[OutputSpec]:
    config = prep.config
    specs = []
    common = {"LEAF_SENSOR": config.sensor_key, "LEAF_ENCODING": config.encoding.value}
    for key in config.products:
        product = PRODUCTS[key]
        for out_key, what in ((key, "estimate"), (key + ERROR_KEY_SUFFIX, "uncertainty")):
            if what == "uncertainty" and not config.uncertainty:
                continue
            meta = {**common, "LEAF_PRODUCT": key, "LEAF_LAYER": what}
            description = f"{product.file_token} {what}"
            if config.encoding is Encoding.LEAF:
                scale, offset = leaf_scale_metadata(product)
                specs.append(OutputSpec(out_key, config.outputs[out_key], GDAL_TYPES[product.dtype], product.nodata,
                                        scale, offset, description, meta, predictor=2))
            else:
                specs.append(OutputSpec(out_key, config.outputs[out_key], gdal.GDT_Float32, FLOAT32_NODATA, None, None,
                                        description, meta, predictor=3))
    specs.append(OutputSpec(QC_KEY, config.outputs[QC_KEY], GDAL_TYPES[MAPS[QC_KEY].dtype], MAPS[QC_KEY].nodata,
                            None, None, "QC",
                            {**common, "LEAF_PRODUCT": QC_KEY, "LEAF_LAYER": "qc"}))
    return specs


def _compute(prep: _Prepared, pool: DatasetPool, window: Window) -> dict[str, np.ndarray]:
    """Read one window and return every output array for it (runs in a worker thread)."""
    config = prep.config
    lap = _Laps(config.profile)
    n_pix = window.pixels
    dn = read_window(pool.get(config.input_path), prep.bands, window).reshape(len(prep.bands), n_pix)
    lap("read")
    # No data: a nodata DN or a non-finite reflectance in a NETWORK band (the pixel gets no estimate). A range-only
    # band's no data only leaves that band untested, as Earth Engine masks the band and keeps the pixel.
    integer = np.issubdtype(dn.dtype, np.integer)
    dn_nodata = None
    if prep.nodata is not None and not np.isnan(prep.nodata):
        dn_nodata = dn.dtype.type(prep.nodata) if integer else prep.nodata
    nodata = np.zeros(n_pix, dtype=bool)
    if dn_nodata is not None:
        nodata |= np.any(dn[:prep.inputs] == dn_nodata, axis=0)
    reflectance = dn.astype(np.float32)
    reflectance *= prep.scale[:, None]
    reflectance += prep.offset[:, None]
    tables = prep.domain_tables
    integer_dn = tables is not None and dn.dtype.kind in "ui" and tables.shape[1] == 1 << (8 * dn.dtype.itemsize)
    if not integer:  # integer DN · a finite SCALE + OFFSET is always finite
        nodata |= ~np.isfinite(reflectance[:prep.inputs]).all(axis=0)
    if nodata.any():
        reflectance[:, nodata] = 0.0  # never estimated; keeps inf/NaN out of the tests and the networks
    if len(prep.bands) > prep.inputs:  # range-only bands: no data there → 0, inside the range (not tested)
        untested = np.zeros((len(prep.bands) - prep.inputs, n_pix), dtype=bool) if integer \
            else ~np.isfinite(reflectance[prep.inputs:])
        if dn_nodata is not None:
            untested |= dn[prep.inputs:] == dn_nodata
        reflectance[prep.inputs:][untested] = 0.0
    lap("reflectance")
    inputs = reflectance[:prep.inputs]  # the network stack (a view: rows of a C-ordered array)
    no_estimate = nodata.copy()
    flagged = pixel_rules.out_of_range(reflectance) & ~nodata  # every band read: network and range-only bands
    if prep.snow_rows is not None:
        green, swir1 = prep.snow_rows
        flagged |= pixel_rules.snow(reflectance[green], reflectance[swir1])
    landcover = None
    if config.mask_path:
        no_estimate |= read_window(pool.get(config.mask_path), [1], window).reshape(n_pix) != 0
    if config.scl_path:
        scl = read_window(pool.get(config.scl_path), [1], window).reshape(n_pix)
        no_estimate |= np.isin(scl, SCL_REMOVED_CLASSES)
        flagged |= np.isin(scl, SCL_FLAGGED_CLASSES)
    if config.qa_pixel_path:
        qa = read_window(pool.get(config.qa_pixel_path), [1], window).reshape(n_pix).astype(np.int64)
        no_estimate |= (qa & bits_mask(LANDSAT_QA_REMOVED_BITS)) != 0
        flagged |= (qa & bits_mask(LANDSAT_QA_FLAGGED_BITS)) != 0
    if config.qa_radsat_path:  # saturation: flagged, as production's Img_ValidMask (core.masks)
        flagged |= read_window(pool.get(config.qa_radsat_path), [1], window).reshape(n_pix) != 0
    if config.landcover_path:
        landcover = _landcover_classes(read_window(pool.get(config.landcover_path), [1], window).reshape(n_pix),
                                       prep.landcover_nodata)
        _check_landcover_values(landcover, config.landcover_label or config.landcover_path)
        no_estimate |= _class_in(landcover, pixel_rules.NO_ESTIMATE_CLASSES)
        flagged |= _class_in(landcover, pixel_rules.FLAGGED_CLASSES)
    angles = config.angles
    if isinstance(angles, ConstantAngles):
        cosines: Sequence[Any] = angles.cosines()
    elif isinstance(angles, AngleGrid):
        cosines = [c.reshape(n_pix) for c in angles.cosines(prep.grid.geotransform, window)]
    else:
        degrees = read_window(pool.get(angles.path), [1, 2, 3], window)
        cos3, missing = raster_cosines(degrees, prep.angle_nodata)
        cosines = [c.reshape(n_pix) for c in cos3]
        no_estimate |= missing.reshape(n_pix)
    invalid = no_estimate | flagged
    if config.mask_flagged:
        no_estimate = invalid
    estimated = ~no_estimate
    valid = ~invalid
    lap("pixel rules")
    if integer_dn:
        index = dn.view(f"u{dn.dtype.itemsize}")
        codes = np.take(tables[0], index[0])
        for band in range(1, prep.inputs):
            codes += np.take(tables[band], index[band])
        out_of_domain = prep.evaluator.out_of_domain_codes(codes)
    else:
        out_of_domain = prep.evaluator.out_of_domain(inputs)
    lap("domain")
    result = prep.evaluator.evaluate(inputs, cosines, estimated, landcover, domain=False)
    lap("sl2p")
    out_of_range = result.out_of_range
    arrays: dict[str, np.ndarray] = {}
    for key in config.products:
        for out_key, values in ((key, result.estimates[key]), (key + ERROR_KEY_SUFFIX, result.errors.get(key))):
            if values is None:
                continue
            if config.encoding is Encoding.LEAF:
                encoded, clamped = encode_leaf(values, PRODUCTS[key])
                if out_key == key:
                    out_of_range = out_of_range | clamped
                arrays[out_key] = encoded
            else:
                arrays[out_key] = values
    lap("encoding")
    arrays[QC_KEY] = qc.encode(prep.qc_code, out_of_domain & valid, out_of_range & valid, invalid)
    lap("qc")
    lap.done(n_pix)
    return arrays


#: Pixels per side of the preview that :func:`_check_reflectance_scale` reads (GDAL decimates the raster).
SCALE_PREVIEW_SIDE = 256
#: Without overviews, the preview is this many × this many patches of :data:`SCALE_PATCH_SIDE` px, one in the middle
#: of each part of the raster: a decimated read of a compressed raster without overviews decompresses every tile
#: (1.1 s of CPU, a tenth of the run, on the 13 Mpx DEFLATE bench input), the patches only the few tiles they touch
#: (4 × 4 patches of 64 px still cost 0.15 s there, 2 × 2 of 128 px 0.04 s).
SCALE_PATCHES = 2
SCALE_PATCH_SIDE = 128


def _check_reflectance_scale(ds: Any, bands: list[int], scale: np.ndarray, offset: np.ndarray,
                             nodata: float | None) -> None:
    """Refuse the two scaling mistakes that give plausible-looking wrong maps (every pixel "valid"): reflectance
    already in 0–1 read with a DN scale (everything becomes ≈ 0 reflectance: LAI ≈ 1 everywhere), and DN read with
    SCALE 1 (reflectance in the thousands). Judged on a preview of about 256 × 256 pixels: a decimated read where
    the raster has overviews (or is small), else patches spread over the raster (:data:`SCALE_PATCHES`)."""
    width, height = ds.RasterXSize, ds.RasterYSize
    xs, ys = min(width, SCALE_PREVIEW_SIDE), min(height, SCALE_PREVIEW_SIDE)
    patches = SCALE_PATCHES * SCALE_PATCH_SIDE
    if ds.GetRasterBand(bands[0]).GetOverviewCount() or width <= patches or height <= patches:
        sample = np.stack([ds.GetRasterBand(b).ReadAsArray(0, 0, width, height, xs, ys) for b in bands])
    else:
        side = SCALE_PATCH_SIDE
        starts = [((2 * i + 1) * width // (2 * SCALE_PATCHES) - side // 2,
                   (2 * j + 1) * height // (2 * SCALE_PATCHES) - side // 2)
                  for j in range(SCALE_PATCHES) for i in range(SCALE_PATCHES)]
        sample = np.concatenate([read_window(ds, bands, Window(x, y, side, side)).reshape(len(bands), -1)
                                 for x, y in starts], axis=1)
    _judge_reflectance_scale(sample, scale, offset, nodata)


def _judge_reflectance_scale(sample: np.ndarray, scale: np.ndarray, offset: np.ndarray,
                             nodata: float | None) -> None:
    """The two refusals of :func:`_check_reflectance_scale`, on DN already read (one row per band)."""
    sample = sample.astype(np.float64).reshape(len(scale), -1)
    usable = np.isfinite(sample).all(axis=0)
    if nodata is not None and not np.isnan(nodata):
        usable &= ~(sample == nodata).any(axis=0)
    if not usable.any():
        return
    dn = sample[:, usable]
    rho = dn * scale[:, None] + offset[:, None]
    if float(np.max(np.abs(dn))) <= 1.5 and float(np.median(rho)) < 0.002 and float(np.max(scale)) < 0.01:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "INPUT looks like reflectance already in 0–1 (largest value {largest}), but it is being read as "
                    "DN with SCALE {scale}: every reflectance would be about {rho} and every map wrong. Give "
                    "SCALE 1 and OFFSET 0."),
            largest=f"{float(np.max(dn)):.3g}", scale=f"{float(scale[0]):g}", rho=f"{float(np.median(rho)):.2g}")
    if float(np.median(rho)) > 2.0:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "With SCALE {scale} and OFFSET {offset} the median reflectance of INPUT is {rho}, not 0–1: the "
                    "raster holds DN. Leave SCALE and OFFSET empty (the sensor's Level-2 scaling) or give the scaling "
                    "of your product."),
            scale=f"{float(scale[0]):g}", offset=f"{float(offset[0]):g}", rho=f"{float(np.median(rho)):.4g}")


def _class_in(classes: np.ndarray, members: Sequence[int]) -> np.ndarray:
    """``np.isin(classes, members)``; for a uint8 raster (NALCMS as distributed) a 256-entry table lookup, a fifth
    of the time."""
    if classes.dtype == np.uint8:
        table = np.zeros(256, dtype=bool)
        table[[m for m in members if 0 <= m < 256]] = True
        return np.take(table, classes)
    return np.isin(classes, members)


def _landcover_classes(values: np.ndarray, nodata: float | None) -> np.ndarray:
    """A window of the LANDCOVER band as NALCMS classes: its nodata pixels become class 0 (land-cover no data, which
    gets no estimate: :data:`core.pixel_rules.NO_ESTIMATE_CLASSES`), so a copy whose nodata is 255 (or any value
    outside 0–19) is read as NALCMS instead of refused; 8/16-bit classes stay as they are, others become int64."""
    if nodata is not None:
        missing = np.isnan(values) if np.isnan(nodata) else values == nodata
        if missing.any():
            values = np.where(missing, values.dtype.type(PARTITION_NODATA), values)
    if values.dtype not in (np.uint8, np.uint16):
        values = values.astype(np.int64)
    return values


def _check_landcover_values(landcover: np.ndarray, path: str) -> None:
    """Refuse a land-cover raster that is not NALCMS: a wrong class would silently pick a wrong network. The values
    present come from a histogram for 8/16-bit rasters (np.unique sorts the window: 20 times slower)."""
    if landcover.dtype in (np.uint8, np.uint16):
        present = np.flatnonzero(np.bincount(landcover, minlength=1))
    else:
        present = np.unique(landcover)
    unknown = np.setdiff1d(present, pixel_rules.LANDCOVER_VALUES)
    if unknown.size:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "LANDCOVER '{path}' holds values {values} that are not NALCMS classes. It must "
                                      "hold NALCMS classes 1–19 (0, or the band's nodata value, = no data): "
                                      "{classes}. Reclassify it, or set its nodata value, first."),
            path=path, values=", ".join(str(v) for v in unknown[:10].tolist()),
            classes="; ".join(f"{c.value} {c.name}" for c in NALCMS_CLASSES.values()),
        )


def produce(config: ProduceConfig, progress: Progress | None = None,
            network_set: NetworkSet | None = None, store: NetworkStore | None = None) -> dict[str, str]:
    """Run the engine; returns output key → path. Raises :class:`LeafError` (nothing written) or
    :class:`~leaf_qgis.core.errors.Cancelled` (the temporary outputs removed: nothing written)."""
    progress = progress or _Silent()
    started = time.perf_counter()
    lap = _Laps(config.profile)
    prep = validate(config, network_set, store)
    lap("validate")
    translate = config.translate or (lambda text: text)
    untested = [b for b in get_sensor(config.sensor_key).range_only_bands if b not in (config.range_bands or {})]
    if untested:
        progress.pushInfo(translate(RANGE_NOT_TESTED).format(bands=", ".join(untested)))
    grid = prep.grid
    todo = windows(grid.width, grid.height, config.max_window_pixels)
    pool = DatasetPool()
    try:
        metadata = {**config.metadata, "LEAF_ALGORITHM": prep.networks.algorithm, "LEAF_NETWORKS": prep.networks.label}
        with cache_limit(prep.cache_bytes), single_threaded_blas(), \
                OutputSet(_output_specs(prep), grid, metadata) as outputs, \
                contextlib.closing(_computed_in_order(functools.partial(_compute, prep, pool), todo,
                                                      max(1, config.threads))) as computed:
            done = 0
            lap("create outputs")
            for window, arrays in computed:
                lap("wait")
                for key, array in arrays.items():
                    outputs.write(key, window, array)
                lap("write")
                done += 1
                progress.setProgress(100.0 * done / len(todo))
                if progress.isCanceled():
                    raise Cancelled()
            paths = outputs.commit()
            lap("flush")
            lap.done()
    finally:
        pool.close()  # the handles go before the caller removes in-memory VRTs (SAFE, Landsat inputs)
    seconds = time.perf_counter() - started
    if config.profile is not None:
        config.profile.seconds = seconds
        config.profile.windows = len(todo)
    progress.pushInfo(translate(RUN_SUMMARY).format(
        mpx=f"{grid.pixels / 1e6:.2f}", seconds=f"{seconds:.1f}", rate=f"{grid.pixels / 1e6 / max(seconds, 1e-9):.1f}",
        blocks=len(todo)))
    return paths


def _computed_in_order(compute: Callable[[Window], dict[str, np.ndarray]], todo: Sequence[Window],
                       workers: int) -> Iterator[tuple[Window, dict[str, np.ndarray]]]:
    """``(window, compute(window))`` for each window of ``todo``, in order, computed by ``workers`` threads with at
    most two windows in flight per worker (memory stays bounded whatever the raster size; the caller writes or cuts
    each window while the next ones are computed). The one worker loop of :func:`produce` and
    :meth:`WindowEngine.compute_regions`.

    When it stops early — a window's computation raised (re-raised here), or the caller raised (cancelled, a write
    failed) and closed it — the windows not yet started are cancelled and the running ones (at most ``workers``) are
    waited for, so no computation outlives the run's dataset handles and none is wasted. Iterate it inside
    ``contextlib.closing`` so that closing happens at once, not when the generator is collected."""
    executor = ThreadPoolExecutor(max_workers=max(1, workers))
    in_flight: deque[tuple[Window, Future[dict[str, np.ndarray]]]] = deque()
    try:
        position = 0
        while position < len(todo) or in_flight:
            while position < len(todo) and len(in_flight) < 2 * max(1, workers):
                in_flight.append((todo[position], executor.submit(compute, todo[position])))
                position += 1
            window, future = in_flight.popleft()
            yield window, future.result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _compute_judged(prep: _Prepared, pool: DatasetPool, window: Window) -> dict[str, np.ndarray]:
    """:func:`_compute` after the reflectance-scale check on the window's central patch of at most
    :data:`SCALE_PREVIEW_SIDE`² pixels (:class:`WindowEngine` has no whole-raster preview). A full-resolution patch:
    its blocks are the window's, which :func:`_compute` then finds in the cache (a decimated read would decode a
    JPEG 2000 overview as well)."""
    xs, ys = min(window.xsize, SCALE_PREVIEW_SIDE), min(window.ysize, SCALE_PREVIEW_SIDE)
    patch = Window(window.xoff + (window.xsize - xs) // 2, window.yoff + (window.ysize - ys) // 2, xs, ys)
    dn = read_window(pool.get(prep.config.input_path), prep.bands[:prep.inputs], patch)  # the network bands
    _judge_reflectance_scale(dn.reshape(prep.inputs, -1), prep.scale[:prep.inputs], prep.offset[:prep.inputs],
                             prep.nodata)
    return _compute(prep, pool, window)


def _intersection(a: Window, b: Window) -> Window | None:
    x0, y0 = max(a.xoff, b.xoff), max(a.yoff, b.yoff)
    x1, y1 = min(a.xoff + a.xsize, b.xoff + b.xsize), min(a.yoff + a.ysize, b.yoff + b.ysize)
    return Window(x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


class WindowEngine:
    """Prepare once, compute regions to arrays: the local engine for callers that want its values on a few small
    regions of a raster rather than output files (``leaf:sample_sites`` on local scenes).

    :func:`validate` runs once (every input check, the networks, the evaluator, the domain tables); then
    :meth:`compute_regions` cuts each region out of the run's own windows, computed by the very per-window code
    :func:`produce` writes, so the values are a full-raster run's bit for bit. (Computing a small region on its own
    is not enough: the SL2P matrix products round the last bits of a pixel differently with the number of pixels in
    the batch, up to 1e-6 in LAI, and the land-cover ensemble batches a window's pixels per network.) Nothing is
    written, ``config.outputs`` may be empty, and the reflectance-scale check judges a preview of each window computed
    instead of one of the whole raster (on a Sentinel-2 product that preview decodes part of every JPEG 2000 tile,
    more than the few windows that hold the sites).

    Use it as a context manager (the run's GDAL block cache cap and single-threaded BLAS, as in :func:`produce`; the
    dataset handles are closed on exit).
    """

    def __init__(self, config: ProduceConfig, network_set: NetworkSet | None = None,
                 store: NetworkStore | None = None) -> None:
        self._prep = validate(config, network_set, store, to_arrays=True)
        self._pool = DatasetPool()
        self._context = contextlib.ExitStack()

    @property
    def grid(self) -> Grid:
        """The input's pixel grid (regions are given in its pixels)."""
        return self._prep.grid

    def __enter__(self) -> WindowEngine:
        self._context.enter_context(cache_limit(self._prep.cache_bytes))
        self._context.enter_context(single_threaded_blas())
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.close()  # the handles go before the caller removes in-memory VRTs (SAFE, Landsat inputs)
        self._context.close()

    def run_windows(self, regions: Sequence[Window]) -> list[Window]:
        """The windows of the run (:func:`produce`'s tiling with ``config.max_window_pixels``) that hold a pixel of
        some region, in the run's order: exactly the windows :meth:`compute_regions` computes and reads its inputs
        in. The one place that tiling is computed for regions: a caller that prepares an input only there
        (``sample_sites`` writes LANDCOVER in those windows alone) must ask here, or the engine would read blocks
        never written (class 0: no estimate, silently)."""
        for region in regions:
            self._check_region(region)
        grid = self._prep.grid
        tiling = windows(grid.width, grid.height, self._prep.config.max_window_pixels)
        return [tile for tile in tiling if any(_intersection(tile, region) for region in regions)]

    def compute_regions(self, regions: Sequence[Window],
                        progress: Progress | None = None) -> list[dict[str, np.ndarray]]:
        """For each region, output key → ``(ysize, xsize)`` array in the config's encoding (``FLOAT32``: NaN where
        no estimate). Each run window that holds a pixel of some region is computed once, however many regions it
        serves, by ``config.threads`` workers. Raises :class:`LeafError` when a window's DN do not fit SCALE and
        OFFSET, :class:`~leaf_qgis.core.errors.Cancelled` when ``progress`` says so (checked per window)."""
        prep = self._prep
        config = prep.config
        todo = self.run_windows(regions)
        results: list[dict[str, np.ndarray]] = [{} for _ in regions]

        def cut(window: Window, arrays: dict[str, np.ndarray]) -> None:
            for result, region in zip(results, regions):
                part = _intersection(window, region)
                if part is None:
                    continue
                for key, flat in arrays.items():
                    if key not in result:
                        result[key] = np.empty((region.ysize, region.xsize), dtype=flat.dtype)
                    source = flat.reshape(window.ysize, window.xsize)
                    result[key][part.yoff - region.yoff:part.yoff - region.yoff + part.ysize,
                                part.xoff - region.xoff:part.xoff - region.xoff + part.xsize] = \
                        source[part.yoff - window.yoff:part.yoff - window.yoff + part.ysize,
                               part.xoff - window.xoff:part.xoff - window.xoff + part.xsize]

        workers = max(1, min(config.threads, len(todo)))
        with contextlib.closing(_computed_in_order(functools.partial(_compute_judged, prep, self._pool), todo,
                                                   workers)) as computed:
            for window, arrays in computed:
                cut(window, arrays)
                if progress is not None and progress.isCanceled():
                    raise Cancelled()
        return results

    def network_slots(self, region: Window) -> np.ndarray | None:
        """``(ysize, xsize)`` network slot (CCRS ``networkID``) serving each pixel of ``region``, from LANDCOVER as
        the engine reads it (its nodata value = class 0, :func:`_landcover_classes`, so a pixel's slot is the one
        its estimate used); ``None`` without LANDCOVER (the generic network: slot 0 everywhere)."""
        self._check_region(region)
        path = self._prep.config.landcover_path
        if not path:
            return None
        classes = _landcover_classes(read_window(self._pool.get(path), [1], region)[0], self._prep.landcover_nodata)
        return np.asarray(self._prep.evaluator.network_slot(classes))

    def _check_region(self, region: Window) -> None:
        """A region must lie inside the grid: the run windows cover only the grid, so the part of a region outside it
        would come back as uninitialised memory (QC 0: not observed, values garbage) instead of an error."""
        grid = self._prep.grid
        if region.xsize < 1 or region.ysize < 1 or region.xoff < 0 or region.yoff < 0 \
                or region.xoff + region.xsize > grid.width or region.yoff + region.ysize > grid.height:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "The region of {xsize} × {ysize} pixels at column {xoff}, row {yoff} is not inside INPUT "
                        "({width} × {height} pixels): only regions inside the raster can be computed."),
                xsize=region.xsize, ysize=region.ysize, xoff=region.xoff, yoff=region.yoff, width=grid.width,
                height=grid.height)


def default_output_paths(folder: str, stem: str, products: Sequence[str], uncertainty: bool) -> dict[str, str]:
    """``<stem>_<TOKEN>.tif`` in ``folder`` for every output of a run (used by the demo and scripts)."""
    paths = {}
    for key in products:
        token = PRODUCTS[key].file_token
        paths[key] = os.path.join(folder, f"{stem}_{token}.tif")
        if uncertainty:
            paths[key + ERROR_KEY_SUFFIX] = os.path.join(folder, f"{stem}_{token}{ERROR_TOKEN_SUFFIX}.tif")
    paths[QC_KEY] = os.path.join(folder, f"{stem}_{QC_TOKEN}.tif")
    return paths
