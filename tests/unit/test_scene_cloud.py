"""Scene-cloud prefilter defaults (CCRS production) and the region latitude that chooses them."""

from __future__ import annotations

import pytest

from leaf_qgis.core import scene_cloud, tile_grid
from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.periods import Period
from leaf_qgis.core.sensors import SENSORS
from leaf_qgis.engines.gee import request as rq


def test_grid_to_lonlat_matches_proj():
    from osgeo import osr

    grid = osr.SpatialReference()
    grid.ImportFromEPSG(3979)
    geographic = grid.CloneGeogCS()
    for ref in (grid, geographic):
        ref.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(grid, geographic)
    for tile in tile_grid.tiles():
        xmin, ymin, xmax, ymax = tile.bounds
        for x, y in ((xmin, ymin), (xmax, ymax), ((xmin + xmax) / 2, (ymin + ymax) / 2)):
            lon, lat = tile_grid.grid_to_lonlat(x, y)
            expected = transform.TransformPoint(x, y)[:2]
            assert lon == pytest.approx(expected[0], abs=1e-9) and lat == pytest.approx(expected[1], abs=1e-9)
    assert tile_grid.grid_to_lonlat(0.0, 0.0) == pytest.approx((-95.0, 49.0), abs=1e-12)


@pytest.mark.parametrize("latitude,expected", [(45.0, 85.0), (54.99, 85.0), (55.0, 70.0), (72.0, 70.0)])
def test_sentinel2_default_follows_the_centroid_latitude(latitude, expected):
    got = scene_cloud.scene_filter(SENSORS["S2"], latitude)
    assert got == scene_cloud.SceneCloudFilter("CLOUDY_PIXEL_PERCENTAGE", expected, False)


def test_landsat_default_is_no_filter_and_explicit_values_are_inclusive():
    for key in ("L5", "L7", "L8", "L9"):
        assert scene_cloud.scene_filter(SENSORS[key], 45.0) is None
        assert scene_cloud.scene_filter(SENSORS[key], 45.0, 40.0) == scene_cloud.SceneCloudFilter(
            "CLOUD_COVER", 40.0, True)
    assert scene_cloud.scene_filter(SENSORS["S2"], 70.0, 100.0) is None
    assert scene_cloud.scene_filter(SENSORS["S2"], 70.0, 0.0).maximum == 0.0


@pytest.mark.parametrize("value,expected", [(None, None), (-1, None), ("-1", None), (0, 0.0), (42.5, 42.5),
                                            (100, 100.0)])
def test_check_max_scene_cloud(value, expected):
    assert scene_cloud.check_max_scene_cloud(value) == expected


@pytest.mark.parametrize("value", [100.5, "abc", float("nan")])
def test_bad_max_scene_cloud_is_refused(value):
    with pytest.raises(LeafError, match="between 0 and 100"):
        rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2021, 7)], ["LAI"], 20,
                        max_scene_cloud=value)


def test_region_centroid_latitudes():
    (tile,) = rq.tile_regions(["tile55"])
    xmin, ymin, xmax, ymax = tile.tile.bounds
    assert tile.centroid_latitude == pytest.approx(tile_grid.grid_to_lonlat((xmin + xmax) / 2,
                                                                             (ymin + ymax) / 2)[1])
    square = {"type": "Polygon", "coordinates": [[[-76, 54], [-74, 54], [-74, 58], [-76, 58], [-76, 54]]]}
    assert rq.custom_region("north", square).centroid_latitude == pytest.approx(56.0)
    triangle = {"type": "MultiPolygon", "coordinates": [[[[-76, 50], [-70, 50], [-76, 53], [-76, 50]]]]}
    assert rq.custom_region("tri", triangle).centroid_latitude == pytest.approx(51.0)
