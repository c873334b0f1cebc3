"""Small rasters and a synthetic Sentinel-2 L2A product for the local-engine tests (unit and QGIS).

The SAFE product is tiny (40 × 30 pixels at 20 m, 80 × 60 at 10 m) but has the real layout: ``MTD_MSIL2A.xml`` with
the processing baseline, quantification and BOA offsets; one granule with ``MTD_TL.xml`` (mean angles, 3 × 3 angle
grids with two detectors) and lossless JPEG 2000 band files named as ESA names them.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

UTM = 32614
ULX, ULY = 500_000.0, 5_000_000.0
W20, H20 = 40, 30
SAFE_NAME = "S2B_MSIL2A_20240715T170849_N0510_R112_T14UNA_20240715T213000.SAFE"
GRANULE = "L2A_T14UNA_A038512_20240715T171511"
STEM = "T14UNA_20240715T170849"
BANDS_20 = ("B03", "B04", "B05", "B06", "B07", "B8A", "B11", "B12")
BANDS_10 = ("B02", "B03", "B04", "B08")
PHYSICAL = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B10", "B11", "B12")
#: Reflectance per band of a green canopy (20 m order, then 10 m B02).
GREEN = dict(zip(BANDS_20, (0.05, 0.03, 0.09, 0.28, 0.35, 0.38, 0.18, 0.08)), B02=0.03, B08=0.37)
SUN = (40.0, 160.0)
VIEW = {"B8A": (6.0, 100.0), "B08": (5.5, 101.0)}


def srs_wkt(epsg: int) -> str:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    return srs.ExportToWkt()


def write_raster(path: os.PathLike | str, array: np.ndarray, geotransform=(1_400_000.0, 20.0, 0.0, -100_000.0, 0.0,
                 -20.0), epsg: int = 3979, nodata: float | None = None, names: tuple[str, ...] = ()) -> str:
    """A GeoTIFF from a ``(bands, rows, cols)`` (or 2-D) array, its GDAL type from the array's dtype."""
    array = array[None] if array.ndim == 2 else array
    data_type = gdal.GetDataTypeByName({"uint8": "Byte", "uint16": "UInt16", "int16": "Int16", "float32": "Float32",
                                        "float64": "Float64", "int32": "Int32"}[array.dtype.name])
    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[2], array.shape[1], array.shape[0], data_type)
    ds.SetGeoTransform(geotransform)
    ds.SetProjection(srs_wkt(epsg))
    for index, plane in enumerate(array, 1):
        band = ds.GetRasterBand(index)
        band.WriteArray(plane)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        if names:
            band.SetDescription(names[index - 1])
    ds = None
    return str(path)


def _jp2(path: Path, array: np.ndarray, pixel: float) -> None:
    mem = gdal.GetDriverByName("MEM").Create("", array.shape[1], array.shape[0], 1, gdal.GDT_UInt16 if
                                             array.dtype == np.uint16 else gdal.GDT_Byte)
    mem.SetGeoTransform((ULX, pixel, 0.0, ULY, 0.0, -pixel))
    mem.SetProjection(srs_wkt(UTM))
    mem.GetRasterBand(1).WriteArray(array)
    gdal.GetDriverByName("JP2OpenJPEG").CreateCopy(str(path), mem, options=["REVERSIBLE=YES", "QUALITY=100"])


def _grid_xml(values: np.ndarray, step: float) -> str:
    rows = "".join(f"<VALUES>{' '.join('NaN' if np.isnan(v) else f'{v:g}' for v in row)}</VALUES>" for row in values)
    return (f'<COL_STEP unit="m">{step:g}</COL_STEP><ROW_STEP unit="m">{step:g}</ROW_STEP>'
            f"<Values_List>{rows}</Values_List>")


def tile_xml(step: float = 400.0) -> str:
    """MTD_TL.xml with mean angles and 3 × 3 grids (sun zenith rising eastwards; two detectors for the NIR bands)."""
    sza = np.array([[38.0, 40.0, 42.0]] * 3)
    saa = np.full((3, 3), SUN[1])
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<n1:Level-2A_Tile_ID xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/S2_PDI_Level-2A_Tile_Metadata.xsd">',
        "<n1:Geometric_Info><Tile_Geocoding metadataLevel=\"Brief\">",
        f"<HORIZONTAL_CS_CODE>EPSG:{UTM}</HORIZONTAL_CS_CODE>",
        f'<Geoposition resolution="10"><ULX>{ULX:.0f}</ULX><ULY>{ULY:.0f}</ULY><XDIM>10</XDIM><YDIM>-10</YDIM>'
        "</Geoposition></Tile_Geocoding><Tile_Angles>",
        f"<Sun_Angles_Grid><Zenith>{_grid_xml(sza, step)}</Zenith><Azimuth>{_grid_xml(saa, step)}</Azimuth>"
        "</Sun_Angles_Grid>",
        f'<Mean_Sun_Angle><ZENITH_ANGLE unit="deg">{SUN[0]}</ZENITH_ANGLE>'
        f'<AZIMUTH_ANGLE unit="deg">{SUN[1]}</AZIMUTH_ANGLE></Mean_Sun_Angle>',
    ]
    for band, (zenith, azimuth) in VIEW.items():
        band_id = PHYSICAL.index(band.replace("B0", "B"))
        west = np.array([[zenith - 1, zenith - 1, np.nan]] * 3)
        east = np.array([[np.nan, zenith + 1, zenith + 1]] * 3)
        for detector, grid in ((1, west), (2, east)):
            parts.append(f'<Viewing_Incidence_Angles_Grids bandId="{band_id}" detectorId="{detector}">'
                         f"<Zenith>{_grid_xml(grid, step)}</Zenith>"
                         f"<Azimuth>{_grid_xml(np.where(np.isnan(grid), np.nan, azimuth), step)}</Azimuth>"
                         "</Viewing_Incidence_Angles_Grids>")
    parts.append("<Mean_Viewing_Incidence_Angle_List>")
    for band, (zenith, azimuth) in VIEW.items():
        band_id = PHYSICAL.index(band.replace("B0", "B"))
        parts.append(f'<Mean_Viewing_Incidence_Angle bandId="{band_id}"><ZENITH_ANGLE unit="deg">{zenith}'
                     f'</ZENITH_ANGLE><AZIMUTH_ANGLE unit="deg">{azimuth}</AZIMUTH_ANGLE>'
                     "</Mean_Viewing_Incidence_Angle>")
    parts.append("</Mean_Viewing_Incidence_Angle_List></Tile_Angles></n1:Geometric_Info></n1:Level-2A_Tile_ID>")
    return "".join(parts)


def product_xml(baseline: str, boa_offset: float | None) -> str:
    offsets = ""
    if boa_offset is not None:
        offsets = "<BOA_ADD_OFFSET_VALUES_LIST>" + "".join(
            f'<BOA_ADD_OFFSET band_id="{i}">{boa_offset:g}</BOA_ADD_OFFSET>' for i in range(13)
        ) + "</BOA_ADD_OFFSET_VALUES_LIST>"
    spectral = "".join(f'<Spectral_Information bandId="{i}" physicalBand="{b}"/>' for i, b in enumerate(PHYSICAL))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<n1:Level-2A_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd">'
        f"<n1:General_Info><Product_Info><PROCESSING_BASELINE>{baseline}</PROCESSING_BASELINE>"
        "<PROCESSING_LEVEL>Level-2A</PROCESSING_LEVEL></Product_Info><Product_Image_Characteristics>"
        '<QUANTIFICATION_VALUES_LIST><BOA_QUANTIFICATION_VALUE unit="none">10000</BOA_QUANTIFICATION_VALUE>'
        f"</QUANTIFICATION_VALUES_LIST>{offsets}<Spectral_Information_List>{spectral}</Spectral_Information_List>"
        "</Product_Image_Characteristics></n1:General_Info></n1:Level-2A_User_Product>"
    )


def make_safe(folder: os.PathLike | str, baseline: str = "05.10", boa_offset: float | None = -1000.0,
              as_zip: bool = False, b02_20m: bool = False) -> dict:
    """Write a synthetic L2A product; returns its path and the truth: reflectance per band and resolution, SCL.

    West half: green canopy; east half: the same canopy at 60 %; SCL: a cloud (9) block, a water (6) block, a
    shadow (3) block, a no-data (0) corner, vegetation (4) elsewhere. ``b02_20m``: also the 20 m B02 of real
    products (a range-test band), with a reflectance of 1.2 at pixel (0, 5).
    """
    folder = Path(folder)
    root = folder / SAFE_NAME
    img = root / "GRANULE" / GRANULE / "IMG_DATA"
    for res in ("R10m", "R20m", "R60m"):
        (img / res).mkdir(parents=True, exist_ok=True)
    (root / "MTD_MSIL2A.xml").write_text(product_xml(baseline, boa_offset))
    (root / "GRANULE" / GRANULE / "MTD_TL.xml").write_text(tile_xml())
    (root / "GRANULE" / GRANULE / "QI_DATA").mkdir(exist_ok=True)
    if boa_offset is not None:
        add = -boa_offset
    else:  # the reader assumes ESA's -1000 for baseline 04.00 and later when the list is missing
        add = 1000.0 if float(baseline) >= 4.0 else 0.0
    truth: dict = {"reflectance": {}, "path": str(root)}
    for res, bands, (w, h) in ((20, BANDS_20 + ("B02",) * b02_20m, (W20, H20)), (10, BANDS_10, (2 * W20, 2 * H20))):
        factor = np.ones((h, w), dtype=np.float32)
        factor[:, w // 2:] = 0.6
        for band in bands:
            rho = (GREEN[band] * factor).astype(np.float32)
            if (res, band) == (20, "B02"):
                rho[0, 5] = 1.2
            dn = np.round(rho * 10000 + add).astype(np.uint16)
            if res == 20:
                dn[-3:, -3:] = 0
            else:
                dn[-6:, -6:] = 0
            _jp2(img / f"R{res}m" / f"{STEM}_{band}_{res}m.jp2", dn, float(res))
            truth["reflectance"][(res, band)] = rho
    scl = np.full((H20, W20), 4, dtype=np.uint8)
    scl[2:6, 2:8] = 9
    scl[10:14, 2:8] = 6
    scl[20:24, 2:8] = 3
    scl[-3:, -3:] = 0
    _jp2(img / "R20m" / f"{STEM}_SCL_20m.jp2", scl, 20.0)
    truth["scl"] = scl
    if as_zip:
        archive = folder / (SAFE_NAME.replace(".SAFE", ".zip"))
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
            for path in sorted(root.rglob("*")):
                zf.write(path, path.relative_to(folder).as_posix())
        truth["path"] = str(archive)
    return truth


def epsg_transform(source: int, target: int) -> osr.CoordinateTransformation:
    """The transformation from EPSG ``source`` to EPSG ``target``, both in (x, y) / (lon, lat) order."""
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(source)
    dst.ImportFromEPSG(target)
    for srs in (src, dst):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(src, dst)


def make_landcover_3979(path: os.PathLike | str, classes: tuple[int, ...] = (1, 5, 15, 17, 18),
                        dtype: type = np.uint8) -> str:
    """NALCMS classes at 30 m in EPSG:3979 (as distributed, not the product's grid) covering the synthetic product
    with a margin: blocks of 5 × 4 cells cycling through ``classes`` (forest, crops, urban, water by default)."""
    transform = epsg_transform(UTM, 3979)
    corners = [transform.TransformPoint(ULX + i * W20 * 20.0, ULY - j * H20 * 20.0) for i in (0, 1) for j in (0, 1)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    x0, y0 = min(xs) - 300.0, max(ys) + 300.0
    width, height = int((max(xs) - x0 + 300.0) / 30.0) + 1, int((y0 - min(ys) + 300.0) / 30.0) + 1
    table = np.array(classes, dtype=dtype)
    grid = table[np.add.outer(np.arange(height) // 4, np.arange(width) // 5) % len(table)]
    return write_raster(path, grid, (x0, 30.0, 0.0, y0, 0.0, -30.0), 3979)
