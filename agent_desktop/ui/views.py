"""The main window's views, one tab each: the agent's workspace (thread list, conversation,
purchase history), the dashboard (a team lead's Dashboard, an agent's My numbers) and a lead's
Team page. The tab bar shows only when there is more than one view.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget


class Views(QTabWidget):
    """Named tabs. Signals: the QTabWidget ones (currentChanged(int))."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("views")
        self.setDocumentMode(True)
        self.tabBar().hide()
        self._names: list[str] = []

    def add_view(self, name: str, widget: QWidget, title: str) -> None:
        self.addTab(widget, title)
        self._names.append(name)
        self.tabBar().setVisible(self.count() > 1)

    def remove_view(self, name: str) -> None:
        """Take the view `name` out (its widget is the caller's to delete)."""
        if name in self._names:
            i = self._names.index(name)
            self.removeTab(i)
            del self._names[i]
            self.tabBar().setVisible(self.count() > 1)

    def replace_view(self, name: str, widget: QWidget, title: str) -> None:
        """Put `widget` in place of the view `name` (the same tab, still current if it was)."""
        i = self._names.index(name)
        current = self.currentIndex()
        old = self.widget(i)
        blocked = self.blockSignals(True)
        try:
            self.insertTab(i, widget, title)
            self.removeTab(i + 1)
            self.setCurrentIndex(current)
        finally:
            self.blockSignals(blocked)
        if old is not None:
            old.deleteLater()

    def set_title(self, name: str, title: str) -> None:
        self.setTabText(self._names.index(name), title)

    def has_view(self, name: str) -> bool:
        return name in self._names

    def show_view(self, name: str) -> None:
        if name in self._names:
            self.setCurrentIndex(self._names.index(name))

    def name_at(self, index: int) -> str | None:
        return self._names[index] if 0 <= index < len(self._names) else None
