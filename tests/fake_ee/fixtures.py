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
    ee = pytest.importorskip("ee")
    import googleapiclient.http

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setattr(ee.deprecation, "_FetchDataCatalogStac", lambda: {})
    monkeypatch.setattr(googleapiclient.http, "random", types.SimpleNamespace(random=lambda: 0.0))
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
