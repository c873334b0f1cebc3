"""The local engine's block loop: several windows, progress, cancellation, and memory-bounded windows."""

from __future__ import annotations

import os

import numpy as np
import pytest
from osgeo import gdal

from leaf_qgis.engines.local import sample
from leaf_qgis.engines.local.angles import ConstantAngles
from leaf_qgis.engines.local.produce import Canceled, ProduceConfig, default_output_paths, produce


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
    with pytest.raises(Canceled):
        produce(cfg, Recorder(cancel_after=2))
    assert os.listdir(tmp_path / "b") == ["in"]  # the output folder it created is gone, no partial file anywhere
