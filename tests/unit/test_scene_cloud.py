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


def _comb(south: float, north: float, teeth_on: str, teeth: int = 20) -> dict:
    """A 1° × (north − south) rectangle drawn with ``teeth`` vertices along its ``teeth_on`` edge: its mean vertex
    leans towards that edge, its area centroid is the rectangle's middle."""
    if teeth_on == "south":
        ring = [*([-100.0 + i / teeth, south] for i in range(teeth + 1)), [-99.0, north], [-100.0, north]]
    else:
        ring = [[-100.0, south], [-99.0, south], *([-99.0 - i / teeth, north] for i in range(teeth + 1))]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@pytest.mark.parametrize(("south", "north", "teeth_on", "centre", "maximum"), [
    (53.9, 56.3, "south", 55.1, 70.0),  # centroid north of 55° N, mean vertex (54.2) south of it
    (53.8, 56.0, "north", 54.9, 85.0),  # centroid south of 55° N, mean vertex (55.6) north of it
])
def test_regions_and_sites_straddling_55_north_get_the_same_default(south, north, teeth_on, centre, maximum):
    """One rule places a custom region of produce_gee and a site of sample_sites north or south of 55° N: the area
    centroid (:func:`scene_cloud.centroid_latitude`), not the mean vertex the site path used."""
    from leaf_qgis.core import sites
    from leaf_qgis.engines.gee import sites as gee_sites
    from leaf_qgis.engines.gee.session import offline_session

    geometry = _comb(south, north, teeth_on)
    vertices = geometry["coordinates"][0]
    assert scene_cloud.centroid_latitude(geometry) == pytest.approx(centre)
    mean_vertex = sum(v[1] for v in vertices) / len(vertices)
    assert (mean_vertex < 55.0) == (teeth_on == "south") != (centre < 55.0)  # the two rules disagree here
    region = rq.custom_region("straddle", geometry)
    request = rq.make_request([region], "S2", [Period.month(2021, 7)], ["LAI"], 20)
    assert region.centroid_latitude == pytest.approx(centre)
    assert request.scene_cloud_filter(region) == scene_cloud.SceneCloudFilter("CLOUDY_PIXEL_PERCENTAGE", maximum,
                                                                              False)
    site_request = sites.make_request([sites.FeatureInput(1, "straddle", geometry, None, None)], "S2",
                                      period=Period.month(2021, 7))
    (site,) = site_request.sites
    assert gee_sites._scene_filter(site_request, site) == ("CLOUDY_PIXEL_PERCENTAGE", maximum, False)
    with offline_session() as ee:  # the value the site's graph carries: the maximum itself, applied strictly
        text = gee_sites.site_features(ee, site_request).serialize()
    assert f'"cloud_max": {maximum!r}' in text and gee_sites.cloud_inclusive(site_request) is False


def test_centroid_latitude_of_points_lines_and_multipolygons():
    assert scene_cloud.centroid_latitude({"type": "Point", "coordinates": [-75.0, 56.5]}) == 56.5
    assert scene_cloud.centroid_latitude({"type": "MultiPoint", "coordinates": [[-75, 54], [-74, 57]]}) == 55.5
    assert scene_cloud.centroid_latitude({"type": "LineString", "coordinates": [[-75, 50], [-74, 52]]}) == 51.0
    two = {"type": "MultiPolygon", "coordinates": [  # 1 × 1 at 50.5 and 3 × 1 at 60.5: weighted by area
        [[[-80, 50], [-79, 50], [-79, 51], [-80, 51], [-80, 50]]],
        [[[-80, 60], [-77, 60], [-77, 61], [-80, 61], [-80, 60]]]]}
    assert scene_cloud.centroid_latitude(two) == pytest.approx((50.5 + 3 * 60.5) / 4)
    assert scene_cloud.centroid_latitude({"type": "Polygon", "coordinates": []}) == 0.0
