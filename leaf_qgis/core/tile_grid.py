"""The CCRS 900 km tile grid in EPSG:3979 (NAD83(CSRS) / Canada Atlas Lambert): the single source of tile names,
tile squares and tile lookups for every algorithm.

Tiles are exact axis-aligned squares: column c (1..7) spans x = ORIGIN_X + (c-1)·900 km … + 900 km, row r (1 = north)
spans y = ORIGIN_Y - r·900 km … + 900 km. The reference tool stored the tiles as lon/lat polygons whose geodesic edges
sit up to 11 km off these squares; we never use those.

Sub-tiles: ``tileRC_4ij`` splits a tile 2×2 (450 km, "quarter") and ``tileRC_9ij`` 3×3 (300 km, "ninth"), with i the
sub-row counted from the north and j the sub-column counted from the west.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import QT_TRANSLATE_NOOP, LeafError

GRID_CRS = "EPSG:3979"
ORIGIN_X = -2_600_000.0
"""x of the grid's north-west corner (west edge of column 1), metres."""
ORIGIN_Y = 3_914_925.0
"""y of the grid's north-west corner (north edge of row 1), metres."""
TILE_SIZE = 900_000.0

#: The 27 tiles of the grid, by row (1 = north): columns present in each row.
TILE_COLUMNS_BY_ROW: dict[int, tuple[int, ...]] = {
    1: (3, 4),
    2: (1, 2, 3, 4, 5),
    3: (1, 2, 3, 4, 5, 6),
    4: (1, 2, 3, 4, 5, 6, 7),
    5: (2, 3, 4, 5, 6, 7),
    6: (5,),
}

#: Levels: name → (sub-tile digit K in ``tileRC_Kij``, subdivisions per side, edge length in metres).
LEVELS: dict[str, tuple[int, int, float]] = {
    "tile": (0, 1, TILE_SIZE),
    "quarter": (4, 2, TILE_SIZE / 2),
    "ninth": (9, 3, TILE_SIZE / 3),
}
_LEVEL_BY_DIGIT = {digit: name for name, (digit, _, _) in LEVELS.items() if digit}
_NAME = re.compile(r"^tile(\d)(\d)(?:_(\d)(\d)(\d))?$")

Bounds = tuple[float, float, float, float]
"""(xmin, ymin, xmax, ymax) in EPSG:3979 metres."""


@dataclass(frozen=True)
class Tile:
    """One square of the grid at some level."""

    row: int
    col: int
    level: str = "tile"
    sub_row: int = 1
    sub_col: int = 1

    @property
    def name(self) -> str:
        base = f"tile{self.row}{self.col}"
        if self.level == "tile":
            return base
        return f"{base}_{LEVELS[self.level][0]}{self.sub_row}{self.sub_col}"

    @property
    def parent(self) -> Tile:
        """The 900 km tile that contains this one."""
        return Tile(self.row, self.col)

    @property
    def size(self) -> float:
        return LEVELS[self.level][2]

    @property
    def bounds(self) -> Bounds:
        """The exact square, (xmin, ymin, xmax, ymax) in EPSG:3979 metres."""
        xmin = ORIGIN_X + (self.col - 1) * TILE_SIZE + (self.sub_col - 1) * self.size
        ymax = ORIGIN_Y - (self.row - 1) * TILE_SIZE - (self.sub_row - 1) * self.size
        return (xmin, ymax - self.size, xmin + self.size, ymax)


def _check_level(level: str) -> tuple[int, int, float]:
    try:
        return LEVELS[level]
    except KeyError:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "Unknown tile level '{level}'. Choose one of: {choices}."),
            level=level, choices=", ".join(LEVELS),
        ) from None


def tiles(level: str = "tile") -> list[Tile]:
    """Every tile of ``level``, north to south, west to east (27 tiles; 108 quarters; 243 ninths)."""
    _, n, _ = _check_level(level)
    return [
        Tile(row, col, level, i, j)
        for row, cols in TILE_COLUMNS_BY_ROW.items()
        for col in cols
        for i in range(1, n + 1)
        for j in range(1, n + 1)
    ]


def tile_names(level: str = "tile") -> list[str]:
    return [t.name for t in tiles(level)]


def parse_tile(name: str) -> Tile:
    """The tile called ``name``; a :class:`LeafError` that says why and what is valid otherwise."""
    text = name.strip() if isinstance(name, str) else ""
    match = _NAME.match(text)
    if not match:
        if _NAME.match(text.lower()):
            raise LeafError(
                QT_TRANSLATE_NOOP(
                    "leaf", "'{name}' is not a CCRS tile name: tile names are lower case, e.g. '{suggestion}'."
                ),
                name=name, suggestion=text.lower(),
            )
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "'{name}' is not a CCRS tile name. Use tileRC (row R 1-6 from the north, column C 1-7 from the west, "
                "e.g. tile55), tileRC_4ij for a quarter or tileRC_9ij for a ninth (i = sub-row from the north, "
                "j = sub-column from the west).",
            ),
            name=name,
        )
    row, col = int(match[1]), int(match[2])
    if col not in TILE_COLUMNS_BY_ROW.get(row, ()):
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "There is no tile {name} in the CCRS grid. The tiles are: {choices}."),
            name=text, choices=", ".join(tile_names()),
        )
    if match[3] is None:
        return Tile(row, col)
    digit, i, j = int(match[3]), int(match[4]), int(match[5])
    level = _LEVEL_BY_DIGIT.get(digit)
    if level is None:
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "'{name}': the sub-tile part must start with 4 (2×2 quarters, i and j 1-2) or 9 (3×3 ninths, "
                "i and j 1-3), e.g. tile{row}{col}_411 or tile{row}{col}_933.",
            ),
            name=text, row=row, col=col,
        )
    n = LEVELS[level][1]
    if not (1 <= i <= n and 1 <= j <= n):
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "'{name}': a {level} sub-tile has sub-row and sub-column numbers from 1 to {n} "
                "(tile{row}{col}_{digit}11 … tile{row}{col}_{digit}{n}{n}).",
            ),
            name=text, level=level, n=n, row=row, col=col, digit=digit,
        )
    return Tile(row, col, level, i, j)


def parse_tile_list(text: str | Iterable[str]) -> list[Tile]:
    """Tiles from a comma/space separated string or an iterable of names; duplicates dropped, order kept."""
    names = re.split(r"[\s,;]+", text) if isinstance(text, str) else list(text)
    result: list[Tile] = []
    for name in names:
        if name and name.strip():
            tile = parse_tile(name)
            if tile not in result:
                result.append(tile)
    return result


def intersects(a: Bounds, b: Bounds) -> bool:
    """True when two bounds share interior area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def tiles_intersecting(bounds: Bounds, level: str = "tile") -> list[Tile]:
    """Tiles of ``level`` whose square shares area with ``bounds`` (EPSG:3979)."""
    return [t for t in tiles(level) if intersects(t.bounds, bounds)]


def tile_at(x: float, y: float, level: str = "tile") -> Tile | None:
    """The tile containing the point (x, y) in EPSG:3979 (west/north edges inclusive), or ``None``."""
    _, n, size = _check_level(level)
    col = int((x - ORIGIN_X) // TILE_SIZE) + 1
    row = int((ORIGIN_Y - y) // TILE_SIZE) + 1
    if col not in TILE_COLUMNS_BY_ROW.get(row, ()):
        return None
    if n == 1:
        return Tile(row, col)
    sub_col = int((x - ORIGIN_X - (col - 1) * TILE_SIZE) // size) + 1
    sub_row = int((ORIGIN_Y - (row - 1) * TILE_SIZE - y) // size) + 1
    return Tile(row, col, level, sub_row, sub_col)


def grid_bounds() -> Bounds:
    """Bounds of all 27 tiles together."""
    squares = [t.bounds for t in tiles()]
    return (min(b[0] for b in squares), min(b[1] for b in squares),
            max(b[2] for b in squares), max(b[3] for b in squares))


#: EPSG:3979 (NAD83(CSRS) / Canada Atlas Lambert): Lambert conformal conic, two standard parallels, GRS80.
LCC_LAT_0, LCC_LON_0, LCC_LAT_1, LCC_LAT_2 = 49.0, -95.0, 49.0, 77.0
GRS80_A, GRS80_INV_F = 6_378_137.0, 298.257222101


def grid_to_lonlat(x: float, y: float) -> tuple[float, float]:
    """NAD83(CSRS) (longitude, latitude) in degrees of an EPSG:3979 point (Snyder 1987, eqs. 15-1 to 15-11 and 7-9
    inverted); NAD83(CSRS) lies within a few metres of WGS84.

    Pure Python so that the core needs no projection library: used to place a tile on the globe (e.g. the latitude
    of its centre for the scene-cloud default). Agrees with PROJ to 10⁻¹³ degree over the grid.
    """
    f = 1.0 / GRS80_INV_F
    e = math.sqrt(2 * f - f * f)

    def m(phi: float) -> float:
        return math.cos(phi) / math.sqrt(1 - (e * math.sin(phi)) ** 2)

    def t(phi: float) -> float:
        s = e * math.sin(phi)
        return math.tan(math.pi / 4 - phi / 2) / ((1 - s) / (1 + s)) ** (e / 2)

    phi0, phi1, phi2 = (math.radians(v) for v in (LCC_LAT_0, LCC_LAT_1, LCC_LAT_2))
    n = (math.log(m(phi1)) - math.log(m(phi2))) / (math.log(t(phi1)) - math.log(t(phi2)))
    big_f = m(phi1) / (n * t(phi1) ** n)
    rho0 = GRS80_A * big_f * t(phi0) ** n
    rho = math.copysign(math.hypot(x, rho0 - y), n)
    theta = math.atan2(x, rho0 - y)
    tt = (rho / (GRS80_A * big_f)) ** (1 / n)
    phi = math.pi / 2 - 2 * math.atan(tt)
    for _ in range(20):
        s = e * math.sin(phi)
        nxt = math.pi / 2 - 2 * math.atan(tt * ((1 - s) / (1 + s)) ** (e / 2))
        if abs(nxt - phi) < 1e-14:
            phi = nxt
            break
        phi = nxt
    return LCC_LON_0 + math.degrees(theta / n), math.degrees(phi)
