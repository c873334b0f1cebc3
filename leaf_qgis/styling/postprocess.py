"""Styling, temporal properties and layer-tree placement of LEAF layers that Processing loads on completion.

Why a post-processor: a Processing algorithm runs in a worker thread, where it must not touch the project or the
layer tree. Processing instead loads the layers registered with ``context.addLayerToLoadOnCompletion`` once the
algorithm has finished, in the main thread, and then calls each layer's
``QgsProcessingLayerPostProcessorInterface.postProcessLayer`` — the one supported place to style and group them
(Toolbox, modeler and ``processing.runAndLoadResults`` alike; ``processing.run`` and ``qgis_process`` load nothing).

Why :data:`_KEPT`: ``LayerDetails.setPostProcessor`` transfers ownership to C++, but SIP keeps no reference to the
Python subclass, so the Python part is garbage-collected as soon as the caller's reference goes and Processing then
calls the bare base class (nothing happens, or QGIS crashes; qgis/QGIS#47533). We therefore keep every post-processor
in a module-level list. Each layer gets its own instance because ``~QgsProcessingContext`` deletes every attached
post-processor (verified on 3.22): a shared instance would be deleted twice. Entries whose C++ side the context has
deleted are pruned on the next registration, so the list does not grow.
"""

from __future__ import annotations

import os
from datetime import date

from qgis.core import (
    QgsDateTimeRange,
    QgsLayerTree,
    QgsLayerTreeGroup,
    QgsMapLayer,
    QgsProcessingContext,
    QgsProcessingLayerPostProcessorInterface,
    QgsProject,
    QgsRasterLayer,
    QgsRasterLayerTemporalProperties,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QDate, QDateTime, QTime

from ..core import naming
from ..core.naming import OutputName
from ..core.periods import Period
from ..core.products import layer_rank
from ..i18n import tr
from .styles import STYLE_PROPERTY, layer_path, log, style_layer

#: Custom property of the layer-tree groups this module creates (value: the group's sort key).
GROUP_PROPERTY = "leaf_qgis/group"
_KEPT: list[QgsProcessingLayerPostProcessorInterface] = []


def keep(processor: QgsProcessingLayerPostProcessorInterface) -> QgsProcessingLayerPostProcessorInterface:
    """Hold a Python reference to ``processor`` until a context deletes its C++ side (see the module docstring)."""
    _KEPT[:] = [p for p in _KEPT if not sip.isdeleted(p)]
    _KEPT.append(processor)
    return processor


def kept_count() -> int:
    """How many post-processors are still alive (for tests of the pruning)."""
    _KEPT[:] = [p for p in _KEPT if not sip.isdeleted(p)]
    return len(_KEPT)


# ---------------------------------------------------------------------------------------------------------------
# Names and periods


def output_name_of(layer: QgsMapLayer) -> OutputName | None:
    """The LEAF name of the layer's file (else of the layer's name), or None."""
    path = layer_path(layer) if isinstance(layer, QgsRasterLayer) else ""
    return naming.parse(os.path.basename(path or layer.name()))


def temporal_range(period: Period) -> QgsDateTimeRange:
    """``first 00:00:00`` … ``last 23:59:59``, both inclusive, in local time.

    Why not ``[first, day after last)``: QGIS 3.22 saves a fixed range as two date-times only and reads it back with
    both ends inclusive, so an exclusive end would, after saving the project, make June also show in the July frame.
    Local time (no zone) is what QGIS's own date-time editors and the Temporal Controller use, so monthly frames
    line up with the maps' months.
    """
    def stamp(day: date, time: QTime) -> QDateTime:
        return QDateTime(QDate(day.year, day.month, day.day), time)

    return QgsDateTimeRange(stamp(period.first, QTime(0, 0, 0)), stamp(period.last, QTime(23, 59, 59)), True, True)


def set_temporal(layer: QgsMapLayer, period: Period | None = None) -> bool:
    """Give a raster layer the fixed temporal range of its period (from its file name); True when set.

    The partition map (a whole year, no compositing period) stays non-temporal, so it shows behind every frame.
    """
    if not isinstance(layer, QgsRasterLayer):
        return False
    if period is None:
        parsed = output_name_of(layer)
        period = parsed.period if parsed is not None and parsed.key != "PARTITION" else None
    if period is None:
        return False
    properties = layer.temporalProperties()
    properties.setMode(QgsRasterLayerTemporalProperties.ModeFixedTemporalRange)
    properties.setFixedTemporalRange(temporal_range(period))
    properties.setIsActive(True)
    return True


def period_label(period: Period) -> str:
    """Group name of a period: ``2024-06``, ``2024 peak season``, ``2024-06-01 – 2024-07-15`` (unambiguous)."""
    if period.kind == "month":
        return f"{period.first:%Y-%m}"
    if period.kind == "peak":
        return tr("{year} peak season").format(year=period.year)
    return f"{period.first.isoformat()} – {period.last.isoformat()}"


def layer_sort_key(parsed: OutputName | None) -> tuple:
    """The order of the map table (:data:`leaf_qgis.core.products.MAPS`: products, value before uncertainty, then
    QC, date and partition); unknown layers last."""
    if parsed is None:
        return (layer_rank(""), 0, "", 0)
    return (layer_rank(parsed.key), int(parsed.error), parsed.shard, parsed.resolution_m)


# ---------------------------------------------------------------------------------------------------------------
# Layer tree


def child_group(parent: QgsLayerTreeGroup, name: str, key: str) -> QgsLayerTreeGroup:
    """The LEAF group ``name`` under ``parent``, created in order of ``key`` among the other LEAF groups there.

    A new group goes before the first LEAF sibling with a larger key, else after the last LEAF sibling, else first
    (where Processing puts new results), so tiles and periods read in order whatever order layers arrive in.
    """
    position = None
    last_ours = -1
    for index, child in enumerate(parent.children()):
        if not QgsLayerTree.isGroup(child) or child.customProperty(GROUP_PROPERTY) is None:
            continue
        if child.name() == name:
            return child
        last_ours = index
        if position is None and str(child.customProperty(GROUP_PROPERTY)) > key:
            position = index
    if position is None:
        position = last_ours + 1
    group = parent.insertGroup(position, name)
    group.setCustomProperty(GROUP_PROPERTY, key)
    return group


def target_group(project: QgsProject, parsed: OutputName) -> QgsLayerTreeGroup:
    """``<region>`` / ``<period>`` (the partition map sits directly in its region's group)."""
    region = child_group(project.layerTreeRoot(), parsed.region, parsed.region)
    if parsed.period is None or parsed.key == "PARTITION":
        return region
    key = f"{parsed.period.first.isoformat()}/{parsed.period.last.isoformat()}/{parsed.period.kind}"
    return child_group(region, period_label(parsed.period), key)


def place_in_tree(layer: QgsMapLayer, project: QgsProject | None = None) -> QgsLayerTreeGroup | None:
    """Move (or add) the layer's node into its region/period group; None for a layer without a LEAF name.

    The new node is inserted before the old one is removed: the layer-tree bridge removes a layer from the project
    when its last node goes.
    """
    parsed = output_name_of(layer)
    if parsed is None:
        return None
    project = project or QgsProject.instance()
    if project.mapLayer(layer.id()) is None:
        project.addMapLayer(layer, False)
    group = target_group(project, parsed)
    node = project.layerTreeRoot().findLayer(layer.id())
    if node is not None and node.parent() is group:
        return group
    key = layer_sort_key(parsed)
    index = len(group.children())
    for i, child in enumerate(group.children()):
        if QgsLayerTree.isLayer(child) and child.layer() is not None \
                and layer_sort_key(output_name_of(child.layer())) > key:
            index = i
            break
    if node is None:
        group.insertLayer(index, layer)
    else:
        group.insertChildNode(index, node.clone())
        node.parent().removeChildNode(node)
    return group


# ---------------------------------------------------------------------------------------------------------------
# The post-processor


class LeafLayerPostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles a LEAF layer with :func:`style_layer`, sets its temporal range and optionally groups it by tile/period.

    ``restyle=False`` keeps a style the algorithm already applied in its worker thread (scanning a large QC raster
    for its values then does not freeze the interface); the layer is styled again only when something replaced that
    style on loading (Processing's own default raster style setting).
    """

    def __init__(self, restyle: bool = True, group: bool = False, replace_qml: bool = True) -> None:
        super().__init__()
        self.restyle = restyle
        self.group = group
        self.replace_qml = replace_qml

    def postProcessLayer(self, layer: QgsMapLayer, context: QgsProcessingContext, feedback) -> None:
        try:
            if self.restyle or layer.customProperty(STYLE_PROPERTY) is None:
                style_layer(layer, replace_qml=self.replace_qml)
            set_temporal(layer)
            if self.group:
                place_in_tree(layer, context.project() or QgsProject.instance())
        except Exception as error:
            message = tr("Could not style the LEAF layer {name}: {error}").format(name=layer.name(), error=error)
            if feedback is not None:
                feedback.reportError(message)
            log(message)


def style_on_completion(context: QgsProcessingContext, layer_id_or_path: str, group: bool = False,
                        restyle: bool = True) -> bool:
    """Attach a kept :class:`LeafLayerPostProcessor` to an output registered for loading on completion.

    Producers call it for each output after ``addLayerToLoadOnCompletion`` (or after a destination parameter
    registered it). False, changing nothing, when the layer is not set to load on completion (e.g. the user
    unticked "Open output file after running").
    """
    if not context.willLoadLayerOnCompletion(layer_id_or_path):
        return False
    details = context.layerToLoadOnCompletionDetails(layer_id_or_path)  # a reference into the context
    details.setPostProcessor(keep(LeafLayerPostProcessor(restyle=restyle, group=group)))
    return True
