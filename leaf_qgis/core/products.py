"""The LEAF products and auxiliary maps: identifiers, SL2P variable ids, scale factors and ranges.

One table, used by every engine, by the file-name patterns and by the styling.

Output-range test (QC bit 1). Three CCRS code bases disagree (LEAF production: LAI 0–15, others 0–1;
LEAF-Toolbox: LAI 0–10 or 0–8; SL2P-PYTHON: LAI 0–8, albedo 0–0.2). We use the LEAF production tool's table, because
this plugin reproduces that tool's products and users compare against its maps; the uint8 encoding then flags any
value it has to clamp (LAI above 12.7), so nothing saturates silently. Display ranges are separate: they fix the
colour ramps so that maps of different dates compare (LAI 0–8, fractions 0–1, albedo 0–0.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import QT_TRANSLATE_NOOP, LeafError


@dataclass(frozen=True)
class Product:
    """A biophysical variable estimated by SL2P."""

    key: str
    """Stable identifier used in parameters and scripts: ``LAI``, ``FCOVER``, ``FAPAR``, ``ALBEDO``."""
    file_token: str
    """Token in LEAF file names, as the reference tool writes it: ``LAI``, ``fCOVER``, ``fAPAR``, ``Albedo``."""
    name: str
    """English display name (translated by the QGIS layer)."""
    variable_id: int
    """Row id (``tabledata3``) of this variable in the CCRS network CSV files."""
    leaf_scale: int
    """LEAF uint8 encoding: DN = round(value · leaf_scale)."""
    valid_range: tuple[float, float]
    """Estimates outside this closed interval set QC bit 1."""
    display_range: tuple[float, float]
    """Fixed colour-ramp range for styling."""
    unit: str = ""


PRODUCTS: dict[str, Product] = {
    p.key: p
    for p in (
        Product("LAI", "LAI", QT_TRANSLATE_NOOP("leaf", "Leaf area index"), 1, 20, (0.0, 15.0), (0.0, 8.0), "m²/m²"),
        Product("FCOVER", "fCOVER", QT_TRANSLATE_NOOP("leaf", "Fraction of vegetation cover"), 3, 200,
                (0.0, 1.0), (0.0, 1.0)),
        Product("FAPAR", "fAPAR", QT_TRANSLATE_NOOP("leaf", "Fraction of absorbed PAR"), 2, 200,
                (0.0, 1.0), (0.0, 1.0)),
        Product("ALBEDO", "Albedo", QT_TRANSLATE_NOOP("leaf", "Black-sky albedo"), 6, 200, (0.0, 1.0), (0.0, 0.3)),
    )
}

#: Auxiliary maps and their file-name tokens (the products' tokens are in ``PRODUCTS``).
QC_TOKEN = "QC"
#: Output keys of a production run: each product key, ``<key>_ERROR`` for its uncertainty, and ``QC``.
QC_KEY = "QC"
ERROR_KEY_SUFFIX = "_ERROR"
DATE_TOKEN = "Date"
PARTITION_TOKEN = "Partition"
AUXILIARY_TOKENS: dict[str, str] = {"QC": QC_TOKEN, "DATE": DATE_TOKEN, "PARTITION": PARTITION_TOKEN}

#: Every file-name token → its key (``fCOVER`` → ``FCOVER``, ``Date`` → ``DATE``).
KEY_BY_TOKEN: dict[str, str] = {p.file_token: p.key for p in PRODUCTS.values()} | {
    v: k for k, v in AUXILIARY_TOKENS.items()
}


def product(key: str) -> Product:
    """The product called ``key`` (case-insensitive), or a :class:`LeafError` listing the valid keys."""
    found = PRODUCTS.get(key.strip().upper()) if isinstance(key, str) else None
    if found is None:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "Unknown product '{key}'. Choose from: {choices}."),
            key=key, choices=", ".join(PRODUCTS),
        )
    return found
