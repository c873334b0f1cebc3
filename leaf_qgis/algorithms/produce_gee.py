"""``leaf:produce_gee`` — the LEAF workflow on Google Earth Engine: build every export of a request and write the plan
(dry run), or submit it.

Thin: parameters → :class:`leaf_qgis.engines.gee.plan` request → plan → (optionally) submission. ``ee`` is imported
only inside :meth:`execute`, through the engine.
"""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .. import settings
from ..core import products as maps
from ..core.errors import QT_TRANSLATE_NOOP, LeafError
from ..core.network_catalog import ALGORITHMS, DEFAULT_GEE_ALGORITHM
from ..core.periods import FIRST_YEAR, LAST_YEAR, MONTH_TOKENS
from ..core.products import DEFAULT_PRODUCTS, MAPS
from ..core.sensors import GEE, SENSORS, sensors_for
from . import regions
from .base import LeafAlgorithm, given, maps_help, products_help, qc_help

SENSOR_KEYS = list(sensors_for(GEE))
#: Every map Earth Engine exports on request (QC comes with any product): the map table's, in its order.
PRODUCT_KEYS = [k for k, m in MAPS.items() if m.kind != maps.QC and maps.GEE in m.engines]
DESTINATIONS = ["drive", "gcs", "asset", "download"]
"""The keys of :data:`leaf_qgis.engines.gee.destinations.DESTINATIONS`, restated because the engines are not imported
at plugin load (a test keeps the two equal)."""
DEFAULT_YEAR = 2020
DEFAULT_MONTHS = ("Jun", "Jul", "Aug")


class ProduceGeeAlgorithm(LeafAlgorithm):
    SENSOR = "SENSOR"
    YEAR = "YEAR"
    MONTHS = "MONTHS"
    PEAK_SEASON = "PEAK_SEASON"
    START = "START"
    END = "END"
    PRODUCTS = "PRODUCTS"
    RESOLUTION = "RESOLUTION"
    DESTINATION = "DESTINATION"
    FOLDER = "FOLDER"
    BUCKET = "BUCKET"
    ASSET_ROOT = "ASSET_ROOT"
    PROJECT = "PROJECT"
    TIME_SCORE = "TIME_SCORE"
    MAX_SCENE_CLOUD = "MAX_SCENE_CLOUD"
    ALGORITHM = "ALGORITHM"
    MASK_FLAGGED = "MASK_FLAGGED"
    DRY_RUN = "DRY_RUN"
    PLAN = "PLAN"
    TASK_COUNT = "TASK_COUNT"
    TASK_TABLE = "TASK_TABLE"
    SUBMITTED = "SUBMITTED"
    SKIPPED = "SKIPPED"
    DOWNLOAD_FOLDER = "DOWNLOAD_FOLDER"
    OUTPUT_LAYERS = "OUTPUT_LAYERS"
    group_key = "earth_engine"
    help_anchor = "leafproduce_gee"
    #: The engine stops a cancelled run with :class:`~leaf_qgis.core.errors.Cancelled` naming what it kept (the plan
    #: once written, the maps a direct download finished: the base class lists them after this text) or, while
    #: submitting, with how many tasks went (kept as it is). A direct download removes the map it was fetching.
    cancelled_text = QT_TRANSLATE_NOOP("leaf", "Cancelled: no partial file was left.")

    def name(self) -> str:
        return "produce_gee"

    def displayName(self) -> str:
        return self.tr("Produce LEAF maps on Earth Engine")

    def tags(self) -> list[str]:
        return self.tr("earth engine,gee,lai,fcover,fapar,albedo,sl2p,sentinel-2,landsat,export").split(",")

    def shortHelpString(self) -> str:
        return self.help_html(self.tr(
            "<p>Builds the LEAF production workflow on Google Earth Engine for a region, a sensor and one or more "
            "periods: cloud-masked best-pixel composites, the CCRS SL2P networks, QC byte and acquisition-date maps, "
            "exported as uint8 GeoTIFFs on the CCRS grid.</p>"
            "<p><b>Region</b>: CCRS tile names (any level), or an extent, or a polygon layer (one region, or one "
            "region per feature with REGION_PER_FEATURE, named by REGION_NAME_FIELD or by the feature id and a code "
            "of its area). Custom regions are named REGION_NAME, else after the layer (or 'extent') plus a code of "
            "the area, so two areas never write into the same folder.</p>"
            "<p><b>Sensor</b>: {sensors}.</p>"
            "<p><b>Period</b>: YEAR with MONTHS (one composite per calendar month, last day included), or the peak "
            "season (15 June – 15 September inclusive), or START and END dates (inclusive) — one of the three; "
            "combining them is refused. Defaults (logged when used): YEAR 2020, and June, July and August when no "
            "period is chosen. Years after the current one are refused.</p>"
            "<p><b>Resolution</b>: empty = the sensor's own (20 m Sentinel-2, 30 m Landsat).</p>"
            "<p><b>Products</b>: see Products below; a QC map is always exported with them.</p>"
            "<p><b>Algorithm</b>: SL2P-CCRS (default, what CCRS production runs) picks, per pixel, the network of "
            "its land-cover class (public NALCMS 2020 land cover, gaps filled from Copernicus 100 m); SL2P runs the "
            "generic network everywhere. The algorithm and network set are recorded in the plan.</p>"
            "<p><b>QC byte</b>: {qc}</p>"
            "<p><b>Flagged pixels</b> keep their estimate, as in CCRS production; only water and no-data land cover "
            "and pixels without a clear observation get nodata. Tick 'Blank flagged pixels' to write nodata "
            "wherever bit 2 is set.</p>"
            "<p><b>Maximum scene cloud cover</b> (advanced): scenes whose provider-reported cloud cover "
            "(Sentinel-2 CLOUDY_PIXEL_PERCENTAGE, Landsat CLOUD_COVER) exceeds it never enter a composite. -1 (the "
            "default) does what CCRS production does: Sentinel-2 scenes below 85 % cloud where the region's centre "
            "lies south of 55° N, below 70 % farther north; every Landsat scene. 0-100: scenes at or below that "
            "value (100: every scene).</p>"
            "<p><b>Files</b>: &lt;region&gt;_&lt;year&gt;_&lt;Mon&gt;_&lt;PRODUCT&gt;_&lt;resolution&gt;m "
            "(e.g. tile55_2020_Jul_LAI_20m), in FOLDER (default &lt;region&gt;_&lt;year&gt;) on Google Drive, in a "
            "Cloud Storage BUCKET, or as assets under ASSET_ROOT.</p>"
            "<p><b>Dry run</b>: writes the PLAN (every export task with its Earth Engine expression) without "
            "contacting Earth Engine; no credentials needed.</p>"
            "<p><b>Submit</b> (dry run off): writes the plan, signs in to Earth Engine with the PROJECT (or the plugin "
            "setting) and the standard credentials or the service-account key of the settings, then starts each task "
            "of the plan (throttled, retried on rate limits and server errors). Tasks already READY, RUNNING or "
            "COMPLETED with the same description are skipped, so an interrupted batch resumes where it stopped; "
            "FAILED or CANCELLED ones are submitted again. The TASK TABLE (CSV or JSON, default next to the plan) "
            "lists every task with its id, state and destination; follow it with 'Earth Engine tasks'.</p>"
            "<p><b>download</b> destination (small areas, up to 100 million pixels per map): no export task; each map "
            "is fetched directly in pieces below Earth Engine's request size limit and merged into one tiled, "
            "compressed GeoTIFF with the LEAF scale and nodata in the DOWNLOAD FOLDER, then loaded.</p>"
        ).format(sensors=self.sensor_years(), qc=qc_help()))

    def sensor_years(self) -> str:
        """``S2 (Sentinel-2, 2017 on), L5 (Landsat 5, 1984–2012) …`` from the sensor table."""
        return ", ".join(
            self.tr("{key} ({name}, {first} on)").format(key=s.key, name=self.tr(s.name), first=s.first_year)
            if s.last_year is None else
            self.tr("{key} ({name}, {first}–{last})").format(key=s.key, name=self.tr(s.name), first=s.first_year,
                                                             last=s.last_year)
            for s in (SENSORS[k] for k in SENSOR_KEYS))

    def initAlgorithm(self, config=None) -> None:
        regions.add_region_parameters(self)
        self.add_enum(self.SENSOR, self.tr("Sensor"), SENSOR_KEYS, "S2")
        self.addParameter(QgsProcessingParameterNumber(
            self.YEAR, self.tr("Year (default {year}; not used with start and end dates)").format(year=DEFAULT_YEAR),
            QgsProcessingParameterNumber.Integer, defaultValue=DEFAULT_YEAR, minValue=FIRST_YEAR,
            maxValue=LAST_YEAR))
        self.add_enum(self.MONTHS, self.tr("Months (none chosen: June, July and August, unless the peak season or "
                                        "dates are chosen)"), list(MONTH_TOKENS), None, multiple=True, optional=True)
        self.addParameter(QgsProcessingParameterBoolean(
            self.PEAK_SEASON, self.tr("Peak season instead of months (15 June – 15 September)"), defaultValue=False))
        for key, label in ((self.START, self.tr("Or: start date (inclusive)")),
                           (self.END, self.tr("End date (inclusive)"))):
            self.addParameter(QgsProcessingParameterDateTime(key, label, QgsProcessingParameterDateTime.Date,
                                                             optional=True))
        self.add_enum(self.PRODUCTS, self.tr("Products"), PRODUCT_KEYS, [*DEFAULT_PRODUCTS, "DATE"], multiple=True
                   ).setHelp(products_help() + maps_help(maps.GEE))
        self.add_enum(self.ALGORITHM, self.tr("Algorithm"), list(ALGORITHMS), DEFAULT_GEE_ALGORITHM)
        self.addParameter(QgsProcessingParameterBoolean(
            self.MASK_FLAGGED, self.tr("Blank flagged pixels (QC bit 2) instead of keeping their estimate"),
            defaultValue=False))
        self.addParameter(QgsProcessingParameterNumber(
            self.RESOLUTION, self.tr("Resolution (m; empty: the sensor's own, 20 m for Sentinel-2, 30 m for "
                                     "Landsat)"), QgsProcessingParameterNumber.Integer, optional=True,
            minValue=10, maxValue=10000))
        time_score = QgsProcessingParameterNumber(
            self.TIME_SCORE, self.tr("Weight of closeness to the middle of the period in the best-pixel score (0: "
                                     "spectral score only, as the reference tool)"),
            QgsProcessingParameterNumber.Double, defaultValue=0.0, minValue=0.0, maxValue=10.0)
        time_score.setFlags(time_score.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(time_score)
        max_cloud = QgsProcessingParameterNumber(
            self.MAX_SCENE_CLOUD, self.tr("Maximum scene cloud cover, % (-1: CCRS production default)"),
            QgsProcessingParameterNumber.Double, defaultValue=-1.0, minValue=-1.0, maxValue=100.0, optional=True)
        max_cloud.setFlags(max_cloud.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(max_cloud)
        self.add_enum(self.DESTINATION, self.tr("Destination"), DESTINATIONS, "drive")
        self.addParameter(QgsProcessingParameterString(
            self.FOLDER, self.tr("Folder (default <region>_<year>)"), optional=True))
        self.addParameter(QgsProcessingParameterString(self.BUCKET, self.tr("Cloud Storage bucket"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.ASSET_ROOT, self.tr("Asset folder (projects/<project id>/assets/<folder>)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.PROJECT, self.tr("Earth Engine Cloud project id (default: plugin setting)"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.DRY_RUN, self.tr("Dry run: write the plan only, submit nothing"), defaultValue=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.PLAN, self.tr("Plan"), self.tr("JSON files (*.json)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.TASK_TABLE, self.tr("Task table (when submitting; default: next to the plan)"),
            self.tr("CSV files (*.csv);;JSON files (*.json)"), optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.DOWNLOAD_FOLDER, self.tr("Download folder (download destination)"), optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.OUTPUT_LAYERS, self.tr("Downloaded maps")))
        self.addOutput(QgsProcessingOutputNumber(self.TASK_COUNT, self.tr("Number of export tasks")))
        self.addOutput(QgsProcessingOutputNumber(self.SUBMITTED, self.tr("Tasks submitted")))
        self.addOutput(QgsProcessingOutputNumber(self.SKIPPED, self.tr("Tasks skipped (already on Earth Engine)")))

    def project(self, parameters: dict, context) -> str:
        return self.parameterAsString(parameters, self.PROJECT, context).strip() or settings.ee_project()

    def max_scene_cloud(self, parameters: dict, context) -> float | None:
        """MAX_SCENE_CLOUD: empty or negative → ``None`` (the CCRS production default), else the percentage."""
        if not given(parameters, self.MAX_SCENE_CLOUD):
            return None
        value = self.parameterAsDouble(parameters, self.MAX_SCENE_CLOUD, context)
        return None if value < 0 else value

    def periods(self, parameters: dict, context, feedback=None) -> list:
        """START and END (both inclusive), or the peak season of YEAR, or one period per month of YEAR — never two of
        these at once (one would be silently dropped). Nothing chosen: June, July and August of YEAR, logged."""
        from ..core.periods import Period

        start = self.parameterAsDateTime(parameters, self.START, context) if given(parameters, self.START) \
            else None
        end = self.parameterAsDateTime(parameters, self.END, context) if given(parameters, self.END) else None
        start = start if start is not None and start.isValid() else None
        end = end if end is not None and end.isValid() else None
        months = [m for m in self.parameterAsEnumStrings(parameters, self.MONTHS, context) if m]
        peak = self.parameterAsBool(parameters, self.PEAK_SEASON, context)
        if start is not None or end is not None:
            if start is None or end is None:
                raise LeafError(QT_TRANSLATE_NOOP("leaf", "Give both a start and an end date, or neither."))
            if months or peak:
                raise LeafError(QT_TRANSLATE_NOOP(
                    "leaf", "Choose one kind of period: START and END dates, or MONTHS, or PEAK_SEASON — not "
                            "{given} together. Clear {clear}."),
                    given="START/END + " + ("MONTHS" if months else "PEAK_SEASON"),
                    clear="MONTHS" if months else "PEAK_SEASON")
            return [Period.date_range(start.date().toPyDate(), end.date().toPyDate())]
        year = self.parameterAsInt(parameters, self.YEAR, context)
        if not given(parameters, self.YEAR) and feedback is not None:
            feedback.pushInfo(self.tr("No YEAR given: using {year} (the default).").format(year=year))
        if peak and months:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Choose one kind of period: MONTHS ({months}) or PEAK_SEASON (15 June – 15 September), not "
                        "both. Clear MONTHS for the peak season, or untick PEAK_SEASON for the months."),
                months=", ".join(months))
        if peak:
            return [Period.peak_season(year)]
        if not months:
            months = list(DEFAULT_MONTHS)
            if feedback is not None:
                feedback.pushInfo(self.tr("No period chosen: using June, July and August {year} (the default). "
                                          "Choose MONTHS, PEAK_SEASON or START and END for another period.").format(
                    year=year))
        numbers = []
        for month in months:
            if month not in MONTH_TOKENS:
                raise LeafError(QT_TRANSLATE_NOOP("leaf", "Month {month} is not between 1 and 12."), month=month)
            numbers.append(MONTH_TOKENS.index(month) + 1)
        return [Period.month(year, m) for m in sorted(set(numbers))]

    def resolution(self, parameters: dict, context, sensor_key: str, feedback=None) -> int:
        """RESOLUTION, or the sensor's own (20 m Sentinel-2, 30 m Landsat: what its networks were trained at)."""
        if given(parameters, self.RESOLUTION):
            return self.parameterAsInt(parameters, self.RESOLUTION, context)
        from ..core.sensors import SENSORS as ALL_SENSORS

        sensor = ALL_SENSORS.get(sensor_key)
        resolution = sensor.resolution_m if sensor is not None else 20
        if feedback is not None:
            feedback.pushInfo(self.tr("No resolution given: using {res} m, the resolution of {sensor}.").format(
                res=resolution, sensor=sensor_key))
        return resolution

    def regions(self, parameters: dict, context, feedback) -> tuple:
        """The regions chosen (tiles, or custom polygons), logged."""
        from ..engines.gee import request as gee_request

        choice = regions.read_region(self, parameters, context)
        if choice.tiles:
            region_list = gee_request.tile_regions(choice.tiles)
        elif choice.parts:
            region_list = tuple(gee_request.custom_region(name, geojson) for name, geojson in choice.parts)
        else:
            region_list = (gee_request.custom_region(choice.name, choice.geojson or {}),)
        feedback.pushInfo(self.tr("Regions: {names}").format(names=", ".join(r.name for r in region_list[:20])
                                                             + (" …" if len(region_list) > 20 else "")))
        return region_list

    def request(self, parameters: dict, context, feedback) -> Any:
        """The checked Earth Engine request of the parameters (every check of :func:`make_request`)."""
        from ..engines.gee import request as gee_request

        region_list = self.regions(parameters, context, feedback)
        sensor_key = self.parameterAsEnumString(parameters, self.SENSOR, context) or "S2"
        destination = self.parameterAsEnumString(parameters, self.DESTINATION, context) or "drive"
        folder = self.parameterAsString(parameters, self.DOWNLOAD_FOLDER if destination == "download" else self.FOLDER,
                                        context)
        return gee_request.make_request(
            region_list,
            sensor_key,
            self.periods(parameters, context, feedback),
            self.parameterAsEnumStrings(parameters, self.PRODUCTS, context),
            self.resolution(parameters, context, sensor_key, feedback),
            destination,
            folder,
            self.parameterAsString(parameters, self.BUCKET, context),
            self.parameterAsString(parameters, self.ASSET_ROOT, context),
            self.project(parameters, context),
            time_score_weight=self.parameterAsDouble(parameters, self.TIME_SCORE, context),
            max_scene_cloud=self.max_scene_cloud(parameters, context),
            algorithm=self.parameterAsEnumString(parameters, self.ALGORITHM, context) or DEFAULT_GEE_ALGORITHM,
            mask_flagged=self.parameterAsBool(parameters, self.MASK_FLAGGED, context),
        )

    def execute(self, parameters: dict, context, feedback) -> dict[str, Any]:
        """Parameters → request → :func:`leaf_qgis.engines.gee.run.run` (check, plan, write, submit or download),
        its events as feedback; downloaded maps are loaded."""
        from ..core.network_store import NetworkStore
        from ..engines.gee import run as gee_run

        request = self.request(parameters, context, feedback)
        dry_run = self.parameterAsBool(parameters, self.DRY_RUN, context)
        # Each output path read once: every parameterAsFileOutput of a TEMPORARY_OUTPUT is a new temporary file, and
        # the files checked must be the files written.
        plan_path = self.parameterAsFileOutput(parameters, self.PLAN, context)
        table_path = self.parameterAsFileOutput(parameters, self.TASK_TABLE, context)
        gee_run.check(request, plan_path, dry_run=dry_run, project=request.project,
                      table_path=table_path)  # before loading anything: a wrong project or path fails at once
        outcome = gee_run.run(
            request, plan_path, dry_run=dry_run, project=request.project, table_path=table_path,
            store=NetworkStore.default(settings.networks_folder()), connect=self.earth_engine,
            progress=lambda percent: (feedback.setProgress(percent), not feedback.isCanceled())[1],
            events=lambda name, **details: self.report(name, details, feedback), cancelled=feedback.isCanceled)
        results: dict[str, Any] = {self.PLAN: str(outcome.plan_path), self.TASK_COUNT: outcome.plan["task_count"]}
        if outcome.table_path:
            results.update({self.TASK_TABLE: outcome.table_path, self.SUBMITTED: outcome.submitted,
                            self.SKIPPED: outcome.skipped})
            feedback.pushInfo(self.tr(
                "Submitted {submitted} tasks, skipped {skipped} already on Earth Engine; task table: {path}.").format(
                submitted=outcome.submitted, skipped=outcome.skipped, path=outcome.table_path))
        if outcome.downloaded:
            self.load(outcome.downloaded, context)
            results.update({self.OUTPUT_LAYERS: list(outcome.downloaded.values()),
                            self.DOWNLOAD_FOLDER: request.folder})
        return results

    def report(self, name: str, details: dict[str, Any], feedback) -> None:
        """One event of the run, in the log."""
        if name == "building":
            feedback.pushInfo(self.tr("Building {count} export tasks offline (nothing is sent to Earth Engine).")
                              .format(count=details["count"]))
        elif name == "written":
            plan = details["plan"]
            feedback.pushInfo(self.tr("Plan written: {path} ({count} tasks, {trips} server round trips).").format(
                path=details["path"], count=plan["task_count"], trips=plan["server_round_trips"]))
        elif name == "connecting":
            feedback.pushInfo(self.tr("Connecting to Earth Engine (project {project}).").format(
                project=details["project"]))
        elif name == "row":
            row = details["row"]
            feedback.pushInfo(self.tr("{action}: {description} ({state}, task {task})").format(
                action=row.action, description=row.description, state=row.state or "-", task=row.task_id or "-"))
        elif name == "downloaded":
            feedback.pushInfo(self.tr("Downloaded {description}: {path}").format(**details))

    def load(self, paths: dict[str, str], context) -> None:
        """Load the downloaded maps when the run ends, styled and grouped."""
        from ..styling.postprocess import style_on_completion

        if context.project() is None:
            return
        for description, path in paths.items():
            context.addLayerToLoadOnCompletion(path, QgsProcessingContext.LayerDetails(
                description, context.project(), self.OUTPUT_LAYERS))
            style_on_completion(context, path, group=True)
