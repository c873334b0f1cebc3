"""Earth Engine session: initialisation against the fake server, actionable errors, redaction and retries."""


from __future__ import annotations

import json
import logging
import sys

import ee
import pytest

from leaf_qgis.core.errors import Cancelled, LeafError
from leaf_qgis.engines.gee import session
from tests.fake_ee.fixtures import FAKE_PROJECT


def write_user_credentials(home, monkeypatch, fake_ee, refresh_token: str = "1//fake-refresh-abcdefghijklmnop"):
    """The file ``earthengine authenticate`` writes, with token refreshes sent to the fake server."""

    path = home / ".config" / "earthengine" / "credentials"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"refresh_token": refresh_token, "client_id": "fake-client",
                                "client_secret": "fake-secret", "project": "other-project"}))
    monkeypatch.setattr(ee.oauth, "TOKEN_URI", fake_ee.token_uri)
    return path


def write_service_account_key(path, fake_ee) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path.write_text(json.dumps({"type": "service_account", "project_id": "sa-project", "private_key_id": "abc123",
                                "private_key": pem, "client_email": "leaf@sa-project.iam.gserviceaccount.com",
                                "client_id": "123", "token_uri": fake_ee.token_uri}))
    return str(path)


# ------------------------------------------------------------------------------------------------ initialisation
def test_initialize_with_the_standard_credentials_file(fake_ee, monkeypatch, tmp_path):

    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    returned = session.initialize(FAKE_PROJECT, url=fake_ee.url)
    assert returned is ee and ee.data.is_initialized()
    assert fake_ee.requests_to("/token"), "the refresh token was exchanged at the (fake) token endpoint"
    algorithms = fake_ee.requests_to("/algorithms", "GET")
    assert [r.route for r in algorithms] == [f"projects/{FAKE_PROJECT}/algorithms"]
    assert algorithms[0].authorization.removeprefix("Bearer ") in fake_ee.issued_tokens
    assert ee.Number(41).add(1).getInfo() == fake_ee.compute_result  # requests really reach the fake server
    assert fake_ee.requests_to("value:compute")[-1].user_project == FAKE_PROJECT


def test_initialize_is_idempotent_per_project_key_and_url(fake_ee, monkeypatch, tmp_path):
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    session.initialize(FAKE_PROJECT, url=fake_ee.url)
    count = len(fake_ee.requests)
    session.initialize(FAKE_PROJECT, url=fake_ee.url)
    session.initialize(f"projects/{FAKE_PROJECT}", url=fake_ee.url)
    assert len(fake_ee.requests) == count
    session.initialize("another-project", url=fake_ee.url)
    assert fake_ee.requests_to("projects/another-project/algorithms")


def _compute_project(fake_ee) -> str:
    """The Cloud project the client's next request is billed to (as the server sees it)."""
    assert ee.Number(41).add(1).getInfo() == fake_ee.compute_result
    return fake_ee.requests_to("value:compute")[-1].user_project


def test_another_plugins_earth_engine_configuration_is_kept_and_given_back(fake_ee, fake_credentials, monkeypatch,
                                                                           tmp_path):
    """The official Google Earth Engine plugin initialises ``ee`` at QGIS start-up with its own project: our runs
    use our project, leave its configuration (project, retries, transport) as it was, and give it back at the end."""
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    ee.Initialize(fake_credentials, url=fake_ee.url, project="official-project")  # the other plugin, at start-up
    theirs = ee.data._get_state()
    sign_ins = []
    for _ in range(2):
        with session.own_client():
            session.initialize(FAKE_PROJECT, url=fake_ee.url)
            assert _compute_project(fake_ee) == FAKE_PROJECT
            assert ee.data._get_state() is not theirs and ee.data._get_state().max_retries == 0
        assert ee.data._get_state() is theirs
        assert (theirs.cloud_api_user_project, theirs.max_retries, theirs.credentials) == (
            "official-project", 5, fake_credentials)
        assert _compute_project(fake_ee) == "official-project"
        sign_ins.append((len(fake_ee.requests_to("/token")), len(fake_ee.requests_to("/algorithms"))))
    # Our project was checked on the server once (the other client had loaded the algorithm list before us), and
    # the second run reused our configuration: no new sign-in, no new check.
    assert fake_ee.requests_to(f"projects/{FAKE_PROJECT}/algorithms")
    assert sign_ins[1] == sign_ins[0]


def test_a_configuration_reinitialised_in_place_by_another_client_is_not_used(fake_ee, fake_credentials, monkeypatch,
                                                                              tmp_path):
    """``ee.Initialize`` by another plugin after ours overwrites the current configuration in place: the next run
    notices (the project changed) and signs in again rather than submitting to the other plugin's project."""
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    session.initialize(FAKE_PROJECT, url=fake_ee.url)
    ee.Initialize(fake_credentials, url=fake_ee.url, project="official-project")  # in place, over ours
    hijacked = ee.data._get_state()
    with session.own_client():
        session.initialize(FAKE_PROJECT, url=fake_ee.url)
        assert _compute_project(fake_ee) == FAKE_PROJECT
    assert ee.data._get_state() is hijacked and _compute_project(fake_ee) == "official-project"


def test_after_an_ee_reset_by_another_client_the_next_run_still_uses_our_project(fake_ee, monkeypatch, tmp_path):
    """ee.Reset() (by anyone) drops the current configuration and empties the shared algorithm list: the next run
    makes ours current again, and the client reloads the algorithm list on first use, with our project."""
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    session.initialize(FAKE_PROJECT, url=fake_ee.url)
    ee.Reset()
    session.initialize(FAKE_PROJECT, url=fake_ee.url)
    assert _compute_project(fake_ee) == FAKE_PROJECT
    assert len(fake_ee.requests_to(f"projects/{FAKE_PROJECT}/algorithms")) == 2


def test_initialize_with_a_service_account_key(fake_ee, tmp_path):
    key = write_service_account_key(tmp_path / "key.json", fake_ee)
    session.initialize(FAKE_PROJECT, service_account_key=key, url=fake_ee.url)
    grant = fake_ee.requests_to("/token")[0].body
    assert grant["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert fake_ee.requests_to(f"projects/{FAKE_PROJECT}/algorithms")


def test_export_through_the_real_client_creates_an_operation(fake_ee, fake_credentials):

    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    task = ee.batch.Export.image.toDrive(ee.Image(1), description="leaf_test_tile", scale=30,
                                         region=ee.Geometry.Rectangle([0, 0, 1, 1]))
    task.start()
    exports = fake_ee.requests_to("image:export", "POST")
    assert len(exports) == 1 and exports[0].body["description"] == "leaf_test_tile"
    operations = ee.data.listOperations()
    assert [op["metadata"]["description"] for op in operations] == ["leaf_test_tile"]
    assert operations[0]["metadata"]["state"] == "PENDING"
    fake_ee.set_state(task.id, "RUNNING")
    assert task.status()["state"] == "RUNNING"
    fake_ee.set_state(task.id, "SUCCEEDED")
    assert task.status()["state"] == "COMPLETED"


def test_the_fake_server_rejects_unknown_algorithms(fake_ee, fake_credentials):

    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    expression = {"result": "0", "values": {"0": {"functionInvocationValue": {"functionName": "Image.nope",
                                                                           "arguments": {}}}}}
    with pytest.raises(ee.EEException, match=r"Unknown algorithm: Image\.nope"):
        ee.data._execute_cloud_call(ee.data._get_cloud_projects().value().compute(
            project=f"projects/{FAKE_PROJECT}", body={"expression": expression}))


def test_operations_resume_listing_is_paginated(fake_ee, fake_credentials):

    fake_ee.page_size = 2
    for index in range(5):
        fake_ee.add_operation(f"leaf_tile_{index}", state="RUNNING" if index % 2 else "PENDING",
                              project=FAKE_PROJECT)
    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    descriptions = sorted(op["metadata"]["description"] for op in ee.data.listOperations())
    assert descriptions == [f"leaf_tile_{i}" for i in range(5)]
    assert len(fake_ee.requests_to("/operations", "GET")) == 3


def test_direct_download_returns_a_geotiff(fake_ee, fake_credentials):
    import requests

    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    url = ee.Image(1).getDownloadURL({"region": ee.Geometry.Rectangle([0, 0, 1, 1]), "scale": 1000,
                                      "format": "GEO_TIFF"})
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200 and answer.content[:4] == b"II*\x00"


# ----------------------------------------------------------------------------------------------------- errors
def assert_kind(error: LeafError, kind: str, *needles: str) -> None:
    assert isinstance(error, session.EarthEngineError)
    assert error.kind == kind, str(error)
    for needle in needles:
        assert needle in str(error), str(error)


def test_missing_ee_package_says_to_install_the_release_zip(monkeypatch):
    monkeypatch.setitem(sys.modules, "ee", None)
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT)
    assert_kind(caught.value, "missing_package", "Install from ZIP", "carries earthengine-api", "Python 3.11",
                "'Google Earth Engine' QGIS plugin")
    assert "--user" not in str(caught.value) and "break-system-packages" not in str(caught.value)


@pytest.mark.parametrize("project", ["", "   ", None])
def test_no_project(project):
    with pytest.raises(LeafError) as caught:
        session.initialize(project)
    assert_kind(caught.value, "no_project", "project id")


@pytest.mark.parametrize("project", ["My LEAF Project", "LEAF-project", "ab", "my_project", "proj-"])
def test_project_name_instead_of_id(project):
    with pytest.raises(LeafError) as caught:
        session.initialize(project)
    assert_kind(caught.value, "project_name", project.strip(), "not the project name")


@pytest.mark.parametrize("project", ["my-project-123", "ee-someone", "example.com:my-project", "123456789012"])
def test_valid_project_ids(project):
    assert session.check_project_id(project) == project


def test_not_authenticated(fake_ee):
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT, url=fake_ee.url)
    assert_kind(caught.value, "not_authenticated", "earthengine authenticate", "Authenticate with Earth Engine")
    assert fake_ee.requests == []


def test_expired_credentials(fake_ee, monkeypatch, tmp_path):
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    fake_ee.refresh_ok = False
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT, url=fake_ee.url)
    assert_kind(caught.value, "expired", "expired or were revoked")


def test_401_during_initialisation_is_reported_as_expired(fake_ee, monkeypatch, tmp_path):
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    fake_ee.inject("status", 401, path_contains="/algorithms")
    fake_ee.refresh_ok = False  # the client refreshes after a 401; the refresh is refused too
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT, url=fake_ee.url)
    assert_kind(caught.value, "expired")


def test_api_not_enabled(fake_ee, monkeypatch, tmp_path):
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    fake_ee.inject("status", 403, path_contains="/algorithms", reason="PERMISSION_DENIED",
                   message="Earth Engine API has not been used in project 1234 before or it is disabled. Enable it "
                           "by visiting https://console.developers.google.com/apis/api/earthengine.googleapis.com/"
                           "overview?project=1234 then retry.")
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT, url=fake_ee.url)
    assert_kind(caught.value, "api_disabled", "not enabled", f"project={FAKE_PROJECT}")


def test_project_not_registered(fake_ee, monkeypatch, tmp_path):
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    fake_ee.inject("status", 404, path_contains="/algorithms",
                   message=f"Project 'projects/{FAKE_PROJECT}' not found or deleted.")
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT, url=fake_ee.url)
    assert_kind(caught.value, "project_not_found", "code.earthengine.google.com/register")


def test_quota_exhausted(fake_ee, monkeypatch, tmp_path):
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    fake_ee.inject("status", 429, path_contains="/algorithms", times=10)  # more than the client retries
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT, url=fake_ee.url)
    assert_kind(caught.value, "quota", "quota or rate limit")
    assert caught.value.retryable


def test_network_unreachable(fake_ee, monkeypatch, tmp_path):
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    url = fake_ee.url
    fake_ee.stop()
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT, url=url)
    assert_kind(caught.value, "network", "could not be reached", "HTTPS_PROXY")


def test_missing_and_invalid_service_account_key(fake_ee, tmp_path):
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT, service_account_key=str(tmp_path / "nope.json"), url=fake_ee.url)
    assert_kind(caught.value, "key_missing", "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIsecret"}))
    with pytest.raises(LeafError) as caught:
        session.initialize(FAKE_PROJECT, service_account_key=str(bad), url=fake_ee.url)
    assert_kind(caught.value, "key_invalid", "bad.json")
    assert "MIIsecret" not in str(caught.value)


def test_tokens_never_reach_error_texts_or_logs(fake_ee, fake_credentials, caplog, capsys):
    """A proxy echoing the Authorization header into an error must not leak the token anywhere we control."""

    caplog.set_level(logging.DEBUG)
    token = fake_credentials.token
    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    fake_ee.inject("status", 400, message="Bad request from {authorization} access_token=" + token)
    with pytest.raises(Exception) as raw:
        ee.Number(1).getInfo()
    assert token in str(raw.value)  # the fake really echoes it ...
    error = session.translate_error(raw.value, FAKE_PROJECT)
    assert token not in str(error) and token not in repr(error.params)  # ... and we remove it
    assert error.__cause__ is None
    captured = capsys.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert token not in logged
    assert "fake-token" not in str(error)


@pytest.mark.parametrize("secret", [
    "Authorization: Bearer ya29.a0AfH6SMBxyz-123",
    "access_token=abc.def-ghi&x=1",
    '{"refresh_token": "1//0gAbCdEfGhIjKlMnOp"}',
    '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----\\n"',
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEvQ\n-----END RSA PRIVATE KEY-----",
    "token ya29.c.secretsecret in text",
    "https://x/?key=AIzaSyA1234567890abcdefghijklmnopqrstu",
])
def test_redact_removes_secrets(secret):
    text = session.redact(f"failed: {secret} (end)")
    for fragment in ("ya29.", "abc.def", "1//0g", "MIIEvQ", "AIzaSy"):
        assert fragment not in text
    assert text.startswith("failed:") and text.endswith("(end)")


def test_redact_keeps_ordinary_text():
    text = "Project 'projects/my-project' not found or deleted."
    assert session.redact(text) == text


# ---------------------------------------------------------------------------------------------------- retries
def test_client_retries_a_429_then_succeeds(fake_ee, fake_credentials):

    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    fake_ee.clear_requests()
    fake_ee.inject("status", 429, path_contains="value:compute")
    assert ee.Number(3).getInfo() == 3
    assert len(fake_ee.requests_to("value:compute")) == 2


@pytest.mark.parametrize("fault", [dict(kind="status", status=429), dict(kind="status", status=500),
                                   dict(kind="status", status=503), dict(kind="reset")])
def test_with_retries_recovers_from_transient_faults(fake_ee, fake_credentials, fault):

    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    ee.data.setMaxRetries(0)  # only our helper retries here
    fake_ee.inject(times=2, path_contains="value:compute", **fault)
    delays: list[float] = []
    result = session.with_retries(lambda: ee.Number(2).getInfo(), attempts=4, backoff=0.5, sleep=delays.append,
                                  jitter=lambda: 0.5)
    assert result == 2
    assert delays == [0.5, 1.0]  # exponential; jitter 0.5 → factor 1.0


def test_with_retries_gives_up_after_attempts_and_never_retries_other_4xx(fake_ee, fake_credentials):

    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    ee.data.setMaxRetries(0)
    fake_ee.inject("status", 400, path_contains="value:compute", message="Invalid argument.")
    delays: list[float] = []
    with pytest.raises(ee.EEException):
        session.with_retries(lambda: ee.Number(2).getInfo(), attempts=5, sleep=delays.append)
    assert delays == [] and len(fake_ee.requests_to("value:compute")) == 1
    fake_ee.clear_requests()
    fake_ee.inject("status", 429, path_contains="value:compute", times=3)
    with pytest.raises(ee.EEException):
        session.with_retries(lambda: ee.Number(2).getInfo(), attempts=3, sleep=delays.append)
    assert len(delays) == 2 and len(fake_ee.requests_to("value:compute")) == 3


def test_slow_response_still_answers(fake_ee, fake_credentials):
    import time


    ee.Initialize(fake_credentials, url=fake_ee.url, project=FAKE_PROJECT)
    fake_ee.inject("slow", delay=0.3, path_contains="value:compute")
    start = time.monotonic()
    assert ee.Number(4).getInfo() == 4
    assert time.monotonic() - start >= 0.3


def test_backoff_is_capped_and_jittered():
    calls = {"n": 0}

    def flaky():
        calls["n"] += 1
        raise ConnectionResetError("reset by peer")

    delays: list[float] = []
    with pytest.raises(ConnectionResetError):
        session.with_retries(flaky, attempts=6, backoff=10, max_delay=30, sleep=delays.append, jitter=lambda: 0.0)
    assert delays == [5.0, 10.0, 15.0, 15.0, 15.0]
    assert calls["n"] == 6



def test_cancel_stops_the_backoff_within_one_poll_step():
    """A retry waiting 5 s: Cancel after three 0.1 s steps stops it there (no second try), with Cancelled."""
    calls: list[int] = []
    steps: list[float] = []

    def flaky():
        calls.append(1)
        raise ConnectionResetError("reset by peer")

    with pytest.raises(Cancelled) as caught:
        session.with_retries(flaky, attempts=4, backoff=10, sleep=steps.append, jitter=lambda: 0.0,
                             on_retry=lambda *a: None, cancelled=lambda: len(steps) >= 3)
    assert caught.value.kept == ()
    assert steps == pytest.approx([0.1, 0.1, 0.1]) and len(calls) == 1
    steps.clear()
    with pytest.raises(ConnectionResetError):  # never cancelled: the same 5 s + 10 s waits as without ``cancelled``
        session.with_retries(flaky, attempts=3, backoff=10, sleep=steps.append, jitter=lambda: 0.0,
                             on_retry=lambda *a: None, cancelled=lambda: False)
    assert round(sum(steps), 6) == 15.0 and len(steps) == 150


def test_interruptible_returns_the_answer_the_error_or_stops_a_blocked_request_at_once():
    import threading
    import time

    reports: list[str] = []
    with session.retry_reports(lambda message: reports.append(message.template)):
        seen = session.interruptible(lambda: session._reporter.get() is not None, lambda: False)
    assert seen is True  # the worker runs in the caller's context (retry reports reach the log)
    with pytest.raises(KeyError, match="missing"):
        session.interruptible(lambda: {}["missing"], lambda: False)
    release = threading.Event()
    start = time.monotonic()
    with pytest.raises(Cancelled):  # a request that would block 30 s; Cancel pressed after 0.2 s
        session.interruptible(lambda: release.wait(30), lambda: time.monotonic() - start > 0.2)
    waited = time.monotonic() - start
    release.set()
    assert 0.2 <= waited < 0.5
    with pytest.raises(Cancelled):  # already cancelled: nothing is started
        session.interruptible(lambda: reports.append("called"), lambda: True)
    assert reports == []


@pytest.mark.parametrize(("text", "expected"), [
    ("failed: access_token ya29.A0secret1 (end)", "failed: access_token [REDACTED] (end)"),
    ("failed: access_token abcdefSECRET2 (end)", "failed: access_token [REDACTED] (end)"),
    ("failed: access_token=SECRET3&x=1 (end)", "failed: access_token=[REDACTED]&x=1 (end)"),
    ('failed: {"access_token": "SECRET4", "expires_in": 3599} (end)',
     'failed: {"access_token": "[REDACTED]", "expires_in": 3599} (end)'),
    ("failed: refresh_token=1//0gSECRET5abc (end)", "failed: refresh_token=[REDACTED] (end)"),
    ("failed: refresh_token 1//0gSECRET6abc (end)", "failed: refresh_token [REDACTED] (end)"),
    ('failed: {"refresh_token":"SECRET7"} (end)', 'failed: {"refresh_token":"[REDACTED]"} (end)'),
    ("failed: Authorization: Bearer SECRET8 (end)", "failed: Authorization: [REDACTED] [REDACTED] (end)"),
    ("failed: header Bearer SECRET9 (end)", "failed: header Bearer [REDACTED] (end)"),
    ("failed: token ya29.c.SECRET10-x_y in text (end)", "failed: token [REDACTED] in text (end)"),
    ("failed: bare 1//0gSECRET11abcdef here (end)", "failed: bare [REDACTED] here (end)"),
    ("failed: client GOCSPX-SECRET12_ab-c here (end)", "failed: client [REDACTED] here (end)"),
    ("failed: client_secret SECRET13xyz (end)", "failed: client_secret [REDACTED] (end)"),
    ("failed: https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=SECRET14ab&x=1 "
     "(end)", "failed: https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature="
              "[REDACTED]&x=1 (end)"),
    ("failed: https://s3.example/o?X-Amz-Signature=SECRET15&a=b (end)",
     "failed: https://s3.example/o?X-Amz-Signature=[REDACTED]&a=b (end)"),
    ("failed: https://x/o?Expires=1&Signature=SECRET16%2Bz (end)",
     "failed: https://x/o?Expires=1&Signature=[REDACTED] (end)"),
    ("failed: https://acct.blob/c?sv=2020&sig=SECRET17%3D&se=1 (end)",
     "failed: https://acct.blob/c?sv=2020&sig=[REDACTED]&se=1 (end)"),
])
def test_redact_every_token_form(text, expected):
    assert session.redact(text) == expected
    assert "SECRET" not in session.redact(text)


@pytest.mark.parametrize("text", ["The access_token is missing from the answer.", "token has expired",
                                  "Task tile55_2020_Jul_LAI_20m FAILED: Export too large (signature mismatch).",
                                  "refresh_token was revoked"])
def test_redact_keeps_sentences_about_tokens(text):
    assert session.redact(text) == text


def test_retry_decisions_follow_status_and_class_not_text():
    class Answer:
        def __init__(self, status):
            self.status = status

    class HttpError(Exception):
        def __init__(self, status, text):
            super().__init__(text)
            self.resp = Answer(status)

    def raised_by_ee(status, text):
        try:
            try:
                raise HttpError(status, text)
            except HttpError:
                raise ee.EEException(text)  # noqa: B904 - as ee does it: the HTTP error is only the context
        except ee.EEException as error:
            return error

    assert session.is_retryable(raised_by_ee(503, "Something odd happened."))
    assert session.is_retryable(raised_by_ee(504, "The upstream did not answer."))
    assert session.is_retryable(raised_by_ee(502, "?"))
    assert not session.is_retryable(raised_by_ee(400, "Quota exceeded; internal error; service unavailable."))
    assert not session.is_retryable(raised_by_ee(403, "rate limit"))
    assert not session.is_retryable(ee.EEException("Service unavailable, too many requests."))
    assert session.is_retryable(TimeoutError("read timed out"))
    assert session.is_retryable(ConnectionResetError("reset"))
    message = session.retry_message(TimeoutError(), 1, 5, 2.0)
    assert message.render() == "Earth Engine did not answer within 30 s; retrying in 2 s (2/5)."
    message = session.retry_message(raised_by_ee(503, "x"), 2, 5, 4.2, service="Cloud Storage")
    assert message.render() == "Cloud Storage answered HTTP 503 (unavailable); retrying in 4 s (3/5)."


def test_timeouts_of_the_transport(monkeypatch):
    monkeypatch.setattr(session, "REQUEST_TIMEOUT_SECONDS", 30.0)
    transport = session.TimedHttp()
    listing = "https://earthengine.googleapis.com/v1/projects/p/operations?alt=json"
    compute = "https://earthengine.googleapis.com/v1/projects/p/image:computePixels?alt=media"
    assert transport.timeout_for(listing) == (session.CONNECT_TIMEOUT_SECONDS, 30.0)
    assert transport.timeout_for(compute) == (session.CONNECT_TIMEOUT_SECONDS, 330.0)
    stalled = TimeoutError("read timed out")
    stalled.leaf_timeout_seconds = transport.timeout_for(compute)[1]  # as TimedHttp.request marks it
    assert session.retry_message(stalled, 1, 3, 1.0).render() == (
        "Earth Engine did not answer within 330 s; retrying in 1 s (2/3).")
    assert session.retry_message(TimeoutError(), 1, 3, 1.0).render() == (
        "Earth Engine did not answer within 30 s; retrying in 1 s (2/3).")


@pytest.mark.parametrize(("uri", "read"), [
    # What googleapiclient asks for (earthengine-api's discovery document), query strings included.
    ("https://earthengine.googleapis.com/v1/projects/p/table:computeFeatures?alt=json&prettyPrint=false", 330.0),
    ("https://earthengine.googleapis.com/v1/projects/p/image:computePixels?alt=media", 330.0),
    ("https://earthengine.googleapis.com/v1/projects/p/imageCollection:computeImages?alt=json", 330.0),
    ("https://earthengine.googleapis.com/v1/projects/p/value:compute?prettyPrint=false&alt=json", 330.0),
    ("https://earthengine.googleapis.com/v1/projects/p/thumbnails/abc123:getPixels", 330.0),
    ("https://earthengine.googleapis.com/v1/projects/p/assets/maps/lai:getPixels?alt=media", 330.0),
    ("https://earthengine.googleapis.com/v1/projects/p/operations?pageSize=500&alt=json", 30.0),
    ("https://earthengine.googleapis.com/v1/projects/p/image:export?alt=json", 30.0),
    ("https://earthengine.googleapis.com/v1/projects/p/table:export?alt=json", 30.0),
    ("https://earthengine.googleapis.com/v1/projects/p/operations/X:cancel?alt=json", 30.0),
    ("https://earthengine.googleapis.com/v1/projects/earthengine-public/algorithms?prettyPrint=false", 30.0),
    ("https://earthengine.googleapis.com/$discovery/rest?version=v1", 30.0),
    # The method is read from the path only: a query or fragment that mentions one does not count.
    ("https://earthengine.googleapis.com/v1/projects/p/operations?filter=x:computePixels", 30.0),
    ("https://earthengine.googleapis.com/v1/projects/p/image:export#:computeFeatures", 30.0),
])
def test_computations_get_the_compute_timeout_and_other_requests_the_normal_one(monkeypatch, uri, read):
    monkeypatch.setattr(session, "REQUEST_TIMEOUT_SECONDS", 30.0)
    assert session.read_timeout_for(uri) == read
    assert session.TimedHttp().timeout_for(uri) == (session.CONNECT_TIMEOUT_SECONDS, read)
    assert session.TimedHttp(read=7.0).timeout_for(uri) == (session.CONNECT_TIMEOUT_SECONDS, 7.0)  # explicit wins


def test_a_slow_site_page_is_waited_for_while_a_slow_listing_is_abandoned(fake_ee, monkeypatch, tmp_path):
    """``table:computeFeatures`` (a site table fetched directly) waits the compute timeout through the plugin's own
    transport, a listing the normal one; the retry message quotes the timeout that applied."""
    write_user_credentials(tmp_path / "home", monkeypatch, fake_ee)
    monkeypatch.setattr(session, "REQUEST_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(session, "COMPUTE_TIMEOUT_SECONDS", 3.0)
    ee_module = session.initialize(FAKE_PROJECT, url=fake_ee.url)
    fake_ee.features = [{"type": "Feature", "id": "a", "geometry": None, "properties": {"site_id": "a"}}]
    fake_ee.clear_requests()
    fake_ee.inject("slow", delay=0.8, path_contains="table:computeFeatures")
    fake_ee.inject("slow", delay=0.8, path_contains="/operations")
    reports: list[str] = []
    with session.retry_reports(lambda message: reports.append(message.render())):
        from leaf_qgis.engines.gee import sites as gee_sites

        state = gee_sites.fetch_rows(ee_module, ee_module.FeatureCollection([]), attempts=2, backoff=0.0)
        assert [f["id"] for f in state.features] == ["a"]
        assert len(fake_ee.requests_to("table:computeFeatures")) == 1  # 0.8 s of computing: waited for, not retried
        assert reports == []
        session.with_retries(ee_module.data.listOperations, attempts=2, backoff=0.0)
    assert len(fake_ee.requests_to("/operations", "GET")) == 2  # the stalled listing abandoned after 0.2 s
    assert reports == ["Earth Engine did not answer within 0.2 s; retrying in 0 s (2/2)."]


def test_the_plugin_session_has_timeouts_and_no_silent_client_retries(fake_ee, monkeypatch, tmp_path):
    path = tmp_path / "home" / ".config" / "earthengine" / "credentials"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"refresh_token": "1//fake-refresh-abcdefghijklmnop", "client_id": "c",
                                "client_secret": "s"}))
    monkeypatch.setattr(ee.oauth, "TOKEN_URI", fake_ee.token_uri)
    monkeypatch.setattr(session, "REQUEST_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(session, "COMPUTE_TIMEOUT_SECONDS", 0.3)  # getInfo computes: it gets this one
    ee_module = session.initialize(FAKE_PROJECT, url=fake_ee.url)
    fake_ee.clear_requests()
    fake_ee.inject("slow", delay=1.0, path_contains="value:compute")
    reports: list[str] = []
    with session.retry_reports(lambda message: reports.append(message.render())):
        assert session.with_retries(lambda: ee_module.Number(5).getInfo(), attempts=3, backoff=0.0) == 5
    assert reports == ["Earth Engine did not answer within 0.3 s; retrying in 0 s (2/3)."]
    assert len(fake_ee.requests_to("value:compute")) == 2  # one stalled, one answered: no hidden client retry
