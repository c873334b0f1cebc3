"""Fixtures for tests that run the ``leaf`` algorithms through Processing."""

from __future__ import annotations

import pytest

_KEEP_ALIVE: list = []
"""Providers registered by the tests: PyQGIS does not take ownership, a collected provider would vanish."""


def ensure_leaf_provider():
    """The registered ``leaf`` provider, registering a new one if none is (a test may have unloaded the plugin)."""
    from qgis.core import QgsApplication

    from leaf_qgis.algorithms.provider import LeafProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("leaf")
    if provider is None:
        provider = LeafProvider()
        registry.addProvider(provider)
        _KEEP_ALIVE.append(provider)
    return provider


@pytest.fixture()
def leaf_provider(qgis_processing):
    """The ``leaf`` provider, registered as the plugin's ``initProcessing`` does."""
    return ensure_leaf_provider()


@pytest.fixture()
def run_alg(leaf_provider):
    """``run_alg("tile_grid", {...})`` → results of ``processing.run("leaf:tile_grid", ...)``."""
    import processing

    def run(name: str, parameters: dict, **kwargs):
        ensure_leaf_provider()
        return processing.run(f"leaf:{name}", parameters, **kwargs)

    return run


@pytest.fixture(scope="session")
def qgis_process(tmp_path_factory):
    """Run ``qgis_process.bin`` against the plugin deployed by ``make deploy`` into a temporary plugins folder,
    with a throwaway profile that enables it. Returns ``run(*args) -> CompletedProcess``."""
    import os
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    base = tmp_path_factory.mktemp("qgis_process")
    plugins, profile = base / "plugins", base / "profile"
    subprocess.run(["make", "-s", "-C", str(root), "deploy", f"DEST={plugins}"], check=True,
                   capture_output=True, text=True)
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nleaf_qgis=true\n")
    env = dict(os.environ)
    env.update(QGIS_PLUGINPATH=str(plugins), QGIS_CUSTOM_CONFIG_PATH=str(profile), QT_QPA_PLATFORM="offscreen",
               PATH=f"{root / '.venv' / 'bin'}:{env.get('PATH', '')}")

    def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(["qgis_process.bin", *args], env=env, capture_output=True, text=True,
                              timeout=timeout, cwd=base)

    run.plugins = plugins
    run.workdir = base
    return run


@pytest.fixture()
def project():
    """The project Processing loads into, emptied before and after each test."""
    from qgis.core import QgsProject

    instance = QgsProject.instance()
    instance.clear()
    yield instance
    instance.clear()


@pytest.fixture()
def cancelling():
    """``cancelling(n)``: a Processing feedback that answers ``n`` cancellation checks "go on", then cancels with
    ``QgsProcessingFeedback.cancel()`` (what the dialog's Cancel button does), so a test can cancel a run midway."""
    from qgis.core import QgsProcessingFeedback

    class CancelAfter(QgsProcessingFeedback):
        def __init__(self, checks: int) -> None:
            super().__init__()
            self.checks = checks
            self.asked = 0

        def isCanceled(self) -> bool:
            self.asked += 1
            if self.asked > self.checks:
                self.cancel()
            return super().isCanceled()

    return CancelAfter
