"""A thread row's geometry, fonts and measured text widths, made once per font: the row delegate
(ui/thread_delegate.py) paints with them and measures nothing it has measured before."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

PAD = 8
AVATAR = 40
# Badge texts whose width is kept (timers "4:05", "+1:02:03"; counts): a few hours of seconds.
TIMER_TEXTS_KEPT = 4096
# `ascii_w` before `measure_ascii`: no preview fits, every one is elided.
UNMEASURED = 10_000


class RowFonts:
    """The row's fonts and their metrics, made once per font (not on every paint)."""

    __slots__ = (
        "_widths",
        "ascii_w",
        "base",
        "bfm",
        "bold",
        "fm",
        "initials",
        "key",
        "line_h",
        "row_h",
        "sfm",
        "small",
    )

    def __init__(self, font: QFont) -> None:
        self.key = font.key()
        self.base = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.small = QFont(font)
        self.small.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        self.initials = QFont(self.bold)
        self.initials.setPixelSize(max(8, int(AVATAR * 0.38)))
        self.fm = QFontMetrics(self.base)
        self.bfm = QFontMetrics(self.bold)
        self.sfm = QFontMetrics(self.small)
        self.line_h = self.fm.height()
        # An ASCII preview fitting at this a letter is not elided; set at the first live change.
        self.ascii_w = UNMEASURED
        self.row_h = max(AVATAR, self.line_h * 3 + 6) + 2 * PAD
        self._widths: dict[str, int] = {}

    def measure_ascii(self) -> None:
        """Measure `ascii_w`, the widest printable ASCII letter with 2 px for rounding and
        kerning, once (~1 ms): at the first live change, not on the start path."""
        if self.ascii_w == UNMEASURED:
            self.ascii_w = max(self.fm.horizontalAdvance(chr(c)) for c in range(32, 127)) + 2

    def badge_width(self, text: str, pad: int = 14, least: int = 0) -> int:
        """A badge's width for `text`, kept (timers' and counts' texts come back; a count has no colon)."""
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) >= TIMER_TEXTS_KEPT:
                self._widths.clear()
            width = self._widths[text] = max(least, self.bfm.horizontalAdvance(text) + pad)
        return width
