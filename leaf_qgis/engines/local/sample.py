"""A small synthetic Sentinel-2 20 m scene for ``make demo`` and the tests, generated deterministically.

Provenance: **synthetic**. No satellite data is involved. The scene is 200 × 200 pixels of 20 m (4 km × 4 km) in
EPSG:3979 inside CCRS tile55 (upper-left corner x = 1 400 000 m, y = −100 000 m; tile55 spans x 1 000 000 …
1 900 000 m, y −585 075 … 314 925 m). Each cover class gets one surface-reflectance spectrum over the eight SL2P
bands (B3, B4, B5, B6, B7, B8A, B11, B12), picked by hand to follow the textbook shapes of those covers (vegetation:
low red, red-edge rise, high NIR, SWIR lowered by leaf water; soil: reflectance rising slowly to the SWIR; water:
dark, falling to near zero in the NIR/SWIR; cloud: bright and flat). They are representative values, not
measurements, and not taken from a spectral library. A deterministic 3 % multiplicative noise (seed 20240715) keeps
the maps from looking flat, and the cropland strip mixes soil and green crop linearly from west (bare) to east
(dense canopy), so LAI, fCOVER and fAPAR show a gradient.

Layout (rows from the north, columns from the west): needleleaf forest (rows 0–99, columns 0–99), broadleaf forest
(rows 0–99, columns 100–199) with a round lake, cropland gradient (rows 100–149), grassland (rows 150–199, columns
0–99), bare soil (rows 150–199, columns 100–199), a cloud with its shadow over the forest/crop edge, and a 10 × 10
no-data corner (DN 0) in the south-east.

Files written by :func:`write_sample`:

* ``sample_s2_20m.tif`` — uint16, 8 bands in SL2P order, DN = round(ρ · 10 000) with no BOA offset (as Earth Engine's
  harmonized ``COPERNICUS/S2_SR_HARMONIZED`` delivers it), nodata 0;
* ``sample_landcover.tif`` — uint8 NALCMS classes (1 needleleaf, 5 broadleaf deciduous, 10 temperate grassland,
  15 cropland, 16 barren, 18 water), nodata 0;
* ``sample_mask.tif`` — uint8, 1 = cloud or cloud shadow, 0 = clear.

Sun and view angles: :data:`SAMPLE_ANGLES` (degrees), typical of a July morning overpass over southern Canada.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from ...core.sensors import SENSORS

SIZE = 200
PIXEL = 20.0
ORIGIN = (1_400_000.0, -100_000.0)
EPSG = 3979
SEED = 20240715
SAMPLE_DATE = "2024-07-15"
#: Sun zenith, view zenith, relative azimuth (degrees) for the sample.
SAMPLE_ANGLES = {"SUN_ZENITH": 35.0, "VIEW_ZENITH": 5.0, "RELATIVE_AZIMUTH": 120.0}
FILES = {"INPUT": "sample_s2_20m.tif", "LANDCOVER": "sample_landcover.tif", "MASK": "sample_mask.tif"}

#: Surface reflectance per cover, in the order of ``SENSORS["S2"].spectral_inputs`` (B3 B4 B5 B6 B7 B8A B11 B12).
SPECTRA: dict[str, tuple[float, ...]] = {
    "needleleaf": (0.035, 0.022, 0.060, 0.150, 0.190, 0.215, 0.105, 0.048),
    "broadleaf": (0.050, 0.030, 0.085, 0.270, 0.340, 0.370, 0.175, 0.078),
    "crop": (0.060, 0.030, 0.100, 0.330, 0.430, 0.470, 0.200, 0.090),
    "grass": (0.070, 0.060, 0.110, 0.220, 0.260, 0.285, 0.240, 0.140),
    "soil": (0.100, 0.140, 0.170, 0.190, 0.210, 0.230, 0.300, 0.250),
    "water": (0.040, 0.030, 0.020, 0.015, 0.012, 0.010, 0.005, 0.003),
    "cloud": (0.460, 0.450, 0.460, 0.470, 0.470, 0.470, 0.330, 0.220),
}
#: NALCMS class of each cover.
NALCMS = {"needleleaf": 1, "broadleaf": 5, "crop": 15, "grass": 10, "soil": 16, "water": 18}


def scene() -> dict[str, Any]:
    """The sample as arrays: ``reflectance`` (8, 200, 200) float32, ``landcover`` and ``mask`` (200, 200) uint8,
    ``nodata`` (200, 200) bool."""
    import numpy as np

    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    spectra = {k: np.array(v, dtype=np.float32)[:, None, None] for k, v in SPECTRA.items()}
    refl = np.zeros((len(SPECTRA["soil"]), SIZE, SIZE), dtype=np.float32)
    landcover = np.zeros((SIZE, SIZE), dtype=np.uint8)

    def paint(where: Any, cover: str) -> None:
        refl[:, where] = spectra[cover][:, 0, 0][:, None]
        landcover[where] = NALCMS[cover]

    paint((rows < 100) & (cols < 100), "needleleaf")
    paint((rows < 100) & (cols >= 100), "broadleaf")
    paint((rows >= 150) & (cols < 100), "grass")
    paint((rows >= 150) & (cols >= 100), "soil")
    crop = (rows >= 100) & (rows < 150)
    fraction = (cols / (SIZE - 1)).astype(np.float32)
    mixed = spectra["soil"] * (1 - fraction) + spectra["crop"] * fraction
    refl[:, crop] = mixed[:, crop]
    landcover[crop] = NALCMS["crop"]
    paint((rows - 55) ** 2 + (cols - 150) ** 2 <= 18**2, "water")

    rng = np.random.RandomState(SEED)
    refl *= (1 + 0.03 * rng.standard_normal(refl.shape)).astype(np.float32)

    cloud = ((rows - 105) / 14.0) ** 2 + ((cols - 60) / 20.0) ** 2 <= 1
    shadow = (((rows - 115) / 14.0) ** 2 + ((cols - 85) / 20.0) ** 2 <= 1) & ~cloud
    refl[:, shadow] *= 0.35
    refl[:, cloud] = spectra["cloud"][:, 0, 0][:, None]
    mask = (cloud | shadow).astype(np.uint8)
    nodata = (rows >= SIZE - 10) & (cols >= SIZE - 10)
    return {"reflectance": refl, "landcover": landcover, "mask": mask, "nodata": nodata}


def geotransform() -> tuple[float, ...]:
    return (ORIGIN[0], PIXEL, 0.0, ORIGIN[1], 0.0, -PIXEL)


def write_sample(folder: str) -> dict[str, str]:
    """Write the three sample rasters into ``folder`` (created if needed); returns parameter name → path."""
    import numpy as np
    from osgeo import gdal, osr

    os.makedirs(folder, exist_ok=True)
    data = scene()
    dn = np.clip(np.round(data["reflectance"] * 10000), 1, 65535).astype(np.uint16)
    dn[:, data["nodata"]] = 0
    landcover = data["landcover"].copy()
    landcover[data["nodata"]] = 0
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    paths = {key: os.path.join(folder, name) for key, name in FILES.items()}
    bands = SENSORS["S2"].spectral_inputs
    layers = (
        (paths["INPUT"], dn, gdal.GDT_UInt16, 0, bands),
        (paths["LANDCOVER"], landcover[None], gdal.GDT_Byte, 0, ("NALCMS",)),
        (paths["MASK"], data["mask"][None], gdal.GDT_Byte, None, ("invalid",)),
    )
    for path, array, data_type, nodata, names in layers:
        ds = gdal.GetDriverByName("GTiff").Create(path, SIZE, SIZE, array.shape[0], data_type,
                                                  ["COMPRESS=DEFLATE", "TILED=YES"])
        ds.SetGeoTransform(geotransform())
        ds.SetProjection(srs.ExportToWkt())
        ds.SetMetadata({"LEAF_SAMPLE": "synthetic scene generated by leaf_qgis.engines.local.sample",
                        "ACQUISITION_DATE": SAMPLE_DATE})
        for index, (plane, name) in enumerate(zip(array, names), 1):
            band = ds.GetRasterBand(index)
            band.WriteArray(plane)
            band.SetDescription(name)
            if nodata is not None:
                band.SetNoDataValue(nodata)
        ds = None
    return paths


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m leaf_qgis.engines.local.sample OUTPUT_FOLDER", file=sys.stderr)
        return 2
    for key, path in write_sample(argv[0]).items():
        print(f"{key}={path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
