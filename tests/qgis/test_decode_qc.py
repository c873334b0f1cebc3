"""``leaf:decode_qc`` through Processing: flag and sensor rasters, summary counts, block-wise runs and bad inputs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException

from leaf_qgis.algorithms import decode_qc
from leaf_qgis.core import qc
from leaf_qgis.rasters import raster_io
from tests.local_factory import write_raster

CODES = (5, 7, 8, 9, 21)
COMBOS = list(itertools.product((0, 1), repeat=3))  # (domain, range, invalid)
OUTPUTS = ("OUTPUT_DOMAIN", "OUTPUT_RANGE", "OUTPUT_INVALID", "OUTPUT_SENSOR")


def crafted() -> np.ndarray:
    """Every flag combination × every sensor, value k repeated k+1 times, then a row of QC nodata: 21 × 41 pixels."""
    values = [qc.encode(code, *flags) for code in CODES for flags in COMBOS]
    flat = np.concatenate([np.full(i + 1, v, dtype=np.uint8) for i, v in enumerate(values)])
    array = np.zeros(21 * 41, dtype=np.uint8)
    array[: flat.size] = flat
    return array.reshape(21, 41)


def params(tmp_path, source) -> dict:
    return {"INPUT": str(source), **{key: str(tmp_path / f"{key.lower()}.tif") for key in OUTPUTS}}


def read(path) -> tuple[np.ndarray, float, int]:
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    return band.ReadAsArray(), band.GetNoDataValue(), band.DataType


def test_flags_sensors_and_summary_on_a_crafted_raster(run_alg, tmp_path):
    array = crafted()
    source = write_raster(tmp_path / "tile55_2020_Jul_QC_20m.tif", array, nodata=0)
    result = run_alg("decode_qc", params(tmp_path, source))

    nodata = array == 0
    # Expected bits computed here independently of core.qc: bit 0 domain, bit 1 range, bit 2 invalid, 3-7 sensor.
    for key, bit in (("OUTPUT_DOMAIN", 0), ("OUTPUT_RANGE", 1), ("OUTPUT_INVALID", 2)):
        values, nd, dtype = read(result[key])
        assert (nd, dtype) == (255, gdal.GDT_Byte)
        expected = np.where(nodata, 255, (array >> bit) & 1)
        np.testing.assert_array_equal(values, expected)
    sensor, nd, dtype = read(result["OUTPUT_SENSOR"])
    assert (nd, dtype) == (0, gdal.GDT_Byte)
    np.testing.assert_array_equal(sensor, array // 8)
    assert set(np.unique(sensor)) == {0, *CODES}

    # Value k (0-based in CODES × COMBOS order) appears k+1 times: 40 values → 820 pixels; 41 nodata.
    counts = {v: i + 1 for i, v in enumerate(qc.encode(c, *f) for c in CODES for f in COMBOS)}
    total = sum(counts.values())
    assert result["PIXELS"] == total == 820 == int((~nodata).sum())
    assert result["COUNT_INPUT_OUT_OF_DOMAIN"] == sum(n for v, n in counts.items() if v & 1)
    assert result["COUNT_OUTPUT_OUT_OF_RANGE"] == sum(n for v, n in counts.items() if v & 2)
    assert result["COUNT_INVALID"] == sum(n for v, n in counts.items() if v & 4)
    assert result["COUNT_VALID"] == sum(n for v, n in counts.items() if not v & 7) == 1 + 9 + 17 + 25 + 33
    per_sensor = {code: sum(range(8 * i + 1, 8 * i + 9)) for i, code in enumerate(CODES)}
    assert per_sensor == {5: 36, 7: 100, 8: 164, 9: 228, 21: 292}
    for key, code in (("L5", 5), ("L7", 7), ("L8", 8), ("L9", 9), ("S2", 21)):
        assert result[f"COUNT_SENSOR_{key}"] == per_sensor[code]

    lines = dict(line.split("\t", 1) for line in result["SUMMARY"].splitlines())
    # One line per class, the sensors' adding up to every pixel with data (unknown codes are refused before).
    sensors = [decode_qc.SENSOR_NAME_BY_QC_CODE[code] for code in sorted(decode_qc.SENSOR_KEY_BY_CODE)]
    assert {"Landsat 5", "Landsat 9", "Sentinel-2"} <= set(sensors)
    assert list(lines) == ["QC class", "Pixels with QC data", "Pixels without any flag", "Input out of training domain",
                           "Output out of range", "Invalid pixel (cloud, shadow, snow, water)", *sensors]
    assert sum(int(lines[name].split("\t")[0]) for name in sensors) == 820
    assert lines["Pixels with QC data"] == "820\t100.00 %"
    assert lines["Sentinel-2"] == f"292\t{100 * 292 / 820:.2f} %"
    assert lines["Input out of training domain"] == f"{result['COUNT_INPUT_OUT_OF_DOMAIN']}\t" \
        f"{100 * result['COUNT_INPUT_OUT_OF_DOMAIN'] / 820:.2f} %"
    # Outputs carry the LEAF tag, so a re-run replaces them instead of refusing.
    assert raster_io.is_leaf_output(result["OUTPUT_DOMAIN"])
    assert run_alg("decode_qc", params(tmp_path, source))["PIXELS"] == 820


def test_block_wise_run_matches_and_reports_progress(run_alg, tmp_path, monkeypatch):
    rng = np.random.default_rng(7)
    values = np.array([0, *(qc.encode(c, *f) for c in CODES for f in COMBOS)], dtype=np.uint8)
    array = rng.choice(values, size=(300, 700))
    source = write_raster(tmp_path / "qc.tif", array, nodata=0)
    seen = []
    real = raster_io.windows

    def small(width, height):
        found = real(width, height, max_pixels=raster_io.TILE**2)
        seen.append(len(found))
        return found

    monkeypatch.setattr(decode_qc, "block_windows", small)
    result = run_alg("decode_qc", params(tmp_path, source))
    assert seen == [6]
    invalid, _, _ = read(result["OUTPUT_INVALID"])
    np.testing.assert_array_equal(invalid, np.where(array == 0, 255, (array >> 2) & 1))
    assert result["PIXELS"] == int((array != 0).sum())
    assert result["COUNT_SENSOR_L8"] == int(((array >> 3) == 8).sum())


def test_float_qc_raster_is_refused_and_nothing_is_written(run_alg, tmp_path):
    source = write_raster(tmp_path / "qc_float.tif", np.full((4, 4), 168.0, dtype=np.float32))
    with pytest.raises(QgsProcessingException, match=r"type Float32.*one band of bytes"):
        run_alg("decode_qc", params(tmp_path, source))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qc_float.tif"]


def test_multi_band_raster_is_refused(run_alg, tmp_path):
    source = write_raster(tmp_path / "two.tif", np.full((2, 4, 4), 168, dtype=np.uint8))
    with pytest.raises(QgsProcessingException, match=r"has 2 band\(s\)"):
        run_alg("decode_qc", params(tmp_path, source))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["two.tif"]


def test_an_existing_file_that_is_not_a_leaf_output_is_kept(run_alg, tmp_path):
    source = write_raster(tmp_path / "qc.tif", np.full((4, 4), 168, dtype=np.uint8), nodata=0)
    mine = write_raster(tmp_path / "output_domain.tif", np.zeros((2, 2), dtype=np.uint8))
    with pytest.raises(QgsProcessingException, match="already exists and is not a LEAF output"):
        run_alg("decode_qc", params(tmp_path, source))
    assert read(mine)[0].shape == (2, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output_domain.tif", "qc.tif"]


def test_cancelled_run_fails_and_leaves_no_file(run_alg, tmp_path, monkeypatch, cancelling):
    """Cancelled after the first of 6 blocks was written to the temporary outputs: the run fails with the one
    cancellation message (it used to return no result and no error) and removes them."""
    source = write_raster(tmp_path / "qc.tif", np.full((300, 700), 168, dtype=np.uint8), nodata=0)
    real = raster_io.windows
    monkeypatch.setattr(decode_qc, "block_windows",
                        lambda width, height: real(width, height, max_pixels=raster_io.TILE**2))
    feedback = cancelling(1)
    with pytest.raises(QgsProcessingException, match=r"^Cancelled: nothing was written\.$"):
        run_alg("decode_qc", params(tmp_path, source), feedback=feedback)
    assert feedback.asked == 2 and feedback.isCanceled()
    # Only the input is left (QGIS may cache its statistics in qc.tif.aux.xml): no output, no partial file, no lock.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "qc.tif.aux.xml") == ["qc.tif"]


def test_outputs_a_tif_and_a_tiff_in_one_folder_are_both_written(run_alg, tmp_path):
    """Two outputs named a.tif and a.tiff share the stem "a": their temporary files used to be a.partial-….tif both,
    and preparing the second removed the first one's as a "leftover of a killed run"."""
    array = crafted()
    source = write_raster(tmp_path / "qc.tif", array, nodata=0)
    out = tmp_path / "out"
    result = run_alg("decode_qc", {"INPUT": source, "OUTPUT_DOMAIN": str(out / "a.tif"),
                                   "OUTPUT_RANGE": str(out / "a.tiff"), "OUTPUT_INVALID": str(out / "b.tif"),
                                   "OUTPUT_SENSOR": str(out / "b.tiff")})
    assert sorted(p.name for p in out.iterdir()) == ["a.tif", "a.tiff", "b.tif", "b.tiff"]
    nodata = array == 0
    for key, func in (("OUTPUT_DOMAIN", qc.input_out_of_domain), ("OUTPUT_RANGE", qc.output_out_of_range),
                      ("OUTPUT_INVALID", qc.invalid)):
        values, _, _ = read(result[key])
        np.testing.assert_array_equal(values, np.where(nodata, 255, func(array)), err_msg=key)
    np.testing.assert_array_equal(read(result["OUTPUT_SENSOR"])[0], qc.sensor_code(array))
