"""A fake Earth Engine REST server on 127.0.0.1 that the *real* earthengine-api client talks to.

Why a server and not mocks: the bugs that hurt users live in the seams between our code, the ``ee`` client, its
discovery-built REST resource, google-auth and the HTTP layer (retries, 401 refreshes, pagination, error
translation). Serving the discovery document shipped in the wheel lets ``ee.Initialize(..., url=...)`` build its
client exactly as in production, so every request our code causes is a real request we can record and assert on.

Covered: discovery, OAuth token endpoint (refresh and service-account JWT grant), algorithms, ``value:compute``,
``table:computeFeatures`` (paged, from ``features``), table exports (a CSV object on success),
exports (``image:export`` and friends, idempotent on ``requestId`` like the real server), operations
list/get/cancel with stateful PENDING → RUNNING → SUCCEEDED transitions driven by the test, thumbnails /
``getPixels`` / ``computePixels`` returning a small GeoTIFF made with GDAL, minimal expression validation against
``algorithms.json``, and fault injection (HTTP status, slow response, connection reset) from a queue.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import socket
import struct
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

OPERATION_TYPES = {
    "image:export": "EXPORT_IMAGE",
    "table:export": "EXPORT_FEATURES",
    "video:export": "EXPORT_VIDEO",
    "map:export": "EXPORT_TILES",
    "videoMap:export": "EXPORT_VIDEO_MAP",
    "classifier:export": "EXPORT_CLASSIFIER",
}
TERMINAL_STATES = {"SUCCEEDED", "FAILED", "CANCELLED"}
STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}
DEFAULT_MESSAGES = {
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
         "valid authentication credential.",
    429: "Too Many Requests: Request was rejected because the request rate or concurrency limit was exceeded.",
    500: "An internal error has occurred (request id fake).",
    503: "The service is currently unavailable.",
}


def ee_package_dir() -> Path:
    """Folder of the installed ``ee`` package (its ``tests/`` folder holds the discovery document and signatures)."""
    import ee

    return Path(ee.__file__).resolve().parent


@dataclasses.dataclass
class RecordedRequest:
    """One request as the server saw it; ``authorization`` is kept apart so tests can check a token was *sent*."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    authorization: str = ""
    user_project: str = ""
    range: str = ""
    """The ``Range`` header (a resumed download asks ``bytes=<offset>-``)."""

    @property
    def route(self) -> str:
        """The path without the API version prefix (``projects/p/operations``)."""
        return strip_version(self.path)


@dataclasses.dataclass
class Fault:
    """An injected fault, consumed by the first request whose method and path match.

    ``kind``: ``"status"`` (answer ``status`` with a Google-style error body), ``"slow"`` (sleep ``delay`` seconds,
    then answer normally), ``"reset"`` (drop the connection without an answer), ``"lost"`` (handle the request,
    then drop the connection instead of answering: the answer is lost but the effect happened). ``message`` may contain
    ``{authorization}``, replaced by the request's Authorization header, or ``{token}``, the bare token in it — it
    simulates a proxy echoing secrets so tests can prove they never reach the user. ``"slow"`` with a delay longer
    than the client's timeout is a stalled server.
    """

    kind: str = "status"
    status: int = 500
    message: str | None = None
    reason: str | None = None
    delay: float = 0.0
    method: str | None = None
    path_contains: str | None = None
    skip: int = 0
    """Matching requests let through before this fault applies (e.g. 2: the third export start stalls)."""

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return not (self.path_contains and self.path_contains not in path)


def strip_version(path: str) -> str:
    """``/v1alpha/projects/p/x`` → ``projects/p/x``."""
    path = path.lstrip("/")
    return re.sub(r"^v1[a-z0-9]*/", "", path)


def make_geotiff(width: int = 16, height: int = 16, bands: int = 1, crs: str = "EPSG:4326",
                 transform: tuple[float, ...] | None = None, value: float = 1.0) -> bytes:
    """A small Float32 GeoTIFF (constant ``value``) as bytes, made with GDAL in memory."""
    from osgeo import gdal, osr

    path = f"/vsimem/fake_ee_{uuid.uuid4().hex}.tif"
    dataset = gdal.GetDriverByName("GTiff").Create(path, width, height, bands, gdal.GDT_Float32)
    try:
        dataset.SetGeoTransform(transform or (0.0, 0.001, 0.0, 0.0, 0.0, -0.001))
        srs = osr.SpatialReference()
        srs.SetFromUserInput(crs)
        dataset.SetProjection(srs.ExportToWkt())
        for index in range(1, bands + 1):
            dataset.GetRasterBand(index).Fill(value)
        dataset.FlushCache()
        dataset = None
        handle = gdal.VSIFOpenL(path, "rb")
        gdal.VSIFSeekL(handle, 0, 2)
        size = gdal.VSIFTellL(handle)
        gdal.VSIFSeekL(handle, 0, 0)
        data = gdal.VSIFReadL(1, size, handle)
        gdal.VSIFCloseL(handle)
        return bytes(data)
    finally:
        dataset = None
        gdal.Unlink(path)


class ExpressionError(ValueError):
    """A posted expression the real server would reject."""


class FakeEarthEngine:
    """State and behaviour of the fake server; :meth:`start` binds it to a free port on 127.0.0.1."""

    def __init__(self, page_size: int | None = None) -> None:
        package = ee_package_dir() / "tests"
        self.discovery_text = (package / "cloud_api_discovery_document.json").read_text(encoding="utf-8")
        self.algorithms_text = (package / "algorithms.json").read_text(encoding="utf-8")
        self.signatures: dict[str, dict] = {
            entry["name"].split("/", 1)[-1]: entry for entry in json.loads(self.algorithms_text)["algorithms"]
        }
        self.requests: list[RecordedRequest] = []
        self.faults: deque[Fault] = deque()
        self.operations: dict[str, dict] = {}
        self.request_ids: dict[str, str] = {}
        self.thumbnails: dict[str, dict] = {}
        self.compute_result: Any = 1
        self.objects: dict[tuple[str, str], bytes] = {}
        """Cloud Storage objects ``(bucket, name) → bytes``; a GCS export that SUCCEEDS writes ``<prefix>.tif``."""
        self.export_bodies: dict[str, dict] = {}
        self.features: list[dict] = []
        """What ``table:computeFeatures`` answers (GeoJSON features), paged by ``pageSize`` / ``pageToken``."""
        self.table_csv: bytes = b"site_id\n"
        """Bytes of the ``<prefix>.csv`` object a SUCCEEDED CSV table export to Cloud Storage writes."""
        self.corrupt_downloads = 0
        """Number of next object downloads whose bytes are altered (the checksum no longer matches)."""
        self.damaged_objects: set[str] = set()
        """Object names whose every download is altered (a persistently damaged object)."""
        self.truncate_downloads = 0
        """Number of next object downloads cut after half their bytes (the connection closes early)."""
        self.token_prefix = "fake-token-issued-"
        """Prefix of the access tokens the token endpoint issues (``ya29.`` makes them look like Google's)."""
        self.page_size = page_size
        self.refresh_ok = True
        self.issued_tokens: list[str] = []
        self._lock = threading.RLock()
        self._counter = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------------------------------------- lifecycle
    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Base URL to pass to ``ee.Initialize(url=...)``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def token_uri(self) -> str:
        """OAuth token endpoint (point credentials' ``token_uri`` here so refreshes stay local)."""
        return f"{self.url}/token"

    def start(self) -> FakeEarthEngine:
        fake = self

        class Handler(_Handler):
            server_state = fake

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                """Quiet: a client that gave up on a slow answer (a timeout test) closes its socket first."""

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-ee", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeEarthEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------------------------------ test controls
    def inject(self, kind: str = "status", status: int = 500, *, times: int = 1, **kwargs: Any) -> None:
        """Queue ``times`` identical faults (see :class:`Fault`)."""
        with self._lock:
            for _ in range(times):
                self.faults.append(Fault(kind=kind, status=status, **kwargs))

    def requests_to(self, fragment: str, method: str | None = None) -> list[RecordedRequest]:
        """Recorded requests whose path contains ``fragment`` (and of ``method`` when given)."""
        with self._lock:
            return [r for r in self.requests
                    if fragment in r.path and (method is None or r.method == method.upper())]

    def api_requests(self) -> list[RecordedRequest]:
        """Requests other than discovery and token calls (what a feature costs in round trips)."""
        with self._lock:
            return [r for r in self.requests if not r.path.startswith(("/$discovery", "/token"))]

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def set_state(self, name_or_id: str, state: str, error: str | None = None) -> dict:
        """Move an operation to ``state`` (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLING, CANCELLED)."""
        with self._lock:
            operation = self._find_operation(name_or_id)
            if operation is None:
                raise KeyError(name_or_id)
            self._apply_state(operation, state, error)
            return operation

    def advance_all(self, state: str) -> None:
        """Move every non-terminal operation to ``state``."""
        with self._lock:
            for operation in self.operations.values():
                if operation["metadata"]["state"] not in TERMINAL_STATES:
                    self._apply_state(operation, state, None)

    def add_operation(self, description: str, state: str = "PENDING", project: str = "fake-project",
                      kind: str = "EXPORT_IMAGE") -> dict:
        """Seed an operation as if an earlier session had submitted it (for resume tests)."""
        with self._lock:
            return self._create_operation(project, {"description": description}, kind, state=state)

    def put_object(self, bucket: str, name: str, data: bytes) -> None:
        """Store a Cloud Storage object (as an export would)."""
        with self._lock:
            self.objects[(bucket, name)] = data

    # --------------------------------------------------------------------------------------------- internals
    def _now(self) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{next(self._counter) % 1000:03d}Z"

    def _find_operation(self, name_or_id: str) -> dict | None:
        if name_or_id in self.operations:
            return self.operations[name_or_id]
        for name, operation in self.operations.items():
            if name.rsplit("/", 1)[-1] == name_or_id:
                return operation
        return None

    def _apply_state(self, operation: dict, state: str, error: str | None) -> None:
        metadata = operation["metadata"]
        metadata["state"] = state
        metadata["updateTime"] = self._now()
        if state == "RUNNING":
            metadata.setdefault("startTime", metadata["updateTime"])
        if state in TERMINAL_STATES:
            operation["done"] = True
            metadata["endTime"] = metadata["updateTime"]
            if state == "SUCCEEDED":
                metadata["progress"] = 1
                destination = (self.export_bodies.get(operation["name"], {}).get("fileExportOptions") or {}).get(
                    "cloudStorageDestination")
                if destination:  # the export's file appears in the bucket, as on the real service
                    body = self.export_bodies.get(operation["name"], {})
                    is_csv = (body.get("fileExportOptions") or {}).get("fileFormat") == "CSV"
                    name = destination.get("filenamePrefix", "") + (".csv" if is_csv else ".tif")
                    data = self.table_csv if is_csv else make_geotiff(value=2.0)
                    self.objects.setdefault((destination.get("bucket", ""), name), data)
                operation["response"] = {"@type": "type.googleapis.com/google.protobuf.Empty"}
            elif state == "FAILED":
                operation["error"] = {"code": 3, "message": error or "Export failed."}
            else:
                operation["error"] = {"code": 1, "message": "Cancelled."}

    def _create_operation(self, project: str, body: dict, kind: str, state: str = "PENDING") -> dict:
        task_id = uuid.uuid4().hex[:24].upper()
        name = f"projects/{project}/operations/{task_id}"
        now = self._now()
        operation = {
            "name": name,
            "metadata": {
                "@type": "type.googleapis.com/google.earthengine.v1alpha.OperationMetadata",
                "state": "PENDING",
                "description": body.get("description", ""),
                "type": kind,
                "createTime": now,
                "updateTime": now,
                "priority": 100,
            },
            "done": False,
        }
        destination = body.get("fileExportOptions") or body.get("assetExportOptions") or {}
        gcs = destination.get("cloudStorageDestination") if isinstance(destination, dict) else None
        if gcs:  # the real server's form: the console URL of the folder holding the files
            folder = gcs.get("filenamePrefix", "").rpartition("/")[0]
            operation["metadata"]["destinationUris"] = [
                f"https://console.developers.google.com/storage/browser/{gcs.get('bucket', '')}/"
                + (f"{folder}/" if folder else "")]
        elif destination:
            operation["metadata"]["destinationUris"] = [json.dumps(destination, sort_keys=True)]
        self.operations[name] = operation
        self.export_bodies[name] = body
        if state != "PENDING":
            self._apply_state(operation, state, None)
        return operation

    def validate_expression(self, expression: Any) -> None:
        """Raise :class:`ExpressionError` unless every invoked function exists with known argument names."""
        if not isinstance(expression, dict) or "result" not in expression or "values" not in expression:
            raise ExpressionError("Invalid expression: 'result' and 'values' are required.")
        values = expression["values"]
        if expression["result"] not in values:
            raise ExpressionError(f"Invalid expression: result '{expression['result']}' is not defined.")
        for value in values.values():
            self._validate_value(value, values)

    def _validate_value(self, value: Any, values: dict) -> None:
        if not isinstance(value, dict):
            raise ExpressionError(f"Invalid value node: {value!r}")
        if "functionInvocationValue" in value:
            invocation = value["functionInvocationValue"]
            name = invocation.get("functionName")
            if name is not None:
                signature = self.signatures.get(name)
                if signature is None:
                    raise ExpressionError(f"Unknown algorithm: {name}")
                known = {a["argumentName"] for a in signature.get("arguments", [])}
                unknown = sorted(set(invocation.get("arguments", {})) - known)
                if unknown:
                    raise ExpressionError(f"Unrecognized argument(s) for {name}: {', '.join(unknown)}")
            for argument in invocation.get("arguments", {}).values():
                self._validate_value(argument, values)
        elif "arrayValue" in value:
            for item in value["arrayValue"].get("values", []):
                self._validate_value(item, values)
        elif "dictionaryValue" in value:
            for item in value["dictionaryValue"].get("values", {}).values():
                self._validate_value(item, values)
        elif "valueReference" in value:
            if value["valueReference"] not in values:
                raise ExpressionError(f"Undefined value reference: {value['valueReference']}")
        elif not ({"constantValue", "argumentReference", "functionDefinitionValue", "integerValue",
                   "bytesValue", "nullValue"} & set(value)):
            raise ExpressionError(f"Unknown value node: {sorted(value)}")

    def constant_result(self, expression: dict) -> Any:
        """``value:compute`` answer: the constant when the result is one, else ``compute_result``."""
        node = expression["values"][expression["result"]]
        if "constantValue" in node:
            return node["constantValue"]
        return self.compute_result

    def geotiff_for(self, body: dict | None) -> bytes:
        """A GeoTIFF shaped after a thumbnail / computePixels request body (grid and band ids)."""
        body = body or {}
        grid = body.get("grid") or {}
        dims = grid.get("dimensions") or {}
        affine = grid.get("affineTransform") or {}
        transform = None
        if affine:
            transform = (affine.get("translateX", 0.0), affine.get("scaleX", 1.0), affine.get("shearX", 0.0),
                         affine.get("translateY", 0.0), affine.get("shearY", 0.0), affine.get("scaleY", -1.0))
        bands = len(body.get("bandIds") or []) or 1
        return make_geotiff(int(dims.get("width", 16)), int(dims.get("height", 16)), bands,
                            grid.get("crsCode", "EPSG:4326"), transform)


class _Handler(BaseHTTPRequestHandler):
    """Routes requests to :class:`FakeEarthEngine`; one instance per request (HTTP/1.0, no keep-alive)."""

    server_state: FakeEarthEngine

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    # ------------------------------------------------------------------------------------------------ helpers
    def _send(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        if getattr(self, "drop_answer", False):
            self._reset()
            return
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, reason: str | None = None) -> None:
        error = {"code": status, "message": message, "status": reason or STATUS_NAMES.get(status, "UNKNOWN")}
        self._send(status, {"error": error})

    def _reset(self) -> None:
        """Close the TCP connection with RST and no answer."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _read_body(self) -> tuple[bytes, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "")
        if not raw:
            return raw, None
        if "json" in content_type:
            try:
                return raw, json.loads(raw)
            except ValueError:
                return raw, None
        if "x-www-form-urlencoded" in content_type:
            return raw, {k: v[0] for k, v in parse_qs(raw.decode("utf-8")).items()}
        return raw, None

    def _handle(self, method: str) -> None:
        fake = self.server_state
        parts = urlsplit(self.path)
        _, body = self._read_body()
        authorization = self.headers.get("Authorization", "")
        record = RecordedRequest(method, parts.path, parse_qs(parts.query), body, authorization,
                                 self.headers.get("X-Goog-User-Project", ""), self.headers.get("Range", ""))
        with fake._lock:
            fake.requests.append(record)
            fault = next((f for f in fake.faults if f.matches(method, parts.path)), None)
            if fault is not None and fault.skip > 0:
                fault.skip -= 1
                fault = None
            elif fault is not None:
                fake.faults.remove(fault)
        if fault is not None:
            if fault.kind == "reset":
                self._reset()
                return
            if fault.kind == "slow":
                time.sleep(fault.delay)
            elif fault.kind == "lost":
                self.drop_answer = True
            else:
                message = (fault.message or DEFAULT_MESSAGES.get(fault.status, "Fault injected.")).replace(
                    "{authorization}", authorization).replace("{token}", authorization.split(" ")[-1])
                self._error(fault.status, message, fault.reason)
                return
        try:
            self._route(method, parts.path, parse_qs(parts.query), body, record)
        except ExpressionError as error:
            self._error(400, str(error))

    def _route(self, method: str, path: str, query: dict, body: Any, record: RecordedRequest) -> None:
        fake = self.server_state
        if path.startswith("/$discovery/rest"):
            document = json.loads(fake.discovery_text)
            document["rootUrl"] = fake.url + "/"
            self._send(200, document)
            return
        if path == "/token":
            self._token(body or {})
            return
        if path.startswith(("/storage/v1/b/", "/download/storage/v1/b/")):
            self._storage(method, path, query)
            return
        route = strip_version(path)
        match = re.fullmatch(r"projects/([^/]+)/(.+)", route)
        if not match:
            self._error(404, f"Not found: {path}")
            return
        project, rest = match.groups()
        with fake._lock:
            if rest == "algorithms" and method == "GET":
                self._send(200, fake.algorithms_text.encode("utf-8"))
            elif rest == "value:compute" and method == "POST":
                fake.validate_expression((body or {}).get("expression"))
                self._send(200, {"result": fake.constant_result(body["expression"])})
            elif rest in OPERATION_TYPES and method == "POST":
                self._export(project, rest, body or {})
            elif rest == "table:computeFeatures" and method == "POST":
                self._compute_features(body or {})
            elif rest == "operations" and method == "GET":
                self._list_operations(project, query)
            elif rest.startswith("operations/"):
                self._operation(method, f"projects/{project}/{rest}")
            elif rest == "thumbnails" and method == "POST":
                fake.validate_expression((body or {}).get("expression"))
                name = f"projects/{project}/thumbnails/{uuid.uuid4().hex}"
                fake.thumbnails[name] = body
                self._send(200, {"name": name})
            elif re.fullmatch(r"thumbnails/[^/:]+:getPixels", rest) and method == "GET":
                name = f"projects/{project}/{rest.split(':', 1)[0]}"
                if name not in fake.thumbnails:
                    self._error(404, f"Thumbnail {name} not found.")
                else:
                    self._send(200, fake.geotiff_for(fake.thumbnails[name]), "image/tiff")
            elif rest == "image:computePixels" and method == "POST":
                fake.validate_expression((body or {}).get("expression"))
                self._send(200, fake.geotiff_for(body), "image/tiff")
            elif re.fullmatch(r"assets/.+:getPixels", rest) and method == "POST":
                self._send(200, fake.geotiff_for(body), "image/tiff")
            else:
                self._error(404, f"Method not found: {method} {path}")

    def _token(self, form: dict) -> None:
        fake = self.server_state
        if not fake.refresh_ok:
            self._send(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
            return
        token = f"{fake.token_prefix}{uuid.uuid4().hex[:8]}"
        fake.issued_tokens.append(token)
        self._send(200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer",
                         "scope": form.get("scope", "")})

    def _export(self, project: str, rest: str, body: dict) -> None:
        fake = self.server_state
        fake.validate_expression(body.get("expression"))
        request_id = body.get("requestId")
        if request_id and request_id in fake.request_ids:  # the real server dedupes retried submissions
            self._send(200, fake.operations[fake.request_ids[request_id]])
            return
        operation = fake._create_operation(project, body, OPERATION_TYPES[rest])
        if request_id:
            fake.request_ids[request_id] = operation["name"]
        self._send(200, operation)

    def _compute_features(self, body: dict) -> None:
        """``table:computeFeatures``: the expression is validated, then ``features`` are served in pages (the token is
        the offset, as opaque to the client as the real one)."""
        fake = self.server_state
        fake.validate_expression(body.get("expression"))
        size = int(body.get("pageSize") or 1000)
        start = int(body.get("pageToken") or 0)
        page = fake.features[start:start + size]
        answer: dict[str, Any] = {"type": "FeatureCollection", "features": page}
        if start + size < len(fake.features):
            answer["nextPageToken"] = str(start + size)
        self._send(200, answer)

    def _list_operations(self, project: str, query: dict) -> None:
        fake = self.server_state
        prefix = f"projects/{project}/operations/"
        operations = [op for name, op in fake.operations.items() if name.startswith(prefix)]
        operations.reverse()  # newest first, like the server
        size = int(query.get("pageSize", ["0"])[0] or 0)
        if fake.page_size:
            size = min(size, fake.page_size) if size else fake.page_size
        start = int(query.get("pageToken", ["0"])[0] or 0)
        page = operations[start:start + size] if size else operations[start:]
        answer: dict[str, Any] = {"operations": page} if page else {}
        if size and start + size < len(operations):
            answer["nextPageToken"] = str(start + size)
        self._send(200, answer)

    def _operation(self, method: str, name: str) -> None:
        fake = self.server_state
        base, _, action = name.partition(":")
        operation = fake.operations.get(base)
        if operation is None:
            self._error(404, f"Operation {base} not found.")
            return
        if method == "GET" and not action:
            self._send(200, operation)
        elif method == "POST" and action == "cancel":
            if operation["metadata"]["state"] not in TERMINAL_STATES:
                fake._apply_state(operation, "CANCELLED", None)
            self._send(200, {})
        elif method == "DELETE" and not action:
            del fake.operations[base]
            self._send(200, {})
        else:
            self._error(404, f"Method not found: {method} {name}")

    # ------------------------------------------------------------------------------------- Cloud Storage (JSON API)
    def _storage(self, method: str, path: str, query: dict) -> None:
        """``GET /storage/v1/b/<bucket>/o?prefix=`` (list) and ``…/o/<name>?alt=media`` (download, with Range)."""
        import base64
        import hashlib
        from urllib.parse import unquote

        fake = self.server_state
        match = re.fullmatch(r"/(?:download/)?storage/v1/b/([^/]+)/o(?:/(.+))?", path)
        if not match or method != "GET":
            self._error(404, f"Not found: {path}")
            return
        bucket, name = match.group(1), unquote(match.group(2) or "")
        with fake._lock:
            in_bucket = {n: d for (b, n), d in fake.objects.items() if b == bucket}
        if not in_bucket and not any(b == bucket for b, _ in fake.objects):
            self._error(404, f"The specified bucket does not exist: {bucket}")
            return

        def resource(object_name: str, data: bytes) -> dict:
            import google_crc32c

            crc = google_crc32c.Checksum(data).digest()
            return {"kind": "storage#object", "bucket": bucket, "name": object_name, "size": str(len(data)),
                    "md5Hash": base64.b64encode(hashlib.md5(data).digest()).decode(),
                    "crc32c": base64.b64encode(crc).decode(), "generation": "1"}

        if not name:
            prefix = query.get("prefix", [""])[0]
            names = sorted(n for n in in_bucket if n.startswith(prefix))
            size = int(query.get("maxResults", ["1000"])[0])
            start = int(query.get("pageToken", ["0"])[0] or 0)
            answer: dict[str, Any] = {"kind": "storage#objects",
                                      "items": [resource(n, in_bucket[n]) for n in names[start:start + size]]}
            if start + size < len(names):
                answer["nextPageToken"] = str(start + size)
            self._send(200, answer)
            return
        if name not in in_bucket:
            self._error(404, f"No such object: {bucket}/{name}")
            return
        data = in_bucket[name]
        if query.get("alt", [""])[0] != "media":
            self._send(200, resource(name, data))
            return
        meta = resource(name, data)
        with fake._lock:
            corrupt = fake.corrupt_downloads > 0 or name in fake.damaged_objects
            if fake.corrupt_downloads > 0:
                fake.corrupt_downloads -= 1
            truncate = fake.truncate_downloads > 0
            if truncate:
                fake.truncate_downloads -= 1
        if corrupt:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        status, start = 200, 0
        ranged = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if ranged:
            start = int(ranged.group(1))
            end = int(ranged.group(2)) + 1 if ranged.group(2) else len(data)
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data, status = data[start:end], 206
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-goog-hash", f"crc32c={meta['crc32c']},md5={meta['md5Hash']}")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{start + len(data) - 1}/{meta['size']}")
        self.end_headers()
        if truncate:  # announce every byte, send half, close: the client sees a cut transfer
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self._reset()
            return
        self.wfile.write(data)
