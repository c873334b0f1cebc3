"""The local engine's fast paths give exactly what the plain computations give (core, no QGIS).

* Domain codes by per-DN tables (:func:`domain_code_tables`) = :func:`domain_codes` of the float32 reflectance, bit
  for bit, for every 8- and 16-bit DN and several scalings (including a Sentinel-2 style negative offset).
* The chunked, in-place network evaluation does not depend on where the chunks fall.
* The in-place LEAF encoding (:func:`encode_leaf`) = the encoding written plainly, byte for byte.
"""

from __future__ import annotations

import numpy as np
import pytest

from leaf_qgis.core.encoding import encode_leaf
from leaf_qgis.core.network_store import NetworkStore
from leaf_qgis.core.networks import load_network_set
from leaf_qgis.core.products import PRODUCTS
from leaf_qgis.core.sl2p import CompiledNetworks, Sl2pEvaluator, domain_code_tables, domain_codes

SCALINGS = [  # (scale, offset) per band, for 3 bands
    ([1e-4, 1e-4, 1e-4], [0.0, 0.0, 0.0]),
    ([1e-4, 2.75e-5, 1e-4], [-0.1, -0.2, 0.0]),  # S2 baseline 04.00 offset, Landsat C2 scaling
    ([2.75e-5, 2.75e-5, 2.75e-5], [-0.2, -0.2, -0.2]),
    ([1.0 / 255, 0.004, 0.001], [0.0, 0.0, -0.05]),
]


@pytest.mark.parametrize("dtype", [np.uint16, np.int16, np.uint8])
@pytest.mark.parametrize("scale, offset", SCALINGS)
def test_code_tables_equal_domain_codes_for_every_dn(dtype, scale, offset):
    scale32, offset32 = np.asarray(scale, np.float32), np.asarray(offset, np.float32)
    tables = domain_code_tables(scale32, offset32, dtype)
    levels = 1 << (8 * np.dtype(dtype).itemsize)
    assert tables.shape == (3, levels) and tables.dtype == np.int32
    every = np.arange(levels, dtype=np.uint32).astype(f"u{np.dtype(dtype).itemsize}").view(dtype)
    # Every DN in every band, in three rotated pixel orders so that bands do not share a DN.
    dn = np.stack([np.roll(every, 7 * b) for b in range(3)])
    reflectance = dn.astype(np.float32)  # the engine's own float32 steps
    reflectance *= scale32[:, None]
    reflectance += offset32[:, None]
    expected = domain_codes(reflectance)
    index = dn.view(f"u{np.dtype(dtype).itemsize}")
    got = tables[0][index[0]] + tables[1][index[1]] + tables[2][index[2]]
    assert np.array_equal(got, expected)
    assert got.min() >= 0 and got.max() <= 999


def test_code_tables_refuse_wide_types():
    with pytest.raises(ValueError):
        domain_code_tables([1e-4], [0.0], np.uint32)
    with pytest.raises(ValueError):
        domain_code_tables([1e-4], [0.0], np.float32)


def _spectra(rng: np.random.Generator, pixels: int) -> np.ndarray:
    """S2 canopy/soil mixtures with 5 % noise, float32 ``(8, pixels)``."""
    canopy = np.array([0.05, 0.03, 0.09, 0.30, 0.40, 0.44, 0.19, 0.08])[:, None]
    soil = np.array([0.10, 0.14, 0.17, 0.19, 0.21, 0.23, 0.30, 0.25])[:, None]
    mix = rng.random(pixels)
    return ((mix * canopy + (1 - mix) * soil) * (1 + 0.05 * rng.standard_normal((8, pixels)))).astype(np.float32)


@pytest.fixture(scope="module")
def s2():
    store = NetworkStore.default()
    store.download = False
    return load_network_set("S2", "SL2P", store)


def test_out_of_domain_codes_equals_out_of_domain(s2):
    rng = np.random.default_rng(3)
    reflectance = _spectra(rng, 5000)
    reflectance[:, ::3] = rng.uniform(-0.05, 0.7, (8, reflectance[:, ::3].shape[1]))
    evaluator = Sl2pEvaluator(s2, ["LAI"])
    expected = evaluator.out_of_domain(reflectance)
    assert np.array_equal(evaluator.out_of_domain_codes(domain_codes(reflectance)), expected)
    assert 0 < expected.sum() < expected.size  # both cases occur


@pytest.mark.parametrize("pixels", [1, 1023, 4096, 4097, 10_001])
def test_chunked_evaluation_does_not_depend_on_chunk_boundaries(s2, pixels):
    """Pixels evaluated in one call, in several calls, and one by one give the same float32 numbers."""
    networks = [s2.estimate[v][0] for v in sorted(s2.estimate)[:4]]
    compiled = CompiledNetworks(networks).with_constant_leading_inputs([0.99, 0.8, 0.5])
    x = _spectra(np.random.default_rng(pixels), pixels)
    whole = compiled(x)
    assert whole.shape == (4, pixels) and whole.dtype == np.float32
    out = np.full((4, pixels), np.nan, dtype=np.float32)
    assert compiled(x, out=out) is out
    assert np.array_equal(out, whole)
    halves = np.hstack([compiled(np.ascontiguousarray(x[:, :pixels // 2])),
                        compiled(np.ascontiguousarray(x[:, pixels // 2:]))])
    assert np.allclose(halves, whole, rtol=1e-5, atol=1e-5)  # BLAS edge kernels: last-ulp differences
    first = compiled(np.ascontiguousarray(x[:, :1]))
    assert np.allclose(first[:, 0], whole[:, 0], rtol=1e-5, atol=1e-5)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # the 1e30 and float32-max inputs
def _straightforward_encode_leaf(values, product):
    """The LEAF encoding written plainly, a new array per step: what :func:`encode_leaf` must equal byte for byte."""
    from leaf_qgis.core.encoding import LEAF_MAX_DN, LEAF_NODATA

    values = np.asarray(values, dtype=np.float32)
    missing = np.isnan(values)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.floor(values * np.float32(product.leaf_scale) + np.float32(0.5))
        clamped = (scaled > LEAF_MAX_DN) | (scaled < 0)
    dn = np.clip(np.nan_to_num(scaled, nan=0.0), 0, LEAF_MAX_DN).astype(np.uint8)
    dn[missing] = LEAF_NODATA
    clamped &= ~missing
    return dn, clamped


@pytest.mark.parametrize("key", sorted(PRODUCTS))
def test_engine_leaf_encoding_is_encode_leaf_byte_for_byte(key):
    product = PRODUCTS[key]
    step = 1.0 / product.leaf_scale
    rng = np.random.default_rng(11)
    edges = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, -1e-9, -0.5 * step, 0.5 * step, 253.5 * step, 254.5 * step,
                      255 * step, 1e30, -1e30, np.finfo(np.float32).max], dtype=np.float32)
    halves = ((np.arange(-3, 260) + 0.5) * step).astype(np.float32)  # round-half boundaries, and their neighbours
    values = np.concatenate([edges, halves, np.nextafter(halves, np.float32(np.inf)),
                             np.nextafter(halves, np.float32(-np.inf)),
                             rng.uniform(-0.1 * 255 * step, 1.1 * 255 * step, 20_000).astype(np.float32)])
    values[::97] = np.nan
    expected_dn, expected_clamped = _straightforward_encode_leaf(values, product)
    dn, clamped = encode_leaf(values, product)
    assert dn.dtype == np.uint8 and clamped.dtype == bool
    assert np.array_equal(dn, expected_dn)
    assert np.array_equal(clamped, expected_clamped)
    assert clamped.any() and (dn == 255).any() and (dn == 254).any() and (dn == 0).any()


@pytest.mark.parametrize("stored, scale, refused", [
    ("reflectance", 1e-4, True),  # 0–1 reflectance read as DN
    ("dn", 1.0, True),  # DN read with SCALE 1
    ("dn", 1e-4, False),
    ("reflectance", 1.0, False),
])
def test_scale_check_on_patches_of_a_large_raster(stored, scale, refused):
    """Above 256 px a side and without overviews, the scale check reads 2 × 2 patches, not a decimated raster: the
    two scaling mistakes are still refused, correct scalings still pass. The patches land in the middle of each
    quarter: only those quarters hold plausible values, so a check that read elsewhere would see zeros."""
    from osgeo import gdal

    from leaf_qgis.core.errors import LeafError
    from leaf_qgis.engines.local.produce import _check_reflectance_scale

    size = 600
    rho = np.zeros((2, size, size), dtype=np.float32)
    for cy in (150, 450):
        for cx in (150, 450):
            rho[:, cy - 80:cy + 80, cx - 80:cx + 80] = [[[0.05]], [[0.3]]]
    data = rho if stored == "reflectance" else np.rint(rho * 10000)
    ds = gdal.GetDriverByName("MEM").Create("", size, size, 2, gdal.GDT_Float32)
    for b in range(2):
        ds.GetRasterBand(b + 1).WriteArray(data[b])
    scales = np.full(2, scale, dtype=np.float32)
    offsets = np.zeros(2, dtype=np.float32)
    if refused:
        with pytest.raises(LeafError):
            _check_reflectance_scale(ds, [1, 2], scales, offsets, None)
    else:
        _check_reflectance_scale(ds, [1, 2], scales, offsets, None)
