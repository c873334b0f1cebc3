"""The CCRS reference rows through the whole local path: ``leaf:produce_local`` on small rasters.

Each reference CSV (``tests/unit/test_reference_vectors.py`` checks the core on them) becomes a one-row raster per
file: the bands as FLOAT32 reflectance (SCALE 1, OFFSET 0), an angle raster (degrees from the package's cosines),
and for SL2P-CCRS the partition as LANDCOVER. FLOAT32 outputs must equal the package's estimates and
uncertainties to 1e-4 (CCC, in the hundreds of µg/cm², to 1e-3: float32's rounding at that scale, see
``tests/unit/test_reference_vectors.py``) and the QC byte its input-domain flag, and its output-range bit the valid
ranges of the map table, wherever the pixel rules give an estimate; land-cover water (class 18) must have none, as CCRS
production (the package itself estimates it with the generic network). Every product is asked for, CCC and CWC too.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

from leaf_qgis.core import pixel_rules
from leaf_qgis.core.products import PRODUCTS as TABLE
from leaf_qgis.core.sensors import SENSORS
from tests.local_factory import write_raster

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT.parent / "shared" / "sl2p-reference-vectors"
COLLECTIONS = {"S2_L2A": ("S2", 8), "S2_L2A_10m": ("S2_10M", 4), "LC08_T1L2": ("L8", 5), "LC09_T1L2": ("L9", 5)}
#: Product key → the reference vectors' variable name.
PRODUCTS = {"LAI": "LAI", "FCOVER": "fCOVER", "FAPAR": "fAPAR", "ALBEDO": "Albedo", "CCC": "CCC", "CWC": "CWC"}
TOLERANCE = 1e-4
TOLERANCES = {"CCC": 1e-3}


@functools.cache
def _table(name: str) -> dict[str, np.ndarray]:
    with open(VECTORS / f"{name}.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    data = np.array(rows[1:], dtype=np.float64)
    return {column: data[:, i] for i, column in enumerate(rows[0])} | {"__header__": rows[0]}


@pytest.mark.parametrize("algorithm", ["SL2P", "SL2P-CCRS"])
@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_reference_rows_through_produce_local(run_alg, tmp_path, collection, algorithm):
    sensor, n_bands = COLLECTIONS[collection]
    table = _table(f"{collection}_{algorithm}")
    header = table["__header__"]
    first = header.index("cosVZA")
    bands = np.stack([table[name] for name in header[first + 3:first + 3 + n_bands]]).astype(np.float32)
    n = bands.shape[1]
    degrees = np.stack([np.degrees(np.arccos(table[c])) for c in ("cosSZA", "cosVZA", "cosRAA")]).astype(np.float32)
    geotransform = (1_400_000.0, 20.0, 0.0, -100_000.0, 0.0, -20.0)
    params = {
        "INPUT": write_raster(tmp_path / "rho.tif", bands.reshape(n_bands, 1, n), geotransform),
        "SENSOR": sensor, "SCALE": 1.0, "OFFSET": 0.0, "ALGORITHM": algorithm, "ENCODING": "FLOAT32",
        "UNCERTAINTY": True, "PRODUCTS": list(PRODUCTS),
        "ANGLES": write_raster(tmp_path / "angles.tif", degrees.reshape(3, 1, n), geotransform),
        "OUTPUT_QC": str(tmp_path / "qc.tif"),
    }
    for key in PRODUCTS:
        params[f"OUTPUT_{key}"] = str(tmp_path / f"{key}.tif")
        params[f"OUTPUT_{key}_ERROR"] = str(tmp_path / f"{key}_error.tif")
    landcover = table["partition"].astype(np.uint8) if algorithm == "SL2P-CCRS" else None
    if landcover is not None:
        params["LANDCOVER"] = write_raster(tmp_path / "nalcms.tif", landcover.reshape(1, 1, n), geotransform)
    result = run_alg("produce_local", params)

    estimated = np.ones(n, dtype=bool) if landcover is None else ~np.isin(landcover, pixel_rules.NO_ESTIMATE_CLASSES)
    assert estimated.sum() >= n * 0.9
    worst = 0.0
    out_of_range = np.zeros(n, dtype=bool)
    for key, name in PRODUCTS.items():
        for suffix, column in (("", "estimate"), ("_ERROR", "error")):
            values = gdal.Open(result[f"OUTPUT_{key}{suffix}"]).ReadAsArray().reshape(n)
            assert np.all(np.isnan(values[~estimated]))
            diff = np.abs(values[estimated].astype(np.float64) - table[f"{name}_{column}"][estimated])
            worst = max(worst, float(diff.max() / TOLERANCES.get(key, TOLERANCE)))
            assert diff.max() <= TOLERANCES.get(key, TOLERANCE), (key, column, float(diff.max()))
            if not suffix:
                low, high = TABLE[key].valid_range
                out_of_range |= (values < low) | (values > high)
    qc_values = gdal.Open(result["OUTPUT_QC"]).ReadAsArray().reshape(n)
    roles = SENSORS[sensor].spectral_roles
    flagged = pixel_rules.out_of_range(bands)
    if "swir1" in roles:
        flagged |= pixel_rules.snow(bands[roles.index("green")], bands[roles.index("swir1")])
    if landcover is not None:
        flagged |= np.isin(landcover, pixel_rules.FLAGGED_CLASSES)
    np.testing.assert_array_equal((qc_values & 4).astype(bool), flagged | ~estimated)
    clean = estimated & ~flagged
    np.testing.assert_array_equal((qc_values[clean] & 1).astype(bool), table["LAI_QC_input"][clean].astype(bool))
    np.testing.assert_array_equal((qc_values[clean] & 2).astype(bool), out_of_range[clean])
    assert not np.any(qc_values[~clean] & 3)  # bits 0 and 1 only where bit 2 is clear
    assert clean.sum() > n / 3
    print(collection, algorithm, f"max |Δ| / tolerance {worst:.2f}")
