"""theme.fill_rounded (a bubble's rounded background from four kept corners) paints exactly
what QPainter.drawRoundedRect paints."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette

from agent_desktop.ui import theme


def drawn(paint: Any, ratio: float) -> QImage:
    image = QImage(round(300 * ratio), round(120 * ratio), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(5, 7)  # as a delegate's painter, moved to its row
    paint(painter)
    painter.end()
    return image


def worst_difference(a: QImage, b: QImage) -> int:
    worst = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            worst = max(
                worst,
                abs(pa.red() - pb.red()),
                abs(pa.green() - pb.green()),
                abs(pa.blue() - pb.blue()),
            )
    return worst


@pytest.mark.parametrize("ratio", [1.0, 2.0, 1.5])
@pytest.mark.parametrize("colour", [QColor(236, 236, 236), QColor(40, 120, 220, 45)])
def test_fill_rounded_paints_a_rounded_rectangle(qapp: Any, ratio: float, colour: QColor) -> None:
    rect = QRectF(10, 4, 230, 90)

    def path(painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 12, 12)

    expected = drawn(path, ratio)
    assert (
        worst_difference(drawn(lambda p: theme.fill_rounded(p, rect, 12, colour), ratio), expected)
        == 0
    )
    # Too small for its corners: drawn as a path, the same.
    small = QRectF(10, 4, 20, 12)
    assert (
        worst_difference(
            drawn(lambda p: theme.fill_rounded(p, small, 12, colour), ratio),
            drawn(
                lambda p: (
                    p.setPen(Qt.PenStyle.NoPen),
                    p.setBrush(colour),
                    p.drawRoundedRect(small, 12, 12),
                ),
                ratio,
            ),
        )
        == 0
    )


@pytest.mark.parametrize("dark", [False, True])
def test_the_shops_bubble_is_its_translucent_tint_made_opaque(qapp: Any, dark: bool) -> None:
    """Filled without blending, it shows what the highlight at 45/255 (60/255 dark) over the
    conversation's base showed."""
    pal = QPalette()
    if dark:
        pal.setColor(QPalette.ColorRole.Base, QColor("#1e1f22"))
        pal.setColor(QPalette.ColorRole.Window, QColor("#2b2d30"))
        pal.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
        pal.setColor(QPalette.ColorRole.Highlight, QColor("#3d7be0"))
    colour = theme.bubble_colour(pal, customer=False)
    assert colour.alpha() == 255
    translucent = QColor(pal.color(QPalette.ColorRole.Highlight))
    translucent.setAlpha(60 if theme.is_dark(pal) else 45)
    image = QImage(2, 1, QImage.Format.Format_ARGB32)
    image.fill(pal.color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    painter.fillRect(0, 0, 1, 1, translucent)
    painter.fillRect(1, 0, 1, 1, colour)
    painter.end()
    a, b = image.pixelColor(0, 0), image.pixelColor(1, 0)
    assert max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) <= 1
