"""The CCRS SL2P networks as Earth Engine expressions, coefficients embedded as constants.

Why constants: the reference tool read the networks from personal Earth Engine assets that moved and broke users'
scripts. Here every coefficient comes from the same verified network store as the local engine
(:func:`leaf_qgis.core.networks.load_network_set`) and enters the graph as ``ee.Array`` constants, so the graph is
self-contained and reproducible, and a test can check that its numbers are the local engine's numbers.

Mathematics (identical to :meth:`leaf_qgis.core.network_format.Network.evaluate_one` and the numpy evaluator): the
inputs ``cosVZA, cosSZA, cosRAA, bands…`` form an n×1 array per pixel; ``x' = x·slope + offset``;
``h = tanh(W·x' + b)``; ``y = (w₂·h + b₂ − out_offset) / out_slope``. Each coefficient block is embedded unfolded
(exactly the file's numbers). With land cover, every land-cover network is evaluated and the pixel's network id
(:mod:`.landcover`) selects the result with ``where`` (generic network elsewhere) — the CCRS ensemble's ``applyNet``
+ ``max`` without the masking detour.

Input domain (QC bit 0), as :mod:`leaf_qgis.core.sl2p`: digit = ``ceil(10·ρ) mod 10`` (Earth Engine's ``mod`` is
truncated, like ``fmod``), cast to int32, code = Σ digit_i·10^i over ``NetworkSet.domain_bands`` (first band least
significant), in int32 so the sum is exact; out of domain where the code is not in the training list (``remap``
with default 1). Sensors without a list (Landsat) never set the bit. Output range (QC bit 1) is in :mod:`.outputs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...core.network_format import Network
from ...core.networks import LoadedNetworks, NetworkSet
from ...core.products import PRODUCTS
from .landcover import GENERIC_NETWORK_ID


def network_constants(network: Network) -> dict[str, Any]:
    """The coefficient blocks as embedded in the graph (nested lists of the file's numbers, unchanged)."""
    return {
        "input_slope": [[v] for v in network.input_slope],
        "input_offset": [[v] for v in network.input_offset],
        "hidden_weights": [list(row) for row in network.hidden_weights],
        "hidden_bias": [[v] for v in network.hidden_bias],
        "output_weights": [list(network.output_weights)],
        "output_bias": network.output_bias,
        "output_offset": network.output_offset,
        "output_slope": network.output_slope,
    }


def _array(ee: Any, nested: list) -> Any:
    return ee.Image(ee.Array(nested))


def input_array(ee: Any, mosaic: Any, nets: LoadedNetworks) -> Any:
    """The network inputs of ``nets`` (cosines first, then its bands in its order) as an n×1 array image."""
    return mosaic.select(list(nets.inputs)).toArray().toArray(1)


def evaluate_network(ee: Any, x: Any, network: Network) -> Any:
    """One network on an n×1 array image → float image."""
    c = network_constants(network)
    scaled = x.multiply(_array(ee, c["input_slope"])).add(_array(ee, c["input_offset"]))
    hidden = _array(ee, c["hidden_weights"]).matrixMultiply(scaled).add(_array(ee, c["hidden_bias"])).tanh()
    out = _array(ee, c["output_weights"]).matrixMultiply(hidden).arrayGet([0, 0])
    return out.add(c["output_bias"]).subtract(c["output_offset"]).divide(c["output_slope"]).toFloat()


def estimates(ee: Any, mosaic: Any, network_set: NetworkSet, products: Sequence[str],
              network_id: Any | None = None) -> dict[str, Any]:
    """Float estimate per product key (band named after the key). With ``network_id`` (per-pixel ensemble index)
    the land-cover networks serve their classes; without, the generic network serves every pixel."""
    inputs: dict[tuple[str, ...], Any] = {}

    def x_for(nets: LoadedNetworks) -> Any:
        if nets.bands not in inputs:
            inputs[nets.bands] = input_array(ee, mosaic, nets)
        return inputs[nets.bands]

    result = {}
    for key in products:
        variable = PRODUCTS[key].variable_id
        image = evaluate_network(ee, x_for(network_set.generic), network_set.generic.estimate[variable])
        if network_id is not None:
            for name, nets in sorted(network_set.landcover.items(), key=lambda kv: network_set.network_index.get(
                    kv[0], GENERIC_NETWORK_ID)):
                index = network_set.network_index.get(name)
                if index is None or index == GENERIC_NETWORK_ID:
                    continue
                lc = evaluate_network(ee, x_for(nets), nets.estimate[variable])
                image = image.where(network_id.eq(index), lc)
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
    return code.remap(codes, [0] * len(codes), 1).toUint8().rename("out_of_domain")
