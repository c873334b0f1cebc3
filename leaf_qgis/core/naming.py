"""LEAF output file names: the one place that formats and parses them.

Compatible with the reference tool: ``<region>_<year>_<Mon>_<TOKEN>_<res>m`` (e.g. ``tile55_2020_Jul_LAI_20m``),
``<region>_<year>_<TOKEN>_<res>m`` for the peak season, and ``<region>_<year>_Partition_<res>m`` for the land-cover
partition (one per region and year). Date ranges, which the reference tool did not offer, read
``<region>_<YYYYMMDD>-<YYYYMMDD>_<TOKEN>_<res>m``. Uncertainty layers add ``_Error`` after the token. Earth Engine
splits large exports into ``<name>-<row offset>-<col offset>.tif`` shards; the parser accepts and reports them.

The tokens are the ``file_token`` of every map of :data:`leaf_qgis.core.products.MAPS`: a new product is named and
recognised without a change here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from .periods import MONTH_TOKENS, Period
from .products import ERROR_TOKEN_SUFFIX, KEY_BY_TOKEN, PARTITION_TOKEN

_TOKENS = "|".join(sorted(KEY_BY_TOKEN, key=len, reverse=True))
_PATTERN = re.compile(
    rf"^(?P<region>.+?)_"
    rf"(?:(?P<year>\d{{4}})(?:_(?P<month>{'|'.join(MONTH_TOKENS)}))?|(?P<first>\d{{8}})-(?P<last>\d{{8}}))"
    rf"_(?P<token>{_TOKENS})(?P<error>{ERROR_TOKEN_SUFFIX})?_(?P<res>\d+)m"
    rf"(?P<shard>-\d+-\d+)?$"
)


@dataclass(frozen=True)
class OutputName:
    """The parts of a LEAF output name."""

    region: str
    """Tile name (``tile55``, ``tile55_411``) or the label of a custom region."""
    token: str
    """File-name token of a map of ``MAPS``: ``LAI``, ``fCOVER``, ``fAPAR``, ``Albedo``, ``CCC``, ``CWC``, ``QC``,
    ``Date`` or ``Partition``."""
    resolution_m: int
    period: Period | None
    """The compositing period; ``None`` for the partition map, which covers a year."""
    year: int
    error: bool = False
    """True for an uncertainty layer."""
    shard: str = ""

    @property
    def key(self) -> str:
        """Product or map key (``LAI``, ``FCOVER`` … ``QC``, ``DATE``, ``PARTITION``): the key of ``MAPS``."""
        return KEY_BY_TOKEN[self.token]

    @property
    def stem(self) -> str:
        """The file name without extension (and without shard suffix)."""
        if self.period is None or self.token == PARTITION_TOKEN:
            when = str(self.year)
        elif self.period.kind == "range":
            when = self.period.token
        elif self.period.kind == "peak":
            when = str(self.year)
        else:
            when = f"{self.year}_{self.period.token}"
        error = ERROR_TOKEN_SUFFIX if self.error else ""
        return f"{self.region}_{when}_{self.token}{error}_{self.resolution_m}m"


def output_name(
    region: str, token: str, resolution_m: int, period: Period | None, year: int | None = None, error: bool = False
) -> OutputName:
    """Build the name of one output; ``year`` defaults to the period's year."""
    if year is None:
        if period is None:
            raise ValueError("a year or a period is needed")
        year = period.year
    if token == PARTITION_TOKEN:
        period = None
    return OutputName(region, token, int(resolution_m), period, int(year), error)


def parse(file_name: str) -> OutputName | None:
    """Parse a file name or path (any extension); ``None`` when it is not a LEAF output name."""
    stem = re.split(r"[\\/]", file_name)[-1]
    stem = re.sub(r"\.tiff?$", "", stem, flags=re.IGNORECASE)
    match = _PATTERN.match(stem)
    if not match:
        return None
    token = match["token"]
    period: Period | None
    if match["first"]:
        first, last = (datetime.strptime(match[k], "%Y%m%d").date() for k in ("first", "last"))
        if last < first:
            return None
        period, year = Period.date_range(first, last), first.year
    else:
        year = int(match["year"])
        if match["month"]:
            period = Period.month(year, MONTH_TOKENS.index(match["month"]) + 1)
        elif token == PARTITION_TOKEN:
            period = None
        else:
            period = Period.peak_season(year)
    if token == PARTITION_TOKEN:
        period = None  # the land-cover partition covers its year whatever the name says, as output_name() builds it
    return OutputName(match["region"], token, int(match["res"]), period, year, bool(match["error"]),
                      (match["shard"] or "").lstrip("-"))


def default_folder(region: str, year: int | date) -> str:
    """Default export folder ``<region>_<year>`` (the reference tool's ``<tile>_<year>``, same for every map)."""
    return f"{region}_{year if isinstance(year, int) else year.year}"
