"""leaf:sample_sites on local rasters: the values are produce_local's, windows select exactly their scenes, the
table opens in QGIS with decoded QC columns, the chart renders headless, bad input fails clearly."""

from __future__ import annotations

import csv
import shutil

import numpy as np
import pytest
from osgeo import gdal

from leaf_qgis.core import sites
from leaf_qgis.core.encoding import Encoding
from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.sensors import sensor as get_sensor
from leaf_qgis.engines.local import sentinel2_safe
from leaf_qgis.engines.local import sites as local_sites
from leaf_qgis.engines.local.produce import ProduceConfig, produce
from tests import local_factory as lf

#: (column, row) of the test sites on the 20 m grid: a cloud (SCL 9), clear west canopy, clear east canopy, water.
PIXELS = {"cloud": (5, 3), "west": (15, 8), "east": (30, 15), "water": (4, 12)}


def lonlat(col: float, row: float) -> tuple[float, float]:
    x, y, _ = lf.epsg_transform(lf.UTM, 4326).TransformPoint(lf.ULX + (col + 0.5) * 20,
                                                                     lf.ULY - (row + 0.5) * 20)
    return x, y


def point(name: str, number: int, when="2024-07-15") -> sites.FeatureInput:
    lon, lat = lonlat(*PIXELS[name])
    return sites.FeatureInput(number, name, {"type": "Point", "coordinates": [lon, lat]}, when)


@pytest.fixture(scope="module")
def safe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("safe")
    return lf.make_safe(folder)


@pytest.fixture(scope="module")
def full_run(safe, tmp_path_factory):
    """produce_local's engine on the whole product, float32, LAI + FCOVER with uncertainty."""
    folder = tmp_path_factory.mktemp("full")
    inputs = sentinel2_safe.prepare_inputs(sentinel2_safe.open_product(safe["path"]), get_sensor("S2"))
    keys = ["LAI", "FCOVER", "QC", "LAI_ERROR", "FCOVER_ERROR"]
    outputs = {k: str(folder / f"{k}.tif") for k in keys}
    try:
        produce(ProduceConfig(inputs.stack, "S2", outputs, inputs.angles, scale=inputs.scale, offset=inputs.offset,
                              range_bands=inputs.range_bands, products=("LAI", "FCOVER"), uncertainty=True,
                              encoding=Encoding.FLOAT32, algorithm="SL2P", scl_path=inputs.scl, nodata=inputs.nodata))
    finally:
        inputs.close()
    return {k: gdal.Open(p).ReadAsArray() for k, p in outputs.items()}


def request(features, sampling=sites.PIXELS, buffer_m=0.0, window=3):
    return sites.make_request(features, "S2", date_mode="single", window_days=window, products=["LAI", "FCOVER"],
                              uncertainty=True, sampling=sampling, buffer_m=buffer_m, algorithm="SL2P")


def test_pixels_equal_produce_local_on_the_same_pixels(safe, full_run):
    names = ["cloud", "west", "east", "water"]
    table = local_sites.sample_sites(request([point(n, i + 1) for i, n in enumerate(names)]), [safe["path"]])
    rows = {r["site_id"]: r for r in table.rows}
    for name in ("west", "east"):
        col, row = PIXELS[name]
        for key in ("LAI", "FCOVER", "LAI_ERROR", "FCOVER_ERROR"):
            assert rows[name][key] == float(full_run[key][row, col]), (name, key)  # bit for bit
        assert rows[name]["qc"] == int(full_run["QC"][row, col]) == 168
        assert (rows[name]["qc_domain"], rows[name]["qc_range"], rows[name]["qc_invalid"],
                rows[name]["qc_sensor"]) == (0, 0, 0, 21)
        assert rows[name]["date"] == "2024-07-15" and rows[name]["scene_id"].startswith("S2B_MSIL2A_20240715")
    # The cloud pixel and the water pixel have no estimate in the full run either: listed, with the reason.
    for name in ("cloud", "water"):
        col, row = PIXELS[name]
        assert np.isnan(full_run["LAI"][row, col]) or name == "water"
    assert rows["cloud"]["date"] == "" and "no clear observation" in rows["cloud"]["note"]
    assert next(s.site_id for s, _ in table.unobserved) == "cloud"


def test_stats_over_a_buffer_are_the_full_run_statistics(safe, full_run):
    table = local_sites.sample_sites(request([point("east", 1)], sites.STATS, buffer_m=30.0), [safe["path"]])
    (row,) = table.rows
    col, r = PIXELS["east"]
    block = full_run["LAI"][r - 1:r + 2, col - 1:col + 2]  # a 30 m disc holds the 3 × 3 pixel centres
    assert row["LAI_count"] == row["good_pixels"] == row["pixels"] == 9
    assert row["LAI_mean"] == pytest.approx(float(block.astype(np.float64).mean()), abs=1e-6)
    assert row["LAI_median"] == pytest.approx(float(np.median(block)), abs=1e-6)
    assert row["qc_invalid"] == 0 and row["qc_sensor"] == 21 and row["network_slot"] == 0


def test_a_feature_window_selects_exactly_the_scenes_inside_it(safe, tmp_path):
    """Three acquisitions (15, 20 and 25 July); a site dated 21 July ± 2 days sees only the 20 July one."""
    paths = [safe["path"]]
    for day in ("20240720", "20240725"):
        target = tmp_path / lf.SAFE_NAME.replace("20240715T170849", f"{day}T170849")
        shutil.copytree(safe["path"], target)
        paths.append(str(target))
    table = local_sites.sample_sites(
        request([point("west", 1, "2024-07-21"), point("east", 2, "2024-07-16")], window=2), paths)
    dates = {(r["site_id"], r["date"]) for r in table.rows}
    assert dates == {("west", "2024-07-20"), ("east", "2024-07-15")}


def test_leaf_outputs_are_sampled_with_their_scale_and_date(tmp_path, full_run):
    lai = np.where(np.isnan(full_run["LAI"]), 255, np.floor(full_run["LAI"] * 20 + 0.5)).astype(np.uint8)
    gt = (lf.ULX, 20.0, 0.0, lf.ULY, 0.0, -20.0)
    lai_path = lf.write_raster(tmp_path / "tile1_2024_Jul_LAI_20m.tif", lai, gt, lf.UTM, nodata=255)
    ds = gdal.Open(lai_path, gdal.GA_Update)
    ds.GetRasterBand(1).SetScale(0.05)
    ds = None
    lf.write_raster(tmp_path / "tile1_2024_Jul_QC_20m.tif", full_run["QC"].astype(np.uint8), gt, lf.UTM, nodata=0)
    days = np.full(lai.shape, 19919, dtype=np.uint16)  # 2024-07-15
    lf.write_raster(tmp_path / "tile1_2024_Jul_Date_20m.tif", days, gt, lf.UTM, nodata=0)
    features = [point("west", 1, "2024-07-14"), point("east", 2, "2024-07-14")]
    req = sites.make_request(features, "S2", date_mode="single", window_days=5, products=["LAI"],
                             sampling=sites.PIXELS)
    table = local_sites.sample_sites(req, [str(p) for p in sorted(tmp_path.glob("tile1_*.tif"))])
    col, row = PIXELS["west"]
    (west,) = [r for r in table.rows if r["site_id"] == "west"]
    assert west["LAI"] == pytest.approx(lai[row, col] * 0.05) and west["date"] == "2024-07-15"
    assert west["qc_sensor"] == 21 and west["scene_id"] == "tile1_2024_Jul_20m"


def test_bad_rasters_and_sites_outside_every_raster(safe, tmp_path):
    far = sites.FeatureInput(1, "far", {"type": "Point", "coordinates": [10.0, 10.0]}, "2024-07-15")
    with pytest.raises(LeafError, match="No site lies inside any of the RASTERS"):
        local_sites.sample_sites(request([far]), [safe["path"]])
    stray = lf.write_raster(tmp_path / "random.tif", np.zeros((3, 3), np.uint8))
    with pytest.raises(LeafError, match="neither a LEAF output"):
        local_sites.sample_sites(request([far]), [stray])


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit for bit, NaN where NaN."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _pixel(row: dict, geotransform) -> tuple[int, int]:
    """(column, row) of the pixel whose centre a PIXELS row names (lon/lat rounded to 1e-7°, a centimetre)."""
    x, y, _ = lf.epsg_transform(4326, lf.UTM).TransformPoint(row["lon"], row["lat"])
    x0, dx, _, y0, _, dy = geotransform
    return int((x - x0) // dx), int((y - y0) // dy)


def test_window_engine_regions_are_the_full_run_bit_for_bit(safe, full_run, monkeypatch):
    """The public "prepare once, compute regions" entry point: odd regions tiling the product (and overlapping ones)
    reassemble into the full run's maps bit for bit (estimates, uncertainties, NaN, QC bytes), each run window
    computed once whatever the number of regions; nothing is written. (A region computed on its own would not do:
    the SL2P matrix products round the last bits with the batch size.)"""
    from leaf_qgis.engines.local import produce as engine_module
    from leaf_qgis.engines.local.produce import WindowEngine
    from leaf_qgis.rasters.raster_io import Window

    computed = []
    real_compute = engine_module._compute
    monkeypatch.setattr(engine_module, "_compute",
                        lambda prep, pool, window: computed.append(window) or real_compute(prep, pool, window))
    inputs = sentinel2_safe.prepare_inputs(sentinel2_safe.open_product(safe["path"]), get_sensor("S2"))
    config = ProduceConfig(inputs.stack, "S2", {}, inputs.angles, scale=inputs.scale, offset=inputs.offset,
                           range_bands=inputs.range_bands, products=("LAI", "FCOVER"), uncertainty=True,
                           encoding=Encoding.FLOAT32, algorithm="SL2P", scl_path=inputs.scl, nodata=inputs.nodata)
    regions = [Window(x, y, min(9, lf.W20 - x), min(7, lf.H20 - y)) for y in range(0, lf.H20, 7)
               for x in range(0, lf.W20, 9)]
    overlapping = [Window(3, 2, 5, 5), Window(5, 4, 3, 3)]
    try:
        with WindowEngine(config) as engine:
            assert (engine.grid.width, engine.grid.height) == (lf.W20, lf.H20)
            assert engine.network_slots(Window(0, 0, 3, 3)) is None  # no LANDCOVER: the generic network
            results = engine.compute_regions([*regions, *overlapping])
        assert computed == [Window(0, 0, lf.W20, lf.H20)]  # the product is one run window
        tiled = {key: np.empty_like(full_run[key]) for key in full_run}
        for region, arrays in zip(regions, results):
            for key, array in arrays.items():
                assert array.shape == (region.ysize, region.xsize)
                tiled[key][region.yoff:region.yoff + region.ysize, region.xoff:region.xoff + region.xsize] = array
        for key in full_run:
            assert _same(tiled[key], full_run[key]), key
            for region, arrays in zip(overlapping, results[len(regions):]):
                assert _same(arrays[key], full_run[key][region.yoff:region.yoff + region.ysize,
                                                        region.xoff:region.xoff + region.xsize]), key
        assert np.isnan(tiled["LAI"]).any() and (tiled["QC"] == 168).any()  # both kinds of pixel compared
        # The reflectance scale is judged on the windows computed: DN read with SCALE 1 are refused there.
        config.scale, config.offset = 1.0, 0.0
        with WindowEngine(config) as engine, pytest.raises(LeafError, match="the raster holds DN"):
            engine.compute_regions([Window(10, 5, 3, 3)])
    finally:
        inputs.close()


def test_the_sites_of_a_scene_share_one_validation_and_equal_the_full_run(safe, full_run, monkeypatch):
    """26 sites over the product (clear canopy, cloud, water, shadow, the no-data corner, the edges): ONE validation
    for the scene, no engine output written, and every value and QC byte equal to the full run's pixel."""
    from leaf_qgis.engines.local import produce as engine_module

    validations = []
    real_validate = engine_module.validate

    def counting(*args, **kwargs):
        validations.append(args[0].input_path)
        return real_validate(*args, **kwargs)

    def no_files(*args, **kwargs):
        raise AssertionError("sample_sites wrote engine outputs")

    monkeypatch.setattr(engine_module, "validate", counting)
    monkeypatch.setattr(engine_module, "OutputSet", no_files)
    cells = [*((c, r) for r in (0, 3, 4, 8, 12, 21) for c in (0, 5, 20, 39)), (38, 28), (39, 29)]
    features = []
    for number, (col, row) in enumerate(cells, 1):
        lon, lat = lonlat(col, row)
        features.append(sites.FeatureInput(number, f"c{col}r{row}", {"type": "Point", "coordinates": [lon, lat]},
                                           "2024-07-15"))
    table = local_sites.sample_sites(request(features), [safe["path"]])
    assert len(validations) == 1
    gt = (lf.ULX, 20.0, 0.0, lf.ULY, 0.0, -20.0)
    observed = {(c, r) for c, r in cells if full_run["QC"][r, c] != 0 and np.isfinite(full_run["LAI"][r, c])}
    dated = [row for row in table.rows if row["date"]]  # the others: one row per site with no observation
    assert {_pixel(row, gt) for row in dated} == observed and len(observed) >= 12
    for row in dated:
        col, r = _pixel(row, gt)
        assert row["site_id"] == f"c{col}r{r}"
        for key in ("LAI", "FCOVER", "LAI_ERROR", "FCOVER_ERROR"):
            assert row[key] == float(full_run[key][r, col]), (row["site_id"], key)
        assert row["qc"] == int(full_run["QC"][r, col]), row["site_id"]
    assert {row["qc_invalid"] for row in dated} == {0, 1}  # flagged pixels (SCL water) keep their estimate
    unobserved = {s.site_id for s, _ in table.unobserved}
    clear = {row["site_id"] for row in dated if not row["qc_invalid"]}
    assert unobserved == {f"c{c}r{r}" for c, r in cells} - clear  # no clear observation: listed with the reason
    assert {"c5r3", "c5r4", "c5r21", "c39r29"} <= unobserved  # the cloud, the shadow and the no-data corner


def test_landsat_sites_open_the_scene_once_and_equal_the_full_run(tmp_path, monkeypatch):
    """A Landsat scene is read once (its MTL parsed when recognised, not again to sample it); the sites' values and
    QC bytes (QA_PIXEL cloud, snow, water; QA_RADSAT) equal the full-scene run bit for bit."""
    from leaf_qgis.engines.local import landsat_c2
    from tests import landsat_factory as lsf

    truth = lsf.make_scene(tmp_path / "scene", "L8", as_tar=True)
    inputs = landsat_c2.prepare_inputs(landsat_c2.open_scene(truth["path"]), get_sensor("L8"))
    keys = ["LAI", "FCOVER", "QC"]
    outputs = {k: str(tmp_path / f"{k}.tif") for k in keys}
    try:
        produce(ProduceConfig(inputs.stack, "L8", outputs, inputs.angles, scale=inputs.scale, offset=inputs.offset,
                              range_bands=inputs.range_bands, products=("LAI", "FCOVER"), encoding=Encoding.FLOAT32,
                              algorithm="SL2P", qa_pixel_path=inputs.qa_pixel, qa_radsat_path=inputs.qa_radsat,
                              nodata=inputs.nodata))
    finally:
        inputs.close()
    full = {k: gdal.Open(p).ReadAsArray() for k, p in outputs.items()}
    opened = []
    real_open = landsat_c2.open_scene
    monkeypatch.setattr(landsat_c2, "open_scene", lambda value: opened.append(value) or real_open(value))
    cells = [(c, r) for r in range(1, lsf.H, 3) for c in (3, 6, 14, 25, 36)]
    to_wgs84 = lf.epsg_transform(lsf.UTM, 4326)
    features = []
    for number, (col, row) in enumerate(cells, 1):
        x, y, _ = to_wgs84.TransformPoint(lsf.ULX + (col + 0.5) * 30, lsf.ULY - (row + 0.5) * 30)
        features.append(sites.FeatureInput(number, f"{col},{row}", {"type": "Point", "coordinates": [x, y]},
                                           "2024-07-15"))
    req = sites.make_request(features, "L8", date_mode="single", window_days=3, products=["LAI", "FCOVER"],
                             sampling=sites.PIXELS, algorithm="SL2P")
    table = local_sites.sample_sites(req, [truth["path"]])
    assert opened == [truth["path"]]
    by_site = {row["site_id"]: row for row in table.rows if row["date"]}
    for col, row in cells:
        if full["QC"][row, col] == 0 or np.isnan(full["LAI"][row, col]):
            assert f"{col},{row}" not in by_site
            continue
        got = by_site[f"{col},{row}"]
        assert (got["LAI"], got["FCOVER"]) == (float(full["LAI"][row, col]), float(full["FCOVER"][row, col]))
        assert got["qc"] == int(full["QC"][row, col]) and got["date"] == "2024-07-15"
    assert len(by_site) >= 30 and {r["qc_invalid"] for r in by_site.values()} == {0, 1}  # snow/water flagged


def test_land_cover_in_another_crs_gives_the_sites_the_full_runs_networks_and_values(safe, tmp_path, monkeypatch):
    """SL2P-CCRS with NALCMS in EPSG:3979, buffered sites whose windows overlap: QC and network slot equal a
    full-scene run on the land cover warped exactly onto the product's grid (``gdalwarp -r near``), values within
    1e-6. sample_sites warps only the sites' pixels exactly, the rest of their run windows approximately (within
    1/8 px on a real scene, where it gives another class to ~1.4 % of those pixels; on this small grid it is
    exact even at 1000 px, so the test makes the windows' warp plainly wrong: shifted by 3 × 2 pixels). The sites
    must not see it; with the sites' exact warp patched away as well, their networks differ."""
    from leaf_qgis.core.networks import load_network_set
    from leaf_qgis.core.sl2p import Sl2pEvaluator
    from leaf_qgis.rasters.raster_io import Window

    nalcms = lf.make_landcover_3979(tmp_path / "nalcms.tif")
    inputs = sentinel2_safe.prepare_inputs(sentinel2_safe.open_product(safe["path"]), get_sensor("S2"))
    whole = str(tmp_path / "landcover_on_grid.tif")
    gdal.Warp(whole, nalcms, outputBounds=(lf.ULX, lf.ULY - lf.H20 * 20, lf.ULX + lf.W20 * 20, lf.ULY),
              width=lf.W20, height=lf.H20, dstSRS=lf.srs_wkt(lf.UTM), resampleAlg="near", dstNodata=0,
              outputType=gdal.GDT_Byte, errorThreshold=0.0)
    classes = gdal.Open(whole).ReadAsArray()
    keys = ["LAI", "QC"]
    outputs = {k: str(tmp_path / f"{k}.tif") for k in keys}
    try:
        produce(ProduceConfig(inputs.stack, "S2", outputs, inputs.angles, scale=inputs.scale, offset=inputs.offset,
                              range_bands=inputs.range_bands, products=("LAI",), encoding=Encoding.FLOAT32,
                              algorithm="SL2P-CCRS", landcover_path=whole, scl_path=inputs.scl, nodata=inputs.nodata))
    finally:
        inputs.close()
    full = {k: gdal.Open(p).ReadAsArray() for k, p in outputs.items()}
    slots = Sl2pEvaluator(load_network_set("S2", "SL2P-CCRS"), ("LAI",), False).network_slot(classes)
    cells = [(c, r) for r in range(0, lf.H20, 2) for c in range(1, lf.W20, 4)]
    features = [sites.FeatureInput(n, f"{c},{r}", {"type": "Point", "coordinates": list(lonlat(c, r))},
                                   "2024-07-15") for n, (c, r) in enumerate(cells, 1)]
    req = sites.make_request(features, "S2", date_mode="single", window_days=3, products=["LAI"],
                             sampling=sites.PIXELS, buffer_m=25.0, algorithm="SL2P-CCRS")
    real_warp = local_sites._LandcoverWarps._warp
    exact_sites = True

    def poor_windows(self, grid, window, exact):
        if exact and exact_sites:
            return real_warp(self, grid, window, True)
        return real_warp(self, grid, Window(window.xoff + 3, window.yoff + 2, window.xsize, window.ysize), False)

    monkeypatch.setattr(local_sites._LandcoverWarps, "_warp", poor_windows)
    gt = (lf.ULX, 20.0, 0.0, lf.ULY, 0.0, -20.0)

    def sampled() -> dict[tuple[int, int], dict]:
        table = local_sites.sample_sites(req, [safe["path"]], landcover_path=nalcms)
        return {_pixel(row, gt): row for row in table.rows if row["date"]}

    by_pixel = sampled()
    for (col, r), row in by_pixel.items():
        assert row["network_slot"] == int(slots[r, col]) and row["qc"] == int(full["QC"][r, col]), (col, r)
        assert row["LAI"] == pytest.approx(float(full["LAI"][r, col]), abs=1e-6, rel=0), (col, r)
    assert len(by_pixel) > 200 and len({int(slots[r, c]) for c, r in by_pixel}) >= 3  # overlapping, several slots
    assert set(np.unique(classes[tuple(np.array(sorted(by_pixel)).T[::-1])])) >= {1, 5, 15, 17}
    exact_sites = False  # the mutation: the sites get the windows' poor warp too
    mutated = sampled()
    assert sum(row["network_slot"] != int(slots[r, c]) for (c, r), row in mutated.items()) > 50


def test_land_cover_is_warped_in_the_windows_the_engine_reads_whatever_its_window_size(safe, tmp_path, monkeypatch):
    """sample_sites writes LANDCOVER only in the run windows that hold sites; those must be the engine's own
    (WindowEngine.run_windows, with the config's max_window_pixels), not a tiling computed elsewhere with the default
    size, or the engine reads blocks never written (class 0: no estimate, silently). Here the default size would
    tile the grid in 6-row strips while the engine's config runs one whole-raster window: every land-cover value the
    engine reads must be a written class (the synthetic NALCMS has no 0 over the product)."""
    from leaf_qgis.engines.local import produce as engine
    from leaf_qgis.rasters.raster_io import MAX_WINDOW_PIXELS

    def tiling(width: int, height: int, max_pixels: int) -> list:
        rows = 6 if max_pixels == MAX_WINDOW_PIXELS else height
        return [engine.Window(0, y, width, min(rows, height - y)) for y in range(0, height, rows)]

    monkeypatch.setattr(engine, "windows", tiling)
    monkeypatch.setattr(local_sites, "ProduceConfig",
                        lambda **kwargs: ProduceConfig(**kwargs, max_window_pixels=10 ** 9))
    read: list[np.ndarray] = []
    real = engine._landcover_classes
    monkeypatch.setattr(engine, "_landcover_classes", lambda values, nodata: read.append(values.copy()) or
                        real(values, nodata))
    nalcms = lf.make_landcover_3979(tmp_path / "nalcms.tif")
    req = sites.make_request([point("west", 1)], "S2", date_mode="single", window_days=3, products=["LAI"],
                             sampling=sites.PIXELS, buffer_m=25.0, algorithm="SL2P-CCRS")
    table = local_sites.sample_sites(req, [safe["path"]], landcover_path=nalcms)
    assert len([row for row in table.rows if row["date"]]) >= 1
    assert read and read[0].size == lf.W20 * lf.H20  # the engine's one window: the whole grid
    assert all(np.count_nonzero(values == 0) == 0 for values in read)


@pytest.mark.parametrize(("classes", "dtype", "unknown"), [
    ((1, 5, 25, 17), np.uint8, "25"),
    ((1, 5, -1, 300), np.int16, "-1, 300"),
])
def test_land_cover_values_outside_nalcms_are_refused_with_the_users_path(safe, tmp_path, classes, dtype, unknown):
    """A land cover in EPSG:3979 holding values that are not NALCMS classes (25; −1 and 300 in Int16) is refused by
    sample_sites as produce_local refuses the same land cover on the product's grid: the values the file holds (not
    clamped to a byte: −1 is not turned into 0, "no estimate", nor 300 into 255) and the user's path, not the
    engine's in-memory copy."""
    nalcms = lf.make_landcover_3979(tmp_path / "nalcms.tif", classes, dtype)
    req = sites.make_request([point("west", 1)], "S2", date_mode="single", window_days=3, products=["LAI"],
                             sampling=sites.PIXELS, buffer_m=25.0, algorithm="SL2P-CCRS")
    with pytest.raises(LeafError) as caught:
        local_sites.sample_sites(req, [safe["path"]], landcover_path=nalcms)
    message = str(caught.value)
    assert f"LANDCOVER '{nalcms}' holds values {unknown} that are not NALCMS classes" in message
    assert "/vsimem" not in message
    on_grid = str(tmp_path / "on_grid.tif")
    gdal.Warp(on_grid, nalcms, outputBounds=(lf.ULX, lf.ULY - lf.H20 * 20, lf.ULX + lf.W20 * 20, lf.ULY),
              width=lf.W20, height=lf.H20, dstSRS=lf.srs_wkt(lf.UTM), resampleAlg="near", dstNodata=0)
    inputs = sentinel2_safe.prepare_inputs(sentinel2_safe.open_product(safe["path"]), get_sensor("S2"))
    try:
        with pytest.raises(LeafError, match=f"LANDCOVER '{on_grid}' holds values {unknown} that are not NALCMS"):
            produce(ProduceConfig(inputs.stack, "S2", {k: str(tmp_path / f"{k}.tif") for k in ("LAI", "QC")},
                                  inputs.angles, scale=inputs.scale, offset=inputs.offset,
                                  range_bands=inputs.range_bands, products=("LAI",), encoding=Encoding.FLOAT32,
                                  algorithm="SL2P-CCRS", landcover_path=on_grid, scl_path=inputs.scl,
                                  nodata=inputs.nodata))
    finally:
        inputs.close()


# --------------------------------------------------------------------------------------------- the algorithm
@pytest.fixture()
def site_layer(tmp_path):
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsPointXY, QgsVectorLayer
    from qgis.PyQt.QtCore import QDate, QVariant

    layer = QgsVectorLayer(f"Point?crs=EPSG:{lf.UTM}", "plots", "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField("plot", QVariant.String), QgsField("visited", QVariant.Date)])
    layer.updateFields()
    for name in ("west", "east", "cloud"):
        col, row = PIXELS[name]
        feature = QgsFeature(layer.fields())
        feature.setAttributes([name, QDate(2024, 7, 14)])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(lf.ULX + (col + 0.5) * 20, lf.ULY - (row + 0.5) * 20)))
        provider.addFeature(feature)
    return layer


def test_algorithm_writes_the_layer_csv_and_chart(run_alg, site_layer, safe, full_run, tmp_path):
    from qgis.core import QgsVectorLayer

    results = run_alg("sample_sites", {
        "SITES": site_layer, "ID_FIELD": "plot", "DATE_FIELD": "visited", "WINDOW_DAYS": 5, "ENGINE": "local",
        "RASTERS": [safe["path"]], "SENSOR": "S2", "ALGORITHM": "SL2P", "PRODUCTS": ["LAI", "FCOVER"],
        "UNCERTAINTY": True, "SAMPLING": "PIXELS", "OUTPUT": str(tmp_path / "series.gpkg"),
        "CSV": str(tmp_path / "series.csv"), "CHART": str(tmp_path / "chart.html")})
    assert results["ROWS"] == 3 and results["UNOBSERVED"] == 1
    layer = QgsVectorLayer(results["OUTPUT"], "series", "ogr")
    assert layer.isValid()
    names = layer.fields().names()
    for column in ("site_id", "date", "sensor", "scene_id", "network_slot", "LAI", "LAI_ERROR", "qc_domain",
                   "qc_range", "qc_invalid", "qc_sensor", "note"):
        assert column in names
    by_site = {f["site_id"]: f for f in layer.getFeatures()}
    col, row = PIXELS["west"]
    assert by_site["west"]["LAI"] == float(full_run["LAI"][row, col])
    assert (by_site["west"]["qc_invalid"], by_site["west"]["qc_sensor"]) == (0, 21)
    assert "no clear observation" in by_site["cloud"]["note"]
    with open(results["CSV"], newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["site_id"] for r in rows] == ["west", "east", "cloud"] or {r["site_id"] for r in rows} == {
        "west", "east", "cloud"}
    html = (tmp_path / "chart.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "cloud" in html


def test_chart_snapshot_size_and_colours(safe, full_run):
    from leaf_qgis.styling import site_chart

    table = local_sites.sample_sites(request([point("west", 1), point("cloud", 2)], sites.STATS, buffer_m=30.0),
                                     [safe["path"]])
    image = site_chart.render(table)
    assert (image.width(), image.height()) == (2 * site_chart.PANEL_W, 2 * site_chart.PANEL_H + 28)
    colours = {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(28, 28 + site_chart.PANEL_H)}
    assert site_chart.CLEAR.name() in colours  # the west site's clear mean
    assert image.pixelColor(image.width() - 2, image.height() - 2).name() == "#ffffff"
    cloud_panel = {image.pixelColor(x, y).name() for x in range(site_chart.PANEL_W)
                   for y in range(28 + site_chart.PANEL_H, image.height())}
    assert site_chart.CLEAR.name() not in cloud_panel  # nothing plotted for the cloudy site


def test_algorithm_refuses_a_zero_window_and_names_bad_dates(run_alg, site_layer, safe, tmp_path):
    from qgis.core import QgsProcessingException

    params = {"SITES": site_layer, "ID_FIELD": "plot", "DATE_FIELD": "visited", "WINDOW_DAYS": 0, "ENGINE": "local",
              "RASTERS": [safe["path"]], "SENSOR": "S2", "ALGORITHM": "SL2P", "PRODUCTS": ["LAI"],
              "OUTPUT": str(tmp_path / "x.gpkg")}
    with pytest.raises(QgsProcessingException, match="window of 0 days"):
        run_alg("sample_sites", params)
    assert not (tmp_path / "x.gpkg").exists()


def test_the_example_model_runs_on_local_scenes(leaf_provider, site_layer, safe, tmp_path):
    import processing
    from qgis.core import QgsVectorLayer

    results = processing.run("leaf:sites_time_series", {
        "SITES": site_layer, "ID_FIELD": "plot", "DATE_FIELD": "visited", "WINDOW_DAYS": 3,
        "RASTERS": [safe["path"]], "SENSOR": "S2", "sample_sites:SERIES": str(tmp_path / "series.gpkg"),
        "sample_sites:SERIES_CSV": str(tmp_path / "series.csv"), "sample_sites:CHART": str(tmp_path / "chart.html")})
    layer = QgsVectorLayer(results["sample_sites:SERIES"], "series", "ogr")
    rows = {f["site_id"]: f for f in layer.getFeatures() if f["date"]}
    assert rows["west"]["LAI_count"] == 9 and rows["west"]["qc_sensor"] == 21
    assert rows["cloud"]["good_pixels"] == 0 and rows["cloud"]["qc_invalid"] == rows["cloud"]["pixels"] == 9
    notes = [f["note"] for f in layer.getFeatures() if f["site_id"] == "cloud" and not f["date"]]
    assert notes == ["no clear observation from 2024-07-11 to 2024-07-17"]
    assert (tmp_path / "chart.html").stat().st_size > 1000


def test_earth_engine_dry_run_writes_a_valid_plan_offline(run_alg, site_layer, tmp_path):
    import json

    from leaf_qgis.engines.gee import sites as gee_sites
    from tests.ee_eval.signatures import validate_graph

    results = run_alg("sample_sites", {
        "SITES": site_layer, "ID_FIELD": "plot", "DATE_FIELD": "visited", "WINDOW_DAYS": 20, "ENGINE": "gee",
        "SENSOR": "S2", "ALGORITHM": "SL2P-CCRS", "PRODUCTS": ["LAI"], "SAMPLING": "STATS", "BUFFER": 20.0,
        "DRY_RUN": True, "PLAN": str(tmp_path / "plan.json"), "OUTPUT": str(tmp_path / "never.gpkg")})
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert results["PLAN"] == str(tmp_path / "plan.json")
    assert plan["server_round_trips"] == 0 and plan["direct"] and plan["task_count"] == 0
    assert plan["request"]["sites"] == ["west", "east", "cloud"] and plan["estimated_rows"] == 3 * 17
    assert validate_graph(gee_sites.table_expression(plan)) == []
    assert not (tmp_path / "never.gpkg").exists()


def test_earth_engine_dry_run_reads_the_configured_networks_and_offers_no_merged_sensor(run_alg, site_layer, tmp_path,
                                                                                        monkeypatch):
    """The networks come from the user's networks folder (the store is passed down, not the default one); a merged
    sensor (no network set of its own, one per sampled scene needed) is not offered."""
    import json

    from qgis.core import QgsProcessingException

    from leaf_qgis import settings
    from leaf_qgis.core.networks import load_network_set
    from leaf_qgis.engines.gee import sites as gee_sites

    configured = tmp_path / "networks"
    configured.mkdir()
    monkeypatch.setattr(settings, "networks_folder", lambda: str(configured))
    loads: list[tuple[str, list]] = []

    def recording(key, algorithm, store=None):
        loads.append((key, list(store.folders) if store is not None else []))
        return load_network_set(key, algorithm, store)

    monkeypatch.setattr(gee_sites, "load_network_set", recording)
    params = {"SITES": site_layer, "ID_FIELD": "plot", "DATE_FIELD": "visited", "WINDOW_DAYS": 20, "ENGINE": "gee",
              "SENSOR": "L8", "ALGORITHM": "SL2P-CCRS", "PRODUCTS": ["LAI"], "SAMPLING": "STATS", "DRY_RUN": True,
              "PLAN": str(tmp_path / "plan.json"), "OUTPUT": str(tmp_path / "never.gpkg")}
    run_alg("sample_sites", params)
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert plan["networks"] == {"sensor": "L8", "algorithm": "SL2P-CCRS",
                                "label": load_network_set("L8", "SL2P-CCRS").label}
    assert len(loads) == 1 and loads[0][0] == "L8" and loads[0][1][0] == configured
    with pytest.raises(QgsProcessingException):
        run_alg("sample_sites", {**params, "SENSOR": "LANDSAT_OLI", "PLAN": str(tmp_path / "merged.json")})
    assert not (tmp_path / "merged.json").exists() and len(loads) == 1


def test_task_names_tell_site_layers_apart(run_alg, site_layer, tmp_path):
    """Submitting skips a task whose name exists (resume): two different site layers with the same sensor and period
    must get two names, the same layer the same name; the names stay LEAF's (``ee_tasks`` acts on them)."""
    import json
    import re

    from qgis.core import QgsGeometry, QgsPointXY

    from leaf_qgis.engines.gee import tasks

    def task_name(layer, run: str) -> str:
        plan = tmp_path / f"{run}.json"
        run_alg("sample_sites", {
            "SITES": layer, "ID_FIELD": "plot", "DATE_FIELD": "visited", "WINDOW_DAYS": 20, "ENGINE": "gee",
            "SENSOR": "S2", "ALGORITHM": "SL2P-CCRS", "PRODUCTS": ["LAI"], "SAMPLING": "STATS", "BUFFER": 20.0,
            "DESTINATION": "drive", "DRY_RUN": True, "PLAN": str(plan), "OUTPUT": str(tmp_path / f"{run}.gpkg")})
        (entry,) = json.loads(plan.read_text(encoding="utf-8"))["exports"]
        assert entry["file_name"] == entry["description"] + ".csv"
        return entry["description"]

    first = task_name(site_layer, "first")
    assert re.fullmatch(r"leaf_sites_S2_20240624-20240803_stats_[0-9a-f]{6}", first), first
    assert tasks.is_plugin_task({"metadata": {"type": "EXPORT_FEATURES", "description": first}})
    assert task_name(site_layer, "again") == first  # the same layer again: the same task, skipped on resume

    moved = site_layer.clone()  # same ids, same dates, one plot 40 m further east
    feature = next(moved.getFeatures())
    point = feature.geometry().asPoint()
    moved.dataProvider().changeGeometryValues(
        {feature.id(): QgsGeometry.fromPointXY(QgsPointXY(point.x() + 40, point.y()))})
    renamed = site_layer.clone()  # same places and dates, other plot ids
    renamed.dataProvider().changeAttributeValues({next(renamed.getFeatures()).id(): {0: "north"}})
    names = {first, task_name(moved, "moved"), task_name(renamed, "renamed")}
    assert len(names) == 3 and all(n.startswith("leaf_sites_S2_20240624-20240803_stats_") for n in names)
    assert task_name(site_layer, "last") == first  # the clones' edits did not reach the first layer


def test_a_cancelled_run_writes_no_table_of_part_of_the_sites(run_alg, site_layer, safe, tmp_path, cancelling):
    """Cancelled once the first of the three sites was read: the run used to go on with that one site, write its
    table, CSV and chart and report success; it now stops there and writes none of them."""
    from qgis.core import QgsProcessingException

    out = tmp_path / "out"
    feedback = cancelling(1)
    with pytest.raises(QgsProcessingException, match=r"^Cancelled: no site table, CSV or chart was written\.$"):
        run_alg("sample_sites", {
            "SITES": site_layer, "ID_FIELD": "plot", "DATE_FIELD": "visited", "WINDOW_DAYS": 5, "ENGINE": "local",
            "RASTERS": [safe["path"]], "SENSOR": "S2", "ALGORITHM": "SL2P", "PRODUCTS": ["LAI"],
            "OUTPUT": str(out / "series.gpkg"), "CSV": str(out / "series.csv"), "CHART": str(out / "chart.html")},
            feedback=feedback)
    assert feedback.asked == 2
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("destination", ["download", "drive", "gcs"])
def test_a_run_cancelled_once_the_plan_is_written_keeps_the_plan_only(run_alg, site_layer, signed_in, tmp_path,
                                                                      destination):
    """Earth Engine, cancelled once the plan is written: no row is asked for (direct fetch) and no export task is
    started (table export; the run used to submit it regardless), nothing but the plan is written, and the message
    names the plan as kept (the engine raises Cancelled; the algorithm says it with the plan)."""
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    from tests.fake_ee.fixtures import FAKE_PROJECT

    class CancelAfterPlan(QgsProcessingFeedback):
        def pushInfo(self, info: str) -> None:
            super().pushInfo(info)
            if info.startswith("Plan written"):
                self.cancel()

    plan = tmp_path / "plan.json"
    outputs = ({"CSV": str(tmp_path / "series.csv"), "CHART": str(tmp_path / "chart.html")}
               if destination == "download" else {"BUCKET": "leaf-maps", "DRY_RUN": False})
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("sample_sites", {
            "SITES": site_layer, "ID_FIELD": "plot", "DATE_FIELD": "visited", "WINDOW_DAYS": 5, "ENGINE": "gee",
            "SENSOR": "S2", "ALGORITHM": "SL2P", "PRODUCTS": ["LAI"], "DESTINATION": destination,
            "PROJECT": FAKE_PROJECT, "PLAN": str(plan), "OUTPUT": str(tmp_path / "series.gpkg"), **outputs},
            feedback=CancelAfterPlan())
    assert str(caught.value) == (f"Cancelled: no site table, CSV or chart was written. Finished before the "
                                 f"cancellation and kept: {plan}.")
    assert signed_in.requests_to("computeFeatures") == [] and signed_in.requests_to("table:export", "POST") == []
    if destination == "download":
        assert signed_in.requests_to("/token")  # signed in, then stopped before the first row
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["plan.json"]


def test_cancel_during_a_slow_page_returns_at_once(run_alg, site_layer, signed_in, tmp_path):
    """Earth Engine, direct fetch, Cancel pressed while the server computes a page (here it would answer after 20 s;
    a real page may take up to 5 min): the run stops within about a second with the algorithm's cancellation
    message, the plan kept and no table written; the page's answer is dropped."""
    import time

    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    from tests.fake_ee.fixtures import FAKE_PROJECT, cancel_once_requested

    signed_in.inject("slow", delay=20.0, path_contains="computeFeatures")
    feedback = QgsProcessingFeedback()
    pressed = cancel_once_requested(signed_in, feedback, "computeFeatures")
    plan = tmp_path / "plan.json"
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("sample_sites", {
            "SITES": site_layer, "ID_FIELD": "plot", "DATE_FIELD": "visited", "WINDOW_DAYS": 5, "ENGINE": "gee",
            "SENSOR": "S2", "ALGORITHM": "SL2P", "PRODUCTS": ["LAI"], "DESTINATION": "download",
            "PROJECT": FAKE_PROJECT, "PLAN": str(plan), "OUTPUT": str(tmp_path / "series.gpkg"),
            "CSV": str(tmp_path / "series.csv"), "CHART": str(tmp_path / "chart.html")}, feedback=feedback)
    waited = time.monotonic() - pressed[0]
    assert waited < 1.0, f"Cancel took {waited:.2f} s"
    assert str(caught.value) == (f"Cancelled: no site table, CSV or chart was written. Finished before the "
                                 f"cancellation and kept: {plan}.")
    assert len(signed_in.requests_to("computeFeatures")) == 1  # the one slow page, not retried
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["plan.json"]
