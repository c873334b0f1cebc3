"""Translation helpers for the QGIS layer: ``tr()`` and the translator for the user's locale.

All plugin strings live in translation context ``leaf`` (core messages are marked with ``QT_TRANSLATE_NOOP("leaf",
…)``), so one catalogue ``i18n/leaf_qgis_<lang>.ts`` covers the whole plugin.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from .core.errors import TRANSLATION_CONTEXT

I18N_DIR = Path(__file__).resolve().parent / "i18n"
_translator: QTranslator | None = None


def tr(text: str) -> str:
    """Translate ``text`` (context ``leaf``)."""
    return QCoreApplication.translate(TRANSLATION_CONTEXT, text)


def user_language() -> str:
    """Two-letter language of the QGIS user interface (``locale/userLocale``, else the system locale)."""
    locale = QgsSettings().value("locale/userLocale", "") or QLocale.system().name()
    return str(locale)[:2]


def install_translator(language: str | None = None) -> bool:
    """Load ``leaf_qgis_<language>.qm`` into the application; True when a catalogue was installed."""
    global _translator
    language = language or user_language()
    qm = I18N_DIR / f"leaf_qgis_{language}.qm"
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator = None
    if not qm.is_file():
        return False
    translator = QTranslator()
    if not translator.load(str(qm)):
        return False
    QCoreApplication.installTranslator(translator)
    _translator = translator
    return True


def remove_translator() -> None:
    global _translator
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator = None
