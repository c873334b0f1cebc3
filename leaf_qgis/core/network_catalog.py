"""Which CCRS network file serves which sensor, and in which band order: the one table of SL2P inputs.

Every file's spectral inputs follow the three angle cosines (``sensors.ANGLE_INPUTS``). The band order of each file
was established from its own normalisation ranges (``[(−1 − offset)/slope, (1 − offset)/slope]`` per input, i.e. the
reflectance range of the training set), checked by the physics tests:

=========  ===========================================  ==============================================================
sensor     files                                        spectral inputs and evidence
=========  ===========================================  ==============================================================
S2         ``Sentinel2/Sentinel_csv`` generic + 10 land-  B3 B4 B5 B6 B7 B8A B11 B12 (11 inputs; production order; red
           cover networks (``_Error`` = uncertainty)      edge B6–B8A ranges 0.63–0.77, SWIR 0.51)
S2_10M     ``Sentinel2/Sentinel2_10`` generic only        B2 B3 B4 B8 (7 inputs; NIR range 0.76)
L5, L7     ``Landsat5``/``Landsat7`` generic + land       SR_B2 SR_B3 SR_B4 SR_B5 SR_B7 = green red NIR SWIR1 SWIR2
           cover                                          (8 inputs; NIR 0.78–0.80, SWIR1 min 0.05, SWIR2 min ≤ 0)
L8         ``Landsat8`` land-cover networks               SR_B3 … SR_B7 = green red NIR SWIR1 SWIR2 (8 inputs)
L8         ``Landsat8`` generic (9 inputs, one more than  SR_B1 SR_B2 SR_B3 SR_B4 SR_B5 SR_B7: four visible ranges
           the production L8 network)                     (0.16, 0.17, 0.25, 0.28) before NIR (0.79), then one SWIR
                                                          whose minimum (−0.003) is SWIR2's, not SWIR1's (≥ 0.03 in
                                                          every other file). Inferred, not documented by CCRS.
L9         the L8 files                                   CCRS publish one Landsat 9 network (a deciduous-forest
                                                          SL2P-CCRS network, ``Landsat9/``) and no generic one: OLI-2
                                                          has OLI's bands, so L9 uses the L8 networks.
=========  ===========================================  ==============================================================

The files ``… (1).csv`` in ``Landsat8`` are older duplicates and are not used.

Input domain (QC bit 0) lists: S2 20 m from the SL2P-PYTHON pickle (the CSV copy is corrupt), S2 10 m from its CSV.
No list matches the Landsat networks (the only Landsat list belongs to the L9 forest network), so the domain test
is not available for Landsat and bit 0 stays 0 there; :attr:`NetworkSetSpec.domain` is ``None``.

Land cover: ``Sentinel2/Legend_csv.csv`` maps each NALCMS class to a network name; ``Sentinel2/Parameter_file.csv``
maps each name to the network index used by the Earth Engine ensemble. The name ``invalid`` (urban, water,
snow/ice) runs the generic network and marks the pixel invalid (QC bit 2), as the CCRS legend intends.
"""

from __future__ import annotations

from dataclasses import dataclass

LEGEND_FILE = "Sentinel2/Legend_csv.csv"
NETWORK_INDEX_FILE = "Sentinel2/Parameter_file.csv"

#: Land-cover network names as in the CCRS legend, in the CCRS index order.
LANDCOVER_NETWORKS: tuple[str, ...] = (
    "evergreen_needleaf_forest", "deciduous_broadleaf_forest", "shrublands", "polar_shrubland",
    "grassland_pasture", "polar_grassland", "sphagnum_feathermoss", "lichen_feathermoss",
    "close_cropland", "sparse_cropland",
)
#: Legend name of the classes that run the generic network and are flagged invalid.
INVALID_CLASS_NETWORK = "invalid"


@dataclass(frozen=True)
class NetworkFiles:
    """An estimate network file, its uncertainty file, and the spectral bands it takes (after the cosines)."""

    estimate: str
    error: str
    bands: tuple[str, ...]


@dataclass(frozen=True)
class NetworkSetSpec:
    """Everything one sensor needs: the generic network, land-cover networks by legend name, domain list."""

    sensor_key: str
    generic: NetworkFiles
    landcover: dict[str, NetworkFiles]
    domain: str | None
    """Relative path of the domain-code list (``.pkl`` or ``.csv``), or ``None`` when none matches."""
    domain_bands: tuple[str, ...] = ()
    """Bands whose digits make the domain code, least significant digit first."""

    @property
    def stack_bands(self) -> tuple[str, ...]:
        """Union of the bands every network of the set takes, in band-number order: what a user's stack holds."""
        names = set(self.generic.bands)
        for files in self.landcover.values():
            names.update(files.bands)
        return tuple(sorted(names, key=_band_sort_key))

    def files(self) -> list[str]:
        """Every relative path the set reads."""
        paths = [self.generic.estimate, self.generic.error]
        for files in self.landcover.values():
            paths += [files.estimate, files.error]
        if self.domain:
            paths.append(self.domain)
        if self.landcover:
            paths += [LEGEND_FILE, NETWORK_INDEX_FILE]
        return sorted(set(paths))


def _band_sort_key(name: str) -> tuple[int, str]:
    digits = "".join(c for c in name.split("_")[-1] if c.isdigit())
    return (int(digits) if digits else 0, name)


_S2_BANDS = ("B3", "B4", "B5", "B6", "B7", "B8A", "B11", "B12")
_S2_10M_BANDS = ("B2", "B3", "B4", "B8")
_TM_BANDS = ("SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7")
_OLI_BANDS = ("SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7")
_OLI_GENERIC_BANDS = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7")
_CSV_NAME = {"close_cropland": "closed_cropland"}
"""Legend names that differ from the file names."""


def _s2_landcover() -> dict[str, NetworkFiles]:
    out = {}
    for name in LANDCOVER_NETWORKS:
        stem = _CSV_NAME.get(name, name)
        if stem == "evergreen_needleaf_forest":
            stem += "_uncertainty"  # the CCRS file name of this network carries that word
        base = f"Sentinel2/Sentinel_csv/s2_sl2p_single_or_prosail_{stem}_NNT3_Single_0_1"
        out[name] = NetworkFiles(base + ".csv", base + "_Error.csv", _S2_BANDS)
    return out


def _landsat(folder: str, prefix: str, generic_bands: tuple[str, ...], bands: tuple[str, ...]) -> tuple:
    generic = f"{folder}/{prefix}_sl2p_weiss_or_prosail_NNT3_Single_0_1"
    landcover = {}
    for name in LANDCOVER_NETWORKS:
        base = f"{folder}/{prefix}_sl2p_single_or_prosail_{_CSV_NAME.get(name, name)}_NNT3_Single_0_1"
        landcover[name] = NetworkFiles(base + ".csv", base + "_Error.csv", bands)
    return NetworkFiles(generic + ".csv", generic + "_Error.csv", generic_bands), landcover


_S2_GENERIC = "Sentinel2/Sentinel_csv/s2_sl2p_weiss_or_prosail_NNT3_Single_0_1"
_S2_10M = "Sentinel2/Sentinel2_10/s2_sl2p_weiss_or_prosail_10m"
_L8 = _landsat("Landsat8", "L8", _OLI_GENERIC_BANDS, _OLI_BANDS)

NETWORK_SETS: dict[str, NetworkSetSpec] = {
    "S2": NetworkSetSpec(
        "S2", NetworkFiles(_S2_GENERIC + ".csv", _S2_GENERIC + "_Error.csv", _S2_BANDS), _s2_landcover(),
        "SL2P-PYTHON/S2_SL2P_WEISS_ORIGINAL_DOMAIN.pkl", _S2_BANDS,
    ),
    "S2_10M": NetworkSetSpec(
        "S2_10M",
        NetworkFiles(_S2_10M + "_NNT1_Single_0_1.csv", _S2_10M + "_NNT1_Single_0_1_errors.csv", _S2_10M_BANDS),
        {}, _S2_10M + "_domain.csv", _S2_10M_BANDS,
    ),
    "L5": NetworkSetSpec("L5", *_landsat("Landsat5", "L5", _TM_BANDS, _TM_BANDS), None),
    "L7": NetworkSetSpec("L7", *_landsat("Landsat7", "L7", _TM_BANDS, _TM_BANDS), None),
    "L8": NetworkSetSpec("L8", *_L8, None),
    "L9": NetworkSetSpec("L9", *_L8, None),
}


def all_files() -> list[str]:
    """Every relative path any sensor reads (what a bundle or a full download holds)."""
    paths: set[str] = set()
    for spec in NETWORK_SETS.values():
        paths.update(spec.files())
    paths.update((LEGEND_FILE, NETWORK_INDEX_FILE))
    return sorted(paths)
