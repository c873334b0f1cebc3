"""Plans and task tables never replace a file the plugin did not write; their modes follow the user's umask."""

from __future__ import annotations

import json
import os
import stat

import ee  # noqa: F401 - pinned in requirements-dev.txt: a broken install must fail, not skip
import pytest
from qgis.core import QgsProcessingException

from tests.fake_ee.fixtures import FAKE_PROJECT

DRY = {"TILES": "tile55", "SENSOR": "S2", "YEAR": 2020, "MONTHS": ["Jul"], "PRODUCTS": ["LAI"], "RESOLUTION": 20,
       "DESTINATION": "drive", "DRY_RUN": True}


@pytest.fixture()
def umask_022():
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_plan_replaces_only_an_earlier_plan(run_alg, tmp_path, umask_022):
    mine = tmp_path / "notes.json"
    mine.write_text('{"my": "precious notes"}')
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("produce_gee", {**DRY, "PLAN": str(mine)})
    assert str(caught.value) == (f"'{mine}' already exists and is not a plan written by this plugin, so it was left "
                                 "untouched. Choose another file name for the PLAN, or move that file away first.")
    assert mine.read_text() == '{"my": "precious notes"}'
    plan = tmp_path / "plan.json"
    run_alg("produce_gee", {**DRY, "PLAN": str(plan)})
    assert stat.S_IMODE(plan.stat().st_mode) == 0o644  # the umask's mode, not 0600
    first = json.loads(plan.read_text())["created"]
    run_alg("produce_gee", {**DRY, "PLAN": str(plan), "MONTHS": ["Aug"]})  # an earlier plan is replaced
    assert json.loads(plan.read_text())["exports"][0]["description"] == "tile55_2020_Aug_LAI_20m"
    assert json.loads(plan.read_text())["created"] >= first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json", "plan.json"]  # no temporary file left


def test_task_table_replaces_only_an_earlier_table(run_alg, signed_in, tmp_path, umask_022):
    run_alg("produce_gee", {**DRY, "DRY_RUN": False, "DESTINATION": "gcs", "BUCKET": "leaf-maps",
                            "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json")})
    table = tmp_path / "plan_tasks.csv"
    assert stat.S_IMODE(table.stat().st_mode) == 0o644
    for name, content in (("budget.csv", "year,amount\n2024,12\n"), ("other.json", '{"tasks": [1], "x": 2}'),
                          ("photo.jpg", "\xff\xd8binary")):
        path = tmp_path / name
        path.write_text(content)
        with pytest.raises(QgsProcessingException) as caught:
            run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(path)})
        assert str(caught.value).startswith(f"'{path}' already exists and is not a task table written by this plugin")
        assert path.read_text() == content
    # earlier tables (CSV and JSON) are replaced; an empty file holds nothing to lose
    run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(table)})
    listed = tmp_path / "listed.json"
    run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(listed)})
    assert json.loads(listed.read_text())["generator"] == "leaf_qgis task table"
    run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(listed)})
    empty = tmp_path / "empty.csv"
    empty.touch()
    result = run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(empty)})
    assert result["TASK_COUNT"] == 2 and empty.read_text().startswith("description,state,task_id,")


def test_a_plan_at_the_submission_table_path_is_not_replaced(run_alg, signed_in, tmp_path):
    plan = tmp_path / "plan.json"
    run_alg("produce_gee", {**DRY, "PLAN": str(plan)})
    before = plan.read_bytes()
    with pytest.raises(QgsProcessingException, match="is not a task table written by this plugin"):
        run_alg("produce_gee", {**DRY, "DRY_RUN": False, "DESTINATION": "gcs", "BUCKET": "leaf-maps",
                                "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "p2.json"), "TASK_TABLE": str(plan)})
    assert plan.read_bytes() == before and not signed_in.operations  # refused before anything was sent


def test_recognisers(tmp_path):
    from leaf_qgis.engines.gee import plan as gee_plan
    from leaf_qgis.engines.gee import submit

    csv_table = tmp_path / "t.csv"
    submit.write_task_table([submit.TaskRow("tile55_2020_Jul_LAI_20m")], csv_table)
    assert submit.is_task_table(csv_table) and not gee_plan.is_plan_file(csv_table)
    shifted = tmp_path / "s.csv"
    shifted.write_text(" " + csv_table.read_text())
    assert not submit.is_task_table(shifted)
    legacy = tmp_path / "legacy.json"
    legacy.write_text(json.dumps({"project": "p", "written": "x", "counts": {}, "tasks": []}))
    assert submit.is_task_table(legacy)
    fake_plan = tmp_path / "fake.json"
    fake_plan.write_text(json.dumps({"plan_version": 1, "generator": "someone else"}))
    assert not gee_plan.is_plan_file(fake_plan)
    fake_plan.write_text(json.dumps({"plan_version": 1, "generator": "leaf_qgis leaf:produce_gee", "exports": []}))
    assert gee_plan.is_plan_file(fake_plan)
    link = tmp_path / "link.csv"
    link.symlink_to(csv_table)
    with pytest.raises(Exception, match="is not a task table"):
        submit.check_table_writable(link)  # a link could point anywhere: never written through


def test_no_secret_reaches_a_plan(tmp_path):
    from leaf_qgis.engines.gee import plan as gee_plan

    plan = {"plan_version": 1, "generator": gee_plan.PLAN_GENERATOR,
            "request": {"folder": "maps access_token=ya29.SECRET1", "bucket": "b"},
            "exports": [{"description": "tile55_2020_Jul_LAI_20m", "expression": '{"values": {"0": 1}}',
                         "destination": {"type": "gcs", "note": "https://x/o?X-Goog-Signature=SECRET2"}}]}
    path = gee_plan.write_plan(plan, tmp_path / "plan.json")
    text = path.read_text()
    assert "SECRET" not in text
    written = json.loads(text)
    assert written["exports"][0]["expression"] == '{"values": {"0": 1}}'
    assert written["request"]["folder"] == "maps access_token=[REDACTED]"
