"""Customer, agent and template text shown as plain text everywhere: labels, tooltips, menus,
buttons and desktop notifications.

Qt guesses "rich text" (`Qt.mightBeRichText`) for a QLabel left in AutoText, a tooltip, a
What's This and a freedesktop notification's body, and rich text loads what it names: a message
`<img src="file:///dev/zero">` made a tooltip read /dev/zero until the client aborted at 2.2 GB,
and `<h1 style=...>` or `<a href>` drew a fake banner with a link. So every place that can show
such text goes through this module: labels are made with `label()` (PlainText), tooltips are
escaped and wrapped by `tooltip()` (shown as rich text that says exactly the text), names put
inside a sentence are bidi-isolated by `isolate()` (a right-to-left override in a name cannot
turn the rest of the sentence around), menu and button captions are freed of mnemonics by
`caption()`, and notifications are made by `notification()` for the platform's renderer.
tests/unit/test_plain_text_rule.py fails when ui/ bypasses it.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QSize
from PySide6.QtGui import (
    QResizeEvent,
    QShowEvent,
    Qt,
)  # QtGui adds Qt.mightBeRichText to the namespace
from PySide6.QtWidgets import QLabel, QWidget

from agent_desktop.ui import theme

# A tooltip is a glimpse: the full text is in the conversation or the editor. A 100,000-character
# message would make a tooltip taller than the screen and slow to lay out on every hover.
TOOLTIP_CHARS = 600
# Desktop notifications are cut by every notification server anyway; the title is one line.
NOTIFICATION_TITLE_CHARS = 120
NOTIFICATION_BODY_CHARS = 300
# What a painted row shows of a text it elides: wider than any row.
ROW_CHARS = 300
# A name on a label, a button or in a menu (a label that does not wrap is as wide as its text).
NAME_CHARS = 120
# `html.escape(text, quote=False)`, without importing `html`, which loads `html.entities`: four
# tables of character names (~0.3 MB of Python objects) for `html.unescape`, never used here.
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

_ISOLATE_OPEN = "\u2066\u2067\u2068"  # LRI, RLI, FSI
_ISOLATE_CLOSE = "\u2069"  # PDI
# Bidi classes that can reorder what surrounds a text: right-to-left letters and digits, and the
# embedding, override and isolate controls.
_BIDI_SENSITIVE = frozenset(
    {"R", "AL", "AN", "RLE", "LRE", "RLO", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}
)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, with "…" when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str, limit: int) -> str:
    """`text` on one line (runs of white space made one space), at most `limit` characters, for
    a row that elides it: eliding lays out the whole string on every paint (a third of a second
    for 100,000 characters), so it is cut first."""
    words = text.split(None, limit)  # the last item is the unsplit rest when there are more
    return clip(" ".join(" ".join(words)[: limit + 1].split()), limit)


def label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A QLabel that never interprets its text: markup in it is shown as typed."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    widget.setText(text)
    return widget


def error_label(parent: QWidget, object_name: str) -> QLabel:
    """A dialog's error line: plain, wrapped, in the failure colour, hidden until it has a
    sentence to show."""
    widget = label(parent=parent, wrap=True)
    widget.setObjectName(object_name)
    widget.setStyleSheet(f"color: {theme.FAILED.name()};")
    widget.hide()
    return widget


class ElidedLabel(QLabel):
    """A one-line plain-text label that shows as much of its text as its width allows, ending
    in "…" (the whole text in its tooltip), instead of being clipped on a narrow window.
    `text()` is the whole text it was given; `shown_text()` what it shows."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self.setText(text)

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        m = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + m.left() + m.right() + 2
        return QSize(width, hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        fm = self.fontMetrics()
        least = min(fm.horizontalAdvance(self._full), fm.horizontalAdvance("MMMMM…"))
        m = self.contentsMargins()
        return QSize(least + m.left() + m.right() + 4, hint.height())  # a few letters at least

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(self.contentsRect().width() - 2, 0)
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        if not self.isVisible():  # not laid out yet: elided when shown
            shown = self._full
        super().setText(shown)
        self.setToolTip(tooltip(self._full) if shown != self._full else "")


def tooltip(text: str) -> str:
    """`text` as a tooltip that shows exactly that text (at most TOOLTIP_CHARS characters).

    Qt takes a tooltip for rich text whenever `Qt.mightBeRichText` says so, and a tooltip has no
    text format to set; so such text is escaped and wrapped in a paragraph: rich text that says
    literally what was typed, line breaks and runs of spaces kept, nothing loaded. Other text is
    shown as plain text by Qt and is returned as it is."""
    text = clip(text, TOOLTIP_CHARS)
    if not Qt.mightBeRichText(text):
        return text
    return f'<p style="white-space:pre-wrap">{escaped(text)}</p>'


def escaped(text: str) -> str:
    """`text` with `&`, `<` and `>` written as entities (the markup's own characters)."""
    return text.translate(_MARKUP)


def isolate(text: str) -> str:
    """`text` as a bidi isolate (FSI ... PDI), to be put inside a sentence, when it holds
    right-to-left letters or bidi controls (other text is returned as it is).

    A right-to-left override (U+202E) in a customer's name otherwise reverses the rest of the
    sentence it is put in ("%1 is waiting"), and an Arabic name moves the punctuation after it.
    Stray PDIs, which would close the isolate early, are dropped; the text shows the same."""
    # ASCII holds no right-to-left letter nor bidi control (and is what most rows show: this is
    # called on every row the thread list paints).
    if text.isascii() or not any(unicodedata.bidirectional(ch) in _BIDI_SENSITIVE for ch in text):
        return text
    depth = 0
    kept: list[str] = []
    for ch in text:
        if ch in _ISOLATE_OPEN:
            depth += 1
        elif ch == _ISOLATE_CLOSE:
            if depth == 0:
                continue
            depth -= 1
        kept.append(ch)
    return "\u2068" + "".join(kept) + "\u2069" * (depth + 1)


def names(items: list[str]) -> str:
    """Names for a sentence ("%1 is typing…"): each cut to NAME_CHARS and isolated."""
    return ", ".join(isolate(one_line(name, NAME_CHARS)) for name in items)


def caption(text: str) -> str:
    """Text for a menu action or a button: "&" shown as itself, not taken for a shortcut key, and
    no tab (a menu shows what follows a tab as the action's shortcut)."""
    return text.replace("&", "&&").replace("\t", " ")


def notification(title: str, body: str, *, markup: bool) -> tuple[str, str]:
    """The (title, body) to hand the tray for a notification: each on one line (renderers
    disagree on line breaks and runs of spaces), cut to a notification's size.

    `markup` says whether the platform renders the body as markup: on Linux desktops Qt sends it
    to the freedesktop notification server as is, and servers read the body as HTML-like markup
    (links, and images they load); the title (the "summary") is plain text there. Windows, macOS
    and Qt's own balloon show both as plain text."""
    title = clip(" ".join(title.split()), NOTIFICATION_TITLE_CHARS)
    body = clip(" ".join(body.split()), NOTIFICATION_BODY_CHARS)
    if markup:
        body = escaped(body)
    return title, body
