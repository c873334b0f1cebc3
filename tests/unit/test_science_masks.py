"""Saturation flagged, not removed, and the reflectance range test on production's ``OUT_BANDS``: the rule tables and
the local engine, with real values.

CCRS production keeps vendor-saturated pixels for compositing and flags them (``Img_ValidMask`` = clear mask OR
saturation OR value mask), and its value mask tests every ``OUT_BANDS`` band (reference ``leaf-production-tool.md``
§4.4–4.5; evidence in ``leaf_qgis/core/masks.py`` and ``leaf_qgis/core/sensors.py``).
"""

from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal

from leaf_qgis.core.encoding import encode_leaf
from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.masks import SCL_FLAGGED_CLASSES, SCL_REMOVED_CLASSES
from leaf_qgis.core.networks import load_network_set
from leaf_qgis.core.products import PRODUCTS
from leaf_qgis.core.sensors import SENSORS
from leaf_qgis.core.sl2p import Sl2pEvaluator
from leaf_qgis.engines.gee.collections import reflectance_bands
from leaf_qgis.engines.local import sentinel2_safe as safe
from leaf_qgis.engines.local.angles import ConstantAngles
from leaf_qgis.engines.local.produce import ProduceConfig, default_output_paths, produce
from tests import local_factory as factory

S2_CODE = SENSORS["S2"].qc_code << 3  # 168: a valid Sentinel-2 pixel
ANGLES = ConstantAngles(35.0, 5.0, 120.0)
#: A green canopy in the network order of S2 (B3 B4 B5 B6 B7 B8A B11 B12), then B2 and B8.
CANOPY = (0.05, 0.03, 0.09, 0.28, 0.35, 0.38, 0.18, 0.08)
CANOPY_B2, CANOPY_B8 = 0.03, 0.37
SHAPE = (4, 6)


# ------------------------------------------------------------------------------------------------- the rule tables
def test_scl_1_is_flagged_not_removed_and_every_class_has_one_rule():
    assert 1 in SCL_FLAGGED_CLASSES and 1 not in SCL_REMOVED_CLASSES
    assert SCL_REMOVED_CLASSES == (0, 3, 8, 9, 10) and SCL_FLAGGED_CLASSES == (1, 6, 11)
    assert not set(SCL_REMOVED_CLASSES) & set(SCL_FLAGGED_CLASSES)
    rule = SENSORS["S2"].qa_rule
    scl_removed = [t for t in rule.removed if t.bands == ("SCL",)]
    assert [t.values for t in scl_removed] == [SCL_REMOVED_CLASSES]
    assert [t.values for t in rule.flagged] == [SCL_FLAGGED_CLASSES]


def test_qa_radsat_is_flagged_for_every_landsat_and_hls_has_no_saturation_rule():
    for key in ("L5", "L7", "L8", "L9"):
        rule = SENSORS[key].qa_rule
        assert all("QA_RADSAT" not in t.bands for t in rule.removed), key
        assert [(t.kind, t.bands) for t in rule.flagged if "QA_RADSAT" in t.bands] == [("nonzero", ("QA_RADSAT",))]
    for key in ("HLS_L30", "HLS_S30"):  # Fmask: bits 0–7, none of them saturation
        rule = SENSORS[key].qa_rule
        assert rule.bands == ("Fmask",) and [t.values for t in rule.flagged] == [(4, 5)]


def test_range_bands_are_production_out_bands_per_sensor():
    s2 = ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12")
    oli = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7")
    tm = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7")
    expected = {"S2": s2, "S2_10M": s2, "L5": tm, "L7": tm, "L8": oli, "L9": oli, "HLS_L30": ("B1", "B2", "B3", "B4",
                "B5", "B6", "B7"), "HLS_S30": s2, "LANDSAT_OLI": oli, "LANDSAT_TM_ETM": tm}
    assert {k: s.range_bands for k, s in SENSORS.items()} == expected
    assert SENSORS["S2"].range_only_bands == ("B2", "B8")
    assert SENSORS["S2_10M"].range_only_bands == ("B5", "B6", "B7", "B8A", "B11", "B12")
    assert SENSORS["L8"].range_only_bands == ("SR_B1", "SR_B2") and SENSORS["L7"].range_only_bands == ("SR_B1",)
    for sensor in SENSORS.values():  # the networks' bands are always tested, and every range band is composited
        assert set(sensor.spectral_inputs) <= set(sensor.range_bands), sensor.key
        assert set(sensor.range_bands) <= set(reflectance_bands(sensor)), sensor.key
    assert reflectance_bands(SENSORS["S2"])[-1] == "B8"  # the one S2 band neither the networks nor the score read


# ------------------------------------------------------------------------------------------------- the local engine
def _stack(tmp_path, b2: np.ndarray | None = None, b8: np.ndarray | None = None) -> tuple[str, np.ndarray]:
    """An S2 stack: the 8 network bands, then B2 and B8 (uint16 DN = reflectance × 10000); returns (path, ρ)."""
    rho = np.empty((10, *SHAPE), dtype=np.float32)
    for i, value in enumerate((*CANOPY, CANOPY_B2, CANOPY_B8)):
        rho[i] = value
    if b2 is not None:
        rho[8] = b2
    if b8 is not None:
        rho[9] = b8
    dn = np.round(rho * 10000).astype(np.uint16)
    return factory.write_raster(tmp_path / "stack.tif", dn), dn.astype(np.float32) * np.float32(0.0001)


def _canopy_lai() -> int:
    """The LEAF DN of the canopy's LAI, from the core evaluator (what a clean pixel must hold)."""
    rho = (np.round(np.array(CANOPY) * 10000) * 0.0001).astype(np.float32)[:, None]
    result = Sl2pEvaluator(load_network_set("S2"), ("LAI",), False).evaluate(rho, ANGLES.cosines())
    return int(encode_leaf(result.estimates["LAI"], PRODUCTS["LAI"])[0][0])


def _run(tmp_path, name: str, **kwargs) -> tuple[dict[str, np.ndarray], list[str]]:
    info: list[str] = []

    class Log:
        def setProgress(self, percent: float) -> None:
            pass

        def isCanceled(self) -> bool:
            return False

        def pushInfo(self, text: str) -> None:
            info.append(text)

    outputs = default_output_paths(str(tmp_path / name), "s", ["LAI"], False)
    produce(ProduceConfig(angles=ANGLES, sensor_key="S2", outputs=outputs, products=("LAI",), algorithm="SL2P",
                          **kwargs), Log())
    return {key: gdal.Open(path).ReadAsArray() for key, path in outputs.items()}, info


def test_a_saturated_scl_pixel_keeps_its_estimate_with_qc_bit_2(tmp_path):
    stack, _ = _stack(tmp_path)
    scl = np.full(SHAPE, 4, dtype=np.uint8)
    scl[1, 2] = 1  # saturated or defective
    scl[2, 3] = 9  # cloud, high probability: still removed
    scl_path = factory.write_raster(tmp_path / "scl.tif", scl)
    common = dict(input_path=stack, bands=tuple(range(1, 9)), scl_path=scl_path)
    maps, _ = _run(tmp_path, "kept", **common)
    lai = _canopy_lai()
    assert maps["LAI"][1, 2] == lai != 255 and maps["QC"][1, 2] == S2_CODE | 4 == 172
    assert maps["LAI"][2, 3] == 255 and maps["QC"][2, 3] == 172  # cloud: no estimate
    assert maps["LAI"][0, 0] == lai and maps["QC"][0, 0] == S2_CODE
    blanked, _ = _run(tmp_path, "blanked", mask_flagged=True, **common)
    assert blanked["LAI"][1, 2] == 255 and blanked["QC"][1, 2] == 172
    assert blanked["LAI"][0, 0] == lai


def test_a_b2_or_b8_alone_above_1_05_sets_qc_bit_2_only_when_the_input_provides_the_band(tmp_path):
    b2 = np.full(SHAPE, CANOPY_B2, dtype=np.float32)
    b8 = np.full(SHAPE, CANOPY_B8, dtype=np.float32)
    b2[0, 1] = 1.2
    b8[3, 4] = 1.2
    b2[2, 2] = -0.01  # below −0.005
    stack, rho = _stack(tmp_path, b2, b8)
    assert rho[8, 0, 1] == pytest.approx(1.2) and rho[:8, 0, 1].max() < 1.05  # B2 alone out of range
    lai = _canopy_lai()
    bright = [(0, 1), (3, 4), (2, 2)]
    maps, info = _run(tmp_path, "tested", input_path=stack, bands=tuple(range(1, 9)), range_bands={"B2": 9, "B8": 10})
    for pixel in bright:
        assert maps["QC"][pixel] == 172 and maps["LAI"][pixel] == lai, pixel  # flagged, estimate kept
    assert maps["QC"][1, 1] == S2_CODE and maps["LAI"][1, 1] == lai
    assert not [line for line in info if "not provide" in line]
    blanked, _ = _run(tmp_path, "blanked", input_path=stack, bands=tuple(range(1, 9)),
                      range_bands={"B2": 9, "B8": 10}, mask_flagged=True)
    assert all(blanked["LAI"][p] == 255 and blanked["QC"][p] == 172 for p in bright)
    # The same raster without B8 named: B8 untested (not refused), and the log says so.
    partial, info = _run(tmp_path, "partial", input_path=stack, bands=tuple(range(1, 9)), range_bands={"B2": 9})
    assert partial["QC"][0, 1] == 172 and partial["QC"][3, 4] == S2_CODE
    assert any("does not provide B8," in line for line in info), info
    # Network bands only (the rule before production's OUT_BANDS): neither is flagged.
    network_only, info = _run(tmp_path, "network", input_path=stack, bands=tuple(range(1, 9)))
    assert all(network_only["QC"][p] == S2_CODE for p in bright)
    assert any("does not provide B2, B8," in line for line in info), info


def test_no_data_in_a_range_only_band_leaves_the_pixel_estimated_and_that_band_untested(tmp_path):
    """The nodata DN (65535 here: 6.55 as reflectance, far outside the range) removes a pixel only in a network band;
    in B2 or B8 (range test only) it leaves that band untested: estimate kept, QC clean, as Earth Engine masks just
    that band. A real out-of-range B2 next to it is still flagged."""
    stack, _ = _stack(tmp_path)
    dn = gdal.Open(stack).ReadAsArray()
    dn[8, 0, 1] = 65535  # B2 no data
    dn[9, 3, 4] = 65535  # B8 no data
    dn[8, 2, 2] = 12000  # B2 = 1.2: out of range, flagged
    dn[1, 1, 3] = 65535  # B4 (a network band) no data: no estimate
    stack = factory.write_raster(tmp_path / "nodata_stack.tif", dn)
    maps, _ = _run(tmp_path, "nodata", input_path=stack, bands=tuple(range(1, 9)), range_bands={"B2": 9, "B8": 10},
                   nodata=65535)
    lai = _canopy_lai()
    for pixel in ((0, 1), (3, 4), (0, 0)):
        assert maps["QC"][pixel] == S2_CODE and maps["LAI"][pixel] == lai, pixel
    assert maps["QC"][2, 2] == S2_CODE | 4 and maps["LAI"][2, 2] == lai
    assert maps["QC"][1, 3] == S2_CODE | 4 and maps["LAI"][1, 3] == 255


@pytest.mark.parametrize(("range_bands", "message"), [
    ({"B3": 9}, r"RANGE_BANDS names B3, but the other bands S2 tests against the reflectance range are B2, B8"),
    ({"B2": 11}, r"RANGE_BANDS 11 do not exist: the input has bands 1–10"),
    ({"B2": 3}, r"RANGE_BANDS uses band 3 again"),
    ({"B2": 9, "B8": 9}, r"RANGE_BANDS uses band 9 again"),
])
def test_wrong_range_bands_are_refused_before_anything_is_written(tmp_path, range_bands, message):
    stack, _ = _stack(tmp_path)
    with pytest.raises(LeafError, match=message):
        _run(tmp_path, "out", input_path=stack, bands=tuple(range(1, 9)), range_bands=range_bands)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_sentinel2_product_adds_the_range_bands_it_has_at_the_runs_resolution(tmp_path):
    truth = factory.make_safe(tmp_path / "safe", b02_20m=True)
    product = safe.open_product(truth["path"])
    inputs = safe.prepare_inputs(product, SENSORS["S2"])
    try:
        assert inputs.range_bands == {"B2": 9}  # B8 has no 20 m file
        assert gdal.Open(inputs.stack).RasterCount == 9 and len(inputs.scale) == len(inputs.offset) == 9
        maps, info = _run(tmp_path, "s2", input_path=inputs.stack, range_bands=inputs.range_bands,
                          scale=inputs.scale, offset=inputs.offset, scl_path=inputs.scl, nodata=inputs.nodata)
    finally:
        inputs.close()
    assert maps["QC"][0, 5] == 172 and maps["LAI"][0, 5] != 255  # B2 = 1.2: flagged, estimate kept
    assert maps["QC"][0, 4] == S2_CODE and maps["LAI"][0, 4] == maps["LAI"][0, 5]
    assert any("does not provide B8," in line for line in info), info
    ten = safe.prepare_inputs(product, SENSORS["S2_10M"])
    try:
        assert ten.range_bands == {} and gdal.Open(ten.stack).RasterCount == 4  # B5…B12: no 10 m file
    finally:
        ten.close()
    plain = safe.prepare_inputs(safe.open_product(factory.make_safe(tmp_path / "plain")["path"]), SENSORS["S2"])
    plain.close()
    assert plain.range_bands == {}  # no B02_20m: not tested, not refused
