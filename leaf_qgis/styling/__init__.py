"""Styles for LEAF outputs in QGIS (imports ``qgis``, never ``ee``): see :mod:`leaf_qgis.styling.styles`."""

from __future__ import annotations

from .styles import qc_color, qc_label, recognise, renderer_for, style_layer

__all__ = ["qc_color", "qc_label", "recognise", "renderer_for", "style_layer"]
