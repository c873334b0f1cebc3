"""``leaf:sample_sites`` on Earth Engine: every clear acquisition at every site, as a table.

One graph for the whole request, whatever the number of sites:

* the scenes of the overall period over all sites, prepared exactly as for ``leaf:produce_gee``
  (:func:`.collections.scene_collection`: vendor masks, angles), once;
* a FeatureCollection of sites (geometry — a point's buffer drawn by Earth Engine —, id, and the window as ``start`` /
  ``end`` milliseconds, end exclusive, and the scene-cloud maximum of the site's centroid latitude); mapped over it, a
  function that keeps the prepared scenes whose *raw* scene intersects the site, lies in the site's window and passes
  the scene-cloud prefilter (matched by ``system:index``: the prepared images carry constant bands whose footprint is
  unbounded), then, mapped over those scenes, the products and QC of one acquisition (:func:`scene_layers`: the SL2P
  graph of :mod:`.sl2p`, the pixel rules and QC byte of :mod:`.outputs`, imported, never restated) sampled over the
  site (``PIXELS``: ``Image.sample`` on the scene's grid; ``STATS``: ``reduceRegion`` with one combined unweighted
  reducer), flattened.

Small requests (at most :data:`leaf_qgis.core.sites.DIRECT_ROW_BUDGET` rows, estimated before anything is sent) are
fetched with ``table:computeFeatures`` page by page (:func:`fetch_rows`: retried, cancellable, no duplicate row);
larger ones become one CSV table export (Drive or Cloud Storage, :mod:`.destinations`) in a plan like
``produce_gee``'s, submitted by the same loop (:func:`.submit.submit_plan`) and followed with ``leaf:ee_tasks``.

Differences from the local path, by construction of Earth Engine: the QC byte of an acquisition is defined over the
whole site (pixels of a site straddling a scene edge count as "no observation" there, while the local path skips
pixels outside the raster), and ``median`` is Earth Engine's histogram median (exact for the few hundred pixels of a
plot, approximate beyond).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from ...core import scene_cloud, sites
from ...core.errors import QT_TRANSLATE_NOOP, Cancelled, LeafError
from ...core.network_store import NetworkStore
from ...core.networks import NetworkSet, load_network_set
from ...core.products import ERROR_KEY_SUFFIX, PRODUCTS
from ...core.sensors import GEE, sensors_for, unknown_sensor
from . import collections, landcover, outputs, sl2p
from .graph import PlanGraphs
from .plan import PLAN_VERSION, PlanEntry, cached_argspecs, graph_text
from .session import count_round_trips, offline_session, translate_error, with_retries

MS_PER_DAY = 86_400_000
#: Features per ``computeFeatures`` page (the server's maximum is 1000; smaller pages lose less on a retry).
PAGE_SIZE = 500
GENERATOR = "leaf_qgis leaf:sample_sites"
STDEV_NAMES = ("stdDev", "sampleStdDev", "stdev")


def _blank(ee: Any, invalid: Any, partition: Any, mask_flagged: bool) -> Any:
    """Pixels left without an estimate: the pixel rules' no-estimate classes, or every flagged pixel."""
    return invalid if mask_flagged else outputs.no_estimate(ee, partition)


def _scene_filter(request: sites.SiteRequest, site: sites.Site) -> tuple[str, float, bool] | None:
    """(property, maximum, inclusive) of the scene-cloud prefilter of ``site``, or ``None``: placed north or south
    of 55° N by the rule regions follow (:func:`leaf_qgis.core.scene_cloud.centroid_latitude`)."""
    chosen = scene_cloud.region_filter(request.sensor, site.geometry, request.max_scene_cloud)
    return None if chosen is None else (chosen.property, chosen.maximum, chosen.inclusive)


# --------------------------------------------------------------------------------------------------- the graph
def site_geometry(ee: Any, site: sites.Site, buffer_m: float) -> Any:
    """The site as an ``ee.Geometry`` (geodesic, WGS84); a point with a buffer becomes its disc."""
    geometry = ee.Geometry(site.geometry)
    if site.is_point and buffer_m > 0:
        geometry = geometry.buffer(buffer_m)
    return geometry


def _millis(day: date) -> int:
    return (day - date(1970, 1, 1)).days * MS_PER_DAY


def site_features(ee: Any, request: sites.SiteRequest) -> Any:
    """The sites as a FeatureCollection: geometry, ``site_id``, ``start`` / ``end`` (ms, end exclusive) and the
    scene-cloud maximum of the site's latitude (``cloud_max`` −1 = none; strict or inclusive as
    :func:`cloud_inclusive` says for the whole request)."""
    features = []
    for site in request.sites:
        chosen = _scene_filter(request, site)
        features.append(ee.Feature(site_geometry(ee, site, request.buffer_m), {
            "site_id": site.site_id, "start": _millis(site.first), "end": _millis(site.last) + MS_PER_DAY,
            "cloud_max": -1 if chosen is None else chosen[1],
        }))
    return ee.FeatureCollection(features)


def cloud_inclusive(request: sites.SiteRequest) -> bool:
    """Whether the scene-cloud maximum of every site keeps scenes *at* it (a maximum the user gave) or only below it
    (the production defaults): one answer per request, so the site graph applies
    :func:`.collections.cloud_cover_filter` — the one filter of regions and sites — with it, and only the maximum
    travels with each site. Only the maximum depends on a site's latitude (:mod:`leaf_qgis.core.scene_cloud`); a
    request whose sites disagree would be a change of that rule, refused here rather than filtered wrongly."""
    flags = {chosen[2] for chosen in (_scene_filter(request, site) for site in request.sites) if chosen is not None}
    if len(flags) > 1:
        raise ValueError("scene_cloud gave strict and inclusive maxima to the sites of one request")
    return flags.pop() if flags else False


def scene_layers(ee: Any, scene: Any, request: sites.SiteRequest, nets: NetworkSet, errors: NetworkSet | None,
                 partition: Any, positions: Any, error_positions: Any) -> Any:
    """One acquisition: float estimates (and uncertainties) masked where the pixel rules give none, ``QC``, the
    network ``slot`` and ``good`` (estimate and QC bit 2 clear), as one image."""
    sensor = request.sensor
    estimates = sl2p.estimates(ee, scene, nets, list(request.products), positions)
    invalid = outputs.invalid_flag(ee, scene, sensor, partition)
    blank = _blank(ee, invalid, partition, request.mask_flagged)
    bands = []
    range_flag = None
    for key in request.products:
        estimate = estimates[key].updateMask(blank.Not())
        bands.append(estimate.rename(key))
        flag = outputs.out_of_range(ee, estimate, PRODUCTS[key])
        range_flag = flag if range_flag is None else range_flag.Or(flag)
    if errors is not None:
        uncertainty = sl2p.estimates(ee, scene, errors, list(request.products), error_positions)
        for key in request.products:
            bands.append(uncertainty[key].updateMask(blank.Not()).rename(key + ERROR_KEY_SUFFIX))
    domain = sl2p.out_of_domain(ee, scene, nets)
    qc = outputs.qc_byte(ee, scene, sensor, domain, range_flag, invalid)
    classes = sorted(nets.class_slot)
    if classes:
        slot = partition.unmask(0).remap(classes, [nets.class_slot[c] for c in classes], nets.slot_of(0))
    else:
        slot = ee.Image.constant(0)
    good = bands[0].mask().gt(0).And(invalid.unmask(1).Not())
    image = ee.Image.cat(bands).addBands(qc.rename("QC")).addBands(slot.toUint8().rename("slot"))
    return image.addBands(good.toUint8().rename("good"))


def _scene_properties(ee: Any, scene: Any, site: Any, request: sites.SiteRequest) -> dict[str, Any]:
    return {"site_id": site.get("site_id"), "scene_id": scene.get("system:index"),
            "date": ee.Date(scene.get("system:time_start")).format("YYYY-MM-dd"), "sensor": request.sensor.key,
            "algorithm": request.algorithm}


def stats_reducer(ee: Any) -> Any:
    """mean, median, sample standard deviation and count in one pass, unweighted (a pixel counts once, as in the
    local path)."""
    return (ee.Reducer.mean().combine(ee.Reducer.median(), None, True)
            .combine(ee.Reducer.sampleStdDev(), None, True).combine(ee.Reducer.count(), None, True).unweighted())


def site_table(ee: Any, request: sites.SiteRequest, nets: NetworkSet) -> Any:
    """The whole request as one FeatureCollection (see the module doc). Building it sends nothing."""
    sensor = request.sensor
    partition = landcover.partition(ee)
    positions = landcover.network_positions(ee, partition, nets)
    errors = error_positions = None
    if request.uncertainty:
        errors = dataclasses.replace(nets, estimate=nets.error)
        error_positions = landcover.network_positions(ee, partition, errors)
    site_fc = site_features(ee, request)
    overall = request.overall_period()
    prepared = collections.scene_collection(ee, sensor, site_fc.geometry(), overall)
    value_keys = list(request.value_keys)
    scale = request.resolution_m
    inclusive = cloud_inclusive(request)

    def per_site(site: Any) -> Any:
        site = ee.Feature(site)
        geometry = site.geometry()
        raw = (ee.ImageCollection(sensor.gee_collection).filterBounds(geometry)
               .filterDate(site.get("start"), site.get("end")))
        cloud_max = ee.Number(site.get("cloud_max"))
        prop = sensor.cloud_property
        raw = ee.ImageCollection(ee.Algorithms.If(
            cloud_max.lt(0), raw, raw.filter(collections.cloud_cover_filter(ee, prop, cloud_max, inclusive))))
        scenes = prepared.filter(ee.Filter.inList("system:index", raw.aggregate_array("system:index")))

        def per_scene(scene: Any) -> Any:
            scene = ee.Image(scene)
            layers = scene_layers(ee, scene, request, nets, errors, partition, positions, error_positions)
            props = _scene_properties(ee, scene, site, request)
            projection = scene.select(sensor.spectral_inputs[0]).projection().atScale(scale)
            if request.sampling == sites.PIXELS:
                points = layers.select([*value_keys, "QC", "slot"]).sample(
                    region=geometry, projection=projection, scale=scale, dropNulls=True, geometries=True)
                return points.map(lambda point: ee.Feature(point).set(props))
            good = layers.select("good")
            values = layers.select(value_keys).updateMask(good)
            qc = layers.select("QC")
            flags = ee.Image.cat([
                qc.rightShift(0).bitwiseAnd(1).rename("qc_domain"), qc.rightShift(1).bitwiseAnd(1).rename("qc_range"),
                qc.rightShift(2).bitwiseAnd(1).rename("qc_invalid")])
            common = {"geometry": geometry, "crs": projection, "scale": scale, "maxPixels": 1e9}
            stats = values.reduceRegion(reducer=stats_reducer(ee), **common)
            counts = flags.addBands(good.rename("good_pixels")).reduceRegion(
                reducer=ee.Reducer.sum().unweighted(), **common)
            pixels = qc.reduceRegion(reducer=ee.Reducer.count().unweighted(), **common).get("QC")
            modes = ee.Image.cat([qc.rightShift(3).rename("qc_sensor"),
                                  layers.select("slot").updateMask(good).rename("network_slot")]).reduceRegion(
                reducer=ee.Reducer.mode().unweighted(), **common)
            feature = ee.Feature(geometry.centroid(1), stats).set(counts).set(modes).set(props).set("pixels", pixels)
            return ee.FeatureCollection([feature])

        return scenes.map(per_scene).flatten()

    return site_fc.map(per_site).flatten()


# ---------------------------------------------------------------------------------------------- rows from features

def feature_row(feature: dict, request: sites.SiteRequest) -> dict[str, Any]:
    """A table row from one computed feature (GeoJSON, as ``computeFeatures`` answers), through the core's row
    builders so that both engines write the same columns."""
    props = dict(feature.get("properties") or {})
    geometry = feature.get("geometry") or {}
    coords = geometry.get("coordinates") or [None, None]
    lon, lat = (coords[0], coords[1]) if geometry.get("type") == "Point" else (None, None)
    day = date.fromisoformat(str(props.get("date")))
    acq = sites.Acquisition(str(props.get("site_id")), day, str(props.get("sensor") or request.sensor.key),
                            str(props.get("scene_id") or ""), str(props.get("algorithm") or request.algorithm))
    keys = request.value_keys
    if request.sampling == sites.PIXELS:
        return sites.pixel_row(acq, {k: props.get(k) for k in keys}, int(props.get("QC") or 0),
                               int(props.get("slot") or 0), lon or 0.0, lat or 0.0, keys)
    row: dict[str, Any] = {"site_id": acq.site_id, "date": day.isoformat(), "sensor": acq.sensor,
                           "scene_id": acq.scene_id, "algorithm": acq.algorithm,
                           "network_slot": _int(props.get("network_slot")),
                           "lon": None if lon is None else round(float(lon), 7),
                           "lat": None if lat is None else round(float(lat), 7)}
    for key in keys:
        row[f"{key}_mean"] = props.get(f"{key}_mean")
        row[f"{key}_median"] = props.get(f"{key}_median")
        row[f"{key}_stdev"] = next((props[f"{key}_{n}"] for n in STDEV_NAMES if f"{key}_{n}" in props), None)
        row[f"{key}_count"] = _int(props.get(f"{key}_count")) or 0
    good = _int(props.get("good_pixels")) or 0
    if good < 2:
        for key in keys:
            row[f"{key}_stdev"] = None  # one value has no sample standard deviation (as the local path)
    row["pixels"] = _int(props.get("pixels")) or 0
    row["good_pixels"] = good
    for name in ("qc_domain", "qc_range", "qc_invalid"):
        row[name] = _int(props.get(name)) or 0
    row["qc_sensor"] = _int(props.get("qc_sensor"))
    row["note"] = ""
    return row


def _int(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return round(float(value))
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------------------------- direct fetch
@dataclasses.dataclass
class FetchState:
    """Where a direct fetch stands: pages done and their features, so an interrupted fetch resumes without
    duplicates (a page is kept only once its whole answer arrived)."""

    next_token: str | None = None
    pages: int = 0
    features: list[dict] = dataclasses.field(default_factory=list)
    seen: set[str] = dataclasses.field(default_factory=set)
    done: bool = False


def fetch_rows(ee: Any, table: Any, *, state: FetchState | None = None, page_size: int = PAGE_SIZE,
               progress: Callable[[int], bool] | None = None, cancelled: Callable[[], bool] | None = None,
               **retry: Any) -> FetchState:
    """Fetch every feature of ``table`` with ``computeFeatures``, page by page.

    Each page is retried on 429 / 5xx / dropped connections (``retry`` as :func:`.session.with_retries`); a page
    enters ``state`` only when complete, and features are keyed by their id, so a retried or resumed fetch never
    duplicates a row. ``progress(features so far)`` → False cancels between pages; ``cancelled()`` → True cancels
    also while a page is computed (a page may take up to :data:`.session.COMPUTE_TIMEOUT_SECONDS`) or a retry waits:
    the page's request is abandoned (:func:`.session.interruptible`). Both raise
    :class:`~leaf_qgis.core.errors.Cancelled`; ``state`` keeps the pages that arrived whole.
    """
    state = state or FetchState()
    while not state.done:
        if progress is not None and progress(len(state.features)) is False:
            raise Cancelled()
        params: dict[str, Any] = {"expression": table, "pageSize": page_size}
        if state.next_token:
            params["pageToken"] = state.next_token
        try:
            answer = with_retries(lambda p=params: ee.data.computeFeatures(dict(p)), cancelled=cancelled, **retry)
        except (LeafError, Cancelled):
            raise
        except Exception as error:
            raise translate_error(error) from None
        for index, feature in enumerate(answer.get("features") or []):
            key = str(feature.get("id") or f"{state.pages}:{index}")
            if key in state.seen:
                continue
            state.seen.add(key)
            state.features.append(feature)
        state.pages += 1
        token = answer.get("nextPageToken") or answer.get("next_page_token")
        state.next_token = token
        state.done = not token
    if progress is not None:
        progress(len(state.features))
    return state


def rows_from_features(features: list[dict], request: sites.SiteRequest) -> sites.SiteTable:
    return sites.finish_table(request, [feature_row(f, request) for f in features])


# ----------------------------------------------------------------------------------------------- plan and export
def export_columns(request: sites.SiteRequest) -> list[str]:
    """The properties an export writes, in order (the CSV's header: Earth Engine's names, converted on reading)."""
    keys = list(request.value_keys)
    base = ["site_id", "date", "sensor", "scene_id", "algorithm"]
    if request.sampling == sites.PIXELS:
        return [*base, *keys, "QC", "slot", ".geo"]
    stats = [f"{k}_{s}" for k in keys for s in ("mean", "median", "stdDev", "count")]
    return [*base, *stats, "pixels", "good_pixels", "qc_domain", "qc_range", "qc_invalid", "qc_sensor",
            "network_slot", ".geo"]


def export_spec(request: sites.SiteRequest, name: str, destination: str, folder: str = "",
                bucket: str = "") -> dict[str, Any]:
    """The plan entry's fields of the table export (the plan adds the export options and the graph)."""
    from . import destinations

    stem = name[:100]
    target = destinations.destination(destination)
    if target.key == "gcs" and not bucket:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "Give the Cloud Storage BUCKET for the gcs destination."))
    folder = folder if folder or target.key != "drive" else "leaf_sites"
    return {"description": stem, "file_name": target.file_name(stem, ".csv"), "key": "SITES", "kind": "table",
            "destination": target.location(stem, folder, bucket, "", ".csv"), "file_format": "CSV",
            "selectors": export_columns(request)}


def build_task(ee: Any, entry: dict[str, Any], table: Any) -> Any:
    """The (unstarted) table export task of a plan entry, by its destination; building it sends nothing."""
    from . import destinations

    common = {"description": entry["description"], "fileFormat": "CSV", "selectors": list(entry["selectors"])}
    return destinations.of(entry["destination"]).table_task(ee, table, entry["destination"], common)


def build_plan(request: sites.SiteRequest, *, name: str, destination: str = "drive", folder: str = "",
               bucket: str = "", project: str = "", network_set: NetworkSet | None = None,
               store: NetworkStore | None = None) -> dict[str, Any]:
    """The dry-run plan of a site request: its serialized table (validated offline) and, for the export path, the
    one table export task. Builds offline, sends nothing.

    The graphs are in the plan's shared ``graph`` store, as a production plan's (:mod:`.graph`, which
    :func:`.plan.write_plan` keeps byte for byte): the ``table`` (what a direct fetch computes, read with
    :func:`table_expression`) and the export's, which is the same graph — the same pieces, stored once (plans written
    before held its text twice, inline; they are still read).

    The networks are ``network_set``, else read from ``store`` (the user's networks folder). A merged sensor is
    refused with the sensors that are offered: each sampled scene would need its own member's networks and raw
    collection, which this table does not choose (``leaf:sample_sites`` does not offer merged sensors)."""
    started = time.perf_counter()
    if request.sensor.is_merged:
        raise unknown_sensor(request.sensor.key, [k for k, s in sensors_for(GEE).items() if not s.is_merged])
    nets = network_set or load_network_set(request.sensor.key, request.algorithm, store)
    rows = sites.estimate_rows(request)
    direct = destination == "download"
    graphs = PlanGraphs()
    with offline_session(project) as ee, count_round_trips() as counter, cached_argspecs():
        table = site_table(ee, request, nets)
        text = table.serialize()
        root, digest = graphs.add_text(text)
        exports = []
        if not direct:
            fields = export_spec(request, name, destination, folder, bucket)
            task = build_task(ee, fields, table)
            exported = task.config["expression"]
            graph, checksum = (root, digest) if exported is table else graphs.add_text(exported.serialize())
            exports.append(PlanEntry(fields, "table", {k: v for k, v in task.config.items() if k != "expression"},
                                     graph=graph, expression_sha256=checksum).to_json())
        round_trips = counter.count
        import ee as ee_module

        version = getattr(ee_module, "__version__", "")
    return {
        "plan_version": PLAN_VERSION, "generator": GENERATOR,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "dry_run": True,
        "earthengine_api": version, "signatures": "earthengine-api ee/tests/algorithms.json (offline)",
        "server_round_trips": round_trips, "build_seconds": round(time.perf_counter() - started, 3),
        "request": {**request.to_json(), "destination": destination, "folder": folder, "bucket": bucket,
                    "project": project, "sites": [s.site_id for s in request.sites]},
        "networks": {"sensor": nets.sensor_key, "algorithm": nets.algorithm, "label": nets.label},
        "estimated_rows": rows, "direct": direct, "row_budget": sites.DIRECT_ROW_BUDGET,
        "table": {"graph": root, "expression_sha256": digest, "description": name[:100]},
        "task_count": len(exports), "exports": exports,
        "graph": graphs.to_json(),
    }


def table_expression(plan: dict[str, Any]) -> str:
    """The exact graph of the plan's table (JSON text, as ``serialize()`` wrote it), checked against its checksum;
    a plan written before the shared store holds it inline as ``expression``."""
    if "table" not in plan and isinstance(plan.get("expression"), str):
        return plan["expression"]
    return graph_text(plan, plan.get("table") or {}, table_name(plan))


def table_name(plan: dict[str, Any]) -> str:
    """What messages call the plan's table: its name (the export's description, e.g.
    ``leaf_sites_S2_20240624-20240803_stats_1a2b3c``, the same in every language); for a plan written before the
    table carried it, its export's description, else the generator's algorithm id. Printable only: the plan is a
    file the user may have edited."""
    from .tasks import printable

    table = plan.get("table") or {}
    exports = plan.get("exports") or [{}]
    name = table.get("description") or (exports[0] or {}).get("description") or "leaf:sample_sites"
    return printable(str(name), 100)


def decode_table(ee: Any, plan: dict[str, Any]) -> Any:
    """The plan's table, decoded (what a direct fetch computes)."""
    import json

    return ee.FeatureCollection(ee.deserializer.decodeCloudApi(json.loads(table_expression(plan))))


def submit_table_plan(ee: Any, plan: dict[str, Any], project: str, *, table_path: str | None = None,
                      attempts: int | None = None, backoff: float | None = None,
                      sleep: Callable[[float], None] = time.sleep,
                      on_row: Callable[[Any], None] | None = None) -> Any:
    """Start the plan's table export unless a task of the same description is already READY / RUNNING / COMPLETED:
    :func:`.submit.submit_plan` itself (same ``requestId`` scheme, same task table, so ``leaf:ee_tasks`` follows it;
    the entry's kind picks ``exportTable``)."""
    from . import submit

    return submit.submit_plan(ee, plan, project, attempts=attempts, backoff=backoff, sleep=sleep, on_row=on_row,
                              table_path=table_path)
