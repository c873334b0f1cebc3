"""Every algorithm explains itself: help text, and a help link to an existing README section."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def github_anchor(heading: str) -> str:
    """GitHub's heading slug: lower case, punctuation dropped (not '-' or '_'), spaces → '-'."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_help_links_point_to_readme_sections_and_help_texts_are_substantial(leaf_provider):
    anchors = {github_anchor(line.lstrip("#")) for line in README.read_text(encoding="utf-8").splitlines()
               if line.startswith("#")}
    algorithms = [a for a in leaf_provider.algorithms() if not a.id().startswith("leaf:example")]
    assert len(algorithms) >= 5
    for algorithm in algorithms:
        url = algorithm.helpUrl()
        if "#" not in url:
            continue  # models carry their own help
        anchor = url.split("#", 1)[1]
        assert anchor in anchors, (algorithm.id(), anchor)
        assert len(algorithm.shortHelpString()) > 200, algorithm.id()


def test_help_is_generated_from_the_tables(leaf_provider):
    """Products (units, valid ranges, encodings), sensors (band stacks) and QC bits come from the core tables: a new
    product or sensor appears in the help without editing prose."""
    from qgis.core import QgsApplication

    from leaf_qgis.core import qc
    from leaf_qgis.core.products import PRODUCTS
    from leaf_qgis.core.sensors import SENSORS

    registry = QgsApplication.processingRegistry()
    local = registry.algorithmById("leaf:produce_local").create()
    products_help = local.parameterDefinition("PRODUCTS").help()
    for product in PRODUCTS.values():
        assert f"<b>{product.key}" in products_help
        assert f"× {product.leaf_scale:g}" in products_help
    assert "Canopy chlorophyll content, µg/cm²; valid range 0–600" in products_help
    assert "DN = value × 0.4 (a step of 2.5)" in products_help and "SNAP calls it LAI_Cab" in products_help
    assert "Canopy water content, g/cm²; valid range 0–0.55" in products_help
    sensor_help = local.parameterDefinition("SENSOR").help()
    for sensor in SENSORS.values():
        assert f"<b>{sensor.key}</b>" in sensor_help and ", ".join(sensor.spectral_inputs) in sensor_help
    text = local.shortHelpString()
    assert "<h3>Products</h3>" in text and products_help in text and sensor_help in text
    for bit, meaning in qc.BIT_MEANINGS:
        assert f"bit {bit} ({1 << bit}): {meaning}" in text
    assert "Sentinel-2 21" in text
    gee = registry.algorithmById("leaf:produce_gee").create()
    gee_products = gee.parameterDefinition("PRODUCTS").help()
    assert "<b>CCC</b>" in gee_products and "<b>Date</b>: Acquisition date, uint16, 0 = no data" in gee_products
    assert gee.parameterDefinition("PRODUCTS").defaultValue() == ["LAI", "FCOVER", "FAPAR", "ALBEDO", "DATE"]
    assert local.parameterDefinition("PRODUCTS").defaultValue() == ["LAI", "FCOVER", "FAPAR", "ALBEDO"]
    assert "L9 (Landsat 9, 2021 on)" in gee.shortHelpString()
    assert "bit 2 (4)" in registry.algorithmById("leaf:decode_qc").shortHelpString()
    assert "CCC, CWC" in registry.algorithmById("leaf:load_outputs").shortHelpString()


def test_region_name_field_help_states_the_cut_and_the_cross_layer_limit(leaf_provider):
    """REGION_NAME_FIELD's values are used as the user chose them: the help says they are cut to 40 characters and
    checked within one layer only (two layers with P1…P20 share folders and task names), in the dialog's tooltip
    and in the algorithm's help."""
    from qgis.core import QgsApplication

    gee = QgsApplication.processingRegistry().algorithmById("leaf:produce_gee").create()
    field_help = gee.parameterDefinition("REGION_NAME_FIELD").help()
    assert "cut to 40 characters" in field_help and "unique within their first 40 characters" in field_help
    assert "checked within this layer only" in field_help and "(e.g. P1…P20)" in field_help
    assert "submit skips the second layer's tasks" in field_help
    assert field_help in gee.shortHelpString()
    for readme in (README, README.with_name("README.fr.md")):
        text = " ".join(readme.read_text(encoding="utf-8").split())
        assert "`P1`…`P20`" in text and ("40 characters" in text or "40 premiers caractères" in text), readme
