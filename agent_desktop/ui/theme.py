"""Colours and small drawing helpers shared by the delegates and widgets.

Everything follows the system palette (light or dark); the only fixed colours are the status
colours (timer states, failures, internal notes), each chosen to read on both palettes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication

TIMER_COLOURS = {
    "ok": QColor("#2e9d4f"),
    "warning": QColor("#d98a00"),
    "breached": QColor("#d93025"),
}
FAILED = QColor("#d93025")
NOTE_LIGHT = QColor("#fff4c2")
NOTE_DARK = QColor("#5a4b12")
AUTOMATED_LIGHT = QColor("#e9ecf2")
AUTOMATED_DARK = QColor("#343a46")
WINDOW_COLOURS = {
    "standard": QColor("#2e9d4f"),
    "human_agent": QColor("#d98a00"),
    "closed": QColor("#d93025"),
    "none": QColor("#8a8f98"),
}
HIGHLIGHT_UNFILLED = QColor("#ffd54f")

_AVATAR_HUES = (4, 28, 45, 90, 140, 175, 200, 220, 260, 290, 320, 340)


def palette() -> QPalette:
    return QApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    pal = pal or palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def note_colour(pal: QPalette | None = None) -> QColor:
    return NOTE_DARK if is_dark(pal) else NOTE_LIGHT


def suggestion_colour(pal: QPalette | None = None) -> QColor:
    """The suggested reply's background: a light tint of the highlight colour."""
    pal = pal or palette()
    return _tint(pal, 0.22 if is_dark(pal) else 0.12)


def automated_colour(pal: QPalette | None = None) -> QColor:
    return AUTOMATED_DARK if is_dark(pal) else AUTOMATED_LIGHT


def bubble_colour(pal: QPalette, customer: bool) -> QColor:
    """The customer's bubbles use the alternate base, the shop's a tint of the highlight."""
    if customer:
        base = pal.color(QPalette.ColorRole.AlternateBase)
        window = pal.color(QPalette.ColorRole.Window)
        return base if base != pal.color(QPalette.ColorRole.Base) else window.darker(106)
    return _tint(pal, 60 / 255 if is_dark(pal) else 45 / 255)


def _tint(pal: QPalette, weight: float) -> QColor:
    """The highlight colour laid at `weight` over the base, as an opaque colour: what a
    translucent highlight gives on the base, filled without blending every pixel (a bubble's
    translucent fill took a third of its paint)."""
    base = QColor(pal.color(QPalette.ColorRole.Base))
    tint = QColor(pal.color(QPalette.ColorRole.Highlight))
    return QColor(
        round(base.red() + (tint.red() - base.red()) * weight),
        round(base.green() + (tint.green() - base.green()) * weight),
        round(base.blue() + (tint.blue() - base.blue()) * weight),
    )


def muted(pal: QPalette) -> QColor:
    colour = QColor(pal.color(QPalette.ColorRole.WindowText))
    colour.setAlphaF(0.62)
    return colour


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper()
    return (parts[0][0] + parts[-1][0]).upper()


def avatar_hue(key: str) -> int:
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return _AVATAR_HUES[digest[0] % len(_AVATAR_HUES)]


def avatar_colour(key: str) -> QColor:
    return QColor.fromHsl(avatar_hue(key), 150, 110)


class Stamps:
    """Small pictures that rows draw again and again (initials avatars, badges), each drawn once
    into a pixmap and then copied: an antialiased disc with its text costs ~50 µs to draw and
    ~1 µs to copy. Keyed by everything that shows (text, colour, size, font, pixel ratio); at
    most `limit` kept, the oldest dropped first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._pixmaps: dict[tuple[object, ...], QPixmap] = {}

    def __len__(self) -> int:
        return len(self._pixmaps)

    def clear(self) -> None:
        self._pixmaps.clear()

    def draw(
        self,
        painter: QPainter,
        rect: QRectF,
        key: tuple[object, ...],
        paint: Callable[[QPainter, QRectF], None],
        ratio: float | None = None,
        font_key: str | None = None,
    ) -> None:
        """Draw the stamp `key` at `rect`, painting it with `paint(painter, rect)` the first time
        (into a transparent pixmap of the rectangle's size). `ratio`: the painter's device
        pixel ratio, if the caller knows it; `font_key`: "" for a stamp that draws no text (it
        does not depend on the painter's font)."""
        if ratio is None:
            device = painter.device()
            ratio = device.devicePixelRatioF() if device is not None else 1.0
        if font_key is None:
            font_key = painter.font().key()
        full = (*key, rect.width(), rect.height(), ratio, font_key)
        pix = self._pixmaps.get(full)
        if pix is None:
            font = painter.font()
            pix = QPixmap(max(1, round(rect.width() * ratio)), max(1, round(rect.height() * ratio)))
            pix.setDevicePixelRatio(ratio)
            pix.fill(Qt.GlobalColor.transparent)
            inner = QPainter(pix)
            inner.setFont(font)
            paint(inner, QRectF(0, 0, rect.width(), rect.height()))
            inner.end()
            if len(self._pixmaps) >= self.limit:
                self._pixmaps.pop(next(iter(self._pixmaps)))
            self._pixmaps[full] = pix
        painter.drawPixmap(rect.topLeft(), pix)


# Rounded corners kept by colour, radius and pixel ratio (a conversation shows a few colours).
_CORNERS: dict[tuple[int, int, float], QPixmap] = {}
CORNERS_KEPT = 32


def fill_rounded(painter: QPainter, rect: QRectF, radius: int, colour: QColor) -> None:
    """`drawRoundedRect(rect, radius, radius)` filled with `colour` and no border, on whole
    pixels: four corners copied from an antialiased disc drawn once, and three rectangles. An
    antialiased rounded rectangle costs ~0.1 ms to rasterise (half of a bubble's paint), the
    copies a few µs. Under a scaling or rotating painter, or at a fractional pixel ratio, it
    is drawn as a path."""
    x, y = round(rect.left()), round(rect.top())
    w, h = round(rect.right()) - x, round(rect.bottom()) - y
    r = radius
    device = painter.device()
    ratio = device.devicePixelRatioF() if device is not None else 1.0
    transform = painter.transform()
    if (
        w < 2 * r
        or h < 2 * r
        or ratio != int(ratio)  # corners between device pixels
        or transform.isScaling()
        or transform.isRotating()
    ):
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, radius, radius)
        painter.restore()
        return
    key = (colour.rgba(), r, ratio)
    disc = _CORNERS.get(key)
    if disc is None:
        side = round(2 * r * ratio)
        disc = QPixmap(side, side)
        disc.fill(Qt.GlobalColor.transparent)
        inner = QPainter(disc)
        inner.setRenderHint(QPainter.RenderHint.Antialiasing)
        inner.setPen(Qt.PenStyle.NoPen)
        inner.setBrush(colour)
        inner.drawEllipse(QRectF(0, 0, side, side))
        inner.end()
        if len(_CORNERS) >= CORNERS_KEPT:
            _CORNERS.clear()
        _CORNERS[key] = disc
    s = disc.width() / 2
    for cx, cy, sx, sy in ((x, y, 0, 0), (x + w - r, y, s, 0), (x, y + h - r, 0, s)):
        painter.drawPixmap(QRectF(cx, cy, r, r), disc, QRectF(sx, sy, s, s))
    painter.drawPixmap(QRectF(x + w - r, y + h - r, r, r), disc, QRectF(s, s, s, s))
    painter.fillRect(QRect(x + r, y, w - 2 * r, h), colour)
    painter.fillRect(QRect(x, y + r, r, h - 2 * r), colour)
    painter.fillRect(QRect(x + w - r, y + r, r, h - 2 * r), colour)


def paint_avatar(
    painter: QPainter, rect: QRectF, name: str, key: str, picture: QPixmap | None = None
) -> None:
    """A round avatar: the picture when the backend served one, else initials on a colour."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addEllipse(rect)
    if picture is not None and not picture.isNull():
        painter.setClipPath(path)
        painter.drawPixmap(rect.toRect(), picture)
    else:
        painter.fillPath(path, avatar_colour(key or name))
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(max(8, int(rect.height() * 0.38)))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.restore()


def paint_badge(painter: QPainter, rect: QRectF, text: str, colour: QColor) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    radius = rect.height() / 2
    painter.drawRoundedRect(rect, radius, radius)
    painter.setPen(QColor("white"))
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def badge_text(unread: int) -> str:
    """What the application icon's badge shows for `unread` messages ("" for none)."""
    if unread <= 0:
        return ""
    return "99+" if unread > 99 else str(unread)


def app_icon(unread: int = 0, size: int = 64) -> QIcon:
    """The application icon drawn with QPainter (crisp at any scale), with an unread badge."""
    icon = QIcon()
    for px in (16, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(_draw_icon(px, unread))
    return icon


def _draw_icon(size: int, unread: int) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(s * 0.06, s * 0.1, s * 0.82, s * 0.62), s * 0.18, s * 0.18)
    tail = QPainterPath()
    tail.moveTo(s * 0.22, s * 0.66)
    tail.lineTo(s * 0.16, s * 0.9)
    tail.lineTo(s * 0.44, s * 0.7)
    tail.closeSubpath()
    bubble = bubble.united(tail)
    painter.fillPath(bubble, QColor("#1a73e8"))
    pen = QPen(QColor("white"))
    pen.setWidthF(max(1.0, s * 0.07))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    for i, width in enumerate((0.5, 0.34)):
        y = s * (0.32 + i * 0.18)
        painter.drawLine(
            QRectF(s * 0.2, y, s * width, 0).topLeft(), QRectF(s * 0.2, y, s * width, 0).topRight()
        )
    text = badge_text(unread)
    if text:
        r = QRectF(s * 0.5, 0, s * 0.5, s * 0.42)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d93025"))
        painter.drawEllipse(r)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(6, int(s * (0.26 if len(text) == 1 else 0.2))))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pix
