"""Direct download geometry: pieces below the request limit that tile the grid, grids on the CCRS lattice."""

from __future__ import annotations

import pytest

from leaf_qgis.core import tile_grid
from leaf_qgis.core.errors import LeafError
from leaf_qgis.engines.gee import direct


@pytest.mark.parametrize(("width", "height", "bpp", "limit"), [(1000, 700, 1, 256 * 256), (45000, 45000, 1, 48 << 20),
                                                               (10, 3, 2, 16), (513, 257, 2, 512 * 512 * 2)])
def test_pieces_cover_the_grid_once_below_the_limit(width, height, bpp, limit):
    parts = direct.pieces(width, height, bpp, limit)
    assert sum(p.xsize * p.ysize for p in parts) == width * height
    assert all(p.xsize * p.ysize * bpp <= limit and max(p.xsize, p.ysize) <= direct.MAX_SIDE for p in parts)
    covered = {(x, y) for p in parts for x in range(p.xoff, p.xoff + p.xsize, max(p.xsize, 1))
               for y in range(p.yoff, p.yoff + p.ysize, max(p.ysize, 1))}
    assert len(covered) == len(parts)


def entry(region: dict, crs: str = "EPSG:3979", res: float = 20.0) -> dict:
    return {"crs": "EPSG:3979", "region": region, "region_crs": crs, "file_name": "x.tif",
            "crs_transform": [res, 0.0, tile_grid.ORIGIN_X, 0.0, -res, tile_grid.ORIGIN_Y]}


def test_a_tile_grid_is_the_tile():
    tile = next(t for t in tile_grid.tiles() if t.name == "tile55")
    xmin, ymin, xmax, ymax = tile.bounds
    ring = [[xmin, ymax], [xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax]]
    grid = direct.output_grid(entry({"type": "Polygon", "coordinates": [ring]}))
    assert grid.geotransform[:4] == (xmin, 20.0, 0.0, ymax)
    assert (grid.width, grid.height) == ((xmax - xmin) / 20, (ymax - ymin) / 20)
    with pytest.raises(LeafError, match="direct download"):
        direct.check_sizes({"exports": [entry({"type": "Polygon", "coordinates": [ring]})]})


def test_a_lon_lat_region_snaps_outward_to_the_lattice():
    ring = [[-75.72, 45.42], [-75.72, 45.40], [-75.70, 45.40], [-75.70, 45.42], [-75.72, 45.42]]
    grid = direct.output_grid(entry({"type": "Polygon", "coordinates": [ring]}, "EPSG:4326"))
    x0, _, _, y0, _, _ = grid.geotransform
    assert (x0 - tile_grid.ORIGIN_X) % 20 == 0 and (tile_grid.ORIGIN_Y - y0) % 20 == 0
    assert 60 < grid.width < 150 and 90 < grid.height < 180  # ~1.6 km × 2.2 km at 20 m, plus the curved edges


def test_remove_orphans_deletes_only_this_runs_temporary_maps(tmp_path):
    """Leftovers of the named maps go (with their QGIS sidecars); another map's, another extension's and the user's
    own files stay."""
    from leaf_qgis.engines.gee.direct import remove_orphans

    names = ["a.partial-1234abcd.tif", "a.partial-1234abcd.tif.aux.xml", "a.partial-1234abcd.tiff",
             "b.partial-1234abcd.tif", "a.tif", "a.partial-xyz.tif"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    assert remove_orphans(tmp_path, {"a"}) == ["a.partial-1234abcd.tif", "a.partial-1234abcd.tif.aux.xml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])
