"""Quick replies: the template list model, its filter, and the popup the composer opens with "/"
or Ctrl+K (type to filter by shortcut and words, arrows to move, Enter to insert).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui import theme
from agent_desktop.ui.plain_text import ROW_CHARS, isolate, label, one_line, tooltip

if TYPE_CHECKING:
    from agent_desktop.core.types import Template

SHORTCUT_CHARS = 40

Index = QModelIndex | QPersistentModelIndex


class TemplateRole(IntEnum):
    Template = Qt.ItemDataRole.UserRole + 40
    Shortcut = Qt.ItemDataRole.UserRole + 41


def _template(index: Index) -> Template | None:
    """The template a row of the list holds (the API model, imported with pydantic only once a
    template is there to show)."""
    from agent_desktop.core.types import Template

    t = index.data(TemplateRole.Template)
    return t if isinstance(t, Template) else None


class TemplateListModel(QAbstractListModel):
    """The quick-reply templates, by shortcut. Signals: the standard model ones."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[Template] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        t = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"/{t.shortcut}  {t.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(t.body)
        if role == TemplateRole.Template:
            return t
        if role == TemplateRole.Shortcut:
            return t.shortcut
        return None

    def set_templates(self, templates: Iterable[Template]) -> None:
        self.beginResetModel()
        self._items = sorted(templates, key=lambda t: (t.shortcut.casefold(), t.id))
        self.endResetModel()

    def templates(self) -> list[Template]:
        return list(self._items)

    def template_at(self, row: int) -> Template | None:
        return self._items[row] if 0 <= row < len(self._items) else None


def template_matches(t: Template, query: str) -> tuple[bool, int]:
    """Whether `t` matches the query, and a rank (shortcut prefix first, then words)."""
    q = query.strip().lstrip("/").casefold()
    if not q:
        return True, 1
    shortcut = t.shortcut.casefold()
    if shortcut.startswith(q):
        return True, 0
    hay = f"{shortcut} {t.title} {t.body}".casefold()
    if all(w in hay for w in q.split()):
        return True, 1
    return False, 2


class TemplateFilterProxy(QSortFilterProxyModel):
    """Filters templates by shortcut and words; shortcut matches come first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._query = ""
        self.sort(0)

    def set_query(self, query: str) -> None:
        self._query = query
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        t = _template(self.sourceModel().index(source_row, 0, source_parent))
        return t is not None and template_matches(t, self._query)[0]

    def lessThan(self, left: Index, right: Index) -> bool:
        a = _template(left)
        b = _template(right)
        if a is None or b is None:
            return False
        ka = (template_matches(a, self._query)[1], a.shortcut.casefold())
        kb = (template_matches(b, self._query)[1], b.shortcut.casefold())
        return ka < kb


class TemplateDelegate(QStyledItemDelegate):
    """Two lines: "/shortcut  Title", then the body on one elided line."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(300, fm.height() * 2 + 12)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        t = _template(index)
        if t is None:
            return
        painter.save()
        widget = option.widget
        if widget is not None:
            widget.style().drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget
            )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        colour = pal.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        rect: QRect = option.rect.adjusted(8, 5, -8, -5)
        fm = QFontMetrics(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(colour)
        shortcut = "/" + one_line(t.shortcut, SHORTCUT_CHARS)
        sw = QFontMetrics(bold).horizontalAdvance(shortcut) + 10
        painter.drawText(QRect(rect.left(), rect.top(), sw, fm.height()), 0, shortcut)
        painter.setFont(option.font)
        scope = self.tr("team") if t.scope == "team" else self.tr("personal")
        title = fm.elidedText(
            f"{isolate(one_line(t.title, ROW_CHARS))} ({scope})",
            Qt.TextElideMode.ElideRight,
            rect.width() - sw,
        )
        painter.drawText(
            QRect(rect.left() + sw, rect.top(), rect.width() - sw, fm.height()), 0, title
        )
        painter.setPen(colour if selected else theme.muted(pal))
        body = fm.elidedText(one_line(t.body, ROW_CHARS), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            QRect(rect.left(), rect.top() + fm.height() + 2, rect.width(), fm.height()), 0, body
        )
        painter.restore()


class QuickReplyPopup(QFrame):
    """A floating list of templates under a filter field.

    Signals: chosen(Template) when the agent presses Enter or clicks one; dismissed() on Esc.
    """

    chosen = Signal(object)
    dismissed = Signal()

    def __init__(self, model: TemplateListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("quickReplyPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.proxy = TemplateFilterProxy(self)
        self.proxy.setSourceModel(model)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("quickReplyFilter")
        self.filter.setPlaceholderText(self.tr("Search quick replies by shortcut or words"))
        self.filter.setClearButtonEnabled(True)
        self.filter.installEventFilter(self)
        box.addWidget(self.filter)
        self.list = QListView(self)
        self.list.setObjectName("quickReplyList")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(TemplateDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.clicked.connect(self.on_list_clicked)
        box.addWidget(self.list)
        self.empty = label(self.tr("No quick reply matches."), self)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty.hide()
        box.addWidget(self.empty)
        self.filter.textChanged.connect(self.on_filter_textChanged)
        self.resize(460, 300)

    def popup(self, anchor: QWidget, query: str = "") -> None:
        self.filter.setText(query)
        self.on_filter_textChanged(query)
        pos = anchor.mapToGlobal(anchor.rect().topLeft())
        width = max(380, min(560, anchor.width()))
        self.resize(width, 300)
        self.move(pos.x(), max(0, pos.y() - self.height() - 4))
        self.show()
        self.raise_()
        self.filter.setFocus()

    def on_filter_textChanged(self, text: str) -> None:
        self.proxy.set_query(text)
        has = self.proxy.rowCount() > 0
        self.empty.setVisible(not has)
        if has:
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def on_list_clicked(self, index: QModelIndex) -> None:
        self._choose(index)

    def current(self) -> Template | None:
        return _template(self.list.currentIndex())

    def _choose(self, index: QModelIndex) -> None:
        t = _template(index)
        if t is not None:
            self.hide()
            self.chosen.emit(t)

    def _move(self, delta: int) -> None:
        rows = self.proxy.rowCount()
        if rows == 0:
            return
        row = (self.list.currentIndex().row() + delta) % rows
        self.list.setCurrentIndex(self.proxy.index(row, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.filter
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            key = event.key()
            if key == Qt.Key.Key_Down:
                self._move(1)
                return True
            if key == Qt.Key.Key_Up:
                self._move(-1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose(self.list.currentIndex())
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                self.dismissed.emit()
                return True
        return super().eventFilter(watched, event)
