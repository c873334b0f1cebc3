"""The LEAF layer post-processor: producers' outputs styled (and timed) when Processing loads them on completion,
kept alive against Python's garbage collector, and freed with their context."""

from __future__ import annotations

import gc

import numpy as np
from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterRasterDestination,
    QgsProject,
    QgsRasterLayer,
)

from leaf_qgis.core import qc
from leaf_qgis.styling import postprocess
from leaf_qgis.styling.postprocess import LeafLayerPostProcessor, style_on_completion
from leaf_qgis.styling.styles import STYLE_PROPERTY
from tests.local_factory import write_raster


class WriteQc(QgsProcessingAlgorithm):
    """A stand-in producer: writes a QC raster to OUTPUT (and a LAI raster to OUTPUT_LAI) and asks for styling."""

    def name(self):
        return "write_qc"

    def displayName(self):
        return "write qc"

    def createInstance(self):
        return WriteQc()

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterRasterDestination("OUTPUT", "QC"))
        self.addParameter(QgsProcessingParameterRasterDestination("OUTPUT_LAI", "LAI", optional=True,
                                                                  createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):
        path = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        array = np.full((4, 4), qc.encode(21), dtype=np.uint8)
        array[0, :2] = qc.encode(8, output_out_of_range=1)
        write_raster(path, array, nodata=0)
        self.attached = [style_on_completion(context, path)]
        results = {"OUTPUT": path}
        lai = self.parameterAsOutputLayer(parameters, "OUTPUT_LAI", context)
        if lai:
            write_raster(lai, np.full((4, 4), 2.0, dtype=np.float32))
            self.attached.append(style_on_completion(context, lai, group=True))
            results["OUTPUT_LAI"] = lai
        return results


def loaded(project: QgsProject, path) -> QgsRasterLayer:
    found = [lyr for lyr in project.mapLayers().values() if lyr.source() == str(path)]
    assert len(found) == 1, [lyr.source() for lyr in project.mapLayers().values()]
    return found[0]


def test_outputs_loaded_on_completion_are_styled_timed_and_grouped(qgis_processing, project, tmp_path):
    import processing

    qc_path, lai_path = tmp_path / "tile55_2024_Jun_QC_20m.tif", tmp_path / "tile55_2024_Jun_LAI_20m.tif"
    alg = WriteQc()
    alg.initAlgorithm()
    processing.runAndLoadResults(alg, {"OUTPUT": str(qc_path), "OUTPUT_LAI": str(lai_path)})

    qc_layer = loaded(project, qc_path)
    assert qc_layer.renderer().type() == "paletted"
    assert [c.label for c in qc_layer.renderer().classes()] == [
        "Landsat 8 · output out of range", "Sentinel-2 · valid"]
    assert qc_layer.customProperty(STYLE_PROPERTY) == "QC"
    assert (tmp_path / "tile55_2024_Jun_QC_20m.qml").is_file()
    span = qc_layer.temporalProperties().fixedTemporalRange()
    assert qc_layer.temporalProperties().isActive()
    assert (span.begin().date().toString("yyyy-MM-dd"), span.end().date().toString("yyyy-MM-dd")) == (
        "2024-06-01", "2024-06-30")
    root = project.layerTreeRoot()
    assert root.findLayer(qc_layer.id()).parent() is root  # grouping is opt-in

    lai_layer = loaded(project, lai_path)
    assert lai_layer.renderer().type() == "singlebandpseudocolor"
    assert lai_layer.renderer().classificationMax() == 8.0
    assert root.findLayer(lai_layer.id()).parent().name() == "2024-06"
    assert root.findLayer(lai_layer.id()).parent().parent().name() == "tile55"


def test_the_post_processor_survives_garbage_collection(qgis_processing, tmp_path):
    path = str(tmp_path / "tile55_2024_Jul_QC_20m.tif")
    context = QgsProcessingContext()
    context.addLayerToLoadOnCompletion(path, QgsProcessingContext.LayerDetails("qc", QgsProject.instance(), "OUTPUT"))
    assert style_on_completion(context, path)
    gc.collect()
    processor = context.layerToLoadOnCompletionDetails(path).postProcessor()
    # without the kept reference this would be the bare C++ base class (its Python part collected)
    assert isinstance(processor, LeafLayerPostProcessor)

    write_raster(path, np.full((2, 2), qc.encode(9), dtype=np.uint8), nodata=0)
    layer = QgsRasterLayer(path, "qc", "gdal")
    processor.postProcessLayer(layer, context, QgsProcessingFeedback())  # as Processing calls it
    assert layer.renderer().type() == "paletted"
    assert layer.renderer().classes()[0].label == "Landsat 9 · valid"


def test_kept_post_processors_are_released_with_their_context(qgis_processing):
    before = postprocess.kept_count()
    context = QgsProcessingContext()
    for name in ("a", "b", "c"):
        context.addLayerToLoadOnCompletion(name, QgsProcessingContext.LayerDetails(name, QgsProject.instance(), ""))
        assert style_on_completion(context, name)
    assert postprocess.kept_count() == before + 3
    del context  # ~QgsProcessingContext deletes each post-processor once: one instance per layer, no double delete
    gc.collect()
    assert postprocess.kept_count() == before


def test_outputs_not_loaded_on_completion_are_left_alone(qgis_processing, tmp_path):
    context = QgsProcessingContext()
    assert not style_on_completion(context, str(tmp_path / "tile55_2024_Jun_LAI_20m.tif"))
    assert context.layersToLoadOnCompletion() == {}


def test_processing_run_without_loading_does_not_fail(qgis_processing, tmp_path):
    import processing

    alg = WriteQc()
    alg.initAlgorithm()
    out = tmp_path / "tile55_2024_Jun_QC_20m.tif"
    results = processing.run(alg, {"OUTPUT": QgsProcessingOutputLayerDefinition(str(out))})
    assert results["OUTPUT"] == str(out) and out.is_file()


def test_a_failing_style_is_reported_not_raised(qgis_processing, monkeypatch):
    class Feedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.errors = []

        def reportError(self, error, fatal_error=False):
            self.errors.append(error)

    def broken(*args):
        raise RuntimeError("layer tree gone")

    monkeypatch.setattr(postprocess, "place_in_tree", broken)
    feedback = Feedback()
    layer = QgsRasterLayer("/nowhere/tile55_2024_Jun_LAI_20m.tif", "missing", "gdal")
    LeafLayerPostProcessor(group=True).postProcessLayer(layer, QgsProcessingContext(), feedback)
    assert feedback.errors and "Could not style" in feedback.errors[0] and "layer tree gone" in feedback.errors[0]
