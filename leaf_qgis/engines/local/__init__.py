"""The local engine: the SL2P networks evaluated with numpy on rasters read and written block by block with GDAL.

Modules:

* :mod:`leaf_qgis.rasters.raster_io` (its own floor, shared with the direct download, the styling and decode_qc) —
  opening inputs, grid checks, block windows, and the atomic, tiled, compressed GeoTIFF outputs;
* :mod:`.angles` — sun/view geometry as constants, an angle raster, or a coarse grid, turned into the cosines the
  networks take;
* :mod:`.sentinel2_safe` — a Sentinel-2 L2A ``.SAFE`` folder or ``.zip`` as a ready band stack, scene-class mask,
  BOA offset and granule angles;
* :mod:`.produce` — the engine itself (:func:`~.produce.produce` on a :class:`~.produce.ProduceConfig`);
* :mod:`.sample` — the deterministic synthetic sample scene used by ``make demo`` and the tests.

Nothing here imports ``qgis``; progress and cancellation come in through a small protocol (:class:`.produce.Progress`).
"""
