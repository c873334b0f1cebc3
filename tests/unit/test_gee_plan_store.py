"""The plan's shared graph store, destinations, the engine's run sequence and grouped Cloud Storage listings."""

from __future__ import annotations

import hashlib
import json

import pytest

from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.periods import Period
from leaf_qgis.engines.gee import destinations, graph, run, session, tasks
from leaf_qgis.engines.gee import plan as gee_plan
from leaf_qgis.engines.gee import request as rq


@pytest.fixture(scope="module")
def two_tiles_two_months() -> dict:
    request = rq.make_request(rq.tile_regions(["tile55", "tile56"]), "S2", [Period.month(2020, 6),
                                                                            Period.month(2020, 7)],
                              ["LAI", "FAPAR", "QC", "DATE", "PARTITION"], 20)
    return gee_plan.build_plan(request)


def test_shared_serializer_gives_the_clients_bytes_for_every_task():
    """Objects shared between tasks, encoded once, still serialise byte for byte as ``serialize()`` does — whatever
    was encoded before (here: in the reverse order too)."""
    from leaf_qgis.engines.gee.workflow import WorkflowBuilder

    request = rq.make_request(rq.tile_regions(["tile55"]), "L8", [Period.month(2020, 7), Period.month(2020, 8)],
                              ["LAI", "FCOVER", "QC", "DATE"], 30)
    with session.offline_session("") as ee:
        builder = WorkflowBuilder(ee, request)
        images = [image for period in request.periods
                  for image in builder.outputs(request.regions[0], period).values()]
        for order in (images, images[::-1]):
            graphs = graph.PlanGraphs()
            for image in order:
                assert graphs.serialize(image) == image.serialize()


def test_plan_stores_each_piece_once_and_reads_back_exactly(two_tiles_two_months):
    plan = two_tiles_two_months
    store = plan["graph"]
    assert store["format"] == graph.GRAPH_FORMAT and len(set(store["nodes"])) == len(store["nodes"])
    texts = [gee_plan.task_expression(plan, i) for i in range(plan["task_count"])]
    for entry, text in zip(plan["exports"], texts):
        assert "expression" not in entry
        assert hashlib.sha256(text.encode()).hexdigest() == entry["expression_sha256"]
        json.loads(text)
    stored = sum(len(n) for n in store["nodes"])
    assert stored * 3 < sum(len(t) for t in texts)  # the network constants are in every task, stored once
    # a plan file read back gives the same graphs (JSON round trip of the store)
    again = json.loads(json.dumps(gee_plan.redacted(plan)))
    assert [gee_plan.task_expression(again, i) for i in range(plan["task_count"])] == texts


def test_a_changed_graph_piece_is_caught_by_the_checksum(two_tiles_two_months):
    plan = json.loads(json.dumps(two_tiles_two_months))
    nodes = plan["graph"]["nodes"]
    longest = max(range(len(nodes)), key=lambda i: len(nodes[i]))
    nodes[longest] = nodes[longest].replace("1", "2", 1)
    with pytest.raises(LeafError, match="does not match its checksum"):
        for index in range(plan["task_count"]):
            gee_plan.task_expression(plan, index)



def test_a_plan_edited_in_place_is_read_as_it_is_now(two_tiles_two_months):
    """Graphs are read from the plan as it is at each call: a plan whose graph store is rewritten in place (the same
    ``graph`` dict and ``nodes`` list) after a first read gives the new graphs, and a piece damaged in place after a
    first read is caught by the checksum (a store decoded once and kept by the dict's identity gave the old ones)."""
    plan = json.loads(json.dumps(two_tiles_two_months))
    store, nodes = plan["graph"], plan["graph"]["nodes"]
    before = [gee_plan.task_expression(plan, i) for i in range(plan["task_count"])]
    other = gee_plan.build_plan(rq.make_request(rq.tile_regions(["tile56"]), "S2", [Period.month(2021, 8)],
                                                ["LAI", "QC"], 20))
    nodes[:] = other["graph"]["nodes"]
    plan["exports"][:] = other["exports"]
    plan["task_count"] = other["task_count"]
    assert plan["graph"] is store and plan["graph"]["nodes"] is nodes
    after = [gee_plan.task_expression(plan, i) for i in range(plan["task_count"])]
    assert after == [gee_plan.task_expression(other, i) for i in range(other["task_count"])]
    assert len(after) == 2 and '"2021-08-01"' in after[0] and after[0] not in before
    longest = max(range(len(nodes)), key=lambda i: len(nodes[i]))
    nodes[longest] = nodes[longest].replace("1", "2", 1)
    with pytest.raises(LeafError, match="does not match its checksum"):
        for index in range(plan["task_count"]):
            gee_plan.task_expression(plan, index)


def test_plan_entries_round_trip_and_carry_the_export_options(two_tiles_two_months):
    for raw in two_tiles_two_months["exports"]:
        entry = gee_plan.PlanEntry.from_json(raw)
        assert entry.to_json() == raw
        assert entry.spec.to_json().items() <= raw.items()
        assert entry.export["description"] == raw["description"]
        assert entry.export["fileExportOptions"]["driveDestination"] == {
            "folder": raw["destination"]["folder"], "filenamePrefix": raw["destination"]["file_name_prefix"]}


def test_destinations_own_their_checks_locations_and_words():
    assert list(destinations.DESTINATIONS) == ["drive", "gcs", "asset", "download"]
    with pytest.raises(LeafError, match=r"Unknown destination 'ftp'\. Choose one of: drive, gcs, asset, download"):
        destinations.destination("ftp")
    gcs = destinations.destination("GCS ")
    with pytest.raises(LeafError, match="not a valid Cloud Storage bucket"):
        gcs.check("maps", "Bad_Bucket", "")
    where = gcs.location("tile55_2020_Jul_LAI_20m", "tile55_2020", "leaf-maps", "")
    assert gcs.text(where, "tile55_2020_Jul_LAI_20m.tif") == "gs://leaf-maps/tile55_2020/tile55_2020_Jul_LAI_20m.tif"
    assert gcs.text(gcs.location("s", "", "b", "", ".csv"), "s.csv") == "gs://b/s.csv"
    download = destinations.destination("download")
    assert not download.submits and download.check("/abs/folder/", "", "")[0] == "/abs/folder/"
    assert download.location("x", "/maps", "", "") == {"type": "download", "path": "/maps/x.tif"}
    assert destinations.destination("asset").file_name("x") == "x"


def test_run_sequence_from_a_script_dry_run_and_checks_first(tmp_path):
    """The engine's run: a plan written without QGIS; a download without folder refused before anything is built."""
    request = rq.make_request([rq.custom_region("site", {"type": "Polygon", "coordinates": [[
        [-75.70, 45.38], [-75.69, 45.38], [-75.69, 45.39], [-75.70, 45.39], [-75.70, 45.38]]]})], "S2",
        [Period.month(2020, 7)], ["LAI"], 20, "download")
    events: list[str] = []
    outcome = run.run(request, tmp_path / "plan.json", events=lambda name, **_: events.append(name))
    assert events == ["building", "written"] and outcome.plan["task_count"] == 2
    written = json.loads((tmp_path / "plan.json").read_text())
    assert written["exports"][0]["destination"] == {"type": "download", "path": "site_2020_Jul_LAI_20m.tif"}
    assert "export" not in written["exports"][0]  # nothing to submit: no export options
    with pytest.raises(LeafError, match="download destination has no export task to submit"):
        gee_plan.export_body(written, 0)  # (was a KeyError 'folder' when download was planned as Drive)
    with pytest.raises(LeafError, match="DOWNLOAD FOLDER"):
        run.run(request, tmp_path / "other.json", dry_run=False, project="my-project")
    assert not (tmp_path / "other.json").exists()


class ListingHttp:
    """Cloud Storage listing answers from a dict of object names; counts the listings."""

    def __init__(self, names: list[str]) -> None:
        self.names, self.listings = names, []

    def get(self, url, params=None, timeout=None, **_):
        self.listings.append(params["prefix"])
        items = [{"name": n, "size": "1"} for n in self.names if n.startswith(params["prefix"])]
        return type("Answer", (), {"status_code": 200, "json": lambda self: {"items": items}})()


def test_downloads_list_each_folder_once_and_give_each_file_to_its_own_task():
    names = ["tile55_2020/tile55_2020_Jul_LAI_20m.tif", "tile55_2020/tile55_2020_Jul_LAI_200m.tif",
             "tile55_2020/tile55_2020_Jul_QC_20m-0000000000-0000000000.tif",
             "tile55_2020/tile55_2020_Jul_QC_20m-0000000000-0000016384.tif", "tile56_2020/tile56_2020_Jul_LAI_20m.tif"]
    items = []
    for prefix in ("tile55_2020/tile55_2020_Jul_LAI_20m", "tile55_2020/tile55_2020_Jul_LAI_200m",
                   "tile55_2020/tile55_2020_Jul_QC_20m", "tile56_2020/tile56_2020_Jul_LAI_20m"):
        items.append(tasks.Followed(tasks.TaskRow(prefix.split("/")[1], state="COMPLETED"), "leaf-maps", prefix))
    http = ListingHttp(names)
    found = tasks.objects_by_task(http, items, lambda error: None, attempts=1)
    assert http.listings == ["tile55_2020/tile55_2020_Jul_", "tile56_2020/tile56_2020_Jul_LAI_20m"]
    assert {k: [o["name"].split("/")[1] for o in v] for k, v in found.items()} == {
        "tile55_2020_Jul_LAI_20m": ["tile55_2020_Jul_LAI_20m.tif"],
        "tile55_2020_Jul_LAI_200m": ["tile55_2020_Jul_LAI_200m.tif"],
        "tile55_2020_Jul_QC_20m": ["tile55_2020_Jul_QC_20m-0000000000-0000000000.tif",
                                   "tile55_2020_Jul_QC_20m-0000000000-0000016384.tif"],
        "tile56_2020_Jul_LAI_20m": ["tile56_2020_Jul_LAI_20m.tif"]}


def test_an_encoding_unlike_the_clients_falls_back_to_serialize(monkeypatch):
    """The first graph of a plan is checked against ``serialize()``; if this module's shortcut ever encoded
    differently (another earthengine-api), every graph comes from the client itself."""
    request = rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2020, 7)], ["LAI", "QC"], 20)
    monkeypatch.setattr(graph.PlanGraphs, "_optimized", lambda self, obj: {"result": "0", "values": {
        "0": {"constantValue": "not what the client writes"}}})
    with session.offline_session("") as ee:
        from leaf_qgis.engines.gee.workflow import WorkflowBuilder

        images = list(WorkflowBuilder(ee, request).outputs(request.regions[0], request.periods[0]).values())
        graphs = graph.PlanGraphs()
        assert [graphs.serialize(image) for image in images] == [image.serialize() for image in images]
        assert graphs._trusted is False


def test_a_plan_whose_task_names_repeat_is_refused_before_anything_is_built(tmp_path, monkeypatch):
    """An 85-character REGION_NAME plus the per-feature suffix: every description of the region (four products and
    QC, two months) was cut at 100 characters to one task name, and a submit skipped nine of the ten as already on
    Earth Engine. The plan builder now refuses the request, naming the repeated name and what to change, before
    building any graph or writing anything."""
    square = {"type": "Polygon", "coordinates": [[
        [-75.70, 45.38], [-75.69, 45.38], [-75.69, 45.39], [-75.70, 45.39], [-75.70, 45.38]]]}
    name = "r" * 85 + "_1_abcdef"
    request = rq.make_request([rq.custom_region(name, square)], "S2", [Period.month(2020, 7), Period.month(2020, 8)],
                              ["LAI", "FCOVER", "FAPAR", "ALBEDO"], 20)
    built: list[str] = []
    monkeypatch.setattr(gee_plan, "WorkflowBuilder", lambda *a, **k: built.append("builder"))
    with pytest.raises(LeafError) as caught:
        run.run(request, tmp_path / "plan.json")
    assert str(caught.value) == (
        f"10 export tasks would share a name with another ({name}_2020_): Earth Engine knows a task by its name (at "
        "most 100 characters), so a submit would skip all but the first as already on Earth Engine. Give the regions "
        "shorter names that differ in their first characters (REGION_NAME, or the values of REGION_NAME_FIELD).")
    assert built == [] and not (tmp_path / "plan.json").exists()
    # Two regions of one name repeat too (LAI and QC of each).
    with pytest.raises(LeafError, match=r"^4 export tasks would share a name with another \(site_2020_Jul_LAI_20m, "
                                        r"site_2020_Jul_QC_20m\)"):
        gee_plan.build_plan(rq.make_request([rq.custom_region("site", square)] * 2, "S2", [Period.month(2020, 7)],
                                            ["LAI"], 20))
