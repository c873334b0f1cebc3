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
import gc
import hashlib
import json
import os
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar

from ...core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError
from ...core.files import write_atomically
from ...core.network_store import NetworkStore
from ...core.networks import NetworkSet
from ...core.periods import Period
from . import destinations
from .exports import ExportSpec, build_task, export_geometry, export_spec
from .graph import PlanGraphs
from .request import GeeRequest
from .session import count_round_trips, offline_session, redact
from .sl2p import slot_positions
from .templates import TileTemplates
from .workflow import WorkflowBuilder

PLAN_VERSION = 2
"""2: graphs in the shared ``graph`` store (``graph``, ``expression_sha256`` per entry) and each entry's ``export``
options; plans of version 1 (an inline ``expression`` per entry) are still read (:func:`task_expression`)."""

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
    """Number of tasks the plan will hold (computed without ``ee``: the plan's own list of jobs)."""
    return len(_jobs(request))


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


@contextlib.contextmanager
def paused_collector() -> Iterator[None]:
    """Python's cyclic garbage collector off while a plan is built, one collection after.

    Why: a plan keeps every object it encoded alive until it is built (:class:`.graph.PlanGraphs` pins them, so that
    an ``id()`` is never reused) — hundreds of thousands of objects for a national plan, which the collector would
    scan again and again: a quarter of the build time, for nothing, as ``ee`` objects form no reference cycles to
    speak of (the peak memory is the same with and without it).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class PlanEntry:
    """One task of a plan, typed: what :meth:`to_json` writes, :meth:`from_json` reads back.

    ``fields`` are the export's own (:meth:`.exports.ExportSpec.to_json`, or a site table's), ``export`` the request
    body the destination's export task was built with at plan time, without its graph (``None``: nothing to submit,
    a download), and the graph is either the plan's shared ``graph`` piece ``graph`` (:mod:`.graph`) or, in plans of
    one task (site tables) and of earlier versions, the text ``expression`` itself. ``expression_sha256`` is what a
    reader checks the graph against (:func:`task_expression`).
    """

    fields: dict[str, Any]
    kind: str = "image"
    export: dict[str, Any] | None = None
    graph: int | None = None
    expression_sha256: str = ""
    expression: str | None = None

    OWN: ClassVar[tuple[str, ...]] = ("kind", "export", "graph", "expression_sha256", "expression")

    @property
    def description(self) -> str:
        return str(self.fields["description"])

    @property
    def file_name(self) -> str:
        return str(self.fields.get("file_name", ""))

    @property
    def destination(self) -> dict[str, Any]:
        return dict(self.fields.get("destination") or {})

    @property
    def spec(self) -> ExportSpec:
        return ExportSpec.from_json(self.fields)

    def location_text(self) -> str:
        """Where the file will be (the task table's ``destination``)."""
        return destinations.of(self.destination).text(self.destination, self.file_name)

    def to_json(self) -> dict[str, Any]:
        entry = {**self.fields, "kind": self.kind}
        if self.export is not None:
            entry["export"] = self.export
        if self.expression is not None:
            entry["expression"] = self.expression
        else:
            entry["graph"] = self.graph
        entry["expression_sha256"] = self.expression_sha256
        return entry

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> PlanEntry:
        expression = entry.get("expression")
        digest = entry.get("expression_sha256") or (
            hashlib.sha256(expression.encode("utf-8")).hexdigest() if expression is not None else "")
        return cls(fields={k: v for k, v in entry.items() if k not in cls.OWN}, kind=str(entry.get("kind", "image")),
                   export=entry.get("export"), graph=entry.get("graph"), expression_sha256=digest,
                   expression=expression)


PLAN_DAMAGED = QT_TRANSLATE_NOOP(
    "leaf", "The graph of {name} in the plan does not match its checksum (the plan file was changed or damaged). "
            "Build the plan again.")
PLAN_TOO_OLD = QT_TRANSLATE_NOOP(
    "leaf", "The plan entry {name} was written by an earlier version of the plugin, without its export options. "
            "Build the plan again.")

def task_expression(plan: dict[str, Any], index: int) -> str:
    """The exact graph (JSON text, as ``ee.Image.serialize()`` wrote it) that task ``index`` of ``plan`` submits or
    fetches, after checking it against the plan's checksum (:func:`graph_text`)."""
    entry = plan["exports"][index]
    return graph_text(plan, entry, entry.get("description", index))


def graph_text(plan: dict[str, Any], holder: dict[str, Any], name: Any) -> str:
    """The graph ``holder`` (a plan entry, or a site plan's ``table``) refers to: its inline ``expression`` (plans of
    one graph written before the shared store, and version 1), or its root piece ``graph`` in the plan's store,
    checked against its ``expression_sha256``; a :class:`LeafError` naming ``name`` when it does not match. The one
    reader of plan graphs.

    The plan's graph store is decoded at each call, from the plan as it is now: no decoded store is kept between
    calls, so none can be stale (an earlier version kept the last two by the identity of the ``graph`` dict, which a
    plan edited in place keeps, and pinned them for the whole QGIS session). Measured on the national plan (1 971
    tasks, 2 297 pieces, 4.5 MB): reading every task's graph takes 0.23-0.29 s without the cache, 0.15-0.17 s with
    it, against ~400 s to submit the plan at 5 starts per second; a key safe against edits (a hash of the pieces)
    would cost 4.3 ms per read, thirty times the decoding it saves."""
    if holder.get("expression") is not None:
        text = holder["expression"]
    else:
        try:
            text = PlanGraphs.from_json(plan.get("graph") or {}).expression(int(holder["graph"]))
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise LeafError(PLAN_DAMAGED, name=name) from error
    digest = holder.get("expression_sha256")
    if digest and hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
        raise LeafError(PLAN_DAMAGED, name=name)
    return text


def plan_entries(plan: dict[str, Any]) -> list[PlanEntry]:
    """The typed entries of a plan, in order."""
    return [PlanEntry.from_json(entry) for entry in plan.get("exports") or []]


def export_body(plan: dict[str, Any], index: int, expression: str | None = None) -> dict[str, Any]:
    """The request body that starts task ``index``: the export options built at plan time, merged with its graph
    (which already holds the clip to the region and the reprojection to the CCRS grid). Nothing is rebuilt.
    ``expression`` is the task's graph when the caller has already read it (:func:`task_expression`)."""
    entry = PlanEntry.from_json(plan["exports"][index])
    if entry.export is None:
        if not destinations.of(entry.destination).submits:
            raise LeafError(destinations.NOT_SUBMITTED, destination=entry.destination.get("type", ""))
        raise LeafError(PLAN_TOO_OLD, name=entry.description)
    text = task_expression(plan, index) if expression is None else expression
    return {**entry.export, "expression": json.loads(text)}


REPEATED_TASK_NAMES = QT_TRANSLATE_NOOP(
    "leaf", "{count} export tasks would share a name with another ({names}): Earth Engine knows a task by its name "
            "(at most 100 characters), so a submit would skip all but the first as already on Earth Engine. Give the "
            "regions shorter names that differ in their first characters (REGION_NAME, or the values of "
            "REGION_NAME_FIELD).")


def check_task_names(request: GeeRequest, jobs: list[tuple[Any, str, Period | None, int]]) -> None:
    """Refuse a request two of whose exports would get the same task name (the description), before anything is built.

    Why: Earth Engine task names are cut at 100 characters (:func:`.exports.export_spec`) and a submit skips a task
    whose name is already READY, RUNNING or COMPLETED; long region names that differ only past the cut gave ten
    exports one name, and nine were skipped as "already on Earth Engine" without a word.
    """
    seen: dict[str, int] = {}
    for region, key, period, year in jobs:
        description = export_spec(request, region, key, period, year).description
        seen[description] = seen.get(description, 0) + 1
    repeated = [name for name, count in seen.items() if count > 1]
    if repeated:
        raise LeafError(REPEATED_TASK_NAMES, count=sum(seen[name] for name in repeated),
                        names=", ".join(repeated[:3]) + (" …" if len(repeated) > 3 else ""))


def _jobs(request: GeeRequest) -> list[tuple[Any, str, Period | None, int]]:
    """(region, key, period, year) of every export, in plan order."""
    jobs = []
    for region in request.regions:
        if "PARTITION" in request.maps:
            jobs.extend((region, "PARTITION", None, year) for year in sorted({p.year for p in request.periods}))
        jobs.extend((region, key, period, period.year) for period in request.periods
                    for key in request.outputs_per_period())
    return jobs


def build_plan(
    request: GeeRequest,
    network_set: NetworkSet | None = None,
    *,
    store: NetworkStore | None = None,
    shared: bool = True,
    templates: bool = True,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Build every export of ``request`` offline and return the plan (a JSON-ready dict).

    Each entry holds its export specification, the export options its destination's task was built with, and a
    reference to its graph in the plan's shared ``graph`` (:mod:`.graph`; read back with :func:`task_expression`).
    ``shared=False`` rebuilds the whole workflow for every export (one product at a time, as a naive script would):
    the benchmark's comparison. ``templates=False`` builds every tile's graphs instead of writing most of them from
    another tile's (:mod:`.templates`; the same graphs either way, which the tests check). ``network_set`` is the first
    member's set already loaded; ``store`` is where every set is read from (:class:`.WorkflowBuilder`).
    """
    started = time.perf_counter()
    jobs = _jobs(request)
    check_task_names(request, jobs)
    entries: list[dict[str, Any]] = []
    graphs = PlanGraphs()
    with offline_session(request.project) as ee, count_round_trips() as counter, cached_argspecs(), \
            paused_collector():
        if network_set is not None and network_set.algorithm != request.algorithm:
            raise ValueError(f"network set {network_set.label} is not {request.algorithm}")
        builder = WorkflowBuilder(ee, request, network_set, store)
        nets = builder.network_set
        geometries: dict[str, Any] = {}
        tiles = TileTemplates(request) if shared and templates else None
        for region, key, period, year in jobs:
            if progress is not None and progress(len(entries), len(jobs)) is False:
                raise Cancelled()  # nothing written yet: the plan is written only once built
            if region.name not in geometries:
                geometries[region.name] = export_geometry(ee, region, request.resolution_m)
            spec = export_spec(request, region, key, period, year)
            group = tiles.group(region, key, period, year) if tiles is not None else None
            written = tiles.write(group, region, graphs) if tiles is not None else None
            if written is not None:
                image, root, digest = written
                entry = _entry(ee, request, region, spec, image, geometries[region.name], graphs, nets, (root, digest))
            else:
                current = builder if shared else WorkflowBuilder(ee, request, nets, store)
                if key == "PARTITION":
                    image = current.partition_map(region)
                else:
                    image = current.outputs(region, period, None if shared else [key])[key]
                entry = _entry(ee, request, region, spec, image, geometries[region.name], graphs, nets)
                if tiles is not None:
                    tiles.built(group, region, image, entry.graph, entry.expression_sha256, graphs)
            entries.append(entry.to_json())
        graphs.close()
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
        "networks": network_summary(nets),
        "task_count": len(entries),
        "exports": entries,
        "graph": graphs.to_json(),
    }


def _entry(ee: Any, request: GeeRequest, region: Any, spec: ExportSpec, image: Any, geometry: Any,
           graphs: PlanGraphs, nets: NetworkSet, written: tuple[int, str] | None = None) -> PlanEntry:
    """The plan entry of one export: its specification, the options of its destination's export task (none for a
    download) and its graph, stored in ``graphs`` — or already ``written`` there (root piece, SHA-256) from another
    tile's (:mod:`.templates`; ``image`` is then that tile's, which the export options do not depend on)."""
    task = build_task(ee, spec, image, geometry) if spec.target.submits else None
    if written is not None:
        root, digest = written
    else:
        root, digest = graphs.add(task.config["expression"] if task is not None
                                  else exported_image(ee, spec, image, geometry))
    fields = spec.to_json()
    fields["algorithm"] = nets.algorithm
    fields["network_set"] = nets.label
    if spec.period is not None:
        cloud = request.scene_cloud_filter(region)
        fields["scene_cloud_filter"] = None if cloud is None else cloud.to_json()
    export = None if task is None else {k: v for k, v in task.config.items() if k != "expression"}
    return PlanEntry(fields, "image", export, root, digest)


def exported_image(ee: Any, spec: ExportSpec, image: Any, region: Any) -> Any:
    """The image an export of ``spec`` would send (its clip and grid reprojection included), for a destination that
    has no export task: the graph a Drive export of the same map would carry, so a download and an export of one
    request fetch the very same graph."""
    drive = ExportSpec(**{**spec.__dict__, "destination": {"type": "drive", "folder": "", "file_name_prefix": "x"},
                          "file_format": "GeoTIFF"})
    return build_task(ee, drive, image, region).config["expression"]


def network_summary(nets: NetworkSet) -> dict[str, Any]:
    return {
        "sensor": nets.sensor_key,
        "algorithm": nets.algorithm,
        "label": nets.label,
        "bands": list(nets.bands),
        "slots": len(next(iter(nets.estimate.values()))),
        "distinct_networks": len(set(slot_positions(nets))),
        "domain_codes": len(nets.domain) if nets.domain else 0,
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


def redacted(value: Any) -> Any:
    """``value`` with every text passed through :func:`session.redact`, except the serialised graphs
    (``expression``, ``graph``: their bytes are what a submission sends; a plan never holds credentials, this is the
    safety net for pasted ones)."""
    if isinstance(value, dict):
        return {k: v if k in ("expression", "graph") else redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(v) for v in value]
    return redact(value) if isinstance(value, str) else value


def write_plan(plan: dict[str, Any], path: str | os.PathLike) -> Path:
    """Write the plan as JSON through a temporary file and a rename (never a half-written plan, never over a file
    that is not an earlier plan, no secret in it)."""
    target = check_writable(path)
    data = json.dumps(redacted(plan), indent=1).encode("utf-8")
    try:
        write_atomically(target, data)
    except OSError as error:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The plan cannot be written to '{path}': {reason}."),
            path=str(target), reason=error.strerror or str(error),
        ) from error
    return target
