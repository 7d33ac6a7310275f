"""A table header whose titles take up to two lines ("Replies / today", "Médiane, / 7 jours"),
so that columns sized to their contents stay narrow on a 1024-pixel screen in any language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyleOptionHeader, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QFontMetrics


def two_lines(text: str, metrics: QFontMetrics) -> list[str]:
    """`text` split at the space that makes its longer line shortest (one line when no space)."""
    words = text.split(" ")
    if len(words) < 2:
        return [text]
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    best = min(
        splits, key=lambda s: max(metrics.horizontalAdvance(s[0]), metrics.horizontalAdvance(s[1]))
    )
    return list(best)


class TwoLineHeader(QHeaderView):
    """A horizontal header that wraps each title on two lines and sizes its sections (and its
    height) for that: with ResizeToContents a column is as wide as its longer title line or its
    widest cell, whichever is more."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

    def shown(self, text: str) -> str:
        """The title as painted: its two lines."""
        return "\n".join(two_lines(text, self.fontMetrics()))

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logical_index: int) -> None:
        super().initStyleOptionForIndex(option, logical_index)
        option.text = self.shown(option.text)

    def title(self, logical_index: int) -> str:
        model = self.model()
        if model is None:
            return ""
        value = model.headerData(logical_index, self.orientation(), Qt.ItemDataRole.DisplayRole)
        return str(value) if value else ""

    def sectionSizeFromContents(self, logical_index: int) -> QSize:
        size = super().sectionSizeFromContents(logical_index)
        text = self.title(logical_index)
        if not text:
            return size
        metrics = self.fontMetrics()
        lines = two_lines(text, metrics)
        one = metrics.horizontalAdvance(text)
        two = max(metrics.horizontalAdvance(line) for line in lines)
        height = size.height() + metrics.lineSpacing()  # every section: one header height
        return QSize(size.width() - (one - two), height)
