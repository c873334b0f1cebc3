"""Plugin settings (QgsSettings, section ``leaf_qgis/``): the one place that names each key.

Only paths and identifiers are stored here — never a token or a key's content. A service-account key is referred to
by its file path; the Earth Engine user credentials stay in the standard file written by ``earthengine authenticate``
(shared with the earthengine CLI and the official Earth Engine QGIS plugin).
"""

from __future__ import annotations

from qgis.core import QgsSettings

PREFIX = "Processing/Configuration/"
"""The Processing options namespace: the provider shows these keys in Settings › Options › Processing › Providers ›
LEAF, and the plugin reads the same QgsSettings entries."""
NETWORKS_FOLDER = "LEAF_NETWORKS_FOLDER"
"""Folder holding the CCRS SL2P network CSV files (overrides the cache and the download)."""
EE_PROJECT = "LEAF_EE_PROJECT"
"""Google Cloud project id used for Earth Engine requests."""
EE_SERVICE_ACCOUNT_KEY = "LEAF_EE_SERVICE_ACCOUNT_KEY"
"""Path of a service-account JSON key file, when the user prefers one to personal credentials."""


def get(key: str, default: str = "") -> str:
    value = QgsSettings().value(PREFIX + key, default)
    return "" if value is None else str(value)


def set_value(key: str, value: str) -> None:
    QgsSettings().setValue(PREFIX + key, value)


def networks_folder() -> str | None:
    """The configured networks folder, or ``None`` (then the store uses ``LEAF_QGIS_NETWORKS``, its cache, or
    downloads)."""
    return get(NETWORKS_FOLDER) or None


def ee_service_account_key() -> str | None:
    """The path of the service-account key file, or ``None`` to use the user's own credentials."""
    return get(EE_SERVICE_ACCOUNT_KEY) or None


def ee_project() -> str:
    return get(EE_PROJECT)
