"""The Earth Engine engine: the LEAF production workflow as an Earth Engine graph, its exports and the dry-run plan.

Modules, in workflow order: :mod:`.session` (lazy ``ee`` import, offline initialisation from the signatures shipped
with earthengine-api), :mod:`.request` (validated request), :mod:`.collections` (collections, masks, angles, date and
sensor bands), :mod:`.compositing` (best-pixel mosaic), :mod:`.landcover` (NALCMS partition → network slot),
:mod:`.sl2p` (the CCRS networks as Earth Engine expressions), :mod:`.outputs` (LEAF uint8, QC byte, date map),
:mod:`.exports` (export specifications pinned to the CCRS grid), :mod:`.destinations` (Drive, Cloud Storage, asset,
download: one class each), :mod:`.workflow` (one region × period), :mod:`.graph` (a plan's graphs, each distinct piece
stored once), :mod:`.plan` (every export of a request, JSON), :mod:`.run` (check → plan → write → submit or
download), :mod:`.submit` (starting the plan's tasks), :mod:`.direct` (direct download), :mod:`.tasks` (operations
on tasks: the task table, listing, cancelling, waiting, Cloud Storage downloads) and :mod:`.validate` (graph check
against the signatures).

No module imports ``ee`` at import time: plugin load must stay cheap and must work without earthengine-api.
"""
