"""Atomic file writes: a file is either the old one or the complete new one, never half written.

Pure standard library (no ``qgis``, no ``ee``, no GDAL), so every layer can use it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, flushed to disk, and a rename.

    The one place that writes a whole file atomically (plans, task tables, network files in the cache or a bundle).
    Why not ``tempfile.mkstemp``: it creates files with mode 0600, which the rename would give the plan or table
    (neither holds a secret); a file opened with 0666 gets the user's umask like any other file they create. The
    ``fsync`` makes the file survive a crash or power cut right after (a task table must say what reached the server).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.leaf-tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if hasattr(os, "O_DIRECTORY"):  # the rename itself, on POSIX
        with contextlib.suppress(OSError):
            folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
