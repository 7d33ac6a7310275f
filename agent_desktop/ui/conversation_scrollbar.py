"""The conversation's vertical scroll bar: a new message repaints it only when its look changes.

A new message at the bottom of the open conversation grows the scroll range, then moves the value
to the new maximum; QScrollBar repaints itself on each change (and, not being opaque, the strip
behind it in each of its eight ancestors), though past ~100 messages the handle mostly keeps its
pixels: its length is the viewport's share of the content, and one message more changes it by
less than a pixel.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractSlider, QScrollBar, QStyle, QStyleOptionSlider

if TYPE_CHECKING:
    from collections.abc import Iterator

_GEOMETRY = (
    QAbstractSlider.SliderChange.SliderRangeChange,
    QAbstractSlider.SliderChange.SliderValueChange,
)
_BAR = QStyle.ComplexControl.CC_ScrollBar
_SLIDER = QStyle.SubControl.SC_ScrollBarSlider
_TRANSIENT = QStyle.StyleHint.SH_ScrollBar_Transient


class ConversationScrollBar(QScrollBar):
    """A scroll bar that can take range and value changes `held()`: repainted once after them,
    and only when its look differs from the one at the end of the last `held()` (the handle's
    rectangle, whether it is at either end, where a style may grey an arrow, and its state and
    active part). What the style draws depends on the range and value only through those, so
    the pixels are the ones a repaint would give (`tests/ui/test_conversation_view.py` compares
    them). Any other change of the range, value or steps repaints it as a plain QScrollBar does
    and forgets that look; a change of its state or size repaints it through Qt anyway."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[object, ...] | None = None  # the look after the last held(), if kept
        self._held = False

    def look(self) -> tuple[object, ...]:
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        handle = self.style().subControlRect(_BAR, opt, _SLIDER, self)
        value = opt.sliderValue
        return (
            handle.getRect(),
            value <= opt.minimum,
            value >= opt.maximum,
            opt.state.value,
            opt.activeSubControls.value,
        )

    @contextmanager
    def held(self) -> Iterator[None]:
        """Range and value changes inside repaint the bar once, after, if its look changed (a
        style whose scroll bars fade in on a change is left to do so)."""
        if self._held or self.style().styleHint(_TRANSIENT, None, self):
            yield
            return
        self._held = True
        try:
            yield
        finally:
            self._held = False
            look = self.look()
            if look != self._shown:
                self._shown = look
                self.update()

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        if self._held and change in _GEOMETRY:
            return  # decided once the changes are done (held)
        self._shown = None
        super().sliderChange(change)
