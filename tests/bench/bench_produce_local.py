"""Local engine: where the time goes, and how it compares with two plain ports on the same I/O (issue 15).

Inputs:

* **synthetic tile**: 5490 × 5490 px, 8-band uint16, uncompressed (one S2 L2A granule at 20 m; canopy/soil mixtures
  with noise), written once into ``$LEAF_BENCH_DIR`` (default: the system temporary folder).
* **realistic input**: 3660 × 3660 px (13.4 Mpx), DEFLATE-compressed tiled GeoTIFF whose pixels are the CCRS
  reference-vector spectra (``../shared/sl2p-reference-vectors/S2_L2A_SL2P.csv``: canopy/soil mixtures, uniform
  draws in the training range and out-of-domain spectra) shuffled; rebuilt into ``build/bench/`` at every run.

Every timed run is a fresh process (``local_runs.py``) that reports its own peak RSS. On the realistic input the
engine, the plain float32 port and the float64 CCRS-style port run in turn, round after round, so each ratio is
measured side by side; medians of :data:`RUNS` rounds. Then ``qgis_process`` on a 64 × 64 px crop (start-up: QGIS,
Processing, the plugin) and on the realistic input. Figures only: targets are checked by reading, never asserted.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
SIZE = 5490
REALISTIC = 3660
RUNS = 3
BENCH_DIR = Path(os.environ.get("LEAF_BENCH_DIR", os.path.join(tempfile.gettempdir(), "leaf-bench")))
BUILD_DIR = ROOT / "build" / "bench"
SHARED = Path(os.environ.get("LEAF_SHARED_DIR", ROOT / ".." / "shared"))
REFERENCE_CSV = SHARED / "sl2p-reference-vectors" / "S2_L2A_SL2P.csv"
S2_BANDS = ("B03", "B04", "B05", "B06", "B07", "B8A", "B11", "B12")
os.environ.setdefault("LEAF_QGIS_NETWORKS", str((SHARED / "sl2p-networks").resolve()))
STAGES = ("validate", "create outputs", "read", "reflectance",
          "pixel rules", "domain", "sl2p", "encoding", "qc", "wait", "write", "flush")


def _georeference(ds, size_m: float) -> None:
    from osgeo import osr

    ds.SetGeoTransform((300000.0, size_m, 0.0, 5500020.0, 0.0, -size_m))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32618)
    ds.SetProjection(srs.ExportToWkt())


def make_synthetic(path: Path) -> None:
    import numpy as np
    from osgeo import gdal

    canopy = np.array([0.05, 0.03, 0.09, 0.30, 0.40, 0.44, 0.19, 0.08], dtype=np.float32)
    soil = np.array([0.10, 0.14, 0.17, 0.19, 0.21, 0.23, 0.30, 0.25], dtype=np.float32)
    rng = np.random.default_rng(1)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), SIZE, SIZE, 8, gdal.GDT_UInt16,
                                              ["TILED=YES", "COMPRESS=NONE", "BIGTIFF=YES"])
    _georeference(ds, 20.0)
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


def reference_spectra() -> Any:
    """The reference rows' S2 reflectances as uint16 DN (scale 1e-4; negative reflectances become DN 1)."""
    import csv

    import numpy as np

    with open(REFERENCE_CSV, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rho = np.array([[float(row[b]) for b in S2_BANDS] for row in rows])
    return np.clip(np.rint(rho * 10000), 1, 65535).astype(np.uint16)  # (rows, bands)


def make_realistic(path: Path, size: int = REALISTIC) -> None:
    """Shuffled reference spectra in a tiled DEFLATE GeoTIFF, the usual way users store a Level-2 stack."""
    import numpy as np
    from osgeo import gdal

    spectra = reference_spectra()
    rng = np.random.default_rng(15)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), size, size, 8, gdal.GDT_UInt16,
                                              ["TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=2", "NUM_THREADS=ALL_CPUS"])
    _georeference(ds, 20.0)
    rows = 512
    for y in range(0, size, rows):
        h = min(rows, size - y)
        picked = spectra[rng.integers(0, len(spectra), size=h * size)]  # (pixels, bands)
        block = picked.T.reshape(8, h, size)
        ds.WriteRaster(0, y, size, h, block.tobytes(), buf_type=gdal.GDT_UInt16, band_list=list(range(1, 9)))
    ds = None


def make_landcover(path: Path, size: int = REALISTIC, patch: int = 60) -> None:
    """NALCMS classes for the realistic input, in patches of ``patch`` px (1.2 km): the forest, shrub, grass,
    crop, urban and snow classes that route pixels to all four distinct S2 SL2P-CCRS networks."""
    import numpy as np
    from osgeo import gdal

    classes = np.array([1, 2, 5, 6, 8, 10, 11, 12, 13, 14, 15, 16, 17, 19], dtype=np.uint8)
    cells = -(-size // patch)
    coarse = classes[np.random.default_rng(16).integers(0, len(classes), (cells, cells))]
    grid = np.kron(coarse, np.ones((patch, patch), dtype=np.uint8))[:size, :size]
    ds = gdal.GetDriverByName("GTiff").Create(str(path), size, size, 1, gdal.GDT_Byte,
                                              ["TILED=YES", "COMPRESS=DEFLATE"])
    _georeference(ds, 20.0)
    ds.GetRasterBand(1).WriteArray(grid)
    ds = None


def crop(source: Path, path: Path, size: int = 64) -> None:
    from osgeo import gdal

    gdal.Translate(str(path), str(source), srcWin=[0, 0, size, size], creationOptions=["COMPRESS=DEFLATE"])


def timed(mode: str, source: Path, out_dir: Path, *extra: Path) -> dict:
    """One fresh-process run; its peak RSS (MB) is the child's own ``VmHWM`` (``wait4`` where that is missing)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen([sys.executable, str(HERE / "local_runs.py"), mode, str(source), str(out_dir),
                                 *map(str, extra)],
                                env=env, stdout=subprocess.PIPE, stderr=err, text=True)
        out = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"{mode} run failed:\n{err.read()}")
    result = json.loads(out.strip().splitlines()[-1])
    result["rss_mb"] = result.get("peak_rss_mb") or usage.ru_maxrss / 1024
    return result


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy
    from osgeo import gdal

    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    return (f"machine: nproc {os.cpu_count()}, {model}, {platform.python_implementation()} "
            f"{platform.python_version()}, numpy {numpy.__version__}, GDAL {gdal.__version__}; load average {load}")


def print_profile(label: str, run: dict, mpx: float) -> None:
    """Stage × thread CPU and wall seconds of one engine run; GDAL's own threads (compression) by difference."""
    profile = run["profile"]
    wall, cpu, pixels = profile["wall"], profile["cpu"], profile["pixels"]
    threads = sorted(wall, key=lambda t: (t != "MainThread", t))
    names = {t: ("writer" if t == "MainThread" else "worker " + t.rsplit("_", 1)[-1]) for t in threads}
    print(f"  profile, {label}: {run['seconds']:.2f} s, {mpx / run['seconds']:.1f} Mpx/s, "
          f"{profile['windows']} windows, {run['threads']} worker threads")
    print("    CPU s / wall s per stage and thread; ns/px: CPU ns per pixel that thread computed")
    print("    " + f"{'stage':<12}" + "".join(f"{names[t]:>26}" for t in threads))
    totals = {t: 0.0 for t in threads}
    for stage in STAGES:
        cells = []
        for t in threads:
            if stage not in wall[t]:
                cells.append(f"{'':>26}")
                continue
            c, w = cpu[t][stage], wall[t][stage]
            totals[t] += c
            per_px = f"{c / pixels[t] * 1e9:5.0f} ns/px" if pixels.get(t) else ""
            cells.append(f"{c:6.2f} /{w:6.2f} {per_px:>12}")
        if any(cell.strip() for cell in cells):
            print("    " + f"{stage:<12}" + "".join(cells))
    print("    " + f"{'total CPU':<12}" + "".join(f"{totals[t]:6.2f}{'':>20}" for t in threads)
          + f"   GDAL threads (compression): {max(0.0, run['process_cpu'] - sum(totals.values())):.2f} s; "
          f"process {run['process_cpu']:.2f} CPU s = {run['process_cpu'] / run['seconds']:.2f} cores busy")


def print_floor(run: dict, baseline_seconds: float) -> None:
    """What the ≥ 8× target leaves for everything else: the CPU of the three parts no engine design removes here
    (decompressing the input, compressing the outputs, the networks' numpy evaluation), spread over the worker
    threads, is a lower bound on the engine's wall time."""
    profile = run["profile"]
    stage = {name: sum(cpu.get(name, 0.0) for cpu in profile["cpu"].values()) for name in ("read", "sl2p")}
    compression = max(0.0, run["process_cpu"] - sum(sum(cpu.values()) for cpu in profile["cpu"].values()))
    floor_cpu = stage["read"] + compression + stage["sl2p"]
    floor_wall = floor_cpu / max(1, run["threads"])
    print(f"  floor: reading {stage['read']:.2f} + compressing {compression:.2f} + SL2P {stage['sl2p']:.2f} = "
          f"{floor_cpu:.2f} CPU s ≥ {floor_wall:.2f} s on {run['threads']} cores with every other step free "
          f"(= {baseline_seconds / floor_wall:.1f}× the float64 port at best; ≥ 8× needs the whole run in "
          f"{baseline_seconds / 8:.2f} s)")


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def link_plugin(folder: Path) -> None:
    """A plugin folder QGIS loads, made of links to the sources plus ``metadata.txt`` (what ``make deploy`` copies,
    without compiling or copying anything)."""
    import shutil

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for entry in (ROOT / "leaf_qgis").iterdir():
        if entry.name != "__pycache__":
            (folder / entry.name).symlink_to(entry)
    shutil.copy(ROOT / "metadata.txt", folder / "metadata.txt")


def qgis_process_runs(tiny: Path, source: Path, out_dir: Path) -> None:
    """Wall time of ``qgis_process.bin run leaf:produce_local`` on a 64 × 64 crop (≈ start-up) and on the input."""
    import shutil

    if not shutil.which("qgis_process.bin"):
        print("  qgis_process.bin not found: QGIS start-up not measured")
        return
    profile = BUILD_DIR / "qgis-profile"
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text("[PythonPlugins]\nleaf_qgis=true\n")
    plugins = BUILD_DIR / "plugins"
    link_plugin(plugins / "leaf_qgis")
    env = dict(os.environ, QGIS_PLUGINPATH=str(plugins), QGIS_CUSTOM_CONFIG_PATH=str(profile),
               QT_QPA_PLATFORM="offscreen", PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    times: dict[str, list[float]] = {"tiny": [], "input": []}
    for _ in range(RUNS):
        for label, path in (("tiny", tiny), ("input", source)):
            for old in out_dir.glob("qp_*"):
                old.unlink()
            args = ["qgis_process.bin", "run", "leaf:produce_local", "--", f"INPUT={path}", "SENSOR=S2",
                    "SUN_ZENITH=35", "VIEW_ZENITH=5", "RELATIVE_AZIMUTH=120"]
            args += [f"OUTPUT_{k}={out_dir / f'qp_{k}.tif'}" for k in ("LAI", "FCOVER", "FAPAR", "ALBEDO", "QC")]
            start = time.perf_counter()
            done = subprocess.run(args, env=env, capture_output=True, text=True, cwd=BUILD_DIR)
            seconds = time.perf_counter() - start
            if done.returncode:
                print(f"  qgis_process failed ({label}): {done.stderr.strip()[-500:] or done.stdout.strip()[-500:]}")
                return
            times[label].append(seconds)
    tiny_s, full_s = statistics.median(times["tiny"]), statistics.median(times["input"])
    mpx = REALISTIC * REALISTIC / 1e6
    print(f"  qgis_process, 64×64 px crop (start-up: QGIS, Processing, plugin): {tiny_s:5.2f} s  "
          f"(runs {', '.join(f'{t:.2f}' for t in times['tiny'])})")
    print(f"  qgis_process, realistic input:                                  {full_s:5.2f} s  "
          f"(runs {', '.join(f'{t:.2f}' for t in times['input'])}); net of start-up "
          f"{full_s - tiny_s:.2f} s = {mpx / max(full_s - tiny_s, 1e-9):.1f} Mpx/s")


def main() -> None:
    only = os.environ.get("LEAF_BENCH_ONLY", "")  # "synthetic", "realistic" or "qgis": one part (development)
    print(machine())
    out_dir = BUILD_DIR / "out"
    BUILD_DIR.mkdir(parents=True, exist_ok=True)

    if only in ("", "synthetic"):
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        synthetic = BENCH_DIR / f"s2_20m_{SIZE}.tif"
        if not synthetic.exists():
            t = time.perf_counter()
            make_synthetic(synthetic.with_suffix(".part.tif"))
            os.replace(synthetic.with_suffix(".part.tif"), synthetic)
            print(f"synthetic input written in {time.perf_counter() - t:.1f} s: {synthetic}")
        mpx = SIZE * SIZE / 1e6
        runs = [timed("engine", synthetic, out_dir) for _ in range(RUNS)]
        seconds = statistics.median(r["seconds"] for r in runs)
        print(f"produce_local, synthetic S2 20 m tile {SIZE}×{SIZE} ({mpx:.1f} Mpx, uncompressed), 4 products + QC:")
        print(f"  engine {seconds:6.2f} s  {mpx / seconds:5.1f} Mpx/s  (median of {RUNS}: "
              + ", ".join(f"{mpx / r['seconds']:.1f}" for r in runs) + f" Mpx/s), peak RSS "
              f"{max(r['rss_mb'] for r in runs):.0f} MB")
        print_profile("synthetic tile, median run", median_run(runs), mpx)

    if only in ("", "realistic", "qgis"):
        source = BUILD_DIR / f"realistic_s2_{REALISTIC}.tif"
        t = time.perf_counter()
        make_realistic(source.with_suffix(".part.tif"))
        os.replace(source.with_suffix(".part.tif"), source)
        tiny = BUILD_DIR / "realistic_s2_64.tif"
        crop(source, tiny)
        print(f"realistic input ({REALISTIC}×{REALISTIC}, DEFLATE, {source.stat().st_size / 1e6:.0f} MB, shuffled "
              f"reference spectra) built in {time.perf_counter() - t:.1f} s: {source}")
    if only in ("", "realistic"):
        mpx = REALISTIC * REALISTIC / 1e6
        modes = ("engine", "plain32", "ccrs64")
        runs: dict[str, list[dict]] = {m: [] for m in modes}
        for _ in range(RUNS):  # round after round: the ratios compare runs made under the same load
            for mode in modes:
                runs[mode].append(timed(mode, source, out_dir))
        med = {m: statistics.median(r["seconds"] for r in runs[m]) for m in modes}
        labels = {"engine": "engine (threads = cores)", "plain32": "plain float32 port, 1 thread",
                  "ccrs64": "float64 CCRS-style, 1 thread"}
        print(f"produce_local, realistic input {REALISTIC}×{REALISTIC} ({mpx:.1f} Mpx, DEFLATE), 4 products + QC, "
              f"same reads and outputs for all three:")
        for m in modes:
            cpu = statistics.median(r["cpu"] for r in runs[m])
            print(f"  {labels[m]:<30} {med[m]:6.2f} s  {mpx / med[m]:5.1f} Mpx/s  CPU {cpu:5.1f} s "
                  f"({cpu / mpx * 1000:4.0f} ns/px)  (runs " + ", ".join(f"{mpx / r['seconds']:.1f}" for r in runs[m])
                  + " Mpx/s)")
        for base, target in (("plain32", 2.5), ("ccrs64", 8.0)):
            per_round = [b["seconds"] / e["seconds"] for e, b in zip(runs["engine"], runs[base])]
            print(f"  engine / {base:<8} {med[base] / med['engine']:5.2f}× (medians; per round "
                  + ", ".join(f"{r:.2f}" for r in per_round) + f"; target ≥ {target})")
        print("  peak RSS " + ", ".join(f"{m} {max(r['rss_mb'] for r in runs[m]):.0f} MB" for m in modes)
              + " (engine target ≤ 1024)")
        engine_run = median_run(runs["engine"])
        print_profile("realistic input, median engine run", engine_run, mpx)
        print_floor(engine_run, med["ccrs64"])
        landcover = BUILD_DIR / f"realistic_landcover_{REALISTIC}.tif"
        make_landcover(landcover)
        ccrs_runs = [timed("engine_ccrs", source, out_dir, landcover) for _ in range(RUNS)]
        seconds = statistics.median(r["seconds"] for r in ccrs_runs)
        print(f"produce_local SL2P-CCRS, realistic input + NALCMS land cover (14 classes in 1.2 km patches, the four "
              f"distinct S2 networks): engine {seconds:.2f} s  {mpx / seconds:.1f} Mpx/s (runs "
              + ", ".join(f"{mpx / r['seconds']:.1f}" for r in ccrs_runs) + f" Mpx/s), {seconds / med['engine']:.2f}× "
              f"the SL2P run's time, peak RSS {max(r['rss_mb'] for r in ccrs_runs):.0f} MB")
        print_profile("SL2P-CCRS, median run", median_run(ccrs_runs), mpx)
    if only in ("", "qgis"):
        qgis_process_runs(tiny, source, out_dir)


if __name__ == "__main__":
    main()
