"""Submitting a plan to the fake Earth Engine server: bodies, resume without duplicates, faults, throttling, table."""

from __future__ import annotations

import copy
import json
import os
from collections import Counter

import ee
import pytest

from leaf_qgis.core.errors import LeafError
from leaf_qgis.engines.gee import plan as gee_plan
from leaf_qgis.engines.gee import submit
from tests.fake_ee.fixtures import FAKE_PROJECT


@pytest.fixture(scope="module")
def small_plan() -> dict:
    """2 tiles × 1 month × LAI (+ its QC): 4 tasks, built offline once for the module."""
    from leaf_qgis.core.periods import Period
    from leaf_qgis.engines.gee import plan as gee_plan
    from leaf_qgis.engines.gee import request as rq

    request = rq.make_request(rq.tile_regions(["tile55", "tile56"]), "S2", [Period.month(2020, 7)], ["LAI"], 20,
                              "gcs", "", "leaf-maps")
    return gee_plan.build_plan(request)


@pytest.fixture()
def plan(small_plan) -> dict:
    return copy.deepcopy(small_plan)


@pytest.fixture()
def ee_session(fake_ee, fake_credentials):

    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    fake_ee.clear_requests()
    return ee


def run(ee, plan, **kwargs) -> submit.SubmitResult:
    kwargs.setdefault("per_second", None)
    kwargs.setdefault("sleep", lambda seconds: None)
    return submit.submit_plan(ee, plan, FAKE_PROJECT, **kwargs)


def server_descriptions(fake_ee) -> list[str]:
    return [op["metadata"]["description"] for op in fake_ee.operations.values()]


def test_every_task_is_submitted_with_the_plan_expression(fake_ee, ee_session, plan, tmp_path):
    table = tmp_path / "plan_tasks.csv"
    result = run(ee_session, plan, table_path=table)
    assert result.submitted == 4 and result.skipped == 0 and not result.cancelled
    exports = fake_ee.requests_to("image:export", "POST")
    assert [r.body["description"] for r in exports] == [e["description"] for e in plan["exports"]]
    for index, (request, entry) in enumerate(zip(exports, plan["exports"])):
        # verbatim, clip and grid inside; the options are those built at plan time, merged, never rebuilt
        assert request.body["expression"] == json.loads(gee_plan.task_expression(plan, index))
        assert {k: v for k, v in request.body.items() if k not in ("expression", "requestId")} == entry["export"]
        destination = request.body["fileExportOptions"]["cloudStorageDestination"]
        assert destination == {"bucket": "leaf-maps", "filenamePrefix": entry["destination"]["file_name_prefix"]}
        assert request.body["fileExportOptions"]["geoTiffOptions"]["cloudOptimized"] is True
        assert request.body["requestId"]
    # one request per task plus the listing
    assert len(fake_ee.api_requests()) == 4 + 1
    rows = submit.read_task_table(table)
    assert [r.description for r in rows] == [e["description"] for e in plan["exports"]]
    assert {r.state for r in rows} == {"READY"} and all(r.task_id for r in rows)
    assert rows[0].destination.startswith("gs://leaf-maps/tile55_2020/")
    assert not list(tmp_path.glob(".*.leaf-tmp-*"))


def one_tile_plan(destination: str, **where: str) -> dict:
    from leaf_qgis.core.periods import Period
    from leaf_qgis.engines.gee import request as rq

    request = rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2020, 7)], ["LAI"], 20, destination,
                              **where)
    return gee_plan.build_plan(request)


def test_drive_and_asset_bodies_come_from_the_plan():
    drive = one_tile_plan("drive")
    body = submit.export_body(drive, 0)
    assert body["fileExportOptions"]["driveDestination"] == {"folder": "tile55_2020",
                                                             "filenamePrefix": "tile55_2020_Jul_LAI_20m"}
    assert body["fileExportOptions"]["geoTiffOptions"] == {"cloudOptimized": True, "noData": {"floatValue": 255}}
    asset = one_tile_plan("asset", asset_root="projects/my-leaf-project/assets/leaf")
    body = submit.export_body(asset, 0)
    assert body["assetExportOptions"] == {"earthEngineDestination": {
        "name": "projects/my-leaf-project/assets/leaf/tile55_2020/tile55_2020_Jul_LAI_20m", "overwrite": False},
        "pyramidingPolicy": "MEAN"}
    assert submit.export_body(asset, 1)["assetExportOptions"]["pyramidingPolicy"] == "MODE"  # the QC bits
    # the graph is the same whatever the destination: only the options around it differ
    assert body["expression"] == json.loads(gee_plan.task_expression(drive, 0))


def test_a_damaged_or_old_plan_is_refused_before_anything_is_sent(plan):
    entry = plan["exports"][0]
    entry["expression_sha256"] = "0" * 64
    with pytest.raises(LeafError, match="does not match its checksum"):
        submit.export_body(plan, 0)
    old = {"exports": [{"description": "tile55_2020_Jul_LAI_20m", "expression": '{"result": "0"}',
                        "destination": {"type": "gcs", "bucket": "b", "file_name_prefix": "x"}}]}
    with pytest.raises(LeafError, match="earlier version"):
        submit.export_body(old, 0)


def test_rerun_skips_existing_tasks(fake_ee, ee_session, plan):
    run(ee_session, plan)
    fake_ee.clear_requests()
    again = run(ee_session, plan)
    assert again.skipped == 4 and again.submitted == 0
    assert fake_ee.requests_to("image:export") == []
    assert Counter(server_descriptions(fake_ee)) == Counter(e["description"] for e in plan["exports"])


def test_interrupted_batch_resumes_without_duplicates(fake_ee, ee_session, plan, tmp_path):
    ee_session.data.setMaxRetries(1)
    first = plan["exports"][0]["description"]
    fake_ee.clear_requests()
    # after two tasks the connection resets on every start: the batch stops with a network error
    table = tmp_path / "tasks.json"
    done = []

    def on_row(row):
        done.append(row.description)
        if len(done) == 2:
            fake_ee.inject("reset", method="POST", path_contains="image:export", times=50)

    with pytest.raises(LeafError) as caught:
        run(ee_session, plan, attempts=2, on_row=on_row, table_path=table)
    assert caught.value.kind == "network"
    assert len(fake_ee.operations) == 2
    rows = submit.read_task_table(table)
    assert [r.action for r in rows] == ["submitted", "submitted", "not_submitted", "not_submitted"]
    fake_ee.faults.clear()
    fake_ee.clear_requests()
    resumed = run(ee_session, plan)
    assert [r.action for r in resumed.rows] == ["skipped", "skipped", "submitted", "submitted"]
    assert len(fake_ee.requests_to("image:export", "POST")) == 2
    descriptions = server_descriptions(fake_ee)
    assert len(descriptions) == len(set(descriptions)) == 4 and first in descriptions


def test_a_lost_answer_is_retried_with_the_same_request_id(fake_ee, ee_session, plan):
    ee_session.data.setMaxRetries(0)  # our retry, not the client's
    fake_ee.inject("lost", method="POST", path_contains="image:export")
    result = run(ee_session, plan)
    posts = fake_ee.requests_to("image:export", "POST")
    assert len(posts) == 5 and posts[0].body["requestId"] == posts[1].body["requestId"]
    assert result.submitted == 4 and len(fake_ee.operations) == 4


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_faults_are_retried(fake_ee, ee_session, plan, status):
    ee_session.data.setMaxRetries(0)
    fake_ee.inject("status", status, method="POST", path_contains="image:export", times=2)
    delays: list[float] = []
    result = run(ee_session, plan, sleep=delays.append, backoff=0.25)
    assert result.submitted == 4 and len(fake_ee.operations) == 4
    assert len(fake_ee.requests_to("image:export", "POST")) == 6 and len(delays) == 2


def test_listing_faults_are_retried_too(fake_ee, ee_session, plan):
    ee_session.data.setMaxRetries(0)
    fake_ee.inject("status", 503, method="GET", path_contains="/operations")
    assert run(ee_session, plan).submitted == 4


def test_persistent_quota_error_is_actionable(fake_ee, ee_session, plan):
    ee_session.data.setMaxRetries(0)
    fake_ee.inject("status", 429, method="POST", path_contains="image:export", times=10)
    with pytest.raises(LeafError) as caught:
        run(ee_session, plan, attempts=3)
    assert caught.value.kind == "quota" and "quota or rate limit" in str(caught.value)


def test_401_with_refused_refresh_says_expired(fake_ee, ee_session, plan, fake_credentials):
    fake_ee.refresh_ok = False
    fake_ee.inject("status", 401, method="POST", path_contains="image:export",
                   message="Invalid credentials {authorization}")
    with pytest.raises(LeafError) as caught:
        run(ee_session, plan)
    assert caught.value.kind == "expired" and "expired or were revoked" in str(caught.value)
    assert fake_credentials.token not in str(caught.value)
    assert "fake-token" not in str(caught.value)


def test_slow_response_is_waited_for(fake_ee, ee_session, plan):
    fake_ee.inject("slow", delay=0.3, method="POST", path_contains="image:export")
    assert run(ee_session, plan).submitted == 4


def test_failed_and_cancelled_tasks_are_resubmitted(fake_ee, ee_session, plan):
    descriptions = [e["description"] for e in plan["exports"]]
    failed = fake_ee.add_operation(descriptions[0], state="FAILED", project=FAKE_PROJECT)
    fake_ee.add_operation(descriptions[1], state="CANCELLED", project=FAKE_PROJECT)
    fake_ee.add_operation(descriptions[2], state="SUCCEEDED", project=FAKE_PROJECT)
    fake_ee.add_operation(descriptions[3], state="RUNNING", project=FAKE_PROJECT)
    result = run(ee_session, plan)
    assert [r.action for r in result.rows] == ["resubmitted", "resubmitted", "skipped", "skipped"]
    assert [r.state for r in result.rows] == ["READY", "READY", "COMPLETED", "RUNNING"]
    assert result.rows[0].task_id != failed["name"].rsplit("/", 1)[-1]
    # the resubmission failed again: the next run submits a third attempt with a new request id
    fake_ee.set_state(result.rows[0].operation, "FAILED", "Bucket leaf-maps does not exist.")
    again = run(ee_session, plan)
    assert [r.action for r in again.rows] == ["resubmitted", "skipped", "skipped", "skipped"]
    ids = [r.body["requestId"] for r in fake_ee.requests_to("image:export", "POST") if
           r.body["description"] == descriptions[0]]
    assert len(ids) == len(set(ids)) == 2


def test_listing_is_paginated(fake_ee, ee_session, plan):
    fake_ee.page_size = 1
    for entry in plan["exports"][:3]:
        fake_ee.add_operation(entry["description"], state="PENDING", project=FAKE_PROJECT)
    result = run(ee_session, plan)
    assert result.listed == 3 and [r.action for r in result.rows] == ["skipped"] * 3 + ["submitted"]
    assert len(fake_ee.requests_to("/operations", "GET")) == 3


def test_cancel_between_tasks(fake_ee, ee_session, plan, tmp_path):
    table = tmp_path / "t.csv"
    result = run(ee_session, plan, progress=lambda done, total: done < 2, table_path=table)
    assert result.cancelled and result.submitted == 2 and result.not_submitted == 2
    assert len(fake_ee.operations) == 2
    assert [r.action for r in submit.read_task_table(table)] == ["submitted"] * 2 + ["not_submitted"] * 2


def test_throttle_spaces_starts():
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(round(seconds, 6))
        now[0] += seconds

    throttle = submit.Throttle(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        throttle.wait()
    assert sleeps == [0.25, 0.25, 0.25, 0.25]
    unlimited = submit.Throttle(None, sleep=sleep)
    unlimited.wait()
    unlimited.wait()
    assert len(sleeps) == 4


def test_throttled_submission_against_the_server(fake_ee, ee_session, plan):
    import time

    started = time.monotonic()
    submit.submit_plan(ee_session, plan, FAKE_PROJECT, per_second=20)
    assert time.monotonic() - started >= 3 / 20 - 0.01


def test_request_ids_are_stable_and_distinct(plan):
    digest = submit.request_digest(plan)
    a = submit.request_id("p", "d", digest, "{}", 0)
    assert a == submit.request_id("p", "d", digest, "{}", 0)
    assert len({a, submit.request_id("p", "d", digest, "{}", 1), submit.request_id("p", "e", digest, "{}", 0),
                submit.request_id("p", "d", "other", "{}", 0)}) == 4


def test_empty_plan_and_unwritable_table(ee_session, plan, tmp_path):
    with pytest.raises(LeafError):
        run(ee_session, {"exports": []})
    rows = [submit.TaskRow(description="x", error="access_token=ya29.secret")]
    path = submit.write_task_table(rows, tmp_path / "t.json")
    assert "ya29" not in path.read_text()
    with pytest.raises(LeafError):
        submit.write_task_table(rows, tmp_path / "t.json" / "x.csv")  # a file where a folder should be



def _awkward_rows() -> list:
    """Rows with texts CSV must quote and JSON escape, a secret to redact, and one row twice."""
    from leaf_qgis.engines.gee import tasks

    rows = [tasks.TaskRow(description=f"tile{i}_2020_Jul_LAI", state="READY", task_id=f"T{i}", action="submitted",
                          destination=f"gs://b/leaf/tile{i}.tif", operation=f"projects/p/operations/T{i}")
            for i in range(5)]
    rows[1].error = 'Quote " comma , newline\nand é — access_token=ya29.a0secret'
    rows[2].destination = "Drive: dossier d'été/tile2.tif"
    rows.append(tasks.TaskRow(**rows[0].__dict__))
    return rows


@pytest.mark.parametrize("name", ["t.csv", "t.json"])
def test_a_task_table_is_written_as_before_and_rewritten_without_rechecking(tmp_path, monkeypatch, name):
    """The table's bytes are csv.DictWriter's / json.dumps(indent=1)'s over the redacted rows, as tables were always
    written; a run's table is checked when opened and not at each rewrite, and a rewrite serialises (and redacts)
    only the rows that changed."""
    import csv
    import io

    from leaf_qgis.engines.gee import session, tasks

    rows = _awkward_rows()
    columns = tasks.TaskRow.columns()
    records = [{c: session.redact(getattr(r, c)) for c in columns} for r in rows]
    checks, redactions = [], []
    monkeypatch.setattr(tasks, "is_task_table", lambda path, original=tasks.is_task_table: checks.append(path)
                        or original(path))
    monkeypatch.setattr(tasks, "redact", lambda text, original=tasks.redact: redactions.append(text)
                        or original(text))
    path = tmp_path / name
    path.write_text("")  # an empty file may be replaced: checked once on opening (nothing to parse)
    table = tasks.TaskTable(path, project="p")
    table.write(rows)
    data = path.read_bytes()
    if name.endswith(".csv"):
        expected = io.StringIO()
        writer = csv.DictWriter(expected, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        assert data.decode("utf-8") == expected.getvalue()
    else:
        document = json.loads(data)
        assert document["tasks"] == records and document["counts"] == {"submitted": 6}
        assert data.decode("utf-8") == json.dumps(document, indent=1)
        assert tasks.is_task_table(path)
    assert "ya29" not in data.decode("utf-8") and [r.error for r in tasks.read_task_table(path)][1].startswith(
        'Quote " comma , newline\nand é')
    assert len(redactions) == 5 * len(columns)  # five distinct rows (the sixth is the first one again)
    checks.clear()
    redactions.clear()
    for index in range(3):
        rows[index].state = "RUNNING"
        table.write(rows)
    assert checks == []  # no re-check of the file it wrote itself
    assert len(redactions) == 3 * len(columns)  # rows 0, 1 and 2 changed, once each; nothing else serialised again
    assert [r.state for r in tasks.read_task_table(path)] == ["RUNNING"] * 3 + ["READY"] * 3
    fresh = tasks.table_bytes(rows, path, "p")  # what a table written from scratch holds
    if name.endswith(".csv"):
        assert path.read_bytes() == fresh
    else:
        assert json.loads(path.read_bytes())["tasks"] == json.loads(fresh)["tasks"]


def test_a_task_table_replaced_by_another_file_is_never_overwritten(tmp_path):
    from leaf_qgis.engines.gee import tasks

    path = tmp_path / "t.csv"
    table = tasks.TaskTable(path, project="p")
    table.write(_awkward_rows())
    path.write_text("my own notes\n", encoding="utf-8")  # the user's file took the table's place meanwhile
    with pytest.raises(LeafError, match="is not a task table written by this plugin"):
        table.write(_awkward_rows())
    assert path.read_text(encoding="utf-8") == "my own notes\n"
    path.unlink()  # gone: written again
    assert len(tasks.read_task_table(table.write(_awkward_rows()))) == 6


@pytest.mark.parametrize("name", ["t.csv", "t.json"])
def test_a_file_that_appears_before_the_first_write_is_never_overwritten(tmp_path, name):
    """Between opening the table and its first write the run lists the server's tasks (seconds to minutes): a file
    created at the path meanwhile is checked like any other, and kept."""
    from leaf_qgis.engines.gee import tasks

    path = tmp_path / name
    table = tasks.TaskTable(path, project="p")  # no file yet
    path.write_text("user,data\n1,2\n", encoding="utf-8")
    with pytest.raises(LeafError, match="is not a task table written by this plugin"):
        table.write(_awkward_rows())
    assert path.read_text(encoding="utf-8") == "user,data\n1,2\n"


def test_a_table_edited_in_place_with_the_same_size_and_time_is_checked_again(tmp_path):
    """An edit that keeps the size and the modification time (coarse timestamps) still changes the ctime."""
    from leaf_qgis.engines.gee import tasks

    path = tmp_path / "t.csv"
    table = tasks.TaskTable(path, project="p")
    table.write(_awkward_rows())
    status = os.stat(path)
    path.write_bytes(b"x" * status.st_size)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    with pytest.raises(LeafError, match="is not a task table written by this plugin"):
        table.write(_awkward_rows())
    assert path.read_bytes() == b"x" * status.st_size


def test_an_answer_lost_for_good_is_reconciled_with_the_task_list(fake_ee, ee_session, plan, tmp_path):
    """The server created the task but every answer was lost: the table says submitted (with the server's id)."""
    ee_session.data.setMaxRetries(0)
    fake_ee.inject("lost", method="POST", path_contains="image:export")
    table = tmp_path / "t.csv"
    result = run(ee_session, plan, attempts=1, table_path=table)
    assert [r.action for r in result.rows] == ["submitted"] * 4
    first = result.rows[0]
    server = next(op for op in fake_ee.operations.values() if op["metadata"]["description"] == first.description)
    assert first.operation == server["name"] and first.state == "READY"
    assert len(fake_ee.requests_to("image:export", "POST")) == 4  # no second start, no twin
    assert [r.task_id for r in submit.read_task_table(table)] == [r.task_id for r in result.rows]
    assert run(ee_session, plan).skipped == 4


SUBMITTER = """
import json, sys
import ee
from google.oauth2.credentials import Credentials
from leaf_qgis.engines.gee import plan as gee_plan
from leaf_qgis.engines.gee import submit

url, plan_path, table = sys.argv[1:4]
ee.deprecation._FetchDataCatalogStac = lambda: {}
credentials = Credentials(token="fake-token-child", refresh_token="1//fake-refresh-child-abcdef",
                          token_uri=url + "/token", client_id="c", client_secret="s")
ee.Initialize(credentials, url=url, project="fake-project")
ee.data.setMaxRetries(0)
with open(plan_path) as handle:
    plan = json.load(handle)
submit.submit_plan(ee, plan, "fake-project", per_second=None, table_path=table)
"""


def test_a_killed_submission_leaves_an_accurate_table_and_resumes_without_twins(fake_ee, ee_session, plan, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan))
    table = tmp_path / "plan_tasks.csv"
    fake_ee.inject("slow", delay=1.0, method="POST", path_contains="image:export", skip=2)  # the third start stalls
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "HOME": str(tmp_path), "NO_GCE_CHECK": "True", "PYTHONPATH": str(root)}
    child = subprocess.Popen([sys.executable, "-c", SUBMITTER, fake_ee.url, str(plan_path), str(table)], env=env,
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while len(fake_ee.requests_to("image:export", "POST")) < 3 and time.monotonic() < deadline:
            assert child.poll() is None, child.communicate()
            time.sleep(0.02)
        time.sleep(0.2)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    rows = submit.read_task_table(table)
    descriptions = [e["description"] for e in plan["exports"]]
    assert [r.description for r in rows] == descriptions
    assert [r.action for r in rows] == ["submitted", "submitted", "sent", "not_submitted"]
    on_server = {op["metadata"]["description"]: op["name"] for op in fake_ee.operations.values()}
    assert {r.description: r.operation for r in rows[:2]} == {d: on_server[d] for d in descriptions[:2]}
    resumed = run(ee_session, plan, table_path=table)
    assert [r.action for r in resumed.rows][:2] == ["skipped", "skipped"]
    time.sleep(1.0)  # the stalled start of the killed run reaches the server after all
    on_server = [op["metadata"]["description"] for op in fake_ee.operations.values()]
    assert sorted(on_server) == sorted(descriptions)  # no twin: the same requestId was reused
    rows = submit.read_task_table(table)
    assert {r.action for r in rows[2:]} <= {"submitted", "skipped"} and all(r.task_id for r in rows)
