"""A Landsat Collection 2 Level-2 scene (its folder, its ``.tar`` as downloaded, or its ``*_MTL.txt`` / ``*_MTL.xml``)
as a ready input of the local engine — the Landsat counterpart of :mod:`.sentinel2_safe`.

What the reader takes from the scene, and why:

* **Sensor.** ``SPACECRAFT_ID`` (``LANDSAT_5/7/8/9``) gives the sensor key (``L5`` … ``L9``); a SENSOR that disagrees
  is refused rather than run through the wrong networks.
* **Level.** ``PROCESSING_LEVEL`` must be ``L2SP`` or ``L2SR``: the networks read surface reflectance, which a
  Level-1 scene does not hold.
* **Bands.** ``<product id>_SR_B<n>.TIF`` of the sensor's network stack (``L5``/``L7``: SR_B2 SR_B3 SR_B4 SR_B5
  SR_B7; ``L8``/``L9``: SR_B3 … SR_B7), stacked in network order in an in-memory VRT, followed by the sensor's
  other bands of the reflectance range test that the scene has (production's ``OUT_BANDS``: SR_B1 for
  ``L5``/``L7``, SR_B1 and SR_B2 for ``L8``/``L9``; :attr:`LandsatInputs.range_bands`). DN 0 is fill (no data).
* **Reflectance.** ρ = DN · ``REFLECTANCE_MULT_BAND_n`` + ``REFLECTANCE_ADD_BAND_n`` of the MTL group
  ``LEVEL2_SURFACE_REFLECTANCE_PARAMETERS`` (never the Level-1 TOA group of the same names); the Collection 2
  constants 0.0000275 / −0.2 when the MTL lists none.
* **Invalid pixels** (QC bit 2): ``QA_PIXEL`` bits fill 0, dilated cloud 1, cirrus 2, cloud 3, cloud shadow 4
  (no estimate), snow 5, water 7 (estimate kept), and ``QA_RADSAT`` ≠ 0 (a band saturated; estimate kept) when the
  scene has that file (:mod:`leaf_qgis.core.masks`, the rules the Earth Engine path applies). The engine evaluates
  the bits itself (:attr:`ProduceConfig.qa_pixel_path`), so no intermediate mask is written.
* **Angles.** Sun zenith = 90° − ``SUN_ELEVATION`` (``SUN_AZIMUTH`` is read and kept). The view is taken at nadir:
  view zenith 0°, relative azimuth 0° (cos VZA = cos RAA = 1), exactly as the Earth Engine engine does
  (:mod:`leaf_qgis.engines.gee.angles`): Landsat looks at most 7.5° off nadir, and at nadir the relative azimuth
  has no physical meaning. The two engines therefore agree on the same scene.
"""

from __future__ import annotations

import os
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from osgeo import gdal

from ...core.errors import QT_TRANSLATE_NOOP, LeafError
from ...core.masks import LANDSAT_SATURATION_BAND
from ...core.sensors import SENSORS, Sensor
from ...rasters.raster_io import quiet_gdal, read_vsi_bytes
from .angles import ConstantAngles

#: ``SPACECRAFT_ID`` of the MTL → sensor key (from the sensor records' ``spacecraft_ids``).
_SENSOR_OF_SPACECRAFT: dict[str, str] = {sc: s.key for s in SENSORS.values() for sc in s.spacecraft_ids}
LEVEL2_LEVELS = ("L2SP", "L2SR")
SR_GROUP = "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS"
#: Collection 2 Level-2 surface-reflectance scaling when the MTL lists none (the same for every Landsat).
DEFAULT_MULT, DEFAULT_ADD = SENSORS["L8"].dn_scale, SENSORS["L8"].dn_offset
#: View geometry of a Landsat scene (degrees): nadir, as on Earth Engine (see the module docstring).
VIEW_ZENITH = 0.0
RELATIVE_AZIMUTH = 0.0
_MTL = re.compile(r"_MTL\.(txt|xml)$", re.IGNORECASE)
_TAR = re.compile(r"\.(tar|tar\.gz|tgz)$", re.IGNORECASE)
_FILE = re.compile(r"_(SR_B\d|QA_PIXEL|QA_RADSAT)\.TIF$", re.IGNORECASE)


def is_scene_path(value: str) -> bool:
    """Does ``value`` name a Landsat C2 scene rather than a plain raster? (Cheap: looks, does not parse.)"""
    value = str(value or "").strip()
    if not value:
        return False
    path = value.rstrip("/\\")
    name = os.path.basename(path)
    if _MTL.search(name) or _TAR.search(name):
        return True
    if path.startswith("/vsitar/"):  # a folder inside a tar, not a raster inside it
        stat = gdal.VSIStatL(path)
        return stat is not None and stat.IsDirectory()
    if os.path.isdir(path):
        try:
            return any(_MTL.search(n) for n in os.listdir(path))
        except OSError:
            return False
    return False


def _not_a_scene(path: str, reason: str) -> LeafError:
    return LeafError(
        QT_TRANSLATE_NOOP("leaf", "'{path}' is not a readable Landsat Collection 2 scene ({reason}). Give the scene "
                                  "folder, its .tar as downloaded, or its _MTL.txt file."),
        path=path, reason=reason,
    )


def parse_mtl(text: str) -> dict[tuple[str, str], str]:
    """``(group, key) → value`` of an MTL file, ODL text (``GROUP = …`` / ``KEY = value``) or XML."""
    values: dict[tuple[str, str], str] = {}
    if text.lstrip().startswith("<"):
        root = ET.fromstring(text)
        for group in root.iter():
            for item in group:
                if len(item) == 0:
                    values[(group.tag, item.tag)] = (item.text or "").strip()
        return values
    groups: list[str] = []
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep:
            continue
        if key == "GROUP":
            groups.append(value)
        elif key == "END_GROUP":
            if groups:
                groups.pop()
        else:
            values[(groups[-1] if groups else "", key)] = value.strip('"')
    return values


def _find(values: dict[tuple[str, str], str], key: str, group: str | None = None) -> str | None:
    for (g, k), value in values.items():
        if k == key and (group is None or g == group):
            return value
    return None


def band_number(band: str) -> int:
    """``SR_B5`` → 5."""
    return int(band.rsplit("B", 1)[1])


@dataclass(frozen=True)
class LandsatScene:
    """What the engine needs from one Collection 2 Level-2 scene; build it with :func:`open_scene`."""

    source: str
    mtl: str
    """GDAL path of the MTL file (``/vsitar/…`` inside a tar)."""
    spacecraft: str
    sensor_key: str
    processing_level: str
    sun_elevation: float
    sun_azimuth: float
    reflectance_mult: dict[int, float]
    """Surface-reflectance scale per band number (Level-2 group of the MTL)."""
    reflectance_add: dict[int, float]
    band_files: dict[str, str]
    """``SR_B1`` … ``QA_PIXEL``, ``QA_RADSAT`` → GDAL path of the GeoTIFF."""

    @property
    def sun_zenith(self) -> float:
        return 90.0 - self.sun_elevation

    def scale(self, band: str) -> float:
        return self.reflectance_mult.get(band_number(band), DEFAULT_MULT)

    def offset(self, band: str) -> float:
        return self.reflectance_add.get(band_number(band), DEFAULT_ADD)

    def angles(self) -> ConstantAngles:
        """Sun from the MTL, view at nadir (see the module docstring)."""
        return ConstantAngles(self.sun_zenith, VIEW_ZENITH, RELATIVE_AZIMUTH, source="the scene metadata (MTL)")


def _listing(folder: str) -> list[str]:
    """Files of ``folder`` (a local folder or a ``/vsitar/`` path) relative to it."""
    if folder.startswith("/vsi"):
        return [e for e in (gdal.ReadDirRecursive(folder) or []) if not e.endswith("/")]
    files = []
    for parent, _, names in os.walk(folder):
        rel = os.path.relpath(parent, folder)
        files.extend(os.path.normpath(os.path.join(rel, n)).replace(os.sep, "/") for n in names)
    return files


def _locate(value: str) -> tuple[str, list[str]]:
    """(GDAL path of the MTL file, the files beside it as GDAL paths)."""
    path = value.strip().rstrip("/\\")
    if _MTL.search(os.path.basename(path)):
        folder = os.path.dirname(path) or "."
        if not folder.startswith("/vsi"):
            if not os.path.isfile(path):
                raise _not_a_scene(value, "no such file")
            folder = os.path.abspath(folder)
        mtl = f"{folder}/{os.path.basename(path)}"
    else:
        if path.startswith("/vsitar/"):
            folder = path
        elif _TAR.search(path) and os.path.isfile(path):
            folder = f"/vsitar/{os.path.abspath(path)}"
        elif os.path.isdir(path):
            folder = os.path.abspath(path)
        else:
            raise _not_a_scene(value, "no such folder or .tar file")
        found = [f for f in _listing(folder) if _MTL.search(f)]
        stems = sorted({_MTL.sub("", f) for f in found})
        if len(stems) != 1:
            raise _not_a_scene(value, f"{len(stems)} _MTL files, expected one")
        # The text MTL first (every Collection 2 bundle has it); the XML one alone works too.
        mtl = f"{folder}/{sorted(found, key=lambda f: not f.lower().endswith('.txt'))[0]}"
    scene_dir = os.path.dirname(mtl)
    if scene_dir.startswith("/vsi"):
        names = [e for e in (gdal.ReadDir(scene_dir) or []) if e not in (".", "..")]
    else:
        names = os.listdir(scene_dir)
    return mtl, [f"{scene_dir}/{n}" for n in names]


def open_scene(value: str) -> LandsatScene:
    """Locate and parse a Collection 2 Level-2 scene; raises :class:`LeafError` saying what is wrong."""
    mtl, files = _locate(value)
    try:
        values = parse_mtl(read_vsi_bytes(mtl).decode("utf-8", errors="replace"))
    except (OSError, ET.ParseError, ValueError) as error:
        raise _not_a_scene(value, f"metadata unreadable: {error}") from error
    spacecraft = (_find(values, "SPACECRAFT_ID") or "").upper()
    level = (_find(values, "PROCESSING_LEVEL") or "").upper()
    if not level and any(g == SR_GROUP for g, _ in values):
        level = "L2SP"
    if level not in LEVEL2_LEVELS:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "'{path}' is a {level} Landsat product: the local engine needs Level-2 surface "
                                      "reflectance (processing level L2SP or L2SR, the SR_B*.TIF files). Download the "
                                      "Collection 2 Level-2 product of this scene."),
            path=value, level=level or "?",
        )
    if spacecraft not in _SENSOR_OF_SPACECRAFT:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The Landsat scene '{path}' comes from {spacecraft}; LEAF has networks for "
                                      "Landsat 5, 7, 8 and 9 only."),
            path=value, spacecraft=spacecraft or "?",
        )
    try:
        elevation = float(_find(values, "SUN_ELEVATION") or "nan")
        azimuth = float(_find(values, "SUN_AZIMUTH") or "nan")
        mult, add = {}, {}
        for (group, key), text in values.items():
            if group != SR_GROUP:
                continue
            if key.startswith("REFLECTANCE_MULT_BAND_"):
                mult[int(key.rsplit("_", 1)[1])] = float(text)
            elif key.startswith("REFLECTANCE_ADD_BAND_"):
                add[int(key.rsplit("_", 1)[1])] = float(text)
    except ValueError as error:
        raise _not_a_scene(value, f"metadata unreadable: {error}") from error
    if elevation != elevation:  # NaN
        raise _not_a_scene(value, "no SUN_ELEVATION in the MTL")
    stem = _MTL.sub("", os.path.basename(mtl)).upper()
    band_files: dict[str, str] = {}
    for path in sorted(files):
        name = os.path.basename(path)
        found = _FILE.search(name)
        if not found:
            continue
        token = found.group(1).upper()
        # A file named after this scene's product id wins over any other copy in the folder.
        if token not in band_files or name.upper().startswith(stem):
            band_files[token] = path
    return LandsatScene(value, mtl, spacecraft, _SENSOR_OF_SPACECRAFT[spacecraft], level, elevation, azimuth, mult, add,
                        band_files)


@dataclass
class LandsatInputs:
    """The engine inputs derived from a scene for one sensor; :meth:`close` frees the in-memory VRT."""

    stack: str
    """GDAL path of the band stack (network order, then the range-test bands of :attr:`range_bands`)."""
    qa_pixel: str
    qa_radsat: str | None
    scale: tuple[float, ...]
    """One value per band of :attr:`stack`."""
    offset: tuple[float, ...]
    angles: ConstantAngles
    nodata: float = 0.0
    range_bands: dict[str, int] = field(default_factory=dict)
    """Range-test band → its band in :attr:`stack` (:attr:`ProduceConfig.range_bands`)."""
    _vsimem: tuple[str, ...] = ()

    def close(self) -> None:
        for path in self._vsimem:
            gdal.Unlink(path)


def check_sensor(scene: LandsatScene, sensor_key: str) -> None:
    """A SENSOR that is not the scene's spacecraft is refused (the networks and the QC code would be wrong)."""
    if sensor_key != scene.sensor_key:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The Landsat scene '{path}' was acquired by {spacecraft} but SENSOR is {key}. "
                                      "Choose SENSOR {scene_key}."),
            path=scene.source, spacecraft=scene.spacecraft, key=sensor_key, scene_key=scene.sensor_key,
        )


def prepare_inputs(scene: LandsatScene, sensor: Sensor | None = None) -> LandsatInputs:
    """Stack the bands of ``sensor`` (default: the scene's own) and derive scale, offset, QA paths and angles."""
    sensor = sensor or SENSORS[scene.sensor_key]
    check_sensor(scene, sensor.key)
    bands = list(sensor.spectral_inputs)
    missing = [b for b in [*bands, "QA_PIXEL"] if b not in scene.band_files]
    if missing:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The Landsat scene '{path}' lacks the files of {bands}. Check that the "
                                      "download is complete (Collection 2 Level-2, all bands)."),
            path=scene.source, bands=", ".join(f"*_{b}.TIF" for b in missing),
        )
    extra = [b for b in sensor.range_only_bands if b in scene.band_files]  # a missing one is not tested
    stacked = [*bands, *extra]
    stack_path = f"/vsimem/leaf_qgis_{uuid.uuid4().hex}_landsat_stack.vrt"
    with quiet_gdal():
        stack = gdal.BuildVRT(stack_path, [scene.band_files[b] for b in stacked], separate=True)
        if stack is None:
            raise _not_a_scene(scene.source, gdal.GetLastErrorMsg() or "band files unreadable")
        stack = None
    return LandsatInputs(
        stack_path, scene.band_files["QA_PIXEL"], scene.band_files.get(LANDSAT_SATURATION_BAND),
        scale=tuple(scene.scale(b) for b in stacked),
        offset=tuple(scene.offset(b) for b in stacked),
        angles=scene.angles().validated(), range_bands={b: len(bands) + k for k, b in enumerate(extra, 1)},
        _vsimem=(stack_path,),
    )
