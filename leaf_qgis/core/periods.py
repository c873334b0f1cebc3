"""Compositing periods: calendar months, the peak season, or an explicit date range; all with inclusive ends.

The reference tool dropped the last day of every month (exclusive ``filterDate`` end), always ended February on
the 28th and left 15 September out of the peak season. Here a period stores inclusive first and last days, and
``end_exclusive`` is what date filters take.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import QT_TRANSLATE_NOOP, LeafError

MONTH_TOKENS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PEAK_SEASON = ((6, 15), (9, 15))
"""Peak season: 15 June to 15 September inclusive."""
EPOCH = date(1970, 1, 1)
#: The years a YEAR parameter accepts: from Landsat 5's first year (the oldest archive LEAF reads; a test keeps it
#: equal to the sensor table's) to a far bound that only catches typing mistakes.
FIRST_YEAR = 1984
LAST_YEAR = 2100


@dataclass(frozen=True)
class Period:
    """A compositing window ``first`` … ``last`` (both inclusive)."""

    kind: str
    """``month``, ``peak`` or ``range``."""
    first: date
    last: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= int(month) <= 12:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "Month {month} is not between 1 and 12."), month=month)
        return cls("month", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def peak_season(cls, year: int) -> Period:
        (m0, d0), (m1, d1) = PEAK_SEASON
        return cls("peak", date(year, m0, d0), date(year, m1, d1))

    @classmethod
    def date_range(cls, first: date, last: date) -> Period:
        if last < first:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "The end date {last} is before the start date {first}."),
                first=first.isoformat(), last=last.isoformat(),
            )
        return cls("range", first, last)

    def to_json(self) -> dict[str, str]:
        """``{"kind", "first", "last"}`` with ISO dates: how plans and task tables store a period."""
        return {"kind": self.kind, "first": self.first.isoformat(), "last": self.last.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Period:
        """Inverse of :meth:`to_json`."""
        return cls(data["kind"], date.fromisoformat(data["first"]), date.fromisoformat(data["last"]))

    @property
    def year(self) -> int:
        return self.first.year

    @property
    def end_exclusive(self) -> date:
        """The day after ``last``: the end argument of half-open date filters."""
        return self.last + timedelta(days=1)

    @property
    def middle(self) -> date:
        return self.first + (self.last - self.first) / 2

    @property
    def token(self) -> str:
        """The period's part of a LEAF file name: ``Jul``, empty for the peak season, ``20200601-20200715``."""
        if self.kind == "month":
            return MONTH_TOKENS[self.first.month - 1]
        if self.kind == "peak":
            return ""
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def days_since_epoch(day: date) -> int:
    """The value the date map stores: days since 1970-01-01 (uint16 holds dates up to 2149-06-06)."""
    return (day - EPOCH).days


def date_from_days(days: int) -> date:
    """Inverse of :func:`days_since_epoch`."""
    return EPOCH + timedelta(days=int(days))
