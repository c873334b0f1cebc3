"""The LEAF QC byte: bit layout, encoding and decoding. The single source for every engine and the styling.

====  =====  ==========================================================================================
bit   value  meaning
====  =====  ==========================================================================================
0     1      input out of domain: the quantised reflectance vector never occurred in the SL2P training set
1     2      output out of range: an estimate lies outside ``Product.valid_range`` or had to be clamped
2     4      invalid pixel: no clear observation (cloud, shadow, no data), or flagged: snow/ice, water, urban,
             saturation, reflectance out of range (:mod:`.pixel_rules`)
3–7   8–248  sensor code (``Sensor.qc_code``): L5 5, L7 7, L8 8, L9 9, S2 21 → 40, 56, 64, 72, 168
====  =====  ==========================================================================================

Every observed pixel carries its sensor code, so 0 never occurs in real data and is the QC nodata value (pixels
outside the requested region). The functions work on Python ints and on numpy integer/bool arrays alike, without
importing numpy (plugin load stays cheap).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import QT_TRANSLATE_NOOP

BIT_INPUT_OUT_OF_DOMAIN = 0
BIT_OUTPUT_OUT_OF_RANGE = 1
BIT_INVALID = 2
SENSOR_SHIFT = 3

FLAG_INPUT_OUT_OF_DOMAIN = 1 << BIT_INPUT_OUT_OF_DOMAIN
FLAG_OUTPUT_OUT_OF_RANGE = 1 << BIT_OUTPUT_OUT_OF_RANGE
FLAG_INVALID = 1 << BIT_INVALID
FLAGS_MASK = FLAG_INPUT_OUT_OF_DOMAIN | FLAG_OUTPUT_OUT_OF_RANGE | FLAG_INVALID

#: QC value of pixels outside the processed region (never produced for a real pixel: the sensor code is non-zero).
QC_NODATA = 0

#: (bit, meaning) of each flag, in words for the help (``QT_TRANSLATE_NOOP``: translated by the QGIS layer).
BIT_MEANINGS: tuple[tuple[int, str], ...] = (
    (BIT_INPUT_OUT_OF_DOMAIN, QT_TRANSLATE_NOOP("leaf", "input outside the SL2P training domain")),
    (BIT_OUTPUT_OUT_OF_RANGE, QT_TRANSLATE_NOOP("leaf", "an estimate outside its valid range, or clamped by the "
                                                        "LEAF encoding")),
    (BIT_INVALID, QT_TRANSLATE_NOOP("leaf", "invalid or flagged pixel (no clear observation, snow, water, urban, "
                                            "saturated sensor, reflectance out of range)")),
)


@dataclass(frozen=True)
class QcFlags:
    """A decoded QC byte."""

    input_out_of_domain: bool
    output_out_of_range: bool
    invalid: bool
    sensor_code: int

    @property
    def valid(self) -> bool:
        """True when no flag is set (the sensor code does not count)."""
        return not (self.input_out_of_domain or self.output_out_of_range or self.invalid)


def encode(sensor_code: Any, input_out_of_domain: Any = 0, output_out_of_range: Any = 0, invalid: Any = 0) -> Any:
    """Pack flags and sensor code into QC values (an int, or an array of the broadcast shape).

    Flag arguments may be bools, 0/1 ints or bool/int arrays; ``sensor_code`` an int or an int array.
    """
    if isinstance(sensor_code, int) and not 0 < sensor_code < 32:
        raise ValueError(f"sensor code {sensor_code} does not fit bits 3-7")
    value = (
        (sensor_code << SENSOR_SHIFT)
        | (_as_int(input_out_of_domain) << BIT_INPUT_OUT_OF_DOMAIN)
        | (_as_int(output_out_of_range) << BIT_OUTPUT_OUT_OF_RANGE)
        | (_as_int(invalid) << BIT_INVALID)
    )
    return value.astype("uint8") if hasattr(value, "astype") else int(value)


def decode(value: int) -> QcFlags:
    """Decode one QC byte."""
    value = int(value)
    return QcFlags(
        bool(value & FLAG_INPUT_OUT_OF_DOMAIN),
        bool(value & FLAG_OUTPUT_OUT_OF_RANGE),
        bool(value & FLAG_INVALID),
        value >> SENSOR_SHIFT,
    )


def input_out_of_domain(qc: Any) -> Any:
    """0/1 per pixel: bit 0 set."""
    return (qc >> BIT_INPUT_OUT_OF_DOMAIN) & 1


def output_out_of_range(qc: Any) -> Any:
    """0/1 per pixel: bit 1 set."""
    return (qc >> BIT_OUTPUT_OUT_OF_RANGE) & 1


def invalid(qc: Any) -> Any:
    """0/1 per pixel: bit 2 set."""
    return (qc >> BIT_INVALID) & 1


def sensor_code(qc: Any) -> Any:
    """Sensor code per pixel (bits 3–7); 0 where ``qc`` is nodata."""
    return qc >> SENSOR_SHIFT


def _as_int(flag: Any) -> Any:
    if hasattr(flag, "astype"):
        return flag.astype("uint8")
    return int(bool(flag))
