"""The window's shortcuts, by what they do: the one place their key sequences are written. The
interface names them in the platform's own words (`native`: "Ctrl+Maj+N" in French, "⇧⌘N" on
macOS) through Qt's translations.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

KEYS = {
    "next": "Alt+Down",
    "previous": "Alt+Up",
    "note": "Ctrl+Shift+N",
    "resolve_next": "Ctrl+Shift+R",
    "search": "Ctrl+F",
    "quick_replies": "Ctrl+K",
    "mine": "Ctrl+1",
    "unassigned": "Ctrl+2",
    "all": "Ctrl+3",
    "send": "Return",
    "new_line": "Shift+Return",
    "send_ctrl": "Ctrl+Return",
    "send_next": "Ctrl+Return",
    "send_next_always": "Ctrl+Shift+Return",
    "insert_suggestion": "Tab",
    "back_to_list": "Esc",
    "sheet": "F1",
}


def native(*names: str) -> str:
    """The keys `names` as the platform writes them, joined by " / "."""
    return " / ".join(
        QKeySequence(KEYS.get(name, name)).toString(QKeySequence.SequenceFormat.NativeText)
        for name in names
    )
