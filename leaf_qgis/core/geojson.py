"""The two questions the plugin asks of a GeoJSON geometry in longitude/latitude: its vertices and its centre.

One centre for every use — the scene-cloud default south or north of 55° N (regions and sites alike), the ``lon`` /
``lat`` columns of site rows and the local azimuthal projection of a buffered point — so that the same polygon gets
the same centre from both engines (Earth Engine rows take ``geometry.centroid()``, the area centroid).
"""

from __future__ import annotations

from collections.abc import Iterator


def vertices(coordinates: object) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) of a GeoJSON ``coordinates`` array, whatever its nesting (positions with fewer than two
    numbers are skipped)."""
    if isinstance(coordinates, (list, tuple)) and coordinates:
        if isinstance(coordinates[0], (int, float)):
            if len(coordinates) >= 2:
                yield float(coordinates[0]), float(coordinates[1])  # type: ignore[arg-type]
            return
        for part in coordinates:
            yield from vertices(part)


def centroid(geometry: dict) -> tuple[float, float]:
    """(lon, lat) of the centre of ``geometry``.

    Polygons: the area centroid of the polygons, holes taken out (planar in degrees, which for a region or a plot
    differs from Earth Engine's spherical centroid by far less than a pixel; production takes the region's centroid,
    and for a polygon drawn with many vertices along one edge the mean of the vertices would lean towards that edge —
    and could fall on the other side of 55° N). Each ring counts by its own area whichever way it was drawn (GeoJSON
    from QGIS keeps each part's stored direction, and parts drawn in opposite directions must not cancel). The mean
    vertex when the area is nil (points, lines, degenerate rings); (0, 0) for an empty geometry.
    """
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    area = moment_x = moment_y = 0.0
    points: list[tuple[float, float]] = []
    for polygon in polygons:
        for index, ring_coordinates in enumerate(polygon or []):
            ring = list(vertices(ring_coordinates))
            if index == 0:
                points += ring
            ring_area, ring_x, ring_y = _ring_moments(ring)
            sign = (1.0 if ring_area >= 0 else -1.0) * (1.0 if index == 0 else -1.0)  # outer +, holes −
            area += sign * ring_area
            moment_x += sign * ring_x
            moment_y += sign * ring_y
    if abs(area) > 1e-12:
        return moment_x / (3.0 * area), moment_y / (3.0 * area)
    if not polygons:
        points = list(vertices(coordinates))
    if not points:
        return 0.0, 0.0
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _ring_moments(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(2·signed area, 6·area·x̄, 6·area·ȳ) of a ring (shoelace sums; positive when drawn counter-clockwise)."""
    area = moment_x = moment_y = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        moment_x += (x0 + x1) * cross
        moment_y += (y0 + y1) * cross
    return area, moment_x, moment_y
