"""The CCRS SL2P networks as Earth Engine expressions, coefficients embedded as constants.

Why constants: the reference tool read the networks from personal Earth Engine assets that moved and broke users'
scripts. Here every coefficient comes from the same verified network store as the local engine
(:func:`leaf_qgis.core.networks.load_network_set`) and enters the graph as ``ee.Array`` constants, so the graph is
self-contained and reproducible, and a test can check that its numbers are the local engine's numbers.

Mathematics (identical to :meth:`leaf_qgis.core.network_format.Network.evaluate_one` and the numpy evaluator): the
inputs ``cosVZA, cosSZA, cosRAA, bands…`` form an n×1 array per pixel; ``x' = x·slope + offset``;
``h = tanh(W·x' + b)``; ``y = (w₂·h + b₂ − out_offset) / out_slope``.

Per-pixel network (SL2P-CCRS): a network set has one network per *slot* (SL2P 1, SL2P-CCRS 12) and maps each NALCMS
class to a slot (``NetworkSet.class_slot``). Several slots hold identical coefficients, so the graph stacks only the
DISTINCT networks (:func:`slot_positions`: slots whose networks are equal for every product share one position, the
same for all products of the set) and the land cover is remapped once to a position per pixel
(:func:`leaf_qgis.engines.gee.landcover.network_positions`). With one distinct network (SL2P) no position is needed.

Why folded and stacked: the graph is serialised once per export (a national plan has over a thousand exports), and
the client's serialiser costs time per node and per number. So, as in :mod:`leaf_qgis.core.sl2p`, the input scaling
is folded into the hidden layer (``W·diag(slope)``, ``W·offset + b``) and the output scaling into the output weights
(``w₂/out_slope``, ``(b₂ − out_offset)/out_slope``), in float64 on the client, and the K distinct networks of one
product (same inputs) are stacked: one 5K×n matrix product, one tanh, then one K×5K block-diagonal matrix product
(row k holds network k's five output weights in columns 5k…5k+4, zeros elsewhere) give the K estimates as a K×1
array; the pixel's position picks one with ``arrayGet``. Per product that is about eight graph nodes and
5K·(n+1) + 5K² + K numbers. (An earlier version reshaped an element-wise product to K×5 with ``arrayReshape``,
whose ``lengths`` must be a 1-band image holding a 1-D array per pixel; the block matrix needs neither the reshape nor
the ``arrayReduce`` and is the same sum.) :func:`stacked_constants` returns the embedded numbers so tests can
evaluate them against the store's networks.

Input domain (QC bit 0), as the CCRS package: digit = ``ceil(10·ρ) mod 10`` with a FLOOR modulo (numpy's ``%``, so
the digit is always 0…9: ρ = −0.15 → ceil(−1.5) = −1 → 9); Earth Engine's ``mod`` is truncated (like ``fmod``:
−1 mod 10 = −1), so the graph computes ``((c mod 10) + 10) mod 10``. Digits are cast to int32, code =
Σ digit_i·10^i over ``NetworkSet.domain_bands`` (first band least significant), in int32 so the sum is exact; out of
domain where the code is not in the set's list (``remap`` with default 1). A set without a list never sets the bit.
Output range (QC bit 1) is in :mod:`.outputs`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...core.network_format import N_HIDDEN, Network
from ...core.networks import NetworkSet
from ...core.products import PRODUCTS
from ...core.sensors import ANGLE_INPUTS


@dataclass(frozen=True)
class StackedProduct:
    """The folded, stacked distinct networks of one product, as embedded in the graph (plain nested lists)."""

    networks: tuple[Network, ...]
    """The distinct networks in stack order (position k = row block k)."""
    hidden_weights: list[list[float]]
    """5K×n: ``W·diag(input_slope)`` per network, stacked."""
    hidden_bias: list[list[float]]
    """5K×1: ``W·input_offset + hidden_bias``."""
    output_weights: list[list[float]]
    """K×5K block-diagonal: row k holds network k's ``output_weights / output_slope`` in columns 5k…5k+4."""
    output_bias: list[list[float]]
    """K×1: ``(output_bias − output_offset) / output_slope``."""


def fold(network: Network) -> tuple[list[list[float]], list[float], list[float], float]:
    """(W·diag(s), W·o + b, w₂/slope, (b₂ − off)/slope) in float64 (plain Python, exact to rounding)."""
    w1 = [[w * s for w, s in zip(row, network.input_slope)] for row in network.hidden_weights]
    b1 = [sum(w * o for w, o in zip(row, network.input_offset)) + b
          for row, b in zip(network.hidden_weights, network.hidden_bias)]
    w2 = [w / network.output_slope for w in network.output_weights]
    c = (network.output_bias - network.output_offset) / network.output_slope
    return w1, b1, w2, c


def _product_variables(network_set: NetworkSet) -> list[int]:
    return sorted({p.variable_id for p in PRODUCTS.values() if p.variable_id in network_set.estimate})


def slot_positions(network_set: NetworkSet) -> list[int]:
    """Stack position of each slot: slots whose networks are equal (``==``) for every product variable share one
    position; positions are numbered in order of first appearance (slot 0 → position 0)."""
    variables = _product_variables(network_set)
    n_slots = len(network_set.estimate[variables[0]])
    seen: dict[tuple[Network, ...], int] = {}
    return [seen.setdefault(tuple(network_set.estimate[v][slot] for v in variables), len(seen))
            for slot in range(n_slots)]


def class_positions(network_set: NetworkSet) -> tuple[list[int], list[int], int]:
    """(NALCMS classes, their stack positions, the position of an unknown or missing class)."""
    positions = slot_positions(network_set)
    classes = sorted(network_set.class_slot)
    return classes, [positions[network_set.class_slot[c]] for c in classes], positions[network_set.slot_of(0)]


def stacked_constants(network_set: NetworkSet, product_key: str) -> StackedProduct:
    """The numbers embedded for one product: its distinct networks, in stack-position order."""
    variable = PRODUCTS[product_key].variable_id
    first_slot: dict[int, int] = {}
    for slot, position in enumerate(slot_positions(network_set)):
        first_slot.setdefault(position, slot)
    networks = tuple(network_set.estimate[variable][first_slot[p]] for p in range(len(first_slot)))
    k = len(networks)
    w1: list[list[float]] = []
    b1: list[list[float]] = []
    w2: list[list[float]] = []
    c: list[list[float]] = []
    for position, network in enumerate(networks):
        fw1, fb1, fw2, fc = fold(network)
        w1 += fw1
        b1 += [[v] for v in fb1]
        row = [0.0] * (N_HIDDEN * k)
        row[N_HIDDEN * position:N_HIDDEN * (position + 1)] = fw2
        w2.append(row)
        c.append([fc])
    return StackedProduct(networks, w1, b1, w2, c)


def constant_array(ee: Any, nested: list) -> Any:
    """A constant array image whose numbers travel as one JSON string constant.

    Why a string: the client serialiser spends time on every element of a constant list, thousands of times in a
    national plan; one string costs the same as one number. ``String.decodeJSON`` gives the server the exact
    float64 values back (``repr`` round-trips), and ``Array`` makes them an array constant.
    """
    text = json.dumps(nested, separators=(",", ":"))
    return ee.Image.constant(ee.ApiFunction.call_("Array", ee.String(text).decodeJSON()))


def constant_list(ee: Any, values: list) -> Any:
    """A constant ``ee.List`` carried as one JSON string (see :func:`constant_array`)."""
    return ee.List(ee.String(json.dumps(values, separators=(",", ":"))).decodeJSON())


_array = constant_array


def input_array(ee: Any, mosaic: Any, network_set: NetworkSet) -> Any:
    """The network inputs (cosines first, then the set's bands in network order) as an n×1 array image."""
    return mosaic.select([*ANGLE_INPUTS, *network_set.bands]).toArray().toArray(1)


class NetworkConstants:
    """The constant images of a plan's networks (:func:`stacked_constants` as ``ee`` arrays, the domain codes), each
    built once per plan instead of once per region and period.

    Why: the networks were folded and their numbers written as JSON again for every tile and month, though they are
    the same constants. Built once, the workflow building of 6 tiles × 12 months took 0.29–0.40 s instead of
    0.52–0.64 s (3 interleaved runs on 2 cores), and the plan's encoder (:mod:`.graph`) meets them once. The graphs
    are the same: their text depends on their structure, not on which Python objects carry it.
    """

    def __init__(self, ee: Any) -> None:
        self.ee = ee
        self._products: dict[tuple[int, str], tuple[NetworkSet, StackedProduct, tuple[Any, ...]]] = {}
        self._domains: dict[int, tuple[NetworkSet, Any, Any]] = {}

    def product(self, network_set: NetworkSet, key: str) -> tuple[StackedProduct, tuple[Any, ...]]:
        """(the stacked networks of product ``key``, their hidden weights, hidden bias, output weights and output
        bias as constant array images)."""
        known = self._products.get((id(network_set), key))  # the set is kept in the value: its id stays its own
        if known is None:
            stacked = stacked_constants(network_set, key)
            images = tuple(_array(self.ee, numbers) for numbers in (
                stacked.hidden_weights, stacked.hidden_bias, stacked.output_weights, stacked.output_bias))
            known = self._products[(id(network_set), key)] = (network_set, stacked, images)
        return known[1], known[2]

    def domain(self, network_set: NetworkSet) -> tuple[Any, Any]:
        """(the set's domain codes as a constant list, as many zeros): the two lists of the domain ``remap``."""
        known = self._domains.get(id(network_set))
        if known is None:
            codes = sorted(int(c) for c in network_set.domain)
            known = self._domains[id(network_set)] = (
                network_set, constant_list(self.ee, codes), self.ee.List.repeat(0, len(codes)))
        return known[1], known[2]


def evaluate_stacked(ee: Any, x: Any, stacked: StackedProduct, position: Any | None,
                     images: tuple[Any, ...] | None = None) -> Any:
    """K stacked networks on an n×1 array image; the estimate of the network at ``position`` (None: position 0).
    ``images``: ``stacked``'s numbers as constant array images (:class:`NetworkConstants`), made here if not given."""
    weights, bias, out_weights, out_bias = images or tuple(_array(ee, numbers) for numbers in (
        stacked.hidden_weights, stacked.hidden_bias, stacked.output_weights, stacked.output_bias))
    hidden = weights.matrixMultiply(x).add(bias).tanh()
    outputs = out_weights.matrixMultiply(hidden).add(out_bias)
    where = ee.Image.constant(0).toInt32() if position is None else position.toInt32()
    return outputs.arrayGet(where.addBands(ee.Image.constant(0).toInt32())).toFloat()


def estimates(ee: Any, mosaic: Any, network_set: NetworkSet, products: Sequence[str],
              position: Any | None = None, constants: NetworkConstants | None = None) -> dict[str, Any]:
    """Float estimate per product key (band named after the key). ``position``: the per-pixel stack position
    (:func:`leaf_qgis.engines.gee.landcover.network_positions`), needed when the set has several distinct
    networks; ``constants``: the plan's network constants (default: built here)."""
    constants = constants or NetworkConstants(ee)
    x = input_array(ee, mosaic, network_set)
    result = {}
    for key in products:
        stacked, images = constants.product(network_set, key)
        where = position if len(stacked.networks) > 1 else None
        result[key] = evaluate_stacked(ee, x, stacked, where, images).rename(key)
    return result


def domain_code(ee: Any, mosaic: Any, bands: Sequence[str]) -> Any:
    """LEAF domain code per pixel (int32, band ``domain_code``), digits with a floor modulo (module doc)."""
    code = None
    for i, band in enumerate(bands):
        digit = mosaic.select(band).multiply(10).ceil().mod(10).add(10).mod(10).toInt32()
        term = digit.multiply(ee.Image.constant(10 ** i).toInt32()) if i else digit
        code = term if code is None else code.add(term)
    return code.toInt32().rename("domain_code")


def out_of_domain(ee: Any, mosaic: Any, network_set: NetworkSet, constants: NetworkConstants | None = None) -> Any:
    """QC bit 0 as a 0/1 uint8 image (all 0 when the set has no domain list); ``constants``: the plan's network
    constants (default: built here)."""
    if not network_set.domain:
        return ee.Image.constant(0).toUint8().rename("out_of_domain")
    codes, zeros = (constants or NetworkConstants(ee)).domain(network_set)
    code = domain_code(ee, mosaic, network_set.domain_bands)
    return code.remap(codes, zeros, 1).toUint8().rename("out_of_domain")
