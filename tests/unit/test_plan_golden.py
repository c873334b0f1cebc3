"""Plans do not change by accident: the graph of every export of three reference requests, fingerprinted.

A refactoring (sensor, product and destination tables, a typed plan, a compact plan file) must keep the graphs
submitted for an unchanged request byte-identical; new fields in the plan entries are fine. When a graph changes on
purpose (a science fix), regenerate with
``LEAF_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_plan_golden.py`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from leaf_qgis.core.periods import Period
from leaf_qgis.engines.gee import plan as gee_plan
from leaf_qgis.engines.gee import request as rq

GOLDEN = Path(__file__).with_name("golden") / "plan_fingerprints.json"
POLYGON = {"type": "Polygon", "coordinates": [[[-75.9, 45.2], [-75.4, 45.2], [-75.4, 45.5], [-75.9, 45.5],
                                               [-75.9, 45.2]]]}
#: Entry fields that existed when the fingerprints were taken; fields added later are not compared.
ENTRY_FIELDS = ("description", "file_name", "key", "crs", "crs_transform", "data_type", "nodata", "file_format")


def requests() -> dict[str, rq.GeeRequest]:
    return {
        "s2_tile55_jul_all": rq.make_request(rq.tile_regions(["tile55"]), "S2", [Period.month(2024, 7)],
                                             ["LAI", "FCOVER", "FAPAR", "ALBEDO", "QC", "DATE", "PARTITION"], 20),
        "l8_polygon_peak_sl2p": rq.make_request([rq.custom_region("ottawa", POLYGON)], "L8",
                                                [Period.peak_season(2022)], ["LAI", "QC"], 30, algorithm="SL2P"),
        "l5_tile44_jun_ccrs_gcs": rq.make_request(rq.tile_regions(["tile44"]), "L5", [Period.month(2005, 6)],
                                                  ["FAPAR", "QC", "DATE"], 30, destination="gcs", bucket="leaf-maps"),
    }


def fingerprint(plan: dict) -> list[dict]:
    return [{**{k: e.get(k) for k in ENTRY_FIELDS},
             "expression_sha256": hashlib.sha256(plan_expression(plan, i).encode()).hexdigest()}
            for i, e in enumerate(plan["exports"])]


def plan_expression(plan: dict, index: int) -> str:
    """The graph the plan submits for export ``index`` (through the plan module's reader when it has one)."""
    reader = getattr(gee_plan, "task_expression", None)
    return reader(plan, index) if reader else plan["exports"][index]["expression"]


@pytest.fixture(scope="module")
def current() -> dict[str, list[dict]]:
    return {name: fingerprint(gee_plan.build_plan(request)) for name, request in requests().items()}


def test_plans_of_unchanged_requests_are_unchanged(current):
    if os.environ.get("LEAF_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(current) == sorted(golden)
    for name, entries in golden.items():
        assert len(current[name]) == len(entries), name
        for got, want in zip(current[name], entries):
            assert got == want, (name, want["description"])
