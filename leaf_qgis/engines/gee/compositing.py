"""Best-pixel compositing: the reference tool's spectral score and ``qualityMosaic``, with its bugs fixed.

For each pixel the scene with the highest score contributes *all* its bands, so the composite's reflectance, angles,
``date``, ``sensor`` and ``flagged`` come from the same acquisition (the date map therefore tells exactly which
acquisition every product pixel comes from).

Score (reflectance in percent, as the reference tool's ``get_score_map``; blue, green, red, NIR, SWIR1, SWIR2):

* vegetation score: ``nir / (blue* + 15/nir)`` with blue* = blue, or SWIR2/4 where blue < 0.1; a haze penalty
  ``10·(blue − SWIR2/4)`` where that difference is in (0, 0.3) and NDVI > 0.8; −1000 where any band < −NDVI;
* non-vegetation score: ``maxIR / (blue* + 35/maxIR)`` with maxIR = max(NIR, SWIR1), blue* = max(blue, 0.7·min(green,
  red)) (0.7·max when either is negative), minus |blue − SWIR1| where SWIR1 < blue; −10000 where any band < 0.5 or
  maxIR < 2;
* water score: ``max(10·maxVIS / (10·maxSWIR + maxVIS), 10·maxVIS / (10·NIR' + maxVIS))`` with maxVIS = max(blue,
  green) (the reference tool passed its arguments in the wrong order and used red), NIR' = NIR, or maxSWIR where
  NIR < 0;
* combined: non-vegetation score; vegetation score where NDVI > 0.5 and NIR > 5 %; then the maximum with the water
  score. Pixels whose score cannot be computed (division by zero) get −10⁶, so a computable scene always wins.

Optional time score (the reference tool computed it and never applied it): ``weight · exp(−|Δdays| / τ)`` added,
Δdays from the middle of the period, τ = ``Sensor.time_scale_days``: 50 days for Sentinel-2 (and HLS S30), 100 for
Landsat (and HLS L30), their revisit ratio. The score's bands are the sensor record's ``score_bands``.

A region and period without any scene composite to the bands above, all masked (:func:`.collections.empty_scene`
is always among the candidates), never to an image without bands that no map could be read from.

Periods are inclusive (:class:`leaf_qgis.core.periods.Period`): full months including the last day and 29 February;
peak season 15 June to 15 September inclusive.
"""

from __future__ import annotations

from typing import Any

from ...core.periods import Period, days_since_epoch
from ...core.scene_cloud import SceneCloudFilter
from ...core.sensors import SCORE_ROLES, Sensor
from .collections import empty_scene, scene_collection
from .mapping import MappedFunctions

NO_SCORE = -1.0e6


def spectral_score(ee: Any, image: Any, sensor: Sensor) -> Any:
    """The reference spectral score of one prepared scene (see the module doc), band ``score``."""
    pct = image.select(list(sensor.score_bands), list(SCORE_ROLES)).multiply(100)
    blu, grn, red, nir, sw1, sw2 = (pct.select(r) for r in SCORE_ROLES)
    ndvi = nir.subtract(red).divide(nir.add(red))
    min_band = pct.reduce(ee.Reducer.min())

    std_blu = blu.where(blu.lt(0.1), sw2.divide(4))
    veg = nir.divide(std_blu.add(ee.Image(15).divide(nir)))
    haze = blu.subtract(sw2.divide(4))
    veg = veg.where(haze.gt(0).And(haze.lt(0.3)).And(ndvi.gt(0.8)), veg.subtract(haze.multiply(10)))
    veg = veg.where(min_band.lt(ndvi.multiply(-1)), -1000)

    low_vis = grn.min(red)
    ref = low_vis.multiply(0.7).where(low_vis.lt(0), grn.max(red).multiply(0.7))
    blu_star = blu.max(ref)
    max_ir = nir.max(sw1)
    nonveg = max_ir.divide(blu_star.add(ee.Image(35).divide(max_ir)))
    nonveg = nonveg.where(sw1.lt(blu), nonveg.subtract(blu.subtract(sw1).abs()))
    nonveg = nonveg.where(min_band.lt(0.5).Or(max_ir.lt(2)), -10000)

    max_vis = blu.max(grn)
    max_sw = sw1.max(sw2)
    nir_w = nir.where(nir.lt(0), max_sw)
    water = (max_vis.multiply(10).divide(max_sw.multiply(10).add(max_vis))
             .max(max_vis.multiply(10).divide(nir_w.multiply(10).add(max_vis))))

    score = nonveg.where(ndvi.gt(0.5).And(nir.gt(5)), veg).max(water)
    return score.unmask(NO_SCORE).rename("score")


def add_score(ee: Any, image: Any, sensor: Sensor, period: Period, time_weight: float) -> Any:
    score = spectral_score(ee, image, sensor)
    if time_weight > 0:
        middle = days_since_epoch(period.middle)
        delta = image.select("date").toFloat().subtract(middle).abs()
        time_score = delta.divide(-sensor.time_scale_days).exp().multiply(time_weight)
        score = score.add(time_score).rename("score")
    return image.addBands(score.toFloat())


def composite(ee: Any, sensor: Sensor, region: Any, period: Period, time_weight: float = 0.0,
              cloud_filter: SceneCloudFilter | None = None, functions: MappedFunctions | None = None) -> Any:
    """The best-pixel mosaic of ``period`` over ``region``: reflectance, angles, date, sensor, flagged, score.
    ``functions``: the mapped functions shared by a plan's composites (:mod:`.mapping`; default: this one's own)."""
    functions = functions or MappedFunctions(ee)
    scenes = scene_collection(ee, sensor, region, period, cloud_filter, functions)
    scored = functions.map(scenes, ("score", sensor, period, time_weight),
                           lambda image: add_score(ee, image, sensor, period, time_weight))
    blank = empty_scene(ee, sensor).addBands(ee.Image.constant(NO_SCORE).toFloat().rename("score").updateMask(0))
    return scored.merge(ee.ImageCollection([blank])).qualityMosaic("score")
