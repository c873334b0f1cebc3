"""Offline graph tests of the Earth Engine workflow: every graph validated against the signatures shipped with
earthengine-api, network constants checked against the local store, one export per map and period, exact grid."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import ee
import pytest

from leaf_qgis.core import tile_grid
from leaf_qgis.core.networks import load_network_set
from leaf_qgis.core.periods import Period
from leaf_qgis.engines.gee import plan as gee_plan
from leaf_qgis.engines.gee import request as rq
from leaf_qgis.engines.gee import sl2p
from tests.ee_eval import signatures as validate

ALL_OUTPUTS = ["LAI", "FCOVER", "FAPAR", "ALBEDO", "DATE", "PARTITION"]
ROOT = Path(__file__).resolve().parents[2]


def planned(*args, **kwargs) -> dict:
    """A plan whose entries also hold their graph text (read through :func:`plan.task_expression`, the one reader)."""
    plan = gee_plan.build_plan(*args, **kwargs)
    for index, entry in enumerate(plan["exports"]):
        entry["expression"] = gee_plan.task_expression(plan, index)
    return plan


@pytest.fixture(scope="module")
def s2_networks():
    return load_network_set("S2", "SL2P-CCRS")


@pytest.fixture(scope="module")
def s2_plan(s2_networks):
    request = rq.make_request(rq.tile_regions(["tile55", "tile44_922"]), "S2",
                              [Period.month(2020, 2), Period.peak_season(2020)], ALL_OUTPUTS, 20)
    return planned(request, s2_networks)


def _decoded_constants(expression: str) -> list:
    """Every JSON string the graph decodes with String.decodeJSON (the embedded coefficient blocks)."""
    graph = json.loads(expression)
    values = graph["values"]
    found = []

    def resolve(node):
        if "constantValue" in node:
            return node["constantValue"]
        if "valueReference" in node:
            return resolve(values[node["valueReference"]])
        return None

    def walk(node):
        if isinstance(node, dict):
            call = node.get("functionInvocationValue")
            if isinstance(call, dict) and call.get("functionName") == "String.decodeJSON":
                text = resolve(call["arguments"]["string"])
                if isinstance(text, str):
                    found.append(json.loads(text))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(values)
    return found


@pytest.mark.parametrize("sensor,year", [("S2", 2020), ("L5", 2005), ("L7", 2010), ("L8", 2020), ("L9", 2022),
                                         ("HLS_L30", 2021), ("HLS_S30", 2021), ("LANDSAT_OLI", 2022),
                                         ("LANDSAT_TM_ETM", 2005)])
def test_every_graph_is_valid_against_the_shipped_signatures(sensor, year):
    request = rq.make_request(rq.tile_regions(["tile55"]), sensor, [Period.month(year, 7)], ALL_OUTPUTS, 30)
    plan = planned(request)
    assert plan["server_round_trips"] == 0
    assert plan["task_count"] == len(plan["exports"]) == 7
    for export in plan["exports"]:
        assert validate.validate_graph(export["expression"]) == [], export["file_name"]
    used = set().union(*(validate.functions_used(e["expression"]) for e in plan["exports"]))
    assert {"ImageCollection.qualityMosaic", "Image.matrixMultiply", "Image.tanh", "Image.reproject"} <= used


def test_validator_catches_broken_graphs():
    bad = {"result": "0", "values": {"0": {"functionInvocationValue": {
        "functionName": "Image.add", "arguments": {"image1": {"valueReference": "9"}, "bogus": {"constantValue": 1}}}}}}
    problems = validate.validate_graph(bad)
    assert any("dangling" in p for p in problems)
    assert any("no argument 'bogus'" in p for p in problems)
    assert any("required argument 'image2'" in p for p in problems)
    assert any("unknown function" in p for p in validate.validate_graph(
        {"result": "0", "values": {"0": {"functionInvocationValue": {"functionName": "Image.nope", "arguments": {}}}}}))


def test_each_map_once_per_tile_and_period(s2_plan):
    seen = {}
    for export in s2_plan["exports"]:
        period = export["period"]["first"] if export["period"] else None
        key = (export["region_name"], period, export["key"])
        seen[key] = seen.get(key, 0) + 1
    assert set(seen.values()) == {1}
    for region in ("tile55", "tile44_922"):
        assert (region, None, "PARTITION") in seen
        for first in ("2020-02-01", "2020-06-15"):
            for key in ("LAI", "FCOVER", "FAPAR", "ALBEDO", "QC", "DATE"):
                assert (region, first, key) in seen
    assert len(seen) == 2 * (1 + 2 * 6)
    names = [e["file_name"] for e in s2_plan["exports"]]
    assert "tile55_2020_Feb_LAI_20m.tif" in names and "tile55_2020_QC_20m.tif" in names
    assert "tile44_922_2020_Partition_20m.tif" in names
    assert len(set(names)) == len(names)


def test_periods_are_inclusive(s2_plan):
    february = next(e for e in s2_plan["exports"] if e["file_name"] == "tile55_2020_Feb_Date_20m.tif")
    assert february["period"] == {"kind": "month", "first": "2020-02-01", "last": "2020-02-29"}
    assert '"2020-03-01"' in february["expression"]  # half-open filter end = day after the 29th
    peak = next(e for e in s2_plan["exports"] if e["file_name"] == "tile55_2020_Date_20m.tif")
    assert peak["period"]["last"] == "2020-09-15" and '"2020-09-16"' in peak["expression"]


def test_tile_exports_use_the_exact_grid_square_and_origin(s2_plan):
    for export in s2_plan["exports"]:
        tile = tile_grid.parse_tile(export["region_name"])
        assert export["crs"] == "EPSG:3979" and export["region_crs"] == "EPSG:3979"
        assert export["crs_transform"] == [20.0, 0.0, -2_600_000.0, 0.0, -20.0, 3_914_925.0]
        xmin, ymin, xmax, ymax = tile.bounds
        ring = export["region"]["coordinates"][0]
        assert {tuple(p) for p in ring} == {(xmin, ymin), (xmin, ymax), (xmax, ymin), (xmax, ymax)}
        graph = json.loads(export["expression"])
        text = json.dumps(graph)
        assert json.dumps([xmin, ymin, xmax, ymax]) in text  # planar rectangle in the exported clip
        assert '"geodesic": {"constantValue": false}' in text
        assert json.dumps([20.0, 0.0, -2600000.0, 0.0, -20.0, 3914925.0]) in text or \
            json.dumps([20, 0, -2600000, 0, -20, 3914925]) in text
        assert export["format_options"]["cloudOptimized"] is True
        assert export["format_options"]["noData"] == export["nodata"]
    nodata = {e["key"]: e["nodata"] for e in s2_plan["exports"]}
    assert nodata == {"LAI": 255, "FCOVER": 255, "FAPAR": 255, "ALBEDO": 255, "QC": 0, "DATE": 0, "PARTITION": 0}


def test_network_constants_equal_the_local_store(s2_plan, s2_networks):
    lai = next(e for e in s2_plan["exports"] if e["file_name"] == "tile55_2020_Feb_LAI_20m.tif")
    decoded = _decoded_constants(lai["expression"])
    stacked = sl2p.stacked_constants(s2_networks, "LAI")
    for block in (stacked.hidden_weights, stacked.hidden_bias, stacked.output_weights, stacked.output_bias):
        assert block in decoded
    positions = sl2p.slot_positions(s2_networks)
    slots = s2_networks.estimate[1]
    assert len(positions) == len(slots) == 12 and len(stacked.networks) == len(set(positions)) < 12
    for a, b in zip(range(12), positions):  # identical slots share a position, different ones never do
        for c, d in zip(range(12), positions):
            assert (b == d) == all(s2_networks.estimate[v][a] == s2_networks.estimate[v][c]
                                   for v in (1, 2, 3, 6) if v in s2_networks.estimate)
    size = 5 * len(stacked.networks)
    assert all(len(row) == size for row in stacked.output_weights)  # K×5K, zero outside the network's block
    assert all(v == 0.0 for k, row in enumerate(stacked.output_weights) for r, v in enumerate(row) if r // 5 != k)
    # Evaluate the embedded numbers for every slot and compare with the store's network of that slot.
    rng = random.Random(4)
    n_in = 3 + len(s2_networks.bands)
    for _ in range(20):
        x = [rng.uniform(0.6, 1.0) for _ in range(3)] + [rng.uniform(0.01, 0.5) for _ in range(n_in - 3)]
        for slot, network in enumerate(slots):
            k = positions[slot]
            rows = range(5 * k, 5 * k + 5)
            hidden = [math.tanh(sum(w * v for w, v in zip(stacked.hidden_weights[r], x)) + stacked.hidden_bias[r][0])
                      for r in rows]
            value = sum(stacked.output_weights[k][r] * h for r, h in zip(rows, hidden)) + stacked.output_bias[k][0]
            assert value == pytest.approx(network.evaluate_one(tuple(x)), rel=1e-9, abs=1e-9)


def test_land_cover_selects_the_slot_network(s2_plan, s2_networks):
    lai = next(e for e in s2_plan["exports"] if e["file_name"] == "tile55_2020_Feb_LAI_20m.tif")
    classes, positions, default = sl2p.class_positions(s2_networks)
    slot_positions = sl2p.slot_positions(s2_networks)
    assert [slot_positions[s2_networks.class_slot[c]] for c in classes] == positions
    remaps = [(args, values) for args, values in _invocations(lai["expression"], "Image.remap")
              if _constant(args["from"], values) == classes]
    (args, values), = remaps
    assert _constant(args["to"], values) == positions and _constant(args["defaultValue"], values) == default


def test_domain_codes_equal_the_local_store(s2_plan, s2_networks):
    qc = next(e for e in s2_plan["exports"] if e["key"] == "QC")
    decoded = _decoded_constants(qc["expression"])
    assert sorted(s2_networks.domain) in decoded
    # The QC graph carries all four products' networks (bit 1 covers every requested product).
    for key in ("LAI", "FCOVER", "FAPAR", "ALBEDO"):
        assert sl2p.stacked_constants(s2_networks, key).hidden_weights in decoded
    # Floor modulo of the digit: mod(10) (truncated in Earth Engine) then +10, mod(10) again.
    mods = _invocations(qc["expression"], "Image.mod")
    assert len(mods) == 2 * len(s2_networks.domain_bands)


@pytest.mark.parametrize("sensor,year", [("L5", 2005), ("L8", 2020)])
def test_landsat_graph_reads_c2_l2_with_saturation_and_domain(sensor, year):
    from leaf_qgis.core.sensors import SENSORS

    request = rq.make_request(rq.tile_regions(["tile55"]), sensor, [Period.month(year, 7)], ["LAI"], 30)
    plan = planned(request)
    qc = next(e for e in plan["exports"] if e["key"] == "QC")
    assert f'"{SENSORS[sensor].gee_collection}"' in qc["expression"] and "QA_RADSAT" in qc["expression"]
    nets = load_network_set(sensor, "SL2P-CCRS")
    if nets.domain:
        assert sorted(nets.domain) in _decoded_constants(qc["expression"])


@pytest.mark.parametrize("algorithm", ["SL2P", "SL2P-CCRS"])
def test_algorithm_and_network_set_are_recorded(algorithm):
    request = rq.make_request(rq.tile_regions(["tile55"]), "L8", [Period.month(2020, 7)], ["LAI", "DATE"], 30,
                              algorithm=algorithm)
    plan = planned(request)
    nets = load_network_set("L8", algorithm)
    assert plan["request"]["algorithm"] == algorithm and plan["request"]["mask_flagged"] is False
    assert plan["networks"]["algorithm"] == algorithm and plan["networks"]["label"] == nets.label
    assert plan["networks"]["slots"] == (1 if algorithm == "SL2P" else 12)
    for export in plan["exports"]:
        assert export["algorithm"] == algorithm and export["network_set"] == nets.label
        assert validate.validate_graph(export["expression"]) == []
    lai = next(e for e in plan["exports"] if e["key"] == "LAI")
    assert f'"{nets.label}"' in lai["expression"]  # image property, kept by asset exports
    stacked = sl2p.stacked_constants(nets, "LAI")
    assert stacked.output_weights in _decoded_constants(lai["expression"])
    if algorithm == "SL2P":
        assert len(stacked.networks) == 1 and len(stacked.output_weights[0]) == 5


def test_unknown_algorithm_is_refused():
    from leaf_qgis.core.errors import LeafError

    with pytest.raises(LeafError, match="SL2P-CCRS"):
        rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2020, 7)], ["LAI"], 20, algorithm="RF")


def _reachable(node: dict, values: dict) -> tuple[set[str], list]:
    """Function names and constant values reachable from ``node``."""
    names: set[str] = set()
    constants: list = []
    seen: set[str] = set()

    def walk(item):
        if isinstance(item, dict):
            ref = item.get("valueReference")
            if ref is not None:
                if ref not in seen:
                    seen.add(ref)
                    walk(values[ref])
                return
            if "constantValue" in item:
                constants.append(item["constantValue"])
            if "arrayValue" in item:  # a list whose items the serialiser shares with other nodes
                try:
                    constants.append(_constant(item, values))
                except AssertionError:
                    pass
            call = item.get("functionInvocationValue")
            if isinstance(call, dict) and "functionName" in call:
                names.add(call["functionName"])
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(node)
    return names, constants


@pytest.mark.parametrize("mask_flagged", [False, True])
def test_flagged_pixels_keep_their_estimate_unless_mask_flagged(mask_flagged):
    from leaf_qgis.core import pixel_rules

    request = rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2020, 7)], ["LAI"], 20,
                              mask_flagged=mask_flagged)
    lai = next(e for e in planned(request)["exports"] if e["key"] == "LAI")
    blanks = []
    for args, values in _invocations(lai["expression"], "Image.updateMask"):
        image = _resolve(args["image"], values).get("functionInvocationValue", {})
        if image.get("functionName") == "Image.rename" and _constant(image["arguments"]["names"], values) == ["LAI"]:
            mask = _resolve(args["mask"], values)["functionInvocationValue"]
            assert mask["functionName"] == "Image.not"
            flag = _resolve(mask["arguments"]["value"], values)["functionInvocationValue"]
            assert _constant(flag["arguments"]["names"], values) == ["invalid" if mask_flagged else "no_estimate"]
            blanks.append(_reachable(mask["arguments"]["value"], values))
    (names, constants), = blanks
    no_estimate = sorted(pixel_rules.NO_ESTIMATE_CLASSES)
    with_flagged = sorted((*pixel_rules.FLAGGED_CLASSES, *pixel_rules.NO_ESTIMATE_CLASSES))
    if mask_flagged:  # the whole bit-2 flag: vendor flags, range and NDSI tests, flagged and no-estimate classes
        assert ["flagged"] in constants and "Image.reduce" in names and with_flagged in constants
    else:  # only the land-cover classes without an estimate
        assert ["flagged"] not in constants and "Image.reduce" not in names
        assert no_estimate in constants and with_flagged not in constants


def test_custom_region_and_destinations():
    polygon = {"type": "Polygon", "coordinates": [[[-75.9, 45.2], [-75.4, 45.2], [-75.4, 45.5], [-75.9, 45.2]]]}
    region = rq.custom_region("ottawa", polygon)
    for destination, extra, check in (
        ("gcs", {"bucket": "leaf-maps"}, lambda d: d["bucket"] == "leaf-maps"
         and d["file_name_prefix"] == "ottawa_2021/ottawa_2021_Jul_LAI_20m"),
        ("asset", {"asset_root": "projects/my-project/assets/leaf"},
         lambda d: d["asset_id"] == "projects/my-project/assets/leaf/ottawa_2021/ottawa_2021_Jul_LAI_20m"),
        ("drive", {"folder": "LEAF maps"}, lambda d: d["folder"] == "LEAF maps"),
    ):
        request = rq.make_request([region], "S2", [Period.month(2021, 7)], ["LAI"], 20, destination, **extra)
        plan = planned(request)
        lai = plan["exports"][0]
        assert check(lai["destination"])
        assert lai["region_crs"] == "EPSG:4326" and lai["region"] == polygon
        assert lai["crs_transform"][2] == tile_grid.ORIGIN_X
        assert validate.validate_graph(lai["expression"]) == []


def test_shared_and_unshared_builds_give_the_same_graphs():
    request = rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2020, 7)], ALL_OUTPUTS, 20)
    shared = planned(request)
    alone = planned(request, shared=False)
    assert [e["expression"] for e in shared["exports"]] == [e["expression"] for e in alone["exports"]]


def test_engine_imports_no_ee_at_import_time():
    code = ("import sys; import leaf_qgis.engines.gee.plan, leaf_qgis.engines.gee.workflow, "
            "leaf_qgis.engines.gee.run; print('ee' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_offline_session_leaves_ee_uninitialised():

    request = rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2020, 7)], ["DATE"], 20)
    planned(request)
    assert not ee.data.is_initialized()


# ------------------------------------------------------------------------------------ issue 11: graph defects fixed
def _invocations(expression: str, name: str) -> list[tuple[dict, dict]]:
    """(arguments, values) of every invocation of ``name`` in a serialized graph."""
    graph = json.loads(expression)
    found = []

    def walk(node):
        if isinstance(node, dict):
            call = node.get("functionInvocationValue")
            if isinstance(call, dict) and call.get("functionName") == name:
                found.append(call["arguments"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(graph["values"])
    return [(args, graph["values"]) for args in found]


def _resolve(node: dict, values: dict) -> dict:
    while "valueReference" in node:
        node = values[node["valueReference"]]
    return node


def _constant(node: dict, values: dict):
    node = _resolve(node, values)
    if "constantValue" in node:
        return node["constantValue"]
    if "arrayValue" in node:  # the serialiser writes a list as an array of references when it shares its items
        return [_constant(item, values) for item in node["arrayValue"].get("values", [])]
    call = node.get("functionInvocationValue", {})
    if call.get("functionName") == "Image.constant":
        return _constant(call["arguments"]["value"], values)
    raise AssertionError(f"not a constant: {node}")


def _function(node: dict, values: dict) -> str:
    return _resolve(node, values).get("functionInvocationValue", {}).get("functionName", "")


def test_product_graphs_use_a_block_output_layer_not_array_reshape(s2_plan):
    for export in s2_plan["exports"]:
        used = validate.functions_used(export["expression"])
        assert "Image.arrayReshape" not in used and "Image.arrayReduce" not in used, export["file_name"]
        if export["key"] == "LAI":
            assert len(_invocations(export["expression"], "Image.matrixMultiply")) == 2  # hidden and output layer


def test_no_normalized_difference_anywhere(s2_plan):
    """normalizedDifference masks negative inputs; the NDSI test is division-free (green − swir1 > 0.2·(g + s))."""
    for export in s2_plan["exports"]:
        assert "Image.normalizedDifference" not in validate.functions_used(export["expression"])
    qc = next(e for e in s2_plan["exports"] if e["key"] == "QC")
    scaled = [args for args, values in _invocations(qc["expression"], "Image.multiply")
              if _function(args["image1"], values) == "Image.add"]
    assert any(_constant(args["image2"], values) == 0.2 for args, values in
               [(a, json.loads(qc["expression"])["values"]) for a in scaled])


def test_qc_bits_0_and_1_only_where_bit_2_is_clear(s2_plan):
    qc = next(e for e in s2_plan["exports"] if e["key"] == "QC")
    shifts = {}
    for args, values in _invocations(qc["expression"], "Image.leftShift"):
        shifts[_constant(args["image2"], values)] = (args, values)
    for bit in (0, 1):
        args, values = shifts[bit]
        flag = _resolve(args["image1"], values)["functionInvocationValue"]  # toUint8(and(flag, not(invalid)))
        assert flag["functionName"] == "Image.toUint8"
        both = _resolve(flag["arguments"]["value"], values)["functionInvocationValue"]
        assert both["functionName"] == "Image.and"
        assert _function(both["arguments"]["image2"], values) == "Image.not"


def test_partition_layers_share_one_band_name_before_the_mosaic(s2_plan):
    partition = next(e for e in s2_plan["exports"] if e["key"] == "PARTITION")
    (args, values), = _invocations(partition["expression"], "ImageCollection.fromImages")
    layers = _resolve(args["images"], values)["arrayValue"]["values"]
    assert len(layers) == 2
    for layer in layers:
        call = _resolve(layer, values)["functionInvocationValue"]
        assert call["functionName"] == "Image.rename" and _constant(call["arguments"]["names"], values) == [
            "partition"]


def test_every_export_is_unmasked_to_its_nodata_before_the_clip(s2_plan):
    for export in s2_plan["exports"]:
        graph = json.loads(export["expression"])
        values = graph["values"]
        node = values[graph["result"]]["functionInvocationValue"]
        assert node["functionName"] == "Image.clip"
        while node["functionName"] != "Image.unmask":
            assert node["functionName"] in ("Image.clip", "Image.reproject", "Image.clipToBoundsAndScale")
            inner = node["arguments"].get("input") or node["arguments"]["image"]
            node = _resolve(inner, values)["functionInvocationValue"]
        assert _constant(node["arguments"]["value"], values) == export["nodata"]
        assert _constant(node["arguments"]["sameFootprint"], values) is False


@pytest.mark.parametrize("sensor,year", [("L5", 2005), ("L7", 2010), ("L8", 2020), ("L9", 2022)])
def test_landsat_angles_come_from_the_joined_toa_scene(sensor, year):
    from leaf_qgis.core.sensors import SENSORS

    request = rq.make_request(rq.tile_regions(["tile55"]), sensor, [Period.month(year, 7)], ["LAI"], 30)
    qc = next(e for e in planned(request)["exports"] if e["key"] == "QC")
    toa = SENSORS[sensor].gee_toa_collection
    assert toa == SENSORS[sensor].gee_collection.replace("T1_L2", "T1_TOA")
    assert f'"{toa}"' in qc["expression"]
    (join, values), = _invocations(qc["expression"], "Join.saveFirst")
    # The TOA scene (rank 0) wins over the scene's own metadata fallback (rank 1): no scene without angles.
    assert _constant(join["ordering"], values) == "leaf_rank" and _constant(join["ascending"], values) is True
    assert "outer" not in join
    (equals, values), = _invocations(qc["expression"], "Filter.equals")
    assert _constant(equals["leftField"], values) == "system:index"
    assert _constant(equals["rightField"], values) == "leaf_scene"
    ranks = sorted(_constant(args["value"], values) for args, values in _invocations(qc["expression"], "Element.set")
                   if _constant(args["key"], values) == "leaf_rank")
    assert ranks == [0, 1]
    assert "merge" in " ".join(validate.functions_used(qc["expression"]))
    assert "If" not in validate.functions_used(qc["expression"])
    for band in ("VZA", "VAA", "SZA", "SAA", "SUN_ELEVATION", "SUN_AZIMUTH"):
        assert f'"{band}"' in qc["expression"]
    scales = []
    for args, values in _invocations(qc["expression"], "Image.multiply"):
        try:
            scales.append(_constant(args["image2"], values))
        except AssertionError:
            continue
    assert any(s == pytest.approx(0.01 * math.pi / 180, rel=1e-15) for s in scales if isinstance(s, float))


def test_sentinel2_cloud_masks_work_before_and_after_2022(s2_plan):
    qc = next(e for e in s2_plan["exports"] if e["key"] == "QC")
    assert '"MSK_CLASSI_OPAQUE"' in qc["expression"] and '"MSK_CLASSI_CIRRUS"' in qc["expression"]
    # Absent bands: the scene's bands are added over constant zeros with those names, overwriting them.
    overwrite = [args for args, values in _invocations(qc["expression"], "Image.addBands")
                 if "overwrite" in args and _constant(args["overwrite"], values) is True]
    assert overwrite
    assert '"QA60"' in qc["expression"] and '"SCL"' in qc["expression"]


@pytest.mark.parametrize("sensor,tile,requested,expected", [
    ("S2", "tile55", None, ("CLOUDY_PIXEL_PERCENTAGE", 85.0, False)),   # centre at 45.9° N
    ("S2", "tile23", -1, ("CLOUDY_PIXEL_PERCENTAGE", 70.0, False)),     # centre at 72.3° N
    ("S2", "tile55", 30, ("CLOUDY_PIXEL_PERCENTAGE", 30.0, True)),
    ("S2", "tile55", 100, None),
    ("L8", "tile55", None, None),                                        # production: no Landsat filter
    ("L8", "tile55", 0, ("CLOUD_COVER", 0.0, True)),
])
def test_scene_cloud_prefilter(sensor, tile, requested, expected):
    request = rq.make_request(rq.tile_regions([tile]), sensor, [Period.month(2021, 7)], ["LAI"], 30,
                              max_scene_cloud=requested)
    plan = planned(request)
    lai = plan["exports"][0]
    assert plan["request"]["max_scene_cloud"] == (None if requested in (None, -1) else float(requested))
    comparisons = [(args, values) for name in ("Filter.lessThan", "Filter.greaterThan")
                   for args, values in _invocations(lai["expression"], name)
                   if _constant(args["leftField"], values) in ("CLOUDY_PIXEL_PERCENTAGE", "CLOUD_COVER")]
    if expected is None:
        assert lai["scene_cloud_filter"] is None and not comparisons
        return
    prop, maximum, inclusive = expected
    assert lai["scene_cloud_filter"] == {"property": prop, "max": maximum, "inclusive": inclusive}
    (args, values), = comparisons
    assert _constant(args["leftField"], values) == prop and _constant(args["rightValue"], values) == maximum
    negated = bool(_invocations(lai["expression"], "Filter.not"))
    assert negated == inclusive  # ≤ max is serialized as not(> max)


def test_custom_region_maps_are_nodata_outside_the_polygon_inside_the_file():
    """The export rectangle is the file's lattice bounds; inside it the maps are clipped to the polygon and then
    unmasked, so no pixel of the file is left masked (a masked pixel has no nodata value of its own)."""
    from leaf_qgis.engines.gee import direct, exports

    polygon = {"type": "Polygon", "coordinates": [[[-75.9, 45.2], [-75.4, 45.2], [-75.4, 45.5], [-75.9, 45.2]]]}
    request = rq.make_request([rq.custom_region("ottawa", polygon)], "S2", [Period.month(2021, 7)],
                              ["LAI", "PARTITION"], 20)
    plan = planned(request)
    for export in plan["exports"]:
        bounds = exports.lattice_bounds(polygon, "EPSG:4326", "EPSG:3979", export["crs_transform"])
        grid = direct.output_grid(export)
        assert (grid.geotransform[0], grid.geotransform[3]) == (bounds[0], bounds[3])
        assert all(v % 20 == 0 for v in (bounds[0] - tile_grid.ORIGIN_X, tile_grid.ORIGIN_Y - bounds[3]))
        graph = json.loads(export["expression"])
        values = graph["values"]
        top = values[graph["result"]]["functionInvocationValue"]
        assert top["functionName"] == "Image.clip"
        rectangle = json.dumps(_reachable(top["arguments"]["geometry"], values)[1])
        assert json.dumps(list(bounds))[1:-1] in rectangle
        node = top
        while node["functionName"] != "Image.unmask":
            node = _resolve(node["arguments"].get("input") or node["arguments"]["image"], values)[
                "functionInvocationValue"]
        assert _constant(node["arguments"]["value"], values) == export["nodata"]
        inner = _resolve(node["arguments"]["input"], values)["functionInvocationValue"]
        assert inner["functionName"] == "Image.clip"  # the polygon, before the unmask
        assert "-75.9, 45.2" in json.dumps(_reachable(inner["arguments"]["geometry"], values)[1])


@pytest.mark.parametrize("algorithm", ["SL2P", "SL2P-CCRS"])
def test_ccc_and_cwc_exports_come_from_the_map_table(algorithm):
    """CCC and CWC on request: valid graphs, named with their tokens, LEAF uint8 with the table's scale (2.5 µg/cm²
    and 0.0025 g/cm² per DN) and nodata; the default request does not hold them."""
    request = rq.make_request(rq.tile_regions(["tile55"]), "L8", [Period.month(2020, 7)], ["CCC", "CWC"], 30,
                              algorithm=algorithm)
    plan = planned(request)
    by_key = {e["key"]: e for e in plan["exports"]}
    assert list(by_key) == ["CCC", "CWC", "QC"]
    for key, step in (("CCC", 2.5), ("CWC", 0.0025)):
        export = by_key[key]
        assert export["file_name"].startswith(f"tile55_2020_Jul_{key}_30m")
        assert (export["data_type"], export["nodata"], export["value_scale"]) == ("uint8", 255, step)
        assert validate.validate_graph(export["expression"]) == [], key
    assert validate.validate_graph(by_key["QC"]["expression"]) == []
    default = rq.make_request(rq.tile_regions(["tile55"]), "L8", [Period.month(2020, 7)], ["LAI", "FCOVER", "FAPAR",
                                                                                           "ALBEDO"], 30)
    assert not {"CCC", "CWC"} & set(default.products)


def test_hls_and_merged_landsat_graphs_read_their_own_sources():
    """HLS reads its collection, Fmask and its own angle bands (no TOA join); merged Landsat merges both members'
    collections (each with its TOA join) and picks the Landsat 9 estimate where the sensor band is 9."""
    def plan_of(key, year):
        request = rq.make_request(rq.tile_regions(["tile55"]), key, [Period.month(year, 7)], ["LAI", "QC"], 30)
        return {e["key"]: e["expression"] for e in planned(request)["exports"]}

    hls = plan_of("HLS_S30", 2021)["QC"]
    assert '"NASA/HLS/HLSS30/v002"' in hls and '"Fmask"' in hls and "T1_TOA" not in hls and '"B8A"' in hls
    assert "QA_PIXEL" not in hls and "SCL" not in hls
    oli = plan_of("LANDSAT_OLI", 2022)
    for expression in oli.values():
        assert all(f'"LANDSAT/{c}/C02/{t}"' in expression for c in ("LC08", "LC09") for t in ("T1_L2", "T1_TOA"))
        assert "ImageCollection.merge" in validate.functions_used(expression)
        assert "Image.where" in validate.functions_used(expression)
    early = plan_of("LANDSAT_OLI", 2015)["LAI"]  # Landsat 9 not yet flying: one member, one network set
    assert "LC09" not in early
