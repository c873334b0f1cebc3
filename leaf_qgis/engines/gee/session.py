"""Access to the ``ee`` module: lazy import, offline initialisation and a count of server round trips.

Why offline: a dry run must need no credentials and no network (CI machines, first-time users, air-gapped offices).
earthengine-api ships ``ee/tests/algorithms.json``, the server's algorithm signatures; once ``ee.data.getAlgorithms``
returns them and the Cloud API resource is not installed, ``ee.Initialize`` succeeds offline and every graph builds
and serialises exactly as it would against the server (this is how earthengine-api's own ``apitestcase`` works). Only
``Task.start()`` and ``getInfo()`` need the server.

If the user's QGIS already holds an initialised ``ee`` session (e.g. the official Earth Engine plugin), it is used as is
and left untouched; an offline session we open ourselves is reset when we leave, so a later real initialisation
starts clean.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...core.errors import QT_TRANSLATE_NOOP, LeafError

OFFLINE_PROJECT = "leaf-dry-run"
"""Project id used for offline sessions (never sent anywhere)."""

_lock = threading.RLock()
_signatures_cache: dict[str, Any] | None = None
_raw_signatures_cache: dict[str, dict] | None = None


def import_ee() -> Any:
    """The ``ee`` module, or a :class:`LeafError` that tells the user how to install it."""
    try:
        import ee
    except ImportError as error:
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The Earth Engine Python API (earthengine-api) is not installed in the Python that runs QGIS. "
                "Install the 'Google Earth Engine' QGIS plugin, or run: python -m pip install earthengine-api "
                "({detail}).",
            ),
            detail=str(error),
        ) from error
    return ee


def signatures_path() -> Path:
    """``algorithms.json`` shipped inside earthengine-api."""
    ee = import_ee()
    path = Path(ee.__file__).resolve().parent / "tests" / "algorithms.json"
    if not path.is_file():
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "This earthengine-api installation does not ship the algorithm signatures ({path}) needed to build "
                "a plan without connecting to Earth Engine. Reinstall earthengine-api from PyPI.",
            ),
            path=str(path),
        )
    return path


def raw_signatures() -> dict[str, dict]:
    """Algorithm signatures as shipped: ``{"Image.add": {"arguments": [...], ...}}`` (names without prefix)."""
    global _raw_signatures_cache
    with _lock:
        if _raw_signatures_cache is None:
            data = json.loads(signatures_path().read_text(encoding="utf-8"))
            _raw_signatures_cache = {
                entry["name"].split("/", 1)[-1]: entry for entry in data.get("algorithms", [])
            }
        return _raw_signatures_cache


def _converted_signatures() -> dict[str, Any]:
    global _signatures_cache
    with _lock:
        if _signatures_cache is None:
            from ee import _cloud_api_utils

            data = json.loads(signatures_path().read_text(encoding="utf-8"))
            _signatures_cache = _cloud_api_utils.convert_algorithms(data)
        return _signatures_cache


class RoundTripCounter:
    """Counts calls that would reach the Earth Engine servers while it is active (the dry run's target is 0)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    @property
    def count(self) -> int:
        return len(self.calls)


@contextlib.contextmanager
def count_round_trips() -> Iterator[RoundTripCounter]:
    """Wrap ``ee.data._execute_cloud_call`` (every REST call goes through it) and count the calls."""
    ee = import_ee()
    counter = RoundTripCounter()
    original = ee.data._execute_cloud_call

    def counting(call: Any, *args: Any, **kwargs: Any) -> Any:
        counter.calls.append(repr(call)[:200])
        return original(call, *args, **kwargs)

    ee.data._execute_cloud_call = counting
    try:
        yield counter
    finally:
        ee.data._execute_cloud_call = original


@contextlib.contextmanager
def offline_session(project: str = "") -> Iterator[Any]:
    """Yield ``ee`` ready to build graphs without credentials or network.

    An existing initialised session is reused untouched. Otherwise ``ee`` is initialised from the shipped signatures
    (no HTTP client installed and the data-catalogue fetch replaced, so nothing leaves the machine) and reset on exit.
    """
    ee = import_ee()
    with _lock:
        if ee.data.is_initialized():
            yield ee
            return
        signatures = _converted_signatures()
        original_install = ee.data._install_cloud_api_resource
        original_get = ee.data.getAlgorithms
        original_catalog = ee.deprecation._FetchDataCatalogStac
        ee.Reset()
        ee.data._install_cloud_api_resource = lambda: None
        ee.data.getAlgorithms = lambda: signatures
        # Initialize() fetches the public data catalogue to warn about deprecated assets: an HTTP request we must
        # not make offline (it would hang behind a firewall).
        ee.deprecation._FetchDataCatalogStac = lambda: {}
        try:
            ee.Initialize(None, "", project=project or OFFLINE_PROJECT)
            yield ee
        finally:
            ee.Reset()
            ee.data._install_cloud_api_resource = original_install
            ee.data.getAlgorithms = original_get
            ee.deprecation._FetchDataCatalogStac = original_catalog
