"""Fixtures for tests that run the ``leaf`` algorithms through Processing."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def leaf_provider(qgis_processing):
    """Register the ``leaf`` provider once per session, as the plugin's ``initProcessing`` does."""
    from qgis.core import QgsApplication

    from leaf_qgis.algorithms.provider import LeafProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("leaf")
    if provider is None:
        provider = LeafProvider()
        registry.addProvider(provider)
    yield provider


@pytest.fixture()
def run_alg(leaf_provider):
    """``run_alg("tile_grid", {...})`` → results of ``processing.run("leaf:tile_grid", ...)``."""
    import processing

    def run(name: str, parameters: dict, **kwargs):
        return processing.run(f"leaf:{name}", parameters, **kwargs)

    return run
