"""The deployed plugin through the ``qgis_process.bin`` command line, as users script it."""

from __future__ import annotations

import pytest
from osgeo import ogr

pytestmark = pytest.mark.slow


def test_provider_and_algorithm_are_listed(qgis_process):
    listing = qgis_process("list")
    assert listing.returncode == 0, listing.stderr
    assert "leaf:tile_grid" in listing.stdout


def test_tile_grid_writes_27_exact_squares(qgis_process):
    out = qgis_process.workdir / "grid.gpkg"
    done = qgis_process("run", "leaf:tile_grid", "--", "LEVEL=tile", f"OUTPUT={out}")
    assert done.returncode == 0, done.stdout + done.stderr
    source = ogr.Open(str(out))
    layer = source.GetLayer(0)
    assert layer.GetSpatialRef().GetAuthorityCode(None) == "3979"
    squares = {}
    for feature in layer:
        env = feature.GetGeometryRef().GetEnvelope()  # (xmin, xmax, ymin, ymax)
        squares[feature.GetField("name")] = env
        assert feature.GetGeometryRef().GetArea() == 900_000.0**2
    assert len(squares) == 27
    assert squares["tile55"] == (1_000_000, 1_900_000, -585_075, 314_925)
    assert squares["tile13"] == (-800_000, 100_000, 3_014_925, 3_914_925)


def test_bad_tile_name_fails_with_the_valid_choices(qgis_process):
    done = qgis_process("run", "leaf:tile_grid", "--", "TILES=tile58",
                        f"OUTPUT={qgis_process.workdir / 'bad.gpkg'}")
    assert done.returncode != 0
    assert "tile58" in done.stdout + done.stderr
    assert "tile57" in done.stdout + done.stderr
    assert not (qgis_process.workdir / "bad.gpkg").exists()
    # Printed once: QGIS 3.22 would also echo it twice through the message log (see algorithms/base.py).
    assert (done.stdout + done.stderr).count("There is no tile tile58") == 1


def test_enum_number_and_parameter_rule_on_the_command_line(qgis_process):
    """``qgis_process help`` says "Number of selected option": LEVEL=1 is the second level; a bad number says why."""
    out = qgis_process.workdir / "quarters.gpkg"
    done = qgis_process("run", "leaf:tile_grid", "--", "LEVEL=1", "TILES=tile55", f"OUTPUT={out}")
    assert done.returncode == 0, done.stdout + done.stderr
    done = qgis_process("run", "leaf:tile_grid", "--", "LEVEL=7", f"OUTPUT={out}")
    assert done.returncode != 0
    assert "(LEVEL): 7 is not a choice. Choose one of: tile, quarter, ninth" in done.stderr
    assert "Incorrect parameter value" not in done.stderr


def test_produce_local_on_the_sample_scene(qgis_process):
    """The demo's job: SL2P on the synthetic scene through the deployed plugin, checked against the core evaluator."""
    import numpy as np
    from osgeo import gdal

    from leaf_qgis.core import qc
    from leaf_qgis.core.encoding import encode_leaf
    from leaf_qgis.core.networks import load_network_set
    from leaf_qgis.core.products import PRODUCTS
    from leaf_qgis.core.sl2p import Sl2pEvaluator
    from leaf_qgis.engines.local import sample
    from leaf_qgis.engines.local.angles import ConstantAngles

    paths = sample.write_sample(str(qgis_process.workdir / "sample"))
    out = qgis_process.workdir / "sample_out"
    angles = sample.SAMPLE_ANGLES
    done = qgis_process(
        "run", "leaf:produce_local", "--", f"INPUT={paths['INPUT']}", "SENSOR=S2", "PRODUCTS=LAI",
        *(f"{k}={v}" for k, v in angles.items()), f"MASK={paths['MASK']}",
        f"OUTPUT_LAI={out / 'lai.tif'}", f"OUTPUT_QC={out / 'qc.tif'}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OUTPUT_LAI" in done.stdout
    lai_ds = gdal.Open(str(out / "lai.tif"))
    lai = lai_ds.ReadAsArray()
    qc_map = gdal.Open(str(out / "qc.tif")).ReadAsArray()
    assert lai_ds.GetRasterBand(1).GetScale() == pytest.approx(0.05)
    assert lai_ds.GetGeoTransform() == sample.geotransform()
    assert (out / "lai.qml").exists()

    scene = sample.scene()
    valid = ~(scene["mask"].astype(bool) | scene["nodata"])
    dn = np.clip(np.round(scene["reflectance"] * 10000), 1, 65535)
    reflectance = (dn * np.float32(1e-4)).astype(np.float32).reshape(8, -1)
    cosines = ConstantAngles(angles["SUN_ZENITH"], angles["VIEW_ZENITH"], angles["RELATIVE_AZIMUTH"]).cosines()
    expected = Sl2pEvaluator(load_network_set("S2"), ["LAI"]).evaluate(
        reflectance, cosines, valid.reshape(-1))
    expected_dn, _ = encode_leaf(expected.estimates["LAI"], PRODUCTS["LAI"])
    assert np.array_equal(lai.reshape(-1), expected_dn)
    assert set(np.unique(qc.sensor_code(qc_map))) == {21}
    assert np.array_equal(qc.invalid(qc_map).astype(bool), ~valid)
    assert (lai[~valid] == 255).all()
