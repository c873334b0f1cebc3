"""Saturation and the reflectance range test, pixel by pixel, in the Earth Engine graph and in the local engine.

CCRS production keeps vendor-saturated pixels for compositing and flags them (QC bit 2), and tests every band of its
``OUT_BANDS`` list against −0.005…1.05, more bands than the networks read. The synthetic month
(:mod:`tests.ee_eval.synthetic`) has a block saturated in every scene (SCL 1, QA_RADSAT ≠ 0) and a block whose blue
band alone is 1.07 (Sentinel-2 B2, Landsat 8 SR_B2, Landsat 5 SR_B1: bands no network reads). Both engines must give
those pixels an estimate and QC bit 2 — and the same bytes (the whole-map comparison of
:mod:`tests.unit.test_ee_eval_compare` is exact too; these tests also check the blocks are flagged, not only equal).
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from leaf_qgis.core import qc
from leaf_qgis.core.sensors import SENSORS
from leaf_qgis.engines.gee import outputs as gee_outputs
from tests.ee_eval import compare, synthetic
from tests.ee_eval.evaluator import Evaluator


def graph_and_local(sensor: str, year: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(Earth Engine maps, local maps) of LAI and QC for the synthetic month (see :mod:`tests.ee_eval.compare`)."""
    nets = compare.networks(sensor)
    src = synthetic.sources(sensor, year)
    exports, period, _ = compare.plan_exports(sensor, year, ("LAI",), nets)
    graph = {}
    for entry in exports:
        if entry["key"] in ("LAI", "QC"):
            evaluator = Evaluator(synthetic.GRID, src.collections, src.images, synthetic.region_mask())
            image = evaluator.evaluate(json.loads(entry["expression"]))
            graph[entry["key"]] = compare.exported(image, entry["data_type"])
    ref = compare.reference_choice(src, period)
    local = compare.run_local(src, ref, compare.reference_partition(src), ("LAI",), nets)
    return graph, local


@pytest.mark.parametrize("sensor,year", [("S2", 2020), ("L8", 2020), ("L5", 2005)])
def test_saturated_and_bright_blue_pixels_keep_an_estimate_and_carry_bit_2_in_both_engines(sensor, year):
    graph, local = graph_and_local(sensor, year)
    flagged = qc.encode(SENSORS[sensor].qc_code, invalid=1)  # sensor code | bit 2, nothing else
    for block in (synthetic.SATURATED, synthetic.BRIGHT_BLUE):
        for maps in (graph, local):
            assert np.all(maps["QC"][block] == flagged), (block, maps["QC"][block])
            assert np.all(maps["LAI"][block] != 255), block  # an estimate (255 = nodata)
        np.testing.assert_array_equal(graph["LAI"][block], local["LAI"][block])
    region = synthetic.region_mask()
    np.testing.assert_array_equal(graph["QC"][region], local["QC"][region])


def test_the_blue_band_is_one_the_networks_do_not_read():
    """Guards the harness: the bright-blue block exercises a band beyond the networks' stack for every family."""
    for sensor, blue in (("S2", "B2"), ("L8", "SR_B2"), ("L5", "SR_B1"), ("HLS_L30", "B2"), ("HLS_S30", "B2")):
        assert blue in SENSORS[sensor].range_only_bands and blue not in SENSORS[sensor].spectral_inputs
        src = synthetic.sources(sensor, compare.YEARS[sensor])
        refl = src.truth[1].reflectance[blue][synthetic.BRIGHT_BLUE]
        assert np.allclose(refl, 1.07, atol=1e-4)
        others = [b for b in SENSORS[sensor].range_bands if b != blue]
        assert all(src.truth[1].reflectance[b][synthetic.BRIGHT_BLUE].max() < 1.0 for b in others)


def test_a_graph_testing_the_network_bands_only_misses_the_bright_blue_pixels(monkeypatch):
    """Mutation: the Earth Engine range test on the networks' bands alone (the rule before production's OUT_BANDS)
    leaves the bright-blue pixels valid in the graph while the local engine flags them."""
    original = gee_outputs.invalid_flag

    def network_bands_only(ee, mosaic, sensor, partition):
        return original(ee, mosaic, dataclasses.replace(sensor, range_bands=sensor.spectral_inputs), partition)

    monkeypatch.setattr(gee_outputs, "invalid_flag", network_bands_only)
    graph, local = graph_and_local("S2", 2020)
    block = synthetic.BRIGHT_BLUE
    assert np.all(graph["QC"][block] == SENSORS["S2"].qc_code << 3)  # valid: the flag is lost
    assert np.all(local["QC"][block] & 4)


def test_removing_saturated_scenes_again_leaves_the_saturated_block_without_observation(monkeypatch):
    """Mutation: SCL 1 removed before compositing (the rule before this change) — the block saturated in every scene
    gets no estimate in the graph, while the local engine (and production) keep it."""
    sensor = SENSORS["S2"]
    rule = sensor.qa_rule
    scl = next(t for t in rule.removed if t.bands == ("SCL",))
    removed = tuple(dataclasses.replace(t, values=(*t.values, 1)) if t is scl else t for t in rule.removed)
    monkeypatch.setitem(compare.SENSORS, "S2", dataclasses.replace(sensor, qa_rule=dataclasses.replace(
        rule, removed=removed)))
    graph, local = graph_and_local("S2", 2020)
    block = synthetic.SATURATED
    assert np.all(graph["LAI"][block] == 255) and np.all(local["LAI"][block] != 255)
