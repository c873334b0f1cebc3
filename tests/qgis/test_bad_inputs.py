"""A battery of bad inputs through ``processing.run``: each is refused with a ``QgsProcessingException`` whose message
names the problem (the parameter, the value given) and the fix (the rule, the choices, what to give instead), and
nothing is written. Plus the other side of the same checks: what is now accepted (enum numbers) or stated (defaults,
region names, metadata-recognised outputs).

Each case is (algorithm, how to change the base parameters, regexes that must all be found in the message).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer

from leaf_qgis.algorithms.regions import area_code
from leaf_qgis.core import qc
from tests.local_factory import make_safe, write_raster
from tests.qgis.test_produce_local import s2_params

GEE = {"TILES": "tile55", "SENSOR": "S2", "YEAR": 2020, "MONTHS": ["Jul"], "PRODUCTS": ["LAI"], "DRY_RUN": True}
"""A valid produce_gee dry run (PLAN is added per test, in tmp_path)."""


def message_of(run_alg, name: str, params: dict) -> str:
    with pytest.raises(QgsProcessingException) as caught:
        run_alg(name, params)
    return str(caught.value)


def assert_names(message: str, patterns) -> None:
    for pattern in patterns:
        assert re.search(pattern, message, re.S), f"{pattern!r} not in: {message}"


# -- files the checks must describe ---------------------------------------------------------------------------------


def bad_file(tmp_path: Path, kind: str) -> str:
    """A path to a file of ``kind``: zero, text, missing, folder, gpkg (not a database), geojson (cut short)."""
    path = {"zero": "zero.tif", "text": "notes.txt", "missing": "missing.tif", "zero_shp": "zero.shp",
            "gpkg": "bad.gpkg", "geojson": "bad.geojson", "missing_gpkg": "missing.gpkg"}[kind]
    target = tmp_path / path
    if kind in ("zero", "zero_shp"):
        target.write_bytes(b"")
    elif kind == "text":
        target.write_text("not a raster\n")
    elif kind == "gpkg":
        target.write_bytes(b"SQLite format 3\x00" + b"garbage" * 20)
    elif kind == "geojson":
        target.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": ')
    return str(target)


# -- produce_gee: parameter checks and execution checks ------------------------------------------------------------

GEE_CASES = {
    # bounded numbers: the rule and the value
    "resolution_7": ({"RESOLUTION": 7}, [r"\(RESOLUTION\) must be a whole number from 10 to 10000", r"got 7"]),
    "resolution_20000": ({"RESOLUTION": 20000}, [r"RESOLUTION\) must be a whole number from 10 to 10000",
                                                 r"got 20000"]),
    "resolution_text": ({"RESOLUTION": "twenty"}, [r"RESOLUTION\) must be a whole number", r"got 'twenty'"]),
    "resolution_not_divisor": ({"RESOLUTION": 70}, [r"divide 300 000 m", r"70 m does not", r"10, 20, 30"]),
    "time_score_negative": ({"TIME_SCORE": -1}, [r"TIME_SCORE\) must be a number from 0 to 10", r"got -1"]),
    "time_score_11": ({"TIME_SCORE": 11}, [r"TIME_SCORE\) must be a number from 0 to 10", r"got 11"]),
    "year_1900": ({"YEAR": 1900}, [r"YEAR\) must be a whole number from 1984 to 2100", r"got 1900"]),
    "year_2101": ({"YEAR": 2101}, [r"YEAR\) must be a whole number from 1984 to 2100", r"got 2101"]),
    "year_text": ({"YEAR": "20x0"}, [r"YEAR\) must be a whole number", r"got '20x0'"]),
    # dates: the format
    "start_feb_30": ({"START": "2024-02-30", "END": "2024-03-10", "MONTHS": []},
                     [r"\(START\): '2024-02-30' is not a date", r"YYYY-MM-DD"]),
    "end_month_13": ({"START": "2024-02-01", "END": "2024-13-01", "MONTHS": []},
                     [r"\(END\): '2024-13-01' is not a date", r"YYYY-MM-DD"]),
    "start_words": ({"START": "yesterday", "END": "2024-03-10", "MONTHS": []}, [r"'yesterday' is not a date",
                                                                                 r"e\.g\. 2024-06-01"]),
    # enums: the choices
    "sensor_unknown": ({"SENSOR": "XX"}, [r"\(SENSOR\): XX is not a choice", r"S2, L5, L7, L8, L9",
                                          r"number 0–8"]),
    "sensor_index_9": ({"SENSOR": 9}, [r"\(SENSOR\): 9 is not a choice", r"S2, L5, L7, L8, L9"]),
    "sensor_s2_10m": ({"SENSOR": "S2_10M"}, [r"S2_10M is not a choice", r"S2, L5, L7, L8, L9"]),
    "month_unknown": ({"MONTHS": ["Jux"]}, [r"\(MONTHS\): Jux is not a choice", r"one or more of: Jan, Feb"]),
    "month_index_12": ({"MONTHS": [12]}, [r"MONTHS\): 12 is not a choice", r"numbers 0–11"]),
    "product_unknown": ({"PRODUCTS": ["NDVI"]}, [r"\(PRODUCTS\): NDVI is not a choice", r"LAI, FCOVER, FAPAR"]),
    "product_qc_alone": ({"PRODUCTS": ["QC"]}, [r"QC is not a choice", r"LAI, FCOVER, FAPAR, ALBEDO, CCC, CWC, DATE"]),
    "destination_ftp": ({"DESTINATION": "ftp"}, [r"\(DESTINATION\): ftp is not a choice",
                                                 r"drive, gcs, asset, download"]),
    "destination_index_7": ({"DESTINATION": 7}, [r"7 is not a choice", r"number 0–3"]),
    # regions
    "extent_words": ({"TILES": "", "EXTENT": "abc"}, [r"\(EXTENT\): 'abc' is not an extent",
                                                       r"xmin,xmax,ymin,ymax \[CRS\]"]),
    "extent_zero_width": ({"TILES": "", "EXTENT": "-76,-76,45,45.5 [EPSG:4326]"},
                          [r"extent has zero area \(0 × 0\.5\)", r"width and a height"]),
    "tile_unknown": ({"TILES": "tile99"}, [r"no tile tile99", r"tile55"]),
    "two_regions": ({"EXTENT": "-76,-75.5,45.2,45.5 [EPSG:4326]"}, [r"exactly one region", r"Given: TILES, EXTENT"]),
    "no_region": ({"TILES": ""}, [r"exactly one region", r"Given: -"]),
    "region_name_slash": ({"TILES": "", "EXTENT": "-76,-75.5,45.2,45.5 [EPSG:4326]", "REGION_NAME": "a/b"},
                          [r"region name 'a/b' cannot be used in file names", r"letters, digits"]),
    "region_name_85_chars": ({"TILES": "", "EXTENT": "-76,-75.5,45.2,45.5 [EPSG:4326]", "REGION_NAME": "r" * 85},
                             [r"region name 'r{85}' has 85 characters; use at most 40", r"same name"]),
    "aoi_missing": ({"TILES": "", "AOI": "missing_gpkg"}, [r"\(AOI\): '.*missing\.gpkg' does not exist"]),
    "aoi_text": ({"TILES": "", "AOI": "text"}, [r"\(AOI\): '.*notes\.txt' is not a vector layer OGR can read",
                                                 r"Choose a polygon layer"]),
    "aoi_zero_bytes": ({"TILES": "", "AOI": "zero_shp"}, [r"zero\.shp' is empty \(0 bytes\)", r"save it again"]),
    "aoi_not_a_database": ({"TILES": "", "AOI": "gpkg"}, [r"bad\.gpkg' is not a vector layer OGR can read "
                                                           r"\(file is not a database\)"]),
    "aoi_cut_geojson": ({"TILES": "", "AOI": "geojson"}, [r"bad\.geojson' is not a vector layer OGR can read",
                                                           r"GeoJSON"]),
    "name_field_without_per_feature": ({"TILES": "", "AOI": "sites", "REGION_NAME_FIELD": "site"},
                                       [r"REGION_NAME_FIELD names one region per feature",
                                        r"tick REGION_PER_FEATURE"]),
    "per_feature_same_names": ({"TILES": "", "AOI": "same_sites", "REGION_PER_FEATURE": True,
                                "REGION_NAME_FIELD": "site"},
                               [r"same region name \(a\)", r"unique within their first 40"]),
    "per_feature_names_equal_after_the_cut": ({"TILES": "", "AOI": "long_sites", "REGION_PER_FEATURE": True,
                                               "REGION_NAME_FIELD": "site"},
                                              [r"same region name \(a{40}\)", r"Names are cut to 40 characters",
                                               r"unique within their first 40 characters"]),
    "aoi_without_polygon": ({"TILES": "", "AOI": "empty_layer"}, [r"has no polygon", r"at least one polygon"]),
    # periods: conflicts, order, archive, future
    "months_and_peak": ({"PEAK_SEASON": True}, [r"MONTHS \(Jul\) or PEAK_SEASON", r"not both",
                                                r"Clear MONTHS for the peak season"]),
    "dates_and_months": ({"START": "2021-06-01", "END": "2021-06-20"}, [r"START/END \+ MONTHS", r"Clear MONTHS"]),
    "dates_and_peak": ({"START": "2021-06-01", "END": "2021-06-20", "MONTHS": [], "PEAK_SEASON": True},
                       [r"START/END \+ PEAK_SEASON", r"Clear PEAK_SEASON"]),
    "start_without_end": ({"START": "2021-06-01", "MONTHS": []}, [r"both a start and an end date"]),
    "end_before_start": ({"START": "2021-07-10", "END": "2021-07-01", "MONTHS": []},
                         [r"end date 2021-07-01 is before the start date 2021-07-10"]),
    "year_future": ({"YEAR": 2099}, [r"2099-07-01 – 2099-07-31 is in the future", r"Choose a year up to 20\d\d"]),
    "dates_future": ({"START": "2098-06-01", "END": "2098-06-20", "MONTHS": []}, [r"in the future",
                                                                                   r"Choose a year up to"]),
    "l9_before_launch": ({"SENSOR": "L9", "YEAR": 2019}, [r"L9 has no surface reflectance for 2019",
                                                          r"2021 to today", r"another sensor"]),
    "l5_after_end": ({"SENSOR": "L5", "YEAR": 2015}, [r"L5 has no surface reflectance for 2015", r"1984 to 2012"]),
    "s2_before_archive": ({"YEAR": 2016}, [r"S2 has no surface reflectance for 2016", r"2017 to today"]),
    # destinations
    "bucket_invalid": ({"DESTINATION": "gcs", "BUCKET": "Not A Bucket"}, [r"'Not A Bucket' is not a valid Cloud "
                                                                          r"Storage bucket name", r"lower-case"]),
    "asset_root_invalid": ({"DESTINATION": "asset", "ASSET_ROOT": "nowhere"},
                           [r"'nowhere' is not an Earth Engine asset folder", r"projects/<project id>/assets"]),
    "folder_slash": ({"FOLDER": "a/b"}, [r"folder name 'a/b' contains characters", r"letters, digits"]),
    "plan_empty": ({"PLAN": ""}, [r"\(PLAN\) is required"]),
}


AOI_RINGS = ("POLYGON((-76 45,-75.9 45,-75.9 45.1,-76 45))", "POLYGON((-70 46,-69.9 46,-69.9 46.1,-70 46))")


def gee_layer(kind: str) -> QgsVectorLayer:
    """Memory layers for the AOI cases: two sites (field ``site``), two features with the same site, two whose sites
    differ only after 40 characters, no feature."""
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=site:string", "sites", "memory")
    features = []
    if kind != "empty_layer":
        sites = {"same_sites": ("a", "a"), "long_sites": ("a" * 40 + "1", "a" * 40 + "2")}.get(kind, ("a", "b"))
        for wkt, site in zip(AOI_RINGS, sites):
            feature = QgsFeature(layer.fields())
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
            feature.setAttributes([site])
            features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


@pytest.mark.parametrize("case", list(GEE_CASES))
def test_produce_gee_bad_input(run_alg, tmp_path, case):
    change, patterns = GEE_CASES[case]
    params = {**GEE, "PLAN": str(tmp_path / "plan.json"), **change}
    aoi = params.get("AOI")
    if aoi in ("sites", "same_sites", "long_sites", "empty_layer"):
        params["AOI"] = gee_layer(aoi)
    elif aoi:
        params["AOI"] = bad_file(tmp_path, aoi)
    assert_names(message_of(run_alg, "produce_gee", params), patterns)
    assert not (tmp_path / "plan.json").exists()


# -- produce_local --------------------------------------------------------------------------------------------------

LOCAL_CASES = {
    "sun_zenith_95": ({"SUN_ZENITH": 95.0}, [r"Sun zenith angle \(°\) \(SUN_ZENITH\) must be a number from 0 to 90",
                                             r"got 95"]),
    "view_zenith_negative": ({"VIEW_ZENITH": -5.0}, [r"\(VIEW_ZENITH\) must be a number from 0 to 90",
                                                     r"got -5"]),
    "azimuth_400": ({"RELATIVE_AZIMUTH": 400.0}, [r"\(RELATIVE_AZIMUTH\) must be a number from 0 to 360",
                                                  r"got 400"]),
    "azimuth_text": ({"RELATIVE_AZIMUTH": "east"}, [r"RELATIVE_AZIMUTH\) must be a number", r"got 'east'"]),
    "sensor_unknown": ({"SENSOR": "S3"}, [r"\(SENSOR\): S3 is not a choice", r"S2, S2_10M, L5, L7, L8, L9"]),
    "sensor_index_17": ({"SENSOR": 17}, [r"\(SENSOR\): 17 is not a choice", r"number 0–5"]),
    "encoding_unknown": ({"ENCODING": "INT16"}, [r"\(ENCODING\): INT16 is not a choice", r"LEAF, FLOAT32"]),
    "product_unknown": ({"PRODUCTS": ["NDVI"]}, [r"\(PRODUCTS\): NDVI is not a choice",
                                                 r"LAI, FCOVER, FAPAR, ALBEDO"]),
    "input_zero_bytes": ({"INPUT": "zero"}, [r"\(INPUT\): '.*zero\.tif' is empty \(0 bytes\)",
                                             r"not a raster GDAL can read", r"copy or produce it again"]),
    "input_text": ({"INPUT": "text"}, [r"\(INPUT\): '.*notes\.txt' \(13 bytes\) is not a raster GDAL can read",
                                       r"Choose a GeoTIFF"]),
    "input_missing": ({"INPUT": "missing"}, [r"\(INPUT\): '.*missing\.tif' does not exist", r"Check the path"]),
    "landcover_zero_bytes": ({"LANDCOVER": "zero"}, [r"\(LANDCOVER\): '.*zero\.tif' is empty \(0 bytes\)"]),
    "mask_text": ({"MASK": "text"}, [r"\(MASK\): '.*notes\.txt' .* is not a raster GDAL can read"]),
    "angles_missing": ({"ANGLES": "missing"}, [r"\(ANGLES\): '.*missing\.tif' does not exist"]),
    "bands_text": ({"BANDS": "B3,B4"}, [r"BANDS 'B3,B4' is not a comma-separated list of band numbers",
                                        r"e\.g\. 3,4,5"]),
    "scale_zero": ({"SCALE": 0.0}, [r"SCALE must be a positive number", r"got SCALE 0\.0"]),
}


@pytest.mark.parametrize("case", list(LOCAL_CASES))
def test_produce_local_bad_input(run_alg, tmp_path, case):
    change, patterns = LOCAL_CASES[case]
    params = s2_params(tmp_path)
    for key, value in change.items():
        params[key] = bad_file(tmp_path, value) if value in ("zero", "text", "missing") else value
    assert_names(message_of(run_alg, "produce_local", params), patterns)
    assert os.listdir(tmp_path / "out") == []


@pytest.fixture(scope="module")
def safe_product(tmp_path_factory) -> Path:
    """One synthetic Sentinel-2 L2A product, copied by each test that damages it."""
    return Path(make_safe(tmp_path_factory.mktemp("safe"))["path"])


def damaged_product(safe_product: Path, tmp_path: Path, kind: str) -> str:
    root = tmp_path / safe_product.name
    shutil.copytree(safe_product, root)
    if kind == "truncated_zip":
        archive = tmp_path / "product.zip"
        with zipfile.ZipFile(archive, "w") as handle:
            for path in sorted(root.rglob("*")):
                handle.write(path, path.relative_to(tmp_path))
        data = archive.read_bytes()
        archive.write_bytes(data[: len(data) // 2])
        return str(archive)
    if kind in ("cut_jp2", "empty_jp2"):
        jp2 = next(root.rglob("*_B05_20m.jp2"))
        data = jp2.read_bytes()
        jp2.write_bytes(data[: len(data) // 3] if kind == "cut_jp2" else b"")
    if kind in ("sun_zenith_95", "view_zenith_120"):
        tile = next(root.rglob("MTD_TL.xml"))
        text = tile.read_text()
        if kind == "sun_zenith_95":
            text = re.sub(r"(<Mean_Sun_Angle><ZENITH_ANGLE unit=\"deg\">)[^<]+", r"\g<1>95.0", text)
        else:
            text = re.sub(r"(<Mean_Viewing_Incidence_Angle bandId=\"\d+\"><ZENITH_ANGLE unit=\"deg\">)[^<]+",
                          r"\g<1>120.0", text)
        tile.write_text(text)
    return str(root)


PRODUCT_CASES = {
    "truncated_zip": [r"product\.zip' is a damaged or truncated zip archive", r"Download the product again"],
    "cut_jp2": [r"band file '.*_B05_20m\.jp2' of the product .* is damaged or truncated",
                r"Download the product again"],
    "empty_jp2": [r"band file '.*_B05_20m\.jp2'.* is damaged or truncated"],
    "sun_zenith_95": [r"angle SZA \(sun zenith\) read from the granule metadata \(MTD_TL\.xml\) is 95°",
                      r"outside 0–90°", r"metadata is damaged", r"angle parameters are not used"],
    "view_zenith_120": [r"VZA \(view zenith\) read from the granule metadata .* is 120°"],
}


@pytest.mark.parametrize("case", list(PRODUCT_CASES))
def test_damaged_sentinel2_products_are_named_as_such(run_alg, tmp_path, safe_product, case):
    out = tmp_path / "out"
    out.mkdir()
    params = {"INPUT": damaged_product(safe_product, tmp_path, case), "SENSOR": "S2", "PRODUCTS": ["LAI"],
              "OUTPUT_LAI": str(out / "lai.tif"), "OUTPUT_QC": str(out / "qc.tif")}
    message = message_of(run_alg, "produce_local", params)
    assert_names(message, PRODUCT_CASES[case])
    assert "SUN_ZENITH" not in message and "BANDS" not in message and "no MTD_MSIL2A" not in message
    assert os.listdir(out) == []


# -- decode_qc ------------------------------------------------------------------------------------------------------


def qc_input(tmp_path: Path, kind: str) -> str:
    if kind in ("zero", "text"):
        return bad_file(tmp_path, kind)
    if kind == "lai_map":
        path = write_raster(tmp_path / "lai.tif", np.full((4, 4), 87, dtype=np.uint8))
        ds = gdal.Open(path, gdal.GA_Update)
        ds.SetMetadata({"LEAF_PRODUCT": "LAI", "LEAF_LAYER": "estimate"})
        ds = None
        return path
    if kind == "codes_87":
        values = np.full((4, 4), qc.encode(21), dtype=np.uint8)
        values[:2] = (23 << 3) | 1  # sensor code 23: not a LEAF code
        values[0, 0] = 0b11011000  # code 27 (31 is HLS S30)
        return write_raster(tmp_path / "bytes.tif", values)
    if kind == "float":
        return write_raster(tmp_path / "float.tif", np.full((4, 4), 0.5, dtype=np.float32))
    if kind == "three_bands":
        return write_raster(tmp_path / "rgb.tif", np.full((3, 4, 4), qc.encode(21), dtype=np.uint8))
    raise ValueError(kind)


QC_CASES = {
    "lai_map": [r"not a QC raster: it looks like a LEAF LAI map \(LEAF_PRODUCT=LAI, LEAF_LAYER=estimate\)",
                r"Give the QC file"],
    "codes_87": [r"not a LEAF QC raster: 50\.0 % of its pixels have sensor codes \(bits 3–7\) 23, 27",
                 r"LEAF codes: 5 Landsat 5, 7 Landsat 7, 8 Landsat 8, 9 Landsat 9, 21 Sentinel-2",
                 r"give the QC file"],
    "float": [r"has 1 band\(s\) of type Float32", r"one band of bytes", r"\*_QC_\* file"],
    "three_bands": [r"has 3 band\(s\) of type Byte", r"one band of bytes"],
    "zero": [r"\(INPUT\): '.*zero\.tif' is empty \(0 bytes\)"],
    "text": [r"\(INPUT\): '.*notes\.txt' .* is not a raster GDAL can read"],
}


@pytest.mark.parametrize("case", list(QC_CASES))
def test_decode_qc_refuses_what_is_not_a_leaf_qc_byte(run_alg, tmp_path, case):
    out = tmp_path / "out"
    out.mkdir()
    params = {"INPUT": qc_input(tmp_path, case), **{key: str(out / f"{key.lower()}.tif") for key in (
        "OUTPUT_DOMAIN", "OUTPUT_RANGE", "OUTPUT_INVALID", "OUTPUT_SENSOR")}}
    message = message_of(run_alg, "decode_qc", params)
    assert_names(message, QC_CASES[case])
    assert "Unknown sensor code" not in message
    assert os.listdir(out) == []


# -- tile_grid, ee_tasks and load_outputs -------------------------------------------------------------------------

OTHER_CASES = {
    "level_7": ("tile_grid", {"LEVEL": 7}, [r"\(LEVEL\): 7 is not a choice", r"tile, quarter, ninth",
                                            r"number 0–2"]),
    "level_word": ("tile_grid", {"LEVEL": "quarterz"}, [r"quarterz is not a choice", r"tile, quarter, ninth"]),
    "grid_tile_unknown": ("tile_grid", {"TILES": "tile99"}, [r"no tile tile99", r"The tiles are"]),
    "grid_extent_words": ("tile_grid", {"EXTENT": "here"}, [r"\(EXTENT\): 'here' is not an extent"]),
    "tasks_action": ("ee_tasks", {"ACTION": "bogus"}, [r"\(ACTION\): bogus is not a choice",
                                                       r"list, cancel, wait, download"]),
    "tasks_max_age": ("ee_tasks", {"MAX_AGE_HOURS": -1}, [r"MAX_AGE_HOURS\) must be a number of at least 0",
                                                          r"got -1"]),
    "tasks_poll": ("ee_tasks", {"POLL_SECONDS": -5}, [r"POLL_SECONDS\) must be a number of at least 0",
                                                      r"got -5"]),
    "tasks_state": ("ee_tasks", {"STATES": ["DONE"]}, [r"\(STATES\): DONE is not a choice",
                                                       r"READY, RUNNING, COMPLETED"]),
    "tasks_state_index": ("ee_tasks", {"STATES": [9]}, [r"STATES\): 9 is not a choice", r"numbers 0–5"]),
    "load_plan_text": ("load_outputs", {"PLAN": "text"}, [r"\(PLAN\): '.*notes\.txt' is not a \.json file",
                                                          r"Choose a \.json file"]),
    "load_plan_missing": ("load_outputs", {"PLAN": "missing_json"}, [r"plan file '.*plan\.json' does not exist"]),
    "load_folder_missing": ("load_outputs", {"FOLDER": "missing_dir"}, [r"folder '.*nowhere' does not exist"]),
    "load_no_input": ("load_outputs", {}, [r"No input", r"choose LEAF files, a folder"]),
    "load_file_missing": ("load_outputs", {"INPUT": ["missing"]}, [r"do not exist or are not files",
                                                                   r"Check the paths"]),
    "load_no_tif": ("load_outputs", {"FOLDER": "empty_dir"}, [r"holds no \.tif or \.tiff file",
                                                              r"Include subfolders"]),
    "load_no_leaf_file": ("load_outputs", {"FOLDER": "dem_dir"}, [r"None of the 1 file\(s\) is named as a LEAF "
                                                                  r"output or carries LEAF metadata",
                                                                  r"tile55_2024_Jun_LAI_20m\.tif"]),
    "load_plan_not_a_plan": ("load_outputs", {"PLAN": "not_a_plan"}, [r"is not a plan of leaf:produce_gee",
                                                                      r"'Plan' output"]),
}
BASES = {"tile_grid": {"LEVEL": "tile", "OUTPUT": "memory:"}, "ee_tasks": {"ACTION": "list"}, "load_outputs": {}}


def other_value(tmp_path: Path, value):
    if isinstance(value, list):
        return [other_value(tmp_path, v) for v in value]
    if value in ("text", "missing"):
        return bad_file(tmp_path, value)
    if value == "missing_json":
        return str(tmp_path / "plan.json")
    if value == "missing_dir":
        return str(tmp_path / "nowhere")
    if value in ("empty_dir", "dem_dir"):
        folder = tmp_path / value
        folder.mkdir()
        if value == "dem_dir":
            write_raster(folder / "dem.tif", np.ones((2, 2), dtype=np.float32))
        return str(folder)
    if value == "not_a_plan":
        path = tmp_path / "other.json"
        path.write_text(json.dumps({"tasks": []}))
        return str(path)
    return value


@pytest.mark.parametrize("case", list(OTHER_CASES))
def test_other_algorithms_bad_input(run_alg, tmp_path, case):
    name, change, patterns = OTHER_CASES[case]
    params = {**BASES[name], **{k: other_value(tmp_path, v) for k, v in change.items()}}
    if name == "ee_tasks":
        params["TASK_TABLE"] = str(tmp_path / "tasks.csv")
    assert_names(message_of(run_alg, name, params), patterns)
    assert not (tmp_path / "tasks.csv").exists()


def test_the_battery_is_large_enough():
    """Issue 12 asks for at least 120 bad inputs across the project; this file holds more than 70 of them."""
    total = len(GEE_CASES) + len(LOCAL_CASES) + len(PRODUCT_CASES) + len(QC_CASES) + len(OTHER_CASES)
    assert total >= 90


# -- the other side: numbers accepted, defaults stated, names unique, outputs recognised -----------------------------


class LogFeedback:
    """A Processing feedback that keeps every info and warning line."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class Feedback(QgsProcessingFeedback):
            def __init__(self) -> None:
                super().__init__()
                self.lines: list[str] = []

            def pushInfo(self, info: str) -> None:
                self.lines.append(info)
                super().pushInfo(info)

            def pushWarning(self, warning: str) -> None:
                self.lines.append(warning)
                super().pushWarning(warning)

        return Feedback()


def plan_names(path: Path) -> list[str]:
    return sorted(e["file_name"] for e in json.loads(path.read_text())["exports"])


@pytest.mark.parametrize(("sensor", "expected"), [(0, "S2"), ("3", "L8"), ("l9", "L9")])
def test_enum_numbers_and_names_in_any_case_are_accepted(run_alg, tmp_path, sensor, expected):
    """``qgis_process help`` documents "Number of selected option": SENSOR=0 means the first option."""
    path = tmp_path / "plan.json"
    run_alg("produce_gee", {**GEE, "YEAR": 2022, "SENSOR": sensor, "MONTHS": [6, "aug"], "PLAN": str(path)})
    plan = json.loads(path.read_text())
    assert plan["request"]["sensor"] == expected
    resolution = 20 if expected == "S2" else 30
    assert plan_names(path) == [f"tile55_2022_{m}_{k}_{resolution}m.tif" for m in ("Aug", "Jul") for k in ("LAI", "QC")]


def test_tile_grid_level_by_number(run_alg):
    quarter = run_alg("tile_grid", {"LEVEL": 1, "TILES": "tile55", "OUTPUT": "memory:"})["OUTPUT"]
    assert sorted(f["name"] for f in quarter.getFeatures()) == [f"tile55_4{i}{j}" for i in (1, 2) for j in (1, 2)]


def test_defaults_are_stated_in_the_log_and_resolution_follows_the_sensor(run_alg, tmp_path):
    feedback = LogFeedback()
    path = tmp_path / "plan.json"
    run_alg("produce_gee", {"TILES": "tile55", "SENSOR": "L8", "PRODUCTS": ["LAI"], "PLAN": str(path)},
            feedback=feedback)
    log = "\n".join(feedback.lines)
    assert "No YEAR given: using 2020 (the default)." in log
    assert "No period chosen: using June, July and August 2020 (the default)." in log
    assert "No resolution given: using 30 m, the resolution of L8." in log
    assert plan_names(path) == [f"tile55_2020_{m}_{k}_30m.tif" for m in ("Aug", "Jul", "Jun") for k in ("LAI", "QC")]
    explicit = LogFeedback()
    run_alg("produce_gee", {**GEE, "RESOLUTION": 100, "PLAN": str(path)}, feedback=explicit)
    assert not [line for line in explicit.lines if "(the default)" in line or "No resolution" in line]
    assert plan_names(path) == ["tile55_2020_Jul_LAI_100m.tif", "tile55_2020_Jul_QC_100m.tif"]


def test_custom_regions_get_distinct_names_and_one_region_per_feature(run_alg, tmp_path):
    names = {}
    for extent in ("-76,-75.5,45.2,45.5 [EPSG:4326]", "-70,-69.5,46.2,46.5 [EPSG:4326]"):
        path = tmp_path / "plan.json"
        run_alg("produce_gee", {**GEE, "TILES": "", "EXTENT": extent, "PLAN": str(path)})
        names[extent] = {n.split("_2020_")[0] for n in plan_names(path)}
    first, second = names.values()
    assert len(first) == len(second) == 1 and first != second
    assert all(re.fullmatch(r"extent_[0-9a-f]{6}", n) for n in first | second)
    path = tmp_path / "aoi.json"
    run_alg("produce_gee", {**GEE, "TILES": "", "AOI": gee_layer("sites"), "PLAN": str(path)})
    assert {n.split("_2020_")[0] for n in plan_names(path)} == {f"sites_{n.split('_')[1]}" for n in plan_names(path)}
    run_alg("produce_gee", {**GEE, "TILES": "", "AOI": gee_layer("sites"), "REGION_PER_FEATURE": True,
                            "PLAN": str(path)})
    plan = json.loads(path.read_text())
    assert {e["file_name"].split("_2020_")[0] for e in plan["exports"]} == {
        f"sites_{fid}_{area_code(json.loads(QgsGeometry.fromWkt(wkt).asJson(7)))}"
        for fid, wkt in zip((1, 2), AOI_RINGS)}
    run_alg("produce_gee", {**GEE, "TILES": "", "AOI": gee_layer("sites"), "REGION_PER_FEATURE": True,
                            "REGION_NAME_FIELD": "site", "PLAN": str(path)})
    plan = json.loads(path.read_text())
    assert plan_names(path) == ["a_2020_Jul_LAI_20m.tif", "a_2020_Jul_QC_20m.tif", "b_2020_Jul_LAI_20m.tif",
                                "b_2020_Jul_QC_20m.tif"]
    folders = {e["destination"]["folder"] for e in plan["exports"]}
    assert folders == {"a_2020", "b_2020"}  # two distant polygons: two exports, two folders


def test_per_feature_regions_of_two_layers_of_the_same_name_get_distinct_stable_names(run_alg, tmp_path):
    """Two memory layers both called "fields", each with its feature 1, one region per feature and no name field:
    the names used to be fields_1 for both (same Drive folder, same task names: a submit skipped the second layer as
    already done). They now end with the code of the feature's area (regions.area_code, as the site task names), and
    the same layer gets the same names again (a resumed submit still skips)."""
    def fields_layer(wkt: str) -> QgsVectorLayer:
        layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=site:string", "fields", "memory")
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        layer.dataProvider().addFeatures([feature])
        return layer

    def regions(layer: QgsVectorLayer, run: str) -> set[str]:
        path = tmp_path / f"{run}.json"
        run_alg("produce_gee", {**GEE, "TILES": "", "AOI": layer, "REGION_PER_FEATURE": True, "PLAN": str(path)})
        plan = json.loads(path.read_text())
        return {e["file_name"].split("_2020_")[0] for e in plan["exports"]} | {
            e["destination"]["folder"] for e in plan["exports"]}

    first, second = fields_layer(AOI_RINGS[0]), fields_layer(AOI_RINGS[1])
    assert first.name() == second.name() == "fields" and [f.id() for f in first.getFeatures()] == [1]
    codes = [area_code(json.loads(QgsGeometry.fromWkt(wkt).asJson(7))) for wkt in AOI_RINGS]
    assert codes[0] != codes[1]
    assert regions(first, "first") == {f"fields_1_{codes[0]}", f"fields_1_{codes[0]}_2020"}
    assert regions(second, "second") == {f"fields_1_{codes[1]}", f"fields_1_{codes[1]}_2020"}
    assert regions(fields_layer(AOI_RINGS[0]), "again") == regions(first, "first")


def test_outputs_are_recognised_by_their_metadata_and_qml_sidecars_are_kept(run_alg, tmp_path):
    """OUTPUT_LAI=lai.tif (the README's example) loads styled; an existing .qml of ours is not rewritten."""
    lai = write_raster(tmp_path / "lai.tif", np.full((4, 4), 40, dtype=np.uint8), nodata=255)
    ds = gdal.Open(lai, gdal.GA_Update)
    ds.SetMetadata({"LEAF_PRODUCT": "LAI", "LEAF_LAYER": "estimate", "LEAF_SENSOR": "S2"})
    ds = None
    qc_path = write_raster(tmp_path / "quality.tif", np.full((4, 4), qc.encode(21), dtype=np.uint8), nodata=0)
    ds = gdal.Open(qc_path, gdal.GA_Update)
    ds.SetMetadata({"LEAF_QGIS_OUTPUT": "QC"})
    ds = None
    write_raster(tmp_path / "dem.tif", np.ones((4, 4), dtype=np.float32))
    sidecar = tmp_path / "quality.qml"
    sidecar.write_text("<qgis><customproperties><Option type=\"Map\"><Option name=\"leaf_qgis/style\" value=\"QC\" "
                       "type=\"QString\"/></Option></customproperties><!-- written in French: valide --></qgis>")
    before = sidecar.read_bytes()
    result = run_alg("load_outputs", {"FOLDER": str(tmp_path)})
    assert result["LOADED"] == 2 and result["UNRECOGNISED"] == 1
    assert result["UNRECOGNISED_FILES"].endswith("dem.tif")
    assert sidecar.read_bytes() == before
    assert (tmp_path / "lai.qml").is_file()  # none was there: written once


def test_produce_local_takes_enum_numbers(run_alg, tmp_path):
    """SENSOR=0 is S2 and ENCODING=1 is FLOAT32, as ``qgis_process help`` numbers them."""
    params = s2_params(tmp_path, SENSOR=0, ENCODING=1, PRODUCTS=[0])
    params = {k: v for k, v in params.items() if k not in ("OUTPUT_FCOVER", "OUTPUT_FAPAR", "OUTPUT_ALBEDO")}
    result = run_alg("produce_local", params)
    lai = gdal.Open(result["OUTPUT_LAI"])
    assert lai.GetRasterBand(1).DataType == gdal.GDT_Float32
    assert lai.GetMetadataItem("LEAF_SENSOR") == "S2" and lai.GetMetadataItem("LEAF_PRODUCT") == "LAI"


def test_every_enum_takes_option_names_and_given_tells_empty_from_zero(leaf_provider):
    """One home for the enum helper (base.enum_parameter, used by every algorithm and the example models) and for
    "was a value given" (base.given): every enum of the provider, models included, takes its option names, and an
    empty value is not given while 0 is."""
    from qgis.core import QgsProcessingParameterEnum
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime

    from leaf_qgis.algorithms.base import given

    enums = {f"{algorithm.id()}:{d.name()}": d.usesStaticStrings() for algorithm in leaf_provider.algorithms()
             for d in algorithm.parameterDefinitions() if isinstance(d, QgsProcessingParameterEnum)}
    assert {"leaf:tile_grid:LEVEL", "leaf:ee_tasks:STATES", "leaf:produce_local:ENCODING", "leaf:produce_gee:MONTHS",
            "leaf:sample_sites:SAMPLING", "leaf:tile_grid_to_gee_plan:PRODUCTS", "leaf:sites_time_series:SENSOR"
            } <= set(enums)
    assert [name for name, static in enums.items() if not static] == []
    values = {"zero": 0, "none": None, "empty": "", "blank_list": [], "null_date": QDateTime(),
              "date": QDateTime(QDate(2024, 6, 1), QTime(0, 0))}
    assert [name for name in (*values, "missing") if given(values, name)] == ["zero", "date"]
