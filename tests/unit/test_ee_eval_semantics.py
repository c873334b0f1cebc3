"""The offline graph evaluator (tests/ee_eval) on tiny graphs built with the real ``ee`` client: each function's
documented semantics, checked against numpy, and every function the plugin's graphs use is implemented."""

from __future__ import annotations

import json

import numpy as np
import pytest

from leaf_qgis.core.periods import Period
from leaf_qgis.engines.gee import plan as gee_plan
from leaf_qgis.engines.gee import request as rq
from leaf_qgis.engines.gee.session import offline_session
from tests.ee_eval import evaluator
from tests.ee_eval import signatures as validate
from tests.ee_eval.compare import REGION

SHAPE = (2, 3)


@pytest.fixture(scope="module")
def ee():
    with offline_session() as module:
        yield module


def scene(bands: dict, masks: dict | None = None, dtypes: dict | None = None, **props) -> evaluator.Scene:
    return evaluator.Scene({k: np.asarray(v) for k, v in bands.items()}, props, dtypes or {},
                   {k: np.asarray(v, dtype=bool) for k, v in (masks or {}).items()})


def run(ee, obj, images=None, collections=None, region=None):
    graph = ee.serializer.encode(obj, for_cloud_api=True)
    ev = evaluator.Evaluator(SHAPE, collections or {}, images or {}, region)
    return ev.evaluate(json.loads(json.dumps(graph))), ev


A = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
MASK_A = np.array([[True, True, False], [True, True, True]])
B = np.array([[10.0, 20.0, 30.0], [0.0, 50.0, 60.0]])
MASK_B = np.array([[True, False, True], [True, True, True]])


@pytest.fixture
def ab():
    return {"A": scene({"a": A}, {"a": MASK_A}), "B": scene({"b": B}, {"b": MASK_B})}


def test_binary_operations_and_their_mask(ee, ab):
    img, _ = run(ee, ee.Image("A").add(ee.Image("B")), ab)
    band = img.bands[0]
    assert img.names == ["a"]
    np.testing.assert_array_equal(band.mask, MASK_A & MASK_B)
    np.testing.assert_array_equal(band.values[band.mask], (A + B)[MASK_A & MASK_B])
    img, _ = run(ee, ee.Image("A").divide(ee.Image("B")), ab)
    assert img.bands[0].values[1, 0] == 0  # 4 / 0 → 0, documented
    img, _ = run(ee, ee.Image("A").gt(2).And(ee.Image("B").lt(55)), ab)
    np.testing.assert_array_equal(img.bands[0].values, [[0, 0, 1], [1, 1, 0]])
    np.testing.assert_array_equal(img.bands[0].mask, MASK_A & MASK_B)


def test_one_band_against_many_and_names(ee, ab):
    both = ee.Image("A").addBands(ee.Image("B"))
    img, _ = run(ee, ee.Image(2).multiply(both), ab)
    assert img.names == ["a", "b"]
    np.testing.assert_array_equal(img.bands[1].values, 2 * B)
    img, _ = run(ee, ee.Image(0).addBands(ee.Image(1)), ab)
    assert img.names == ["constant", "constant_1"]


def test_mod_is_truncated_like_fmod(ee):
    img, _ = run(ee, ee.Image(-7).mod(3).addBands(ee.Image(7.5).mod(-2)).addBands(ee.Image(-0.3).mod(1)))
    assert [float(b.values[0, 0]) for b in img.bands] == [-1.0, 1.5, pytest.approx(-0.3)]


def test_where_replaces_only_where_test_value_and_input_are_unmasked(ee, ab):
    test = ee.Image("B").gt(15)  # masked at (0, 1)
    img, _ = run(ee, ee.Image("A").where(test, ee.Image("B")), ab)
    band = img.bands[0]
    np.testing.assert_array_equal(band.mask, MASK_A)  # input mask kept
    expected = np.where((B > 15) & MASK_B & MASK_A, B, A)
    np.testing.assert_array_equal(band.values[MASK_A], expected[MASK_A])
    assert band.values[0, 1] == -2.0  # test masked → input


def test_unmask_and_update_mask(ee, ab):
    img, _ = run(ee, ee.Image("A").unmask(99), ab)
    assert img.bands[0].mask.all() and img.bands[0].values[0, 2] == 99
    img, _ = run(ee, ee.Image("A").unmask(), ab)
    assert img.bands[0].values[0, 2] == 0
    img, _ = run(ee, ee.Image("A").unmask(ee.Image("B")), ab)
    assert img.bands[0].values[0, 2] == 30 and img.bands[0].mask[0, 2]
    img, _ = run(ee, ee.Image("A").updateMask(ee.Image("B").gt(25)), ab)
    np.testing.assert_array_equal(img.bands[0].mask, MASK_A & MASK_B & (B > 25))
    region = np.array([[True, True, True], [False, True, True]])
    clipped = ee.Image("A").clip(ee.Geometry(REGION, None, False))
    img, _ = run(ee, clipped.unmask(7), ab, region=region)
    assert not img.bands[0].mask[1, 0] and img.bands[0].values[0, 2] == 7  # sameFootprint: outside stays masked
    img, _ = run(ee, clipped.unmask(7, False), ab, region=region)
    assert img.bands[0].mask[1, 0] and img.bands[0].values[1, 0] == 7
    img, _ = run(ee, ee.Image("A").mask(), ab)
    np.testing.assert_array_equal(img.bands[0].values, MASK_A.astype(float))
    assert img.bands[0].mask.all()


def test_normalized_difference_masks_negative_inputs(ee, ab):
    img, _ = run(ee, ee.Image("A").addBands(ee.Image("B")).normalizedDifference(["b", "a"]), ab)
    band = img.bands[0]
    assert img.names == ["nd"]
    expected_mask = MASK_A & MASK_B & (A >= 0) & (B >= 0)
    np.testing.assert_array_equal(band.mask, expected_mask)
    assert not band.mask[0, 1] and not band.mask[1, 2]  # a = −2 and a = −6: masked, as documented
    np.testing.assert_allclose(band.values[expected_mask], ((B - A) / (B + A))[expected_mask], rtol=1e-6)


def test_integer_casts_clamp_and_truncate(ee):
    values = [300, -5.7, 3.9, -3.9, 70000]
    img, _ = run(ee, ee.Image(values[0]).toUint8().addBands(ee.Image(values[1]).toUint8())
                 .addBands(ee.Image(values[2]).toInt32()).addBands(ee.Image(values[3]).toInt32())
                 .addBands(ee.Image(values[4]).toUint16()))
    assert [int(b.values[0, 0]) for b in img.bands] == [255, 0, 3, -3, 65535]
    img, _ = run(ee, ee.Image(0.1).toFloat())
    assert img.bands[0].values[0, 0] == float(np.float32(0.1))


def test_bits(ee):
    img, _ = run(ee, ee.Image(0b10110).toUint16().bitwiseAnd(ee.Number(0b00110)).neq(0)
                 .addBands(ee.Image(5).toUint8().leftShift(3).bitwiseOr(ee.Image(1).toUint8().leftShift(2))))
    assert [int(b.values[0, 0]) for b in img.bands] == [1, 44]
    with pytest.raises(evaluator.GraphError, match="bitwise operation on float"):
        run(ee, ee.Image(1.5).bitwiseAnd(1))


def test_remap_masks_unlisted_values_without_default(ee, ab):
    classes = {"C": scene({"c": np.array([[1, 2, 3], [4, 0, 2]])})}
    img, _ = run(ee, ee.Image("C").remap([1, 2], [10, 20]), classes)
    assert img.names == ["remapped"]
    np.testing.assert_array_equal(img.bands[0].mask, [[True, True, False], [False, False, True]])
    img, _ = run(ee, ee.Image("C").remap([1, 2], [10, 20], 0), classes)
    np.testing.assert_array_equal(img.bands[0].values, [[10, 20, 0], [0, 0, 20]])


def test_reduce_across_bands(ee, ab):
    img, _ = run(ee, ee.Image("A").addBands(ee.Image("B")).reduce(ee.Reducer.min()), ab)
    band = img.bands[0]
    np.testing.assert_array_equal(band.values, [[1, -2, 30], [0, 5, -6]])  # masked bands ignored


def test_quality_mosaic_takes_every_band_of_the_best_unmasked_scene(ee):
    q1 = np.array([[1.0, 5.0, 2.0], [3.0, 3.0, 0.0]])
    q2 = np.array([[2.0, 4.0, 9.0], [3.0, 1.0, 0.0]])
    m2 = np.array([[True, True, False], [True, True, True]])
    scenes = [scene({"q": q1, "v": np.full(SHAPE, 10.0)}, {"v": np.array([[1, 1, 1], [1, 0, 1]])}),
              scene({"q": q2, "v": np.full(SHAPE, 20.0)}, {"q": m2})]
    img, _ = run(ee, ee.ImageCollection("X").qualityMosaic("q"), collections={"X": scenes})
    v = img.band("v")
    # (0,0) q2 wins; (0,1) q1; (0,2) q2 masked → q1; (1,0) tie → first; (1,1) q1 whose v is masked; (1,2) tie.
    np.testing.assert_array_equal(v.values, [[20, 10, 10], [10, 10, 10]])
    np.testing.assert_array_equal(v.mask, [[True, True, True], [True, False, True]])
    np.testing.assert_array_equal(img.band("q").values, [[2, 5, 2], [3, 3, 0]])


def test_mosaic_last_wins_and_refuses_different_names(ee, ab):
    img, _ = run(ee, ee.ImageCollection.fromImages([ee.Image("A"), ee.Image("B").rename("a")]).mosaic(), ab)
    np.testing.assert_array_equal(img.bands[0].values, np.where(MASK_B, B, A))
    with pytest.raises(evaluator.GraphError, match="different band names"):
        run(ee, ee.ImageCollection.fromImages([ee.Image("A"), ee.Image("B")]).mosaic(), ab)


def test_array_reshape_requires_a_one_band_array_lengths_image(ee):
    flat = ee.Image([0, 1, 2, 3, 4, 5]).toArray()
    img, _ = run(ee, flat.arrayReshape(ee.Image([2, 3]).toArray(), 2))
    assert img.bands[0].values.shape == (*SHAPE, 2, 3)
    np.testing.assert_array_equal(img.bands[0].values[1, 2], [[0, 1, 2], [3, 4, 5]])  # row by row (documented)
    img, _ = run(ee, flat.arrayReshape(ee.Image([-1]).toArray(), 1))
    assert img.bands[0].values.shape == (*SHAPE, 6)
    with pytest.raises(evaluator.GraphError, match="1-band image holding a 1-D array"):
        run(ee, flat.arrayReshape(ee.Image.constant([2, 3]).toInt32(), 2))


def test_array_toarray_matrix_multiply_reduce_and_get(ee, ab):
    x = ee.Image("A").unmask(0).addBands(ee.Image("B").unmask(0)).toArray().toArray(1)  # 2×1 per pixel
    m = ee.Image.constant(ee.ApiFunction.call_("Array", ee.String("[[1,2],[3,4],[5,6]]").decodeJSON()))
    product = m.matrixMultiply(x)  # 3×1
    img, _ = run(ee, product, ab)
    np.testing.assert_allclose(img.bands[0].values[1, 1], [[1 * 5 + 2 * 50], [3 * 5 + 4 * 50], [5 * 5 + 6 * 50]])
    summed, _ = run(ee, product.arrayReduce(ee.Reducer.sum(), [0]), ab)
    assert summed.bands[0].values.shape == (*SHAPE, 1, 1)
    position = ee.Image.constant(2).toInt32().addBands(ee.Image.constant(0).toInt32())
    got, _ = run(ee, product.arrayGet(position), ab)
    np.testing.assert_allclose(got.bands[0].values, 5 * np.where(MASK_A, A, 0) + 6 * np.where(MASK_B, B, 0))
    out, _ = run(ee, product.arrayGet(ee.Image.constant(3).toInt32().addBands(ee.Image.constant(0).toInt32())), ab)
    assert not out.bands[0].mask.any()  # out of range → masked
    with pytest.raises(evaluator.GraphError, match="position bands"):
        run(ee, product.arrayGet(ee.Image.constant(0).toInt32()), ab)
    with pytest.raises(evaluator.GraphError, match="do not chain"):
        run(ee, x.matrixMultiply(m), ab)


def test_collections_filters_map_and_properties(ee):
    day = 86_400_000
    scenes = [scene({"v": np.full(SHAPE, float(i))}, **{"system:time_start": (18_000 + i) * day, "SZA": 10.0 * i})
              for i in range(4)]
    col = (ee.ImageCollection("X").filterDate("2019-04-15", "2019-04-17")
           .filter(ee.Filter.gt("SZA", 0))
           .map(lambda im: im.addBands(ee.Image.constant(ee.Number(im.get("SZA")).divide(10)).rename("k"))))
    img, _ = run(ee, col.qualityMosaic("v"), collections={"X": scenes})
    # 18_000 days = 2019-04-14: kept are days 18_001 and 18_002 (the end is exclusive), SZA > 0 for both.
    assert img.band("v").values[0, 0] == 2 and img.band("k").values[0, 0] == 2
    with pytest.raises(evaluator.GraphError, match="property 'MISSING' is not set"):
        run(ee, ee.ImageCollection("X").map(lambda im: ee.Image.constant(ee.Number(im.get("MISSING")))).mosaic(),
            collections={"X": scenes})


def test_filter_bounds_keeps_scenes_whose_footprint_meets_the_region(ee):
    region = np.array([[True, True, False], [True, True, False]])
    inside = scene({"v": np.full(SHAPE, 1.0)})
    outside = scene({"v": np.full(SHAPE, 2.0)})
    outside.footprint = ~region
    edge = scene({"v": np.full(SHAPE, 3.0)})
    edge.footprint = np.array([[False, True, True], [False, False, False]])
    col = ee.ImageCollection("X").filterBounds(ee.Geometry(REGION, None, False))
    img, _ = run(ee, col.mosaic(), collections={"X": [inside, outside, edge]}, region=region)
    np.testing.assert_array_equal(img.bands[0].values, [[1, 3, 3], [1, 1, 1]])  # the "outside" scene dropped
    np.testing.assert_array_equal(img.bands[0].mask, [[True, True, True], [True, True, True]])


def test_filter_bounds_by_a_rectangle_keeps_scenes_whose_ground_bounds_meet_it(ee):
    """A tile's region is a rectangle in the grid CRS; scenes with ground bounds are kept where they meet it (edges
    touching count), whatever the pixel grid."""
    scenes = []
    for value, box in ((1.0, (0, 0, 100, 100)), (2.0, (150, 0, 250, 100)), (3.0, (100, 100, 200, 200))):
        s = scene({"v": np.full(SHAPE, value)})
        s.bounds = box
        scenes.append(s)
    col = ee.ImageCollection("X").filterBounds(ee.Geometry.Rectangle([-50, -50, 100, 100], "EPSG:3979", False))
    img, _ = run(ee, col.mosaic(), collections={"X": scenes})
    assert (img.bands[0].values == 3).all()  # scenes 1 and 3 kept (3 touches the corner), the last one wins
    kept = ee.ImageCollection("X").filterBounds(ee.Geometry.Rectangle([160, 10, 170, 20], "EPSG:3979", False))
    img, _ = run(ee, kept.mosaic(), collections={"X": scenes})
    assert (img.bands[0].values == 2).all()
    with pytest.raises(evaluator.GraphError, match="in EPSG:4326 against scene bounds in EPSG:3979"):
        run(ee, ee.ImageCollection("X").filterBounds(ee.Geometry.Rectangle([0, 0, 1, 1], "EPSG:4326", False)).mosaic(),
            collections={"X": scenes})
    with pytest.raises(evaluator.GraphError, match="only a rectangle"):
        run(ee, ee.ImageCollection("X").filterBounds(ee.Geometry(REGION, None, False)).mosaic(),
            collections={"X": scenes})


def test_lte_is_not_greater_than_so_only_not_null_drops_scenes_without_the_property(ee):
    """The client writes ``ee.Filter.lte`` as ``Filter.gt(…).Not()``: a scene without the property passes it (a
    filter on a missing property does not match, its negation does); ``Filter.notNull`` drops it."""
    scenes = [scene({"v": np.full(SHAPE, 1.0)}, CLOUD=30.0), scene({"v": np.full(SHAPE, 2.0)}, CLOUD=30.5),
              scene({"v": np.full(SHAPE, 3.0)})]
    lte = ee.ImageCollection("X").filter(ee.Filter.lte("CLOUD", 30))
    img, _ = run(ee, lte.mosaic(), collections={"X": scenes})
    assert (img.bands[0].values == 3).all()  # the scene without CLOUD passed
    both = ee.ImageCollection("X").filter(ee.Filter.And(ee.Filter.notNull(["CLOUD"]), ee.Filter.lte("CLOUD", 30)))
    img, _ = run(ee, both.mosaic(), collections={"X": scenes})
    assert (img.bands[0].values == 1).all()
    lt = ee.ImageCollection("X").filter(ee.Filter.lt("CLOUD", 31))
    img, _ = run(ee, lt.mosaic(), collections={"X": scenes})
    assert (img.bands[0].values == 2).all()


def test_float32_results_are_rounded_to_float32(ee):
    """A float32 band times an integer is float32: 10 · float32(0.3) is 3.0000001192… in float64 but 3.0 in float32,
    so its ceiling is 3 (the domain code's digit), as the local engine computes it."""
    a = {"A": scene({"a": np.full(SHAPE, 0.3)})}
    img, _ = run(ee, ee.Image("A").toFloat().multiply(10).ceil(), a)
    assert img.bands[0].dtype == "float32" and (img.bands[0].values == 3).all()
    img, _ = run(ee, ee.Image("A").toDouble().multiply(10).ceil(), a)
    assert (img.bands[0].values == 3).all()  # float64(0.3) · 10 = 3.0000000000000004 … rounds to 3.0 as well
    img, _ = run(ee, ee.Image("A").toFloat().toDouble().multiply(10).ceil(), a)
    assert img.bands[0].dtype == "float64" and (img.bands[0].values == 4).all()


def test_join_save_first_by_system_index(ee):
    """The join the Landsat angles need: each surface-reflectance scene gets its TOA scene's per-pixel bands."""
    sr = [scene({"v": np.full(SHAPE, float(i))}, **{"system:index": f"S{i}"}) for i in range(3)]
    toa = [scene({"VZA": np.full(SHAPE, 100 * i)}, **{"system:index": f"S{i}"}) for i in (2, 0)]
    joined = ee.Join.saveFirst("toa").apply(ee.ImageCollection("SR"), ee.ImageCollection("TOA"),
                                            ee.Filter.equals(leftField="system:index", rightField="system:index"))
    with_angles = ee.ImageCollection(joined).map(
        lambda im: im.addBands(ee.Image(im.get("toa")).select("VZA").divide(100)))
    img, _ = run(ee, with_angles.qualityMosaic("v"), collections={"SR": sr, "TOA": toa})
    assert img.band("v").values[0, 0] == 2 and img.band("VZA").values[0, 0] == 2  # S1 (no TOA) dropped
    first = with_angles.filter(ee.Filter.eq("system:index", "S0")).mosaic()
    img, _ = run(ee, first, collections={"SR": sr, "TOA": toa})
    assert img.band("VZA").values[0, 0] == 0


def test_unknown_function_and_source_raise():
    graph = {"result": "0", "values": {"0": {"functionInvocationValue": {"functionName": "Image.fancyNewThing",
                                                                         "arguments": {}}}}}
    with pytest.raises(evaluator.GraphError, match="not implemented"):
        evaluator.Evaluator(SHAPE).evaluate(graph)
    load = {"result": "0", "values": {"0": {"functionInvocationValue": {
        "functionName": "Image.load", "arguments": {"id": {"constantValue": "NOPE"}}}}}}
    with pytest.raises(evaluator.GraphError, match="no synthetic image"):
        evaluator.Evaluator(SHAPE).evaluate(load)


@pytest.mark.parametrize("sensor,year", [("S2", 2020), ("S2", 2023), ("L5", 2005), ("L7", 2010), ("L8", 2020),
                                         ("L9", 2022)])
def test_every_function_of_the_plugin_graphs_is_implemented(sensor, year):
    region = rq.custom_region("synthetic", REGION)
    request = rq.make_request([region], sensor, [Period.month(year, 7)],
                              ["LAI", "FCOVER", "FAPAR", "ALBEDO", "DATE", "PARTITION"], 30)
    plan = gee_plan.build_plan(request)
    used = set().union(*(validate.functions_used(gee_plan.task_expression(plan, i))
                         for i in range(len(plan["exports"]))))
    missing = sorted(name for name in used if not evaluator.implemented(name))
    assert missing == [], f"functions the evaluator does not implement: {missing}"
