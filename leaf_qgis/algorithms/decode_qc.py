"""``leaf:decode_qc`` — split a LEAF QC byte into 0/1 flag rasters and a sensor raster, with a summary.

QGIS's raster calculator has no bitwise operators, so users cannot test QC bits themselves; this algorithm gives
them ready-made masks to use in the raster calculator, zonal statistics or the modeler. Decoding goes through
:mod:`leaf_qgis.core.qc` only. The raster is read and written block by block (memory does not grow with its size)
and the outputs are renamed into place only after the last block, so a failure or a cancellation leaves nothing.
"""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..core import qc
from ..core.errors import QT_TRANSLATE_NOOP, LeafError
from ..core.sensors import SENSOR_BY_QC_CODE, SENSOR_NAME_BY_QC_CODE
from .base import LeafAlgorithm, qc_help

#: Nodata of the 0/1 flag outputs (where the QC byte is nodata).
FLAG_NODATA = 255
#: Nodata of the sensor output (the QC nodata has sensor code 0).
SENSOR_NODATA = 0
#: QC sensor code → the key used in result names (``COUNT_SENSOR_L8``); both Sentinel-2 configurations share 21.
SENSOR_KEY_BY_CODE: dict[int, str] = {code: s.key for code, s in SENSOR_BY_QC_CODE.items()}

#: (output parameter, flag function of core.qc, English description) for the three flag rasters.
FLAG_OUTPUTS = (
    ("OUTPUT_DOMAIN", qc.input_out_of_domain, QT_TRANSLATE_NOOP("leaf", "Input out of training domain")),
    ("OUTPUT_RANGE", qc.output_out_of_range, QT_TRANSLATE_NOOP("leaf", "Output out of range")),
    ("OUTPUT_INVALID", qc.invalid, QT_TRANSLATE_NOOP("leaf", "Invalid pixel (cloud, shadow, snow, water)")),
)
COUNT_KEYS = {"OUTPUT_DOMAIN": "COUNT_INPUT_OUT_OF_DOMAIN", "OUTPUT_RANGE": "COUNT_OUTPUT_OUT_OF_RANGE",
              "OUTPUT_INVALID": "COUNT_INVALID"}


def block_windows(width: int, height: int) -> list:
    """The local engine's tile-aligned, memory-bounded windows (a seam the tests use to force many blocks)."""
    from ..rasters.raster_io import windows

    return windows(width, height)


def summarise(histogram: Any) -> dict[str, Any]:
    """Counts per flag and per sensor, from the 256-bin histogram of the QC byte (nodata bin ignored).

    Every pixel with data has a known sensor code here: :func:`check_sensor_codes` refuses the raster otherwise,
    before the summary, so the sensor counts add up to ``pixels``."""
    import numpy as np

    values = np.arange(256, dtype=np.uint8)
    counts = np.asarray(histogram, dtype=np.int64).copy()
    counts[qc.QC_NODATA] = 0
    flags = {key: int(counts[func(values) == 1].sum()) for key, func, _ in FLAG_OUTPUTS}
    valid = int(counts[(values & qc.FLAGS_MASK) == 0].sum())
    codes = qc.sensor_code(values)
    sensors = {code: int(counts[codes == code].sum()) for code in sorted(SENSOR_KEY_BY_CODE)}
    return {"pixels": int(counts.sum()), "flags": flags, "valid": valid, "sensors": sensors}


def check_qc_raster(ds: Any, path: str) -> None:
    """Refuse, before anything is written, a raster that is not a LEAF QC byte, saying what it looks like.

    Three tests: the LEAF metadata (a product map says so), one band of bytes, and every value's sensor code (bits
    3–7) known in :data:`SENSOR_BY_QC_CODE` (:func:`check_sensor_codes`, once the values are counted) — a LAI or
    fCOVER map read as QC gives codes such as 87 or 30.
    """
    product = (ds.GetMetadataItem("LEAF_PRODUCT") or "").strip()
    if product and product.upper() != "QC":
        layer = (ds.GetMetadataItem("LEAF_LAYER") or "").strip()
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "'{path}' is not a QC raster: it looks like a LEAF {product} map (LEAF_PRODUCT={product}{layer}). "
                "Give the QC file of the same run (…_QC_….tif, or the OUTPUT_QC of produce_local).",
            ),
            path=path, product=product, layer=f", LEAF_LAYER={layer}" if layer else "",
        )
    from osgeo import gdal  # here, not at module level: plugin load stays free of GDAL

    band = ds.GetRasterBand(1)
    if ds.RasterCount != 1 or band.DataType != gdal.GDT_Byte:
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "QC raster '{path}' has {bands} band(s) of type {dtype}; a LEAF QC raster has one band of bytes "
                "(Byte/uint8). Choose the *_QC_* file of a LEAF output.",
            ),
            path=path, bands=ds.RasterCount, dtype=gdal.GetDataTypeName(band.DataType),
        )


def check_sensor_codes(histogram: Any, path: str) -> None:
    """Every value with data must carry a known sensor code in bits 3–7 (checked on the histogram of the whole
    raster, before the outputs are committed)."""
    import numpy as np

    histogram = np.asarray(histogram, dtype=np.int64).copy()
    histogram[qc.QC_NODATA] = 0
    values = np.nonzero(histogram)[0]
    codes = qc.sensor_code(values.astype(np.uint8))
    unknown = sorted({int(c) for c in codes if int(c) not in SENSOR_BY_QC_CODE})
    if unknown:
        bad = int(histogram[values[np.isin(codes, unknown)]].sum())
        total = int(histogram.sum())
        known = ", ".join(f"{code} {name}" for code, name in sorted(SENSOR_NAME_BY_QC_CODE.items()))
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "'{path}' is not a LEAF QC raster: {percent:.1f} % of its pixels have sensor codes (bits 3–7) "
                "{codes}, which no LEAF sensor uses (LEAF codes: {known}). It is probably a product map (LAI, "
                "fCOVER …) or another byte raster; give the QC file of a LEAF output.",
            ),
            path=path, percent=100.0 * bad / max(total, 1), codes=", ".join(map(str, unknown[:10])), known=known,
        )


class DecodeQcAlgorithm(LeafAlgorithm):
    INPUT = "INPUT"
    OUTPUT_SENSOR = "OUTPUT_SENSOR"
    SUMMARY = "SUMMARY"
    PIXELS = "PIXELS"
    COUNT_VALID = "COUNT_VALID"
    group_key = "results"
    help_anchor = "5-reading-the-qc-map"

    def name(self) -> str:
        return "decode_qc"

    def displayName(self) -> str:
        return self.tr("Decode QC byte")

    def tags(self) -> list[str]:
        return self.tr("qc,quality,flag,bit,mask,sensor,leaf").split(",")

    def shortHelpString(self) -> str:
        return self.tr(
            "<p>Splits a LEAF QC raster (one byte per pixel) into masks you can use in the raster calculator, zonal "
            "statistics or a model.</p>"
            "<p><b>QC byte</b>: {bits}</p>"
            "<p><b>Outputs</b>: input out of training domain, output out of range and invalid pixel "
            "as 0/1 bytes, 255 where the QC has no data; the sensor of each pixel as "
            "its code (bits 3–7), 0 where the QC has no data.</p>"
            "<p>A summary (pixel count and percent per flag and per sensor, of the pixels with data) is written to "
            "the log and returned as SUMMARY, with the counts as numbers.</p>"
        ).format(bits=qc_help())

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, self.tr("QC raster")))
        for key, _, label in FLAG_OUTPUTS:
            self.addParameter(QgsProcessingParameterRasterDestination(key, self.tr(label)))
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT_SENSOR, self.tr("Sensor")))
        self.addOutput(QgsProcessingOutputString(self.SUMMARY, self.tr("Summary")))
        self.addOutput(QgsProcessingOutputNumber(self.PIXELS, self.tr("Pixels with QC data")))
        self.addOutput(QgsProcessingOutputNumber(self.COUNT_VALID, self.tr("Pixels without any flag")))
        for key, _, label in FLAG_OUTPUTS:
            self.addOutput(QgsProcessingOutputNumber(COUNT_KEYS[key], self.tr(label)))
        for code, sensor_key in SENSOR_KEY_BY_CODE.items():
            self.addOutput(QgsProcessingOutputNumber(f"COUNT_SENSOR_{sensor_key}",
                                                     self.tr(SENSOR_NAME_BY_QC_CODE[code])))

    def execute(self, parameters: dict, context, feedback) -> dict[str, Any]:
        import numpy as np
        from osgeo import gdal

        # The local engine's block I/O is imported here: loading the plugin must not import the engines.
        from ..rasters.raster_io import (
            Grid,
            OutputSet,
            OutputSpec,
            cache_limit,
            check_destinations,
            open_raster,
            read_window,
        )

        layer = self.parameterAsRasterLayer(parameters, self.INPUT, context)
        if layer is None:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "QC raster: the layer '{value}' cannot be opened."),
                            value=parameters.get(self.INPUT))
        source = layer.source().split("|")[0]
        ds = open_raster(source, self.tr("QC raster"))
        check_qc_raster(ds, source)
        paths = {key: self.parameterAsOutputLayer(parameters, key, context)
                 for key in (*(k for k, _, _ in FLAG_OUTPUTS), self.OUTPUT_SENSOR)}
        check_destinations(paths, [source])
        grid = Grid.of(ds)
        specs = [OutputSpec(f"QC_{key.removeprefix('OUTPUT_')}", paths[key], gdal.GDT_Byte, FLAG_NODATA,
                            description=label) for key, _, label in FLAG_OUTPUTS]
        specs.append(OutputSpec("QC_SENSOR", paths[self.OUTPUT_SENSOR], gdal.GDT_Byte, SENSOR_NODATA,
                                description="QC sensor code"))
        histogram = np.zeros(256, dtype=np.int64)
        blocks = block_windows(grid.width, grid.height)
        with cache_limit(), OutputSet(specs, grid) as outputs:
            for i, window in enumerate(blocks):
                self.check_cancelled(feedback)  # leaving the block discards every temporary output
                block = read_window(ds, [1], window)[0]
                histogram += np.bincount(block.ravel(), minlength=256)
                nodata = block == qc.QC_NODATA
                for (_key, func, _), spec in zip(FLAG_OUTPUTS, specs):
                    values = func(block).astype(np.uint8)
                    values[nodata] = FLAG_NODATA
                    outputs.write(spec.key, window, values)
                outputs.write("QC_SENSOR", window, qc.sensor_code(block).astype(np.uint8))
                feedback.setProgress(100.0 * (i + 1) / len(blocks))
            check_sensor_codes(histogram, source)  # before the commit: a refused raster leaves no output
            done = outputs.commit()
        summary = summarise(histogram)
        text = self.summary_text(summary)
        for line in text.splitlines():
            feedback.pushInfo(line)
        results: dict[str, Any] = {key: done[spec.key] for key, spec in zip(paths, specs)}
        results.update({self.SUMMARY: text, self.PIXELS: summary["pixels"], self.COUNT_VALID: summary["valid"]})
        results.update({COUNT_KEYS[key]: n for key, n in summary["flags"].items()})
        results.update({f"COUNT_SENSOR_{SENSOR_KEY_BY_CODE[c]}": n for c, n in summary["sensors"].items()})
        return results

    def summary_text(self, summary: dict[str, Any]) -> str:
        """A tab-separated table (what, pixels, percent of the pixels with data), for the log and SUMMARY."""
        total = summary["pixels"]

        def row(label: str, count: int) -> str:
            percent = 100.0 * count / total if total else 0.0
            return f"{label}\t{count}\t{percent:.2f} %"

        lines = [f"{self.tr('QC class')}\t{self.tr('pixels')}\t{self.tr('percent')}",
                 row(self.tr("Pixels with QC data"), total), row(self.tr("Pixels without any flag"), summary["valid"])]
        lines += [row(self.tr(label), summary["flags"][key]) for key, _, label in FLAG_OUTPUTS]
        lines += [row(self.tr(SENSOR_NAME_BY_QC_CODE[code]), n) for code, n in summary["sensors"].items()]
        return "\n".join(lines)
