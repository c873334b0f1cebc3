"""Direct download for small areas: the plan's images fetched with ``computePixels`` in pieces, merged into one
GeoTIFF per map.

Why: for a study site of a few kilometres an export task, a Drive folder and a manual download are three steps too
many. ``image:computePixels`` answers synchronously but refuses requests above ~48 MiB (and 32 768 pixels a side),
so each map is cut into tile-aligned windows below that size, fetched one after the other (retried on 429 / 5xx /
dropped connections) and written into a tiled, DEFLATE-compressed GeoTIFF with the LEAF scale and nodata — the same
writer as the local engine (:class:`leaf_qgis.rasters.raster_io.OutputSet`): a temporary file renamed into
place after the last window, so a failure or a cancel never leaves a file that looks complete.

The image fetched is the plan's graph (:func:`.plan.task_expression`, checked against the SHA-256 the plan stores for
it: the plan is trusted, not re-encoded) decoded with ``ee.deserializer``, on the pixel grid of the plan's
``crs_transform`` (the CCRS lattice) over the region's bounds. The grid covers the region's bounding box, and the
plan's image is clipped to the region: what lies outside the clip is masked, and a GeoTIFF answer has no mask, so the
fetched image is the plan's image with ``unmask(nodata, False)`` on top — outside the region every map reads its
nodata value (255 for products, 0 for QC, Date, Partition), never DN 0 = LAI 0.

Why a run resumes: an interrupted download (a dropped connection, a killed QGIS) is run again as is. Maps already
complete are kept, after checking them (:func:`is_complete`: the same grid, the same plan expression — a hash kept
in the file's metadata — and every block readable); the temporary files a killed run left (``<name>.partial-*.tif``,
the local writer's pattern, for this plan's names only) are removed first, so no orphan stays behind.
"""

from __future__ import annotations

import json
import math
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...core.encoding import Encoding
from ...core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError
from .plan import PlanEntry, task_expression
from .session import translate_error, with_retries

MAX_REQUEST_BYTES = 48 * 1024 * 1024
"""computePixels answers at most 50 331 648 bytes (uncompressed)."""
MAX_SIDE = 32768
"""computePixels refuses wider or taller requests."""
MAX_DIRECT_PIXELS = 100_000_000
"""Largest map fetched directly (e.g. 100 km × 100 km at 10 m); larger areas go through export tasks."""
DATA_TYPES = {"uint8": 1, "uint16": 2}
EXPRESSION_TAG = "LEAF_EXPRESSION_SHA256"
"""Metadata item: hash of the plan expression a map was fetched from (a later run keeps the map only if it matches)."""
TOO_LARGE = QT_TRANSLATE_NOOP(
    "leaf",
    "{name} is {width} × {height} pixels ({mpx:.0f} million), more than the {limit:.0f} million a direct download "
    "handles. Choose a smaller area or a coarser resolution, or the Drive or Cloud Storage destination.",
)


@dataclass
class Piece:
    """A window of the output grid, in pixels."""

    xoff: int
    yoff: int
    xsize: int
    ysize: int


def output_grid(entry: dict[str, Any]) -> Any:
    """The :class:`raster_io.Grid` of a plan entry: its ``crs_transform`` lattice over its region's bounds (the same
    extent the export of the entry writes, :func:`.exports.lattice_bounds`)."""
    from osgeo import osr

    from ...rasters.raster_io import Grid
    from .exports import lattice_bounds

    res, _, _, _, neg_res, _ = entry["crs_transform"]
    xmin, ymin, xmax, ymax = lattice_bounds(entry["region"], entry.get("region_crs", entry["crs"]), entry["crs"],
                                            entry["crs_transform"])
    target = osr.SpatialReference()
    target.SetFromUserInput(entry["crs"])
    width, height = round((xmax - xmin) / res), round((ymax - ymin) / res)
    return Grid(width, height, (xmin, res, 0.0, ymax, 0.0, neg_res), target.ExportToWkt())


def check_sizes(plan: dict[str, Any], limit: int = MAX_DIRECT_PIXELS, grids: list[Any] | None = None) -> None:
    """Refuse before any request when a map is too large to fetch directly (``grids``: the exports' grids, when the
    caller has them already)."""
    grids = grids if grids is not None else [output_grid(entry) for entry in plan["exports"]]
    for entry, grid in zip(plan["exports"], grids):
        if grid.pixels > limit:
            raise LeafError(TOO_LARGE, name=entry["file_name"], width=grid.width, height=grid.height,
                            mpx=grid.pixels / 1e6, limit=limit / 1e6)


def pieces(width: int, height: int, bytes_per_pixel: int, max_bytes: int = MAX_REQUEST_BYTES,
           align: int = 256) -> list[Piece]:
    """Windows covering the grid, each below ``max_bytes`` and :data:`MAX_SIDE`, aligned on ``align`` pixels."""
    side = int(math.sqrt(max_bytes / max(bytes_per_pixel, 1)))
    side = min(MAX_SIDE, max(align, side // align * align)) if side >= align else max(1, side)
    return [Piece(x, y, min(side, width - x), min(side, height - y))
            for y in range(0, height, side) for x in range(0, width, side)]


def _decode(ee: Any, plan: dict[str, Any], index: int) -> Any:
    """The plan's image of task ``index`` (its graph checked against the plan's hash), with its masked pixels (outside
    the region) set to the map's nodata value (see the module doc)."""
    expression = json.loads(task_expression(plan, index))
    image = ee.Image(ee.deserializer.decodeCloudApi(expression))
    return image.unmask(int(plan["exports"][index]["nodata"]), False)


def fetch_piece(ee: Any, image: Any, grid: Any, piece: Piece, crs: str, **retry: Any) -> Any:
    """One window as a numpy array (``ysize × xsize``), fetched with ``computePixels`` as a GeoTIFF."""
    from osgeo import gdal

    x0, res, _, y0, _, neg_res = grid.geotransform
    params = {
        "expression": image, "fileFormat": "GEO_TIFF",
        "grid": {"dimensions": {"width": piece.xsize, "height": piece.ysize},
                 "affineTransform": {"scaleX": res, "shearX": 0.0, "translateX": x0 + piece.xoff * res,
                                     "shearY": 0.0, "scaleY": neg_res, "translateY": y0 + piece.yoff * neg_res},
                 "crsCode": crs},
    }
    # (waited for up to COMPUTE_TIMEOUT_SECONDS: the session's transport gives every computing method that timeout)
    data = with_retries(lambda: ee.data.computePixels(params), **retry)
    path = f"/vsimem/leaf_direct_{uuid.uuid4().hex}.tif"
    gdal.FileFromMemBuffer(path, bytes(data))
    try:
        dataset = gdal.Open(path)
        if dataset is None or (dataset.RasterXSize, dataset.RasterYSize) != (piece.xsize, piece.ysize):
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Earth Engine answered a piece of an unexpected size or format; retry the download."))
        array = dataset.GetRasterBand(1).ReadAsArray()
        dataset = None
        return array
    finally:
        gdal.Unlink(path)


def expression_digest(entry: dict[str, Any]) -> str:
    """The hash stored in each map (:data:`EXPRESSION_TAG`): the SHA-256 of the plan graph it comes from."""
    return PlanEntry.from_json(entry).expression_sha256


def remove_orphans(folder: str | os.PathLike, stems: set[str]) -> list[str]:
    """Delete the temporary files an interrupted run left for these map names (and only those); returns their
    names."""
    from ...rasters.raster_io import PARTIAL_PATTERN  # the OutputSet's own temporary names (GDAL: imported late)

    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in sorted(names):
        match = PARTIAL_PATTERN.match(name)
        if match and match["stem"] in stems and match["extension"] == ".tif":
            try:
                os.remove(os.path.join(folder, name))
            except OSError:
                continue
            removed.append(name)
    return removed


def is_complete(path: str, entry: dict[str, Any], grid: Any) -> bool:
    """True when ``path`` is the map ``entry`` describes, whole: fetched from the same expression on the same grid,
    and every block reads back without error (a truncated or damaged file does not)."""
    from osgeo import gdal

    from ...rasters.raster_io import quiet_gdal

    if not os.path.isfile(path):
        return False
    with quiet_gdal():
        dataset = gdal.Open(path)
        if dataset is None or dataset.RasterCount != 1:
            return False
        if (dataset.RasterXSize, dataset.RasterYSize) != (grid.width, grid.height):
            return False
        if any(abs(a - b) > 1e-6 for a, b in zip(dataset.GetGeoTransform(), grid.geotransform)):
            return False
        metadata = dataset.GetMetadata() or {}
        if metadata.get(EXPRESSION_TAG) != expression_digest(entry) or \
                metadata.get("LEAF_DESCRIPTION") != entry["description"]:
            return False
        gdal.ErrorReset()
        dataset.GetRasterBand(1).Checksum()
        return gdal.GetLastErrorType() < gdal.CE_Failure


def download_plan(ee: Any, plan: dict[str, Any], folder: str | os.PathLike | None = None, *,
                  progress: Callable[[int, int], bool] | None = None, max_bytes: int | None = None,
                  cancelled: Callable[[], bool] | None = None, **retry: Any) -> dict[str, str]:
    """Fetch every map of ``plan`` (one GeoTIFF per export) into ``folder``, or where the plan's download destination
    says; returns description → path.

    ``progress(done, total)`` counts pieces over all maps; returning False stops with
    :class:`~leaf_qgis.core.errors.Cancelled` naming the maps already finished, which stay (nothing of the current map
    is left behind); ``cancelled()`` → True does the same at once, even while a piece is computed on the server
    (:func:`.session.interruptible`). Maps already complete from an earlier run are kept (not fetched
    again) and the orphans of a killed run are removed (see the module doc).
    """
    retry = {**retry, "cancelled": cancelled}
    exports = plan["exports"]
    grids = [output_grid(entry) for entry in exports]
    check_sizes(plan, grids=grids)
    max_bytes = max_bytes or MAX_REQUEST_BYTES  # read now: a test or script may lower it
    parts = [pieces(g.width, g.height, DATA_TYPES.get(e.get("data_type", "uint8"), 1), max_bytes)
             for e, g in zip(exports, grids)]
    counter = [0, sum(len(p) for p in parts)]
    paths = {e["description"]: _target(e, folder) for e in exports}
    _prepare(paths)
    results: dict[str, str] = {}
    for index, (entry, grid) in enumerate(zip(exports, grids)):
        key = entry["description"]
        if is_complete(paths[key], entry, grid):
            results[key] = os.path.abspath(paths[key])
            counter[0] += len(parts[index])
            continue
        try:
            results[key] = _fetch_map(ee, plan, index, paths[key], grid, parts[index], counter, progress, retry)
        except Cancelled:
            raise Cancelled(list(results.values())) from None
    if progress is not None:
        progress(counter[1], counter[1])
    return results


def _target(entry: dict[str, Any], folder: str | os.PathLike | None) -> str:
    """Where a map goes: in ``folder`` when given, else the path of the plan's download destination."""
    destination = entry.get("destination") or {}
    if folder is None and destination.get("type") == "download" and destination.get("path"):
        return str(destination["path"])
    return os.path.join(os.fspath(folder or ""), entry["file_name"])


def _prepare(paths: dict[str, str]) -> None:
    """Refuse unusable paths before any request, and remove what a killed run of these maps left."""
    from ...rasters import raster_io

    raster_io.check_destinations(paths, [])
    for where in {os.path.dirname(os.path.abspath(p)) for p in paths.values()}:
        remove_orphans(where, {os.path.splitext(os.path.basename(p))[0] for p in paths.values()})


def _output_spec(plan: dict[str, Any], entry: dict[str, Any], path: str) -> Any:
    """The local writer's description of one map: type, nodata, scale and the LEAF metadata."""
    from osgeo import gdal

    from ...rasters import raster_io

    key, dtype, scale = entry["description"], entry.get("data_type", "uint8"), entry.get("value_scale")
    metadata = {"LEAF_SENSOR": (plan.get("request") or {}).get("sensor", ""), "LEAF_ENCODING": Encoding.LEAF.value,
                "LEAF_PRODUCT": entry.get("key", ""),
                "LEAF_LAYER": "qc" if entry.get("key") == "QC" else "estimate" if scale is not None else "map",
                "LEAF_SOURCE": "Google Earth Engine computePixels", "LEAF_DESCRIPTION": key,
                EXPRESSION_TAG: expression_digest(entry)}
    return raster_io.OutputSpec(
        key, path, gdal.GDT_UInt16 if dtype == "uint16" else gdal.GDT_Byte, float(entry["nodata"]), scale,
        0.0 if scale is not None else None, entry.get("key", ""), metadata,
        predictor=2 if scale is not None or entry.get("key") == "DATE" else 1)


def _fetch_map(ee: Any, plan: dict[str, Any], index: int, path: str, grid: Any, parts: list[Piece],
               counter: list[int], progress: Callable[[int, int], bool] | None, retry: dict[str, Any]) -> str:
    """Fetch one map piece by piece into a temporary file renamed into place at the end; ``counter`` is
    [pieces done, pieces in all]."""
    import numpy as np

    from ...rasters import raster_io

    entry = plan["exports"][index]
    key = entry["description"]
    numpy_type = np.uint16 if entry.get("data_type", "uint8") == "uint16" else np.uint8
    image = _decode(ee, plan, index)
    with raster_io.OutputSet([_output_spec(plan, entry, path)], grid) as output:
        for piece in parts:
            if progress is not None and progress(counter[0], counter[1]) is False:
                raise Cancelled()  # the temporary file is removed; download_plan names the maps finished
            try:
                array = fetch_piece(ee, image, grid, piece, entry["crs"], **retry)
            except (LeafError, Cancelled):
                raise
            except Exception as error:
                raise translate_error(error) from None
            output.write(key, raster_io.Window(piece.xoff, piece.yoff, piece.xsize, piece.ysize),
                         np.asarray(array).astype(numpy_type, copy=False))
            counter[0] += 1
        return output.commit()[key]
