"""The Sentinel-2 L2A reader: folder, zip and MTD file; bands per resolution; BOA offset; SCL; granule angles."""

from __future__ import annotations

import math

import numpy as np
import pytest
from osgeo import gdal

from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.sensors import SENSORS
from leaf_qgis.engines.local import sentinel2_safe as safe
from tests import local_factory as factory


@pytest.fixture(scope="module")
def products(tmp_path_factory):
    base = tmp_path_factory.mktemp("safe")
    return {
        "folder": factory.make_safe(base / "folder"),
        "zip": factory.make_safe(base / "zip", as_zip=True),
        "old": factory.make_safe(base / "old", baseline="03.01", boa_offset=None),
        "no_list": factory.make_safe(base / "no_list", baseline="04.00", boa_offset=None),
    }


def test_product_paths_are_recognised_without_parsing(products):
    folder = products["folder"]["path"]
    assert safe.is_product_path(folder)
    assert safe.is_product_path(folder + "/MTD_MSIL2A.xml")
    assert safe.is_product_path(products["zip"]["path"])
    assert safe.is_product_path(f"SENTINEL2_L2A:{folder}/MTD_MSIL2A.xml:20m:EPSG_32614")
    assert not safe.is_product_path("/data/stack.tif")
    assert safe.subdataset_resolution("SENTINEL2_L2A:/vsizip//x.zip/a.SAFE/MTD_MSIL2A.xml:10m:EPSG_32614") == 10


@pytest.mark.parametrize("kind", ["folder", "zip", "old", "no_list"])
@pytest.mark.parametrize("sensor", ["S2", "S2_10M"])
def test_stack_holds_the_network_bands_and_scaling_gives_reflectance(products, kind, sensor):
    truth = products[kind]
    inputs = safe.prepare_inputs(safe.open_product(truth["path"]), SENSORS[sensor])
    try:
        res = SENSORS[sensor].resolution_m
        stack = gdal.Open(inputs.stack)
        dn = stack.ReadAsArray().astype(np.float64)
        for i, band in enumerate(SENSORS[sensor].spectral_inputs):
            rho = dn[i] * inputs.scale[i] + inputs.offset[i]
            expected = truth["reflectance"][(res, safe.safe_band_name(band))]
            data = dn[i] != 0
            np.testing.assert_allclose(rho[data], expected[data], atol=1e-4)
        scl = gdal.Open(inputs.scl)
        assert (scl.RasterXSize, scl.RasterYSize) == (stack.RasterXSize, stack.RasterYSize)
        assert scl.GetGeoTransform() == stack.GetGeoTransform()
        step = 2 if res == 10 else 1
        np.testing.assert_array_equal(scl.ReadAsArray()[::step, ::step], truth["scl"])
    finally:
        inputs.close()


def test_boa_offset_depends_on_the_processing_baseline(products):
    assert safe.open_product(products["folder"]["path"]).boa_offset("B03") == -1000
    assert safe.open_product(products["old"]["path"]).boa_offset("B03") == 0
    assert safe.open_product(products["no_list"]["path"]).boa_offset("B03") == -1000


def test_mean_angles_are_the_granule_means_of_the_nir_band(products):
    product = safe.open_product(products["folder"]["path"])
    mean = product.angles.mean("B8A")
    assert (mean.sun_zenith, mean.view_zenith) == (40.0, 6.0)
    assert mean.relative_azimuth == pytest.approx((160.0 - 100.0) % 360)
    assert safe.prepare_inputs(product, SENSORS["S2_10M"]).angles.view_zenith == 5.5


def test_angle_grid_merges_detectors_and_interpolates_at_pixel_centres(products):
    product = safe.open_product(products["folder"]["path"])
    grid = product.angles.grid("B8A")
    cos = math.cos
    rad = math.radians
    # middle column: both detectors (5° and 7°) → mean of the cosines; the edges only one detector
    assert grid.cos_vza[1, 1] == pytest.approx((cos(rad(5)) + cos(rad(7))) / 2, abs=1e-6)
    assert grid.cos_vza[0, 0] == pytest.approx(cos(rad(5)), abs=1e-6)
    from leaf_qgis.rasters.raster_io import Window

    gt = (factory.ULX, 20.0, 0.0, factory.ULY, 0.0, -20.0)
    _, cos_sza, _ = grid.cosines(gt, Window(0, 0, 40, 30))
    # sun zenith 38° at x=0, 40° at x=400 m: pixel centre of column 10 is at x = 210 m
    assert cos_sza[0, 10] == pytest.approx(cos(rad(38)) + (cos(rad(40)) - cos(rad(38))) * 210 / 400, abs=1e-6)
    assert cos_sza.shape == (30, 40)


def test_landsat_sensor_and_wrong_subdataset_are_refused(products):
    product = safe.open_product(products["folder"]["path"])
    with pytest.raises(LeafError, match="S2 \\(20 m\\) or S2_10M"):
        safe.prepare_inputs(product, SENSORS["L8"])
    sub = safe.open_product(f"SENTINEL2_L2A:{products['folder']['path']}/MTD_MSIL2A.xml:10m:EPSG_32614")
    with pytest.raises(LeafError, match="10 m sub-dataset"):
        safe.prepare_inputs(sub, SENSORS["S2"])


def test_not_a_product_says_what_to_give(tmp_path):
    (tmp_path / "x.SAFE").mkdir()
    with pytest.raises(LeafError, match=r"MTD_MSIL2A\.xml"):
        safe.open_product(str(tmp_path / "x.SAFE"))
