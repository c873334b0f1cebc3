"""The Earth Engine site graph and the local path give the same values for the same acquisitions.

The per-acquisition image of :func:`leaf_qgis.engines.gee.sites.scene_layers` (what the site graph samples and
reduces) is evaluated offline (:mod:`tests.ee_eval`) on every synthetic Sentinel-2 scene of a month, and compared with
the local engine run on that scene alone (its DN, SCL, angles and land cover): the sampling and statistics that follow
are Earth Engine's own reductions of these pixels.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

from leaf_qgis.core import sites
from leaf_qgis.core.encoding import Encoding
from leaf_qgis.core.periods import Period
from leaf_qgis.engines.gee import sites as gee_sites
from tests.ee_eval import compare, synthetic
from tests.ee_eval.evaluator import Evaluator

PRODUCTS = ("LAI", "FCOVER")


@pytest.fixture(scope="module", params=["SL2P", "SL2P-CCRS"])
def evaluated(request):
    from leaf_qgis.engines.gee import collections, landcover
    from leaf_qgis.engines.gee.session import offline_session

    src = synthetic.sentinel2(2020, 7)
    from leaf_qgis.core.networks import load_network_set

    nets = load_network_set("S2", request.param)
    period = Period.month(2020, 7)
    request = sites.make_request([sites.FeatureInput(1, "a", {"type": "Point", "coordinates": [-75.6, 45.3]})],
                                 "S2", period=period, products=PRODUCTS, algorithm=nets.algorithm,
                                 sampling=sites.PIXELS)
    with offline_session() as ee:
        partition = landcover.partition(ee)
        positions = landcover.network_positions(ee, partition, nets)
        region = ee.Geometry(compare.REGION, None, False)
        scenes = collections.scene_collection(ee, request.sensor, region, period)
        layers = scenes.map(lambda s: gee_sites.scene_layers(ee, ee.Image(s), request, nets, None, partition,
                                                             positions, None))
        graph = ee.serializer.encode(layers, for_cloud_api=True)
    evaluator = Evaluator(synthetic.GRID, src.collections, src.images, synthetic.region_mask())
    images = evaluator.evaluate(graph).images
    in_month = [t for t in src.truth if period.first.isoformat() <= _day(t) <= period.last.isoformat()]
    return src, nets, images, in_month


def _day(truth) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(truth.time_start / 1000, timezone.utc).date().isoformat()


def _local(src, nets, truth) -> dict[str, np.ndarray]:
    from osgeo import gdal

    from leaf_qgis.engines.local.angles import AngleRaster
    from leaf_qgis.engines.local.produce import ProduceConfig, produce
    from tests.local_factory import write_raster

    bands = tuple(nets.stack_bands)
    extra = tuple(b for b in compare.RANGE_BANDS["S2"] if b not in bands)  # the range test's other bands (B2, B8)
    dn = np.stack([truth.dn[b] for b in bands + extra]).astype(np.uint16)
    a = truth.angles_deg
    angles = np.stack([a["SZA"], a["VZA"], np.mod(a["SAA"] - a["VAA"], 360.0)]).astype(np.float32)
    with tempfile.TemporaryDirectory(prefix="sites_eval_") as tmp:
        folder = Path(tmp)
        paths = {"dn": write_raster(folder / "dn.tif", dn), "angles": write_raster(folder / "angles.tif", angles),
                 "scl": write_raster(folder / "scl.tif", truth.qa["SCL"].astype(np.uint8)),
                 "lc": write_raster(folder / "lc.tif", compare.reference_partition(src))}
        outputs = {k: str(folder / f"{k}.tif") for k in (*PRODUCTS, "QC")}
        scale, offset = compare.SCALE["S2"]
        produce(ProduceConfig(paths["dn"], "S2", outputs, AngleRaster(paths["angles"]), scale=scale, offset=offset,
                              bands=tuple(range(1, len(bands) + 1)),
                              range_bands={b: len(bands) + k for k, b in enumerate(extra, 1)}, products=PRODUCTS,
                              encoding=Encoding.FLOAT32, algorithm=nets.algorithm,
                              landcover_path=paths["lc"], scl_path=paths["scl"], threads=1), network_set=nets)
        return {k: gdal.Open(p).ReadAsArray() for k, p in outputs.items()}


#: Float32 estimates (``Encoding.FLOAT32``) may differ by this much: the graph's network layers are matrix products
#: (evaluated in float64, then rounded) and the local engine's float32 BLAS sums in another order; measured up to
#: 2.4e-6 (a few units in the last place of LAI ≈ 8), far below the LEAF encoding's steps (0.05 LAI, 0.004 FCOVER).
FLOAT_TOLERANCE = 1e-5


def test_every_acquisition_matches_the_local_engine(evaluated):
    src, nets, images, in_month = evaluated
    assert len(images) == len(in_month) >= 3  # the scenes before and after the month are not sampled
    region = synthetic.region_mask()
    compared = equal = same_mask = same_qc = pixels = 0
    for image, truth in zip(images, in_month):
        local = _local(src, nets, truth)
        for key in PRODUCTS:
            band = image.band(key)
            both = band.mask & np.isfinite(local[key]) & region
            compared += int(both.sum())
            equal += int((np.abs(band.values[both] - local[key][both]) <= FLOAT_TOLERANCE).sum())
            same_mask += int(((band.mask & region) == (np.isfinite(local[key]) & region)).sum())
            pixels += int(region.size)
        same_qc += int(((image.band("QC").values.astype(int) == local["QC"].astype(int)) & region).sum())
    figures = (f"{nets.algorithm}: values equal on {equal}/{compared} pixels, same estimate mask on "
               f"{same_mask}/{pixels}, same QC on {same_qc}/{int(region.sum()) * len(images)}")
    assert compared > 1000
    assert equal == compared and same_mask == pixels, figures
    assert same_qc == int(region.sum()) * len(images), figures
