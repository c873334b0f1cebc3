"""Parsing of the CCRS SL2P network files (core, no QGIS): every catalogued file, the domain lists, the legend.

The coefficients are never written here: they are read at run time from the folder in ``LEAF_QGIS_NETWORKS``
(``tests/conftest.py`` points it at ``../shared/sl2p-networks``).
"""

from __future__ import annotations

import collections
import csv
import io
import os
import pickle
from pathlib import Path

import pytest

from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.network_catalog import INVALID_CLASS_NETWORK, NETWORK_SETS, all_files
from leaf_qgis.core.network_format import (
    N_HIDDEN,
    load_plain_pickle,
    parse_domain_csv,
    parse_domain_pickle,
    parse_network_csv,
    parse_network_pickle,
    parse_row,
)
from leaf_qgis.core.network_store import read_manifest
from leaf_qgis.core.networks import parse_legend, parse_parameter_file

NETWORKS = Path(os.environ["LEAF_QGIS_NETWORKS"])
VARIABLE_IDS = [1, 2, 3, 4, 5, 6, 7]  # LAI, fAPAR, fCOVER, CCC, CWC, albedo, DASF
S2_20M_DOMAIN_PKL = "SL2P-PYTHON/S2_SL2P_WEISS_ORIGINAL_DOMAIN.pkl"
S2_20M_DOMAIN_CSV_CORRUPT = "Sentinel2/Sentinel_csv/weiss_or_prosail3_NNT3_Single_0_1_DOMAIN.csv"
S2_10M_DOMAIN_CSV = "Sentinel2/Sentinel2_10/s2_sl2p_weiss_or_prosail_10m_domain.csv"
LEGEND_FILE = "Sentinel2/Legend_csv.csv"
NETWORK_INDEX_FILE = "Sentinel2/Parameter_file.csv"
PACKAGE_LEGEND = "SL2P-SL2PCCRS_PYTHON/nets/s2_20m_sl2pccrs_legend.pkl"
PACKAGE_PARAMETER_FILE = "SL2P-SL2PCCRS_PYTHON/nets/s2_20m_sl2pccrs_parameter_file.pkl"
LANDCOVER_NETWORKS = {
    "evergreen_needleaf_forest", "deciduous_broadleaf_forest", "mixed_forest", "shrublands", "polar_shrubland",
    "grassland_pasture", "polar_grassland", "sphagnum_feathermoss", "lichen_feathermoss", "close_cropland",
    "sparse_cropland",
}


def _bands_by_file() -> dict[str, tuple[str, ...]]:
    """Every network file of the catalog (estimate and error) → the bands it takes after the three cosines (a file
    shared by sensors, the Landsat 8 networks for HLS, takes the same number of bands in the same roles under other
    names)."""
    out: dict[str, tuple[str, ...]] = {}
    for spec in NETWORK_SETS.values():
        for rel in (*spec.estimate, *spec.error):
            assert len(out.setdefault(rel, spec.bands)) == len(spec.bands), f"{rel}: two band counts in the catalog"
    return out


BANDS_BY_FILE = _bands_by_file()
NETWORK_FILES = sorted(rel for rel in BANDS_BY_FILE if rel.endswith(".csv"))
PICKLE_FILES = sorted(rel for rel in BANDS_BY_FILE if rel.endswith(".pkl"))
DOMAIN_FILES = sorted({rel for spec in NETWORK_SETS.values() for rel in spec.domain})


def _read(rel: str) -> bytes:
    path = NETWORKS / rel
    assert path.is_file(), f"{path} missing: is LEAF_QGIS_NETWORKS ({NETWORKS}) the CCRS networks folder?"
    return path.read_bytes()


def _raw_rows(rel: str) -> list[list[float]]:
    """The data rows of a CSV as numbers (empty cells dropped): an independent reading for the cross-check."""
    rows = list(csv.reader(io.StringIO(_read(rel).decode("utf-8-sig"))))[1:]
    return [[float(c) for c in row if c.strip()] for row in rows if any(c.strip() for c in row)]


# --- the catalog covers what the folder and the manifest hold ------------------------------------------------------


def test_catalog_lists_52_files_all_in_the_manifest_and_the_shared_folder():
    files = all_files()
    assert len(files) == 52
    assert len(PICKLE_FILES) == 16  # 4 package collections × 2 algorithms × (estimate, error)
    assert len(NETWORK_FILES) == 8  # Landsat 7: generic, enf, dbf, mix × (estimate, error)
    assert len(DOMAIN_FILES) == 12  # 8 package lists, 4 Landsat 7 lists
    assert set(files) <= set(read_manifest())
    for rel in files:
        assert (NETWORKS / rel).is_file(), rel


def test_catalog_never_uses_the_corrupt_or_retired_files():
    files = all_files()
    assert S2_20M_DOMAIN_CSV_CORRUPT not in files
    assert not [rel for rel in files if "single_or_prosail" in rel or rel.startswith(("Landsat", "Sentinel2/"))]
    assert NETWORK_SETS[("S2", "SL2P")].domain == ("SL2P-SL2PCCRS_PYTHON/nets/s2_20m_sl2p_domain.pkl",)


@pytest.mark.parametrize("rel", PICKLE_FILES)
def test_every_catalogued_package_ensemble_parses(rel):
    networks = parse_network_pickle(_read(rel), rel)
    n = 3 + len(BANDS_BY_FILE[rel])
    assert {net.n_inputs for net in networks} == {n}
    by_variable = collections.Counter(net.variable_id for net in networks)
    slots = 12 if "sl2pccrs" in rel else 1
    assert all(by_variable[v] >= slots for v in range(1, 7)), by_variable


# --- every network file --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", NETWORK_FILES)
def test_every_catalogued_network_file_parses(rel):
    networks = parse_network_csv(_read(rel), rel)
    n = 3 + len(BANDS_BY_FILE[rel])
    assert sorted(networks) == VARIABLE_IDS
    for vid, net in networks.items():
        assert net.variable_id == vid
        assert net.n_inputs == n
        assert len(net.input_slope) == len(net.input_offset) == n
        assert len(net.hidden_weights) == N_HIDDEN == 5
        assert all(len(row) == n for row in net.hidden_weights)
        assert len(net.hidden_bias) == len(net.output_weights) == N_HIDDEN
        assert net.output_slope != 0
        assert all(s != 0 for s in net.input_slope)


@pytest.mark.parametrize("rel", NETWORK_FILES)
def test_parsed_coefficients_match_an_independent_walk_of_the_row(rel):
    """Blocks in order, each preceded by its count; hidden weights read row-major as [neuron][input]."""
    networks = parse_network_csv(_read(rel), rel)
    for row in _raw_rows(rel):
        net = networks[int(row[2])]
        n = int(row[5])
        pos = 6
        assert tuple(row[pos:pos + n]) == net.input_slope
        pos += n
        for count, field in ((n, "input_offset"), (5 * n, "hidden_weights"), (5, "hidden_bias"),
                             (5, "output_weights"), (1, "output_bias"), (1, "output_slope"), (1, "output_offset")):
            assert int(row[pos]) == count, (rel, field)
            block = row[pos + 1:pos + 1 + count]
            pos += 1 + count
            if field == "hidden_weights":
                for neuron in range(5):
                    for i in range(n):
                        assert net.hidden_weights[neuron][i] == block[neuron * n + i]
            elif count == 1:
                assert getattr(net, field) == block[0], (rel, field)
            else:
                assert getattr(net, field) == tuple(block), (rel, field)
        assert pos == len(row), f"{rel}: trailing values after the output offset"


def test_every_csv_in_the_shared_folder_parses():
    """Also the files the catalog does not use (wetland networks, Landsat 9, older duplicates, domain lists)."""
    seen = 0
    for path in sorted(NETWORKS.rglob("*.csv")):
        rel = path.relative_to(NETWORKS).as_posix()
        seen += 1
        if rel in (LEGEND_FILE, NETWORK_INDEX_FILE) or "ParameterFiles" in rel:
            continue
        if "domain" in path.name.lower():
            assert parse_domain_csv(path.read_bytes(), rel)
            continue
        networks = parse_network_csv(path.read_bytes(), rel)
        assert sorted(networks)[:6] == VARIABLE_IDS[:6], rel
        assert len({net.n_inputs for net in networks.values()}) == 1, rel
    assert seen > len(NETWORK_FILES)


@pytest.mark.parametrize(
    ("pkl", "rel"),
    [
        ("s2_sl2p_weiss_or_prosail_NNT3_Single_0_1.pkl",
         "Sentinel2/Sentinel_csv/s2_sl2p_weiss_or_prosail_NNT3_Single_0_1.csv"),
        ("s2_sl2p_weiss_or_prosail_NNT3_Single_0_1_error.pkl",
         "Sentinel2/Sentinel_csv/s2_sl2p_weiss_or_prosail_NNT3_Single_0_1_Error.csv"),
        ("s2_sl2p_weiss_or_prosail_10m_NNT1_Single_0_1.pkl",
         "Sentinel2/Sentinel2_10/s2_sl2p_weiss_or_prosail_10m_NNT1_Single_0_1.csv"),
        ("s2_sl2p_weiss_or_prosail_10m_NNT1_Single_0_1_errors.pkl",
         "Sentinel2/Sentinel2_10/s2_sl2p_weiss_or_prosail_10m_NNT1_Single_0_1_errors.csv"),
    ],
)
def test_sl2p_python_pickles_hold_the_same_networks_as_the_csvs(pkl, rel):
    """A second, independent publication of the same coefficients parses to the same networks."""
    collection = load_plain_pickle(_read("SL2P-PYTHON/" + pkl), pkl)
    from_csv = parse_network_csv(_read(rel), rel)
    from_pickle = {}
    for feature in collection["features"]:
        props = feature["properties"]
        values = [float(props[f"tabledata{i}"]) for i in range(1, len(props) + 1) if f"tabledata{i}" in props]
        net = parse_row(values, pkl)
        from_pickle[net.variable_id] = net
    assert sorted(from_pickle) == VARIABLE_IDS
    for vid in VARIABLE_IDS:
        a, b = from_csv[vid], from_pickle[vid]
        assert a.n_inputs == b.n_inputs
        for field in ("input_slope", "input_offset", "hidden_bias", "output_weights"):
            assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-9, abs=1e-12), (vid, field)
        for row_a, row_b in zip(a.hidden_weights, b.hidden_weights):
            assert row_a == pytest.approx(row_b, rel=1e-9, abs=1e-12)
        for field in ("output_bias", "output_slope", "output_offset"):
            assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-9, abs=1e-12), (vid, field)


# --- domain lists --------------------------------------------------------------------------------------------------


def _digits(code: int, width: int) -> list[int]:
    return [(code // 10 ** i) % 10 for i in range(width)]


def test_s2_20m_domain_pickle_holds_609_codes_equal_to_the_text_copy():
    codes = parse_domain_pickle(_read(S2_20M_DOMAIN_PKL), S2_20M_DOMAIN_PKL)
    assert len(codes) == 609
    text = _read("SL2P-PYTHON/S2_SL2P_WEISS_ORIGINAL_DOMAIN.codes.txt").decode().split()
    assert codes == frozenset(int(line) for line in text)
    # One digit per band of B3, B4, B5, B6, B7, B8A, B11, B12.
    assert len(NETWORK_SETS[("S2", "SL2P")].bands) == 8
    assert all(10 ** 7 <= c < 10 ** 8 for c in codes)


def test_the_s2_20m_domain_csv_is_the_corrupt_rounded_copy():
    """Why the catalog reads the pickle: the CSV's codes are rounded to five significant digits."""
    corrupt = parse_domain_csv(_read(S2_20M_DOMAIN_CSV_CORRUPT), S2_20M_DOMAIN_CSV_CORRUPT)
    good = parse_domain_pickle(_read(S2_20M_DOMAIN_PKL), S2_20M_DOMAIN_PKL)
    assert not corrupt & good
    assert all(c % 1000 == 0 for c in corrupt)


def test_s2_10m_domain_holds_75_four_digit_codes_and_matches_its_pickle():
    codes = parse_domain_csv(_read(S2_10M_DOMAIN_CSV), S2_10M_DOMAIN_CSV)
    assert len(codes) == 75
    assert NETWORK_SETS[("S2_10M", "SL2P")].bands == ("B2", "B3", "B4", "B8")
    assert all(1000 <= c < 10000 for c in codes)
    pkl = "SL2P-PYTHON/s2_sl2p_weiss_or_prosail_10m_domain.pkl"
    assert parse_domain_pickle(_read(pkl), pkl) == codes


def test_landsat9_domain_csv_parses():
    rel = "Landsat9/l9_sl2p_ROF_sobol_prosail_dbf_big_clumpedv3_domain.csv"
    codes = parse_domain_csv(_read(rel), rel)
    assert len(codes) > 100
    assert all(d <= 9 for c in codes for d in _digits(c, 5))


def test_domain_csv_without_codes_or_with_text_is_refused():
    with pytest.raises(LeafError, match="no codes"):
        parse_domain_csv(b"Code\n", "empty.csv")
    with pytest.raises(LeafError, match=r"bad\.csv"):
        parse_domain_csv(b"Code\n1111\nabc\n", "bad.csv")


def test_domain_pickle_with_another_structure_is_refused():
    with pytest.raises(LeafError, match="unexpected structure"):
        parse_domain_pickle(pickle.dumps({"features": [{"nope": 1}]}), "x.pkl")
    with pytest.raises(LeafError, match="no codes"):
        parse_domain_pickle(pickle.dumps({"features": []}), "x.pkl")


# --- the restricted unpickler ----------------------------------------------------------------------------------------


class _Exploit:
    """Would run a function at load time with a bare ``pickle.load``."""

    def __reduce__(self):
        return (os.getpid, ())


@pytest.mark.parametrize(
    "payload",
    [
        collections.OrderedDict(),
        {"features": [collections.Counter()]},
        LeafError,  # a class: pickled as a global reference
        _Exploit(),
        Path("/tmp"),
    ],
    ids=["OrderedDict", "nested-Counter", "class", "reduce-call", "Path"],
)
@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
def test_unpickler_refuses_every_global(payload, protocol):
    data = pickle.dumps(payload, protocol=protocol)
    with pytest.raises(LeafError) as info:
        load_plain_pickle(data, "evil.pkl")
    message = str(info.value)
    assert "evil.pkl" in message
    assert "refused global" in message


def test_unpickler_reads_plain_data():
    value = {"a": [1, 2.5, "x", None, True], "b": {"c": (1, 2)}, "d": b"bytes"}
    assert load_plain_pickle(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) == value


def test_unpickler_turns_garbage_into_a_leaf_error():
    with pytest.raises(LeafError, match=r"junk\.pkl"):
        load_plain_pickle(b"not a pickle at all", "junk.pkl")
    with pytest.raises(LeafError, match=r"junk\.pkl"):
        load_plain_pickle(pickle.dumps({"a": 1})[:-3], "junk.pkl")


# --- legend and network index ----------------------------------------------------------------------------------------


def test_package_legend_maps_the_19_nalcms_classes():
    legend = parse_legend(_read(PACKAGE_LEGEND), PACKAGE_LEGEND)
    assert sorted(legend) == list(range(1, 20))
    assert {legend[c] for c in (17, 18, 19)} == {INVALID_CLASS_NETWORK}
    assert {legend[c] for c in range(1, 17)} == LANDCOVER_NETWORKS
    assert (legend[1], legend[6], legend[15]) == ("evergreen_needleaf_forest", "mixed_forest", "close_cropland")


def test_package_parameter_file_parses():
    index = parse_parameter_file(_read(PACKAGE_PARAMETER_FILE), PACKAGE_PARAMETER_FILE)
    assert set(index) == LANDCOVER_NETWORKS | {INVALID_CLASS_NETWORK}
    assert sorted(index.values()) == list(range(12))
    assert index[INVALID_CLASS_NETWORK] == 0 and index["mixed_forest"] == 11


# --- malformed network files -----------------------------------------------------------------------------------------


def _first_row_cells(rel: str) -> tuple[str, list[str]]:
    rows = list(csv.reader(io.StringIO(_read(rel).decode("utf-8-sig"))))
    return ",".join(rows[0]), [c for c in rows[1] if c.strip()]


def _csv(header: str, *rows: list[str]) -> bytes:
    return ("\n".join([header, *(",".join(r) for r in rows)]) + "\n").encode()


REL = "Landsat5/L5_sl2p_weiss_or_prosail_NNT3_Single_0_1.csv"


def test_wrong_block_count_is_a_clear_error():
    header, cells = _first_row_cells(REL)
    n = int(float(cells[5]))
    count_at = 6 + n + 1 + n + 1 + 5 * n  # the hidden-bias block's count
    assert int(float(cells[count_at])) == 5
    cells[count_at] = "4"
    with pytest.raises(LeafError) as info:
        parse_network_csv(_csv(header, cells), "broken.csv")
    message = str(info.value)
    assert "broken.csv" in message
    assert "not in the CCRS format" in message
    assert "hidden biases" in message
    assert "expected a block of 5" in message
    assert "found count 4" in message


def test_wrong_input_offset_count_is_a_clear_error():
    header, cells = _first_row_cells(REL)
    n = int(float(cells[5]))
    cells[6 + n] = str(n + 1)
    with pytest.raises(LeafError, match=r"input offsets: expected a block of 8 values, found count 9"):
        parse_network_csv(_csv(header, cells), "broken.csv")


def test_a_missing_block_is_a_clear_error():
    header, cells = _first_row_cells(REL)
    with pytest.raises(LeafError, match=r"broken\.csv.*output offset.*end of row"):
        parse_network_csv(_csv(header, cells[:-2]), "broken.csv")


def test_a_row_ending_inside_a_block_is_a_clear_error():
    header, cells = _first_row_cells(REL)
    n = int(float(cells[5]))
    cut = 6 + n + 1 + n + 1 + 10  # inside the hidden weights
    with pytest.raises(LeafError, match="hidden weights: row ends inside the block"):
        parse_network_csv(_csv(header, cells[:cut]), "broken.csv")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "no data rows"),
        (b"column1,column2\n", "no data rows"),
        (b"tabledata1\n,,,\n", "no data rows"),
        (b"h\n0,0,1,0,1\n", "row too short"),
        (b"h\n0,0,1,0,1,0,1,2\n", "input count 0"),
        (b"h\n0,0,1,0,1,2,abc,1\n", "could not convert"),
    ],
)
def test_malformed_files_are_clear_errors(data, reason):
    with pytest.raises(LeafError, match=reason) as info:
        parse_network_csv(data, "bad.csv")
    assert "bad.csv" in str(info.value)


def test_zero_output_slope_is_refused():
    header, cells = _first_row_cells(REL)
    # The row ends with: 1, output bias, 1, output slope, 1, output offset.
    assert float(cells[-2]) == float(cells[-4]) == float(cells[-6]) == 1
    cells[-3] = "0"
    with pytest.raises(LeafError, match="output slope 0"):
        parse_network_csv(_csv(header, cells), "broken.csv")


def test_trailing_empty_cells_and_bom_are_accepted():
    header, cells = _first_row_cells(REL)
    data = b"\xef\xbb\xbf" + _csv(header, [*cells, "", "", " "])
    assert parse_network_csv(data, "ok.csv")[int(float(cells[2]))].n_inputs == 8
