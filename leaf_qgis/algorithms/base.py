"""Shared behaviour of the ``leaf`` algorithms: translation, help generated from the core tables, help links,
parameter checks that say the rule, and turning core errors into ``QgsProcessingException`` with the message
translated.

Why generated help: the products, maps, QC bits and sensors are defined once in the core
(:data:`leaf_qgis.core.products.MAPS`, :mod:`leaf_qgis.core.qc`, :data:`leaf_qgis.core.sensors.SENSORS`); help that
restated them in prose went stale with every addition. The fragments below compose translated templates (each a
``tr()`` string with placeholders) with the tables' values, so a new product or sensor appears in the help, in
English and French, without editing prose. A parameter's fragment is set with ``setHelp`` (the dialog's tooltip) and
:meth:`LeafAlgorithm.help_html` lays the parameters' help out under the description with
``QgsProcessingUtils.formatHelpMapAsHtml`` (QGIS's own help layout; ``QgsProcessingAlgorithm`` has no such method in
3.22).
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingUtils,
)

from ..core import products as maps
from ..core import qc
from ..core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError
from ..core.products import MAPS, PRODUCTS
from ..core.sensors import SENSOR_BY_QC_CODE, SENSORS, sensors_for
from ..i18n import tr

HELP_URL = "https://github.com/leaf-qgis/leaf_qgis#{anchor}"


def _is_index(value: Any) -> bool:
    """An enum index as Processing documents it ("Number of selected option"): an int or a string of digits."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip().isdigit()


def normalise_enum(definition: QgsProcessingParameterEnum, value: Any) -> Any:
    """``value`` with option numbers (``0``, ``"1"``, ``"0,2"``) and names in any case turned into option names.

    Why: ``qgis_process help`` advertises "Number of selected option, e.g. '1'" for every enum, but enums with static
    strings (ours: names stay stable in scripts and models when options are added) refuse numbers. Anything that is
    not a valid number or name is returned as given, for the check to name it.
    """
    if value is None or not definition.usesStaticStrings():
        return value
    options = list(definition.options())
    by_lower = {o.lower(): o for o in options}

    def one(item: Any) -> Any:
        if _is_index(item):
            index = int(str(item).strip())
            return options[index] if 0 <= index < len(options) else item
        if isinstance(item, str):
            return by_lower.get(item.strip().lower(), item)
        return item

    if isinstance(value, (list, tuple)):
        return [one(v) for v in value]
    if isinstance(value, str) and "," in value and definition.allowMultiple():
        return [one(v) for v in value.split(",") if v.strip()]
    return one(value)


def enum_parameter(name: str, description: str, options: list[str], default: Any, multiple: bool = False,
                   optional: bool = False) -> QgsProcessingParameterEnum:
    """An enum parameter whose values are its option names (static strings), the only kind the plugin uses.

    Why names: scripts, models and ``qgis_process`` calls stay right when an option is added or the options are
    reordered (an index would then silently pick another option); numbers are still accepted
    (:func:`normalise_enum`). The example models (:mod:`leaf_qgis.models.build_models`) build their inputs with it
    too, so a model's input takes the same values as the algorithm's parameter it feeds.
    """
    parameter = QgsProcessingParameterEnum(name, description, options=options, allowMultiple=multiple,
                                           defaultValue=default, optional=optional)
    parameter.setUsesStaticStrings(True)
    return parameter


def given(parameters: dict, name: str) -> bool:
    """Whether the user gave ``name`` a value: not missing, ``None``, text of spaces only, an empty list, or a null Qt
    value (an empty date). Why not Processing's own parsing: ``parameterAsInt`` and friends return the default (or 0)
    for a value left empty, so "not given: use the sensor's resolution / the production default" could not be told
    from a value that happens to equal the default. Why spaces count as empty: the parameter checks
    (:meth:`LeafAlgorithm.rule_message`) treat them so, and ``parameterAsDouble`` reads ``" "`` as 0 — SCALE " "
    was refused as "got SCALE 0.0"."""
    value = parameters.get(name)
    if isinstance(value, str):
        value = value.strip()
    return value not in (None, "", [], ()) and not (hasattr(value, "isNull") and value.isNull())


# -- help from the tables -------------------------------------------------------------------------------------------


def _items(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


def product_help(product: maps.Product) -> str:
    """One product in words and numbers: name, unit, valid range, LEAF encoding, SNAP name, default or not."""
    label = product.key if product.file_token == product.key else f"{product.key} ({product.file_token})"
    text = tr("<b>{key}</b>: {name}{unit}; valid range {valid} (QC bit 1 outside); LEAF encoding "
              "DN = value {scale} (a step of {step}), 255 = no data").format(
        key=label, name=tr(product.name),
        unit=f", {product.unit}" if product.unit else "", valid=maps.range_text(product.valid_range),
        scale=maps.scale_text(product), step=f"{1 / product.leaf_scale:g}")
    if product.snap_name and product.snap_name != product.key:
        text += tr("; SNAP calls it {name}").format(name=product.snap_name)
    if not product.default:
        text += tr("; made only when asked for")
    return text


def products_help() -> str:
    """Every product of the table, with units, valid ranges and encodings (an HTML list)."""
    return _items([product_help(p) for p in PRODUCTS.values()]) + tr(
        "Uncertainty maps (_Error) have their product's encoding. FLOAT32 writes physical values, NaN = no data.")


def maps_help(engine: str) -> str:
    """The maps that are not products and that ``engine`` (``gee`` or ``local``) writes: type, nodata, meaning."""
    lines = [tr("<b>{token}</b>: {name}, {dtype}, {nodata} = no data: {meaning}").format(
        token=m.file_token, name=tr(m.name), dtype=m.dtype, nodata=m.nodata, meaning=tr(m.meaning))
        for m in MAPS.values() if not isinstance(m, maps.Product) and engine in m.engines]
    return _items(lines)


def qc_help() -> str:
    """The QC bits and the sensor codes, from :mod:`leaf_qgis.core.qc` and the sensor table."""
    lines = [tr("bit {bit} ({value}): {meaning}").format(bit=bit, value=1 << bit, meaning=tr(meaning))
             for bit, meaning in qc.BIT_MEANINGS]
    codes = ", ".join(f"{tr(s.name)} {code}" for code, s in sorted(SENSOR_BY_QC_CODE.items()))
    lines.append(tr("bits 3–7: the sensor code ({codes}); 0 = outside the processed area").format(codes=codes))
    return _items(lines) + tr("Bits 0 and 1 are set only where bit 2 is clear.")


def sensors_help() -> str:
    """Every sensor of :data:`leaf_qgis.core.sensors.SENSORS` with the band stack its networks read, in order."""
    return _items([tr("<b>{key}</b> {name} ({resolution} m): {bands}").format(
        key=s.key, name=tr(s.name), resolution=s.resolution_m, bands=", ".join(s.spectral_inputs))
        for s in SENSORS.values()])


def range_bands_help(engine: str) -> str:
    """Per sensor ``engine`` offers: the bands of the reflectance range test (``Sensor.range_bands``, CCRS
    production's list) and those of them its networks do not read (what RANGE_BANDS may name)."""
    return _items([tr("<b>{key}</b>: {bands}; beyond the network bands: {extra}").format(
        key=s.key, bands=", ".join(s.range_bands), extra=", ".join(s.range_only_bands) or "-")
        for s in sensors_for(engine).values()])


def _is_number_or_empty(value: Any) -> bool:
    if value is None or isinstance(value, (int, float)) or (isinstance(value, str) and not value.strip()):
        return True
    if not isinstance(value, str):
        return True  # a QgsProperty or another Processing value: QGIS's own check decided
    try:
        float(value)
    except ValueError:
        return False
    return True


class LeafAlgorithm(QgsProcessingAlgorithm):
    """Base class: subclasses implement :meth:`execute` instead of ``processAlgorithm``."""

    group_key = "grid"
    help_anchor = "algorithms"
    #: What a cancelled run of this algorithm leaves, said as the run's error (see :meth:`cancelled_message`).
    cancelled_text: ClassVar[str] = QT_TRANSLATE_NOOP("leaf", "Cancelled: nothing was written.")

    _GROUPS: ClassVar[dict[str, str]] = {
        "grid": QT_TRANSLATE_NOOP("leaf", "Tile grid"),
        "production": QT_TRANSLATE_NOOP("leaf", "Production"),
        "results": QT_TRANSLATE_NOOP("leaf", "Results"),
        "earth_engine": QT_TRANSLATE_NOOP("leaf", "Earth Engine"),
    }

    def tr(self, text: str) -> str:
        return tr(text)

    def createInstance(self):
        return type(self)()

    def groupId(self) -> str:
        return self.group_key

    def group(self) -> str:
        return tr(self._GROUPS[self.group_key])

    def helpUrl(self) -> str:
        return HELP_URL.format(anchor=self.help_anchor)

    @staticmethod
    def earth_engine(project: str):
        """An initialised Earth Engine session for ``project`` with the plugin's key-file setting (``ee`` is imported
        here, on first use, never at plugin load)."""
        from .. import settings
        from ..engines.gee import session

        return session.initialize(project, settings.ee_service_account_key(), session.api_url())

    # -- help ---------------------------------------------------------------------------------------------------------

    def help_html(self, description: str) -> str:
        """``description``, then a section per parameter or output whose definition carries help (``setHelp``), laid
        out by QGIS (``QgsProcessingUtils.formatHelpMapAsHtml``). Before :meth:`initAlgorithm` ran there are no
        definitions: the description alone."""
        sections: dict[str, Any] = {"ALG_DESC": description}
        for definition in self.parameterDefinitions():
            if definition.help():
                sections[definition.name()] = definition.help()
        return QgsProcessingUtils.formatHelpMapAsHtml(sections, self)

    # -- parameters -------------------------------------------------------------------------------------------------

    def add_enum(self, name: str, description: str, options: list[str], default: Any, multiple: bool = False,
                 optional: bool = False) -> QgsProcessingParameterEnum:
        """Add an :func:`enum_parameter` and return it (to set its help or flags)."""
        parameter = enum_parameter(name, description, options, default, multiple, optional)
        self.addParameter(parameter)
        return parameter

    def normalised(self, parameters: dict) -> dict:
        """``parameters`` with enum numbers turned into option names (see :func:`normalise_enum`)."""
        values = dict(parameters)
        for definition in self.parameterDefinitions():
            if isinstance(definition, QgsProcessingParameterEnum) and definition.name() in values:
                values[definition.name()] = normalise_enum(definition, values[definition.name()])
        return values

    def checkParameterValues(self, parameters: dict, context) -> tuple[bool, str]:
        return self.check_parameters(parameters, context)

    def check_parameters(self, parameters: dict, context, skip: tuple[str, ...] = ()) -> tuple[bool, str]:
        """Processing's check of every parameter (but those in ``skip``), except that a refusal states the rule and
        the value given (QGIS only says "Incorrect parameter value for X"); enum numbers are accepted wherever names
        are."""
        from ..rasters.raster_io import quiet_gdal

        values = self.normalised(parameters)
        for definition in self.parameterDefinitions():
            name = definition.name()
            if name in skip:
                continue
            value = values.get(name)
            if isinstance(value, str) and not value.strip():
                value = None  # spaces are no value (see given): QGIS would refuse an optional layer of " "
            with quiet_gdal():  # QGIS opens layers to check them: GDAL/OGR must not print raw errors meanwhile
                acceptable = definition.checkValueIsAcceptable(value, context)
            if acceptable and isinstance(definition, QgsProcessingParameterNumber):
                acceptable = _is_number_or_empty(value)  # QGIS lets an optional 'twenty' through as 0
            if not acceptable:
                return False, self.rule_message(definition, value)
        return True, ""

    def rule_message(self, definition, value: Any) -> str:
        """What is wrong with ``value`` for ``definition``, and what would be right."""
        name = definition.name()
        label = f"{definition.description()} ({name})"
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.tr("{label} is required: give a value.").format(label=label)
        shown = value if not isinstance(value, str) else f"'{value}'"
        if isinstance(definition, QgsProcessingParameterEnum):
            options = list(definition.options())
            numbers = f"0–{len(options) - 1}"
            items = value if isinstance(value, (list, tuple)) else [value]
            bad = [str(v) for v in items if str(v) not in options] or [str(value)]
            if definition.allowMultiple():
                return self.tr("{label}: {bad} is not a choice. Choose one or more of: {choices} (or their numbers "
                               "{numbers}).").format(label=label, bad=", ".join(bad), choices=", ".join(options),
                                                     numbers=numbers)
            return self.tr("{label}: {bad} is not a choice. Choose one of: {choices} (or its number {numbers})."
                           ).format(label=label, bad=", ".join(bad), choices=", ".join(options), numbers=numbers)
        if isinstance(definition, QgsProcessingParameterNumber):
            whole = definition.dataType() == QgsProcessingParameterNumber.Integer
            kind = self.tr("a whole number") if whole else self.tr("a number")
            low, high = definition.minimum(), definition.maximum()
            limit = 1e300
            if low > -limit and high < limit:
                rule = self.tr("{kind} from {low:g} to {high:g}").format(kind=kind, low=low, high=high)
            elif low > -limit:
                rule = self.tr("{kind} of at least {low:g}").format(kind=kind, low=low)
            elif high < limit:
                rule = self.tr("{kind} of at most {high:g}").format(kind=kind, high=high)
            else:
                rule = kind
            return self.tr("{label} must be {rule}; got {value}.").format(label=label, rule=rule, value=shown)
        if isinstance(definition, QgsProcessingParameterDateTime):
            return self.tr("{label}: {value} is not a date. Write an existing calendar date as YYYY-MM-DD, e.g. "
                           "2024-06-01.").format(label=label, value=shown)
        if isinstance(definition, QgsProcessingParameterBoolean):
            return self.tr("{label} must be true or false; got {value}.").format(label=label, value=shown)
        if isinstance(definition, QgsProcessingParameterRasterLayer) and isinstance(value, str):
            return self.tr("{label}: {reason}").format(label=label, reason=describe_unreadable(value))
        if isinstance(definition, QgsProcessingParameterFeatureSource) and isinstance(value, str):
            return self.tr("{label}: {reason}").format(label=label, reason=describe_unreadable(value, vector=True))
        if isinstance(definition, QgsProcessingParameterFile) and isinstance(value, str):
            if not os.path.exists(value):
                return self.tr("{label}: '{path}' does not exist. Check the path.").format(label=label, path=value)
            extension = definition.extension()
            if extension and not value.lower().endswith("." + extension.lower()):
                return self.tr("{label}: '{path}' is not a .{extension} file. Choose a .{extension} file.").format(
                    label=label, path=value, extension=extension)
            folder = definition.behavior() == QgsProcessingParameterFile.Folder
            return (self.tr("{label}: '{path}' is not a folder.") if folder else
                    self.tr("{label}: '{path}' is not a file.")).format(label=label, path=value)
        if isinstance(definition, QgsProcessingParameterExtent):
            return self.tr("{label}: {value} is not an extent. Write xmin,xmax,ymin,ymax [CRS], e.g. "
                           "-76.0,-75.5,45.2,45.5 [EPSG:4326], or choose a layer.").format(label=label, value=shown)
        return self.tr("{label}: the value {value} cannot be used here.").format(label=label, value=shown)

    # -- running ----------------------------------------------------------------------------------------------------

    @staticmethod
    def check_cancelled(feedback, kept: tuple[str, ...] | list[str] = ()) -> None:
        """Stop the run here if the user cancelled: raises :class:`~leaf_qgis.core.errors.Cancelled`, which
        :meth:`processAlgorithm` turns into the algorithm's one cancellation message. ``kept``: files already finished
        that stay (named in the message).

        Why one way: a cancelled run used to fail in one algorithm, return no result in another and, in a third, go on
        with what it had read so far — a table of some of the sites, reported as a success. Every algorithm now checks
        here, and a cancelled run always fails with a message that says what was and was not written.
        """
        if feedback is not None and feedback.isCanceled():
            raise Cancelled(kept)

    def cancelled_message(self, kept: tuple[str, ...] = ()) -> str:
        """:attr:`cancelled_text`, translated, and the files that were kept, if any."""
        text = tr(self.cancelled_text)
        if kept:
            text += " " + tr("Finished before the cancellation and kept: {files}.").format(files=", ".join(kept))
        return text

    def processAlgorithm(self, parameters: dict, context, feedback) -> dict[str, Any]:
        from ..engines.gee.session import own_client, retry_reports  # pure Python; ``ee`` stays unimported

        try:
            # Earth Engine and Cloud Storage retries (timeouts, 429, 5xx) are announced in the log as they happen;
            # another plugin's Earth Engine configuration is given back at the end (session.own_client).
            with retry_reports(lambda message: feedback and feedback.pushWarning(message.render(tr))), own_client():
                return self.execute(self.normalised(parameters), context, feedback)
        except Cancelled as cancelled:
            message = self.cancelled_message(cancelled.kept)
        except LeafError as error:
            message = error.render(tr)
        except QgsProcessingException as error:
            message = str(error)
        _print_once()
        raise QgsProcessingException(message)

    def execute(self, parameters: dict, context, feedback) -> dict[str, Any]:
        raise NotImplementedError


def _print_once() -> None:
    """Under ``qgis_process``, let the error reach the terminal once.

    Why: qgis_process (QGIS 3.22) prints a failed run's error three times — QgsProcessingAlgorithm::run logs the
    exception to the message log, then its console feedback prints "ERROR:" and logs the same text again, and
    qgis_process echoes every critical message-log entry to stderr. The process ends right after the failure, so
    silencing the message log's echo from here on leaves exactly the "ERROR:" line. In the QGIS desktop (and in
    ``processing.run``) nothing changes: the log panel and the dialog show the error as usual.
    """
    if QgsApplication.platform() == "qgis_process":
        QgsApplication.messageLog().blockSignals(True)


def describe_unreadable(path: str, vector: bool = False) -> str:
    """Why ``path`` cannot be read as a raster (or a vector layer), in words: missing, a folder, empty, or a file
    GDAL/OGR cannot read — GDAL's own reason inside a sentence, never printed raw."""
    from osgeo import gdal

    path = path.split("|")[0]
    if not os.path.exists(path):
        return tr("'{path}' does not exist. Check the path.").format(path=path)
    if vector:
        return _describe_unreadable_vector(path)
    if os.path.isdir(path):
        return tr("'{path}' is a folder, not a raster file.").format(path=path)
    size = os.path.getsize(path)
    if size == 0:
        return tr("'{path}' is empty (0 bytes): not a raster GDAL can read. It may be an interrupted copy or "
                  "download; copy or produce it again.").format(path=path)
    from ..rasters.raster_io import quiet_gdal

    with quiet_gdal():
        gdal.ErrorReset()
        ds = gdal.Open(path, gdal.GA_ReadOnly)
        reason = gdal.GetLastErrorMsg().strip()
    if ds is None:
        return tr("'{path}' ({size} bytes) is not a raster GDAL can read ({reason}). Choose a GeoTIFF or another "
                  "raster format.").format(path=path, size=size, reason=reason or tr("unknown format"))
    if ds.RasterCount == 0:
        return tr("'{path}' has no raster band. Choose a raster with bands.").format(path=path)
    return tr("'{path}' cannot be opened as a raster layer.").format(path=path)


def _describe_unreadable_vector(path: str) -> str:
    from osgeo import gdal

    from ..rasters.raster_io import quiet_gdal

    if os.path.isfile(path) and os.path.getsize(path) == 0:
        return tr("'{path}' is empty (0 bytes): not a vector layer OGR can read. Copy or save it again.").format(
            path=path)
    with quiet_gdal():
        gdal.ErrorReset()
        ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
        reason = gdal.GetLastErrorMsg().strip()
    if ds is None:
        return tr("'{path}' is not a vector layer OGR can read ({reason}). Choose a polygon layer (GeoPackage, "
                  "shapefile, GeoJSON …).").format(path=path, reason=reason or tr("unknown format"))
    return tr("'{path}' is not a polygon layer (or it holds several layers: choose one). Choose a polygon "
              "layer.").format(path=path)
