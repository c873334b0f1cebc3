"""Earth Engine dry run: the national plan (27 tiles × 12 months × every output, 1 971 tasks) built offline — wall
time, server round trips while building (target 0), plan file size, graph size per export — side by side with the
plan module of a baseline git revision (default: ``leaf_qgis`` as it was before its last change, see
:func:`default_baseline`), run in a subprocess from ``git archive`` on the same machine in the same sitting (figures
move between machines; the ratio is what counts).

``python tests/bench/bench_gee_plan.py [--baseline REF | --no-baseline] [--tiles N] [--alone]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("LEAF_QGIS_NETWORKS", str(ROOT.parent / "shared" / "sl2p-networks"))

OUTPUTS = ["LAI", "FCOVER", "FAPAR", "ALBEDO", "QC", "DATE", "PARTITION"]
MONTHS = range(1, 13)

MEASURE = r'''
import json, os, sys, time, tempfile
sys.path.insert(0, sys.argv[1])
from leaf_qgis.core import tile_grid
from leaf_qgis.core.networks import load_network_set
from leaf_qgis.core.periods import Period
from leaf_qgis.engines.gee import plan as gee_plan
from leaf_qgis.engines.gee import request as rq

load_network_set("S2")  # warm the store's file cache (not part of the plan's cost)
names = [t.name for t in tile_grid.tiles()][:int(sys.argv[2])]
request = rq.make_request(rq.tile_regions(names), "S2", [Period.month(2020, m) for m in range(1, 13)],
                          json.loads(sys.argv[3]), 20)
started = time.perf_counter()
plan = gee_plan.build_plan(request)
built = time.perf_counter() - started
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "plan.json")
    started = time.perf_counter()
    gee_plan.write_plan(plan, path)
    written = time.perf_counter() - started
    size = os.path.getsize(path)
    started = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        loaded = json.load(handle)
    reader = getattr(gee_plan, "task_expression", None)
    sizes = [len(reader(loaded, i) if reader else e["expression"]) for i, e in enumerate(loaded["exports"])]
    read = time.perf_counter() - started
keys = [e["key"] for e in plan["exports"]]
print(json.dumps({"tasks": plan["task_count"], "build_s": built, "write_s": written, "read_s": read, "bytes": size,
                  "round_trips": plan["server_round_trips"], "sizes": sizes, "keys": keys}))
'''


def measure(source: Path, tiles: int) -> dict:
    """Build, write and read back the national plan with the ``leaf_qgis`` found under ``source``."""
    answer = subprocess.run([sys.executable, "-c", MEASURE, str(source), str(tiles), json.dumps(OUTPUTS)],
                            capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


def default_baseline() -> str:
    """The revision a benchmark compares with when none is given: the ``leaf_qgis`` package before its last change.

    Why not ``main``: once a branch is merged, ``main`` is this checkout and the comparison is of a tree with itself.
    With uncommitted changes under ``leaf_qgis``: ``HEAD`` (those changes are what is measured); otherwise the parent
    of the last commit that changed ``leaf_qgis``."""
    if _git("status", "--porcelain", "--", "leaf_qgis"):
        return _git("rev-parse", "HEAD")
    last = _git("log", "-1", "--format=%H", "HEAD", "--", "leaf_qgis")
    return _git("rev-parse", f"{last}^")


def baseline_label(ref: str | None) -> tuple[str, str]:
    """(revision, words for the report) of ``--baseline`` (``None``: :func:`default_baseline`), printed at once so a
    reader knows what the ratios compare with."""
    chosen = ref or default_baseline()
    described = _git("log", "-1", "--format=%h %s", chosen)[:90]
    label = f"baseline {ref or 'before the last leaf_qgis change'} ({described})"
    print(f"{label}; this checkout: {_git('log', '-1', '--format=%h %s', 'HEAD')[:90]}"
          + (" + uncommitted changes" if _git("status", "--porcelain", "--", "leaf_qgis") else ""))
    return chosen, f"baseline {_git('rev-parse', '--short', chosen)}"


def add_baseline_arguments(parser: argparse.ArgumentParser) -> None:
    """``--baseline REF`` / ``--no-baseline``, the same in every benchmark that compares with a revision."""
    parser.add_argument("--baseline", default=None, help="git revision to compare with (default: leaf_qgis before "
                                                         "its last change, printed)")
    parser.add_argument("--no-baseline", action="store_true")


def baseline_source(ref: str, folder: Path) -> Path:
    """The ``leaf_qgis`` package of git revision ``ref``, extracted under ``folder``."""
    archive = folder / "baseline.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), ref, "leaf_qgis"], check=True)
    with tarfile.open(archive) as tar:  # our own repository's files (git archive), not an untrusted archive
        tar.extractall(folder)
    return folder


def report(label: str, result: dict) -> None:
    sizes = result["sizes"]
    by_key: dict[str, list[int]] = {}
    for key, size in zip(result["keys"], sizes):
        by_key.setdefault(key, []).append(size)
    per_task = result["bytes"] / result["tasks"] / 1e3
    print(f"{label}: {result['tasks']} exports built in {result['build_s']:.2f} s wall, server round trips "
          f"{result['round_trips']}; plan file {result['bytes'] / 1e6:.1f} MB ({per_task:.1f} kB per task) written "
          f"in {result['write_s']:.2f} s; loading it and reading every graph {result['read_s']:.2f} s")
    print(f"  graph size per export: median {statistics.median(sizes) / 1e3:.1f} kB, max {max(sizes) / 1e3:.1f} kB, "
          f"total {sum(sizes) / 1e6:.1f} MB; " + ", ".join(
              f"{k} {statistics.median(v) / 1e3:.1f} kB" for k, v in by_key.items()))


def alone_comparison() -> None:
    """One tile × 12 months: the shared builder against rebuilding the workflow for every export."""
    sys.path.insert(0, str(ROOT))
    from leaf_qgis.core.periods import Period
    from leaf_qgis.engines.gee import plan as gee_plan
    from leaf_qgis.engines.gee import request as rq

    request = rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2020, m) for m in MONTHS], OUTPUTS,
                              20)
    timings = {}
    for shared in (True, False):
        started = time.perf_counter()
        gee_plan.build_plan(request, shared=shared)
        timings[shared] = time.perf_counter() - started
    print(f"one tile x 12 months: shared builder {timings[True]:.2f} s, one product at a time (workflow rebuilt per "
          f"export) {timings[False]:.2f} s -> {timings[False] / timings[True]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_baseline_arguments(parser)
    parser.add_argument("--tiles", type=int, default=27, help="tiles of the national grid (default: all 27)")
    parser.add_argument("--alone", action="store_true", help="also compare with one product at a time")
    args = parser.parse_args()
    print(f"national plan: {args.tiles} tiles x 12 months x {', '.join(OUTPUTS)}; {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f}")
    current = measure(ROOT, args.tiles)
    report("this checkout", current)
    if not args.no_baseline:
        ref, label = baseline_label(args.baseline)
        with tempfile.TemporaryDirectory() as folder:
            old = measure(baseline_source(ref, Path(folder)), args.tiles)
        report(label, old)
        print(f"-> build {old['build_s'] / current['build_s']:.2f}x faster, plan file "
              f"{old['bytes'] / current['bytes']:.1f}x smaller, reading every graph back "
              f"{old['read_s'] / current['read_s']:.2f}x faster")
        if old["tasks"] != current["tasks"]:
            print(f"!! different task counts: {old['tasks']} (baseline) vs {current['tasks']}")
    if args.alone:
        alone_comparison()


if __name__ == "__main__":
    main()
