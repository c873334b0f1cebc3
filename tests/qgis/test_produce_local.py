"""``leaf:produce_local`` through Processing: values against the core evaluator, nodata, QC bits, metadata, grid,
land cover, uncertainty, angle rasters, Landsat scaling and BANDS, a Sentinel-2 .SAFE, and bad inputs (nothing
written)."""

from __future__ import annotations

import functools
import math
import os

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException

from leaf_qgis.core import qc
from leaf_qgis.core.encoding import encode_leaf
from leaf_qgis.core.masks import SCL_FLAGGED_CLASSES, SCL_REMOVED_CLASSES
from leaf_qgis.core.networks import load_network_set
from leaf_qgis.core.products import PRODUCTS
from leaf_qgis.core.sl2p import Sl2pEvaluator
from leaf_qgis.rasters.raster_io import LEAF_OUTPUT_TAG
from tests.local_factory import make_safe, write_raster

ALL = ("LAI", "FCOVER", "FAPAR", "ALBEDO")
H, W = 30, 40
GEOTRANSFORM = (1_412_340.0, 20.0, 0.0, -98_760.0, 0.0, -20.0)
ANGLES = {"SUN_ZENITH": 40.0, "VIEW_ZENITH": 6.0, "RELATIVE_AZIMUTH": 60.0}
S2_CODE = 21 << 3  # 168
#: Sentinel-2 20 m spectra (B3 B4 B5 B6 B7 B8A B11 B12), one per block of 10 columns: a green canopy (inside the
#: domain and range), a sparse canopy, bare soil (LAI slightly below 0: out of range) and an unphysical zig-zag
#: (out of domain and range).
S2_SPECTRA = (
    (0.05, 0.03, 0.09, 0.28, 0.35, 0.38, 0.18, 0.08),
    (0.08, 0.08, 0.12, 0.22, 0.26, 0.28, 0.24, 0.15),
    (0.12, 0.15, 0.17, 0.19, 0.20, 0.21, 0.28, 0.24),
    (0.50, 0.02, 0.50, 0.02, 0.50, 0.02, 0.50, 0.02),
)
#: Landsat 8 SR_B3 … SR_B7 spectra (green, red, NIR, SWIR1, SWIR2).
L8_SPECTRA = (
    (0.05, 0.03, 0.38, 0.18, 0.08),
    (0.10, 0.12, 0.25, 0.26, 0.18),
    (0.15, 0.18, 0.22, 0.30, 0.26),
    (0.08, 0.06, 0.32, 0.22, 0.12),
)
NODATA_ROWS, NODATA_COLS = slice(0, 3), slice(W - 3, W)


# -- helpers -----------------------------------------------------------------------------------------------------


def reflectance_blocks(spectra) -> np.ndarray:
    """``(bands, H, W)`` float64 reflectance: one spectrum per block of 10 columns, scaled 0.85–1.15 down the rows."""
    rho = np.empty((len(spectra[0]), H, W))
    factor = np.linspace(0.85, 1.15, H)[:, None]
    for block, spectrum in enumerate(spectra):
        rho[:, :, block * 10:(block + 1) * 10] = np.asarray(spectrum)[:, None, None] * factor[None]
    return rho


def s2_dn() -> np.ndarray:
    dn = np.round(reflectance_blocks(S2_SPECTRA) * 10000).astype(np.uint16)
    dn[2, NODATA_ROWS, NODATA_COLS] = 0  # one band at 0 is enough to make a pixel no data
    return dn


def l8_dn() -> np.ndarray:
    return np.round((reflectance_blocks(L8_SPECTRA) + 0.2) / 0.0000275).astype(np.uint16)


def nodata_mask() -> np.ndarray:
    mask = np.zeros((H, W), dtype=bool)
    mask[NODATA_ROWS, NODATA_COLS] = True
    return mask


@functools.cache
def networks(sensor: str, algorithm: str = "SL2P"):
    return load_network_set(sensor, algorithm)


def cosines(sza: float, vza: float, raa: float) -> tuple[float, float, float]:
    return math.cos(math.radians(vza)), math.cos(math.radians(sza)), math.cos(math.radians(raa))


def engine_reflectance(dn: np.ndarray, scale: float, offset: float) -> np.ndarray:
    """DN → reflectance as the engine computes it (float32 DN · scale + offset), ``(bands, pixels)``."""
    rho = dn.reshape(dn.shape[0], -1).astype(np.float32)
    rho *= np.float32(scale)
    rho += np.float32(offset)
    return rho


def expected(dn, sensor="S2", angles=(40.0, 6.0, 60.0), scale=0.0001, offset=0.0, invalid=None, landcover=None,
             products=ALL, uncertainty=False, network_set=None, angle_cosines=None, algorithm="SL2P"):
    """What the outputs must hold, from the core evaluator on the same reflectances: (result, estimated pixels).
    ``invalid``: pixels without an estimate (no data, clouds, land-cover water)."""
    network_set = network_set or networks(sensor, algorithm)
    invalid = np.zeros(H * W, dtype=bool) if invalid is None else invalid.reshape(-1)
    evaluator = Sl2pEvaluator(network_set, products, uncertainty)
    lc = None if landcover is None else landcover.reshape(-1).astype(np.int64)
    result = evaluator.evaluate(engine_reflectance(dn, scale, offset), angle_cosines or cosines(*angles), ~invalid, lc)
    return result, ~invalid


def expected_qc(code: int, result, valid, products=ALL, leaf=True, flagged=None) -> np.ndarray:
    """``valid``: estimated pixels; ``flagged``: estimated pixels that carry bit 2 (bits 0 and 1 then stay clear)."""
    out_of_range = result.out_of_range.copy()
    if leaf:
        for key in products:
            out_of_range |= encode_leaf(result.estimates[key], PRODUCTS[key])[1]
    clean = valid if flagged is None else valid & ~flagged.reshape(-1)
    return qc.encode(code, result.out_of_domain & clean, out_of_range & clean, ~clean).reshape(H, W)


def read(path) -> np.ndarray:
    ds = gdal.Open(str(path))
    assert ds is not None, path
    return ds.GetRasterBand(1).ReadAsArray()


def tifs(folder) -> list[str]:
    """The GeoTIFFs in ``folder`` (QGIS may add .qml styles and .aux.xml statistics next to loaded outputs)."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".tif"))


def outputs(folder, products=ALL, uncertainty=False) -> dict:
    folder.mkdir(exist_ok=True)
    params = {f"OUTPUT_{key}": str(folder / f"{key.lower()}.tif") for key in (*products, "QC")}
    if uncertainty:
        params.update({f"OUTPUT_{key}_ERROR": str(folder / f"{key.lower()}_error.tif") for key in products})
    return params


def s2_params(tmp_path, dn=None, **extra) -> dict:
    source = write_raster(tmp_path / "s2_stack.tif", s2_dn() if dn is None else dn, GEOTRANSFORM, nodata=0)
    params = {"INPUT": source, "SENSOR": "S2", **ANGLES, **outputs(tmp_path / "out")}
    params.update(extra)
    return params


def assert_leaf_outputs(result, est, valid, products=ALL):
    for key in products:
        encoded, _ = encode_leaf(est.estimates[key], PRODUCTS[key])
        values = read(result[f"OUTPUT_{key}"])
        np.testing.assert_array_equal(values, encoded.reshape(H, W), err_msg=key)
        assert np.all(values[~valid.reshape(H, W)] == 255)
        assert np.all(values[valid.reshape(H, W)] != 255)


# -- values, QC, metadata, grid ----------------------------------------------------------------------------------


def test_s2_leaf_values_nodata_qc_metadata_and_grid(run_alg, tmp_path):
    dn = s2_dn()
    result = run_alg("produce_local", s2_params(tmp_path, dn))
    est, valid = expected(dn, invalid=nodata_mask())
    assert_leaf_outputs(result, est, valid)

    qc_values = read(result["OUTPUT_QC"])
    np.testing.assert_array_equal(qc_values, expected_qc(21, est, valid))
    assert S2_CODE | 4 == 172
    assert np.all(qc_values[nodata_mask()] == 172)
    green, soil, weird = qc_values[:, 0:10], qc_values[3:, 20:30], qc_values[3:, 30:37]
    assert np.all(green == S2_CODE)  # a green canopy: inside the domain and the range
    assert np.any(soil & 2) and not np.any(soil & 5)  # bare soil: LAI ≤ 0 (out of range), in the domain
    assert np.all(weird & 3 == 3) and not np.any(weird & 4)  # zig-zag: out of domain and out of range
    lai = read(result["OUTPUT_LAI"])[:, 0:10] / 20.0
    assert 2.0 < lai.mean() < 4.0  # the green canopy is dense

    src = gdal.Open(str(tmp_path / "s2_stack.tif"))
    for key in (*ALL, "QC"):
        ds = gdal.Open(result[f"OUTPUT_{key}"])
        assert (ds.RasterXSize, ds.RasterYSize, ds.RasterCount) == (W, H, 1)
        assert ds.GetGeoTransform() == src.GetGeoTransform() == GEOTRANSFORM
        assert ds.GetProjection() == src.GetProjection()
        assert ds.GetMetadata("IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
        band = ds.GetRasterBand(1)
        assert band.GetBlockSize() == [256, 256]
        assert band.DataType == gdal.GDT_Byte
        assert ds.GetMetadataItem(LEAF_OUTPUT_TAG) == key
        if key == "QC":
            assert band.GetNoDataValue() == 0
            assert band.GetScale() in (None, 1.0) and band.GetOffset() in (None, 0.0)
        else:
            assert band.GetNoDataValue() == 255
            assert band.GetScale() == pytest.approx(0.05 if key == "LAI" else 0.005, abs=1e-12)
            assert band.GetOffset() == 0.0
    assert tifs(tmp_path / "out") == sorted(f"{k.lower()}.tif" for k in (*ALL, "QC"))


def test_s2_float32_values_and_nan_nodata(run_alg, tmp_path):
    dn = s2_dn()
    result = run_alg("produce_local", s2_params(tmp_path, dn, ENCODING="FLOAT32"))
    est, valid = expected(dn, invalid=nodata_mask())
    for key in ALL:
        ds = gdal.Open(result[f"OUTPUT_{key}"])
        band = ds.GetRasterBand(1)
        assert band.DataType == gdal.GDT_Float32
        assert math.isnan(band.GetNoDataValue())
        assert band.GetScale() in (None, 1.0)
        values = band.ReadAsArray()
        assert np.all(np.isnan(values[nodata_mask()]))
        np.testing.assert_allclose(values, est.estimates[key].reshape(H, W), rtol=0, atol=1e-5, equal_nan=True)
        assert not np.isnan(values[~nodata_mask()]).any()
    # FLOAT32 clamps nothing: bit 1 comes from the valid range only.
    np.testing.assert_array_equal(read(result["OUTPUT_QC"]), expected_qc(21, est, valid, leaf=False))


def test_products_subset_writes_only_those(run_alg, tmp_path):
    dn = s2_dn()
    params = s2_params(tmp_path, dn, PRODUCTS=["FAPAR"])
    for key in ("LAI", "FCOVER", "ALBEDO"):
        del params[f"OUTPUT_{key}"]
    result = run_alg("produce_local", params)
    est, valid = expected(dn, invalid=nodata_mask(), products=("FAPAR",))
    assert_leaf_outputs(result, est, valid, ("FAPAR",))
    np.testing.assert_array_equal(read(result["OUTPUT_QC"]), expected_qc(21, est, valid, ("FAPAR",)))
    assert tifs(tmp_path / "out") == ["fapar.tif", "qc.tif"]


def test_mask_sets_the_invalid_bit(run_alg, tmp_path):
    dn = s2_dn()
    mask = np.zeros((H, W), dtype=np.uint8)
    mask[10:20, 5:25] = 3  # any non-zero value is invalid
    mask_path = write_raster(tmp_path / "mask.tif", mask, GEOTRANSFORM)
    result = run_alg("produce_local", s2_params(tmp_path, dn, MASK=mask_path))
    invalid = nodata_mask() | (mask != 0)
    est, valid = expected(dn, invalid=invalid)
    assert_leaf_outputs(result, est, valid)
    qc_values = read(result["OUTPUT_QC"])
    np.testing.assert_array_equal(qc_values, expected_qc(21, est, valid))
    assert np.all(qc_values[10:20, 5:25] == 172)
    assert np.all(read(result["OUTPUT_LAI"])[10:20, 5:25] == 255)


# -- land cover ----------------------------------------------------------------------------------------------------


def test_landcover_ensemble_water_blanked_urban_and_snow_flagged(run_alg, tmp_path):
    dn = s2_dn()
    landcover = np.full((H, W), 15, dtype=np.uint8)  # cropland
    landcover[:, 0:10] = 1  # evergreen needleleaf forest on the green canopy
    landcover[:15, 10:20] = 18  # water: no estimate
    landcover[15:20, 10:20] = 17  # urban: generic estimate, flagged
    landcover[20:25, 10:20] = 19  # snow and ice: generic estimate, flagged
    lc_path = write_raster(tmp_path / "nalcms.tif", landcover, GEOTRANSFORM)
    result = run_alg("produce_local", s2_params(tmp_path, dn, LANDCOVER=lc_path, ENCODING="FLOAT32",
                                                ALGORITHM="SL2P-CCRS"))
    invalid = nodata_mask() | (landcover == 18)
    flagged = np.isin(landcover, (17, 19))
    est, valid = expected(dn, invalid=invalid, landcover=landcover, algorithm="SL2P-CCRS")
    for key in ALL:
        values = read(result[f"OUTPUT_{key}"])
        np.testing.assert_allclose(values, est.estimates[key].reshape(H, W), rtol=0, atol=1e-5, equal_nan=True)
        assert np.all(np.isnan(values[:15, 10:20]))
        assert not np.any(np.isnan(values[15:25, 10:20]))
    qc_values = read(result["OUTPUT_QC"])
    np.testing.assert_array_equal(qc_values, expected_qc(21, est, valid, leaf=False, flagged=flagged))
    assert np.all(qc_values[:25, 10:20] == S2_CODE | 4) and not np.any(qc_values[25:, 10:20] & 4)
    assert gdal.Open(result["OUTPUT_LAI"]).GetMetadataItem("LEAF_ALGORITHM") == "SL2P-CCRS"

    # Class 1 pixels carry the evergreen needleleaf network (slot 3), which differs from the generic network.
    ccrs = networks("S2", "SL2P-CCRS")
    forest, _ = expected(dn, landcover=np.ones((H, W), np.uint8), algorithm="SL2P-CCRS")
    assert ccrs.slot_of(1) == 3 and ccrs.estimate[1][3] != ccrs.estimate[1][0]
    generic, _ = expected(dn)
    lai = read(result["OUTPUT_LAI"])[:, 0:10]
    np.testing.assert_allclose(lai, forest.estimates["LAI"].reshape(H, W)[:, 0:10], rtol=0, atol=1e-5)
    assert np.abs(lai - generic.estimates["LAI"].reshape(H, W)[:, 0:10]).max() > 0.05
    # Urban and snow pixels: the generic estimate (CCRS legend "invalid" → slot 0).
    np.testing.assert_allclose(read(result["OUTPUT_LAI"])[15:25, 10:20],
                               generic.estimates["LAI"].reshape(H, W)[15:25, 10:20], rtol=0, atol=1e-5)


def test_mask_flagged_blanks_flagged_pixels(run_alg, tmp_path):
    dn = s2_dn()
    landcover = np.full((H, W), 15, dtype=np.uint8)
    landcover[15:20, 10:20] = 17
    lc_path = write_raster(tmp_path / "nalcms.tif", landcover, GEOTRANSFORM)
    result = run_alg("produce_local", s2_params(tmp_path, dn, LANDCOVER=lc_path, MASK_FLAGGED=True))
    lai, qc_values = read(result["OUTPUT_LAI"]), read(result["OUTPUT_QC"])
    assert np.all(lai[15:20, 10:20] == 255) and np.all(qc_values[15:20, 10:20] == S2_CODE | 4)
    assert not np.any(lai[20:, 10:20] == 255)


def test_sl2p_ccrs_without_landcover_is_refused(run_alg, tmp_path):
    with pytest.raises(QgsProcessingException, match=r"SL2P-CCRS .* give LANDCOVER"):
        run_alg("produce_local", s2_params(tmp_path, ALGORITHM="SL2P-CCRS"))
    assert os.listdir(tmp_path / "out") == []


def test_unknown_landcover_codes_are_refused_with_the_nalcms_classes(run_alg, tmp_path):
    landcover = np.full((H, W), 15, dtype=np.uint8)
    landcover[3, 3] = 77
    lc_path = write_raster(tmp_path / "nalcms.tif", landcover, GEOTRANSFORM)
    with pytest.raises(QgsProcessingException, match=r"values 77 .* NALCMS classes 1–19 .*15 Cropland"):
        run_alg("produce_local", s2_params(tmp_path, LANDCOVER=lc_path, ALGORITHM="SL2P-CCRS"))
    assert tifs(tmp_path / "out") == []


def test_landcover_nodata_255_is_land_cover_no_data(run_alg, tmp_path):
    """A NALCMS copy whose nodata is 255 (classes 1–19 everywhere else) is accepted: its nodata pixels get no estimate
    (product nodata, QC = sensor code | bit 2), exactly as class 0; every other pixel is estimated with its class's
    network. It used to be refused as "values 255 that are not NALCMS classes"."""
    dn = s2_dn()
    landcover = (np.arange(H * W) % 19 + 1).astype(np.uint8).reshape(H, W)  # every class 1–19, on every spectrum
    landcover[5:10, 5:35] = 255
    lc_path = write_raster(tmp_path / "nalcms.tif", landcover, GEOTRANSFORM, nodata=255)
    result = run_alg("produce_local", s2_params(tmp_path, dn, LANDCOVER=lc_path, ALGORITHM="SL2P-CCRS"))
    classes = np.where(landcover == 255, 0, landcover)
    invalid = nodata_mask() | np.isin(classes, (0, 18))
    est, valid = expected(dn, invalid=invalid, landcover=classes, algorithm="SL2P-CCRS")
    assert_leaf_outputs(result, est, valid)
    qc_values = read(result["OUTPUT_QC"])
    np.testing.assert_array_equal(qc_values, expected_qc(21, est, valid, flagged=np.isin(classes, (17, 19))))
    assert np.all(qc_values[5:10, 5:35] == S2_CODE | 4) and np.all(read(result["OUTPUT_LAI"])[5:10, 5:35] == 255)
    estimated = ~invalid & (landcover != 255)
    assert estimated.sum() > 0.8 * H * W - 150 and np.all(read(result["OUTPUT_LAI"])[estimated] != 255)


def test_landcover_class_25_is_refused_even_with_a_nodata_value(run_alg, tmp_path):
    landcover = np.full((H, W), 15, dtype=np.uint8)
    landcover[3, 3] = 25
    landcover[4, 4] = 255  # the band's nodata: not named
    lc_path = write_raster(tmp_path / "nalcms.tif", landcover, GEOTRANSFORM, nodata=255)
    with pytest.raises(QgsProcessingException, match=r"holds values 25 that are not NALCMS classes\. It must hold "
                                                     r"NALCMS classes 1–19 \(0, or the band's nodata value, = no "
                                                     r"data\)"):
        run_alg("produce_local", s2_params(tmp_path, LANDCOVER=lc_path, ALGORITHM="SL2P-CCRS"))
    assert tifs(tmp_path / "out") == []


def test_landcover_on_another_grid_is_refused(run_alg, tmp_path):
    shifted = (GEOTRANSFORM[0] + 20.0, *GEOTRANSFORM[1:])
    lc_path = write_raster(tmp_path / "nalcms.tif", np.ones((H, W), dtype=np.uint8), shifted)
    with pytest.raises(QgsProcessingException, match=r"LANDCOVER .* is not on the grid of the input"):
        run_alg("produce_local", s2_params(tmp_path, LANDCOVER=lc_path))
    assert os.listdir(tmp_path / "out") == []
    smaller = write_raster(tmp_path / "nalcms_small.tif", np.ones((H, W - 1), dtype=np.uint8), GEOTRANSFORM)
    with pytest.raises(QgsProcessingException, match=r"LANDCOVER .* is not on the grid of the input"):
        run_alg("produce_local", s2_params(tmp_path, LANDCOVER=smaller))
    assert os.listdir(tmp_path / "out") == []


# -- uncertainty, angle rasters ----------------------------------------------------------------------------------


def test_uncertainty_writes_the_error_network_values(run_alg, tmp_path):
    dn = s2_dn()
    params = s2_params(tmp_path, dn)
    params.update(outputs(tmp_path / "out", uncertainty=True))
    result = run_alg("produce_local", {**params, "UNCERTAINTY": True})
    est, valid = expected(dn, invalid=nodata_mask(), uncertainty=True)
    assert_leaf_outputs(result, est, valid)
    for key in ALL:
        encoded, _ = encode_leaf(est.errors[key], PRODUCTS[key])
        values = read(result[f"OUTPUT_{key}_ERROR"])
        np.testing.assert_array_equal(values, encoded.reshape(H, W), err_msg=key)
        assert np.all(values[nodata_mask()] == 255)
        assert gdal.Open(result[f"OUTPUT_{key}_ERROR"]).GetMetadataItem("LEAF_LAYER") == "uncertainty"
    assert not np.array_equal(read(result["OUTPUT_LAI_ERROR"]), read(result["OUTPUT_LAI"]))
    np.testing.assert_array_equal(read(result["OUTPUT_QC"]), expected_qc(21, est, valid))


def test_angle_raster_of_constants_matches_constant_angles(run_alg, tmp_path):
    dn = s2_dn()
    constant = run_alg("produce_local", s2_params(tmp_path, dn, ENCODING="FLOAT32"))
    const_values = {key: read(constant[f"OUTPUT_{key}"]) for key in (*ALL, "QC")}
    degrees = np.stack([np.full((H, W), v, dtype=np.float32) for v in (40.0, 6.0, 60.0)])
    angle_path = write_raster(tmp_path / "angles.tif", degrees, GEOTRANSFORM)
    params = s2_params(tmp_path, dn, ENCODING="FLOAT32", ANGLES=angle_path)
    for name in ANGLES:
        del params[name]
    params.update(outputs(tmp_path / "out2"))
    result = run_alg("produce_local", params)
    cos32 = tuple(np.cos(np.radians(np.full(H * W, v, dtype=np.float32))) for v in (6.0, 40.0, 60.0))
    est, valid = expected(dn, invalid=nodata_mask(), angle_cosines=cos32)
    for key in ALL:
        values = read(result[f"OUTPUT_{key}"])
        np.testing.assert_allclose(values, est.estimates[key].reshape(H, W), rtol=0, atol=1e-5, equal_nan=True)
        np.testing.assert_allclose(values, const_values[key], rtol=0, atol=1e-5, equal_nan=True)
    np.testing.assert_array_equal(read(result["OUTPUT_QC"]), expected_qc(21, est, valid, leaf=False))
    np.testing.assert_array_equal(read(result["OUTPUT_QC"]), const_values["QC"])


def test_angle_raster_nodata_pixels_are_invalid(run_alg, tmp_path):
    dn = s2_dn()
    degrees = np.stack([np.full((H, W), v, dtype=np.float32) for v in (40.0, 6.0, 60.0)])
    degrees[0, 20:25, 0:5] = -9999
    angle_path = write_raster(tmp_path / "angles.tif", degrees, GEOTRANSFORM, nodata=-9999)
    params = s2_params(tmp_path, dn, ANGLES=angle_path)
    for name in ANGLES:
        del params[name]
    result = run_alg("produce_local", params)
    assert np.all(read(result["OUTPUT_QC"])[20:25, 0:5] == 172)
    assert np.all(read(result["OUTPUT_LAI"])[20:25, 0:5] == 255)
    assert np.all(read(result["OUTPUT_QC"])[25:, 0:5] == S2_CODE)


# -- Landsat -------------------------------------------------------------------------------------------------------


def test_landsat8_default_collection2_scaling(run_alg, tmp_path):
    dn = l8_dn()
    source = write_raster(tmp_path / "l8_stack.tif", dn, GEOTRANSFORM, nodata=0, epsg=32614)
    result = run_alg("produce_local", {"INPUT": source, "SENSOR": "L8", **ANGLES, **outputs(tmp_path / "out")})
    est, valid = expected(dn, "L8", scale=0.0000275, offset=-0.2)
    assert_leaf_outputs(result, est, valid)
    qc_values = read(result["OUTPUT_QC"])
    np.testing.assert_array_equal(qc_values, expected_qc(8, est, valid))
    assert set(np.unique(qc_values >> 3)) == {8}
    assert not np.any(qc_values[:, 0:10] & 1)  # the green canopy is inside the CCRS Landsat 8 domain
    assert 2.0 < read(result["OUTPUT_LAI"])[:, 0:10].mean() / 20 < 6.0
    assert gdal.Open(result["OUTPUT_QC"]).GetProjection() == gdal.Open(source).GetProjection()


@pytest.mark.parametrize(("sensor", "code", "rows"), [
    ("L5", 5, None), ("L7", 7, None), ("L9", 9, None), ("S2_10M", 21, "s2_10m"),
])
def test_other_sensors_values_and_sensor_code(run_alg, tmp_path, sensor, code, rows):
    if rows == "s2_10m":  # B2 B3 B4 B8 from the 20 m spectra: blue ≈ green · 0.8, B8 ≈ B8A
        rho = reflectance_blocks(S2_SPECTRA)
        rho = np.stack([rho[0] * 0.8, rho[0], rho[1], rho[5]])
        dn, scale, offset = np.round(rho * 10000).astype(np.uint16), 0.0001, 0.0
    else:
        dn = l8_dn()  # OLI SR_B3–B7 and TM/ETM+ SR_B2–B5, B7: green, red, NIR, SWIR1, SWIR2
        scale, offset = 0.0000275, -0.2
    source = write_raster(tmp_path / "stack.tif", dn, GEOTRANSFORM, nodata=0)
    result = run_alg("produce_local", {"INPUT": source, "SENSOR": sensor, **ANGLES, **outputs(tmp_path / "out")})
    est, valid = expected(dn, sensor, scale=scale, offset=offset)
    assert_leaf_outputs(result, est, valid)
    qc_values = read(result["OUTPUT_QC"])
    np.testing.assert_array_equal(qc_values, expected_qc(code, est, valid))
    assert set(np.unique(qc_values >> 3)) == {code}
    assert read(result["OUTPUT_LAI"])[:, 0:10].mean() / 20 > 1.5  # the canopy block is green for every sensor


def test_bands_reorder_a_landsat8_stack(run_alg, tmp_path):
    dn = l8_dn()
    stack = np.concatenate([np.full((1, H, W), 7, np.uint16), dn, np.full((2, H, W), 9, np.uint16)])
    source = write_raster(tmp_path / "l8_all.tif", stack, GEOTRANSFORM)
    params = {"INPUT": source, "SENSOR": "L8", "BANDS": "2,3,4,5,6", **ANGLES, **outputs(tmp_path / "out")}
    result = run_alg("produce_local", params)
    est, valid = expected(dn, "L8", scale=0.0000275, offset=-0.2)
    assert_leaf_outputs(result, est, valid)
    np.testing.assert_array_equal(read(result["OUTPUT_QC"]), expected_qc(8, est, valid))

    # A reversed order gives other values: BANDS really selects and orders.
    reversed_stack = np.concatenate([dn[::-1], np.full((1, H, W), 1, np.uint16)])
    source = write_raster(tmp_path / "l8_reversed.tif", reversed_stack, GEOTRANSFORM)
    params.update(INPUT=source, BANDS="5, 4, 3, 2, 1", **outputs(tmp_path / "out2"))
    result = run_alg("produce_local", params)
    assert_leaf_outputs(result, est, valid)


def test_explicit_scale_and_offset(run_alg, tmp_path):
    rho = reflectance_blocks(S2_SPECTRA)
    dn = np.round((rho + 0.1) / 0.0002).astype(np.uint16)
    result = run_alg("produce_local", s2_params(tmp_path, dn, SCALE=0.0002, OFFSET=-0.1))
    est, valid = expected(dn, scale=0.0002, offset=-0.1)
    assert_leaf_outputs(result, est, valid)


def test_values_of_spaces_are_not_given(run_alg, tmp_path):
    """SCALE, OFFSET, MASK and LANDCOVER of spaces are left empty (the sensor's default scale, no mask): SCALE " " was
    read as 0 and refused ("got SCALE 0.0"), and an optional layer of " " was refused as required."""
    from leaf_qgis.algorithms.base import given

    assert [given({"X": v}, "X") for v in (" ", "\t ", "", None, " 0.1 ", 0)] == [False, False, False, False, True,
                                                                                    True]
    dn = s2_dn()
    result = run_alg("produce_local", s2_params(tmp_path, dn, SCALE=" ", OFFSET="  ", MASK=" ", LANDCOVER=" "))
    est, valid = expected(dn, invalid=nodata_mask())
    assert_leaf_outputs(result, est, valid)


# -- Sentinel-2 L2A product ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_zip", [False, True], ids=["safe", "zip"])
def test_sentinel2_safe_product(run_alg, tmp_path, as_zip):
    truth = make_safe(tmp_path / "products", as_zip=as_zip)
    result = run_alg("produce_local", {"INPUT": truth["path"], "SENSOR": "S2", **outputs(tmp_path / "out")})
    # The DN the product stores: reflectance + 1000 (baseline 05.10, BOA_ADD_OFFSET −1000), no data 0 in a corner.
    bands = ("B03", "B04", "B05", "B06", "B07", "B8A", "B11", "B12")
    dn = np.stack([np.round(truth["reflectance"][(20, b)] * 10000 + 1000).astype(np.uint16) for b in bands])
    dn[:, -3:, -3:] = 0
    invalid = np.isin(truth["scl"], SCL_REMOVED_CLASSES) | (dn == 0).any(axis=0)
    flagged = np.isin(truth["scl"], SCL_FLAGGED_CLASSES)
    # Angles: the scene-mean sun angles and B8A's mean viewing angles (RAA = 160° − 100°).
    est, valid = expected(dn, angles=(40.0, 6.0, 60.0), scale=1e-4, offset=-0.1, invalid=invalid)
    assert_leaf_outputs(result, est, valid)
    qc_values = read(result["OUTPUT_QC"])
    np.testing.assert_array_equal(qc_values, expected_qc(21, est, valid, flagged=flagged))
    for rows in (slice(2, 6), slice(10, 14), slice(20, 24)):  # cloud, water (flagged, estimated), shadow
        assert np.all(qc_values[rows, 2:8] == 172)
    assert np.all(read(result["OUTPUT_LAI"])[10:14, 2:8] != 255)  # SCL water keeps its estimate
    assert np.all(qc_values[-3:, -3:] == 172)
    assert np.all(qc_values[26:, 0:20] == S2_CODE)  # canopy, in domain and range
    # Without the BOA offset the canopy would be 0.1 brighter in every band: the offset matters.
    wrong, _ = expected(dn, scale=1e-4, offset=0.0, invalid=invalid)
    assert not np.array_equal(encode_leaf(wrong.estimates["LAI"], PRODUCTS["LAI"])[0].reshape(H, W),
                              read(result["OUTPUT_LAI"]))
    ds = gdal.Open(result["OUTPUT_LAI"])
    assert ds.GetGeoTransform() == (500_000.0, 20.0, 0.0, 5_000_000.0, 0.0, -20.0)
    assert "32614" in ds.GetProjection() or "UTM zone 14N" in ds.GetProjection()


def test_sentinel2_product_with_a_landsat_sensor_or_bad_parameter_is_refused(run_alg, tmp_path):
    truth = make_safe(tmp_path / "products")
    params = {"INPUT": truth["path"], "SENSOR": "S2", **outputs(tmp_path / "out")}
    with pytest.raises(QgsProcessingException, match=r"needs SENSOR S2 \(20 m\) or S2_10M \(10 m\), not L8"):
        run_alg("produce_local", {**params, "SENSOR": "L8"})
    # The product skips Processing's layer check of INPUT, not the checks of the other parameters.
    with pytest.raises(QgsProcessingException,
                       match=r"ENCODING\): INT16 is not a choice. Choose one of: LEAF, FLOAT32"):
        run_alg("produce_local", {**params, "ENCODING": "INT16"})
    assert os.listdir(tmp_path / "out") == []


# -- re-runs and bad inputs ----------------------------------------------------------------------------------------


def test_rerun_replaces_previous_leaf_outputs(run_alg, tmp_path):
    def lai_only(dn=None) -> dict:
        params = s2_params(tmp_path, dn, PRODUCTS=["LAI"])
        return {k: v for k, v in params.items() if k not in ("OUTPUT_FCOVER", "OUTPUT_FAPAR", "OUTPUT_ALBEDO")}

    first = run_alg("produce_local", lai_only())
    assert read(first["OUTPUT_LAI"])[0, 0] > 20  # green canopy
    dn = s2_dn()
    dn[:, :, :] = dn[:, :, 20:21]  # bare soil everywhere
    dn[2, NODATA_ROWS, NODATA_COLS] = 0
    second = run_alg("produce_local", lai_only(dn))
    assert second["OUTPUT_LAI"] == first["OUTPUT_LAI"]
    est, valid = expected(dn, invalid=nodata_mask(), products=("LAI",))
    assert_leaf_outputs(second, est, valid, ("LAI",))
    assert tifs(tmp_path / "out") == ["lai.tif", "qc.tif"]  # no partial file left


def _no_angles(params: dict) -> dict:
    return {k: v for k, v in params.items() if k not in ANGLES}


BAD_CASES = {
    "band_count": (dict(dn=s2_dn()[:7]), r"input has 7 bands but S2 needs 8"),
    "bands_out_of_range": (dict(BANDS="1,2,3,4,5,6,7,9"), r"BANDS 9 do not exist: the input has bands 1–8"),
    "bands_zero": (dict(BANDS="0,1,2,3,4,5,6,7"), r"BANDS 0 do not exist"),
    "bands_count": (dict(BANDS="1,2,3"), r"BANDS lists 3 bands but S2 needs 8"),
    "bands_text": (dict(BANDS="B3,B4"), r"not a comma-separated list of band numbers"),
    "sun_zenith_missing": (dict(SUN_ZENITH=None), r"SUN_ZENITH is missing"),
    "sun_zenith_95": (dict(SUN_ZENITH=95.0), r"SUN_ZENITH"),
    "view_zenith_negative": (dict(VIEW_ZENITH=-5.0), r"VIEW_ZENITH"),
    "azimuth_400": (dict(RELATIVE_AZIMUTH=400.0), r"RELATIVE_AZIMUTH"),
    "sensor_unknown": (dict(SENSOR="S3"), r"S3|SENSOR"),
    "scale_zero": (dict(SCALE=0.0), r"SCALE must be a positive number .* got SCALE 0"),
    "scale_negative": (dict(SCALE=-0.0001), r"SCALE must be a positive number .* got SCALE -0.0001"),
    "bands_repeated": (dict(BANDS="1,1,1,1,1,1,1,1"), r"BANDS lists band 1 more than once.*Give 8 different"),
    "bands_one_repeat": (dict(BANDS="1,2,3,4,5,6,7,7"), r"BANDS lists band 7 more than once"),
    "reflectance_0_1_with_dn_scale": (dict(dn=reflectance_blocks(S2_SPECTRA).astype(np.float32)),
                                      r"reflectance already in 0–1 .* SCALE 0.0001: .*SCALE 1 "
                                      r"and OFFSET 0"),
    "dn_with_scale_1": (dict(SCALE=1.0, OFFSET=0.0), r"median reflectance of INPUT is \d+.*holds DN"),
    "algorithm_unknown": (dict(ALGORITHM="SNAP"), r"ALGORITHM"),
    "range_bands_text": (dict(RANGE_BANDS="B2:9"), r"RANGE_BANDS 'B2:9' is not a comma-separated list of NAME=band"),
    "range_bands_twice": (dict(RANGE_BANDS="B2=7,b2=8"), r"each name once"),
    "range_bands_network_band": (dict(RANGE_BANDS="B8A=8"), r"RANGE_BANDS names B8A, but the other bands S2 tests"),
    "range_bands_missing_band": (dict(BANDS="1,2,3,4,5,6,7,8", RANGE_BANDS="B2=9"),
                                 r"RANGE_BANDS 9 do not exist: the input has bands 1–8"),
    "range_bands_without_bands": (dict(RANGE_BANDS="B2=9"), r"The input has 8 bands: without BANDS it must hold the "
                                                            r"8 network bands of S2 .* RANGE_BANDS names \(B2\)"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_parameters_are_refused_and_nothing_is_written(run_alg, tmp_path, case):
    changes, message = BAD_CASES[case]
    changes = dict(changes)
    params = s2_params(tmp_path, changes.pop("dn", None))
    for key, value in changes.items():
        if value is None:
            del params[key]
        else:
            params[key] = value
    with pytest.raises(QgsProcessingException, match=message):
        run_alg("produce_local", params)
    assert os.listdir(tmp_path / "out") == []


def test_a_raster_without_crs_is_refused(run_alg, tmp_path):
    path = str(tmp_path / "no_crs.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, W, H, 8, gdal.GDT_UInt16)
    for i, plane in enumerate(s2_dn(), 1):
        ds.GetRasterBand(i).WriteArray(plane)
    ds = None
    params = s2_params(tmp_path)
    params["INPUT"] = path
    with pytest.raises(QgsProcessingException, match=r"no coordinate reference system.*Assign Projection"):
        run_alg("produce_local", params)
    assert os.listdir(tmp_path / "out") == []


def test_non_finite_and_out_of_range_reflectance_are_flagged_never_valid(run_alg, tmp_path):
    rho = reflectance_blocks(S2_SPECTRA).astype(np.float32)
    rho[:, 0, 0] = np.inf  # no estimate, bit 2
    rho[0, 0, 1] = -0.5  # out of range: estimate kept, bit 2, no bit 0
    rho[6, 0, 2] = 1.3
    result = run_alg("produce_local", s2_params(tmp_path, rho, SCALE=1.0, OFFSET=0.0))
    qc_values, lai = read(result["OUTPUT_QC"]), read(result["OUTPUT_LAI"])
    assert qc_values[0, 0] == S2_CODE | 4 and lai[0, 0] == 255
    assert list(qc_values[0, 1:3]) == [S2_CODE | 4] * 2 and np.all(lai[0, 1:3] != 255)
    assert np.all(qc_values[1:, 0:10] == S2_CODE)


def test_range_bands_name_the_stacks_other_bands_for_the_reflectance_range_test(run_alg, tmp_path):
    """A 10-band stack: the 8 network bands, then B2 and B8 named in RANGE_BANDS (names in any case). A pixel whose
    B2 alone is 1.2 keeps its estimate and gets QC bit 2; without RANGE_BANDS (BANDS only) it is a valid pixel."""
    dn = s2_dn()
    extra = np.stack([np.full((H, W), 300, np.uint16), np.full((H, W), 3700, np.uint16)])
    extra[0, 12, 3] = 12000  # B2 = 1.2
    extra[1, 14, 13] = 11000  # B8 = 1.1
    stack = np.concatenate([dn, extra])
    params = s2_params(tmp_path, stack, BANDS="1,2,3,4,5,6,7,8", RANGE_BANDS="b2=9, B8=10", PRODUCTS=["LAI"],
                       OUTPUT_LAI=str(tmp_path / "out" / "lai.tif"))
    tested = run_alg("produce_local", params)
    qc_values, lai = read(tested["OUTPUT_QC"]), read(tested["OUTPUT_LAI"])
    for pixel in ((12, 3), (14, 13)):
        assert qc_values[pixel] == S2_CODE | 4 and lai[pixel] != 255, pixel
    params["RANGE_BANDS"] = ""
    (tmp_path / "plain").mkdir()
    params.update(OUTPUT_LAI=str(tmp_path / "plain" / "lai.tif"), OUTPUT_QC=str(tmp_path / "plain" / "qc.tif"))
    plain = run_alg("produce_local", params)
    assert read(plain["OUTPUT_QC"])[12, 3] == S2_CODE == read(plain["OUTPUT_QC"])[14, 13]
    np.testing.assert_array_equal(read(plain["OUTPUT_LAI"]), lai)  # the estimates do not change


def test_range_bands_syntax_is_refused_by_the_dialog_check_and_the_log_says_how_to_name_them(leaf_provider, run_alg,
                                                                                               tmp_path):
    """RANGE_BANDS' syntax is checked with the other parameters (the dialog refuses it before the run starts, as it
    does a bad number); a plain stack without RANGE_BANDS logs which bands go untested and how to name them."""
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback

    alg = QgsApplication.processingRegistry().createAlgorithmById("leaf:produce_local")
    context = QgsProcessingContext()
    assert alg.checkParameterValues(s2_params(tmp_path, RANGE_BANDS="B2:9"), context) == (
        False, "RANGE_BANDS 'B2:9' is not a comma-separated list of NAME=band number pairs, each name once (e.g. "
               "Sentinel-2 20 m: B2=9,B8=10).")
    assert alg.checkParameterValues(s2_params(tmp_path, RANGE_BANDS="b2=9, B8=10"), context) == (True, "")
    assert "e.g. Sentinel-2 20 m: B2=9,B8=10" in alg.parameterDefinition("RANGE_BANDS").description()

    lines: list[str] = []

    class Log(QgsProcessingFeedback):
        def pushInfo(self, info: str) -> None:
            lines.append(info)

    run_alg("produce_local", s2_params(tmp_path, PRODUCTS=["LAI"]), feedback=Log())
    untested = [line for line in lines if line.startswith("Reflectance range test")]
    assert untested == ["Reflectance range test (QC bit 2): the input does not provide B2, B8, so only its other bands "
                        "are tested (CCRS production also tests B2, B8). If your raster holds them, name them in "
                        "RANGE_BANDS (NAME=band number)."]


def test_no_angles_at_all_is_refused(run_alg, tmp_path):
    with pytest.raises(QgsProcessingException, match=r"angle SUN_ZENITH is missing.*angle raster"):
        run_alg("produce_local", _no_angles(s2_params(tmp_path)))
    assert os.listdir(tmp_path / "out") == []


def test_angle_raster_outside_valid_degrees_is_refused(run_alg, tmp_path):
    degrees = np.stack([np.full((H, W), v, dtype=np.float32) for v in (40.0, 95.0, 60.0)])
    angle_path = write_raster(tmp_path / "angles.tif", degrees, GEOTRANSFORM)
    with pytest.raises(QgsProcessingException, match=r"Band 2 \(VZA\) .* outside 0–90°"):
        run_alg("produce_local", {**_no_angles(s2_params(tmp_path)), "ANGLES": angle_path})
    radians = np.stack([np.full((H, W), v, dtype=np.float32) for v in (0.7, 0.1, 7.0)])
    two_bands = write_raster(tmp_path / "angles2.tif", radians[:2], GEOTRANSFORM)
    with pytest.raises(QgsProcessingException, match=r"has 2 bands; it needs 3"):
        run_alg("produce_local", {**_no_angles(s2_params(tmp_path)), "ANGLES": two_bands})
    assert os.listdir(tmp_path / "out") == []


def test_input_that_is_not_a_raster_or_empty_is_refused(run_alg, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a raster\n")
    with pytest.raises(QgsProcessingException):
        run_alg("produce_local", {**s2_params(tmp_path), "INPUT": str(text)})
    empty = tmp_path / "empty.vrt"  # a valid VRT with no band: GDAL opens it, it holds no pixel
    empty.write_text('<VRTDataset rasterXSize="40" rasterYSize="30"></VRTDataset>')
    with pytest.raises(QgsProcessingException):
        run_alg("produce_local", {**s2_params(tmp_path), "INPUT": str(empty)})
    assert os.listdir(tmp_path / "out") == []


def test_existing_output_that_is_not_a_leaf_output_is_kept(run_alg, tmp_path):
    params = s2_params(tmp_path)
    mine = write_raster(tmp_path / "out" / "lai.tif", np.full((3, 4), 42, np.uint8))
    before = open(mine, "rb").read()
    with pytest.raises(QgsProcessingException, match=r"already exists and is not a LEAF output, so it is kept"):
        run_alg("produce_local", params)
    assert open(mine, "rb").read() == before
    assert os.listdir(tmp_path / "out") == ["lai.tif"]


def test_output_onto_an_input_is_refused(run_alg, tmp_path):
    params = s2_params(tmp_path)
    before = open(params["INPUT"], "rb").read()
    with pytest.raises(QgsProcessingException, match=r"is one of the inputs"):
        run_alg("produce_local", {**params, "OUTPUT_LAI": params["INPUT"]})
    assert open(params["INPUT"], "rb").read() == before
    assert os.listdir(tmp_path / "out") == []


def test_output_under_a_regular_file_is_refused(run_alg, tmp_path):
    blocker = tmp_path / "some_file.txt"
    blocker.write_text("x")
    params = s2_params(tmp_path)
    with pytest.raises(QgsProcessingException, match=r"read-only or not a folder"):
        run_alg("produce_local", {**params, "OUTPUT_QC": str(blocker / "qc.tif")})
    assert blocker.read_text() == "x"
    assert os.listdir(tmp_path / "out") == []


def test_output_in_a_read_only_folder_is_refused(run_alg, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running with privileges that ignore folder permissions")
        params = s2_params(tmp_path)
        with pytest.raises(QgsProcessingException, match=r"read-only or not a folder"):
            run_alg("produce_local", {**params, "OUTPUT_LAI": str(locked / "lai.tif")})
        assert os.listdir(locked) == []
        assert os.listdir(tmp_path / "out") == []
    finally:
        locked.chmod(0o700)


def run_unchecked(params: dict):
    """Run the algorithm without Processing's parameter checks (as a script calling ``alg.run`` may): the
    algorithm's own checks must still refuse bad values."""
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback

    alg = QgsApplication.processingRegistry().createAlgorithmById("leaf:produce_local")
    return alg.run(params, QgsProcessingContext(), QgsProcessingFeedback(), {}, False)


@pytest.mark.parametrize(("change", "message"), [
    ({"SUN_ZENITH": 95.0}, r"SUN_ZENITH = 95° is outside 0–90°"),
    ({"VIEW_ZENITH": -1.0}, r"VIEW_ZENITH = -1° is outside 0–90°"),
    ({"RELATIVE_AZIMUTH": 400.0}, r"RELATIVE_AZIMUTH = 400° is outside 0–360°"),
    ({"SENSOR": "S3"}, r"Unknown sensor 'S3'. Choose one of: S2, S2_10M, L5, L7, L8, L9"),
    ({"INPUT": "empty"}, r"INPUT: '.*empty.vrt' is not a raster QGIS can open"),
], ids=["sun_zenith", "view_zenith", "azimuth", "sensor", "empty_raster"])
def test_algorithm_checks_without_processing_checks(leaf_provider, tmp_path, change, message):
    params = s2_params(tmp_path)
    if change.get("INPUT") == "empty":
        empty = tmp_path / "empty.vrt"  # GDAL opens it; no band, so QGIS has no layer
        empty.write_text('<VRTDataset rasterXSize="40" rasterYSize="30"></VRTDataset>')
        change = {"INPUT": str(empty)}
    with pytest.raises(QgsProcessingException, match=message):
        run_unchecked({**params, **change})
    assert os.listdir(tmp_path / "out") == []


def test_cancel_fails_the_run_and_writes_nothing(run_alg, tmp_path):
    from qgis.core import QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException, match=r"^Cancelled: nothing was written\.$"):
        run_alg("produce_local", s2_params(tmp_path), feedback=feedback)
    assert not (tmp_path / "out").exists() or tifs(tmp_path / "out") == []


def test_ccc_and_cwc_on_request_in_the_leaf_encoding(run_alg, tmp_path):
    """The opt-in products: uint8 with the table's scale (CCC × 0.4: 2.5 µg/cm² per DN; CWC × 400), their own QC
    bit 1 (valid range or clamped), named files with their metadata, and nothing else written."""
    dn = s2_dn()
    params = s2_params(tmp_path, dn, PRODUCTS=["CCC", "CWC"], UNCERTAINTY=True)
    for key in ALL:
        del params[f"OUTPUT_{key}"]
    params.update({f"OUTPUT_{k}": str(tmp_path / "out" / f"{k.lower()}.tif") for k in ("CCC", "CWC", "CCC_ERROR",
                                                                                          "CWC_ERROR")})
    result = run_alg("produce_local", params)
    est, valid = expected(dn, invalid=nodata_mask(), products=("CCC", "CWC"), uncertainty=True)
    assert_leaf_outputs(result, est, valid, products=("CCC", "CWC"))
    assert tifs(tmp_path / "out") == ["ccc.tif", "ccc_error.tif", "cwc.tif", "cwc_error.tif", "qc.tif"]
    np.testing.assert_array_equal(read(result["OUTPUT_QC"]), expected_qc(21, est, valid, ("CCC", "CWC")))
    for key, step in (("CCC", 2.5), ("CWC", 0.0025)):
        ds = gdal.Open(result[f"OUTPUT_{key}"])
        band = ds.GetRasterBand(1)
        assert (band.DataType, band.GetNoDataValue(), band.GetScale(), band.GetOffset()) == (gdal.GDT_Byte, 255,
                                                                                             step, 0.0)
        assert ds.GetMetadataItem("LEAF_PRODUCT") == key
        green = read(result[f"OUTPUT_{key}"])[5:, :10] * step  # the green canopy block: physical values
        assert green.min() > 0
    canopy = est.estimates["CCC"].reshape(H, W)[5:, :10]
    assert 20 < float(np.median(canopy)) < 600  # a green canopy's chlorophyll, µg/cm² of ground
