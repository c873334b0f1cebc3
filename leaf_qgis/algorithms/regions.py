"""Region parameters shared by the production algorithms: CCRS tile names, an extent, or a polygon layer.

Turns what the user picked in QGIS into plain data for the engines: tile names (validated by the core grid) or one
polygon as GeoJSON in EPSG:4326 plus the source CRS. Nothing here talks to an engine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..core import tile_grid
from ..core.errors import QT_TRANSLATE_NOOP, LeafError
from ..i18n import tr

TILES = "TILES"
EXTENT = "EXTENT"
AOI = "AOI"
REGION_NAME = "REGION_NAME"
WGS84_AUTHID = "EPSG:4326"


@dataclass(frozen=True)
class RegionChoice:
    """The region of a production request: tile names, or one custom polygon."""

    tiles: tuple[str, ...] = ()
    geojson: dict | None = None
    """Custom region as a GeoJSON geometry in EPSG:4326 (``None`` for tile requests)."""
    name: str = ""
    """Label of a custom region in file names."""


def add_region_parameters(algorithm) -> None:
    algorithm.addParameter(QgsProcessingParameterString(
        TILES, tr("CCRS tiles (comma-separated, e.g. tile55, tile55_411)"), optional=True))
    algorithm.addParameter(QgsProcessingParameterExtent(EXTENT, tr("Or: extent (any CRS)"), optional=True))
    algorithm.addParameter(QgsProcessingParameterFeatureSource(
        AOI, tr("Or: area of interest (polygon layer; tick 'Selected features only' to restrict it)"),
        [QgsProcessing.TypeVectorPolygon], optional=True))
    algorithm.addParameter(QgsProcessingParameterString(
        REGION_NAME, tr("Name of the custom region in file names"), defaultValue="region", optional=True))


def _clean_name(name: str) -> str:
    name = (name or "region").strip()
    if not name or any(c in name for c in '/\\:*?"<>| '):
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The region name '{name}' cannot be used in file names. Use letters, digits, '-' and '_' only.",
            ),
            name=name,
        )
    return name


def read_region(algorithm, parameters: dict, context) -> RegionChoice:
    """Exactly one of TILES, EXTENT or AOI; a clear error when none or several are given."""
    names = algorithm.parameterAsString(parameters, TILES, context).strip()
    has_extent = bool(parameters.get(EXTENT)) and not algorithm.parameterAsExtent(parameters, EXTENT, context).isNull()
    has_aoi = parameters.get(AOI) not in (None, "")
    given = [label for label, present in (("TILES", bool(names)), ("EXTENT", has_extent), ("AOI", has_aoi))
             if present]
    if len(given) != 1:
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "Give exactly one region: CCRS tile names (TILES), an extent (EXTENT) or a polygon layer (AOI). "
                "Given: {given}.",
            ),
            given=", ".join(given) or "-",
        )
    if names:
        return RegionChoice(tiles=tuple(t.name for t in tile_grid.parse_tile_list(names)))
    name = _clean_name(algorithm.parameterAsString(parameters, REGION_NAME, context))
    if has_extent:
        rect = algorithm.parameterAsExtent(parameters, EXTENT, context)
        crs = algorithm.parameterAsExtentCrs(parameters, EXTENT, context)
        geometry = QgsGeometry.fromRect(rect).densifyByCount(32)
        return RegionChoice(geojson=_to_wgs84(geometry, crs, context), name=name)
    source = algorithm.parameterAsSource(parameters, AOI, context)
    if source is None:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "The area-of-interest layer could not be read. Check the layer."))
    parts = [f.geometry() for f in source.getFeatures(QgsFeatureRequest().setNoAttributes())
             if f.hasGeometry() and QgsWkbTypes.geometryType(f.geometry().wkbType()) == QgsWkbTypes.PolygonGeometry]
    if not parts:
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The area-of-interest layer has no polygon (or no selected polygon when 'Selected features only' is "
                "ticked). Select or draw at least one polygon.",
            )
        )
    geometry = QgsGeometry.unaryUnion(parts)
    return RegionChoice(geojson=_to_wgs84(geometry, source.sourceCrs(), context), name=name)


def _to_wgs84(geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem, context) -> dict:
    geometry = QgsGeometry(geometry)
    wgs84 = QgsCoordinateReferenceSystem(WGS84_AUTHID)  # built here, not at import: plugin start-up stays cheap
    if crs.isValid() and crs != wgs84:
        geometry.transform(QgsCoordinateTransform(crs, wgs84, context.transformContext()))
    if geometry.isEmpty():
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "The region is empty. Draw or select a non-empty area."))
    return json.loads(geometry.asJson(7))
