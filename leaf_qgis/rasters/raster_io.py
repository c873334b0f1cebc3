"""GDAL raster I/O for the local engine: inputs, grids, block windows and atomic GeoTIFF outputs.

Why it looks like this:

* **Bounded memory.** Work is split into windows of at most ``max_pixels`` pixels whose rows and columns are
  multiples of the output tile size, so each window writes whole output tiles (no tile is compressed twice) and the
  memory per window does not depend on the raster size. The GDAL block cache is capped during a run
  (:func:`cache_limit`): its default (5 % of RAM) would otherwise grow with the raster.
* **Never lose data.** Outputs go to temporary files in their destination folder and are renamed over the final
  names with :func:`os.replace` (atomic on one file system) only after the last block; a failure or a cancellation
  deletes the temporary files. :func:`check_destinations` runs before anything is created.
* **Overwrite policy.** Processing destinations carry no "overwrite" switch: the dialog asks the user when they pick
  an existing file, the modeler and ``qgis_process`` do not. We replace an existing file only when it is a previous
  LEAF output (it carries the :data:`LEAF_OUTPUT_TAG` metadata item), which a re-run can regenerate; any other
  existing file (the user's own data, an input) is kept and the run stops with a message saying so.
* **No global GDAL state change** other than the temporary cache cap: no ``gdal.UseExceptions()`` (other plugins in
  the same interpreter rely on the default), errors are read from return values and ``gdal.GetLastErrorMsg``.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from osgeo import gdal, osr

from ..core.errors import QT_TRANSLATE_NOOP, LeafError

#: Output tile edge (pixels): GeoTIFF BLOCKXSIZE/BLOCKYSIZE and the alignment of processing windows.
TILE = 256
#: Default largest window, in pixels (four output tiles): its float32 temporaries stay near 20 MB, so several
#: windows in flight cost little memory and most passes over them stay in cache. ``make bench`` measured, against
#: 1.5 Mpx windows, 10 % less CPU per pixel and a peak RSS of 354 MB instead of 485 MB on the 13 Mpx input, and
#: enough windows to keep both cores busy to the end of a small raster.
MAX_WINDOW_PIXELS = 262_144
#: GDAL block cache cap during a run when the layout of an input's blocks cannot be known (a VRT whose sources do not
#: open on their own): a row of 1024² JPEG 2000 tiles of eight 20 m bands fits.
CACHE_BYTES = 192 * 1024 * 1024
#: Largest cap: a source stored in one block (an untiled JPEG 2000) would otherwise ask for twice its size.
MAX_CACHE_BYTES = 512 * 1024 * 1024
MIN_CACHE_BYTES = 48 * 1024 * 1024
#: Metadata item written into every output; its presence marks a file that a re-run may replace.
LEAF_OUTPUT_TAG = "LEAF_QGIS_OUTPUT"
GEOTIFF_EXTENSIONS = (".tif", ".tiff")


@contextlib.contextmanager
def quiet_gdal() -> Iterator[None]:
    """Silence GDAL's error printing (we turn errors into :class:`LeafError`); the handler stack is per thread."""
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        yield
    finally:
        gdal.PopErrorHandler()


@contextlib.contextmanager
def cache_limit(max_bytes: int = CACHE_BYTES) -> Iterator[None]:
    """Cap the GDAL block cache for the duration of a run, then restore the previous value."""
    previous = gdal.GetCacheMax()
    if previous > max_bytes:
        gdal.SetCacheMax(max_bytes)
    try:
        yield
    finally:
        if previous > max_bytes:
            gdal.SetCacheMax(previous)


def _block_row_bytes(ds: gdal.Dataset) -> int:
    """Bytes of one row of blocks across ``ds``, every band: what windows walking that row decode."""
    total = 0
    for index in range(1, ds.RasterCount + 1):
        band = ds.GetRasterBand(index)
        xsize, ysize = band.GetBlockSize()
        across = -(-ds.RasterXSize // max(1, xsize))
        total += across * xsize * ysize * gdal.GetDataTypeSize(band.DataType) // 8
    return total


def run_cache_bytes(datasets: Sequence[gdal.Dataset]) -> int:
    """The block cache for a run reading ``datasets`` window by window, row of windows after row of windows: twice a
    row of blocks across each input (a block shared by two rows of windows is then decoded once: JPEG 2000 tiles of
    1024² px span two rows of 512-px windows), between :data:`MIN_CACHE_BYTES` and :data:`MAX_CACHE_BYTES`. A VRT
    (the stack of a Sentinel-2 product's JPEG 2000 bands, a Landsat scene's files) counts its source files' blocks,
    which are what GDAL decodes and caches; :data:`CACHE_BYTES` when they cannot be opened. Measured on one 5490²
    band in 1024² JPEG 2000 tiles read in 512-px windows: 13.2 s of CPU with a 4 MB cache (every tile decoded twice),
    6.4 s with 24 MB (two rows of tiles) and 6.7 s with 192 MB."""
    need = 0
    for ds in datasets:
        if ds.GetDriver().ShortName != "VRT":
            need += _block_row_bytes(ds)
            continue
        own = ds.GetDescription()
        with quiet_gdal():
            sources = [gdal.OpenEx(f, gdal.OF_RASTER) for f in (ds.GetFileList() or []) if f != own]
        opened = [source for source in sources if source is not None]
        need += sum(_block_row_bytes(source) for source in opened) if opened else CACHE_BYTES // 2
    return min(MAX_CACHE_BYTES, max(MIN_CACHE_BYTES, 2 * need))


def open_raster(path: str, role: str) -> gdal.Dataset:
    """Open ``path`` read-only, or raise a :class:`LeafError` naming the parameter ``role`` and GDAL's reason."""
    with quiet_gdal():
        try:
            ds = gdal.Open(str(path), gdal.GA_ReadOnly)
        except RuntimeError:  # someone enabled gdal.UseExceptions() in this interpreter
            ds = None
        reason = gdal.GetLastErrorMsg()
    if ds is None:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "{role}: GDAL cannot open '{path}' as a raster ({reason}). Check the path and "
                                      "that the file is a raster GDAL reads (GeoTIFF, JPEG 2000, VRT …)."),
            role=role, path=path, reason=reason or "unknown format",
        )
    if ds.RasterCount == 0 or ds.RasterXSize == 0 or ds.RasterYSize == 0:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "{role}: '{path}' is empty (no band or no pixel). Choose a raster with data; "
                                      "for a file with sub-datasets, choose one of them."),
            role=role, path=path,
        )
    return ds


def read_vsi_bytes(path: str) -> bytes:
    """A whole (small) file through GDAL's virtual file systems, so metadata inside ``.zip``/``.tar`` archives
    (``/vsizip/``, ``/vsitar/``) reads like a plain file; ``FileNotFoundError`` when it is missing."""
    handle = gdal.VSIFOpenL(path, "rb")
    if handle is None:
        raise FileNotFoundError(path)
    try:
        chunks = []
        while True:
            chunk = gdal.VSIFReadL(1, 1 << 20, handle)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        gdal.VSIFCloseL(handle)


@dataclass(frozen=True)
class Grid:
    """The pixel grid of a raster: size, geotransform and CRS (WKT)."""

    width: int
    height: int
    geotransform: tuple[float, ...]
    projection: str

    @classmethod
    def of(cls, ds: gdal.Dataset) -> Grid:
        return cls(ds.RasterXSize, ds.RasterYSize, tuple(ds.GetGeoTransform()), ds.GetProjection() or "")

    @property
    def pixels(self) -> int:
        return self.width * self.height

    def same_as(self, other: Grid) -> bool:
        """Same size, same CRS and geotransforms equal to within a millionth of a pixel."""
        if (self.width, self.height) != (other.width, other.height):
            return False
        tolerance = 1e-6 * max(abs(self.geotransform[1]), abs(self.geotransform[5]), 1e-12)
        if any(abs(a - b) > tolerance for a, b in zip(self.geotransform, other.geotransform)):
            return False
        if not self.projection or not other.projection:
            return self.projection == other.projection
        mine, theirs = osr.SpatialReference(), osr.SpatialReference()
        if mine.ImportFromWkt(self.projection) or theirs.ImportFromWkt(other.projection):
            return self.projection == other.projection
        return bool(mine.IsSame(theirs))

    def describe(self) -> str:
        """Human summary for error messages: size, pixel size, origin and CRS name."""
        crs = "no CRS"
        if self.projection:
            srs = osr.SpatialReference()
            if not srs.ImportFromWkt(self.projection):
                code = srs.GetAuthorityCode(None)
                crs = f"EPSG:{code}" if code else (srs.GetName() or "custom CRS")
        x0, dx, _, y0, _, dy = self.geotransform
        return f"{self.width} × {self.height} px of {dx:g} × {abs(dy):g}, origin ({x0:.3f}, {y0:.3f}), {crs}"


def require_same_grid(reference: Grid, ds: gdal.Dataset, role: str, path: str) -> None:
    """Auxiliary rasters (angles, land cover, mask) must share the input grid: we never resample silently."""
    grid = Grid.of(ds)
    if not reference.same_as(grid):
        raise LeafError(
            QT_TRANSLATE_NOOP(
                "leaf",
                "{role} '{path}' is not on the grid of the input ({grid} instead of {expected}). Resample it onto the "
                "input grid first, e.g. with GDAL ▸ Warp (reproject) using the input as the target extent and "
                "resolution (nearest neighbour for classes).",
            ),
            role=role, path=path, grid=grid.describe(), expected=reference.describe(),
        )


@dataclass(frozen=True)
class Window:
    """A rectangle of pixels: column/row offset and size."""

    xoff: int
    yoff: int
    xsize: int
    ysize: int

    @property
    def pixels(self) -> int:
        return self.xsize * self.ysize


def windows(width: int, height: int, max_pixels: int = MAX_WINDOW_PIXELS, tile: int = TILE) -> list[Window]:
    """Tile-aligned windows covering the raster, each at most ``max(max_pixels, tile²)`` pixels, in row-major order.

    Narrow rasters get several tile rows per window, wide ones are split into tile-aligned column chunks.
    """
    tiles_per_window = max(1, max_pixels // (tile * tile))
    tile_cols = -(-width // tile)
    cols_tiles = min(tile_cols, tiles_per_window)
    rows_tiles = max(1, tiles_per_window // cols_tiles)
    xstep, ystep = cols_tiles * tile, rows_tiles * tile
    return [
        Window(x, y, min(xstep, width - x), min(ystep, height - y))
        for y in range(0, height, ystep)
        for x in range(0, width, xstep)
    ]


def read_window(ds: gdal.Dataset, bands: Sequence[int], window: Window) -> Any:
    """The window of ``bands`` (1-based) as a ``(len(bands), ysize, xsize)`` array in the raster's data type."""
    import numpy as np

    data = ds.ReadAsArray(window.xoff, window.yoff, window.xsize, window.ysize, band_list=list(bands))
    if data is None:
        raise LeafError(
            QT_TRANSLATE_NOOP("leaf", "Reading rows {first}–{last} of '{path}' failed ({reason}). The file may be "
                                      "truncated or corrupt; check it with gdalinfo -checksum."),
            first=window.yoff, last=window.yoff + window.ysize - 1, path=ds.GetDescription(),
            reason=gdal.GetLastErrorMsg() or "unknown error",
        )
    return np.asarray(data).reshape(len(bands), window.ysize, window.xsize)


class DatasetPool:
    """One read-only handle per (thread, path): GDAL datasets must not be shared between threads."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[dict[str, gdal.Dataset]] = []

    def get(self, path: str) -> gdal.Dataset:
        handles = getattr(self._local, "handles", None)
        if handles is None:
            handles = self._local.handles = {}
            with self._lock:
                self._all.append(handles)
        ds = handles.get(path)
        if ds is None:
            ds = handles[path] = open_raster(path, path)
        return ds

    def close(self) -> None:
        """Drop every handle (call once the worker threads are done)."""
        with self._lock:
            for handles in self._all:
                handles.clear()
            self._all.clear()


# ---------------------------------------------------------------------------------------------------------------
# Outputs


@dataclass(frozen=True)
class OutputSpec:
    """One single-band output GeoTIFF."""

    key: str
    """Identifier the engine writes to (``LAI``, ``LAI_ERROR``, ``QC`` …); stored in :data:`LEAF_OUTPUT_TAG`."""
    path: str
    data_type: int
    """GDAL data type (``gdal.GDT_Byte`` or ``gdal.GDT_Float32``)."""
    nodata: float
    scale: float | None = None
    """GDAL band scale (physical = DN · scale + offset), ``None`` for none (QC, FLOAT32)."""
    offset: float | None = None
    description: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    predictor: int = 1
    """TIFF predictor: 2 (horizontal differencing) for smooth integer maps, 3 for float, 1 for class maps."""


def creation_options(spec: OutputSpec) -> list[str]:
    """Tiled, DEFLATE-compressed GeoTIFF. Level 1, not 6: compression runs beside the networks on the same cores, and
    ``make bench`` measured the full-tile run at 9.0 Mpx/s with level 6 and 12.8 Mpx/s with level 1."""
    options = ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}", "COMPRESS=DEFLATE", "ZLEVEL=1",
               "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS"]
    if spec.predictor != 1:
        options.append(f"PREDICTOR={spec.predictor}")
    return options


def is_leaf_output(path: str) -> bool:
    """True when ``path`` is a GeoTIFF this engine wrote (a re-run may replace it)."""
    with quiet_gdal():
        try:
            ds = gdal.Open(path, gdal.GA_ReadOnly)
        except RuntimeError:
            ds = None
        return ds is not None and ds.GetMetadataItem(LEAF_OUTPUT_TAG) is not None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False


def _existing_ancestor(folder: str) -> str:
    folder = os.path.abspath(folder)
    while not os.path.exists(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def check_destinations(paths: dict[str, str], inputs: Sequence[str]) -> None:
    """Refuse, before anything is written: non-GeoTIFF names, two outputs on one file, an output on an input, an
    existing file that is not a LEAF output, and folders we cannot write into."""
    seen: dict[str, str] = {}
    for key, path in paths.items():
        if not path.lower().endswith(GEOTIFF_EXTENSIONS):
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Output {key} '{path}': the local engine writes GeoTIFF only. Give the "
                                          "file a .tif extension."),
                key=key, path=path,
            )
        real = os.path.realpath(path)
        if real in seen:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Outputs {first} and {second} point to the same file '{path}'. Give each "
                                          "output its own file name."),
                first=seen[real], second=key, path=path,
            )
        seen[real] = key
        for source in inputs:
            if source and (os.path.realpath(source) == real or _same_file(source, path)):
                raise LeafError(
                    QT_TRANSLATE_NOOP("leaf", "Output {key} '{path}' is one of the inputs. Choose another file name: "
                                              "the inputs are never overwritten."),
                    key=key, path=path,
                )
        if os.path.isdir(path):
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Output {key} '{path}' is an existing folder. Give a file name ending in "
                                          ".tif."),
                key=key, path=path,
            )
        if os.path.exists(path) and not is_leaf_output(path):
            raise LeafError(
                QT_TRANSLATE_NOOP(
                    "leaf",
                    "Output {key} '{path}' already exists and is not a LEAF output, so it is kept. Choose another file "
                    "name, or delete the file first if you want to replace it (previous LEAF outputs are replaced "
                    "without asking).",
                ),
                key=key, path=path,
            )
        folder = _existing_ancestor(os.path.dirname(os.path.abspath(path)))
        if not os.path.isdir(folder) or not os.access(folder, os.W_OK | os.X_OK):
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Output {key}: the folder '{folder}' is read-only or not a folder, so "
                                          "'{path}' cannot be written. Choose a folder you can write into."),
                key=key, folder=folder, path=path,
            )


PARTIAL_PATTERN = re.compile(r"^(?P<stem>.+)\.partial-[0-9a-f]{8}(?P<extension>(?:\.[^.]*)?)(?:\.aux\.xml)?$")
"""Temporary files of :class:`OutputSet` (``<stem>.partial-<8 hex><extension>``, see :func:`partial_name`) and their
QGIS sidecars: the only files it ever deletes."""


def partial_name(final_name: str, token: str) -> str:
    """The temporary file name of the output ``final_name``: ``a.tif`` → ``a.partial-<token>.tif``.

    The output's extension stays at the end, so ``a.tif`` and ``a.tiff`` (or ``a.TIF``) in one folder have temporary
    files of their own: with ``.tif`` for all of them, preparing one removed the other's temporary file as a
    leftover of a killed run (both were ``a.partial-….tif``). ``.tif`` outputs keep the names earlier versions
    used, so their leftovers are still recognised.
    """
    stem, extension = os.path.splitext(final_name)
    return f"{stem}.partial-{token}{extension}"
LOCK_SUFFIX = ".leaf-lock"


_HELD_LOCKS: set[str] = set()
"""Lock files this process holds: a second run in the same QGIS (Processing runs algorithms in threads) sees its own
process id in them and must still wait."""
_HELD_LOCKS_GUARD = threading.Lock()


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists. Not ``os.kill(pid, 0)`` on Windows: there signal 0 is CTRL_C_EVENT, sent to the
    other process, and the answer says nothing about it."""
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _lock_is_live(lock: str, pid: int) -> bool:
    """A lock names a run still writing: another live process, or a run of this process that holds it."""
    if pid == os.getpid():
        with _HELD_LOCKS_GUARD:
            return lock in _HELD_LOCKS
    return bool(pid) and _pid_alive(pid)


def _create_lock(lock: str) -> bool:
    """Create ``lock`` holding this process id, never visible empty (written aside, then linked into place); False
    when it exists. Where hard links are not available, an exclusive create."""
    aside = f"{lock}.{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        with open(aside, "x", encoding="ascii") as handle:
            handle.write(str(os.getpid()))
        try:
            os.link(aside, lock)
        except FileExistsError:
            return False
        except OSError:  # no hard links on this file system
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(str(os.getpid()))
        return True
    finally:
        with contextlib.suppress(OSError):
            os.remove(aside)


def _identity(path: str) -> tuple[int, int, int] | None:
    """(inode, size, mtime ns) of an existing file, ``None`` when there is none: what "the same file" means."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class OutputSet:
    """Temporary GeoTIFFs next to their final paths, renamed into place by :meth:`commit`.

    Use as a context manager: leaving the block without :meth:`commit` (error, cancellation) deletes every
    temporary file and every folder it created. Why the rest:

    * a ``<final>.leaf-lock`` file per output (created exclusively, holding the process id) makes a second run on the
      same outputs fail at once instead of racing; a lock whose process is gone is taken over;
    * under that lock, ``.partial-*`` files left for the same outputs by a killed run are removed;
    * :meth:`commit` never replaces a file that appeared (or changed) while the run computed: a new output is linked
      into place (which fails if the name exists), a previous LEAF output is replaced only if it is still the file
      that was checked before the run.
    """

    def __init__(self, specs: Sequence[OutputSpec], grid: Grid, common_metadata: dict[str, str] | None = None):
        self.specs = {spec.key: spec for spec in specs}
        self.grid = grid
        self.common_metadata = dict(common_metadata or {})
        self._temp: dict[str, str] = {}
        self._datasets: dict[str, gdal.Dataset] = {}
        self._created_dirs: list[str] = []
        self._locks: list[str] = []
        self._before: dict[str, tuple[int, int, int] | None] = {}
        self._committed = False

    def __enter__(self) -> OutputSet:
        try:
            for spec in self.specs.values():
                self._lock(spec)
            for spec in self.specs.values():
                final = os.path.abspath(spec.path)
                self._remove_leftovers(final)
                self._before[spec.key] = _identity(final)
                self._create(spec)
        except BaseException:
            self.discard()
            raise
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if not self._committed:
            self.discard()

    def _lock(self, spec: OutputSpec) -> None:
        final = os.path.abspath(spec.path)
        self._make_dirs(os.path.dirname(final))
        lock = final + LOCK_SUFFIX
        for _ in range(2):
            if _create_lock(lock):
                with _HELD_LOCKS_GUARD:
                    _HELD_LOCKS.add(lock)
                self._locks.append(lock)
                return
            try:
                with open(lock, encoding="ascii") as handle:
                    pid = int(handle.read().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if _lock_is_live(lock, pid):
                raise LeafError(
                    QT_TRANSLATE_NOOP("leaf", "Output {key} '{path}' is being written by another run (process {pid}). "
                                              "Wait for it to finish, or choose other file names. If no LEAF run is "
                                              "active, delete the lock file '{lock}'."),
                    key=spec.key, path=spec.path, pid=pid, lock=lock,
                ) from None
            with contextlib.suppress(OSError):
                os.remove(lock)  # left by a run that no longer exists
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "Output {key} '{path}': cannot take the lock file '{lock}'."),
                        key=spec.key, path=spec.path, lock=lock)

    def _release_locks(self) -> None:
        for lock in self._locks:
            with contextlib.suppress(OSError):
                os.remove(lock)
            with _HELD_LOCKS_GUARD:
                _HELD_LOCKS.discard(lock)
        self._locks.clear()

    @staticmethod
    def _remove_leftovers(final: str) -> None:
        """Temporary files of earlier, killed runs on the same output (this run holds its lock): same stem and same
        extension, so another output of the same stem (``a.tif`` beside ``a.tiff``) keeps its own."""
        folder, name = os.path.split(final)
        stem, extension = os.path.splitext(name)
        with contextlib.suppress(OSError):
            for entry in os.listdir(folder):
                match = PARTIAL_PATTERN.match(entry)
                if match and match.group("stem") == stem and match.group("extension") == extension:
                    with contextlib.suppress(OSError):
                        os.remove(os.path.join(folder, entry))

    def _make_dirs(self, folder: str) -> None:
        missing = []
        while folder and not os.path.exists(folder):
            missing.append(folder)
            folder = os.path.dirname(folder)
        for path in reversed(missing):
            os.mkdir(path)
            self._created_dirs.append(path)

    def _create(self, spec: OutputSpec) -> None:
        final = os.path.abspath(spec.path)
        folder, name = os.path.split(final)
        temp = os.path.join(folder, partial_name(name, uuid.uuid4().hex[:8]))
        driver = gdal.GetDriverByName("GTiff")
        with quiet_gdal():
            try:
                self._make_dirs(folder)
                ds = driver.Create(temp, self.grid.width, self.grid.height, 1, spec.data_type,
                                   creation_options(spec))
            except (OSError, RuntimeError) as error:
                ds, reason = None, str(error)
            else:
                reason = gdal.GetLastErrorMsg()
        if ds is None:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Output {key}: cannot create a file in '{folder}' ({reason}). Choose a "
                                          "folder you can write into, with free space."),
                key=spec.key, folder=folder, reason=reason or "permission denied",
            )
        self._temp[spec.key] = temp
        self._datasets[spec.key] = ds
        ds.SetGeoTransform(self.grid.geotransform)
        if self.grid.projection:
            ds.SetProjection(self.grid.projection)
        ds.SetMetadata({**self.common_metadata, **spec.metadata, LEAF_OUTPUT_TAG: spec.key})
        band = ds.GetRasterBand(1)
        band.SetNoDataValue(spec.nodata)
        if spec.scale is not None:
            band.SetScale(spec.scale)
            band.SetOffset(spec.offset or 0.0)
        if spec.description:
            band.SetDescription(spec.description)

    def write(self, key: str, window: Window, array: Any) -> None:
        band = self._datasets[key].GetRasterBand(1)
        if band.WriteArray(array.reshape(window.ysize, window.xsize), window.xoff, window.yoff) != 0:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Writing output {key} failed ({reason}). Check the free space in "
                                          "'{folder}'."),
                key=key, reason=gdal.GetLastErrorMsg() or "I/O error",
                folder=os.path.dirname(os.path.abspath(self.specs[key].path)),
            )

    def _close_all(self) -> list[str]:
        failures = []
        for key, ds in list(self._datasets.items()):
            with quiet_gdal():
                if ds.FlushCache() not in (None, 0):
                    failures.append(key)
            del self._datasets[key]
            ds = None
        return failures

    def commit(self) -> dict[str, str]:
        """Close the files and rename them to their final names; returns key → final path."""
        failures = self._close_all()
        if failures:
            self.discard()
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Finishing outputs {keys} failed. Check the free space in the output "
                                          "folder; nothing was written."),
                keys=", ".join(failures),
            )
        changed = [key for key in self._temp
                   if _identity(os.path.abspath(self.specs[key].path)) != self._before.get(key)]
        if changed:
            self.discard()
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Output(s) {keys}: a file appeared or changed at {paths} while this run "
                                          "computed, so it is kept and nothing was written. Run again with other "
                                          "file names, or once that file is no longer needed."),
                keys=", ".join(changed), paths=", ".join(self.specs[k].path for k in changed),
            )
        done = {}
        for key, temp in self._temp.items():
            final = os.path.abspath(self.specs[key].path)
            if self._before.get(key) is None:
                self._link_new(key, temp, final)
            else:
                os.replace(temp, final)
            stale = final + ".aux.xml"  # statistics QGIS cached for a previous LEAF output of that name
            if os.path.exists(stale):
                os.remove(stale)
            done[key] = final
        self._temp.clear()
        self._committed = True
        self._release_locks()
        return done

    def _link_new(self, key: str, temp: str, final: str) -> None:
        """Put a new output in place without ever replacing a file created at the last moment: a hard link fails
        when the name exists; where the file system has no hard links, a checked rename."""
        try:
            os.link(temp, final)
        except FileExistsError:
            raise LeafError(
                QT_TRANSLATE_NOOP("leaf", "Output {key}: a file appeared at '{path}' at the end of the run; it is "
                                          "kept and this output was not written."),
                key=key, path=final,
            ) from None
        except OSError:
            if os.path.exists(final):
                raise LeafError(
                    QT_TRANSLATE_NOOP("leaf", "Output {key}: a file appeared at '{path}' at the end of the run; it is "
                                              "kept and this output was not written."),
                    key=key, path=final,
                ) from None
            os.rename(temp, final)
            return
        os.remove(temp)

    def discard(self) -> None:
        """Delete the temporary files and the folders created for them."""
        self._close_all()
        for temp in self._temp.values():
            for path in (temp, temp + ".aux.xml"):
                with contextlib.suppress(OSError):
                    os.remove(path)
        self._temp.clear()
        self._release_locks()
        for folder in reversed(self._created_dirs):
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        self._created_dirs.clear()
