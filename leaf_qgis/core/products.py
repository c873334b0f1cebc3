"""Every LEAF output map in one table: products, their uncertainties, the QC byte, the date map, the partition.

Adding a product (or a map) means adding one row to :data:`MAPS`. Everything else is derived from it: the file-name
tokens (:mod:`.naming`), both engines' encodings, data types and nodata values, the networks evaluated (the
``variable_id``), the styling (ramp by name; an unknown ramp falls back to :data:`DEFAULT_RAMP`), the layer order of
the layer-tree groups, the algorithms' product lists and outputs, and their help.

Output-range test (QC bit 1). Three CCRS code bases disagree (LEAF production: LAI 0–15, others 0–1;
LEAF-Toolbox: LAI 0–10 or 0–8; SL2P-PYTHON: LAI 0–8, albedo 0–0.2). We use the LEAF production tool's table, because
this plugin reproduces that tool's products and users compare against its maps; the uint8 encoding then flags any
value it has to clamp (LAI above 12.7), so nothing saturates silently. Display ranges are separate: they fix the
colour ramps so that maps of different dates compare (LAI 0–8, fractions 0–1, albedo 0–0.3).

Canopy chlorophyll and water content (CCC, CWC; SNAP's ``LAI_Cab`` and ``LAI_Cw``). LEAF production never exported
them, so their valid ranges are the CCRS package's and SNAP's (CCC 0–600, CWC 0–0.55). Units: the networks were
trained on PROSAIL simulations of LAI × Cab (leaf chlorophyll, µg/cm² of leaf) and LAI × Cw (leaf equivalent water
thickness, g/cm² of leaf), so the values are µg/cm² and g/cm² of ground (600 µg/cm² = 6 g/m²; 0.55 g/cm² =
5.5 kg/m²). SNAP's labels (Cab "g/cm2", Cw "g/m2") and the package README's "g/m²" do not match the numbers; we label
what the numbers are. LEAF uint8 encoding: CCC × 0.4 (steps of 2.5 µg/cm², 0–635 representable), CWC × 400 (steps
of 0.0025 g/cm², 0–0.635): the whole valid range fits below DN 254, and the rounding step is a sixth of SNAP's own
output tolerance (15 µg/cm², 0.015 g/cm²) and far below the networks' uncertainty on the CCRS reference spectra
(median 30 µg/cm², 0.02 g/cm²). ``ENCODING=FLOAT32`` keeps the exact values. They are not in the default product
list: runs that do not ask for them are unchanged.

The module is pure Python (no numpy, qgis or ee), so every layer may import it at plugin load.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import QT_TRANSLATE_NOOP, LeafError
from .landcover import PARTITION_NODATA
from .qc import QC_NODATA

#: Kinds of output map (:attr:`OutputMap.kind`).
PRODUCT = "product"
UNCERTAINTY = "uncertainty"
QC = "qc"
DATE = "date"
PARTITION = "partition"

#: Nodata of the LEAF uint8 products (255: DN 0 is a real 0).
LEAF_NODATA = 255
#: Nodata of the date map: days since 1970-01-01 (day 0 is never an acquisition date).
DATE_NODATA = 0
#: Ramp of a map whose ramp name the styling does not know.
DEFAULT_RAMP = "viridis"

#: Engines (:attr:`OutputMap.engines`).
GEE = "gee"
LOCAL = "local"


@dataclass(frozen=True)
class OutputMap:
    """One kind of LEAF output raster, as both engines write it in the LEAF encoding."""

    key: str
    """Stable identifier used in parameters, scripts and metadata: ``LAI`` … ``QC``, ``DATE``, ``PARTITION``."""
    file_token: str
    """Token in LEAF file names, as the reference tool writes it: ``LAI``, ``fCOVER``, ``QC``, ``Date`` …"""
    name: str
    """English display name (``QT_TRANSLATE_NOOP``: translated by the QGIS layer)."""
    kind: str = PRODUCT
    """``product``, ``qc``, ``date`` or ``partition`` (uncertainty maps are derived from their product)."""
    dtype: str = "uint8"
    """Data type in the LEAF encoding (numpy / Earth Engine spelling)."""
    nodata: int = LEAF_NODATA
    """Nodata value in the LEAF encoding."""
    unit: str = ""
    meaning: str = ""
    """What a value means, for the help (``QT_TRANSLATE_NOOP``); products are described by their numbers."""
    ramp: str = DEFAULT_RAMP
    """Colour-ramp name (:mod:`leaf_qgis.styling.styles`); QC, date and partition have their own renderers."""
    engines: tuple[str, ...] = (GEE, LOCAL)
    """Engines that write this map."""


@dataclass(frozen=True)
class Product(OutputMap):
    """A biophysical variable estimated by SL2P (each has an uncertainty map ``<KEY>_ERROR`` too)."""

    variable_id: int = 0
    """Row id (``tabledata3``) of this variable in the CCRS network files: LAI 1, fAPAR 2, fCOVER 3, CCC 4, CWC 5,
    albedo 6."""
    leaf_scale: float = 1.0
    """LEAF uint8 encoding: DN = ⌊value · leaf_scale + 0.5⌋; the file carries the scale 1 / leaf_scale."""
    valid_range: tuple[float, float] = (0.0, 1.0)
    """Estimates outside this closed interval set QC bit 1."""
    display_range: tuple[float, float] = (0.0, 1.0)
    """Fixed colour-ramp range for styling."""
    default: bool = True
    """In the default product list of the algorithms (False: asked for explicitly)."""
    snap_name: str = ""
    """The name SNAP's biophysical processor gives the same variable, for users coming from SNAP."""


#: Every output map, in layer order (products, then QC, date and partition).
MAPS: dict[str, OutputMap] = {
    m.key: m
    for m in (
        Product("LAI", "LAI", QT_TRANSLATE_NOOP("leaf", "Leaf area index"), unit="m²/m²", ramp="greens",
                variable_id=1, leaf_scale=20, valid_range=(0.0, 15.0), display_range=(0.0, 8.0), snap_name="LAI"),
        Product("FCOVER", "fCOVER", QT_TRANSLATE_NOOP("leaf", "Fraction of vegetation cover"), variable_id=3,
                leaf_scale=200, snap_name="FCOVER"),
        Product("FAPAR", "fAPAR", QT_TRANSLATE_NOOP("leaf", "Fraction of absorbed PAR"), variable_id=2,
                leaf_scale=200, snap_name="FAPAR"),
        Product("ALBEDO", "Albedo", QT_TRANSLATE_NOOP("leaf", "Black-sky albedo"), ramp="albedo", variable_id=6,
                leaf_scale=200, display_range=(0.0, 0.3)),
        Product("CCC", "CCC", QT_TRANSLATE_NOOP("leaf", "Canopy chlorophyll content"), unit="µg/cm²",
                ramp="chlorophyll", variable_id=4, leaf_scale=0.4, valid_range=(0.0, 600.0),
                display_range=(0.0, 400.0), default=False, snap_name="LAI_Cab"),
        Product("CWC", "CWC", QT_TRANSLATE_NOOP("leaf", "Canopy water content"), unit="g/cm²", ramp="water",
                variable_id=5, leaf_scale=400, valid_range=(0.0, 0.55), display_range=(0.0, 0.3), default=False,
                snap_name="LAI_Cw"),
        OutputMap("QC", "QC", QT_TRANSLATE_NOOP("leaf", "QC byte"), kind=QC, nodata=QC_NODATA,
                  meaning=QT_TRANSLATE_NOOP("leaf", "quality bits and sensor code (below)")),
        OutputMap("DATE", "Date", QT_TRANSLATE_NOOP("leaf", "Acquisition date"), kind=DATE, dtype="uint16",
                  nodata=DATE_NODATA, unit="d", engines=(GEE,),
                  meaning=QT_TRANSLATE_NOOP("leaf", "days since 1970-01-01 of the chosen acquisition")),
        OutputMap("PARTITION", "Partition", QT_TRANSLATE_NOOP("leaf", "Land-cover partition"), kind=PARTITION,
                  nodata=PARTITION_NODATA, engines=(GEE,),
                  meaning=QT_TRANSLATE_NOOP("leaf", "NALCMS land-cover class that chose the SL2P-CCRS network")),
    )
}

#: The biophysical products, in table order.
PRODUCTS: dict[str, Product] = {k: m for k, m in MAPS.items() if isinstance(m, Product)}
#: Products a run makes when none are named (``CCC`` and ``CWC`` are asked for explicitly).
DEFAULT_PRODUCTS: tuple[str, ...] = tuple(k for k, p in PRODUCTS.items() if p.default)

#: Output keys of a production run: each product key, ``<key>_ERROR`` for its uncertainty, and ``QC``.
QC_KEY = "QC"
ERROR_KEY_SUFFIX = "_ERROR"
#: File-name suffix of an uncertainty map, after the product token (``LAI_Error``).
ERROR_TOKEN_SUFFIX = "_Error"
QC_TOKEN = MAPS[QC_KEY].file_token
DATE_TOKEN = MAPS["DATE"].file_token
PARTITION_TOKEN = MAPS["PARTITION"].file_token
#: The maps that are not products, key → file token.
AUXILIARY_TOKENS: dict[str, str] = {k: m.file_token for k, m in MAPS.items() if not isinstance(m, Product)}

#: Every file-name token → its key (``fCOVER`` → ``FCOVER``, ``Date`` → ``DATE``).
KEY_BY_TOKEN: dict[str, str] = {m.file_token: m.key for m in MAPS.values()}


def product(key: str) -> Product:
    """The product called ``key`` (case-insensitive), or a :class:`LeafError` listing the valid keys."""
    found = PRODUCTS.get(key.strip().upper()) if isinstance(key, str) else None
    if found is None:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "Unknown product '{key}'. Choose from: {choices}."),
            key=key, choices=", ".join(PRODUCTS),
        )
    return found


def output_map(key: str) -> tuple[OutputMap, bool]:
    """``(map, is_uncertainty)`` of an output key (``LAI``, ``LAI_ERROR``, ``QC`` …); KeyError for an unknown key.

    An uncertainty map has its product's encoding (type, scale, nodata) and ramp range halved by the styling."""
    key = key.upper()
    if key.endswith(ERROR_KEY_SUFFIX) and key[: -len(ERROR_KEY_SUFFIX)] in PRODUCTS:
        return PRODUCTS[key[: -len(ERROR_KEY_SUFFIX)]], True
    return MAPS[key], False


def nodata_for(key: str) -> int:
    """Nodata value of output ``key`` in the LEAF encoding (products and uncertainties 255, QC 0, date 0 …)."""
    return output_map(key)[0].nodata


def data_type_for(key: str) -> str:
    """Data type of output ``key`` in the LEAF encoding (``uint8``, ``uint16``)."""
    return output_map(key)[0].dtype


def layer_rank(key: str) -> int:
    """Position of map ``key`` in the table (the order of layers in a group); unknown keys after every map."""
    keys = list(MAPS)
    return keys.index(key) if key in MAPS else len(keys)


def output_keys(products: tuple[str, ...] | list[str], uncertainty: bool) -> list[str]:
    """Output keys of a local run: the products, ``QC``, then the uncertainties when asked for."""
    return [*products, QC_KEY] + ([k + ERROR_KEY_SUFFIX for k in products] if uncertainty else [])


def scale_text(p: Product) -> str:
    """The LEAF encoding of ``p`` in numbers, language-neutral: ``× 20`` (``× 0.4``)."""
    return f"× {p.leaf_scale:g}"


def range_text(low_high: tuple[float, float], unit: str = "") -> str:
    """``0–15 m²/m²``: a closed interval as the help shows it."""
    low, high = low_high
    return f"{low:g}–{high:g}" + (f" {unit}" if unit else "")


def demo_output_arguments(folder: str, stem: str, resolution_m: int) -> list[str]:
    """``OUTPUT_<KEY>=<folder>/<stem>_<TOKEN>_<res>m.tif`` (and ``_ERROR``) for every default product: the
    ``produce_local`` outputs of ``make demo``, derived here so that the Makefile restates no product."""
    arguments = []
    for key in DEFAULT_PRODUCTS:
        token = PRODUCTS[key].file_token
        arguments.append(f"OUTPUT_{key}={folder}/{stem}_{token}_{resolution_m}m.tif")
        arguments.append(f"OUTPUT_{key}{ERROR_KEY_SUFFIX}={folder}/{stem}_{token}{ERROR_TOKEN_SUFFIX}_{resolution_m}m.tif")
    return arguments


if __name__ == "__main__":  # python -m leaf_qgis.core.products demo-outputs FOLDER STEM RESOLUTION (make demo)
    import sys

    if len(sys.argv) != 5 or sys.argv[1] != "demo-outputs":
        sys.exit("usage: python -m leaf_qgis.core.products demo-outputs FOLDER STEM RESOLUTION")
    print(" ".join(demo_output_arguments(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
