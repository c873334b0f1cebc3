# ruff: noqa: N803  (argument names are Earth Engine's camelCase argument names)
"""A numpy interpreter of serialized Earth Engine graphs, on one fixed pixel grid, for tests.

Why: Earth Engine cannot be reached from the tests, and signature validation (:mod:`tests.ee_eval.signatures`)
sees neither argument shapes nor mask semantics. This module evaluates the very graph a plan stores
(``ee.Image.serialize()``, or ``ee.serializer.encode(obj, for_cloud_api=True)``) on synthetic sources, with each
function's semantics as its Earth Engine API reference documents them, so a test can prove numerically what the
server would compute.

Model
-----
* An image is an ordered list of bands; a band is ``(name, values, mask, dtype)``: ``values`` a float64 or int64
  array of shape ``(H, W)`` (scalar band) or ``(H, W, *shape)`` (array band, one array per pixel), ``mask`` a bool
  ``(H, W)`` array (Earth Engine's continuous masks are reduced to valid/invalid: any non-zero mask value is valid),
  ``dtype`` one of ``uint8 uint16 int8 int16 int32 int64 float32 float64``. Float32 bands hold float32-rounded values
  in float64 arrays: every operation whose output type is ``float32`` rounds its result to float32 (*assumed*:
  Earth Engine computes a float band in single precision, as the local engine does; it decides digits such as the
  domain code's ``ceil(10·ρ)`` at a float32 boundary). An image also carries its properties and its footprint (bool
  ``(H, W)``).
* One fixed grid: every source is already on it. ``Image.reproject`` is a pass-through (its arguments are recorded
  in :attr:`Evaluator.log`); ``Image.clip`` masks the pixels outside :attr:`Evaluator.region_mask` (the geometry
  itself is not rasterised: the caller says which grid pixels the region covers); geometry and projection
  constructors return opaque records. ``Filter.intersects`` (``filterBounds``) keeps a scene unless it has a
  ``footprint`` entry in :class:`Scene` and that footprint does not intersect the region mask, or it has ``bounds``
  (a rectangle in the CCRS grid CRS: where the scene lies on the ground) that do not meet the filter's rectangle — a
  tile's region, whose four numbers are the one thing a tile changes in its graphs.
* Collections are lists of images in registration order; ``filter``/``map``/``fromImages`` keep the order.

Semantics implemented (from the Earth Engine API reference; assumptions marked *assumed*)
-------------------------------------------------------------------------------------------
* Binary image operators (``add subtract multiply divide max min mod eq neq gt lt and or bitwiseAnd bitwiseOr
  leftShift``): a 1-band operand is used against every band of the other; equal band counts pair in order; output
  names from the longer operand, else image1; output mask = AND of the input masks. ``divide`` returns 0 for
  division by 0 (documented). ``mod`` is truncated (``fmod``, sign of the dividend). Array bands combine element-wise
  with arrays of the same shape or with scalar bands (broadcast); anything else raises. Bitwise operators raise on
  float bands.
* ``where(test, value)``: replaced where test ≠ 0 and test, value *and input* are unmasked; masked input stays
  masked; output keeps input's mask and footprint.
* ``unmask(value, sameFootprint)``: masked pixels take value's value and mask; with ``sameFootprint`` (default)
  only inside the input's footprint.
* ``updateMask(mask)``: new mask = old mask AND mask ≠ 0 AND mask's own mask.
* ``mask()``: the mask as values (0/1), itself unmasked.
* ``normalizedDifference``: ``(a − b)/(a + b)``, band ``nd``, properties dropped, **masked where either input is
  negative** (documented: "a negative pixel value in either input band will cause the output pixel to be masked");
  0 where a + b = 0 (*assumed*, as ``divide``).
* ``remap(from, to, defaultValue)``: values not in ``from`` are masked unless ``defaultValue`` is given; the output
  band is named ``remapped``.
* ``reduce(reducer)`` across bands: over the unmasked bands of each pixel; masked where every band is masked
  (*assumed*).
* Integer casts (``toUint8 toUint16 toInt32``): clamp to the type's range, then truncate toward zero (documented for
  ``Number.toUint8``: out-of-range values become the nearest bound, decimals are lost). ``toFloat`` rounds to float32.
* ``Image.constant``: a number → band ``constant``; a list → bands ``constant_0…``; an ``Array`` → one array band.
* ``toArray(axis)``: bands concatenated per pixel; masked where any band is masked; ``axis`` equal to the bands'
  array rank adds a dimension.
* ``arrayReshape(lengths, dimensions)``: ``lengths`` must be a **1-band image holding a 1-D array of ``dimensions``
  lengths per pixel** (documented); anything else raises :class:`GraphError`. Row-major, as the documentation's
  example.
* ``arrayGet(position)``: one int band per array axis; masked where the position is out of range.
* ``matrixMultiply``: per-pixel matrix product of 2-D arrays (raises on other ranks or mismatched shapes).
* ``arrayReduce(reducer, axes)``: reduced axes keep length 1.
* ``qualityMosaic(band)``: per pixel, the image with the highest *unmasked* quality value gives all its bands
  (values and masks); ties go to the first image in collection order (*assumed*); no candidate → masked.
* ``mosaic()``: per band, the last unmasked image wins (documented: "prioritizes images last to first"); images
  with different band names raise.
* ``addBands``: a repeated band name gets a ``_1``, ``_2``… suffix unless ``overwrite`` (*assumed*, as Earth
  Engine's ``Image.cat``).
* ``Element.get`` of a missing property raises (never a silent default); a filter on a missing property does not
  match (Earth Engine's filter behaviour).
* ``Number.divide`` returns 0 for division by 0 (documented).

Any function not in :data:`FUNCTIONS` raises :class:`GraphError`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np


class GraphError(Exception):
    """The graph cannot be evaluated: unknown function or property, wrong argument shape, bad band names."""


INT_RANGES = {
    "uint8": (0, 255), "uint16": (0, 65535), "int8": (-128, 127), "int16": (-32768, 32767),
    "int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1),
}
FLOAT_TYPES = ("float32", "float64")


def is_float(dtype: str) -> bool:
    return dtype in FLOAT_TYPES


def union_type(a: str, b: str) -> str:
    """The output type of a binary operation (the documented "union of the input types", simplified: double wins,
    then float, then the wider integer type)."""
    if "float64" in (a, b):
        return "float64"
    if "float32" in (a, b):
        return "float32"
    if a == b:
        return a
    return "int64"


@dataclass
class Band:
    name: str
    values: np.ndarray
    mask: np.ndarray
    dtype: str

    @property
    def is_array(self) -> bool:
        return self.values.ndim > 2

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape[2:])


@dataclass
class Image:
    bands: list[Band]
    properties: dict[str, Any] = field(default_factory=dict)
    footprint: np.ndarray | None = None

    def band(self, name: str) -> Band:
        for b in self.bands:
            if b.name == name:
                return b
        raise GraphError(f"image has no band {name!r} (bands: {self.names})")

    @property
    def names(self) -> list[str]:
        return [b.name for b in self.bands]


@dataclass
class Collection:
    images: list[Image]
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Opaque:
    """Geometries, projections, features, reducers, date ranges: records the graph passes around."""

    kind: str
    args: Any = None


@dataclass
class Filter:
    describe: str
    test: Callable[[Image], bool] | None = None
    """One-collection filter: keep the element?"""
    pair: Callable[[Image, Image], bool] | None = None
    """Join condition: does (primary, secondary) match?"""

    def keep(self, element: Image) -> bool:
        if self.test is None:
            raise GraphError(f"filter {self.describe} compares two collections; it can only serve a join")
        return self.test(element)

    def match(self, primary: Image, secondary: Image) -> bool:
        if self.pair is None:
            raise GraphError(f"filter {self.describe} is not a join condition")
        return self.pair(primary, secondary)


@dataclass
class Join:
    kind: str
    options: dict[str, Any]


class Closure:
    def __init__(self, evaluator: Evaluator, names: list[str], body: str, env: dict[str, Any]) -> None:
        self.evaluator, self.names, self.body, self.env = evaluator, names, body, env

    def __call__(self, *args: Any) -> Any:
        if len(args) != len(self.names):
            raise GraphError(f"function of {self.names} called with {len(args)} arguments")
        env = {**self.env, **dict(zip(self.names, args))}
        return self.evaluator._value(self.body, env, {})


# ---------------------------------------------------------------------------------------------------------------------
# Band helpers
# ---------------------------------------------------------------------------------------------------------------------

def cast_values(values: np.ndarray, dtype: str) -> np.ndarray:
    """Values converted to ``dtype`` as Earth Engine casts: clamp then truncate for integers, float32 rounding."""
    if dtype == "float64":
        return values.astype(np.float64)
    if dtype == "float32":
        return values.astype(np.float32).astype(np.float64)
    low, high = INT_RANGES[dtype]
    v = np.nan_to_num(values.astype(np.float64), nan=0.0)
    return np.trunc(np.clip(v, low, high)).astype(np.int64)


def _storage(values: np.ndarray, dtype: str) -> np.ndarray:
    """Values as a band of ``dtype`` holds them (module doc: float32 results rounded to float32)."""
    if dtype == "float32":
        return values.astype(np.float32).astype(np.float64)
    return values.astype(np.float64) if is_float(dtype) else values.astype(np.int64)


def _lift(values: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Broadcast a scalar band against an array band (append singleton axes)."""
    while values.ndim < other.ndim:
        values = values[..., None]
    return values


def _combine(a: Band, b: Band) -> tuple[np.ndarray, np.ndarray]:
    if a.is_array and b.is_array and a.shape != b.shape:
        raise GraphError(f"array bands of shapes {a.shape} and {b.shape} cannot be combined element-wise")
    return _lift(a.values, b.values), _lift(b.values, a.values)


def _pairs(image1: Image, image2: Image) -> list[tuple[Band, Band, str]]:
    n1, n2 = len(image1.bands), len(image2.bands)
    if n1 == 0 or n2 == 0:
        raise GraphError("binary operation on an image without bands")
    if n1 == n2:
        return [(a, b, a.name) for a, b in zip(image1.bands, image2.bands)]
    if n1 == 1:
        return [(image1.bands[0], b, b.name) for b in image2.bands]
    if n2 == 1:
        return [(a, image2.bands[0], a.name) for a in image1.bands]
    raise GraphError(f"band counts {n1} and {n2} do not match")


def _footprint(*images: Image) -> np.ndarray | None:
    prints = [i.footprint for i in images if i.footprint is not None]
    if not prints:
        return None
    out = prints[0]
    for p in prints[1:]:
        out = out & p
    return out


def _binary(op: Callable[[np.ndarray, np.ndarray], np.ndarray], out_type: Callable[[str, str], str],
            integer_only: bool = False) -> Callable[..., Image]:
    def run(ev: Evaluator, image1: Any, image2: Any) -> Image:
        i1, i2 = ev.as_image(image1), ev.as_image(image2)
        bands = []
        for a, b, name in _pairs(i1, i2):
            if integer_only and (is_float(a.dtype) or is_float(b.dtype)):
                raise GraphError(f"bitwise operation on float bands {a.name!r} ({a.dtype}), {b.name!r} ({b.dtype})")
            x, y = _combine(a, b)
            dtype = out_type(a.dtype, b.dtype)
            with np.errstate(all="ignore"):
                values = op(x, y)
            bands.append(Band(name, _storage(values, dtype), a.mask & b.mask, dtype))
        return Image(bands, {}, _footprint(i1, i2))
    return run


def _safe_divide(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    zero = y == 0
    out = np.where(zero, 0.0, x / np.where(zero, 1, y))
    return out


def _int_divide(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    zero = y == 0
    return np.where(zero, 0, np.trunc(x / np.where(zero, 1, y)))


def _divide(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if np.issubdtype(x.dtype, np.integer) and np.issubdtype(y.dtype, np.integer):
        return _int_divide(x, y)
    return _safe_divide(x.astype(np.float64), y.astype(np.float64))


def _fmod(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    zero = y == 0
    return np.where(zero, 0, np.fmod(x, np.where(zero, 1, y)))


def _bool_type(a: str, b: str) -> str:
    return "uint8"


def _unary(op: Callable[[np.ndarray], np.ndarray],
           out_type: Callable[[str], str] | None = None) -> Callable[..., Image]:
    def run(ev: Evaluator, **kwargs: Any) -> Image:
        if len(kwargs) != 1:
            raise GraphError(f"unary operation with arguments {sorted(kwargs)}")
        image = ev.as_image(next(iter(kwargs.values())))
        bands = []
        for b in image.bands:
            dtype = out_type(b.dtype) if out_type else b.dtype
            with np.errstate(all="ignore"):
                values = op(b.values)
            bands.append(Band(b.name, _storage(values, dtype), b.mask.copy(), dtype))
        return Image(bands, {}, image.footprint)
    return run


def _float_out(dtype: str) -> str:
    return dtype if is_float(dtype) else "float64"


def _cast(dtype: str) -> Callable[..., Image]:
    def run(ev: Evaluator, value: Any) -> Image:
        image = ev.as_image(value)
        return Image([Band(b.name, cast_values(b.values, dtype), b.mask.copy(), dtype) for b in image.bands],
                     dict(image.properties), image.footprint)
    return run


# ---------------------------------------------------------------------------------------------------------------------
# Image functions
# ---------------------------------------------------------------------------------------------------------------------

def _image_constant(ev: Evaluator, value: Any) -> Image:
    full = np.ones(ev.shape, dtype=bool)
    if isinstance(value, np.ndarray):
        values = np.broadcast_to(value.astype(np.float64), ev.shape + value.shape)
        return Image([Band("constant", values, full, "float64")], {}, None)
    if isinstance(value, (list, tuple)):
        numbers = list(value)
        names = [f"constant_{i}" for i in range(len(numbers))]
    else:
        numbers, names = [value], ["constant"]
    bands = []
    for name, number in zip(names, numbers):
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise GraphError(f"Image.constant of {number!r}")
        dtype = "int64" if isinstance(number, int) else "float64"
        bands.append(Band(name, np.full(ev.shape, number, dtype=np.int64 if dtype == "int64" else np.float64),
                          full, dtype))
    return Image(bands, {}, None)


def _select(ev: Evaluator, input: Any, bandSelectors: Sequence[Any], newNames: Sequence[str] | None = None) -> Image:
    image = ev.as_image(input)
    chosen: list[Band] = []
    for selector in bandSelectors:
        if isinstance(selector, int):
            if not 0 <= selector < len(image.bands):
                raise GraphError(f"band index {selector} out of range ({len(image.bands)} bands)")
            chosen.append(image.bands[selector])
            continue
        matches = [b for b in image.bands if re.fullmatch(selector, b.name)]
        if not matches:
            raise GraphError(f"band selector {selector!r} matches no band of {image.names}")
        chosen.extend(matches)
    if newNames is not None:
        if len(newNames) != len(chosen):
            raise GraphError(f"select: {len(newNames)} new names for {len(chosen)} bands")
        chosen = [Band(n, b.values, b.mask, b.dtype) for b, n in zip(chosen, newNames)]
    return Image(list(chosen), dict(image.properties), image.footprint)


def _rename(ev: Evaluator, input: Any, names: Sequence[str]) -> Image:
    image = ev.as_image(input)
    if isinstance(names, str):
        names = [names]
    if len(names) != len(image.bands):
        raise GraphError(f"rename: {len(names)} names for {len(image.bands)} bands ({image.names})")
    return Image([Band(n, b.values, b.mask, b.dtype) for b, n in zip(image.bands, names)], dict(image.properties),
                 image.footprint)


def _add_bands(ev: Evaluator, dstImg: Any, srcImg: Any, names: Any = None, overwrite: bool = False) -> Image:
    dst, src = ev.as_image(dstImg), ev.as_image(srcImg)
    if names is not None:
        src = _select(ev, src, list(names))
    bands = list(dst.bands)
    for b in src.bands:
        existing = [i for i, d in enumerate(bands) if d.name == b.name]
        if existing and overwrite:
            bands[existing[0]] = b
        elif existing:  # Earth Engine appends a suffix to a repeated name (``constant`` → ``constant_1``; assumed)
            taken = {d.name for d in bands}
            suffix = 1
            while f"{b.name}_{suffix}" in taken:
                suffix += 1
            bands.append(Band(f"{b.name}_{suffix}", b.values, b.mask, b.dtype))
        else:
            bands.append(b)
    return Image(bands, dict(dst.properties), _footprint(dst, src))


def _broadcast_bands(image: Image, other: Image, role: str) -> list[Band]:
    if len(other.bands) == 1:
        return [other.bands[0]] * len(image.bands)
    if len(other.bands) == len(image.bands):
        return list(other.bands)
    raise GraphError(f"{role} has {len(other.bands)} bands for an image of {len(image.bands)}")


def _update_mask(ev: Evaluator, image: Any, mask: Any) -> Image:
    img, m = ev.as_image(image), ev.as_image(mask)
    out = []
    for b, mb in zip(img.bands, _broadcast_bands(img, m, "updateMask mask")):
        if mb.is_array:
            raise GraphError("updateMask with an array mask")
        out.append(Band(b.name, b.values, b.mask & mb.mask & (mb.values != 0), b.dtype))
    return Image(out, dict(img.properties), img.footprint)


def _unmask(ev: Evaluator, input: Any, value: Any = None, sameFootprint: bool = True) -> Image:
    img = ev.as_image(input)
    fill = ev.as_image(0 if value is None else value)
    inside = img.footprint if (sameFootprint and img.footprint is not None) else np.ones(ev.shape, dtype=bool)
    out = []
    for b, fb in zip(img.bands, _broadcast_bands(img, fill, "unmask value")):
        x, y = _combine(b, fb)
        take = ~b.mask & inside
        dtype = b.dtype if not (is_float(fb.dtype) and not is_float(b.dtype)) else "float64"
        values = np.where(_lift(take, x), y, x)
        out.append(Band(b.name, _storage(values, dtype), np.where(take, fb.mask, b.mask), dtype))
    footprint = img.footprint if sameFootprint else None
    return Image(out, dict(img.properties), footprint)


def _where(ev: Evaluator, input: Any, test: Any, value: Any) -> Image:
    img, t, v = ev.as_image(input), ev.as_image(test), ev.as_image(value)
    out = []
    for b, tb, vb in zip(img.bands, _broadcast_bands(img, t, "where test"), _broadcast_bands(img, v, "where value")):
        if tb.is_array:
            raise GraphError("where: the test may not be an array image")
        x, y = _combine(b, vb)
        replace = (tb.values != 0) & tb.mask & vb.mask & b.mask
        dtype = union_type(b.dtype, vb.dtype)
        values = np.where(_lift(replace, x), y, x)
        out.append(Band(b.name, _storage(values, dtype), b.mask.copy(), dtype))
    return Image(out, dict(img.properties), img.footprint)


def _mask_of(ev: Evaluator, image: Any, mask: Any = None) -> Image:
    if mask is not None:
        raise GraphError("Image.mask(mask) (the deprecated setter) is not supported")
    img = ev.as_image(image)
    full = np.ones(ev.shape, dtype=bool)
    return Image([Band(b.name, b.mask.astype(np.float64), full, "float64") for b in img.bands], {}, img.footprint)


def _normalized_difference(ev: Evaluator, input: Any, bandNames: Sequence[str] | None = None) -> Image:
    img = ev.as_image(input)
    if bandNames is None:
        if len(img.bands) < 2:
            raise GraphError("normalizedDifference needs two bands")
        a, b = img.bands[0], img.bands[1]
    else:
        if len(bandNames) != 2:
            raise GraphError(f"normalizedDifference needs two band names, got {bandNames}")
        a, b = img.band(bandNames[0]), img.band(bandNames[1])
    if a.is_array or b.is_array:
        raise GraphError("normalizedDifference of array bands")
    x, y = a.values.astype(np.float64), b.values.astype(np.float64)
    with np.errstate(all="ignore"):
        nd = _safe_divide(x - y, x + y)
    mask = a.mask & b.mask & (x >= 0) & (y >= 0)
    return Image([Band("nd", cast_values(nd, "float32"), mask, "float32")], {}, img.footprint)


def _remap(ev: Evaluator, image: Any, to: Sequence[Any], defaultValue: Any = None, bandName: str | None = None,
           **kwargs: Any) -> Image:
    source = kwargs.pop("from")
    if kwargs:
        raise GraphError(f"remap: unexpected arguments {sorted(kwargs)}")
    img = ev.as_image(image)
    band = img.band(bandName) if bandName else None
    if band is None:
        if len(img.bands) != 1:
            raise GraphError(f"remap of a {len(img.bands)}-band image without bandName")
        band = img.bands[0]
    if len(source) != len(to):
        raise GraphError(f"remap: {len(source)} 'from' values and {len(to)} 'to' values")
    values = band.values
    out = np.zeros(values.shape, dtype=np.float64)
    found = np.zeros(values.shape, dtype=bool)
    for f, t in zip(source, to):
        hit = (values == f) & ~found
        out[hit] = t
        found |= hit
    mask = band.mask.copy()
    if defaultValue is None:
        mask &= found
    else:
        out[~found] = defaultValue
    numbers = list(to) + ([] if defaultValue is None else [defaultValue])
    dtype = "int64" if all(isinstance(n, int) and not isinstance(n, bool) for n in numbers) else "float64"
    return Image([Band("remapped", _storage(out, dtype), mask, dtype)], {}, img.footprint)


def _reduce_bands(ev: Evaluator, image: Any, reducer: Opaque) -> Image:
    img = ev.as_image(image)
    if any(b.is_array for b in img.bands):
        raise GraphError("Image.reduce of array bands")
    name = reducer.kind
    stack = np.stack([b.values.astype(np.float64) for b in img.bands])
    masks = np.stack([b.mask for b in img.bands])
    if name == "min":
        value = np.where(masks, stack, np.inf).min(axis=0)
    elif name == "max":
        value = np.where(masks, stack, -np.inf).max(axis=0)
    elif name == "sum":
        value = np.where(masks, stack, 0).sum(axis=0)
    else:
        raise GraphError(f"Image.reduce with reducer {name!r}")
    any_valid = masks.any(axis=0)
    value = np.where(any_valid, value, 0)
    dtype = "float64" if any(is_float(b.dtype) for b in img.bands) else "int64"
    return Image([Band(name, _storage(value, dtype), any_valid, dtype)], {}, img.footprint)


def _to_array(ev: Evaluator, image: Any, axis: int = 0) -> Image:
    img = ev.as_image(image)
    if not img.bands:
        raise GraphError("toArray of an image without bands")
    shapes = {b.shape for b in img.bands}
    if len(shapes) != 1:
        raise GraphError(f"toArray of bands with different array shapes {shapes}")
    rank = len(next(iter(shapes)))
    if not 0 <= axis <= rank:
        raise GraphError(f"toArray axis {axis} for bands of array rank {rank}")
    if axis == rank:
        values = np.stack([b.values.astype(np.float64) for b in img.bands], axis=-1)
    else:
        values = np.concatenate([b.values.astype(np.float64) for b in img.bands], axis=2 + axis)
    mask = np.logical_and.reduce([b.mask for b in img.bands])
    dtype = "float64" if any(is_float(b.dtype) for b in img.bands) else "int64"
    return Image([Band("array", _storage(values, dtype), mask, dtype)], {}, img.footprint)


def _single_array_band(image: Image, what: str) -> Band:
    if len(image.bands) != 1:
        raise GraphError(f"{what}: {len(image.bands)} array bands (this evaluator handles one)")
    band = image.bands[0]
    if not band.is_array:
        raise GraphError(f"{what}: band {band.name!r} is not an array band")
    return band


def _uniform(values: np.ndarray, mask: np.ndarray, what: str) -> np.ndarray:
    """The per-pixel value of ``values`` when it is the same at every unmasked pixel (raises otherwise)."""
    flat = values.reshape((-1, *values.shape[2:]))[mask.reshape(-1)]
    if flat.size == 0:
        return values[0, 0]
    first = flat[0]
    if not np.all(flat == first):
        raise GraphError(f"{what} varies between pixels (not supported)")
    return first


def _array_reshape(ev: Evaluator, image: Any, lengths: Any, dimensions: int) -> Image:
    img, lens = ev.as_image(image), ev.as_image(lengths)
    band = _single_array_band(img, "arrayReshape")
    if len(lens.bands) != 1:
        raise GraphError(f"arrayReshape: 'lengths' must be a 1-band image holding a 1-D array per pixel; got a "
                         f"{len(lens.bands)}-band image ({lens.names}, scalar bands: "
                         f"{[not b.is_array for b in lens.bands]})")
    if not lens.bands[0].is_array or len(lens.bands[0].shape) != 1:
        raise GraphError(f"arrayReshape: 'lengths' must hold a 1-D array per pixel; got band {lens.bands[0].name!r} "
                         f"of array shape {lens.bands[0].shape}")
    per_pixel, mask = lens.bands[0].values, lens.bands[0].mask
    shape = [int(v) for v in _uniform(per_pixel, mask & band.mask, "arrayReshape lengths")]
    if len(shape) != dimensions:
        raise GraphError(f"arrayReshape: {len(shape)} lengths for {dimensions} dimensions")
    if shape.count(-1) > 1:
        raise GraphError("arrayReshape: at most one length may be -1")
    size = int(np.prod(band.shape))
    if -1 in shape:
        known = int(np.prod([s for s in shape if s != -1]))
        shape[shape.index(-1)] = size // known
    if int(np.prod(shape)) != size:
        raise GraphError(f"arrayReshape: cannot reshape arrays of shape {band.shape} to {shape}")
    values = band.values.reshape(ev.shape + tuple(shape))
    return Image([Band(band.name, values, band.mask & mask, band.dtype)], {}, img.footprint)


def _array_get(ev: Evaluator, image: Any, position: Any) -> Image:
    img, pos = ev.as_image(image), ev.as_image(position)
    band = _single_array_band(img, "arrayGet")
    if len(pos.bands) != len(band.shape):
        raise GraphError(f"arrayGet: {len(pos.bands)} position bands for arrays of rank {len(band.shape)} "
                         f"(shape {band.shape})")
    mask = band.mask.copy()
    index = []
    for axis, pb in enumerate(pos.bands):
        if pb.is_array or is_float(pb.dtype):
            raise GraphError(f"arrayGet: position band {pb.name!r} must be a scalar integer band ({pb.dtype})")
        idx = pb.values.astype(np.int64)
        inside = (idx >= 0) & (idx < band.shape[axis])
        mask &= pb.mask & inside
        index.append(np.where(inside, idx, 0))
    rows, cols = np.indices(ev.shape)
    values = band.values[(rows, cols, *index)]
    return Image([Band(band.name, values, mask, band.dtype)], {}, img.footprint)


def _matrix_multiply(ev: Evaluator, image1: Any, image2: Any) -> Image:
    i1, i2 = ev.as_image(image1), ev.as_image(image2)
    bands = []
    for a, b, name in _pairs(i1, i2):
        if len(a.shape) != 2 or len(b.shape) != 2:
            raise GraphError(f"matrixMultiply needs 2-D arrays; got shapes {a.shape} and {b.shape}")
        if a.shape[1] != b.shape[0]:
            raise GraphError(f"matrixMultiply: shapes {a.shape} and {b.shape} do not chain")
        values = np.matmul(a.values.astype(np.float64), b.values.astype(np.float64))
        bands.append(Band(name, values, a.mask & b.mask, "float64"))
    return Image(bands, {}, _footprint(i1, i2))


def _array_reduce(ev: Evaluator, input: Any, reducer: Opaque, axes: Sequence[int], fieldAxis: Any = None) -> Image:
    if fieldAxis is not None:
        raise GraphError("arrayReduce with fieldAxis is not supported")
    img = ev.as_image(input)
    band = _single_array_band(img, "arrayReduce")
    ops = {"sum": np.sum, "min": np.min, "max": np.max}
    if reducer.kind not in ops:
        raise GraphError(f"arrayReduce with reducer {reducer.kind!r}")
    rank = len(band.shape)
    for axis in axes:
        if not 0 <= axis < rank:
            raise GraphError(f"arrayReduce axis {axis} for arrays of rank {rank}")
    values = ops[reducer.kind](band.values, axis=tuple(2 + a for a in axes), keepdims=True)
    return Image([Band(band.name, values, band.mask.copy(), band.dtype)], {}, img.footprint)


def _clamp(ev: Evaluator, input: Any, low: float, high: float) -> Image:
    img = ev.as_image(input)
    return Image([Band(b.name, _storage(np.clip(b.values, low, high), b.dtype), b.mask.copy(), b.dtype)
                  for b in img.bands], {}, img.footprint)


def _copy_properties(ev: Evaluator, destination: Any = None, source: Any = None, properties: Any = None,
                     exclude: Any = None) -> Image:
    dst, src = ev.as_image(destination), source
    props = dict(dst.properties)
    source_props = src.properties if isinstance(src, (Image, Collection)) else dict(getattr(src, "args", {}) or {})
    keys = list(properties) if properties is not None else [k for k in source_props if not k.startswith("system:")]
    for key in keys:
        if exclude and key in exclude:
            continue
        if key in source_props:
            props[key] = source_props[key]
    return Image(list(dst.bands), props, dst.footprint)


def _clip(ev: Evaluator, input: Any, geometry: Any) -> Image:
    """A polygon clip masks the pixels outside :attr:`Evaluator.region_mask`; a ``Rectangle`` is the export's file
    rectangle (the whole evaluation grid, which stands for the file), so clipping to it masks nothing."""
    img = ev.as_image(input)
    if isinstance(geometry, Opaque) and geometry.kind == "Rectangle":
        return img
    region = ev.region_mask
    footprint = region if img.footprint is None else img.footprint & region
    return Image([Band(b.name, b.values, b.mask & region, b.dtype) for b in img.bands], dict(img.properties),
                 footprint)


def _reproject(ev: Evaluator, image: Any, crs: Any, crsTransform: Any = None, scale: Any = None) -> Image:
    ev.log.append(("reproject", {"crs": crs, "crsTransform": crsTransform, "scale": scale}))
    return ev.as_image(image)


# ---------------------------------------------------------------------------------------------------------------------
# Collections and filters
# ---------------------------------------------------------------------------------------------------------------------

def _band_across(images: list[Image], position: int) -> tuple[list[Band], str]:
    """Band ``position`` of every image, and the type a mosaic of them has (the union of their types)."""
    parts = [image.bands[position] for image in images]
    dtype = parts[0].dtype
    for p in parts[1:]:
        dtype = union_type(dtype, p.dtype) if p.dtype != dtype else dtype
    return parts, dtype


def _quality_mosaic(ev: Evaluator, collection: Collection, qualityBand: str) -> Image:
    images = collection.images
    if not images:
        return Image([], {}, None)
    names = images[0].names
    for image in images[1:]:
        if image.names != names:
            raise GraphError(f"qualityMosaic of images with different bands: {names} vs {image.names}")
    best = np.full(ev.shape, -np.inf)
    chosen = np.full(ev.shape, -1, dtype=np.int64)
    for index, image in enumerate(images):
        q = image.band(qualityBand)
        if q.is_array:
            raise GraphError("qualityMosaic on an array quality band")
        better = q.mask & (q.values > best)  # strict: ties keep the first image (assumed)
        best = np.where(better, q.values, best)
        chosen = np.where(better, index, chosen)
    bands = []
    for position, name in enumerate(names):
        parts, dtype = _band_across(images, position)
        template = parts[0].values
        values = np.zeros(template.shape, dtype=np.float64 if is_float(dtype) else np.int64)
        mask = np.zeros(ev.shape, dtype=bool)
        for index, p in enumerate(parts):
            if p.shape != parts[0].shape:
                raise GraphError(f"qualityMosaic: band {name!r} has different array shapes")
            take = chosen == index
            values[take] = p.values[take]
            mask |= take & p.mask
        bands.append(Band(name, values, mask, dtype))
    return Image(bands, {}, _footprint(*images))


def _mosaic(ev: Evaluator, collection: Collection) -> Image:
    images = collection.images
    if not images:
        return Image([], {}, None)
    names = images[0].names
    for image in images[1:]:
        if image.names != names:
            raise GraphError(f"mosaic of images with different band names: {names} vs {image.names} (Earth Engine "
                             f"mosaics band by band name, so the result would not be one band)")
    bands = []
    for position, name in enumerate(names):
        parts, dtype = _band_across(images, position)
        values = _storage(parts[0].values.copy(), dtype)
        mask = parts[0].mask.copy()
        for p in parts[1:]:
            values = np.where(_lift(p.mask, values), p.values, values)
            mask |= p.mask
        bands.append(Band(name, _storage(values, dtype), mask, dtype))
    return Image(bands, {}, None)


def _map(ev: Evaluator, collection: Collection, baseAlgorithm: Closure, dropNulls: bool = False) -> Collection:
    out = []
    for image in collection.images:
        result = baseAlgorithm(image)
        if result is None and dropNulls:
            continue
        out.append(ev.as_image(result))
    return Collection(out, dict(collection.properties))


def _filter(ev: Evaluator, collection: Collection, filter: Filter) -> Collection:
    return Collection([i for i in collection.images if filter.keep(i)], dict(collection.properties))


def _to_millis(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.replace("Z", "+00:00")
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.timestamp() * 1000.0
    raise GraphError(f"cannot read a date from {value!r}")


def _date_range(ev: Evaluator, start: Any, end: Any = None, timeZone: Any = None) -> Opaque:
    if timeZone not in (None, "UTC"):
        raise GraphError(f"DateRange time zone {timeZone!r} not supported")
    first = _to_millis(start)
    last = _to_millis(end) if end is not None else first + 86_400_000
    return Opaque("DateRange", (first, last))


def _field_filter(name: str, compare: Callable[[Any, Any], bool]) -> Callable[..., Filter]:
    def run(ev: Evaluator, leftField: Any = None, rightValue: Any = None, rightField: Any = None,
            leftValue: Any = None) -> Filter:
        if leftField is not None and rightValue is not None and rightField is None and leftValue is None:
            def test(image: Image) -> bool:
                if leftField not in image.properties:
                    return False
                return compare(image.properties[leftField], rightValue)
            return Filter(f"{name}({leftField}, {rightValue!r})", test=test)
        if leftField is not None and rightField is not None and rightValue is None and leftValue is None:
            def pair(primary: Image, secondary: Image) -> bool:
                if leftField not in primary.properties or rightField not in secondary.properties:
                    return False
                return compare(primary.properties[leftField], secondary.properties[rightField])
            return Filter(f"{name}(primary.{leftField}, secondary.{rightField})", pair=pair)
        raise GraphError(f"Filter.{name} with arguments leftField={leftField!r} rightValue={rightValue!r} "
                         f"rightField={rightField!r} leftValue={leftValue!r} is not supported")
    return run


def _filter_combine(kind: str) -> Callable[..., Filter]:
    def run(ev: Evaluator, filters: Sequence[Filter]) -> Filter:
        combine = all if kind == "and" else any
        filters = list(filters)
        test = None if any(f.test is None for f in filters) else (
            lambda image: combine(f.keep(image) for f in filters))
        pair = None if any(f.pair is None for f in filters) else (
            lambda a, b: combine(f.match(a, b) for f in filters))
        return Filter(f"{kind}({', '.join(f.describe for f in filters)})", test, pair)
    return run


def _filter_not_null(ev: Evaluator, properties: Sequence[str]) -> Filter:
    """``Filter.notNull``: every named property is set (documented: "passes if all the named properties are not
    null")."""
    names = list(properties)
    return Filter(f"notNull({names})", test=lambda image: all(image.properties.get(n) is not None for n in names))


def _filter_not(ev: Evaluator, filter: Filter) -> Filter:
    test = None if filter.test is None else (lambda image: not filter.keep(image))
    pair = None if filter.pair is None else (lambda a, b: not filter.match(a, b))
    return Filter(f"not({filter.describe})", test, pair)


def _join(kind: str) -> Callable[..., Join]:
    def run(ev: Evaluator, **options: Any) -> Join:
        return Join(kind, options)
    return run


def _join_apply(ev: Evaluator, join: Join, primary: Collection, secondary: Collection, condition: Filter
                ) -> Collection:
    """``Join.apply``: saveFirst (property ``matchKey`` = first matching secondary, optionally ordered; primaries
    without a match dropped unless ``outer``), inner (features with ``primary``/``secondary`` properties), simple
    (primaries with a match)."""
    out = []
    o = join.options
    for p in primary.images:
        matches = [s for s in secondary.images if condition.match(p, s)]
        if join.kind == "saveFirst":
            if o.get("ordering"):
                key = o["ordering"]
                matches = sorted(matches, key=lambda s: s.properties[key], reverse=not o.get("ascending", True))
            if not matches and not o.get("outer", False):
                continue
            props = dict(p.properties)
            props[o["matchKey"]] = matches[0] if matches else None
            out.append(Image(list(p.bands), props, p.footprint))
        elif join.kind == "inner":
            for m in matches:
                out.append(Image([], {o.get("primaryKey") or "primary": p, o.get("secondaryKey") or "secondary": m}))
        elif join.kind == "simple":
            if matches:
                out.append(p)
        else:
            raise GraphError(f"Join.{join.kind} is not supported")
    return Collection(out, dict(primary.properties))


def _filter_date_range_contains(ev: Evaluator, leftField: Any = None, rightValue: Any = None,
                                rightField: Any = None, leftValue: Any = None) -> Filter:
    if not (isinstance(leftValue, Opaque) and leftValue.kind == "DateRange" and rightField is not None
            and leftField is None and rightValue is None):
        raise GraphError("Filter.dateRangeContains: only leftValue=DateRange, rightField=<property> is supported")
    first, last = leftValue.args

    def test(image: Image) -> bool:
        if rightField not in image.properties:
            return False
        t = float(image.properties[rightField])
        return first <= t < last
    return Filter(f"dateRangeContains({rightField})", test=test)


def _filter_intersects(ev: Evaluator, leftField: Any = None, rightValue: Any = None, rightField: Any = None,
                       leftValue: Any = None, maxError: Any = None) -> Filter:
    """``filterBounds``: a scene's pixel footprint against the region mask, its ground bounds against the filter's
    rectangle (module doc)."""
    if leftField != ".all" or rightValue is None:
        raise GraphError("Filter.intersects: only leftField='.all' with a geometry/feature value is supported")
    geometry = rightValue.args if isinstance(rightValue, Opaque) and rightValue.kind == "Feature" else rightValue

    def test(image: Image) -> bool:
        footprint = image.properties.get("__footprint__")
        if footprint is not None and not (footprint & ev.region_mask).any():
            return False
        bounds = image.properties.get("__bounds__")
        if bounds is None:
            return True
        if not (isinstance(geometry, Opaque) and geometry.kind == "Rectangle"):
            kind = getattr(geometry, "kind", geometry)
            raise GraphError(f"filterBounds of a scene with ground bounds by a {kind!r}: only a rectangle (a tile's "
                             f"region) can be compared with them")
        (x0, y0, x1, y1), crs = geometry.args
        scene_crs, (sx0, sy0, sx1, sy1) = bounds
        if crs != scene_crs:
            raise GraphError(f"filterBounds: a rectangle in {crs} against scene bounds in {scene_crs}")
        return x0 <= sx1 and sx0 <= x1 and y0 <= sy1 and sy0 <= y1
    return Filter("intersects(.all, region)", test=test)


def _element_set(ev: Evaluator, object: Any, key: str, value: Any) -> Image:
    image = ev.as_image(object)
    return Image(list(image.bands), {**image.properties, key: value}, image.footprint)


def _element_set_multi(ev: Evaluator, object: Any, properties: dict) -> Image:
    image = ev.as_image(object)
    return Image(list(image.bands), {**image.properties, **properties}, image.footprint)


def _metadata(ev: Evaluator, image: Any, property: str, name: str | None = None) -> Image:
    value = _element_get(ev, ev.as_image(image), property)
    constant = _image_constant(ev, value)
    return _rename(ev, constant, [name or property])


def _merge(ev: Evaluator, collection1: Collection, collection2: Collection) -> Collection:
    return Collection(list(collection1.images) + list(collection2.images))


def _pass_through(what: str) -> Callable[..., Image]:
    def run(ev: Evaluator, image: Any, **kwargs: Any) -> Image:
        ev.log.append((what, {k: v for k, v in kwargs.items()}))
        return ev.as_image(image)
    return run


def _element_get(ev: Evaluator, object: Any, property: str) -> Any:
    props = object.properties if isinstance(object, (Image, Collection)) else None
    if props is None:
        raise GraphError(f"Element.get on {type(object).__name__}")
    if property not in props:
        raise GraphError(f"property {property!r} is not set (properties: {sorted(props)})")
    return props[property]


def _number(fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(ev: Evaluator, **kwargs: Any) -> Any:
        for key, value in kwargs.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise GraphError(f"Number function argument {key}={value!r} is not a number")
        return fn(**kwargs)
    return run


def _number_divide(left: float, right: float) -> float:
    if right == 0:
        return 0
    if isinstance(left, int) and isinstance(right, int):
        return int(left / right)
    return left / right


def _array(ev: Evaluator, values: Any, pixelType: Any = None) -> np.ndarray:
    if pixelType is not None:
        raise GraphError("Array with pixelType is not supported")
    array = np.asarray(values, dtype=np.float64)
    if array.dtype == object:
        raise GraphError("Array of ragged lists")
    return array


def _list_repeat(ev: Evaluator, value: Any, count: int) -> list:
    return [value] * int(count)


def _decode_json(ev: Evaluator, string: str) -> Any:
    return json.loads(string)


def _load_image(ev: Evaluator, id: str, version: Any = None) -> Image:
    if id not in ev.images:
        raise GraphError(f"no synthetic image registered as {id!r}")
    image = ev.images[id]
    return Image(list(image.bands), dict(image.properties), image.footprint)


def _load_collection(ev: Evaluator, id: str, version: Any = None) -> Collection:
    if id not in ev.collections:
        raise GraphError(f"no synthetic collection registered as {id!r}")
    return Collection([Image(list(i.bands), dict(i.properties), i.footprint) for i in ev.collections[id]])


def _opaque(kind: str) -> Callable[..., Opaque]:
    def run(ev: Evaluator, **kwargs: Any) -> Opaque:
        return Opaque(kind, tuple(sorted((k, json.dumps(v, default=str)) for k, v in kwargs.items())))
    return run


def _crs_name(crs: Any) -> str:
    """The CRS code of a geometry constructor's ``crs`` argument (a code, a ``Projection``; none: EPSG:4326)."""
    if crs is None:
        return "EPSG:4326"
    if isinstance(crs, str):
        return crs
    if isinstance(crs, Opaque) and crs.kind == "Projection":
        return json.loads(dict(crs.args)["crs"])
    raise GraphError(f"cannot read a CRS from {crs!r}")


def _rectangle(ev: Evaluator, coordinates: Any, crs: Any = None, geodesic: Any = None, evenOdd: Any = None) -> Opaque:
    """A rectangle record: ((xmin, ymin, xmax, ymax), CRS code), from a flat list or two corner points."""
    corners = np.asarray(coordinates, dtype=np.float64).reshape(-1)
    if corners.size != 4:
        raise GraphError(f"Rectangle with coordinates {coordinates!r}")
    x0, y0, x1, y1 = (float(v) for v in corners)
    return Opaque("Rectangle", ((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), _crs_name(crs)))


def _feature(ev: Evaluator, geometry: Any = None, metadata: Any = None, geometryKey: Any = None) -> Opaque:
    return Opaque("Feature", geometry)


def _reducer(kind: str) -> Callable[..., Opaque]:
    def run(ev: Evaluator, **kwargs: Any) -> Opaque:
        if kwargs:
            raise GraphError(f"Reducer.{kind} with arguments {sorted(kwargs)}")
        return Opaque(kind)
    return run


def _images_from(ev: Evaluator, images: Sequence[Any]) -> Collection:
    return Collection([ev.as_image(i) for i in images])


def _bool_and(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return ((x != 0) & (y != 0)).astype(np.int64)


def _bool_or(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return ((x != 0) | (y != 0)).astype(np.int64)


def _shift(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.left_shift(x.astype(np.int64), y.astype(np.int64))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    # Images: arithmetic, logic, bits
    "Image.add": _binary(np.add, union_type),
    "Image.subtract": _binary(np.subtract, union_type),
    "Image.multiply": _binary(np.multiply, union_type),
    "Image.divide": _binary(_divide, union_type),
    "Image.max": _binary(np.maximum, union_type),
    "Image.min": _binary(np.minimum, union_type),
    "Image.mod": _binary(_fmod, union_type),
    "Image.eq": _binary(lambda x, y: (x == y).astype(np.int64), _bool_type),
    "Image.neq": _binary(lambda x, y: (x != y).astype(np.int64), _bool_type),
    "Image.gt": _binary(lambda x, y: (x > y).astype(np.int64), _bool_type),
    "Image.gte": _binary(lambda x, y: (x >= y).astype(np.int64), _bool_type),
    "Image.lt": _binary(lambda x, y: (x < y).astype(np.int64), _bool_type),
    "Image.lte": _binary(lambda x, y: (x <= y).astype(np.int64), _bool_type),
    "Image.and": _binary(_bool_and, _bool_type),
    "Image.or": _binary(_bool_or, _bool_type),
    "Image.bitwiseAnd": _binary(np.bitwise_and, union_type, integer_only=True),
    "Image.bitwiseOr": _binary(np.bitwise_or, union_type, integer_only=True),
    "Image.leftShift": _binary(_shift, union_type, integer_only=True),
    "Image.not": _unary(lambda v: (v == 0).astype(np.int64), lambda t: "uint8"),
    "Image.abs": _unary(np.abs),
    "Image.ceil": _unary(np.ceil, _float_out),
    "Image.floor": _unary(np.floor, _float_out),
    "Image.tanh": _unary(np.tanh, _float_out),
    "Image.exp": _unary(np.exp, _float_out),
    "Image.log": _unary(np.log, _float_out),
    "Image.sqrt": _unary(np.sqrt, _float_out),
    "Image.cos": _unary(np.cos, _float_out),
    "Image.sin": _unary(np.sin, _float_out),
    "Image.round": _unary(lambda v: np.where(v >= 0, np.floor(v + 0.5), np.ceil(v - 0.5)), _float_out),
    "Image.clamp": _clamp,
    "Image.toFloat": _cast("float32"),
    "Image.toDouble": _cast("float64"),
    "Image.toUint8": _cast("uint8"),
    "Image.toUint16": _cast("uint16"),
    "Image.toInt8": _cast("int8"),
    "Image.toInt16": _cast("int16"),
    "Image.toInt32": _cast("int32"),
    "Image.toInt64": _cast("int64"),
    # Images: bands, masks, properties
    "Image.constant": _image_constant,
    "Image.load": _load_image,
    "Image.select": _select,
    "Image.rename": _rename,
    "Image.addBands": _add_bands,
    "Image.updateMask": _update_mask,
    "Image.unmask": _unmask,
    "Image.where": _where,
    "Image.mask": _mask_of,
    "Image.normalizedDifference": _normalized_difference,
    "Image.remap": _remap,
    "Image.reduce": _reduce_bands,
    "Image.copyProperties": _copy_properties,
    "Image.clip": _clip,
    "Image.reproject": _reproject,
    # Array images
    "Image.toArray": _to_array,
    "Image.arrayReshape": _array_reshape,
    "Image.arrayGet": _array_get,
    "Image.matrixMultiply": _matrix_multiply,
    "Image.arrayReduce": _array_reduce,
    # Collections, filters
    "ImageCollection.load": _load_collection,
    "ImageCollection.fromImages": _images_from,
    "ImageCollection.qualityMosaic": _quality_mosaic,
    "ImageCollection.mosaic": _mosaic,
    "Collection.map": _map,
    "Collection.filter": _filter,
    "Filter.greaterThan": _field_filter("greaterThan", lambda a, b: a > b),
    "Filter.gt": _field_filter("gt", lambda a, b: a > b),
    "Filter.greaterThanOrEquals": _field_filter("greaterThanOrEquals", lambda a, b: a >= b),
    "Filter.gte": _field_filter("gte", lambda a, b: a >= b),
    "Filter.lessThan": _field_filter("lessThan", lambda a, b: a < b),
    "Filter.lt": _field_filter("lt", lambda a, b: a < b),
    "Filter.lessThanOrEquals": _field_filter("lessThanOrEquals", lambda a, b: a <= b),
    "Filter.lte": _field_filter("lte", lambda a, b: a <= b),
    "Filter.equals": _field_filter("equals", lambda a, b: a == b),
    "Filter.eq": _field_filter("eq", lambda a, b: a == b),
    "Filter.notEquals": _field_filter("notEquals", lambda a, b: a != b),
    "Filter.neq": _field_filter("neq", lambda a, b: a != b),
    "Filter.inList": _field_filter("inList", lambda a, b: a in b),
    "Filter.and": _filter_combine("and"),
    "Filter.or": _filter_combine("or"),
    "Filter.not": _filter_not,
    "Filter.notNull": _filter_not_null,
    "Join.saveFirst": _join("saveFirst"),
    "Join.inner": _join("inner"),
    "Join.simple": _join("simple"),
    "Join.apply": _join_apply,
    "Collection.merge": _merge,
    "ImageCollection.merge": _merge,
    "Element.set": _element_set,
    "Element.setMulti": _element_set_multi,
    "Image.set": _element_set,
    "Image.metadata": _metadata,
    "Image.resample": _pass_through("resample"),
    "Image.setDefaultProjection": _pass_through("setDefaultProjection"),
    "Filter.dateRangeContains": _filter_date_range_contains,
    "Filter.intersects": _filter_intersects,
    "DateRange": _date_range,
    "Element.get": _element_get,
    # Geometry, projection, features, reducers: opaque records on the fixed grid
    "GeometryConstructors.Polygon": _opaque("Polygon"),
    "GeometryConstructors.Rectangle": _rectangle,
    "GeometryConstructors.MultiPolygon": _opaque("MultiPolygon"),
    "Projection": _opaque("Projection"),
    "Feature": _feature,
    "Reducer.min": _reducer("min"),
    "Reducer.max": _reducer("max"),
    "Reducer.sum": _reducer("sum"),
    # Server-side numbers, lists, strings, arrays
    "Number.add": _number(lambda left, right: left + right),
    "Number.subtract": _number(lambda left, right: left - right),
    "Number.multiply": _number(lambda left, right: left * right),
    "Number.divide": _number(_number_divide),
    "Number.floor": _number(lambda input: math.floor(input)),
    "Number.cos": _number(lambda input: math.cos(input)),
    "List.repeat": _list_repeat,
    "String.decodeJSON": _decode_json,
    "Array": _array,
}


# ---------------------------------------------------------------------------------------------------------------------
# The evaluator
# ---------------------------------------------------------------------------------------------------------------------

@dataclass
class Scene:
    """A synthetic source image: bands (name → values, optional masks and types) and properties."""

    bands: dict[str, np.ndarray]
    properties: dict[str, Any]
    dtypes: dict[str, str] = field(default_factory=dict)
    masks: dict[str, np.ndarray] = field(default_factory=dict)
    footprint: np.ndarray | None = None
    """Pixels the scene covers (``filterBounds`` keeps the scene when it meets the region); ``None``: everywhere."""
    bounds: tuple[float, float, float, float] | None = None
    """Where the scene lies on the ground, (xmin, ymin, xmax, ymax) in :attr:`bounds_crs` (``filterBounds`` by a
    rectangle keeps the scene when they meet); ``None``: everywhere."""
    bounds_crs: str = "EPSG:3979"

    def to_image(self) -> Image:
        bands = []
        for name, values in self.bands.items():
            dtype = self.dtypes.get(name, "float64" if np.issubdtype(values.dtype, np.floating) else "int64")
            mask = self.masks.get(name, np.ones(values.shape[:2], dtype=bool))
            if self.footprint is not None:
                mask = mask & self.footprint
            bands.append(Band(name, _storage(values, dtype), mask, dtype))
        props = dict(self.properties)
        if self.footprint is not None:
            props["__footprint__"] = self.footprint
        if self.bounds is not None:
            props["__bounds__"] = (self.bounds_crs, tuple(float(v) for v in self.bounds))
        return Image(bands, props, None)


class Evaluator:
    """Evaluates serialized graphs against registered synthetic sources (see the module doc)."""

    def __init__(self, shape: tuple[int, int], collections: dict[str, list[Scene]] | None = None,
                 images: dict[str, Scene] | None = None, region_mask: np.ndarray | None = None) -> None:
        self.shape = tuple(shape)
        self.collections: dict[str, list[Image]] = {k: [s.to_image() for s in v]
                                                    for k, v in (collections or {}).items()}
        self.images: dict[str, Image] = {k: s.to_image() for k, s in (images or {}).items()}
        self.region_mask = np.ones(self.shape, dtype=bool) if region_mask is None else region_mask.astype(bool)
        self.log: list[tuple[str, Any]] = []
        self.calls: dict[str, int] = {}
        self._graph: dict[str, Any] = {}
        self._cache: dict[str, Any] = {}
        self._free: dict[str, bool] = {}

    # -- public ---------------------------------------------------------------------------------------------------
    def evaluate(self, graph: str | dict) -> Any:
        """The value of a serialized graph (``{"result": id, "values": {...}}``)."""
        if isinstance(graph, str):
            graph = json.loads(graph)
        if "result" not in graph or "values" not in graph:
            raise GraphError("not a serialized graph (no 'result'/'values')")
        self._graph, self._cache, self._free = graph["values"], {}, {}
        return self._value(graph["result"], {}, {})

    def as_image(self, value: Any) -> Image:
        """Images as they are; numbers and lists become constant images (as the client's ``ee.Image(x)``)."""
        if isinstance(value, Image):
            return value
        if isinstance(value, (int, float, list, tuple, np.ndarray)) and not isinstance(value, bool):
            return _image_constant(self, value)
        raise GraphError(f"expected an image, got {type(value).__name__}")

    # -- internals ------------------------------------------------------------------------------------------------
    def _argument_free(self, ref: str) -> bool:
        """True when value ``ref`` does not depend on a mapped function's argument (so it can be cached)."""
        if ref in self._free:
            return self._free[ref]
        self._free[ref] = True  # cycles cannot occur in a serialized graph; provisional value
        result = self._node_free(self._graph[ref])
        self._free[ref] = result
        return result

    def _node_free(self, node: Any) -> bool:
        if isinstance(node, dict):
            if "argumentReference" in node:
                return False
            if "valueReference" in node:
                return self._argument_free(node["valueReference"])
            if "functionDefinitionValue" in node:
                return True  # a closure is a value; its body is evaluated with its own arguments
            return all(self._node_free(v) for v in node.values())
        if isinstance(node, list):
            return all(self._node_free(v) for v in node)
        return True

    def _value(self, ref: str, env: dict[str, Any], local: dict[str, Any]) -> Any:
        if ref not in self._graph:
            raise GraphError(f"dangling value reference {ref!r}")
        if self._argument_free(ref):
            if ref not in self._cache:
                self._cache[ref] = self._node(self._graph[ref], {}, {})
            return self._cache[ref]
        if ref not in local:
            local[ref] = self._node(self._graph[ref], env, local)
        return local[ref]

    def _node(self, node: Any, env: dict[str, Any], local: dict[str, Any]) -> Any:
        if not isinstance(node, dict) or len(node) != 1:
            raise GraphError(f"malformed value node {str(node)[:200]}")
        kind, body = next(iter(node.items()))
        if kind == "constantValue":
            return body
        if kind == "integerValue":
            return int(body)
        if kind == "valueReference":
            return self._value(body, env, local)
        if kind == "arrayValue":
            return [self._node(v, env, local) for v in body.get("values", [])]
        if kind == "dictionaryValue":
            return {k: self._node(v, env, local) for k, v in body.get("values", {}).items()}
        if kind == "argumentReference":
            if body not in env:
                raise GraphError(f"argument {body!r} referenced outside its function")
            return env[body]
        if kind == "functionDefinitionValue":
            return Closure(self, list(body.get("argumentNames", [])), body["body"], env)
        if kind == "functionInvocationValue":
            return self._invoke(body, env, local)
        raise GraphError(f"unknown value kind {kind!r}")

    def _invoke(self, call: dict, env: dict[str, Any], local: dict[str, Any]) -> Any:
        name = call.get("functionName")
        if name is None:
            target = self._node({"valueReference": call["functionReference"]}, env, local) \
                if "functionReference" in call else None
            if not isinstance(target, Closure):
                raise GraphError("invocation of a function reference that is not a function definition")
            args = {k: self._node(v, env, local) for k, v in call.get("arguments", {}).items()}
            return target(*[args[n] for n in target.names])
        fn = FUNCTIONS.get(name)
        if fn is None:
            raise GraphError(f"function {name!r} is not implemented by the offline evaluator")
        args = {k: self._node(v, env, local) for k, v in call.get("arguments", {}).items()}
        self.calls[name] = self.calls.get(name, 0) + 1
        try:
            return fn(self, **args)
        except TypeError as error:
            raise GraphError(f"{name}: {error}") from error


def implemented(name: str) -> bool:
    return name in FUNCTIONS
