"""Submitting a plan: every export task started once, throttled, retried, resumable, written down as a task table.

Why nothing is rebuilt here: the plan is the single source of truth. Each entry holds the request body its
destination's export task was built with at plan time (:func:`.plan.export_body`) and its graph, read with
:func:`.plan.task_expression` (the export's clip and CCRS-grid reprojection are already inside it). The body sent is
those two merged: what was reviewed in the plan is byte for byte what is submitted, and a submission costs one
request per task. Image exports (``leaf:produce_gee``) and table exports (``leaf:sample_sites``) go through the same
loop; only the start call differs (:data:`STARTS`).

Why resumable: a national batch is hundreds of tasks; a dropped connection or a quota error half way must not leave
the user guessing which ones exist. Before submitting, the project's operations are listed once (paginated) and a
task whose description already exists READY / RUNNING / COMPLETED is skipped; FAILED and CANCELLED ones are submitted
again. Each start carries a ``requestId`` derived from the project, the description, a hash of the request and
expression, and the attempt number (how many failed or cancelled runs of it exist), so a retried start after an
answer was lost is recognised by the server instead of creating a twin, while a deliberate resubmission gets a new id.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...core.errors import QT_TRANSLATE_NOOP, LeafError
from . import session
from .plan import export_body, plan_entries, task_expression
from .session import EarthEngineError, RetryPolicy, is_retryable, translate_error, with_retries
from .tasks import (
    SKIP_STATES,
    TASK_STATES,
    TaskRow,
    TaskTable,
    by_description,
    check_table_writable,
    default_table_path,
    is_task_table,
    list_operations,
    operation_row,
    read_task_table,
    write_task_table,
)

_ALIASES = {"DEFAULT_PER_SECOND": "per_second", "DEFAULT_ATTEMPTS": "attempts", "DEFAULT_BACKOFF": "backoff"}


def __getattr__(name: str) -> Any:
    """``DEFAULT_ATTEMPTS`` and its siblings, the names scripts used before :data:`.session.RETRY`: the current
    policy's values (replace the policy, not these, to change them)."""
    if name in _ALIASES:
        return getattr(session.policy(), _ALIASES[name])
    raise AttributeError(name)

REQUEST_ID_NAMESPACE = uuid.UUID("5f0b6c1e-2f41-4c55-9a34-6c1d0c6f4b1a")
STARTS: dict[str, Callable[[Any], Callable[[str, dict[str, Any]], dict[str, Any]]]] = {
    "image": lambda ee: ee.data.exportImage,
    "table": lambda ee: ee.data.exportTable,
}
"""The start call of each kind of export (``requestId``, body) → Operation."""
NOTHING_TO_SUBMIT = QT_TRANSLATE_NOOP("leaf", "The plan holds no export task: nothing to submit.")

Progress = Callable[[int, int], bool]
"""``progress(done, total)`` → False to stop before the next task."""


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


def request_digest(plan: dict[str, Any]) -> str:
    """A short hash of the plan's request (stable across runs of the same request)."""
    canonical = json.dumps(plan.get("request", {}), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def request_id(project: str, description: str, digest: str, expression: str, attempt: int) -> str:
    """The ``requestId`` of one start: identical for retries of that start, new for a deliberate resubmission."""
    expression_hash = hashlib.sha256(expression.encode("utf-8")).hexdigest()[:16]
    return str(uuid.uuid5(REQUEST_ID_NAMESPACE, f"{project}|{description}|{digest}|{expression_hash}|{attempt}"))


# --------------------------------------------------------------------------------------------------- submission
@dataclass
class _Run:
    """The state of one submission: the server's tasks by description, the pacing and the table being kept."""

    ee: Any
    plan: dict[str, Any]
    project: str
    policy: RetryPolicy
    sleep: Callable[[float], None]
    throttle: Throttle
    result: SubmitResult
    table: TaskTable | None
    existing: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def save(self) -> None:
        if self.table is not None:
            self.table.write(self.result.rows)

    def submit(self, index: int, row: TaskRow, digest: str) -> None:
        """Start task ``index`` unless it is alive on the server; ``row`` says what happened."""
        previous = self.existing.get(row.description, [])
        alive = next((op for op in previous if op.get("metadata", {}).get("state") in SKIP_STATES), None)
        if alive is not None:
            operation_row(alive, row)
            row.action = "skipped"
            return
        expression = task_expression(self.plan, index)
        row.request_id = request_id(self.project, row.description, digest, expression, len(previous))
        body = export_body(self.plan, index, expression)
        start = STARTS[self.plan["exports"][index].get("kind", "image")](self.ee)

        def call(rid: str = row.request_id) -> dict[str, Any]:
            self.throttle.wait()
            return start(rid, dict(body))

        row.action = "sent"
        self.save()
        try:
            operation = with_retries(call, self.policy.attempts, self.policy.backoff, sleep=self.sleep)
        except Exception as error:
            checked, found = (reconcile(self.ee, row.description, previous, attempts=self.policy.attempts,
                                        backoff=self.policy.backoff, sleep=self.sleep)
                              if is_retryable(error) else (True, None))
            if found is None:
                if checked:  # the server's list says it was not created
                    row.action = "not_submitted"
                raise
            operation = found
        operation_row(operation, row)
        row.action = "resubmitted" if previous else "submitted"
        self.existing.setdefault(row.description, []).insert(0, operation)


def submit_plan(
    ee: Any,
    plan: dict[str, Any],
    project: str,
    *,
    per_second: float | str | None = "policy",
    attempts: int | None = None,
    backoff: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    progress: Progress | None = None,
    on_row: Callable[[TaskRow], None] | None = None,
    table_path: str | os.PathLike | None = None,
) -> SubmitResult:
    """Start every export of ``plan`` that does not already exist on the server (see the module doc).

    ``ee`` must be an initialised session (:func:`session.initialize`). Pacing and retries follow
    :data:`.session.RETRY` but for the values given (``per_second=None``: no limit). ``progress`` is asked before
    each task and may stop the batch (the rest is marked ``not_submitted``). The task table is written to
    ``table_path`` (CSV or JSON by extension) whatever happens, so an interrupted run still says what reached the
    server; errors are raised as :class:`EarthEngineError` (translated and redacted).
    """
    entries = plan_entries(plan)
    if not entries:
        raise LeafError(NOTHING_TO_SUBMIT)
    rows = [TaskRow(description=e.description, file_name=e.file_name, destination=e.location_text(),
                    action="not_submitted") for e in entries]
    policy = session.policy().but(attempts, backoff, per_second)
    table = TaskTable(table_path, project) if table_path else None  # checked here, once, before anything is sent
    run = _Run(ee, plan, project, policy, sleep, Throttle(policy.per_second, clock=clock, sleep=sleep),
               SubmitResult(rows=rows), table)
    digest = request_digest(plan)
    try:
        run.existing = by_description(list_operations(ee, attempts=policy.attempts, backoff=policy.backoff,
                                                      sleep=sleep))
        run.result.listed = sum(len(v) for v in run.existing.values())
        run.save()  # from here on the table is rewritten after every task: accurate even if the process is killed
        for index, row in enumerate(rows):
            if progress is not None and progress(index, len(rows)) is False:
                run.result.cancelled = True
                break
            run.submit(index, row, digest)
            if row.action != "skipped":  # a skipped task sent nothing: the table's next write (or the last) says so
                run.save()
            if on_row is not None:
                on_row(row)
        else:
            if progress is not None:
                progress(len(rows), len(rows))
    except LeafError:
        raise
    except Exception as error:
        raise translate_error(error, project) from None
    finally:
        run.save()
    return run.result


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


__all__ = ["STARTS", "TASK_STATES", "EarthEngineError", "SubmitResult", "TaskRow", "Throttle", "check_table_writable",
           "default_table_path", "export_body", "is_task_table", "list_operations", "read_task_table", "submit_plan",
           "write_task_table"]
