"""Fake Earth Engine REST server for tests (see :mod:`tests.fake_ee.server`) and its pytest fixture."""

from .server import FakeEarthEngine, Fault, RecordedRequest, make_geotiff

__all__ = ["FakeEarthEngine", "Fault", "RecordedRequest", "make_geotiff"]
