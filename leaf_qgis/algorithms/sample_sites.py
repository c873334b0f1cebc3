"""``leaf:sample_sites`` — SL2P time series at sites: every clear acquisition at each point or plot, as a table, a CSV
and a chart.

Thin: the layer's features → :func:`leaf_qgis.core.sites.make_request` (every check, before anything runs) → the
Earth Engine path (:mod:`leaf_qgis.engines.gee.sites`: plan, direct fetch or table export) or the local path
(:mod:`leaf_qgis.engines.local.sites`) → :func:`write_outputs` (GeoPackage / CSV / chart).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from .. import settings
from ..core import sites
from ..core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError
from ..core.network_catalog import ALGORITHMS, DEFAULT_GEE_ALGORITHM
from ..core.periods import FIRST_YEAR, LAST_YEAR, MONTH_TOKENS, Period
from ..core.products import PRODUCTS
from ..core.sensors import SENSORS
from .base import LeafAlgorithm, given, products_help
from .regions import area_code

ENGINES = ["gee", "local"]
DESTINATIONS = ["auto", "download", "drive", "gcs"]
_TYPES = {"str": QVariant.String, "int": QVariant.Int, "float": QVariant.Double}

#: Sensors with a collection of their own (a merged sensor cannot be sampled per scene).
SENSOR_KEYS = [key for key, s in SENSORS.items() if not s.is_merged]


class SampleSitesAlgorithm(LeafAlgorithm):
    SITES = "SITES"
    ID_FIELD = "ID_FIELD"
    DATE_FIELD = "DATE_FIELD"
    END_FIELD = "END_FIELD"
    WINDOW_DAYS = "WINDOW_DAYS"
    YEAR = "YEAR"
    MONTHS = "MONTHS"
    START = "START"
    END = "END"
    BUFFER = "BUFFER"
    SENSOR = "SENSOR"
    ALGORITHM = "ALGORITHM"
    PRODUCTS = "PRODUCTS"
    UNCERTAINTY = "UNCERTAINTY"
    SAMPLING = "SAMPLING"
    MAX_SCENE_CLOUD = "MAX_SCENE_CLOUD"
    RESOLUTION = "RESOLUTION"
    MASK_FLAGGED = "MASK_FLAGGED"
    ENGINE = "ENGINE"
    RASTERS = "RASTERS"
    LANDCOVER = "LANDCOVER"
    DESTINATION = "DESTINATION"
    FOLDER = "FOLDER"
    BUCKET = "BUCKET"
    PROJECT = "PROJECT"
    DRY_RUN = "DRY_RUN"
    PLAN = "PLAN"
    TASK_TABLE = "TASK_TABLE"
    OUTPUT = "OUTPUT"
    CSV = "CSV"
    CHART = "CHART"
    ROWS = "ROWS"
    UNOBSERVED = "UNOBSERVED"
    group_key = "results"
    help_anchor = "leafsample_sites"
    cancelled_text = QT_TRANSLATE_NOOP("leaf", "Cancelled: no site table, CSV or chart was written.")

    def name(self) -> str:
        return "sample_sites"

    def displayName(self) -> str:
        return self.tr("Sample SL2P time series at sites")

    def tags(self) -> list[str]:
        return self.tr("sites,plots,time series,validation,field,lai,fcover,fapar,sl2p,earth engine,csv,chart").split(
            ",")

    def shortHelpString(self) -> str:
        return self.tr(
            "<p>For every site of a point or polygon layer, every acquisition (not a composite) in a date window: "
            "the SL2P estimates, their uncertainty and the QC byte, with the same masks, angles, networks and pixel "
            "rules as the LEAF maps. One row per site × acquisition × pixel (PIXELS) or per site × acquisition "
            "with the mean, median, standard deviation and count of the site's good pixels (STATS).</p>"
            "<p><b>Sites</b>: any CRS; 'selected features only' is honoured; ID field (unique). Points take the "
            "pixel under them, or every pixel within BUFFER metres; polygons every pixel whose centre is inside.</p>"
            "<p><b>Dates</b>: a DATE field (e.g. the field-measurement date) with WINDOW_DAYS before and after, or "
            "DATE and END fields (each widened by WINDOW_DAYS), or else the same START and END (inclusive) or YEAR "
            "and MONTHS for every site.</p>"
            "<p><b>Engine</b>: Earth Engine (Sentinel-2 or Landsat surface reflectance; requests of up to 5 000 "
            "estimated rows are fetched directly, larger ones become a CSV table export to Drive or Cloud Storage "
            "followed with 'Earth Engine tasks'; DRY_RUN writes the PLAN only), or local rasters: LEAF outputs of "
            "either engine (dates from the Date map or the names) or Sentinel-2 L2A products (MTD_MSIL2A.xml, .SAFE, "
            ".zip) and Landsat Collection 2 Level-2 scenes (*_MTL.txt, folder, .tar) run through the local engine "
            "around each site.</p>"
            "<p><b>Outputs</b>: a GeoPackage layer (pixel centres or site centroids, WGS84) with site_id, date, "
            "sensor, scene_id, algorithm, network_slot, the values and the QC decoded into qc_domain (bit 0), "
            "qc_range (bit 1), qc_invalid (bit 2) and qc_sensor; the same as CSV; and a chart of each product per "
            "site (points coloured by QC, error bars = uncertainty). A site with no clear observation keeps a row "
            "with the reason in 'note' and is listed in the log.</p>"
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.SITES, self.tr("Sites (points or polygons)"),
            [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(self.ID_FIELD, self.tr("Site id field"), None, self.SITES))
        self.addParameter(QgsProcessingParameterField(
            self.DATE_FIELD, self.tr("Date field (e.g. field measurement date; optional)"), None, self.SITES,
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.END_FIELD, self.tr("End date field (with the date field as start; optional)"), None, self.SITES,
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.WINDOW_DAYS, self.tr("Days before and after each site's date"), QgsProcessingParameterNumber.Integer,
            defaultValue=10, minValue=0, maxValue=sites.MAX_WINDOW_DAYS))
        self.addParameter(QgsProcessingParameterNumber(
            self.YEAR, self.tr("Year (no date field)"), QgsProcessingParameterNumber.Integer, defaultValue=2021,
            minValue=FIRST_YEAR, maxValue=LAST_YEAR))
        self.add_enum(self.MONTHS, self.tr("Months (no date field)"), list(MONTH_TOKENS), ["Jun", "Jul", "Aug"],
                   multiple=True, optional=True)
        for key, label in ((self.START, self.tr("Or: start date (inclusive)")),
                           (self.END, self.tr("End date (inclusive)"))):
            self.addParameter(QgsProcessingParameterDateTime(key, label, QgsProcessingParameterDateTime.Date,
                                                             optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.BUFFER, self.tr("Buffer around points (m; 0 = the pixel under the point)"),
            QgsProcessingParameterNumber.Double, defaultValue=0.0, minValue=0.0, maxValue=sites.MAX_BUFFER_M))
        self.add_enum(self.SENSOR, self.tr("Sensor"), SENSOR_KEYS, "S2")
        self.add_enum(self.ALGORITHM, self.tr("Algorithm"), list(ALGORITHMS), DEFAULT_GEE_ALGORITHM)
        self.add_enum(self.PRODUCTS, self.tr("Products"), list(PRODUCTS), ["LAI", "FCOVER", "FAPAR"], multiple=True
                   ).setHelp(products_help())
        self.addParameter(QgsProcessingParameterBoolean(
            self.UNCERTAINTY, self.tr("Uncertainty of each estimate"), defaultValue=True))
        self.add_enum(self.SAMPLING, self.tr("Sampling"), list(sites.SAMPLING_MODES), sites.STATS)
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_SCENE_CLOUD, self.tr("Maximum scene cloud cover (%; -1 = CCRS production default)"),
            QgsProcessingParameterNumber.Double, defaultValue=-1.0, minValue=-1.0, maxValue=100.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.RESOLUTION, self.tr("Resolution (m; Earth Engine)"), QgsProcessingParameterNumber.Integer,
            defaultValue=20, minValue=10, maxValue=1000))
        flagged = QgsProcessingParameterBoolean(
            self.MASK_FLAGGED, self.tr("Also blank flagged pixels (snow, urban, saturation, range tests)"),
            defaultValue=False)
        flagged.setFlags(flagged.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(flagged)
        self.add_enum(self.ENGINE, self.tr("Engine"), ENGINES, "gee")
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.RASTERS, self.tr("Local rasters: LEAF outputs, or Sentinel-2 / Landsat scenes (local engine)"),
            QgsProcessing.TypeFile, optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.LANDCOVER, self.tr("NALCMS land cover (local scenes with SL2P-CCRS)"), optional=True))
        self.add_enum(self.DESTINATION, self.tr("Earth Engine destination (auto: direct up to 5 000 rows, else Drive)"),
                   DESTINATIONS, "auto")
        self.addParameter(QgsProcessingParameterString(
            self.FOLDER, self.tr("Drive folder or Cloud Storage prefix"), optional=True))
        self.addParameter(QgsProcessingParameterString(self.BUCKET, self.tr("Cloud Storage bucket"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.PROJECT, self.tr("Earth Engine Cloud project id (default: plugin setting)"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.DRY_RUN, self.tr("Dry run (Earth Engine): write the plan only, send nothing"), defaultValue=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.PLAN, self.tr("Plan (Earth Engine)"), self.tr("JSON files (*.json)"), optional=True,
            createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.TASK_TABLE, self.tr("Task table (table export; default: next to the plan)"),
            self.tr("CSV files (*.csv);;JSON files (*.json)"), optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Site time series"), QgsProcessing.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.CSV, self.tr("Site time series (CSV)"), self.tr("CSV files (*.csv)"), optional=True,
            createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.CHART, self.tr("Time-series chart"), self.tr("HTML files (*.html);;PNG files (*.png)"),
            optional=True, createByDefault=True))
        self.addOutput(QgsProcessingOutputNumber(self.ROWS, self.tr("Rows")))
        self.addOutput(QgsProcessingOutputNumber(self.UNOBSERVED, self.tr("Sites without a clear observation")))

    # ------------------------------------------------------------------------------------------------ reading
    def period(self, parameters: dict, context) -> Period:
        start = self.parameterAsDateTime(parameters, self.START, context) if given(parameters, self.START) else None
        end = self.parameterAsDateTime(parameters, self.END, context) if given(parameters, self.END) else None
        start = start if start is not None and start.isValid() else None
        end = end if end is not None and end.isValid() else None
        if start is not None or end is not None:
            if start is None or end is None:
                raise LeafError(QT_TRANSLATE_NOOP("leaf", "Give both a start and an end date, or neither."))
            return Period.date_range(start.date().toPyDate(), end.date().toPyDate())
        year = self.parameterAsInt(parameters, self.YEAR, context)
        months = sorted(MONTH_TOKENS.index(m) + 1 for m in self.parameterAsEnumStrings(parameters, self.MONTHS,
                                                                                            context))
        if not months:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Choose at least one month, the peak season, or start and end dates."))
        return Period.date_range(Period.month(year, months[0]).first, Period.month(year, months[-1]).last)

    def features(self, parameters: dict, context, feedback) -> tuple[list[sites.FeatureInput], str]:
        source = self.parameterAsSource(parameters, self.SITES, context)
        if source is None:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "SITES: choose a point or polygon layer."))
        id_field = self.parameterAsString(parameters, self.ID_FIELD, context)
        date_field = self.parameterAsString(parameters, self.DATE_FIELD, context)
        end_field = self.parameterAsString(parameters, self.END_FIELD, context)
        if end_field and not date_field:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "An END date field needs a DATE field too (the start of each site's window)."))
        mode = "range" if end_field else "single" if date_field else "none"
        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        transform = QgsCoordinateTransform(source.sourceCrs(), wgs84, context.transformContext())
        items = []
        for number, feature in enumerate(source.getFeatures(), 1):
            self.check_cancelled(feedback)  # never go on with some of the sites
            geometry = QgsGeometry(feature.geometry())
            geojson = None
            if not geometry.isNull() and not geometry.isEmpty():
                geometry.transform(transform)
                import json

                geojson = json.loads(geometry.asJson(7))
            items.append(sites.FeatureInput(
                number, feature[id_field] if id_field else feature.id(), geojson,
                feature[date_field] if date_field else None, feature[end_field] if end_field else None))
        return items, mode

    def request(self, parameters: dict, context, feedback) -> sites.SiteRequest:
        items, mode = self.features(parameters, context, feedback)
        period = self.period(parameters, context) if mode == "none" else None
        return sites.make_request(
            items, self.parameterAsEnumString(parameters, self.SENSOR, context) or "S2",
            period=period, window_days=self.parameterAsInt(parameters, self.WINDOW_DAYS, context), date_mode=mode,
            products=self.parameterAsEnumStrings(parameters, self.PRODUCTS, context),
            uncertainty=self.parameterAsBool(parameters, self.UNCERTAINTY, context),
            sampling=self.parameterAsEnumString(parameters, self.SAMPLING, context) or sites.STATS,
            buffer_m=self.parameterAsDouble(parameters, self.BUFFER, context),
            algorithm=self.parameterAsEnumString(parameters, self.ALGORITHM, context) or DEFAULT_GEE_ALGORITHM,
            max_scene_cloud=self.parameterAsDouble(parameters, self.MAX_SCENE_CLOUD, context),
            resolution_m=self.parameterAsInt(parameters, self.RESOLUTION, context),
            mask_flagged=self.parameterAsBool(parameters, self.MASK_FLAGGED, context))

    # ------------------------------------------------------------------------------------------------ running
    def execute(self, parameters: dict, context, feedback) -> dict[str, Any]:
        engine = self.parameterAsEnumString(parameters, self.ENGINE, context) or "gee"
        request = self.request(parameters, context, feedback)
        feedback.pushInfo(self.tr("{count} sites, {first} to {last}, {sensor}, {algorithm}, {sampling}.").format(
            count=len(request.sites), first=request.overall_period().first.isoformat(),
            last=request.overall_period().last.isoformat(), sensor=request.sensor.key,
            algorithm=request.algorithm, sampling=request.sampling))
        self.export_results: dict[str, Any] = {}
        if engine == "local":
            table = self.run_local(request, parameters, context, feedback)
        else:
            table = self.run_gee(request, parameters, context, feedback)
            if table is None:
                return self.export_results
        # The last point to stop: past it the table is written whole (the plan, if any, is already finished).
        self.check_cancelled(feedback, [self.export_results.get(self.PLAN, "")])
        return self.write_outputs(table, parameters, context, feedback)

    def run_local(self, request: sites.SiteRequest, parameters: dict, context, feedback) -> sites.SiteTable:
        from ..core.network_store import NetworkStore
        from ..engines.local import sites as local_sites

        paths = self.parameterAsFileList(parameters, self.RASTERS, context)
        if not paths:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "ENGINE local needs RASTERS: LEAF outputs, or Sentinel-2 L2A products / Landsat Collection 2 "
                        "scenes."))
        landcover = self.parameterAsRasterLayer(parameters, self.LANDCOVER, context)
        # A cancellation between scenes raises core.errors.Cancelled: the base class says it.
        return local_sites.sample_sites(
            request, paths, landcover_path=landcover.source() if landcover else None,
            store=NetworkStore.default(settings.networks_folder()), progress=feedback, translate=self.tr)

    def run_gee(self, request: sites.SiteRequest, parameters: dict, context, feedback) -> sites.SiteTable | None:
        from ..core.network_store import NetworkStore
        from ..engines.gee import plan as gee_plan
        from ..engines.gee import sites as gee_sites

        destination = self.parameterAsEnumString(parameters, self.DESTINATION, context) or "auto"
        rows = sites.estimate_rows(request)
        if destination == "auto":
            destination = "download" if rows <= sites.DIRECT_ROW_BUDGET else "drive"
        elif destination == "download" and rows > sites.DIRECT_ROW_BUDGET:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "About {rows} rows are expected, more than the {budget} a direct fetch handles. Choose the "
                        "drive or gcs DESTINATION (a table export), fewer sites, a shorter window or STATS."),
                rows=rows, budget=sites.DIRECT_ROW_BUDGET)
        feedback.pushInfo(self.tr("About {rows} rows expected: {how}.").format(
            rows=rows, how=self.tr("fetched directly") if destination == "download" else self.tr("table export")))
        dry_run = self.parameterAsBool(parameters, self.DRY_RUN, context)
        project = self.parameterAsString(parameters, self.PROJECT, context).strip() or settings.ee_project()
        if not dry_run:
            from ..engines.gee import session

            project = session.check_project_id(project)
        plan_path = self.parameterAsFileOutput(parameters, self.PLAN, context)
        if dry_run and not plan_path:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "A dry run writes the PLAN: choose its file."))
        target = gee_plan.check_writable(plan_path) if plan_path else None
        table_path = ""
        if destination != "download" and not dry_run:
            from ..engines.gee.submit import check_table_writable, default_table_path

            chosen = self.parameterAsFileOutput(parameters, self.TASK_TABLE, context)
            if not chosen and target is None:
                raise LeafError(QT_TRANSLATE_NOOP(
                    "leaf", "A table export writes its PLAN and task table: choose the PLAN file."))
            table_path = str(check_table_writable(chosen or default_table_path(target)))
        name = f"{sites.TASK_PREFIX}{request.sensor.key}_{request.overall_period().token}_{request.sampling.lower()}"
        plan = gee_sites.build_plan(
            request, name=f"{name}_{sites_code(request)}", destination=destination,
            folder=self.parameterAsString(parameters, self.FOLDER, context).strip(),
            bucket=self.parameterAsString(parameters, self.BUCKET, context).strip(), project=project,
            store=NetworkStore.default(settings.networks_folder()))
        if target is not None:
            gee_plan.write_plan(plan, target)
            feedback.pushInfo(self.tr("Plan written: {path} ({seconds} s, {trips} server round trips).").format(
                path=str(target), seconds=plan["build_seconds"], trips=plan["server_round_trips"]))
        self.export_results = {self.PLAN: str(target) if target else "", self.ROWS: 0}
        if dry_run:
            return None
        ee = self.earth_engine(project)
        if destination != "download":
            from ..engines.gee import submit

            # Building the plan takes seconds: a cancellation meanwhile must not start the export it was building.
            self.check_cancelled(feedback, [self.export_results[self.PLAN]])
            result = gee_sites.submit_table_plan(ee, plan, project, table_path=table_path,
                                                 attempts=submit.DEFAULT_ATTEMPTS, backoff=submit.DEFAULT_BACKOFF)
            row = result.rows[0]
            feedback.pushInfo(self.tr("{action}: {description} ({state}, task {task}); follow it with 'Earth Engine "
                                      "tasks'. Task table: {path}.").format(
                action=row.action, description=row.description, state=row.state or "-", task=row.task_id or "-",
                path=table_path))
            self.export_results[self.TASK_TABLE] = table_path
            return None
        from ..engines.gee import submit

        table = gee_sites.decode_table(ee, plan)

        def progress(count: int) -> bool:
            feedback.setProgress(min(95.0, 100.0 * count / max(rows, 1)))
            return not feedback.isCanceled()

        try:
            # Cancel is honoured while a page is computed too (up to 5 min each), not only between pages.
            state = gee_sites.fetch_rows(ee, table, progress=progress, cancelled=feedback.isCanceled,
                                         attempts=submit.DEFAULT_ATTEMPTS, backoff=submit.DEFAULT_BACKOFF)
        except Cancelled:
            raise Cancelled([self.export_results[self.PLAN]]) from None  # said with the plan kept
        feedback.pushInfo(self.tr("{count} features fetched in {pages} pages.").format(
            count=len(state.features), pages=state.pages))
        return gee_sites.rows_from_features(state.features, request)

    # ------------------------------------------------------------------------------------------------ writing
    def write_outputs(self, table: sites.SiteTable, parameters: dict, context, feedback) -> dict[str, Any]:
        columns = table.request.columns()
        fields = QgsFields()
        for name, kind in columns:
            fields.append(QgsField(name, _TYPES[kind]))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Point,
                                          QgsCoordinateReferenceSystem("EPSG:4326"))
        if sink is None:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "The output layer cannot be created."))
        for row in table.rows:
            feature = QgsFeature(fields)
            feature.setAttributes([row.get(name) for name, _ in columns])
            if row.get("lon") is not None and row.get("lat") is not None and row.get("date"):
                feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(row["lon"], row["lat"])))
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        notes = []
        for site, template in table.unobserved:
            note = self.tr(template).format(first=site.first.isoformat(), last=site.last.isoformat())
            notes.append(f"{site.site_id}: {note}")
            feedback.pushWarning(self.tr("Site {site}: {note}.").format(site=site.site_id, note=note))
        results: dict[str, Any] = {self.OUTPUT: dest, self.ROWS: len(table.rows),
                                   self.UNOBSERVED: len(table.unobserved)}
        csv_path = self.parameterAsFileOutput(parameters, self.CSV, context)
        if csv_path:
            write_csv(table, csv_path)
            results[self.CSV] = csv_path
        chart_path = self.parameterAsFileOutput(parameters, self.CHART, context)
        if chart_path:
            write_chart(table, chart_path, self.tr("LEAF time series at sites"), notes, self.tr)
            results[self.CHART] = chart_path
        feedback.pushInfo(self.tr("{rows} rows; {missing} sites without a clear observation.").format(
            rows=len(table.rows), missing=len(table.unobserved)))
        return results


def sites_code(request: sites.SiteRequest) -> str:
    """Six hex digits (:func:`.regions.area_code`) of the request's sites (ids, geometries, windows) and settings, the
    last part of its Earth Engine task name (``leaf_sites_S2_20240701-20240731_stats_1a2b3c``).

    Why: submitting skips a task whose name already exists (so a run resumes), and the sensor and overall period alone
    do not tell two site layers apart: without this a second layer would be "skipped" and handed the first one's
    table. The same layer with the same settings gets the same code, so resuming still skips.
    """
    return area_code({"coordinates": [
        [[s.site_id, s.geometry.get("type"), s.geometry.get("coordinates"), s.first.isoformat(), s.last.isoformat()]
         for s in request.sites],
        request.to_json()]})


def write_csv(table: sites.SiteTable, path: str) -> None:
    """The table as CSV (UTF-8, header = the layer's columns), written through a temporary file and a rename."""
    from ..core.network_store import write_atomically

    names = [name for name, _ in table.request.columns()]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in names})
    write_atomically(Path(path), buffer.getvalue().encode("utf-8"))


def write_chart(table: sites.SiteTable, path: str, title: str, notes: list[str], translate=None) -> None:
    """The chart as HTML with an embedded PNG (``.html``) or as a PNG."""
    from ..core.network_store import write_atomically
    from ..styling import site_chart

    image = site_chart.render(table, translate)
    if os.path.splitext(path)[1].lower() == ".png":
        write_atomically(Path(path), site_chart.png_bytes(image))
    else:
        write_atomically(Path(path), site_chart.html_page(table, image, title, notes).encode("utf-8"))
