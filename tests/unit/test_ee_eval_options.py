"""The Earth Engine graphs against the reference and the local engine on the cases the standard synthetic month does
not reach (tests/ee_eval): the scene-cloud prefilter, a Landsat scene without its TOA partner, ``mask_flagged``, the
time score, tile regions (a tile built and a tile written from its template) and Sentinel-2 scenes without angle
metadata.

Each test checks the whole comparison exactly (every product DN, QC byte, DATE, PARTITION and nodata pixel as the
reference choice and the local engine) and asserts what the case is about on the graph's own files: which scenes are
chosen, which pixels are blanked, which pixels change. Each also shows that the case is not vacuous (the scenes the
rule drops would win pixels without it; the option changes pixels).
"""

from __future__ import annotations

import numpy as np
import pytest

from leaf_qgis.core import qc
from leaf_qgis.core.periods import Period
from tests.ee_eval import compare, synthetic

MS_PER_DAY = compare.MS_PER_DAY


def day(src: synthetic.SyntheticSources, i: int) -> int:
    """Days since 1970-01-01 of scene ``i``: what DATE holds where it is chosen."""
    return src.truth[i].time_start // MS_PER_DAY


def chosen_days(result: compare.Comparison, region: np.ndarray | None = None) -> set[int]:
    dates = result.maps["DATE"] if region is None else result.maps["DATE"][region]
    return {int(v) for v in np.unique(dates)} - {0}


def winners(src: synthetic.SyntheticSources, **options) -> dict[int, int]:
    """Scene → pixels it wins under the reference rule (``options`` of :func:`compare.reference_choice`)."""
    ref = compare.reference_choice(src, Period.month(src.year, 7), **options)
    return {int(i): int((ref.chosen == i).sum()) for i in np.unique(ref.chosen) if i >= 0}


# --- 1. the scene-cloud prefilter ---------------------------------------------------------------------------------

def test_sentinel2_production_cloud_default_drops_scenes_at_and_above_85_percent():
    """South of 55° N production keeps a Sentinel-2 scene when ``CLOUDY_PIXEL_PERCENTAGE`` < 85: a scene at exactly
    85 % and one at 97 % are dropped, one at 84.9 % kept, though all three win pixels without the filter."""
    src = synthetic.with_properties(synthetic.sources("S2", 2020), {
        2: {"CLOUDY_PIXEL_PERCENTAGE": 85.0}, 4: {"CLOUDY_PIXEL_PERCENTAGE": 97.0},
        5: {"CLOUDY_PIXEL_PERCENTAGE": 84.9}})
    assert all(winners(src, max_scene_cloud=100).get(i, 0) >= 10 for i in (2, 4, 5))
    result = compare.compare_with_local("S2", 2020, src=src)
    assert result.problems() == [], result.summary()
    assert result.reference.in_period == [1, 3, 5, 6]
    assert chosen_days(result) == {day(src, i) for i in (1, 3, 5, 6)}


@pytest.mark.parametrize("sensor,year", [("L8", 2020), ("HLS_L30", 2021)])
def test_explicit_cloud_maximum_keeps_scenes_at_or_below_it(sensor, year):
    """A user's maximum (30 %) keeps scenes at or below it: the scene at exactly 30 % stays, the one at 30.5 % and the
    one that does not report its cloud cover go (Landsat ``CLOUD_COVER``, HLS ``CLOUD_COVERAGE``)."""
    prop = compare.CLOUD_PROPERTY[compare._family(sensor)]
    src = synthetic.with_properties(synthetic.sources(sensor, year), {
        1: {prop: 30.0}, 2: {prop: 30.5}, 3: {prop: None}})
    assert all(winners(src).get(i, 0) >= 10 for i in (1, 2, 3))  # no filter by default for these sensors
    result = compare.compare_with_local(sensor, year, max_scene_cloud=30, src=src)
    assert result.problems() == [], result.summary()
    kept = [i for i in range(1, len(src.truth) - 1) if i not in (2, 3)]
    assert result.reference.in_period == kept
    assert chosen_days(result) == {day(src, i) for i in kept}


def test_cloud_cover_filter_never_passes_a_scene_without_the_property():
    """The filter of the composites and of the site tables: inclusive (an explicit maximum) and strict (the CCRS
    default) alike drop a scene that does not report its cloud cover — ``ee.Filter.lte`` alone would keep it."""
    from leaf_qgis.engines.gee import collections as gee_collections
    from leaf_qgis.engines.gee.session import offline_session
    from tests.ee_eval.evaluator import Evaluator, Scene

    scenes = [Scene({"v": np.full((1, 1), float(k))}, {"system:index": str(k), **props})
              for k, props in enumerate(({"CLOUD_COVER": 30.0}, {"CLOUD_COVER": 30.5}, {}, {"CLOUD_COVER": 29.0}))]
    kept = {}
    with offline_session() as ee:
        for inclusive in (True, False):
            collection = ee.ImageCollection("X").filter(
                gee_collections.cloud_cover_filter(ee, "CLOUD_COVER", 30, inclusive))
            graph = ee.serializer.encode(collection, for_cloud_api=True)
            found = Evaluator((1, 1), {"X": scenes}).evaluate(graph)
            kept[inclusive] = [image.properties["system:index"] for image in found.images]
    assert kept == {True: ["0", "3"], False: ["3"]}


@pytest.mark.parametrize("sensor,year", [("S2", 2020), ("LANDSAT_OLI", 2022)])
def test_a_month_without_any_scene_gives_maps_of_no_observation(sensor, year):
    """A maximum of 0 % drops every synthetic scene: the composite of no scene keeps its bands, all masked (not an
    image without bands, whose export Earth Engine refuses), so the maps read "no clear observation": products and
    DATE nodata, QC the sensor code with bit 2 inside the region, and every map its nodata value outside."""
    result = compare.compare_with_local(sensor, year, max_scene_cloud=0)
    assert result.problems() == [], result.summary()
    assert result.reference.in_period == []
    region = synthetic.region_mask()
    code = compare.SENSORS[sensor].qc_code
    assert (result.maps["QC"][region] == qc.encode(code, invalid=1)).all() and (result.maps["QC"][~region] == 0).all()
    assert (result.maps["DATE"] == 0).all()
    for key in compare.PRODUCT_KEYS:
        assert (result.maps[key] == 255).all()
