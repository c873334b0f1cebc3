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
from dataclasses import dataclass, field
from typing import Any

from ...core import tile_grid
from ...core.naming import default_folder, output_name
from ...core.periods import Period
from ...core.products import PRODUCTS
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
    """Everything one export task needs, as plain data (the image stays outside the plan)."""

    key: str
    token: str
    region: str
    period: Period | None
    year: int
    file_stem: str
    description: str
    destination: dict[str, str]
    crs: str
    crs_transform: list[float] | None
    scale: float | None
    region_geojson: dict
    region_crs: str
    file_format: str
    format_options: dict[str, Any]
    data_type: str
    nodata: int
    value_scale: float | None = None
    """Physical value = DN · value_scale (products); ``None`` for QC, Date and Partition."""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The plan entry (without ``expression``, added by the plan)."""
        entry: dict[str, Any] = {
            "description": self.description,
            "file_name": self.file_stem + (".tif" if self.destination["type"] != "asset" else ""),
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
        }
        if self.crs_transform is not None:
            entry["crs_transform"] = list(self.crs_transform)
        else:
            entry["scale"] = self.scale
        if self.value_scale is not None:
            entry["value_scale"] = self.value_scale
        entry.update(self.extra)
        return entry


def export_spec(request: GeeRequest, region: Region, key: str, period: Period | None, year: int) -> ExportSpec:
    """The specification of one map of one region and period (``period`` None for the yearly partition)."""
    token = TOKENS[key]
    stem = output_name(region.name, token, request.resolution_m, period, year).stem
    folder = request.folder or default_folder(region.name, year)
    if request.destination == "drive":
        destination = {"type": "drive", "folder": folder, "file_name_prefix": stem}
    elif request.destination == "gcs":
        destination = {"type": "gcs", "bucket": request.bucket, "file_name_prefix": f"{folder}/{stem}"}
    else:
        destination = {"type": "asset", "asset_id": f"{request.asset_root}/{folder}/{stem}"}
    geojson, crs = region_geojson(region)
    nodata = nodata_for(key)
    is_asset = request.destination == "asset"
    options: dict[str, Any] = {} if is_asset else {"cloudOptimized": True, "noData": nodata}
    product = PRODUCTS.get(key)
    return ExportSpec(
        key=key, token=token, region=region.name, period=period, year=year, file_stem=stem,
        description=stem[:100], destination=destination, crs=request.crs,
        crs_transform=grid_transform(request.resolution_m), scale=None, region_geojson=geojson, region_crs=crs,
        file_format="EE_ASSET" if is_asset else "GeoTIFF", format_options=options, data_type=data_type_for(key),
        nodata=nodata, value_scale=(1.0 / product.leaf_scale) if product else None,
        extra={"pyramiding_policy": "mean" if product else "mode"} if is_asset else {},
    )


def build_task(ee: Any, spec: ExportSpec, image: Any, region: Any) -> Any:
    """The (unstarted) Earth Engine export task for ``spec``; building it sends nothing."""
    common: dict[str, Any] = {
        "description": spec.description, "region": region, "crs": spec.crs, "maxPixels": MAX_PIXELS,
    }
    if spec.crs_transform is not None:
        common["crsTransform"] = spec.crs_transform
    else:
        common["scale"] = spec.scale
    dest = spec.destination
    if dest["type"] == "asset":
        return ee.batch.Export.image.toAsset(
            image, assetId=dest["asset_id"], pyramidingPolicy={".default": spec.extra["pyramiding_policy"]},
            **common)
    file_options = {"fileFormat": "GeoTIFF", "formatOptions": dict(spec.format_options)}  # the client pops keys
    if dest["type"] == "gcs":
        return ee.batch.Export.image.toCloudStorage(
            image, bucket=dest["bucket"], fileNamePrefix=dest["file_name_prefix"], **common, **file_options)
    return ee.batch.Export.image.toDrive(
        image, folder=dest["folder"], fileNamePrefix=dest["file_name_prefix"], **common, **file_options)
