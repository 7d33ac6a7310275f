"""What the Messenger template dialogs share: the look of their tables, the purpose choice (receipt
or shipping update) and the rule for a template's name (Meta's: lower case, digits, underscores).
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView, QWidget

from agent_desktop.ui.messenger_text import messenger_text

PURPOSES = ("receipt", "shipping_update")
NAME_RE = re.compile(r"^[a-z0-9_]{1,512}$")


def table_look(view: QTableView) -> None:
    """Whole rows, one at a time, read-only, columns sized to their contents."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)


def purpose_combo(parent: QWidget) -> QComboBox:
    """A choice of the template's purpose, each shown in the user's language."""
    combo = QComboBox(parent)
    for purpose in PURPOSES:
        combo.addItem(messenger_text().purpose(purpose), purpose)
    return combo
