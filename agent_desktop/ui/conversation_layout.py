"""The geometry of a conversation row, computed by ui/conversation_delegate.py and kept for
painting: plain text laid out with QTextLayout (wrapping at words, or anywhere in a long word;
markup is shown, never interpreted), and the rectangles and texts of one row (`Layout`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QTextLayout, QTextOption

_WRAP = QTextOption()
_WRAP.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)


def text_block(text: str, font: QFont, width: float) -> tuple[QTextLayout, float]:
    """Lay plain text out in `width`, wrapping at words (or anywhere for long words)."""
    # QTextLayout breaks lines only at U+2028; a "\n" would glue the lines together.
    layout = QTextLayout(text.replace("\r\n", "\n").replace("\n", "\u2028"), font)
    layout.setTextOption(_WRAP)
    layout.beginLayout()
    height = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    return layout, height


def natural_width(layout: QTextLayout) -> float:
    return max(
        (layout.lineAt(i).naturalTextWidth() for i in range(layout.lineCount())), default=0.0
    )


@dataclass
class CardLine:
    text: str
    right: str = ""
    image: str | None = None
    bold: bool = False
    muted: bool = False


@dataclass
class Layout:
    height: float = 0
    day: str | None = None
    bubble: QRectF = field(default_factory=QRectF)
    fill: QColor | None = None
    header: str = ""
    text: QTextLayout | None = None
    text_pos: QPointF = field(default_factory=QPointF)
    images: list[tuple[QRectF, str]] = field(default_factory=list)
    card: list[tuple[QRectF, CardLine]] = field(default_factory=list)
    footer: str = ""
    footer_rect: QRectF = field(default_factory=QRectF)
    footer_colour: QColor | None = None
    retry: QRectF | None = None
    centered: bool = False
