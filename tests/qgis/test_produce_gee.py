"""``leaf:produce_gee`` through Processing: a dry run writes the plan; bad input raises and writes nothing."""

from __future__ import annotations

import json

import ee  # pinned in requirements-dev.txt: a broken install must fail, not skip
import pytest
from qgis.core import QgsProcessingException

from leaf_qgis.engines.gee.plan import task_expression

BASE = {"TILES": "tile55", "SENSOR": "S2", "YEAR": 2020, "MONTHS": ["Jul", "Aug"],
        "PRODUCTS": ["LAI", "FCOVER", "DATE", "PARTITION"], "RESOLUTION": 20, "DESTINATION": "drive",
        "DRY_RUN": True}


def test_dry_run_writes_the_plan(run_alg, tmp_path):
    path = tmp_path / "plan.json"
    result = run_alg("produce_gee", {**BASE, "PLAN": str(path)})
    plan = json.loads(path.read_text())
    assert result["TASK_COUNT"] == plan["task_count"] == 1 + 2 * 4
    assert plan["server_round_trips"] == 0 and plan["dry_run"] is True
    names = {e["file_name"] for e in plan["exports"]}
    assert {"tile55_2020_Jul_LAI_20m.tif", "tile55_2020_Aug_fCOVER_20m.tif", "tile55_2020_Aug_QC_20m.tif",
            "tile55_2020_Jul_Date_20m.tif", "tile55_2020_Partition_20m.tif"} == names - {
        "tile55_2020_Jul_fCOVER_20m.tif", "tile55_2020_Aug_LAI_20m.tif", "tile55_2020_Jul_QC_20m.tif",
        "tile55_2020_Aug_Date_20m.tif"}
    for index, export in enumerate(plan["exports"]):
        assert export["destination"]["folder"] == "tile55_2020"
        assert export["crs_transform"] == [20.0, 0.0, -2600000.0, 0.0, -20.0, 3914925.0]
        assert json.loads(task_expression(plan, index))["values"]
        assert export["export"]["fileExportOptions"]["driveDestination"]["folder"] == "tile55_2020"
    assert not list(tmp_path.glob(".*.leaf-tmp-*"))


@pytest.mark.parametrize("value,expected", [(None, None), (-1, None), (20, 20.0)])
def test_max_scene_cloud_reaches_the_plan(run_alg, tmp_path, value, expected):
    path = tmp_path / "plan.json"
    params = {**BASE, "PRODUCTS": ["LAI"], "MONTHS": ["Jul"], "PLAN": str(path)}
    if value is not None:
        params["MAX_SCENE_CLOUD"] = value
    run_alg("produce_gee", params)
    plan = json.loads(path.read_text())
    assert plan["request"]["max_scene_cloud"] == expected
    lai = plan["exports"][0]
    want = {"property": "CLOUDY_PIXEL_PERCENTAGE", "max": 85.0, "inclusive": False} if expected is None else {
        "property": "CLOUDY_PIXEL_PERCENTAGE", "max": expected, "inclusive": True}
    assert lai["scene_cloud_filter"] == want


@pytest.mark.parametrize("change,algorithm,mask_flagged", [
    ({}, "SL2P-CCRS", False),
    ({"ALGORITHM": "SL2P", "MASK_FLAGGED": True}, "SL2P", True),
])
def test_algorithm_and_mask_flagged_reach_the_plan(run_alg, tmp_path, change, algorithm, mask_flagged):
    from leaf_qgis.core.networks import load_network_set

    path = tmp_path / "plan.json"
    run_alg("produce_gee", {**BASE, "PRODUCTS": ["LAI"], "MONTHS": ["Jul"], "PLAN": str(path), **change})
    plan = json.loads(path.read_text())
    assert plan["request"]["algorithm"] == plan["networks"]["algorithm"] == algorithm
    assert plan["request"]["mask_flagged"] is mask_flagged
    label = load_network_set("S2", algorithm).label
    assert {(e["algorithm"], e["network_set"]) for e in plan["exports"]} == {(algorithm, label)}


def test_merged_sensor_dry_run_uses_each_members_networks_from_the_configured_folder(run_alg, tmp_path,
                                                                                    monkeypatch):
    """LANDSAT_OLI has no network set of its own: the plan names the first member's (Landsat 8), and every member's
    set (Landsat 9's too) is read from the user's networks folder, not the default store."""
    from leaf_qgis import settings
    from leaf_qgis.core.networks import load_network_set
    from leaf_qgis.engines.gee import workflow

    configured = tmp_path / "networks"
    configured.mkdir()
    monkeypatch.setattr(settings, "networks_folder", lambda: str(configured))
    loads: list[tuple[str, list]] = []

    def recording(key, algorithm, store=None):
        loads.append((key, list(store.folders) if store is not None else None))
        return load_network_set(key, algorithm, store)

    monkeypatch.setattr(workflow, "load_network_set", recording)
    path = tmp_path / "plan.json"
    result = run_alg("produce_gee", {**BASE, "SENSOR": "LANDSAT_OLI", "YEAR": 2022, "MONTHS": ["Jul", "Aug"],
                                     "PRODUCTS": ["LAI", "FCOVER"], "RESOLUTION": 30, "PLAN": str(path)})
    plan = json.loads(path.read_text())
    assert result["TASK_COUNT"] == plan["task_count"] == len(plan["exports"]) == 2 * 3  # LAI, fCOVER, QC per month
    l8, l9 = load_network_set("L8", "SL2P-CCRS"), load_network_set("L9", "SL2P-CCRS")
    assert l8.label != l9.label
    assert plan["networks"]["label"] == l8.label and plan["networks"]["algorithm"] == "SL2P-CCRS"
    assert {(e["algorithm"], e["network_set"]) for e in plan["exports"]} == {("SL2P-CCRS", l8.label)}
    assert {e["file_name"] for e in plan["exports"]} == {
        f"tile55_2022_{m}_{p}_30m.tif" for m in ("Jul", "Aug") for p in ("LAI", "fCOVER", "QC")}
    assert sorted(key for key, _ in loads) == ["L8", "L9"]
    assert all(folders is not None and folders[0] == configured for _, folders in loads)


def test_temporary_plan_output_is_the_file_checked_and_written(run_alg, monkeypatch):
    """PLAN left at TEMPORARY_OUTPUT: the file checked is the plan written and returned (the output is read once:
    each read of a TEMPORARY_OUTPUT is a new temporary file)."""
    from leaf_qgis.engines.gee import run

    checked: list[str] = []
    real_check = run.check
    monkeypatch.setattr(run, "check", lambda request, plan_path, **kw: (checked.append(str(plan_path)),
                                                                        real_check(request, plan_path, **kw))[1])
    result = run_alg("produce_gee", {**BASE, "PRODUCTS": ["LAI"], "MONTHS": ["Jul"], "PLAN": "TEMPORARY_OUTPUT"})
    plan = json.loads(open(result["PLAN"], encoding="utf-8").read())
    assert result["TASK_COUNT"] == plan["task_count"] == 2
    assert len(checked) == 2 and set(checked) == {result["PLAN"]}  # the algorithm's check, then run()'s own


def test_peak_season_dates_and_extent(run_alg, tmp_path):
    path = tmp_path / "peak.json"
    run_alg("produce_gee", {**BASE, "MONTHS": [], "PEAK_SEASON": True, "PRODUCTS": ["LAI"], "PLAN": str(path)})
    plan = json.loads(path.read_text())
    assert {e["file_name"] for e in plan["exports"]} == {"tile55_2020_LAI_20m.tif", "tile55_2020_QC_20m.tif"}
    path2 = tmp_path / "range.json"
    params = {**BASE, "MONTHS": None, "TILES": "", "EXTENT": "-76.0,-75.5,45.2,45.5 [EPSG:4326]",
              "REGION_NAME": "ottawa", "START": "2021-06-01", "END": "2021-06-20", "PRODUCTS": ["LAI"],
              "DESTINATION": "gcs",
              "BUCKET": "leaf-maps", "PLAN": str(path2)}
    run_alg("produce_gee", params)
    plan = json.loads(path2.read_text())
    lai = plan["exports"][0]
    assert lai["file_name"] == "ottawa_20210601-20210620_LAI_20m.tif"
    assert lai["destination"] == {"type": "gcs", "bucket": "leaf-maps",
                                  "file_name_prefix": "ottawa_2021/ottawa_20210601-20210620_LAI_20m"}
    assert lai["region_crs"] == "EPSG:4326"


@pytest.mark.parametrize("change", [
    {"TILES": "tile99"},
    {"SENSOR": "L8", "YEAR": 2010},
    {"SENSOR": "L5", "YEAR": 2015},
    {"YEAR": 2016},
    {"MONTHS": ["Jux"]},
    {"START": "2020-07-10", "END": "2020-07-01"},
    {"START": "2020-07-10"},
    {"RESOLUTION": 70},
    {"DESTINATION": "gcs", "BUCKET": "Not A Bucket"},
    {"FOLDER": "a/b"},
    {"DESTINATION": "asset", "ASSET_ROOT": "nowhere"},
    {"DRY_RUN": False},
    {"TILES": "", "EXTENT": "-76.0,-75.5,45.2,45.5 [EPSG:4326]"},
    {"MAX_SCENE_CLOUD": 101},
    {"ALGORITHM": "RF"},
])
def test_bad_input_raises_and_writes_nothing(run_alg, tmp_path, change):
    path = tmp_path / "plan.json"
    params = {**BASE, "PLAN": str(path), **change}
    if change.get("EXTENT") and "REGION_NAME" not in change:
        params["TILES"] = "tile55"  # two regions at once
    with pytest.raises(QgsProcessingException):
        run_alg("produce_gee", params)
    assert not path.exists()


def test_unwritable_plan_path(run_alg, tmp_path):
    path = tmp_path / "missing" / "deeper" / "plan.json"
    with pytest.raises(QgsProcessingException):
        run_alg("produce_gee", {**BASE, "PLAN": str(path)})
    assert not path.exists()


def test_aoi_without_polygons(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "empty", "memory")
    path = tmp_path / "plan.json"
    with pytest.raises(QgsProcessingException):
        run_alg("produce_gee", {**BASE, "TILES": "", "AOI": layer, "PLAN": str(path)})
    assert not path.exists()


# ------------------------------------------------------------------------------------------ submission (fake server)
SUBMIT = {**BASE, "TILES": "tile55,tile56", "MONTHS": ["Jul"], "PRODUCTS": ["LAI"], "DESTINATION": "gcs",
          "BUCKET": "leaf-maps", "DRY_RUN": False}
"""2 tiles × 1 month × LAI (+ QC): 4 tasks."""


class CountingFeedback:
    """A Processing feedback that calls ``hook(n)`` after the n-th task line (to inject faults or cancel)."""

    def __new__(cls, hook):
        from qgis.core import QgsProcessingFeedback

        class Feedback(QgsProcessingFeedback):
            def __init__(self) -> None:
                super().__init__()
                self.tasks = 0
                self.lines: list[str] = []

            def pushInfo(self, info: str) -> None:
                self.lines.append(info)
                if info.startswith(("submitted:", "resubmitted:", "skipped:")):
                    self.tasks += 1
                    hook(self, self.tasks)
                super().pushInfo(info)

        return Feedback()


def descriptions_on(fake_ee) -> list[str]:
    return [op["metadata"]["description"] for op in fake_ee.operations.values()]


def secrets_of(fake_ee) -> list[str]:
    return [*fake_ee.issued_tokens, "fake-token", "1//fake-refresh"]


def test_submit_a_two_tile_batch(run_alg, signed_in, tmp_path):
    from tests.fake_ee.fixtures import FAKE_PROJECT

    plan_path = tmp_path / "plan.json"
    result = run_alg("produce_gee", {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(plan_path)})
    assert result["TASK_COUNT"] == result["SUBMITTED"] == 4 and result["SKIPPED"] == 0
    table = tmp_path / "plan_tasks.csv"
    assert result["TASK_TABLE"] == str(table)
    rows = table.read_text().splitlines()
    assert len(rows) == 5 and rows[0].startswith("description,state,task_id,destination,action")
    plan = json.loads(plan_path.read_text())
    assert sorted(descriptions_on(signed_in)) == sorted(e["description"] for e in plan["exports"])
    posted = {r.body["description"]: r.body["expression"] for r in signed_in.requests_to("image:export", "POST")}
    assert all(posted[e["description"]] == json.loads(task_expression(plan, i)) for i, e in enumerate(plan["exports"]))
    for text in (table.read_text(), plan_path.read_text()):
        assert not any(secret in text for secret in secrets_of(signed_in))
    # a second run skips everything
    again = run_alg("produce_gee", {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(plan_path),
                                    "TASK_TABLE": str(tmp_path / "again.json")})
    assert again["SUBMITTED"] == 0 and again["SKIPPED"] == 4
    assert json.loads((tmp_path / "again.json").read_text())["counts"] == {"skipped": 4}
    assert len(descriptions_on(signed_in)) == 4


def test_the_chosen_task_table_is_the_one_checked(run_alg, signed_in, tmp_path):
    """A user's file at the default ``<plan>_tasks.csv`` does not block a run given another TASK_TABLE, and stays
    untouched (the check looks at the table the run writes)."""
    from tests.fake_ee.fixtures import FAKE_PROJECT

    theirs = tmp_path / "plan_tasks.csv"
    theirs.write_text("my own notes\n")
    chosen = tmp_path / "chosen.csv"
    result = run_alg("produce_gee", {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json"),
                                     "TASK_TABLE": str(chosen)})
    assert result["TASK_TABLE"] == str(chosen) and result["SUBMITTED"] == 4
    assert len(chosen.read_text().splitlines()) == 5
    assert theirs.read_text() == "my own notes\n"


def test_interrupted_batch_resumes_without_duplicates(run_alg, signed_in, tmp_path):
    from tests.fake_ee.fixtures import FAKE_PROJECT

    def reset_after_two(feedback, n):
        if n == 2:
            signed_in.inject("reset", method="POST", path_contains="image:export", times=100)

    params = {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json")}
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("produce_gee", params, feedback=CountingFeedback(reset_after_two))
    assert "could not be reached" in str(caught.value)
    assert len(signed_in.operations) == 2
    assert (tmp_path / "plan.json").exists() and "not_submitted" in (tmp_path / "plan_tasks.csv").read_text()
    signed_in.faults.clear()
    signed_in.clear_requests()
    result = run_alg("produce_gee", params)
    assert result["SUBMITTED"] == 2 and result["SKIPPED"] == 2
    assert len(signed_in.requests_to("image:export", "POST")) == 2
    names = descriptions_on(signed_in)
    assert len(names) == len(set(names)) == 4


@pytest.mark.parametrize("fault", [dict(kind="status", status=429), dict(kind="status", status=500),
                                   dict(kind="slow", delay=0.3), dict(kind="lost")])
def test_transient_faults_do_not_stop_the_batch(run_alg, signed_in, tmp_path, fault):
    from tests.fake_ee.fixtures import FAKE_PROJECT

    signed_in.inject(method="POST", path_contains="image:export", times=2, **fault)
    result = run_alg("produce_gee", {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json")})
    assert result["SUBMITTED"] == 4 and len(signed_in.operations) == 4
    assert not signed_in.faults  # every fault was met
    expected = 4 if fault["kind"] == "slow" else 6
    assert len(signed_in.requests_to("image:export", "POST")) == expected


def test_401_says_expired_and_leaks_no_token(run_alg, signed_in, tmp_path):
    from tests.fake_ee.fixtures import FAKE_PROJECT, fake_token

    token = fake_token()
    run_alg("produce_gee", {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "first.json")})
    signed_in.refresh_ok = False
    signed_in.inject("status", 401, times=5, message="Token {authorization} rejected; access_token=" + token)
    params = {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json")}
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("produce_gee", params)
    text = str(caught.value)
    assert "expired or were revoked" in text
    assert token not in text and not any(secret in text for secret in secrets_of(signed_in))
    for path in tmp_path.glob("*.*"):
        content = path.read_text()
        assert token not in content and not any(secret in content for secret in secrets_of(signed_in)), path


def test_not_authenticated_and_no_project(run_alg, fake_ee, monkeypatch, tmp_path):
    from leaf_qgis.engines.gee import session
    from tests.fake_ee.fixtures import FAKE_PROJECT

    monkeypatch.setenv(session.ENV_API_URL, fake_ee.url)
    plan_path = tmp_path / "plan.json"
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("produce_gee", {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(plan_path)})
    assert "earthengine authenticate" in str(caught.value)
    assert plan_path.exists() and fake_ee.api_requests() == []  # the plan is still written
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("produce_gee", {**SUBMIT, "PROJECT": "", "PLAN": str(tmp_path / "p2.json")})
    assert "No Google Cloud project" in str(caught.value)
    assert not (tmp_path / "p2.json").exists()


def test_cancel_between_tasks(run_alg, signed_in, tmp_path):
    from tests.fake_ee.fixtures import FAKE_PROJECT

    def cancel_after_one(feedback, n):
        if n == 1:
            feedback.cancel()

    with pytest.raises(QgsProcessingException) as caught:
        run_alg("produce_gee", {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json")},
                feedback=CountingFeedback(cancel_after_one))
    assert "Cancelled after submitting 1 of 4" in str(caught.value)
    assert len(signed_in.operations) == 1
    assert (tmp_path / "plan_tasks.csv").read_text().count("not_submitted") == 3


def test_failed_task_is_resubmitted(run_alg, signed_in, tmp_path):
    from tests.fake_ee.fixtures import FAKE_PROJECT

    params = {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json")}
    run_alg("produce_gee", params)
    first = next(iter(signed_in.operations))
    signed_in.set_state(first, "FAILED", "Cloud Storage bucket leaf-maps does not exist.")
    result = run_alg("produce_gee", params)
    assert result["SUBMITTED"] == 1 and result["SKIPPED"] == 3
    assert "resubmitted" in (tmp_path / "plan_tasks.csv").read_text()
    assert len(signed_in.operations) == 5


def test_dry_run_sends_nothing_even_when_signed_in(run_alg, signed_in, tmp_path):
    from leaf_qgis.engines.gee import session
    from tests.fake_ee.fixtures import FAKE_PROJECT

    session.initialize(FAKE_PROJECT, url=signed_in.url)
    signed_in.clear_requests()
    run_alg("produce_gee", {**SUBMIT, "DRY_RUN": True, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "p.json")})
    assert signed_in.requests == []
    session.reset()
    run_alg("produce_gee", {**SUBMIT, "DRY_RUN": True, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "q.json")})
    assert signed_in.requests == []


# ------------------------------------------------------------------------------------------------ direct download
DIRECT = {**BASE, "TILES": "", "EXTENT": "-75.72,-75.70,45.40,45.42 [EPSG:4326]", "REGION_NAME": "site",
          "MONTHS": ["Jul"], "PRODUCTS": ["LAI"], "DESTINATION": "download", "DRY_RUN": False}


def test_direct_download_merges_pieces_into_one_geotiff(run_alg, signed_in, tmp_path, monkeypatch):
    from osgeo import gdal

    from leaf_qgis.core import tile_grid
    from leaf_qgis.engines.gee import direct
    from tests.fake_ee.fixtures import FAKE_PROJECT

    monkeypatch.setattr(direct, "MAX_REQUEST_BYTES", 40 * 40)  # force several pieces of at most 40 × 40 px
    folder = tmp_path / "maps"
    result = run_alg("produce_gee", {**DIRECT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json"),
                                     "DOWNLOAD_FOLDER": str(folder)})
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["site_2020_Jul_LAI_20m.tif", "site_2020_Jul_QC_20m.tif"]
    assert sorted(result["OUTPUT_LAYERS"]) == [str(folder / n) for n in names]
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["exports"][0]["destination"] == {"type": "download", "path": str(folder / names[0])}
    lai = gdal.Open(str(folder / names[0]))
    band = lai.GetRasterBand(1)
    assert band.GetScale() == pytest.approx(0.05) and band.GetNoDataValue() == 255
    assert band.DataType == gdal.GDT_Byte and int(band.ReadAsArray().max()) == 1
    assert lai.GetMetadata("IMAGE_STRUCTURE").get("COMPRESSION") == "DEFLATE"
    assert band.GetBlockSize() == [256, 256]
    x0, res, _, y0, _, _ = lai.GetGeoTransform()
    assert res == 20 and (x0 - tile_grid.ORIGIN_X) % 20 == 0 and (tile_grid.ORIGIN_Y - y0) % 20 == 0
    assert lai.GetMetadata()["LEAF_PRODUCT"] == "LAI"
    width, height = lai.RasterXSize, lai.RasterYSize
    calls = signed_in.requests_to("image:computePixels", "POST")
    per_map = -(-width // 40) * -(-height // 40)
    assert len(calls) == 2 * per_map > 2
    dims = [c.body["grid"]["dimensions"] for c in calls]
    assert all(d["width"] <= 40 and d["height"] <= 40 for d in dims)
    assert sum(d["width"] * d["height"] for d in dims) == 2 * width * height
    fetched = calls[0].body["expression"]
    top = fetched["values"][fetched["result"]]["functionInvocationValue"]
    assert top["functionName"] == "Image.unmask"  # outside the region: nodata, not DN 0
    def resolve(node):
        return resolve(fetched["values"][node["valueReference"]]) if "valueReference" in node else node

    value = resolve(top["arguments"]["value"])["functionInvocationValue"]
    assert value["functionName"] == "Image.constant" and resolve(value["arguments"]["value"]) == {
        "constantValue": 255}
    assert resolve(top["arguments"]["sameFootprint"]) == {"constantValue": False}
    assert plan["request"]["destination"] == "download" and "export" not in plan["exports"][0]  # nothing to submit
    inner = json.loads(task_expression(plan, 0))
    assert resolve(top["arguments"]["input"])["functionInvocationValue"]["functionName"] == "Image.clip"
    assert inner["values"][inner["result"]]["functionInvocationValue"]["functionName"] == "Image.clip"
    assert not [p for p in folder.iterdir() if "partial" in p.name]


def test_direct_download_refuses_large_areas_before_any_request(run_alg, signed_in, tmp_path):
    from tests.fake_ee.fixtures import FAKE_PROJECT

    with pytest.raises(QgsProcessingException, match="direct download"):
        run_alg("produce_gee", {**DIRECT, "TILES": "tile55", "EXTENT": None, "REGION_NAME": "",
                                "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json"),
                                "DOWNLOAD_FOLDER": str(tmp_path / "maps")})
    assert signed_in.requests == []


def test_direct_download_retries_and_cancel_leaves_nothing(run_alg, signed_in, tmp_path, monkeypatch):
    from leaf_qgis.engines.gee import direct
    from tests.fake_ee.fixtures import FAKE_PROJECT

    monkeypatch.setattr(direct, "MAX_REQUEST_BYTES", 40 * 40)
    signed_in.inject("status", 429, path_contains="computePixels", times=2)
    folder = tmp_path / "maps"
    params = {**DIRECT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json"), "DOWNLOAD_FOLDER": str(folder)}
    run_alg("produce_gee", params)
    assert not signed_in.faults and len(list(folder.iterdir())) == 2

    from qgis.core import QgsProcessingFeedback

    class Feedback(QgsProcessingFeedback):
        def __init__(self, limit: float) -> None:
            super().__init__()
            self.limit = limit

        def setProgress(self, value):
            if value > self.limit:
                self.cancel()
            super().setProgress(value)

    # Cancelled in the second map (the download is 50-100 % of the bar, LAI then QC): the plan and the finished LAI
    # map stay, and the message names both; the QC map's temporary file is removed.
    other = tmp_path / "other"
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("produce_gee", {**params, "DOWNLOAD_FOLDER": str(other)}, feedback=Feedback(75))
    assert sorted(p.name for p in other.iterdir()) == ["site_2020_Jul_LAI_20m.tif"]  # never a partial one
    assert str(caught.value) == (
        f"Cancelled: no partial file was left. Finished before the cancellation and kept: {tmp_path}/plan.json, "
        f"{other}/site_2020_Jul_LAI_20m.tif.")
    # Cancelled in the first map: only the plan is named, nothing stays in the folder.
    third = tmp_path / "third"
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("produce_gee", {**params, "DOWNLOAD_FOLDER": str(third)}, feedback=Feedback(55))
    assert (list(third.iterdir()) if third.exists() else []) == []
    assert str(caught.value) == (
        f"Cancelled: no partial file was left. Finished before the cancellation and kept: {tmp_path}/plan.json.")
    # Cancelled while the plan is built: nothing was written, nothing is named.
    with pytest.raises(QgsProcessingException, match=r"^Cancelled: no partial file was left\.$"):
        run_alg("produce_gee", {**params, "PLAN": str(tmp_path / "unbuilt.json"), "DOWNLOAD_FOLDER": str(third)},
                feedback=Feedback(-1))
    assert not (tmp_path / "unbuilt.json").exists()


def test_cancel_during_a_slow_piece_returns_at_once(run_alg, signed_in, tmp_path):
    """Direct download, Cancel pressed while the server computes a piece (here it would answer after 20 s; a real
    piece may take up to 5 min): the run stops within about a second, the plan is named as kept, no map and no
    temporary file stay, and the piece is not asked for again."""
    import time

    from qgis.core import QgsProcessingFeedback

    from tests.fake_ee.fixtures import FAKE_PROJECT, cancel_once_requested

    signed_in.inject("slow", delay=20.0, path_contains="computePixels")
    feedback = QgsProcessingFeedback()
    pressed = cancel_once_requested(signed_in, feedback, "computePixels")
    folder = tmp_path / "maps"
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("produce_gee", {**DIRECT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json"),
                                "DOWNLOAD_FOLDER": str(folder)}, feedback=feedback)
    waited = time.monotonic() - pressed[0]
    assert waited < 1.0, f"Cancel took {waited:.2f} s"
    assert str(caught.value) == (
        f"Cancelled: no partial file was left. Finished before the cancellation and kept: {tmp_path}/plan.json.")
    assert len(signed_in.requests_to("computePixels")) == 1
    assert (list(folder.iterdir()) if folder.exists() else []) == []


def test_downloaded_maps_load_styled_into_the_project(leaf_provider, signed_in, project, tmp_path):
    """runAndLoadResults (the Toolbox's way): the downloaded QC map arrives in the project with the QC classes."""
    import processing
    from qgis.core import QgsPalettedRasterRenderer, QgsSingleBandPseudoColorRenderer

    from tests.fake_ee.fixtures import FAKE_PROJECT

    processing.runAndLoadResults("leaf:produce_gee", {
        **DIRECT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json"),
        "DOWNLOAD_FOLDER": str(tmp_path / "maps")})
    layers = {layer.source().rsplit("/", 1)[-1]: layer for layer in project.mapLayers().values()}
    assert set(layers) == {"site_2020_Jul_LAI_20m.tif", "site_2020_Jul_QC_20m.tif"}
    assert isinstance(layers["site_2020_Jul_QC_20m.tif"].renderer(), QgsPalettedRasterRenderer)
    assert isinstance(layers["site_2020_Jul_LAI_20m.tif"].renderer(), QgsSingleBandPseudoColorRenderer)


def test_time_score_weight_enters_the_composite(run_alg, tmp_path):
    """TIME_SCORE > 0 adds the closeness-to-mid-period term (exp of the day distance) to the best-pixel score."""
    plans = {}
    for weight in (0.0, 2.5):
        path = tmp_path / f"plan_{weight}.json"
        run_alg("produce_gee", {**BASE, "MONTHS": ["Jul"], "PRODUCTS": ["LAI"], "TIME_SCORE": weight,
                                "PLAN": str(path)})
        plans[weight] = json.loads(path.read_text())
    assert plans[0.0]["request"]["time_score_weight"] == 0.0
    assert plans[2.5]["request"]["time_score_weight"] == 2.5
    lai = {w: next(task_expression(p, i) for i, e in enumerate(p["exports"]) if e["token"] == "LAI")
           for w, p in plans.items()}
    assert '"Image.exp"' not in lai[0.0] and '"Image.exp"' in lai[2.5]
    assert "2.5" in lai[2.5]


def test_the_destination_choices_are_the_registered_destinations():
    from leaf_qgis.algorithms.produce_gee import DESTINATIONS
    from leaf_qgis.engines.gee import destinations

    assert DESTINATIONS == list(destinations.DESTINATIONS)


def test_submission_uses_our_project_and_gives_back_the_official_plugins_configuration(run_alg, signed_in,
                                                                                        fake_credentials, tmp_path):
    """The official Google Earth Engine plugin initialised ``ee`` at start-up with its own project: our batch goes
    to PROJECT, and that plugin's configuration (project, retries) is current again when the algorithm ends."""
    from tests.fake_ee.fixtures import FAKE_PROJECT

    ee.Initialize(fake_credentials, url=signed_in.url, project="official-project")
    theirs = ee.data._get_state()
    result = run_alg("produce_gee", {**SUBMIT, "PROJECT": FAKE_PROJECT, "PLAN": str(tmp_path / "plan.json")})
    assert result["SUBMITTED"] == 4
    exports = signed_in.requests_to("image:export", "POST")
    assert len(exports) == 4 and {r.route.split("/")[1] for r in exports} == {FAKE_PROJECT}
    assert ee.data._get_state() is theirs
    assert (theirs.cloud_api_user_project, theirs.max_retries) == ("official-project", 5)


def test_an_aoi_of_spaces_is_no_region(run_alg, tmp_path):
    """AOI " " next to TILES is left empty (it used to count as a second region, or be refused as required): the plan
    holds tile55's tasks."""
    path = tmp_path / "plan.json"
    run_alg("produce_gee", {**BASE, "PRODUCTS": ["LAI"], "MONTHS": ["Jul"], "AOI": " ", "EXTENT": " ",
                            "PLAN": str(path)})
    assert [e["file_name"] for e in json.loads(path.read_text())["exports"]] == [
        "tile55_2020_Jul_LAI_20m.tif", "tile55_2020_Jul_QC_20m.tif"]
