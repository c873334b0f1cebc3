"""``leaf:tile_grid`` through Processing: features, exact geometry, CRS handling and errors."""

from __future__ import annotations

import pytest
from qgis.core import QgsProcessingException, QgsRectangle, QgsVectorLayer


def features(result):
    layer = result["OUTPUT"]
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, "grid", "ogr")
    return layer, {f["name"]: f for f in layer.getFeatures()}


def test_all_tiles_are_exact_squares_in_epsg_3979(run_alg, tmp_path):
    out = str(tmp_path / "grid.gpkg")
    layer, feats = features(run_alg("tile_grid", {"LEVEL": "tile", "OUTPUT": out}))
    assert layer.crs().authid() == "EPSG:3979"
    assert len(feats) == 27
    assert [f.name() for f in layer.fields()] == ["fid", "name", "row", "col", "level"]
    tile55 = feats["tile55"]
    assert (tile55["row"], tile55["col"], tile55["level"]) == (5, 5, "tile")
    box = tile55.geometry().boundingBox()
    assert (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()) == (
        1_000_000, -585_075, 1_900_000, 314_925)
    assert tile55.geometry().area() == 900_000.0**2
    assert len(tile55.geometry().asPolygon()[0]) == 5


def test_quarters_of_named_tiles(run_alg):
    _, feats = features(run_alg("tile_grid", {"LEVEL": "quarter", "TILES": "tile55, tile13",
                                              "OUTPUT": "memory:"}))
    assert sorted(feats) == sorted([f"tile{t}_4{i}{j}" for t in (55, 13) for i in (1, 2) for j in (1, 2)])
    assert feats["tile55_412"]["level"] == "quarter"


def test_extent_in_geographic_crs_selects_the_tiles_it_crosses(run_alg):
    # Ottawa-Montreal area (lon/lat): lies in tile55 only.
    extent = "-76.0,-73.5,45.0,46.0 [EPSG:4326]"
    _, feats = features(run_alg("tile_grid", {"LEVEL": "tile", "EXTENT": extent, "OUTPUT": "memory:"}))
    assert sorted(feats) == ["tile55"]
    _, feats = features(run_alg("tile_grid", {"LEVEL": "ninth", "EXTENT": extent, "OUTPUT": "memory:"}))
    assert set(feats) <= {f"tile55_9{i}{j}" for i in (1, 2, 3) for j in (1, 2, 3)}
    assert len(feats) >= 1


def test_extent_as_rectangle_in_grid_crs(run_alg):
    rect = QgsRectangle(1_800_000, 200_000, 2_000_000, 400_000)
    extent = f"{rect.xMinimum()},{rect.xMaximum()},{rect.yMinimum()},{rect.yMaximum()} [EPSG:3979]"
    _, feats = features(run_alg("tile_grid", {"EXTENT": extent, "OUTPUT": "memory:"}))
    assert sorted(feats) == ["tile45", "tile46", "tile55", "tile56"]


@pytest.mark.parametrize(
    "params, words",
    [
        ({"TILES": "tile58"}, ["tile58", "tile57"]),
        ({"TILES": "Tile55"}, ["lower case"]),
        ({"EXTENT": "10,20,10,20 [EPSG:4326]"}, ["does not reach the CCRS grid", "EPSG:3979"]),
        ({"TILES": "tile13", "EXTENT": "-76.0,-73.5,45.0,46.0 [EPSG:4326]"}, ["No tile tile is left", "tile13"]),
    ],
)
def test_bad_input_names_the_problem_and_the_choices(run_alg, params, words):
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("tile_grid", {"LEVEL": "tile", "OUTPUT": "memory:", **params})
    for word in words:
        assert word in str(caught.value)


def test_a_cancelled_run_fails_and_writes_no_grid(run_alg, tmp_path, cancelling):
    """Cancelled after 5 of the 27 tiles: no layer file with part of the grid (it used to be written, and the log
    said all 27 were)."""
    feedback = cancelling(5)
    with pytest.raises(QgsProcessingException, match=r"^Cancelled: nothing was written\.$"):
        run_alg("tile_grid", {"LEVEL": "tile", "OUTPUT": str(tmp_path / "grid.gpkg")}, feedback=feedback)
    assert feedback.asked == 6
    assert list(tmp_path.iterdir()) == []
