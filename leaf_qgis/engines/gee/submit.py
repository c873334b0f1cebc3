"""Submitting a plan: every export task started once, throttled, retried, resumable, written down as a task table.

Why the body is rebuilt this way: the plan is the single source of truth. The request body of each task comes from
:func:`leaf_qgis.engines.gee.exports.build_task` (the same code that built the plan, so Drive / Cloud Storage / asset
options cannot drift), and its ``expression`` is replaced by the plan's ``expression`` *verbatim* (the export's clip
and CCRS-grid reprojection are already inside it). What was reviewed in the plan is byte for byte what is submitted;
nothing of the workflow is rebuilt, so a submission costs one request per task.

Why resumable: a national batch is hundreds of tasks; a dropped connection or a quota error half way must not leave
the user guessing which ones exist. Before submitting, the project's operations are listed once (paginated) and a
task whose description already exists READY / RUNNING / COMPLETED is skipped; FAILED and CANCELLED ones are submitted
again. Each start carries a ``requestId`` derived from the project, the description, a hash of the request and
expression, and the attempt number (how many failed or cancelled runs of it exist), so a retried start after an
answer was lost is recognised by the server instead of creating a twin, while a deliberate resubmission gets a new id.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...core.errors import QT_TRANSLATE_NOOP, LeafError
from ...core.periods import Period
from .exports import ExportSpec, build_task
from .plan import FULL_READ_LIMIT, check_writable, write_file
from .session import EarthEngineError, is_retryable, redact, translate_error, with_retries

DEFAULT_PER_SECOND = 5.0
"""Task starts per second: well below Earth Engine's request quota, so a batch does not starve the user's other work."""
DEFAULT_ATTEMPTS = 5
"""Starts tried per task on 429 / 5xx / dropped connections (on top of the client's own quick retries)."""
DEFAULT_BACKOFF = 2.0
"""First wait (seconds) between our retries; doubles each time (see :func:`session.with_retries`)."""

SKIP_STATES = frozenset({"PENDING", "RUNNING", "SUCCEEDED"})
"""Operation states meaning "this task exists and will produce (or has produced) its file": not submitted again."""
TASK_STATES = {"PENDING": "READY", "RUNNING": "RUNNING", "SUCCEEDED": "COMPLETED", "FAILED": "FAILED",
               "CANCELLING": "CANCEL_REQUESTED", "CANCELLED": "CANCELLED"}
"""Operation state → the task state users know from the Code Editor and the earthengine CLI."""
REQUEST_ID_NAMESPACE = uuid.UUID("5f0b6c1e-2f41-4c55-9a34-6c1d0c6f4b1a")

Progress = Callable[[int, int], bool]
"""``progress(done, total)`` → False to stop before the next task."""


@dataclass
class TaskRow:
    """One line of the task table (no credential ever goes in: only ids, names, states and destinations)."""

    description: str
    state: str = ""
    task_id: str = ""
    destination: str = ""
    action: str = ""
    """``submitted``, ``resubmitted``, ``skipped`` (already on the server), ``not_submitted`` (stopped before),
    ``sent`` (the start was sent but no answer recorded: the run was killed or lost the connection; the next run finds
    the task on the server if it was created)."""
    file_name: str = ""
    operation: str = ""
    request_id: str = ""
    created: str = ""
    updated: str = ""
    error: str = ""

    @classmethod
    def columns(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass
class SubmitResult:
    """What a submission did; ``rows`` follow the plan's order."""

    rows: list[TaskRow] = field(default_factory=list)
    cancelled: bool = False
    listed: int = 0
    """Operations found on the server before submitting."""

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def submitted(self) -> int:
        return self.count("submitted") + self.count("resubmitted")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def not_submitted(self) -> int:
        return self.count("not_submitted")


class Throttle:
    """At most ``per_second`` calls of :meth:`wait` return per second (evenly spaced; ``None`` or 0: no limit).

    Why spacing and not bursts: Earth Engine counts requests per minute per project and user; spacing keeps a long
    batch under the limit without relying on 429 answers.
    """

    def __init__(self, per_second: float | None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self._next > now:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


# ------------------------------------------------------------------------------------------------- plan → bodies
def spec_from_entry(entry: dict[str, Any]) -> ExportSpec:
    """The :class:`ExportSpec` a plan entry was written from (the plan keeps every field :func:`build_task` reads)."""
    period = entry.get("period")
    return ExportSpec(
        key=entry.get("key", ""), token=entry.get("token", ""), region=entry.get("region_name", ""),
        period=None if not period else Period.from_json(period),
        year=int(entry.get("year") or 0), file_stem=Path(entry.get("file_name", "")).stem or entry["description"],
        description=entry["description"], destination=dict(entry["destination"]), crs=entry["crs"],
        crs_transform=entry.get("crs_transform"), scale=entry.get("scale"), region_geojson=entry.get("region") or {},
        region_crs=entry.get("region_crs", "EPSG:4326"), file_format=entry.get("file_format", "GeoTIFF"),
        format_options=dict(entry.get("format_options") or {}), data_type=entry.get("data_type", ""),
        nodata=int(entry.get("nodata") or 0), value_scale=entry.get("value_scale"),
        extra={"pyramiding_policy": entry["pyramiding_policy"]} if "pyramiding_policy" in entry else {},
    )



def export_body(ee: Any, entry: dict[str, Any]) -> dict[str, Any]:
    """The ``image:export`` request body of a plan entry: :func:`build_task`'s options, the plan's expression.

    The placeholder image is never sent: only the options around it are kept, and the expression (which already
    holds the clip to the region and the reprojection to the CCRS grid) is the plan's own, parsed from its JSON.
    """
    spec = spec_from_entry(entry)
    task = build_task(ee, spec, ee.Image(0), ee.Geometry.Point([0, 0]))
    body = {k: v for k, v in task.config.items() if k != "expression"}
    body["expression"] = json.loads(entry["expression"])
    return body


def request_digest(plan: dict[str, Any]) -> str:
    """A short hash of the plan's request (stable across runs of the same request)."""
    canonical = json.dumps(plan.get("request", {}), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def request_id(project: str, description: str, digest: str, expression: str, attempt: int) -> str:
    """The ``requestId`` of one start: identical for retries of that start, new for a deliberate resubmission."""
    expression_hash = hashlib.sha256(expression.encode("utf-8")).hexdigest()[:16]
    return str(uuid.uuid5(REQUEST_ID_NAMESPACE, f"{project}|{description}|{digest}|{expression_hash}|{attempt}"))


def destination_text(destination: dict[str, Any], file_name: str = "") -> str:
    """Where the file will be, in the words of the destination (``gs://bucket/prefix.tif``, ``Drive: folder/…``)."""
    kind = destination.get("type")
    if kind == "gcs":
        return f"gs://{destination.get('bucket', '')}/{destination.get('file_name_prefix', '')}.tif"
    if kind == "asset":
        return str(destination.get("asset_id", ""))
    return f"Drive: {destination.get('folder', '')}/{file_name or destination.get('file_name_prefix', '')}"


def operation_row(operation: dict[str, Any], row: TaskRow | None = None) -> TaskRow:
    """Fill ``row`` (or a new one) from an Operation as listed by the server."""
    metadata = operation.get("metadata", {})
    row = row or TaskRow(description=metadata.get("description", ""))
    row.operation = operation.get("name", "")
    row.task_id = row.operation.rsplit("/", 1)[-1]
    row.state = TASK_STATES.get(metadata.get("state", ""), metadata.get("state", "UNKNOWN"))
    row.created = metadata.get("createTime", "")
    row.updated = metadata.get("updateTime", "")
    error = operation.get("error") or {}
    row.error = redact(error.get("message", "")) if row.state == "FAILED" else ""
    return row


def list_operations(ee: Any, *, attempts: int = DEFAULT_ATTEMPTS, backoff: float = DEFAULT_BACKOFF,
                    sleep: Callable[[float], None] = time.sleep) -> list[dict[str, Any]]:
    """Every operation of the session's project, newest first (the client follows the pages)."""
    return with_retries(lambda: ee.data.listOperations(), attempts, backoff, sleep=sleep)


def by_description(operations: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Operations grouped by description, each list newest first (as listed)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for operation in operations:
        description = operation.get("metadata", {}).get("description", "")
        grouped.setdefault(description, []).append(operation)
    return grouped


# --------------------------------------------------------------------------------------------------- submission
def submit_plan(
    ee: Any,
    plan: dict[str, Any],
    project: str,
    *,
    per_second: float | None = DEFAULT_PER_SECOND,
    attempts: int = DEFAULT_ATTEMPTS,
    backoff: float = DEFAULT_BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    progress: Progress | None = None,
    on_row: Callable[[TaskRow], None] | None = None,
    table_path: str | os.PathLike | None = None,
) -> SubmitResult:
    """Start every export of ``plan`` that does not already exist on the server (see the module doc).

    ``ee`` must be an initialised session (:func:`session.initialize`). ``progress`` is asked before each task and
    may stop the batch (the rest is marked ``not_submitted``). The task table is written to ``table_path`` (CSV or
    JSON by extension) whatever happens, so an interrupted run still says what reached the server; errors are raised
    as :class:`EarthEngineError` (translated and redacted).
    """
    exports = plan.get("exports") or []
    if not exports:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "The plan holds no export task: nothing to submit."))
    result = SubmitResult(rows=[TaskRow(description=e["description"], file_name=e.get("file_name", ""),
                                        destination=destination_text(e["destination"], e.get("file_name", "")),
                                        action="not_submitted") for e in exports])
    throttle = Throttle(per_second, clock=clock, sleep=sleep)
    digest = request_digest(plan)

    def save() -> None:
        if table_path:
            write_task_table(result.rows, table_path, project=project)

    try:
        existing = by_description(list_operations(ee, attempts=attempts, backoff=backoff, sleep=sleep))
        result.listed = sum(len(v) for v in existing.values())
        total = len(exports)
        save()  # from here on the table is rewritten after every task: accurate even if the process is killed
        for index, (entry, row) in enumerate(zip(exports, result.rows)):
            if progress is not None and progress(index, total) is False:
                result.cancelled = True
                break
            previous = existing.get(row.description, [])
            alive = next((op for op in previous if op.get("metadata", {}).get("state") in SKIP_STATES), None)
            if alive is not None:
                operation_row(alive, row)
                row.action = "skipped"
            else:
                row.request_id = request_id(project, row.description, digest, entry["expression"], len(previous))
                body = export_body(ee, entry)

                def start(body: dict[str, Any] = body, rid: str = row.request_id) -> dict[str, Any]:
                    throttle.wait()
                    return ee.data.exportImage(rid, dict(body))

                row.action = "sent"
                save()
                try:
                    operation = with_retries(start, attempts, backoff, sleep=sleep)
                except Exception as error:
                    checked, found = (reconcile(ee, row.description, previous, attempts=attempts, backoff=backoff,
                                                sleep=sleep) if is_retryable(error) else (True, None))
                    if found is None:
                        if checked:  # the server's list says it was not created
                            row.action = "not_submitted"
                        raise
                    operation = found
                operation_row(operation, row)
                row.action = "resubmitted" if previous else "submitted"
                existing.setdefault(row.description, []).insert(0, operation)
            save()
            if on_row is not None:
                on_row(row)
        else:
            if progress is not None:
                progress(total, total)
    except LeafError:
        raise
    except Exception as error:
        raise translate_error(error, project) from None
    finally:
        if table_path:
            write_task_table(result.rows, table_path, project=project)
    return result


def reconcile(ee: Any, description: str, previous: list[dict[str, Any]],
              **retry: Any) -> tuple[bool, dict[str, Any] | None]:
    """(list read, operation): the operation a start created although its answer was lost (a connection reset after
    the server acted), found in the server's task list by its description among the operations that were not there
    before; None when there is none (or, with False, when the list cannot be read).

    Why: without it the table would say ``not_submitted`` for a task that runs, and the user would submit it twice.
    """
    known = {op.get("name") for op in previous}
    try:
        operations = list_operations(ee, **retry)
    except Exception:
        return False, None
    return True, next((op for op in operations if op.get("metadata", {}).get("description") == description
                       and op.get("name") not in known), None)


# ---------------------------------------------------------------------------------------------------- task table
def default_table_path(plan_path: str | os.PathLike) -> Path:
    """``plan.json`` → ``plan_tasks.csv`` in the same folder (the table lives next to the plan it submitted)."""
    plan = Path(plan_path)
    return plan.with_name(f"{plan.stem}_tasks.csv")


TABLE_GENERATOR = "leaf_qgis task table"
"""The ``generator`` of JSON task tables (CSV tables are recognised by their exact header)."""


def is_task_table(path: str | os.PathLike) -> bool:
    """True when ``path`` holds a task table this plugin wrote: a CSV whose first line is exactly our header, or a
    JSON document with our ``generator`` (or the keys of tables written before it had one)."""
    target = Path(path)
    try:
        if target.suffix.lower() != ".json":
            with open(target, "rb") as handle:
                first = handle.readline(4096)
            return first.rstrip(b"\r\n") == ",".join(TaskRow.columns()).encode("ascii")
        if target.stat().st_size > FULL_READ_LIMIT:
            return False
        document = json.loads(target.read_bytes())
    except (OSError, ValueError):
        return False
    if not isinstance(document, dict) or not isinstance(document.get("tasks"), list):
        return False
    return document.get("generator") == TABLE_GENERATOR or set(document) == {"project", "written", "counts", "tasks"}


def check_table_writable(path: str | os.PathLike) -> Path:
    """The table path, after checking its folder exists and is writable and that an existing file there is an
    earlier task table (before anything is submitted)."""
    return check_writable(path, QT_TRANSLATE_NOOP(
        "leaf", "The task table cannot be written to '{path}': the folder does not exist or is not writable. "
                "Choose another file."), owned=is_task_table, not_ours=QT_TRANSLATE_NOOP(
        "leaf", "'{path}' already exists and is not a task table written by this plugin, so it was left untouched. "
                "Choose another file name for the TASK TABLE, or move that file away first."))


def table_bytes(rows: Iterable[TaskRow], path: str | os.PathLike, project: str = "") -> bytes:
    """The table as JSON (``.json``) or CSV (anything else), every text redacted once more for safety."""
    columns = TaskRow.columns()  # (not dataclasses.asdict: its deep copies were most of a 500-row rewrite's time)
    records = [{k: redact(v) if isinstance(v, str) else v for k, v in ((c, getattr(row, c)) for c in columns)}
               for row in rows]
    if str(path).lower().endswith(".json"):
        counts: dict[str, int] = {}
        for record in records:
            counts[record["action"]] = counts.get(record["action"], 0) + 1
        document = {"generator": TABLE_GENERATOR, "project": project,
                    "written": datetime.now(timezone.utc).isoformat(timespec="seconds"), "counts": counts,
                    "tasks": records}
        return json.dumps(document, indent=1).encode("utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TaskRow.columns(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def write_task_table(rows: Iterable[TaskRow], path: str | os.PathLike, project: str = "") -> Path:
    """Write the table through a temporary file, flushed to disk, and a rename (a reader never sees half a table,
    a crash never loses the last one); never over a file that is not an earlier task table."""
    target = check_table_writable(path)
    try:
        write_file(target, table_bytes(rows, target, project))
    except OSError as error:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "The task table cannot be written to '{path}': {reason}."),
                        path=str(target), reason=error.strerror or str(error)) from None
    return target


def read_task_table(path: str | os.PathLike) -> list[TaskRow]:
    """Rows of a table written by :func:`write_task_table` (CSV or JSON)."""
    target = Path(path)
    text = target.read_text(encoding="utf-8")
    if target.suffix.lower() == ".json":
        records = json.loads(text)["tasks"]
    else:
        records = list(csv.DictReader(io.StringIO(text)))
    names = set(TaskRow.columns())
    return [TaskRow(**{k: v for k, v in record.items() if k in names}) for record in records]


__all__ = ["EarthEngineError", "SubmitResult", "TaskRow", "Throttle", "default_table_path", "export_body",
           "list_operations", "read_task_table", "submit_plan", "write_task_table"]
