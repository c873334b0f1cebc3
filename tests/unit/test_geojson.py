"""The centre of a geometry: one rule for the scene-cloud default and the lon/lat of site rows."""

from __future__ import annotations

from datetime import date

import pytest

from leaf_qgis.core import geojson, scene_cloud, sites


def _rectangle_with_a_crowded_edge() -> dict:
    """A 2° × 1° rectangle (−100…−98, 54…55) with nine extra vertices along its southern edge."""
    south = [[-100.0 + 0.2 * k, 54.0] for k in range(11)]
    return {"type": "Polygon", "coordinates": [[*south, [-98.0, 55.0], [-100.0, 55.0], [-100.0, 54.0]]]}


def test_polygon_centre_is_its_area_centroid_not_its_mean_vertex():
    rectangle = _rectangle_with_a_crowded_edge()
    lon, lat = geojson.centroid(rectangle)
    assert (lon, lat) == pytest.approx((-99.0, 54.5))
    mean_lat = sum(p[1] for p in geojson.vertices(rectangle["coordinates"])) / 14
    assert mean_lat < 54.22  # the rule it replaces leaned 0.28° south
    assert scene_cloud.centroid_latitude(rectangle) == pytest.approx(54.5)


def test_site_rows_and_scene_cloud_share_the_centre():
    """A polygon site's lon/lat (rows of both engines) and its scene-cloud latitude are the same point."""
    site = sites.Site("plot", _rectangle_with_a_crowded_edge(), date(2020, 7, 1), date(2020, 7, 31))
    assert site.centroid() == pytest.approx((-99.0, 54.5))
    assert site.centroid()[1] == pytest.approx(scene_cloud.centroid_latitude(site.geometry))


@pytest.mark.parametrize("geometry,expected", [
    ({"type": "Point", "coordinates": [-75.5, 45.25]}, (-75.5, 45.25)),
    ({"type": "LineString", "coordinates": [[-76.0, 45.0], [-75.0, 46.0]]}, (-75.5, 45.5)),
    ({"type": "MultiPolygon", "coordinates": [[[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]],
                                              [[[10, 0], [12, 0], [12, 2], [10, 2], [10, 0]]]]}, (6.0, 1.0)),
    ({"type": "Polygon", "coordinates": [[[1, 1], [1, 1], [1, 1]]]}, (1.0, 1.0)),  # nil area: mean vertex
    ({"type": "Polygon", "coordinates": []}, (0.0, 0.0)),
])
def test_centres_of_other_geometries(geometry, expected):
    assert geojson.centroid(geometry) == pytest.approx(expected)


def test_vertices_skip_short_positions_and_walk_any_nesting():
    assert list(geojson.vertices([[[1, 2], [3]], [[[4, 5, 6]]]])) == [(1.0, 2.0), (4.0, 5.0)]
    assert list(geojson.vertices([])) == [] and list(geojson.vertices(None)) == []


def test_parts_drawn_in_opposite_directions_and_holes():
    """A counter-clockwise 2 × 2° part and a clockwise 1 × 1° part: both count (OGR's centroid), and a hole is
    taken out of its polygon."""
    import json

    from osgeo import ogr

    geometry = {"type": "MultiPolygon", "coordinates": [
        [[[0, 50], [2, 50], [2, 52], [0, 52], [0, 50]]],
        [[[10, 60], [10, 61], [11, 61], [11, 60], [10, 60]]],
    ]}
    expected = ogr.CreateGeometryFromJson(json.dumps(geometry)).Centroid()
    assert geojson.centroid(geometry) == pytest.approx((expected.GetX(), expected.GetY()))
    assert geojson.centroid(geometry) == pytest.approx(((4 * 1 + 1 * 10.5) / 5, (4 * 51 + 1 * 60.5) / 5))
    square_with_hole = {"type": "Polygon", "coordinates": [
        [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
        [[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]],  # the south-west quarter, drawn clockwise or not: taken out
    ]}
    expected = ogr.CreateGeometryFromJson(json.dumps(square_with_hole)).Centroid()
    assert geojson.centroid(square_with_hole) == pytest.approx((expected.GetX(), expected.GetY()))
    assert geojson.centroid(square_with_hole) == pytest.approx((7 / 3, 7 / 3))
