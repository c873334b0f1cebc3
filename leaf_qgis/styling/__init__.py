"""Styles for LEAF outputs in QGIS (imports ``qgis``, never ``ee``): see :mod:`leaf_qgis.styling.styles`.

Also: :mod:`~leaf_qgis.styling.postprocess` (styling outputs that Processing loads on completion) and
:mod:`~leaf_qgis.styling.preview` (headless PNG previews with legends).
"""

from __future__ import annotations

from .postprocess import LeafLayerPostProcessor, set_temporal, style_on_completion
from .preview import render_png
from .styles import qc_color, qc_label, recognise, renderer_for, style_layer

__all__ = ["LeafLayerPostProcessor", "qc_color", "qc_label", "recognise", "render_png", "renderer_for",
           "set_temporal", "style_layer", "style_on_completion"]
