"""The scene-cloud prefilter: which scenes enter a composite at all, by the cloud percentage their provider reports.

CCRS production (LEAF_production ``ImgSet.getCollection`` with ``Image.get_cloud_rate``, see
``../shared/reference/leaf-production-tool.md`` §4.2) keeps a Sentinel-2 scene only when its
``CLOUDY_PIXEL_PERCENTAGE`` is *below* 85 % where the region's centroid latitude is below 55°, and below 70 % farther
north (the per-tile ``TILE_CLOUD_RATES`` table exists there but is never passed in). For Landsat the same function
returns 90 %, but the filter line is commented out: production reads every Landsat scene. These are the defaults here.
HLS has no production rule of its own: every scene, as Landsat. The property is the sensor record's
``cloud_property`` (``CLOUDY_PIXEL_PERCENTAGE``, ``CLOUD_COVER``, HLS ``CLOUD_COVERAGE``).

A user may set an explicit maximum instead (0-100, ``MAX_SCENE_CLOUD``): scenes *at or below* it are kept, so 0 keeps
only scenes reported cloud-free and 100 keeps every scene (no filter at all, also scenes without the property).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .errors import QT_TRANSLATE_NOOP, LeafError
from .sensors import Family, Sensor

S2_NORTH_LATITUDE = 55.0
"""Centroid latitude (degrees) from which production uses the northern threshold."""
S2_MAX_CLOUD_SOUTH = 85.0
"""Production: S2 scenes kept when ``CLOUDY_PIXEL_PERCENTAGE < 85`` south of 55° N."""
S2_MAX_CLOUD_NORTH = 70.0
"""Production: S2 scenes kept when ``CLOUDY_PIXEL_PERCENTAGE < 70`` at 55° N and north."""
LANDSAT_MAX_CLOUD: float | None = None
"""Production: no Landsat scene filter (its 90 % threshold is computed but the filter is commented out)."""
USE_DEFAULT = -1.0
"""Parameter value meaning "the production default"."""


@dataclass(frozen=True)
class SceneCloudFilter:
    """Keep scenes whose ``property`` is below ``maximum`` (``inclusive``: at or below)."""

    property: str
    maximum: float
    inclusive: bool

    def to_json(self) -> dict:
        return {"property": self.property, "max": self.maximum, "inclusive": self.inclusive}


def cloud_property(sensor: Sensor) -> str:
    return sensor.cloud_property


def check_max_scene_cloud(value: float | None) -> float | None:
    """A user's maximum: ``None`` or −1 (or any negative value) → ``None`` (production default); 0-100 → the value;
    anything else raises a :class:`LeafError`."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if number < 0:
        return None
    if not 0.0 <= number <= 100.0:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "The maximum scene cloud cover must lie between 0 and 100 % (or -1 for the CCRS production "
                    "default), not {value}."), value=value)
    return number


def centroid_latitude(geometry: dict) -> float:
    """Latitude (degrees) of the centre of a GeoJSON geometry in longitude/latitude: the one rule that places a
    region or a site south or north of :data:`S2_NORTH_LATITUDE` (custom regions of ``leaf:produce_gee``, sites of
    ``leaf:sample_sites``; a CCRS tile is placed by its square's exact centre).

    Polygons: the area centroid of their outer rings (planar in degrees: production takes the region's centroid, and
    for a region drawn with many vertices along one edge the mean of the vertices would lean towards that edge and
    could fall on the other side of 55° N). The mean vertex when the area is nil (points, lines, degenerate rings).
    """
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    area = moment = 0.0
    points: list[tuple[float, float]] = []
    for polygon in polygons:
        if not polygon:
            continue
        ring = [(float(p[0]), float(p[1])) for p in polygon[0]]
        points += ring
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            cross = x0 * y1 - x1 * y0
            area += cross
            moment += (y0 + y1) * cross
    if abs(area) > 1e-12:
        return moment / (3.0 * area)
    if not polygons:
        points = list(_vertices(coordinates))
    return sum(p[1] for p in points) / len(points) if points else 0.0


def _vertices(coordinates: object) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) of a GeoJSON ``coordinates`` array, whatever its nesting."""
    if isinstance(coordinates, (list, tuple)) and coordinates:
        if isinstance(coordinates[0], (int, float)):
            if len(coordinates) >= 2:
                yield float(coordinates[0]), float(coordinates[1])  # type: ignore[arg-type]
            return
        for part in coordinates:
            yield from _vertices(part)


def region_filter(sensor: Sensor, geometry: dict, maximum: float | None = None) -> SceneCloudFilter | None:
    """The filter for ``sensor`` over a region or site of GeoJSON ``geometry`` (:func:`centroid_latitude`)."""
    return scene_filter(sensor, centroid_latitude(geometry), maximum)


def scene_filter(sensor: Sensor, latitude: float, maximum: float | None = None) -> SceneCloudFilter | None:
    """The filter for ``sensor`` over a region whose centroid lies at ``latitude`` (``None`` = no filter).

    ``maximum`` ``None`` → the production default (see the module doc); 100 → no filter.
    """
    prop = cloud_property(sensor)
    if maximum is not None:
        return None if maximum >= 100.0 else SceneCloudFilter(prop, float(maximum), True)
    if sensor.family is not Family.S2:
        return None if LANDSAT_MAX_CLOUD is None else SceneCloudFilter(prop, LANDSAT_MAX_CLOUD, False)
    default = S2_MAX_CLOUD_SOUTH if latitude < S2_NORTH_LATITUDE else S2_MAX_CLOUD_NORTH
    return SceneCloudFilter(prop, default, False)
