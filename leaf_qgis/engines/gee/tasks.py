"""Operations on Earth Engine tasks, in one place: the task table (rows, states, the file), listing and filtering,
cancelling, waiting, and downloading the Cloud Storage files of finished tasks.

Why a listing per poll and not one request per task: a national batch is hundreds of tasks; one paginated listing
answers for all of them (500 per page), so waiting costs the same whether 4 or 400 tasks are followed.

Why downloads go through ``.part`` files: a download cut by a dropped connection, a full disk or a cancel must never
leave a file that looks complete. Bytes go to ``<name>.leaf-<tag>.part`` (the tag names this version of this object,
so the plugin only ever resumes or removes a partial file it wrote); a later run resumes it with an HTTP ``Range``
request; the whole file is checked against the object's MD5 (or CRC32C) from Cloud Storage before the rename that
makes it visible. A file already present with the right checksum is not downloaded again; any other file at that path
(the user's own) is never replaced: the object is reported and skipped.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import operator
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ...core import naming, sites
from ...core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError
from ...core.files import write_atomically
from . import session as ee_session
from .plan import FULL_READ_LIMIT, check_writable
from .session import EarthEngineError, pause, redact, storage_url, translate_error, with_retries

ALL_STATES = ["READY", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CANCEL_REQUESTED"]
TERMINAL = frozenset({"COMPLETED", "FAILED", "CANCELLED"})
CHUNK = 1 << 20
_CONSOLE = re.compile(r"^https?://console\.(?:developers|cloud)\.google\.com/storage/browser/([^/?#]+)/?([^?#]*)")


# -------------------------------------------------------------------------------------------------- task rows
SKIP_STATES = frozenset({"PENDING", "RUNNING", "SUCCEEDED"})
"""Operation states meaning "this task exists and will produce (or has produced) its file": not submitted again."""
TASK_STATES = {"PENDING": "READY", "RUNNING": "RUNNING", "SUCCEEDED": "COMPLETED", "FAILED": "FAILED",
               "CANCELLING": "CANCEL_REQUESTED", "CANCELLED": "CANCELLED"}
"""Operation state → the task state users know from the Code Editor and the earthengine CLI."""


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


def list_operations(ee: Any, *, attempts: int | None = None, backoff: float | None = None,
                    sleep: Callable[[float], None] = time.sleep) -> list[dict[str, Any]]:
    """Every operation of the session's project, newest first (the client follows the pages); retried as the run's
    policy says unless ``attempts`` / ``backoff`` are given."""
    policy = ee_session.policy().but(attempts, backoff)
    return with_retries(lambda: ee.data.listOperations(), policy.attempts, policy.backoff, sleep=sleep)


def by_description(operations: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Operations grouped by description, each list newest first (as listed)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for operation in operations:
        description = operation.get("metadata", {}).get("description", "")
        grouped.setdefault(description, []).append(operation)
    return grouped


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


_json_text = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]
"""A string as ``json.dumps`` writes it (``ensure_ascii``)."""


class TableText:
    """Rows → the bytes of a task table, JSON (``as_json``) or CSV, every text redacted once more for safety.

    Each row's text (its CSV line, or its JSON record) is remembered by the row's values until a write no longer holds
    it: a run rewrites the table after every task and changes one row each time, so a rewrite serialises (and
    redacts) one row and pastes the others. The bytes are those of ``csv.DictWriter`` / ``json.dumps(document,
    indent=1)`` over the whole table, which the tests check.
    """

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self._texts: dict[tuple[str, ...], tuple[str, str]] = {}
        """Row values → (the row's text, its redacted action)."""
        self._csv: Any = None
        self._buffer = io.StringIO()

    def __call__(self, rows: Iterable[TaskRow], project: str = "") -> bytes:
        columns = TaskRow.columns()  # (not dataclasses.asdict: its deep copies were most of a rewrite's time)
        known, texts = self._texts, {}
        parts: list[str] = []
        counts: dict[str, int] = {}
        row_values = operator.attrgetter(*columns)
        for row in rows:
            values = row_values(row)
            text = known.get(values) or texts.get(values) or self._row_text(columns, values)
            texts[values] = text
            parts.append(text[0])
            counts[text[1]] = counts.get(text[1], 0) + 1
        self._texts = texts  # only the rows of this table: a long run keeps no row it has rewritten
        if not self.as_json:
            return (",".join(columns) + "\n" + "".join(parts)).encode("utf-8")
        head = json.dumps({"generator": TABLE_GENERATOR, "project": project,
                           "written": datetime.now(timezone.utc).isoformat(timespec="seconds"), "counts": counts,
                           "tasks": []}, indent=1)
        if parts:  # json.dumps(document, indent=1) writes the list's items two spaces in, one per line
            head = head[:-len("[]\n}")] + "[\n" + ",\n".join(parts) + "\n ]\n}"
        return head.encode("utf-8")

    def _row_text(self, columns: list[str], values: tuple[str, ...]) -> tuple[str, str]:
        record = {c: redact(v) if isinstance(v, str) else v for c, v in zip(columns, values)}
        if self.as_json:  # what json.dumps(indent=1) writes for a record two levels in, without its slow encoder
            items = ",\n".join(f"   {_json_text(c)}: {_json_text(v) if isinstance(v, str) else json.dumps(v)}"
                               for c, v in record.items())
            return "  {\n" + items + "\n  }", record["action"]
        if self._csv is None:
            self._buffer = io.StringIO()
            self._csv = csv.writer(self._buffer, lineterminator="\n")
        self._buffer.seek(0)
        self._buffer.truncate()
        self._csv.writerow([record[c] for c in columns])
        return self._buffer.getvalue(), record["action"]


def _is_json_table(path: str | os.PathLike) -> bool:
    return str(path).lower().endswith(".json")


def table_bytes(rows: Iterable[TaskRow], path: str | os.PathLike, project: str = "") -> bytes:
    """The table as JSON (``.json``) or CSV (anything else), every text redacted once more for safety."""
    return TableText(_is_json_table(path))(rows, project)


class TaskTable:
    """The task table a run keeps up to date: checked once when opened (:func:`check_table_writable`: its folder
    writable, an existing file an earlier task table), then rewritten whole, atomically, as often as the run likes.

    Why checked once: a run rewrites the table before and after every task, and the check of a JSON table parses the
    whole file; with every row serialised and redacted again (:class:`TableText` now does only the changed ones), a
    rewrite of the national plan's 1 971-row table took 14-33 ms (CSV) and 30-49 ms (JSON), now 3-4 ms, fsync
    included (``tests/bench/bench_task_table.py``). A file created, replaced or changed by someone else since the
    table was opened or last written (its inode, size, modification or change time differ) is checked again before it
    is replaced, so a user's file that took the table's place is still never overwritten.
    """

    def __init__(self, path: str | os.PathLike, project: str = "") -> None:
        self.path = check_table_writable(path)
        self.project = project
        self._text = TableText(_is_json_table(self.path))
        self._checked = self._stamp()
        """The file's stamp when it was last checked or written (``None``: no file): any other stamp means someone
        else created, replaced or edited it since, and it is checked again before it is replaced."""

    def _stamp(self) -> tuple[int, int, int, int] | None:
        """(inode, size, mtime, ctime) of the file: ctime too, because an edit in place of the same size can keep the
        mtime on file systems with coarse timestamps, and nobody can set the ctime back."""
        try:
            status = os.lstat(self.path)
        except OSError:
            return None
        return status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns

    def write(self, rows: Iterable[TaskRow]) -> Path:
        """Write ``rows`` through a temporary file, flushed to disk, and a rename (a reader never sees half a table,
        a crash never loses the last one)."""
        if self._stamp() != self._checked:
            check_table_writable(self.path)
        try:
            write_atomically(self.path, self._text(rows, self.project))
        except OSError as error:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "The task table cannot be written to '{path}': {reason}."),
                            path=str(self.path), reason=error.strerror or str(error)) from None
        self._checked = self._stamp()
        return self.path


def write_task_table(rows: Iterable[TaskRow], path: str | os.PathLike, project: str = "") -> Path:
    """Write the table once (:class:`TaskTable`: atomically, never over a file that is not an earlier task table)."""
    return TaskTable(path, project).write(rows)


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



@dataclass
class Followed:
    """A task row plus what we know of its Cloud Storage output (bucket and object-name prefix)."""

    row: TaskRow
    bucket: str = ""
    prefix: str = ""
    type: str = ""


@dataclass
class DownloadResult:
    """Files written (or found complete) per task description, and the bytes moved."""

    files: dict[str, list[Path]] = field(default_factory=dict)
    downloaded: int = 0
    present: int = 0
    bytes: int = 0
    stopped: bool = False
    problems: list[LeafError] = field(default_factory=list)
    """Objects skipped (unsafe names) or not fetched (damaged, truncated, refused), each with its reason; the batch
    went on past them and the caller reports them at the end (and fails)."""


# ----------------------------------------------------------------------------------------------------- listing
def parse_time(text: str) -> datetime | None:
    """``2024-05-01T12:00:00.123456Z`` → aware datetime (None when missing or unreadable)."""
    if not text:
        return None
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?", text)
    if not match:
        return None
    return datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)


def follow(operation: dict[str, Any]) -> Followed:
    """A :class:`Followed` from an Operation; the GCS bucket and prefix come from its console destination URI."""
    row = operation_row(operation)
    metadata = operation.get("metadata", {})
    item = Followed(row=row, type=metadata.get("type", ""))
    for uri in metadata.get("destinationUris") or []:
        match = _CONSOLE.match(uri)
        if match:
            item.bucket = match.group(1)
            folder = match.group(2).strip("/")
            item.prefix = f"{folder}/{row.description}" if folder else row.description
            row.destination = f"gs://{item.bucket}/{item.prefix}"
            break
    else:
        if metadata.get("destinationUris"):
            row.destination = redact(metadata["destinationUris"][0])
    return item


PLUGIN_TASK_TYPES = frozenset({"EXPORT_IMAGE", ""})
"""Operation types of the plugin's map exports (image exports; "" when the server leaves the type out)."""
TABLE_TASK_TYPES = frozenset({"EXPORT_FEATURES", ""})
"""Operation types of the plugin's site tables (``leaf:sample_sites``)."""


def is_plugin_task(operation: dict[str, Any]) -> bool:
    """True when ``operation`` is an export this plugin creates: an image export whose description is a LEAF output
    name (``tile55_2020_Jul_LAI_20m``, :mod:`leaf_qgis.core.naming`, as :func:`exports.export_spec` writes it).

    Why by name: the Earth Engine task list keeps no label or tag of the submitter (a request's ``workloadTag`` is
    not listed back), while the description is ours, exact and stable across runs; a Cloud project shared with
    colleagues or other tools then keeps its other tasks out of reach of ``ee_tasks``.
    """
    metadata = operation.get("metadata", {})
    kind, description = metadata.get("type", ""), metadata.get("description", "")
    if kind in TABLE_TASK_TYPES and description.startswith(sites.TASK_PREFIX):
        return True
    return kind in PLUGIN_TASK_TYPES and naming.parse(description) is not None


def select(operations: Iterable[dict[str, Any]], prefix: str = "", states: Sequence[str] = (),
           max_age_hours: float = 0.0, now: datetime | None = None, include_foreign: bool = False) -> list[Followed]:
    """Tasks whose description starts with ``prefix``, in ``states`` (task states, any when empty), created at most
    ``max_age_hours`` ago (any age when 0); newest first, one per description (the latest run of it). Only the
    plugin's own tasks (:func:`is_plugin_task`) unless ``include_foreign``."""
    now = now or datetime.now(timezone.utc)
    wanted = {s.upper() for s in states}
    seen: set[str] = set()
    result: list[Followed] = []
    for operation in operations:
        metadata = operation.get("metadata", {})
        description = metadata.get("description", "")
        if not description.startswith(prefix or "") or description in seen:
            continue
        if not include_foreign and not is_plugin_task(operation):
            continue
        seen.add(description)
        item = follow(operation)
        if wanted and item.row.state not in wanted:
            continue
        if max_age_hours > 0:
            created = parse_time(metadata.get("createTime", ""))
            if created is None or now - created > timedelta(hours=max_age_hours):
                continue
        result.append(item)
    return result


def list_tasks(ee: Any, prefix: str = "", states: Sequence[str] = (), max_age_hours: float = 0.0,
               include_foreign: bool = False, **retry: Any) -> list[Followed]:
    """:func:`select` over the project's operations (one paginated listing, retried on transient faults)."""
    try:
        return select(list_operations(ee, **retry), prefix, states, max_age_hours, include_foreign=include_foreign)
    except LeafError:
        raise
    except Exception as error:
        raise translate_error(error) from None


def cancellable(items: Iterable[Followed]) -> list[Followed]:
    """The tasks :func:`cancel` would ask to stop (those not finished yet), to list them before doing it."""
    return [item for item in items if item.row.state not in TERMINAL]


def cancel(ee: Any, items: Iterable[Followed], *, progress: Callable[[int, int], bool] | None = None,
           **retry: Any) -> int:
    """Cancel the tasks not finished yet; returns how many were asked to stop (their state becomes CANCELLED)."""
    pending = cancellable(items)
    done = 0
    try:
        for index, item in enumerate(pending):
            if progress is not None and progress(index, len(pending)) is False:
                break
            with_retries(lambda name=item.row.operation: ee.data.cancelOperation(name), **retry)
            item.row.state = "CANCEL_REQUESTED"
            done += 1
    except Exception as error:
        raise translate_error(error) from None
    return done


def wait(ee: Any, items: list[Followed], *, poll_seconds: float = 30.0,
         progress: Callable[[int, int], bool] | None = None, sleep: Callable[[float], None] = time.sleep,
         cancelled: Callable[[], bool] | None = None, **retry: Any) -> bool:
    """Poll until every task is COMPLETED, FAILED or CANCELLED; True when all finished, False when stopped.

    ``progress(finished, total)`` is called after each poll; returning False stops waiting (the tasks go on).
    ``cancelled()`` → True stops it too, within :data:`.session.CANCEL_POLL_SECONDS` even in the pause between
    polls (30 s by default).
    """
    by_name = {item.row.operation: item for item in items}
    while True:
        finished = sum(1 for item in items if item.row.state in TERMINAL)
        if progress is not None and progress(finished, len(items)) is False:
            return False
        if finished == len(items):
            return True
        try:
            pause(poll_seconds, sleep, cancelled)
        except Cancelled:
            return False
        try:
            operations = list_operations(ee, **retry)
        except Exception as error:
            raise translate_error(error) from None
        for operation in operations:
            item = by_name.get(operation.get("name", ""))
            if item is not None:
                operation_row(operation, item.row)


def failures(items: Iterable[Followed]) -> list[tuple[str, str]]:
    """(description, server error message) of each FAILED task, for the log."""
    return [(item.row.description, item.row.error or "no message") for item in items if item.row.state == "FAILED"]


# -------------------------------------------------------------------------------------------------- downloads
DOWNLOAD_ERRORS = {
    "folder": QT_TRANSLATE_NOOP(
        "leaf", "The files cannot be written to '{path}': {reason}. Choose a writable folder with enough free space."),
    "checksum": QT_TRANSLATE_NOOP(
        "leaf", "The download of gs://{bucket}/{name} is damaged (its checksum does not match the one Cloud Storage "
                "gives, twice); the partial file was removed. Run the download again."),
    "bucket": QT_TRANSLATE_NOOP(
        "leaf", "Cloud Storage refused to list gs://{bucket}/{prefix}: {detail}. Check the bucket name and that your "
                "account can read it."),
    "object": QT_TRANSLATE_NOOP(
        "leaf", "gs://{bucket}/{name} could not be downloaded: {detail}. Its partial file is kept; run the download "
                "again to resume it."),
    "missing": QT_TRANSLATE_NOOP(
        "leaf", "Task {description} is COMPLETED but no file starting with gs://{bucket}/{prefix} was found."),
    "unsafe": QT_TRANSLATE_NOOP(
        "leaf", "Skipped the object gs://{bucket}/{name}: its name would put the file outside the download folder "
                "or holds characters not allowed in file names ('..', an absolute path, a backslash, a control "
                "character…). Nothing was written for it; check what writes into this bucket."),
    "exists": QT_TRANSLATE_NOOP(
        "leaf", "Skipped gs://{bucket}/{name}: the file '{path}' already exists and is not a download of this object "
                "(its size or checksum differ), so it was left untouched. Move or rename that file, or choose another "
                "download folder, then run the download again."),
}
SAFE_SEGMENT = re.compile(r"^[\w .,()+=@~-]+$")
"""Characters allowed in each folder or file name of an object written to disk (letters and digits of any script,
and a few punctuation marks that every file system accepts)."""
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                              *(f"LPT{i}" for i in range(1, 10))})
MAX_NETWORK_FAILURES = 3
"""Objects in a row that fail for network reasons before the batch stops (Cloud Storage is then unreachable, not
one object damaged)."""


def printable(name: str, limit: int = 200) -> str:
    """``name`` safe to print: control characters escaped, secrets redacted, at most ``limit`` characters."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in name)
    text = redact(text)
    return text if len(text) <= limit else text[:limit] + "…"


def safe_target(root: str | os.PathLike, name: str) -> Path | None:
    """Where object ``name`` goes under ``root`` (``<root>/<folders>/<file>``), or None when it must not be written.

    Why: object names come from a bucket that others may write to; a name is a path only if each ``/``-separated part
    is an ordinary file name (no ``..``, ``.``, empty part, backslash, drive colon, control character, Windows
    device name or trailing dot/space), and the normalised result stays inside ``root``.
    """
    if not name or len(name) > 1024 or name.startswith("/") or "\\" in name:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return None
    parts = name.split("/")
    for part in parts:
        if part in ("", ".", "..") or not SAFE_SEGMENT.match(part) or part.endswith((" ", ".")):
            return None
        if part.split(".")[0].upper() in WINDOWS_RESERVED:
            return None
    base = os.path.normpath(os.path.abspath(os.fspath(root)))
    full = os.path.normpath(os.path.join(base, *parts))
    if full == base or os.path.commonpath([base, full]) != base:
        return None
    return Path(full)


def _session(credentials: Any) -> Any:
    from google.auth.transport.requests import AuthorizedSession

    return AuthorizedSession(credentials)


def _timeout() -> tuple[float, float]:
    """(connect, read) seconds for Cloud Storage requests (the session's constants, read at each request)."""
    return ee_session.CONNECT_TIMEOUT_SECONDS, ee_session.REQUEST_TIMEOUT_SECONDS


class StorageError(EarthEngineError):
    """A Cloud Storage answer with an error status (kept on ``status`` so retries are decided by it)."""

    def __init__(self, template: str, status: int, **params: Any) -> None:
        super().__init__(template, kind="storage", retryable=status in ee_session.RETRY_STATUSES, **params)
        self.status = status


def _check(answer: Any, template: str, what: dict[str, str]) -> None:
    if answer.status_code >= 400:
        try:
            detail = answer.json().get("error", {}).get("message", "")
        except ValueError:
            detail = answer.text[:300]
        raise StorageError(template, answer.status_code, detail=f"HTTP {answer.status_code} {detail}", **what)


def list_objects(http: Any, bucket: str, prefix: str) -> list[dict[str, Any]]:
    """Objects of ``bucket`` whose name starts with ``prefix`` (all pages)."""
    items: list[dict[str, Any]] = []
    token = ""
    while True:
        params = {"prefix": prefix, "maxResults": "1000"}
        if token:
            params["pageToken"] = token
        answer = http.get(f"{storage_url()}/storage/v1/b/{quote(bucket, safe='')}/o", params=params,
                          timeout=_timeout())
        _check(answer, DOWNLOAD_ERRORS["bucket"], {"bucket": bucket, "prefix": prefix})
        data = answer.json()
        items.extend(data.get("items", []))
        token = data.get("nextPageToken", "")
        if not token:
            return items


def _digests(path: Path) -> tuple[str, str]:
    """(base64 MD5, base64 CRC32C or "" when google-crc32c is missing) of a file, as Cloud Storage spells them."""
    md5 = hashlib.md5()
    try:
        import google_crc32c

        crc: Any = google_crc32c.Checksum()
    except ImportError:
        crc = None
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            md5.update(block)
            if crc is not None:
                crc.update(block)
    return (base64.b64encode(md5.digest()).decode(),
            base64.b64encode(crc.digest()).decode() if crc is not None else "")


def verified(path: Path, item: dict[str, Any]) -> bool:
    """True when ``path`` has the object's size and its MD5 (or, for composite objects, CRC32C)."""
    if not path.is_file() or path.stat().st_size != int(item.get("size", -1)):
        return False
    md5, crc = _digests(path)
    if item.get("md5Hash"):
        return md5 == item["md5Hash"]
    return bool(crc) and crc == item.get("crc32c")


class DamagedDownloadError(LeafError):
    """The bytes received do not match the object's checksum (the partial file was removed)."""


class TargetExistsError(LeafError):
    """A file that is not a verified download of the object already sits at its target path (left untouched)."""


PARTIAL_SUFFIX = ".part"
"""End of the name of a partial download: ``<file>.leaf-<tag>.part`` (:func:`partial_path`)."""


def partial_path(target: Path, bucket: str, item: dict[str, Any]) -> Path:
    """Where the bytes of object ``item`` collect before they are verified and moved to ``target``.

    Why a tag: the plugin may only append to, or delete, a partial file it wrote itself. A plain ``<file>.part``
    could be anyone's (another tool, a user's own file); ``<file>.leaf-<tag>.part``, where the tag digests the
    bucket, name, generation, size and checksums, is ours *and* of this very version of the object, so a resume
    never appends to someone else's bytes nor to an older version's.
    """
    key = "\n".join(str(v) for v in (bucket, item.get("name", ""), item.get("generation", ""), item.get("size", ""),
                                      item.get("md5Hash", ""), item.get("crc32c", "")))
    tag = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return target.with_name(f"{target.name}.leaf-{tag}{PARTIAL_SUFFIX}")


def _occupied(path: Path) -> bool:
    """True when something (file, folder, even a dangling link) sits at ``path``."""
    return path.exists() or path.is_symlink()


def download_object(http: Any, bucket: str, item: dict[str, Any], target: Path,
                    cancelled: Callable[[], bool] = lambda: False) -> str:
    """Download one object to ``target`` through its own partial file (:func:`partial_path`, resumed when present).

    Returns ``"present"`` (already complete, nothing moved), ``"downloaded"`` or ``"stopped"`` (cancelled: the
    partial file stays, to be resumed). Raises :class:`DamagedDownloadError` when the result does not match the
    object's checksum (the partial file is removed so the next try starts again), :class:`TargetExistsError` when
    something that is not a verified download of the object is at ``target`` (never replaced: it may be the user's
    own file; checked before fetching and again just before the move), a :class:`LeafError` when the folder cannot
    be written; network errors propagate unchanged (the caller retries them, resuming the partial file).
    """
    import requests

    name = item["name"]
    part = partial_path(target, bucket, item)
    size = int(item.get("size", 0))

    def refuse() -> TargetExistsError:
        return TargetExistsError(DOWNLOAD_ERRORS["exists"], bucket=bucket, name=printable(name),
                                 path=printable(str(target), 400))

    try:
        if verified(target, item):
            return "present"
        if _occupied(target):
            raise refuse()
        target.parent.mkdir(parents=True, exist_ok=True)
        offset = part.stat().st_size if part.is_file() else 0
        if offset > size:
            part.unlink()
            offset = 0
        if offset < size or size == 0:
            headers = {"Range": f"bytes={offset}-"} if offset else {}
            url = f"{storage_url()}/download/storage/v1/b/{quote(bucket, safe='')}/o/{quote(name, safe='')}"
            with http.get(url, params={"alt": "media"}, headers=headers, stream=True, timeout=_timeout()) as answer:
                _check(answer, DOWNLOAD_ERRORS["object"], {"bucket": bucket, "name": name})
                if answer.status_code == 200:  # a full answer (no range asked, or the range was ignored)
                    offset = 0
                with open(part, "ab" if offset else "wb") as handle:
                    for block in answer.iter_content(CHUNK):
                        if cancelled():
                            return "stopped"
                        handle.write(block)
        if not verified(part, item):
            part.unlink(missing_ok=True)
            raise DamagedDownloadError(DOWNLOAD_ERRORS["checksum"], bucket=bucket, name=printable(name))
        if _occupied(target):  # appeared while we fetched: keep it, and keep our verified bytes for the next run
            raise refuse()
        os.replace(part, target)
    except requests.RequestException:
        raise
    except OSError as error:
        raise LeafError(DOWNLOAD_ERRORS["folder"], path=str(target.parent),
                        reason=error.strerror or str(error)) from None
    return "downloaded"


def _fetch(http: Any, bucket: str, obj: dict[str, Any], target: Path, cancelled: Callable[[], bool],
           **retry: Any) -> str:
    """:func:`download_object` with retries on transient faults, and one fresh try after a damaged transfer."""
    for attempt in (1, 2):
        try:
            return with_retries(lambda: download_object(http, bucket, obj, target, cancelled),
                                service="Cloud Storage", **retry)
        except DamagedDownloadError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


DOWNLOADABLE_SUFFIXES = (".tif", ".csv")
"""What a download fetches: map GeoTIFFs (and their shards) and site-table CSVs."""


def objects_by_task(http: Any, items: list[Followed], problem: Callable[[LeafError], None],
                    **retry: Any) -> dict[str, list[dict[str, Any]]]:
    """The objects of each task (by description), listed once per bucket and folder rather than once per task: a
    national batch writes a few hundred files into a few folders. A folder that cannot be listed is reported
    (``problem``) once and its tasks get nothing."""
    groups: dict[tuple[str, str], list[Followed]] = {}
    for item in items:
        groups.setdefault((item.bucket, item.prefix.rpartition("/")[0]), []).append(item)
    found: dict[str, list[dict[str, Any]]] = {}
    for (bucket, _folder), members in groups.items():
        prefix = os.path.commonprefix([m.prefix for m in members])  # noqa: RUF071 - object names, not paths
        try:
            listed = with_retries(lambda b=bucket, p=prefix: list_objects(http, b, p), service="Cloud Storage",
                                  **retry)
        except StorageError as error:
            problem(error)
            continue
        by_length = sorted(members, key=lambda m: len(m.prefix), reverse=True)
        for member in members:
            found[member.row.description] = []
        for obj in listed:
            name = str(obj.get("name", ""))
            if name.endswith(DOWNLOADABLE_SUFFIXES):  # the longest prefix: …_LAI_200m's files are not …_LAI_20m's
                owner = next((m for m in by_length if name.startswith(m.prefix)), None)
                if owner is not None:
                    found[owner.row.description].append(obj)
    return found


def download(items: Iterable[Followed], folder: str | os.PathLike, credentials: Any, *,
             progress: Callable[[int, int], bool] | None = None, cancelled: Callable[[], bool] = lambda: False,
             on_file: Callable[[str, Path, str], None] | None = None,
             on_problem: Callable[[LeafError], None] | None = None, http: Any = None,
             **retry: Any) -> DownloadResult:
    """Fetch the files of the COMPLETED Cloud Storage tasks into ``folder`` (``<folder>/<object name>``).

    The bucket is listed once per folder of tasks (:func:`objects_by_task`). Transient faults (429, 5xx, timeouts,
    dropped connections) are retried; a retry resumes the partial file. An object whose name is unsafe
    (:func:`safe_target`) or whose target path holds another file (the user's, never replaced) is skipped; one that
    stays damaged or cannot be fetched is left out; all go to ``result.problems`` (and ``on_problem``) and the batch
    goes on, unless :data:`MAX_NETWORK_FAILURES` objects in a row fail for network reasons. ``progress`` is asked
    between tasks, ``cancelled`` between chunks.
    """
    root = Path(folder)
    result = DownloadResult()
    http = http or _session(credentials)
    wanted = [item for item in items if item.row.state == "COMPLETED" and item.bucket]

    def problem(error: LeafError) -> None:
        result.problems.append(error)
        if on_problem is not None:
            on_problem(error)

    failures = [0]
    try:
        listed = objects_by_task(http, wanted, problem, **retry)
        for index, item in enumerate(wanted):
            if (progress is not None and progress(index, len(wanted)) is False) or cancelled():
                result.stopped = True
                break
            if item.row.description not in listed:
                continue  # its folder could not be listed (reported)
            if not listed[item.row.description]:
                problem(LeafError(DOWNLOAD_ERRORS["missing"], description=item.row.description, bucket=item.bucket,
                                  prefix=item.prefix))
                continue
            for obj in listed[item.row.description]:
                if _download_one(http, item, obj, root, result, problem, failures, cancelled, on_file, retry):
                    return result
        else:
            if progress is not None:
                progress(len(wanted), len(wanted))
    except LeafError:
        raise
    except Exception as error:
        raise translate_error(error) from None
    return result


def _download_one(http: Any, item: Followed, obj: dict[str, Any], root: Path, result: DownloadResult,
                  problem: Callable[[LeafError], None], failures: list[int], cancelled: Callable[[], bool],
                  on_file: Callable[[str, Path, str], None] | None, retry: dict[str, Any]) -> bool:
    """Fetch one object of ``item`` into ``root``; True when the run was cancelled (stop everything).
    ``failures`` counts network failures in a row (:data:`MAX_NETWORK_FAILURES`)."""
    target = safe_target(root, obj["name"])
    if target is None:
        problem(LeafError(DOWNLOAD_ERRORS["unsafe"], bucket=item.bucket, name=printable(obj["name"])))
        return False
    try:
        outcome = _fetch(http, item.bucket, obj, target, cancelled, **retry)
    except (DamagedDownloadError, TargetExistsError, StorageError) as error:
        problem(error)
        return False
    except LeafError:
        raise
    except Exception as error:
        if not ee_session.is_retryable(error):
            raise
        failures[0] += 1
        problem(LeafError(DOWNLOAD_ERRORS["object"], bucket=item.bucket, name=printable(obj["name"]),
                          detail=translate_error(error).params.get("detail", "")))
        if failures[0] >= MAX_NETWORK_FAILURES:
            raise
        return False
    failures[0] = 0
    if outcome == "stopped":
        result.stopped = True
        return True
    if outcome == "downloaded":
        result.downloaded += 1
        result.bytes += int(obj.get("size", 0))
    else:
        result.present += 1
    result.files.setdefault(item.row.description, []).append(target)
    if on_file is not None:
        on_file(item.row.description, target, outcome)
    return False


__all__ = ["ALL_STATES", "TASK_STATES", "DownloadResult", "Followed", "cancel", "cancellable", "download",
           "failures", "is_plugin_task", "list_tasks", "safe_target", "select", "wait"]
