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
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...core.errors import QT_TRANSLATE_NOOP, LeafError
from ...core.networks import NetworkSet
from .exports import build_task, export_geometry, export_spec
from .request import GeeRequest
from .session import count_round_trips, offline_session, redact
from .sl2p import slot_positions
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
        "max_scene_cloud": request.max_scene_cloud,
        "algorithm": request.algorithm,
        "mask_flagged": request.mask_flagged,
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
        if network_set is not None and network_set.algorithm != request.algorithm:
            raise ValueError(f"network set {network_set.label} is not {request.algorithm}")
        builder = WorkflowBuilder(ee, request, network_set)
        nets = builder.network_set
        for region in request.regions:
            geometry = export_geometry(ee, region, request.resolution_m)
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
                    image = current.partition_map(region)
                else:
                    image = current.outputs(region, period, None if shared else [key])[key]
                spec = export_spec(request, region, key, period, year)
                task = build_task(ee, spec, image, geometry)
                exported = task.config["expression"]
                entry = spec.to_json()
                entry["algorithm"] = nets.algorithm
                entry["network_set"] = nets.label
                if period is not None:
                    cloud = request.scene_cloud_filter(region)
                    entry["scene_cloud_filter"] = None if cloud is None else cloud.to_json()
                entry["expression"] = exported.serialize()
                exports.append(entry)
        round_trips = counter.count
        import ee as ee_module

        version = getattr(ee_module, "__version__", "")
    return {
        "plan_version": PLAN_VERSION,
        "generator": PLAN_GENERATOR,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "dry_run": True,
        "earthengine_api": version,
        "signatures": "earthengine-api ee/tests/algorithms.json (offline)",
        "server_round_trips": round_trips,
        "build_seconds": round(time.perf_counter() - started, 3),
        "request": request_json(request),
        "networks": {
            "sensor": nets.sensor_key,
            "algorithm": nets.algorithm,
            "label": nets.label,
            "bands": list(nets.bands),
            "slots": len(next(iter(nets.estimate.values()))),
            "distinct_networks": len(set(slot_positions(nets))),
            "domain_codes": len(nets.domain) if nets.domain else 0,
        },
        "task_count": len(exports),
        "exports": exports,
    }


PLAN_UNWRITABLE = QT_TRANSLATE_NOOP(
    "leaf", "The plan cannot be written to '{path}': the folder does not exist or is not writable. Choose another "
            "file.")
PLAN_NOT_OURS = QT_TRANSLATE_NOOP(
    "leaf", "'{path}' already exists and is not a plan written by this plugin, so it was left untouched. Choose "
            "another file name for the PLAN, or move that file away first.")
PLAN_GENERATOR = "leaf_qgis leaf:produce_gee"
"""The ``generator`` of every plan: with ``plan_version``, how an existing file is recognised as one of ours."""
FULL_READ_LIMIT = 64 * 1024 * 1024
"""Files up to this size are parsed whole to recognise them; larger ones by their first bytes."""


def _head(path: Path, size: int = 4096) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def is_plan_file(path: str | os.PathLike) -> bool:
    """True when ``path`` holds a plan this plugin wrote (JSON with ``plan_version`` and our ``generator``)."""
    target = Path(path)
    try:
        if target.stat().st_size > FULL_READ_LIMIT:  # plans are written with these two keys first
            head = _head(target).decode("utf-8", "replace")
            return '"plan_version"' in head and f'"generator": "{PLAN_GENERATOR.split()[0]}' in head
        document = json.loads(target.read_bytes())
    except (OSError, ValueError):
        return False
    return (isinstance(document, dict) and "plan_version" in document
            and str(document.get("generator", "")).startswith(PLAN_GENERATOR.split()[0]))


def check_writable(path: str | os.PathLike, message: str = PLAN_UNWRITABLE,
                   owned: Callable[[Path], bool] | None = is_plan_file, not_ours: str = PLAN_NOT_OURS) -> Path:
    """``path``, after checking its folder exists and is writable and that an existing file there is one the plugin
    may replace (an empty file, or one ``owned`` recognises: an earlier plan or task table), before any work is done.

    ``message`` (a template with ``{path}``) names the file when it cannot be written, ``not_ours`` when it holds
    something else: a user's file at that name is never silently replaced.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        raise LeafError(message, path=str(target))
    if owned is not None and (target.exists() or target.is_symlink()):
        replaceable = target.is_file() and not target.is_symlink() and (target.stat().st_size == 0 or owned(target))
        if not replaceable:
            raise LeafError(not_ours, path=str(target))
    return target


def write_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, flushed to disk, and a rename.

    Why not ``tempfile.mkstemp``: it creates files with mode 0600, which the rename would give the plan or table
    (neither holds a secret); a file opened with 0666 gets the user's umask like any other file they create. The
    ``fsync`` makes the file survive a crash or power cut right after (a task table must say what reached the server).
    """
    temporary = target.with_name(f".{target.name}.leaf-tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if hasattr(os, "O_DIRECTORY"):  # the rename itself, on POSIX
        with contextlib.suppress(OSError):
            folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)


def redacted(value: Any) -> Any:
    """``value`` with every text passed through :func:`session.redact`, except the serialised expressions (their
    bytes are what a submission sends; a plan never holds credentials, this is the safety net for pasted ones)."""
    if isinstance(value, dict):
        return {k: v if k == "expression" else redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(v) for v in value]
    return redact(value) if isinstance(value, str) else value


def write_plan(plan: dict[str, Any], path: str | os.PathLike) -> Path:
    """Write the plan as JSON through a temporary file and a rename (never a half-written plan, never over a file
    that is not an earlier plan, no secret in it)."""
    target = check_writable(path)
    data = json.dumps(redacted(plan), indent=1).encode("utf-8")
    try:
        write_file(target, data)
    except OSError as error:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The plan cannot be written to '{path}': {reason}."),
            path=str(target), reason=error.strerror or str(error),
        ) from error
    return target
