"""The bundled earthengine-api (leaf_qgis/extlibs of the release zip): used only when ``import ee`` fails, appended to
``sys.path`` (never in front of the system's packages), and never imported at plugin load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import ee

from leaf_qgis.engines.gee import extlibs

ROOT = Path(__file__).resolve().parents[2]

# Runs in ``python -I -S``: no site-packages at all, so no ``ee`` but the one in the fake bundle.
NO_SITE_SCRIPT = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("extlibs_under_test", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
bundle, system_google = sys.argv[2], sys.argv[3]
result = {"before": "ee" in sys.modules}
try:
    module.import_ee(module.Path(bundle) / "missing")
except ImportError:
    result["missing"] = "ImportError"
sys.path.insert(0, system_google)
import google  # a regular package (fixed __path__) already imported from "the system"
ee = module.import_ee(module.Path(bundle))
import google.auth
result.update(ee=ee.MARK, last=sys.path[-1], google_auth=google.auth.MARK,
              again=module.add_to_path(module.Path(bundle)), count=sys.path.count(bundle))
print(json.dumps(result))
"""


def write_package(folder: Path, dotted: str, mark: str) -> None:
    package = folder.joinpath(*dotted.split("."))
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f"MARK = {mark!r}\n")


def test_bundle_is_appended_and_used_only_without_a_system_ee(tmp_path):
    bundle = tmp_path / "extlibs"
    write_package(bundle, "ee", "bundled ee")
    bundle.joinpath("google").mkdir(exist_ok=True)
    write_package(bundle, "google.auth", "bundled google.auth")
    system_google = tmp_path / "system"
    write_package(system_google, "google", "system google")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", NO_SITE_SCRIPT, extlibs.__file__, str(bundle),
                           str(system_google)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result == {"before": False, "ee": "bundled ee", "last": str(bundle), "google_auth": "bundled google.auth",
                      "again": True, "count": 1, "missing": "ImportError"}


def test_an_installed_ee_wins_over_the_bundle(tmp_path):
    bundle = tmp_path / "extlibs"
    write_package(bundle, "ee", "bundled ee")
    assert extlibs.import_ee(bundle) is ee
    assert str(bundle) not in sys.path


def test_the_bundle_folder_is_the_release_zips(tmp_path):
    assert extlibs.EXTLIBS == ROOT / "leaf_qgis" / "extlibs"
    assert not extlibs.EXTLIBS.exists()  # built into build/ by `make package`, never in the checkout
    assert not extlibs.add_to_path(tmp_path / "absent")
