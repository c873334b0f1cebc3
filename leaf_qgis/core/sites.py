"""Time series at sites (``leaf:sample_sites``): the request, its validation, and the output table, for both engines.

A field scientist's question is "what did SL2P say at my plots, on every clear acquisition around my field date?".
So a request is a list of sites (an id, a WGS84 geometry, a date window of its own or the global period) and the
answer is a table with one row per site × acquisition × pixel (``PIXELS``) or per site × acquisition (``STATS``:
mean, median, standard deviation and count of the site's good pixels). Both engines fill the same :data:`columns`
through :func:`pixel_row` / :func:`stats_row`, so the table does not depend on where it was computed.

Which pixels count (:mod:`leaf_qgis.core.pixel_rules`, one rule set for every engine):

* ``PIXELS``: every pixel of the site that has an estimate (cloud, shadow, no data and water pixels have none and are
  absent); flagged pixels (QC bit 2: snow, urban, vendor water/snow flags, range tests) are kept with
  ``qc_invalid`` = 1 so the user can filter them.
* ``STATS``: one row per acquisition whose footprint covers the site, even a cloudy one; the statistics use the
  *good* pixels only (an estimate and QC bit 2 clear; bits 0 and 1 describe an estimate's quality and do not remove
  it), and the QC columns count pixels: ``qc_domain`` / ``qc_range`` / ``qc_invalid`` are the numbers of observed
  pixels carrying each bit, ``pixels`` the observed pixels.
* A site without a single good pixel on any acquisition gets one row with an empty date and the reason in ``note``:
  listed, never dropped silently.

Values are floats (no uint8 encoding), so QC bit 1 here means "outside ``Product.valid_range``" only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from . import qc
from .errors import QT_TRANSLATE_NOOP, LeafError
from .geojson import centroid, vertices
from .network_catalog import SL2P_CCRS, algorithm_key
from .periods import Period
from .products import ERROR_KEY_SUFFIX, PRODUCTS
from .products import product as get_product
from .sensors import Sensor
from .sensors import sensor as get_sensor

#: Description (and file-name) prefix of the site-table exports: how ``leaf:ee_tasks`` recognises them as ours.
TASK_PREFIX = "leaf_sites_"
PIXELS = "PIXELS"
STATS = "STATS"
SAMPLING_MODES: tuple[str, ...] = (PIXELS, STATS)
#: Statistics of ``STATS`` rows, as column suffixes (``LAI_mean`` …).
STATISTICS: tuple[str, ...] = ("mean", "median", "stdev", "count")
#: Rows fetched directly from Earth Engine at most (estimated before anything is sent); more → table export.
DIRECT_ROW_BUDGET = 5000
#: Longest window a site may have (a field season is weeks; ten years of acquisitions is an export job, not a chart).
MAX_WINDOW_DAYS = 3660
#: Largest point buffer (m): beyond a few kilometres a "site" is a region (use ``leaf:produce_gee``).
MAX_BUFFER_M = 5000.0

NOTE_NO_CLEAR = QT_TRANSLATE_NOOP("leaf", "no clear observation from {first} to {last}")
NOTE_OUTSIDE = QT_TRANSLATE_NOOP("leaf", "outside every raster")

_EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Site:
    """One site: its id, its WGS84 GeoJSON geometry (Point or Polygon / MultiPolygon) and its date window."""

    site_id: str
    geometry: dict
    first: date
    last: date
    feature: int = 0
    """1-based position of the feature in the user's layer (how errors name it)."""

    @property
    def is_point(self) -> bool:
        return self.geometry.get("type") in ("Point", "MultiPoint")

    @property
    def period(self) -> Period:
        return Period.date_range(self.first, self.last)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def centroid(self) -> tuple[float, float]:
        """(lon, lat) of the site's centre (:func:`leaf_qgis.core.geojson.centroid`: a polygon's area centroid, as
        Earth Engine's rows and the scene-cloud default take it)."""
        return centroid(self.geometry)


@dataclass(frozen=True)
class SiteRequest:
    """A validated ``leaf:sample_sites`` request (build it with :func:`make_request`)."""

    sites: tuple[Site, ...]
    sensor: Sensor
    algorithm: str
    products: tuple[str, ...]
    uncertainty: bool = False
    sampling: str = STATS
    buffer_m: float = 0.0
    max_scene_cloud: float | None = None
    """0–100: scenes at or below it; ``None``: the CCRS production default (:mod:`leaf_qgis.core.scene_cloud`)."""
    resolution_m: int = 20
    mask_flagged: bool = False

    @property
    def value_keys(self) -> tuple[str, ...]:
        """Estimate keys per row: each product, then its ``_ERROR`` with uncertainty."""
        keys = list(self.products)
        if self.uncertainty:
            keys += [k + ERROR_KEY_SUFFIX for k in self.products]
        return tuple(keys)

    def columns(self) -> list[tuple[str, str]]:
        return columns(self.products, self.uncertainty, self.sampling)

    def overall_period(self) -> Period:
        return Period.date_range(min(s.first for s in self.sites), max(s.last for s in self.sites))

    def to_json(self) -> dict[str, Any]:
        return {
            "sensor": self.sensor.key, "algorithm": self.algorithm, "products": list(self.products),
            "uncertainty": self.uncertainty, "sampling": self.sampling, "buffer_m": self.buffer_m,
            "max_scene_cloud": self.max_scene_cloud, "resolution_m": self.resolution_m,
            "mask_flagged": self.mask_flagged, "site_count": len(self.sites),
        }


@dataclass
class FeatureInput:
    """One feature as the QGIS layer gives it, before validation (kept free of QGIS types)."""

    feature: int
    """1-based position in the layer."""
    site_id: Any
    geometry: dict | None
    """WGS84 GeoJSON, or ``None`` for a feature without geometry."""
    date: Any = None
    """The feature's date (single-date mode) or start date (start/end mode)."""
    end: Any = None
    """The feature's end date (start/end mode)."""


# --------------------------------------------------------------------------------------------------- validation
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%Y.%m.%d")


def parse_date(value: Any) -> date | None:
    """A date from a field value: ``date``/``datetime`` (or anything with ``toPyDate``), ISO text (``2020-07-15``,
    ``2020-07-15T10:00:00Z``), ``20200715``, ``2020/07/15`` or ``15/07/2020``; ``None`` for an empty value.
    Raises ``ValueError`` when a non-empty value is not a date."""
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    if hasattr(value, "toPyDateTime"):
        value = value.toPyDateTime()
    elif hasattr(value, "toPyDate"):
        value = value.toPyDate()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text or text.upper() in ("NULL", "NONE", "NAN"):
        return None
    text = re.sub(r"(Z|[+-]\d\d:?\d\d)$", "", text)
    text = re.sub(r"\.\d+$", "", text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _site_id(value: Any) -> str:
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def make_request(
    features: Sequence[FeatureInput],
    sensor_key: str,
    *,
    period: Period | None = None,
    window_days: int = 0,
    date_mode: str = "none",
    products: Iterable[str] = ("LAI",),
    uncertainty: bool = False,
    sampling: str = STATS,
    buffer_m: float = 0.0,
    algorithm: str = SL2P_CCRS,
    max_scene_cloud: float | None = None,
    resolution_m: int | None = None,
    mask_flagged: bool = False,
) -> SiteRequest:
    """Validate everything a user can get wrong, naming the feature and the fix, before anything runs.

    ``date_mode``: ``none`` (every site takes ``period``), ``single`` (each feature's ``date`` ± ``window_days``) or
    ``range`` (each feature's ``date`` … ``end``, widened by ``window_days`` on both sides).
    """
    sensor = get_sensor(sensor_key)
    algorithm = algorithm_key(algorithm)
    keys = tuple(dict.fromkeys(get_product(k).key for k in products))
    if not keys:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "Choose at least one product ({choices})."),
                        choices=", ".join(PRODUCTS))
    mode = str(sampling).strip().upper()
    if mode not in SAMPLING_MODES:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "Unknown sampling '{value}'. Choose one of: {choices}."),
                        value=sampling, choices=", ".join(SAMPLING_MODES))
    if not (isinstance(buffer_m, (int, float)) and math.isfinite(buffer_m)) or buffer_m < 0:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "BUFFER is {value} m: it must be 0 (the pixel under each point) or a positive distance in "
                    "metres."), value=buffer_m)
    if buffer_m > MAX_BUFFER_M:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "BUFFER is {value} m, more than {limit} m: a site that large is a region; use 'Produce LEAF maps "
                    "on Earth Engine' and zonal statistics instead, or a smaller buffer."),
            value=buffer_m, limit=int(MAX_BUFFER_M))
    if max_scene_cloud is not None and max_scene_cloud >= 0 and not 0 <= max_scene_cloud <= 100:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "The maximum scene cloud cover must lie between 0 and 100 % (or -1 for the CCRS production "
                    "default), not {value}."), value=max_scene_cloud)
    cloud = None if max_scene_cloud is None or max_scene_cloud < 0 else float(max_scene_cloud)
    resolution = int(resolution_m or sensor.resolution_m)
    if resolution < 10 or resolution > 1000:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "RESOLUTION must lie between 10 and 1000 m, not {value}."),
                        value=resolution)
    if not features:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "The SITES layer has no feature (or none is selected while 'Selected features only' is on). Add "
                    "or select the sites to sample."))
    if date_mode not in ("none", "single", "range"):
        raise ValueError(f"date_mode {date_mode!r}")
    if date_mode == "none" and period is None:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "Give a period: START and END dates, or YEAR with MONTHS, or a DATE field on the sites."))
    if date_mode == "single" and window_days <= 0:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "WINDOW_DAYS is {days}: a window of 0 days around each site's date holds no acquisition. Give "
                    "the number of days to search before and after the date (e.g. 10)."), days=window_days)
    if window_days < 0:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "WINDOW_DAYS must not be negative (it is {days})."),
                        days=window_days)
    sites: list[Site] = []
    seen: dict[str, int] = {}
    for item in features:
        site_id = _site_id(item.site_id)
        if not site_id:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Feature {feature} has an empty site id. Fill the ID field of every site (or choose another "
                        "ID field)."), feature=item.feature)
        if site_id in seen:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Site id '{site}' is used by features {first} and {second}. Site ids must be unique: the "
                        "table and the chart tell sites apart by them."),
                site=site_id, first=seen[site_id], second=item.feature)
        seen[site_id] = item.feature
        geometry = item.geometry
        if not geometry or geometry.get("type") not in ("Point", "MultiPoint", "Polygon", "MultiPolygon") \
                or not list(vertices(geometry.get("coordinates"))):
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Site '{site}' (feature {feature}) has no usable geometry. Sites must be points or polygons."),
                site=site_id, feature=item.feature)
        for lon, lat in vertices(geometry.get("coordinates")):
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                raise LeafError(QT_TRANSLATE_NOOP(
                    "leaf", "Site '{site}' (feature {feature}) has coordinates ({lon}, {lat}) outside longitude "
                            "-180…180 / latitude -90…90: check the layer's CRS."),
                    site=site_id, feature=item.feature, lon=lon, lat=lat)
        first, last = _window(item, site_id, date_mode, window_days, period)
        if (last - first).days + 1 > MAX_WINDOW_DAYS:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Site '{site}' (feature {feature}) has a window of {days} days, more than {limit}. Split the "
                        "period."), site=site_id, feature=item.feature, days=(last - first).days + 1,
                limit=MAX_WINDOW_DAYS)
        _check_mission(sensor, site_id, item.feature, first, last)
        sites.append(Site(site_id, geometry, first, last, item.feature))
    return SiteRequest(tuple(sites), sensor, algorithm, keys, bool(uncertainty), mode, float(buffer_m), cloud,
                       resolution, bool(mask_flagged))


def _window(item: FeatureInput, site_id: str, date_mode: str, window_days: int,
            period: Period | None) -> tuple[date, date]:
    if date_mode == "none":
        assert period is not None
        return period.first, period.last
    values = [("DATE", item.date)] if date_mode == "single" else [("START", item.date), ("END", item.end)]
    parsed = []
    for role, value in values:
        try:
            day = parse_date(value)
        except ValueError:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Site '{site}' (feature {feature}): the {role} field holds '{value}', which is not a date. Use "
                        "a date field or text like 2020-07-15."),
                site=site_id, feature=item.feature, role=role, value=str(value)) from None
        if day is None:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Site '{site}' (feature {feature}) has no {role} date. Fill it, or remove the site from the "
                        "selection."), site=site_id, feature=item.feature, role=role)
        parsed.append(day)
    pad = timedelta(days=max(0, window_days))
    if date_mode == "single":
        return parsed[0] - pad, parsed[0] + pad
    first, last = parsed
    if last < first:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "Site '{site}' (feature {feature}) ends on {last}, before it starts on {first}. Swap the START and "
                    "END fields."), site=site_id, feature=item.feature, first=first.isoformat(),
            last=last.isoformat())
    return first - pad, last + pad


def _check_mission(sensor: Sensor, site_id: str, feature: int, first: date, last: date) -> None:
    end_year = sensor.last_year or 9999
    if last.year < sensor.first_year or first.year > end_year:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "Site '{site}' (feature {feature}) asks for {first} to {last}, when {sensor} has no surface "
                    "reflectance ({years}). Choose another sensor or dates."),
            site=site_id, feature=feature, first=first.isoformat(), last=last.isoformat(), sensor=sensor.key,
            years=f"{sensor.first_year}–{sensor.last_year or ''}")


# ---------------------------------------------------------------------------------------------------- estimates
def site_area_m2(site: Site, buffer_m: float) -> float:
    """Approximate area (m²): a buffered point's disc, or the polygon's shoelace area on a local equirectangular
    projection (good to a few % for plots; only used for row estimates)."""
    if site.is_point:
        return math.pi * buffer_m ** 2
    total = 0.0
    geometry = site.geometry
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    _, lat0 = site.centroid()
    kx = math.cos(math.radians(lat0)) * math.pi / 180 * _EARTH_RADIUS_M
    ky = math.pi / 180 * _EARTH_RADIUS_M
    for rings in polygons:
        for index, ring in enumerate(rings):
            area = 0.0
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                area += (x1 * kx) * (y2 * ky) - (x2 * kx) * (y1 * ky)
            total += abs(area) / 2 * (1 if index == 0 else -1)
    return max(total, 0.0)


def pixels_per_site(site: Site, buffer_m: float, resolution_m: int) -> int:
    """Pixels a site covers at ``resolution_m`` (at least 1)."""
    return max(1, math.ceil(site_area_m2(site, buffer_m) / float(resolution_m) ** 2))


def scenes_per_window(sensor: Sensor, days: int) -> int:
    """Acquisitions expected over one site in ``days`` (pessimistic, see :attr:`.sensors.Sensor.revisit_days`)."""
    return max(1, math.ceil(days / sensor.revisit_days))


def estimate_rows(request: SiteRequest) -> int:
    """Rows the table may hold: Σ sites scenes × (pixels, or 1 for STATS)."""
    total = 0
    for site in request.sites:
        pixels = 1 if request.sampling == STATS else pixels_per_site(site, request.buffer_m, request.resolution_m)
        total += scenes_per_window(request.sensor, site.days) * pixels
    return total


# -------------------------------------------------------------------------------------------------------- table
#: Columns every table starts with: (name, type) with types ``str``, ``int``, ``float``.
BASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("site_id", "str"), ("date", "str"), ("sensor", "str"), ("scene_id", "str"), ("algorithm", "str"),
    ("network_slot", "int"), ("lon", "float"), ("lat", "float"),
)
QC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("qc", "int"), ("qc_domain", "int"), ("qc_range", "int"), ("qc_invalid", "int"), ("qc_sensor", "int"),
)
NOTE_COLUMN = ("note", "str")


def columns(products: Sequence[str], uncertainty: bool, sampling: str) -> list[tuple[str, str]]:
    """The table's columns, in order (see the module doc)."""
    cols = list(BASE_COLUMNS)
    keys = list(products) + ([k + ERROR_KEY_SUFFIX for k in products] if uncertainty else [])
    if sampling == PIXELS:
        cols += [(k, "float") for k in keys]
        cols += list(QC_COLUMNS)
    else:
        for k in keys:
            cols += [(f"{k}_{s}", "int" if s == "count" else "float") for s in STATISTICS]
        cols += [("pixels", "int"), ("good_pixels", "int")]
        cols += [(name, kind) for name, kind in QC_COLUMNS if name != "qc"]
    cols.append(NOTE_COLUMN)
    return cols


def decode_qc_columns(value: int) -> dict[str, int]:
    """``qc``, ``qc_domain``, ``qc_range``, ``qc_invalid``, ``qc_sensor`` of one QC byte."""
    flags = qc.decode(int(value))
    return {"qc": int(value), "qc_domain": int(flags.input_out_of_domain), "qc_range": int(flags.output_out_of_range),
            "qc_invalid": int(flags.invalid), "qc_sensor": flags.sensor_code}


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass
class Acquisition:
    """What identifies one scene's rows."""

    site_id: str
    day: date
    sensor: str
    scene_id: str
    algorithm: str


def pixel_row(acq: Acquisition, values: dict[str, Any], qc_value: int, slot: int, lon: float, lat: float,
              keys: Sequence[str]) -> dict[str, Any]:
    """One ``PIXELS`` row."""
    row: dict[str, Any] = {"site_id": acq.site_id, "date": acq.day.isoformat(), "sensor": acq.sensor,
                           "scene_id": acq.scene_id, "algorithm": acq.algorithm, "network_slot": int(slot),
                           "lon": round(float(lon), 7), "lat": round(float(lat), 7)}
    for key in keys:
        row[key] = _finite(values.get(key))
    row.update(decode_qc_columns(qc_value))
    row["note"] = ""
    return row


def statistics(values: Sequence[float]) -> dict[str, Any]:
    """mean, median, sample standard deviation (n − 1; None below 2 values) and count of finite ``values``."""
    finite = sorted(v for v in (_finite(x) for x in values) if v is not None)
    n = len(finite)
    if not n:
        return {"mean": None, "median": None, "stdev": None, "count": 0}
    mean = math.fsum(finite) / n
    median = finite[n // 2] if n % 2 else (finite[n // 2 - 1] + finite[n // 2]) / 2
    stdev = math.sqrt(math.fsum((v - mean) ** 2 for v in finite) / (n - 1)) if n > 1 else None
    return {"mean": mean, "median": median, "stdev": stdev, "count": n}


def stats_row(acq: Acquisition, pixels: Sequence[tuple[dict[str, Any], int, int]], lon: float, lat: float,
              keys: Sequence[str]) -> dict[str, Any]:
    """One ``STATS`` row from the observed pixels of a site ``(values, qc, slot)`` (see the module doc)."""
    good = [(v, s) for v, q, s in pixels if not qc.invalid(int(q)) and _finite(v.get(keys[0])) is not None]
    row: dict[str, Any] = {"site_id": acq.site_id, "date": acq.day.isoformat(), "sensor": acq.sensor,
                           "scene_id": acq.scene_id, "algorithm": acq.algorithm,
                           "network_slot": _mode([s for _, s in good]) if good else None,
                           "lon": round(float(lon), 7), "lat": round(float(lat), 7)}
    for key in keys:
        for name, value in statistics([v.get(key) for v, _ in good]).items():
            row[f"{key}_{name}"] = value
    row["pixels"] = len(pixels)
    row["good_pixels"] = len(good)
    row["qc_domain"] = sum(int(qc.input_out_of_domain(int(q))) for _, q, _ in pixels)
    row["qc_range"] = sum(int(qc.output_out_of_range(int(q))) for _, q, _ in pixels)
    row["qc_invalid"] = sum(int(qc.invalid(int(q))) for _, q, _ in pixels)
    codes = [int(qc.sensor_code(int(q))) for _, q, _ in pixels]
    row["qc_sensor"] = _mode(codes) if codes else None
    row["note"] = ""
    return row


def _mode(values: Sequence[int]) -> int:
    counts: dict[int, int] = {}
    for v in values:
        counts[int(v)] = counts.get(int(v), 0) + 1
    return min(counts, key=lambda k: (-counts[k], k))


def is_clear(row: dict[str, Any], request: SiteRequest) -> bool:
    """The row holds at least one good pixel."""
    if row.get("note"):
        return False
    if request.sampling == STATS:
        return bool(row.get("good_pixels"))
    return not row.get("qc_invalid") and _finite(row.get(request.products[0])) is not None


def empty_row(site: Site, request: SiteRequest, note: str) -> dict[str, Any]:
    """The row that lists a site without a clear observation (all values empty, the reason in ``note``)."""
    lon, lat = site.centroid()
    row: dict[str, Any] = {name: None for name, _ in request.columns()}
    row.update({"site_id": site.site_id, "date": "", "sensor": request.sensor.key, "scene_id": "",
                "algorithm": request.algorithm, "lon": round(lon, 7), "lat": round(lat, 7), "note": note})
    return row


@dataclass
class SiteTable:
    """The rows of a run and the sites with no clear observation."""

    request: SiteRequest
    rows: list[dict[str, Any]] = field(default_factory=list)
    unobserved: list[tuple[Site, str]] = field(default_factory=list)
    """(site, reason) of every site without a single good pixel."""


def finish_table(request: SiteRequest, rows: list[dict[str, Any]],
                 reasons: dict[str, str] | None = None) -> SiteTable:
    """Sort rows (site order, date, scene, pixel position), and add one row per site without a clear observation.

    ``reasons``: site id → reason template already known (e.g. :data:`NOTE_OUTSIDE`); otherwise
    :data:`NOTE_NO_CLEAR`. Notes are stored in English (a table column); the log shows them translated."""
    order = {s.site_id: i for i, s in enumerate(request.sites)}
    rows = sorted(rows, key=lambda r: (order.get(r["site_id"], 0), r.get("date") or "", r.get("scene_id") or "",
                                       r.get("lat") or 0.0, r.get("lon") or 0.0))
    clear = {r["site_id"] for r in rows if is_clear(r, request)}
    table = SiteTable(request)
    out: list[dict[str, Any]] = []
    by_site: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_site.setdefault(row["site_id"], []).append(row)
    for site in request.sites:
        out += by_site.get(site.site_id, [])
        if site.site_id not in clear:
            template = (reasons or {}).get(site.site_id, NOTE_NO_CLEAR)
            note = template.format(first=site.first.isoformat(), last=site.last.isoformat())
            out.append(empty_row(site, request, note))
            table.unobserved.append((site, template))
    table.rows = out
    return table
