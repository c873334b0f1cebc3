"""Find the CCRS SL2P network files at run time, verified, without ever shipping them in the repository.

Resolution order for each file (first verified copy wins):

1. the folder configured in the plugin settings, then the ``LEAF_QGIS_NETWORKS`` environment variable;
2. the ``networks`` folder inside the plugin (present in a packaged zip that bundles them);
3. the cache folder ``sl2p-networks`` in ``LEAF_QGIS_CACHE``, else in ``$XDG_CACHE_HOME/leaf_qgis`` or
   ``~/.cache/leaf_qgis``;
4. a download of the pinned public URL from ``networks_manifest.tsv`` into the cache.

Every copy is checked against the SHA-256 in the manifest (a file that differs is ignored, never used), and downloads
are written to a temporary file then renamed, so an interrupted download never leaves a half file behind. The
manifest holds only paths, hashes and URLs — no coefficient.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import QT_TRANSLATE_NOOP, LeafError
from .files import write_atomically

ENV_FOLDER = "LEAF_QGIS_NETWORKS"
ENV_CACHE = "LEAF_QGIS_CACHE"
MANIFEST_PATH = Path(__file__).with_name("networks_manifest.tsv")
BUNDLED_FOLDER = Path(__file__).resolve().parents[1] / "networks"
DOWNLOAD_TIMEOUT_S = 30


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    sha256: str
    url: str


def read_manifest(path: Path = MANIFEST_PATH) -> dict[str, ManifestEntry]:
    """``relative path → entry`` from a tab-separated manifest (path, SHA-256, URL)."""
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rel, digest, url = line.split("\t")
        entries[rel] = ManifestEntry(rel, digest.lower(), url)
    return entries


def default_cache_folder() -> Path:
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE]) / "sl2p-networks"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "leaf_qgis" / "sl2p-networks"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


Fetcher = Callable[[str], bytes]


def fetch_url(url: str) -> bytes:
    """Download one file (small: the largest network file is under 100 kB)."""
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
        return response.read()


class NetworkStore:
    """Reads verified network files from folders, a cache, or the pinned URLs."""

    def __init__(
        self,
        folders: Sequence[str | os.PathLike] = (),
        cache: str | os.PathLike | None = None,
        manifest: dict[str, ManifestEntry] | None = None,
        download: bool = True,
        fetch: Fetcher = fetch_url,
    ) -> None:
        self.folders = [Path(f) for f in folders if f]
        self.cache = Path(cache) if cache else default_cache_folder()
        self.manifest = manifest if manifest is not None else read_manifest()
        self.download = download
        self.fetch = fetch
        self._memo: dict[str, bytes] = {}

    @classmethod
    def default(cls, configured: str | None = None) -> NetworkStore:
        """The store a run uses: the configured folder (plugin settings), ``LEAF_QGIS_NETWORKS``, the bundled
        folder, the cache, then downloads."""
        folders = [configured, os.environ.get(ENV_FOLDER), BUNDLED_FOLDER]
        return cls([f for f in folders if f])

    def read(self, rel: str) -> bytes:
        """The verified bytes of one file, or a :class:`LeafError` that says where to put it."""
        if rel in self._memo:
            return self._memo[rel]
        entry = self.manifest.get(rel)
        if entry is None:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "'{rel}' is not a known SL2P network file."), rel=rel)
        rejected: list[str] = []
        for folder in [*self.folders, self.cache]:
            candidate = folder / rel
            if candidate.is_file():
                data = candidate.read_bytes()
                if sha256(data) == entry.sha256:
                    self._memo[rel] = data
                    return data
                rejected.append(str(candidate))
        data = self._download(entry, rejected)
        self._memo[rel] = data
        return data

    def _download(self, entry: ManifestEntry, rejected: list[str]) -> bytes:
        problem = ""
        if self.download:
            try:
                data = self.fetch(entry.url)
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
                # HTTPException: a truncated response (IncompleteRead) is not an OSError
                problem = str(getattr(error, "reason", error))
            else:
                if sha256(data) == entry.sha256:
                    try:
                        write_atomically(self.cache / entry.path, data)
                    except OSError:
                        pass  # the run can go on from memory; the next one downloads again
                    return data
                problem = "SHA-256 mismatch"
        else:
            problem = "downloads disabled"
        searched = ", ".join(str(f) for f in [*self.folders, self.cache]) or "-"
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The SL2P network file '{rel}' was not found (searched: {searched}; {rejected}) and could not be "
                "downloaded ({problem}) from {url}. Download that file (or the whole CCRS networks folder) into "
                "{cache}, or set a folder holding the networks in Settings › Options › Processing › Providers › LEAF "
                "or in the LEAF_QGIS_NETWORKS environment variable. Copies with the wrong checksum are never used: "
                "replace them.",
            ),
            rel=entry.path, searched=searched, problem=problem, url=entry.url,
            cache=str((self.cache / entry.path).parent),
            rejected=("copies with the wrong checksum: " + ", ".join(rejected)) if rejected else "no copy",
        )

    def check(self, rels: Sequence[str]) -> dict[str, str]:
        """``rel → 'ok' or the error`` for each file (the CLI's ``check``)."""
        report = {}
        for rel in rels:
            try:
                self.read(rel)
                report[rel] = "ok"
            except LeafError as error:
                report[rel] = error.render()
        return report
