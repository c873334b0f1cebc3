"""Rendered previews of LEAF layers: one PNG with a panel per layer (title, styled map, legend), headless.

Why a print layout rather than a bare map render: the legend is what makes a LEAF map readable (physical units of
the ramp, QC classes in words), and QGIS draws legends only through the layout engine. The layout belongs to a
private ``QgsProject`` and a private layer tree, so rendering never adds anything to the user's project or changes
its layer tree; it runs offscreen (``QT_QPA_PLATFORM=offscreen``), as in the tests and ``make demo``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from qgis.core import (
    QgsLayerTree,
    QgsLayerTreeLayer,
    QgsLayout,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendModel,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsMapLayer,
    QgsMapLayerLegendUtils,
    QgsProject,
    QgsRectangle,
    QgsSimpleLegendNode,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QSize

from ..i18n import tr

#: Panel geometry in layout millimetres: width of one map, margins, title height, gap below the map.
PANEL_MM = 100.0
MARGIN_MM = 5.0
TITLE_MM = 8.0
GAP_MM = 3.0

MM = QgsUnitTypes.LayoutMillimeters


def full_extent(layer: QgsMapLayer) -> QgsRectangle:
    """The layer's extent in its own CRS (each panel uses its layer's CRS, so rasters are not reprojected)."""
    extent = QgsRectangle(layer.extent())
    if extent.isEmpty():
        raise ValueError(tr("The layer {name} is empty: nothing to render.").format(name=layer.name()))
    return extent


def hide_band_title(model: QgsLegendModel, node: QgsLayerTreeLayer) -> None:
    """Drop the "Band 1 (Gray)" line QGIS puts above a raster legend: a LEAF file has one band, the title says what
    it is, and the line would read as a class."""
    nodes = model.layerLegendNodes(node)
    order = [i for i, legend_node in enumerate(nodes) if not isinstance(legend_node, QgsSimpleLegendNode)]
    if order and len(order) < len(nodes):
        QgsMapLayerLegendUtils.setLegendNodeOrder(node, order)
        model.refreshLayerLegend(node)


def _panel(layout: QgsLayout, layer: QgsMapLayer, left: float, legend: bool, keep: list) -> tuple[float, float]:
    """Add title, map and (optionally) legend for ``layer`` at x = ``left``; returns the panel's width and bottom.

    The legend's size is measured with ``QgsLegendRenderer`` (a layout legend only sizes itself once painted), and
    the panel widens to it so that long QC labels never run into the next panel.
    """
    extent = full_extent(layer)
    map_height = PANEL_MM * extent.height() / extent.width()
    top = MARGIN_MM
    title = QgsLayoutItemLabel(layout)
    title.setText(layer.name())
    layout.addLayoutItem(title)
    title.attemptMove(QgsLayoutPoint(left, top, MM))
    title.attemptResize(QgsLayoutSize(PANEL_MM, TITLE_MM, MM))
    top += TITLE_MM

    item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(item)
    item.attemptMove(QgsLayoutPoint(left, top, MM))
    item.attemptResize(QgsLayoutSize(PANEL_MM, map_height, MM))
    item.setCrs(layer.crs())
    item.setLayers([layer])
    item.setExtent(extent)
    item.setFrameEnabled(True)
    top += map_height
    if not legend:
        return PANEL_MM, top + MARGIN_MM

    top += GAP_MM
    root = QgsLayerTree()  # a private tree: the legend shows exactly this layer, whatever the project holds
    node = root.addLayer(layer)
    QgsLegendRenderer.setNodeLegendStyle(node, QgsLegendStyle.Hidden)  # the panel title already names it
    keep.append(root)
    box = QgsLayoutItemLegend(layout)
    box.setAutoUpdateModel(False)
    box.model().setRootGroup(root)
    box.setTitle("")
    box.setLinkedMap(item)
    box.setResizeToContents(True)
    layout.addLayoutItem(box)
    hide_band_title(box.model(), node)
    size = QgsLegendRenderer(box.model(), box.legendSettings()).minimumSize()
    box.attemptMove(QgsLayoutPoint(left, top, MM))
    box.attemptResize(QgsLayoutSize(size.width(), size.height(), MM))
    return max(PANEL_MM, size.width()), top + size.height() + MARGIN_MM


def render_png(layers: Sequence[QgsMapLayer], path: str | os.PathLike, width: int = 800, legend: bool = True) -> str:
    """Render ``layers`` side by side (one titled panel each, legend below) to a PNG ``width`` pixels wide.

    Returns the path written. Raises ``ValueError`` for no valid layer and ``RuntimeError`` when QGIS cannot write
    the image (the folder is missing or read-only).
    """
    from osgeo import gdal

    layers = [layer for layer in layers if layer is not None and layer.isValid()]
    if not layers:
        raise ValueError(tr("No valid layer to render."))
    project = QgsProject()
    layout = QgsLayout(project)
    layout.initializeDefaults()
    keep: list = []
    left, bottom = MARGIN_MM, 0.0
    for layer in layers:
        panel_width, panel_bottom = _panel(layout, layer, left, legend, keep)
        left += panel_width + MARGIN_MM
        bottom = max(bottom, panel_bottom)
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(left, bottom, MM))
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = width / (left / 25.4)
    settings.imageSize = QSize(int(width), round(width * bottom / left))
    path = os.fspath(path)
    gdal.PushErrorHandler("CPLQuietErrorHandler")  # QGIS tries to georeference the PNG in place; GDAL refuses, noisily
    try:
        result = QgsLayoutExporter(layout).exportToImage(path, settings)
    finally:
        gdal.PopErrorHandler()
    if result != QgsLayoutExporter.Success:
        raise RuntimeError(tr("Could not write the preview {path} (error {code}).").format(path=path, code=result))
    return path


def main(argv: list[str]) -> int:
    """``python -m leaf_qgis.styling.preview OUT.png FILE.tif [FILE.tif …]``: style LEAF files and render them (used
    by ``make demo`` and to regenerate the README images). Starts a headless QGIS application."""
    import sys

    if len(argv) < 2:
        print("usage: python -m leaf_qgis.styling.preview OUT.png FILE.tif [FILE.tif ...]", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication, QgsRasterLayer

    from .styles import style_layer

    app = QgsApplication([], False)
    app.initQgis()
    layers = []
    for path in argv[1:]:
        layer = QgsRasterLayer(path, os.path.basename(path), "gdal")
        if not layer.isValid():
            print(f"not a raster: {path}", file=sys.stderr)
            return 1
        style_layer(layer, write_qml=False)
        layers.append(layer)
    print(render_png(layers, argv[0]), flush=True)
    # QgsApplication.exitQgis() after a print layout can crash while tearing down in this order (seen on 3.22):
    # the PNG is complete, so leave without the teardown.
    os._exit(0)


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
