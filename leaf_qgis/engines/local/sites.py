"""``leaf:sample_sites`` on the user's own rasters: the site table from LEAF outputs or from local scenes.

Two kinds of input, told apart per path:

* **Scenes** — a Sentinel-2 L2A product (``.SAFE`` folder or zip) or a Landsat Collection 2 Level-2 scene (folder or
  tar). Each scene is opened and validated once, then the local engine computes a window around each site to
  arrays (:class:`leaf_qgis.engines.local.produce.WindowEngine`, float32 values: the very per-window computation of
  ``leaf:produce_local``), so masks, angles, networks and the QC byte are exactly those of a full-scene run (the
  tests check the values equal one, bit for bit). With a LANDCOVER on another grid (:class:`_LandcoverWarps`) the
  sites' networks and QC are still exactly those of a full-scene run on the land cover warped onto the scene's grid,
  and their values within 1e-6 (not bit for bit: the rest of each window is warped approximately). No file is
  written. The acquisition date and scene id come from the product name (or the Landsat MTL).
* **LEAF outputs** of either engine (products, ``_Error``, QC, Date), recognised by their names
  (:mod:`leaf_qgis.core.naming`) or their ``LEAF_PRODUCT`` metadata and grouped per run. Values are read with each
  file's scale and nodata; the date is the Date map's per-pixel acquisition date when the run has one (a composite's
  pixels then fall into one row per acquisition date), else the period's first day, with the period in ``scene_id``.

Sites are selected per pixel as Earth Engine does: the pixel under a point, or the pixels whose centres fall inside a
polygon or a point's buffer (the buffer drawn in a local azimuthal equidistant projection, in metres).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from osgeo import gdal, ogr, osr

from ...core import naming, sites
from ...core.encoding import Encoding
from ...core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError
from ...core.network_store import NetworkStore
from ...core.networks import NetworkSet, load_network_set
from ...core.periods import date_from_days
from ...core.products import ERROR_KEY_SUFFIX, ERROR_TOKEN_SUFFIX, KEY_BY_TOKEN, QC_KEY
from ...core.sensors import SENSOR_BY_QC_CODE, Family
from ...rasters.raster_io import Grid, Window, open_raster, quiet_gdal
from . import landsat_c2, sentinel2_safe
from .produce import ProduceConfig, WindowEngine

_S2_DATE = re.compile(r"_(\d{8})T\d{6}_")
_LANDSAT_ID = re.compile(r"L[CTEO]0\d_L2S[PR]_\d{6}_(\d{8})_")


class Progress:
    """What the sampler needs from its caller (a QgsProcessingFeedback fits)."""

    def setProgress(self, percent: float) -> None: ...
    def isCanceled(self) -> bool: ...
    def pushInfo(self, text: str) -> None: ...


@dataclass
class LeafGroup:
    """The LEAF output files of one run (same folder, region, period and resolution)."""

    label: str
    files: dict[str, str] = field(default_factory=dict)
    """Output key (``LAI``, ``LAI_ERROR``, ``QC``, ``DATE`` …) → path."""
    first: date | None = None
    last: date | None = None


@dataclass
class SceneInput:
    """One local scene: its kind (``S2`` / ``LANDSAT``), source path, acquisition date and id."""

    kind: str
    path: str
    day: date
    scene_id: str
    landsat: landsat_c2.LandsatScene | None = None
    """The parsed Landsat scene (its MTL read once, when the input was recognised)."""


# ------------------------------------------------------------------------------------------------ input sorting
def classify(paths: Sequence[str]) -> tuple[list[SceneInput], list[LeafGroup]]:
    """Scenes and LEAF output groups among ``paths`` (a clear error for anything else)."""
    scenes: list[SceneInput] = []
    groups: dict[str, LeafGroup] = {}
    for path in paths:
        text = str(path).strip()
        if not text:
            continue
        if sentinel2_safe.is_product_path(text):
            name = os.path.basename(text.rstrip("/\\"))
            match = _S2_DATE.search(text)
            if not match:
                raise _unknown_date(text)
            scenes.append(SceneInput("S2", text, _yyyymmdd(match.group(1)), re.sub(r"\.(SAFE|zip)$", "", name,
                                                                                    flags=re.I)))
            continue
        if landsat_c2.is_scene_path(text):
            scene = landsat_c2.open_scene(text)
            match = _LANDSAT_ID.search(scene.mtl) or _LANDSAT_ID.search(text)
            if not match:
                raise _unknown_date(text)
            scene_id = os.path.basename(scene.mtl).replace("_MTL.txt", "")
            scenes.append(SceneInput("LANDSAT", text, _yyyymmdd(match.group(1)), scene_id, scene))
            continue
        key, group_key, period = _leaf_key(text)
        if key is None:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "RASTERS: '{path}' is neither a LEAF output (a name like tile55_2020_Jul_LAI_20m or LEAF "
                        "metadata) nor a Sentinel-2 L2A product or a Landsat Collection 2 Level-2 scene."), path=text)
        group = groups.setdefault(group_key, LeafGroup(group_key))
        if key in group.files:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "RASTERS holds two {key} maps of the same run: '{first}' and '{second}'. Keep one."),
                key=key, first=group.files[key], second=text)
        group.files[key] = text
        if period is not None:
            group.first, group.last = period.first, period.last
    return scenes, list(groups.values())


def _yyyymmdd(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _unknown_date(path: str) -> LeafError:
    return LeafError(QT_TRANSLATE_NOOP(
        "leaf", "The acquisition date of '{path}' cannot be read from its name; keep the product's original name."),
        path=path)


def _leaf_key(path: str) -> tuple[str | None, str, Any]:
    """(output key, run key, period) of a LEAF output, from its name, else its metadata."""
    parsed = naming.parse(os.path.basename(path))
    folder = os.path.dirname(os.path.abspath(path))
    if parsed is not None and parsed.key != "PARTITION":
        key = parsed.key + (ERROR_KEY_SUFFIX if parsed.error else "")
        when = parsed.period.token if parsed.period else str(parsed.year)
        return key, f"{folder}|{parsed.region}|{parsed.year}|{when}|{parsed.resolution_m}", parsed.period
    with quiet_gdal():
        ds = gdal.Open(path)
    if ds is None:
        return None, "", None
    band = ds.GetRasterBand(1)
    meta = {**ds.GetMetadata(), **band.GetMetadata()}
    product_key = meta.get("LEAF_PRODUCT")
    if not product_key:
        return None, "", None
    key = product_key + (ERROR_KEY_SUFFIX if meta.get("LEAF_LAYER") == "uncertainty" else "")
    tokens = "|".join(sorted(KEY_BY_TOKEN, key=len, reverse=True))  # every map of the table (CCC, CWC too)
    stem = re.sub(rf"_({tokens})({ERROR_TOKEN_SUFFIX})?$", "", os.path.splitext(os.path.basename(path))[0])
    return key, f"{folder}|{stem}", None


# ---------------------------------------------------------------------------------------------- site geometry
def _wgs84() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _srs(wkt: str) -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromWkt(wkt)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def site_geometry(site: sites.Site, buffer_m: float, target_wkt: str,
                  from_wgs84: osr.CoordinateTransformation | None = None) -> ogr.Geometry:
    """The site in the raster's CRS: a point (buffer 0), a buffered point (disc drawn in metres in a local azimuthal
    equidistant projection) or the polygon. ``from_wgs84``: a WGS84 → ``target_wkt`` transformation to reuse
    (setting one up costs about 2 ms, more than the rest of a point site's sampling)."""
    import json

    geometry = ogr.CreateGeometryFromJson(json.dumps(site.geometry))
    geometry.AssignSpatialReference(_wgs84())
    if site.is_point and buffer_m > 0:
        lon, lat = site.centroid()
        local = osr.SpatialReference()
        local.ImportFromProj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs")
        local.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        if site.geometry.get("type") == "Point":  # the projection's origin (PROJ maps the centre to 0, 0 exactly)
            geometry = ogr.Geometry(ogr.wkbPoint)
            geometry.AddPoint_2D(0.0, 0.0)
        else:
            geometry.TransformTo(local)
        geometry = geometry.Buffer(buffer_m, 30)
        geometry.AssignSpatialReference(local)
        geometry.TransformTo(_srs(target_wkt))
    elif from_wgs84 is not None:
        geometry.Transform(from_wgs84)
    else:
        geometry.TransformTo(_srs(target_wkt))
    return geometry


class _SiteGeometries:
    """Each site's geometry per raster CRS, built once per ``sample_sites`` call: the scenes of a tile (tens of them
    in a time series) share one CRS, and a geometry costs one or two PROJ transformations to set up."""

    def __init__(self, buffer_m: float) -> None:
        self.buffer_m = buffer_m
        self._geometries: dict[tuple[int, str], ogr.Geometry] = {}
        self._from_wgs84: dict[str, osr.CoordinateTransformation] = {}

    def get(self, index: int, site: sites.Site, wkt: str) -> ogr.Geometry:
        """The geometry of ``site`` (position ``index`` in the request) in ``wkt``; read-only (shared)."""
        key = (index, wkt)
        geometry = self._geometries.get(key)
        if geometry is None:
            if wkt not in self._from_wgs84:
                self._from_wgs84[wkt] = osr.CoordinateTransformation(_wgs84(), _srs(wkt))
            geometry = self._geometries[key] = site_geometry(site, self.buffer_m, wkt, self._from_wgs84[wkt])
        return geometry


def site_window(geometry: ogr.Geometry, geotransform: Sequence[float], width: int, height: int,
                margin: int = 0) -> tuple[int, int, int, int] | None:
    """(xoff, yoff, xsize, ysize) of the pixels around ``geometry`` (and ``margin`` more on each side) inside the
    raster, or ``None`` if outside."""
    x0, dx, _, y0, _, dy = geotransform
    minx, maxx, miny, maxy = geometry.GetEnvelope()
    cols = sorted(((minx - x0) / dx, (maxx - x0) / dx))
    rows = sorted(((maxy - y0) / dy, (miny - y0) / dy))
    c0, c1 = int(np.floor(cols[0])) - margin, int(np.floor(cols[1])) + margin + 1
    r0, r1 = int(np.floor(rows[0])) - margin, int(np.floor(rows[1])) + margin + 1
    # The site itself must touch the raster (the margin alone does not count).
    if np.floor(cols[1]) < 0 or np.floor(cols[0]) >= width or np.floor(rows[1]) < 0 or np.floor(rows[0]) >= height:
        return None
    c0, r0 = max(c0, 0), max(r0, 0)
    c1, r1 = min(c1, width), min(r1, height)
    return c0, r0, c1 - c0, r1 - r0


def site_mask(geometry: ogr.Geometry, geotransform: Sequence[float], window: tuple[int, int, int, int],
              wkt: str) -> np.ndarray:
    """Boolean (ysize, xsize) mask of the site's pixels in ``window``: the pixel under a point, else the pixels whose
    centre lies inside the polygon (GDAL's default rasterisation rule, as Earth Engine's)."""
    xoff, yoff, xsize, ysize = window
    x0, dx, _, y0, _, dy = geotransform
    mask = np.zeros((ysize, xsize), dtype=bool)
    if geometry.GetGeometryType() in (ogr.wkbPoint, ogr.wkbPoint25D):
        col = int(np.floor((geometry.GetX() - x0) / dx)) - xoff
        row = int(np.floor((geometry.GetY() - y0) / dy)) - yoff
        if 0 <= row < ysize and 0 <= col < xsize:
            mask[row, col] = True
        return mask
    ds = gdal.GetDriverByName("MEM").Create("", xsize, ysize, 1, gdal.GDT_Byte)
    ds.SetGeoTransform((x0 + xoff * dx, dx, 0.0, y0 + yoff * dy, 0.0, dy))
    ds.SetProjection(wkt)
    layer_ds = ogr.GetDriverByName("Memory").CreateDataSource("")
    srs = osr.SpatialReference()
    srs.ImportFromWkt(wkt)
    layer = layer_ds.CreateLayer("site", srs)
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometry(geometry)
    layer.CreateFeature(feature)
    gdal.RasterizeLayer(ds, [1], layer, burn_values=[1])
    return ds.GetRasterBand(1).ReadAsArray().astype(bool)


def pixel_centres(geotransform: Sequence[float], window: tuple[int, int, int, int], mask: np.ndarray,
                  wkt: str) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) of the masked pixels' centres."""
    xoff, yoff, _, _ = window
    rows, cols = np.nonzero(mask)
    x0, dx, _, y0, _, dy = geotransform
    xs = x0 + (xoff + cols + 0.5) * dx
    ys = y0 + (yoff + rows + 0.5) * dy
    srs = osr.SpatialReference()
    srs.ImportFromWkt(wkt)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(srs, _wgs84())
    if not len(xs):
        return np.zeros(0), np.zeros(0)
    points = transform.TransformPoints(np.column_stack([xs, ys]).tolist())
    return np.array([p[0] for p in points]), np.array([p[1] for p in points])


# ----------------------------------------------------------------------------------------------------- sampler
@dataclass
class _SiteSample:
    """The pixels of one site on one acquisition: values per key, QC, slot, lon/lat (1-D arrays, same length)."""

    values: dict[str, np.ndarray]
    qc: np.ndarray
    slot: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


def _rows(request: sites.SiteRequest, site: sites.Site, acq: sites.Acquisition,
          sample: _SiteSample) -> list[dict[str, Any]]:
    """Table rows of one site and acquisition, through the core's row builders (identical on both engines)."""
    keys = request.value_keys
    # Pixels observed: QC not nodata and not "no estimate" (invalid without a value).
    has_value = np.isfinite(sample.values[request.products[0]]) if request.products else np.ones(len(sample.qc), bool)
    observed = sample.qc != 0
    if request.sampling == sites.PIXELS:
        out = []
        for i in np.flatnonzero(has_value & observed):
            values = {k: float(sample.values[k][i]) for k in keys}
            out.append(sites.pixel_row(acq, values, int(sample.qc[i]), int(sample.slot[i]), float(sample.lon[i]),
                                       float(sample.lat[i]), keys))
        return out
    if not observed.any():
        return []
    pixels = [({k: float(sample.values[k][i]) for k in keys}, int(sample.qc[i]), int(sample.slot[i]))
              for i in np.flatnonzero(observed)]
    lon, lat = site.centroid()
    return [sites.stats_row(acq, pixels, lon, lat, keys)]


def sample_sites(request: sites.SiteRequest, paths: Sequence[str], *, landcover_path: str | None = None,
                 store: NetworkStore | None = None, network_set: NetworkSet | None = None,
                 progress: Any = None, translate: Callable[[str], str] | None = None) -> sites.SiteTable:
    """The site table from ``paths`` (scenes and/or LEAF outputs); see the module doc."""
    scenes, groups = classify(paths)
    if not scenes and not groups:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "RASTERS: choose the LEAF outputs or the scenes to sample."))
    touched: set[str] = set()
    rows: list[dict[str, Any]] = []
    total = max(1, len(scenes) + len(groups))
    done = 0
    networks = None
    geometries = _SiteGeometries(request.buffer_m)
    warps = _LandcoverWarps(landcover_path) if landcover_path else None
    if scenes:
        wrong = [s.path for s in scenes if (s.kind == "S2") != (request.sensor.family is Family.S2)]
        if wrong:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "SENSOR is {sensor} but RASTERS holds {path}, a scene of another sensor. Choose the matching "
                        "SENSOR or remove the scene."), sensor=request.sensor.key, path=wrong[0])
        networks = network_set or load_network_set(request.sensor.key, request.algorithm, store)
    for scene in scenes:
        if progress is not None and progress.isCanceled():
            raise Cancelled()
        rows += _sample_scene(request, scene, networks, warps, geometries, touched, progress)
        done += 1
        if progress is not None:
            progress.setProgress(100.0 * done / total)
    for group in groups:
        if progress is not None and progress.isCanceled():
            raise Cancelled()
        rows += _sample_group(request, group, geometries, touched)
        done += 1
        if progress is not None:
            progress.setProgress(100.0 * done / total)
    if not touched:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "No site lies inside any of the RASTERS (checked {sites} sites against {rasters} rasters). Check "
                    "the layers' CRS and that the rasters cover the sites."),
            sites=len(request.sites), rasters=len(scenes) + len(groups))
    reasons = {s.site_id: sites.NOTE_OUTSIDE for s in request.sites if s.site_id not in touched}
    return sites.finish_table(request, rows, reasons)


def _sample_scene(request: sites.SiteRequest, scene: SceneInput, networks: NetworkSet, warps: _LandcoverWarps | None,
                  geometries: _SiteGeometries, touched: set[str], progress: Any = None) -> list[dict[str, Any]]:
    """The local engine on a window around each site inside the scene's date window and footprint: the scene is
    opened and validated once (:class:`~.produce.WindowEngine`), then the sites' windows are cut from the run
    windows that hold them, each computed once."""
    inside = [(i, s) for i, s in enumerate(request.sites) if s.first <= scene.day <= s.last]
    if not inside:
        return []
    if scene.kind == "S2":
        inputs: Any = sentinel2_safe.prepare_inputs(sentinel2_safe.open_product(scene.path), request.sensor)
        aux = {"scl_path": inputs.scl}
    else:
        landsat = scene.landsat or landsat_c2.open_scene(scene.path)
        inputs = landsat_c2.prepare_inputs(landsat, request.sensor)
        aux = {"qa_pixel_path": inputs.qa_pixel, "qa_radsat_path": inputs.qa_radsat}
    landcover = None
    rows: list[dict[str, Any]] = []
    try:
        grid = Grid.of(open_raster(inputs.stack, "INPUT"))
        gt, wkt = grid.geotransform, grid.projection
        placed = []
        for index, site in inside:
            geometry = geometries.get(index, site, wkt)
            window = site_window(geometry, gt, grid.width, grid.height)
            if window is not None:
                placed.append((site, window, site_mask(geometry, gt, window, wkt)))
        if not placed:
            return []
        regions = [Window(*window) for _, window, _ in placed]
        if warps is not None:
            landcover = warps.create(grid)
        config = ProduceConfig(
            input_path=inputs.stack, sensor_key=request.sensor.key, outputs={}, angles=inputs.angles,
            range_bands=inputs.range_bands, scale=inputs.scale, offset=inputs.offset, products=request.products,
            uncertainty=request.uncertainty,
            encoding=Encoding.FLOAT32, algorithm=request.algorithm, mask_flagged=request.mask_flagged,
            landcover_path=landcover, landcover_label=warps.path if warps is not None else None, nodata=inputs.nodata,
            **{key: path for key, path in aux.items() if path})
        with WindowEngine(config, network_set=networks) as engine:
            if warps is not None:  # the engine's own run windows: those it will read LANDCOVER in
                warps.fill(landcover, grid, engine.run_windows(regions), regions)
            for (site, window, mask), region, arrays in zip(placed, regions,
                                                             engine.compute_regions(regions, progress)):
                touched.add(site.site_id)
                slots = engine.network_slots(region)
                lon, lat = pixel_centres(gt, window, mask, wkt)
                slot = slots[mask] if slots is not None else np.zeros(int(mask.sum()), dtype=np.uint8)
                sample = _SiteSample({k: arrays[k][mask] for k in request.value_keys}, arrays[QC_KEY][mask], slot,
                                     lon, lat)
                acq = sites.Acquisition(site.site_id, scene.day, request.sensor.key, scene.scene_id,
                                        request.algorithm)
                rows += _rows(request, site, acq, sample)
    finally:
        if landcover is not None:
            gdal.Unlink(landcover)
        inputs.close()
    return rows


class _LandcoverWarps:
    """LANDCOVER (NALCMS, any grid) resampled onto the scenes' grids for one ``sample_sites`` call, as the engine's
    LANDCOVER: per scene an in-memory sparse GeoTIFF of the scene's size where only the run windows that hold sites
    are written (the rest costs no memory and is never read). Every pixel of those windows needs a class, not only
    the sites' pixels: the land-cover ensemble batches a window's pixels per network.

    Nearest neighbour, as ``gdalwarp -r near``. The run windows take GDAL's default approximate transformation
    (within 1/8 pixel: exact transforms cost 0.2–0.4 s per 262 144-pixel window, 30–50 times more); the sites' own
    pixels are then warped exactly (``errorThreshold=0``, about 3 ms a site, kept for the other scenes of the same
    grid), so a site's class — its network — is the one under its pixel centre, whatever the window around it.

    What that gives, against a full-scene run on the land cover warped exactly: the same network and QC at every
    site pixel, and values within 1e-6, not bit for bit. The approximate warp gives another class to about 1.4 % of
    a window's other pixels; the land-cover ensemble batches a window's pixels per network, and a batch of another
    size rounds the last bits of the matrix products differently (up to about 5e-7 in LAI)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._sites: dict[tuple[Any, ...], np.ndarray] = {}
        self._data_type: int | None = None

    def data_type(self) -> int:
        """The GDAL type the classes are warped to: the source's own, so that the engine's land-cover check sees the
        values the file holds (a byte warp would turn −1 into 0, silently no estimate, and 300 into 255); Int32 for
        the types a sparse GeoTIFF or the engine's reads do not take as they are (Int8, 64-bit, complex)."""
        if self._data_type is None:
            with quiet_gdal():
                source = gdal.Open(self.path)
            if source is None:
                raise LeafError(QT_TRANSLATE_NOOP("leaf", "'{path}' cannot be read: {reason}."), path=self.path,
                                reason=gdal.GetLastErrorMsg() or "?")
            kept = (gdal.GDT_Byte, gdal.GDT_UInt16, gdal.GDT_Int16, gdal.GDT_UInt32, gdal.GDT_Int32, gdal.GDT_Float32,
                    gdal.GDT_Float64)
            data_type = source.GetRasterBand(1).DataType
            self._data_type = data_type if data_type in kept else gdal.GDT_Int32
        return self._data_type

    def _warp(self, grid: Grid, window: Window, exact: bool) -> np.ndarray:
        x0, dx, _, y0, _, dy = grid.geotransform
        bounds = (x0 + window.xoff * dx, y0 + (window.yoff + window.ysize) * dy,
                  x0 + (window.xoff + window.xsize) * dx, y0 + window.yoff * dy)
        with quiet_gdal():
            warped = gdal.Warp("", self.path, format="MEM", outputBounds=bounds, width=window.xsize,
                               height=window.ysize, dstSRS=grid.projection, resampleAlg="near", dstNodata=0,
                               outputType=self.data_type(), errorThreshold=0 if exact else 0.125)
        if warped is None:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "'{path}' cannot be read: {reason}."), path=self.path,
                            reason=gdal.GetLastErrorMsg() or "?")
        return warped.GetRasterBand(1).ReadAsArray()

    def create(self, grid: Grid) -> str:
        """The GDAL path of an empty (sparse, in-memory) land-cover raster on ``grid``, to give the engine as
        LANDCOVER and then :meth:`fill` in the engine's run windows; the caller unlinks it."""
        target = f"/vsimem/leaf_sites_{uuid.uuid4().hex}_landcover.tif"
        with quiet_gdal():
            out = gdal.GetDriverByName("GTiff").Create(target, grid.width, grid.height, 1, self.data_type(),
                                                       options=["TILED=YES", "SPARSE_OK=TRUE"])
        if out is None:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "'{path}' cannot be read: {reason}."), path=self.path,
                            reason=gdal.GetLastErrorMsg() or "?")
        try:
            out.SetGeoTransform(grid.geotransform)
            out.SetProjection(grid.projection)
            out = None
        except BaseException:
            out = None
            gdal.Unlink(target)
            raise
        return target

    def fill(self, target: str, grid: Grid, windows: Sequence[Window], sites: Sequence[Window]) -> None:
        """Write the classes into ``target`` (from :meth:`create`) in ``windows`` (the engine's run windows:
        :meth:`~.produce.WindowEngine.run_windows`), exactly in ``sites``."""
        out = gdal.Open(target, gdal.GA_Update)
        try:
            band = out.GetRasterBand(1)
            for window in windows:
                band.WriteArray(self._warp(grid, window, exact=False), window.xoff, window.yoff)
            for site in sites:
                key = (grid.width, grid.height, grid.geotransform, grid.projection, site)
                if key not in self._sites:
                    self._sites[key] = self._warp(grid, site, exact=True)
                band.WriteArray(self._sites[key], site.xoff, site.yoff)
        finally:
            out = None  # flushed and closed before the engine opens it


def _read(path: str, window: tuple[int, int, int, int], as_value: bool) -> np.ndarray:
    """One band of a window: physical values (scale/offset applied, nodata → NaN) or raw integers."""
    ds = gdal.Open(path)
    if ds is None:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "'{path}' cannot be read: {reason}."), path=path,
                        reason=gdal.GetLastErrorMsg() or "?")
    band = ds.GetRasterBand(1)
    array = band.ReadAsArray(*window)
    if not as_value:
        return array.astype(np.int64)
    nodata = band.GetNoDataValue()
    values = array.astype(np.float64)
    if nodata is not None:
        values[array == nodata] = np.nan
    scale, offset = band.GetScale(), band.GetOffset()
    values = values * (1.0 if scale in (None, 0) else scale) + (offset or 0.0)
    return values.astype(np.float32)


def _sample_group(request: sites.SiteRequest, group: LeafGroup, geometries: _SiteGeometries,
                  touched: set[str]) -> list[dict[str, Any]]:
    """Rows of one LEAF run: per site, per acquisition date of its pixels (Date map) or the period."""
    if QC_KEY not in group.files:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "RASTERS: the LEAF run '{run}' has no QC map; add its _QC_ file (the QC byte says which values "
                    "are valid)."), run=os.path.basename(next(iter(group.files.values()))))
    missing = [k for k in request.value_keys if k not in group.files]
    if len(missing) == len(request.value_keys):
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "RASTERS: the LEAF run '{run}' holds none of the PRODUCTS asked for ({products})."),
            run=os.path.basename(group.files[QC_KEY]), products=", ".join(request.value_keys))
    ds = gdal.Open(group.files[QC_KEY])
    gt, wkt, width, height = ds.GetGeoTransform(), ds.GetProjection(), ds.RasterXSize, ds.RasterYSize
    ds = None
    scene_id = os.path.splitext(os.path.basename(group.files[QC_KEY]))[0].replace("_QC", "")
    rows: list[dict[str, Any]] = []
    for index, site in enumerate(request.sites):
        if group.first is not None and (group.last < site.first or group.first > site.last):
            continue
        geometry = geometries.get(index, site, wkt)
        window = site_window(geometry, gt, width, height)
        if window is None:
            continue
        touched.add(site.site_id)
        mask = site_mask(geometry, gt, window, wkt)
        qc_values = _read(group.files[QC_KEY], window, False)[mask]
        values = {k: (_read(group.files[k], window, True)[mask] if k in group.files
                      else np.full(int(mask.sum()), np.nan, np.float32)) for k in request.value_keys}
        lon, lat = pixel_centres(gt, window, mask, wkt)
        if "DATE" in group.files:
            days = _read(group.files["DATE"], window, False)[mask]
        else:
            days = np.zeros(int(mask.sum()), dtype=np.int64)
        for day_number in sorted(set(days.tolist())):
            if day_number:
                day = date_from_days(day_number)
                if not site.first <= day <= site.last:
                    continue
            elif "DATE" not in group.files and group.first is not None:
                day = group.first
            else:
                continue
            where = days == day_number
            codes = [int(c) >> 3 for c in qc_values[where] if c]
            sensor = SENSOR_BY_QC_CODE.get(codes[0]).key if codes and codes[0] in SENSOR_BY_QC_CODE \
                else request.sensor.key
            if sensor == "S2" and request.sensor.family is Family.S2:
                sensor = request.sensor.key
            acq = sites.Acquisition(site.site_id, day, sensor, scene_id, request.algorithm)
            sample = _SiteSample({k: v[where] for k, v in values.items()}, qc_values[where],
                                 np.full(int(where.sum()), -1), lon[where], lat[where])
            for row in _rows(request, site, acq, sample):
                row["network_slot"] = None  # not recorded in LEAF outputs
                rows.append(row)
    return rows
