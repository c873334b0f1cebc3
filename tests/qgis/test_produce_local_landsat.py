"""``leaf:produce_local`` on a Landsat Collection 2 Level-2 scene (folder, .tar, MTL) through Processing: values equal
the core evaluator on DN · mult + add with the MTL's sun angle and a nadir view; QA_PIXEL bits and QA_RADSAT → QC
bit 2 and product nodata; a SENSOR that is not the scene's satellite and a Level-1 scene are refused, nothing
written."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException

from leaf_qgis.core import qc
from leaf_qgis.core.encoding import encode_leaf
from leaf_qgis.core.networks import load_network_set
from leaf_qgis.core.products import PRODUCTS
from leaf_qgis.core.sensors import SENSORS
from leaf_qgis.core.sl2p import Sl2pEvaluator
from leaf_qgis.engines.local.landsat_c2 import band_number
from tests import landsat_factory as factory

ALL = ("LAI", "FCOVER", "FAPAR", "ALBEDO")


def outputs(folder) -> dict:
    folder.mkdir(exist_ok=True)
    return {f"OUTPUT_{key}": str(folder / f"{key.lower()}.tif") for key in (*ALL, "QC")}


def read(path) -> np.ndarray:
    ds = gdal.Open(str(path))
    assert ds is not None, path
    return ds.GetRasterBand(1).ReadAsArray()


def expected(truth, sensor_key):
    """(estimates, estimated pixels) from the core evaluator on DN · mult + add (float32, as the engine), sun zenith
    from the MTL, view zenith 0 and relative azimuth 0. QA snow and water pixels keep their estimate (flagged)."""
    sensor = SENSORS[sensor_key]
    dn = np.stack([truth["dn"][band_number(b)] for b in sensor.spectral_inputs])
    rho = dn.reshape(dn.shape[0], -1).astype(np.float32)
    rho *= np.float32(truth["mult"])
    rho += np.float32(truth["add"])
    invalid = ((truth["invalid"] & ~truth["flagged"]) | (dn == 0).any(axis=0)).reshape(-1)
    cosines = (1.0, math.cos(math.radians(truth["sun_zenith"])), 1.0)
    evaluator = Sl2pEvaluator(load_network_set(sensor_key), ALL, False)
    return evaluator.evaluate(rho, cosines, ~invalid, None), ~invalid


@pytest.mark.parametrize(("sensor", "kind"), [("L8", "folder"), ("L8", "tar"), ("L8", "mtl"), ("L9", "tar"),
                                              ("L5", "folder"), ("L7", "mtl")])
def test_landsat_scene_values_qc_and_nodata(run_alg, tmp_path, sensor, kind):
    truth = factory.make_scene(tmp_path / "scene", sensor=sensor, as_tar=kind == "tar")
    source = truth["mtl"] if kind == "mtl" else truth["path"]
    result = run_alg("produce_local", {"INPUT": source, "SENSOR": sensor, **outputs(tmp_path / "out")})
    est, valid = expected(truth, sensor)
    shape = (factory.H, factory.W)
    out_of_range = est.out_of_range.copy()
    for key in ALL:
        encoded, clamped = encode_leaf(est.estimates[key], PRODUCTS[key])
        out_of_range |= clamped
        values = read(result[f"OUTPUT_{key}"])
        np.testing.assert_array_equal(values, encoded.reshape(shape), err_msg=key)
        assert np.all(values[~valid.reshape(shape)] == 255)
        assert np.all(values[valid.reshape(shape)] != 255)
    code = SENSORS[sensor].qc_code
    qc_values = read(result["OUTPUT_QC"])
    clean = valid & ~truth["flagged"].reshape(-1)
    np.testing.assert_array_equal(
        qc_values, qc.encode(code, est.out_of_domain & clean, out_of_range & clean, ~clean).reshape(shape))
    assert np.all(read(result["OUTPUT_LAI"])[truth["flagged"]] != 255)  # snow and water keep their estimate
    assert np.all(qc_values[truth["invalid"]] == (code << 3) | 4)
    assert not np.any(qc_values[factory.HARMLESS_ROWS, factory.HARMLESS_COLS] & 4)
    ds = gdal.Open(result["OUTPUT_LAI"])
    assert ds.GetGeoTransform() == factory.GEOTRANSFORM
    assert ds.GetMetadataItem("LEAF_INPUT") == source


def test_sensor_defaults_to_the_scene_satellite(run_alg, tmp_path):
    truth = factory.make_scene(tmp_path / "scene", sensor="L9")
    result = run_alg("produce_local", {"INPUT": truth["path"], **outputs(tmp_path / "out")})
    assert np.all(read(result["OUTPUT_QC"])[truth["invalid"]] == (9 << 3) | 4)


def test_wrong_sensor_or_level1_scene_is_refused_and_nothing_written(run_alg, tmp_path):
    truth = factory.make_scene(tmp_path / "scene", sensor="L8", as_tar=True)
    params = {"INPUT": truth["path"], "SENSOR": "L9", **outputs(tmp_path / "out")}
    with pytest.raises(QgsProcessingException, match=r"acquired by LANDSAT_8 but SENSOR is L9\. Choose SENSOR L8"):
        run_alg("produce_local", params)
    with pytest.raises(QgsProcessingException, match=r"SENSOR is S2\. Choose SENSOR L8"):
        run_alg("produce_local", {**params, "SENSOR": "S2"})
    # The scene skips Processing's layer check of INPUT, not the checks of the other parameters.
    with pytest.raises(QgsProcessingException,
                       match=r"ENCODING\): INT16 is not a choice. Choose one of: LEAF, FLOAT32"):
        run_alg("produce_local", {**params, "SENSOR": "L8", "ENCODING": "INT16"})
    level1 = factory.make_scene(tmp_path / "l1", sensor="L8", level="L1TP")
    with pytest.raises(QgsProcessingException, match=r"L1TP Landsat product: the local engine needs Level-2 surface "
                                                     r"reflectance"):
        run_alg("produce_local", {**params, "INPUT": level1["path"], "SENSOR": "L8"})
    assert os.listdir(tmp_path / "out") == []


def test_parameters_the_scene_overrides_are_reported(run_alg, tmp_path):
    from qgis.core import QgsProcessingFeedback

    class Warnings(QgsProcessingFeedback):
        def __init__(self) -> None:
            super().__init__()
            self.warnings: list[str] = []

        def pushWarning(self, text: str) -> None:
            self.warnings.append(text)

    truth = factory.make_scene(tmp_path / "scene", sensor="L8")
    feedback = Warnings()
    run_alg("produce_local", {"INPUT": truth["path"], "SENSOR": "L8", "PRODUCTS": ["LAI"], "BANDS": "1,2,3,4,5,6,7",
                              "SUN_ZENITH": 30, "OUTPUT_LAI": str(tmp_path / "lai.tif"),
                              "OUTPUT_QC": str(tmp_path / "qc.tif")}, feedback=feedback)
    assert any("BANDS, SUN_ZENITH" in w for w in feedback.warnings)
