"""Region parameters shared by the production algorithms: CCRS tile names, an extent, or a polygon layer.

Turns what the user picked in QGIS into plain data for the engines: tile names (validated by the core grid) or one
polygon as GeoJSON in EPSG:4326 plus the source CRS. Nothing here talks to an engine.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..core import tile_grid
from ..core.errors import QT_TRANSLATE_NOOP, LeafError
from ..i18n import tr
from .base import given

TILES = "TILES"
EXTENT = "EXTENT"
AOI = "AOI"
REGION_NAME = "REGION_NAME"
REGION_PER_FEATURE = "REGION_PER_FEATURE"
REGION_NAME_FIELD = "REGION_NAME_FIELD"
WGS84_AUTHID = "EPSG:4326"
MAX_NAME_LENGTH = 40
"""Longest region name, given (REGION_NAME) or derived (:func:`file_safe`). Why a limit: an Earth Engine task name
holds at most 100 characters and the region name is followed by the feature id, a code of the area, the year, the
month, the product and the resolution; longer names were cut to the same task name, and a submit then skipped every
task but the first as "already on Earth Engine"."""


@dataclass(frozen=True)
class RegionChoice:
    """The region of a production request: tile names, or one custom polygon."""

    tiles: tuple[str, ...] = ()
    geojson: dict | None = None
    """Custom region as a GeoJSON geometry in EPSG:4326 (``None`` for tile requests)."""
    name: str = ""
    """Label of a custom region in file names."""
    parts: tuple[tuple[str, dict], ...] = field(default_factory=tuple)
    """One (name, GeoJSON) per AOI feature when the user asked for one region per feature; else empty."""


def add_region_parameters(algorithm) -> None:
    algorithm.addParameter(QgsProcessingParameterString(
        TILES, tr("CCRS tiles (comma-separated, e.g. tile55, tile55_411)"), optional=True))
    algorithm.addParameter(QgsProcessingParameterExtent(EXTENT, tr("Or: extent (any CRS)"), optional=True))
    algorithm.addParameter(QgsProcessingParameterFeatureSource(
        AOI, tr("Or: area of interest (polygon layer; tick 'Selected features only' to restrict it)"),
        [QgsProcessing.TypeVectorPolygon], optional=True))
    algorithm.addParameter(QgsProcessingParameterString(
        REGION_NAME, tr("Name of the custom region in file names (empty: the layer name, or 'extent', followed by a "
                        "code of the area, so that two areas never share a folder)"), optional=True))
    per_feature = QgsProcessingParameterBoolean(
        REGION_PER_FEATURE, tr("One region per AOI feature (else all AOI polygons form one region)"),
        defaultValue=False)
    per_feature.setFlags(per_feature.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    algorithm.addParameter(per_feature)
    name_field = QgsProcessingParameterField(
        REGION_NAME_FIELD, tr("Field naming each AOI feature's region (one region per feature; empty: the region name "
                              "followed by the feature id and a code of its area)"), parentLayerParameterName=AOI,
        optional=True)
    name_field.setFlags(name_field.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    # The user chose these names: they are used as they are (no code appended), so a clash with another layer's run
    # cannot be seen from here — said in the help rather than guessed at.
    name_field.setHelp(tr(
        "The field's values name the regions as they are, cut to {limit} characters (letters, digits, '-' and '_'): "
        "they must be unique within their first {limit} characters. They are checked within this layer only: two AOI "
        "layers whose features have the same values (e.g. P1…P20) get the same folders and Earth Engine task names, "
        "and a submit skips the second layer's tasks as already on Earth Engine. Give each layer's features names of "
        "their own, or leave the field empty (names then end with the feature id and a code of its area).").format(
        limit=MAX_NAME_LENGTH))
    algorithm.addParameter(name_field)


def file_safe(text: str) -> str:
    """``text`` reduced to the characters a region name may hold (letters, digits, '-' and '_')."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", str(text or "")).strip("_-")
    return cleaned[:MAX_NAME_LENGTH]


def area_code(geojson: dict) -> str:
    """Six hex digits derived from the region's coordinates: two different areas get different names."""
    text = json.dumps(geojson.get("coordinates"), separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if any(c in name for c in '/\\:*?"<>| '):
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The region name '{name}' cannot be used in file names. Use letters, digits, '-' and '_' only.",
            ),
            name=name,
        )
    if len(name) > MAX_NAME_LENGTH:
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The region name '{name}' has {length} characters; use at most {limit}. Earth Engine task names hold "
                "100 characters, and the year, month, product and resolution (and, per feature, the feature id and a "
                "code of its area) follow the region name: longer names would give several tasks the same name.",
            ),
            name=name, length=len(name), limit=MAX_NAME_LENGTH,
        )
    return name


def read_region(algorithm, parameters: dict, context) -> RegionChoice:
    """Exactly one of TILES, EXTENT or AOI; a clear error when none or several are given."""
    names = algorithm.parameterAsString(parameters, TILES, context).strip()
    has_extent = given(parameters, EXTENT) and not algorithm.parameterAsExtent(parameters, EXTENT, context).isNull()
    has_aoi = given(parameters, AOI)
    chosen = [label for label, present in (("TILES", bool(names)), ("EXTENT", has_extent), ("AOI", has_aoi))
              if present]
    if len(chosen) != 1:
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "Give exactly one region: CCRS tile names (TILES), an extent (EXTENT) or a polygon layer (AOI). "
                "Given: {given}.",
            ),
            given=", ".join(chosen) or "-",
        )
    if names:
        return RegionChoice(tiles=tuple(t.name for t in tile_grid.parse_tile_list(names)))
    given_name = _clean_name(algorithm.parameterAsString(parameters, REGION_NAME, context))
    if has_extent:
        rect = algorithm.parameterAsExtent(parameters, EXTENT, context)
        if rect.width() <= 0 or rect.height() <= 0:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "The extent has zero area ({width} × {height}). Give an extent with a width and a height."),
                width=f"{rect.width():g}", height=f"{rect.height():g}")
        crs = algorithm.parameterAsExtentCrs(parameters, EXTENT, context)
        geometry = QgsGeometry.fromRect(rect).densifyByCount(32)
        geojson = _to_wgs84(geometry, crs, context)
        return RegionChoice(geojson=geojson, name=given_name or f"extent_{area_code(geojson)}")
    source = algorithm.parameterAsSource(parameters, AOI, context)
    if source is None:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "The area-of-interest layer could not be read. Check the layer."))
    per_feature = algorithm.parameterAsBoolean(parameters, REGION_PER_FEATURE, context)
    name_field = algorithm.parameterAsString(parameters, REGION_NAME_FIELD, context).strip()
    if name_field and not per_feature:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "REGION_NAME_FIELD names one region per feature: tick REGION_PER_FEATURE too, or leave the field "
                    "empty."))
    if name_field and source.fields().indexOf(name_field) < 0:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "The AOI layer has no field '{field}'. Its fields: {fields}."),
                        field=name_field, fields=", ".join(source.fields().names()))
    wanted = QgsFeatureRequest()  # the geometries, and the name field when there is one: no other attribute
    if name_field:
        wanted.setSubsetOfAttributes([name_field], source.fields())
    else:
        wanted.setNoAttributes()
    features = [f for f in source.getFeatures(wanted)
                if f.hasGeometry() and QgsWkbTypes.geometryType(f.geometry().wkbType()) == QgsWkbTypes.PolygonGeometry]
    if not features:
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "The area-of-interest layer has no polygon (or no selected polygon when 'Selected features only' is "
                "ticked). Select or draw at least one polygon.",
            )
        )
    flat = [f.id() for f in features if f.geometry().area() <= 0]
    if flat:
        raise LeafError(QT_TRANSLATE_NOOP(
            "leaf", "{count} AOI polygon(s) have zero area (feature id(s) {ids}): a polygon whose points lie on a line "
                    "or on one point covers nothing. Fix or remove them."),
            count=len(flat), ids=", ".join(str(i) for i in flat[:10]))
    base = given_name or file_safe(source.sourceName()) or "aoi"
    if per_feature:
        parts: list[tuple[str, dict]] = []
        for feature in features:
            label = file_safe(feature[name_field]) if name_field and feature[name_field] is not None else ""
            geojson = _to_wgs84(feature.geometry(), source.sourceCrs(), context)
            # Without a name field: the layer name and feature id, then a code of the feature's area, as the whole
            # layer's region and the site task names have. Two layers of the same name (two "fields" layers, both
            # with a feature 1) would otherwise share names, so folders and Earth Engine task names — and a submit
            # would skip the second layer's tasks as already done. The same feature keeps its name (resume works).
            name = label or f"{base}_{feature.id()}_{area_code(geojson)}"
            parts.append((name, geojson))
        names = [n for n, _ in parts]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "Several AOI features would get the same region name ({names}); each region needs its own "
                        "name, or their files would overwrite each other. Names are cut to {limit} characters "
                        "(letters, digits, '-' and '_'; other characters become '_'): values that differ only past "
                        "that length, or only in other characters, become equal. Choose a field whose values are "
                        "unique within their first {limit} characters, or leave REGION_NAME_FIELD empty (names then "
                        "end with the feature id and a code of the feature's area)."),
                names=", ".join(repeated[:5]), limit=MAX_NAME_LENGTH)
        return RegionChoice(parts=tuple(parts))
    geometry = QgsGeometry.unaryUnion([f.geometry() for f in features])
    geojson = _to_wgs84(geometry, source.sourceCrs(), context)
    return RegionChoice(geojson=geojson, name=given_name or f"{base}_{area_code(geojson)}")


def _to_wgs84(geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem, context) -> dict:
    geometry = QgsGeometry(geometry)
    wgs84 = QgsCoordinateReferenceSystem(WGS84_AUTHID)  # built here, not at import: plugin start-up stays cheap
    if crs.isValid() and crs != wgs84:
        geometry.transform(QgsCoordinateTransform(crs, wgs84, context.transformContext()))
    if geometry.isEmpty() or geometry.area() <= 0:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "The region is empty or has zero area. Draw or select an area."))
    return json.loads(geometry.asJson(7))
