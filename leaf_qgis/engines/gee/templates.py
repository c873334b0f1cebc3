"""Tile templates: a tile's export graphs written from another tile's, the rectangle's four numbers replaced.

Why: the 27 tiles of a national plan export the same workflow, and building then encoding it for every tile was
most of the plan's build time (12.3 s of 14.1 s on a 2-core machine). With templates, two tiles per group (below) are
built and the others' graphs are the template's text with another rectangle: the national plan (1 971 exports,
tests/bench/bench_gee_plan.py) is built in 1.9–2.7 s instead of 13.9–16.1 s (5.9–7.6× in the same sitting), and it is
the very same plan, store of graph pieces included.

What a tile changes in the workflow: its rectangle, ``ee.Geometry.Rectangle(bounds, grid CRS, planar)``
(:func:`.exports.region_geometry`: the scenes' ``filterBounds``, the export's clip), and its scene-cloud filter
(:meth:`.request.GeeRequest.scene_cloud_filter`, from its latitude), nothing else; a custom region (clipped to its
polygon) takes no part. So two tiles with the same filter, for the same map, period and year — a *group*
(:meth:`TileTemplates.group`) — get graphs built by the same calls, whose ``ee`` objects differ only in the four
numbers of the rectangle. Whatever else a tile may change one day must enter the group.

Why the same text but for those numbers: the client's serialiser (``ee.serializer``) merges structurally equal nodes,
lifts into their parents the nodes used once and every number, and numbers the rest in the order it meets them. For
the two graphs it makes the same merges — hence the same lifts and numbering — unless a tile-dependent node (the
list of coordinates, the rectangle or a node above it) equals a node that does not depend on the tile, in one graph
and not in the other (merged numbers change nothing: numbers are lifted everywhere). Any such node holds a list equal
to the tile's coordinates. Checked on the text:

* the template's own list is written inline as the rectangle's ``coordinates`` and nowhere else — so the list was
  merged with no other list (it would then be a value of its own, used twice);
* the other tile's list appears nowhere in the template — so nothing in that tile's graph equals it (every node of
  the template's graph is in its text, every list of numbers written as one).

The one case the text cannot show — the template's rectangle, or a node above it, merged whole with an equal node
that does not depend on the tile — is caught by the safety net, as :class:`.graph.PlanGraphs` has one for the
client's ``serialize()``: the first tile each template could write is built and compared instead (the equal node would
appear in it beside its own rectangle), and any difference drops the templates for the rest of the plan. When a check
fails the tile is simply built. ``tests/unit/test_tile_templates.py`` compares whole plans, export by export.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ...core.periods import Period
from .graph import PlanGraphs
from .request import GeeRequest, Region


def coordinates_text(region: Region) -> str:
    """The list of the rectangle's coordinates as the graph writes it (``json.dumps`` defaults)."""
    assert region.tile is not None
    return json.dumps(list(region.tile.bounds))


def constant_text(coordinates: str) -> str:
    """The constant that holds them (what :meth:`.graph.PlanGraphs.replaced` replaces)."""
    return f'{{"constantValue": {coordinates}}}'


@dataclass
class Template:
    """One group's template: the export of its first tile."""

    region: Region
    image: Any
    """The exported image (before the export's clip): another tile's export options are built with it."""
    root: int
    """The root piece of its graph in the plan's :class:`.graph.PlanGraphs`."""
    text: str
    """Its graph's JSON text."""
    coordinates: str
    checked: bool = False
    """True once a tile written from it was also built and gave the same graph."""

    def text_for(self, region: Region) -> str | None:
        """The graph text of ``region``'s export, or ``None`` when it cannot be written from this template (module
        doc: its coordinates already appear in the template)."""
        coordinates = coordinates_text(region)
        if coordinates in self.text:
            return None
        return self.text.replace(self.coordinates, coordinates)


class TileTemplates:
    """The templates of one plan, by group (see the module doc)."""

    def __init__(self, request: GeeRequest) -> None:
        self.request = request
        self.enabled = True
        self._templates: dict[tuple, Template] = {}

    def group(self, region: Region, key: str, period: Period | None, year: int) -> tuple | None:
        """The group of an export: what its graph depends on besides the tile's rectangle (``None``: not a tile)."""
        if region.tile is None:
            return None
        cloud = self.request.scene_cloud_filter(region)
        return key, period, year, None if cloud is None else json.dumps(cloud.to_json(), sort_keys=True)

    def write(self, group: tuple | None, region: Region, graphs: PlanGraphs) -> tuple[Any, int, str] | None:
        """(the template's image, root piece, SHA-256 of the text) of ``region``'s export of ``group`` written into
        ``graphs`` from the group's checked template; ``None`` when it must be built."""
        template = self._template(group, region)
        if template is None or not template.checked:
            return None
        text = template.text_for(region)
        if text is None:
            return None
        root = graphs.replaced(template.root, constant_text(template.coordinates),
                               constant_text(coordinates_text(region)))
        return template.image, root, hashlib.sha256(text.encode("utf-8")).hexdigest()

    def built(self, group: tuple | None, region: Region, image: Any, root: int, digest: str,
              graphs: PlanGraphs) -> None:
        """Note an export that was built: it becomes its group's template (when its text allows, module doc), or it
        checks the template it could have been written from."""
        if group is None or not self.enabled:
            return
        template = self._templates.get(group)
        if template is None:  # the group's first tile
            text = graphs.expression(root)
            coordinates = coordinates_text(region)
            if text.count(coordinates) == 1 and f'"coordinates": {constant_text(coordinates)}' in text:
                self._templates[group] = Template(region, image, root, text, coordinates)
        elif not template.checked and template.region.name != region.name:  # the first tile it could write
            text = template.text_for(region)
            if text is not None:
                if hashlib.sha256(text.encode("utf-8")).hexdigest() == digest:
                    template.checked = True
                else:
                    self.enabled = False

    def _template(self, group: tuple | None, region: Region) -> Template | None:
        if group is None or not self.enabled:
            return None
        template = self._templates.get(group)
        return None if template is None or template.region.name == region.name else template
