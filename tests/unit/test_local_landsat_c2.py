"""The Landsat Collection 2 Level-2 reader: folder, .tar and MTL file; MTL text and XML; the Level-2 scaling (not
the Level-1 one); sensor from SPACECRAFT_ID; sun angles and nadir view; QA bits evaluated by the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest
from osgeo import gdal

from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.masks import LANDSAT_QA_FLAGGED_BITS, LANDSAT_QA_REMOVED_BITS
from leaf_qgis.core.sensors import SENSORS
from leaf_qgis.engines.local import landsat_c2 as landsat
from leaf_qgis.engines.local import produce as engine
from leaf_qgis.engines.local.produce import ProduceConfig
from tests import landsat_factory as factory


@pytest.fixture(scope="module")
def scenes(tmp_path_factory):
    base = tmp_path_factory.mktemp("landsat")
    return {
        "folder": factory.make_scene(base / "folder"),
        "tar": factory.make_scene(base / "tar", as_tar=True),
        "xml": factory.make_scene(base / "xml", mtl="xml", mult=3e-5, add=-0.1, radsat=False),
        "l5": factory.make_scene(base / "l5", sensor="L5"),
    }


def test_scene_paths_are_recognised_without_parsing(scenes):
    folder = scenes["folder"]["path"]
    assert landsat.is_scene_path(folder)
    assert landsat.is_scene_path(scenes["folder"]["mtl"])
    assert landsat.is_scene_path(scenes["tar"]["path"])
    assert landsat.is_scene_path("/data/LC08_L2SP_033026_20240715_20240722_02_T1_MTL.xml")
    assert not landsat.is_scene_path("/data/stack.tif")
    assert not landsat.is_scene_path(folder + "/LC08_L2SP_033026_20240715_20240722_02_T1_SR_B4.TIF")
    assert not landsat.is_scene_path("")
    tar = scenes["tar"]
    assert not landsat.is_scene_path(f"/vsitar/{tar['path']}/{tar['product_id']}_SR_B4.TIF")


def test_the_bit_lists_are_defined_once():
    rule = SENSORS["L8"].qa_rule
    assert rule.removed[0].values is LANDSAT_QA_REMOVED_BITS == (0, 1, 2, 3, 4)
    assert rule.flagged[0].values is LANDSAT_QA_FLAGGED_BITS == (5, 7)
    # QA_RADSAT ≠ 0 (saturation) is flagged, not removed: production's Img_ValidMask (core/masks.py).
    assert len(rule.removed) == 1 and rule.flagged[1].kind == "nonzero" and rule.flagged[1].bands == ("QA_RADSAT",)
    assert rule.bands == ("QA_PIXEL", "QA_RADSAT")
    assert {s.qa_rule for s in SENSORS.values() if s.family.value == "LANDSAT" and not s.is_merged} == {rule}


@pytest.mark.parametrize("kind", ["folder", "tar", "mtl", "xml", "l5"])
def test_stack_holds_the_network_bands_and_the_level2_scaling(scenes, kind):
    truth = scenes["folder" if kind == "mtl" else kind]
    scene = landsat.open_scene(truth["mtl"] if kind == "mtl" else truth["path"])
    sensor = SENSORS["L5" if kind == "l5" else "L8"]
    assert scene.sensor_key == sensor.key
    assert scene.processing_level == "L2SP"
    inputs = landsat.prepare_inputs(scene, sensor)
    try:
        stack = gdal.Open(inputs.stack)
        # The network bands, then the range test's other bands (production's OUT_BANDS): SR_B1 (TM), SR_B1, SR_B2 (OLI)
        extra = ("SR_B1",) if kind == "l5" else ("SR_B1", "SR_B2")
        n = len(sensor.spectral_inputs)
        assert inputs.range_bands == {band: n + k for k, band in enumerate(extra, 1)}
        assert stack.RasterCount == n + len(extra)
        assert stack.GetGeoTransform() == factory.GEOTRANSFORM
        dn = stack.ReadAsArray()
        for i, band in enumerate((*sensor.spectral_inputs, *extra)):
            np.testing.assert_array_equal(dn[i], truth["dn"][landsat.band_number(band)])
        # The Level-2 group's values, not the Level-1 TOA ones (2e-5 / −0.1) of the same key names.
        assert inputs.scale == pytest.approx([truth["mult"]] * (n + len(extra)))
        assert inputs.offset == pytest.approx([truth["add"]] * (n + len(extra)))
        assert inputs.nodata == 0
        np.testing.assert_array_equal(gdal.Open(inputs.qa_pixel).ReadAsArray(), truth["qa"])
        assert (inputs.qa_radsat is None) == (kind == "xml")
        assert inputs.angles.sun_zenith == pytest.approx(90.0 - factory.SUN_ELEVATION)
        assert (inputs.angles.view_zenith, inputs.angles.relative_azimuth) == (0.0, 0.0)
        assert scene.sun_azimuth == pytest.approx(factory.SUN_AZIMUTH)
    finally:
        inputs.close()
    assert gdal.VSIStatL(inputs.stack) is None


def test_engine_evaluates_the_qa_bits(scenes, tmp_path):
    truth = scenes["tar"]
    inputs = landsat.prepare_inputs(landsat.open_scene(truth["path"]))
    outputs = engine.default_output_paths(str(tmp_path), "l8", ("LAI",), False)
    try:
        engine.produce(ProduceConfig(
            input_path=inputs.stack, sensor_key="L8", outputs=outputs, angles=inputs.angles, scale=inputs.scale,
            offset=inputs.offset, products=("LAI",), qa_pixel_path=inputs.qa_pixel, range_bands=inputs.range_bands,
            qa_radsat_path=inputs.qa_radsat, nodata=inputs.nodata))
    finally:
        inputs.close()
    qc = gdal.Open(outputs["QC"]).ReadAsArray()
    lai = gdal.Open(outputs["LAI"]).ReadAsArray()
    invalid = (qc & 4) != 0
    np.testing.assert_array_equal(invalid, truth["invalid"])
    np.testing.assert_array_equal(lai != 255, ~truth["invalid"] | truth["flagged"])
    assert not invalid[factory.HARMLESS_ROWS, factory.HARMLESS_COLS].any()  # clear + confidence bits only
    # Saturated (QA_RADSAT ≠ 0): an estimate and QC bit 2 (Landsat 8 code 8 → 64 | 4), as SCL 1 on Sentinel-2.
    assert np.all(qc[factory.RADSAT_ROWS, factory.RADSAT_COLS] == 68)
    assert np.all(lai[factory.RADSAT_ROWS, factory.RADSAT_COLS] != 255)


def test_a_scene_without_a_range_test_band_is_read_and_the_band_not_tested(tmp_path):
    """SR_B1 missing (a partial download): not refused; the range test covers the bands the scene has."""
    import os

    truth = factory.make_scene(tmp_path / "partial")
    os.remove(os.path.join(truth["path"], f"{truth['product_id']}_SR_B1.TIF"))
    inputs = landsat.prepare_inputs(landsat.open_scene(truth["path"]))
    try:
        assert inputs.range_bands == {"SR_B2": 6} and gdal.Open(inputs.stack).RasterCount == 6
    finally:
        inputs.close()


def test_wrong_sensor_is_refused_with_the_scene_sensor(scenes):
    scene = landsat.open_scene(scenes["folder"]["path"])
    with pytest.raises(LeafError, match=r"acquired by LANDSAT_8 but SENSOR is L9\. Choose SENSOR L8"):
        landsat.prepare_inputs(scene, SENSORS["L9"])
    with pytest.raises(LeafError, match=r"SENSOR is S2\. Choose SENSOR L8"):
        landsat.prepare_inputs(scene, SENSORS["S2"])


def test_level1_scene_is_refused(tmp_path):
    truth = factory.make_scene(tmp_path, level="L1TP")
    with pytest.raises(LeafError, match=r"L1TP Landsat product: the local engine needs Level-2 surface reflectance"):
        landsat.open_scene(truth["path"])


def test_missing_files_and_not_a_scene_say_what_to_give(tmp_path, scenes):
    truth = factory.make_scene(tmp_path / "incomplete")
    import os

    os.remove(os.path.join(truth["path"], f"{truth['product_id']}_SR_B5.TIF"))
    with pytest.raises(LeafError, match=r"lacks the files of \*_SR_B5\.TIF"):
        landsat.prepare_inputs(landsat.open_scene(truth["path"]))
    (tmp_path / "empty").mkdir()
    with pytest.raises(LeafError, match=r"not a readable Landsat Collection 2 scene \(0 _MTL files"):
        landsat.open_scene(str(tmp_path / "empty"))
    with pytest.raises(LeafError, match=r"no such folder or \.tar file"):
        landsat.open_scene(str(tmp_path / "nothing.tar"))


def test_mtl_text_parser_keeps_groups_apart():
    values = landsat.parse_mtl(factory.mtl_text("LANDSAT_8", "X", (1,), "L2SP", 2.75e-5, -0.2))
    assert values[(landsat.SR_GROUP, "REFLECTANCE_MULT_BAND_1")] == "2.7500E-05"
    assert values[("LEVEL1_RADIOMETRIC_RESCALING", "REFLECTANCE_MULT_BAND_1")] == "2.0000E-05"
    assert values[("IMAGE_ATTRIBUTES", "SPACECRAFT_ID")] == "LANDSAT_8"
    assert math.isclose(float(values[("IMAGE_ATTRIBUTES", "SUN_ELEVATION")]), factory.SUN_ELEVATION)
