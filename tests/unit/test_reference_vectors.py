"""The CCRS package's own outputs, row by row: what the plugin's SL2P and SL2P-CCRS estimates must equal.

``../shared/sl2p-reference-vectors/`` holds inputs and the outputs that the CCRS Python package SL2P-SL2PCCRS_PYTHON
computed for them, unmodified (its README says how). Every row must match: estimates and uncertainties to 1e-4,
the network id exactly, the input-domain flag exactly — for every product (LAI, fCOVER, fAPAR, albedo, CCC, CWC)
through the engine's float32 evaluator (per-pixel angles, the pixel's NALCMS class picking the slot). CCC spans
−190…945 µg/cm²: float32 keeps about 7 significant digits, so at that scale 1e-4 is below its rounding (measured up
to 2.7e-4); its tolerance is 1e-3 µg/cm² (a millionth of its span, 2 500 times below the LEAF encoding's step).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from leaf_qgis.core.network_store import NetworkStore
from leaf_qgis.core.networks import load_network_set
from leaf_qgis.core.sl2p import Sl2pEvaluator

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT.parent / "shared" / "sl2p-reference-vectors"
NETWORKS = ROOT.parent / "shared" / "sl2p-networks"
COLLECTIONS = {"S2_L2A": "S2", "S2_L2A_10m": "S2_10M", "LC08_T1L2": "L8", "LC09_T1L2": "L9"}
FILES = [(c, a) for c in COLLECTIONS for a in ("SL2P", "SL2P-CCRS")]
#: Reference-vector variable name → product key: every variable the CCRS package computes is a product.
PRODUCT_COLUMNS = {"LAI": "LAI", "fCOVER": "FCOVER", "fAPAR": "FAPAR", "Albedo": "ALBEDO", "CCC": "CCC", "CWC": "CWC"}
TOLERANCE = 1e-4
#: Products whose values reach the hundreds, where float32 rounds above 1e-4 (see the module doc).
TOLERANCES = {"CCC": 1e-3}


@cache
def _table(collection: str, algorithm: str) -> tuple[list[str], np.ndarray]:
    with open(VECTORS / f"{collection}_{algorithm}.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], np.array(rows[1:], dtype=np.float64)


def _columns(collection: str, algorithm: str) -> dict[str, np.ndarray]:
    header, data = _table(collection, algorithm)
    return {name: data[:, i] for i, name in enumerate(header)}


def _network_set(collection: str, algorithm: str):
    return load_network_set(COLLECTIONS[collection], algorithm, NetworkStore([NETWORKS], download=False))


def _inputs(collection: str, algorithm: str):
    header, data = _table(collection, algorithm)
    network_set = _network_set(collection, algorithm)
    n_bands = len(network_set.bands)
    first = header.index("cosVZA")
    assert header[first:first + 3] == ["cosVZA", "cosSZA", "cosRAA"]
    reflectance = data[:, first + 3:first + 3 + n_bands].T.astype(np.float32)
    cosines = [data[:, first + i].astype(np.float32) for i in range(3)]
    landcover = _columns(collection, algorithm)["partition"].astype(np.int64) if algorithm == "SL2P-CCRS" else None
    return network_set, reflectance, cosines, landcover


@pytest.mark.parametrize(("collection", "algorithm"), FILES)
def test_band_order_is_the_packages(collection, algorithm):
    header, _ = _table(collection, algorithm)
    network_set = _network_set(collection, algorithm)
    first = header.index("cosSZA") + 2
    package_bands = header[first:first + len(network_set.bands)]
    # The package spells Sentinel-2 bands B03, ours are Earth Engine's B3: same band, same position.
    assert [b.replace("B0", "B") for b in package_bands] == list(network_set.bands)


@pytest.mark.parametrize(("collection", "algorithm"), FILES)
def test_products_match_the_ccrs_package(collection, algorithm):
    network_set, reflectance, cosines, landcover = _inputs(collection, algorithm)
    columns = _columns(collection, algorithm)
    evaluator = Sl2pEvaluator(network_set, list(PRODUCT_COLUMNS.values()), uncertainty=True)
    result = evaluator.evaluate(reflectance, cosines, landcover=landcover)
    for name, key in PRODUCT_COLUMNS.items():
        estimate_error = np.abs(result.estimates[key] - columns[f"{name}_estimate"])
        error_error = np.abs(result.errors[key] - columns[f"{name}_error"])
        tolerance = TOLERANCES.get(key, TOLERANCE)
        assert estimate_error.max() <= tolerance, (name, float(estimate_error.max()), int(estimate_error.argmax()))
        assert error_error.max() <= tolerance, (name, float(error_error.max()))
        if landcover is not None:
            np.testing.assert_array_equal(evaluator.network_slot(landcover), columns[f"{name}_networkID"])
        else:
            assert not columns[f"{name}_networkID"].any()
        np.testing.assert_array_equal(result.out_of_domain, columns[f"{name}_QC_input"].astype(bool))


@pytest.mark.parametrize(("collection", "algorithm"), FILES)
def test_ccc_and_cwc_leaf_encoding_keeps_the_packages_values(collection, algorithm):
    """The uint8 encoding of CCC (× 0.4) and CWC (× 400): every reference estimate inside the valid range decodes
    within half a step (1.25 µg/cm², 0.00125 g/cm²), and nothing inside the valid range is clamped."""
    from leaf_qgis.core.encoding import decode_leaf, encode_leaf
    from leaf_qgis.core.products import PRODUCTS

    columns = _columns(collection, algorithm)
    for name in ("CCC", "CWC"):
        product = PRODUCTS[name]
        low, high = product.valid_range
        values = columns[f"{name}_estimate"]
        inside = (values >= low) & (values <= high)
        dn, clamped = encode_leaf(values.astype(np.float32), product)
        assert not clamped[inside].any()
        assert (clamped[~inside] == (values[~inside] < -0.5 / product.leaf_scale)
                | (values[~inside] * product.leaf_scale + 0.5 >= 255)).all()
        decoded = decode_leaf(dn[inside], product)
        assert np.abs(decoded - values[inside]).max() <= 0.5 / product.leaf_scale * (1 + 1e-5)
        # The package flags against the same table: QC_output is exactly "outside the valid range".
        np.testing.assert_array_equal(columns[f"{name}_QC_output"].astype(bool), ~inside)


def test_reference_rows_cover_every_class_and_slot():
    columns = _columns("S2_L2A", "SL2P-CCRS")
    assert set(columns["partition"].astype(int)) == set(range(1, 20))
    assert set(columns["LAI_networkID"].astype(int)) == set(range(12))


def test_forest_gets_the_ensemble_not_the_retired_land_cover_networks():
    """The issue's numbers: the same spectra in needleleaf forest give LAI ≈ 3, not ≈ 9 (retired networks)."""
    network_set, reflectance, cosines, landcover = _inputs("S2_L2A", "SL2P-CCRS")
    columns = _columns("S2_L2A", "SL2P-CCRS")
    canopy = (columns["sample_kind"] == 1) & (columns["partition"] == 1)
    result = Sl2pEvaluator(network_set, ["LAI"]).evaluate(reflectance, cosines, landcover=landcover)
    assert np.nanmax(result.estimates["LAI"][canopy]) < 8.5
    np.testing.assert_allclose(result.estimates["LAI"][canopy], columns["LAI_estimate"][canopy], atol=TOLERANCE)
