"""LEAF styles in QGIS: QC classes and labels, product ranges (uint8 with scale and float32), dates, NALCMS partition,
``.qml`` files beside the rasters, and what is left alone."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsRasterLayer, QgsRasterMinMaxOrigin
from qgis.PyQt.QtGui import QColor

from leaf_qgis.core import qc
from leaf_qgis.core.products import PRODUCTS
from leaf_qgis.styling import styles
from leaf_qgis.styling.styles import STYLE_PROPERTY, style_layer
from tests.local_factory import write_raster

SENSORS = {5: "Landsat 5", 7: "Landsat 7", 8: "Landsat 8", 9: "Landsat 9", 21: "Sentinel-2"}
COMBOS = list(itertools.product((0, 1), repeat=3))  # (domain, range, invalid)
ALL_QC = sorted(qc.encode(code, *flags) for code in SENSORS for flags in COMBOS)


def layer_of(path) -> QgsRasterLayer:
    layer = QgsRasterLayer(str(path), Path(path).stem, "gdal")
    assert layer.isValid()
    return layer


def qc_raster(folder: Path, values, name: str = "tile55_2020_Jul_QC_20m.tif") -> str:
    array = np.zeros((8, 8), dtype=np.uint8)  # QC nodata everywhere else
    array.flat[: len(values)] = values
    return write_raster(folder / name, array, nodata=0)


def classes(layer: QgsRasterLayer) -> list[tuple[int, str, str]]:
    """(value, label, #aarrggbb) per class of a paletted renderer."""
    return [(int(c.value), c.label, c.color.name(QColor.HexArgb)) for c in layer.renderer().classes()]


def rgba(layer: QgsRasterLayer, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """The colours the layer's renderer draws, pixel by pixel in row order."""
    block = layer.renderer().block(1, layer.extent(), width, height)
    colors = [QColor.fromRgba(block.color(r, c)) for r in range(height) for c in range(width)]
    return [(q.red(), q.green(), q.blue(), q.alpha()) for q in colors]


def test_qc_gets_one_class_per_value_present_for_every_flag_combination_and_sensor(tmp_path):
    layer = layer_of(qc_raster(tmp_path, ALL_QC))
    assert style_layer(layer)
    assert layer.renderer().type() == "paletted"
    found = classes(layer)
    assert [v for v, _, _ in found] == ALL_QC  # 40 classes, nodata 0 left out
    labels = {v: label for v, label, _ in found}
    assert len(set(labels.values())) == 40
    assert labels[168] == "Sentinel-2 · valid"
    assert labels[65] == "Landsat 8 · input outside training domain"
    assert labels[78] == "Landsat 9 · output out of range · invalid or flagged"
    assert labels[47] == ("Landsat 5 · input outside training domain · output out of range · "
                          "invalid or flagged")
    assert labels[58] == "Landsat 7 · output out of range"
    for code, name in SENSORS.items():
        for flags in COMBOS:
            words = [w for w, on in zip(("input outside training domain", "output out of range",
                                         "invalid or flagged"), flags) if on] or ["valid"]
            assert labels[qc.encode(code, *flags)] == " · ".join([name, *words])


def test_qc_colours_follow_the_flag_state_not_the_sensor(tmp_path):
    layer = layer_of(qc_raster(tmp_path, ALL_QC))
    style_layer(layer)
    colour = {v: QColor(c) for v, _, c in classes(layer)}
    by_state = {}
    for code in SENSORS:
        for flags in COMBOS:
            by_state.setdefault(flags, set()).add(colour[qc.encode(code, *flags)].name())
    assert all(len(names) == 1 for names in by_state.values())  # same state → same colour for every sensor
    assert len({next(iter(n)) for n in by_state.values()}) == 8  # eight states → eight colours
    valid = colour[qc.encode(21)]
    assert (valid.red(), valid.green(), valid.blue()) == (178, 223, 138)  # light green
    grey = colour[qc.encode(8, invalid=1)]
    assert grey.red() == grey.green() == grey.blue() == 150
    domain = colour[qc.encode(8, input_out_of_domain=1)]
    assert domain.red() > 200 and domain.green() < 60  # red
    out_range = colour[qc.encode(8, output_out_of_range=1)]
    assert out_range.red() > 240 and 150 < out_range.green() < 200  # orange


def test_qc_classes_only_for_values_present_and_nodata_transparent(tmp_path):
    values = [qc.encode(9), qc.encode(9, invalid=1), qc.encode(21, 1, 0, 0)]
    layer = layer_of(qc_raster(tmp_path, values))
    style_layer(layer)
    assert [v for v, _, _ in classes(layer)] == sorted(values)
    pixels = rgba(layer, 8, 8)
    assert pixels[0] == (178, 223, 138, 255)
    assert pixels[1] == (150, 150, 150, 255)
    assert pixels[10][3] == 0  # QC nodata draws nothing


def test_value_counts_are_exact_across_blocks(tmp_path):
    array = np.full((600, 700), qc.encode(8), dtype=np.uint8)
    array[-1, -1] = qc.encode(5, invalid=1)  # only in the last block
    array[0, :10] = 0
    path = write_raster(tmp_path / "x.tif", array, nodata=0)
    assert styles.value_counts(path) == {qc.encode(8): 600 * 700 - 11, qc.encode(5, invalid=1): 1}


@pytest.mark.parametrize("key", list(PRODUCTS))
def test_product_ranges_are_fixed_and_physical_for_uint8_with_scale_and_float32(tmp_path, key):
    product = PRODUCTS[key]
    low, high = product.display_range
    mid = (low + high) / 2
    token = product.file_token
    dn = np.array([[0, round(mid * product.leaf_scale), round(high * product.leaf_scale), 255]], dtype=np.uint8)
    uint8 = tmp_path / f"tile55_2020_Jul_{token}_20m.tif"
    write_raster(uint8, dn, nodata=255)
    ds = gdal.Open(str(uint8), gdal.GA_Update)
    ds.GetRasterBand(1).SetScale(1.0 / product.leaf_scale)
    ds.GetRasterBand(1).SetOffset(0.0)
    ds = None
    floats = write_raster(tmp_path / f"tile55_20200601-20200715_{token}_20m.tif",
                          np.array([[low, mid, high, np.nan]], dtype=np.float32), nodata=float("nan"))
    drawn = []
    for path in (uint8, floats):
        layer = layer_of(path)
        assert style_layer(layer)
        renderer = layer.renderer()
        assert renderer.type() == "singlebandpseudocolor"
        assert (renderer.classificationMin(), renderer.classificationMax()) == pytest.approx((low, high))
        assert renderer.minMaxOrigin().limits() == QgsRasterMinMaxOrigin.None_
        items = renderer.shader().rasterShaderFunction().colorRampItemList()
        assert [i.value for i in items] == pytest.approx(list(np.linspace(low, high, 5)))
        assert [i.color.name() for i in items] == list(styles.product_colors(product))
        drawn.append(rgba(layer, 4, 1))
    assert drawn[0] == drawn[1]  # QGIS applies the band scale: DN and physical values draw alike
    ramp = styles.product_colors(product)
    assert drawn[0][0][:3] == QColor(ramp[0]).getRgb()[:3]
    assert drawn[0][1][:3] == QColor(ramp[2]).getRgb()[:3]
    assert drawn[0][2][:3] == QColor(ramp[-1]).getRgb()[:3]
    assert drawn[0][3][3] == 0


def test_lai_ranges_and_legend_in_physical_units(tmp_path):
    layer = layer_of(write_raster(tmp_path / "tile55_2020_LAI_20m.tif", np.ones((2, 2), dtype=np.float32)))
    style_layer(layer)
    labels = [i.label for i in layer.renderer().shader().rasterShaderFunction().colorRampItemList()]
    assert labels == ["0 m²/m²", "2 m²/m²", "4 m²/m²", "6 m²/m²", "8 m²/m²"]
    # LAI above the display range (up to 12.7 in the LEAF encoding) keeps the top colour, it is not dropped.
    above = write_raster(tmp_path / "tile55_2021_LAI_20m.tif", np.full((1, 1), 12.0, dtype=np.float32))
    layer = layer_of(above)
    style_layer(layer)
    assert rgba(layer, 1, 1)[0] == (*QColor("#004529").getRgb()[:3], 255)


def test_uncertainty_layers_use_half_the_range_and_their_own_ramp(tmp_path):
    layer = layer_of(write_raster(tmp_path / "tile55_2020_Jul_LAI_Error_20m.tif", np.ones((2, 2), np.float32)))
    assert style_layer(layer)
    assert (layer.renderer().classificationMin(), layer.renderer().classificationMax()) == (0.0, 4.0)
    items = layer.renderer().shader().rasterShaderFunction().colorRampItemList()
    assert [i.color.name() for i in items] == list(styles.ERROR_RAMP)


def test_date_map_labels_are_calendar_dates(tmp_path):
    days = [18446, 18460, 18474]  # 2020-07-03, 2020-07-17, 2020-07-31
    array = np.array([[days[0], days[1], days[2], 0]], dtype=np.uint16)
    layer = layer_of(write_raster(tmp_path / "tile55_2020_Jul_Date_20m.tif", array, nodata=0))
    assert style_layer(layer)
    assert layer.renderer().type() == "paletted"
    found = classes(layer)
    assert [(v, label) for v, label, _ in found] == [(18446, "2020-07-03"), (18460, "2020-07-17"),
                                                      (18474, "2020-07-31")]
    # Coloured within the month (1 … 31 July): the 31st is the last ramp colour, the 3rd near the first.
    assert QColor(found[2][2]).name() == styles.DATE_RAMP[-1]
    assert QColor(found[0][2]).name() != QColor(found[1][2]).name()


def test_long_date_ranges_get_a_ramp_with_dated_stops(tmp_path):
    start = 18262  # 2020-01-01
    array = (start + np.arange(200, dtype=np.uint16)).reshape(10, 20)
    layer = layer_of(write_raster(tmp_path / "tile55_20200101-20200718_Date_20m.tif", array, nodata=0))
    assert style_layer(layer)
    renderer = layer.renderer()
    assert renderer.type() == "singlebandpseudocolor"
    labels = [i.label for i in renderer.shader().rasterShaderFunction().colorRampItemList()]
    assert labels[0] == "2020-01-01" and labels[-1] == "2020-07-18"


def test_partition_uses_the_nalcms_legend(tmp_path):
    array = np.array([[1, 5, 15, 18, 0, 42]], dtype=np.uint8)
    layer = layer_of(write_raster(tmp_path / "tile55_2020_Partition_20m.tif", array, nodata=0))
    assert style_layer(layer)
    found = [(v, label, QColor(c).name()) for v, label, c in classes(layer)]
    assert found == [
        (1, "Temperate or sub-polar needleleaf forest", "#033e00"),
        (5, "Temperate or sub-polar broadleaf deciduous forest", "#5b725c"),
        (15, "Cropland", "#e6ad6a"),
        (18, "Water", "#4c73a1"),
        (42, "class 42 (not in the NALCMS legend)", "#808080"),
    ]


def test_qml_is_written_and_reloads_to_the_same_renderer(tmp_path):
    path = qc_raster(tmp_path, ALL_QC)
    layer = layer_of(path)
    assert style_layer(layer)
    qml = tmp_path / "tile55_2020_Jul_QC_20m.qml"
    assert qml.is_file() and STYLE_PROPERTY in qml.read_text()
    expected = classes(layer)

    fresh = QgsRasterLayer(path, "again", "gdal")  # QGIS loads <file>.qml as the default style: no plugin needed
    assert fresh.renderer().type() == "paletted" and classes(fresh) == expected

    other = QgsRasterLayer(path, "explicit", "gdal")
    message, ok = other.loadNamedStyle(str(qml))
    assert ok, message
    assert classes(other) == expected
    assert other.customProperty(STYLE_PROPERTY) == "QC"


def test_product_qml_reloads_with_the_fixed_range(tmp_path):
    path = write_raster(tmp_path / "tile55_2020_Aug_fAPAR_20m.tif", np.ones((3, 3), dtype=np.float32) / 2)
    assert style_layer(layer_of(path))
    fresh = QgsRasterLayer(path, "again", "gdal")
    renderer = fresh.renderer()
    assert renderer.type() == "singlebandpseudocolor"
    assert (renderer.classificationMin(), renderer.classificationMax()) == (0.0, 1.0)
    items = renderer.shader().rasterShaderFunction().colorRampItemList()
    assert [i.color.name() for i in items] == list(styles.product_colors(PRODUCTS["FAPAR"]))


def test_our_qml_is_replaced_but_a_users_qml_is_kept(tmp_path):
    path = qc_raster(tmp_path, [qc.encode(8)])
    qml = tmp_path / "tile55_2020_Jul_QC_20m.qml"
    assert style_layer(layer_of(path))
    write_raster(path, np.full((8, 8), qc.encode(9), dtype=np.uint8), nodata=0)
    assert style_layer(layer_of(path))  # a re-run: our own style is refreshed
    assert "Landsat 9 · valid" in qml.read_text()

    qml.unlink()
    user = layer_of(path)
    user.saveNamedStyle(str(qml))  # the user's own style (no LEAF marker)
    before = qml.read_text()
    layer = layer_of(path)
    assert not style_layer(layer)
    assert qml.read_text() == before
    assert layer.customProperty(STYLE_PROPERTY) is None


def test_unrecognised_files_are_not_styled_and_get_no_qml(tmp_path):
    path = write_raster(tmp_path / "my_map.tif", np.ones((2, 2), dtype=np.uint8))
    layer = layer_of(path)
    renderer_type = layer.renderer().type()
    assert not style_layer(layer)
    assert layer.renderer().type() == renderer_type
    assert not (tmp_path / "my_map.qml").exists()


def test_renamed_local_outputs_are_recognised_from_their_metadata(tmp_path):
    path = write_raster(tmp_path / "renamed.tif", np.ones((2, 2), dtype=np.float32))
    ds = gdal.Open(path, gdal.GA_Update)
    ds.SetMetadataItem("LEAF_QGIS_OUTPUT", "FCOVER_ERROR")
    ds = None
    layer = layer_of(path)
    assert styles.recognise(layer) == ("FCOVER", True)
    assert style_layer(layer)
    assert layer.renderer().classificationMax() == 0.5


def test_labels_go_through_the_translation_catalogue(tmp_path):
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    french = {"valid": "valide", "Landsat 8": "Landsat 8", "output out of range": "sortie hors plage",
              "Cropland": "Terres cultivées"}

    class Catalogue(QTranslator):
        def translate(self, context, text, disambiguation=None, n=-1):
            return french.get(text, "") if context == "leaf" else ""

        def isEmpty(self):
            return False

    catalogue = Catalogue()
    QCoreApplication.installTranslator(catalogue)
    try:
        assert styles.qc_label(qc.encode(8)) == "Landsat 8 · valide"
        assert styles.qc_label(qc.encode(8, output_out_of_range=1)) == "Landsat 8 · sortie hors plage"
        layer = layer_of(write_raster(tmp_path / "tile55_2020_Partition_20m.tif", np.full((2, 2), 15, np.uint8)))
        style_layer(layer)
        assert classes(layer)[0][1] == "Terres cultivées"
    finally:
        QCoreApplication.removeTranslator(catalogue)
    assert styles.qc_label(qc.encode(8)) == "Landsat 8 · valid"


def test_a_product_without_a_known_ramp_gets_the_default_ramp_not_a_key_error(tmp_path, monkeypatch):
    import dataclasses

    from leaf_qgis.core import products as table

    odd = dataclasses.replace(PRODUCTS["CWC"], ramp="no-such-ramp")
    monkeypatch.setitem(PRODUCTS, "CWC", odd)
    assert styles.product_colors(odd) == styles.RAMPS[table.DEFAULT_RAMP]
    path = write_raster(tmp_path / "tile55_2020_Jul_CWC_20m.tif", np.array([[0.1, 0.2]], dtype=np.float32),
                        nodata=float("nan"))
    layer = layer_of(path)
    assert style_layer(layer)
    items = layer.renderer().shader().rasterShaderFunction().colorRampItemList()
    assert [i.color.name() for i in items] == list(styles.RAMPS[table.DEFAULT_RAMP])
    assert items[-1].label == "0.3 g/cm²"
