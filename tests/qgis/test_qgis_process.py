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
