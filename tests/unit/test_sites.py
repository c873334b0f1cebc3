"""Site requests (core.sites) and the Earth Engine site path: validation battery, row estimates, the 500-site plan
built offline and valid against the client's signatures, direct paged fetch without duplicates on the fake server,
table export submission that resumes."""

from __future__ import annotations

import json
import time
from datetime import date

import ee
import pytest

from leaf_qgis.core import sites
from leaf_qgis.core.errors import Cancelled, LeafError
from leaf_qgis.core.periods import Period
from leaf_qgis.engines.gee import plan as gee_plan
from leaf_qgis.engines.gee import sites as gee_sites
from tests.ee_eval.signatures import functions_used, validate_graph
from tests.fake_ee.fixtures import FAKE_PROJECT

SUMMER = Period.date_range(date(2021, 6, 1), date(2021, 8, 31))


def feature(number: int, when=None, end=None, lon=-75.7, lat=45.4, site_id=None) -> sites.FeatureInput:
    return sites.FeatureInput(number, site_id or f"p{number}", {"type": "Point", "coordinates": [lon, lat]}, when, end)


# ------------------------------------------------------------------------------------------------ validation
def test_no_features_is_refused():
    with pytest.raises(LeafError, match="no feature"):
        sites.make_request([], "S2", period=SUMMER)


def test_unparseable_date_names_the_feature_and_the_value():
    items = [feature(1, "2021-07-01"), feature(2, "2021-13-45"), feature(3, "2021-07-03")]
    with pytest.raises(LeafError) as caught:
        sites.make_request(items, "S2", date_mode="single", window_days=5)
    message = str(caught.value)
    assert "'p2' (feature 2)" in message and "'2021-13-45'" in message and "not a date" in message


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"date_mode": "single", "window_days": 0}, "window of 0 days"),
    ({"period": SUMMER, "buffer_m": -5.0}, "BUFFER is -5.0 m"),
    ({"period": SUMMER, "sampling": "MEANS"}, "Unknown sampling"),
    ({"period": SUMMER, "products": []}, "at least one product"),
    ({"date_mode": "none"}, "Give a period"),
    ({"period": SUMMER, "max_scene_cloud": 150.0}, "between 0 and 100"),
])
def test_bad_parameters_are_refused(kwargs, match):
    with pytest.raises(LeafError, match=match):
        sites.make_request([feature(1, "2021-07-01")], "S2", **kwargs)


def test_sites_problems_name_the_feature():
    with pytest.raises(LeafError, match=r"'p1' is used by features 1 and 2"):
        sites.make_request([feature(1), sites.FeatureInput(2, "p1", {"type": "Point", "coordinates": [0, 0]})], "S2",
                           period=SUMMER)
    with pytest.raises(LeafError, match="Feature 4 has an empty site id"):
        sites.make_request([sites.FeatureInput(4, "", {"type": "Point", "coordinates": [0, 0]})], "S2",
                           period=SUMMER)
    with pytest.raises(LeafError, match=r"'p3' \(feature 3\) has no usable geometry"):
        sites.make_request([sites.FeatureInput(3, "p3", None)], "S2", period=SUMMER)
    with pytest.raises(LeafError, match="outside longitude"):
        sites.make_request([feature(5, lon=500000.0, lat=5000000.0)], "S2", period=SUMMER)
    with pytest.raises(LeafError, match=r"'p6' \(feature 6\) ends on 2021-06-01, before"):
        sites.make_request([feature(6, "2021-07-01", "2021-06-01")], "S2", date_mode="range")
    with pytest.raises(LeafError, match=r"'p7' \(feature 7\) has no DATE date"):
        sites.make_request([feature(7, None)], "S2", date_mode="single", window_days=3)
    with pytest.raises(LeafError, match="L5 has no surface reflectance"):
        sites.make_request([feature(8, "2021-07-01")], "L5", date_mode="single", window_days=3)


def test_windows_from_dates_and_fields():
    req = sites.make_request([feature(1, "2021-07-10"), feature(2, "15/07/2021"), feature(3, date(2021, 7, 20)),
                              feature(4, "20210725T10:00:00Z".replace("T10:00:00Z", ""))],
                             "S2", date_mode="single", window_days=3)
    assert [(s.first.isoformat(), s.last.isoformat()) for s in req.sites] == [
        ("2021-07-07", "2021-07-13"), ("2021-07-12", "2021-07-18"), ("2021-07-17", "2021-07-23"),
        ("2021-07-22", "2021-07-28")]
    ranged = sites.make_request([feature(1, "2021-06-01", "2021-06-30")], "S2", date_mode="range", window_days=1)
    assert (ranged.sites[0].first, ranged.sites[0].last) == (date(2021, 5, 31), date(2021, 7, 1))
    assert sites.parse_date("2021-07-01T12:30:00.123Z") == date(2021, 7, 1)



def test_the_revisit_period_is_the_sensors_own():
    """Each sensor record carries its revisit (one concept, one home): the figures the row estimates always used."""
    from leaf_qgis.core.sensors import SENSORS

    assert not hasattr(sites, "REVISIT_DAYS")
    assert {k: s.revisit_days for k, s in SENSORS.items()} == {
        "S2": 2.5, "S2_10M": 2.5, "L5": 8.0, "L7": 8.0, "L8": 8.0, "L9": 8.0, "HLS_L30": 5.0, "HLS_S30": 5.0,
        "LANDSAT_OLI": 5.0, "LANDSAT_TM_ETM": 5.0}
    assert [sites.scenes_per_window(SENSORS[k], 30) for k in ("S2", "L8", "HLS_S30")] == [12, 4, 6]
    assert sites.scenes_per_window(SENSORS["L9"], 1) == 1  # at least one scene


def test_row_estimates_and_columns():
    square = {"type": "Polygon", "coordinates": [[[-75.0, 45.0], [-74.999, 45.0], [-74.999, 45.001],
                                                  [-75.0, 45.001], [-75.0, 45.0]]]}
    req = sites.make_request([sites.FeatureInput(1, "sq", square), feature(2)], "S2", period=SUMMER,
                             sampling=sites.PIXELS, buffer_m=0.0)
    area = sites.site_area_m2(req.sites[0], 0.0)
    assert area == pytest.approx(78.7 * 111.2, rel=0.02)  # 0.001° × 0.001° at 45° N
    per_scene = sites.pixels_per_site(req.sites[0], 0.0, 20) + 1
    assert sites.estimate_rows(req) == sites.scenes_per_window(req.sensor, 92) * per_scene == 37 * per_scene
    stats = sites.columns(["LAI"], True, sites.STATS)
    assert [n for n, _ in stats][8:16] == ["LAI_mean", "LAI_median", "LAI_stdev", "LAI_count", "LAI_ERROR_mean",
                                           "LAI_ERROR_median", "LAI_ERROR_stdev", "LAI_ERROR_count"]
    assert sites.decode_qc_columns(172) == {"qc": 172, "qc_domain": 0, "qc_range": 0, "qc_invalid": 1,
                                            "qc_sensor": 21}
    assert sites.decode_qc_columns(67) == {"qc": 67, "qc_domain": 1, "qc_range": 1, "qc_invalid": 0, "qc_sensor": 8}


def test_statistics_and_unobserved_sites_are_listed():
    req = sites.make_request([feature(1), feature(2)], "S2", period=SUMMER, products=["LAI"])
    acq = sites.Acquisition("p1", date(2021, 7, 1), "S2", "scene", "SL2P-CCRS")
    row = sites.stats_row(acq, [({"LAI": 1.0}, 168, 3), ({"LAI": 2.0}, 168, 3), ({"LAI": 4.0}, 169, 0),
                                ({"LAI": 9.0}, 172, 0), ({"LAI": None}, 172, 0)], -75.7, 45.4, ["LAI"])
    assert (row["LAI_mean"], row["LAI_median"], row["LAI_count"]) == (7 / 3, 2.0, 3)
    assert row["LAI_stdev"] == pytest.approx(1.527525, abs=1e-6)
    assert (row["pixels"], row["good_pixels"], row["qc_domain"], row["qc_invalid"], row["network_slot"]) == (
        5, 3, 1, 2, 3)
    table = sites.finish_table(req, [row])
    assert [r["site_id"] for r in table.rows] == ["p1", "p2"]
    assert table.rows[1]["note"] == "no clear observation from 2021-06-01 to 2021-08-31"
    assert [s.site_id for s, _ in table.unobserved] == ["p2"]


# ------------------------------------------------------------------------------------------------ the plan
@pytest.fixture(scope="module")
def five_hundred() -> sites.SiteRequest:
    items = [feature(i + 1, lon=-80 + (i % 25) * 0.2, lat=44 + (i // 25) * 0.1) for i in range(500)]
    return sites.make_request(items, "S2", period=Period.peak_season(2021), products=["LAI", "FAPAR"],
                              uncertainty=True, sampling=sites.STATS, buffer_m=30.0)


def test_500_sites_one_season_plan_builds_offline_in_seconds(five_hundred):
    started = time.perf_counter()
    plan = gee_sites.build_plan(five_hundred, name="leaf_sites_test", destination="drive")
    elapsed = time.perf_counter() - started
    assert elapsed < 20  # about 2 s on the 2-core CI machine
    assert plan["server_round_trips"] == 0 and plan["task_count"] == 1
    assert plan["estimated_rows"] == 500 * 38 and not plan["direct"]
    text = gee_sites.table_expression(plan)
    assert gee_plan.task_expression(plan, 0) == text  # the export's graph is the table's, stored once
    assert validate_graph(text) == []
    used = functions_used(text)
    assert {"Image.reduceRegion", "Reducer.combine", "Reducer.median", "Reducer.sampleStdDev", "Image.tanh",
            "Image.matrixMultiply", "Collection.flatten", "Filter.listContains"} <= used
    entry = plan["exports"][0]
    assert entry["file_format"] == "CSV" and entry["file_name"] == "leaf_sites_test.csv"
    assert entry["selectors"][:5] == ["site_id", "date", "sensor", "scene_id", "algorithm"]
    # The graph holds the network constants once, not once per site.
    assert text.count("decodeJSON") < 40


def test_a_merged_sensor_is_refused_before_any_network_is_loaded():
    """LANDSAT_OLI has no network set of its own and a site table cannot pick each scene's member's: a clear refusal
    naming the sensors offered, instead of "Unknown sensor" from the network catalogue or a broken graph."""
    req = sites.make_request([feature(1, when="2022-07-15")], "LANDSAT_OLI", window_days=5, date_mode="single")
    with pytest.raises(LeafError) as caught:
        gee_sites.build_plan(req, name="merged", destination="download", network_set=None, store=None)
    text = str(caught.value)
    assert "LANDSAT_OLI" in text and "L8" in text and "L9" in text and "LANDSAT_TM_ETM" not in text.split(":", 1)[1]


def test_site_windows_travel_as_exact_milliseconds():
    req = sites.make_request([feature(1, "2021-07-10"), feature(2, "2021-08-01")], "S2", date_mode="single",
                             window_days=2, sampling=sites.PIXELS)
    plan = gee_sites.build_plan(req, name="w", destination="download")
    assert plan["direct"] and plan["exports"] == []
    text = gee_sites.table_expression(plan)
    day = 86_400_000
    for first, last in ((date(2021, 7, 8), date(2021, 7, 12)), (date(2021, 7, 30), date(2021, 8, 3))):
        start = (first - date(1970, 1, 1)).days * day
        end = ((last - date(1970, 1, 1)).days + 1) * day
        assert f'"constantValue": {start}' in text.replace('":', '": ') or str(start) in text
        assert str(end) in text
    assert "Image.sample" in functions_used(text)
    assert validate_graph(text) == []



def test_site_scene_cloud_filters_are_the_regions_filter_with_the_exact_maximum():
    """Each site carries the maximum of its latitude exactly (85 % south of 55° N, 70 % north, or the user's), and
    the graph filters with collections.cloud_cover_filter: strict (``Filter.lessThan``) for the defaults, inclusive
    and refusing scenes without the property (``Filter.notNull``) for a maximum the user gave — no shifted maximum."""
    import re

    places = [feature(1, "2021-07-10"), feature(2, "2021-07-10", lat=60.4)]
    found = {}
    for maximum in (None, 40.0, 100.0):
        req = sites.make_request(places, "S2", date_mode="single", window_days=2, max_scene_cloud=maximum)
        text = gee_sites.table_expression(gee_sites.build_plan(req, name="c", destination="download"))
        filters = functions_used(text)
        found[maximum] = ([float(v) for v in re.findall(r'"cloud_max":\s*(-?[0-9.]+)', text)],
                          gee_sites.cloud_inclusive(req), "Filter.lessThan" in filters, "Filter.notNull" in filters)
    assert found == {None: ([85.0, 70.0], False, True, False), 40.0: ([40.0, 40.0], True, False, True),
                     100.0: ([-1.0, -1.0], False, True, False)}  # no maximum: the filter's branch unused


# ------------------------------------------------------------------------------------------ direct and export
def _feature(i: int, site: str = "p1") -> dict:
    return {"type": "Feature", "id": f"{i}_0", "geometry": {"type": "Point", "coordinates": [-75.7, 45.4]},
            "properties": {"site_id": site, "date": f"2021-07-0{1 + i % 9}", "scene_id": f"S{i}",
                           "sensor": "S2", "algorithm": "SL2P-CCRS", "LAI": 1.0 + i / 100, "QC": 168, "slot": 3}}


@pytest.fixture()
def ee_session(fake_ee, fake_credentials):
    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    fake_ee.clear_requests()
    return ee


@pytest.fixture(scope="module")
def small_plan():
    req = sites.make_request([feature(1)], "S2", period=Period.month(2021, 7), products=["LAI"],
                             sampling=sites.PIXELS)
    return req, gee_sites.build_plan(req, name="leaf_sites_small", destination="gcs", bucket="leaf-bucket")


def test_direct_fetch_pages_retries_and_resumes_without_duplicates(ee_session, fake_ee, small_plan):
    req, plan = small_plan
    fake_ee.features = [_feature(i) for i in range(23)]
    table = gee_sites.decode_table(ee_session, plan)
    fake_ee.inject("status", 503, path_contains="computeFeatures")  # a transient fault: retried
    state = gee_sites.fetch_rows(ee_session, table, page_size=10, attempts=3, backoff=0.0)
    assert len(state.features) == 23 and state.pages == 3
    pages = fake_ee.requests_to("table:computeFeatures")
    assert [r.body.get("pageToken") for r in pages] == [None, None, "10", "20"]
    assert validate_graph(pages[0].body["expression"]) == []
    # Interrupted after the first page (the second fails for good), then resumed from the saved state.
    fake_ee.clear_requests()
    state = gee_sites.FetchState()
    calls = []
    original = ee_session.data.computeFeatures

    def flaky(params):  # the connection drops for good while the second page is asked
        calls.append(params.get("pageToken"))
        if len(calls) in (2, 3):
            raise ConnectionResetError("connection reset by peer")
        return original(params)

    ee_session.data.computeFeatures = flaky
    try:
        with pytest.raises(LeafError):
            gee_sites.fetch_rows(ee_session, table, state=state, page_size=10, attempts=2, backoff=0.0)
        assert len(state.features) == 10 and state.next_token == "10" and calls == [None, "10", "10"]
        gee_sites.fetch_rows(ee_session, table, state=state, page_size=10, attempts=2, backoff=0.0)
    finally:
        ee_session.data.computeFeatures = original
    ids = [f["id"] for f in state.features]
    assert len(ids) == len(set(ids)) == 23
    table_rows = gee_sites.rows_from_features(state.features, req)
    assert len(table_rows.rows) == 23 and table_rows.rows[0]["qc_sensor"] == 21
    assert table_rows.rows[0]["network_slot"] == 3 and table_rows.unobserved == []


def test_direct_fetch_cancel(ee_session, fake_ee, small_plan):
    _, plan = small_plan
    fake_ee.features = [_feature(i) for i in range(30)]
    seen = []
    with pytest.raises(Cancelled):
        gee_sites.fetch_rows(ee_session, gee_sites.decode_table(ee_session, plan), page_size=10,
                             progress=lambda n: seen.append(n) or n < 10, attempts=1)
    assert seen == [0, 10]
    assert len(fake_ee.requests_to("table:computeFeatures")) == 1


def test_table_export_is_submitted_once_and_resumes(ee_session, fake_ee, small_plan, tmp_path):
    _, plan = small_plan
    table_path = tmp_path / "tasks.csv"
    result = gee_sites.submit_table_plan(ee_session, plan, FAKE_PROJECT, table_path=str(table_path), backoff=0.0)
    assert [r.action for r in result.rows] == ["submitted"]
    (posted,) = fake_ee.requests_to("table:export", "POST")
    assert posted.body["fileExportOptions"]["fileFormat"] == "CSV"
    assert posted.body["fileExportOptions"]["cloudStorageDestination"]["bucket"] == "leaf-bucket"
    assert posted.body["expression"] == json.loads(gee_sites.table_expression(plan))
    assert posted.body["selectors"][:2] == ["site_id", "date"] or "selectors" in json.dumps(posted.body)
    again = gee_sites.submit_table_plan(ee_session, plan, FAKE_PROJECT, backoff=0.0)
    assert [r.action for r in again.rows] == ["skipped"]
    assert len(fake_ee.requests_to("table:export", "POST")) == 1
    fake_ee.advance_all("SUCCEEDED")
    assert ("leaf-bucket", "leaf_sites_small.csv") in fake_ee.objects
    assert "leaf_sites_small" in table_path.read_text(encoding="utf-8")



def test_the_site_table_graph_is_stored_once_and_earlier_plans_still_read(ee_session, fake_ee, small_plan,
                                                                          tmp_path):
    """The table's graph and the export's (the same graph) are the same pieces of the plan's store: the written plan
    holds the graph's text about once, where it held it twice. A plan written before (the text inline twice, no
    store) still fetches and submits the same graph."""
    _, plan = small_plan
    text = gee_sites.table_expression(plan)
    entry = plan["exports"][0]
    assert "expression" not in plan and "expression" not in entry and entry["graph"] == plan["table"]["graph"]
    assert entry["expression_sha256"] == plan["table"]["expression_sha256"]
    written = gee_plan.write_plan(plan, tmp_path / "sites_plan.json").read_text(encoding="utf-8")
    calls = text.count('"functionName"')
    assert json.loads(written)["graph"] == plan["graph"]
    assert calls > 100 and written.count('\\"functionName\\"') <= calls  # (the pieces are JSON texts in the file)
    assert len(written) < 1.3 * len(text)
    old = {k: v for k, v in plan.items() if k not in ("table", "graph")}
    old["expression"] = text
    old["exports"] = [{**{k: v for k, v in entry.items() if k != "graph"}, "expression": text}]
    assert gee_sites.table_expression(old) == text
    assert gee_plan.export_body(old, 0) == gee_plan.export_body(plan, 0)
    fake_ee.features = [_feature(i) for i in range(3)]
    state = gee_sites.fetch_rows(ee_session, gee_sites.decode_table(ee_session, old), attempts=1)
    assert len(state.features) == 3
    (page,) = fake_ee.requests_to("table:computeFeatures")
    assert page.body["expression"] == json.loads(text)
    damaged = json.loads(json.dumps(plan))
    nodes = damaged["graph"]["nodes"]
    longest = max(range(len(nodes)), key=lambda i: len(nodes[i]))
    nodes[longest] = nodes[longest].replace("1", "2", 1)
    with pytest.raises(LeafError) as caught:
        gee_sites.table_expression(damaged)
    assert caught.value.render() == ("The graph of leaf_sites_small in the plan does not match its checksum (the plan "
                                     "file was changed or damaged). Build the plan again.")
    assert damaged["table"]["description"] == entry["description"] == "leaf_sites_small"
    del damaged["table"]["description"]  # a plan written before the table carried its name: its export's
    with pytest.raises(LeafError) as caught:
        gee_sites.table_expression(damaged)
    assert caught.value.params["name"] == "leaf_sites_small"
    direct = {**damaged, "exports": [], "table": {**damaged["table"], "description": "bad\nname"}}
    with pytest.raises(LeafError) as caught:  # a name from a file is printed harmlessly
        gee_sites.table_expression(direct)
    assert caught.value.params["name"] == "bad\\x0aname"
    direct["table"].pop("description")  # nothing names it: the algorithm id
    with pytest.raises(LeafError) as caught:
        gee_sites.table_expression(direct)
    assert caught.value.params["name"] == "leaf:sample_sites"


def test_ee_tasks_recognises_and_downloads_site_tables_as_the_plugins_own():
    from leaf_qgis.core import sites as core_sites
    from leaf_qgis.engines.gee import tasks

    ours = {"metadata": {"type": "EXPORT_FEATURES", "description": f"{core_sites.TASK_PREFIX}S2_2024_peak_stats"}}
    assert tasks.is_plugin_task(ours)
    assert not tasks.is_plugin_task({"metadata": {"type": "EXPORT_FEATURES", "description": "my_table"}})
    assert not tasks.is_plugin_task({"metadata": {"type": "EXPORT_IMAGE", "description": "leaf_sites_x"}})
    assert tasks.is_plugin_task({"metadata": {"type": "EXPORT_IMAGE", "description": "tile55_2024_Jul_LAI_20m"}})
    assert ".csv" in tasks.DOWNLOADABLE_SUFFIXES and ".tif" in tasks.DOWNLOADABLE_SUFFIXES


def test_renamed_local_outputs_of_one_run_group_by_stem_whatever_the_product(tmp_path):
    """A produce_local run under free names (``run7_LAI.tif``, ``run7_CCC_Error.tif`` …) is one run: the stem drops
    every token of the map table, the opt-in products' too."""
    from osgeo import gdal

    from leaf_qgis.engines.local.sites import _leaf_key

    keys = {}
    for name, product, layer in (("run7_LAI.tif", "LAI", "estimate"), ("run7_CCC.tif", "CCC", "estimate"),
                                 ("run7_CCC_Error.tif", "CCC", "uncertainty"), ("run7_CWC.tif", "CWC", "estimate")):
        ds = gdal.GetDriverByName("GTiff").Create(str(tmp_path / name), 2, 2, 1, gdal.GDT_Byte)
        ds.SetMetadataItem("LEAF_PRODUCT", product)
        ds.SetMetadataItem("LEAF_LAYER", layer)
        ds = None
        key, run, _ = _leaf_key(str(tmp_path / name))
        keys[key] = run
    assert set(keys) == {"LAI", "CCC", "CCC_ERROR", "CWC"}
    assert set(keys.values()) == {f"{tmp_path}|run7"}
