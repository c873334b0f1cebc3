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

from dataclasses import dataclass

from .errors import QT_TRANSLATE_NOOP, LeafError
from .geojson import centroid
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
    """Latitude (degrees) of the centre of a GeoJSON geometry (:func:`leaf_qgis.core.geojson.centroid`): the one rule
    that places a region or a site south or north of :data:`S2_NORTH_LATITUDE` (custom regions of
    ``leaf:produce_gee``, sites of ``leaf:sample_sites``; a CCRS tile is placed by its square's exact centre)."""
    return centroid(geometry)[1]


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
