"""What the Messenger template dialogs share: a table model over a list of items, the look of their
tables, the purpose choice (receipt or shipping update) and the rule for a template's name (Meta's:
lower case, digits, underscores).
"""

from __future__ import annotations

import re
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView, QWidget

from agent_desktop.ui.messenger_text import messenger_text

PURPOSES = ("receipt", "shipping_update")
NAME_RE = re.compile(r"^[a-z0-9_]{1,512}$")

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


class ItemsModel(QAbstractTableModel, Generic[T]):
    """A flat table of `items`, COLUMNS wide, replaced whole by set_items; subclasses give
    headerData and data."""

    COLUMNS = 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[T] = []

    def set_items(self, items: list[T]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS


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
