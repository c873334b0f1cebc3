"""Test harness: headless Qt, the SL2P networks from ../shared, and the plugin on sys.path.

The environment is set here, at import time, before pytest-qgis starts the QgsApplication, so that no user has to
export anything by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LEAF_QGIS_NETWORKS", str(ROOT.parent / "shared" / "sl2p-networks"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest_plugins = ["tests.fake_ee.fixtures"]  # the fake Earth Engine server fixtures (fake_ee, fake_credentials)
