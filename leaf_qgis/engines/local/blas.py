"""Keep numpy's BLAS to one thread while the engine runs its own worker threads.

The engine already runs one window per core. OpenBLAS would add its own threads to every matrix product and spin
while they wait, so two workers × two BLAS threads fight over two cores: ``make bench`` measured the full-tile run at
12.1–12.2 Mpx/s with BLAS threads and 13.3–14.4 Mpx/s without. The previous setting is restored afterwards (other
plugins in the same QGIS share numpy). Where the BLAS is not OpenBLAS, or cannot be found, nothing changes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
from collections.abc import Iterator
from typing import Any


def _loaded_libraries() -> list[str]:
    """Shared libraries mapped into this process whose name mentions BLAS (Linux), else the usual names."""
    found: list[str] = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.rsplit(" ", 1)[-1].strip()
                if "blas" in path.lower() and path.startswith("/") and path not in found:
                    found.append(path)
    except OSError:
        pass
    for name in ("openblas", "openblas64_", "blas"):
        path = ctypes.util.find_library(name)
        if path and path not in found:
            found.append(path)
    return found


@functools.lru_cache(maxsize=1)
def _openblas() -> tuple[Any, Any] | None:
    """numpy's OpenBLAS thread setter and getter, looked up once per process (the search runs ``ldconfig``: about
    20 ms, which ``leaf:sample_sites`` would pay again for every scene)."""
    import numpy  # noqa: F401 - make sure numpy's BLAS is loaded before looking for it

    for path in _loaded_libraries():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for suffix in ("", "64_"):
            setter = getattr(lib, f"openblas_set_num_threads{suffix}", None)
            getter = getattr(lib, f"openblas_get_num_threads{suffix}", None)
            if setter is not None and getter is not None:
                return setter, getter
    return None


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    functions = _openblas()
    if functions is None:
        yield
        return
    setter, getter = functions
    previous = int(getter())
    setter(1)
    try:
        yield
    finally:
        setter(previous)
