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
from leaf_qgis.core.tile_grid import parse_tile
from leaf_qgis.engines.gee import templates
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



@pytest.mark.parametrize("sensor", ["S2", "L8", "L5", "HLS_L30", "HLS_S30", "LANDSAT_OLI"])
def test_the_placeholder_of_no_scene_has_the_bands_and_types_of_a_prepared_scene(sensor):
    """:func:`~leaf_qgis.engines.gee.collections.empty_scene` and each prepared scene of the synthetic month,
    evaluated: the same band names in the same order with the same types (a composite mixes them; the evaluator would
    merge a drifted type silently), and the placeholder holds no pixel."""
    from leaf_qgis.engines.gee import collections as gee_collections
    from leaf_qgis.engines.gee.session import offline_session
    from tests.ee_eval.evaluator import Evaluator

    year = compare.YEARS[sensor]
    src = synthetic.sources(sensor, year)
    with offline_session() as ee:
        region = ee.Geometry(compare.REGION, None, False)
        scenes = gee_collections.scene_collection(ee, compare.SENSORS[sensor], region, Period.month(year, 7))
        graphs = [ee.serializer.encode(x, for_cloud_api=True)
                  for x in (scenes, gee_collections.empty_scene(ee, compare.SENSORS[sensor]))]
    prepared = Evaluator(synthetic.GRID, src.collections, src.images, synthetic.region_mask()).evaluate(graphs[0])
    empty = Evaluator(synthetic.GRID, src.collections, src.images, synthetic.region_mask()).evaluate(graphs[1])
    layout = [(b.name, b.dtype) for b in empty.bands]
    expected = [(b, "float32") for b in gee_collections.reflectance_bands(compare.SENSORS[sensor])]
    expected += [("cosVZA", "float32"), ("cosSZA", "float32"), ("cosRAA", "float32"), ("date", "uint16"),
                 ("sensor", "uint8"), ("flagged", "uint8")]
    assert layout == expected
    assert len(prepared.images) >= 3
    for image in prepared.images:
        assert [(b.name, b.dtype) for b in image.bands] == layout, image.properties.get("system:index")
    assert not any(b.mask.any() for b in empty.bands)
    if sensor == "LANDSAT_OLI":  # both members' scenes (their own QC codes), one layout
        assert {int(i.band("sensor").values.max()) for i in prepared.images} == {
            compare.SENSORS[m].qc_code for m in ("L8", "L9")}


# --- 2. the Landsat TOA-join fallback -----------------------------------------------------------------------------

def test_landsat_scene_without_toa_partner_uses_its_metadata_angles():
    """Scene 2 without its TOA partner is still composited, with the metadata fallback (sun zenith 90° −
    SUN_ELEVATION, nadir view, relative azimuth 0): the same scenes are chosen, and exactly the pixels it wins get
    other estimates than with its per-pixel angles — those the local engine computes with the fallback angles."""
    with_toa = compare.compare_with_local("L8", 2020)
    src = synthetic.without_toa(synthetic.sources("L8", 2020), 2)
    assert not synthetic.has_toa(src, 2) and synthetic.has_toa(src, 1)
    result = compare.compare_with_local("L8", 2020, src=src)
    assert result.problems() == [], result.summary()
    np.testing.assert_array_equal(result.maps["DATE"], with_toa.maps["DATE"])
    own = result.reference.chosen == 2
    assert own.sum() >= 40
    changed = result.maps["LAI"] != with_toa.maps["LAI"]
    assert not changed[~own].any()
    assert changed[own].sum() >= 10, int(changed[own].sum())


# --- 3. mask_flagged ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sensor,year", [("S2", 2020), ("L8", 2020)])
def test_mask_flagged_blanks_exactly_the_flagged_pixels_and_keeps_their_qc(sensor, year):
    """pixel_rules.py: MASK_FLAGGED also blanks flagged pixels. Products are 255 exactly where QC bit 2 is set, and
    as without the option elsewhere; the QC byte is the same (bit 2 and the sensor code stay)."""
    kept = compare.compare_with_local(sensor, year)
    masked = compare.compare_with_local(sensor, year, mask_flagged=True)
    assert masked.problems() == [], masked.summary()
    region = synthetic.region_mask()
    np.testing.assert_array_equal(masked.maps["QC"], kept.maps["QC"])
    flagged = ((masked.maps["QC"] & qc.FLAG_INVALID) != 0) & region
    estimated_when_kept = flagged & (kept.maps["LAI"] != 255)
    assert estimated_when_kept.sum() >= 10  # snow, water, urban, range-test pixels with an estimate by default
    for key in compare.PRODUCT_KEYS:
        assert (masked.maps[key][flagged] == 255).all()
        np.testing.assert_array_equal(masked.maps[key][region & ~flagged], kept.maps[key][region & ~flagged])


# --- 4. the time score --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sensor,year", [("S2", 2020), ("L8", 2020)])
def test_time_score_weight_prefers_scenes_near_mid_month(sensor, year):
    """With ``time_score_weight`` 2 the composite adds 2·exp(−|Δdays|/τ) (τ 50 days for Sentinel-2, 100 for
    Landsat): the graph chooses as the reference, and that choice differs from the unweighted one on many pixels,
    in favour of the scenes nearest 16 July."""
    src = synthetic.sources(sensor, year)
    result = compare.compare_with_local(sensor, year, time_weight=2.0, src=src)
    assert result.problems() == [], result.summary()
    plain = compare.reference_choice(src, Period.month(year, 7))
    region = synthetic.region_mask()
    moved = (result.reference.chosen != plain.chosen) & region
    assert moved.sum() >= 10, int(moved.sum())  # L8 2020: 19 pixels (saturated pixels now kept), S2 more
    middle = compare.days_since_epoch(Period.month(year, 7).middle)
    distance = np.abs(result.maps["DATE"].astype(np.int64) - middle)
    before = np.abs(plain.date - middle)
    assert (distance[moved] < before[moved]).all()


# --- 5. tile regions: a tile built, a tile written from its template ----------------------------------------------

NORTH_TILES = ("tile13", "tile14", "tile36")
"""One template group north of 55° N (scene-cloud maximum 70 %): tile13 is the template (built), tile14 is built to
check it, tile36 is written from it (test_tile_templates.py)."""


def _inside(tile: str) -> tuple[float, float, float, float]:
    """A 110 km scene footprint inside a tile (EPSG:3979)."""
    xmin, ymin, _, _ = parse_tile(tile).bounds
    return xmin + 200_000.0, ymin + 300_000.0, xmin + 310_000.0, ymin + 410_000.0


def test_tiles_built_and_written_from_a_template_equal_the_local_engine(monkeypatch):
    """The same synthetic scenes under three tiles, each scene lying over one of them: tile13's graphs (built) pick
    its scenes, tile36's (written from tile13's with its rectangle) pick its own, tile14 has none. The northern
    scene-cloud maximum (< 70 %) drops a 72 % scene of each tile (kept south of 55° N)."""
    written = []
    write = templates.TileTemplates.write

    def spy(self, group, region, graphs):
        result = write(self, group, region, graphs)
        if result is not None:
            written.append((region.name, group[0]))
        return result

    monkeypatch.setattr(templates.TileTemplates, "write", spy)
    src = synthetic.sources("S2", 2020)
    src = synthetic.with_bounds(src, {i: _inside("tile13" if i % 2 else "tile36") for i in range(1, 7)})
    src = synthetic.with_properties(src, {3: {"CLOUDY_PIXEL_PERCENTAGE": 72.0}, 4: {"CLOUDY_PIXEL_PERCENTAGE": 72.0}})
    assert winners(src).get(3, 0) >= 10 and winners(src).get(4, 0) >= 10  # south of 55° N they would count

    results = compare.compare_plan("S2", 2020, tiles=NORTH_TILES, src=src)
    for result in results.values():
        assert result.problems() == [], result.summary()
        assert result.region_pixels == 256 and not result.outside_wrong
    exports = {*compare.PRODUCT_KEYS, "QC", "DATE", "PARTITION"}
    assert {key for name, key in written if name == "tile36"} == exports
    assert not any(name == "tile13" for name, _ in written)

    assert results["tile13"].reference.in_period == [1, 5]
    assert chosen_days(results["tile13"]) == {day(src, 1), day(src, 5)}
    assert results["tile36"].reference.in_period == [2, 6]
    assert chosen_days(results["tile36"]) == {day(src, 2), day(src, 6)}
    empty = results["tile14"].maps
    assert (empty["DATE"] == 0).all() and (empty["LAI"] == 255).all()
    assert (empty["QC"] == qc.encode(21, invalid=1)).all()


# --- 6. Sentinel-2 scenes without angle metadata ------------------------------------------------------------------

def test_sentinel2_scenes_without_angle_metadata_are_dropped():
    """A scene without ``MEAN_SOLAR_ZENITH_ANGLE`` and one without ``MEAN_INCIDENCE_ZENITH_ANGLE_B8A`` cannot feed the
    networks: the graph drops both (else reading the missing property fails the whole export), though they would win
    pixels."""
    src = synthetic.sources("S2", 2020)
    assert winners(src).get(2, 0) >= 10 and winners(src).get(4, 0) >= 10
    src = synthetic.with_properties(src, {2: {"MEAN_SOLAR_ZENITH_ANGLE": None},
                                          4: {"MEAN_INCIDENCE_ZENITH_ANGLE_B8A": None}})
    result = compare.compare_with_local("S2", 2020, src=src)
    assert result.problems() == [], result.summary()
    assert result.reference.in_period == [1, 3, 5, 6]
    assert chosen_days(result) == {day(src, i) for i in (1, 3, 5, 6)}
