"""theme.fill_rounded (a bubble's rounded background from four kept corners) paints exactly
what QPainter.drawRoundedRect paints."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

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
