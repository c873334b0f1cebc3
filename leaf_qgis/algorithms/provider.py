"""The ``leaf`` Processing provider."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..i18n import tr

ICON = Path(__file__).resolve().parents[1] / "icon.svg"


def algorithm_classes() -> list[type]:
    """Every algorithm the provider offers (imported here so that registering stays the only import cost)."""
    from .decode_qc import DecodeQcAlgorithm
    from .ee_tasks import EeTasksAlgorithm
    from .load_outputs import LoadOutputsAlgorithm
    from .produce_gee import ProduceGeeAlgorithm
    from .produce_local import ProduceLocalAlgorithm
    from .sample_sites import SampleSitesAlgorithm
    from .tile_grid import TileGridAlgorithm

    return [TileGridAlgorithm, ProduceLocalAlgorithm, DecodeQcAlgorithm, LoadOutputsAlgorithm, ProduceGeeAlgorithm,
            EeTasksAlgorithm, SampleSitesAlgorithm]


class LeafProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "leaf"

    def name(self) -> str:
        return tr("LEAF (CCRS SL2P)")

    def longName(self) -> str:
        return tr("LEAF: Landscape Evolution And Forecasting — SL2P LAI, fCOVER, fAPAR and albedo")

    def icon(self) -> QIcon:
        return QIcon(str(ICON))

    def svgIconPath(self) -> str:
        return str(ICON)

    def load(self) -> bool:
        """Register the provider's options (networks folder, Earth Engine project, service-account key file) in
        Settings › Options › Processing › Providers, then the algorithms."""
        _add_settings(self.name())
        self.refreshAlgorithms()
        return True

    def unload(self) -> None:
        _remove_settings()

    def loadAlgorithms(self) -> None:
        from ..models import add_example_models

        for cls in algorithm_classes():
            self.addAlgorithm(cls())
        add_example_models(self)  # leaf_qgis/models/*.model3, as leaf:<model name>


def _settings_definitions() -> list[tuple[str, str, int]]:
    from .. import settings

    return [
        (settings.NETWORKS_FOLDER, tr("SL2P networks folder (empty: bundled, cache, or download)"), 2),
        (settings.EE_PROJECT, tr("Earth Engine Cloud project id"), 0),
        (settings.EE_SERVICE_ACCOUNT_KEY, tr("Earth Engine service-account key file (optional)"), 1),
    ]


def _add_settings(group: str) -> None:
    """Processing's options dialog lives in the ``processing`` plugin, absent in some embeddings: then skip."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig, Setting
    except ImportError:
        return
    kinds = {0: Setting.STRING, 1: Setting.FILE, 2: Setting.FOLDER}
    for name, label, kind in _settings_definitions():
        ProcessingConfig.addSetting(Setting(group, name, label, "", valuetype=kinds[kind]))
    ProcessingConfig.readSettings()


def _remove_settings() -> None:
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
    except ImportError:
        return
    for name, _, _ in _settings_definitions():
        ProcessingConfig.removeSetting(name)
