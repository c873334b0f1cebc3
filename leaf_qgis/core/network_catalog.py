"""Which CCRS network files serve which sensor and algorithm, in which band order: the one table of SL2P inputs.

Two algorithms, as CCRS names them:

* **SL2P** — the generic network of Weiss and Baret (S2ToolBox ATBD), one network per variable for every pixel;
* **SL2P-CCRS** — the land-cover ensemble of Fernandes et al. (2024, Remote Sensing of Environment 114060): twelve
  network *slots*; each NALCMS land-cover class selects one slot through the CCRS legend (class → network name) and
  parameter file (network name → slot). Only the forest slots (and polar shrubland) hold dedicated networks; the
  other slots hold the generic network.

Sources and evidence (every file SHA-256 pinned in ``networks_manifest.tsv``):

==========  ======================================================================================================
sensor      network sets
==========  ======================================================================================================
S2, S2_10M  CCRS Python package SL2P-SL2PCCRS_PYTHON (commit 71ac9e0), ``nets/s2_20m_*`` and ``nets/s2_10m_*``:
L8, L9      ``nets/l8_*``, ``nets/l9_*``: estimate and uncertainty networks, legend, parameter file and domain list
            of each algorithm, exactly what the package runs (the reference vectors are its outputs). Input bands
            as the package documents them (``dictionariesSL2P.make_net_options()[v][c]['inputBands']``): S2 20 m
            B03 B04 B05 B06 B07 B8A B11 B12; S2 10 m B02 B03 B04 B08; Landsat 8/9 SR_B3 SR_B4 SR_B5 SR_B6 SR_B7,
            always after cosVZA, cosSZA, cosRAA.
L7          CCRS LEAF-Toolbox ``SL2P-Networks`` (richardfernandes, commit b5767a3), NNT1 networks with their
            ``_incertitudes`` uncertainty networks and domain lists. Bands SR_B2 SR_B3 SR_B4 SR_B5 SR_B7 (green, red,
            NIR, SWIR1, SWIR2): the CCRS band list of the same repository (``dictionariesSL2P.py``) and the files' own
            normalisation ranges (NIR ≈ 0.76, SWIR1 ≈ 0.54, SWIR2 ≈ 0.47). SL2P: ``l7_sl2p_weiss_or_prosail``.
            SL2P-CCRS: the CCRS package publishes no Landsat 7 ensemble, so the plugin assembles one with the
            package's own legend and parameter file (identical for all four package collections) and the Landsat 7
            networks of the same families the package's Landsat 8 ensemble uses: slot 3 (evergreen needleleaf)
            ``l7_sl2p_ccrs_sobol_4sail2_enf``, slot 11 (mixed) ``l7_sl2p_ccrs_sobol_4sail2_mix``, slots 2 and 7
            (deciduous broadleaf, polar shrubland) ``l7_sl2p_ccrs_sobol_4sail2_dbf`` (the package's L8 uses the
            ``ROF_sobol_prosail_dbf_big_clumpedv3`` network there, whose Landsat 7 coefficients CCRS did not
            publish — only its domain list), every other slot the generic network. Domain list: the union of the
            member networks' lists (the package's own SL2P-CCRS lists are likewise wider than the generic one).
L5          The Landsat 7 sets. Thematic Mapper has the same five bands (SR_B2 SR_B3 SR_B4 SR_B5 SR_B7) at nearly the
            same wavelengths as ETM+, CCRS published no Landsat 5 network of the production generation (the
            ``Landsat5/`` CSVs are the older NNT3 ``single_or_prosail`` set, retired, without domain list), and the
            reference tool maps both sensors onto the same band roles.
HLS_L30     The Landsat 8 package sets (``nets/l8_*``), as CCRS runs HLS: LEAF production's network table
HLS_S30     (``COLL_OPTIONS``) gives ``HLS_SR`` the Landsat 8 networks, and LEAF-Toolbox's ``dictionariesSL2P.py`` lists
            HLS L30 bands B3..B7 (``../shared/reference/leaf-production-tool.md`` §6.1,
            ``sl2p-and-qgis-anchors.md``: "Landsat 8/9 + HLS (production)"). Bands, the OLI roles green, red, NIR,
            SWIR1, SWIR2: L30 B3 B4 B5 B6 B7 (OLI's own band numbers); S30 B3 B4 B8A B11 B12 — the MSI bands HLS
            adjusts to the OLI bandpasses (the S30 scenes carry ``MSI_BAND_{03,04,8A,11,12}_BANDPASS_ADJUSTMENT_*``
            properties; Earth Engine catalogue ``NASA_HLS_HLSS30_v002``), B8A being the narrow NIR that matches OLI
            B5 (B8 is broad). The red-edge bands B5–B7, which the Landsat networks cannot take, are not used.
==========  ======================================================================================================

Merged sensors (``LANDSAT_OLI``, ``LANDSAT_TM_ETM``) have no entry: each pixel takes its own member's set.

The ``single_or_prosail_*`` land-cover CSVs of ``Sentinel2/`` and ``Landsat*/`` are not part of any CCRS ensemble
(the reference vectors README checks it coefficient by coefficient) and are no longer read.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import QT_TRANSLATE_NOOP, LeafError

SL2P = "SL2P"
SL2P_CCRS = "SL2P-CCRS"
#: The algorithms, as CCRS names them (parameter values, metadata, plans).
ALGORITHMS: tuple[str, ...] = (SL2P, SL2P_CCRS)
#: The local engine runs the generic network unless the user gives land cover and asks for the ensemble.
DEFAULT_LOCAL_ALGORITHM = SL2P
#: What CCRS production runs; Earth Engine always has the public land cover for it.
DEFAULT_GEE_ALGORITHM = SL2P_CCRS

PACKAGE = "SL2P-SL2PCCRS_PYTHON/nets"
PACKAGE_COMMIT = "71ac9e0"
TOOLBOX = "SL2P-Networks"
TOOLBOX_COMMIT = "b5767a3"

#: Legend name of the slot CCRS calls ``invalid`` (urban, water, snow/ice): it holds the generic network.
INVALID_CLASS_NETWORK = "invalid"


@dataclass(frozen=True)
class NetworkSetSpec:
    """The files of one sensor × algorithm, and the spectral bands its networks take (after the three cosines).

    ``package`` sets read one ensemble file per kind (estimate, uncertainty, domain, legend, parameter file): slot k
    of variable v is the k-th network of the file whose variable id is v, as the package selects it. ``slots`` sets
    (Landsat 7) name one estimate/uncertainty CSV per slot instead, with the package legend and parameter file.
    """

    sensor_key: str
    algorithm: str
    bands: tuple[str, ...]
    label: str
    """Human-readable id written into output metadata and plans."""
    estimate: tuple[str, ...]
    error: tuple[str, ...]
    domain: tuple[str, ...]
    """Domain-code lists; the set's domain is their union."""
    legend: str | None = None
    parameter_file: str | None = None

    def files(self) -> list[str]:
        paths = [*self.estimate, *self.error, *self.domain]
        paths += [p for p in (self.legend, self.parameter_file) if p]
        return sorted(set(paths))


_S2_BANDS = ("B3", "B4", "B5", "B6", "B7", "B8A", "B11", "B12")
_S2_10M_BANDS = ("B2", "B3", "B4", "B8")
_OLI_BANDS = ("SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7")
_TM_BANDS = ("SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7")
_HLS_L30_BANDS = ("B3", "B4", "B5", "B6", "B7")
_HLS_S30_BANDS = ("B3", "B4", "B8A", "B11", "B12")


def _package(sensor_key: str, algorithm: str, collection: str, bands: tuple[str, ...]) -> NetworkSetSpec:
    stem = f"{PACKAGE}/{collection}_{'sl2p' if algorithm == SL2P else 'sl2pccrs'}"
    return NetworkSetSpec(
        sensor_key, algorithm, bands, f"{algorithm} (CCRS SL2P-SL2PCCRS_PYTHON {PACKAGE_COMMIT}, {collection})",
        (f"{stem}.pkl",), (f"{stem}_error.pkl",), (f"{stem}_domain.pkl",), f"{stem}_legend.pkl",
        f"{stem}_parameter_file.pkl",
    )


def _toolbox(name: str) -> tuple[str, str, str]:
    """(estimate, uncertainty, domain) of one SL2P-Networks report folder."""
    base = f"{TOOLBOX}/Report_{name}/Class_1/{name}"
    return f"{base}_NNT1_Single_0_1.csv", f"{base}_NNT1_Single_0_1_incertitudes.csv", f"{base}_domain.csv"


_L7_GENERIC = _toolbox("l7_sl2p_weiss_or_prosail")
_L7_ENF = _toolbox("l7_sl2p_ccrs_sobol_4sail2_enf")
_L7_DBF = _toolbox("l7_sl2p_ccrs_sobol_4sail2_dbf")
_L7_MIX = _toolbox("l7_sl2p_ccrs_sobol_4sail2_mix")
#: Landsat 7 SL2P-CCRS slot → network (the package's slot numbering: see the module doc).
_L7_CCRS_SLOTS = {2: _L7_DBF, 3: _L7_ENF, 7: _L7_DBF, 11: _L7_MIX}
_L7_SLOT_COUNT = 12


def _l7(sensor_key: str, algorithm: str) -> NetworkSetSpec:
    if algorithm == SL2P:
        return NetworkSetSpec(sensor_key, SL2P, _TM_BANDS, f"SL2P (CCRS SL2P-Networks {TOOLBOX_COMMIT}, l7)",
                              (_L7_GENERIC[0],), (_L7_GENERIC[1],), (_L7_GENERIC[2],))
    slots = [_L7_CCRS_SLOTS.get(k, _L7_GENERIC) for k in range(_L7_SLOT_COUNT)]
    legend = f"{PACKAGE}/l8_sl2pccrs"
    return NetworkSetSpec(
        sensor_key, SL2P_CCRS, _TM_BANDS,
        f"SL2P-CCRS (CCRS SL2P-Networks {TOOLBOX_COMMIT}, l7; legend SL2P-SL2PCCRS_PYTHON {PACKAGE_COMMIT})",
        tuple(s[0] for s in slots), tuple(s[1] for s in slots), tuple(sorted({s[2] for s in slots})),
        f"{legend}_legend.pkl", f"{legend}_parameter_file.pkl",
    )


NETWORK_SETS: dict[tuple[str, str], NetworkSetSpec] = {}
for _algorithm in ALGORITHMS:
    for _spec in (
        _package("S2", _algorithm, "s2_20m", _S2_BANDS),
        _package("S2_10M", _algorithm, "s2_10m", _S2_10M_BANDS),
        _package("L8", _algorithm, "l8", _OLI_BANDS),
        _package("L9", _algorithm, "l9", _OLI_BANDS),
        _l7("L7", _algorithm),
        _l7("L5", _algorithm),
        _package("HLS_L30", _algorithm, "l8", _HLS_L30_BANDS),
        _package("HLS_S30", _algorithm, "l8", _HLS_S30_BANDS),
    ):
        NETWORK_SETS[(_spec.sensor_key, _algorithm)] = _spec

#: The spectral bands each sensor's networks read, in network order (the same for both algorithms).
SENSOR_BANDS: dict[str, tuple[str, ...]] = {key: spec.bands for (key, _), spec in NETWORK_SETS.items()}


def algorithm_key(value: str) -> str:
    """``SL2P`` or ``SL2P-CCRS`` from a user's spelling (case, ``_`` for ``-``), else a :class:`LeafError`."""
    text = str(value).strip().upper().replace("_", "-")
    if text not in ALGORITHMS:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "Unknown algorithm '{value}'. Choose one of: {choices}."),
            value=value, choices=", ".join(ALGORITHMS),
        )
    return text


def network_set_spec(sensor_key: str, algorithm: str) -> NetworkSetSpec:
    spec = NETWORK_SETS.get((sensor_key, algorithm_key(algorithm)))
    if spec is None:
        from .sensors import unknown_sensor  # sensors imports this module

        raise unknown_sensor(sensor_key, SENSOR_BANDS)
    return spec


def all_files() -> list[str]:
    """Every relative path any sensor and algorithm reads (what a bundle or a full download holds)."""
    paths: set[str] = set()
    for spec in NETWORK_SETS.values():
        paths.update(spec.files())
    return sorted(paths)
