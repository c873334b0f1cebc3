"""Access to the ``ee`` module: lazy import, offline initialisation and a count of server round trips.

Why offline: a dry run must need no credentials and no network (CI machines, first-time users, air-gapped offices).
earthengine-api ships ``ee/tests/algorithms.json``, the server's algorithm signatures; once ``ee.data.getAlgorithms``
returns them and the Cloud API resource is not installed, ``ee.Initialize`` succeeds offline and every graph builds
and serialises exactly as it would against the server (this is how earthengine-api's own ``apitestcase`` works). Only
``Task.start()`` and ``getInfo()`` need the server.

If the user's QGIS already holds an initialised ``ee`` session (e.g. the official Earth Engine plugin), it is used as is
and left untouched; an offline session we open ourselves is reset when we leave, so a later real initialisation
starts clean.

For real work :func:`initialize` opens an authenticated session lazily (never at plugin load), once per
(project, key, url), from the standard credentials file written by ``earthengine authenticate`` (shared with the
earthengine CLI and the official Earth Engine QGIS plugin) or from a service-account JSON key. Every failure becomes an
:class:`EarthEngineError` whose text says what to do, and every text passes through :func:`redact` so that no token or
key ever reaches a log, a plan, a project file or an exception. :func:`with_retries` retries what is worth retrying
(429, 5xx, dropped connections) with exponential back-off and jitter.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import math
import random
import re
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar
from urllib.parse import urlsplit

from ...core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError

OFFLINE_PROJECT = "leaf-dry-run"
"""Project id used for offline sessions (never sent anywhere)."""

_lock = threading.RLock()
_signatures_cache: dict[str, Any] | None = None
_raw_signatures_cache: dict[str, dict] | None = None


INSTALL_HELP = QT_TRANSLATE_NOOP(
    "leaf",
    "The Earth Engine Python API (earthengine-api) is not available to the Python that runs QGIS ({detail}). Install "
    "leaf_qgis from its release zip (Plugins › Manage and Install Plugins › Install from ZIP): the zip carries "
    "earthengine-api and uses it when QGIS has none. That copy needs Python 3.11 or newer; with an older QGIS, "
    "install the 'Google Earth Engine' QGIS plugin (it brings the package), then restart QGIS. Do not pip-install "
    "into the system Python of a Linux distribution.",
)


def import_ee() -> Any:
    """The ``ee`` module, or a :class:`LeafError` that tells the user how to install it for their system."""
    from .extlibs import import_ee as import_installed_or_bundled_ee

    try:
        ee = import_installed_or_bundled_ee()
    except ImportError as error:
        raise EarthEngineError(INSTALL_HELP, kind="missing_package", detail=redact(str(error))) from error
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


# ---------------------------------------------------------------------------------------------------------------------
# Authenticated sessions, error translation, redaction and retries
# ---------------------------------------------------------------------------------------------------------------------

T = TypeVar("T")
REDACTED = "[REDACTED]"
_SECRET_KEYS = r"access_token|refresh_token|id_token|client_secret|private_key(?:_id)?|assertion|api_key"
_REDACTIONS: list[tuple[re.Pattern[str], str]] = [
    # PEM blocks first (they contain spaces, so the key=value rule below would stop early).
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.S), REDACTED),
    (re.compile(r"(?i)(\"private_key(?:_id)?\"\s*:\s*\")[^\"]*"), r"\1" + REDACTED),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + REDACTED),
    # key=value, key: value, "key": "value" (any quoting) for every key that names a secret or might.
    (re.compile(r"(?i)([\"']?\b(?:" + _SECRET_KEYS + r"|key|token|code|authorization)\b[\"']?\s*[:=]\s*[\"']?)"
                r"[^\"'&\s,;}]+"), r"\1" + REDACTED),
    # "access_token <value>": the secret keys followed by a space (the form some libraries log); not for the
    # generic words "token" or "key", which ordinary sentences use.
    (re.compile(r"(?i)(\b(?:" + _SECRET_KEYS + r")\b[\"']?\s+)(?![\[(]?REDACTED)(?!is\b|was\b|has\b|for\b|"
                r"of\b|in\b|and\b|or\b|not\b)[^\"'&\s,;}]{6,}"), r"\1" + REDACTED),
    # Signed URLs: X-Goog-Signature=, X-Amz-Signature=, Signature=, sig= (Cloud Storage, S3, Azure SAS).
    (re.compile(r"(?i)\b([\w-]*signature|sig)=[^&\s\"'#]+"), r"\1=" + REDACTED),
    (re.compile(r"ya29\.[A-Za-z0-9._-]+"), REDACTED),  # Google OAuth access tokens
    (re.compile(r"1//[A-Za-z0-9._-]{10,}"), REDACTED),  # Google OAuth refresh tokens
    (re.compile(r"GOCSPX-[A-Za-z0-9_-]+"), REDACTED),  # Google OAuth client secrets
    (re.compile(r"AIza[0-9A-Za-z_-]{20,}"), REDACTED),  # Google API keys
    (re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.?[A-Za-z0-9_-]*"), REDACTED),  # JWTs
]


def redact(text: object) -> str:
    """``text`` with tokens, keys and secrets replaced by ``[REDACTED]``.

    Why here and everywhere: server errors, proxies and HTTP libraries sometimes echo request headers or URLs; an
    error text ends up in the Processing log, bug reports and screenshots, so nothing leaves this module unredacted.
    """
    return _redact_text(str(text))


@functools.lru_cache(maxsize=65536)
def _redact_text(text: str) -> str:
    """:func:`redact` of one string, remembered: a task table is rewritten after every task with mostly the same
    texts (a 500-row rewrite: 106 ms before, 21 ms with this cache and without dataclasses.asdict, fsyncs included)."""
    if not text:
        return text
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class EarthEngineError(LeafError):
    """A :class:`LeafError` from Earth Engine; ``kind`` names the cause, ``retryable`` whether waiting may help.

    String parameters are redacted on the way in, so neither the message nor ``params`` can carry a secret.
    """

    def __init__(self, template: str, kind: str = "other", retryable: bool = False, **params: Any) -> None:
        self.kind = kind
        self.retryable = retryable
        clean = {k: redact(v)[:600] if isinstance(v, str) else v for k, v in params.items()}
        super().__init__(template, **clean)


MESSAGES: dict[str, str] = {
    "no_project": QT_TRANSLATE_NOOP(
        "leaf",
        "No Google Cloud project is set for Earth Engine; every Earth Engine request needs one. Give the project id "
        "in the PROJECT parameter or in the plugin settings (for example my-leaf-project). You find it in the project "
        "picker of https://console.cloud.google.com; register it for Earth Engine at "
        "https://code.earthengine.google.com/register.",
    ),
    "project_name": QT_TRANSLATE_NOOP(
        "leaf",
        "'{project}' is not a Google Cloud project id. Give the project id, not the project name: an id has 6 to 30 "
        "characters, lowercase letters, digits and hyphens, starts with a letter (for example my-leaf-project-2024). "
        "The project picker of https://console.cloud.google.com shows both.",
    ),
    "project_not_found": QT_TRANSLATE_NOOP(
        "leaf",
        "Earth Engine does not know project '{project}' or the project is not registered for Earth Engine "
        "({detail}). Check that you gave the project id (not its name), then register the project at "
        "https://code.earthengine.google.com/register.",
    ),
    "api_disabled": QT_TRANSLATE_NOOP(
        "leaf",
        "The Earth Engine API is not enabled for project '{project}' ({detail}). Enable it at "
        "https://console.cloud.google.com/apis/library/earthengine.googleapis.com?project={project}, wait a minute, "
        "then retry.",
    ),
    "not_authenticated": QT_TRANSLATE_NOOP(
        "leaf",
        "No Earth Engine credentials were found ({detail}). Use the plugin menu action 'Authenticate with Earth "
        "Engine…', or run 'earthengine authenticate' in a terminal using the Python that QGIS uses (the OSGeo4W Shell "
        "on Windows), or choose a service-account key file in the plugin settings; then retry.",
    ),
    "expired": QT_TRANSLATE_NOOP(
        "leaf",
        "Earth Engine refused your credentials: they have expired or were revoked ({detail}). Authenticate again "
        "with the plugin menu action 'Authenticate with Earth Engine…' or 'earthengine authenticate', or check the "
        "service-account key; then retry.",
    ),
    "quota": QT_TRANSLATE_NOOP(
        "leaf",
        "Earth Engine refused the request because a quota or rate limit was reached for project '{project}' "
        "({detail}). Wait a few minutes and retry, submit fewer tasks at once, or check the project's Earth Engine "
        "quota tier in the Cloud console.",
    ),
    "server": QT_TRANSLATE_NOOP(
        "leaf", "The Earth Engine service had a temporary problem ({detail}). Retry in a few minutes."
    ),
    "permission": QT_TRANSLATE_NOOP(
        "leaf",
        "Earth Engine refused access for project '{project}' ({detail}). Check that the project is registered for "
        "Earth Engine and that your account (or the service account) has the 'Earth Engine Resource Writer' and "
        "'Service Usage Consumer' roles on it.",
    ),
    "network": QT_TRANSLATE_NOOP(
        "leaf",
        "Earth Engine could not be reached ({detail}). Check the internet connection; behind a proxy, set it in the "
        "QGIS options (Network) or with the HTTPS_PROXY environment variable; then retry.",
    ),
    "key_missing": QT_TRANSLATE_NOOP(
        "leaf",
        "The service-account key file '{path}' does not exist or cannot be read. Choose the JSON key downloaded "
        "from the Cloud console (IAM, Service accounts, Keys).",
    ),
    "key_invalid": QT_TRANSLATE_NOOP(
        "leaf",
        "'{path}' is not a valid service-account JSON key ({detail}). Download a new JSON key from the Cloud "
        "console (IAM, Service accounts, Keys).",
    ),
    "timeout": QT_TRANSLATE_NOOP(
        "leaf",
        "Earth Engine did not answer within {seconds:g} s, even after several tries ({detail}). The service or the "
        "connection is very slow: retry later; behind a proxy, check the QGIS network settings.",
    ),
    "other": QT_TRANSLATE_NOOP("leaf", "The Earth Engine request failed: {detail}"),
}
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses worth retrying: rate limit, server error, bad gateway, unavailable, gateway timeout."""
TIMEOUT_CLASSES = frozenset({"TimeoutError", "timeout", "Timeout", "ReadTimeout", "ConnectTimeout",
                             "ReadTimeoutError", "ConnectTimeoutError"})
"""Exception class names meaning "no answer in time" (builtin, socket, requests, urllib3)."""
CONNECTION_CLASSES = frozenset({"ConnectionError", "ConnectionResetError", "ConnectionAbortedError",
                                "ConnectionRefusedError", "BrokenPipeError", "RemoteDisconnected", "IncompleteRead",
                                "ChunkedEncodingError", "ProtocolError", "TransportError", "ServerNotFoundError",
                                "gaierror", "NewConnectionError", "MaxRetryError"})
"""Exception class names meaning "the connection failed or dropped" (builtin, http.client, requests, urllib3,
google-auth, httplib2)."""
REQUEST_TIMEOUT_SECONDS = 30.0
"""Longest wait for an answer (and between two chunks of an answer) from Earth Engine or Cloud Storage: a stalled
request is abandoned and retried instead of blocking a submission for minutes without a word."""
CONNECT_TIMEOUT_SECONDS = 15.0
"""Longest wait to open a connection."""
COMPUTE_TIMEOUT_SECONDS = 330.0
"""Read timeout for synchronous computations (:data:`COMPUTE_METHODS`): Earth Engine computes for up to 5 minutes
before it answers, so the general timeout would abandon requests that are merely working."""
COMPUTE_METHODS = (":computePixels", ":computeFeatures", ":computeImages", "/value:compute", ":getPixels")
"""How the paths of the REST methods that answer only once the server has computed end (Earth Engine's discovery
document): ``image:computePixels`` (direct download), ``table:computeFeatures`` (site tables fetched directly),
``imageCollection:computeImages``, ``value:compute`` (``getInfo``) and ``…:getPixels`` (assets read and thumbnails
rendered on request). Every other method (listing, export, cancel, algorithms) answers at once."""
RETRY_BACKOFF = 1.0
"""First wait (seconds) before retrying a failed sign-in request; doubles each time."""
SIGN_IN_ATTEMPTS = 3
"""Tries of ``ee.Initialize`` (its discovery and algorithm requests) on transient faults."""
_PROJECT_ID = re.compile(r"^(?:[a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[0-9]{6,}$")
_TEXT_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("api_disabled", ("has not been used in project", "service_disabled", "api has not been used",
                      "it is disabled")),
    ("no_project", ("no project found",)),
    ("project_not_found", ("not signed up", "not registered", "project not found")),
    ("not_authenticated", ("please authorize access", "earthengine authenticate", "could not automatically "
                           "determine credentials")),
    ("expired", ("invalid authentication credentials", "unauthenticated", "invalid_grant", "expired or revoked",
                 "necessary fields need to refresh")),
    ("quota", ("too many requests", "quota", "rate limit", "resource_exhausted", "rate exceeded")),
    ("server", ("internal error", "currently unavailable", "backend error", "deadline exceeded", "bad gateway",
                "service unavailable")),
    ("permission", ("permission_denied", "does not have required permission", "caller does not have permission")),
]

_active: tuple[str, str | None, str | None] | None = None
"""(project, key path, url) of the session :func:`initialize` opened, to make it idempotent."""
_own_state: Any = None
"""The ``ee`` client configuration (``ee._state.EEState``) :func:`initialize` set up, kept apart from other clients'."""
_own_credentials: Any = None
"""Its credentials object: another client re-initialising that state in place replaces it."""


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and the exceptions it was raised from or during (``ee`` raises its ``EEException`` inside the
    ``except HttpError`` block, so the HTTP error with its status is the exception's context)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _http_status(error: BaseException) -> int | None:
    """The HTTP status behind ``error``: a googleapiclient ``HttpError`` (``resp.status``, found in the chain even
    when ``ee`` re-raised it as an ``EEException``), a requests ``HTTPError`` or our own ``status`` attribute."""
    for item in _chain(error):
        for status in (getattr(item, "status", None), getattr(getattr(item, "resp", None), "status", None),
                       getattr(getattr(item, "response", None), "status_code", None)):
            if status is None:
                continue
            try:
                return int(status)
            except (TypeError, ValueError):
                continue
    return None


def _class_names(error: BaseException) -> set[str]:
    """Class names (with their bases) of ``error`` and of every exception in its chain."""
    return {cls.__name__ for item in _chain(error) for cls in type(item).__mro__}


def is_timeout(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) is a timeout: the server did not answer in time.

    Own class names only: urllib3's ``NewConnectionError`` (a refused connection) derives from its
    ``ConnectTimeoutError`` for old callers' sake, and a refused connection is not a slow server.
    """
    own = {type(item).__name__ for item in _chain(error)}
    return bool(own & TIMEOUT_CLASSES) and not own & {"NewConnectionError", "ConnectionRefusedError"}


def classify(error: BaseException) -> str:
    """Which :data:`MESSAGES` entry explains ``error`` (``"other"`` when nothing matches)."""
    if isinstance(error, EarthEngineError):
        return error.kind
    names = _class_names(error)
    text = str(error).lower()
    status = _http_status(error)
    if status is None and is_timeout(error):
        return "timeout"
    if "RefreshError" in names:
        # A refresh that failed because the network is down is not an expired credential.
        return "network" if "TransportError" in names or ("connection" in text and "refused" in text) else "expired"
    if project_not_found_text(text):
        return "project_not_found"
    for kind, needles in _TEXT_RULES:
        if any(needle in text for needle in needles):
            return kind
    if status == 401:
        return "expired"
    if status == 429:
        return "quota"
    if status is not None and status >= 500:
        return "server"
    if status == 403:
        return "permission"
    if status == 404:
        return "project_not_found" if "project" in text else "other"
    if names & {"TransportError", "ConnectionError", "TimeoutError", "timeout", "ServerNotFoundError",
                "RemoteDisconnected", "ConnectionResetError", "gaierror", "SSLError"}:
        return "network"
    if isinstance(error, OSError) and not isinstance(error, FileNotFoundError):
        return "network"
    return "other"


def project_not_found_text(text: str) -> bool:
    """The server's words for an unknown project: ``Project 'projects/My Project' not found or deleted.``"""
    return bool(re.search(r"project\s+'?[^']*'?\s*(was\s+)?not found", text))


def translate_error(error: BaseException, project: str = "") -> EarthEngineError:
    """An actionable :class:`EarthEngineError` for any exception raised by ``ee``, google-auth or the network."""
    if isinstance(error, EarthEngineError):
        return error
    kind = classify(error)
    detail = str(error).strip() or type(error).__name__
    return EarthEngineError(MESSAGES[kind], kind=kind, retryable=is_retryable(error), project=project,
                            detail=detail, seconds=timeout_seconds(error))


def is_retryable(error: BaseException) -> bool:
    """True for 429 / 500 / 502 / 503 / 504 answers, timeouts and dropped or refused connections.

    Decided by the HTTP status and the exception class only, never by the message: servers and proxies word the same
    fault in many ways (an unusual 503 text must still be retried, a 400 that mentions "quota" must not).
    """
    if isinstance(error, EarthEngineError):
        return error.retryable
    status = _http_status(error)
    if status is not None:
        return status in RETRY_STATUSES
    names = _class_names(error)
    if "RefreshError" in names and "TransportError" not in names:
        return False  # a refused refresh (revoked credentials) stays refused
    return bool(names & (TIMEOUT_CLASSES | CONNECTION_CLASSES))


RETRY_MESSAGES = {
    "timeout": QT_TRANSLATE_NOOP(
        "leaf", "{service} did not answer within {seconds:g} s; retrying in {delay:.0f} s ({attempt}/{attempts})."),
    "status": QT_TRANSLATE_NOOP(
        "leaf", "{service} answered HTTP {status} ({reason}); retrying in {delay:.0f} s ({attempt}/{attempts})."),
    "connection": QT_TRANSLATE_NOOP(
        "leaf", "The connection to {service} failed ({reason}); retrying in {delay:.0f} s ({attempt}/{attempts})."),
}
STATUS_REASONS = {429: "too many requests", 500: "internal error", 502: "bad gateway", 503: "unavailable",
                  504: "gateway timeout"}

_reporter: contextvars.ContextVar[Callable[[LeafError], None] | None] = contextvars.ContextVar(
    "leaf_retry_reporter", default=None)


def read_timeout_for(uri: str) -> float:
    """The read timeout of a request to ``uri``: at least :data:`COMPUTE_TIMEOUT_SECONDS` for a method that computes
    before it answers (:data:`COMPUTE_METHODS`, matched on the URL's path, not its query),
    :data:`REQUEST_TIMEOUT_SECONDS` otherwise (both read at each call, so tests can shorten them).

    Why by URL and not by caller: every computing call must get it (a site table's ``computeFeatures`` pages ran
    under the 30 s timeout and were abandoned while the server was still working), and the transport sees them all.
    """
    base = REQUEST_TIMEOUT_SECONDS
    path = urlsplit(uri).path
    return max(base, COMPUTE_TIMEOUT_SECONDS) if path.endswith(COMPUTE_METHODS) else base


def timeout_seconds(error: BaseException) -> float:
    """The read timeout ``error`` ran into: the one :class:`TimedHttp` applied to that request (a computation's is
    longer), else :data:`REQUEST_TIMEOUT_SECONDS` (what messages quote)."""
    for item in _chain(error):
        seconds = getattr(item, "leaf_timeout_seconds", None)
        if isinstance(seconds, (int, float)):
            return float(seconds)
    return REQUEST_TIMEOUT_SECONDS


@contextlib.contextmanager
def retry_reports(report: Callable[[LeafError], None]) -> Iterator[None]:
    """While active, every retry of :func:`with_retries` (in this thread) is announced to ``report`` as a
    :class:`LeafError` to render (the algorithms push it to the Processing log): a user waiting on a slow server sees
    why, instead of a silent progress bar."""
    token = _reporter.set(report)
    try:
        yield
    finally:
        _reporter.reset(token)


def retry_message(error: BaseException, attempt: int, attempts: int, delay: float,
                  service: str = "Earth Engine") -> LeafError:
    """The words for "attempt ``attempt`` failed with ``error``; trying again after ``delay`` s" (the next try's
    number over the total, e.g. 2/5)."""
    common = {"service": service, "delay": delay, "attempt": attempt + 1, "attempts": attempts}
    status = _http_status(error)
    if status is not None:
        return LeafError(RETRY_MESSAGES["status"], status=status, reason=STATUS_REASONS.get(status, "error"),
                         **common)
    if is_timeout(error):
        return LeafError(RETRY_MESSAGES["timeout"], seconds=timeout_seconds(error), **common)
    return LeafError(RETRY_MESSAGES["connection"], reason=redact(type(_chain(error)[-1]).__name__), **common)


@dataclass(frozen=True)
class RetryPolicy:
    """How every request of a run is retried and paced: one policy for submission, listing, cancelling, direct
    download and Cloud Storage downloads, so they cannot drift apart."""

    attempts: int = 5
    """Tries per request on 429 / 5xx / dropped connections (the plugin turns the client's own retries off)."""
    backoff: float = 2.0
    """First wait (seconds) between tries; doubles each time (:func:`with_retries`)."""
    per_second: float | None = 5.0
    """Task starts per second: well below Earth Engine's request quota, so a batch does not starve the user's other
    work."""

    @property
    def retry(self) -> dict[str, Any]:
        """The keyword arguments of :func:`with_retries`."""
        return {"attempts": self.attempts, "backoff": self.backoff}


    def but(self, attempts: Any = None, backoff: Any = None, per_second: Any = "policy") -> RetryPolicy:
        """This policy with the values given replaced (``per_second=None`` means no limit, so its "not given" is
        ``"policy"``)."""
        return RetryPolicy(self.attempts if attempts is None else int(attempts),
                           self.backoff if backoff is None else float(backoff),
                           self.per_second if per_second == "policy" else per_second)


RETRY = RetryPolicy()
"""The policy of every run (read when a run starts, so a script or test may replace it: ``session.RETRY = …``)."""


def policy() -> RetryPolicy:
    """The current :data:`RETRY` (looked up at call time, never bound as a default argument)."""
    return RETRY


CANCEL_POLL_SECONDS = 0.1
"""How often a cancellable wait (:func:`interruptible`, the back-off of :func:`with_retries`) asks whether the user
cancelled: Cancel takes effect within about this long."""


def interruptible(fn: Callable[[], T], cancelled: Callable[[], bool] | None,
                  poll_seconds: float | None = None) -> T:
    """``fn()`` run in a worker thread while this thread asks ``cancelled()`` every :data:`CANCEL_POLL_SECONDS`;
    its result, or its exception re-raised here. When ``cancelled()`` answers True first,
    :class:`~leaf_qgis.core.errors.Cancelled` is raised at once and the worker is abandoned: it is a daemon thread
    making that one request, whose answer is dropped when it comes (it writes nothing; it ends with the request, at
    the latest at its read timeout).

    Why a thread: a computing request (``computeFeatures``, ``computePixels``) may legitimately wait up to
    :data:`COMPUTE_TIMEOUT_SECONDS` for its answer, and neither the ``ee`` client nor ``requests`` can be interrupted
    from outside. The worker runs in a copy of this thread's context, so retry reports (:func:`retry_reports`) and
    the ``ee`` configuration (module-global) are the caller's. ``cancelled=None`` calls ``fn()`` directly.
    """
    if cancelled is None:
        return fn()
    if cancelled():
        raise Cancelled()
    outcome: dict[str, Any] = {}
    done = threading.Event()
    context = contextvars.copy_context()

    def work() -> None:
        try:
            outcome["value"] = context.run(fn)
        except BaseException as error:  # handed to the waiting thread, which re-raises it
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=work, name="leaf-ee-request", daemon=True).start()
    step = CANCEL_POLL_SECONDS if poll_seconds is None else poll_seconds
    while not done.wait(step):
        if cancelled():
            raise Cancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def pause(delay: float, sleep: Callable[[float], None], cancelled: Callable[[], bool] | None) -> None:
    """``sleep(delay)``, in steps of :data:`CANCEL_POLL_SECONDS` that check ``cancelled()`` when it is given (the
    steps are counted, not timed, so a test's fake ``sleep`` sees the same total)."""
    if cancelled is None:
        sleep(delay)
        return
    steps = max(1, math.ceil(delay / CANCEL_POLL_SECONDS - 1e-9)) if delay > 0 else 0
    for _ in range(steps):
        if cancelled():
            raise Cancelled()
        sleep(delay / steps)
    if cancelled():
        raise Cancelled()


def with_retries(fn: Callable[[], T], attempts: int = 5, backoff: float = 1.0, *, max_delay: float = 60.0,
                 sleep: Callable[[float], None] = time.sleep, jitter: Callable[[], float] = random.random,
                 on_retry: Callable[[int, float, BaseException], None] | None = None,
                 service: str = "Earth Engine", cancelled: Callable[[], bool] | None = None) -> T:
    """``fn()``, retried up to ``attempts`` times in all when it fails with a retryable error (:func:`is_retryable`).

    Why here and not in the client: the plugin's session turns the client's own silent retries off
    (:func:`initialize`), so every retry is decided here by status and class and announced in words (``on_retry``,
    else the reporter of :func:`retry_reports`). The delay after failure ``n`` (1-based) is
    ``min(max_delay, backoff * 2**(n-1))`` scaled by a jitter in [0.5, 1.5) so parallel QGIS sessions do not retry in
    lock step. The last error is re-raised unchanged (translate it with :func:`translate_error`).

    ``cancelled``: the user's Cancel, honoured within :data:`CANCEL_POLL_SECONDS` while a try waits for its answer
    (:func:`interruptible`) and during the back-off (:class:`~leaf_qgis.core.errors.Cancelled`, never retried);
    without it a try runs to its answer or its timeout.
    """
    if attempts < 1:
        raise ValueError("attempts must be >= 1")
    for attempt in range(1, attempts + 1):
        try:
            return interruptible(fn, cancelled)
        except Exception as error:
            if attempt >= attempts or not is_retryable(error):
                raise
            delay = min(max_delay, backoff * 2 ** (attempt - 1)) * (0.5 + jitter())
            if on_retry is not None:
                on_retry(attempt, delay, error)
            else:
                report = _reporter.get()
                if report is not None:
                    report(retry_message(error, attempt, attempts, delay, service))
            pause(delay, sleep, cancelled)
    raise AssertionError("unreachable")  # pragma: no cover


def check_project_id(project: str | None) -> str:
    """The Cloud project id to use, or an :class:`EarthEngineError` for an empty value or a project *name*.

    Accepts ``projects/<id>`` (pasted from URLs) and numeric project numbers, which Earth Engine also accepts.
    """
    value = (project or "").strip()
    if value.startswith("projects/"):
        value = value[len("projects/"):].strip("/")
    if not value:
        raise EarthEngineError(MESSAGES["no_project"], kind="no_project")
    if not _PROJECT_ID.match(value):
        raise EarthEngineError(MESSAGES["project_name"], kind="project_name", project=value)
    return value


def _credentials(ee: Any, service_account_key: str | None) -> Any:
    """Credentials from the service-account key, else the standard ``earthengine authenticate`` file, else ADC.

    The user credentials are built from the file's refresh token without refreshing here, so that an expired or
    revoked token surfaces as such on the first request (``ee.data.get_persistent_credentials`` would turn it
    into a generic "please authorize").
    """
    if service_account_key:
        path = Path(service_account_key).expanduser()
        if not path.is_file():
            raise EarthEngineError(MESSAGES["key_missing"], kind="key_missing", path=str(path))
        try:
            return ee.ServiceAccountCredentials(key_file=str(path))
        except (ValueError, KeyError, TypeError, OSError) as error:
            raise EarthEngineError(MESSAGES["key_invalid"], kind="key_invalid", path=str(path),
                                   detail=f"{type(error).__name__}: {error}") from None
    try:
        arguments = ee.oauth.get_credentials_arguments()
    except (OSError, ValueError):
        arguments = {}
    if arguments.get("refresh_token"):
        from google.oauth2.credentials import Credentials

        return Credentials(None, **arguments)
    try:
        return ee.data.get_persistent_credentials()  # application-default credentials, if any
    except Exception as error:
        raise translate_error(error) from None


def credentials_path() -> str:
    """Where ``earthengine authenticate`` keeps the credentials (shared with the CLI and the official plugin)."""
    return import_ee().oauth.get_credentials_path()


def _client_states(ee: Any) -> Any | None:
    """earthengine-api's module holding the client's whole configuration as one object (``ee._state``: credentials,
    project, endpoints, transport, retries; earthengine-api ≥ 1.0), or ``None`` for a client without it (then there
    is one shared configuration, as before)."""
    module = getattr(ee, "_state", None)
    return module if hasattr(module, "get_state") and hasattr(module, "_state") else None


def _still_ours(state: Any, project_id: str) -> bool:
    """``state`` is still the client configuration :func:`initialize` set up: another client initialising ``ee`` in
    place (``ee.Initialize`` keeps the state object and overwrites its fields) changes its project, credentials or
    transport."""
    return (state is not None and bool(getattr(state, "initialized", False))
            and getattr(state, "cloud_api_user_project", None) == project_id
            and isinstance(getattr(state, "http_transport", None), TimedHttp)
            and getattr(state, "credentials", None) is _own_credentials)


def initialize(project: str, service_account_key: str | None = None, url: str | None = None) -> Any:
    """Initialise Earth Engine for ``project`` on first use and return ``ee``; idempotent per (project, key, url).

    Called lazily by the algorithms that need the server, never at plugin load (a broken or missing ``ee`` must not
    stop QGIS from starting). ``url`` points the client at another endpoint (the tests' fake server). Failures raise
    an :class:`EarthEngineError` that names the fix; the original exception is not chained because its text may
    carry secrets.

    One ``ee`` module serves every plugin of a QGIS session, and the official Google Earth Engine plugin initialises
    it at start-up with its own Cloud project. So the plugin keeps a client configuration of its own
    (``ee._state``): set up on a fresh state object, never by re-initialising (or resetting) someone else's, put back
    in place when another client replaced it, and re-created when another client re-initialised it in place — a task
    is never submitted to a project the user did not give. :func:`own_client` gives the other configuration back
    when an algorithm ends.
    """
    global _active, _own_state, _own_credentials
    project_id = check_project_id(project)
    ee = import_ee()
    identity = (project_id, service_account_key or None, url or None)
    with _lock:
        states = _client_states(ee)
        if states is None:  # a client without a separate state object: one configuration for everybody
            if _active == identity and ee.data.is_initialized():
                return ee
            if _active is not None:
                ee.Reset()
        else:
            if _active == identity and _still_ours(_own_state, project_id):
                states._state = _own_state  # (again) the current configuration, if another client's was
                return ee
            states._state = None  # a fresh configuration: whatever another plugin set up stays as it was
        _active = _own_state = _own_credentials = None
        credentials = _credentials(ee, service_account_key)
        # Our retries only (announced, decided by status and class); the client's would be silent and multiply ours.
        # With a state object of our own this setting is ours alone.
        ee.data.setMaxRetries(0)
        # The server's algorithm list is shared by every configuration and loaded once: when another client loaded
        # it, Initialize() does not ask the server anything, so the same request checks our project and credentials.
        check_project = bool(getattr(ee.ApiFunction, "_api", None))
        try:
            with_retries(lambda: ee.Initialize(credentials, url=url or None, project=project_id,
                                               http_transport=TimedHttp()),
                         SIGN_IN_ATTEMPTS, RETRY_BACKOFF)
            if check_project:
                with_retries(ee.data.getAlgorithms, SIGN_IN_ATTEMPTS, RETRY_BACKOFF)
        except Exception as error:
            raise translate_error(error, project_id) from None
        _active = identity
        if states is not None:
            _own_state = states.get_state()
            _own_credentials = _own_state.credentials
        return ee


@contextlib.contextmanager
def own_client() -> Iterator[None]:
    """Run one algorithm, then give back the Earth Engine client configuration that was current before it (another
    plugin's, typically the official Google Earth Engine plugin's): :func:`initialize` may have made ours current.
    Nothing happens when ``ee`` was not imported yet (nobody had configured it) or the client has no state object.

    Why not per call: another plugin's map layers request tiles from the QGIS main thread while our algorithm runs in
    a Processing thread; with one ``ee`` module those requests use our configuration for the length of our run."""
    ee = sys.modules.get("ee")
    states = _client_states(ee) if ee is not None else None
    before = states._state if states is not None else None
    try:
        yield
    finally:
        if (states is not None and before is not None and before is not _own_state
                and getattr(before, "initialized", False) and states._state is not before):
            states._state = before


class TimedHttp:
    """The httplib2-like transport ``ee`` expects, over ``requests``, with a connect and a read timeout.

    Why our own: ``ee``'s default transport has no timeout unless ``ee.data.setDeadline`` is called, and then one
    number for both; a stalled listing blocked a submission for 12 minutes. Errors are raised as the builtin
    ``TimeoutError`` / ``ConnectionError`` (their cause chained) so that :func:`is_retryable` recognises them and
    the client does not retry them itself (the session sets the client's retries to 0).
    """

    def __init__(self, connect: float | None = None, read: float | None = None) -> None:
        import requests

        self.connect = connect
        self.read = read
        self.session = requests.Session()

    def timeout_for(self, uri: str) -> tuple[float, float]:
        """(connect, read) seconds for a request to ``uri`` (:func:`read_timeout_for`: longer for computations); the
        module constants are read at each request so tests can shorten them."""
        return (self.connect if self.connect is not None else CONNECT_TIMEOUT_SECONDS,
                self.read if self.read is not None else read_timeout_for(uri))

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: dict | None = None,
                redirections: int | None = None, connection_type: Any = None, **_: Any) -> tuple[Any, bytes]:
        import httplib2
        import requests

        timeout = self.timeout_for(uri)
        try:
            response = self.session.request(method, uri, data=body, headers=headers, timeout=timeout)
        except requests.exceptions.Timeout as error:
            stalled = TimeoutError(redact(error))
            stalled.leaf_timeout_seconds = timeout[1]  # type: ignore[attr-defined]  # what the messages quote
            raise stalled from error
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            raise ConnectionError(redact(error)) from error
        answer_headers = dict(response.headers)
        answer_headers["status"] = response.status_code
        return httplib2.Response(answer_headers), response.content


def reset() -> None:
    """Forget the session :func:`initialize` opened: drop our client configuration (another client's stays)."""
    global _active, _own_state, _own_credentials
    with _lock:
        if _active is not None:
            with contextlib.suppress(ImportError):
                import ee

                states = _client_states(ee)
                if states is None:
                    ee.Reset()
                elif states._state is _own_state:
                    states._state = None
        _active = _own_state = _own_credentials = None


# ---------------------------------------------------------------------------------------------------------------------
# Endpoints and credentials of the open session (used by submission, task follow-up and downloads)
# ---------------------------------------------------------------------------------------------------------------------

ENV_API_URL = "LEAF_QGIS_EE_API_URL"
"""Environment variable: another Earth Engine endpoint (the high-volume endpoint, a proxy, or the tests' fake)."""
ENV_STORAGE_URL = "LEAF_QGIS_GCS_URL"
"""Environment variable: another Cloud Storage JSON API endpoint (the tests' fake server)."""
STORAGE_URL = "https://storage.googleapis.com"


def api_url() -> str | None:
    """The Earth Engine endpoint to use (None: the client's default)."""
    import os

    return os.environ.get(ENV_API_URL) or None


def storage_url() -> str:
    """Cloud Storage JSON API root (``…/storage/v1``, ``…/download/storage/v1`` are appended by the caller)."""
    import os

    return (os.environ.get(ENV_STORAGE_URL) or STORAGE_URL).rstrip("/")


def current_credentials() -> Any:
    """The credentials of the initialised ``ee`` session (to authorise Cloud Storage downloads), or None."""
    ee = import_ee()
    state = getattr(ee.data, "_get_state", None)
    if state is not None:
        return getattr(state(), "credentials", None)
    return getattr(ee.data, "_credentials", None)  # older earthengine-api
