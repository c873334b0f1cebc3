"""Where the maps go: Google Drive, Cloud Storage, an Earth Engine asset folder, or a direct download.

One class per destination owns everything about it — how its folder, bucket or asset root is checked, where a file
lands, the export task that writes it (image or table), and how the task table names that place — so a new
destination is one new class in :data:`DESTINATIONS`, and nothing else changes (the request, the plan, submission
and the algorithms look it up by key). ``ee`` is only touched inside :meth:`Destination.image_task` and
:meth:`Destination.table_task`, which build unstarted tasks (sending nothing) at plan time; the plan keeps their
request bodies, and submission only adds the graph (:mod:`.submit`).
"""

from __future__ import annotations

import os
import re
from typing import Any, ClassVar

from ...core.errors import QT_TRANSLATE_NOOP, LeafError

_FOLDER_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_PLAIN_FOLDER = re.compile(r"^[A-Za-z0-9_.-]+$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$")
_ASSET_ROOT = re.compile(r"^(projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/assets|users/[A-Za-z0-9_-]+)(/[A-Za-z0-9_-]+)*$")
MAX_FOLDER = 100

FOLDER_CHARACTERS = QT_TRANSLATE_NOOP(
    "leaf", "The folder name '{folder}' contains characters that cannot be used here. Use letters, digits, '-', '_' "
            "and '.' (Drive folders also allow spaces).")
NOT_SUBMITTED = QT_TRANSLATE_NOOP(
    "leaf", "The {destination} destination has no export task to submit: its maps are fetched directly.")


class Destination:
    """A place exports write to (see the module doc). Subclasses set :attr:`key` and override what differs."""

    key: ClassVar[str] = ""
    submits: ClassVar[bool] = True
    """False for a destination fetched directly (no export task, nothing to submit)."""
    file_format: ClassVar[str] = "GeoTIFF"

    # ------------------------------------------------------------------------------------------------- checks
    def check(self, folder: str, bucket: str, asset_root: str) -> tuple[str, str, str]:
        """(folder, bucket, asset root) cleaned, or a :class:`LeafError` saying what is wrong with them."""
        folder = (folder or "").strip().strip("/")
        if folder and not self.folder_allowed(folder):
            raise LeafError(FOLDER_CHARACTERS, folder=folder)
        if len(folder) > MAX_FOLDER:
            raise LeafError(QT_TRANSLATE_NOOP("leaf", "The folder name is longer than 100 characters."))
        return folder, (bucket or "").strip(), (asset_root or "").strip().rstrip("/")

    def folder_allowed(self, folder: str) -> bool:
        return bool(_PLAIN_FOLDER.match(folder))

    # ------------------------------------------------------------------------------------------ where files go
    def file_name(self, stem: str, suffix: str = ".tif") -> str:
        """The name of the written file (assets have none)."""
        return stem + suffix

    def location(self, stem: str, folder: str, bucket: str, asset_root: str, suffix: str = ".tif") -> dict[str, str]:
        """The plan's ``destination`` of one export (``folder``: the request's, or the default one)."""
        raise NotImplementedError

    def text(self, location: dict[str, Any], file_name: str = "") -> str:
        """Where the file will be, in the destination's own words (the task table's ``destination``)."""
        raise NotImplementedError

    # ---------------------------------------------------------------------------------------- export tasks
    def image_task(self, ee: Any, image: Any, location: dict[str, Any], common: dict[str, Any],
                   file_options: dict[str, Any], pyramiding: str) -> Any:
        """The unstarted image export task (``common``: description, region, grid, maxPixels)."""
        raise LeafError(NOT_SUBMITTED, destination=self.key)

    def table_task(self, ee: Any, table: Any, location: dict[str, Any], common: dict[str, Any]) -> Any:
        """The unstarted table export task (``common``: description, fileFormat, selectors)."""
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "Site tables cannot be exported to the {destination} destination; "
                                                  "choose drive or gcs."), destination=self.key)


class Drive(Destination):
    key = "drive"

    def folder_allowed(self, folder: str) -> bool:
        return not _FOLDER_FORBIDDEN.search(folder)

    def location(self, stem: str, folder: str, bucket: str, asset_root: str, suffix: str = ".tif") -> dict[str, str]:
        return {"type": "drive", "folder": folder, "file_name_prefix": stem}

    def text(self, location: dict[str, Any], file_name: str = "") -> str:
        return f"Drive: {location.get('folder', '')}/{file_name or location.get('file_name_prefix', '')}"

    def image_task(self, ee: Any, image: Any, location: dict[str, Any], common: dict[str, Any],
                   file_options: dict[str, Any], pyramiding: str) -> Any:
        return ee.batch.Export.image.toDrive(image, folder=location["folder"],
                                             fileNamePrefix=location["file_name_prefix"], **common, **file_options)

    def table_task(self, ee: Any, table: Any, location: dict[str, Any], common: dict[str, Any]) -> Any:
        return ee.batch.Export.table.toDrive(table, folder=location["folder"],
                                             fileNamePrefix=location["file_name_prefix"], **common)


class CloudStorage(Destination):
    key = "gcs"

    def check(self, folder: str, bucket: str, asset_root: str) -> tuple[str, str, str]:
        folder, bucket, asset_root = super().check(folder, bucket, asset_root)
        if not _BUCKET.match(bucket) or ".." in bucket or bucket.startswith("goog") or "google" in bucket:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "'{bucket}' is not a valid Cloud Storage bucket name: 3-63 characters, lower-case letters, "
                        "digits, '-', '_' and '.', starting and ending with a letter or digit, not starting with "
                        "'goog'."), bucket=bucket)
        return folder, bucket, asset_root

    def location(self, stem: str, folder: str, bucket: str, asset_root: str, suffix: str = ".tif") -> dict[str, str]:
        return {"type": "gcs", "bucket": bucket, "file_name_prefix": f"{folder}/{stem}" if folder else stem}

    def text(self, location: dict[str, Any], file_name: str = "") -> str:
        suffix = os.path.splitext(file_name)[1] or ".tif"
        return f"gs://{location.get('bucket', '')}/{location.get('file_name_prefix', '')}{suffix}"

    def image_task(self, ee: Any, image: Any, location: dict[str, Any], common: dict[str, Any],
                   file_options: dict[str, Any], pyramiding: str) -> Any:
        return ee.batch.Export.image.toCloudStorage(image, bucket=location["bucket"],
                                                    fileNamePrefix=location["file_name_prefix"], **common,
                                                    **file_options)

    def table_task(self, ee: Any, table: Any, location: dict[str, Any], common: dict[str, Any]) -> Any:
        return ee.batch.Export.table.toCloudStorage(table, bucket=location["bucket"],
                                                    fileNamePrefix=location["file_name_prefix"], **common)


class Asset(Destination):
    key = "asset"
    file_format = "EE_ASSET"

    def check(self, folder: str, bucket: str, asset_root: str) -> tuple[str, str, str]:
        folder, bucket, asset_root = super().check(folder, bucket, asset_root)
        if not _ASSET_ROOT.match(asset_root):
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "'{root}' is not an Earth Engine asset folder. Use projects/<project id>/assets/<folder> "
                        "(the folder must exist in your project)."), root=asset_root)
        return folder, bucket, asset_root

    def file_name(self, stem: str, suffix: str = ".tif") -> str:
        return stem

    def location(self, stem: str, folder: str, bucket: str, asset_root: str, suffix: str = ".tif") -> dict[str, str]:
        return {"type": "asset", "asset_id": f"{asset_root}/{folder}/{stem}"}

    def text(self, location: dict[str, Any], file_name: str = "") -> str:
        return str(location.get("asset_id", ""))

    def image_task(self, ee: Any, image: Any, location: dict[str, Any], common: dict[str, Any],
                   file_options: dict[str, Any], pyramiding: str) -> Any:
        return ee.batch.Export.image.toAsset(image, assetId=location["asset_id"],
                                             pyramidingPolicy={".default": pyramiding}, **common)


class Download(Destination):
    """No export task: the maps are fetched with ``computePixels`` into a local folder (:mod:`.direct`).

    Its ``folder`` is that local folder (any path; whether it can be written is checked before fetching); the
    plan's destination is each file's path, so a plan says where every map will be.
    """

    key = "download"
    submits = False

    def check(self, folder: str, bucket: str, asset_root: str) -> tuple[str, str, str]:
        return (folder or "").strip(), (bucket or "").strip(), (asset_root or "").strip()

    def location(self, stem: str, folder: str, bucket: str, asset_root: str, suffix: str = ".tif") -> dict[str, str]:
        return {"type": "download", "path": os.path.join(folder, self.file_name(stem, suffix))}

    def text(self, location: dict[str, Any], file_name: str = "") -> str:
        return str(location.get("path", file_name))


DESTINATIONS: dict[str, Destination] = {d.key: d for d in (Drive(), CloudStorage(), Asset(), Download())}
"""Every destination, by key (the order of the algorithms' choices)."""


def destination(key: str) -> Destination:
    """The destination registered under ``key`` (case and spaces ignored), or a :class:`LeafError` naming them."""
    found = DESTINATIONS.get((key or "drive").strip().lower())
    if found is None:
        raise LeafError(QT_TRANSLATE_NOOP("leaf", "Unknown destination '{dest}'. Choose one of: {choices}."),
                        dest=key, choices=", ".join(DESTINATIONS))
    return found


def of(location: dict[str, Any]) -> Destination:
    """The destination of a plan entry's ``destination`` (Drive when the type is missing: plans of old versions)."""
    return DESTINATIONS.get(str(location.get("type", "drive")), DESTINATIONS["drive"])
