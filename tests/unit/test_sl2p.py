"""SL2P numpy evaluation (core, no QGIS): hand-computed outputs, float32 accuracy, physics, domain, range, land cover.

No coefficient is written here: every expected value is computed in the test from the networks parsed at run time
from ``LEAF_QGIS_NETWORKS`` (set by ``tests/conftest.py``).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from leaf_qgis.core.network_store import NetworkStore
from leaf_qgis.core.networks import load_network_set
from leaf_qgis.core.products import PRODUCTS
from leaf_qgis.core.sensors import ANGLE_INPUTS, SENSORS
from leaf_qgis.core.sl2p import CompiledNetworks, Sl2pEvaluator, domain_codes

SENSOR_KEYS = ["S2", "S2_10M", "L5", "L7", "L8", "L9"]
ALL_PRODUCTS = ["LAI", "FCOVER", "FAPAR", "ALBEDO"]
TOLERANCE = {"LAI": 1e-4, "FCOVER": 1e-5, "FAPAR": 1e-5, "ALBEDO": 1e-5}
ANGLES = (0.99, 0.8, 0.5)  # cosVZA, cosSZA, cosRAA

# Reflectance by spectral role (the roles of ``Sensor.spectral_roles``).
CANOPY = {
    "coastal": 0.025, "blue": 0.03, "green": 0.06, "red": 0.03, "rededge1": 0.09, "rededge2": 0.28,
    "rededge3": 0.38, "nir": 0.43, "swir1": 0.18, "swir2": 0.08,
}
_WAVELENGTH_ORDER = ["coastal", "blue", "green", "red", "rededge1", "rededge2", "rededge3", "nir", "swir1", "swir2"]
SOIL = {role: 0.12 + 0.18 * i / (len(_WAVELENGTH_ORDER) - 1) for i, role in enumerate(_WAVELENGTH_ORDER)}


@pytest.fixture(scope="module")
def store():
    return NetworkStore.default()


@pytest.fixture(scope="module")
def sets(store):
    """SL2P (generic network) sets."""
    store.download = False
    return {key: load_network_set(key, "SL2P", store) for key in SENSOR_KEYS}


@pytest.fixture(scope="module")
def ccrs(store):
    """SL2P-CCRS (land-cover ensemble) sets."""
    store.download = False
    return {key: load_network_set(key, "SL2P-CCRS", store) for key in SENSOR_KEYS}


def slot(network_set, k: int = 0) -> SimpleNamespace:
    """The networks of one slot: ``estimate``/``error`` by variable id, and the bands."""
    return SimpleNamespace(estimate={v: n[k] for v, n in network_set.estimate.items()},
                           error={v: n[k] for v, n in network_set.error.items()}, bands=network_set.bands)


def _stack(key: str, spectrum: dict[str, float], pixels: int = 1) -> np.ndarray:
    """``(bands, pixels)`` float32 reflectance in the sensor's stack order, from a spectrum by role."""
    column = [spectrum[role] for role in SENSORS[key].spectral_roles]
    return np.repeat(np.asarray(column, dtype=np.float32)[:, None], pixels, axis=1)


def hand_network(net, inputs: list[float]) -> float:
    """The published SL2P network, written out: normalise, 5 tanh neurons ([neuron][input]), linear, denormalise."""
    n = len(net.input_slope)
    assert len(inputs) == n
    scaled = []
    for i in range(n):
        scaled.append(inputs[i] * net.input_slope[i] + net.input_offset[i])
    hidden = []
    for k in range(5):
        total = net.hidden_bias[k]
        for i in range(n):
            total += net.hidden_weights[k][i] * scaled[i]
        hidden.append(math.tanh(total))
    out = net.output_bias
    for k in range(5):
        out += net.output_weights[k] * hidden[k]
    return (out - net.output_offset) / net.output_slope


def reference64(nets, key: str, reflectance: np.ndarray, cosines: list[np.ndarray], stack: tuple[str, ...],
                error: bool = False) -> np.ndarray:
    """Unfolded float64 numpy form of :func:`hand_network` over pixels (checked against it below)."""
    net = (nets.error if error else nets.estimate)[PRODUCTS[key].variable_id]
    rows = [stack.index(b) for b in nets.bands]
    x = np.vstack([np.broadcast_to(np.asarray(c, dtype=np.float64), reflectance.shape[1:]) for c in cosines]
                  + [reflectance[rows].astype(np.float64)])
    scaled = x * np.asarray(net.input_slope)[:, None] + np.asarray(net.input_offset)[:, None]
    hidden = np.tanh(np.asarray(net.hidden_weights) @ scaled + np.asarray(net.hidden_bias)[:, None])
    out = np.asarray(net.output_weights) @ hidden + net.output_bias
    return (out - net.output_offset) / net.output_slope


# --- stack order ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", SENSOR_KEYS)
def test_stack_order_is_the_sensor_spectral_inputs(sets, key):
    assert sets[key].stack_bands == SENSORS[key].spectral_inputs
    assert len(SENSORS[key].spectral_roles) == len(SENSORS[key].spectral_inputs)
    assert sets[key].inputs == ANGLE_INPUTS + sets[key].bands


def test_landsat_stacks_are_the_ccrs_band_lists(sets):
    for key in ("L8", "L9"):
        assert SENSORS[key].spectral_inputs == ("SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7")
    for key in ("L5", "L7"):
        assert SENSORS[key].spectral_inputs == ("SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7")
    for key in ("L5", "L7", "L8", "L9"):
        assert SENSORS[key].spectral_roles == ("green", "red", "nir", "swir1", "swir2")


# --- one pixel computed by hand, per sensor ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", SENSOR_KEYS)
def test_hand_computed_pixel(sets, key):
    network_set = sets[key]
    stack = network_set.stack_bands
    reflectance = _stack(key, CANOPY)
    nets = slot(network_set)
    inputs = list(ANGLES) + [float(reflectance[stack.index(b), 0]) for b in nets.bands]
    evaluator = Sl2pEvaluator(network_set, ALL_PRODUCTS, uncertainty=True)
    by_scalar = evaluator.evaluate(reflectance, ANGLES)
    by_array = evaluator.evaluate(reflectance, [np.full(1, c, dtype=np.float32) for c in ANGLES])
    for product in ALL_PRODUCTS:
        for error in (False, True):
            net = (nets.error if error else nets.estimate)[PRODUCTS[product].variable_id]
            expected = hand_network(net, inputs)
            assert math.isfinite(expected)
            assert net.evaluate_one(tuple(inputs)) == pytest.approx(expected, rel=1e-12, abs=1e-12)
            for result in (by_scalar, by_array):
                got = float((result.errors if error else result.estimates)[product][0])
                assert abs(got - expected) <= TOLERANCE[product], (key, product, error, got, expected)


# --- float32 vs float64 over 10 000 random pixels -------------------------------------------------------------------

N_RANDOM = 10_000
# Max |float32 − float64| measured here over the 10 000 pixels below (estimates and uncertainties, per-pixel and
# scene-constant angles alike), with the hidden layer as 2/(1+exp(−2n)) − 1 (the CCRS package's tansig): LAI up to
# 2.6e-6, fCOVER/fAPAR/albedo 2.2e-7 (np.tanh gave 1.8e-6 and 1.9e-7). Over the land-cover networks: LAI 6.9e-6.
# The bounds leave about a factor 2: tight enough to catch a precision regression (before the angle inputs were
# centred, per-pixel angles lost 6e-5 in L7 LAI and 1.7e-4 in L8 shrubland LAI), all far below the LEAF encoding
# step (0.05 LAI, 0.005 for fractions).
MAX_DIFF = {"LAI": 4e-6, "FCOVER": 4e-7, "FAPAR": 4e-7, "ALBEDO": 4e-7}
MAX_DIFF_LANDCOVER = {"LAI": 1.4e-5, "FCOVER": 5e-7, "FAPAR": 5e-7, "ALBEDO": 5e-7}

def _random_pixels(key: str, rng: np.random.Generator, n: int = N_RANDOM):
    roles = SENSORS[key].spectral_roles
    low = np.array([0.0 if r not in ("nir", "rededge3") else 0.1 for r in roles])[:, None]
    high = np.array([0.25 if r in ("coastal", "blue", "green", "red") else 0.6 for r in roles])[:, None]
    reflectance = (low + (high - low) * rng.random((len(roles), n))).astype(np.float32)
    cosines = [rng.uniform(0.975, 1.0, n), rng.uniform(0.35, 0.95, n), rng.uniform(-1.0, 1.0, n)]
    return reflectance, [c.astype(np.float32) for c in cosines]


@pytest.mark.parametrize("key", SENSOR_KEYS)
def test_float32_agrees_with_float64_reference_on_10000_random_pixels(sets, key):
    network_set = sets[key]
    rng = np.random.default_rng(20240601)
    reflectance, cosines = _random_pixels(key, rng)
    nets = slot(network_set)
    stack = network_set.stack_bands
    evaluator = Sl2pEvaluator(network_set, ALL_PRODUCTS, uncertainty=True)
    per_pixel = evaluator.evaluate(reflectance, cosines)
    scene_angles = [float(c[0]) for c in cosines]
    constant = evaluator.evaluate(reflectance, scene_angles)
    measured = {}
    for product in ALL_PRODUCTS:
        bound = MAX_DIFF[product]
        assert bound < TOLERANCE[product] / 10
        for error in (False, True):
            expected = reference64(nets, product, reflectance, cosines, stack, error)
            # The vectorised reference is the hand computation (first pixels, plain Python).
            net = (nets.error if error else nets.estimate)[PRODUCTS[product].variable_id]
            for j in range(3):
                inputs = [float(c[j]) for c in cosines] + [float(reflectance[stack.index(b), j]) for b in nets.bands]
                assert expected[j] == pytest.approx(hand_network(net, inputs), rel=1e-12, abs=1e-12)
            got = (per_pixel.errors if error else per_pixel.estimates)[product]
            assert got.dtype == np.float32
            diff = float(np.max(np.abs(got.astype(np.float64) - expected)))
            measured[product + ("_err" if error else "")] = f"{diff:.2e}"
            assert diff <= bound, (key, product, error, diff)
            # Constant angles, folded into the bias.
            expected_c = reference64(nets, product, reflectance, scene_angles, stack, error)
            got_c = (constant.errors if error else constant.estimates)[product]
            diff_c = float(np.max(np.abs(got_c.astype(np.float64) - expected_c)))
            measured[product + ("_err" if error else "") + "_const"] = f"{diff_c:.2e}"
            assert diff_c <= bound, (key, product, error, "constant angles", diff_c)
    print(key, measured)


@pytest.mark.parametrize("key", ["S2", "L5", "L7", "L8", "L9"])
def test_float32_accuracy_of_every_land_cover_network_with_per_pixel_angles(ccrs, key):
    network_set = ccrs[key]
    rng = np.random.default_rng(7)
    reflectance, cosines = _random_pixels(key, rng, 6000)
    classes = rng.integers(0, 21, 6000)
    assert set(np.unique(classes)) == set(range(21))  # every network and the generic fallback
    result = Sl2pEvaluator(network_set, ALL_PRODUCTS, uncertainty=True).evaluate(reflectance, cosines,
                                                                                 landcover=classes)
    for value in np.unique(classes):
        where = classes == value
        nets = slot(network_set, network_set.slot_of(int(value)))
        for product in ALL_PRODUCTS:
            for error in (False, True):
                expected = reference64(nets, product, reflectance[:, where], [c[where] for c in cosines],
                                       network_set.stack_bands, error)
                got = (result.errors if error else result.estimates)[product][where]
                diff = float(np.max(np.abs(got - expected)))
                assert diff <= MAX_DIFF_LANDCOVER[product], (int(value), product, error, diff)


# --- physics --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", SENSOR_KEYS)
def test_dense_green_canopy_gives_high_lai_fcover_fapar(sets, key):
    result = Sl2pEvaluator(sets[key], ALL_PRODUCTS).evaluate(_stack(key, CANOPY), (1.0, 0.8, 0.5))
    lai, fcover, fapar = (float(result.estimates[p][0]) for p in ("LAI", "FCOVER", "FAPAR"))
    assert lai > 2, lai
    assert fcover > 0.6, fcover
    assert fapar > 0.6, fapar
    assert 0 < float(result.estimates["ALBEDO"][0]) < 0.3


@pytest.mark.parametrize("key", SENSOR_KEYS)
def test_bare_soil_gives_near_zero_vegetation(sets, key):
    result = Sl2pEvaluator(sets[key], ALL_PRODUCTS).evaluate(_stack(key, SOIL), (1.0, 0.8, 0.5))
    lai, fcover = (float(result.estimates[p][0]) for p in ("LAI", "FCOVER"))
    assert lai < 0.8, lai
    assert fcover < 0.25, fcover


@pytest.mark.parametrize("key", SENSOR_KEYS)
def test_lai_increases_from_soil_to_canopy(sets, key):
    """Mixtures of soil and canopy: LAI grows with the canopy fraction (monotone within numerical noise)."""
    mix = np.linspace(0, 1, 11, dtype=np.float32)
    stack = _stack(key, SOIL, 11) * (1 - mix) + _stack(key, CANOPY, 11) * mix
    lai = Sl2pEvaluator(sets[key], ["LAI"]).evaluate(stack, (1.0, 0.8, 0.5)).estimates["LAI"]
    assert lai[-1] - lai[0] > 1.5
    assert np.all(np.diff(lai) > -0.05), lai


# --- input domain (QC bit 0) ----------------------------------------------------------------------------------------


def test_domain_code_digits_are_ceil_of_ten_rho_floor_modulo_ten():
    """As the CCRS package (numpy ``%``): −0.15 → ceil(−1.5) = −1 → 9, never a negative digit."""
    values = np.array([[0.05, 0.95, 1.0, 0.0, -0.05, -0.15, 0.45, 0.55, 0.99, 0.01, -0.25]], dtype=np.float32)
    assert domain_codes(values).tolist() == [1, 0, 0, 0, 0, 9, 5, 6, 0, 1, 8]
    assert domain_codes(values).dtype == np.int32


def test_domain_code_first_band_is_least_significant():
    bands = np.array([[0.05], [0.25], [0.35], [0.75]], dtype=np.float32)
    assert domain_codes(bands).tolist() == [1 + 3 * 10 + 4 * 100 + 8 * 1000]
    eight = np.array([[0.05], [0.15], [0.25], [0.35], [0.45], [0.55], [0.65], [0.75]], dtype=np.float32)
    assert domain_codes(eight).tolist() == [87654321]
    assert domain_codes(eight.astype(np.float64)).tolist() == [87654321]


def _reflectance_for_codes(network_set, codes: list[int]) -> np.ndarray:
    """Reflectances (stack order) whose domain digits spell ``codes``: digit d → ρ = (d − 0.5)/10, 0 → 0.95."""
    stack = network_set.stack_bands
    out = np.full((len(stack), len(codes)), 0.2, dtype=np.float32)
    for j, code in enumerate(codes):
        for i, band in enumerate(network_set.domain_bands):
            digit = (code // 10 ** i) % 10
            out[stack.index(band), j] = (digit - 0.5) / 10 if digit else 0.95
    return out


@pytest.mark.parametrize("algorithm", ["SL2P", "SL2P-CCRS"])
@pytest.mark.parametrize("key", SENSOR_KEYS)
def test_every_domain_code_is_inside_and_neighbours_outside(sets, ccrs, key, algorithm):
    network_set = (sets if algorithm == "SL2P" else ccrs)[key]
    codes = sorted(network_set.domain)
    evaluator = Sl2pEvaluator(network_set, ["LAI"])
    inside = _reflectance_for_codes(network_set, codes)
    assert domain_codes(inside[[network_set.stack_bands.index(b) for b in network_set.domain_bands]]).tolist() == codes
    assert not evaluator.out_of_domain(inside).any()
    assert not evaluator.evaluate(inside, ANGLES).out_of_domain.any()
    # Change the least significant digit to one that gives a code outside the list.
    outside_codes = []
    for code in codes:
        for digit in range(10):
            candidate = code - code % 10 + digit
            if candidate not in network_set.domain:
                outside_codes.append(candidate)
                break
    assert outside_codes
    outside = _reflectance_for_codes(network_set, outside_codes)
    assert evaluator.out_of_domain(outside).all()
    assert evaluator.evaluate(outside, ANGLES).out_of_domain.all()


def test_s2_canopy_in_domain_bright_and_negative_outside(sets):
    network_set = sets["S2"]
    evaluator = Sl2pEvaluator(network_set, ["LAI"])
    pixels = np.hstack([_stack("S2", CANOPY), np.full((8, 1), 0.95, np.float32), _stack("S2", CANOPY)])
    pixels[0, 2] = -0.15  # B3 digit 9 (floor modulo): a green band of 0.8–0.9 never occurred in training
    codes = domain_codes(pixels).tolist()
    assert codes[0] in network_set.domain
    assert codes[1] == 0 and 0 not in network_set.domain
    assert codes[2] % 10 == 9 and codes[2] not in network_set.domain
    assert evaluator.out_of_domain(pixels).tolist() == [False, True, True]


@pytest.mark.parametrize(("key", "sl2p", "sl2p_ccrs"), [
    ("S2", 609, 609), ("S2_10M", 75, 75), ("L8", 155, 583), ("L9", 155, 583), ("L7", 353, 712), ("L5", 353, 712),
])
def test_every_set_has_its_ccrs_domain_list(sets, ccrs, key, sl2p, sl2p_ccrs):
    """The package's lists (distinct codes as its README counts them); Landsat 7/5: the SL2P-Networks lists."""
    assert (len(sets[key].domain), len(ccrs[key].domain)) == (sl2p, sl2p_ccrs)


# --- output range (QC bit 1) ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", SENSOR_KEYS)
def test_out_of_range_is_set_exactly_when_an_estimate_leaves_its_valid_range(sets, key):
    rng = np.random.default_rng(3)
    n_bands = len(sets[key].stack_bands)
    pixels = rng.uniform(-0.05, 1.0, (n_bands, 4000)).astype(np.float32)
    result = Sl2pEvaluator(sets[key], ALL_PRODUCTS).evaluate(pixels, ANGLES)
    expected = np.zeros(4000, dtype=bool)
    for product in ALL_PRODUCTS:
        low, high = PRODUCTS[product].valid_range
        value = result.estimates[product]
        expected |= (value < low) | (value > high)
    assert expected.any() and not expected.all()  # the sample holds both cases
    assert np.array_equal(result.out_of_range, expected)


def test_out_of_range_looks_only_at_the_requested_products(sets):
    rng = np.random.default_rng(4)
    pixels = rng.uniform(-0.05, 1.0, (8, 4000)).astype(np.float32)
    lai_only = Sl2pEvaluator(sets["S2"], ["LAI"]).evaluate(pixels, ANGLES)
    low, high = PRODUCTS["LAI"].valid_range
    lai = lai_only.estimates["LAI"]
    assert set(lai_only.estimates) == {"LAI"}
    assert np.array_equal(lai_only.out_of_range, (lai < low) | (lai > high))
    negative = int(np.argmin(lai))
    assert lai[negative] < low and lai_only.out_of_range[negative]
    inside = int(np.flatnonzero((lai > 1) & (lai < 5))[0])
    assert not lai_only.out_of_range[inside]


# --- land cover, uncertainty, validity --------------------------------------------------------------------------------

CLASSES = [1, 15, 0, 18, 2, 17, 19, 5, 16, 25, 6]
#: The CCRS legend and parameter file (reference vectors README): class → slot; 0, 25 (not in the legend) → 0.
EXPECTED_SLOT = {1: 3, 15: 1, 0: 0, 18: 0, 2: 3, 17: 0, 19: 0, 5: 2, 16: 9, 25: 0, 6: 11}


@pytest.mark.parametrize("key", ["S2", "L5", "L7", "L8", "L9"])
def test_land_cover_routes_each_class_to_its_slot(ccrs, key):
    network_set = ccrs[key]
    stack = network_set.stack_bands
    rng = np.random.default_rng(11)
    n = len(CLASSES) * 3
    classes = np.array(CLASSES * 3)
    mix = rng.random(n).astype(np.float32)
    reflectance = _stack(key, SOIL, n) * (1 - mix) + _stack(key, CANOPY, n) * mix
    evaluator = Sl2pEvaluator(network_set, ALL_PRODUCTS, uncertainty=True)
    result = evaluator.evaluate(reflectance, ANGLES, landcover=classes)
    assert evaluator.network_slot(classes).tolist() == [EXPECTED_SLOT[c] for c in classes.tolist()]
    for j, value in enumerate(classes.tolist()):
        nets = slot(network_set, EXPECTED_SLOT[value])
        inputs = list(ANGLES) + [float(reflectance[stack.index(b), j]) for b in nets.bands]
        for product in ALL_PRODUCTS:
            vid = PRODUCTS[product].variable_id
            expected = hand_network(nets.estimate[vid], inputs)
            assert abs(result.estimates[product][j] - expected) <= TOLERANCE[product], (value, product)
            expected_error = hand_network(nets.error[vid], inputs)
            assert abs(result.errors[product][j] - expected_error) <= TOLERANCE[product], (value, product)
    # The routing matters: the forest networks differ from the generic one on these pixels.
    generic = Sl2pEvaluator(network_set, ["LAI"]).evaluate(reflectance, ANGLES).estimates["LAI"]
    for value in (1, 5, 6):
        assert np.all(np.abs(result.estimates["LAI"][classes == value] - generic[classes == value]) > 1e-3)
    for value in (0, 18, 15):
        np.testing.assert_allclose(result.estimates["LAI"][classes == value], generic[classes == value], atol=1e-5)


@pytest.mark.parametrize("key", ["S2", "S2_10M"])
def test_land_cover_changes_nothing_where_every_slot_is_the_generic_network(sets, ccrs, key):
    """SL2P: one network for every class; S2 10 m SL2P-CCRS: twelve copies of the generic network."""
    reflectance = _stack(key, CANOPY, 4)
    for network_set in (sets[key], *((ccrs[key],) if key == "S2_10M" else ())):
        evaluator = Sl2pEvaluator(network_set, ALL_PRODUCTS)
        assert len(evaluator.groups) == 1
        with_lc = evaluator.evaluate(reflectance, ANGLES, landcover=np.array([1, 15, 0, 18]))
        without = evaluator.evaluate(reflectance, ANGLES)
        for product in ALL_PRODUCTS:
            assert np.array_equal(with_lc.estimates[product], without.estimates[product])


def test_identical_slots_are_evaluated_once(ccrs):
    """S2 SL2P-CCRS: 12 slots, 4 distinct networks (generic ×8, deciduous ×2 with polar shrubland, needleleaf,
    mixed), as the reference vectors README lists them."""
    assert ccrs["S2"].slot_groups([1, 2, 3, 6], True) == [(0, 1, 4, 5, 6, 8, 9, 10), (2, 7), (3,), (11,)]
    assert len(Sl2pEvaluator(ccrs["S2"], ALL_PRODUCTS, True).groups) == 4
    assert len(Sl2pEvaluator(ccrs["L9"], ALL_PRODUCTS, True).groups) == 5  # L9 publishes its own polar shrubland


def test_uncertainty_outputs_only_when_requested(sets):
    reflectance = _stack("S2", CANOPY, 2)
    plain = Sl2pEvaluator(sets["S2"], ["LAI", "FAPAR"]).evaluate(reflectance, ANGLES)
    assert plain.errors == {}
    assert list(plain.estimates) == ["LAI", "FAPAR"]
    with_errors = Sl2pEvaluator(sets["S2"], ["LAI", "FAPAR"], uncertainty=True).evaluate(reflectance, ANGLES)
    assert list(with_errors.errors) == ["LAI", "FAPAR"]
    for product in ("LAI", "FAPAR"):
        assert np.array_equal(plain.estimates[product], with_errors.estimates[product])
        assert np.all(np.isfinite(with_errors.errors[product]))
        assert np.all(with_errors.errors[product] > 0)


@pytest.mark.parametrize("landcover", [False, True])
def test_invalid_pixels_are_nan_and_carry_no_domain_flag(sets, landcover):
    network_set = sets["S2"]
    reflectance = _stack("S2", CANOPY, 6)
    reflectance[:, 1] = np.nan  # e.g. no data: never estimated
    reflectance[:, 3] = 0.95  # out of domain, but invalid
    valid = np.array([True, False, True, False, True, False])
    classes = np.array([1, 15, 0, 18, 15, 1]) if landcover else None
    result = Sl2pEvaluator(network_set, ALL_PRODUCTS, uncertainty=True).evaluate(
        reflectance, ANGLES, valid=valid, landcover=classes)
    for values in [*result.estimates.values(), *result.errors.values()]:
        assert values.dtype == np.float32
        assert np.all(np.isnan(values[~valid]))
        assert np.all(np.isfinite(values[valid]))
    assert not result.out_of_domain[~valid].any()
    assert not result.out_of_range[~valid].any()


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int64])
def test_land_cover_groups_with_invalid_pixels_match_pixel_by_pixel(ccrs, dtype):
    """SL2P-CCRS on a block mixing four slot groups and invalid pixels (gathered per group, scattered back): every
    valid pixel equals its own one-pixel evaluation (one group, no gather), every invalid one is NaN, whatever the
    integer type of the land-cover raster (uint8 indexes the class tables directly)."""
    network_set = ccrs["S2"]
    classes = np.array([1, 15, 5, 6, 18, 1, 2, 19, 6, 5, 0, 1, 25, 6], dtype=dtype)
    n = classes.size
    mix = np.random.default_rng(5).random(n).astype(np.float32)
    reflectance = _stack("S2", SOIL, n) * (1 - mix) + _stack("S2", CANOPY, n) * mix
    valid = np.array([True, True, True, True, True, False, True, True, True, False, True, False, True, True])
    evaluator = Sl2pEvaluator(network_set, ALL_PRODUCTS, uncertainty=True)
    assert len(evaluator._pixel_groups(classes, valid)) == 4
    result = evaluator.evaluate(reflectance, ANGLES, valid=valid, landcover=classes)
    for j in range(n):
        alone = evaluator.evaluate(reflectance[:, j:j + 1].copy(), ANGLES, landcover=classes[j:j + 1])
        for product in ALL_PRODUCTS:
            for got, expected in ((result.estimates[product][j], alone.estimates[product][0]),
                                  (result.errors[product][j], alone.errors[product][0])):
                if valid[j]:
                    assert got == pytest.approx(float(expected), abs=1e-6), (j, product)
                else:
                    assert np.isnan(got), (j, product)
    assert not result.out_of_range[~valid].any()


def test_no_valid_pixel_gives_all_nan(sets):
    reflectance = _stack("L8", CANOPY, 3)
    result = Sl2pEvaluator(sets["L8"], ["LAI"]).evaluate(
        reflectance, ANGLES, valid=np.zeros(3, dtype=bool), landcover=np.array([1, 2, 3]))
    assert np.all(np.isnan(result.estimates["LAI"]))


def test_compiled_networks_refuse_empty_or_mixed_inputs(sets):
    with pytest.raises(ValueError):
        CompiledNetworks([])
    s2 = sets["S2"].estimate[1][0]
    l8 = sets["L8"].estimate[1][0]
    with pytest.raises(ValueError, match="different inputs"):
        CompiledNetworks([s2, l8])


def test_evaluate_one_refuses_a_wrong_input_count(sets):
    with pytest.raises(ValueError, match="takes 11 inputs"):
        sets["S2"].estimate[1][0].evaluate_one((0.5,) * 10)
