"""The SL2P network set of a sensor, loaded and verified: what both engines evaluate.

``load_network_set("S2")`` returns the generic estimate and uncertainty networks, the land-cover networks, the
NALCMS class → network mapping and the input-domain codes. The file table and band orders live in
:mod:`network_catalog`; reading and verification in :mod:`network_store`; the format in :mod:`network_format`.

Command line (used by ``make setup`` and ``make package``)::

    python -m leaf_qgis.core.networks check [--folder DIR]    # every file present and verified?
    python -m leaf_qgis.core.networks bundle DEST [--folder DIR]  # copy verified files into DEST (packaging)
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field

from .errors import QT_TRANSLATE_NOOP, LeafError
from .network_catalog import (
    INVALID_CLASS_NETWORK,
    LEGEND_FILE,
    NETWORK_INDEX_FILE,
    NETWORK_SETS,
    NetworkFiles,
    NetworkSetSpec,
    all_files,
)
from .network_format import Network, parse_domain_csv, parse_domain_pickle, parse_network_csv
from .network_store import NetworkStore, write_atomically
from .sensors import ANGLE_INPUTS


@dataclass(frozen=True)
class LoadedNetworks:
    """The networks of one file pair: estimate and uncertainty per variable id, and their band order."""

    name: str
    bands: tuple[str, ...]
    estimate: dict[int, Network]
    error: dict[int, Network]

    @property
    def inputs(self) -> tuple[str, ...]:
        return ANGLE_INPUTS + self.bands


@dataclass(frozen=True)
class NetworkSet:
    """One sensor's SL2P networks, ready to evaluate."""

    sensor_key: str
    stack_bands: tuple[str, ...]
    """The bands a user's stack must hold, in this order."""
    generic: LoadedNetworks
    landcover: dict[str, LoadedNetworks]
    class_network: dict[int, str] = field(default_factory=dict)
    """NALCMS class → land-cover network name (``invalid`` for urban, water, snow/ice)."""
    network_index: dict[str, int] = field(default_factory=dict)
    """Land-cover network name → CCRS ensemble index (Earth Engine partition ids)."""
    domain: frozenset[int] | None = None
    domain_bands: tuple[str, ...] = ()

    @property
    def invalid_classes(self) -> tuple[int, ...]:
        """NALCMS classes whose legend network is ``invalid`` (urban, water, snow/ice): no estimate, QC bit 2."""
        return tuple(sorted(c for c, name in self.class_network.items() if name == INVALID_CLASS_NETWORK))

    def for_class(self, nalcms_class: int) -> LoadedNetworks:
        """The networks that serve one NALCMS class (generic for unmapped and invalid classes)."""
        name = self.class_network.get(int(nalcms_class))
        return self.landcover.get(name, self.generic) if name else self.generic


def _load_pair(store: NetworkStore, name: str, files: NetworkFiles) -> LoadedNetworks:
    estimate = parse_network_csv(store.read(files.estimate), files.estimate)
    error = parse_network_csv(store.read(files.error), files.error)
    for rel, nets in ((files.estimate, estimate), (files.error, error)):
        for net in nets.values():
            if net.n_inputs != len(ANGLE_INPUTS) + len(files.bands):
                raise LeafError(
                    QT_TRANSLATE_NOOP("leaf", "The SL2P network file '{rel}' has {n} inputs; {expected} expected."),
                    rel=rel, n=net.n_inputs, expected=len(ANGLE_INPUTS) + len(files.bands),
                )
    return LoadedNetworks(name, files.bands, estimate, error)


def parse_legend(data: bytes) -> dict[int, str]:
    """``Legend_csv.csv`` → NALCMS class → network name."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    return {int(row["Value"]): row["SL2P Network"].strip() for row in rows if row.get("Value", "").strip()}


def parse_network_index(data: bytes) -> dict[str, int]:
    """``Parameter_file.csv`` → network name → ensemble index."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    names, values = rows[0], rows[1]
    return {n.strip(): int(v) for n, v in zip(names, values) if n.strip() and n.strip().lower() != "lon"}


def load_network_set(sensor_key: str, store: NetworkStore | None = None, landcover: bool = True) -> NetworkSet:
    """Load and verify one sensor's networks (land-cover networks only when ``landcover``)."""
    spec: NetworkSetSpec | None = NETWORK_SETS.get(sensor_key)
    if spec is None:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "Unknown sensor '{key}'. Choose one of: {choices}."),
            key=sensor_key, choices=", ".join(NETWORK_SETS),
        )
    store = store or NetworkStore.default()
    generic = _load_pair(store, "generic", spec.generic)
    loaded: dict[str, LoadedNetworks] = {}
    class_network: dict[int, str] = {}
    index: dict[str, int] = {}
    if landcover and spec.landcover:
        loaded = {name: _load_pair(store, name, files) for name, files in spec.landcover.items()}
        class_network = parse_legend(store.read(LEGEND_FILE))
        index = parse_network_index(store.read(NETWORK_INDEX_FILE))
    domain = None
    if spec.domain:
        data = store.read(spec.domain)
        domain = parse_domain_pickle(data, spec.domain) if spec.domain.endswith(".pkl") else parse_domain_csv(
            data, spec.domain)
    return NetworkSet(
        sensor_key, spec.stack_bands, generic, loaded, class_network, index, domain, spec.domain_bands,
    )


def bundle(dest: str, store: NetworkStore) -> int:
    """Copy every verified file into ``dest`` (keeping the relative paths); returns the file count."""
    from pathlib import Path

    count = 0
    for rel in all_files():
        write_atomically(Path(dest) / rel, store.read(rel))
        count += 1
    return count


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m leaf_qgis.core.networks", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("check", "bundle"))
    parser.add_argument("dest", nargs="?", help="bundle: destination folder")
    parser.add_argument("--folder", help="networks folder to read first")
    parser.add_argument("--no-download", action="store_true", help="never download")
    args = parser.parse_args(argv)
    store = NetworkStore.default(args.folder)
    store.download = not args.no_download
    try:
        if args.command == "bundle":
            if not args.dest:
                parser.error("bundle needs DEST")
            print(f"bundled {bundle(args.dest, store)} network files into {args.dest}")
            return 0
        report = store.check(all_files())
        bad = {k: v for k, v in report.items() if v != "ok"}
        for rel, problem in bad.items():
            print(f"{rel}: {problem}", file=sys.stderr)
        for key in NETWORK_SETS:
            load_network_set(key, store)
        print(f"SL2P networks: {len(report) - len(bad)}/{len(report)} files verified; "
              f"{len(NETWORK_SETS)} sensor sets load")
        return 1 if bad else 0
    except LeafError as error:
        print(error.render(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
