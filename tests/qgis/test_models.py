"""The example models (``leaf_qgis/models/*.model3``): offered under the ``leaf`` provider, up to date with their
generator, and run end to end — the Earth Engine plan of the tile model, and LAI, QC flags and zonal statistics of
the local model on the synthetic sample scene, checked against the output files read with GDAL and numpy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

from leaf_qgis.core import qc
from leaf_qgis.engines.local import sample

MODELS = Path(__file__).resolve().parents[2] / "leaf_qgis" / "models"
GRID_MODEL = "leaf:tile_grid_to_gee_plan"
ZONAL_MODEL = "leaf:local_lai_zonal_stats"
#: Two zones on the sample's pixel grid (rows, columns; end excluded), edges on pixel edges: needleleaf forest, and
#: broadleaf forest with part of the lake (water is invalid with the land cover, so LAI has no data there).
ZONES = {"needleleaf": (slice(10, 40), slice(10, 45)), "broadleaf_lake": (slice(30, 80), slice(120, 185))}


def read(path: str) -> tuple[np.ndarray, gdal.Band]:
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    return band.ReadAsArray(), (band.GetNoDataValue(), band.GetScale(), band.GetOffset())


def zone_polygon_wkt(rows: slice, cols: slice) -> str:
    x0, y0 = sample.ORIGIN
    left, right = x0 + cols.start * sample.PIXEL, x0 + cols.stop * sample.PIXEL
    top, bottom = y0 - rows.start * sample.PIXEL, y0 - rows.stop * sample.PIXEL
    return f"POLYGON(({left} {bottom},{right} {bottom},{right} {top},{left} {top},{left} {bottom}))"


def canonical_xml(path: Path):
    import xml.etree.ElementTree as ET

    def walk(element):
        return (element.tag, sorted(element.attrib.items()), (element.text or "").strip(),
                [walk(child) for child in element])

    return walk(ET.parse(path).getroot())


def zones_layer():
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    layer = QgsVectorLayer(f"Polygon?crs=EPSG:{sample.EPSG}", "zones", "memory")
    layer.dataProvider().addAttributes([QgsField("zone", QVariant.String)])
    layer.updateFields()
    features = []
    for name, (rows, cols) in ZONES.items():
        feature = QgsFeature(layer.fields())
        feature.setAttributes([name])
        feature.setGeometry(QgsGeometry.fromWkt(zone_polygon_wkt(rows, cols)))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    return layer


# -- offered under the provider ----------------------------------------------------------------------------------


def test_the_models_are_offered_under_the_provider_with_their_outputs(leaf_provider):
    from qgis.core import QgsApplication

    algorithms = {a.id(): a for a in leaf_provider.algorithms()}
    assert {GRID_MODEL, ZONAL_MODEL} <= set(algorithms)
    registry = QgsApplication.processingRegistry()
    for model_id, outputs in ((GRID_MODEL, {"tile_grid:GRID", "produce_gee:PLAN"}),
                              (ZONAL_MODEL, {"produce_local:LAI", "produce_local:QC", "decode_qc:QC_INVALID",
                                             "decode_qc:QC_INPUT_OUT_OF_DOMAIN", "decode_qc:QC_OUTPUT_OUT_OF_RANGE",
                                             "zonal_statistics:ZONAL_STATISTICS"})):
        algorithm = registry.algorithmById(model_id)
        assert algorithm.group() == "LEAF examples"
        assert algorithm.provider().id() == "leaf"
        assert algorithm.shortHelpString() and algorithm.shortDescription()
        # the registered instance knows its steps (loaded again once the provider was registered), so the toolbox,
        # the modeler and qgis_process help list the outputs
        assert all(child.algorithm() is not None for child in algorithm.childAlgorithms().values())
        assert {o.name() for o in algorithm.outputDefinitions()} == outputs


def test_the_model_files_load_and_match_their_generator(leaf_provider, tmp_path):
    from qgis.core import QgsProcessingModelAlgorithm

    from leaf_qgis.models import build_models

    written = build_models.build(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in MODELS.glob("*.model3"))
    for path in written:
        shipped = MODELS / path.name
        # Qt writes XML attributes in a random order: compare the trees
        assert canonical_xml(path) == canonical_xml(shipped), f"{shipped.name} is stale: run python -m " \
                                                               "leaf_qgis.models.build_models"
        model = QgsProcessingModelAlgorithm()
        assert model.fromFile(str(shipped))
        assert model.name() == shipped.stem
        assert all(child.algorithm() is not None for child in model.childAlgorithms().values())


# -- (a) tile grid → Earth Engine plan -----------------------------------------------------------------------------


def test_tile_grid_model_writes_the_grid_and_one_export_per_product_tile_and_month(leaf_provider, tmp_path):
    import processing

    plan_path = tmp_path / "plan.json"
    grid_path = tmp_path / "grid.gpkg"
    results = processing.run(GRID_MODEL, {
        "TILES": "tile55, tile56", "SENSOR": "L8", "YEAR": 2021, "MONTHS": ["Jun", "Aug"],
        "PRODUCTS": ["LAI", "FAPAR", "DATE"], "tile_grid:GRID": str(grid_path), "produce_gee:PLAN": str(plan_path)})

    assert Path(results["produce_gee:PLAN"]) == plan_path
    from qgis.core import QgsVectorLayer

    grid = QgsVectorLayer(results["tile_grid:GRID"], "grid", "ogr")
    assert grid.isValid()
    assert sorted(f["name"] for f in grid.getFeatures()) == ["tile55", "tile56"]
    assert grid.crs().authid() == "EPSG:3979"

    plan = json.loads(plan_path.read_text())
    assert plan["dry_run"] is True
    exports = plan["exports"]
    # LAI and fAPAR bring the QC map with them; DATE is its own export
    keys = {"LAI", "FAPAR", "QC", "DATE"}
    combos = [(e["key"], e["region_name"], e["period"]["first"]) for e in exports]
    expected = {(k, t, f"2021-{m}-01") for k in keys for t in ("tile55", "tile56") for m in ("06", "08")}
    assert len(combos) == len(set(combos)) == len(expected) == plan["task_count"] == 16
    assert set(combos) == expected
    assert {e["file_name"] for e in exports} >= {"tile55_2021_Jun_LAI_20m.tif", "tile56_2021_Aug_fAPAR_20m.tif"}


def test_tile_grid_model_without_tiles_is_refused(leaf_provider, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException):
        processing.run(GRID_MODEL, {"TILES": "", "produce_gee:PLAN": str(tmp_path / "plan.json")})
    assert not (tmp_path / "plan.json").exists()


# -- (b) produce_local → decode_qc → zonal statistics -------------------------------------------------------------


@pytest.fixture(scope="module")
def zonal(qgis_processing, tmp_path_factory):
    """The local model once on the sample scene (with land cover and mask), outputs as files."""
    import processing
    from qgis.core import QgsApplication

    from tests.qgis.conftest import ensure_leaf_provider

    assert QgsApplication.processingRegistry().providerById("native") is not None
    ensure_leaf_provider()
    folder = tmp_path_factory.mktemp("zonal_model")
    inputs = sample.write_sample(str(folder / "input"))
    outputs = {
        "produce_local:LAI": str(folder / "lai.tif"),
        "produce_local:QC": str(folder / "qc.tif"),
        "decode_qc:QC_INPUT_OUT_OF_DOMAIN": str(folder / "domain.tif"),
        "decode_qc:QC_OUTPUT_OUT_OF_RANGE": str(folder / "range.tif"),
        "decode_qc:QC_INVALID": str(folder / "invalid.tif"),
        "zonal_statistics:ZONAL_STATISTICS": str(folder / "zones.gpkg"),
    }
    results = processing.run(ZONAL_MODEL, {
        "INPUT": inputs["INPUT"], "SENSOR": "S2", "LANDCOVER": inputs["LANDCOVER"], "MASK": inputs["MASK"],
        **sample.SAMPLE_ANGLES, "POLYGONS": zones_layer(), **outputs})
    return {"results": results, "outputs": outputs, "inputs": inputs}


def test_zonal_model_writes_lai_in_leaf_encoding(zonal):
    lai, (nodata, scale, offset) = read(zonal["outputs"]["produce_local:LAI"])
    assert lai.shape == (sample.SIZE, sample.SIZE) and lai.dtype == np.uint8
    assert (nodata, scale, offset) == (255, 0.05, 0)
    corner = sample.scene()["nodata"]
    assert (lai[corner] == 255).all()
    needleleaf = lai[ZONES["needleleaf"]] * scale
    assert 0.5 < needleleaf.mean() <= 254 * scale  # a dense canopy, inside the encodable range


def test_zonal_statistics_equal_the_lai_pixels_inside_each_polygon(zonal):
    from qgis.core import QgsVectorLayer

    results, outputs = zonal["results"], zonal["outputs"]
    assert results["zonal_statistics:ZONAL_STATISTICS"] == outputs["zonal_statistics:ZONAL_STATISTICS"]
    layer = QgsVectorLayer(outputs["zonal_statistics:ZONAL_STATISTICS"], "zones", "ogr")
    assert layer.isValid()
    names = [f.name() for f in layer.fields()]
    assert {"lai_count", "lai_mean", "lai_stdev", "lai_min", "lai_max"} <= set(names)
    lai, (nodata, scale, offset) = read(outputs["produce_local:LAI"])
    stats = {f["zone"]: f for f in layer.getFeatures()}
    assert set(stats) == set(ZONES)
    for name, (rows, cols) in ZONES.items():
        window = lai[rows, cols]
        values = window[window != nodata].astype(np.float64) * scale + offset  # physical LAI
        feature = stats[name]
        assert feature["lai_count"] == values.size
        assert feature["lai_mean"] == pytest.approx(values.mean(), abs=1e-6)
        assert feature["lai_stdev"] == pytest.approx(values.std(), abs=1e-6)
        assert feature["lai_min"] == pytest.approx(values.min(), abs=1e-6)
        assert feature["lai_max"] == pytest.approx(values.max(), abs=1e-6)
    # the lake zone lost its water pixels (no LAI there), the forest zone kept every pixel
    water = sample.scene()["landcover"] == sample.NALCMS["water"]
    rows, cols = ZONES["broadleaf_lake"]
    assert stats["broadleaf_lake"]["lai_count"] < (rows.stop - rows.start) * (cols.stop - cols.start)
    assert water[rows, cols].sum() > 0
    assert (lai[rows, cols][water[rows, cols]] == nodata).all()
    rows, cols = ZONES["needleleaf"]
    assert stats["needleleaf"]["lai_count"] == (rows.stop - rows.start) * (cols.stop - cols.start)
    assert stats["needleleaf"]["lai_mean"] != stats["broadleaf_lake"]["lai_mean"]


def test_zonal_model_decodes_the_qc_byte(zonal):
    outputs = zonal["outputs"]
    qc_byte, _ = read(outputs["produce_local:QC"])
    scene = sample.scene()
    # the local engine gives every pixel a QC byte (input no data is flagged invalid), all from Sentinel-2
    has_data = qc_byte != qc.QC_NODATA
    assert has_data.all()
    assert (qc.sensor_code(qc_byte) == 21).all()
    counts = {}
    for key, func in (("decode_qc:QC_INPUT_OUT_OF_DOMAIN", qc.input_out_of_domain),
                      ("decode_qc:QC_OUTPUT_OUT_OF_RANGE", qc.output_out_of_range),
                      ("decode_qc:QC_INVALID", qc.invalid)):
        flags, (nodata, _, _) = read(outputs[key])
        assert nodata == 255
        assert set(np.unique(flags)) <= {0, 1}
        assert np.array_equal(flags, func(qc_byte))
        counts[key] = int(flags.sum())
    invalid, _ = read(outputs["decode_qc:QC_INVALID"])
    # cloud and shadow (mask), water (land cover) and the no-data corner are invalid; the open forest is not
    expected_invalid = (scene["mask"] == 1) | (scene["landcover"] == sample.NALCMS["water"]) | scene["nodata"]
    assert (invalid[expected_invalid] == 1).all()
    assert counts["decode_qc:QC_INVALID"] >= expected_invalid.sum() > 0
    assert counts["decode_qc:QC_INVALID"] < sample.SIZE**2
    assert (invalid[ZONES["needleleaf"]] == 0).all()
    # invalid pixels have no LAI (left out of the zonal statistics); every other pixel has one
    lai, (lai_nodata, _, _) = read(outputs["produce_local:LAI"])
    assert np.array_equal(invalid == 1, lai == lai_nodata)
    assert counts["decode_qc:QC_INPUT_OUT_OF_DOMAIN"] + counts["decode_qc:QC_OUTPUT_OUT_OF_RANGE"] > 0


def test_the_sites_model_takes_the_window_the_algorithm_takes(leaf_provider):
    """The example sites model refused windows the algorithm accepts (its WINDOW_DAYS stopped at 366, the algorithm
    at 3660): both now read core.sites.MAX_WINDOW_DAYS."""
    from qgis.core import QgsApplication

    from leaf_qgis.core.sites import MAX_WINDOW_DAYS

    registry = QgsApplication.processingRegistry()
    model = registry.algorithmById("leaf:sites_time_series").parameterDefinition("WINDOW_DAYS")
    algorithm = registry.algorithmById("leaf:sample_sites").parameterDefinition("WINDOW_DAYS")
    assert model.maximum() == algorithm.maximum() == MAX_WINDOW_DAYS == 3660
    assert model.checkValueIsAcceptable(400) and model.checkValueIsAcceptable(3660)
    assert not model.checkValueIsAcceptable(3661) and not algorithm.checkValueIsAcceptable(3661)
