"""Parse the CCRS SL2P network files (MATLAB exports) into typed networks.

The format (see the networks folder's README): one CSV row per output variable; after a header row of column names,
each row holds ``0, 0, variable id, 0, 1, n`` then the n input slopes, then blocks each preceded by its element count:
n input offsets, 5·n hidden weights, 5 hidden biases, 5 output weights, 1 output bias, 1 output slope, 1 output
offset. Rows of a file with fewer inputs are shorter, and trailing cells may be empty.

The hidden-weight vector is read row-major as ``[neuron][input]``, as the CCRS code does (``applyNet`` reshapes it to
``[nHidden, nInputs]``); the physics tests (dense canopy → high LAI, bare soil → ≈ 0, for every sensor) fail with
the transposed reading.

Domain files hold one header line and one integer code per line; the Sentinel-2 20 m list is read from its
plain-data pickle (the CSV copy is corrupt, every code rounded), with an unpickler that refuses every class.
"""

from __future__ import annotations

import csv
import io
import pickle
from dataclasses import dataclass

from .errors import QT_TRANSLATE_NOOP, LeafError

N_HIDDEN = 5
"""Hidden neurons of every published SL2P network."""
#: Variable ids (``tabledata3``) every network set must hold: LAI 1, fAPAR 2, fCOVER 3, CCC 4, CWC 5, albedo 6.
VARIABLE_IDS: tuple[int, ...] = (1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class Network:
    """One SL2P network: inputs → 5 tanh neurons → 1 linear output, with MATLAB mapminmax-style scaling.

    Evaluation: ``x' = x·input_slope + input_offset``; ``h = tanh(W·x' + hidden_bias)``;
    ``y' = output_weights·h + output_bias``; ``y = (y' − output_offset) / output_slope``.
    """

    variable_id: int
    input_slope: tuple[float, ...]
    input_offset: tuple[float, ...]
    hidden_weights: tuple[tuple[float, ...], ...]
    """``[neuron][input]``."""
    hidden_bias: tuple[float, ...]
    output_weights: tuple[float, ...]
    output_bias: float
    output_slope: float
    output_offset: float

    @property
    def n_inputs(self) -> int:
        return len(self.input_slope)

    def evaluate_one(self, inputs: tuple[float, ...]) -> float:
        """Plain-Python evaluation of one input vector: the readable reference for the vectorised engines."""
        import math

        if len(inputs) != self.n_inputs:
            raise ValueError(f"network takes {self.n_inputs} inputs, got {len(inputs)}")
        scaled = [x * s + o for x, s, o in zip(inputs, self.input_slope, self.input_offset)]
        hidden = [
            math.tanh(sum(w * x for w, x in zip(row, scaled)) + b)
            for row, b in zip(self.hidden_weights, self.hidden_bias)
        ]
        out = sum(w * h for w, h in zip(self.output_weights, hidden)) + self.output_bias
        return (out - self.output_offset) / self.output_slope


def _bad_file(name: str, reason: str) -> LeafError:
    return LeafError(
        QT_TRANSLATE_NOOP("leaf", "The SL2P network file '{name}' is not in the CCRS format ({reason})."),
        name=name, reason=reason,
    )


def _block(values: list[float], pos: int, expected: int, name: str, what: str) -> tuple[tuple[float, ...], int]:
    if pos >= len(values) or int(values[pos]) != expected:
        found = "end of row" if pos >= len(values) else int(values[pos])
        raise _bad_file(name, f"{what}: expected a block of {expected} values, found count {found}")
    start = pos + 1
    block = tuple(values[start:start + expected])
    if len(block) != expected:
        raise _bad_file(name, f"{what}: row ends inside the block")
    return block, start + expected


def parse_row(values: list[float], name: str = "?") -> Network:
    """One CSV row (numbers, empty cells dropped) → :class:`Network`."""
    if len(values) < 7:
        raise _bad_file(name, "row too short")
    n = int(values[5])
    if n < 1 or n > 64:
        raise _bad_file(name, f"input count {n}")
    slope = tuple(values[6:6 + n])
    pos = 6 + n
    offset, pos = _block(values, pos, n, name, "input offsets")
    weights, pos = _block(values, pos, N_HIDDEN * n, name, "hidden weights")
    hidden_bias, pos = _block(values, pos, N_HIDDEN, name, "hidden biases")
    out_weights, pos = _block(values, pos, N_HIDDEN, name, "output weights")
    (out_bias,), pos = _block(values, pos, 1, name, "output bias")
    (out_slope,), pos = _block(values, pos, 1, name, "output slope")
    (out_offset,), pos = _block(values, pos, 1, name, "output offset")
    if out_slope == 0:
        raise _bad_file(name, "output slope 0")
    return Network(
        variable_id=int(values[2]),
        input_slope=slope,
        input_offset=offset,
        hidden_weights=tuple(weights[k * n:(k + 1) * n] for k in range(N_HIDDEN)),
        hidden_bias=hidden_bias,
        output_weights=out_weights,
        output_bias=out_bias,
        output_slope=out_slope,
        output_offset=out_offset,
    )


def parse_network_csv(data: bytes, name: str = "?") -> dict[int, Network]:
    """A network CSV → ``{variable id: Network}``."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    if len(rows) < 2:
        raise _bad_file(name, "no data rows")
    networks: dict[int, Network] = {}
    for row in rows[1:]:
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        try:
            values = [float(c) for c in cells]
        except ValueError as error:
            raise _bad_file(name, str(error)) from error
        network = parse_row(values, name)
        networks[network.variable_id] = network
    if not networks:
        raise _bad_file(name, "no data rows")
    return networks


def parse_network_pickle(data: bytes, name: str = "?") -> list[Network]:
    """A CCRS package ensemble (Earth Engine FeatureCollection dictionary, plain-data pickle) → its networks in file
    order. Each feature's ``tabledata1…N`` properties are one CSV row of the MATLAB format."""
    collection = load_plain_pickle(data, name)
    networks = []
    try:
        for feature in collection["features"]:
            props = feature["properties"]
            count = sum(1 for k in props if k.startswith("tabledata"))
            values = [props[f"tabledata{i}"] for i in range(1, count + 1)]
            networks.append(parse_row([float(v) for v in values if v is not None and v != ""], name))
    except (KeyError, TypeError, ValueError) as error:
        raise _bad_file(name, f"unexpected structure: {error}") from error
    if not networks:
        raise _bad_file(name, "no networks")
    return networks


def parse_domain_csv(data: bytes, name: str = "?") -> frozenset[int]:
    """A domain-code CSV (one header line, one code a line) → the set of codes."""
    lines = data.decode("utf-8-sig").split()
    try:
        codes = frozenset(int(float(line.split(",")[0])) for line in lines[1:] if line.strip())
    except ValueError as error:
        raise _bad_file(name, str(error)) from error
    if not codes:
        raise _bad_file(name, "no codes")
    return codes


class _PlainDataUnpickler(pickle.Unpickler):
    """Refuses every global: only dicts, lists, strings and numbers can be built, never code."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"refused global {module}.{name}")


def load_plain_pickle(data: bytes, name: str = "?"):
    """Unpickle data that must be plain (checked against its SHA-256 before this is called)."""
    try:
        return _PlainDataUnpickler(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
        raise _bad_file(name, f"pickle: {error}") from error


def parse_domain_pickle(data: bytes, name: str = "?") -> frozenset[int]:
    """An Earth Engine FeatureCollection dictionary (SL2P-PYTHON pickle) whose features each hold one integer code."""
    collection = load_plain_pickle(data, name)
    try:
        features = collection["features"]
        codes = set()
        for feature in features:
            (value,) = [v for k, v in feature["properties"].items() if not k.startswith("system:")]
            codes.add(int(value))
    except (KeyError, TypeError, ValueError) as error:
        raise _bad_file(name, f"unexpected structure: {error}") from error
    if not codes:
        raise _bad_file(name, "no codes")
    return frozenset(codes)
