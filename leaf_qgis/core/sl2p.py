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

Input-domain test (QC bit 0), as LEAF defines it: each reflectance of ``domain_bands`` is quantised to the digit
``fmod(ceil(10·ρ), 10)`` (truncated modulo, as Earth Engine's ``mod``: negative reflectances below −0.1 give
negative digits, which match no code), the digits form a base-10 code (first band = least significant), and the
pixel is inside the domain when the code is in the training list. Output-range test (QC bit 1): any requested
estimate outside ``Product.valid_range``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .network_format import N_HIDDEN, Network
from .networks import LoadedNetworks, NetworkSet
from .products import PRODUCTS, Product

ArrayLike = np.ndarray
#: Pixels per evaluation chunk: the hidden layer of 8 networks then takes 40 × 131 072 × 4 B ≈ 21 MB.
CHUNK_PIXELS = 131_072


class CompiledNetworks:
    """Networks with the same inputs, folded and stacked: ``__call__(x)`` → ``(K, pixels)`` estimates."""

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
        self._w1_64, self._b1_64 = w1, b1
        # Middle of each input's training range (where the normalised input is 0), for with_centred_leading_inputs.
        self._centre_64 = -np.asarray(networks[0].input_offset) / np.asarray(networks[0].input_slope)
        self.dtype = dtype
        self.w1 = w1.astype(dtype)
        self.b1 = b1.astype(dtype)[:, None]
        self.w2 = w2.astype(dtype)
        self.c = c.astype(dtype)[:, None]
        self.n_inputs = n_inputs
        self.count = k

    def with_constant_leading_inputs(self, values: Sequence[float]) -> CompiledNetworks:
        """A copy whose first ``len(values)`` inputs are fixed (scene-constant angle cosines), folded into the bias."""
        m = len(values)
        clone = object.__new__(CompiledNetworks)
        clone.__dict__.update(self.__dict__)
        b1 = self._b1_64 + self._w1_64[:, :m] @ np.asarray(values, dtype=np.float64)
        clone._w1_64, clone._b1_64, clone._centre_64 = self._w1_64[:, m:], b1, self._centre_64[m:]
        clone.w1 = clone._w1_64.astype(self.dtype)
        clone.b1 = b1.astype(self.dtype)[:, None]
        clone.n_inputs = self.n_inputs - m
        return clone

    def with_centred_leading_inputs(self, m: int) -> tuple[CompiledNetworks, ArrayLike]:
        """A copy that takes its first ``m`` inputs minus ``centre`` (returned, in ``dtype``), folded into the bias.

        For per-pixel angles: the cosVZA training range is narrow (Landsat 0.989–1, input slope ≈ 190), so the folded
        float32 weights times an uncentred cosine lose up to 2e-4 in LAI; centred, the products are small."""
        centre = self._centre_64[:m].astype(self.dtype)
        clone = object.__new__(CompiledNetworks)
        clone.__dict__.update(self.__dict__)
        b1 = self._b1_64 + self._w1_64[:, :m] @ centre.astype(np.float64)
        clone._b1_64 = b1
        clone.b1 = b1.astype(self.dtype)[:, None]
        return clone, centre

    def __call__(self, x: ArrayLike) -> ArrayLike:
        """``x``: ``(n_inputs, pixels)`` → ``(K, pixels)``, in chunks of :data:`CHUNK_PIXELS` so that the hidden
        layer (``5·K`` rows) stays small whatever the block size."""
        n_pix = x.shape[1]
        out = np.empty((self.count, n_pix), dtype=self.dtype)
        for start in range(0, n_pix, CHUNK_PIXELS):
            stop = min(start + CHUNK_PIXELS, n_pix)
            hidden = self.w1 @ x[:, start:stop]
            hidden += self.b1
            np.tanh(hidden, out=hidden)
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
    """Evaluates one sensor's network set for chosen products, per block of pixels."""

    def __init__(self, network_set: NetworkSet, products: Sequence[str], uncertainty: bool = False) -> None:
        self.network_set = network_set
        self.products: list[Product] = [PRODUCTS[key] for key in products]
        self.uncertainty = uncertainty
        self._compiled: dict[str, CompiledNetworks] = {}
        self._domain_table = _domain_bitset(network_set.domain) if network_set.domain else None
        self._domain_pad = (self._domain_table.size - 1) * 8 if self._domain_table is not None else 0
        stack = network_set.stack_bands
        self._domain_rows = [stack.index(b) for b in network_set.domain_bands]

    def _networks(self, nets: LoadedNetworks) -> list[Network]:
        chosen = [nets.estimate[p.variable_id] for p in self.products]
        if self.uncertainty:
            chosen += [nets.error[p.variable_id] for p in self.products]
        return chosen

    def compiled(self, nets: LoadedNetworks) -> CompiledNetworks:
        if nets.name not in self._compiled:
            self._compiled[nets.name] = CompiledNetworks(self._networks(nets))
        return self._compiled[nets.name]

    def evaluate(
        self,
        reflectance: ArrayLike,
        cosines: Sequence[float | ArrayLike],
        valid: ArrayLike | None = None,
        landcover: ArrayLike | None = None,
    ) -> Sl2pResult:
        """``reflectance``: float32 ``(len(stack_bands), pixels)`` in the network set's stack order;
        ``cosines``: cosVZA, cosSZA, cosRAA as scalars or ``(pixels,)`` arrays; ``valid``: pixels to estimate;
        ``landcover``: NALCMS class per pixel (land-cover networks), else the generic network everywhere."""
        n_pix = reflectance.shape[1]
        valid = np.ones(n_pix, dtype=bool) if valid is None else valid
        k = len(self.products)
        out = np.full((2 * k if self.uncertainty else k, n_pix), np.nan, dtype=np.float32)
        groups = self._groups(landcover, valid)
        constant = all(np.ndim(c) == 0 for c in cosines)
        for nets, where in groups:
            compiled = self.compiled(nets)
            rows = [self.network_set.stack_bands.index(b) for b in nets.bands]
            if where is None:
                x = reflectance[rows] if rows != list(range(reflectance.shape[0])) else reflectance
                cos_part = cosines
            else:
                x = reflectance[np.ix_(rows, where)]
                cos_part = [c if np.ndim(c) == 0 else c[where] for c in cosines]
            if constant:
                result = compiled.with_constant_leading_inputs([float(c) for c in cos_part])(x)
            else:
                centred, centre = compiled.with_centred_leading_inputs(len(cos_part))
                angle_rows = np.vstack([np.broadcast_to(np.asarray(c, dtype=np.float32), (x.shape[1],)) - m
                                        for c, m in zip(cos_part, centre)])
                result = centred(np.vstack([angle_rows, x]))
            if where is None:
                out[:, :] = result
            else:
                out[:, where] = result
        out[:, ~valid] = np.nan
        estimates = {p.key: out[i] for i, p in enumerate(self.products)}
        errors = {p.key: out[k + i] for i, p in enumerate(self.products)} if self.uncertainty else {}
        out_of_range = np.zeros(n_pix, dtype=bool)
        with np.errstate(invalid="ignore"):
            for p in self.products:
                value = estimates[p.key]
                out_of_range |= (value < p.valid_range[0]) | (value > p.valid_range[1])
        return Sl2pResult(estimates, errors, self.out_of_domain(reflectance) & valid, out_of_range)

    def _groups(self, landcover: ArrayLike | None, valid: ArrayLike) -> list[tuple[LoadedNetworks, ArrayLike | None]]:
        """(networks, pixel indices) per land-cover network present; one group of all pixels without land cover."""
        if landcover is None or not self.network_set.landcover:
            return [(self.network_set.generic, None)]
        by_name: dict[str, list[int]] = {}
        classes = np.unique(landcover[valid]) if valid.any() else np.array([], dtype=np.int64)
        for value in classes:
            nets = self.network_set.for_class(int(value))
            by_name.setdefault(nets.name, []).append(int(value))
        groups = []
        for name, values in by_name.items():
            nets = self.network_set.landcover.get(name, self.network_set.generic)
            where = np.flatnonzero(np.isin(landcover, values) & valid)
            groups.append((nets, where))
        return groups

    def out_of_domain(self, reflectance: ArrayLike) -> ArrayLike:
        """QC bit 0 per pixel (all False when the sensor has no domain list).

        The codes index a bitset of the training codes. Negative codes (negative digits) seen as unsigned and codes
        past the largest training code are clamped onto a padding bit that is always 0: one pass, no branch."""
        n_pix = reflectance.shape[1]
        if self._domain_table is None:
            return np.zeros(n_pix, dtype=bool)
        rows = self._domain_rows
        bands = reflectance if rows == list(range(reflectance.shape[0])) else reflectance[rows]
        code = domain_codes(bands).view(np.uint32)
        np.minimum(code, np.uint32(self._domain_pad), out=code)
        inside = self._domain_table[code >> 3]
        inside >>= (code & 7).astype(np.uint8)
        return (inside & 1) == 0


def domain_codes(reflectance: ArrayLike) -> ArrayLike:
    """LEAF domain codes of ``(bands, pixels)`` reflectances: Σ fmod(ceil(10·ρ_i), 10)·10^i (int32).

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
            np.fmod(tmp, np.float32(10.0), out=tmp)
            if i:
                tmp *= np.float32(10 ** i)
            np.add(code, tmp, out=code, casting="unsafe")
    return code


def _domain_bitset(codes: frozenset[int]) -> ArrayLike:
    values = np.fromiter(codes, dtype=np.int64)
    values = values[values >= 0]
    table = np.zeros(int(values.max()) // 8 + 2, dtype=np.uint8)  # the last byte stays 0: the padding bits
    np.bitwise_or.at(table, values >> 3, (1 << (values & 7)).astype(np.uint8))
    return table
