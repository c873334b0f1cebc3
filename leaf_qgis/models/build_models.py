"""Write the example Processing models shipped with the plugin (``*.model3`` beside this file).

Run once after changing a model, then commit the ``.model3`` files (the plugin only reads them)::

    .venv/bin/python -m leaf_qgis.models.build_models

The models are built with the modeler API, so they open, edit and run in the graphical modeler like any model. The
``leaf`` provider offers them as ``leaf:<model name>`` in the group "LEAF examples".
"""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import (
    QgsProcessing,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildDependency,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QPointF

from ..algorithms import produce_gee, produce_local
from ..algorithms.base import enum_parameter
from ..core.periods import FIRST_YEAR, LAST_YEAR, MONTH_TOKENS
from ..core.products import DEFAULT_PRODUCTS
from ..core.sensors import LOCAL, sensors_for
from ..core.sites import MAX_WINDOW_DAYS
from ..i18n import tr
from . import MODELS_DIR

GROUP = "LEAF examples"
GROUP_ID = "leaf_examples"
GRID_MODEL = "tile_grid_to_gee_plan"
ZONAL_MODEL = "local_lai_zonal_stats"
SITES_MODEL = "sites_time_series"
#: native:zonalstatisticsfb STATISTICS indices: count, mean, standard deviation, minimum, maximum.
ZONAL_STATISTICS = [0, 2, 4, 5, 6]
ZONAL_PREFIX = "lai_"
CREATOR = "leaf_qgis"


def _static(value) -> list:
    return [QgsProcessingModelChildParameterSource.fromStaticValue(value)]


def _input(name: str) -> list:
    return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]


def _child_output(child_id: str, output: str) -> list:
    return [QgsProcessingModelChildParameterSource.fromChildOutput(child_id, output)]


def _add_input(model: QgsProcessingModelAlgorithm, definition, x: float, y: float) -> None:
    component = QgsProcessingModelParameter(definition.name())
    component.setPosition(QPointF(x, y))
    component.setDescription(definition.description())
    model.addModelParameter(definition, component)


def _child(algorithm_id: str, child_id: str, description: str, x: float, y: float,
           sources: dict[str, list]) -> QgsProcessingModelChildAlgorithm:
    child = QgsProcessingModelChildAlgorithm(algorithm_id)
    child.setChildId(child_id)
    child.setDescription(description)
    child.setPosition(QPointF(x, y))
    for name, source in sources.items():
        child.addParameterSources(name, source)
    return child


def _outputs(child: QgsProcessingModelChildAlgorithm, x: float, y: float,
             outputs: list[tuple[str, str, str]]) -> None:
    """Make child outputs (child output name, model output name, description) outputs of the model."""
    model_outputs = {}
    for i, (child_output, name, description) in enumerate(outputs):
        output = QgsProcessingModelOutput(name, description)
        output.setChildId(child.childId())
        output.setChildOutputName(child_output)
        output.setPosition(QPointF(x, y + 60 * i))
        model_outputs[name] = output
    child.setModelOutputs(model_outputs)


def tile_grid_to_gee_plan() -> QgsProcessingModelAlgorithm:
    """(a) CCRS tiles → their grid layer and the Earth Engine export plan (dry run, no credentials)."""
    model = QgsProcessingModelAlgorithm(GRID_MODEL, GROUP, GROUP_ID)
    _add_input(model, QgsProcessingParameterString(
        "TILES", tr("CCRS tiles (comma-separated, e.g. tile55, tile56)")), 120, 60)
    _add_input(model, enum_parameter("SENSOR", tr("Sensor"), produce_gee.SENSOR_KEYS, "S2"), 120, 140)
    _add_input(model, QgsProcessingParameterNumber(
        "YEAR", tr("Year"), QgsProcessingParameterNumber.Integer, defaultValue=2020, minValue=FIRST_YEAR,
        maxValue=LAST_YEAR),
        120, 220)
    _add_input(model, enum_parameter("MONTHS", tr("Months"), list(MONTH_TOKENS), ["Jun", "Jul", "Aug"],
                                     multiple=True), 120, 300)
    _add_input(model, enum_parameter("PRODUCTS", tr("Products"), produce_gee.PRODUCT_KEYS,
                                     [*DEFAULT_PRODUCTS, "DATE"], multiple=True), 120, 380)

    grid = _child("leaf:tile_grid", "tile_grid", tr("CCRS tile grid"), 420, 80,
                  {"LEVEL": _static("tile"), "TILES": _input("TILES")})
    _outputs(grid, 640, 40, [("OUTPUT", "GRID", tr("Tile grid"))])
    model.addChildAlgorithm(grid)

    plan = _child("leaf:produce_gee", "produce_gee", tr("Earth Engine plan (dry run)"), 420, 260,
                  {"TILES": _input("TILES"), "SENSOR": _input("SENSOR"), "YEAR": _input("YEAR"),
                   "MONTHS": _input("MONTHS"), "PRODUCTS": _input("PRODUCTS"), "PEAK_SEASON": _static(False),
                   "RESOLUTION": _static(20), "DESTINATION": _static("drive"), "DRY_RUN": _static(True)})
    plan.setDependencies([QgsProcessingModelChildDependency("tile_grid")])  # the grid first: it checks the names
    _outputs(plan, 640, 300, [("PLAN", "PLAN", tr("Plan"))])
    model.addChildAlgorithm(plan)

    model.setHelpContent({
        "SHORT_DESCRIPTION": tr("Example: CCRS tiles → their grid layer and the Earth Engine export plan."),
        "ALG_DESC": tr(
            "<p>Example model of the LEAF plugin (open it in the graphical modeler to adapt it).</p>"
            "<p>Draws the CCRS tiles you name (900 km tiles containing them) with <i>CCRS tile grid</i>, then "
            "runs <i>Produce LEAF maps on Earth Engine</i> as a <b>dry run</b> for the same tiles: the PLAN "
            "JSON file lists the export tasks for each product, tile and month (20 m, Google Drive). "
            "Change the destination, resolution or period in the modeler. Nothing is sent to Earth Engine and no "
            "credentials are needed.</p>"),
        "TILES": tr("Tile names of any level, comma-separated (tile55, tile55_411, tile55_912)."),
        "SENSOR": tr("S2 (Sentinel-2, 2017 on), L5, L7, L8 or L9."),
        "YEAR": tr("Year of the monthly composites."),
        "MONTHS": tr("One composite per month chosen."),
        "PRODUCTS": tr("Products to export; a QC map is always exported with LAI, fCOVER, fAPAR or albedo."),
        "tile_grid:GRID": tr("The tile polygons (EPSG:3979)."),
        "produce_gee:PLAN": tr("The plan of every export task (JSON)."),
        "ALG_CREATOR": CREATOR,
    })
    return model


def local_lai_zonal_stats() -> QgsProcessingModelAlgorithm:
    """(b) reflectance → local LAI and QC → QC flags, and zonal statistics of LAI over polygons."""
    model = QgsProcessingModelAlgorithm(ZONAL_MODEL, GROUP, GROUP_ID)
    _add_input(model, QgsProcessingParameterRasterLayer("INPUT", tr("Surface reflectance raster")), 120, 60)
    _add_input(model, enum_parameter("SENSOR", tr("Sensor"), produce_local.SENSOR_KEYS, "S2"), 120, 130)
    landcover = QgsProcessingParameterRasterLayer("LANDCOVER", tr("Land cover (NALCMS classes, same grid)"),
                                                  optional=True)
    _add_input(model, landcover, 120, 200)
    mask = QgsProcessingParameterRasterLayer(
        "MASK", tr("Invalid-pixel mask (non-zero = cloud, shadow…; same grid)"), optional=True)
    _add_input(model, mask, 120, 270)
    for i, (name, label, maximum) in enumerate((("SUN_ZENITH", tr("Sun zenith angle (°)"), 90.0),
                                                ("VIEW_ZENITH", tr("View zenith angle (°)"), 90.0),
                                                ("RELATIVE_AZIMUTH", tr("Relative azimuth angle (°)"), 360.0))):
        _add_input(model, QgsProcessingParameterNumber(name, label, QgsProcessingParameterNumber.Double,
                                                       minValue=0.0, maxValue=maximum), 120, 340 + 70 * i)
    _add_input(model, QgsProcessingParameterFeatureSource(
        "POLYGONS", tr("Polygons (zones for the statistics)"), [QgsProcessing.TypeVectorPolygon]), 120, 560)

    produce = _child("leaf:produce_local", "produce_local", tr("Produce SL2P maps locally"), 420, 200, {
        "INPUT": _input("INPUT"), "SENSOR": _input("SENSOR"), "LANDCOVER": _input("LANDCOVER"),
        "MASK": _input("MASK"), "SUN_ZENITH": _input("SUN_ZENITH"), "VIEW_ZENITH": _input("VIEW_ZENITH"),
        "RELATIVE_AZIMUTH": _input("RELATIVE_AZIMUTH"), "PRODUCTS": _static(["LAI"]),
        "UNCERTAINTY": _static(False), "ENCODING": _static("LEAF")})
    _outputs(produce, 660, 120, [("OUTPUT_LAI", "LAI", tr("LAI")), ("OUTPUT_QC", "QC", tr("QC byte"))])
    model.addChildAlgorithm(produce)

    decode = _child("leaf:decode_qc", "decode_qc", tr("Decode QC byte"), 700, 340,
                    {"INPUT": _child_output("produce_local", "OUTPUT_QC")})
    _outputs(decode, 940, 300, [
        ("OUTPUT_DOMAIN", "QC_INPUT_OUT_OF_DOMAIN", tr("QC flag: input out of training domain")),
        ("OUTPUT_RANGE", "QC_OUTPUT_OUT_OF_RANGE", tr("QC flag: output out of range")),
        ("OUTPUT_INVALID", "QC_INVALID", tr("QC flag: invalid pixel"))])
    model.addChildAlgorithm(decode)

    zonal = _child("native:zonalstatisticsfb", "zonal_statistics", tr("Zonal statistics of LAI"), 700, 560, {
        "INPUT": _input("POLYGONS"), "INPUT_RASTER": _child_output("produce_local", "OUTPUT_LAI"),
        "RASTER_BAND": _static(1), "COLUMN_PREFIX": _static(ZONAL_PREFIX), "STATISTICS": _static(ZONAL_STATISTICS)})
    _outputs(zonal, 940, 600, [("OUTPUT", "ZONAL_STATISTICS", tr("LAI statistics per polygon"))])
    model.addChildAlgorithm(zonal)

    model.setHelpContent({
        "SHORT_DESCRIPTION": tr("Example: local LAI and QC → QC flags and LAI statistics per polygon."),
        "ALG_DESC": tr(
            "<p>Example model of the LEAF plugin (open it in the graphical modeler to adapt it).</p>"
            "<p>Runs <i>Produce SL2P maps locally</i> for LAI on a surface-reflectance raster, splits its QC byte "
            "into 0/1 flag rasters with <i>Decode QC byte</i>, and computes <i>Zonal statistics</i> of LAI over "
            "each polygon: fields lai_count, lai_mean, lai_stdev, lai_min and lai_max.</p>"
            "<p><b>Units</b>: the LAI file is stored as bytes (LAI × 20, 255 = no data) and carries its scale "
            "0.05; QGIS applies that scale when it reads the file, so the statistics are in physical LAI "
            "(m²/m²) and pixels without data are left out. No raster calculator step is needed.</p>"
            "<p>Invalid pixels (cloud, shadow, water, no data) have no LAI and are left out; pixels flagged "
            "input out of domain or output out of range keep their value and are counted: mask them with the QC "
            "flags first if needed.</p>"),
        "INPUT": tr("Stack of the sensor's bands in network order (Sentinel-2 20 m: B3, B4, B5, B6, B7, B8A, B11, "
                    "B12)."),
        "LANDCOVER": tr("Optional: selects the CCRS land-cover networks."),
        "MASK": tr("Optional: non-zero pixels are marked invalid."),
        "SUN_ZENITH": tr("Angles of the scene in degrees (one value for the whole raster)."),
        "POLYGONS": tr("Any polygon layer; reprojected to the raster's CRS."),
        "produce_local:LAI": tr("LAI (LEAF encoding)."),
        "produce_local:QC": tr("The LEAF QC byte."),
        "decode_qc:QC_INPUT_OUT_OF_DOMAIN": tr("1 where the input is outside the SL2P training domain, else 0."),
        "decode_qc:QC_OUTPUT_OUT_OF_RANGE": tr("1 where LAI was out of range (clamped), else 0."),
        "decode_qc:QC_INVALID": tr("1 for invalid pixels (cloud, shadow, snow, water, masked), else 0."),
        "zonal_statistics:ZONAL_STATISTICS": tr(
            "The polygons with LAI count, mean, standard deviation, minimum and maximum (physical LAI)."),
        "ALG_CREATOR": CREATOR,
    })
    return model


def sites_time_series() -> QgsProcessingModelAlgorithm:
    """(c) field sites with a visit date → every acquisition ± N days around it: table, CSV and chart (local)."""
    model = QgsProcessingModelAlgorithm(SITES_MODEL, GROUP, GROUP_ID)
    _add_input(model, QgsProcessingParameterFeatureSource(
        "SITES", tr("Field sites (points or polygons)"),
        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon]), 120, 60)
    _add_input(model, QgsProcessingParameterField("ID_FIELD", tr("Site id field"), None, "SITES"), 120, 130)
    _add_input(model, QgsProcessingParameterField("DATE_FIELD", tr("Visit date field"), None, "SITES"), 120, 200)
    _add_input(model, QgsProcessingParameterNumber(
        "WINDOW_DAYS", tr("Days before and after the visit"), QgsProcessingParameterNumber.Integer,
        defaultValue=15, minValue=1, maxValue=MAX_WINDOW_DAYS), 120, 270)  # the algorithm's own limit
    _add_input(model, QgsProcessingParameterMultipleLayers(
        "RASTERS", tr("Sentinel-2 / Landsat scenes or LEAF outputs"), QgsProcessing.TypeFile), 120, 340)
    _add_input(model, enum_parameter("SENSOR", tr("Sensor"), list(sensors_for(LOCAL)), "S2"), 120, 410)

    sample = _child("leaf:sample_sites", "sample_sites", tr("Sample SL2P time series at sites"), 420, 220, {
        "SITES": _input("SITES"), "ID_FIELD": _input("ID_FIELD"), "DATE_FIELD": _input("DATE_FIELD"),
        "WINDOW_DAYS": _input("WINDOW_DAYS"), "RASTERS": _input("RASTERS"), "SENSOR": _input("SENSOR"),
        "ENGINE": _static("local"), "ALGORITHM": _static("SL2P"), "PRODUCTS": _static(["LAI", "FCOVER"]),
        "UNCERTAINTY": _static(True), "SAMPLING": _static("STATS"), "BUFFER": _static(30.0)})
    _outputs(sample, 680, 160, [("OUTPUT", "SERIES", tr("Site time series")),
                                ("CSV", "SERIES_CSV", tr("Site time series (CSV)")),
                                ("CHART", "CHART", tr("Time-series chart"))])
    model.addChildAlgorithm(sample)

    model.setHelpContent({
        "SHORT_DESCRIPTION": tr("Example: field sites with a visit date → LAI and fCOVER on every acquisition around "
                                "it, as a table, a CSV and a chart."),
        "ALG_DESC": tr(
            "<p>Example model of the LEAF plugin (open it in the graphical modeler to adapt it).</p>"
            "<p>Runs <i>Sample SL2P time series at sites</i> with the local engine: for each site, every scene "
            "acquired within WINDOW_DAYS of its visit date is run through the local SL2P engine around the site "
            "(a 30 m disc around points), and the mean, median, standard deviation and count of its good pixels are "
            "written per acquisition, with the decoded QC. Switch ENGINE to Earth Engine in the modeler to sample "
            "the whole Sentinel-2 or Landsat archive instead of local scenes.</p>"),
        "SITES": tr("Any point or polygon layer, any CRS."),
        "DATE_FIELD": tr("A date field, or text such as 2021-07-15."),
        "RASTERS": tr("Sentinel-2 L2A products (MTD_MSIL2A.xml, .SAFE, .zip), Landsat Collection 2 Level-2 scenes "
                      "(*_MTL.txt, folder, .tar) or LEAF outputs."),
        "sample_sites:SERIES": tr("One row per site and acquisition (GeoPackage)."),
        "sample_sites:CHART": tr("LAI and fCOVER per site over time (HTML)."),
        "ALG_CREATOR": CREATOR,
    })
    return model


def build(folder: Path = MODELS_DIR) -> list[Path]:
    """Write every example model into ``folder``; needs the ``leaf`` and ``native`` providers registered."""
    paths = []
    for make in (tile_grid_to_gee_plan, local_lai_zonal_stats, sites_time_series):
        model = make()
        path = Path(folder) / f"{model.name()}.model3"
        if not model.toFile(str(path)):
            raise OSError(f"cannot write {path}")
        paths.append(path)
    return paths


def main() -> int:
    from qgis.analysis import QgsNativeAlgorithms
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    registry = QgsApplication.processingRegistry()
    native = QgsNativeAlgorithms()
    registry.addProvider(native)
    from ..algorithms.provider import LeafProvider

    provider = LeafProvider()
    registry.addProvider(provider)
    for path in build():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
