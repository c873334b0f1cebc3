"""The LEAF workflow for one region and period: composite → land cover → SL2P → products, QC, date.

:class:`WorkflowBuilder` builds each shared piece once and reuses the Python ``ee`` objects: the partition and the
network-id map once per plan, the network constants once per sensor, the composite and the estimates once per
region × period, whatever the number of maps exported from them. Building sends nothing to the server.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...core.networks import NetworkSet, load_network_set
from ...core.periods import Period
from ...core.products import PRODUCTS
from . import landcover, outputs, sl2p
from .compositing import composite
from .exports import region_geometry
from .request import GeeRequest, Region

_UNSET = object()


class WorkflowBuilder:
    """Builds the output images of a request (see the module doc)."""

    def __init__(self, ee: Any, request: GeeRequest, network_set: NetworkSet | None = None) -> None:
        self.ee = ee
        self.request = request
        self.network_set = network_set or load_network_set(request.sensor.key, request.algorithm)
        self._partition: Any | None = None
        self._positions: Any = _UNSET
        self._geometry: dict[str, Any] = {}
        self._cache: dict[tuple[str, Period], dict[str, Any]] = {}

    def geometry(self, region: Region) -> Any:
        if region.name not in self._geometry:
            self._geometry[region.name] = region_geometry(self.ee, region)
        return self._geometry[region.name]

    def partition(self) -> Any:
        if self._partition is None:
            self._partition = landcover.partition(self.ee)
        return self._partition

    def positions(self) -> Any | None:
        """Per-pixel stack position of the network (``None`` when the set has one distinct network)."""
        if self._positions is _UNSET:
            self._positions = landcover.network_positions(self.ee, self.partition(), self.network_set)
        return self._positions

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
        ee, request, nets = self.ee, self.request, self.network_set
        mosaic = composite(ee, request.sensor, self.geometry(region), period, request.time_score_weight,
                           request.scene_cloud_filter(region))
        result: dict[str, Any] = {}
        if "DATE" in keys:
            result["DATE"] = outputs.date_map(ee, mosaic)
        products = [k for k in keys if k in PRODUCTS]
        if "QC" in keys:
            products = list(request.products)
        if not products:
            return result
        estimates = sl2p.estimates(ee, mosaic, nets, products, self.positions())
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
            domain = sl2p.out_of_domain(ee, mosaic, nets)
            result["QC"] = self._tag(outputs.qc_byte(ee, mosaic, request.sensor, domain, range_flag, invalid))
        return result

    def _tag(self, image: Any) -> Any:
        """The algorithm and network set as image properties (kept by asset exports)."""
        return image.set({"leaf_algorithm": self.network_set.algorithm, "leaf_network_set": self.network_set.label})
