"""The installable zip: built by ``make package``, unzipped into a clean profile as QGIS's "Install from ZIP" does,
then run offline through ``qgis_process.bin`` with no networks folder, no cache and no download possible — the SL2P
networks must come from the zip itself, and so must earthengine-api when the system has none (leaf_qgis/extlibs)."""

from __future__ import annotations

import configparser
import csv
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
MAX_ZIP_BYTES = 25 * 1024 * 1024


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    build = tmp_path_factory.mktemp("package")
    done = subprocess.run(["make", "-s", "-C", str(ROOT), "package"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    archive = build / "leaf_qgis.zip"
    os.replace(ROOT / "leaf_qgis.zip", archive)
    return archive


def test_zip_follows_the_plugin_repository_rules(package):
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        metadata = archive.read("leaf_qgis/metadata.txt").decode()
    assert package.stat().st_size < MAX_ZIP_BYTES
    assert all(name.startswith("leaf_qgis/") for name in names)
    assert not [n for n in names if n.endswith((".pyc", ".so", ".dll", ".exe", ".pyd")) or "__pycache__" in n]
    assert "leaf_qgis/LICENSE" in names and "leaf_qgis/i18n/leaf_qgis_fr.qm" in names
    parser = configparser.ConfigParser()
    parser.read_string(metadata)
    general = parser["general"]
    for key in ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email", "repository",
                "tracker", "homepage", "tags", "changelog"):
        assert general.get(key, "").strip(), key
    assert general["hasProcessingProvider"] == "yes"
    from leaf_qgis.core.network_catalog import all_files

    bundled = {n.removeprefix("leaf_qgis/networks/") for n in names if n.startswith("leaf_qgis/networks/")}
    assert set(all_files()) <= bundled
    # pb_tool.cfg deploys every tracked file of the package (a module missing from its lists would be left out).
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "leaf_qgis"], capture_output=True, text=True)
    assert tracked.returncode == 0 and tracked.stdout
    assert set(tracked.stdout.split()) <= set(names)


def test_zip_bundles_earthengine_api_pure_python_with_licences(package):
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (ROOT / "requirements-extlibs.txt").read_text(), re.M))
    assert pins["earthengine-api"] == "1.7.50" and len(pins) == 15
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        licences = archive.read("leaf_qgis/extlibs/LICENSES.txt").decode()
        wheel_tags = {n: archive.read(n).decode() for n in names if n.endswith(".dist-info/WHEEL")}
        metadata = [archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA")]
    assert "leaf_qgis/extlibs/ee/tests/algorithms.json" in names  # the offline dry run needs the signatures
    assert not [n for n in names if "discovery_cache/documents/" in n and n.endswith(".json")]
    assert len(wheel_tags) == len(pins)
    assert all(re.search(r"^Tag: py3-none-any$", text, re.M) for text in wheel_tags.values())
    for name, version in pins.items():
        assert f"{name}=={version}: " in licences.replace("_", "-")
    assert "earthengine-api==1.7.50: Apache-2.0" in licences
    from leaf_qgis.engines.gee.extlibs import MIN_PYTHON

    required = [tuple(map(int, v.split("."))) for v in re.findall(r"^Requires-Python: >=\s*([\d.]+)\s*$",
                                                                   "\n".join(metadata), re.M)]
    assert len(required) == len(pins) and max(required) == MIN_PYTHON
    dist_infos = {n.split("/")[2] for n in names if ".dist-info/" in n}
    assert all(any(n.startswith(f"leaf_qgis/extlibs/{d}/licenses/") for n in names) for d in dist_infos)


def install_in_clean_profile(package: Path, tmp_path: Path) -> Path:
    """Unzip into a new profile's plugin folder with the plugin enabled, as "Install from ZIP" leaves it."""
    profile = tmp_path / "profile"
    plugins = profile / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(plugins)
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nleaf_qgis=true\n")
    return profile


def test_installed_zip_runs_offline(package, tmp_path):
    profile = install_in_clean_profile(package, tmp_path)
    from leaf_qgis.engines.local import sample

    paths = sample.write_sample(str(tmp_path / "sample"))
    env = {k: v for k, v in os.environ.items() if k not in ("LEAF_QGIS_NETWORKS", "QGIS_PLUGINPATH", "PYTHONPATH")}
    env.update(QGIS_CUSTOM_CONFIG_PATH=str(profile), QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
               PATH=f"{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}")
    out = tmp_path / "out"
    done = subprocess.run(
        ["qgis_process.bin", "run", "leaf:produce_local", "--", f"INPUT={paths['INPUT']}", "SENSOR=S2",
         *(f"{k}={v}" for k, v in sample.SAMPLE_ANGLES.items()), f"LANDCOVER={paths['LANDCOVER']}",
         f"OUTPUT_LAI={out / 'lai.tif'}", f"OUTPUT_QC={out / 'qc.tif'}"],
        env=env, capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    from osgeo import gdal

    lai = gdal.Open(str(out / "lai.tif")).ReadAsArray()
    assert lai.shape == (sample.SIZE, sample.SIZE)
    assert 0 < lai[lai != 255].mean() / 20 < 8
    assert not (tmp_path / "cache" / "leaf_qgis").exists()  # nothing was downloaded or cached


def system_only_environment(tmp_path: Path) -> dict[str, str]:
    """A user on Debian 12 with nothing but QGIS: no venv on PATH (qgis_process's Python is then the system's), no
    PYTHONPATH, an empty HOME (no ``pip --user`` packages, no credentials), no network but 127.0.0.1. Skips the test
    when the system Python has ``ee`` (the bundled copy could not be told apart)."""
    qgis_process = shutil.which("qgis_process.bin")
    assert qgis_process
    system_path = os.pathsep.join(dict.fromkeys([os.path.dirname(qgis_process), "/usr/local/bin", "/usr/bin", "/bin"]))
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": system_path, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "http_proxy": "http://127.0.0.1:9",
           "https_proxy": "http://127.0.0.1:9", "no_proxy": "127.0.0.1,localhost", "NO_GCE_CHECK": "True"}
    python = shutil.which("python3", path=system_path)
    probe = subprocess.run([python, "-c", "import ee"], env=env, capture_output=True, text=True, timeout=60)
    if probe.returncode == 0:
        pytest.skip("this machine's system Python has earthengine-api: the bundled copy cannot be told apart")
    assert "No module named 'ee'" in probe.stderr
    return env


def bundled_ee_folder(profile: Path) -> Path:
    return profile / "profiles" / "default" / "python" / "plugins" / "leaf_qgis" / "extlibs" / "ee"


def test_dry_run_with_no_earthengine_api_on_the_system(package, tmp_path):
    """The advertised offline dry run works after installing the zip alone, with the zip's earthengine-api."""
    env = system_only_environment(tmp_path)
    profile = install_in_clean_profile(package, tmp_path)
    bundled_ee = bundled_ee_folder(profile)
    assert not (bundled_ee / "__pycache__").exists()
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(profile)
    plan = tmp_path / "plan.json"
    done = subprocess.run(
        ["qgis_process.bin", "run", "leaf:produce_gee", "--", "TILES=tile55", "SENSOR=S2", "YEAR=2024", "MONTHS=Jul",
         "RESOLUTION=20", "DRY_RUN=true", f"PLAN={plan}"],
        env=env, capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    content = json.loads(plan.read_text())
    assert content["dry_run"] is True and content["server_round_trips"] == 0
    assert content["earthengine_api"] == "1.7.50"
    assert content["task_count"] == 6 and len(content["exports"]) == 6
    assert "tile55_2024_Jul_LAI_20m.tif" in {task["file_name"] for task in content["exports"]}
    # The interpreter compiled the bundled ee while building the plan: that copy, and no other, was imported.
    assert (bundled_ee / "__pycache__").is_dir()
    assert sorted(p.name.split(".")[0] for p in (bundled_ee / "__pycache__").glob("__init__.*.pyc")) == ["__init__"]


def test_submission_with_no_earthengine_api_on_the_system(package, tmp_path):
    """Submission after installing the zip alone, against the fake Earth Engine server: the bundled google-auth signs
    the service-account grant with the system's cryptography, and the bundled ee creates the export tasks."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from tests.fake_ee.server import FakeEarthEngine

    env = system_only_environment(tmp_path)
    profile = install_in_clean_profile(package, tmp_path)
    with FakeEarthEngine() as fake:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        key_file = tmp_path / "key.json"
        key_file.write_text(json.dumps({
            "type": "service_account", "project_id": "fake-project", "private_key_id": "abc123", "private_key": pem,
            "client_email": "leaf@fake-project.iam.gserviceaccount.com", "client_id": "123",
            "token_uri": fake.token_uri}))
        with (profile / "profiles" / "default" / "QGIS" / "QGIS3.ini").open("a") as ini:
            ini.write(f"\n[Processing]\nConfiguration\\LEAF_EE_SERVICE_ACCOUNT_KEY={key_file}\n")
        env.update(QGIS_CUSTOM_CONFIG_PATH=str(profile), LEAF_QGIS_EE_API_URL=fake.url, LEAF_QGIS_GCS_URL=fake.url)
        plan = tmp_path / "plan.json"
        done = subprocess.run(
            ["qgis_process.bin", "run", "leaf:produce_gee", "--", "TILES=tile55", "SENSOR=S2", "YEAR=2024",
             "MONTHS=Jul", "RESOLUTION=20", "PRODUCTS=LAI", "DESTINATION=gcs", "BUCKET=leaf-maps",
             "PROJECT=fake-project", "DRY_RUN=false", f"PLAN={plan}"],
            env=env, capture_output=True, text=True, cwd=tmp_path, timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(fake.issued_tokens) >= 1  # the JWT grant was signed and accepted
        bodies = list(fake.export_bodies.values())
    assert len(bodies) == 2  # LAI and its QC byte
    assert (bundled_ee_folder(profile) / "__pycache__").is_dir()
    assert sorted(body["description"] for body in bodies) == ["tile55_2024_Jul_LAI_20m", "tile55_2024_Jul_QC_20m"]
    assert "SUBMITTED:\t2" in done.stdout
    with (tmp_path / "plan_tasks.csv").open(newline="") as table:
        rows = list(csv.DictReader(table))
    assert [(row["description"], row["state"]) for row in rows] == [
        ("tile55_2024_Jul_LAI_20m", "READY"), ("tile55_2024_Jul_QC_20m", "READY")]
