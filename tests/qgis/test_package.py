"""The installable zip: built by ``make package``, unzipped into a clean profile as QGIS's "Install from ZIP" does,
then run offline through ``qgis_process.bin`` with no networks folder, no cache and no download possible — the SL2P
networks must come from the zip itself."""

from __future__ import annotations

import configparser
import os
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


def test_installed_zip_runs_offline(package, tmp_path):
    profile = tmp_path / "profile"
    plugins = profile / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(plugins)
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nleaf_qgis=true\n")
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
