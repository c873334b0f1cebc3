"""``leaf:load_outputs`` — load LEAF GeoTIFFs into the project, styled, grouped by tile and period, with time.

How it loads (the Processing way, so it works from the Toolbox, the modeler and ``processing.runAndLoadResults``):
the algorithm, in its worker thread, opens each recognised file as a layer, styles it (the QC value scan stays off
the interface thread), sets its fixed temporal range and hands it to ``context.temporaryLayerStore()`` registered
with ``context.addLayerToLoadOnCompletion``. Processing then adds it to the project in the main thread and calls
:class:`leaf_qgis.styling.postprocess.LeafLayerPostProcessor`, which moves it into ``<tile>/<period>``. Temporal
properties are set before the layer reaches the project so that the Temporal Controller sees a temporal layer
arrive. ``processing.run`` and ``qgis_process`` load nothing into a project (they have none to show), but return the
same layer ids and counts.

Nothing is guessed: a file whose name is not a LEAF output name is listed in the log and counted, never loaded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingUtils,
    QgsProject,
    QgsRasterLayer,
)

from ..core import naming
from ..core.errors import QT_TRANSLATE_NOOP, LeafError
from .base import LeafAlgorithm

#: Extensions looked at when scanning a folder (other files there — .qml, .aux.xml, .json — are not outputs).
RASTER_EXTENSIONS = (".tif", ".tiff")


def scan_folder(folder: str, recursive: bool) -> list[str]:
    """GeoTIFFs in ``folder`` (and its subfolders when ``recursive``), sorted for a stable loading order."""
    root = Path(folder)
    found = root.rglob("*") if recursive else root.iterdir()
    return sorted(str(p) for p in found if p.is_file() and p.suffix.lower() in RASTER_EXTENSIONS)


def resolve_entry(entry: str, context: QgsProcessingContext) -> str:
    """A path for one INPUT entry: a file path as is, else the file behind a layer id or name (modeler, Toolbox)."""
    if os.path.exists(entry):
        return entry
    layer = QgsProcessingUtils.mapLayerFromString(entry, context)
    if layer is not None and layer.providerType() == "gdal":
        return layer.source().split("|")[0]
    return entry


class LoadOutputsAlgorithm(LeafAlgorithm):
    INPUT = "INPUT"
    FOLDER = "FOLDER"
    RECURSIVE = "RECURSIVE"
    OUTPUT_LAYERS = "OUTPUT_LAYERS"
    LOADED = "LOADED"
    UNRECOGNISED = "UNRECOGNISED"
    UNRECOGNISED_FILES = "UNRECOGNISED_FILES"
    group_key = "results"
    help_anchor = "leafload_outputs"

    def name(self) -> str:
        return "load_outputs"

    def displayName(self) -> str:
        return self.tr("Load LEAF outputs")

    def tags(self) -> list[str]:
        return self.tr("load,open,style,temporal,time,group,lai,fcover,fapar,albedo,qc,leaf").split(",")

    def shortHelpString(self) -> str:
        return self.tr(
            "<p>Loads LEAF GeoTIFFs (from the local engine or exported by Earth Engine) into the project, styled "
            "with the LEAF styles and grouped by tile and period.</p>"
            "<p><b>Files</b> and/or <b>Folder</b>: the GeoTIFFs to load; in a folder every .tif is looked at (with "
            "its subfolders when asked).</p>"
            "<p>Only files named as LEAF names its outputs (<i>tile55_2024_Jun_LAI_20m.tif</i>, "
            "<i>tile55_2024_QC_20m.tif</i> for the peak season, <i>tile55_20240601-20240715_fAPAR_20m.tif</i>) are "
            "loaded; the others are listed in the log and counted, never guessed.</p>"
            "<p>Each map gets its period as a fixed time range, so the Temporal Controller animates a season of "
            "monthly maps as it is. Each style is also saved as a .qml beside its file.</p>"
            "<p><b>Outputs</b>: the ids of the loaded layers, their number, and the number and list of the files "
            "not recognised.</p>"
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.INPUT, self.tr("LEAF files"), QgsProcessing.TypeFile, optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, self.tr("Folder of LEAF files"), QgsProcessingParameterFile.Folder, optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.RECURSIVE, self.tr("Include subfolders"), defaultValue=True))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.OUTPUT_LAYERS, self.tr("Loaded layers")))
        self.addOutput(QgsProcessingOutputNumber(self.LOADED, self.tr("Number of layers loaded")))
        self.addOutput(QgsProcessingOutputNumber(self.UNRECOGNISED, self.tr("Number of files not recognised")))
        self.addOutput(QgsProcessingOutputString(self.UNRECOGNISED_FILES, self.tr("Files not recognised")))

    def input_files(self, parameters: dict, context: QgsProcessingContext) -> list[str]:
        """INPUT entries then the folder's GeoTIFFs, without duplicates; errors for missing files or folder."""
        entries = [resolve_entry(e, context) for e in self.parameterAsFileList(parameters, self.INPUT, context) if e]
        folder = self.parameterAsFile(parameters, self.FOLDER, context)
        if not entries and not folder:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "No input: choose LEAF files, a folder of LEAF files, or both."))
        missing = [e for e in entries if not os.path.isfile(e)]
        if missing:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "{count} file(s) do not exist or are not files: {files}. Check the paths (a folder goes in "
                        "'Folder of LEAF files')."), count=len(missing), files=", ".join(missing))
        if folder:
            if not os.path.isdir(folder):
                raise LeafError(QT_TRANSLATE_NOOP("leaf", "The folder '{folder}' does not exist."), folder=folder)
            entries += scan_folder(folder, self.parameterAsBoolean(parameters, self.RECURSIVE, context))
        unique: dict[str, str] = {}
        for entry in entries:
            unique.setdefault(os.path.normcase(os.path.abspath(entry)), entry)
        return list(unique.values())

    def execute(self, parameters: dict, context, feedback) -> dict[str, Any]:
        # Imported here: loading the plugin must stay cheap (styling pulls in GDAL block I/O on first use).
        from ..styling.postprocess import LeafLayerPostProcessor, keep, set_temporal
        from ..styling.styles import style_layer

        files = self.input_files(parameters, context)
        recognised = [(f, naming.parse(os.path.basename(f))) for f in files]
        unknown = [f for f, parsed in recognised if parsed is None]
        leaf_files = [(f, parsed) for f, parsed in recognised if parsed is not None]
        for path in unknown:
            feedback.pushWarning(self.tr("Not a LEAF output name, not loaded: {path}").format(path=path))
        if not leaf_files:
            folder = self.parameterAsFile(parameters, self.FOLDER, context)
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "None of the {count} file(s) is named as a LEAF output ({where}). LEAF names read "
                        "<region>_<year>_<Mon>_<product>_<res>m.tif, e.g. tile55_2024_Jun_LAI_20m.tif."),
                count=len(files), where=folder or ", ".join(files) or "-")
        project = context.project() or QgsProject.instance()
        ids: list[str] = []
        for index, (path, parsed) in enumerate(leaf_files):
            if feedback.isCanceled():
                break
            name = Path(path).stem
            layer = QgsRasterLayer(path, name, "gdal")
            if not layer.isValid():
                raise LeafError(QT_TRANSLATE_NOOP(
                    "leaf", "'{path}' has a LEAF name but cannot be opened as a raster; it may be incomplete or "
                            "damaged. Produce or download it again."), path=path)
            styled = style_layer(layer)
            set_temporal(layer, parsed.period if parsed.key != "PARTITION" else None)
            context.temporaryLayerStore().addMapLayer(layer)
            details = QgsProcessingContext.LayerDetails(name, project, self.OUTPUT_LAYERS)
            details.forceName = True
            details.setPostProcessor(keep(LeafLayerPostProcessor(restyle=False, group=True)))
            context.addLayerToLoadOnCompletion(layer.id(), details)
            ids.append(layer.id())
            feedback.pushInfo(self.tr("{name}: {state}").format(
                name=name, state=self.tr("styled") if styled else self.tr("kept its own style")))
            feedback.setProgress(100.0 * (index + 1) / len(leaf_files))
        feedback.pushInfo(self.tr("{loaded} layer(s) to load, {unknown} file(s) not recognised.").format(
            loaded=len(ids), unknown=len(unknown)))
        return {self.OUTPUT_LAYERS: ids, self.LOADED: len(ids), self.UNRECOGNISED: len(unknown),
                self.UNRECOGNISED_FILES: "\n".join(unknown)}
