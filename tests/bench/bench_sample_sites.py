"""``leaf:sample_sites`` on local scenes: wall time for 1 and 50 sites on the synthetic Sentinel-2 SAFE and Landsat 8
scene of the tests (``tests/local_factory.py``, ``tests/landsat_factory.py``), and 50 sites with SL2P-CCRS and a land
cover in another CRS (warped per site window), side by side with a baseline git revision (default: ``leaf_qgis``
before its last change), in subprocesses from ``git archive`` in the same sitting, interleaved, median of the rounds.

The networks are loaded once per process and passed in (their reading is not what is compared); each case runs once
untimed first (GDAL and numpy warm-up), then ``--repeat`` times timed per round (their median is the round's figure).

``python tests/bench/bench_sample_sites.py [--baseline REF | --no-baseline] [--rounds N] [--repeat N] [--sites N]
[--side PX]``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("LEAF_QGIS_NETWORKS", str(ROOT.parent / "shared" / "sl2p-networks"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MEASURE = r'''
import json, sys, time
sys.path.insert(0, sys.argv[1])
from leaf_qgis.core import sites
from leaf_qgis.core.networks import load_network_set
from leaf_qgis.engines.local import sites as local_sites

cases = json.loads(sys.argv[2])
networks = {}
out = {}
for name, case in cases.items():
    key = (case["sensor"], case["algorithm"])
    if key not in networks:
        networks[key] = load_network_set(*key)
    features = [sites.FeatureInput(i + 1, f"s{i}", {"type": "Point", "coordinates": c}, case["day"])
                for i, c in enumerate(case["points"])]
    request = sites.make_request(features, case["sensor"], date_mode="single", window_days=3,
                                 products=["LAI", "FCOVER"], uncertainty=True, sampling=case["sampling"],
                                 buffer_m=case["buffer_m"], algorithm=case["algorithm"])
    def run():
        return local_sites.sample_sites(request, [case["path"]], landcover_path=case["landcover"],
                                        network_set=networks[key])
    run()
    times = []
    for _ in range(int(sys.argv[3])):
        started = time.perf_counter()
        table = run()
        times.append(time.perf_counter() - started)
    seconds = sorted(times)[len(times) // 2]
    out[name] = {"seconds": seconds, "rows": len(table.rows), "table": table.rows}
print(json.dumps(out, default=str))
'''


def _points(count: int, geotransform, width: int, height: int, epsg: int) -> list[list[float]]:
    """``count`` (lon, lat) pixel centres spread over the raster (a fixed pattern, no two sites on one pixel)."""
    from tests.local_factory import epsg_transform

    transform = epsg_transform(epsg, 4326)
    x0, dx, _, y0, _, dy = geotransform
    cells = [(c, r) for r in range(2, height - 2, 3) for c in range(2, width - 2, 3)]
    step = max(1, len(cells) // count)
    chosen = cells[::step][:count]
    return [list(transform.TransformPoint(x0 + (c + 0.5) * dx, y0 + (r + 0.5) * dy)[:2]) for c, r in chosen]


def cases(folder: Path, count: int, side: int | None = None) -> dict[str, dict]:
    """The cases on the tests' synthetic scenes (40 × 30 px), or on scenes of ``side`` × ¾·``side`` px built by the
    same factories (a closer look at a real scene's cost: JPEG 2000 tiles of 1024², several run windows)."""
    from tests import landsat_factory as lsf
    from tests import local_factory as lf

    if side:
        lf.W20, lf.H20 = side, side * 3 // 4
        lsf.W, lsf.H = side, side * 3 // 4
        lsf.SPECTRA = tuple(lsf.SPECTRA[i % len(lsf.SPECTRA)] for i in range(-(-side // 10)))  # 10 columns each
    safe = lf.make_safe(folder / "s2")["path"]
    landsat = lsf.make_scene(folder / "l8", "L8")["path"]
    s2_gt = (lf.ULX, 20.0, 0.0, lf.ULY, 0.0, -20.0)
    s2 = {"sensor": "S2", "algorithm": "SL2P", "path": safe, "day": "2024-07-15", "landcover": None,
          "sampling": "STATS", "buffer_m": 30.0}
    l8 = {"sensor": "L8", "algorithm": "SL2P", "path": landsat, "day": "2024-07-15", "landcover": None,
          "sampling": "STATS", "buffer_m": 45.0}
    s2_points = _points(count, s2_gt, lf.W20, lf.H20, lf.UTM)
    l8_points = _points(count, lsf.GEOTRANSFORM, lsf.W, lsf.H, lsf.UTM)
    landcover = lf.make_landcover_3979(folder / "nalcms_3979.tif")
    return {
        "S2 1 site": {**s2, "points": s2_points[:1]},
        f"S2 {count} sites": {**s2, "points": s2_points},
        "L8 1 site": {**l8, "points": l8_points[:1]},
        f"L8 {count} sites": {**l8, "points": l8_points},
        f"S2 CCRS+landcover {count} sites": {**s2, "algorithm": "SL2P-CCRS", "landcover": landcover,
                                             "sampling": "PIXELS", "points": s2_points},
    }


def difference(mine: list[dict], theirs: list[dict]) -> str:
    """``identical``, or the largest difference between two site tables' numbers (other fields must be equal)."""
    if len(mine) != len(theirs):
        return f"!! {len(mine)} rows vs {len(theirs)}"
    largest = 0.0
    for a, b in zip(mine, theirs):
        if a.keys() != b.keys():
            return "!! different columns"
        for key, value in a.items():
            other = b[key]
            if isinstance(value, float) and isinstance(other, float):
                if value != other and not (math.isnan(value) and math.isnan(other)):
                    largest = max(largest, abs(value - other))
            elif value != other:
                return f"!! {key}: {value!r} vs {other!r}"
    return "identical" if largest == 0.0 else f"max |diff| {largest:.2g}"


def measure(source: Path, work: dict, repeat: int) -> dict:
    answer = subprocess.run([sys.executable, "-c", MEASURE, str(source), json.dumps(work), str(repeat)],
                            capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def main() -> None:
    from bench_gee_plan import add_baseline_arguments, baseline_label, baseline_source  # one baseline for all

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_baseline_arguments(parser)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--side", type=int, help="larger synthetic scenes: SIDE x 3/4 SIDE pixels (default: the "
                                                   "tests' 40 x 30)")
    parser.add_argument("--repeat", type=int, default=1, help="timed calls per case and round (their median counts)")
    args = parser.parse_args()
    print(f"sample_sites on local scenes: {args.rounds} rounds, interleaved; {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        work = cases(folder / "data", args.sites, args.side)
        sources = {"this checkout": ROOT}
        if not args.no_baseline:
            ref, label = baseline_label(args.baseline)
            (folder / "baseline").mkdir()
            sources[label] = baseline_source(ref, folder / "baseline")
        seconds: dict[str, dict[str, list[float]]] = {label: {} for label in sources}
        rows: dict[str, dict[str, int]] = {label: {} for label in sources}
        tables: dict[str, dict[str, list]] = {label: {} for label in sources}
        for round_ in range(args.rounds):
            order = list(sources.items())
            for label, source in order if round_ % 2 == 0 else reversed(order):
                for case, result in measure(source, work, args.repeat).items():
                    seconds[label].setdefault(case, []).append(result["seconds"])
                    rows[label][case] = result["rows"]
                    tables[label][case] = result["table"]
    labels = list(sources)
    print(f"{'case':36s}" + "".join(f"{label:>24s}" for label in labels)
          + ("   speed-up   tables" if len(labels) > 1 else ""))
    for case in work:
        medians = [statistics.median(seconds[label][case]) for label in labels]
        line = f"{case:36s}" + "".join(f"{m * 1000:18.1f} ms ({rows[label][case]:>3d})"[-24:]
                                       for m, label in zip(medians, labels))
        if len(labels) > 1:
            line += f"   {medians[1] / medians[0]:5.1f}x   {difference(*(tables[label][case] for label in labels))}"
        print(line)
    note = "(median over the rounds of the wall time of one sample_sites call; in brackets: the rows of the table"
    print(note + ("; tables: the two revisions' site tables compared value by value)" if len(labels) > 1 else ")"))


if __name__ == "__main__":
    main()
