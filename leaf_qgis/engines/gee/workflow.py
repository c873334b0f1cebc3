"""The LEAF workflow for one region and period: composite → land cover → SL2P → products, QC, date.

:class:`WorkflowBuilder` builds each shared piece once and reuses the Python ``ee`` objects: the partition and the
network-id map once per plan, the network constants once per sensor, the composite and the estimates once per
region × period, whatever the number of maps exported from them. Building sends nothing to the server.

A merged sensor (``Sensor.members``: Landsat 8 + 9, Landsat 5 + 7) composites its members' scenes together, and each
pixel must be estimated with the networks of the satellite its chosen scene came from. Members whose network sets are
the same files (Landsat 5 and 7) form one group; with one group nothing changes. With several (Landsat 8 and 9 have
distinct sets), the estimates and the input-domain flag are computed with each group's set and the pixel takes its
own group's: ``where`` the ``sensor`` band holds one of that group's QC codes. :attr:`WorkflowBuilder.network_set` is
the first member's set (plan metadata); :meth:`WorkflowBuilder.network_groups` lists them all. Every set is read from
the builder's one :class:`~leaf_qgis.core.network_store.NetworkStore` (the user's networks folder), the other members'
sets included: a merged sensor must not take one member's networks from the configured folder and another's from
elsewhere.

A tile region enters the graphs only through its rectangle (:meth:`WorkflowBuilder.geometry`) and its scene-cloud
filter: a plan writes most tiles' graphs from another tile's on that ground (:mod:`.templates`), so anything else a
tile changes here must enter :meth:`.templates.TileTemplates.group`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...core.network_catalog import network_set_spec
from ...core.network_store import NetworkStore
from ...core.networks import NetworkSet, load_network_set
from ...core.periods import Period
from ...core.products import PRODUCTS
from . import landcover, outputs, sl2p
from .collections import active_members
from .compositing import composite
from .exports import region_geometry
from .mapping import MappedFunctions
from .request import GeeRequest, Region


class WorkflowBuilder:
    """Builds the output images of a request (see the module doc)."""

    def __init__(self, ee: Any, request: GeeRequest, network_set: NetworkSet | None = None,
                 store: NetworkStore | None = None) -> None:
        """``network_set``: the first member's set, already loaded (else read from ``store``); ``store``: where
        every set is read from (default :meth:`.NetworkStore.default`, which ignores the plugin's settings)."""
        self.ee = ee
        self.request = request
        self.store = store
        first = request.sensor.member_sensors[0]
        self.network_set = network_set or load_network_set(first.key, request.algorithm, store)
        self._sets: dict[str, NetworkSet] = {first.key: self.network_set}
        self._partition: Any | None = None
        self._positions: dict[str, Any] = {}
        self._geometry: dict[str, Any] = {}
        self._cache: dict[tuple[str, Period], dict[str, Any]] = {}
        self.functions = MappedFunctions(ee)
        """The mapped functions of every composite (:mod:`.mapping`: built once per plan, not per region)."""
        self.constants = sl2p.NetworkConstants(ee)
        """The networks' constant images (built once per plan, not per region and period)."""

    def geometry(self, region: Region) -> Any:
        if region.name not in self._geometry:
            self._geometry[region.name] = region_geometry(self.ee, region)
        return self._geometry[region.name]

    def partition(self) -> Any:
        if self._partition is None:
            self._partition = landcover.partition(self.ee)
        return self._partition

    def positions(self, network_set: NetworkSet | None = None) -> Any | None:
        """Per-pixel stack position of the network of ``network_set`` (default: :attr:`network_set`); ``None`` when
        the set has one distinct network."""
        nets = network_set or self.network_set
        if nets.sensor_key not in self._positions:
            self._positions[nets.sensor_key] = landcover.network_positions(self.ee, self.partition(), nets)
        return self._positions[nets.sensor_key]

    def network_groups(self, period: Period) -> list[tuple[tuple[int, ...], NetworkSet]]:
        """(QC codes, network set) of the sensors whose scenes enter ``period``'s composite, members with the same
        network files grouped (see the module doc). A single sensor: one group."""
        groups: dict[tuple, tuple[list[int], str]] = {}
        for member in active_members(self.request.sensor, period):
            spec = network_set_spec(member.key, self.request.algorithm)
            codes, key = groups.setdefault((spec.bands, tuple(spec.files())), ([], member.key))
            codes.append(member.qc_code)
        result = []
        for codes, key in groups.values():
            if key not in self._sets:
                self._sets[key] = load_network_set(key, self.request.algorithm, self.store)
            result.append((tuple(codes), self._sets[key]))
        return result

    def clip(self, region: Region) -> Any | None:
        """What the maps of ``region`` are clipped to before unmasking: the polygon of a custom region, nothing for a
        tile (its export rectangle is the region)."""
        return None if region.is_tile else self.geometry(region)

    def partition_map(self, region: Region) -> Any:
        """The PARTITION export image of ``region`` (NALCMS classes, uint8; 0 where neither land cover has one)."""
        return outputs.export_ready(self.partition().toUint8().rename("PARTITION"), "PARTITION", self.clip(region))

    def outputs(self, region: Region, period: Period, keys: Sequence[str] | None = None) -> dict[str, Any]:
        """Output images for ``keys`` (default: the request's per-period outputs) of one region and period."""
        wanted = tuple(keys) if keys is not None else self.request.outputs_per_period()
        cached = self._cache.get((region.name, period), {})
        missing = [k for k in wanted if k not in cached]
        if missing:
            built = self._build(region, period, missing)
            clip = self.clip(region)
            cached.update({key: outputs.export_ready(image, key, clip) for key, image in built.items()})
            self._cache[(region.name, period)] = cached
        return {k: cached[k] for k in wanted}

    def _build(self, region: Region, period: Period, keys: Sequence[str]) -> dict[str, Any]:
        ee, request = self.ee, self.request
        mosaic = composite(ee, request.sensor, self.geometry(region), period, request.time_score_weight,
                           request.scene_cloud_filter(region), self.functions)
        result: dict[str, Any] = {}
        if "DATE" in keys:
            result["DATE"] = outputs.date_map(ee, mosaic)
        products = [k for k in keys if k in PRODUCTS]
        if "QC" in keys:
            products = list(request.products)
        if not products:
            return result
        groups = self.network_groups(period)
        estimates = self._estimates(mosaic, products, groups)
        invalid = outputs.invalid_flag(ee, mosaic, request.sensor, self.partition())
        blank = invalid if request.mask_flagged else outputs.no_estimate(ee, self.partition())
        range_flag = None
        for key in products:
            product = PRODUCTS[key]
            estimate = estimates[key].updateMask(blank.Not())
            dn, clamped = outputs.encode_leaf(ee, estimate, product)
            if key in keys:
                result[key] = self._tag(dn)
            flag = outputs.out_of_range(ee, estimate, product).Or(clamped)
            range_flag = flag if range_flag is None else range_flag.Or(flag)
        if "QC" in keys:
            domain = self._out_of_domain(mosaic, groups)
            result["QC"] = self._tag(outputs.qc_byte(ee, mosaic, request.sensor, domain, range_flag, invalid))
        return result

    def _own_group(self, mosaic: Any, codes: tuple[int, ...]) -> Any:
        """1 where the pixel's chosen scene comes from one of the sensors with QC ``codes``."""
        sensor = mosaic.select("sensor")
        test = sensor.eq(codes[0])
        for code in codes[1:]:
            test = test.Or(sensor.eq(code))
        return test

    def _estimates(self, mosaic: Any, products: Sequence[str], groups: list) -> dict[str, Any]:
        """Estimates per product with each pixel's own network set (module doc)."""
        (_, first), rest = groups[0], groups[1:]
        result = sl2p.estimates(self.ee, mosaic, first, products, self.positions(first), self.constants)
        for codes, nets in rest:
            other = sl2p.estimates(self.ee, mosaic, nets, products, self.positions(nets), self.constants)
            own = self._own_group(mosaic, codes)
            result = {key: result[key].where(own, other[key]) for key in products}
        return result

    def _out_of_domain(self, mosaic: Any, groups: list) -> Any:
        """QC bit 0 against each pixel's own network set's domain (module doc)."""
        (_, first), rest = groups[0], groups[1:]
        result = sl2p.out_of_domain(self.ee, mosaic, first, self.constants)
        for codes, nets in rest:
            other = sl2p.out_of_domain(self.ee, mosaic, nets, self.constants)
            result = result.where(self._own_group(mosaic, codes), other)
        return result

    def _tag(self, image: Any) -> Any:
        """The algorithm and network set as image properties (kept by asset exports)."""
        return image.set({"leaf_algorithm": self.network_set.algorithm, "leaf_network_set": self.network_set.label})
