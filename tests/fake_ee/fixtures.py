"""pytest fixtures around :class:`tests.fake_ee.server.FakeEarthEngine`.

``fake_ee`` starts a server per test and makes the real ``ee`` client safe to use offline: the public data-catalogue
fetch done by ``ee.Initialize`` is disabled, google-auth never probes the GCE metadata server, HOME points to an empty
folder (no real credentials are ever read), and googleapiclient's retry back-off sleeps ~0 s so fault tests stay fast.
The ``ee`` state and our session cache are reset afterwards so tests do not leak sessions into each other.
"""

from __future__ import annotations

import types
import uuid
from collections.abc import Iterator

import pytest

from .server import FakeEarthEngine

FAKE_PROJECT = "fake-project"


def fake_token() -> str:
    """A recognisable fake access token (tests grep every output for it)."""
    return f"fake-token-{uuid.uuid4().hex[:12]}"


@pytest.fixture()
def fake_ee(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[FakeEarthEngine]:
    """A started :class:`FakeEarthEngine`; ``fake_ee.url`` goes to ``ee.Initialize(url=...)``."""
    import ee
    import googleapiclient.http

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setattr(ee.deprecation, "_FetchDataCatalogStac", lambda: {})
    monkeypatch.setattr(googleapiclient.http, "random", types.SimpleNamespace(random=lambda: 0.0))
    try:
        from leaf_qgis.engines.gee import session

        monkeypatch.setattr(session, "RETRY_BACKOFF", 0.0)  # sign-in retries without waiting
    except ImportError:
        pass
    ee.Reset()
    server = FakeEarthEngine().start()
    server.project = FAKE_PROJECT
    try:
        yield server
    finally:
        server.stop()
        ee.Reset()
        try:
            from leaf_qgis.engines.gee import session

            session.reset()
        except (ImportError, AttributeError):
            pass


@pytest.fixture()
def fake_credentials(fake_ee: FakeEarthEngine):
    """User credentials holding a fake access token and able to refresh against the fake token endpoint."""
    from google.oauth2.credentials import Credentials

    return Credentials(token=fake_token(), refresh_token="1//fake-refresh-token-abcdefghijklmnopqrstuvwxyz",
                       token_uri=fake_ee.token_uri, client_id="fake-client", client_secret="fake-secret")


@pytest.fixture()
def signed_in(fake_ee: FakeEarthEngine, monkeypatch: pytest.MonkeyPatch, tmp_path) -> FakeEarthEngine:
    """A signed-in user as the plugin finds one: the standard ``earthengine authenticate`` credentials file (refreshed
    at the fake token endpoint), the fake as Earth Engine and Cloud Storage endpoint, and no waiting between starts
    or retries."""
    import json

    import ee

    from leaf_qgis.engines.gee import session

    path = tmp_path / "home" / ".config" / "earthengine" / "credentials"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"refresh_token": "1//fake-refresh-abcdefghijklmnop", "client_id": "fake-client",
                                "client_secret": "fake-secret"}))
    monkeypatch.setattr(ee.oauth, "TOKEN_URI", fake_ee.token_uri)
    monkeypatch.setenv(session.ENV_API_URL, fake_ee.url)
    monkeypatch.setenv(session.ENV_STORAGE_URL, fake_ee.url)
    monkeypatch.setattr(session, "RETRY", session.RETRY.but(backoff=0.0, per_second=None))
    return fake_ee


def cancel_once_requested(server: FakeEarthEngine, feedback, path: str) -> list[float]:
    """Press ``feedback``'s Cancel, from another thread as the dialog would, as soon as a request to ``path`` has
    reached ``server``; returns the list that receives the moment it was pressed (``time.monotonic()``)."""
    import threading
    import time

    pressed: list[float] = []

    def user() -> None:
        deadline = time.monotonic() + 60
        while not server.requests_to(path) and time.monotonic() < deadline:
            time.sleep(0.02)
        pressed.append(time.monotonic())
        feedback.cancel()

    threading.Thread(target=user, daemon=True).start()
    return pressed
