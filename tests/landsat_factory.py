"""A synthetic Landsat Collection 2 Level-2 scene for the local-engine tests (unit and QGIS).

Tiny (40 × 30 pixels at 30 m) but with the real layout of a USGS bundle: ``<product id>_MTL.txt`` (or ``.xml``) with
the Level-2 surface-reflectance scaling *and* the Level-1 TOA scaling of the same key names (the reader must take
the Level-2 group), ``_SR_B<n>.TIF`` uint16 bands, ``_QA_PIXEL.TIF`` and ``_QA_RADSAT.TIF``; as a folder or a flat
``.tar`` as downloaded.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import numpy as np

from tests.local_factory import write_raster

UTM = 32614
ULX, ULY = 600_000.0, 5_100_000.0
W, H = 40, 30
GEOTRANSFORM = (ULX, 30.0, 0.0, ULY, 0.0, -30.0)
SUN_ELEVATION, SUN_AZIMUTH = 52.5, 145.25
PRODUCT_IDS = {
    "L5": ("LANDSAT_5", "LT05_L2SP_033026_20100715_20200823_02_T1"),
    "L7": ("LANDSAT_7", "LE07_L2SP_033026_20020715_20200916_02_T1"),
    "L8": ("LANDSAT_8", "LC08_L2SP_033026_20240715_20240722_02_T1"),
    "L9": ("LANDSAT_9", "LC09_L2SP_033026_20240715_20240716_02_T1"),
}
#: Band numbers of the SR files in a bundle: TM/ETM+ 1–5 and 7, OLI 1–7.
BANDS = {"L5": (1, 2, 3, 4, 5, 7), "L7": (1, 2, 3, 4, 5, 7), "L8": (1, 2, 3, 4, 5, 6, 7), "L9": (1, 2, 3, 4, 5, 6, 7)}
#: Reflectance per band number, one spectrum per block of 10 columns (a canopy, a sparse canopy, soil, a canopy).
SPECTRA = (
    {1: 0.02, 2: 0.03, 3: 0.05, 4: 0.03, 5: 0.38, 6: 0.18, 7: 0.08},
    {1: 0.06, 2: 0.07, 3: 0.10, 4: 0.12, 5: 0.25, 6: 0.26, 7: 0.18},
    {1: 0.10, 2: 0.12, 3: 0.15, 4: 0.18, 5: 0.22, 6: 0.30, 7: 0.26},
    {1: 0.04, 2: 0.05, 3: 0.08, 4: 0.06, 5: 0.32, 6: 0.22, 7: 0.12},
)
CLEAR = 21824  # QA_PIXEL of a clear OLI pixel: bit 6 and the "low" confidence bits 8, 10, 12, 14
#: QA_PIXEL bit set in each band of rows, columns 2–7 (fill also zeroes the SR bands there).
QA_ROWS = {0: slice(0, 3), 1: slice(3, 6), 2: slice(6, 9), 3: slice(9, 12), 4: slice(12, 15), 5: slice(15, 18),
           7: slice(18, 21)}
QA_COLS = slice(2, 8)
RADSAT_ROWS, RADSAT_COLS = slice(22, 25), slice(2, 8)
#: Bits set on valid pixels (never invalid): clear and every confidence pair, set in rows 25–28 of columns 12–18.
HARMLESS_ROWS, HARMLESS_COLS = slice(25, 28), slice(12, 18)


def mtl_text(spacecraft: str, product_id: str, bands, level: str, mult: float, add: float) -> str:
    sr = "".join(f"    REFLECTANCE_MULT_BAND_{b} = {mult:.4E}\n    REFLECTANCE_ADD_BAND_{b} = {add:.6f}\n"
                 for b in bands)
    toa = "".join(f"    REFLECTANCE_MULT_BAND_{b} = 2.0000E-05\n    REFLECTANCE_ADD_BAND_{b} = -0.100000\n"
                  for b in bands)
    l2 = f"  GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS\n{sr}  END_GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS\n"
    return (
        "GROUP = LANDSAT_METADATA_FILE\n"
        "  GROUP = PRODUCT_CONTENTS\n"
        '    ORIGIN = "Image courtesy of the U.S. Geological Survey"\n'
        f'    LANDSAT_PRODUCT_ID = "{product_id}"\n'
        f'    PROCESSING_LEVEL = "{level}"\n'
        "  END_GROUP = PRODUCT_CONTENTS\n"
        "  GROUP = IMAGE_ATTRIBUTES\n"
        f'    SPACECRAFT_ID = "{spacecraft}"\n'
        f"    SUN_AZIMUTH = {SUN_AZIMUTH:.8f}\n"
        f"    SUN_ELEVATION = {SUN_ELEVATION:.8f}\n"
        "  END_GROUP = IMAGE_ATTRIBUTES\n"
        + (l2 if level.startswith("L2") else "")
        + f"  GROUP = LEVEL1_RADIOMETRIC_RESCALING\n{toa}  END_GROUP = LEVEL1_RADIOMETRIC_RESCALING\n"
        "END_GROUP = LANDSAT_METADATA_FILE\nEND\n"
    )


def mtl_xml(spacecraft: str, product_id: str, bands, level: str, mult: float, add: float) -> str:
    sr = "".join(f"<REFLECTANCE_MULT_BAND_{b}>{mult:.4E}</REFLECTANCE_MULT_BAND_{b}>"
                 f"<REFLECTANCE_ADD_BAND_{b}>{add:.6f}</REFLECTANCE_ADD_BAND_{b}>" for b in bands)
    toa = "".join(f"<REFLECTANCE_MULT_BAND_{b}>2.0000E-05</REFLECTANCE_MULT_BAND_{b}>"
                  f"<REFLECTANCE_ADD_BAND_{b}>-0.100000</REFLECTANCE_ADD_BAND_{b}>" for b in bands)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<LANDSAT_METADATA_FILE>'
        f"<PRODUCT_CONTENTS><LANDSAT_PRODUCT_ID>{product_id}</LANDSAT_PRODUCT_ID>"
        f"<PROCESSING_LEVEL>{level}</PROCESSING_LEVEL></PRODUCT_CONTENTS>"
        f"<IMAGE_ATTRIBUTES><SPACECRAFT_ID>{spacecraft}</SPACECRAFT_ID><SUN_AZIMUTH>{SUN_AZIMUTH}</SUN_AZIMUTH>"
        f"<SUN_ELEVATION>{SUN_ELEVATION}</SUN_ELEVATION></IMAGE_ATTRIBUTES>"
        f"<LEVEL2_SURFACE_REFLECTANCE_PARAMETERS>{sr}</LEVEL2_SURFACE_REFLECTANCE_PARAMETERS>"
        f"<LEVEL1_RADIOMETRIC_RESCALING>{toa}</LEVEL1_RADIOMETRIC_RESCALING></LANDSAT_METADATA_FILE>\n"
    )


def make_scene(folder: os.PathLike | str, sensor: str = "L8", as_tar: bool = False, level: str = "L2SP",
               mtl: str = "txt", mult: float = 2.75e-5, add: float = -0.2, radsat: bool = True) -> dict:
    """Write a scene into ``folder``; returns its ``path`` (folder or .tar) and the truth: ``dn`` per band number,
    ``qa``, ``radsat``, ``invalid`` (what must carry QC bit 2), ``flagged`` (the part of it that keeps an
    estimate), ``mult``/``add`` and the sun angles."""
    spacecraft, product_id = PRODUCT_IDS[sensor]
    if level.startswith("L1"):
        product_id = product_id.replace("_L2SP_", f"_{level}_")
    folder = Path(folder)
    scene = folder / product_id
    scene.mkdir(parents=True, exist_ok=True)
    factor = np.linspace(0.85, 1.15, H)[:, None]
    dn = {}
    for b in BANDS[sensor]:
        rho = np.empty((H, W))
        for block, spectrum in enumerate(SPECTRA):
            rho[:, block * 10:(block + 1) * 10] = spectrum[b] * factor
        dn[b] = np.round((rho - add) / mult).astype(np.uint16)
        dn[b][QA_ROWS[0], QA_COLS] = 0
    qa = np.full((H, W), CLEAR, dtype=np.uint16)
    for bit, rows in QA_ROWS.items():
        qa[rows, QA_COLS] = (1 << bit) if bit == 0 else (1 << bit) | (3 << 8)
    qa[HARMLESS_ROWS, HARMLESS_COLS] = (1 << 6) | 0xFF00
    sat = np.zeros((H, W), dtype=np.uint16)
    sat[RADSAT_ROWS, RADSAT_COLS] = 1 << 3
    invalid = np.zeros((H, W), dtype=bool)
    for rows in QA_ROWS.values():
        invalid[rows, QA_COLS] = True
    flagged = np.zeros((H, W), dtype=bool)  # snow (bit 5), water (bit 7), QA_RADSAT: estimated, QC bit 2
    for bit in (5, 7):
        flagged[QA_ROWS[bit], QA_COLS] = True
    if radsat:  # saturation: flagged, the estimate kept (core/masks.py)
        invalid[RADSAT_ROWS, RADSAT_COLS] = True
        flagged[RADSAT_ROWS, RADSAT_COLS] = True
    names = []
    for b, array in dn.items():
        token = f"SR_B{b}" if level.startswith("L2") else f"B{b}"
        names.append(write_raster(scene / f"{product_id}_{token}.TIF", array, GEOTRANSFORM, UTM))
    names.append(write_raster(scene / f"{product_id}_QA_PIXEL.TIF", qa, GEOTRANSFORM, UTM))
    if radsat:
        names.append(write_raster(scene / f"{product_id}_QA_RADSAT.TIF", sat, GEOTRANSFORM, UTM))
    maker = mtl_xml if mtl == "xml" else mtl_text
    mtl_path = scene / f"{product_id}_MTL.{mtl}"
    mtl_path.write_text(maker(spacecraft, product_id, BANDS[sensor], level, mult, add))
    names.append(str(mtl_path))
    path = str(scene)
    if as_tar:
        path = str(folder / f"{product_id}.tar")
        with tarfile.open(path, "w") as tar:
            for name in names:
                tar.add(name, arcname=os.path.basename(name))
        for name in names:
            os.remove(name)
        scene.rmdir()
    return {"path": path, "mtl": str(mtl_path), "product_id": product_id, "dn": dn, "qa": qa, "radsat": sat,
            "invalid": invalid, "flagged": flagged, "mult": mult, "add": add, "sun_zenith": 90.0 - SUN_ELEVATION,
            "sun_azimuth": SUN_AZIMUTH}
