"""SL2P evaluation with numpy: exactly the published networks, several products in one pass.

Why it is fast without changing the mathematics:

* **Normalisation folded into the weights.** ``tanh(W·(x·s + o) + b) = tanh((W·diag(s))·x + (W·o + b))`` and the
  output denormalisation ``(w·h + b2 − off)/slope`` is linear too, so each network becomes one affine map, a tanh
  and one dot product. The folding is done once in float64, then cast to float32.
* **Networks stacked.** All networks that share the same inputs (LAI, fCOVER, fAPAR, albedo, and their uncertainty
  networks) stack into one ``(5·K × n)`` matrix: one matrix product, one tanh over ``5·K`` rows, one block-diagonal
  output product.
* **Band-major pixels.** GDAL reads ``(bands, pixels)``; ``W @ X`` works on that layout directly, with no transpose.
* **Constant angles folded into the bias.** When the sun and view angles are scene constants (Sentinel-2 scene means,
  user-given angles), their three columns disappear from the product.

float32 agrees with the float64 plain-Python reference (:meth:`Network.evaluate_one`) to about 1e-5 in LAI
(``tests/unit/test_sl2p.py`` measures it), far below the LEAF encoding step (0.05 LAI, 0.005 for fractions).

Input-domain test (QC bit 0), as the CCRS package computes it: each network band's reflectance is quantised to the
digit ``ceil(10·ρ) mod 10`` with a floor modulo (numpy's ``%``: −0.15 → 9, not −1 as a truncated modulo would give),
the digits form a base-10 code (first band = least significant), and the pixel is inside the domain when the code
is in the set's training list. Output-range test (QC bit 1): any requested
estimate outside ``Product.valid_range``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .network_format import N_HIDDEN, Network
from .networks import NetworkSet
from .products import PRODUCTS, Product

ArrayLike = np.ndarray
#: Hidden-layer values per evaluation chunk: 327 680 float32 = 1.25 MB (16 384 pixels for 4 networks, 8 192 with
#: their uncertainty networks). Alone on a core, chunks that keep the hidden layer in L2 (4 096 pixels) are fastest;
#: in the engine, where two workers and GDAL's compression threads share the cores and each chunk pays its fixed
#: per-call costs (numpy dispatch, the BLAS set-up, taking the GIL back), this size won: over five interleaved
#: ``make bench`` rounds the SL2P stage took 0.96 s of CPU, 1.14 s with 4 096-pixel chunks and 1.06–1.22 s with
#: 65 536-pixel ones.
CHUNK_ELEMENTS = 327_680
#: Smallest chunk (pixels): below this, the fixed cost of each numpy call dominates.
MIN_CHUNK_PIXELS = 1_024


class CompiledNetworks:
    """Networks with the same inputs, folded and stacked: ``__call__(x)`` → ``(K, pixels)`` estimates.

    The hidden layer is evaluated as ``tanh(n) = 2/(1 + exp(−2n)) − 1`` (the CCRS package's own ``tansig``), with
    the constants folded into the weights: the hidden weights and biases are multiplied by −2 (exact: a power of
    two), the output weights by 2 and the output constant loses ``Σ w2``, so each hidden value costs one ``exp``,
    one add and one reciprocal — SIMD loops in numpy, where ``np.tanh`` (float32) is a scalar loop three times slower.
    The float32 error stays at a few 1e-7 per hidden unit (``tests/unit/test_sl2p.py`` bounds the outputs)."""

    def __init__(self, networks: Sequence[Network], dtype: type = np.float32) -> None:
        if not networks:
            raise ValueError("no network to compile")
        n_inputs = networks[0].n_inputs
        k = len(networks)
        w1 = np.zeros((N_HIDDEN * k, n_inputs))
        b1 = np.zeros(N_HIDDEN * k)
        w2 = np.zeros((k, N_HIDDEN * k))
        c = np.zeros(k)
        for i, net in enumerate(networks):
            if net.n_inputs != n_inputs:
                raise ValueError("networks with different inputs cannot be stacked")
            weights = np.asarray(net.hidden_weights, dtype=np.float64)
            rows = slice(N_HIDDEN * i, N_HIDDEN * (i + 1))
            w1[rows] = weights * np.asarray(net.input_slope)
            b1[rows] = weights @ np.asarray(net.input_offset) + np.asarray(net.hidden_bias)
            w2[i, rows] = np.asarray(net.output_weights) / net.output_slope
            c[i] = (net.output_bias - net.output_offset) / net.output_slope
        # Middle of each input's training range (where the normalised input is 0), for with_centred_leading_inputs.
        self._centre_64 = -np.asarray(networks[0].input_offset) / np.asarray(networks[0].input_slope)
        self.dtype = dtype
        self.n_inputs = n_inputs
        self.count = k
        self._set_hidden(w1, b1)
        # tanh(n) = 2·r − 1 with r = 1/(1 + exp(−2n)): out = (2·w2)·r + (c − Σ w2).
        self.w2 = (2.0 * w2).astype(dtype)
        self.c = (c - w2.sum(axis=1)).astype(dtype)[:, None]
        self.chunk = max(MIN_CHUNK_PIXELS, CHUNK_ELEMENTS // (N_HIDDEN * k))
        self._constant_cache: dict[tuple[float, ...], CompiledNetworks] = {}

    def _set_hidden(self, w1: ArrayLike, b1: ArrayLike) -> None:
        """Keep the float64 hidden layer (for later folding) and its float32 form for ``exp``: × −2."""
        self._w1_64, self._b1_64 = w1, b1
        self.w1 = (-2.0 * w1).astype(self.dtype)
        self.b1 = (-2.0 * b1).astype(self.dtype)[:, None]

    def _clone(self) -> CompiledNetworks:
        clone = object.__new__(CompiledNetworks)
        clone.__dict__.update(self.__dict__)
        clone._constant_cache = {}
        return clone

    def with_constant_leading_inputs(self, values: Sequence[float]) -> CompiledNetworks:
        """A copy whose first ``len(values)`` inputs are fixed (scene-constant angle cosines), folded into the bias.
        Remembered per ``values``: every window of a scene with constant angles reuses the same copy."""
        key = tuple(float(v) for v in values)
        cached = self._constant_cache.get(key)
        if cached is not None:
            return cached
        m = len(values)
        clone = self._clone()
        b1 = self._b1_64 + self._w1_64[:, :m] @ np.asarray(values, dtype=np.float64)
        clone._set_hidden(self._w1_64[:, m:], b1)
        clone._centre_64 = self._centre_64[m:]
        clone.n_inputs = self.n_inputs - m
        if len(self._constant_cache) > 64:  # per-window angles would otherwise grow it without end
            self._constant_cache.clear()
        self._constant_cache[key] = clone
        return clone

    def with_centred_leading_inputs(self, m: int) -> tuple[CompiledNetworks, ArrayLike]:
        """A copy that takes its first ``m`` inputs minus ``centre`` (returned, in ``dtype``), folded into the bias.

        For per-pixel angles: the cosVZA training range is narrow (Landsat 0.989–1, input slope ≈ 190), so the folded
        float32 weights times an uncentred cosine lose up to 2e-4 in LAI; centred, the products are small."""
        centre = self._centre_64[:m].astype(self.dtype)
        clone = self._clone()
        clone._set_hidden(self._w1_64, self._b1_64 + self._w1_64[:, :m] @ centre.astype(np.float64))
        return clone, centre

    def __call__(self, x: ArrayLike, out: ArrayLike | None = None) -> ArrayLike:
        """``x``: ``(n_inputs, pixels)`` → ``(K, pixels)`` (into ``out`` when given), in chunks of :attr:`chunk`
        pixels (:data:`CHUNK_ELEMENTS`); one preallocated hidden buffer, every step in place."""
        n_pix = x.shape[1]
        if out is None:
            out = np.empty((self.count, n_pix), dtype=self.dtype)
        chunk = min(self.chunk, max(n_pix, 1))
        hidden_buffer = np.empty((self.w1.shape[0], chunk), dtype=self.dtype)
        one = self.dtype(1.0)
        with np.errstate(over="ignore"):  # exp(−2n) overflows to inf for n < −44: r = 0, tanh = −1, as it should
            for start in range(0, n_pix, chunk):
                stop = min(start + chunk, n_pix)
                hidden = hidden_buffer if stop - start == chunk else hidden_buffer[:, :stop - start]
                np.matmul(self.w1, x[:, start:stop], out=hidden)
                hidden += self.b1
                np.exp(hidden, out=hidden)
                hidden += one
                np.reciprocal(hidden, out=hidden)
                part = out[:, start:stop]
                np.matmul(self.w2, hidden, out=part)
                part += self.c
        return out


@dataclass
class Sl2pResult:
    """Per-pixel outputs of one block: float32 estimates (NaN where not computed) and the QC flags."""

    estimates: dict[str, ArrayLike]
    errors: dict[str, ArrayLike]
    out_of_domain: ArrayLike
    out_of_range: ArrayLike


class Sl2pEvaluator:
    """Evaluates one sensor's network set for chosen products, per block of pixels.

    SL2P-CCRS: the pixel's NALCMS class picks its slot (``NetworkSet.slot_of``); slots holding identical networks
    form one group (:meth:`NetworkSet.slot_groups`), evaluated once on all their pixels."""

    def __init__(self, network_set: NetworkSet, products: Sequence[str], uncertainty: bool = False) -> None:
        self.network_set = network_set
        self.products: list[Product] = [PRODUCTS[key] for key in products]
        self.uncertainty = uncertainty
        variables = [p.variable_id for p in self.products]
        self.groups = network_set.slot_groups(variables, uncertainty)
        self._compiled = [CompiledNetworks(self._networks(group[0])) for group in self.groups]
        self._valid_low = np.array([[p.valid_range[0]] for p in self.products], dtype=np.float32)
        self._valid_high = np.array([[p.valid_range[1]] for p in self.products], dtype=np.float32)
        # Class → group position lookup (classes outside the legend use slot 0, the generic network).
        group_of_slot = {slot: g for g, group in enumerate(self.groups) for slot in group}
        self._class_slot = np.zeros(256, dtype=np.uint8)
        for value, slot in network_set.class_slot.items():
            if 0 <= value < 256:
                self._class_slot[value] = slot
        self._class_group = np.array([group_of_slot[int(slot)] for slot in self._class_slot], dtype=np.int16)
        self._domain_table = _domain_bitset(network_set.domain) if network_set.domain else None
        self._domain_pad = (self._domain_table.size - 1) * 8 if self._domain_table is not None else 0

    def _networks(self, slot: int) -> list[Network]:
        chosen = [self.network_set.estimate[p.variable_id][slot] for p in self.products]
        if self.uncertainty:
            chosen += [self.network_set.error[p.variable_id][slot] for p in self.products]
        return chosen

    def network_slot(self, landcover: ArrayLike) -> ArrayLike:
        """The slot (CCRS ``networkID``) serving each pixel's NALCMS class (0 outside the legend)."""
        return self._class_slot[self._class_index(landcover)]

    @staticmethod
    def _class_index(landcover: ArrayLike) -> ArrayLike:
        """Classes as lookup indices; anything outside 0–255 maps to 0 (not a legend class: slot 0). A uint8 raster
        (NALCMS as distributed) indexes the tables as it is."""
        classes = np.asarray(landcover)
        if classes.dtype == np.uint8:
            return classes
        return np.where((classes >= 0) & (classes < 256), classes, 0).astype(np.intp)

    def _group_of(self, landcover: ArrayLike) -> ArrayLike:
        return np.take(self._class_group, self._class_index(landcover))

    def evaluate(
        self,
        reflectance: ArrayLike,
        cosines: Sequence[float | ArrayLike],
        valid: ArrayLike | None = None,
        landcover: ArrayLike | None = None,
        domain: bool = True,
    ) -> Sl2pResult:
        """``reflectance``: float32 ``(len(bands), pixels)`` in the network set's band order; ``cosines``: cosVZA,
        cosSZA, cosRAA as scalars or ``(pixels,)`` arrays; ``valid``: pixels to estimate; ``landcover``: NALCMS class
        per pixel (selects the SL2P-CCRS slot), else slot 0 everywhere; ``domain=False`` skips the domain test
        (``out_of_domain`` all False: a caller that times it runs :meth:`out_of_domain` itself)."""
        n_pix = reflectance.shape[1]
        valid = np.ones(n_pix, dtype=bool) if valid is None else valid
        k = len(self.products)
        groups = self._pixel_groups(landcover, valid)
        rows = 2 * k if self.uncertainty else k
        # Every valid pixel is in exactly one group and every other pixel becomes NaN below: no fill needed.
        out = np.empty((rows, n_pix), dtype=np.float32)
        constant = all(np.ndim(c) == 0 for c in cosines)
        for compiled, where in groups:
            if where is None:
                x = reflectance
                cos_part = cosines
            else:
                x = np.take(reflectance, where, axis=1)  # twice as fast as reflectance[:, where]
                cos_part = [c if np.ndim(c) == 0 else c[where] for c in cosines]
            if constant:
                network, inputs = compiled.with_constant_leading_inputs([float(c) for c in cos_part]), x
            else:
                network, centre = compiled.with_centred_leading_inputs(len(cos_part))
                angle_rows = np.vstack([np.broadcast_to(np.asarray(c, dtype=np.float32), (x.shape[1],)) - m
                                        for c, m in zip(cos_part, centre)])
                inputs = np.vstack([angle_rows, x])
            if where is None:
                network(inputs, out=out)  # straight into the result: no copy of the estimates
            else:
                for row, values in zip(out, network(inputs)):  # row by row: half the time of out[:, where] = …
                    row[where] = values
        if not valid.all():
            np.copyto(out, np.float32(np.nan), where=~valid)
        estimates = {p.key: out[i] for i, p in enumerate(self.products)}
        errors = {p.key: out[k + i] for i, p in enumerate(self.products)} if self.uncertainty else {}
        with np.errstate(invalid="ignore"):  # NaN (not estimated) is never out of range
            outside = out[:k] < self._valid_low
            outside |= out[:k] > self._valid_high
        out_of_range = outside.any(axis=0)
        out_of_domain = self.out_of_domain(reflectance) & valid if domain else np.zeros(n_pix, dtype=bool)
        return Sl2pResult(estimates, errors, out_of_domain, out_of_range)

    def _pixel_groups(self, landcover: ArrayLike | None, valid: ArrayLike) -> list[tuple[CompiledNetworks, Any]]:
        """(compiled networks, pixel indices or ``None`` for all) per slot group present among the valid pixels."""
        if landcover is None or len(self.groups) == 1:
            return [(self._compiled[self._group_of(np.zeros(1, np.int64))[0]], None)]
        group = self._group_of(landcover)
        every = valid.all()
        counts = np.bincount(group if every else group[valid], minlength=len(self.groups))  # a tenth of np.unique
        if np.count_nonzero(counts) == 1 and every:
            return [(self._compiled[int(np.flatnonzero(counts)[0])], None)]
        return [(self._compiled[g], np.flatnonzero(group == g) if every else np.flatnonzero((group == g) & valid))
                for g in np.flatnonzero(counts)]

    def out_of_domain(self, reflectance: ArrayLike) -> ArrayLike:
        """QC bit 0 per pixel (all False when the set has no domain list).

        The codes index a bitset of the training codes. Codes past the largest training code are clamped onto a
        padding bit that is always 0: one pass, no branch."""
        n_pix = reflectance.shape[1]
        if self._domain_table is None:
            return np.zeros(n_pix, dtype=bool)
        return self.out_of_domain_codes(domain_codes(reflectance))

    def out_of_domain_codes(self, codes: ArrayLike) -> ArrayLike:
        """QC bit 0 from domain codes already computed (:func:`domain_codes`, :func:`domain_code_tables`); the
        codes (int32) are used as scratch space."""
        if self._domain_table is None:
            return np.zeros(codes.shape, dtype=bool)
        code = codes.view(np.uint32)
        np.minimum(code, np.uint32(self._domain_pad), out=code)
        inside = self._domain_table[code >> 3]
        inside >>= (code & 7).astype(np.uint8)
        return (inside & 1) == 0


def domain_codes(reflectance: ArrayLike) -> ArrayLike:
    """CCRS domain codes of ``(bands, pixels)`` reflectances: Σ (ceil(10·ρ_i) mod 10)·10^i (int32), with a floor
    modulo as the CCRS package's numpy ``%`` (ρ = −0.15 → digit 9), so every digit is 0–9.

    Each term is exact in float32 (digit·10^i = digit·2^i·5^i with digit·5^i < 2^24) and the sum is accumulated in
    int32. NaN reflectances give a meaningless code; callers mask those pixels as invalid.
    """
    n_pix = reflectance.shape[1]
    code = np.zeros(n_pix, dtype=np.int32)
    tmp = np.empty(n_pix, dtype=np.float32)
    with np.errstate(invalid="ignore"):
        for i, band in enumerate(reflectance):
            np.multiply(band, np.float32(10.0), out=tmp)
            np.ceil(tmp, out=tmp)
            np.mod(tmp, np.float32(10.0), out=tmp)
            if i:
                tmp *= np.float32(10 ** i)
            np.add(code, tmp, out=code, casting="unsafe")
    return code


def domain_code_tables(scale: ArrayLike, offset: ArrayLike, dtype: Any) -> ArrayLike:
    """Per band, the domain-code term of every possible integer DN: ``tables[i][dn]`` = digit(ρ)·10^i where ρ is
    the float32 reflectance ``float32(dn)·scale[i] + offset[i]`` computed exactly as the engine computes it.

    For 8- and 16-bit DN rasters the code of a pixel is then ``Σ_i tables[i][dn_i]``: bit for bit what
    :func:`domain_codes` gives on the reflectance (same float32 operations, once per DN value instead of once per
    pixel), at a table lookup per band instead of five passes. Signed DN index the table by their unsigned bit
    pattern (``dn.view(unsigned)``). ``(bands, 2**bits)`` int32."""
    dtype = np.dtype(dtype)
    if dtype.kind not in "ui" or dtype.itemsize > 2:
        raise ValueError(f"no code table for {dtype}: 8- or 16-bit integers only")
    levels = np.arange(1 << (8 * dtype.itemsize), dtype=np.uint32).astype(f"u{dtype.itemsize}").view(dtype)
    scale = np.asarray(scale, dtype=np.float32)
    offset = np.asarray(offset, dtype=np.float32)
    tables = np.empty((scale.size, levels.size), dtype=np.int32)
    for i in range(scale.size):
        rho = levels.astype(np.float32)
        rho *= scale[i]
        rho += offset[i]
        tables[i] = domain_codes(rho[None])
        tables[i] *= 10 ** i
    return tables


def _domain_bitset(codes: frozenset[int]) -> ArrayLike:
    values = np.fromiter(codes, dtype=np.int64)
    values = values[values >= 0]
    table = np.zeros(int(values.max()) // 8 + 2, dtype=np.uint8)  # the last byte stays 0: the padding bits
    np.bitwise_or.at(table, values >> 3, (1 << (values & 7)).astype(np.uint8))
    return table
