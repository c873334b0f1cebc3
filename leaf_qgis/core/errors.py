"""User-facing errors raised by the core and the engines.

The core cannot import QGIS, so it cannot call ``tr()``. Instead every message template is marked with
``QT_TRANSLATE_NOOP("leaf", ...)`` (which ``make ts`` extracts into ``i18n/leaf_qgis_fr.ts``) and the QGIS layer
translates the template *before* formatting it with the parameters. Parameters are therefore never translated
(tile names, paths and numbers stay as they are) and the message reads naturally in both languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable

TRANSLATION_CONTEXT = "leaf"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for extraction into the translation catalogue without translating it here."""
    return text


class LeafError(Exception):
    """A problem the user can fix: the message says what was wrong and what to do.

    ``template`` is an English ``str.format`` template marked with ``QT_TRANSLATE_NOOP``; ``params`` fill it.
    """

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(self.render())

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """The message, its template translated by ``translate`` (identity by default) then formatted."""
        text = translate(self.template) if translate else self.template
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):  # a broken translation must not hide the error
            return self.template.format(**self.params)



class Cancelled(Exception):  # noqa: N818 - a signal, not an error
    """The user cancelled the run; raised by the engines and the algorithms at the first check after it.

    Not a :class:`LeafError`: nothing is wrong with the input, and the message is the algorithm's own (what a
    cancelled run of that algorithm leaves), said once by ``LeafAlgorithm.processAlgorithm``. ``kept``: files the run
    had already finished and leaves in place (e.g. a plan written before the cancellation), named in that message;
    whatever is not named there was not written, or was removed.
    """

    def __init__(self, kept: Sequence[str] = ()) -> None:
        self.kept = tuple(str(path) for path in kept if path)
        super().__init__("Cancelled.")
