"""The composer's unfilled template variables: the spans of an inserted template that still show
the text the template put there, highlighted until the agent edits them (sending asks once)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from agent_desktop.ui import theme


class UnfilledSpans:
    """The variables of the templates inserted in `editor`, each a cursor over its span with the
    text inserted there and the variable's name."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        self._editor = editor
        self._spans: list[tuple[QTextCursor, str, str]] = []  # cursor over the span, original, name

    def add(self, start: int, text: str, spans: list[tuple[int, int, str]]) -> None:
        """`text` was inserted at `start`; `spans` are its variables, offsets within `text`."""
        for s, e, name in spans:
            c = QTextCursor(self._editor.document())
            c.setPosition(start + s)
            c.setPosition(start + e, QTextCursor.MoveMode.KeepAnchor)
            self._spans.append((c, text[s:e], name))
        self.highlight()

    def clear(self) -> None:
        self._spans.clear()

    def text_changed(self) -> None:
        """Forget the spans whose text was deleted whole; highlight the rest that still show the
        template's text."""
        self._spans = [(c, o, n) for c, o, n in self._spans if c.hasSelection()]
        self.highlight()

    def names(self) -> list[str]:
        """Variables whose span still shows the template text as inserted (not edited yet)."""
        return [
            name
            for cursor, original, name in self._spans
            if cursor.selectedText() == original and cursor.hasSelection()
        ]

    def highlight(self) -> None:
        sels = []
        fmt_ = QTextCharFormat()
        fmt_.setBackground(theme.HIGHLIGHT_UNFILLED)
        fmt_.setForeground(Qt.GlobalColor.black)
        for cursor, original, _ in self._spans:
            if cursor.hasSelection() and cursor.selectedText() == original:
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = fmt_
                sels.append(sel)
        self._editor.setExtraSelections(sels)
