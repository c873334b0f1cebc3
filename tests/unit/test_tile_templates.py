"""Tile templates (engines/gee/templates.py): tiles written from another tile's graphs give, export for export, the
plan that building every tile gives — the graphs byte for byte, the export options, the plan's graph store no larger —
and every case the templates cannot prove falls back to building."""

from __future__ import annotations

import hashlib
import json

import pytest

from leaf_qgis.core.periods import Period
from leaf_qgis.core.tile_grid import parse_tile
from leaf_qgis.engines.gee import graph, templates, workflow
from leaf_qgis.engines.gee import plan as gee_plan
from leaf_qgis.engines.gee import request as rq

ALL = ["LAI", "FCOVER", "FAPAR", "ALBEDO", "QC", "DATE", "PARTITION"]
OTTAWA = {"type": "Polygon", "coordinates": [[[-75.9, 45.2], [-75.4, 45.2], [-75.4, 45.5], [-75.9, 45.5],
                                              [-75.9, 45.2]]]}
# Three tiles north of 55° N (scene-cloud maximum 70 %) and three south (85 %): two groups of templates, each with
# a template, the tile checked against building, and a tile written from it; a custom region in between.
NORTH, SOUTH = ["tile13", "tile14", "tile36"], ["tile41", "tile47", "tile55"]


def requests() -> dict[str, rq.GeeRequest]:
    return {
        "s2_north_south_custom": rq.make_request(
            [*rq.tile_regions(NORTH[:2] + SOUTH[:2]), rq.custom_region("ottawa", OTTAWA),
             *rq.tile_regions([NORTH[2], SOUTH[2]])],
            "S2", [Period.month(2020, 6), Period.month(2020, 7)], ALL, 20),
        "oli_merged_gcs_weighted": rq.make_request(
            rq.tile_regions(["tile44", "tile45", "tile46", "tile47"]), "LANDSAT_OLI",
            [Period.month(2022, 7), Period.peak_season(2021)], ["LAI", "QC", "DATE", "PARTITION"], 30,
            destination="gcs", bucket="leaf-maps", time_score_weight=1.5, algorithm="SL2P"),
        "s2_download_subtiles": rq.make_request(
            rq.tile_regions(["tile55_411", "tile55_412", "tile54_933", "tile56"]), "S2", [Period.month(2023, 5)],
            ["FAPAR", "QC", "PARTITION"], 10, destination="download", max_scene_cloud=40, mask_flagged=True),
    }


def written_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the exports written from a template (a one-element list, updated as the plan is built)."""
    count = [0]
    write = templates.TileTemplates.write

    def counting(self, *args, **kwargs):
        result = write(self, *args, **kwargs)
        count[0] += result is not None
        return result

    monkeypatch.setattr(templates.TileTemplates, "write", counting)
    return count


def assert_same_plan(templated: dict, built: dict) -> None:
    """Every export of ``templated`` as in ``built``: its fields and export options, its graph's text (read back
    through the plan's reader and its checksum); the graph store no larger."""
    assert templated["task_count"] == built["task_count"]
    for index, (got, want) in enumerate(zip(templated["exports"], built["exports"])):
        assert {k: v for k, v in got.items() if k != "graph"} == {k: v for k, v in want.items() if k != "graph"}
        assert gee_plan.task_expression(templated, index) == gee_plan.task_expression(built, index)
    assert len(json.dumps(templated["graph"])) <= len(json.dumps(built["graph"]))
    assert templated["server_round_trips"] == built["server_round_trips"] == 0


@pytest.mark.parametrize("name", list(requests()))
def test_templates_give_the_plan_building_every_tile_gives(name, monkeypatch):
    request = requests()[name]
    built = gee_plan.build_plan(request, templates=False)
    count = written_count(monkeypatch)
    templated = gee_plan.build_plan(request)
    assert_same_plan(templated, built)
    # written: the tiles after the template and the checked tile of each group, every export of theirs
    per_tile = len(request.outputs_per_period()) * len(request.periods) + ("PARTITION" in request.maps) * len(
        {p.year for p in request.periods})
    assert count[0] == {"s2_north_south_custom": 2, "oli_merged_gcs_weighted": 2, "s2_download_subtiles": 2}[name] \
        * per_tile


def test_a_workflow_that_reads_more_of_a_tile_drops_the_templates(monkeypatch):
    """The safety net: were the maps of a tile to depend on more than its rectangle (here its clip, on its name),
    the first tile written from a template differs from building it, and the plan is built tile by tile."""
    monkeypatch.setattr(workflow.WorkflowBuilder, "clip",
                        lambda self, region: self.ee.Geometry.Point([float(region.name[4:6]), 0.0]))
    request = rq.make_request(rq.tile_regions(SOUTH), "S2", [Period.month(2020, 6)], ["LAI", "QC", "PARTITION"], 20)
    built = gee_plan.build_plan(request, templates=False)
    count = written_count(monkeypatch)
    templated = gee_plan.build_plan(request)
    assert count[0] == 0
    assert_same_plan(templated, built)


def region(name: str) -> rq.Region:
    return rq.Region(name, tile=parse_tile(name))


def rectangle_graph(coordinates: str, inline: bool, extra: str = "") -> str:
    """A graph text whose rectangle's coordinates are written inline, or as a value of their own (merged)."""
    constant = templates.constant_text(coordinates)
    value = constant if inline else '{"valueReference": "1"}'
    values = {"0": f'{{"functionInvocationValue": {{"functionName": "GeometryConstructors.Rectangle", '
                   f'"arguments": {{"coordinates": {value}{extra}}}}}}}'}
    if not inline:
        values["1"] = constant
    return '{"result": "0", "values": {' + ", ".join(f'"{k}": {v}' for k, v in values.items()) + "}}"


def test_a_template_needs_its_coordinates_inline_and_once():
    request = rq.make_request(rq.tile_regions(["tile55", "tile56"]), "S2", [Period.month(2020, 6)], ["LAI"], 20)
    a, b = request.regions
    coordinates = templates.coordinates_text(a)
    cases = {
        "inline, once": (rectangle_graph(coordinates, inline=True), True),
        "a value of its own (merged with another list)": (rectangle_graph(coordinates, inline=False), False),
        "also elsewhere": (rectangle_graph(coordinates, True, f', "other": {{"constantValue": "{coordinates}"}}'),
                           False),
    }
    for case, (text, usable) in cases.items():
        tiles = templates.TileTemplates(request)
        graphs = graph.PlanGraphs([text])
        group = tiles.group(a, "LAI", request.periods[0], 2020)
        tiles.built(group, a, None, 0, hashlib.sha256(text.encode()).hexdigest(), graphs)
        checked = text.replace(coordinates, templates.coordinates_text(b))
        tiles.built(group, b, None, 0, hashlib.sha256(checked.encode()).hexdigest(), graphs)  # b checks it
        written = tiles.write(group, region("tile57"), graphs)
        assert (written is not None) == usable, case
        if usable:
            _, root, digest = written
            expected = text.replace(coordinates, templates.coordinates_text(region("tile57")))
            assert graphs.expression(root) == expected
            assert digest == hashlib.sha256(expected.encode()).hexdigest()


def test_a_tile_whose_coordinates_the_template_holds_is_built():
    """Another tile's list of coordinates in the template (a constant of the graph equal to it) would be merged with
    it in that tile's graph: the tile is built."""
    a, c = region("tile55"), region("tile57")
    text = rectangle_graph(templates.coordinates_text(a), True,
                           f', "other": {{"constantValue": [{templates.coordinates_text(c)}]}}')
    template = templates.Template(a, None, 0, text, templates.coordinates_text(a), checked=True)
    assert template.text_for(c) is None
    assert template.text_for(region("tile56")) is not None


def test_a_difference_found_by_the_check_drops_the_templates():
    request = rq.make_request(rq.tile_regions(["tile55", "tile56"]), "S2", [Period.month(2020, 6)], ["LAI"], 20)
    a, b = request.regions
    text = rectangle_graph(templates.coordinates_text(a), inline=True)
    tiles = templates.TileTemplates(request)
    graphs = graph.PlanGraphs([text])
    group = tiles.group(a, "LAI", request.periods[0], 2020)
    tiles.built(group, a, None, 0, "", graphs)
    tiles.built(group, b, None, 0, "not what the template gives", graphs)
    assert not tiles.enabled and tiles.write(group, region("tile57"), graphs) is None


def test_replaced_pieces_are_those_of_the_graph_stored_itself():
    """:meth:`PlanGraphs.replaced`: the pieces without the old constant shared; the new constant a piece of its own
    exactly when it is long enough to be one (:data:`graph.MIN_SHARED`), whether the old one was or not."""
    short, long_ = '{"constantValue": [1.0, 2.0]}', '{"constantValue": [' + ", ".join(["1234567.5"] * 8) + "]}"
    shared = '{"constantValue": "' + "x" * 80 + '"}'
    for old, new in [(short, long_), (long_, short), (long_, long_.replace("1234567.5", "7654321.5", 1))]:
        graphs = graph.PlanGraphs()
        old_ref = old if len(old) < graph.MIN_SHARED else f'{{"$ref": {graphs._store(old)}}}'
        value = graphs._store(f'{{"functionInvocationValue": {{"arguments": {{"a": {old_ref}, "b": {shared}}}}}}}')
        root = graphs._store(f'{{"result": "0", "values": {{"0": {{"$ref": {value}}}, "1": {shared}}}}}')
        text = graphs.expression(root)
        before = list(graphs.nodes)
        replaced = graphs.replaced(root, old, new)
        assert graphs.expression(replaced) == text.replace(old, new)
        assert graphs.nodes[:len(before)] == before
        added = graphs.nodes[len(before):]
        assert (new in added) == (len(new) >= graph.MIN_SHARED)
        assert len(added) == 2 + (len(new) >= graph.MIN_SHARED)  # the new constant, the invocation and the root
