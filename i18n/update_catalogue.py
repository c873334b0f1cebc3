"""Refresh ``i18n/leaf_qgis_<lang>.ts`` from the sources, all messages in the one context ``leaf``.

The plugin translates everything in context ``leaf``: ``tr()`` / ``self.tr()`` strings and core messages marked
``QT_TRANSLATE_NOOP("leaf", ...)``. This script finds them with Python's own parser (``ast``), then writes the catalogue
with one ``leaf`` context: each source text once, existing translations kept, new texts marked unfinished, texts gone
from the code dropped.

Why not ``pylupdate5``: it files ``self.tr()`` strings under the class name and bare ``tr()`` strings under
``@default``, and it silently skips a call whose last argument has a trailing comma (the layout ruff/black give a long
multi-line message) and ``tr()`` calls inside f-strings, so such messages never reached the translators.

Usage: ``python i18n/update_catalogue.py i18n/leaf_qgis_fr.ts leaf_qgis/**/*.py``
"""

from __future__ import annotations

import ast
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

CONTEXT = "leaf"


def _text(node: ast.expr) -> str | None:
    """A literal string argument (adjacent literals are already joined by the parser), else None."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def extract_file(path: str) -> list[str]:
    """Translatable texts of one source file, in source order: ``tr(text)``, ``self.tr(text)``,
    ``QT_TRANSLATE_NOOP("leaf", text)`` and ``QCoreApplication.translate("leaf", text)`` with a literal text."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = _called_name(node)
        text = None
        if name in ("tr", "QT_TR_NOOP"):
            text = _text(node.args[0])
        elif name in ("QT_TRANSLATE_NOOP", "translate") and len(node.args) >= 2 and _text(node.args[0]) == CONTEXT:
            text = _text(node.args[1])
        if text:
            found.append((node.lineno, node.col_offset, text))
    return [text for _, _, text in sorted(found)]


def extract(sources: list[str]) -> list[str]:
    """Source texts, file by file in the order given and in source order within a file, duplicates removed."""
    texts: list[str] = []
    seen: set[str] = set()
    for source in sources:
        for text in extract_file(source):
            if text not in seen:
                seen.add(text)
                texts.append(text)
    return texts


def existing_translations(ts: Path) -> dict[str, str]:
    if not ts.exists():
        return {}
    found = {}
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if translation is not None and translation.text and translation.get("type") != "unfinished":
            found[message.findtext("source") or ""] = translation.text
    return found


def write(ts: Path, language: str, texts: list[str], translations: dict[str, str]) -> tuple[int, int]:
    root = ET.Element("TS", version="2.1", language=language)
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    missing = 0
    for text in texts:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = text
        translation = ET.SubElement(message, "translation")
        if text in translations:
            translation.text = translations[text]
        else:
            translation.set("type", "unfinished")
            missing += 1
    ET.indent(root)
    tmp = ts.with_suffix(".ts.tmp")
    tmp.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, encoding="unicode")
                   + "\n", encoding="utf-8")
    os.replace(tmp, ts)
    return len(texts), missing


def main(argv: list[str]) -> int:
    ts, sources = Path(argv[0]), argv[1:]
    language = ts.stem.rsplit("_", 1)[-1]
    total, missing = write(ts, language, extract(sources), existing_translations(ts))
    print(f"{ts}: {total} messages, {missing} without translation")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
