"""The SL2P network store (core, no QGIS): resolution order, checksums, downloads from 127.0.0.1, the CLI."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from leaf_qgis.core import network_store
from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.network_catalog import NETWORK_SETS, all_files
from leaf_qgis.core.network_store import (
    ENV_CACHE,
    ENV_FOLDER,
    ManifestEntry,
    NetworkStore,
    default_cache_folder,
    read_manifest,
    sha256,
    write_atomically,
)
from leaf_qgis.core.networks import load_network_set

ROOT = Path(__file__).resolve().parents[2]
NETWORKS = Path(os.environ[ENV_FOLDER])
REL = "SL2P-Networks/Report_l7_sl2p_weiss_or_prosail/Class_1/l7_sl2p_weiss_or_prosail_NNT1_Single_0_1.csv"
GOOD = (NETWORKS / REL).read_bytes()
WRONG = GOOD.replace(b"1", b"2", 1)


def _manifest(url: str = "http://127.0.0.1:9/never") -> dict[str, ManifestEntry]:
    return {REL: ManifestEntry(REL, sha256(GOOD), url)}


def _put(folder: Path, data: bytes, rel: str = REL) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _no_fetch(url: str) -> bytes:
    raise AssertionError(f"unexpected download of {url}")


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def reads(monkeypatch):
    """The paths the store reads, in order."""
    seen: list[Path] = []
    original = Path.read_bytes

    def spy(self):
        seen.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    return seen


# --- manifest -----------------------------------------------------------------------------------------------------


def test_manifest_covers_every_catalogued_file_with_a_sha256_and_a_pinned_https_url():
    manifest = read_manifest()
    assert set(manifest) == set(all_files())
    for rel, entry in manifest.items():
        assert entry.path == rel
        assert len(entry.sha256) == 64 and int(entry.sha256, 16) >= 0
        assert entry.url.startswith("https://raw.githubusercontent.com/")
        pinned = ("/71ac9e0453a58610d73283fb6a1ad15e19dbae89/", "/b5767a30cd5ae318572fa63fde1bef0cf3b366ab/")
        assert any(commit in entry.url for commit in pinned), entry.url
        assert entry.url.rsplit("/", 1)[-1] == rel.rsplit("/", 1)[-1]


def test_shared_folder_copies_match_the_manifest():
    for rel, entry in read_manifest().items():
        assert sha256((NETWORKS / rel).read_bytes()) == entry.sha256, rel


def test_manifest_reader_skips_comments_and_blank_lines(tmp_path):
    path = tmp_path / "m.tsv"
    path.write_text(f"# comment\n\n{REL}\t{'AB' * 32}\thttp://x/y\n", encoding="utf-8")
    assert read_manifest(path) == {REL: ManifestEntry(REL, "ab" * 32, "http://x/y")}


# --- resolution order ---------------------------------------------------------------------------------------------


def test_configured_folder_is_read_first(tmp_path, reads):
    first, second, cache = tmp_path / "first", tmp_path / "second", tmp_path / "cache"
    _put(first, GOOD)
    _put(second, GOOD)
    _put(cache, GOOD)
    store = NetworkStore([first, second], cache=cache, manifest=_manifest(), fetch=_no_fetch)
    assert store.read(REL) == GOOD
    assert reads == [first / REL]


def test_a_copy_with_the_wrong_sha256_is_ignored_and_the_next_source_used(tmp_path, reads):
    first, second, cache = tmp_path / "first", tmp_path / "second", tmp_path / "cache"
    _put(first, WRONG)
    _put(second, GOOD)
    store = NetworkStore([first, second], cache=cache, manifest=_manifest(), fetch=_no_fetch)
    assert store.read(REL) == GOOD
    assert reads == [first / REL, second / REL]
    assert (first / REL).read_bytes() == WRONG  # never "repaired" or deleted


def test_cache_is_used_after_the_folders(tmp_path, reads):
    folder, cache = tmp_path / "folder", tmp_path / "cache"
    _put(folder, WRONG)
    _put(cache, GOOD)
    store = NetworkStore([folder], cache=cache, manifest=_manifest(), fetch=_no_fetch)
    assert store.read(REL) == GOOD
    assert reads == [folder / REL, cache / REL]


def test_a_file_is_read_once_per_store(tmp_path, reads):
    folder = tmp_path / "folder"
    _put(folder, GOOD)
    store = NetworkStore([folder], cache=tmp_path / "cache", manifest=_manifest(), fetch=_no_fetch)
    assert store.read(REL) == store.read(REL) == GOOD
    assert len(reads) == 1


def test_unknown_file_is_refused(tmp_path):
    store = NetworkStore([NETWORKS], cache=tmp_path, manifest=_manifest(), download=False)
    with pytest.raises(LeafError, match="not a known SL2P network file"):
        store.read("Landsat5/evil.csv")


def test_default_store_reads_the_configured_folder_then_the_environment_then_the_bundle(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_FOLDER, str(tmp_path / "env"))
    store = NetworkStore.default(str(tmp_path / "settings"))
    assert store.folders[:2] == [tmp_path / "settings", tmp_path / "env"]
    assert store.folders[2] == network_store.BUNDLED_FOLDER
    monkeypatch.delenv(ENV_FOLDER)
    assert NetworkStore.default().folders == [network_store.BUNDLED_FOLDER]


def test_cache_folder_honours_leaf_qgis_cache_then_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_CACHE, str(tmp_path / "c"))
    assert default_cache_folder() == tmp_path / "c" / "sl2p-networks"
    monkeypatch.delenv(ENV_CACHE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_folder() == tmp_path / "xdg" / "leaf_qgis" / "sl2p-networks"


def test_downloads_disabled_and_nothing_found_names_the_setting(tmp_path):
    folder, cache = tmp_path / "folder", tmp_path / "cache"
    _put(folder, WRONG)
    store = NetworkStore([folder], cache=cache, manifest=_manifest(), download=False, fetch=_no_fetch)
    with pytest.raises(LeafError) as info:
        store.read(REL)
    message = str(info.value)
    assert REL in message
    assert "LEAF_QGIS_NETWORKS" in message
    assert "downloads disabled" in message
    assert str(folder) in message and str(cache) in message
    assert "wrong checksum" in message and str(folder / REL) in message
    assert _files(cache) == []


def test_load_network_set_refuses_a_file_with_the_wrong_input_count():
    """A store that serves the 11-input Sentinel-2 ensemble where the 8-input Landsat 8 one is expected."""
    real = NetworkStore([NETWORKS], download=False)

    class Swapped:
        def read(self, rel: str) -> bytes:
            return real.read(rel.replace("/l8_", "/s2_20m_") if rel.endswith("sl2pccrs.pkl") else rel)

    with pytest.raises(LeafError, match=r"has 11 inputs; 8 expected"):
        load_network_set("L8", "SL2P-CCRS", Swapped())


def test_load_network_set_refuses_an_unknown_algorithm():
    with pytest.raises(LeafError, match=r"Unknown algorithm 'SNAP'\. Choose one of: SL2P, SL2P-CCRS"):
        load_network_set("S2", "SNAP", NetworkStore([NETWORKS], download=False))


def test_load_network_set_refuses_an_unknown_sensor():
    with pytest.raises(LeafError, match="Unknown sensor 'L4'"):
        load_network_set("L4", store=NetworkStore([NETWORKS], download=False))


@pytest.mark.parametrize("key", sorted(NETWORK_SETS), ids="-".join)
def test_every_sensor_set_loads_from_the_shared_folder_without_download(tmp_path, key):
    store = NetworkStore([NETWORKS], cache=tmp_path / "cache", download=False, fetch=_no_fetch)
    network_set = load_network_set(*key, store)
    assert network_set.slot_count == (1 if key[1] == "SL2P" else 12)
    assert sorted(network_set.estimate) == sorted(network_set.error) and 1 in network_set.estimate
    assert network_set.domain
    assert _files(tmp_path / "cache") == []


# --- downloads from a local HTTP server -----------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Truncating(http.server.BaseHTTPRequestHandler):
    """Announces the whole file, sends a third, and closes the connection."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(GOOD)))
        self.end_headers()
        self.wfile.write(GOOD[: len(GOOD) // 3])
        self.close_connection = True

    def log_message(self, *args) -> None:
        pass


def _serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def http_folder(tmp_path):
    """A temporary folder served on 127.0.0.1; yields (folder, base URL)."""
    root = tmp_path / "served"
    root.mkdir()

    def handler(*args, **kwargs):
        return _Quiet(*args, directory=str(root), **kwargs)

    server, thread = _serve(handler)
    try:
        yield root, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_download_writes_the_verified_file_into_the_cache_atomically(tmp_path, http_folder, monkeypatch):
    served, base = http_folder
    shutil.copy(NETWORKS / REL, served / "net.csv")
    cache = tmp_path / "cache"
    replaced: list[tuple[Path, Path]] = []
    original_replace = os.replace

    def spy_replace(src, dst):
        replaced.append((Path(src), Path(dst)))
        assert Path(src).read_bytes() == GOOD  # complete before the rename
        assert not Path(dst).exists()
        return original_replace(src, dst)

    monkeypatch.setattr(network_store.os, "replace", spy_replace)
    store = NetworkStore([tmp_path / "empty"], cache=cache, manifest=_manifest(f"{base}/net.csv"))
    assert store.read(REL) == GOOD
    assert (cache / REL).read_bytes() == GOOD
    assert sha256((cache / REL).read_bytes()) == _manifest()[REL].sha256
    assert len(replaced) == 1
    src, dst = replaced[0]
    assert dst == cache / REL and src.parent == dst.parent and ".leaf-tmp-" in src.name and src.name.startswith(".")
    assert _files(cache) == [REL]  # no temporary file left
    # The next run reads the cache, offline.
    offline = NetworkStore([], cache=cache, manifest=_manifest(f"{base}/net.csv"), download=False, fetch=_no_fetch)
    assert offline.read(REL) == GOOD


def test_download_with_wrong_bytes_is_refused_and_nothing_is_cached(tmp_path, http_folder):
    served, base = http_folder
    (served / "net.csv").write_bytes(WRONG)
    folder, cache = tmp_path / "folder", tmp_path / "cache"
    store = NetworkStore([folder], cache=cache, manifest=_manifest(f"{base}/net.csv"))
    with pytest.raises(LeafError) as info:
        store.read(REL)
    message = str(info.value)
    assert REL in message
    assert str(folder) in message and str(cache) in message
    assert "SHA-256 mismatch" in message
    assert "LEAF_QGIS_NETWORKS" in message
    assert _files(cache) == []


def test_download_of_a_missing_url_is_a_leaf_error(tmp_path, http_folder):
    _, base = http_folder
    cache = tmp_path / "cache"
    store = NetworkStore([], cache=cache, manifest=_manifest(f"{base}/absent.csv"))
    with pytest.raises(LeafError, match=r"could not be downloaded \(File not found\)"):
        store.read(REL)
    assert _files(cache) == []


def test_truncated_download_is_a_leaf_error_and_nothing_is_cached(tmp_path):
    server, thread = _serve(_Truncating)
    try:
        cache = tmp_path / "cache"
        store = NetworkStore([], cache=cache, manifest=_manifest(f"http://127.0.0.1:{server.server_port}/n.csv"))
        with pytest.raises(LeafError, match=REL):
            store.read(REL)
        assert _files(cache) == []
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_unreachable_server_is_a_leaf_error(tmp_path):
    server, thread = _serve(_Quiet)
    port = server.server_port
    server.shutdown()
    server.server_close()
    thread.join(5)
    store = NetworkStore([], cache=tmp_path / "cache", manifest=_manifest(f"http://127.0.0.1:{port}/n.csv"))
    with pytest.raises(LeafError, match="could not be downloaded"):
        store.read(REL)


def test_download_still_serves_the_run_when_the_cache_is_not_writable(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    store = NetworkStore([], cache=blocker, manifest=_manifest(), fetch=lambda url: GOOD)
    assert store.read(REL) == GOOD


def test_write_atomically_leaves_no_part_file_when_the_rename_fails(tmp_path, monkeypatch):
    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(network_store.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(tmp_path / "a" / "b.csv", GOOD)
    assert _files(tmp_path) == []


def test_write_atomically_replaces_an_existing_file(tmp_path):
    target = tmp_path / "x.csv"
    target.write_bytes(WRONG)
    write_atomically(target, GOOD)
    assert target.read_bytes() == GOOD
    assert _files(tmp_path) == ["x.csv"]


def test_check_reports_each_file(tmp_path):
    folder = tmp_path / "folder"
    _put(folder, GOOD)
    manifest = {**_manifest(), "other.csv": ManifestEntry("other.csv", sha256(b"x"), "http://127.0.0.1:9/x")}
    report = NetworkStore([folder], cache=tmp_path / "cache", manifest=manifest, download=False).check(
        [REL, "other.csv"])
    assert report[REL] == "ok"
    assert "other.csv" in report["other.csv"] and "LEAF_QGIS_NETWORKS" in report["other.csv"]


# --- command line -----------------------------------------------------------------------------------------------------


def _cli(tmp_path, *args: str, folder: str | None = str(NETWORKS)) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != ENV_FOLDER}
    env[ENV_CACHE] = str(tmp_path / "cli-cache")
    env["PYTHONPATH"] = str(ROOT)
    if folder:
        env[ENV_FOLDER] = folder
    return subprocess.run(
        [sys.executable, "-m", "leaf_qgis.core.networks", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_cli_check_verifies_all_52_files(tmp_path):
    result = _cli(tmp_path, "check", "--no-download")
    assert result.returncode == 0, result.stderr
    assert "52/52 files verified" in result.stdout
    assert "16 sensor × algorithm sets load" in result.stdout
    assert _files(tmp_path / "cli-cache") == []


def test_cli_check_without_networks_fails_and_says_where_to_put_them(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _cli(tmp_path, "check", "--no-download", "--folder", str(empty), folder=None)
    assert result.returncode == 1
    assert "LEAF_QGIS_NETWORKS" in result.stderr
    assert str(empty) in result.stderr


def test_cli_bundle_copies_the_verified_files(tmp_path):
    dest = tmp_path / "bundle"
    result = _cli(tmp_path, "bundle", str(dest), "--no-download", "--folder", str(NETWORKS), folder=None)
    assert result.returncode == 0, result.stderr
    assert _files(dest) == sorted(all_files())
