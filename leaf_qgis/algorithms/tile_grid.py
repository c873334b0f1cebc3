"""``leaf:tile_grid`` — the CCRS tile grid as polygons (EPSG:3979), optionally filtered by names or an extent."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core import tile_grid
from ..core.errors import QT_TRANSLATE_NOOP, LeafError
from .base import LeafAlgorithm

LEVELS = list(tile_grid.LEVELS)


def square(bounds: tile_grid.Bounds) -> QgsGeometry:
    """The exact axis-aligned square of a tile (no densification: the edges are straight in EPSG:3979)."""
    return QgsGeometry.fromRect(QgsRectangle(*bounds))


def grid_crs() -> QgsCoordinateReferenceSystem:
    return QgsCoordinateReferenceSystem(tile_grid.GRID_CRS)


def extent_in_grid_crs(rect: QgsRectangle, crs: QgsCoordinateReferenceSystem, context) -> QgsGeometry:
    """An extent from any CRS as a polygon in EPSG:3979, edges densified so curved images of straight lines fit."""
    polygon = QgsGeometry.fromRect(rect)
    if crs.isValid() and crs != grid_crs():
        polygon = polygon.densifyByCount(64)
        polygon.transform(QgsCoordinateTransform(crs, grid_crs(), context.transformContext()))
    return polygon


def select_tiles(level: str, names: str, extent: QgsGeometry | None) -> list[tile_grid.Tile]:
    """Tiles of ``level`` that overlap the named tiles (all tiles when ``names`` is empty) and the extent."""
    candidates = tile_grid.tiles(level)
    named = tile_grid.parse_tile_list(names or "")
    if named:
        candidates = [t for t in candidates if any(tile_grid.intersects(t.bounds, n.bounds) for n in named)]
    if extent is not None:
        if not extent.intersects(square(tile_grid.grid_bounds())):
            xmin, ymin, xmax, ymax = tile_grid.grid_bounds()
            raise LeafError(
                QT_TRANSLATE_NOOP(
                    "leaf",
                    "The extent does not reach the CCRS grid, which covers x {xmin:.0f} … {xmax:.0f} m and "
                    "y {ymin:.0f} … {ymax:.0f} m in EPSG:3979 (Canada and its surroundings). Check the extent and "
                    "its CRS.",
                ),
                xmin=xmin, xmax=xmax, ymin=ymin, ymax=ymax,
            )
        candidates = [t for t in candidates if extent.intersects(square(t.bounds))
                      and not extent.touches(square(t.bounds))]
    if not candidates:
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "No {level} tile is left after filtering: none of the tiles {names} intersects the extent. "
                "Widen the extent or list other tiles (valid tiles: {choices}).",
            ),
            level=level, names=names or "-", choices=", ".join(tile_grid.tile_names()),
        )
    return candidates


class TileGridAlgorithm(LeafAlgorithm):
    LEVEL = "LEVEL"
    TILES = "TILES"
    EXTENT = "EXTENT"
    OUTPUT = "OUTPUT"
    group_key = "grid"
    help_anchor = "leaftile_grid"

    def name(self) -> str:
        return "tile_grid"

    def displayName(self) -> str:
        return self.tr("CCRS tile grid")

    def tags(self) -> list[str]:
        return self.tr("tile,grid,ccrs,leaf,canada,3979").split(",")

    def shortHelpString(self) -> str:
        return self.tr(
            "<p>Creates the Canada Centre for Remote Sensing (CCRS) tile grid used by LEAF production, as exact "
            "squares in EPSG:3979 (NAD83(CSRS) / Canada Atlas Lambert).</p>"
            "<p><b>Level</b>: <i>tile</i> = 900 km tiles named tileRC (R = row 1–6 from the north, C = column 1–7 "
            "from the west; 27 tiles); <i>quarter</i> = 450 km sub-tiles tileRC_4ij; <i>ninth</i> = 300 km "
            "sub-tiles tileRC_9ij (i = sub-row from the north, j = sub-column from the west).</p>"
            "<p><b>Tiles</b> (optional): comma-separated tile names; only tiles of the chosen level that overlap "
            "them are kept. Empty = all tiles.</p>"
            "<p><b>Extent</b> (optional, any CRS): only tiles that intersect it are kept.</p>"
            "<p><b>Output</b>: polygons with fields name, row, col and level. Column c spans "
            "x = −2 600 000 + (c−1)·900 000 m … +900 000 m; row r spans y = 3 914 925 − r·900 000 m … +900 000 m.</p>"
        )

    def initAlgorithm(self, config=None) -> None:
        self.add_enum(self.LEVEL, self.tr("Level"), LEVELS, "tile")
        self.addParameter(QgsProcessingParameterString(self.TILES, self.tr("Tiles (comma-separated, empty = all)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, self.tr("Only tiles intersecting this extent"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Tile grid"),
                                                            QgsProcessing.TypeVectorPolygon))

    def execute(self, parameters: dict, context, feedback) -> dict[str, Any]:
        level = self.parameterAsEnumString(parameters, self.LEVEL, context) or "tile"
        names = self.parameterAsString(parameters, self.TILES, context)
        extent = None
        if parameters.get(self.EXTENT):
            rect = self.parameterAsExtent(parameters, self.EXTENT, context)
            if not rect.isNull():
                crs = self.parameterAsExtentCrs(parameters, self.EXTENT, context)
                extent = extent_in_grid_crs(rect, crs, context)
        selected = select_tiles(level, names, extent)

        fields = QgsFields()
        fields.append(QgsField("name", QVariant.String))
        fields.append(QgsField("row", QVariant.Int))
        fields.append(QgsField("col", QVariant.Int))
        fields.append(QgsField("level", QVariant.String))
        # The features first, the layer after: a cancelled run stops before the output exists, never with part of
        # the grid in it.
        features = []
        for i, tile in enumerate(selected):
            self.check_cancelled(feedback)
            feature = QgsFeature(fields)
            feature.setAttributes([tile.name, tile.row, tile.col, tile.level])
            feature.setGeometry(square(tile.bounds))
            features.append(feature)
            feedback.setProgress(100 * (i + 1) / len(selected))
        self.check_cancelled(feedback)
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Polygon,
                                             grid_crs())
        sink.addFeatures(features, QgsFeatureSink.FastInsert)
        feedback.pushInfo(self.tr("{count} tiles written.").format(count=len(selected)))
        return {self.OUTPUT: dest_id}
