"""The shared core definitions: QC byte, LEAF encoding, periods, file names, sensors and products."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest

from leaf_qgis.core import qc
from leaf_qgis.core.encoding import LEAF_MAX_DN, LEAF_NODATA, decode_leaf, encode_leaf, leaf_scale_metadata
from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.naming import default_folder, output_name, parse
from leaf_qgis.core.network_catalog import NETWORK_SETS
from leaf_qgis.core.periods import FIRST_YEAR, LAST_YEAR, Period, date_from_days, days_since_epoch
from leaf_qgis.core.products import PRODUCTS, product
from leaf_qgis.core.sensors import SENSOR_NAME_BY_QC_CODE, SENSORS, sensor

SENSOR_BYTES = {"L5": 40, "L7": 56, "L8": 64, "L9": 72, "S2": 168, "S2_10M": 168, "HLS_L30": 240, "HLS_S30": 248,
                "LANDSAT_OLI": 64, "LANDSAT_TM_ETM": 40}


@pytest.mark.parametrize("key", SENSORS)
def test_qc_round_trip_for_every_flag_combination_and_sensor(key):
    code = SENSORS[key].qc_code
    assert qc.encode(code) == SENSOR_BYTES[key]
    for domain, out_range, invalid in itertools.product((False, True), repeat=3):
        value = qc.encode(code, domain, out_range, invalid)
        assert value == SENSOR_BYTES[key] + domain * 1 + out_range * 2 + invalid * 4
        flags = qc.decode(value)
        assert (flags.input_out_of_domain, flags.output_out_of_range, flags.invalid) == (domain, out_range, invalid)
        assert flags.sensor_code == code
        assert flags.valid == (not (domain or out_range or invalid))


def test_qc_arrays_encode_and_decode_per_pixel():
    domain = np.array([0, 1, 0, 1], dtype=bool)
    out_range = np.array([0, 0, 1, 1], dtype=bool)
    invalid = np.array([1, 0, 0, 1], dtype=bool)
    codes = np.array([21, 8, 9, 5], dtype=np.uint8)
    value = qc.encode(codes, domain, out_range, invalid)
    assert value.dtype == np.uint8
    assert value.tolist() == [172, 65, 74, 47]
    assert qc.input_out_of_domain(value).tolist() == [0, 1, 0, 1]
    assert qc.output_out_of_range(value).tolist() == [0, 0, 1, 1]
    assert qc.invalid(value).tolist() == [1, 0, 0, 1]
    assert qc.sensor_code(value).tolist() == [21, 8, 9, 5]


def test_qc_nodata_is_never_a_real_pixel_and_sensor_codes_fit():
    assert qc.QC_NODATA == 0
    assert all(qc.encode(s.qc_code) != qc.QC_NODATA for s in SENSORS.values())
    with pytest.raises(ValueError):
        qc.encode(32)
    assert SENSOR_NAME_BY_QC_CODE[21] == "Sentinel-2"
    # HLS codes 30 and 31 name HLS; the merged sensors' codes stay their members' (a pixel shows its own satellite).
    assert (SENSOR_NAME_BY_QC_CODE[30], SENSOR_NAME_BY_QC_CODE[31]) == ("HLS Landsat (L30)", "HLS Sentinel-2 (S30)")
    assert (SENSOR_NAME_BY_QC_CODE[8], SENSOR_NAME_BY_QC_CODE[5]) == ("Landsat 8", "Landsat 5")


@pytest.mark.parametrize("key", PRODUCTS)
def test_leaf_encoding_round_trip_within_half_a_dn(key):
    p = PRODUCTS[key]
    top = LEAF_MAX_DN / p.leaf_scale
    values = np.linspace(0, top, 10_001, dtype=np.float32)
    dn, clamped = encode_leaf(values, p)
    assert dn.dtype == np.uint8 and not clamped.any()
    assert np.abs(decode_leaf(dn, p) - values).max() <= 0.5 / p.leaf_scale + 1e-6
    assert leaf_scale_metadata(p) == (1.0 / p.leaf_scale, 0.0)


def test_leaf_encoding_rounds_half_up_clamps_with_a_flag_and_keeps_nodata_apart():
    lai = PRODUCTS["LAI"]
    dn, clamped = encode_leaf(np.array([0.0, 0.024, 0.025, 12.7, 12.725, 15.0, -0.1, np.nan], np.float32), lai)
    assert dn.tolist() == [0, 0, 1, 254, 254, 254, 0, LEAF_NODATA]
    assert clamped.tolist() == [False, False, False, False, True, True, True, False]
    assert np.isnan(decode_leaf(np.array([LEAF_NODATA], np.uint8), lai)[0])
    assert decode_leaf(np.array([0], np.uint8), lai)[0] == 0.0


def test_year_limits_start_with_the_oldest_archive():
    """YEAR parameters accept 1984 (Landsat 5's first year, the oldest sensor) and refuse earlier years."""
    assert FIRST_YEAR == min(s.first_year for s in SENSORS.values()) == 1984
    assert LAST_YEAR == 2100


def test_periods_are_whole_months_and_an_inclusive_peak_season():
    feb = Period.month(2024, 2)
    assert (feb.first, feb.last, feb.end_exclusive, feb.days) == (date(2024, 2, 1), date(2024, 2, 29),
                                                                  date(2024, 3, 1), 29)
    dec = Period.month(2023, 12)
    assert dec.last == date(2023, 12, 31) and dec.end_exclusive == date(2024, 1, 1)
    peak = Period.peak_season(2022)
    assert (peak.first, peak.last, peak.days) == (date(2022, 6, 15), date(2022, 9, 15), 93)
    with pytest.raises(LeafError, match="13"):
        Period.month(2024, 13)
    with pytest.raises(LeafError, match="before"):
        Period.date_range(date(2024, 7, 2), date(2024, 7, 1))


def test_date_map_values_are_days_since_1970():
    assert days_since_epoch(date(1970, 1, 1)) == 0
    assert days_since_epoch(date(2024, 7, 15)) == 19919
    assert date_from_days(19919) == date(2024, 7, 15)
    assert days_since_epoch(date(2149, 6, 6)) == 65535


@pytest.mark.parametrize(("period", "token", "error", "expected"), [
    (Period.month(2024, 7), "LAI", False, "tile55_2024_Jul_LAI_20m"),
    (Period.month(2024, 7), "fCOVER", True, "tile55_2024_Jul_fCOVER_Error_20m"),
    (Period.peak_season(2024), "QC", False, "tile55_2024_QC_20m"),
    (Period.date_range(date(2020, 6, 1), date(2020, 7, 15)), "Date", False, "tile55_20200601-20200715_Date_20m"),
    (Period.month(2024, 7), "Partition", False, "tile55_2024_Partition_20m"),
    (Period.month(2024, 7), "CCC", False, "tile55_2024_Jul_CCC_20m"),
    (Period.peak_season(2024), "CWC", True, "tile55_2024_CWC_Error_20m"),
])
def test_file_names_round_trip(period, token, error, expected):
    name = output_name("tile55", token, 20, period, error=error)
    assert name.stem == expected
    parsed = parse(f"/data/{expected}.tif")
    assert parsed is not None and parsed.stem == expected
    assert parsed.error == error
    if token != "Partition":
        assert parsed.period == period


def test_parse_refuses_other_names_and_reads_shards():
    assert parse("tile55_2024_Jul_NDVI_20m.tif") is None
    assert parse("random.tif") is None
    shard = parse("tile55_2024_Jul_LAI_20m-0000000000-0000023296.tif")
    assert shard is not None and shard.shard == "0000000000-0000023296" and shard.key == "LAI"
    assert parse("tile55_411_2024_Aug_Albedo_30m.tif").region == "tile55_411"
    assert default_folder("tile55", 2024) == "tile55_2024"


def test_sensor_stacks_come_from_the_network_catalog_and_lookups_explain_themselves():
    for s in SENSORS.values():
        for m in s.member_sensors:  # a merged sensor's stack is each member's
            assert s.spectral_inputs == NETWORK_SETS[(m.key, "SL2P")].bands == NETWORK_SETS[(m.key, "SL2P-CCRS")].bands
        assert len(s.spectral_roles) == len(s.spectral_inputs)
        assert len(s.score_bands) == 6 and set(s.snow_bands) <= set(s.score_bands)
    assert SENSORS["L8"].spectral_inputs == tuple(f"SR_B{i}" for i in range(3, 8))
    assert SENSORS["HLS_S30"].spectral_inputs == ("B3", "B4", "B8A", "B11", "B12")
    assert SENSORS["HLS_S30"].snow_bands == ("B3", "B11") and SENSORS["L5"].snow_bands == ("SR_B2", "SR_B5")
    assert NETWORK_SETS[("HLS_L30", "SL2P-CCRS")].files() == NETWORK_SETS[("L8", "SL2P-CCRS")].files()
    assert SENSORS["LANDSAT_OLI"].members == ("L8", "L9") and SENSORS["LANDSAT_OLI"].first_year == 2013
    assert (SENSORS["LANDSAT_TM_ETM"].first_year, SENSORS["LANDSAT_TM_ETM"].last_year) == (1984, 2024)
    assert sensor("s2").key == "S2"
    with pytest.raises(LeafError, match="S2, S2_10M, L5, L7, L8, L9, HLS_L30, HLS_S30, LANDSAT_OLI, LANDSAT_TM_ETM"):
        sensor("S3")
    with pytest.raises(LeafError, match="LAI, FCOVER, FAPAR, ALBEDO"):
        product("NDVI")
    assert [PRODUCTS[k].variable_id for k in ("LAI", "FCOVER", "FAPAR", "ALBEDO")] == [1, 3, 2, 6]


def test_the_map_table_derives_tokens_types_nodata_and_defaults():
    """One row per map: naming, both engines' types and nodata, the default product list come from it."""
    from leaf_qgis.core import products as table

    assert table.DEFAULT_PRODUCTS == ("LAI", "FCOVER", "FAPAR", "ALBEDO")
    assert list(table.MAPS) == ["LAI", "FCOVER", "FAPAR", "ALBEDO", "CCC", "CWC", "QC", "DATE", "PARTITION"]
    assert {k: (table.data_type_for(k), table.nodata_for(k)) for k in ("CCC", "CWC_ERROR", "QC", "DATE",
                                                                       "PARTITION")} == {
        "CCC": ("uint8", 255), "CWC_ERROR": ("uint8", 255), "QC": ("uint8", 0), "DATE": ("uint16", 0),
        "PARTITION": ("uint8", 0)}
    assert [parse(f"t_2024_Jul_{m.file_token}_20m.tif").key for m in table.MAPS.values()] == list(table.MAPS)
    ccc, cwc = PRODUCTS["CCC"], PRODUCTS["CWC"]
    assert (ccc.variable_id, ccc.leaf_scale, ccc.valid_range, ccc.unit) == (4, 0.4, (0.0, 600.0), "µg/cm²")
    assert (cwc.variable_id, cwc.leaf_scale, cwc.valid_range, cwc.unit) == (5, 400, (0.0, 0.55), "g/cm²")
    # The whole valid range fits the uint8 encoding: only values outside it are clamped.
    for p in (ccc, cwc):
        dn, clamped = encode_leaf(np.array([*p.valid_range, np.nan], np.float32), p)
        assert dn.tolist() == [0, round(p.valid_range[1] * p.leaf_scale), LEAF_NODATA] and not clamped.any()
        assert leaf_scale_metadata(p)[0] == {"CCC": 2.5, "CWC": 0.0025}[p.key]
    assert table.layer_rank("CWC") < table.layer_rank("QC") < table.layer_rank("nothing")


def test_ccc_encoding_rounds_half_up_in_steps_of_2_5():
    ccc = PRODUCTS["CCC"]
    dn, clamped = encode_leaf(np.array([0.0, 1.2, 1.3, 600.0, 635.0, 636.3, -2.0], np.float32), ccc)
    assert dn.tolist() == [0, 0, 1, 240, 254, 254, 0]
    assert clamped.tolist() == [False, False, False, False, False, True, True]
    assert decode_leaf(np.array([240], np.uint8), ccc)[0] == pytest.approx(600.0)


def test_make_demo_outputs_come_from_the_table():
    """``make demo`` passes these to produce_local (it used to restate the tokens): the default products only."""
    from leaf_qgis.core.products import demo_output_arguments

    arguments = demo_output_arguments("/d", "sample_2024_Jul", 20)
    assert arguments[:2] == ["OUTPUT_LAI=/d/sample_2024_Jul_LAI_20m.tif",
                             "OUTPUT_LAI_ERROR=/d/sample_2024_Jul_LAI_Error_20m.tif"]
    assert len(arguments) == 8 and "OUTPUT_ALBEDO=/d/sample_2024_Jul_Albedo_20m.tif" in arguments
    assert not any("CCC" in a or "CWC" in a for a in arguments)
    assert all(parse(a.split("=", 1)[1]) is not None for a in arguments)
