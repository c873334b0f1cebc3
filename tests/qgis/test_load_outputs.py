"""``leaf:load_outputs``: layers loaded into the project through Processing's load-on-completion, styled, grouped by
tile and period, with temporal ranges; unrecognised files reported; clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from qgis.core import QgsLayerTree, QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback, QgsProject

from leaf_qgis.core import qc
from leaf_qgis.styling.postprocess import GROUP_PROPERTY
from leaf_qgis.styling.styles import STYLE_PROPERTY
from tests.local_factory import write_raster

MONTHLY = ("tile55_2024_Jun_LAI_20m", "tile55_2024_Jul_LAI_20m", "tile55_2024_Jun_QC_20m",
           "tile55_2024_Jun_LAI_Error_20m", "tile56_2024_Aug_fAPAR_20m", "tile55_2024_LAI_20m",
           "tile55_2024_Partition_20m", "tile55_20240601-20240715_Albedo_20m")


def leaf_folder(folder: Path, stems=MONTHLY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        if "_QC_" in stem:
            array = np.full((4, 4), qc.encode(21), dtype=np.uint8)
            array[0, 0] = qc.encode(8, invalid=1)
            write_raster(folder / f"{stem}.tif", array, nodata=0)
        elif "Partition" in stem:
            write_raster(folder / f"{stem}.tif", np.full((4, 4), 15, dtype=np.uint8), nodata=0)
        else:
            write_raster(folder / f"{stem}.tif", np.full((4, 4), 0.5, dtype=np.float32))
    return folder


def run_and_load(parameters: dict) -> tuple[dict, QgsProcessingContext]:
    """Run as the Toolbox does: the algorithm, then Processing's own loading of the results (main thread)."""
    from processing.gui.Postprocessing import handleAlgorithmResults

    from leaf_qgis.algorithms.load_outputs import LoadOutputsAlgorithm

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    alg = LoadOutputsAlgorithm()
    alg.initAlgorithm()
    results, ok = alg.run(parameters, context, feedback)
    assert ok, results
    assert handleAlgorithmResults(alg, context, feedback, parameters=parameters)
    return results, context


def tree(project: QgsProject) -> dict:
    """{group: {subgroup: [layer names]} or [layer names]} of the LEAF groups."""
    def walk(group):
        layers = [c.name() for c in group.children() if QgsLayerTree.isLayer(c)]
        groups = {c.name(): walk(c) for c in group.children() if QgsLayerTree.isGroup(c)}
        return {**groups, **({"layers": layers} if layers else {})}

    return walk(project.layerTreeRoot())


def test_folder_is_loaded_grouped_by_tile_and_period_styled_and_temporal(leaf_provider, project, tmp_path):
    folder = leaf_folder(tmp_path / "out")
    (folder / "notes.txt").write_text("not a raster")  # not a .tif: ignored in a folder
    write_raster(folder / "my_map.tif", np.ones((2, 2), dtype=np.uint8))
    results, _ = run_and_load({"FOLDER": str(folder)})

    assert results["LOADED"] == len(MONTHLY) and len(results["OUTPUT_LAYERS"]) == len(MONTHLY)
    assert results["UNRECOGNISED"] == 1 and results["UNRECOGNISED_FILES"].endswith("my_map.tif")
    layers = {project.mapLayer(i).name(): project.mapLayer(i) for i in results["OUTPUT_LAYERS"]}
    assert set(layers) == set(MONTHLY)

    assert tree(project) == {
        "tile55": {
            "2024 peak season": {"layers": ["tile55_2024_LAI_20m"]},
            "2024-06": {"layers": ["tile55_2024_Jun_LAI_20m", "tile55_2024_Jun_LAI_Error_20m",
                                   "tile55_2024_Jun_QC_20m"]},
            "2024-06-01 – 2024-07-15": {"layers": ["tile55_20240601-20240715_Albedo_20m"]},
            "2024-07": {"layers": ["tile55_2024_Jul_LAI_20m"]},
            "layers": ["tile55_2024_Partition_20m"],
        },
        "tile56": {"2024-08": {"layers": ["tile56_2024_Aug_fAPAR_20m"]}},
    }
    root = project.layerTreeRoot()
    assert [g.name() for g in root.children()] == ["tile55", "tile56"]
    # periods in calendar order (groups sort by first day, whatever order Processing loads the layers in)
    assert [g.name() for g in root.findGroup("tile55").children() if QgsLayerTree.isGroup(g)] == [
        "2024-06", "2024-06-01 – 2024-07-15", "2024 peak season", "2024-07"]
    assert root.findGroup("tile55").customProperty(GROUP_PROPERTY) == "tile55"

    assert layers["tile55_2024_Jun_LAI_20m"].renderer().type() == "singlebandpseudocolor"
    assert layers["tile55_2024_Jun_QC_20m"].renderer().type() == "paletted"
    assert layers["tile55_2024_Partition_20m"].renderer().type() == "paletted"
    assert layers["tile55_2024_Jun_LAI_Error_20m"].customProperty(STYLE_PROPERTY) == "LAI_ERROR"
    assert (folder / "tile55_2024_Jun_QC_20m.qml").is_file()


def test_monthly_layers_get_their_month_as_fixed_temporal_range(leaf_provider, project, tmp_path):
    from qgis.core import QgsRasterLayerTemporalProperties
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime

    folder = leaf_folder(tmp_path / "out")
    results, _ = run_and_load({"FOLDER": str(folder)})
    layers = {project.mapLayer(i).name(): project.mapLayer(i) for i in results["OUTPUT_LAYERS"]}

    def span(name):
        props = layers[name].temporalProperties()
        assert props.isActive() and props.mode() == QgsRasterLayerTemporalProperties.ModeFixedTemporalRange
        r = props.fixedTemporalRange()
        assert r.includeBeginning() and r.includeEnd()
        return r.begin().toString("yyyy-MM-dd HH:mm:ss"), r.end().toString("yyyy-MM-dd HH:mm:ss")

    assert span("tile55_2024_Jun_LAI_20m") == ("2024-06-01 00:00:00", "2024-06-30 23:59:59")
    assert span("tile55_2024_Jul_LAI_20m") == ("2024-07-01 00:00:00", "2024-07-31 23:59:59")
    assert span("tile55_2024_Jun_QC_20m") == ("2024-06-01 00:00:00", "2024-06-30 23:59:59")
    assert span("tile55_2024_LAI_20m") == ("2024-06-15 00:00:00", "2024-09-15 23:59:59")
    assert span("tile55_20240601-20240715_Albedo_20m") == ("2024-06-01 00:00:00", "2024-07-15 23:59:59")
    assert not layers["tile55_2024_Partition_20m"].temporalProperties().isActive()

    # a monthly Temporal Controller frame [1 Jul, 1 Aug) shows July's map, not June's
    july = frame(QDateTime(QDate(2024, 7, 1), QTime(0, 0)), QDateTime(QDate(2024, 8, 1), QTime(0, 0)))
    assert layers["tile55_2024_Jul_LAI_20m"].temporalProperties().isVisibleInTemporalRange(july)
    assert not layers["tile55_2024_Jun_LAI_20m"].temporalProperties().isVisibleInTemporalRange(july)


def frame(begin, end):
    from qgis.core import QgsDateTimeRange

    return QgsDateTimeRange(begin, end, True, False)


def test_a_list_of_files_and_unrecognised_files_are_reported(leaf_provider, project, tmp_path):
    folder = leaf_folder(tmp_path / "out", ("tile55_2024_Jun_LAI_20m", "tile55_2024_Jun_QC_20m"))
    other = write_raster(tmp_path / "elevation.tif", np.ones((2, 2), dtype=np.float32))
    files = [str(folder / "tile55_2024_Jun_LAI_20m.tif"), other, str(folder / "tile55_2024_Jun_QC_20m.tif")]
    results, _ = run_and_load({"INPUT": files})
    assert results["LOADED"] == 2 and results["UNRECOGNISED"] == 1
    assert results["UNRECOGNISED_FILES"] == other
    assert sorted(project.mapLayer(i).name() for i in results["OUTPUT_LAYERS"]) == [
        "tile55_2024_Jun_LAI_20m", "tile55_2024_Jun_QC_20m"]
    assert not [lyr for lyr in project.mapLayers().values() if lyr.name() == "elevation"]


def test_unrecognised_files_are_in_the_log(run_alg, tmp_path):
    folder = leaf_folder(tmp_path / "out", ("tile55_2024_Jun_LAI_20m",))
    other = write_raster(folder / "tile55_2024_June_LAI_20m.tif", np.ones((2, 2), dtype=np.float32))

    class Feedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushWarning(self, text):
            self.lines.append(text)

    feedback = Feedback()
    results = run_alg("load_outputs", {"FOLDER": str(folder), "RECURSIVE": False}, feedback=feedback)
    assert results["UNRECOGNISED"] == 1
    assert any(other in line and "not loaded" in line for line in feedback.lines)


def test_processing_run_returns_the_ids_without_touching_the_project(run_alg, project, tmp_path):
    folder = leaf_folder(tmp_path / "out", ("tile55_2024_Jun_LAI_20m",))
    results = run_alg("load_outputs", {"INPUT": [str(folder / "tile55_2024_Jun_LAI_20m.tif")]})
    assert len(results["OUTPUT_LAYERS"]) == 1 and results["LOADED"] == 1
    assert project.count() == 0


def test_run_and_load_results_loads_into_the_project(leaf_provider, project, tmp_path):
    import processing

    folder = leaf_folder(tmp_path / "out", ("tile55_2024_Jun_LAI_20m", "tile55_2024_Jul_LAI_20m"))
    results = processing.runAndLoadResults("leaf:load_outputs", {"FOLDER": str(folder)})
    names = sorted(project.mapLayer(i).name() for i in results["OUTPUT_LAYERS"])
    assert names == ["tile55_2024_Jul_LAI_20m", "tile55_2024_Jun_LAI_20m"]
    assert project.layerTreeRoot().findGroup("2024-07") is not None


def test_loading_twice_reuses_the_groups(leaf_provider, project, tmp_path):
    folder = leaf_folder(tmp_path / "out", ("tile55_2024_Jun_LAI_20m",))
    run_and_load({"FOLDER": str(folder)})
    run_and_load({"FOLDER": str(folder)})
    root = project.layerTreeRoot()
    assert [g.name() for g in root.children()] == ["tile55"]
    assert len(root.findGroup("2024-06").children()) == 2


@pytest.mark.parametrize("parameters, words", [
    ({}, "No input"),
    ({"INPUT": ["/nowhere/tile55_2024_Jun_LAI_20m.tif"]}, "do not exist"),
    ({"FOLDER": "/nowhere/at/all"}, "does not exist"),
])
def test_bad_input_gives_a_clear_error(run_alg, parameters, words):
    with pytest.raises(QgsProcessingException, match=words):
        run_alg("load_outputs", parameters)


def test_a_folder_without_leaf_files_is_an_error(run_alg, tmp_path):
    write_raster(tmp_path / "dem.tif", np.ones((2, 2), dtype=np.float32))
    with pytest.raises(QgsProcessingException, match="None of the 1 file"):
        run_alg("load_outputs", {"FOLDER": str(tmp_path)})


def test_a_damaged_leaf_file_is_skipped_with_a_warning_and_the_others_load(run_alg, tmp_path):
    """One incomplete download must not stop the loading of the rest of a batch."""
    leaf_folder(tmp_path, ("tile55_2024_Jul_LAI_20m",))
    (tmp_path / "tile55_2024_Jun_LAI_20m.tif").write_bytes(b"not a tiff")
    (tmp_path / "tile55_2024_Aug_LAI_20m.tif").write_bytes(b"")
    result = run_alg("load_outputs", {"FOLDER": str(tmp_path)})
    assert result["LOADED"] == 1 and result["UNREADABLE"] == 2
    assert sorted(Path(p).name for p in result["UNREADABLE_FILES"].split("\n")) == [
        "tile55_2024_Aug_LAI_20m.tif", "tile55_2024_Jun_LAI_20m.tif"]


def write_plan(path: Path, stems) -> Path:
    """A minimal ``leaf:produce_gee`` plan: the fields load_outputs reads (``exports[].file_name``) and a few more."""
    import json

    exports = [{"description": stem, "file_name": f"{stem}.tif", "key": "LAI", "region_name": "tile55"}
               for stem in stems]
    path.write_text(json.dumps({"plan_version": 1, "generator": "leaf_qgis leaf:produce_gee", "exports": exports}))
    return path


def test_a_plan_loads_its_files_and_reports_the_missing_ones(leaf_provider, project, tmp_path):
    folder = leaf_folder(tmp_path / "drive", ("tile55_2024_Jun_LAI_20m", "tile55_2024_Jul_LAI_20m"))
    # a large export arrives in shards; both belong to the planned tile55_2024_Jun_QC_20m
    for shard in ("0000000000-0000000000", "0000000000-0000004096"):
        write_raster(folder / f"tile55_2024_Jun_QC_20m-{shard}.tif", np.full((2, 2), qc.encode(21), np.uint8),
                     nodata=0)
    plan = write_plan(tmp_path / "plan.json", ["tile55_2024_Jun_LAI_20m", "tile55_2024_Jun_QC_20m",
                                               "tile55_2024_Aug_LAI_20m"])
    results, _ = run_and_load({"FOLDER": str(folder), "PLAN": str(plan)})
    names = sorted(project.mapLayer(i).name() for i in results["OUTPUT_LAYERS"])
    assert names == ["tile55_2024_Jun_LAI_20m", "tile55_2024_Jun_QC_20m-0000000000-0000000000",
                     "tile55_2024_Jun_QC_20m-0000000000-0000004096"]  # July is not in the plan
    assert results["MISSING"] == 1 and results["MISSING_FILES"] == "tile55_2024_Aug_LAI_20m"
    assert results["UNRECOGNISED"] == 0
    assert project.layerTreeRoot().findGroup("2024-07") is None


def test_a_plan_alone_searches_its_own_folder(run_alg, tmp_path):
    leaf_folder(tmp_path, ("tile55_2024_Jun_LAI_20m",))
    plan = write_plan(tmp_path / "plan.json", ["tile55_2024_Jun_LAI_20m"])
    results = run_alg("load_outputs", {"PLAN": str(plan)})
    assert results["LOADED"] == 1 and results["MISSING"] == 0


@pytest.mark.parametrize("content, words", [
    ("not json", "is not a plan"),
    ('{"exports": [{"name": 1}]}', "is not a plan"),
    ('{"exports": [{"file_name": "tile55_2024_Sep_LAI_20m.tif"}]}', "None of the 1 file"),
])
def test_bad_or_unmatched_plans_give_a_clear_error(run_alg, tmp_path, content, words):
    leaf_folder(tmp_path / "drive", ("tile55_2024_Jun_LAI_20m",))
    (tmp_path / "plan.json").write_text(content)
    with pytest.raises(QgsProcessingException, match=words):
        run_alg("load_outputs", {"FOLDER": str(tmp_path / "drive"), "PLAN": str(tmp_path / "plan.json")})


def test_a_missing_plan_file_is_an_error(run_alg, tmp_path):
    leaf_folder(tmp_path, ("tile55_2024_Jun_LAI_20m",))
    with pytest.raises(QgsProcessingException, match="does not exist"):
        run_alg("load_outputs", {"FOLDER": str(tmp_path), "PLAN": str(tmp_path / "nowhere.json")})


def test_inside_a_model_the_layers_load_when_the_model_completes(leaf_provider, project, tmp_path):
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelParameter,
        QgsProcessingParameterFile,
    )

    folder = leaf_folder(tmp_path / "out", ("tile55_2024_Jun_LAI_20m", "tile55_2024_Jun_QC_20m"))
    model = QgsProcessingModelAlgorithm("load", "models")
    model.addModelParameter(QgsProcessingParameterFile("folder", "folder", QgsProcessingParameterFile.Folder),
                            QgsProcessingModelParameter("folder"))
    child = QgsProcessingModelChildAlgorithm("leaf:load_outputs")
    child.setChildId("load")
    child.addParameterSources("FOLDER", [QgsProcessingModelChildParameterSource.fromModelParameter("folder")])
    model.addChildAlgorithm(child)

    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    results, ok = model.run({"folder": str(folder)}, context, feedback)
    assert ok, results
    assert len(context.layersToLoadOnCompletion()) == 2
    assert handleAlgorithmResults(model, context, feedback)
    group = project.layerTreeRoot().findGroup("2024-06")
    assert [n.name() for n in group.children()] == ["tile55_2024_Jun_LAI_20m", "tile55_2024_Jun_QC_20m"]
    assert group.children()[1].layer().renderer().type() == "paletted"


@pytest.mark.slow
def test_qgis_process_reports_counts(qgis_process, tmp_path):
    import json

    folder = leaf_folder(tmp_path / "out", ("tile55_2024_Jun_LAI_20m",))
    write_raster(folder / "dem.tif", np.ones((2, 2), dtype=np.float32))
    done = qgis_process("run", "leaf:load_outputs", "--json", "--", f"FOLDER={folder}")
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    assert results["LOADED"] == 1 and results["UNRECOGNISED"] == 1
    assert results["UNRECOGNISED_FILES"].endswith("dem.tif")


def test_ccc_and_cwc_load_styled_and_in_table_order(leaf_provider, project, tmp_path):
    """The opt-in products load like the others: recognised by name, styled over their fixed ranges (CCC 0–400
    µg/cm², CWC 0–0.3 g/cm²), placed after the default products and before QC."""
    stems = ("tile55_2024_Jul_QC_20m", "tile55_2024_Jul_CWC_20m", "tile55_2024_Jul_CCC_Error_20m",
             "tile55_2024_Jul_CCC_20m", "tile55_2024_Jul_LAI_20m")
    results, _ = run_and_load({"FOLDER": str(leaf_folder(tmp_path / "out", stems))})
    assert results["LOADED"] == 5
    assert tree(project) == {"tile55": {"2024-07": {"layers": [
        "tile55_2024_Jul_LAI_20m", "tile55_2024_Jul_CCC_20m", "tile55_2024_Jul_CCC_Error_20m",
        "tile55_2024_Jul_CWC_20m", "tile55_2024_Jul_QC_20m"]}}}
    layers = {project.mapLayer(i).name(): project.mapLayer(i) for i in results["OUTPUT_LAYERS"]}
    for stem, key, high in (("tile55_2024_Jul_CCC_20m", "CCC", 400.0), ("tile55_2024_Jul_CCC_Error_20m",
                                                                         "CCC_ERROR", 200.0),
                            ("tile55_2024_Jul_CWC_20m", "CWC", 0.3)):
        renderer = layers[stem].renderer()
        assert renderer.type() == "singlebandpseudocolor"
        assert (renderer.classificationMin(), renderer.classificationMax()) == pytest.approx((0.0, high))
        assert layers[stem].customProperty(STYLE_PROPERTY) == key


def test_a_cancelled_run_fails_and_loads_no_layer(leaf_provider, project, tmp_path, cancelling):
    """Cancelled after the first of two layers was prepared: it used to load that one and report success."""
    import processing

    folder = leaf_folder(tmp_path / "out", ("tile55_2024_Jun_LAI_20m", "tile55_2024_Jul_LAI_20m"))
    feedback = cancelling(1)
    with pytest.raises(QgsProcessingException, match=r"^Cancelled: no layer was loaded\.$"):
        processing.runAndLoadResults("leaf:load_outputs", {"FOLDER": str(folder)}, feedback=feedback)
    assert feedback.asked == 2
    assert project.count() == 0 and project.layerTreeRoot().children() == []
