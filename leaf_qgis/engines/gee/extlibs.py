"""The earthengine-api bundled with the release zip, used only when the Python that runs QGIS has no ``ee`` of its own.

Why: on Debian 12 (and any distribution that marks its Python "externally managed", PEP 668) ``pip install --user
earthengine-api`` into the system Python is refused, and without ``ee`` even the offline dry run is impossible. The
release zip therefore carries earthengine-api and its pure-Python dependencies in ``leaf_qgis/extlibs`` (built by
``make package`` from ``requirements-extlibs.txt``, as the official Earth Engine QGIS plugin does with its own
``extlibs``). Compiled packages (cryptography, protobuf, …) are never bundled: the interpreter's own are used.

The folder is APPENDED to ``sys.path`` and only after ``import ee`` failed: a system-wide earthengine-api, the
official plugin's copy or a developer's venv always wins, and so does any dependency the system already provides
(requests, urllib3, httplib2, … from Debian). Nothing here runs at plugin load: it is called by
:func:`leaf_qgis.engines.gee.session.import_ee`, the single lazy entry point to ``ee``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

EXTLIBS = Path(__file__).resolve().parents[2] / "extlibs"
"""``leaf_qgis/extlibs``: present in the release zip only (never in the git checkout)."""
MIN_PYTHON = (3, 11)
"""The highest Requires-Python of the bundle (earthengine-api 1.7.50): an older QGIS Python gets the install help
instead of a SyntaxError from inside the bundle (checked against the zip by tests/qgis/test_package.py)."""


def add_to_path(folder: Path = EXTLIBS) -> bool:
    """Append ``folder`` to ``sys.path`` (once); False when it does not exist (a source checkout or ``make deploy``)
    or this Python is too old for it."""
    if not folder.is_dir() or sys.version_info < MIN_PYTHON:
        return False
    entry = str(folder)
    if entry not in sys.path:
        sys.path.append(entry)
    # ``google`` may already be imported from elsewhere as a regular package whose __path__ is a fixed list (a
    # namespace package picks up the new sys.path entry by itself); then google.auth would stay invisible.
    google = sys.modules.get("google")
    google_dir = str(folder / "google")
    path = getattr(google, "__path__", None)
    if isinstance(path, list) and google_dir not in path and Path(google_dir).is_dir():
        path.append(google_dir)
    importlib.invalidate_caches()
    return True


def import_ee(folder: Path = EXTLIBS) -> ModuleType:
    """``ee`` from the interpreter if it has one, else from ``folder``; ImportError if neither works."""
    try:
        import ee
    except ImportError:
        if not add_to_path(folder):
            raise
        # A half-imported system ``ee`` (one of its dependencies missing) leaves submodules behind: start clean so
        # the retry resolves them again with the bundled dependencies on the path.
        for name in [n for n in sys.modules if n == "ee" or n.startswith("ee.")]:
            del sys.modules[name]
        import ee
    return ee
