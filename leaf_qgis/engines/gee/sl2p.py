"""The CCRS SL2P networks as Earth Engine expressions, coefficients embedded as constants.

Why constants: the reference tool read the networks from personal Earth Engine assets that moved and broke users'
scripts. Here every coefficient comes from the same verified network store as the local engine
(:func:`leaf_qgis.core.networks.load_network_set`) and enters the graph as ``ee.Array`` constants, so the graph is
self-contained and reproducible, and a test can check that its numbers are the local engine's numbers.

Mathematics (identical to :meth:`leaf_qgis.core.network_format.Network.evaluate_one` and the numpy evaluator): the
inputs ``cosVZA, cosSZA, cosRAA, bands…`` form an n×1 array per pixel; ``x' = x·slope + offset``;
``h = tanh(W·x' + b)``; ``y = (w₂·h + b₂ − out_offset) / out_slope``.

Why folded and stacked: the graph is serialised once per export (a national plan has over a thousand exports), and
the client's serialiser costs time per node and per number. So, as in :mod:`leaf_qgis.core.sl2p`, the input scaling
is folded into the hidden layer (``W·diag(slope)``, ``W·offset + b``) and the output scaling into the output weights
(``w₂/out_slope``, ``(b₂ − out_offset)/out_slope``), in float64 on the client, and the K networks of one product
(generic + land-cover networks, same inputs) are stacked: one 5K×n matrix product, one tanh, then one K×5K
block-diagonal matrix product (row k holds network k's five output weights in columns 5k…5k+4, zeros elsewhere) give
the K estimates as a K×1 array; the pixel's network position (:mod:`.landcover` id, generic where the class has no
network) picks one with ``arrayGet``. Per product that is about eight graph nodes and 5K·(n+1) + 5K² + K numbers,
instead of ~15 nodes per network. (An earlier version reshaped an element-wise product to K×5 with
``arrayReshape``, whose ``lengths`` must be a 1-band image holding a 1-D array per pixel; the block matrix needs
neither the reshape nor the ``arrayReduce`` and is the same sum.) :func:`stacked_constants` returns the
embedded numbers so tests can evaluate them against the store's networks.

Input domain (QC bit 0), as :mod:`leaf_qgis.core.sl2p`: digit = ``ceil(10·ρ) mod 10`` (Earth Engine's ``mod`` is
truncated, like ``fmod``), cast to int32, code = Σ digit_i·10^i over ``NetworkSet.domain_bands`` (first band least
significant), in int32 so the sum is exact; out of domain where the code is not in the training list (``remap``
with default 1). Sensors without a list (Landsat) never set the bit. Output range (QC bit 1) is in :mod:`.outputs`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...core.network_format import N_HIDDEN, Network
from ...core.networks import LoadedNetworks, NetworkSet
from ...core.products import PRODUCTS
from .landcover import GENERIC_NETWORK_ID


@dataclass(frozen=True)
class StackedProduct:
    """The folded, stacked networks of one product, as embedded in the graph (plain nested lists of floats)."""

    names: tuple[str, ...]
    """Network names in stack order (position k = row block k)."""
    ensemble_index: tuple[int, ...]
    """CCRS ensemble index of each stacked network."""
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


def stack_order(network_set: NetworkSet, with_landcover: bool) -> list[tuple[str, LoadedNetworks, int]]:
    """(name, networks, ensemble index): generic first, then land-cover networks by ensemble index."""
    order = [("generic", network_set.generic, GENERIC_NETWORK_ID)]
    if with_landcover:
        for name, nets in sorted(network_set.landcover.items(),
                                 key=lambda kv: (network_set.network_index.get(kv[0], GENERIC_NETWORK_ID), kv[0])):
            index = network_set.network_index.get(name)
            if index is not None and index != GENERIC_NETWORK_ID:
                order.append((name, nets, int(index)))
    return order


def stack_groups(network_set: NetworkSet, with_landcover: bool) -> list[list[tuple[str, LoadedNetworks, int]]]:
    """The stack order split into groups of networks with the same inputs (the generic group first). Most sets form
    one group; Landsat 8's generic network reads one band more than its land-cover networks."""
    groups: dict[tuple[str, ...], list[tuple[str, LoadedNetworks, int]]] = {}
    for entry in stack_order(network_set, with_landcover):
        groups.setdefault(entry[1].bands, []).append(entry)
    return list(groups.values())


def stacked_constants(network_set: NetworkSet, product_key: str, with_landcover: bool = True,
                      group: list[tuple[str, LoadedNetworks, int]] | None = None) -> StackedProduct:
    """The numbers embedded for one product and one group of networks (default: the generic network's group)."""
    variable = PRODUCTS[product_key].variable_id
    w1: list[list[float]] = []
    b1: list[list[float]] = []
    w2: list[list[float]] = []
    c: list[list[float]] = []
    order = group if group is not None else stack_groups(network_set, with_landcover)[0]
    k = len(order)
    for position, (_, nets, _) in enumerate(order):
        fw1, fb1, fw2, fc = fold(nets.estimate[variable])
        w1 += fw1
        b1 += [[v] for v in fb1]
        row = [0.0] * (N_HIDDEN * k)
        row[N_HIDDEN * position:N_HIDDEN * (position + 1)] = fw2
        w2.append(row)
        c.append([fc])
    return StackedProduct(tuple(n for n, _, _ in order), tuple(i for _, _, i in order), w1, b1, w2, c)


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


def input_array(ee: Any, mosaic: Any, nets: LoadedNetworks) -> Any:
    """The network inputs of ``nets`` (cosines first, then its bands in its order) as an n×1 array image."""
    return mosaic.select(list(nets.inputs)).toArray().toArray(1)


def evaluate_stacked(ee: Any, x: Any, stacked: StackedProduct, position: Any | None) -> Any:
    """K stacked networks on an n×1 array image; the estimate of the network at ``position`` (0 = generic)."""
    hidden = _array(ee, stacked.hidden_weights).matrixMultiply(x).add(_array(ee, stacked.hidden_bias)).tanh()
    outputs = _array(ee, stacked.output_weights).matrixMultiply(hidden).add(_array(ee, stacked.output_bias))
    where = ee.Image.constant(0).toInt32() if position is None else position.toInt32()
    return outputs.arrayGet(where.addBands(ee.Image.constant(0).toInt32())).toFloat()


def estimates(ee: Any, mosaic: Any, network_set: NetworkSet, products: Sequence[str],
              network_id: Any | None = None) -> dict[str, Any]:
    """Float estimate per product key (band named after the key). With ``network_id`` (per-pixel ensemble index)
    the land-cover networks serve their classes; without, the generic network serves every pixel."""
    with_landcover = network_id is not None and bool(network_set.landcover)
    groups = stack_groups(network_set, with_landcover)
    prepared = []
    for group in groups:
        x = input_array(ee, mosaic, group[0][1])
        indices = [i for _, _, i in group]
        position = None
        if with_landcover and len(group) > 1:
            position = network_id.remap(indices, list(range(len(indices))), 0)
        member = None
        if group is not groups[0]:
            member = network_id.remap(indices, [1] * len(indices), 0)
        prepared.append((group, x, position, member))
    result = {}
    for key in products:
        image = None
        for group, x, position, member in prepared:
            stacked = stacked_constants(network_set, key, with_landcover, group)
            value = evaluate_stacked(ee, x, stacked, position)
            image = value if image is None else image.where(member, value)
        result[key] = image.rename(key)
    return result


def domain_code(ee: Any, mosaic: Any, bands: Sequence[str]) -> Any:
    """LEAF domain code per pixel (int32, band ``domain_code``)."""
    code = None
    for i, band in enumerate(bands):
        digit = mosaic.select(band).multiply(10).ceil().mod(10).toInt32()
        term = digit.multiply(ee.Image.constant(10 ** i).toInt32()) if i else digit
        code = term if code is None else code.add(term)
    return code.toInt32().rename("domain_code")


def out_of_domain(ee: Any, mosaic: Any, network_set: NetworkSet) -> Any:
    """QC bit 0 as a 0/1 uint8 image (all 0 when the sensor has no domain list)."""
    if not network_set.domain:
        return ee.Image.constant(0).toUint8().rename("out_of_domain")
    codes = sorted(int(c) for c in network_set.domain)
    code = domain_code(ee, mosaic, network_set.domain_bands)
    zeros = ee.List.repeat(0, len(codes))
    return code.remap(constant_list(ee, codes), zeros, 1).toUint8().rename("out_of_domain")
