"""``leaf:load_outputs`` on hundreds of files: a national month-by-month folder (6 tiles × 12 months × LAI, fCOVER,
fAPAR, albedo, QC, date = 432 GeoTIFFs of 256 × 256 px), loaded and styled into a project, timed end to end with the
per-file cost and the functions where the time goes (cProfile, top 8 by cumulative time)."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TILES = ("tile33", "tile34", "tile35", "tile44", "tile45", "tile55")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAPS = (("LAI", 254), ("fCOVER", 200), ("fAPAR", 200), ("Albedo", 60), ("QC", 255), ("Date", 0))


def make_folder(folder: Path, side: int = 256) -> int:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3979)
    rng = np.random.default_rng(1)
    count = 0
    for tile in TILES:
        for month in MONTHS:
            for token, high in MAPS:
                dtype = gdal.GDT_UInt16 if token == "Date" else gdal.GDT_Byte
                path = folder / f"{tile}_2024_{month}_{token}_20m.tif"
                ds = gdal.GetDriverByName("GTiff").Create(str(path), side, side, 1, dtype, ["COMPRESS=DEFLATE"])
                ds.SetGeoTransform((1_400_000.0, 20.0, 0.0, -100_000.0, 0.0, -20.0))
                ds.SetProjection(srs.ExportToWkt())
                if token == "QC":
                    data = rng.choice([168, 169, 170, 172, 64, 72], (side, side)).astype(np.uint8)
                elif token == "Date":
                    data = np.full((side, side), 19900, np.uint16)
                else:
                    data = rng.integers(0, high + 1, (side, side)).astype(np.uint8)
                ds.GetRasterBand(1).WriteArray(data)
                ds = None
                count += 1
    return count


def main(runs: int = 3) -> None:
    from qgis.core import QgsApplication, QgsProject

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")  # Processing, as QGIS itself finds it
    from processing.core.Processing import Processing

    Processing.initialize()
    from leaf_qgis import classFactory

    plugin = classFactory(None)
    plugin.initProcessing()
    import processing

    folder = Path(tempfile.mkdtemp(prefix="leaf-bench-load-"))
    count = make_folder(folder)
    times = []
    profile_text = ""
    for run in range(runs):
        for qml in folder.glob("*.qml"):
            qml.unlink()  # each run styles from scratch
        QgsProject.instance().clear()
        profiler = cProfile.Profile() if run == runs - 1 else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        result = processing.runAndLoadResults("leaf:load_outputs", {"FOLDER": str(folder)})
        if profiler:
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(8)
            profile_text = out.getvalue()
        times.append(time.perf_counter() - started)
        assert result["LOADED"] == count, result
    median = statistics.median(times)
    print(f"load_outputs: {count} files, median {median:.2f} s over {runs} runs ({median / count * 1000:.1f} ms "
          f"per file; runs {', '.join(f'{t:.2f}' for t in times)}); {len(QgsProject.instance().mapLayers())} "
          f"layers in the project")
    print("\n".join(line for line in profile_text.splitlines() if line.strip())[:2500])


if __name__ == "__main__":
    main()
