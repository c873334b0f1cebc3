"""The exported maps: LEAF uint8 products, the QC byte with a per-pixel sensor code, the date map, the partition.

Shares the core's definitions rather than restating them: bits from :mod:`leaf_qgis.core.qc`, scale factors, valid
ranges, data types and nodata values from the map table of :mod:`leaf_qgis.core.products`, the encoding rule from
:mod:`leaf_qgis.core.encoding`.

* Products (the pixel rules of :mod:`leaf_qgis.core.pixel_rules`, shared with the local engine): DN = floor(v·s +
  0.5) clamped to 0…254 for every observed pixel, except land-cover classes without an estimate (NALCMS no data,
  water), which get nodata 255 like pixels without any clear observation. A flagged pixel (QC bit 2) KEEPS its
  estimate unless the request asks ``mask_flagged``, which blanks every bit-2 pixel. A clamped value sets QC bit 1,
  so nothing saturates silently.
* QC: bit 0 input out of domain; bit 1 any requested estimate outside ``Product.valid_range`` or clamped; bit 2
  invalid (vendor snow/water/saturation flag of the chosen scene, NDSI snow test, reflectance range test on
  ``Sensor.range_bands`` (production's ``OUT_BANDS``), land-cover classes
  flagged or without estimate, or no clear observation at all — the reference tool left such pixels masked instead
  of flagging them); bits 3–7 the sensor code of the chosen scene (``sensor`` band, per pixel). Every pixel inside
  the region therefore has a non-zero QC; 0 (``QC_NODATA``) is outside. Bits 0 and 1 are set only where bit 2 is
  clear: an invalid pixel's estimate says nothing about the training domain or the valid range.
* Date: days since 1970-01-01 of the chosen scene, uint16 (as the reference tool; holds dates to 2149); 0 = no
  observation (1970-01-01 is never an acquisition).
* Partition: NALCMS class 1–19, 0 = no data.

Every exported image goes through :func:`export_ready` (``unmask(nodata, False)``) before the export's clip: a masked
pixel is written as its map's nodata value, never as whatever the writer puts under a mask (DN 0 = LAI 0).

The NDSI snow test is written without a division, ``green > 0.1 and green − swir1 > 0.2·(green + swir1)`` (NDSI > 0.2
wherever green + swir1 > 0): ``normalizedDifference`` masks its output where an input is negative, which would drop
every product of a pixel with green or SWIR1 in −0.005…0, a reflectance the range test calls valid.
"""

from __future__ import annotations

from typing import Any

from ...core import qc as qc_bits
from ...core.encoding import LEAF_MAX_DN
from ...core.pixel_rules import FLAGGED_CLASSES, NDSI_SNOW, NO_ESTIMATE_CLASSES, REFLECTANCE_RANGE, SNOW_MIN_GREEN
from ...core.products import Product, data_type_for, nodata_for  # noqa: F401 - exports.py takes them from here
from ...core.sensors import Sensor
from . import landcover


def export_ready(image: Any, key: str, clip: Any | None = None) -> Any:
    """``image`` clipped to ``clip`` (a custom region's polygon; ``None`` for tiles, whose export rectangle is the
    region), then every masked pixel set to the nodata value of map ``key``, footprint unbounded: inside the file's
    rectangle no pixel is left masked (:func:`.exports.export_geometry`)."""
    clipped = image if clip is None else image.clip(clip)
    return clipped.unmask(nodata_for(key), False)


def encode_leaf(ee: Any, estimate: Any, product: Product) -> tuple[Any, Any]:
    """(uint8 DN masked where ``estimate`` is masked, 0/1 clamped flag unmasked)."""
    scaled = estimate.multiply(product.leaf_scale).add(0.5).floor()
    clamped = scaled.gt(LEAF_MAX_DN).Or(scaled.lt(0)).unmask(0)
    dn = scaled.clamp(0, LEAF_MAX_DN).toUint8().rename(product.key)
    return dn, clamped


def out_of_range(ee: Any, estimate: Any, product: Product) -> Any:
    low, high = product.valid_range
    return estimate.lt(low).Or(estimate.gt(high)).unmask(0)


def snow_test(green: Any, swir1: Any) -> Any:
    """NDSI snow test without division (see the module doc): 1 where green > 0.1 and NDSI > 0.2."""
    return green.gt(SNOW_MIN_GREEN).And(green.subtract(swir1).gt(green.add(swir1).multiply(NDSI_SNOW)))


def no_estimate(ee: Any, partition: Any) -> Any:
    """0/1: the land-cover class gets no estimate (NALCMS no data, water: ``NO_ESTIMATE_CLASSES``)."""
    return landcover.class_in(partition, NO_ESTIMATE_CLASSES).rename("no_estimate")


def invalid_flag(ee: Any, mosaic: Any, sensor: Sensor, partition: Any) -> Any:
    """QC bit 2 for observed pixels (0/1, unmasked where observed): the vendor flags of the chosen scene, the
    reflectance range test on every band of ``sensor.range_bands``, the NDSI snow test, and the land-cover classes
    of ``FLAGGED_CLASSES`` and ``NO_ESTIMATE_CLASSES`` (:mod:`leaf_qgis.core.pixel_rules`)."""
    flag = mosaic.select("flagged").neq(0)
    refl = mosaic.select(list(sensor.range_bands))
    flag = flag.Or(refl.reduce(ee.Reducer.min()).lt(REFLECTANCE_RANGE[0]))
    flag = flag.Or(refl.reduce(ee.Reducer.max()).gt(REFLECTANCE_RANGE[1]))
    green, swir1 = sensor.snow_bands
    flag = flag.Or(snow_test(mosaic.select(green), mosaic.select(swir1)))
    flag = flag.Or(landcover.class_in(partition, (*FLAGGED_CLASSES, *NO_ESTIMATE_CLASSES)))
    return flag.toUint8().rename("invalid")


def qc_byte(ee: Any, mosaic: Any, sensor: Sensor, domain_flag: Any, range_flag: Any, invalid: Any) -> Any:
    """The QC byte (uint8, band ``QC``), defined over the whole region (see the module doc)."""
    observed = mosaic.select("date").mask().gt(0)
    code = mosaic.select("sensor").toUint8()
    bad = invalid.unmask(1)
    valid = bad.Not()
    value = (code.leftShift(qc_bits.SENSOR_SHIFT)
             .bitwiseOr(domain_flag.unmask(0).And(valid).toUint8().leftShift(qc_bits.BIT_INPUT_OUT_OF_DOMAIN))
             .bitwiseOr(range_flag.unmask(0).And(valid).toUint8().leftShift(qc_bits.BIT_OUTPUT_OUT_OF_RANGE))
             .bitwiseOr(bad.toUint8().leftShift(qc_bits.BIT_INVALID)))
    no_observation = qc_bits.encode(sensor.qc_code, invalid=1)
    return ee.Image.constant(no_observation).toUint8().where(observed, value).toUint8().rename("QC")


def date_map(ee: Any, mosaic: Any) -> Any:
    return mosaic.select("date").toUint16().rename("DATE")
