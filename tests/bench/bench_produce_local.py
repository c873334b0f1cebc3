"""Local engine end to end on a full Sentinel-2 20 m tile, next to a plain per-network numpy evaluation.

Input: a synthetic 5490 × 5490 px, 8-band uint16 GeoTIFF (the size of one S2 L2A granule at 20 m; a mix of canopy and
soil spectra with noise, written once into a cache folder). The engine run (all four products + QC, LEAF encoding,
land cover off, constant angles, 2 worker threads) happens in a fresh process whose peak RSS is read from
``getrusage(RUSAGE_CHILDREN)``. The baseline, in this process, evaluates the same four networks one by one in plain
float32 numpy (normalise, ``W @ x``, tanh, output, denormalise — what a straightforward port does) on 4 Mpx of the
same data, without any I/O; its Mpx/s is the speed of the networks alone, the engine's includes reading, domain
test, QC, encoding and writing compressed GeoTIFFs.

Targets (issue 3): ≥ 10 Mpx/s end to end on 2 cores, peak RSS ≤ 1 GB.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SIZE = 5490
RUNS = 3
BENCH_DIR = Path(os.environ.get("LEAF_BENCH_DIR", os.path.join(tempfile.gettempdir(), "leaf-bench")))
os.environ.setdefault("LEAF_QGIS_NETWORKS", str((ROOT / ".." / "shared" / "sl2p-networks").resolve()))

RUN = """
import sys, time
from leaf_qgis.engines.local.produce import ProduceConfig, produce, default_output_paths
from leaf_qgis.engines.local.angles import ConstantAngles
cfg = ProduceConfig(sys.argv[1], "S2", default_output_paths(sys.argv[2], "bench", ["LAI", "FCOVER", "FAPAR", "ALBEDO"],
                    False), ConstantAngles(35.0, 5.0, 120.0))
t = time.perf_counter(); produce(cfg); print(time.perf_counter() - t)
"""


def make_input(path: Path) -> None:
    import numpy as np
    from osgeo import gdal, osr

    canopy = np.array([0.05, 0.03, 0.09, 0.30, 0.40, 0.44, 0.19, 0.08], dtype=np.float32)
    soil = np.array([0.10, 0.14, 0.17, 0.19, 0.21, 0.23, 0.30, 0.25], dtype=np.float32)
    rng = np.random.default_rng(1)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), SIZE, SIZE, 8, gdal.GDT_UInt16,
                                              ["TILED=YES", "COMPRESS=NONE", "BIGTIFF=YES"])
    ds.SetGeoTransform((300000.0, 20.0, 0.0, 5500020.0, 0.0, -20.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32618)
    ds.SetProjection(srs.ExportToWkt())
    rows = 512
    for y in range(0, SIZE, rows):
        h = min(rows, SIZE - y)
        mix = rng.random((h, SIZE), dtype=np.float32)
        noise = 1 + 0.03 * rng.standard_normal((8, h, SIZE), dtype=np.float32)
        refl = (mix[None] * canopy[:, None, None] + (1 - mix[None]) * soil[:, None, None]) * noise
        dn = np.clip(refl * 10000, 1, 65535).astype(np.uint16)
        for b in range(8):
            ds.GetRasterBand(b + 1).WriteArray(dn[b], 0, y)
    ds = None


def plain_baseline(path: Path, pixels: int = 4_000_000) -> float:
    """Mpx/s of the four networks evaluated one by one, float32, no folding or stacking (the straightforward port)."""
    import numpy as np
    from osgeo import gdal

    from leaf_qgis.core.networks import load_network_set
    from leaf_qgis.core.products import PRODUCTS

    net_set = load_network_set("S2")
    rows = pixels // SIZE
    dn = gdal.Open(str(path)).ReadAsArray(0, 0, SIZE, rows).reshape(8, -1)
    x = dn.astype(np.float32) * np.float32(1e-4)
    cos = np.array([np.cos(np.radians(5)), np.cos(np.radians(35)), np.cos(np.radians(120))], dtype=np.float32)
    inputs = np.vstack([np.repeat(cos[:, None], x.shape[1], axis=1), x])
    start = time.perf_counter()
    for key in ("LAI", "FCOVER", "FAPAR", "ALBEDO"):
        net = net_set.estimate[PRODUCTS[key].variable_id][0]
        slope = np.asarray(net.input_slope, dtype=np.float32)[:, None]
        offset = np.asarray(net.input_offset, dtype=np.float32)[:, None]
        for s in range(0, inputs.shape[1], 1_000_000):
            xn = inputs[:, s:s + 1_000_000] * slope + offset
            hidden = np.tanh(np.asarray(net.hidden_weights, dtype=np.float32) @ xn
                             + np.asarray(net.hidden_bias, dtype=np.float32)[:, None])
            out = np.asarray(net.output_weights, dtype=np.float32) @ hidden + np.float32(net.output_bias)
            _ = (out - np.float32(net.output_offset)) / np.float32(net.output_slope)
    return inputs.shape[1] / (time.perf_counter() - start) / 1e6


def main() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    source = BENCH_DIR / f"s2_20m_{SIZE}.tif"
    if not source.exists():
        t = time.perf_counter()
        make_input(source.with_suffix(".part.tif"))
        os.replace(source.with_suffix(".part.tif"), source)
        print(f"input written in {time.perf_counter() - t:.1f} s: {source}")
    out_dir = BENCH_DIR / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = []
    for _ in range(RUNS):  # a fresh process each time; the median tames the noise of a shared 2-core machine
        for old in out_dir.glob("bench_*"):
            old.unlink()
        done = subprocess.run([sys.executable, "-c", RUN, str(source), str(out_dir)], env=env, capture_output=True,
                              text=True, check=True)
        runs.append(float(done.stdout.strip().splitlines()[-1]))
    seconds = statistics.median(runs)
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    mpx = SIZE * SIZE / 1e6
    engine = mpx / seconds
    baseline = plain_baseline(source)
    print(f"produce_local, S2 20 m tile {SIZE}×{SIZE} ({mpx:.1f} Mpx), 4 products + QC, 2 threads:")
    print(f"  end to end            {seconds:6.1f} s   {engine:5.1f} Mpx/s   (target ≥ 10; median of {RUNS} runs: "
          + ", ".join(f"{mpx / r:.1f}" for r in runs) + " Mpx/s)")
    print(f"  peak RSS              {rss_mb:6.0f} MB               (target ≤ 1024)")
    print(f"  plain per-network numpy, networks only, 1 thread: {baseline:5.1f} Mpx/s")
    print(f"  ratio engine / plain  {engine / baseline:6.2f}×")


if __name__ == "__main__":
    main()
