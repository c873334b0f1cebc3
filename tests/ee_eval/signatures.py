"""Check a serialised Earth Engine graph against the algorithm signatures shipped with earthengine-api.

Why: without a server, a typo in a function or argument name would only surface when a user submits. Every graph the
tests build is checked (a test tool, so it lives in the tests, not in the plugin): each invoked function exists, every
argument name is declared by its signature, every required argument is present, and every value reference points at
a defined value.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from leaf_qgis.engines.gee.session import raw_signatures


def _walk(node: Any, path: str) -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def validate_graph(serialized: str | dict, signatures: dict[str, dict] | None = None) -> list[str]:
    """Problems found in one ``serialize()`` output (empty list = valid)."""
    graph = json.loads(serialized) if isinstance(serialized, str) else serialized
    signatures = signatures if signatures is not None else raw_signatures()
    problems: list[str] = []
    values = graph.get("values", {})
    if graph.get("result") not in values:
        problems.append(f"result {graph.get('result')!r} is not a defined value")
    scopes: set[str] = set()
    for _, node in _walk(values, "values"):
        definition = node.get("functionDefinitionValue")
        if isinstance(definition, dict):
            scopes.update(definition.get("argumentNames", []))
    for path, node in _walk(values, "values"):
        ref = node.get("valueReference")
        if isinstance(ref, str) and ref not in values:
            problems.append(f"{path}: dangling value reference {ref!r}")
        arg_ref = node.get("argumentReference")
        if isinstance(arg_ref, str) and arg_ref not in scopes:
            problems.append(f"{path}: argument reference {arg_ref!r} outside any function definition")
        definition = node.get("functionDefinitionValue")
        if isinstance(definition, dict) and definition.get("body") not in values:
            problems.append(f"{path}: function body {definition.get('body')!r} is not a defined value")
        call = node.get("functionInvocationValue")
        if not isinstance(call, dict):
            continue
        name = call.get("functionName")
        if name is None:
            if "functionReference" not in call:
                problems.append(f"{path}: invocation without function")
            continue
        signature = signatures.get(name)
        if signature is None:
            problems.append(f"{path}: unknown function {name!r}")
            continue
        declared = {a["argumentName"]: a for a in signature.get("arguments", [])}
        given = set(call.get("arguments", {}))
        for arg in sorted(given - set(declared)):
            problems.append(f"{path}: {name} has no argument {arg!r}")
        for arg, spec in declared.items():
            if not spec.get("optional") and arg not in given:
                problems.append(f"{path}: {name} lacks required argument {arg!r}")
    return problems


def functions_used(serialized: str | dict) -> set[str]:
    """Names of every function a graph invokes."""
    graph = json.loads(serialized) if isinstance(serialized, str) else serialized
    return {node["functionInvocationValue"]["functionName"]
            for _, node in _walk(graph.get("values", {}), "values")
            if isinstance(node.get("functionInvocationValue"), dict)
            and "functionName" in node["functionInvocationValue"]}
