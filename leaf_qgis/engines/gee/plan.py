"""The dry-run plan: every export task of a request, with the client library's own serialization of its image.

A plan is what a submission would send, written down first: users (and reviewers) see every file name, destination,
grid and region before anything runs, and the ``expression`` of each task is ``ee.Image.serialize()`` of the image
the task exports (the export's clip and grid reprojection included), so a plan can be replayed, diffed or audited.
Building a plan needs no credentials and sends nothing (:func:`leaf_qgis.engines.gee.session.offline_session`); the
plan records how many server round trips happened while building (0).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import time
import types
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...core.errors import QT_TRANSLATE_NOOP, LeafError
from ...core.network_store import write_atomically
from ...core.networks import NetworkSet
from .exports import build_task, export_spec
from .request import GeeRequest
from .session import count_round_trips, offline_session
from .workflow import WorkflowBuilder

PLAN_VERSION = 1

Progress = Callable[[int, int], bool]
"""``progress(done, total)`` → False to cancel."""


def request_json(request: GeeRequest) -> dict[str, Any]:
    return {
        "sensor": request.sensor.key,
        "regions": [r.name for r in request.regions],
        "periods": [p.to_json() for p in request.periods],
        "products": list(request.products),
        "maps": list(request.maps),
        "resolution_m": request.resolution_m,
        "destination": request.destination,
        "folder": request.folder,
        "bucket": request.bucket,
        "asset_root": request.asset_root,
        "project": request.project,
        "time_score_weight": request.time_score_weight,
        "crs": request.crs,
    }


def export_count(request: GeeRequest) -> int:
    """Number of tasks the plan will hold (computed without ``ee``)."""
    years = {p.year for p in request.periods}
    per_region = len(request.periods) * len(request.outputs_per_period())
    if "PARTITION" in request.maps:
        per_region += len(years)
    return len(request.regions) * per_region


@contextlib.contextmanager
def cached_argspecs() -> Iterator[None]:
    """``ee.Image(...)`` looks up its own signature with ``inspect.getfullargspec`` on every call (earthengine-api's
    deprecated-asset check): about 13 % of a plan's build time. The functions do not change while a plan is built,
    so their signatures are cached for that time; the module is restored afterwards."""
    try:
        from ee import deprecation
    except ImportError:
        yield
        return
    original = getattr(deprecation, "inspect", None)
    if original is None or not hasattr(original, "getfullargspec"):
        yield
        return
    deprecation.inspect = types.SimpleNamespace(getfullargspec=functools.lru_cache(maxsize=None)(
        original.getfullargspec))
    try:
        yield
    finally:
        deprecation.inspect = original


def build_plan(
    request: GeeRequest,
    network_set: NetworkSet | None = None,
    *,
    shared: bool = True,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Build every export of ``request`` offline and return the plan (a JSON-ready dict).

    ``shared=False`` rebuilds the whole workflow for every export (one product at a time, as a naive script would):
    the benchmark's comparison.
    """
    started = time.perf_counter()
    total = export_count(request)
    exports: list[dict[str, Any]] = []
    with offline_session(request.project) as ee, count_round_trips() as counter, cached_argspecs():
        builder = WorkflowBuilder(ee, request, network_set)
        nets = builder.network_set
        for region in request.regions:
            geometry = builder.geometry(region)
            jobs: list[tuple[str, Any]] = []
            if "PARTITION" in request.maps:
                for year in sorted({p.year for p in request.periods}):
                    jobs.append(("PARTITION", (None, year)))
            for period in request.periods:
                for key in request.outputs_per_period():
                    jobs.append((key, (period, period.year)))
            for key, (period, year) in jobs:
                if progress is not None and progress(len(exports), total) is False:
                    raise LeafError(QT_TRANSLATE_NOOP("leaf", "Cancelled."))
                current = builder if shared else WorkflowBuilder(ee, request, nets)
                if key == "PARTITION":
                    image = current.partition_map()
                else:
                    image = current.outputs(region, period, None if shared else [key])[key]
                spec = export_spec(request, region, key, period, year)
                task = build_task(ee, spec, image, geometry)
                exported = task.config["expression"]
                entry = spec.to_json()
                entry["expression"] = exported.serialize()
                exports.append(entry)
        round_trips = counter.count
        import ee as ee_module

        version = getattr(ee_module, "__version__", "")
    return {
        "plan_version": PLAN_VERSION,
        "generator": "leaf_qgis leaf:produce_gee",
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "dry_run": True,
        "earthengine_api": version,
        "signatures": "earthengine-api ee/tests/algorithms.json (offline)",
        "server_round_trips": round_trips,
        "build_seconds": round(time.perf_counter() - started, 3),
        "request": request_json(request),
        "networks": {
            "sensor": nets.sensor_key,
            "landcover_networks": sorted(nets.landcover),
            "domain_codes": len(nets.domain) if nets.domain else 0,
        },
        "task_count": len(exports),
        "exports": exports,
    }


PLAN_UNWRITABLE = QT_TRANSLATE_NOOP(
    "leaf", "The plan cannot be written to '{path}': the folder does not exist or is not writable. Choose another "
            "file.")


def check_writable(path: str | os.PathLike, message: str = PLAN_UNWRITABLE) -> Path:
    """``path``, after checking its folder exists and is writable (before any work is done); ``message`` (a template
    with ``{path}``) names the file in the error."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        raise LeafError(message, path=str(target))
    return target


def write_plan(plan: dict[str, Any], path: str | os.PathLike) -> Path:
    """Write the plan as JSON through a temporary file and a rename (never a half-written plan)."""
    target = check_writable(path)
    data = json.dumps(plan, indent=1).encode("utf-8")
    try:
        write_atomically(target, data)
    except OSError as error:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The plan cannot be written to '{path}': {reason}."),
            path=str(target), reason=error.strerror or str(error),
        ) from error
    return target

