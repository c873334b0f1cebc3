"""Synthetic Earth Engine sources on a 16 × 16 pixel grid: Sentinel-2 SR, Landsat Collection 2 L2 and TOA, land cover.

Every collection holds several dated scenes in the month under test plus one just before and one just after it (the
date filter must drop those). Spectra are canopy-over-soil mixtures (canopy fraction varies per pixel and a little
per scene, so different scenes win different pixels), with fixed blocks that exercise every rule:

============  ======================  =====================================================================
rows          columns                 content (all scenes unless said)
============  ======================  =====================================================================
0             0–3                     snow (SCL 11 / QA_PIXEL bit 5), snow spectrum — kept, flagged
0             4–7                     water (SCL 6 / QA_PIXEL bit 7), water spectrum — kept, flagged
1             0–3                     cloud in every scene — no clear observation
1             4–7                     green reflectance in −0.005…0 (Landsat; Sentinel-2 DN cannot be negative)
1             8–11                    SWIR1 reflectance in −0.005…0 (Landsat)
2             0–5                     out-of-domain spectra (red above NIR, flat red edge)
2             6–9                     one band above 1.05 (reflectance range test)
2             10–11                   blue alone at 1.07 (range test on a band the networks do not read)
2             12–14                   saturated in every scene (SCL 1 / QA_RADSAT ≠ 0; HLS: none) — kept, flagged
other         other                   mixtures; random cloud (≈18 %), shadow (≈5 %), cirrus (≈3 %) per scene,
                                      a few saturated pixels, Landsat fill (QA bit 0) in one scene's corner
============  ======================  =====================================================================

Sentinel-2: ``COPERNICUS/S2_SR_HARMONIZED`` bands B1…B12 with B8A (no B10), ``SCL``, ``QA60`` (empty from 2022),
``MSK_CLASSI_OPAQUE``/``MSK_CLASSI_CIRRUS`` (scenes from 2022, consistent with SCL); DN = reflectance / 0.0001;
scene-mean angle properties. Landsat: ``SR_B*`` DN = (reflectance + 0.2) / 0.0000275, ``QA_PIXEL``, ``QA_RADSAT``,
``SUN_ELEVATION``/``SUN_AZIMUTH``; the matching ``…/C02/T1_TOA`` collection (same ``system:index``) carries per-pixel
``VZA VAA SZA SAA`` in hundredths of a degree. Land cover: NALCMS 2020 (band ``landcover``, every class 0–19) and the
Copernicus 100 m fill (band ``discrete_classification``).

HLS v2.0 (``NASA/HLS/HLSL30/v002``, ``NASA/HLS/HLSS30/v002``): reflectance as Earth Engine serves it (floats, DN ·
0.0001 of the distributed int16), ``Fmask`` (cloud bit 1, adjacent bit 2 on the "cirrus" pixels, shadow bit 3, snow
bit 4, water bit 5), per-pixel ``SZA SAA VZA VAA`` in degrees, ``CLOUD_COVERAGE``. Merged Landsat
(``LANDSAT_OLI``, ``LANDSAT_TM_ETM``): both members' collections, each scene's truth tagged with its member's key.

Variants, for the rules the standard month does not reach (each changes a fresh :class:`SyntheticSources` in place):
:func:`with_properties` (a scene-cloud percentage above a threshold, angle metadata removed), :func:`without_toa` (a
Landsat scene without its TOA partner), :func:`with_bounds` (where scenes lie on the ground, for tile regions).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import numpy as np

from leaf_qgis.engines.gee import landcover as gee_landcover

from .evaluator import Scene

GRID = (16, 16)
S2_ID = "COPERNICUS/S2_SR_HARMONIZED"
S2_BANDS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B11", "B12")
S2_ROLES = dict(zip(S2_BANDS, ("coastal", "blue", "green", "red", "re1", "re2", "re3", "nir", "nir8a", "wv",
                               "swir1", "swir2")))
TM_ROLES = {"SR_B1": "blue", "SR_B2": "green", "SR_B3": "red", "SR_B4": "nir", "SR_B5": "swir1", "SR_B7": "swir2"}
OLI_ROLES = {"SR_B1": "coastal", "SR_B2": "blue", "SR_B3": "green", "SR_B4": "red", "SR_B5": "nir",
             "SR_B6": "swir1", "SR_B7": "swir2"}
LANDSAT = {
    "L5": ("LANDSAT/LT05/C02/T1_L2", "LANDSAT/LT05/C02/T1_TOA", "LT05", TM_ROLES),
    "L7": ("LANDSAT/LE07/C02/T1_L2", "LANDSAT/LE07/C02/T1_TOA", "LE07", TM_ROLES),
    "L8": ("LANDSAT/LC08/C02/T1_L2", "LANDSAT/LC08/C02/T1_TOA", "LC08", OLI_ROLES),
    "L9": ("LANDSAT/LC09/C02/T1_L2", "LANDSAT/LC09/C02/T1_TOA", "LC09", OLI_ROLES),
}
S2_SCALE = 0.0001
C2_SCALE, C2_OFFSET = 0.0000275, -0.2

#: Reflectance per spectral role of the pure components.
SPECTRA: dict[str, dict[str, float]] = {
    "canopy": dict(coastal=0.020, blue=0.025, green=0.060, red=0.030, re1=0.090, re2=0.280, re3=0.350, nir=0.380,
                   nir8a=0.390, wv=0.380, swir1=0.180, swir2=0.080),
    "soil": dict(coastal=0.070, blue=0.090, green=0.130, red=0.170, re1=0.200, re2=0.220, re3=0.240, nir=0.255,
                 nir8a=0.265, wv=0.270, swir1=0.330, swir2=0.280),
    "water": dict(coastal=0.060, blue=0.060, green=0.050, red=0.030, re1=0.020, re2=0.012, re3=0.010, nir=0.008,
                  nir8a=0.008, wv=0.006, swir1=0.004, swir2=0.003),
    "snow": dict(coastal=0.880, blue=0.870, green=0.850, red=0.820, re1=0.800, re2=0.780, re3=0.760, nir=0.740,
                 nir8a=0.730, wv=0.700, swir1=0.090, swir2=0.060),
    "cloud": dict(coastal=0.600, blue=0.580, green=0.570, red=0.570, re1=0.580, re2=0.590, re3=0.600, nir=0.600,
                  nir8a=0.600, wv=0.500, swir1=0.450, swir2=0.350),
    "shadow": dict(coastal=0.010, blue=0.010, green=0.015, red=0.010, re1=0.020, re2=0.050, re3=0.060, nir=0.065,
                   nir8a=0.066, wv=0.060, swir1=0.035, swir2=0.015),
    "odd": dict(coastal=0.150, blue=0.180, green=0.250, red=0.420, re1=0.410, re2=0.400, re3=0.390, nir=0.120,
                nir8a=0.110, wv=0.100, swir1=0.620, swir2=0.580),
}

SNOW = (slice(0, 1), slice(0, 4))
WATER = (slice(0, 1), slice(4, 8))
ALWAYS_CLOUD = (slice(1, 2), slice(0, 4))
NEG_GREEN = (slice(1, 2), slice(4, 8))
NEG_SWIR1 = (slice(1, 2), slice(8, 12))
ODD = (slice(2, 3), slice(0, 6))
BRIGHT = (slice(2, 3), slice(6, 10))
BRIGHT_BLUE = (slice(2, 3), slice(10, 12))
SATURATED = (slice(2, 3), slice(12, 15))


def region_mask() -> np.ndarray:
    """The pixels the test region covers: all but the last row and column (outside → nodata checks)."""
    mask = np.ones(GRID, dtype=bool)
    mask[-1, :] = False
    mask[:, -1] = False
    return mask


@dataclass
class SceneTruth:
    """What a synthetic scene is made of, for the numpy reference (never read by the evaluator)."""

    index: str
    time_start: int
    reflectance: dict[str, np.ndarray]
    """Band → reflectance as the DN encode it (DN · scale + offset, float64)."""
    dn: dict[str, np.ndarray]
    qa: dict[str, np.ndarray]
    """SCL/QA60/MSK_CLASSI_* (Sentinel-2) or QA_PIXEL/QA_RADSAT (Landsat)."""
    properties: dict
    angles_deg: dict[str, np.ndarray] = field(default_factory=dict)
    """Per-pixel SZA, VZA, SAA, VAA in degrees (the scene means for Sentinel-2, the TOA bands for Landsat)."""
    sensor_key: str = ""
    """The (member) sensor whose collection holds the scene."""
    bounds: tuple[float, float, float, float] | None = None
    """Where the scene lies on the ground (EPSG:3979), as its :class:`Scene` says; ``None``: everywhere."""


@dataclass
class SyntheticSources:
    sensor_key: str
    year: int
    month: int
    collections: dict[str, list[Scene]]
    images: dict[str, Scene]
    truth: list[SceneTruth]
    """Every scene of the surface-reflectance collection, inside and outside the month, in collection order."""
    nalcms: np.ndarray
    copernicus: np.ndarray


def _millis(day: date, hour: int = 16) -> int:
    return int(datetime(day.year, day.month, day.day, hour, 30, tzinfo=timezone.utc).timestamp() * 1000)


def _mixture(rng: np.random.Generator, base_fraction: np.ndarray, roles: dict[str, str], brightness: float
             ) -> dict[str, np.ndarray]:
    """Canopy-over-soil reflectance per band for one scene (per-pixel fraction + a little scene noise)."""
    fraction = np.clip(base_fraction + rng.normal(0, 0.06, GRID), 0.02, 0.98)
    out = {}
    for band, role in roles.items():
        value = fraction * SPECTRA["canopy"][role] + (1 - fraction) * SPECTRA["soil"][role]
        out[band] = value * brightness * (1 + rng.normal(0, 0.015, GRID))
    return out


def _paint(refl: dict[str, np.ndarray], roles: dict[str, str], where: tuple | np.ndarray, kind: str,
           rng: np.random.Generator) -> None:
    for band, role in roles.items():
        target = refl[band][where]
        refl[band][where] = SPECTRA[kind][role] * (1 + rng.normal(0, 0.02, np.shape(target)))


def _paint_surfaces(refl: dict[str, np.ndarray], roles: dict[str, str], flags: dict[str, np.ndarray],
                    rng: np.random.Generator, negative: tuple[str, ...] = ()) -> None:
    """Every scene's test surfaces, in this order (the generator's draws, so the scenes, depend on it): snow, water,
    odd spectra, a SWIR1 brighter than 1.05, slightly negative reflectance for the ``negative`` roles (``green`` on
    NEG_GREEN, ``swir1`` on NEG_SWIR1), then the scene's cloud and shadow."""
    for where, kind in ((SNOW, "snow"), (WATER, "water"), (ODD, "odd")):
        _paint(refl, roles, where, kind, rng)
    band = {role: b for b, role in roles.items()}
    refl[band["swir1"]][BRIGHT] = 1.08 + 0.02 * rng.random(np.shape(refl[band["swir1"]][BRIGHT]))
    refl[band["blue"]][BRIGHT_BLUE] = 1.07  # no draw: the scenes' other pixels stay as they were
    for role in negative:
        where = {"green": NEG_GREEN, "swir1": NEG_SWIR1}[role]
        refl[band[role]][where] = -0.0045 + 0.004 * rng.random(np.shape(refl[band[role]][where]))
    _paint(refl, roles, flags["cloud"], "cloud", rng)
    _paint(refl, roles, flags["shadow"], "shadow", rng)


def _flags(rng: np.random.Generator, n: int) -> list[dict[str, np.ndarray]]:
    """Random cloud/shadow/cirrus/saturated masks per scene, disjoint, outside the fixed blocks (except cloud)."""
    fixed = np.zeros(GRID, dtype=bool)
    for block in (SNOW, WATER, ALWAYS_CLOUD, NEG_GREEN, NEG_SWIR1, ODD, BRIGHT, BRIGHT_BLUE, SATURATED):
        fixed[block] = True
    out = []
    for _ in range(n):
        u = rng.random(GRID)
        cloud = (u < 0.18) & ~fixed
        shadow = (u >= 0.18) & (u < 0.23) & ~fixed
        cirrus = (u >= 0.23) & (u < 0.26) & ~fixed
        saturated = (u >= 0.26) & (u < 0.275) & ~fixed
        cloud[ALWAYS_CLOUD] = True
        saturated[SATURATED] = True
        out.append({"cloud": cloud, "shadow": shadow, "cirrus": cirrus, "saturated": saturated})
    return out


def _base_fraction(rng: np.random.Generator) -> np.ndarray:
    rows, cols = np.indices(GRID)
    return np.clip(0.15 + 0.75 * (cols / (GRID[1] - 1)) * (0.6 + 0.4 * np.sin(rows / 3.0) ** 2)
                   + rng.normal(0, 0.05, GRID), 0.05, 0.95)


def _scene_days(year: int, month: int, days: tuple[int, ...]) -> list[date]:
    before = date(year, month, 1).toordinal() - 2
    after = (date(year + (month == 12), month % 12 + 1, 1)).toordinal() + 1
    return [date.fromordinal(before)] + [date(year, month, d) for d in days] + [date.fromordinal(after)]


def landcover_sources(rng: np.random.Generator) -> tuple[dict[str, Scene], np.ndarray, np.ndarray]:
    """NALCMS (every class 0–19) and the Copernicus fill (remappable codes where NALCMS is 0, some gaps in both)."""
    rows, cols = np.indices(GRID)
    nalcms = ((rows * GRID[1] + cols) * 7 % 20).astype(np.int64)
    nalcms[3:, :] = np.where(rng.random((GRID[0] - 3, GRID[1])) < 0.5, nalcms[3:, :],
                             rng.choice([1, 5, 6, 8, 10, 15], size=(GRID[0] - 3, GRID[1])))
    codes = np.array(gee_landcover.COPERNICUS_TO_NALCMS[0])
    copernicus = rng.choice(codes[1:], size=GRID).astype(np.int64)
    gaps = np.flatnonzero(nalcms.reshape(-1) == 0)
    copernicus.reshape(-1)[gaps[::3]] = 0  # neither map has a class there
    images = {
        gee_landcover.NALCMS_2020: Scene({gee_landcover.NALCMS_BAND: nalcms}, {"system:index": "2020"},
                                         {gee_landcover.NALCMS_BAND: "uint8"}),
        gee_landcover.COPERNICUS_100M: Scene({gee_landcover.COPERNICUS_BAND: copernicus}, {"system:index": "2019"},
                                             {gee_landcover.COPERNICUS_BAND: "uint8"}),
    }
    return images, nalcms, copernicus


def sentinel2(year: int = 2020, month: int = 7, seed: int = 2) -> SyntheticSources:
    rng = np.random.default_rng(seed)
    days = _scene_days(year, month, (3, 8, 13, 18, 23, 28))
    base = _base_fraction(rng)
    flags = _flags(rng, len(days))
    scenes, truth = [], []
    for k, day in enumerate(days):
        refl = _mixture(rng, base, S2_ROLES, 0.92 + 0.16 * rng.random())
        f = flags[k]
        _paint_surfaces(refl, S2_ROLES, f, rng)
        dn = {b: np.clip(np.round(v / S2_SCALE), 0, 65535).astype(np.int64) for b, v in refl.items()}
        dn_refl = {b: v * S2_SCALE for b, v in dn.items()}
        scl = np.where(base > 0.4, 4, 5).astype(np.int64)
        scl[SNOW], scl[WATER] = 11, 6
        scl[f["cloud"]] = np.where(rng.random(int(f["cloud"].sum())) < 0.5, 8, 9)
        scl[f["shadow"]], scl[f["cirrus"]], scl[f["saturated"]] = 3, 10, 1
        modern = day >= date(2022, 1, 25)
        qa60 = np.zeros(GRID, dtype=np.int64)
        opaque = f["cloud"].astype(np.int64)
        cirrus = f["cirrus"].astype(np.int64)
        if not modern:
            qa60 = (opaque << 10) | (cirrus << 11)
        index = f"{day:%Y%m%d}T170849_{day:%Y%m%d}T171511_T18TVR"
        time_start = _millis(day) + 1234
        sza, saa = 28.0 + 1.3 * k, 150.0 + 2.0 * k
        vza, vaa = 3.0 + 0.9 * k, 100.0 + 3.0 * (k % 3)
        props = {
            "system:index": index, "system:time_start": time_start, "MEAN_SOLAR_ZENITH_ANGLE": sza,
            "MEAN_SOLAR_AZIMUTH_ANGLE": saa, "MEAN_INCIDENCE_ZENITH_ANGLE_B8A": vza,
            "MEAN_INCIDENCE_AZIMUTH_ANGLE_B8A": vaa,
            "CLOUDY_PIXEL_PERCENTAGE": float(100.0 * f["cloud"].mean()), "SPACECRAFT_NAME": "Sentinel-2A",
        }
        bands = {**dn, "SCL": scl, "QA60": qa60}
        dtypes = {b: "uint16" for b in dn} | {"SCL": "uint8", "QA60": "uint16"}
        qa = {"SCL": scl, "QA60": qa60}
        if modern:
            bands |= {"MSK_CLASSI_OPAQUE": opaque, "MSK_CLASSI_CIRRUS": cirrus}
            dtypes |= {"MSK_CLASSI_OPAQUE": "uint8", "MSK_CLASSI_CIRRUS": "uint8"}
            qa |= {"MSK_CLASSI_OPAQUE": opaque, "MSK_CLASSI_CIRRUS": cirrus}
        scenes.append(Scene(bands, props, dtypes))
        angles = {name: np.full(GRID, value) for name, value in (("SZA", sza), ("SAA", saa), ("VZA", vza),
                                                                 ("VAA", vaa))}
        truth.append(SceneTruth(index, time_start, dn_refl, dn, qa, props, angles, "S2"))
    images, nalcms, copernicus = landcover_sources(rng)
    return SyntheticSources("S2", year, month, {S2_ID: scenes}, images, truth, nalcms, copernicus)


def landsat(sensor_key: str, year: int, month: int = 7, seed: int = 5) -> SyntheticSources:
    sr_id, toa_id, prefix, roles = LANDSAT[sensor_key]
    rng = np.random.default_rng(seed + int(sensor_key[1:]))
    days = _scene_days(year, month, (5, 12, 21, 28))
    base = _base_fraction(rng)
    flags = _flags(rng, len(days))
    oli = roles is OLI_ROLES
    scenes, toa, truth = [], [], []
    rows, cols = np.indices(GRID)
    for k, day in enumerate(days):
        refl = _mixture(rng, base, roles, 0.92 + 0.16 * rng.random())
        f = flags[k]
        _paint_surfaces(refl, roles, f, rng, negative=("green", "swir1"))
        dn = {b: np.clip(np.round((v - C2_OFFSET) / C2_SCALE), 1, 65535).astype(np.int64) for b, v in refl.items()}
        qa = np.full(GRID, 1 << 6, dtype=np.int64)  # clear
        qa[SNOW] = (1 << 5)
        qa[WATER] = (1 << 7)
        qa[f["cloud"]] = (1 << 3) | (1 << 1)
        qa[f["shadow"]] = 1 << 4
        if oli:
            qa[f["cirrus"]] = 1 << 2
        else:
            qa[f["cirrus"]] = (1 << 3) | (1 << 1)  # TM/ETM+ have no cirrus bit: the cloud bits carry it
        radsat = np.where(f["saturated"], 1 << 3, 0).astype(np.int64)
        if k == 1:  # fill in one scene's corner (bit 0; DN 0)
            fill = (rows >= 12) & (cols >= 12)
            qa[fill] = 1
            for b in dn:
                dn[b][fill] = 0
        dn_refl = {b: v * C2_SCALE + C2_OFFSET for b, v in dn.items()}
        index = f"{prefix}_018028_{day:%Y%m%d}"
        time_start = _millis(day, 15) + 4321
        sza_mean = 32.0 + 1.7 * k
        sza = sza_mean + 0.4 * (rows - 7.5) / 7.5
        saa = 140.0 + 2.5 * k + 0.2 * (cols - 7.5) / 7.5
        across = (cols - 7.5) / 7.5  # −1 … 1 across track
        vza = np.abs(across) * 7.2 + 0.05
        vaa = np.where(across < 0, 102.0, 282.0) + 0.5 * k
        props = {"system:index": index, "system:time_start": time_start, "SUN_ELEVATION": 90.0 - sza_mean,
                 "SUN_AZIMUTH": 140.0 + 2.5 * k, "CLOUD_COVER": float(100.0 * f["cloud"].mean()),
                 "SPACECRAFT_ID": prefix}
        bands = {**dn, "QA_PIXEL": qa, "QA_RADSAT": radsat}
        dtypes = {b: "uint16" for b in dn} | {"QA_PIXEL": "uint16", "QA_RADSAT": "uint16"}
        scenes.append(Scene(bands, props, dtypes))
        hundredths = {name: np.round(v * 100).astype(np.int64) for name, v in
                      (("VZA", vza), ("VAA", vaa), ("SZA", sza), ("SAA", saa))}
        toa.append(Scene(hundredths, {"system:index": index, "system:time_start": time_start,
                                      "SUN_ELEVATION": 90.0 - sza_mean, "SUN_AZIMUTH": 140.0 + 2.5 * k},
                         {n: "int16" for n in hundredths}))
        angles = {n: v / 100.0 for n, v in hundredths.items()}
        truth.append(SceneTruth(index, time_start, dn_refl, dn, {"QA_PIXEL": qa, "QA_RADSAT": radsat}, props,
                                angles, sensor_key))
    images, nalcms, copernicus = landcover_sources(rng)
    return SyntheticSources(sensor_key, year, month, {sr_id: scenes, toa_id: toa}, images, truth, nalcms,
                            copernicus)


HLS = {
    "HLS_L30": ("NASA/HLS/HLSL30/v002", "L30", {"B1": "coastal", **{b: r for b, r in zip(
        ("B2", "B3", "B4", "B5", "B6", "B7"), ("blue", "green", "red", "nir", "swir1", "swir2"))}}),
    "HLS_S30": ("NASA/HLS/HLSS30/v002", "S30", {b.replace("B0", "B"): r for b, r in S2_ROLES.items()}),
}
HLS_SCALE = 0.0001
"""Scale of the distributed int16 reflectance; Earth Engine serves the scaled floats."""


def hls(sensor_key: str, year: int, month: int = 7, seed: int = 11) -> SyntheticSources:
    collection_id, prefix, roles = HLS[sensor_key]
    rng = np.random.default_rng(seed + (sensor_key == "HLS_S30"))
    days = _scene_days(year, month, (2, 9, 14, 19, 26))
    base = _base_fraction(rng)
    flags = _flags(rng, len(days))
    scenes, truth = [], []
    rows, cols = np.indices(GRID)
    for k, day in enumerate(days):
        refl = _mixture(rng, base, roles, 0.92 + 0.16 * rng.random())
        f = flags[k]
        _paint_surfaces(refl, roles, f, rng, negative=("green",))
        dn = {b: np.clip(np.round(v / HLS_SCALE), -100, 16000).astype(np.int64) for b, v in refl.items()}
        dn_refl = {b: v * HLS_SCALE for b, v in dn.items()}
        fmask = np.full(GRID, 1 << 6, dtype=np.int64)  # low aerosol, clear
        fmask[SNOW] |= 1 << 4
        fmask[WATER] |= 1 << 5
        fmask[f["cloud"]] |= 1 << 1
        fmask[f["cirrus"]] |= 1 << 2  # adjacent to cloud
        fmask[f["shadow"]] |= 1 << 3
        index = f"HLS.{prefix}.T18TVR.{day:%Y%j}T155959.v2.0"
        time_start = _millis(day, 15) + 2468
        sza = 30.0 + 1.1 * k + 0.3 * (rows - 7.5) / 7.5
        saa = 145.0 + 2.0 * k + 0.2 * (cols - 7.5) / 7.5
        vza = np.abs((cols - 7.5) / 7.5) * 6.5 + 0.1
        vaa = np.where(cols < 8, 100.0, 280.0) + k
        angles = {"SZA": np.round(sza, 2), "SAA": np.round(saa, 2), "VZA": np.round(vza, 2), "VAA": np.round(vaa, 2)}
        props = {"system:index": index, "system:time_start": time_start,
                 "CLOUD_COVERAGE": float(100.0 * f["cloud"].mean()), "SPATIAL_COVERAGE": 100.0}
        bands = {**dn_refl, "Fmask": fmask, **angles}
        dtypes = {b: "float32" for b in dn_refl} | {"Fmask": "uint8"} | {n: "float32" for n in angles}
        scenes.append(Scene(bands, props, dtypes))
        truth.append(SceneTruth(index, time_start, dn_refl, dn, {"Fmask": fmask}, props, angles, sensor_key))
    images, nalcms, copernicus = landcover_sources(rng)
    return SyntheticSources(sensor_key, year, month, {collection_id: scenes}, images, truth, nalcms, copernicus)


#: Merged sensors → members (restated: an independent reference of what is composited together).
MERGED = {"LANDSAT_OLI": ("L8", "L9"), "LANDSAT_TM_ETM": ("L5", "L7")}


def merged(sensor_key: str, year: int, month: int = 7) -> SyntheticSources:
    """Both members' collections (their scenes in member order, as ``merge`` concatenates them), the first
    member's land cover."""
    parts = [landsat(member, year, month) for member in MERGED[sensor_key]]
    collections: dict[str, list[Scene]] = {}
    for part in parts:
        collections.update(part.collections)
    first = parts[0]
    return SyntheticSources(sensor_key, year, month, collections, first.images,
                            [t for part in parts for t in part.truth], first.nalcms, first.copernicus)


def sources(sensor_key: str, year: int, month: int = 7) -> SyntheticSources:
    if sensor_key.startswith("S2"):
        return sentinel2(year, month)
    if sensor_key in HLS:
        return hls(sensor_key, year, month)
    if sensor_key in MERGED:
        return merged(sensor_key, year, month)
    return landsat(sensor_key, year, month)


# ---------------------------------------------------------------------------------------------------------------------
# Variants
# ---------------------------------------------------------------------------------------------------------------------

def surface_collection(sensor_key: str) -> str:
    """The surface-reflectance collection of a (member) sensor."""
    if sensor_key.startswith("S2"):
        return S2_ID
    if sensor_key in HLS:
        return HLS[sensor_key][0]
    return LANDSAT[sensor_key][0]


def toa_collection(sensor_key: str) -> str | None:
    """The TOA collection whose scenes carry a Landsat scene's per-pixel angles (``None``: not Landsat)."""
    return LANDSAT[sensor_key][1] if sensor_key in LANDSAT else None


def _position(src: SyntheticSources, i: int, collection_id: str) -> int | None:
    """Where scene ``i`` of ``src.truth`` sits in ``collection_id`` (same ``system:index``), ``None`` if absent."""
    index = src.truth[i].index
    for k, scene in enumerate(src.collections.get(collection_id, [])):
        if scene.properties["system:index"] == index:
            return k
    return None


def has_toa(src: SyntheticSources, i: int) -> bool:
    """Whether scene ``i`` has its TOA partner (False for sensors without a TOA join)."""
    toa = toa_collection(src.truth[i].sensor_key)
    return toa is not None and _position(src, i, toa) is not None


def with_properties(src: SyntheticSources, changes: dict[int, dict]) -> SyntheticSources:
    """Scene ``i`` → properties set (a value ``None`` removes the property), in its collection and its truth."""
    for i, props in changes.items():
        truth = src.truth[i]
        collection = src.collections[surface_collection(truth.sensor_key)]
        k = _position(src, i, surface_collection(truth.sensor_key))
        merged = {**truth.properties, **props}
        merged = {key: value for key, value in merged.items() if value is not None}
        collection[k] = dataclasses.replace(collection[k], properties=merged)
        src.truth[i] = dataclasses.replace(truth, properties=merged)
    return src


def without_toa(src: SyntheticSources, i: int) -> SyntheticSources:
    """Scene ``i`` (Landsat) without its TOA partner: the graph must fall back to its metadata angles."""
    toa = toa_collection(src.truth[i].sensor_key)
    k = None if toa is None else _position(src, i, toa)
    if k is None:
        raise ValueError(f"scene {i} has no TOA partner to remove")
    del src.collections[toa][k]
    return src


def with_bounds(src: SyntheticSources, bounds: dict[int, tuple[float, float, float, float]]) -> SyntheticSources:
    """Scene ``i`` → where it lies on the ground (EPSG:3979), its TOA partner with it; scenes not listed keep theirs
    (``None``: everywhere)."""
    for i, box in bounds.items():
        truth = src.truth[i]
        for collection_id in (surface_collection(truth.sensor_key), toa_collection(truth.sensor_key)):
            k = None if collection_id is None else _position(src, i, collection_id)
            if k is not None:
                scenes = src.collections[collection_id]
                scenes[k] = dataclasses.replace(scenes[k], bounds=tuple(box))
        src.truth[i] = dataclasses.replace(truth, bounds=tuple(box))
    return src
