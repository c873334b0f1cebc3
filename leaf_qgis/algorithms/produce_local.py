"""``leaf:produce_local`` — SL2P products and the QC byte on the user's own rasters, offline.

Thin: parameters → :class:`leaf_qgis.engines.local.produce.ProduceConfig` → engine. The engine (GDAL + numpy) and the
networks are imported inside :meth:`execute`, never at plugin load.
"""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from .. import settings
from ..core.errors import QT_TRANSLATE_NOOP, LeafError
from ..core.network_catalog import ALGORITHMS, DEFAULT_LOCAL_ALGORITHM
from ..core.products import DEFAULT_PRODUCTS, ERROR_KEY_SUFFIX, PRODUCTS, QC_KEY
from ..core.sensors import LOCAL, sensor, sensors_for
from .base import LeafAlgorithm, given, products_help, qc_help, range_bands_help, sensors_help

SENSOR_KEYS = list(sensors_for(LOCAL))
PRODUCT_KEYS = list(PRODUCTS)
ENCODINGS = ["LEAF", "FLOAT32"]


def output_name(key: str) -> str:
    """Processing output name of an engine output key (``LAI`` → ``OUTPUT_LAI``, ``QC`` → ``OUTPUT_QC``)."""
    return f"OUTPUT_{key}"


class ProduceLocalAlgorithm(LeafAlgorithm):
    INPUT = "INPUT"
    SENSOR = "SENSOR"
    BANDS = "BANDS"
    RANGE_BANDS = "RANGE_BANDS"
    SCALE = "SCALE"
    OFFSET = "OFFSET"
    SUN_ZENITH = "SUN_ZENITH"
    VIEW_ZENITH = "VIEW_ZENITH"
    RELATIVE_AZIMUTH = "RELATIVE_AZIMUTH"
    ANGLES = "ANGLES"
    LANDCOVER = "LANDCOVER"
    MASK = "MASK"
    PRODUCTS = "PRODUCTS"
    UNCERTAINTY = "UNCERTAINTY"
    ENCODING = "ENCODING"
    ALGORITHM = "ALGORITHM"
    MASK_FLAGGED = "MASK_FLAGGED"

    group_key = "production"
    help_anchor = "leafproduce_local"

    def name(self) -> str:
        return "produce_local"

    def displayName(self) -> str:
        return self.tr("Produce SL2P maps locally (LAI, fCOVER, fAPAR, albedo, QC)")

    def shortHelpString(self) -> str:
        description = self.tr(
            "Runs the CCRS SL2P neural networks on a surface-reflectance raster on this computer, without Earth "
            "Engine, and writes the chosen products (see Products) and the LEAF QC byte on the input's pixel grid."
            "<br><br><b>Input</b>: a stack of the sensor's bands in network order (see Sensor) "
            "or any raster plus BANDS, or a Sentinel-2 L2A product (.SAFE "
            "folder, its .zip or MTD_MSIL2A.xml): bands, BOA offset, angles and the scene-classification mask are "
            "then read from it; or "
            "a Landsat Collection 2 Level-2 scene (folder, .tar or _MTL.txt): bands, reflectance scale and offset, "
            "sun angles (view at nadir) and the QA_PIXEL / QA_RADSAT mask are then read from it, and SENSOR must be "
            "the scene's satellite."
            "<br><b>Angles</b>: sun zenith, view zenith and relative azimuth in degrees, or an angle raster "
            "(bands SZA, VZA, RAA)."
            "<br><b>Algorithm</b>: SL2P, the generic network (default), or SL2P-CCRS, the CCRS land-cover "
            "ensemble that CCRS production runs (needs LANDCOVER)."
            "<br><b>Land cover</b> (optional; NALCMS classes 1–19 on the input grid, 0 or the band's nodata value "
            "= no data): selects the "
            "SL2P-CCRS network of each pixel; water and no data get no estimate; urban and snow/ice keep the generic "
            "estimate with QC bit 2."
            "<br><b>Flagged pixels</b>: snow, water, urban, saturated sensor, reflectance out of range keep their "
            "estimate and carry QC bit 2, as in CCRS production; MASK_FLAGGED blanks them too."
            "<br><b>Reflectance range test</b> (reflectance below −0.005 or above 1.05 → QC bit 2): CCRS production "
            "tests more bands than the networks read (see RANGE_BANDS). Here: the network bands, plus those other "
            "bands the input provides: a Sentinel-2 product at 20 m adds B2 (its B8 exists only at 10 m), at 10 m "
            "none (B5–B7, B8A, B11, B12 exist only at 20 m); a Landsat scene adds SR_B1 (and SR_B2 for Landsat 8 "
            "and 9); a plain stack adds the bands named in RANGE_BANDS. A band the input lacks is not tested, and "
            "the log says which."
        )
        return self.help_html(f"{description}<br><b>{self.tr('QC byte')}</b>: {qc_help()}")

    def initAlgorithm(self, config: Any = None) -> None:
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.INPUT, self.tr("Surface reflectance raster, Sentinel-2 L2A product (.SAFE, .zip) or Landsat C2 "
                                "L2 scene (folder, .tar, _MTL.txt)")))
        self.add_enum(self.SENSOR, self.tr("Sensor"), SENSOR_KEYS, "S2").setHelp(
            self.tr("The band stack each sensor's networks read, in this order:") + sensors_help())
        self.addParameter(QgsProcessingParameterString(
            self.BANDS, self.tr("Band numbers of the network inputs, in network order (empty = bands 1…n)"),
            optional=True))
        range_bands = QgsProcessingParameterString(
            self.RANGE_BANDS, self.tr("Other bands for the reflectance range test, as NAME=band number (e.g. "
                                      "Sentinel-2 20 m: B2=9,B8=10; empty = the network bands only)"), optional=True)
        range_bands.setFlags(range_bands.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        range_bands.setHelp(self.tr("The bands CCRS production tests against the reflectance range, per sensor, and "
                                    "those the networks do not read (which RANGE_BANDS may name):")
                            + range_bands_help(LOCAL))
        self.addParameter(range_bands)
        for name, label in ((self.SCALE, self.tr("Reflectance scale (reflectance = DN × scale + offset; empty = "
                                                 "sensor default)")),
                            (self.OFFSET, self.tr("Reflectance offset (empty = sensor default)"))):
            param = QgsProcessingParameterNumber(name, label, QgsProcessingParameterNumber.Double, optional=True)
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(param)
        for name, label, maximum in ((self.SUN_ZENITH, self.tr("Sun zenith angle (°)"), 90.0),
                                     (self.VIEW_ZENITH, self.tr("View zenith angle (°)"), 90.0),
                                     (self.RELATIVE_AZIMUTH, self.tr("Relative azimuth angle (°)"), 360.0)):
            self.addParameter(QgsProcessingParameterNumber(name, label, QgsProcessingParameterNumber.Double,
                                                           optional=True, minValue=0.0, maxValue=maximum))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.ANGLES, self.tr("Angle raster (bands SZA, VZA, RAA in degrees; instead of the three angles)"),
            optional=True))
        self.add_enum(self.ALGORITHM, self.tr("Algorithm"), list(ALGORITHMS), DEFAULT_LOCAL_ALGORITHM)
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.LANDCOVER, self.tr("Land cover (NALCMS classes, same grid; needed by SL2P-CCRS)"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.MASK, self.tr("Invalid-pixel mask (non-zero = cloud, shadow, snow…; same grid)"), optional=True))
        self.add_enum(self.PRODUCTS, self.tr("Products"), PRODUCT_KEYS, list(DEFAULT_PRODUCTS), multiple=True
                      ).setHelp(products_help())
        self.addParameter(QgsProcessingParameterBoolean(
            self.UNCERTAINTY, self.tr("Also write the uncertainty of each product (SL2P error networks)"),
            defaultValue=False))
        mask_flagged = QgsProcessingParameterBoolean(
            self.MASK_FLAGGED, self.tr("Blank flagged pixels too (QC bit 2: snow, water, urban, saturated sensor, "
                                       "out-of-range reflectance)"), defaultValue=False)
        mask_flagged.setFlags(mask_flagged.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(mask_flagged)
        self.add_enum(self.ENCODING, self.tr("Encoding"), ENCODINGS, "LEAF").setHelp(
            self.tr("LEAF: the products' uint8 encodings (see Products), 255 = no data; the files carry the scale so "
                    "QGIS shows physical values. FLOAT32: physical values, NaN = no data."))
        for key in PRODUCT_KEYS:
            token = PRODUCTS[key].file_token
            # Products outside the default list get no temporary file unless asked for (then execute makes one).
            self.addParameter(QgsProcessingParameterRasterDestination(
                output_name(key), token, optional=True, createByDefault=PRODUCTS[key].default))
        self.addParameter(QgsProcessingParameterRasterDestination(output_name(QC_KEY), self.tr("QC byte")))
        for key in PRODUCT_KEYS:
            param = QgsProcessingParameterRasterDestination(
                output_name(key + ERROR_KEY_SUFFIX), self.tr("{product} uncertainty").format(
                    product=PRODUCTS[key].file_token), optional=True, createByDefault=False)
            self.addParameter(param)

    def checkParameterValues(self, parameters: dict, context) -> tuple[bool, str]:
        """A Sentinel-2 product (.SAFE folder, .zip) or a Landsat scene (folder, .tar, MTL) is not a layer QGIS can
        load: Processing's own check of the raster-layer INPUT would refuse it before :meth:`execute` reads it. Check
        the other parameters only; then RANGE_BANDS' syntax."""
        from ..engines.local.landsat_c2 import is_scene_path
        from ..engines.local.sentinel2_safe import is_product_path

        raw = parameters.get(self.INPUT)
        product = isinstance(raw, str) and (is_product_path(raw) or is_scene_path(raw))
        ok, message = self.check_parameters(parameters, context, skip=(self.INPUT,) if product else ())
        if ok:
            # RANGE_BANDS' syntax is known without reading the input: the dialog refuses it at once (which bands it
            # may name is checked against the sensor and the input by the engine).
            try:
                self._range_bands(self.parameterAsString(parameters, self.RANGE_BANDS, context))
            except LeafError as error:
                return False, error.render(self.tr)
        return ok, message

    # -- parameters → engine request ---------------------------------------------------------------------------

    def _raster_path(self, parameters: dict, name: str, context) -> str | None:
        if not given(parameters, name):
            return None
        value = parameters.get(name)
        layer = self.parameterAsRasterLayer(parameters, name, context)
        if layer is None:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "{name}: '{value}' is not a raster QGIS can open."),
                            name=name, value=str(value))
        return layer.source()

    @staticmethod
    def _bands(text: str) -> tuple[int, ...] | None:
        text = (text or "").strip()
        if not text:
            return None
        try:
            return tuple(int(part) for part in text.replace(";", ",").split(",") if part.strip())
        except ValueError:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "BANDS '{text}' is not a comma-separated list of band numbers (e.g. "
                                          "3,4,5,6,7)."),
                text=text,
            ) from None

    @staticmethod
    def _range_bands(text: str) -> dict[str, int]:
        """``B2=1, B8=7`` → ``{"B2": 1, "B8": 7}`` (names as the sensor's range-test bands; the engine checks them)."""
        result: dict[str, int] = {}
        for part in (text or "").replace(";", ",").split(","):
            if not part.strip():
                continue
            name, sep, number = part.partition("=")
            name = name.strip().upper()
            try:
                if not sep or not name or name in result:
                    raise ValueError
                result[name] = int(number.strip())
            except ValueError:
                raise LeafError(
                    QT_TRANSLATE_NOOP("leaf", "RANGE_BANDS '{text}' is not a comma-separated list of NAME=band "
                                              "number pairs, each name once (e.g. Sentinel-2 20 m: B2=9,B8=10)."),
                    text=text,
                ) from None
        return result

    def _output_path(self, parameters: dict, key: str, context) -> str:
        """The destination of one output; a temporary GeoTIFF when a requested product was given none."""
        path = self.parameterAsOutputLayer(parameters, output_name(key), context)
        if not path:
            from qgis.core import QgsProcessingUtils

            path = QgsProcessingUtils.generateTempFilename(f"{key.lower()}.tif")
        return path

    def _algorithm(self, parameters: dict, context) -> str:
        """The raw text when given (the engine refuses an unknown name with the choices; parameterAsEnumString would
        fall back to the default silently), else the enum's value."""
        raw = parameters.get(self.ALGORITHM)
        if isinstance(raw, str) and raw.strip():
            return raw
        return self.parameterAsEnumString(parameters, self.ALGORITHM, context) or DEFAULT_LOCAL_ALGORITHM

    def _number(self, parameters: dict, name: str, context) -> float | None:
        if not given(parameters, name):
            return None
        return self.parameterAsDouble(parameters, name, context)

    def execute(self, parameters: dict, context, feedback) -> dict[str, Any]:
        from ..core.encoding import Encoding
        from ..core.network_store import NetworkStore
        from ..engines.local import landsat_c2, sentinel2_safe
        from ..engines.local.angles import AngleRaster, ConstantAngles
        from ..engines.local.produce import ProduceConfig, produce

        raw_input = self.parameterAsString(parameters, self.INPUT, context)
        scene = None
        if raw_input and not sentinel2_safe.is_product_path(raw_input) and landsat_c2.is_scene_path(raw_input):
            scene = landsat_c2.open_scene(raw_input)
        raw_sensor = parameters.get(self.SENSOR)
        if isinstance(raw_sensor, str) and raw_sensor.strip():
            sensor_key = raw_sensor.strip()  # parameterAsEnumString would fall back to the default silently
        elif scene is not None and raw_sensor is None:
            sensor_key = scene.sensor_key  # SENSOR not given: the scene's own satellite
        else:
            sensor_key = self.parameterAsEnumString(parameters, self.SENSOR, context) or "S2"
        chosen_sensor = sensor(sensor_key)  # a clear error for an unknown key
        products = tuple(self.parameterAsEnumStrings(parameters, self.PRODUCTS, context) or DEFAULT_PRODUCTS)
        uncertainty = self.parameterAsBoolean(parameters, self.UNCERTAINTY, context)
        encoding = Encoding(self.parameterAsEnumString(parameters, self.ENCODING, context) or "LEAF")
        safe_inputs: Any = None  # a Sentinel-2 product's or a Landsat scene's inputs
        landsat_inputs = None
        if scene is not None:
            safe_inputs = landsat_inputs = landsat_c2.prepare_inputs(scene, chosen_sensor)
            input_path = safe_inputs.stack
        elif raw_input and sentinel2_safe.is_product_path(raw_input):
            product = sentinel2_safe.open_product(raw_input)
            safe_inputs = sentinel2_safe.prepare_inputs(product, chosen_sensor)
            input_path = safe_inputs.stack
        else:
            input_path = self._raster_path(parameters, self.INPUT, context)
            if input_path is None:
                raise LeafError(QT_TRANSLATE_NOOP("leaf", "INPUT: choose a surface-reflectance raster."))
        if safe_inputs is not None:
            ignored = [name for name in (self.BANDS, self.RANGE_BANDS, self.SCALE, self.OFFSET, self.SUN_ZENITH,
                                         self.VIEW_ZENITH, self.RELATIVE_AZIMUTH, self.ANGLES)
                       if given(parameters, name)]
            if ignored:
                feedback.pushWarning(self.tr("{names}: not used, the product itself gives the bands, reflectance "
                                             "scaling and angles.").format(names=", ".join(ignored)))
        try:
            keys = [*products, QC_KEY] + ([k + ERROR_KEY_SUFFIX for k in products] if uncertainty else [])
            outputs = {key: self._output_path(parameters, key, context) for key in keys}
            if safe_inputs is not None:
                angles: Any = safe_inputs.angles
            else:
                angle_raster = self._raster_path(parameters, self.ANGLES, context)
                if angle_raster:
                    angles = AngleRaster(angle_raster)
                else:
                    angles = ConstantAngles(self._number(parameters, self.SUN_ZENITH, context),
                                            self._number(parameters, self.VIEW_ZENITH, context),
                                            self._number(parameters, self.RELATIVE_AZIMUTH, context))
            landcover = self._raster_path(parameters, self.LANDCOVER, context)
            config = ProduceConfig(
                input_path=input_path,
                sensor_key=chosen_sensor.key,
                outputs=outputs,
                angles=angles,
                bands=None if safe_inputs else self._bands(self.parameterAsString(parameters, self.BANDS, context)),
                range_bands=safe_inputs.range_bands if safe_inputs else self._range_bands(
                    self.parameterAsString(parameters, self.RANGE_BANDS, context)),
                scale=safe_inputs.scale if safe_inputs else self._number(parameters, self.SCALE, context),
                offset=safe_inputs.offset if safe_inputs else self._number(parameters, self.OFFSET, context),
                products=products,
                uncertainty=uncertainty,
                encoding=encoding,
                algorithm=self._algorithm(parameters, context),
                mask_flagged=self.parameterAsBoolean(parameters, self.MASK_FLAGGED, context),
                landcover_path=landcover,
                mask_path=self._raster_path(parameters, self.MASK, context),
                scl_path=getattr(safe_inputs, "scl", None),
                qa_pixel_path=landsat_inputs.qa_pixel if landsat_inputs else None,
                qa_radsat_path=landsat_inputs.qa_radsat if landsat_inputs else None,
                nodata=safe_inputs.nodata if safe_inputs else None,
                metadata={"LEAF_INPUT": raw_input if safe_inputs else input_path},
                translate=self.tr,
            )
            # A cancellation raises core.errors.Cancelled (the temporary outputs are removed): the base class says it.
            paths = produce(config, feedback, store=NetworkStore.default(settings.networks_folder()))
        finally:
            if safe_inputs is not None:
                safe_inputs.close()
        results: dict[str, Any] = {output_name(key): path for key, path in paths.items()}
        _write_styles(paths.values())
        _style_on_completion(context, paths.values())
        return results


def _write_styles(paths) -> None:
    """A ``.qml`` beside each output, so the files open styled in any QGIS, with or without the plugin."""
    from qgis.core import QgsRasterLayer

    from ..styling import style_layer

    for path in paths:
        layer = QgsRasterLayer(path, "leaf", "gdal")
        if layer.isValid():
            style_layer(layer)


def _style_on_completion(context, paths) -> None:
    """Style the outputs QGIS loads when the run ends (when the styling post-processor is available)."""
    try:
        from ..styling.postprocess import style_on_completion
    except ImportError:
        return
    for path in paths:
        style_on_completion(context, path, restyle=False)  # _write_styles styled them in the worker already
