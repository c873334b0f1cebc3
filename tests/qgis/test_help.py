"""Every algorithm explains itself: help text, and a help link to an existing README section."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def github_anchor(heading: str) -> str:
    """GitHub's heading slug: lower case, punctuation dropped (not '-' or '_'), spaces → '-'."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_help_links_point_to_readme_sections_and_help_texts_are_substantial(leaf_provider):
    anchors = {github_anchor(line.lstrip("#")) for line in README.read_text(encoding="utf-8").splitlines()
               if line.startswith("#")}
    algorithms = [a for a in leaf_provider.algorithms() if not a.id().startswith("leaf:example")]
    assert len(algorithms) >= 5
    for algorithm in algorithms:
        url = algorithm.helpUrl()
        if "#" not in url:
            continue  # models carry their own help
        anchor = url.split("#", 1)[1]
        assert anchor in anchors, (algorithm.id(), anchor)
        assert len(algorithm.shortHelpString()) > 200, algorithm.id()
