"""The CCRS tile grid math (core, no QGIS)."""

from __future__ import annotations

import pytest

from leaf_qgis.core import tile_grid
from leaf_qgis.core.errors import LeafError

EXPECTED_TILES = (
    "tile13 tile14 tile21 tile22 tile23 tile24 tile25 tile31 tile32 tile33 tile34 tile35 tile36 "
    "tile41 tile42 tile43 tile44 tile45 tile46 tile47 tile52 tile53 tile54 tile55 tile56 tile57 tile65"
).split()


def test_the_27_tiles_in_order():
    assert tile_grid.tile_names() == EXPECTED_TILES


@pytest.mark.parametrize("name", EXPECTED_TILES)
def test_every_tile_is_the_exact_square_of_its_row_and_column(name):
    row, col = int(name[4]), int(name[5])
    xmin, ymin, xmax, ymax = tile_grid.parse_tile(name).bounds
    assert xmin == -2_600_000 + (col - 1) * 900_000
    assert xmax == xmin + 900_000
    assert ymin == 3_914_925 - row * 900_000
    assert ymax == ymin + 900_000


def test_reference_table_rows():
    # Values of the reference tool's table (km), independent of the formula above.
    assert tile_grid.parse_tile("tile13").bounds == (-800_000, 3_014_925, 100_000, 3_914_925)
    assert tile_grid.parse_tile("tile47").bounds == (2_800_000, 314_925, 3_700_000, 1_214_925)
    assert tile_grid.parse_tile("tile65").bounds == (1_000_000, -1_485_075, 1_900_000, -585_075)


def test_sub_tile_naming_counts_rows_from_north_and_columns_from_west():
    parent = tile_grid.parse_tile("tile55").bounds
    nw = tile_grid.parse_tile("tile55_411").bounds
    se = tile_grid.parse_tile("tile55_422").bounds
    assert nw == (parent[0], parent[3] - 450_000, parent[0] + 450_000, parent[3])
    assert se == (parent[0] + 450_000, parent[1], parent[2], parent[1] + 450_000)
    ninth = tile_grid.parse_tile("tile55_923").bounds
    assert ninth == (parent[0] + 600_000, parent[3] - 600_000, parent[2], parent[3] - 300_000)
    assert tile_grid.parse_tile("tile55_923").name == "tile55_923"


def test_level_counts_and_sub_tiles_tile_their_parent_exactly():
    assert len(tile_grid.tiles("quarter")) == 27 * 4
    assert len(tile_grid.tiles("ninth")) == 27 * 9
    for level in ("quarter", "ninth"):
        area = sum((b[2] - b[0]) * (b[3] - b[1]) for b in (t.bounds for t in tile_grid.tiles(level)))
        assert area == pytest.approx(27 * 900_000.0**2)


@pytest.mark.parametrize(
    "name, words",
    [
        ("tile58", ["no tile tile58", "tile57", "tile65"]),
        ("tile55_43", ["not a CCRS tile name", "tileRC_4ij"]),
        ("Tile55", ["lower case", "'tile55'"]),
        ("tile55_933x", ["not a CCRS tile name"]),
        ("tile55_513", ["must start with 4", "tile55_411"]),
        ("tile55_431", ["from 1 to 2", "tile55_422"]),
        ("", ["not a CCRS tile name"]),
    ],
)
def test_name_validation_says_what_is_wrong_and_what_is_valid(name, words):
    with pytest.raises(LeafError) as caught:
        tile_grid.parse_tile(name)
    for word in words:
        assert word in str(caught.value)


def test_tile_list_parsing_keeps_order_and_drops_duplicates():
    tiles = tile_grid.parse_tile_list(" tile55, tile14;tile55 tile55_411 ")
    assert [t.name for t in tiles] == ["tile55", "tile14", "tile55_411"]


def test_lookup_by_point():
    assert tile_grid.tile_at(1_500_000, 0).name == "tile55"
    assert tile_grid.tile_at(1_000_000, 314_925).name == "tile55"  # NW corner belongs to the tile
    assert tile_grid.tile_at(1_000_000, 314_925.1).name == "tile45"
    assert tile_grid.tile_at(1_899_999, -585_074, "quarter").name == "tile55_422"
    assert tile_grid.tile_at(1_300_001, 14_924, "ninth").name == "tile55_922"
    assert tile_grid.tile_at(-2_600_001, 0) is None
    assert tile_grid.tile_at(-2_000_000, -100_000) is None  # tile51 does not exist


def test_lookup_by_extent_ignores_touching_edges():
    names = [t.name for t in tile_grid.tiles_intersecting((1_000_000, -585_075, 1_900_000, 314_925))]
    assert names == ["tile55"]
    names = [t.name for t in tile_grid.tiles_intersecting((1_800_000, 200_000, 2_000_000, 400_000))]
    assert names == ["tile45", "tile46", "tile55", "tile56"]
