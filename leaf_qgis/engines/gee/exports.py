"""Export specifications: one file (or asset) per map, pinned to the CCRS pixel grid.

Why ``crsTransform`` and not ``scale``: with only a scale Earth Engine picks its own pixel origin, so two exports of
neighbouring tiles (or two resolutions) do not line up. Every export here is in EPSG:3979 with the affine transform
``[res, 0, ORIGIN_X, 0, −res, ORIGIN_Y]`` of the CCRS grid origin (:mod:`leaf_qgis.core.tile_grid`): tile edges
fall on pixel edges (the request checks the resolution divides 300 km) and custom regions land on the same lattice,
so every LEAF map overlays every other pixel for pixel. Tile regions are the exact grid squares (planar rectangles in
EPSG:3979), never the reference tool's geodesic lon/lat polygons that sit kilometres off the tile edges.

GeoTIFFs are cloud-optimised with the nodata value of their map (:mod:`.outputs`); names and default folders come
from :mod:`leaf_qgis.core.naming`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core import tile_grid
from ...core.naming import default_folder, output_name
from ...core.periods import Period
from ...core.products import PRODUCTS
from . import destinations
from .destinations import Destination
from .outputs import data_type_for, nodata_for
from .request import TOKENS, GeeRequest, Region

MAX_PIXELS = 10**11
"""A 900 km tile at 10 m is 8.1·10⁹ pixels."""


def grid_transform(resolution_m: int) -> list[float]:
    """The CCRS grid's affine transform at ``resolution_m`` (GDAL order: a, b, c, d, e, f as EE's crsTransform)."""
    return [float(resolution_m), 0.0, tile_grid.ORIGIN_X, 0.0, -float(resolution_m), tile_grid.ORIGIN_Y]


def region_geojson(region: Region) -> tuple[dict, str]:
    """(GeoJSON polygon, its CRS): the exact tile square in EPSG:3979, or the custom polygon in EPSG:4326."""
    if region.tile is not None:
        xmin, ymin, xmax, ymax = region.tile.bounds
        ring = [[xmin, ymax], [xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax]]
        return {"type": "Polygon", "coordinates": [ring]}, tile_grid.GRID_CRS
    return dict(region.geojson or {}), "EPSG:4326"


def region_geometry(ee: Any, region: Region) -> Any:
    """The region as a planar ``ee.Geometry``."""
    if region.tile is not None:
        return ee.Geometry.Rectangle(list(region.tile.bounds), tile_grid.GRID_CRS, False)
    return ee.Geometry(region.geojson, None, False)


def lattice_bounds(geojson: dict, region_crs: str, crs: str, transform: list[float]) -> tuple[float, ...]:
    """(xmin, ymin, xmax, ymax) in ``crs``: the polygon's bounds (edges densified, so curved edges count) snapped
    outwards to the pixel lattice of ``transform`` — the extent of the file an export of that region writes."""
    from osgeo import osr

    res, _, origin_x, _, neg_res, origin_y = transform
    target = osr.SpatialReference()
    target.SetFromUserInput(crs)
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    polygons = geojson["coordinates"] if geojson.get("type") == "MultiPolygon" else [geojson["coordinates"]]
    points = [(float(x), float(y)) for polygon in polygons for x, y in polygon[0]]
    if region_crs != crs:
        source = osr.SpatialReference()
        source.SetFromUserInput(region_crs)
        source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        convert = osr.CoordinateTransformation(source, target)
        dense = []
        for polygon in polygons:
            ring = [(float(x), float(y)) for x, y in polygon[0]]
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
                dense.extend((x0 + (x1 - x0) * i / 16, y0 + (y1 - y0) * i / 16) for i in range(16))  # curved edges
        points = [convert.TransformPoint(x, y)[:2] for x, y in dense]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    xmin = origin_x + math.floor((min(xs) - origin_x) / res) * res
    xmax = origin_x + math.ceil((max(xs) - origin_x) / res) * res
    ymax = origin_y - math.floor((origin_y - max(ys)) / res) * res
    ymin = origin_y - math.ceil((origin_y - min(ys)) / res) * res
    assert neg_res == -res
    return xmin, ymin, xmax, ymax


def export_geometry(ee: Any, region: Region, resolution_m: int) -> Any:
    """The ``region`` argument of the export: the rectangle of the file's pixels in the grid CRS.

    Tiles: the tile square. Custom polygons: their lattice bounds (:func:`lattice_bounds`), NOT the polygon, because
    the export clips to its region and a pixel masked by that clip has no nodata value of its own: the workflow
    clips to the polygon itself and then unmasks to the map's nodata (:func:`.outputs.export_ready`), so every pixel
    of the file outside the polygon reads nodata.
    """
    if region.tile is not None:
        return region_geometry(ee, region)
    geojson, crs = region_geojson(region)
    bounds = lattice_bounds(geojson, crs, tile_grid.GRID_CRS, grid_transform(resolution_m))
    return ee.Geometry.Rectangle(list(bounds), tile_grid.GRID_CRS, False)


@dataclass
class ExportSpec:
    """Everything one export task needs, as plain data (the image stays outside the plan); :meth:`to_json` and
    :meth:`from_json` are each other's inverse."""

    key: str
    token: str
    region: str
    period: Period | None
    year: int
    file_stem: str
    description: str
    destination: dict[str, str]
    """The plan's location of the file (:meth:`.destinations.Destination.location`)."""
    crs: str
    crs_transform: list[float]
    region_geojson: dict
    region_crs: str
    file_format: str
    format_options: dict[str, Any]
    data_type: str
    nodata: int
    value_scale: float | None = None
    """Physical value = DN · value_scale (products); ``None`` for QC, Date and Partition."""

    @property
    def target(self) -> Destination:
        return destinations.of(self.destination)

    @property
    def pyramiding(self) -> str:
        """How an asset's coarser levels are made: the mean of a product, the mode of a class or bit map."""
        return "mean" if self.value_scale is not None else "mode"

    @property
    def file_name(self) -> str:
        return self.target.file_name(self.file_stem)

    def to_json(self) -> dict[str, Any]:
        """The plan entry's fields of the export (the plan adds the graph and the export options)."""
        entry: dict[str, Any] = {
            "description": self.description,
            "file_name": self.file_name,
            "key": self.key,
            "token": self.token,
            "region_name": self.region,
            "year": self.year,
            "period": None if self.period is None else self.period.to_json(),
            "destination": dict(self.destination),
            "crs": self.crs,
            "region": self.region_geojson,
            "region_crs": self.region_crs,
            "file_format": self.file_format,
            "format_options": dict(self.format_options),
            "max_pixels": MAX_PIXELS,
            "data_type": self.data_type,
            "nodata": self.nodata,
            "crs_transform": list(self.crs_transform),
        }
        if self.value_scale is not None:
            entry["value_scale"] = self.value_scale
        if self.destination.get("type") == "asset":
            entry["pyramiding_policy"] = self.pyramiding
        return entry

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> ExportSpec:
        """The specification a plan entry was written from."""
        period = entry.get("period")
        return cls(
            key=entry.get("key", ""), token=entry.get("token", ""), region=entry.get("region_name", ""),
            period=None if not period else Period.from_json(period), year=int(entry.get("year") or 0),
            file_stem=Path(entry.get("file_name", "")).stem or entry["description"],
            description=entry["description"], destination=dict(entry["destination"]), crs=entry["crs"],
            crs_transform=list(entry["crs_transform"]), region_geojson=entry.get("region") or {},
            region_crs=entry.get("region_crs", "EPSG:4326"), file_format=entry.get("file_format", "GeoTIFF"),
            format_options=dict(entry.get("format_options") or {}), data_type=entry.get("data_type", ""),
            nodata=int(entry.get("nodata") or 0), value_scale=entry.get("value_scale"),
        )


def export_spec(request: GeeRequest, region: Region, key: str, period: Period | None, year: int) -> ExportSpec:
    """The specification of one map of one region and period (``period`` None for the yearly partition)."""
    stem = output_name(region.name, TOKENS[key], request.resolution_m, period, year).stem
    target = destinations.destination(request.destination)
    folder = request.folder if request.folder or not target.submits else default_folder(region.name, year)
    geojson, crs = region_geojson(region)
    nodata = nodata_for(key)
    options: dict[str, Any] = {"cloudOptimized": True, "noData": nodata} if target.file_format == "GeoTIFF" else {}
    product = PRODUCTS.get(key)
    return ExportSpec(
        key=key, token=TOKENS[key], region=region.name, period=period, year=year, file_stem=stem,
        description=stem[:100], destination=target.location(stem, folder, request.bucket, request.asset_root),
        crs=request.crs, crs_transform=grid_transform(request.resolution_m), region_geojson=geojson, region_crs=crs,
        file_format=target.file_format, format_options=options, data_type=data_type_for(key), nodata=nodata,
        value_scale=(1.0 / product.leaf_scale) if product else None,
    )


def build_task(ee: Any, spec: ExportSpec, image: Any, region: Any) -> Any:
    """The (unstarted) Earth Engine export task for ``spec``; building it sends nothing. Its request body (but the
    graph) is what the plan keeps as the entry's ``export``."""
    common: dict[str, Any] = {"description": spec.description, "region": region, "crs": spec.crs,
                              "maxPixels": MAX_PIXELS, "crsTransform": spec.crs_transform}
    file_options = {"fileFormat": "GeoTIFF", "formatOptions": dict(spec.format_options)}  # the client pops keys
    return spec.target.image_task(ee, image, spec.destination, common, file_options, spec.pyramiding)
