"""Earth Engine dry run: the national plan (26 tiles × 7 months × every output) built offline — wall time, server
round trips while building (target 0), graph size per export — compared with building one product at a time (the
whole workflow rebuilt for every export)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("LEAF_QGIS_NETWORKS", str(ROOT.parent / "shared" / "sl2p-networks"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUTPUTS = ["LAI", "FCOVER", "FAPAR", "ALBEDO", "DATE", "PARTITION"]


def national_request():
    from leaf_qgis.core import tile_grid
    from leaf_qgis.core.periods import Period
    from leaf_qgis.engines.gee import request as rq

    names = [t.name for t in tile_grid.tiles() if t.name != "tile57"]  # the 26 tiles covering Canada
    return rq.make_request(rq.tile_regions(names), "S2", [Period.month(2020, m) for m in range(4, 11)], OUTPUTS, 20)


def measure(shared: bool) -> tuple[float, dict]:
    from leaf_qgis.engines.gee import plan as gee_plan

    request = national_request()
    started = time.perf_counter()
    plan = gee_plan.build_plan(request, shared=shared)
    return time.perf_counter() - started, plan


def main() -> None:
    from leaf_qgis.core.networks import load_network_set

    load_network_set("S2")  # warm the store's file cache (not part of the plan's cost)
    seconds, plan = measure(shared=True)
    sizes = [len(e["expression"]) for e in plan["exports"]]
    by_key: dict[str, list[int]] = {}
    for e in plan["exports"]:
        by_key.setdefault(e["key"], []).append(len(e["expression"]))
    print(f"national plan (26 tiles x 7 months, {plan['task_count']} exports): {seconds:.2f} s wall, "
          f"server round trips {plan['server_round_trips']}, {os.cpu_count()} cores")
    print(f"graph size per export: median {statistics.median(sizes) / 1e3:.1f} kB, max {max(sizes) / 1e3:.1f} kB, "
          f"total {sum(sizes) / 1e6:.1f} MB; " + ", ".join(
              f"{k} {statistics.median(v) / 1e3:.1f} kB" for k, v in by_key.items()))
    alone_seconds, alone = measure(shared=False)
    print(f"one product at a time (workflow rebuilt per export): {alone_seconds:.2f} s wall, "
          f"round trips {alone['server_round_trips']} -> shared builder {alone_seconds / seconds:.2f}x faster")


if __name__ == "__main__":
    main()
