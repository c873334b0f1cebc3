"""The QGIS plugin object: registers the ``leaf`` Processing provider (also for ``qgis_process``) and the menu.

Load must stay cheap: nothing here imports numpy-heavy modules, GDAL raster code or ``ee``.
"""

from __future__ import annotations

from qgis.core import QgsApplication

from .core.errors import QT_TRANSLATE_NOOP
from .i18n import install_translator, remove_translator, tr

MENU = QT_TRANSLATE_NOOP("leaf", "&LEAF")
"""Plugin menu title (translated when used)."""


class LeafPlugin:
    """Entry point created by :func:`leaf_qgis.classFactory`."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider = None
        self.authenticate_action = None
        install_translator()

    def initProcessing(self) -> None:
        """Register the provider; QGIS calls this for ``qgis_process`` too, where there is no GUI."""
        if self.provider is not None:
            return
        from .algorithms.provider import LeafProvider

        self.provider = LeafProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:
        """Provider plus the "Authenticate with Earth Engine…" menu action (no ``ee`` import until it is used)."""
        self.initProcessing()
        if self.iface is None:  # qgis_process or a script: no menus
            return
        from qgis.PyQt.QtWidgets import QAction

        self.authenticate_action = QAction(tr("Authenticate with Earth Engine…"), self.iface.mainWindow())
        self.authenticate_action.setObjectName("leafAuthenticateEarthEngine")
        self.authenticate_action.triggered.connect(self.authenticate_earth_engine)
        self.iface.addPluginToMenu(tr(MENU), self.authenticate_action)

    def authenticate_earth_engine(self) -> None:
        from .gui.authenticate import authenticate_interactively

        authenticate_interactively(self.iface.mainWindow() if self.iface is not None else None)

    def unload(self) -> None:
        if self.authenticate_action is not None:
            if self.iface is not None:
                self.iface.removePluginMenu(tr(MENU), self.authenticate_action)
            self.authenticate_action.deleteLater()
            self.authenticate_action = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator()
