"""The SL2P network set of a sensor, loaded and verified: what both engines evaluate.

``load_network_set("S2", "SL2P-CCRS")`` returns the estimate and uncertainty networks of every slot, the NALCMS
class → slot mapping (CCRS legend and parameter file) and the input-domain codes. The file table and band orders live in
:mod:`network_catalog`; reading and verification in :mod:`network_store`; the format in :mod:`network_format`.

Command line (used by ``make setup`` and ``make package``)::

    python -m leaf_qgis.core.networks check [--folder DIR]    # every file present and verified?
    python -m leaf_qgis.core.networks bundle DEST [--folder DIR]  # copy verified files into DEST (packaging)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from .errors import QT_TRANSLATE_NOOP, LeafError
from .files import write_atomically
from .network_catalog import (
    NETWORK_SETS,
    SL2P,
    NetworkSetSpec,
    all_files,
    network_set_spec,
)
from .network_format import (
    VARIABLE_IDS,
    Network,
    load_plain_pickle,
    parse_domain_csv,
    parse_domain_pickle,
    parse_network_csv,
    parse_network_pickle,
)
from .network_store import NetworkStore
from .sensors import ANGLE_INPUTS


@dataclass(frozen=True)
class NetworkSet:
    """One sensor's SL2P or SL2P-CCRS networks, ready to evaluate.

    ``estimate[v][k]`` is the network of variable id ``v`` in slot ``k`` (SL2P: one slot; SL2P-CCRS: twelve, the
    CCRS ``networkID``); ``error`` likewise for the uncertainty networks. Several slots hold the same coefficients
    (``Network`` compares by value), which the engines evaluate once.
    """

    sensor_key: str
    algorithm: str
    label: str
    bands: tuple[str, ...]
    """Spectral inputs after the three cosines, in network order (what a user's stack holds, in this order)."""
    estimate: dict[int, tuple[Network, ...]]
    error: dict[int, tuple[Network, ...]]
    class_slot: dict[int, int] = field(default_factory=dict)
    """NALCMS class → slot, from the CCRS legend and parameter file (empty: slot 0 for every class)."""
    class_network: dict[int, str] = field(default_factory=dict)
    """NALCMS class → CCRS legend network name."""
    domain: frozenset[int] = frozenset()

    @property
    def stack_bands(self) -> tuple[str, ...]:
        return self.bands

    @property
    def domain_bands(self) -> tuple[str, ...]:
        """Bands whose digits make the domain code (first = least significant): the network bands, as CCRS."""
        return self.bands

    @property
    def inputs(self) -> tuple[str, ...]:
        return ANGLE_INPUTS + self.bands

    @property
    def slot_count(self) -> int:
        return len(next(iter(self.estimate.values())))

    def slot_of(self, nalcms_class: int) -> int:
        """The slot serving one NALCMS class (0, the generic network, for classes outside the legend)."""
        return self.class_slot.get(int(nalcms_class), 0)

    def slot_groups(self, variable_ids: Sequence[int], uncertainty: bool) -> list[tuple[int, ...]]:
        """Slots whose networks for ``variable_ids`` (and their uncertainty networks) are identical, grouped; each
        group in slot order, groups ordered by their first slot. What an engine must evaluate, once per group."""
        groups: dict[tuple, list[int]] = {}
        for k in range(self.slot_count):
            key = tuple(self.estimate[v][k] for v in variable_ids)
            if uncertainty:
                key += tuple(self.error[v][k] for v in variable_ids)
            groups.setdefault(key, []).append(k)
        return sorted((tuple(g) for g in groups.values()), key=lambda g: g[0])


def _bad(rel: str, reason: str) -> LeafError:
    return LeafError(
        QT_TRANSLATE_NOOP("leaf", "The SL2P network file '{rel}' is not in the CCRS format ({reason})."),
        rel=rel, reason=reason,
    )


def _slots_from_package(store: NetworkStore, rel: str, slots: int) -> dict[int, tuple[Network, ...]]:
    """Slot k of variable v = the k-th network of variable v in the ensemble file, as the CCRS package selects it."""
    by_variable: dict[int, list[Network]] = {}
    for network in parse_network_pickle(store.read(rel), rel):
        by_variable.setdefault(network.variable_id, []).append(network)
    out = {}
    for variable, networks in by_variable.items():
        if len(networks) < slots:
            if variable in VARIABLE_IDS:
                raise _bad(rel, f"variable {variable} has {len(networks)} networks, {slots} expected")
            continue
        out[variable] = tuple(networks[:slots])
    return out


def _slots_from_csvs(store: NetworkStore, paths: tuple[str, ...]) -> dict[int, tuple[Network, ...]]:
    parsed = {rel: parse_network_csv(store.read(rel), rel) for rel in dict.fromkeys(paths)}
    variables = set.intersection(*(set(p) for p in parsed.values()))
    return {v: tuple(parsed[rel][v] for rel in paths) for v in sorted(variables)}


def _check_inputs(spec: NetworkSetSpec, rel: str, nets: dict[int, tuple[Network, ...]]) -> None:
    expected = len(ANGLE_INPUTS) + len(spec.bands)
    for networks in nets.values():
        for net in networks:
            if net.n_inputs != expected:
                raise LeafError(
                    QT_TRANSLATE_NOOP("leaf", "The SL2P network file '{rel}' has {n} inputs; {expected} expected."),
                    rel=rel, n=net.n_inputs, expected=expected,
                )
    missing = [v for v in VARIABLE_IDS if v not in nets]
    if missing:
        raise _bad(rel, f"no network for variable ids {missing}")


def parse_legend(data: bytes, rel: str = "?") -> dict[int, str]:
    """A CCRS legend (package pickle) → NALCMS class → network name."""
    return {int(p["Value"]): str(p["SL2P Network"]).strip() for p in _feature_properties(data, rel)}


def parse_parameter_file(data: bytes, rel: str = "?") -> dict[str, int]:
    """A CCRS parameter file (package pickle) → network name → slot."""
    (props,) = _feature_properties(data, rel)[:1]
    return {k: int(v) for k, v in props.items() if k not in ("Feature Index", "lon") and not k.startswith("system:")}


def _feature_properties(data: bytes, rel: str) -> list[dict]:
    try:
        return [dict(f["properties"]) for f in load_plain_pickle(data, rel)["features"]]
    except (KeyError, TypeError) as error:
        raise _bad(rel, f"unexpected structure: {error}") from error


def _domain(store: NetworkStore, rel: str) -> frozenset[int]:
    data = store.read(rel)
    return parse_domain_pickle(data, rel) if rel.endswith(".pkl") else parse_domain_csv(data, rel)


def load_network_set(sensor_key: str, algorithm: str = SL2P, store: NetworkStore | None = None) -> NetworkSet:
    """Load and verify one sensor's networks for ``algorithm`` (``SL2P`` or ``SL2P-CCRS``)."""
    spec = network_set_spec(sensor_key, algorithm)
    store = store or NetworkStore.default()
    class_network: dict[int, str] = {}
    class_slot: dict[int, int] = {}
    slots = 1
    if spec.legend and spec.parameter_file:
        class_network = parse_legend(store.read(spec.legend), spec.legend)
        index = parse_parameter_file(store.read(spec.parameter_file), spec.parameter_file)
        unknown = sorted(set(class_network.values()) - set(index))
        if unknown:
            raise _bad(spec.legend, f"networks {unknown} are not in the parameter file")
        class_slot = {c: index[name] for c, name in class_network.items()}
        slots = max(index.values()) + 1
    if len(spec.estimate) == 1 and spec.estimate[0].endswith(".pkl"):
        estimate = _slots_from_package(store, spec.estimate[0], slots)
        error = _slots_from_package(store, spec.error[0], slots)
    else:
        if len(spec.estimate) != slots:
            raise _bad(spec.estimate[0], f"{len(spec.estimate)} network files for {slots} slots")
        estimate = _slots_from_csvs(store, spec.estimate)
        error = _slots_from_csvs(store, spec.error)
    _check_inputs(spec, spec.estimate[0], estimate)
    _check_inputs(spec, spec.error[0], error)
    domain: frozenset[int] = frozenset().union(*(_domain(store, rel) for rel in spec.domain))
    return NetworkSet(sensor_key, spec.algorithm, spec.label, spec.bands, estimate, error, class_slot,
                      class_network, domain)


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
        for key, algorithm in NETWORK_SETS:
            load_network_set(key, algorithm, store)
        print(f"SL2P networks: {len(report) - len(bad)}/{len(report)} files verified; "
              f"{len(NETWORK_SETS)} sensor × algorithm sets load")
        return 1 if bad else 0
    except LeafError as error:
        print(error.render(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
