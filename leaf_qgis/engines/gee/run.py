"""The run of a production request: check → plan → write → submit (export tasks) or download (direct), in that order.

Why here and not in the algorithm: the order is the safety of the whole thing — every check before any work, the plan
written before anything is sent (so even a refused sign-in leaves the reviewed list of tasks), the task table written
whatever happens — and a script without QGIS must get the same guarantees. ``leaf:produce_gee`` only turns its
parameters into a request and this run's events into its feedback::

    from leaf_qgis.engines.gee import request as rq, run
    outcome = run.run(rq.make_request(...), "plan.json", dry_run=False, project="my-project")

Retries and pacing follow one :class:`.session.RetryPolicy` for submission and download alike.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError
from ...core.network_store import NetworkStore
from ...core.networks import NetworkSet
from . import destinations, session
from .plan import build_plan, check_writable, export_count, write_plan
from .request import GeeRequest
from .session import RetryPolicy

Progress = Callable[[float], bool]
"""``progress(percent)`` → False to stop (the plan's building is the first half of the bar when something follows)."""
Events = Callable[..., None]
"""``events(name, **details)``: ``building`` (count), ``written`` (path, plan), ``connecting`` (project), ``row``
(row: a task-table row just submitted or skipped), ``downloaded`` (description, path)."""

DOWNLOAD_FOLDER_MISSING = QT_TRANSLATE_NOOP("leaf", "Choose the DOWNLOAD FOLDER for the download destination.")
CANCELLED_SUBMITTING = QT_TRANSLATE_NOOP(
    "leaf",
    "Cancelled after submitting {submitted} of {total} tasks ({skipped} already on Earth Engine). The task "
    "table {path} lists them; run again to submit the rest (tasks already submitted are skipped).",
)


@dataclass
class Outcome:
    """What a run did."""

    plan: dict[str, Any]
    plan_path: Path
    table_path: str = ""
    submitted: int = 0
    skipped: int = 0
    downloaded: dict[str, str] = field(default_factory=dict)
    """Description → path of each map fetched (download destination)."""


@dataclass
class _Checked:
    plan_path: Path
    project: str = ""
    table_path: str = ""


def check(request: GeeRequest, plan_path: str | os.PathLike, *, dry_run: bool, project: str = "",
          table_path: str | os.PathLike | None = None) -> _Checked:
    """Every check that can fail before work starts: the project id (when something is sent), the plan and task
    table files (writable, not a user's other file), the download folder."""
    from .tasks import check_table_writable, default_table_path

    target = destinations.destination(request.destination)
    if not dry_run and not target.submits and not request.folder:
        raise LeafError(DOWNLOAD_FOLDER_MISSING)
    sign_in = "" if dry_run else session.check_project_id(project or request.project)
    checked = _Checked(check_writable(plan_path), sign_in)
    if not dry_run and target.submits:
        checked.table_path = str(check_table_writable(table_path or default_table_path(checked.plan_path)))
    return checked


def run(request: GeeRequest, plan_path: str | os.PathLike, *, dry_run: bool = True, project: str = "",
        table_path: str | os.PathLike | None = None, network_set: NetworkSet | None = None,
        store: NetworkStore | None = None, connect: Callable[[str], Any] | None = None,
        policy: RetryPolicy | None = None, progress: Progress | None = None, events: Events | None = None,
        cancelled: Callable[[], bool] | None = None) -> Outcome:
    """Check, build and write the plan of ``request``; unless ``dry_run``, sign in (``connect(project)``, default
    :func:`.session.initialize`) and submit its tasks or download its maps (see the module doc). Network sets are read
    from ``store`` (the user's networks folder; :func:`.plan.build_plan`) unless ``network_set`` is given.
    ``cancelled()`` → True stops a direct download at once, even while a piece is being computed (up to
    :data:`.session.COMPUTE_TIMEOUT_SECONDS`); ``progress`` returning False stops between steps."""
    def event(name: str, **details: Any) -> None:
        if events is not None:
            events(name, **details)

    def part(start: float, share: float) -> Callable[[int, int], bool]:
        def report(done: int, total: int) -> bool:
            return True if progress is None else progress(start + share * done / max(total, 1)) is not False
        return report

    policy = policy or session.policy()
    checked = check(request, plan_path, dry_run=dry_run, project=project, table_path=table_path)
    event("building", count=export_count(request))
    plan = build_plan(request, network_set, store=store, progress=part(0.0, 100.0 if dry_run else 50.0))
    target = destinations.destination(request.destination)
    if not target.submits:
        from . import direct

        direct.check_sizes(plan)
    write_plan(plan, checked.plan_path)
    event("written", path=str(checked.plan_path), plan=plan)
    outcome = Outcome(plan, checked.plan_path, checked.table_path)
    if dry_run:
        return outcome
    event("connecting", project=checked.project)
    ee = (connect or session.initialize)(checked.project)
    if target.submits:
        _submit(ee, outcome, checked.project, policy, part(50.0, 50.0), event)
    else:
        from . import direct

        try:
            outcome.downloaded = direct.download_plan(ee, plan, None, progress=part(50.0, 50.0),
                                                      cancelled=cancelled, **policy.retry)
        except Cancelled as cancelled:  # the plan is written: kept, as the maps finished before the cancellation
            raise Cancelled([str(checked.plan_path), *cancelled.kept]) from None
        for description, path in outcome.downloaded.items():
            event("downloaded", description=description, path=path)
    return outcome


def _submit(ee: Any, outcome: Outcome, project: str, policy: RetryPolicy, progress: Callable[[int, int], bool],
            event: Callable[..., None]) -> None:
    from .submit import submit_plan

    result = submit_plan(ee, outcome.plan, project, per_second=policy.per_second, attempts=policy.attempts,
                         backoff=policy.backoff, progress=progress, on_row=lambda row: event("row", row=row),
                         table_path=outcome.table_path)
    outcome.submitted, outcome.skipped = result.submitted, result.skipped
    if result.cancelled:
        raise LeafError(CANCELLED_SUBMITTING, submitted=result.submitted, total=len(result.rows),
                        skipped=result.skipped, path=outcome.table_path)
