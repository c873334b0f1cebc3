"""A Sentinel-2 Level-2A product (``.SAFE`` folder, its ``.zip``, its ``MTD_MSIL2A.xml``, or a GDAL ``SENTINEL2_L2A:``
sub-dataset) as a ready input of the local engine.

What the reader takes from the product, and why:

* **Bands.** The JPEG 2000 files of the network's spectral inputs at the sensor's resolution (``S2``: ``R20m``,
  ``S2_10M``: ``R10m``), found by file name in ``GRANULE/*/IMG_DATA`` (the naming is stable across product
  versions, unlike the metadata's ``IMAGE_FILE`` element), stacked in network order in an in-memory VRT. Earth Engine
  band names (``B3``, ``B8A``) map to SAFE names (``B03``, ``B8A``) by zero-padding.
* **Range-test bands.** The sensor's other bands of the reflectance range test (``Sensor.range_only_bands``,
  production's ``OUT_BANDS`` beyond the network inputs) that the product has *at the sensor's resolution*, stacked
  after the network bands (:attr:`Sentinel2Inputs.range_bands`): at 20 m B2 (``B02_20m``); B8 exists only at 10 m
  and is not tested. At 10 m none: B5–B7, B8A, B11 and B12 exist only at 20 m and 60 m. Resampling another
  resolution's file would decode it in full for one test (the 10 m B08 holds four times the pixels of a 20 m band),
  so the local engine tests the bands the product provides at the run's resolution (README, "Where the plugin
  knowingly differs").
* **Reflectance.** ρ = (DN + BOA_ADD_OFFSET) / BOA_QUANTIFICATION_VALUE from ``MTD_MSIL2A.xml``. Processing baseline
  04.00 (January 2022) and later store reflectance + 1000 DN (``BOA_ADD_OFFSET`` = −1000); older products have no
  offset. If a baseline ≥ 04.00 product lacks the offset list we apply −1000, as ESA documents. DN 0 is no data.
* **Invalid pixels** (QC bit 2) from the scene classification ``SCL`` (20 m; nearest-neighbour on the 10 m grid):
  no estimate for 0 no data, 3 cloud shadow, 8 cloud medium probability, 9 cloud high probability, 10 thin cirrus;
  an estimate but QC bit 2 for 1 saturated or defective, 6 water, 11 snow or ice
  (:mod:`leaf_qgis.core.masks`).
* **Angles** from the granule metadata ``MTD_TL.xml``. Default ``mean``: the scene-mean sun angles and the mean
  viewing incidence angles of the NIR band (B8A at 20 m, B8 at 10 m) as constants — exactly what LEAF production
  does with Earth Engine's ``MEAN_SOLAR_*`` / ``MEAN_INCIDENCE_*_B8A`` properties, so the two engines agree. Option
  ``grid``: the 5 km sun grid and the NIR band's viewing grids (detectors merged by averaging their cosines where
  footprints overlap; cells outside every detector take the mean), as cosines interpolated bilinearly at each pixel.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from typing import Any

from osgeo import gdal

from ...core.errors import QT_TRANSLATE_NOOP, LeafError
from ...core.sensors import LOCAL, Family, Sensor
from ...rasters.raster_io import quiet_gdal, read_vsi_bytes
from .angles import AngleGrid, AngleSource, ConstantAngles

#: Physical band of each ``bandId`` in the Sentinel-2 metadata (used when the product does not list them).
BAND_IDS: tuple[str, ...] = ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B10", "B11",
                             "B12")
DEFAULT_BOA_ADD_OFFSET = -1000.0
PRODUCT_METADATA = "MTD_MSIL2A.xml"
TILE_METADATA = "MTD_TL.xml"
ANGLE_MODES = ("mean", "grid")
_BAND_FILE = re.compile(r"_(B\d\d|B8A|SCL)_(10|20|60)m\.jp2$", re.IGNORECASE)
_SUBDATASET = re.compile(r"^SENTINEL2_L2A:(?P<path>.+):(?P<res>10|20|60)m:(?P<crs>[A-Za-z0-9_]+)$")


def safe_band_name(name: str) -> str:
    """Earth Engine band name → SAFE file token: ``B3`` → ``B03``, ``B8A`` and ``B11`` unchanged."""
    return re.sub(r"^B(\d)$", r"B0\1", name)


def is_product_path(value: str) -> bool:
    """Does ``value`` name a Sentinel-2 L2A product rather than a plain raster? (Cheap: looks, does not parse.)"""
    value = str(value or "").strip()
    if not value:
        return False
    if _SUBDATASET.match(value):
        return True
    path = value.rstrip("/\\")
    name = os.path.basename(path)
    if name.upper() == PRODUCT_METADATA.upper():
        return True
    if os.path.isdir(path):
        return name.upper().endswith(".SAFE") or os.path.isfile(os.path.join(path, PRODUCT_METADATA))
    return name.lower().endswith(".zip")


def subdataset_resolution(value: str) -> int | None:
    """Resolution (m) of a ``SENTINEL2_L2A:…:20m:…`` sub-dataset string, else ``None``."""
    match = _SUBDATASET.match(str(value or "").strip())
    return int(match["res"]) if match else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if _local(e.tag) == name]


def _first_text(root: ET.Element, name: str) -> str | None:
    found = _all(root, name)
    return found[0].text.strip() if found and found[0].text else None


def _not_a_product(path: str, reason: str) -> LeafError:
    return LeafError(
        QT_TRANSLATE_NOOP("leaf", "'{path}' is not a readable Sentinel-2 Level-2A product ({reason}). Give the .SAFE "
                                  "folder, its .zip as downloaded, or its MTD_MSIL2A.xml file."),
        path=path, reason=reason,
    )


@dataclass(frozen=True)
class GranuleAngles:
    """Angles from ``MTD_TL.xml``: scene means and 5 km grids, degrees."""

    sun_zenith: float
    sun_azimuth: float
    view_zenith: dict[str, float]
    """Mean viewing incidence zenith per band (SAFE band name)."""
    view_azimuth: dict[str, float]
    x0: float
    y0: float
    col_step: float
    row_step: float
    sun_grids: tuple[Any, Any] | None
    """(zenith, azimuth) grids, or ``None`` when the metadata has none."""
    view_grids: dict[str, list[tuple[Any, Any]]]
    """Per band: one (zenith, azimuth) grid per detector, NaN outside the detector's footprint."""

    def mean(self, band: str) -> ConstantAngles:
        if band not in self.view_zenith:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "The granule metadata (MTD_TL.xml) has no mean viewing angles for band "
                                          "{band}: the product looks incomplete. Download it again, or stack its "
                                          "bands into one raster and give SUN_ZENITH, VIEW_ZENITH and "
                                          "RELATIVE_AZIMUTH yourself."),
                band=band,
            )
        raa = (self.sun_azimuth - self.view_azimuth[band]) % 360.0
        return ConstantAngles(self.sun_zenith, self.view_zenith[band], raa,
                              source=f"the granule metadata ({TILE_METADATA})").validated()

    def grid(self, band: str) -> AngleGrid:
        """Cosine grids of the sun and of ``band``'s viewing geometry (see the module docstring)."""
        import numpy as np

        mean = self.mean(band)
        cos_mean = mean.cosines()
        if self.sun_grids is None or not self.view_grids.get(band):
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "The granule metadata has no angle grids for band {band}; use the mean "
                                          "angles or give the angles as parameters."),
                band=band,
            )
        sza, saa = self.sun_grids
        with np.errstate(invalid="ignore"), _no_warnings():
            cos_vza = np.nanmean(np.stack([np.cos(np.radians(z)) for z, _ in self.view_grids[band]]), axis=0)
            cos_raa = np.nanmean(np.stack([np.cos(np.radians(saa - a)) for _, a in self.view_grids[band]]), axis=0)
        cos_sza = np.cos(np.radians(sza))
        grids = []
        for grid, fallback in ((cos_vza, cos_mean[0]), (cos_sza, cos_mean[1]), (cos_raa, cos_mean[2])):
            grids.append(np.where(np.isnan(grid), fallback, grid).astype(np.float32))
        return AngleGrid(self.x0, self.y0, self.col_step, self.row_step, *grids)


@contextlib.contextmanager
def _no_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _values_grid(element: ET.Element) -> Any:
    import numpy as np

    rows = [[float(v) for v in (row.text or "").split()] for row in _all(element, "VALUES")]
    return np.array(rows, dtype=np.float64)


def parse_tile_angles(xml: bytes) -> GranuleAngles:
    """Read the sun and viewing angles of ``MTD_TL.xml``."""
    root = ET.fromstring(xml)
    mean_sun = _all(root, "Mean_Sun_Angle")
    if not mean_sun:
        raise ValueError("no Mean_Sun_Angle")
    sun_zenith = float(_first_text(mean_sun[0], "ZENITH_ANGLE") or "nan")
    sun_azimuth = float(_first_text(mean_sun[0], "AZIMUTH_ANGLE") or "nan")
    view_zenith: dict[str, float] = {}
    view_azimuth: dict[str, float] = {}
    for item in _all(root, "Mean_Viewing_Incidence_Angle"):
        band = BAND_IDS[int(item.get("bandId", "-1"))]
        view_zenith[band] = float(_first_text(item, "ZENITH_ANGLE") or "nan")
        view_azimuth[band] = float(_first_text(item, "AZIMUTH_ANGLE") or "nan")
    x0 = y0 = 0.0
    for geo in _all(root, "Geoposition"):
        x0, y0 = float(_first_text(geo, "ULX") or 0), float(_first_text(geo, "ULY") or 0)
        break
    col_step = row_step = 5000.0
    sun_grids = None
    for sun in _all(root, "Sun_Angles_Grid"):
        zenith, azimuth = _all(sun, "Zenith")[0], _all(sun, "Azimuth")[0]
        col_step = float(_first_text(zenith, "COL_STEP") or col_step)
        row_step = float(_first_text(zenith, "ROW_STEP") or row_step)
        sun_grids = (_values_grid(zenith), _values_grid(azimuth))
        break
    view_grids: dict[str, list[tuple[Any, Any]]] = {}
    for item in _all(root, "Viewing_Incidence_Angles_Grids"):
        band = BAND_IDS[int(item.get("bandId", "-1"))]
        zenith, azimuth = _all(item, "Zenith")[0], _all(item, "Azimuth")[0]
        view_grids.setdefault(band, []).append((_values_grid(zenith), _values_grid(azimuth)))
    return GranuleAngles(sun_zenith, sun_azimuth, view_zenith, view_azimuth, x0, y0, col_step, row_step, sun_grids,
                         view_grids)


@dataclass(frozen=True)
class Sentinel2Product:
    """What the engine needs from one L2A product; build it with :func:`open_product`."""

    source: str
    root: str
    """GDAL path of the ``.SAFE`` folder (``/vsizip/…`` inside a zip)."""
    baseline: str
    quantification: float
    boa_offsets: dict[str, float]
    """BOA_ADD_OFFSET (DN) per SAFE band name; empty before baseline 04.00."""
    band_files: dict[tuple[int, str], str]
    """(resolution m, band or ``SCL``) → GDAL path of the JPEG 2000 file."""
    angles: GranuleAngles
    subdataset_resolution: int | None = None
    """Resolution of the sub-dataset the user chose, when the input was a ``SENTINEL2_L2A:`` string."""

    def boa_offset(self, band: str) -> float:
        return self.boa_offsets.get(band, DEFAULT_BOA_ADD_OFFSET if self.baseline_number >= 4.0 else 0.0)

    @property
    def baseline_number(self) -> float:
        try:
            return float(self.baseline)
        except ValueError:
            return 0.0


def _locate(path: str) -> tuple[str, list[str]]:
    """(GDAL path of the SAFE root, its files relative to the root)."""
    path = path.strip()
    if path.upper().endswith(PRODUCT_METADATA.upper()):
        path = os.path.dirname(path)
    if path.startswith("/vsizip/") or (path.lower().endswith(".zip") and os.path.isfile(path)):
        archive = path if path.startswith("/vsizip/") else f"/vsizip/{os.path.abspath(path)}"
        entries = gdal.ReadDirRecursive(archive) or []
        metadata = [e for e in entries if os.path.basename(e.rstrip("/")) == PRODUCT_METADATA]
        if not metadata and not path.startswith("/vsizip/") and not zipfile.is_zipfile(path):
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "'{path}' is a damaged or truncated zip archive (its table of contents "
                                          "cannot be read), probably an interrupted download. Download the product "
                                          "again."),
                path=path,
            )
        if not metadata:
            raise _not_a_product(path, f"no {PRODUCT_METADATA} in the archive")
        prefix = os.path.dirname(metadata[0])
        root = f"{archive}/{prefix}" if prefix else archive
        inner = [e[len(prefix) + 1:] if prefix else e for e in entries if not e.endswith("/")]
        return root, [e for e in inner if e]
    if not os.path.isdir(path):
        raise _not_a_product(path, "no such folder or zip file")
    files = []
    for folder, _, names in os.walk(path):
        rel = os.path.relpath(folder, path)
        files.extend(os.path.normpath(os.path.join(rel, n)).replace(os.sep, "/") for n in names)
    return os.path.abspath(path), files


def open_product(value: str) -> Sentinel2Product:
    """Locate and parse an L2A product; raises :class:`LeafError` saying what is missing."""
    match = _SUBDATASET.match(value.strip())
    path = match["path"] if match else value
    root, files = _locate(path)
    if PRODUCT_METADATA not in files:
        raise _not_a_product(value, f"no {PRODUCT_METADATA}")
    granules = sorted({f.split("/")[1] for f in files if f.startswith("GRANULE/") and f.count("/") >= 2})
    if len(granules) != 1:
        raise _not_a_product(value, f"{len(granules)} granules in GRANULE/, expected one")
    try:
        product_xml = ET.fromstring(read_vsi_bytes(f"{root}/{PRODUCT_METADATA}"))
        tile_xml = read_vsi_bytes(f"{root}/GRANULE/{granules[0]}/{TILE_METADATA}")
        angles = parse_tile_angles(tile_xml)
    except (OSError, ET.ParseError, ValueError, IndexError) as error:
        raise _not_a_product(value, f"metadata unreadable: {error}") from error

    names = {int(e.get("bandId")): e.get("physicalBand") for e in _all(product_xml, "Spectral_Information")
             if e.get("bandId", "").isdigit() and e.get("physicalBand")}
    offsets = {}
    for item in _all(product_xml, "BOA_ADD_OFFSET"):
        band_id = int(item.get("band_id", "-1"))
        band = safe_band_name(names.get(band_id, BAND_IDS[band_id] if 0 <= band_id < len(BAND_IDS) else ""))
        offsets[band] = float(item.text)
    quantification = float(_first_text(product_xml, "BOA_QUANTIFICATION_VALUE") or 10000.0)
    baseline = _first_text(product_xml, "PROCESSING_BASELINE") or "00.00"

    band_files = {}
    image_prefix = f"GRANULE/{granules[0]}/IMG_DATA/"
    for rel in files:
        found = _BAND_FILE.search(rel)
        if rel.startswith(image_prefix) and found:
            band_files[(int(found.group(2)), found.group(1).upper())] = f"{root}/{rel}"
    return Sentinel2Product(value, root, baseline, quantification, offsets, band_files, angles,
                            int(match["res"]) if match else None)


@dataclass
class Sentinel2Inputs:
    """The engine inputs derived from a product for one sensor; :meth:`close` frees the in-memory VRTs."""

    stack: str
    """GDAL path of the band stack (network order, then the range-test bands of :attr:`range_bands`)."""
    scl: str
    """GDAL path of the scene classification on the stack's grid."""
    scale: tuple[float, ...]
    """One value per band of :attr:`stack`."""
    offset: tuple[float, ...]
    angles: AngleSource
    nodata: float = 0.0
    range_bands: dict[str, int] = field(default_factory=dict)
    """Range-test band (Earth Engine name) → its band in :attr:`stack` (:attr:`ProduceConfig.range_bands`)."""
    _vsimem: tuple[str, ...] = ()

    def close(self) -> None:
        for path in self._vsimem:
            gdal.Unlink(path)


def _check_band_files(product: Sentinel2Product, paths: list[str]) -> None:
    """Every band file opens and its last row reads: a corrupt or truncated JP2 is named as such (BuildVRT would
    silently skip it and the stack would look short of a band)."""
    for path in paths:
        with quiet_gdal():
            gdal.ErrorReset()
            ds = gdal.Open(path, gdal.GA_ReadOnly)
            ok = ds is not None and ds.RasterCount > 0
            if ok:
                band = ds.GetRasterBand(1)
                ok = band.ReadRaster(0, ds.RasterYSize - 1, ds.RasterXSize, 1) is not None
            reason = gdal.GetLastErrorMsg().strip()
        if not ok:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "The band file '{file}' of the product '{path}' is damaged or truncated "
                                          "(GDAL: {reason}). Download the product again."),
                file=path.rsplit("/", 1)[-1], path=product.source, reason=reason or "unreadable",
            )


def prepare_inputs(product: Sentinel2Product, sensor: Sensor, angles: str = "mean") -> Sentinel2Inputs:
    """Stack the bands of ``sensor`` from ``product`` and derive scale, offset, SCL path and angles."""
    if sensor.family is not Family.S2 or LOCAL not in sensor.engines:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "A Sentinel-2 product needs SENSOR S2 (20 m) or S2_10M (10 m), not {key}."),
            key=sensor.key,
        )
    resolution = sensor.resolution_m
    if product.subdataset_resolution is not None and product.subdataset_resolution != resolution:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The input is the {chosen} m sub-dataset of the product but SENSOR {key} works "
                                      "at {res} m. Choose the {res} m sub-dataset, or the sensor for {chosen} m."),
            chosen=product.subdataset_resolution, key=sensor.key, res=resolution,
        )
    bands = [safe_band_name(b) for b in sensor.spectral_inputs]
    missing = [b for b in bands if (resolution, b) not in product.band_files]
    if missing or (20, "SCL") not in product.band_files:
        missing += [] if (20, "SCL") in product.band_files else ["SCL (20 m)"]
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The product '{path}' lacks the {res} m files of {bands}. Check that the "
                                      "download is complete (Level-2A, all resolutions)."),
            path=product.source, res=resolution, bands=", ".join(missing),
        )
    extra = {name: safe_band_name(name) for name in sensor.range_only_bands
             if (resolution, safe_band_name(name)) in product.band_files}
    files = [product.band_files[(resolution, b)] for b in [*bands, *extra.values()]]
    _check_band_files(product, [*files, product.band_files[(20, "SCL")]])
    tag = f"/vsimem/leaf_qgis_{uuid.uuid4().hex}"
    stack_path, scl_path = f"{tag}_stack.vrt", f"{tag}_scl.vrt"
    with quiet_gdal():
        stack = gdal.BuildVRT(stack_path, files, separate=True)
        if stack is None:
            raise _not_a_product(product.source, gdal.GetLastErrorMsg() or "band files unreadable")
        gt, width, height = stack.GetGeoTransform(), stack.RasterXSize, stack.RasterYSize
        stack = None
        bounds = (gt[0], gt[3] + height * gt[5], gt[0] + width * gt[1], gt[3])
        scl = gdal.BuildVRT(scl_path, [product.band_files[(20, "SCL")]],
                            options=gdal.BuildVRTOptions(outputBounds=bounds, xRes=gt[1], yRes=abs(gt[5]),
                                                         resampleAlg="near"))
        if scl is None:
            gdal.Unlink(stack_path)
            raise _not_a_product(product.source, gdal.GetLastErrorMsg() or "SCL unreadable")
        scl = None
    view_band = safe_band_name(sensor.view_angle_band)
    if angles not in ANGLE_MODES:
        raise ValueError(f"angles must be one of {ANGLE_MODES}")
    source = product.angles.mean(view_band) if angles == "mean" else product.angles.grid(view_band)
    q = product.quantification
    stacked = [*bands, *extra.values()]
    return Sentinel2Inputs(
        stack_path, scl_path,
        scale=tuple(1.0 / q for _ in stacked),
        offset=tuple(product.boa_offset(b) / q for b in stacked),
        angles=source, range_bands={name: len(bands) + k for k, name in enumerate(extra, 1)},
        _vsimem=(stack_path, scl_path),
    )
