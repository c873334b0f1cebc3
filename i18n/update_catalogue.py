"""Refresh ``i18n/leaf_qgis_<lang>.ts`` from the sources, all messages in the one context ``leaf``.

``pylupdate5`` files ``self.tr()`` strings under the class name and bare ``tr()`` strings under ``@default``, while the
plugin translates everything in context ``leaf`` (core messages are marked ``QT_TRANSLATE_NOOP("leaf", ...)``). This
script runs ``pylupdate5`` into a scratch file, then writes the catalogue with one ``leaf`` context: each source text
once, existing translations kept, new texts marked unfinished, texts gone from the code dropped.

Usage: ``python i18n/update_catalogue.py i18n/leaf_qgis_fr.ts leaf_qgis/**/*.py``
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

CONTEXT = "leaf"


def extract(sources: list[str]) -> list[str]:
    """Source texts in the order pylupdate5 finds them, duplicates removed."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "scratch.ts"
        subprocess.run(["pylupdate5", "-noobsolete", *sources, "-ts", str(scratch)], check=True,
                       capture_output=True)
        texts: list[str] = []
        for message in ET.parse(scratch).getroot().iter("message"):
            text = message.findtext("source") or ""
            if text and text not in texts:
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
