"""QGIS styles for LEAF outputs: product ramps, the decoded QC byte, acquisition dates and the land-cover partition.

Why it looks like this:

* **Fixed physical ranges.** Products use a single-band pseudocolour renderer over ``Product.display_range`` (LAI
  0–8, fractions 0–1, albedo 0–0.3 …, from the map table of :mod:`leaf_qgis.core.products`, which also names each
  product's ramp: a ramp name this module does not know gets :data:`~leaf_qgis.core.products.DEFAULT_RAMP`, so a new
  product is styled without a change here), never a per-layer stretch, so maps of different dates and tiles
  compare. QGIS (verified on 3.22 by ``tests/qgis/test_styling.py``) applies the GDAL band scale/offset before
  rendering: a LEAF uint8 band with scale 1/20 reaches the renderer as Float32 physical values, so one range fits both
  the LEAF uint8 and the FLOAT32 encodings. Values above the range (LAI up to 12.7) take the top colour:
  nothing is clipped away.
* **Plain QGIS renderers only.** QGIS has no bit-flag renderer; a Python renderer subclass would vanish with the
  plugin. The QC byte is therefore shown with a paletted renderer holding one class per value present, labelled in
  words from :mod:`leaf_qgis.core.qc` (the only place that knows the bit layout), and every style is also saved as a
  ``.qml`` beside the file, which QGIS loads as the layer's default style without the plugin.
* **The user's own style wins.** A ``.qml`` we did not write (it lacks our custom property :data:`STYLE_PROPERTY`) is
  never overwritten, and the layer is left as QGIS loaded it with that style.
* **Bounded memory.** The values present are counted block by block with GDAL (any raster size), with the local
  engine's block I/O, imported on first use so that loading the plugin imports no engine.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from datetime import date

from osgeo import gdal
from qgis.core import (
    QgsColorRampShader,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsMessageLog,
    QgsPalettedRasterRenderer,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
    QgsRasterRenderer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
)
from qgis.PyQt.QtGui import QColor

from ..core import naming, qc
from ..core import products as maps
from ..core.landcover import NALCMS_CLASSES
from ..core.periods import date_from_days, days_since_epoch
from ..core.products import MAPS, PRODUCTS, Product
from ..core.sensors import SENSOR_NAME_BY_QC_CODE
from ..i18n import tr

#: Layer custom property (saved in the ``.qml``) that marks a style written by this plugin.
STYLE_PROPERTY = "leaf_qgis/style"
#: Up to this many distinct dates the date map gets one class per date; beyond, a labelled ramp.
MAX_DATE_CLASSES = 100

#: Colour stops (low → high) per ramp name of the map table (``Product.ramp``): greens for LAI, viridis for the
#: fractions (and any product without a ramp of its own), dark → orange for albedo, yellow-green for chlorophyll,
#: blues for water.
RAMPS: dict[str, tuple[str, ...]] = {
    "greens": ("#ffffe5", "#d9f0a3", "#78c679", "#238443", "#004529"),
    "viridis": ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"),
    "albedo": ("#1a1a1a", "#5b3a29", "#a0522d", "#e6862e", "#ffe3b3"),
    "chlorophyll": ("#f7fcb9", "#addd8e", "#41ab5d", "#006837", "#002d17"),
    "water": ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"),
}
#: Uncertainty (``_Error``) layers: light → dark purple over half the product's display range.
ERROR_RAMP = ("#fcfbfd", "#dadaeb", "#9e9ac8", "#6a51a3", "#3f007d")
#: Date classes run from early (dark blue) to late (yellow) in the period.
DATE_RAMP = ("#0d0887", "#7e03a8", "#cc4778", "#f89540", "#f0f921")

#: QC colour per flag state (input out of domain, output out of range, invalid): valid light green, invalid greys
#: (tinted when other flags are set too), domain red, range orange, both dark red.
QC_COLORS: dict[tuple[bool, bool, bool], QColor] = {
    (False, False, False): QColor(178, 223, 138),
    (True, False, False): QColor(227, 26, 28),
    (False, True, False): QColor(253, 174, 97),
    (True, True, False): QColor(153, 0, 13),
    (False, False, True): QColor(150, 150, 150),
    (True, False, True): QColor(160, 120, 120),
    (False, True, True): QColor(170, 150, 120),
    (True, True, True): QColor(110, 80, 80),
}


def log(message: str) -> None:
    """Messages for the LEAF tab of the log panel (styling runs outside any Processing feedback)."""
    QgsMessageLog.logMessage(message, "LEAF")


# ---------------------------------------------------------------------------------------------------------------
# Recognising a LEAF layer


def recognise(layer: QgsRasterLayer) -> tuple[str, bool] | None:
    """``(key, is_uncertainty)`` of a LEAF raster (``LAI`` … ``ALBEDO``, ``QC``, ``DATE``, ``PARTITION``), or None.

    The file name (either engine's naming) decides first; otherwise the metadata item the local engine writes into
    every output (``LEAF_QGIS_OUTPUT=LAI_ERROR`` …), so renamed local outputs are still recognised.
    """
    path = layer_path(layer)
    parsed = naming.parse(os.path.basename(path or layer.name()))
    if parsed is not None:
        return parsed.key, parsed.error
    if path:
        tag = leaf_metadata_key(path)
        if tag:
            key, _, suffix = tag.upper().partition("_")
            if key in MAPS:
                return key, suffix == "ERROR"
    return None


def layer_path(layer: QgsRasterLayer) -> str:
    """The file behind a GDAL layer (without ``|option`` suffixes), or '' for other providers."""
    if layer.providerType() != "gdal":
        return ""
    path = layer.source().split("|")[0]
    return path if os.path.isfile(path) else ""


def leaf_metadata_key(path: str) -> str:
    """The LEAF output key a file's GDAL metadata declares (``LAI``, ``QC`` …; ``LAI_ERROR`` for an uncertainty), or
    '' when it carries none or GDAL cannot read it: the local engine's ``LEAF_QGIS_OUTPUT`` tag, else the
    ``LEAF_PRODUCT`` / ``LEAF_LAYER`` items both engines write."""
    from ..rasters.raster_io import LEAF_OUTPUT_TAG, quiet_gdal

    with quiet_gdal():
        ds = gdal.Open(path, gdal.GA_ReadOnly)
        if ds is None:
            return ""
        tag = (ds.GetMetadataItem(LEAF_OUTPUT_TAG) or "").strip()
        product = (ds.GetMetadataItem("LEAF_PRODUCT") or "").strip()
        layer = (ds.GetMetadataItem("LEAF_LAYER") or "").strip()
    if tag:
        return tag.upper()
    if product:
        return product.upper() + ("_ERROR" if layer == "uncertainty" else "")
    return ""


# ---------------------------------------------------------------------------------------------------------------
# Values present


def value_counts(path: str, band: int = 1, nodata: Sequence[int] = ()) -> dict[int, int]:
    """Pixel count per integer value of ``band``, read block by block (memory does not grow with the raster).

    The band's own nodata value and every value in ``nodata`` are left out.
    """
    import numpy as np

    from ..rasters.raster_io import quiet_gdal, read_window, windows

    with quiet_gdal():
        ds = gdal.Open(path, gdal.GA_ReadOnly)
    if ds is None:
        return {}
    skip = {int(v) for v in nodata}
    declared = ds.GetRasterBand(band).GetNoDataValue()
    if declared is not None and float(declared).is_integer():
        skip.add(int(declared))
    counts: Counter[int] = Counter()
    for window in windows(ds.RasterXSize, ds.RasterYSize):
        block = read_window(ds, [band], window)[0]
        if block.dtype.kind == "u" and block.dtype.itemsize <= 2:
            found = np.bincount(block.ravel(), minlength=1)
            values = np.nonzero(found)[0]
            counts.update({int(v): int(found[v]) for v in values})
        else:
            values, found = np.unique(block, return_counts=True)
            counts.update({int(v): int(n) for v, n in zip(values, found)})
    return {v: n for v, n in sorted(counts.items()) if v not in skip}


# ---------------------------------------------------------------------------------------------------------------
# Products


def gradient(colors: Sequence[str]) -> QgsGradientColorRamp:
    """An even gradient through ``colors`` (kept as the shader's source ramp, so QGIS's style dialog shows it)."""
    stops = [QgsGradientStop(i / (len(colors) - 1), QColor(c)) for i, c in enumerate(colors[1:-1], 1)]
    return QgsGradientColorRamp(QColor(colors[0]), QColor(colors[-1]), False, stops)


def pseudocolor(layer: QgsRasterLayer, colors: Sequence[str], minimum: float, maximum: float,
                labels: Sequence[str]) -> QgsSingleBandPseudoColorRenderer:
    """Interpolated ramp with one labelled item per colour, fixed to ``minimum`` … ``maximum`` (no re-stretch)."""
    step = (maximum - minimum) / (len(colors) - 1)
    items = [QgsColorRampShader.ColorRampItem(minimum + i * step, QColor(c), label)
             for i, (c, label) in enumerate(zip(colors, labels))]
    ramp_shader = QgsColorRampShader(minimum, maximum)
    ramp_shader.setColorRampType(QgsColorRampShader.Interpolated)
    ramp_shader.setSourceColorRamp(gradient(colors))
    ramp_shader.setColorRampItemList(items)
    ramp_shader.setClip(False)
    shader = QgsRasterShader(minimum, maximum)
    shader.setRasterShaderFunction(ramp_shader)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(minimum)
    renderer.setClassificationMax(maximum)
    origin = QgsRasterMinMaxOrigin()
    origin.setLimits(QgsRasterMinMaxOrigin.None_)
    renderer.setMinMaxOrigin(origin)
    return renderer


def product_colors(product: Product) -> tuple[str, ...]:
    """The colour stops of the product's ramp; :data:`~leaf_qgis.core.products.DEFAULT_RAMP` for a ramp name this
    module does not know (a new product is styled, never a KeyError)."""
    return RAMPS.get(product.ramp, RAMPS[maps.DEFAULT_RAMP])


def product_range(product: Product, error: bool = False) -> tuple[float, float]:
    """The documented colour range: ``Product.display_range``; half of it for uncertainty layers."""
    low, high = product.display_range
    return (low, low + (high - low) / 2) if error else (low, high)


def product_renderer(layer: QgsRasterLayer, product: Product, error: bool = False) -> QgsSingleBandPseudoColorRenderer:
    """Pseudocolour over the product's fixed physical range, legend in physical units."""
    colors = ERROR_RAMP if error else product_colors(product)
    low, high = product_range(product, error)
    step = (high - low) / (len(colors) - 1)
    unit = f" {product.unit}" if product.unit else ""
    labels = [f"{low + i * step:g}{unit}" for i in range(len(colors))]
    return pseudocolor(layer, colors, low, high, labels)


# ---------------------------------------------------------------------------------------------------------------
# QC byte


def sensor_label(code: int) -> str:
    name = SENSOR_NAME_BY_QC_CODE.get(int(code))
    return tr(name) if name else tr("unknown sensor {code}").format(code=code)


def qc_label(value: int) -> str:
    """Words for one QC byte: ``Landsat 8 · input outside training domain · output out of range``."""
    flags = qc.decode(value)
    states = []
    if flags.input_out_of_domain:
        states.append(tr("input outside training domain"))
    if flags.output_out_of_range:
        states.append(tr("output out of range"))
    if flags.invalid:
        states.append(tr("invalid or flagged"))
    return " · ".join([sensor_label(flags.sensor_code), *(states or [tr("valid")])])


def qc_color(value: int) -> QColor:
    """Colour by flag state; the sensor is told by the label only (five sensors × eight states would not read)."""
    flags = qc.decode(value)
    return QColor(QC_COLORS[(flags.input_out_of_domain, flags.output_out_of_range, flags.invalid)])


def qc_renderer(layer: QgsRasterLayer, values: Sequence[int]) -> QgsPalettedRasterRenderer:
    """One class per QC value present (QC nodata left out, so it stays transparent)."""
    classes = [QgsPalettedRasterRenderer.Class(int(v), qc_color(v), qc_label(v))
               for v in sorted(set(values)) if int(v) != qc.QC_NODATA]
    return QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes)


# ---------------------------------------------------------------------------------------------------------------
# Date and partition


def date_label(days: int) -> str:
    """Calendar date (ISO 8601, unambiguous in every language) of a date-map value."""
    return date_from_days(days).isoformat()


def date_renderer(
    layer: QgsRasterLayer, values: Sequence[int], period: tuple[date, date] | None = None
) -> QgsPalettedRasterRenderer | QgsSingleBandPseudoColorRenderer:
    """One class per date present (coloured early → late within the period), or a ramp with dated stops when a long
    date range holds more than :data:`MAX_DATE_CLASSES` dates (a legend that long would not be read)."""
    values = sorted(int(v) for v in set(values) if int(v) != maps.DATE_NODATA)
    if period is not None:
        low, high = days_since_epoch(period[0]), days_since_epoch(period[1])
    elif values:
        low, high = values[0], values[-1]
    else:
        low = high = 0
    if len(values) > MAX_DATE_CLASSES:
        low, high = min(low, values[0]), max(high, values[-1])
        step = (high - low) / (len(DATE_RAMP) - 1)
        labels = [date_label(round(low + i * step)) for i in range(len(DATE_RAMP))]
        return pseudocolor(layer, DATE_RAMP, float(low), float(high), labels)
    ramp = gradient(DATE_RAMP)
    span = max(high - low, 1)
    classes = [QgsPalettedRasterRenderer.Class(v, ramp.color(min(max((v - low) / span, 0.0), 1.0)), date_label(v))
               for v in values]
    return QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes)


def partition_renderer(layer: QgsRasterLayer, values: Sequence[int]) -> QgsPalettedRasterRenderer:
    """The NALCMS legend for the classes present; a value outside the legend is shown grey and named by its number."""
    classes = []
    for v in sorted(set(int(v) for v in values)):
        if v == MAPS["PARTITION"].nodata:
            continue
        known = NALCMS_CLASSES.get(v)
        if known:
            classes.append(QgsPalettedRasterRenderer.Class(v, QColor(known.color), tr(known.name)))
        else:
            classes.append(QgsPalettedRasterRenderer.Class(v, QColor(128, 128, 128),
                                                           tr("class {value} (not in the NALCMS legend)").format(
                                                               value=v)))
    return QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes)


# ---------------------------------------------------------------------------------------------------------------
# Applying and saving


def qml_path(layer: QgsRasterLayer) -> str:
    """Where QGIS looks for the default style of the layer's file: ``<file without extension>.qml``."""
    path = layer_path(layer)
    return os.path.splitext(path)[0] + ".qml" if path else ""


def is_our_qml(path: str) -> bool:
    """True when the ``.qml`` at ``path`` was written by :func:`style_layer` (it carries :data:`STYLE_PROPERTY`)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return STYLE_PROPERTY in handle.read()
    except OSError:
        return False


def _values(layer: QgsRasterLayer, nodata: int) -> list[int]:
    """Values present: counted with GDAL for files, else from QGIS's own unique-value scan."""
    path = layer_path(layer)
    if path:
        return list(value_counts(path, 1, (nodata,)))
    data = QgsPalettedRasterRenderer.classDataFromRaster(layer.dataProvider(), 1)
    return [int(c.value) for c in data if int(c.value) != nodata]


def renderer_for(layer: QgsRasterLayer, key: str, error: bool = False) -> QgsRasterRenderer:
    """The LEAF renderer of ``key`` for ``layer``, by the map's kind (scans the raster for QC, date and partition
    values)."""
    if key in PRODUCTS:
        return product_renderer(layer, PRODUCTS[key], error)
    found = MAPS.get(key)
    kind = found.kind if found else ""
    if kind == maps.QC:
        return qc_renderer(layer, _values(layer, found.nodata))
    if kind == maps.DATE:
        parsed = naming.parse(os.path.basename(layer_path(layer) or layer.name()))
        period = (parsed.period.first, parsed.period.last) if parsed and parsed.period else None
        return date_renderer(layer, _values(layer, found.nodata), period)
    if kind == maps.PARTITION:
        return partition_renderer(layer, _values(layer, found.nodata))
    raise ValueError(f"no LEAF style for {key!r}")


def style_layer(layer: QgsRasterLayer, write_qml: bool = True, replace_qml: bool = True) -> bool:
    """Style a LEAF raster layer and save the style as ``<file>.qml`` beside it; True when styled.

    ``replace_qml=False`` (loading existing outputs) writes the ``.qml`` only when the file has none: a sidecar the
    plugin wrote keeps the language it was written in, while the layer in the project gets labels in the current
    interface language (loading once with a French interface must not leave French labels in a shared folder).

    Returns False, leaving the layer untouched, for a layer that is not a LEAF output (nothing is guessed) or whose
    file already has a ``.qml`` the user made (that style is theirs: QGIS loaded it, and we keep it).
    """
    if not isinstance(layer, QgsRasterLayer) or not layer.isValid() or layer.bandCount() != 1:
        return False
    found = recognise(layer)
    if found is None:
        return False
    qml = qml_path(layer)
    if qml and os.path.exists(qml) and not is_our_qml(qml):
        log(tr("{path}: kept the style file made outside LEAF; the layer keeps that style. To get the LEAF style, "
               "delete or rename that file, then load the layer again.").format(path=qml))
        return False
    key, error = found
    layer.setRenderer(renderer_for(layer, key, error))
    layer.setCustomProperty(STYLE_PROPERTY, f"{key}_ERROR" if error else key)
    layer.triggerRepaint()
    layer.emitStyleChanged()
    if write_qml and qml and (replace_qml or not os.path.exists(qml)):
        message, ok = layer.saveNamedStyle(qml)
        if not ok:
            log(tr("Could not save the style to {path}: {reason}").format(path=qml, reason=message))
    return True
