"""The local engine's block loop: several windows, progress, cancellation, and memory-bounded windows."""

from __future__ import annotations

import os

import numpy as np
import pytest
from osgeo import gdal

from leaf_qgis.core.errors import Cancelled
from leaf_qgis.engines.local import sample
from leaf_qgis.engines.local.angles import ConstantAngles
from leaf_qgis.engines.local.produce import ProduceConfig, default_output_paths, produce


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.progress: list[float] = []
        self.info: list[str] = []
        self.cancel_after = cancel_after

    def setProgress(self, percent: float) -> None:
        self.progress.append(percent)

    def isCanceled(self) -> bool:
        return self.cancel_after is not None and len(self.progress) >= self.cancel_after

    def pushInfo(self, text: str) -> None:
        self.info.append(text)


def config(tmp_path, max_window_pixels: int, threads: int = 2) -> ProduceConfig:
    paths = sample.write_sample(str(tmp_path / "in"))
    a = sample.SAMPLE_ANGLES
    return ProduceConfig(
        paths["INPUT"], "S2", default_output_paths(str(tmp_path / "out"), "s", ["LAI", "FCOVER"], False),
        ConstantAngles(a["SUN_ZENITH"], a["VIEW_ZENITH"], a["RELATIVE_AZIMUTH"]),
        products=("LAI", "FCOVER"), mask_path=paths["MASK"], landcover_path=paths["LANDCOVER"],
        threads=threads, max_window_pixels=max_window_pixels,
    )


def test_windows_give_the_same_maps_progress_per_window_and_cancel_leaves_nothing(tmp_path, monkeypatch):
    from leaf_qgis.engines.local import produce as engine

    whole = produce(config(tmp_path / "whole", 1_000_000))
    monkeypatch.setattr(engine, "windows", lambda w, h, m: [
        engine.Window(0, y, w, min(40, h - y)) for y in range(0, h, 40)])
    recorder = Recorder()
    produce(config(tmp_path / "a", 1), recorder)
    assert recorder.progress == [20.0, 40.0, 60.0, 80.0, 100.0]
    assert any("Mpx/s" in line for line in recorder.info)
    strips = default_output_paths(str(tmp_path / "a" / "out"), "s", ["LAI", "FCOVER"], False)
    for key, path in whole.items():
        assert np.array_equal(gdal.Open(path).ReadAsArray(), gdal.Open(strips[key]).ReadAsArray())

    cfg = config(tmp_path / "b", 1)
    with pytest.raises(Cancelled):
        produce(cfg, Recorder(cancel_after=2))
    assert os.listdir(tmp_path / "b") == ["in"]  # the output folder it created is gone, no partial file anywhere


# -- no lost file: locks, leftovers of killed runs, files that appear during a run ---------------------------------


class AppearsDuringRun(Recorder):
    """Creates a file at an output path after the first window (another program, another run…)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def setProgress(self, percent: float) -> None:
        super().setProgress(percent)
        if len(self.progress) == 1:
            with open(self.path, "w") as handle:
                handle.write("a user's file")


def test_a_file_that_appears_during_the_run_is_kept_and_nothing_is_written(tmp_path, monkeypatch):
    from leaf_qgis.core.errors import LeafError
    from leaf_qgis.engines.local import produce as engine

    monkeypatch.setattr(engine, "windows", lambda w, h, m: [
        engine.Window(0, y, w, min(40, h - y)) for y in range(0, h, 40)])
    cfg = config(tmp_path, 1)
    with pytest.raises(LeafError, match=r"a file appeared or changed at .*s_LAI\.tif.*nothing was written"):
        produce(cfg, AppearsDuringRun(cfg.outputs["LAI"]))
    assert open(cfg.outputs["LAI"]).read() == "a user's file"
    assert sorted(os.listdir(tmp_path / "out")) == ["s_LAI.tif"]  # no other output, no partial, no lock


def test_a_second_run_on_the_same_outputs_fails_while_the_first_holds_the_lock(tmp_path):
    from leaf_qgis.core.errors import LeafError

    cfg = config(tmp_path, 1_000_000)
    os.makedirs(tmp_path / "out")
    with open(cfg.outputs["FCOVER"] + ".leaf-lock", "w") as handle:
        handle.write(str(os.getppid()))  # a live process that is not this one
    with pytest.raises(LeafError, match=r"Output FCOVER .* is being written by another run \(process \d+\)"):
        produce(cfg)
    assert sorted(os.listdir(tmp_path / "out")) == ["s_fCOVER.tif.leaf-lock"]  # its lock is not ours to remove


def test_stale_locks_and_partial_files_of_killed_runs_are_cleaned(tmp_path):
    cfg = config(tmp_path, 1_000_000)
    out = tmp_path / "out"
    os.makedirs(out)
    dead = 2 ** 22 + 12345  # above the default pid_max: no such process
    (out / "s_LAI.tif.leaf-lock").write_text(str(dead))
    for name in ("s_LAI.partial-0123abcd.tif", "s_LAI.partial-0123abcd.tif.aux.xml", "s_fCOVER.partial-ffffffff.tif"):
        (out / name).write_bytes(b"half a file")
    keep = ("other.partial-0123abcd.tif", "s_LAI.partial-notours.tif", "notes.txt")
    for name in keep:
        (out / name).write_bytes(b"not ours")
    paths = produce(cfg)
    assert sorted(os.listdir(out)) == sorted([*keep, "s_LAI.tif", "s_fCOVER.tif", "s_QC.tif"])
    assert gdal.Open(paths["LAI"]).RasterXSize > 0


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.int64])
def test_land_cover_rules_and_check_agree_across_raster_types(dtype):
    """The uint8 fast paths (class table lookup, histogram of values present) give what np.isin / np.unique give."""
    from leaf_qgis.core import pixel_rules
    from leaf_qgis.core.errors import LeafError
    from leaf_qgis.engines.local.produce import _check_landcover_values, _class_in

    classes = np.array([0, 1, 5, 17, 18, 19, 6, 18, 0, 12], dtype=dtype)
    assert _class_in(classes, pixel_rules.NO_ESTIMATE_CLASSES).tolist() == [
        True, False, False, False, True, False, False, True, True, False]
    assert _class_in(classes, pixel_rules.FLAGGED_CLASSES).tolist() == [
        False, False, False, True, False, True, False, False, False, False]
    _check_landcover_values(classes, "lc.tif")  # NALCMS 0–19 only: accepted
    with pytest.raises(LeafError) as caught:
        _check_landcover_values(np.append(classes, np.array([20, 200], dtype=dtype)), "lc.tif")
    assert "20, 200" in str(caught.value)


def test_window_engine_cuts_regions_from_the_run_windows_bit_for_bit(tmp_path, monkeypatch):
    """WindowEngine (prepare once, compute regions to arrays) over a run tiled in 64 × 48 windows, SL2P-CCRS with
    uncertainty: regions straddling two or four windows, a corner of no data and a single pixel come out bit for bit
    as the full run writes them (float32, NaN, QC); only the windows holding a region are computed, each once;
    the network slots are the land cover's; cancelling stops it."""
    from leaf_qgis.core.encoding import Encoding
    from leaf_qgis.core.networks import load_network_set
    from leaf_qgis.core.sl2p import Sl2pEvaluator
    from leaf_qgis.engines.local import produce as engine

    monkeypatch.setattr(engine, "windows", lambda w, h, m: [
        engine.Window(x, y, min(64, w - x), min(48, h - y)) for y in range(0, h, 48) for x in range(0, w, 64)])

    def ccrs(folder, outputs: bool) -> ProduceConfig:
        cfg = config(folder, 1)
        cfg.algorithm, cfg.uncertainty, cfg.encoding = "SL2P-CCRS", True, Encoding.FLOAT32
        cfg.outputs = default_output_paths(str(folder / "out"), "s", ["LAI", "FCOVER"], True) if outputs else {}
        return cfg

    full = {key: gdal.Open(path).ReadAsArray() for key, path in produce(ccrs(tmp_path / "full", True)).items()}
    computed: list = []
    real_compute = engine._compute
    monkeypatch.setattr(engine, "_compute",
                        lambda prep, pool, window: computed.append(window) or real_compute(prep, pool, window))
    regions = [engine.Window(60, 44, 9, 7), engine.Window(62, 10, 4, 60), engine.Window(190, 190, 10, 10),
               engine.Window(120, 100, 1, 1), engine.Window(61, 45, 2, 2)]
    cfg = ccrs(tmp_path / "regions", False)
    with engine.WindowEngine(cfg) as windowed:
        results = windowed.compute_regions(regions)
        slots = [windowed.network_slots(region) for region in regions]
    window = engine.Window
    assert len(computed) == 9 and set(computed) == {  # each window holding a region once, whichever worker
        window(0, 0, 64, 48), window(64, 0, 64, 48), window(0, 48, 64, 48), window(64, 48, 64, 48),
        window(64, 96, 64, 48), window(128, 144, 64, 48), window(192, 144, 8, 48), window(128, 192, 64, 8),
        window(192, 192, 8, 8)}
    landcover = gdal.Open(cfg.landcover_path).ReadAsArray()
    evaluator = Sl2pEvaluator(load_network_set("S2", "SL2P-CCRS"), ("LAI",), False)
    for region, arrays, slot in zip(regions, results, slots):
        rows = slice(region.yoff, region.yoff + region.ysize)
        cols = slice(region.xoff, region.xoff + region.xsize)
        assert set(arrays) == set(full)
        for key, array in arrays.items():
            assert array.dtype == full[key].dtype and array.tobytes() == full[key][rows, cols].tobytes(), key
        assert np.array_equal(slot, evaluator.network_slot(landcover[rows, cols]))
    assert np.isnan(results[2]["LAI"]).any() and np.isfinite(results[0]["LAI"]).all()
    assert len(np.unique(np.concatenate([s.ravel() for s in slots]))) >= 2  # more than one network involved

    with engine.WindowEngine(ccrs(tmp_path / "cancel", False)) as windowed, pytest.raises(Cancelled):
        windowed.compute_regions(regions, Recorder(cancel_after=0))


def test_window_engine_slots_read_land_cover_nodata_as_the_estimates_do_and_regions_must_be_inside(tmp_path):
    """A LANDCOVER whose nodata value is a legend class (15 here): the engine reads those pixels as class 0 (no
    estimate), and network_slots says slot 0 there too, not class 15's network (slot 1). A region reaching outside the
    raster is refused (it would come back as uninitialised memory)."""
    from leaf_qgis.core.encoding import Encoding
    from leaf_qgis.core.errors import LeafError
    from leaf_qgis.engines.local import produce as engine

    cfg = config(tmp_path, 1_000_000)
    cfg.algorithm, cfg.encoding, cfg.outputs = "SL2P-CCRS", Encoding.FLOAT32, {}
    ds = gdal.Open(cfg.landcover_path, gdal.GA_Update)
    ds.GetRasterBand(1).SetNoDataValue(15)
    classes = ds.ReadAsArray()
    ds = None
    region = engine.Window(0, 0, classes.shape[1], classes.shape[0])
    with engine.WindowEngine(cfg) as windowed:
        slots = windowed.network_slots(region)
        lai = windowed.compute_regions([region])[0]["LAI"]
        for outside in (engine.Window(classes.shape[1] - 2, 0, 3, 3), engine.Window(-1, 5, 2, 2),
                        engine.Window(0, 0, 0, 4)):
            with pytest.raises(LeafError, match=r"is not inside INPUT \(\d+ × \d+ pixels\)"):
                windowed.compute_regions([outside])
            with pytest.raises(LeafError, match=r"is not inside INPUT"):
                windowed.network_slots(outside)
    nodata = classes == 15
    assert nodata.sum() > 100 and np.all(slots[nodata] == 0) and np.all(np.isnan(lai[nodata]))
    assert set(np.unique(slots[~nodata]).tolist()) > {0} and np.isfinite(lai[classes == 1]).any()


def test_a_failing_window_cancels_the_windows_not_yet_started_in_produce_and_compute_regions(tmp_path, monkeypatch):
    """Two workers, ten 20-row windows, four in flight: window 0 fails after 0.1 s while window 1 (and window 2, which
    the freed worker may pick up) take 0.5 s. The error reaches the caller, and window 3, queued when window 0
    failed, never starts (before the shared worker loop, every window in flight ran to the end)."""
    import threading
    import time

    from leaf_qgis.engines.local import produce as engine

    monkeypatch.setattr(engine, "windows", lambda w, h, m: [
        engine.Window(0, y, w, min(20, h - y)) for y in range(0, h, 20)])
    real_compute = engine._compute
    started: list[int] = []
    lock = threading.Lock()

    def compute(prep, pool, window):
        with lock:
            started.append(window.yoff // 20)
        if window.yoff == 0:
            time.sleep(0.1)
            raise RuntimeError("window 0 failed")
        time.sleep(0.5)
        return real_compute(prep, pool, window)

    monkeypatch.setattr(engine, "_compute", compute)
    with pytest.raises(RuntimeError, match="window 0 failed"):
        produce(config(tmp_path / "produce", 1))
    assert sorted(started) in ([0, 1], [0, 1, 2]), started
    assert not os.path.exists(tmp_path / "produce" / "out") or not os.listdir(tmp_path / "produce" / "out")

    started.clear()
    cfg = config(tmp_path / "regions", 1)
    cfg.outputs = {}
    with engine.WindowEngine(cfg) as windowed, pytest.raises(RuntimeError, match="window 0 failed"):
        windowed.compute_regions([engine.Window(0, y, 5, 5) for y in range(0, 200, 20)])
    assert sorted(started) in ([0, 1], [0, 1, 2]), started
