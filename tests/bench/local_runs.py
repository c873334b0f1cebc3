"""One timed local run in a fresh process, for bench_produce_local.py: the engine, or one of two baselines that read
and write exactly what the engine does (same windows, same GDAL reads, same output GeoTIFFs and creation options)
and differ only in how they compute.

    python local_runs.py MODE INPUT OUT_DIR [LANDCOVER]   # MODE: engine | engine_ccrs | plain32 | ccrs64

* ``engine``: :func:`produce` with a :class:`StageProfile` (threads = cores, the default).
* ``engine_ccrs``: the same with ALGORITHM SL2P-CCRS and the NALCMS raster ``LANDCOVER`` (the network of each
  pixel's land-cover class: what CCRS production runs).
* ``plain32``: the straightforward float32 port, one thread: per window and per product, the generic network's
  input normalisation, ``W @ x`` with the three cosines as full rows, ``np.tanh``, output layer, denormalisation;
  the domain code with ``np.isin``; LEAF encoding and QC byte with the engine's own functions.
* ``ccrs64``: what the CCRS package does, float64 and pixel-major (one row per pixel, like its DataFrame):
  ``x·slope + offset``, ``tansig(n) = 2/(1+exp(-2n)) − 1``, ``h·w2 + b2``, ``(y − outOffset)/outSlope``, the
  domain digits ``uint8(ceil(10ρ) % 10)``; same encoding and outputs.

All three: S2, four products (LAI, fCOVER, fAPAR, albedo) + QC, LEAF encoding, SL2P, constant angles.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PRODUCTS = ("LAI", "FCOVER", "FAPAR", "ALBEDO")
ANGLES = (35.0, 5.0, 120.0)  # sun zenith, view zenith, relative azimuth (degrees)


def _config(source: str, out_dir: str, landcover: str | None = None):
    from leaf_qgis.engines.local.angles import ConstantAngles
    from leaf_qgis.engines.local.produce import ProduceConfig, default_output_paths

    return ProduceConfig(source, "S2", default_output_paths(out_dir, "bench", list(PRODUCTS), False),
                         ConstantAngles(*ANGLES), algorithm="SL2P-CCRS" if landcover else "SL2P",
                         landcover_path=landcover)


def run_engine(source: str, out_dir: str, landcover: str | None = None) -> dict:
    import resource

    from leaf_qgis.engines.local.produce import StageProfile, produce

    config = _config(source, out_dir, landcover)
    config.profile = StageProfile()
    if os.environ.get("LEAF_BENCH_WINDOW_PIXELS"):  # development knobs: another window size, thread count
        config.max_window_pixels = int(os.environ["LEAF_BENCH_WINDOW_PIXELS"])
    if os.environ.get("LEAF_BENCH_THREADS"):
        config.threads = int(os.environ["LEAF_BENCH_THREADS"])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    produce(config)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    return {"seconds": seconds, "threads": config.threads, "process_cpu": cpu, "profile": config.profile.as_dict()}


def run_baseline(source: str, out_dir: str, float64: bool) -> dict:
    import numpy as np

    from leaf_qgis.core import qc
    from leaf_qgis.core.encoding import encode_leaf
    from leaf_qgis.core.products import PRODUCTS as ALL
    from leaf_qgis.engines.local.produce import _output_specs, validate
    from leaf_qgis.rasters.raster_io import DatasetPool, OutputSet, cache_limit, read_window, windows

    start = time.perf_counter()
    prep = validate(_config(source, out_dir))
    nets = prep.networks
    domain = np.fromiter(nets.domain, dtype=np.int64)
    cosines = prep.config.angles.cosines()
    dtype = np.float64 if float64 else np.float32
    pool = DatasetPool()
    grid = prep.grid
    with cache_limit(prep.cache_bytes), OutputSet(_output_specs(prep), grid, {}) as outputs:
        for window in windows(grid.width, grid.height):
            n = window.pixels
            dn = read_window(pool.get(source), prep.bands, window).reshape(len(prep.bands), n)
            rho = dn.astype(dtype) * prep.scale.astype(dtype)[:, None] + prep.offset.astype(dtype)[:, None]
            angle_rows = np.repeat(np.asarray(cosines, dtype=dtype)[:, None], n, axis=1)
            x = np.vstack([angle_rows, rho])
            if float64:
                x = x.T.copy()  # pixel-major, one row per pixel as the CCRS DataFrame
            out_of_range = np.zeros(n, dtype=bool)
            for key in PRODUCTS:
                product = ALL[key]
                net = nets.estimate[product.variable_id][0]
                w1 = np.asarray(net.hidden_weights, dtype=dtype)
                b1 = np.asarray(net.hidden_bias, dtype=dtype)
                w2 = np.asarray(net.output_weights, dtype=dtype)
                slope = np.asarray(net.input_slope, dtype=dtype)
                offset = np.asarray(net.input_offset, dtype=dtype)
                if float64:
                    xn = x * slope + offset
                    hidden = 2.0 / (1.0 + np.exp(-2.0 * (xn @ w1.T + b1))) - 1.0
                    values = (hidden @ w2 + net.output_bias - net.output_offset) / net.output_slope
                else:
                    xn = x * slope[:, None] + offset[:, None]
                    hidden = np.tanh(w1 @ xn + b1[:, None])
                    values = (w2 @ hidden + dtype(net.output_bias) - dtype(net.output_offset)) / dtype(net.output_slope)
                with np.errstate(invalid="ignore"):
                    out_of_range |= (values < product.valid_range[0]) | (values > product.valid_range[1])
                encoded, clamped = encode_leaf(values.astype(np.float32), product)
                out_of_range |= clamped
                outputs.write(key, window, encoded)
            digits = (np.ceil(10 * rho) % 10).astype(np.uint8).astype(np.int64)
            code = (digits * (10 ** np.arange(len(prep.bands)))[:, None]).sum(axis=0)
            out_of_domain = ~np.isin(code, domain)
            outputs.write("QC", window, qc.encode(prep.qc_code, out_of_domain, out_of_range, np.zeros(n, bool)))
        outputs.commit()
    pool.close()
    return {"seconds": time.perf_counter() - start, "threads": 1}


def main(argv: list[str]) -> None:
    mode, source, out_dir = argv[:3]
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    for old in Path(out_dir).glob("bench_*"):
        old.unlink()
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF)
    if mode == "engine":
        result = run_engine(source, out_dir)
    elif mode == "engine_ccrs":
        result = run_engine(source, out_dir, argv[3])
    elif mode in ("plain32", "ccrs64"):
        result = run_baseline(source, out_dir, float64=mode == "ccrs64")
    else:
        raise SystemExit(f"unknown mode {mode}")
    after = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def peak_rss_mb() -> float | None:
    """This process's peak RSS (``VmHWM``, MB). Not ``ru_maxrss`` from the parent's ``wait4``: Linux carries that
    over ``fork`` + ``exec``, so a child would report the parent's peak when the parent was larger."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


if __name__ == "__main__":
    main(sys.argv[1:])
