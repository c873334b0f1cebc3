"""The QGIS plugin object: registers the ``leaf`` Processing provider (also for ``qgis_process``) and the menu.

Load must stay cheap: nothing here imports numpy-heavy modules, GDAL raster code or ``ee``.
"""

from __future__ import annotations

from qgis.core import QgsApplication

from .i18n import install_translator, remove_translator


class LeafPlugin:
    """Entry point created by :func:`leaf_qgis.classFactory`."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider = None
        install_translator()

    def initProcessing(self) -> None:
        """Register the provider; QGIS calls this for ``qgis_process`` too, where there is no GUI."""
        if self.provider is not None:
            return
        from .algorithms.provider import LeafProvider

        self.provider = LeafProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:
        self.initProcessing()

    def unload(self) -> None:
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator()
