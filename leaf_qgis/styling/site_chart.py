"""The time-series chart of ``leaf:sample_sites``: one panel per site and product, drawn with QPainter.

Why QPainter and not matplotlib: QGIS always has Qt, matplotlib is optional on most installations; a QImage renders
headless (no window, no display), so the chart works in ``qgis_process``, in the Modeler and in tests alike.

Each panel: the acquisition dates on x (the site's window), the product on y (its display range, widened to the data),
one point per row — every pixel (``PIXELS``) or the site mean (``STATS``) — coloured by QC: green clear, orange input
outside the training domain or output out of range (bits 0/1), red invalid (bit 2). Error bars: the SL2P uncertainty
when it was asked for, else (``STATS``) the standard deviation of the site's pixels.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter, QPen

from ..core import sites
from ..core.products import ERROR_KEY_SUFFIX, PRODUCTS

CLEAR = QColor("#1a9850")
QUALITY = QColor("#f08c00")
INVALID = QColor("#d73027")
PANEL_W, PANEL_H = 360, 170
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 58, 12, 26, 30
#: Sites drawn at most (the table holds them all; a chart of 500 panels helps nobody).
MAX_SITES = 24


def _value(row: dict[str, Any], key: str, sampling: str) -> float | None:
    value = row.get(key) if sampling == sites.PIXELS else row.get(f"{key}_mean")
    return None if value is None else float(value)


def _error(row: dict[str, Any], key: str, sampling: str, uncertainty: bool) -> float | None:
    if sampling == sites.PIXELS:
        value = row.get(key + ERROR_KEY_SUFFIX) if uncertainty else None
    else:
        value = row.get(f"{key}{ERROR_KEY_SUFFIX}_mean") if uncertainty else row.get(f"{key}_stdev")
    return None if value is None else float(value)


def _colour(row: dict[str, Any], sampling: str) -> QColor:
    if sampling == sites.PIXELS and row.get("qc_invalid"):
        return INVALID
    return QUALITY if row.get("qc_domain") or row.get("qc_range") else CLEAR


def render(table: sites.SiteTable, translate: Callable[[str], str] | None = None) -> QImage:
    """The chart of ``table`` as an ARGB image (size: products × sites panels, plus a legend strip)."""
    tr = translate or (lambda text: text)
    request = table.request
    shown = list(request.sites[:MAX_SITES])
    products = list(request.products)
    width = PANEL_W * len(products)
    legend_h = 28
    height = PANEL_H * len(shown) + legend_h
    image = QImage(width, height, QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.Antialiasing, True)
        font = QFont()
        font.setPixelSize(11)
        painter.setFont(font)
        by_site: dict[str, list[dict[str, Any]]] = {}
        for row in table.rows:
            by_site.setdefault(row["site_id"], []).append(row)
        for i, site in enumerate(shown):
            rows = [r for r in by_site.get(site.site_id, []) if r.get("date")]
            for j, key in enumerate(products):
                rect = QRectF(j * PANEL_W, legend_h + i * PANEL_H, PANEL_W, PANEL_H)
                _panel(painter, rect, site, key, rows, request, tr)
        _legend(painter, width, legend_h, request, tr)
    finally:
        painter.end()
    return image


def _panel(painter: QPainter, rect: QRectF, site: sites.Site, key: str, rows: list[dict[str, Any]],
           request: sites.SiteRequest, tr: Callable[[str], str]) -> None:
    product = PRODUCTS[key]
    plot = QRectF(rect.left() + MARGIN_L, rect.top() + MARGIN_T, rect.width() - MARGIN_L - MARGIN_R,
                  rect.height() - MARGIN_T - MARGIN_B)
    points = []
    for row in rows:
        value = _value(row, key, request.sampling)
        if value is None:
            continue
        points.append((date.fromisoformat(row["date"]), value, _error(row, key, request.sampling,
                                                                       request.uncertainty), _colour(row,
                                                                                                     request.sampling)))
    low, high = product.display_range
    for _, value, err, _ in points:
        low = min(low, value - (err or 0.0))
        high = max(high, value + (err or 0.0))
    first, last = site.first, site.last
    span = max(1, (last - first).days)

    def x_of(day: date) -> float:
        return plot.left() + plot.width() * (day - first).days / span

    def y_of(value: float) -> float:
        return plot.bottom() - plot.height() * (value - low) / ((high - low) or 1.0)

    painter.setPen(QPen(QColor("#333333"), 1))
    painter.drawText(QRectF(rect.left() + 4, rect.top() + 4, rect.width() - 8, 18), Qt.AlignLeft | Qt.AlignVCenter,
                     f"{site.site_id} — {product.file_token}")
    painter.setPen(QPen(QColor("#999999"), 1))
    painter.drawRect(plot)
    painter.setPen(QPen(QColor("#555555"), 1))
    for value in (low, (low + high) / 2, high):
        painter.drawText(QRectF(rect.left(), y_of(value) - 8, MARGIN_L - 6, 16), Qt.AlignRight | Qt.AlignVCenter,
                         f"{value:.2f}")
    for day in (first, last):
        painter.drawText(QRectF(x_of(day) - 40, plot.bottom() + 4, 80, 16), Qt.AlignHCenter | Qt.AlignTop,
                         day.isoformat())
    if not points:
        painter.setPen(QPen(QColor("#888888"), 1))
        painter.drawText(plot, Qt.AlignCenter, tr("no clear observation"))
        return
    for day, value, err, colour in points:
        x, y = x_of(day), y_of(value)
        if err:
            painter.setPen(QPen(colour.darker(120), 1))
            painter.drawLine(QPointF(x, y_of(value - err)), QPointF(x, y_of(value + err)))
            painter.drawLine(QPointF(x - 3, y_of(value - err)), QPointF(x + 3, y_of(value - err)))
            painter.drawLine(QPointF(x - 3, y_of(value + err)), QPointF(x + 3, y_of(value + err)))
        painter.setPen(QPen(colour.darker(130), 1))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(x, y), 3.5, 3.5)
    painter.setBrush(Qt.NoBrush)


def _legend(painter: QPainter, width: int, height: int, request: sites.SiteRequest, tr: Callable[[str], str]) -> None:
    entries = [(CLEAR, tr("clear")), (QUALITY, tr("outside training domain or range (QC bit 0/1)"))]
    if request.sampling == sites.PIXELS:
        entries.append((INVALID, tr("flagged invalid (QC bit 2)")))
    x = 8.0
    for colour, label in entries:
        painter.setPen(QPen(colour.darker(130), 1))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(x + 5, height / 2), 4.5, 4.5)
        painter.setBrush(Qt.NoBrush)
        painter.setPen(QPen(QColor("#333333"), 1))
        text_width = painter.fontMetrics().horizontalAdvance(label) + 8
        painter.drawText(QRectF(x + 14, 0, text_width, height), Qt.AlignLeft | Qt.AlignVCenter, label)
        x += 24 + text_width
    if request.uncertainty or request.sampling == sites.STATS:
        bars = tr("bars: SL2P uncertainty") if request.uncertainty else tr("bars: standard deviation of the pixels")
        painter.drawText(QRectF(x, 0, max(0.0, width - x - 8), height), Qt.AlignLeft | Qt.AlignVCenter, bars)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def html_page(table: sites.SiteTable, image: QImage, title: str, notes: Sequence[str]) -> str:
    """An HTML page with the chart embedded as a PNG (one file to keep or mail) and the sites without a clear
    observation listed under it."""
    encoded = base64.b64encode(png_bytes(image)).decode("ascii")
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    listing = f"<ul>{items}</ul>" if items else ""
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head><body>"
            f"<h2>{html.escape(title)}</h2><img alt=\"{html.escape(title)}\" src=\"data:image/png;base64,{encoded}\">"
            f"{listing}</body></html>")
