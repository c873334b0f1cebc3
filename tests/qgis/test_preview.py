"""Rendered previews: a styled LAI map and a QC map with their legends, compared with a stored reference PNG.

Regenerate the reference after an intended change of style or layout with
``LEAF_UPDATE_REFERENCE=1 .venv/bin/python -m pytest tests/qgis/test_preview.py`` and look at the new image before
committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsRasterLayer

from leaf_qgis.core import qc
from leaf_qgis.styling import style_layer
from leaf_qgis.styling.preview import render_png
from tests.local_factory import write_raster

REFERENCE = Path(__file__).resolve().parent / "reference" / "preview_lai_qc.png"
#: Tolerances: mean absolute difference over all RGBA samples (0–255), and share of pixels off by more than
#: :data:`PIXEL_THRESHOLD` in any channel (text antialiasing may move a few edge pixels between builds).
MEAN_TOLERANCE = 1.0
CHANGED_TOLERANCE = 0.005
PIXEL_THRESHOLD = 32


def crafted_layers(folder: Path) -> list[QgsRasterLayer]:
    """A LAI ramp 0…8 (west → east) with a nodata corner, and a QC map with three classes and a nodata corner."""
    lai = np.tile(np.linspace(0, 8, 40, dtype=np.float32), (30, 1))
    lai[:5, :5] = np.nan
    codes = np.full((30, 40), qc.encode(21), dtype=np.uint8)
    codes[:10, :20] = qc.encode(8, invalid=1)
    codes[20:, 30:] = qc.encode(9, input_out_of_domain=1)
    codes[:3, :3] = qc.QC_NODATA
    paths = [write_raster(folder / "tile55_2024_Jun_LAI_20m.tif", lai, nodata=float("nan")),
             write_raster(folder / "tile55_2024_Jun_QC_20m.tif", codes, nodata=qc.QC_NODATA)]
    layers = [QgsRasterLayer(p, Path(p).stem, "gdal") for p in paths]
    for layer in layers:
        assert style_layer(layer)
    return layers


def pixels(path) -> np.ndarray:
    """RGBA array (bands, rows, cols) of a PNG."""
    return gdal.Open(str(path)).ReadAsArray().astype(np.int16)


def difference(actual, expected) -> tuple[float, float]:
    """(mean absolute difference, share of changed pixels) between two images of the same size."""
    a, b = pixels(actual), pixels(expected)
    assert a.shape == b.shape, f"image size {a.shape} differs from the reference {b.shape}"
    diff = np.abs(a - b)
    return float(diff.mean()), float((diff.max(axis=0) > PIXEL_THRESHOLD).mean())


def test_preview_matches_the_reference_image(qgis_app, tmp_path):
    out = render_png(crafted_layers(tmp_path), tmp_path / "preview.png", width=600)
    if os.environ.get("LEAF_UPDATE_REFERENCE") == "1" or not REFERENCE.exists():
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, REFERENCE)
        if os.environ.get("LEAF_UPDATE_REFERENCE") != "1":
            pytest.fail(f"no reference image: wrote {REFERENCE}; check it and commit it")
    mean, changed = difference(out, REFERENCE)
    assert mean <= MEAN_TOLERANCE and changed <= CHANGED_TOLERANCE, (
        f"preview differs from {REFERENCE}: mean {mean:.3f}, changed {changed:.4%}; see {out}")


def test_the_comparison_notices_a_changed_style(qgis_app, tmp_path):
    from qgis.core import QgsPalettedRasterRenderer
    from qgis.PyQt.QtGui import QColor

    lai, qc_layer = crafted_layers(tmp_path)
    classes = qc_layer.renderer().classes()
    classes[-1] = QgsPalettedRasterRenderer.Class(classes[-1].value, QColor("#0000ff"), classes[-1].label)
    qc_layer.setRenderer(QgsPalettedRasterRenderer(qc_layer.dataProvider(), 1, classes))
    out = render_png([lai, qc_layer], tmp_path / "changed.png", width=600)
    _, changed = difference(out, REFERENCE)
    assert changed > CHANGED_TOLERANCE


def test_image_size_legend_and_colours(qgis_app, tmp_path):
    lai, qc_layer = crafted_layers(tmp_path)
    with_legend = pixels(render_png([lai, qc_layer], tmp_path / "a.png", width=500))
    without = pixels(render_png([lai, qc_layer], tmp_path / "b.png", width=500, legend=False))
    assert with_legend.shape[2] == without.shape[2] == 500
    assert with_legend.shape[1] > without.shape[1]  # the legend adds height below the maps
    # the valid Sentinel-2 colour of the QC style fills most of the right panel
    rgb = without[:3].reshape(3, -1).T
    assert (np.all(rgb == (178, 223, 138), axis=1)).mean() > 0.1
    single = pixels(render_png([qc_layer], tmp_path / "c.png", width=300))
    assert single.shape[2] == 300


def test_bad_input(qgis_app, tmp_path):
    with pytest.raises(ValueError):
        render_png([], tmp_path / "none.png")
    with pytest.raises(ValueError):
        render_png([QgsRasterLayer("/nowhere.tif", "x", "gdal")], tmp_path / "none.png")
    lai, _ = crafted_layers(tmp_path)
    (tmp_path / "a_file").write_text("")
    with pytest.raises(RuntimeError):
        render_png([lai], tmp_path / "a_file" / "x.png")  # QGIS creates missing folders, but not inside a file
