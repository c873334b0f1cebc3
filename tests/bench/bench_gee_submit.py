"""Earth Engine submission against the fake server: requests per submitted task (target 1, plus the listing) and wall
time to submit 1 000 tasks, then a resumed run (everything skipped: the listing only).

The plan is cheap on purpose (one small expression copied under 1 000 descriptions) so that the figure is the cost
of submitting — the body merged from the plan's export options and graph, one ``image:export`` request, the task
table — not of building a workflow (see ``bench_gee_plan.py`` for that). Unthrottled here; the default throttle
(5 starts/s) would make the wall time 200 s by design.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("LEAF_QGIS_NETWORKS", str(ROOT.parent / "shared" / "sl2p-networks"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TASKS = 1000


def cheap_plan(count: int) -> dict:
    """``count`` exports of a constant image on tile55's grid, as a plan (same fields as a real one)."""
    from leaf_qgis.core.periods import Period
    from leaf_qgis.engines.gee import exports
    from leaf_qgis.engines.gee import request as rq
    from leaf_qgis.engines.gee.session import offline_session

    request = rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2020, 7)], ["LAI"], 20, "gcs", "",
                              "leaf-maps")
    region = request.regions[0]
    with offline_session() as ee:
        spec = exports.export_spec(request, region, "LAI", request.periods[0], 2020)
        task = exports.build_task(ee, spec, ee.Image(1).toUint8(), exports.region_geometry(ee, region))
        expression = task.config["expression"].serialize()
    entries = []
    for index in range(count):
        entry = spec.to_json()
        entry["description"] = f"bench_{index:04d}_{entry['description']}"
        entry["destination"] = {**entry["destination"], "file_name_prefix": f"bench/{entry['description']}"}
        export = {k: v for k, v in task.config.items() if k != "expression"}
        entry["export"] = {**export, "description": entry["description"], "fileExportOptions": {
            **export["fileExportOptions"], "cloudStorageDestination": {
                "bucket": "leaf-maps", "filenamePrefix": entry["destination"]["file_name_prefix"]}}}
        entry["expression"] = expression  # an inline graph (as a one-task plan has): the same reader
        entries.append(entry)
    return {"request": {"bench": True}, "exports": entries, "task_count": count}


def main() -> None:
    import ee
    import googleapiclient.http
    from google.oauth2.credentials import Credentials

    from leaf_qgis.engines.gee import submit
    from tests.fake_ee import FakeEarthEngine
    from tests.fake_ee.fixtures import FAKE_PROJECT, fake_token

    home = tempfile.mkdtemp(prefix="bench-home-")
    os.environ.update(HOME=home, NO_GCE_CHECK="True")
    ee.deprecation._FetchDataCatalogStac = lambda: {}
    googleapiclient.http.random = type("R", (), {"random": staticmethod(lambda: 0.0)})

    started = time.perf_counter()
    plan = cheap_plan(TASKS)
    build = time.perf_counter() - started
    with FakeEarthEngine() as fake:
        credentials = Credentials(token=fake_token(), refresh_token="1//bench-refresh-abcdefghijklmnop",
                                  token_uri=fake.token_uri, client_id="c", client_secret="s")
        ee.Initialize(credentials, url=fake.url, project=FAKE_PROJECT)
        fake.clear_requests()
        table = Path(home) / "plan_tasks.csv"
        started = time.perf_counter()
        result = submit.submit_plan(ee, plan, FAKE_PROJECT, per_second=None, table_path=table)
        seconds = time.perf_counter() - started
        requests = fake.api_requests()
        exports = [r for r in requests if "image:export" in r.path]
        listing = [r for r in requests if r.path.endswith("/operations")]
        print(f"submit {result.submitted} tasks: {seconds:.2f} s wall ({1e3 * seconds / TASKS:.1f} ms/task, "
              f"{TASKS / seconds:.0f} tasks/s unthrottled); plan of {TASKS} cheap exports built in {build:.2f} s")
        print(f"requests: {len(requests)} in all = {len(exports)} image:export + {len(listing)} listing "
              f"-> {len(exports) / result.submitted:.2f} per submitted task plus the listing")
        fake.clear_requests()
        started = time.perf_counter()
        again = submit.submit_plan(ee, plan, FAKE_PROJECT, per_second=None, table_path=table)
        seconds = time.perf_counter() - started
        requests = fake.api_requests()
        print(f"resumed run (all {again.skipped} already on the server): {seconds:.2f} s wall, "
              f"{len(requests)} requests (listing pages of 500), {again.submitted} submitted")
        print(f"with the default throttle ({submit.DEFAULT_PER_SECOND:g} starts/s) {TASKS} tasks take "
              f"~{TASKS / submit.DEFAULT_PER_SECOND:.0f} s by design")
    ee.Reset()


if __name__ == "__main__":
    main()
