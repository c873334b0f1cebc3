"""``leaf:produce_gee`` through Processing: a dry run writes the plan; bad input raises and writes nothing."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("ee")

from qgis.core import QgsProcessingException

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
    for export in plan["exports"]:
        assert export["destination"]["folder"] == "tile55_2020"
        assert export["crs_transform"] == [20.0, 0.0, -2600000.0, 0.0, -20.0, 3914925.0]
        assert json.loads(export["expression"])["values"]
    assert not list(tmp_path.glob(".part-*"))


def test_peak_season_dates_and_extent(run_alg, tmp_path):
    path = tmp_path / "peak.json"
    run_alg("produce_gee", {**BASE, "PEAK_SEASON": True, "PRODUCTS": ["LAI"], "PLAN": str(path)})
    plan = json.loads(path.read_text())
    assert {e["file_name"] for e in plan["exports"]} == {"tile55_2020_LAI_20m.tif", "tile55_2020_QC_20m.tif"}
    path2 = tmp_path / "range.json"
    params = {**BASE, "TILES": "", "EXTENT": "-76.0,-75.5,45.2,45.5 [EPSG:4326]", "REGION_NAME": "ottawa",
              "START": "2021-06-01", "END": "2021-06-20", "PRODUCTS": ["LAI"], "DESTINATION": "gcs",
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
