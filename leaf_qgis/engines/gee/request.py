"""A validated Earth Engine production request: region(s) × sensor × periods × outputs × resolution × destination.

Validation happens here, before any ``ee`` object exists, so that bad input gives a clear message and nothing is
written or sent. The QGIS algorithm and scripts build requests through :func:`make_request`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ...core import tile_grid
from ...core.errors import QT_TRANSLATE_NOOP, LeafError
from ...core.geojson import vertices
from ...core.network_catalog import ALGORITHMS, DEFAULT_GEE_ALGORITHM
from ...core.periods import Period
from ...core.products import AUXILIARY_TOKENS, PRODUCTS
from ...core.scene_cloud import SceneCloudFilter, centroid_latitude, check_max_scene_cloud, scene_filter
from ...core.sensors import GEE, Sensor, sensors_for, unknown_sensor

#: Map keys besides the products: QC comes with any product; DATE and PARTITION on request.
MAP_KEYS = ("DATE", "PARTITION")
MIN_RESOLUTION_M = 10
MAX_RESOLUTION_M = 10_000
"""Coarser than 10 km is not a LEAF product any more (and would hide typing errors such as 20000 for 20)."""

_REGION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Region:
    """One exported region: a CCRS tile (exact square in EPSG:3979) or a custom polygon (GeoJSON, EPSG:4326)."""

    name: str
    tile: tile_grid.Tile | None = None
    geojson: dict | None = None

    @property
    def is_tile(self) -> bool:
        return self.tile is not None

    @property
    def centroid_latitude(self) -> float:
        """Latitude (degrees) of the region's centre: the tile square's centre, or the polygon's centroid by the rule
        sites follow too (:func:`leaf_qgis.core.scene_cloud.centroid_latitude`). Chooses the scene-cloud default."""
        if self.tile is not None:
            xmin, ymin, xmax, ymax = self.tile.bounds
            return tile_grid.grid_to_lonlat((xmin + xmax) / 2, (ymin + ymax) / 2)[1]
        return centroid_latitude(self.geojson or {})


@dataclass(frozen=True)
class GeeRequest:
    """Everything the workflow builder needs, already checked."""

    regions: tuple[Region, ...]
    sensor: Sensor
    periods: tuple[Period, ...]
    products: tuple[str, ...]
    """Biophysical product keys (``LAI`` …), in the order of ``PRODUCTS``."""
    maps: tuple[str, ...] = ()
    """``DATE`` and/or ``PARTITION``."""
    resolution_m: int = 20
    destination: str = "drive"
    """A key of :data:`.destinations.DESTINATIONS`."""
    folder: str = ""
    """Drive folder / path prefix inside the bucket / asset sub-folder (empty = ``<region>_<year>`` per region), or
    the local folder of a download."""
    bucket: str = ""
    asset_root: str = ""
    project: str = ""
    time_score_weight: float = 0.0
    """Weight of the optional time score in compositing (0 = the reference tool's spectral score only)."""
    crs: str = tile_grid.GRID_CRS
    max_scene_cloud: float | None = None
    """Explicit scene-cloud maximum in percent (0-100), or ``None`` for CCRS production's default
    (:mod:`leaf_qgis.core.scene_cloud`)."""
    algorithm: str = DEFAULT_GEE_ALGORITHM
    """``SL2P`` (generic network) or ``SL2P-CCRS`` (land-cover ensemble, what CCRS production runs)."""
    mask_flagged: bool = False
    """Blank the products of every QC bit-2 pixel (default: keep the estimate, flag it)."""

    def scene_cloud_filter(self, region: Region) -> SceneCloudFilter | None:
        """The scene prefilter of ``region`` (``None``: every scene)."""
        return scene_filter(self.sensor, region.centroid_latitude, self.max_scene_cloud)

    @property
    def with_qc(self) -> bool:
        """QC accompanies every product export."""
        return bool(self.products)

    def outputs_per_period(self) -> tuple[str, ...]:
        """Keys exported per region and period, in export order."""
        keys = list(self.products)
        if self.with_qc:
            keys.append("QC")
        if "DATE" in self.maps:
            keys.append("DATE")
        return tuple(keys)


def _error(template: str, **params) -> LeafError:
    return LeafError(template, **params)


def check_year(sensor: Sensor, period: Period, today: date | None = None) -> None:
    """Every day of ``period`` must fall in the sensor's surface-reflectance archive, and the period must have begun
    (a future year would only give empty maps after hours of queueing)."""
    today = today or date.today()
    if period.first > today:
        raise _error(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The period {first} – {last} is in the future (today is {today}): there is no image yet. Choose a "
                "year up to {year}.",
            ),
            first=period.first.isoformat(), last=period.last.isoformat(), today=today.isoformat(), year=today.year,
        )
    last = sensor.last_year if sensor.last_year is not None else 9999
    for year in sorted({period.first.year, period.last.year}):
        if not sensor.first_year <= year <= last:
            raise _error(
                QT_TRANSLATE_NOOP(
                    "leaf",
                    "{sensor} has no surface reflectance for {year} in Earth Engine: its archive covers {first} to "
                    "{last}. Choose a year in that range or another sensor.",
                ),
                sensor=sensor.key, year=year, first=sensor.first_year,
                last=sensor.last_year if sensor.last_year is not None else "today",
            )


def parse_products(keys: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Product and map keys (case-insensitive; ``QC`` is implied by any product) → (products, maps)."""
    wanted = {str(k).strip().upper() for k in keys if str(k).strip()}
    wanted.discard("QC")
    unknown = sorted(wanted - set(PRODUCTS) - set(MAP_KEYS))
    if unknown:
        raise _error(
            QT_TRANSLATE_NOOP("leaf", "Unknown product '{key}'. Choose from: {choices}."),
            key=", ".join(unknown), choices=", ".join([*PRODUCTS, *MAP_KEYS]),
        )
    products = tuple(k for k in PRODUCTS if k in wanted)
    maps = tuple(k for k in MAP_KEYS if k in wanted)
    if not products and not maps:
        raise _error(QT_TRANSLATE_NOOP("leaf", "Choose at least one product or map to export."))
    return products, maps


def check_algorithm(algorithm: str | None) -> str:
    """``SL2P`` or ``SL2P-CCRS`` (case-insensitive); empty → the Earth Engine default (SL2P-CCRS)."""
    wanted = (algorithm or DEFAULT_GEE_ALGORITHM).strip().upper()
    if wanted not in ALGORITHMS:
        raise _error(
            QT_TRANSLATE_NOOP("leaf", "Unknown algorithm '{algorithm}'. Choose one of: {choices}."),
            algorithm=algorithm, choices=", ".join(ALGORITHMS),
        )
    return wanted


def check_resolution(resolution: float, regions: Sequence[Region]) -> int:
    """A whole number of metres in range; for tiles also a divisor of the 300 km ninth tile, so that tile edges fall
    on pixel edges of the grid-aligned export."""
    try:
        value = float(resolution)
    except (TypeError, ValueError):
        value = float("nan")
    if not (MIN_RESOLUTION_M <= value <= MAX_RESOLUTION_M) or value != int(value):
        raise _error(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The resolution {resolution} m is not usable: give whole metres from {low} to {high} (Sentinel-2 "
                "networks work at 20 m, Landsat at 30 m).",
            ),
            resolution=resolution, low=MIN_RESOLUTION_M, high=MAX_RESOLUTION_M,
        )
    value = int(value)
    ninth = int(tile_grid.LEVELS["ninth"][2])
    if any(r.is_tile for r in regions) and ninth % value:
        raise _error(
            QT_TRANSLATE_NOOP(
                "leaf",
                "For CCRS tiles the resolution must divide 300 000 m exactly, so that tile edges fall on pixel "
                "edges (e.g. 10, 20, 30, 100, 200, 250, 1000); {resolution} m does not.",
            ),
            resolution=value,
        )
    return value


def check_destination(destination: str, folder: str, bucket: str, asset_root: str) -> tuple[str, str, str, str]:
    """(destination key, folder, bucket, asset root), checked by the destination itself (:mod:`.destinations`)."""
    from .destinations import destination as find

    target = find(destination)
    return (target.key, *target.check(folder, bucket, asset_root))


def tile_regions(names: Iterable[str]) -> tuple[Region, ...]:
    """Regions for CCRS tile names (any level); unknown names raise the grid's own message."""
    tiles = tile_grid.parse_tile_list(list(names))
    if not tiles:
        raise _error(QT_TRANSLATE_NOOP("leaf", "No tile name given."))
    return tuple(Region(t.name, tile=t) for t in tiles)


def custom_region(name: str, geojson: dict) -> Region:
    if not name or not _REGION_NAME.match(name):
        raise _error(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The region name '{name}' cannot be used in file names. Use letters, digits, '-' and '_' only.",
            ),
            name=name,
        )
    if not isinstance(geojson, dict) or geojson.get("type") not in ("Polygon", "MultiPolygon") or not geojson.get(
            "coordinates"):
        raise _error(QT_TRANSLATE_NOOP("leaf", "The region is empty. Draw or select a non-empty area."))
    points = list(vertices(geojson["coordinates"]))
    lon = [p[0] for p in points]
    lat = [p[1] for p in points]
    west, south, east, north = COVERAGE_LONLAT
    if not points or max(lon) < west or min(lon) > east or max(lat) < south or min(lat) > north:
        raise _error(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The region lies outside the area LEAF covers (the CCRS grid and the NALCMS land cover: longitude "
                "{west}° to {east}°, latitude {south}° to {north}°). Check the region and its CRS.",
            ),
            west=west, east=east, south=south, north=north,
        )
    if max(lon) == min(lon) or max(lat) == min(lat):
        raise _error(QT_TRANSLATE_NOOP("leaf", "The region is empty or has zero area. Draw or select an area."))
    return Region(name, geojson=geojson)


COVERAGE_LONLAT = (-180.0, 25.0, -5.0, 90.0)
"""(west, south, east, north) of the CCRS grid (lon/lat bounding box, rounded outwards)."""


def make_request(
    regions: Sequence[Region],
    sensor_key: str,
    periods: Sequence[Period],
    outputs: Iterable[str],
    resolution_m: float,
    destination: str = "drive",
    folder: str = "",
    bucket: str = "",
    asset_root: str = "",
    project: str = "",
    time_score_weight: float = 0.0,
    max_scene_cloud: float | None = None,
    algorithm: str | None = None,
    mask_flagged: bool = False,
) -> GeeRequest:
    """Check everything and return the request; the first problem raises a :class:`LeafError`."""
    offered = sensors_for(GEE)
    sensor = offered.get((sensor_key or "").strip().upper())
    if sensor is None:
        raise unknown_sensor(sensor_key, offered)
    if not regions:
        raise _error(QT_TRANSLATE_NOOP("leaf", "No region given."))
    if not periods:
        raise _error(QT_TRANSLATE_NOOP("leaf", "No period given: choose months, the peak season or dates."))
    for period in periods:
        check_year(sensor, period)
    products, maps = parse_products(outputs)
    resolution = check_resolution(resolution_m, regions)
    dest, folder, bucket, asset_root = check_destination(destination, folder, bucket, asset_root)
    if not 0.0 <= float(time_score_weight) <= 10.0:
        raise _error(QT_TRANSLATE_NOOP("leaf", "The time-score weight must lie between 0 and 10."))
    cloud = check_max_scene_cloud(max_scene_cloud)
    algorithm = check_algorithm(algorithm)
    unique_periods = tuple(dict.fromkeys(periods))
    return GeeRequest(tuple(regions), sensor, unique_periods, products, maps, resolution, dest, folder, bucket,
                      asset_root, project, float(time_score_weight), max_scene_cloud=cloud, algorithm=algorithm,
                      mask_flagged=bool(mask_flagged))


#: File-name token per exported key.
TOKENS: dict[str, str] = {k: p.file_token for k, p in PRODUCTS.items()} | AUXILIARY_TOKENS
