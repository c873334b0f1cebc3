"""The plugin object: provider registration, unload, and a cheap load (no Earth Engine, no network)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from qgis.core import QgsApplication

ROOT = Path(__file__).resolve().parents[2]


def test_init_gui_registers_the_provider_and_unload_removes_it(qgis_iface):
    from leaf_qgis import classFactory

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("leaf")
    if existing is not None:  # registered by another test's fixture
        registry.removeProvider(existing)
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    provider = registry.providerById("leaf")
    assert provider is not None
    assert "leaf:tile_grid" in [a.id() for a in provider.algorithms()]
    plugin.unload()
    assert registry.providerById("leaf") is None


def test_loading_the_plugin_imports_neither_ee_nor_the_engines(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        from qgis.core import QgsApplication
        app = QgsApplication([], False)
        app.initQgis()
        from leaf_qgis import classFactory
        plugin = classFactory(None)
        plugin.initProcessing()
        heavy = sorted(m for m in sys.modules if m == "ee" or m.startswith(("ee.", "leaf_qgis.engines",
                       "leaf_qgis.core.networks", "leaf_qgis.core.sl2p", "googleapiclient")))
        print("HEAVY", heavy)
        plugin.unload()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                               "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path)})
    line = [x for x in done.stdout.splitlines() if x.startswith("HEAVY")]
    assert line == ["HEAVY []"], done.stdout + done.stderr


def test_init_gui_adds_the_authenticate_action_and_unload_removes_it(qgis_app):
    from unittest.mock import MagicMock

    from leaf_qgis import classFactory

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("leaf")
    if existing is not None:
        registry.removeProvider(existing)
    iface = MagicMock()
    iface.mainWindow.return_value = None
    plugin = classFactory(iface)
    plugin.initGui()
    iface.addPluginToMenu.assert_called_once()
    menu, action = iface.addPluginToMenu.call_args[0]
    assert "LEAF" in menu and action.text() == "Authenticate with Earth Engine…"
    plugin.unload()
    iface.removePluginMenu.assert_called_once_with(menu, action)
    assert plugin.authenticate_action is None and registry.providerById("leaf") is None


def test_init_gui_without_iface_adds_no_menu(qgis_app):
    from leaf_qgis import classFactory

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("leaf")
    if existing is not None:
        registry.removeProvider(existing)
    plugin = classFactory(None)
    plugin.initGui()
    assert plugin.authenticate_action is None
    plugin.unload()


def test_authenticate_action_without_ee_points_to_the_release_zip(qgis_app, monkeypatch):
    from leaf_qgis.gui import authenticate

    shown: list[str] = []
    monkeypatch.setitem(sys.modules, "ee", None)
    monkeypatch.setattr(authenticate.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    assert authenticate.authenticate_interactively(None) is False
    assert len(shown) == 1 and "Install from ZIP" in shown[0] and "Google Earth Engine" in shown[0]


def test_project_id_question_refuses_a_name_and_saves_the_id(qgis_app, monkeypatch):
    from leaf_qgis import settings
    from leaf_qgis.gui import authenticate

    answers = iter([("My LEAF Project", True), ("my-leaf-project", True)])
    warnings = []
    monkeypatch.setattr(authenticate.QInputDialog, "getText", lambda *args, **kwargs: next(answers))
    monkeypatch.setattr(authenticate.QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    previous = settings.ee_project()
    try:
        assert authenticate.ask_project_id(None) == "my-leaf-project"
        assert settings.ee_project() == "my-leaf-project"
        assert len(warnings) == 1 and "My LEAF Project" in warnings[0]
    finally:
        settings.set_value(settings.EE_PROJECT, previous)
