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
    from .load_outputs import LoadOutputsAlgorithm
    from .produce_gee import ProduceGeeAlgorithm
    from .produce_local import ProduceLocalAlgorithm
    from .tile_grid import TileGridAlgorithm

    return [TileGridAlgorithm, ProduceLocalAlgorithm, DecodeQcAlgorithm, LoadOutputsAlgorithm, ProduceGeeAlgorithm]


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

    def loadAlgorithms(self) -> None:
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
