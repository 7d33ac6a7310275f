"""A painted gauge for one big number against its badge threshold: an arc filled to the value, a
tick at the threshold, the value in the middle, green when the badge condition holds, red when not.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from agent_desktop.ui.plain_text import tooltip

GOOD = QColor("#2e9d4f")
BAD = QColor("#d93025")
NEUTRAL = QColor("#8a8f98")
START_ANGLE = 210.0  # degrees, counter-clockwise from three o'clock
SPAN = 240.0


class Gauge(QWidget):
    """A value between 0 and `maximum` on a 240° arc, with the threshold marked.

    `higher_is_better` says on which side of the threshold the badge holds (rate: higher; median
    response time: lower). `set_value(None, text)` shows a grey, empty gauge.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.value: float | None = None
        self.maximum = 1.0
        self.threshold = 0.9
        self.higher_is_better = True
        self.text = "–"
        self.caption = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(150, 130)

    def sizeHint(self) -> QSize:
        return QSize(200, 170)

    def set_scale(self, maximum: float, threshold: float, *, higher_is_better: bool) -> None:
        self.maximum = max(maximum, 1e-9)
        self.threshold = threshold
        self.higher_is_better = higher_is_better
        self.update()

    def set_value(self, value: float | None, text: str, caption: str = "") -> None:
        self.value = value
        self.text = text
        self.caption = caption
        self.setToolTip(tooltip(f"{self.title}: {text}" + (f"\n{caption}" if caption else "")))
        self.update()

    def good(self) -> bool | None:
        """Whether the value meets the badge condition (None without a value)."""
        if self.value is None:
            return None
        if self.higher_is_better:
            return self.value >= self.threshold
        return self.value < self.threshold

    def colour(self) -> QColor:
        good = self.good()
        return NEUTRAL if good is None else (GOOD if good else BAD)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text_colour = pal.color(QPalette.ColorRole.WindowText)
        w, h = self.width(), self.height()
        title_font = QFont(self.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(text_colour)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        title_rect = p.fontMetrics().boundingRect(0, 0, max(40, w - 4), h, int(flags), self.title)
        title_h = title_rect.height()
        p.drawText(QRectF(2, 0, w - 4, title_h), int(flags), self.title)
        caption_h = p.fontMetrics().height() if self.caption else 0
        side = max(40.0, min(w - 16.0, (h - title_h - caption_h - 8) * 1.25))
        thickness = max(6.0, side * 0.09)
        rect = QRectF((w - side) / 2, title_h + 6 + thickness / 2, side, side)
        rect.adjust(thickness / 2, 0, -thickness / 2, -thickness)

        track = QColor(text_colour)
        track.setAlpha(40)
        pen = QPen(track, thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        p.setPen(pen)
        p.drawArc(rect, int(START_ANGLE * 16), int(-SPAN * 16))
        if self.value is not None:
            share = min(1.0, max(0.0, self.value / self.maximum))
            pen.setColor(self.colour())
            p.setPen(pen)
            p.drawArc(rect, int(START_ANGLE * 16), int(-SPAN * share * 16))
        # The threshold tick.
        t = min(1.0, max(0.0, self.threshold / self.maximum))
        p.save()
        p.translate(rect.center())
        p.rotate(-(START_ANGLE - SPAN * t))
        tick_pen = QPen(text_colour, 2)
        p.setPen(tick_pen)
        r = rect.width() / 2
        p.drawLine(int(r - thickness * 0.6), 0, int(r + thickness * 0.9), 0)
        p.restore()

        value_font = QFont(self.font())
        value_font.setBold(True)
        value_font.setPixelSize(max(12, int(rect.height() * 0.22)))
        p.setFont(value_font)
        # Keep the number inside the ring (clear of the threshold tick).
        room = rect.width() - 4.0 * thickness
        wide = p.fontMetrics().horizontalAdvance(self.text)
        if wide > room > 0:
            value_font.setPixelSize(max(10, int(value_font.pixelSize() * room / wide)))
            p.setFont(value_font)
        p.setPen(self.colour() if self.value is not None else text_colour)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)
        if self.caption:
            p.setFont(self.font())
            p.setPen(text_colour)
            p.drawText(
                QRectF(0, h - caption_h - 2, w, caption_h),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                self.caption,
            )
        p.end()
