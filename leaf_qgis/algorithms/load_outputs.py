"""``leaf:load_outputs`` — load LEAF GeoTIFFs into the project, styled, grouped by tile and period, with time.

How it loads (the Processing way, so it works from the Toolbox, the modeler and ``processing.runAndLoadResults``):
the algorithm, in its worker thread, opens each recognised file as a layer, styles it (the QC value scan stays off
the interface thread), sets its fixed temporal range and hands it to ``context.temporaryLayerStore()`` registered
with ``context.addLayerToLoadOnCompletion``. Processing then adds it to the project in the main thread and calls
:class:`leaf_qgis.styling.postprocess.LeafLayerPostProcessor`, which moves it into ``<tile>/<period>``. Temporal
properties are set before the layer reaches the project so that the Temporal Controller sees a temporal layer
arrive. ``processing.run`` and ``qgis_process`` load nothing into a project (they have none to show), but return the
same layer ids and counts.

Nothing is guessed: a file is a LEAF output when its name is a LEAF output name, or when its GDAL metadata says so
(``LEAF_PRODUCT`` / ``LEAF_QGIS_OUTPUT``, written by the local engine and the direct download, so ``OUTPUT_LAI=lai.tif``
loads styled); any other file is listed in the log and counted, never loaded. A LEAF file GDAL cannot read is
skipped with a warning and counted; the others still load.

With the plan of ``leaf:produce_gee`` (its JSON lists every export's ``file_name``), only the planned files are
loaded, and planned files that are not there yet (exports still running, not downloaded) are listed and counted.
The plan is read as plain JSON: no Earth Engine code is imported.
"""

from __future__ import annotations

import json
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
from ..core.products import GEE, PRODUCTS
from .base import LeafAlgorithm, maps_help

#: Extensions looked at when scanning a folder (other files there — .qml, .aux.xml, .json — are not outputs).
RASTER_EXTENSIONS = (".tif", ".tiff")


def scan_folder(folder: str, recursive: bool) -> list[str]:
    """GeoTIFFs in ``folder`` (and its subfolders when ``recursive``), sorted for a stable loading order."""
    root = Path(folder)
    found = root.rglob("*") if recursive else root.iterdir()
    return sorted(str(p) for p in found if p.is_file() and p.suffix.lower() in RASTER_EXTENSIONS)


def planned_stems(path: str) -> list[str]:
    """File stems of the exports listed in a ``leaf:produce_gee`` plan (``exports[].file_name``), in plan order."""
    if not os.path.isfile(path):
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "The plan file '{path}' does not exist."), path=path)
    try:
        with open(path, encoding="utf-8") as handle:
            plan = json.load(handle)
        stems = [Path(str(e["file_name"])).stem if str(e["file_name"]).lower().endswith((".tif", ".tiff"))
                 else str(e["file_name"]) for e in plan["exports"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "'{path}' is not a plan of leaf:produce_gee ({reason}). Choose the JSON file written by its "
                    "'Plan' output."), path=path, reason=str(error) or type(error).__name__) from error
    return list(dict.fromkeys(stems))


def stem_without_shard(path: str) -> str:
    """The LEAF stem of a file, without the ``-<row>-<col>`` suffix of an Earth Engine shard."""
    parsed = naming.parse(os.path.basename(path))
    return parsed.stem if parsed is not None else Path(path).stem


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
    PLAN = "PLAN"
    OUTPUT_LAYERS = "OUTPUT_LAYERS"
    LOADED = "LOADED"
    UNRECOGNISED = "UNRECOGNISED"
    UNRECOGNISED_FILES = "UNRECOGNISED_FILES"
    UNREADABLE = "UNREADABLE"
    UNREADABLE_FILES = "UNREADABLE_FILES"
    MISSING = "MISSING"
    MISSING_FILES = "MISSING_FILES"
    group_key = "results"
    help_anchor = "6-loading-results"
    cancelled_text = QT_TRANSLATE_NOOP("leaf", "Cancelled: no layer was loaded.")

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
            "<p>Files named as LEAF names its outputs (<i>tile55_2024_Jun_LAI_20m.tif</i>, "
            "<i>tile55_2024_QC_20m.tif</i> for the peak season, <i>tile55_20240601-20240715_fAPAR_20m.tif</i>) or "
            "carrying the LEAF metadata (LEAF_PRODUCT, as the outputs of <i>produce_local</i> under any name) are "
            "loaded; the others are listed in the log and counted, never guessed. A LEAF file that cannot be read "
            "(incomplete download…) is skipped with a warning.</p>"
            "<p><b>Maps recognised</b>: the products {tokens} (and their _Error uncertainty), each with its fixed "
            "colour ramp, and {maps}</p>"
            "<p>Each map gets its period as a fixed time range, so the Temporal Controller animates a season of "
            "monthly maps as it is. Each style is also saved as a .qml beside its file when it has none; a .qml "
            "already there is never rewritten (inside the project the labels follow the interface language).</p>"
            "<p><b>Plan</b> (optional): the JSON plan written by <i>produce_gee</i>. Only the files it lists are "
            "loaded, and the listed files not found (exports still running or not downloaded yet) are reported. "
            "Without files or a folder, the plan's own folder is searched.</p>"
            "<p><b>Outputs</b>: the ids of the loaded layers, their number, the number and list of the files "
            "not recognised, and of the planned files not found.</p>"
        ).format(tokens=", ".join(p.file_token for p in PRODUCTS.values()), maps=maps_help(GEE))

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.INPUT, self.tr("LEAF files"), QgsProcessing.TypeFile, optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, self.tr("Folder of LEAF files"), QgsProcessingParameterFile.Folder, optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.RECURSIVE, self.tr("Include subfolders"), defaultValue=True))
        self.addParameter(QgsProcessingParameterFile(
            self.PLAN, self.tr("Plan of produce_gee (optional)"), QgsProcessingParameterFile.File, extension="json",
            optional=True))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.OUTPUT_LAYERS, self.tr("Loaded layers")))
        self.addOutput(QgsProcessingOutputNumber(self.LOADED, self.tr("Number of layers loaded")))
        self.addOutput(QgsProcessingOutputNumber(self.UNRECOGNISED, self.tr("Number of files not recognised")))
        self.addOutput(QgsProcessingOutputString(self.UNRECOGNISED_FILES, self.tr("Files not recognised")))
        self.addOutput(QgsProcessingOutputNumber(self.UNREADABLE, self.tr("Number of LEAF files that cannot be read")))
        self.addOutput(QgsProcessingOutputString(self.UNREADABLE_FILES, self.tr("LEAF files that cannot be read")))
        self.addOutput(QgsProcessingOutputNumber(self.MISSING, self.tr("Number of planned files not found")))
        self.addOutput(QgsProcessingOutputString(self.MISSING_FILES, self.tr("Planned files not found")))

    def input_files(self, parameters: dict, context: QgsProcessingContext) -> list[str]:
        """INPUT entries then the folder's GeoTIFFs, without duplicates; errors for missing files or folder."""
        entries = [resolve_entry(e, context) for e in self.parameterAsFileList(parameters, self.INPUT, context) if e]
        folder = self.parameterAsFile(parameters, self.FOLDER, context)
        plan = self.parameterAsFile(parameters, self.PLAN, context)
        if not entries and not folder and plan:
            folder = os.path.dirname(os.path.abspath(plan))
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

        plan = self.parameterAsFile(parameters, self.PLAN, context)
        expected = planned_stems(plan) if plan else None
        files = self.input_files(parameters, context)
        recognised = [(f, naming.parse(os.path.basename(f))) for f in files]
        from ..styling.styles import leaf_metadata_key

        by_metadata = {f: leaf_metadata_key(f) for f, parsed in recognised if parsed is None and expected is None}
        unknown = [f for f, parsed in recognised if parsed is None and not by_metadata.get(f)]
        leaf_files = [(f, parsed) for f, parsed in recognised if parsed is not None or by_metadata.get(f)]
        for path in unknown:
            feedback.pushWarning(self.tr("Neither a LEAF output name nor LEAF metadata, not loaded: {path}").format(
                path=path))
        missing: list[str] = []
        if expected is not None:
            wanted = set(expected)
            for path, _ in leaf_files:
                if stem_without_shard(path) not in wanted:
                    feedback.pushInfo(self.tr("Not in the plan, not loaded: {path}").format(path=path))
            leaf_files = [(f, p) for f, p in leaf_files if stem_without_shard(f) in wanted]
            found = {stem_without_shard(f) for f, _ in leaf_files}
            missing = [stem for stem in expected if stem not in found]
            for stem in missing:
                feedback.pushWarning(self.tr("Planned but not found: {name}").format(name=stem))
        if not leaf_files:
            folder = self.parameterAsFile(parameters, self.FOLDER, context)
            if expected is not None:
                raise LeafError(QT_TRANSLATE_NOOP(
                    "leaf", "None of the {count} file(s) of the plan '{plan}' was found. Download the exports (or "
                            "wait for them to finish) and choose the folder that holds them."),
                    count=len(expected), plan=plan)
            if not files and folder:
                raise LeafError(QT_TRANSLATE_NOOP(
                    "leaf", "The folder '{folder}' holds no .tif or .tiff file. Choose the folder the LEAF outputs "
                            "were written or downloaded to, or tick 'Include subfolders'."), folder=folder)
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "None of the {count} file(s) is named as a LEAF output or carries LEAF metadata ({where}). "
                        "LEAF names read REGION_YEAR_Mon_PRODUCT_RESm.tif, e.g. tile55_2024_Jun_LAI_20m.tif."),
                count=len(files), where=folder or ", ".join(files) or "-")
        project = context.project() or QgsProject.instance()
        ids: list[str] = []
        unreadable: list[str] = []
        for index, (path, parsed) in enumerate(leaf_files):
            self.check_cancelled(feedback)  # a failed run loads none of the layers gathered so far
            name = Path(path).stem
            # QGIS reads a default style only when there is a .qml to read (a user's own style must still win);
            # otherwise skipping that search saves ~30 % of the layer's creation time (432 files: 7.2 → 5.0 ms each).
            options = QgsRasterLayer.LayerOptions()
            options.loadDefaultStyle = os.path.exists(os.path.splitext(path)[0] + ".qml")
            layer = QgsRasterLayer(path, name, "gdal", options)
            if not layer.isValid():
                from .base import describe_unreadable

                unreadable.append(path)
                feedback.pushWarning(self.tr("Skipped, not loaded: {reason} It has a LEAF name but it may be "
                                             "incomplete or damaged: produce or download it again.").format(
                    reason=describe_unreadable(path)))
                continue
            styled = style_layer(layer, replace_qml=False)
            set_temporal(layer, parsed.period if parsed is not None and parsed.key != "PARTITION" else None)
            context.temporaryLayerStore().addMapLayer(layer)
            details = QgsProcessingContext.LayerDetails(name, project, self.OUTPUT_LAYERS)
            details.forceName = True
            details.setPostProcessor(keep(LeafLayerPostProcessor(restyle=False, group=True, replace_qml=False)))
            context.addLayerToLoadOnCompletion(layer.id(), details)
            ids.append(layer.id())
            feedback.pushInfo(self.tr("{name}: {state}").format(
                name=name, state=self.tr("styled") if styled else self.tr("kept its own style")))
            feedback.setProgress(100.0 * (index + 1) / len(leaf_files))
        feedback.pushInfo(self.tr("{loaded} layer(s) to load, {unknown} file(s) not recognised.").format(
            loaded=len(ids), unknown=len(unknown)))
        if unreadable:
            feedback.pushWarning(self.tr("{count} LEAF file(s) could not be read and were skipped.").format(
                count=len(unreadable)))
        if expected is not None:
            feedback.pushInfo(self.tr("{missing} of the {count} planned file(s) not found.").format(
                missing=len(missing), count=len(expected)))
        return {self.OUTPUT_LAYERS: ids, self.LOADED: len(ids), self.UNRECOGNISED: len(unknown),
                self.UNRECOGNISED_FILES: "\n".join(unknown), self.UNREADABLE: len(unreadable),
                self.UNREADABLE_FILES: "\n".join(unreadable), self.MISSING: len(missing),
                self.MISSING_FILES: "\n".join(missing)}
