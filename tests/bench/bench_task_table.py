"""Task table rewrites: a submission rewrites its table before and after every task, so a national plan (1 971 tasks)
means about 3 900 rewrites of a 1 971-row table. Time per rewrite (CSV and JSON, one row changed each time, fsync
included), side by side with the ``tasks`` module of a baseline git revision (default: ``leaf_qgis`` before its last
change, :func:`bench_gee_plan.default_baseline`), run in a subprocess from ``git archive`` in the same sitting. The
tables are written in the system's temporary folder (never in the repository).

``python tests/bench/bench_task_table.py [--baseline REF | --no-baseline]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("LEAF_QGIS_NETWORKS", str(ROOT.parent / "shared" / "sl2p-networks"))
REWRITES = 60

MEASURE = r'''
import json, os, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from leaf_qgis.core import tile_grid
from leaf_qgis.core.periods import Period
from leaf_qgis.engines.gee import plan as gee_plan, request as rq, tasks

request = rq.make_request(rq.tile_regions([t.name for t in tile_grid.tiles()]), "S2",
                          [Period.month(2020, m) for m in range(1, 13)],
                          ["LAI", "FCOVER", "FAPAR", "ALBEDO", "QC", "DATE", "PARTITION"], 20, "gcs", "", "leaf-maps")
plan = gee_plan.build_plan(request)
rows = [tasks.TaskRow(description=e.description, file_name=e.file_name, destination=e.location_text(),
                      action="not_submitted") for e in gee_plan.plan_entries(plan)]
count = int(sys.argv[2])
result = {"rows": len(rows)}
with tempfile.TemporaryDirectory(prefix="leaf_bench_tasks_") as folder:
    for suffix in ("csv", "json"):
        path = os.path.join(folder, "plan_tasks." + suffix)
        table = tasks.TaskTable(path, "p") if hasattr(tasks, "TaskTable") else None
        write = table.write if table else (lambda rows: tasks.write_task_table(rows, path, project="p"))
        write(rows)
        started = time.perf_counter()
        for index, row in enumerate(rows[:count]):
            row.action, row.state = "submitted", "READY"
            row.operation = row.request_id = f"projects/p/operations/{index:024d}"
            write(rows)
        result[suffix] = (time.perf_counter() - started) / count
        result[suffix + "_bytes"] = os.path.getsize(path)
        for row in rows:
            row.action, row.state, row.operation, row.request_id = "not_submitted", "", "", ""
print(json.dumps(result))
'''


def measure(source: Path) -> dict:
    answer = subprocess.run([sys.executable, "-c", MEASURE, str(source), str(REWRITES)],
                            capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def report(label: str, result: dict) -> None:
    print(f"{label}: {result['rows']}-row table, one rewrite: CSV {1e3 * result['csv']:.1f} ms "
          f"({result['csv_bytes'] / 1e3:.0f} kB), JSON {1e3 * result['json']:.1f} ms "
          f"({result['json_bytes'] / 1e3:.0f} kB) -> ~{2 * result['rows'] * result['csv']:.0f} s (CSV) of rewrites "
          "over a submission of the plan")


def main() -> None:
    from bench_gee_plan import add_baseline_arguments, baseline_label, baseline_source  # one baseline for all

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_baseline_arguments(parser)
    args = parser.parse_args()
    current = measure(ROOT)
    report("this checkout", current)
    if not args.no_baseline:
        ref, label = baseline_label(args.baseline)
        with tempfile.TemporaryDirectory() as folder:
            old = measure(baseline_source(ref, Path(folder)))
        report(label, old)
        print(f"-> rewrite {old['csv'] / current['csv']:.1f}x faster (CSV), {old['json'] / current['json']:.1f}x "
              "(JSON)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
