"""Sun and view geometry for the local engine, turned into the three cosines every SL2P network takes.

Three sources, all in degrees:

* :class:`ConstantAngles` — one sun zenith, view zenith and relative azimuth for the whole raster (what LEAF production
  does for Sentinel-2: the scene means from the product metadata);
* :class:`AngleRaster` — a raster on the input grid with bands SZA, VZA, RAA;
* :class:`AngleGrid` — coarse grids of the three cosines (e.g. the 5 km Sentinel-2 granule grids), bilinearly
  interpolated at pixel centres. Cosines rather than angles are interpolated so that azimuths crossing 0°/360° need no
  special case.

Relative azimuth is sun azimuth minus view azimuth; only its cosine enters the networks, so the sign does not matter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Union

from ...core.errors import QT_TRANSLATE_NOOP, LeafError
from ...rasters.raster_io import Window

ZENITH_RANGE = (0.0, 90.0)
AZIMUTH_RANGE = (0.0, 360.0)
ANGLE_BAND_NAMES = ("SZA", "VZA", "RAA")
"""Band order of an angle raster."""


def check_angle(name: str, value: float | None, valid: tuple[float, float], source: str = "") -> float:
    """``value`` as a float within ``valid`` (inclusive), or a :class:`LeafError` naming the parameter — or, when the
    angle was read from a product's metadata (``source``), naming that file instead: the user did not type it."""
    if source and (value is None or not valid[0] <= float(value) <= valid[1]):
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The angle {name} read from {source} is {value}, outside {low:g}–{high:g}°: "
                                      "that metadata is damaged or not as expected. Check the product (download it "
                                      "again); the angle parameters are not used for a product."),
            name=name, source=source, value="-" if value is None else f"{float(value):g}°", low=valid[0],
            high=valid[1],
        )
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The angle {name} is missing. Give the sun zenith, view zenith and relative "
                                      "azimuth in degrees, or an angle raster with bands SZA, VZA, RAA."),
            name=name,
        )
    value = float(value)
    if not valid[0] <= value <= valid[1]:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "{name} = {value:g}° is outside {low:g}–{high:g}°. Give the angle in degrees "
                                      "(zenith angles 0–90°, relative azimuth 0–360°)."),
            name=name, value=value, low=valid[0], high=valid[1],
        )
    return value


@dataclass(frozen=True)
class ConstantAngles:
    """One geometry for the whole raster, degrees."""

    sun_zenith: float
    view_zenith: float
    relative_azimuth: float
    source: str = ""
    """Where the angles were read (a metadata file), or empty when the user gave them as parameters."""

    def validated(self) -> ConstantAngles:
        names = ("SZA (sun zenith)", "VZA (view zenith)", "RAA (relative azimuth)") if self.source else (
            "SUN_ZENITH", "VIEW_ZENITH", "RELATIVE_AZIMUTH")
        return ConstantAngles(
            check_angle(names[0], self.sun_zenith, ZENITH_RANGE, self.source),
            check_angle(names[1], self.view_zenith, ZENITH_RANGE, self.source),
            check_angle(names[2], self.relative_azimuth, AZIMUTH_RANGE, self.source),
            self.source,
        )

    def cosines(self) -> tuple[float, float, float]:
        """(cos VZA, cos SZA, cos RAA): the network's angle inputs in network order."""
        return (math.cos(math.radians(self.view_zenith)), math.cos(math.radians(self.sun_zenith)),
                math.cos(math.radians(self.relative_azimuth)))


@dataclass(frozen=True)
class AngleRaster:
    """A raster on the input grid with three bands in degrees: SZA, VZA, RAA (see :data:`ANGLE_BAND_NAMES`)."""

    path: str


@dataclass(frozen=True)
class AngleGrid:
    """Coarse grids of cos VZA, cos SZA, cos RAA whose node (i, j) sits at (x0 + j·dx, y0 − i·dy) in the input CRS."""

    x0: float
    y0: float
    dx: float
    dy: float
    cos_vza: Any
    cos_sza: Any
    cos_raa: Any

    def cosines(self, geotransform: tuple[float, ...], window: Window) -> tuple[Any, Any, Any]:
        """Bilinear interpolation at the window's pixel centres; arrays of shape (ysize, xsize), float32.

        Separable weights (one vector per axis) keep the cost at a few operations per pixel.
        """
        import numpy as np

        gx0, gdx, _, gy0, _, gdy = geotransform
        cols = gx0 + (window.xoff + np.arange(window.xsize) + 0.5) * gdx
        rows = gy0 + (window.yoff + np.arange(window.ysize) + 0.5) * gdy
        fx = np.clip((cols - self.x0) / self.dx, 0, self.cos_vza.shape[1] - 1)
        fy = np.clip((self.y0 - rows) / self.dy, 0, self.cos_vza.shape[0] - 1)
        j0 = np.minimum(np.floor(fx).astype(int), self.cos_vza.shape[1] - 2).clip(0)
        i0 = np.minimum(np.floor(fy).astype(int), self.cos_vza.shape[0] - 2).clip(0)
        wx = (fx - j0).astype(np.float32)[None, :]
        wy = (fy - i0).astype(np.float32)[:, None]
        j1 = np.minimum(j0 + 1, self.cos_vza.shape[1] - 1)
        i1 = np.minimum(i0 + 1, self.cos_vza.shape[0] - 1)
        out = []
        for grid in (self.cos_vza, self.cos_sza, self.cos_raa):
            g = np.asarray(grid, dtype=np.float32)
            top = g[i0][:, j0] * (1 - wx) + g[i0][:, j1] * wx
            bottom = g[i1][:, j0] * (1 - wx) + g[i1][:, j1] * wx
            out.append(top * (1 - wy) + bottom * wy)
        return out[0], out[1], out[2]


AngleSource = Union[ConstantAngles, AngleRaster, AngleGrid]


def raster_cosines(degrees: Any, nodata: tuple[float | None, ...]) -> tuple[tuple[Any, Any, Any], Any]:
    """Cosines from an angle-raster window ``(3, ysize, xsize)`` in degrees, and a bool array of pixels whose angles
    are missing (nodata/NaN). Out-of-range values are checked before the run by :func:`check_angle_raster_ranges`."""
    import numpy as np

    values = degrees.astype(np.float32, copy=False)
    missing = np.zeros(values.shape[1:], dtype=bool)
    for band, nd in zip(values, nodata):
        missing |= np.isnan(band)
        if nd is not None:
            missing |= band == np.float32(nd)
    sza, vza, raa = (np.cos(np.radians(band)) for band in values)
    return (vza, sza, raa), missing


def check_angle_raster_ranges(ds: Any, path: str) -> None:
    """Exact min/max of each band (GDAL, ignoring nodata) must be valid degrees: fail before anything is written."""
    if ds.RasterCount != len(ANGLE_BAND_NAMES):
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "The angle raster '{path}' has {count} bands; it needs 3, in degrees: sun "
                                      "zenith (SZA), view zenith (VZA), relative azimuth (RAA)."),
            path=path, count=ds.RasterCount,
        )
    from ...rasters.raster_io import quiet_gdal

    for index, (name, valid) in enumerate(zip(ANGLE_BAND_NAMES, (ZENITH_RANGE, ZENITH_RANGE, AZIMUTH_RANGE)), 1):
        with quiet_gdal():
            try:
                low, high = ds.GetRasterBand(index).ComputeRasterMinMax(False)
            except (RuntimeError, TypeError):  # all pixels nodata
                continue
        if low < valid[0] or high > valid[1]:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Band {index} ({name}) of the angle raster '{path}' holds {low:g}–{high:g}°, "
                                          "outside {vlow:g}–{vhigh:g}°. The bands must be SZA, VZA, RAA in degrees."),
                index=index, name=name, path=path, low=low, high=high, vlow=valid[0], vhigh=valid[1],
            )
