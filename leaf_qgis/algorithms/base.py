"""Shared behaviour of the ``leaf`` algorithms: translation, help links, and turning core errors into
``QgsProcessingException`` with the message translated."""

from __future__ import annotations

from typing import Any, ClassVar

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException

from ..core.errors import QT_TRANSLATE_NOOP, LeafError
from ..i18n import tr

HELP_URL = "https://github.com/leaf-qgis/leaf_qgis#{anchor}"


class LeafAlgorithm(QgsProcessingAlgorithm):
    """Base class: subclasses implement :meth:`execute` instead of ``processAlgorithm``."""

    group_key = "grid"
    help_anchor = "algorithms"

    _GROUPS: ClassVar[dict[str, str]] = {
        "grid": QT_TRANSLATE_NOOP("leaf", "Tile grid"),
        "production": QT_TRANSLATE_NOOP("leaf", "Production"),
        "results": QT_TRANSLATE_NOOP("leaf", "Results"),
        "earth_engine": QT_TRANSLATE_NOOP("leaf", "Earth Engine"),
    }

    def tr(self, text: str) -> str:
        return tr(text)

    def createInstance(self):
        return type(self)()

    def groupId(self) -> str:
        return self.group_key

    def group(self) -> str:
        return tr(self._GROUPS[self.group_key])

    def helpUrl(self) -> str:
        return HELP_URL.format(anchor=self.help_anchor)

    @staticmethod
    def earth_engine(project: str):
        """An initialised Earth Engine session for ``project`` with the plugin's key-file setting (``ee`` is imported
        here, on first use, never at plugin load)."""
        from .. import settings
        from ..engines.gee import session

        return session.initialize(project, settings.ee_service_account_key(), session.api_url())

    def processAlgorithm(self, parameters: dict, context, feedback) -> dict[str, Any]:
        try:
            return self.execute(parameters, context, feedback)
        except LeafError as error:
            raise QgsProcessingException(error.render(tr)) from error

    def execute(self, parameters: dict, context, feedback) -> dict[str, Any]:
        raise NotImplementedError
