"""The graphs of a plan, each distinct node stored once: what makes a national plan small and fast to build.

Why: the 1 971 tasks of a national plan (27 tiles × 12 months × every output) share most of their graphs — the
network constants in every task, the composite of a tile and month in its six maps — and ``ee.Image.serialize()``
re-encodes all of it for every task: 27 s and 62 kB per task, 121 MB of plan. Two things here, both keeping every
submitted graph byte for byte what ``serialize()`` gives:

* :class:`PlanGraphs` encodes with earthengine-api's own :class:`ee.serializer.Serializer` code, but keeps its
  tables (object → node, node structure → name) from one task to the next, so a shared object is encoded once per
  plan instead of once per task. The names it gives are only intermediate: the client's own
  ``_ExpressionOptimizer`` then renumbers each task's nodes from its result, in its traversal order, so the text
  depends only on the task's graph (structurally deduplicated either way), never on what was encoded before.
* :class:`PlanGraphs` stores each task's graph as pieces of JSON text, each distinct piece once: the graph's values,
  and inside them the arrays of numbers the client shares between tasks (the network weights), written in their
  parent as a reference ``{"$ref": n}``. A task keeps the number of its root piece and the SHA-256 of its text;
  :meth:`PlanGraphs.expression` pastes the pieces back together — the exact string, since the client writes graphs
  with ``json.dumps`` defaults and the pieces are written the same way. A reference can never be confused with graph
  content: a JSON string escapes its quotes.

:meth:`PlanGraphs.replaced` writes a graph from another one with one constant replaced (a tile's rectangle,
:mod:`.templates`), sharing the pieces that do not hold it and making the same pieces :meth:`PlanGraphs.add` would.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

GRAPH_FORMAT = "leaf-graph-1"
"""The ``format`` of a plan's ``graph``: node texts with ``{"$ref": n}`` references (see the module doc)."""
MIN_SHARED = 64
"""A JSON sub-object shorter than this (characters) stays inline in its parent: a reference would not be shorter."""
KEEP_TEXT = 32_768
"""Reassembled node texts up to this length are kept for the next task that uses them."""
_REFERENCE = re.compile(r'\{"\$ref": (\d+)\}')


def _references(value: Any, found: list[str] | None = None) -> list[str]:
    """The scope names a freshly encoded ValueNode refers to, one per occurrence (what the client's optimiser counts
    to find single uses); nothing inside constants."""
    found = [] if found is None else found
    if isinstance(value, dict):
        if "constantValue" in value:
            return found
        reference = value.get("valueReference")
        if isinstance(reference, str):
            found.append(reference)
            return found
        for key, item in value.items():
            if key in ("functionReference", "body") and isinstance(item, str):
                found.append(item)
            elif isinstance(item, (dict, list)):
                _references(item, found)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("valueReference"), str):
                found.append(item["valueReference"])
            elif isinstance(item, (dict, list)):
                _references(item, found)
    return found


def _direct_references(value: dict[str, Any]) -> list[str]:
    """:func:`_references` for the shapes the encoder makes (every child a ``valueReference``), without walking."""
    if "functionInvocationValue" in value:
        invocation = value["functionInvocationValue"]
        items: Any = invocation["arguments"].values()
        extra = [invocation["functionReference"]] if "functionReference" in invocation else []
    elif "arrayValue" in value:
        items, extra = value["arrayValue"]["values"], []
    elif "constantValue" in value:
        return []
    else:
        return _references(value)
    try:
        return [item["valueReference"] for item in items] + extra
    except (KeyError, TypeError):
        return _references(value)


def _is_number(value: dict[str, Any]) -> bool:
    return "constantValue" in value and (value["constantValue"] is None
                                         or isinstance(value["constantValue"], (bool, int, float)))


def _optimizer_class() -> type:
    """The client's ``_ExpressionOptimizer`` (its rules, not a copy of them), faster for a plan's many tasks."""
    from ee import serializer

    base = serializer._ExpressionOptimizer
    depth_limit = serializer._DEPTH_LIMIT

    class Optimizer(base):  # type: ignore[misc, valid-type]
        """Two additions to the base class, neither changing a result:

        * its two commonest cases (invocations, references) written out first: a task graph has about a thousand of
          them, and the base's generic checks were most of a plan's build time;
        * what it makes of an array of numbers (or of such arrays) is remembered from one task to the next, with the
          condition under which it holds (the arrays inside it are lifted: used once, not too deep): numbers are
          lifted wherever they are referenced, so the result is otherwise the same in every task. In an invocation's
          arguments, such a remembered constant is written as its piece's reference (:class:`PlanGraphs`).
        """

        _arrays: dict[int, tuple[Any, Any, list[str]]]
        _pieces: dict[int, dict[str, int]]
        _store: Any

        def _optimize_value(self, value: Any, depth: int) -> Any:
            if "functionInvocationValue" in value:
                invocation = value["functionInvocationValue"]
                optimized: dict[str, Any] = {}
                if "functionName" in invocation:
                    optimized["functionName"] = invocation["functionName"]
                else:
                    optimized["functionReference"] = self._optimize_referred_value(invocation["functionReference"])
                arguments = {}
                for key, item in invocation["arguments"].items():
                    result = self._optimize_value(item, depth + 3)
                    arguments[key] = self._pieces.get(id(result), result)
                optimized["arguments"] = arguments
                return {"functionInvocationValue": optimized}
            if "valueReference" in value:
                reference = value["valueReference"]
                referenced = self._values[reference]
                if reference in self._single_uses and depth < depth_limit:
                    return self._optimize_value(referenced, depth)
                if self._is_always_liftable(referenced):
                    return referenced
                return {"valueReference": self._optimize_referred_value(reference)}
            if "constantValue" in value or "argumentReference" in value:
                return value
            if "arrayValue" not in value:
                return super()._optimize_value(value, depth)
            known = self._arrays.get(id(value))
            if known is not None and self._holds(known, depth):
                return known[1]
            result = super()._optimize_value(value, depth)
            if known is None and "constantValue" in result:
                self._remember(value, result)
            return result

        def _holds(self, known: tuple[Any, Any, list[str]], depth: int) -> bool:
            """True when a remembered array's inner arrays are lifted here as they were when it was remembered."""
            inner = known[2]
            if not inner:
                return True
            if depth + 3 >= depth_limit:
                return False
            for name in inner:
                if name not in self._single_uses:
                    return False
                nested = self._arrays.get(id(self._values[name]))
                if nested is None or not self._holds(nested, depth + 3):
                    return False
            return True

        def _remember(self, value: Any, result: Any) -> None:
            inner: list[str] = []
            for item in value["arrayValue"]["values"]:
                name = item.get("valueReference")
                if name is None:
                    return
                referenced = self._values[name]
                if "arrayValue" in referenced and id(referenced) in self._arrays:
                    inner.append(name)
                elif not _is_number(referenced):
                    return
            self._arrays[id(value)] = (value, result, inner)  # value kept here: its id stays its own
            text = json.dumps(result)
            if len(text) >= MIN_SHARED:
                self._pieces[id(result)] = {"$ref": self._store(text)}

    return Optimizer


class PlanGraphs:
    """The graphs of a plan's tasks (see the module doc): :meth:`add` while building, :meth:`expression` to read."""

    def __init__(self, nodes: list[str] | None = None) -> None:
        self.nodes: list[str] = list(nodes or [])
        self._index: dict[str, int] | None = None
        """Piece text → number, built on the first :meth:`_store` (a plan that is only read never needs it)."""
        self._texts: dict[int, str] = {}
        self._encoder: Any = None
        self._trusted: bool | None = None
        """Whether this module's encoding matched the client's on the first graph (None: not checked yet)."""

    # --------------------------------------------------------------------------------------------- building
    def _start(self) -> None:
        """The encoder and optimiser state kept from task to task (created on the first :meth:`add`)."""
        from ee import serializer

        self._encoder = serializer.Serializer(True, for_cloud_api=True)
        self._optimizer = _optimizer_class()
        self._pinned: list[Any] = []
        """Every encoded object stays alive while the plan is built, so that its ``id()`` is never another's."""
        self._children: dict[str, list[str]] = {}
        self._values: dict[str, Any] = {}
        """The encoder's scope (a list) as a dict, grown with it."""
        self._arrays: dict[int, Any] = {}
        self._pieces: dict[int, dict[str, int]] = {}
        original = self._encoder._encode_cloud_object
        hashcache, scope = self._encoder._hashcache, self._encoder._scope

        def encode(obj: Any) -> Any:
            known = id(obj) in hashcache
            name = original(obj)
            if not known:
                self._pinned.append(obj)
            for new_name, value in scope[len(self._values):]:
                self._children[new_name] = _direct_references(value)
                self._values[new_name] = value
            return name

        self._encoder._encode_cloud_object = encode  # the client's encoder calls back through it

    def _optimized(self, obj: Any) -> dict[str, Any]:
        """The optimised Expression of ``obj`` as ``ee.serializer.encode`` gives it, remembered arrays as references."""
        if self._encoder is None:
            self._start()
        root = self._encoder._encode_cloud_object(obj)
        children = self._children
        counts = {root: 1}
        stack = [root]
        while stack:  # reference counts over the task's graph, as the optimiser's _find_single_uses counts them
            for child in children[stack.pop()]:
                if child in counts:
                    counts[child] += 1
                else:
                    counts[child] = 1
                    stack.append(child)
        optimizer = self._optimizer.__new__(self._optimizer)  # its __init__ would count again, over every value
        optimizer._result = root
        optimizer._values = self._values
        optimizer._single_uses = {name for name, count in counts.items() if count == 1}
        optimizer._optimized_values = {}
        optimizer._reference_map = {}
        optimizer._arrays, optimizer._pieces, optimizer._store = self._arrays, self._pieces, self._store
        return optimizer.optimize()

    def add(self, obj: Any) -> tuple[int, str]:
        """Store the graph of ``obj`` (an ``ee`` object); returns (its root piece, the SHA-256 of its JSON text).

        The first graph is also serialised by the client itself and compared: should an earthengine-api version
        ever encode differently from what this module expects of it, every graph of the plan then comes from
        ``serialize()`` (slower, never different).
        """
        if self._trusted is None:
            text = obj.serialize()
            root, digest = self._add(self._optimized(obj))
            self._trusted = self.expression(root) == text
            if self._trusted:
                return root, digest
        if not self._trusted:
            return self._add(json.loads(obj.serialize()))
        return self._add(self._optimized(obj))

    def add_text(self, text: str) -> tuple[int, str]:
        """Store a graph the client has already serialised (``serialize()``'s text); returns (its root piece, the
        SHA-256 of its text). The pieces are those :meth:`add` makes when it falls back on ``serialize()``."""
        root, digest = self._add(json.loads(text))
        if self.expression(root) != text:
            raise ValueError("the graph text does not read back as it was written")
        return root, digest

    def _add(self, expression: dict[str, Any]) -> tuple[int, str]:
        values = {}
        for name, value in expression["values"].items():
            value = self._pieces.get(id(value), value) if self._encoder is not None else value
            text = json.dumps(value)
            values[name] = value if len(text) < MIN_SHARED else {"$ref": self._store(text)}
        root = self._store(json.dumps({"result": expression["result"], "values": values}))
        return root, hashlib.sha256(self.expression(root).encode("utf-8")).hexdigest()

    def replaced(self, root: int, old: str, new: str) -> int:
        """The root piece of the graph whose text is that of ``root`` with the constant ``old`` replaced by ``new``
        (:mod:`.templates`): both the text of a constant without objects inside, e.g. ``{"constantValue": [1.0]}``,
        so that neither can straddle or hold a piece reference. The pieces without ``old`` are shared; ``new`` is a
        piece of its own when :meth:`add` would make it one (:data:`MIN_SHARED`), so the pieces are those of the
        graph stored itself."""
        value = new if len(new) < MIN_SHARED else f'{{"$ref": {self._store(new)}}}'

        def rewritten(number: int) -> str:
            def child(match: re.Match[str]) -> str:
                piece = int(match[1])
                if self.nodes[piece] == old:
                    return value
                if old not in self._text(piece):
                    return match[0]
                return f'{{"$ref": {self._store(rewritten(piece))}}}'

            return _REFERENCE.sub(child, self.nodes[number]).replace(old, value)

        return self._store(rewritten(root))

    def close(self) -> None:
        """Drop the encoder and every object it kept (the pieces stay, for reading). Why explicitly: the encoder
        calls back through a closure on this object, a reference cycle that only the cyclic collector would undo —
        holding a national plan's hundreds of thousands of ``ee`` objects until it runs."""
        self._encoder = None
        self._pinned, self._children, self._values, self._arrays, self._pieces = [], {}, {}, {}, {}

    def serialize(self, obj: Any) -> str:
        """``obj.serialize()``, byte for byte."""
        return self.expression(self.add(obj)[0])

    def _store(self, text: str) -> int:
        if self._index is None:
            self._index = {piece: number for number, piece in enumerate(self.nodes)}
        number = self._index.get(text)
        if number is None:
            number = self._index[text] = len(self.nodes)
            self.nodes.append(text)
        return number

    # ---------------------------------------------------------------------------------------------- reading
    def expression(self, root: int) -> str:
        """The JSON text of the graph whose root piece is ``root`` (the exact string that was stored)."""
        return _REFERENCE.sub(lambda match: self._text(int(match[1])), self.nodes[root])

    def _text(self, number: int) -> str:
        """A piece's text, kept when small: the pieces tasks share are pasted many times, while the large ones are
        mostly one task's own (keeping them would hold the whole plan's text in memory)."""
        text = self._texts.get(number)
        if text is None:
            text = _REFERENCE.sub(lambda match: self._text(int(match[1])), self.nodes[number])
            if len(text) <= KEEP_TEXT:
                self._texts[number] = text
        return text

    def to_json(self) -> dict[str, Any]:
        return {"format": GRAPH_FORMAT, "nodes": self.nodes}

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> PlanGraphs:
        if not isinstance(document, dict) or document.get("format") != GRAPH_FORMAT:
            raise ValueError(f"unknown graph format {document.get('format') if isinstance(document, dict) else None!r}")
        return cls(document["nodes"])
