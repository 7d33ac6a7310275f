"""The middle pane: the open thread's header (customer, who else is here, triage buttons), the
conversation list (older messages load at the top, keeping the scroll position) and the composer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui import fmt
from agent_desktop.ui.composer import ComposerPane
from agent_desktop.ui.conversation_delegate import ConversationDelegate
from agent_desktop.ui.conversation_scrollbar import ConversationScrollBar
from agent_desktop.ui.messenger_text import messenger_text
from agent_desktop.ui.plain_text import (
    NAME_CHARS,
    ElidedLabel,
    caption,
    isolate,
    label,
    names,
    one_line,
    tooltip,
)

if TYPE_CHECKING:
    from agent_desktop.core.messenger_types import MessengerState
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import Agent
    from agent_desktop.ui.conversation_model import ConversationModel

LAYOUT_BATCH = 200  # rows laid out per turn of the event loop (a page of older messages is 50)
# A new message below a conversation of up to this many rows is laid out in one pass, alone on
# screen (_append_below; ~4.6 µs a row, 4.6 ms at 1,000); a longer one in batches.
APPEND_ALONE_ROWS = 1000


class ConversationPane(QWidget):
    """Signals:
    loadOlderRequested()            scrolled to the top while older messages exist
    assignRequested(object)         agent id (str) or None to unassign
    statusRequested(str)            pending / resolved / spam / open
    resolveNextRequested()
    """

    loadOlderRequested = Signal()
    assignRequested = Signal(object)
    statusRequested = Signal(str)
    resolveNextRequested = Signal()

    def __init__(
        self,
        model: ConversationModel,
        parent: QWidget | None = None,
        pixmap_for: Callable[[str], QPixmap | None] | None = None,
        composer: ComposerPane | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conversationPane")
        self.model = model
        self._thread: ThreadRow | None = None
        self._header_shows: tuple[str, str, str] | None = None  # update_header's last inputs
        self._stick_to_bottom = True
        self._older_anchor: tuple[int, int] | None = None
        # Where to scroll once the rows above it are laid out (a page of older messages came in).
        self._pending_value: int | None = None
        self._appending = False  # rows added at the bottom are being laid out (_append_below)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)

        header = QFrame(self)
        header.setObjectName("conversationHeader")
        header.setFrameShape(QFrame.Shape.NoFrame)
        hbox = QHBoxLayout(header)
        hbox.setContentsMargins(10, 6, 8, 6)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title = ElidedLabel(parent=self)
        self.title.setObjectName("conversationTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        title_row.addWidget(self.title, 1)
        # "Resolved", "Pending", "Spam": a thread that is not open says so in its header.
        self.status_label = label(parent=self)
        self.status_label.setObjectName("threadStatusLabel")
        self.status_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        title_row.addWidget(self.status_label)
        titles.addLayout(title_row)
        self.presence = label(parent=self)
        self.presence.setObjectName("viewersLabel")
        self.presence.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        titles.addWidget(self.presence)
        hbox.addLayout(titles, 1)

        self.assign_button = QToolButton(self)
        self.assign_button.setObjectName("assignButton")
        self.assign_button.setText(self.tr("Assign"))
        self.assign_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.assign_menu = QMenu(self)
        self.assign_button.setMenu(self.assign_menu)
        hbox.addWidget(self.assign_button)
        self.pending_button = QPushButton(self.tr("Pending"), self)
        self.pending_button.setObjectName("pendingButton")
        self.pending_button.setToolTip(self.tr("Mark as waiting for the customer"))
        self.pending_button.clicked.connect(lambda: self.statusRequested.emit("pending"))
        hbox.addWidget(self.pending_button)
        self.resolve_button = QPushButton(self.tr("Resolve"), self)
        self.resolve_button.setObjectName("resolveButton")
        self.resolve_button.clicked.connect(self.on_resolve_button_clicked)
        hbox.addWidget(self.resolve_button)
        self.next_button = QPushButton(self.tr("Resolve and next"), self)
        self.next_button.setObjectName("resolveNextButton")
        self.next_button.setToolTip(
            self.tr("Resolve this conversation and open the next one (Ctrl+Shift+R)")
        )
        self.next_button.clicked.connect(self.resolveNextRequested)
        hbox.addWidget(self.next_button)
        self.more_button = QToolButton(self)
        self.more_button.setObjectName("moreButton")
        self.more_button.setText("⋯")
        self.more_button.setToolTip(self.tr("More actions"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self)
        # When the header is too narrow for its buttons (a small screen), they collapse into
        # this menu instead of being clipped: the same actions, shown only then.
        self.collapsed_actions: list[QAction] = []
        for button in (self.pending_button, self.resolve_button, self.next_button):
            action = QAction(button.text(), self)
            action.setToolTip(tooltip(button.toolTip()))
            action.triggered.connect(button.click)
            action.setVisible(False)
            more.addAction(action)
            self.collapsed_actions.append(action)
        self._collapse_separator = more.addSeparator()
        self._collapse_separator.setVisible(False)
        self.spam_action = QAction(self.tr("Mark as spam"), self)
        self.spam_action.triggered.connect(lambda: self.statusRequested.emit("spam"))
        more.addAction(self.spam_action)
        self.reopen_action = QAction(self.tr("Reopen"), self)
        self.reopen_action.triggered.connect(lambda: self.statusRequested.emit("open"))
        more.addAction(self.reopen_action)
        self.more_button.setMenu(more)
        hbox.addWidget(self.more_button)
        box.addWidget(header)
        self.header = header
        self._header_box = hbox
        self._collapsed = False
        # Messenger: the ad that brought the customer, and who answers the conversation when it
        # is not this app (Conversation Routing), on a line of its own under the header.
        self.messenger_line = label(parent=self, wrap=True)
        self.messenger_line.setObjectName("messengerLine")
        self.messenger_line.setContentsMargins(10, 0, 10, 4)
        self.messenger_line.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.messenger_line.hide()
        box.addWidget(self.messenger_line)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        box.addWidget(line)

        self.view = QListView(self)
        self.view.setObjectName("conversationView")
        self.view.setModel(model)
        self.delegate = ConversationDelegate(self.view, pixmap_for)
        self.view.setItemDelegate(self.delegate)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.scroll_bar = ConversationScrollBar()
        self.view.setVerticalScrollBar(self.scroll_bar)
        # Always shown: a scroll bar that comes and goes changes the width, and with it every
        # bubble's layout (measured twice on each open otherwise).
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        # Every insert makes QListView lay every row out again; in batches, a long conversation
        # (thousands of rows after scrolling back) is laid out a few hundred rows per turn of the
        # event loop instead of in one stall. The rows near the top come first, which is where a
        # page of older messages goes.
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(LAYOUT_BATCH)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setWordWrap(True)
        self.view.verticalScrollBar().setSingleStep(24)
        self.view.verticalScrollBar().valueChanged.connect(self.on_scroll_valueChanged)
        self.view.verticalScrollBar().rangeChanged.connect(self.on_scroll_rangeChanged)
        model.modelReset.connect(self.on_model_modelReset)
        model.rowsInserted.connect(self.on_model_rowsInserted)
        box.addWidget(self.view, 1)

        self.empty = label(self.tr("Select a conversation in the list."), self)
        self.empty.setObjectName("conversationEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        box.addWidget(self.empty, 1)

        self.composer = composer or ComposerPane(self)
        box.addWidget(self.composer)
        self.set_thread(None)

    # --- header
    def set_thread(self, thread: ThreadRow | None) -> None:
        self._thread = thread
        self._header_shows = None  # the buttons are shown again below: the header is fitted anew
        has = thread is not None
        for w in (
            self.assign_button,
            self.pending_button,
            self.resolve_button,
            self.next_button,
            self.more_button,
            self.view,
        ):
            w.setVisible(has)
        self.empty.setVisible(not has)
        self.composer.setVisible(has)
        self.title.setText(one_line(thread.customer_name, NAME_CHARS) if thread else "")
        if not has:
            self.presence.setText("")
            self.status_label.setVisible(False)
        self.update_header(thread)

    def update_header(self, thread: ThreadRow | None, assignee_name: str = "") -> None:
        if thread is None:
            return
        self._thread = thread
        # What the header shows depends on these alone; the open thread changes far more often
        # (each message in it, each read mark: its last message, unread count, times), and each
        # update set every label, tooltip and button again and measured them (fit_header).
        shows = (thread.customer_name, thread.status, assignee_name)
        if shows == self._header_shows:
            return
        self._header_shows = shows
        self.title.setText(one_line(thread.customer_name, NAME_CHARS))
        status = {
            "open": self.tr("Open"),
            "pending": self.tr("Pending"),
            "resolved": self.tr("Resolved"),
            "spam": self.tr("Spam"),
        }[thread.status]
        who = one_line(assignee_name, NAME_CHARS) or self.tr("Unassigned")
        self.assign_button.setText(caption(who))
        self.assign_button.setToolTip(
            tooltip(self.tr("Assigned to %1; click to change").replace("%1", isolate(who)))
        )
        self.resolve_button.setEnabled(thread.status != "resolved")
        self.pending_button.setEnabled(thread.status not in ("pending", "resolved"))
        self.reopen_action.setEnabled(thread.status != "open")
        for action, button in zip(
            self.collapsed_actions,
            (self.pending_button, self.resolve_button, self.next_button),
            strict=True,
        ):
            action.setEnabled(button.isEnabled())
        self.status_label.setText(status if thread.status != "open" else "")
        self.status_label.setVisible(thread.status != "open")
        self.fit_header()

    def fit_header(self) -> None:
        """Show Pending, Resolve and "Resolve and next" in the header when they fit beside the
        customer's name, else move them into the ⋯ menu (never clipped)."""
        if self._thread is None:
            return
        buttons = (self.pending_button, self.resolve_button, self.next_button)
        margins = self.header.contentsMargins()
        spacing = max(self._header_box.spacing(), 6)
        fixed = self.assign_button.sizeHint().width() + self.more_button.sizeHint().width()
        wanted = sum(b.sizeHint().width() for b in buttons) + spacing * 5
        title = min(self.title.sizeHint().width(), 200) + (
            self.status_label.sizeHint().width() + 8 if self.status_label.isVisibleTo(self) else 0
        )
        available = self.header.width() - margins.left() - margins.right() - fixed - title
        collapse = available < wanted
        self._collapsed = collapse
        for button, action in zip(buttons, self.collapsed_actions, strict=True):
            button.setVisible(not collapse)
            action.setVisible(collapse)
        self._collapse_separator.setVisible(collapse)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_header()

    def on_messenger_stateChanged(self, state: MessengerState | None) -> None:
        """Show the Click-to-Messenger ad that started the conversation, and who owns it when
        another app or the Page inbox does."""
        thread_id = self._thread.id if self._thread is not None else None
        parts: list[str] = []
        tip: list[str] = []
        if state is not None and state.thread_id == thread_id:
            text = messenger_text()
            referral = state.referral
            if referral is not None and referral.is_ad:
                title = one_line(referral.ad_title or "", NAME_CHARS)
                parts.append(text.referral(isolate(title) if title else None))
                if state.standard_window_until is not None:
                    tip.append(
                        self.tr("The ad opened a standard window until %1.").replace(
                            "%1", fmt.weekday_time(state.standard_window_until)
                        )
                    )
            if state.owner.kind != "us":
                parts.append(self.tr("Handled by %1").replace("%1", text.owner(state.owner)))
        self.messenger_line.setText(" · ".join(parts))
        self.messenger_line.setToolTip(tooltip(" ".join(tip)))
        self.messenger_line.setVisible(bool(parts))

    def set_agents(self, agents: list[Agent], me: Agent | None) -> None:
        """The assign menu: to me, to a colleague (leads only: an agent may not assign someone
        else, the server refuses it), unassign."""
        self.assign_menu.clear()
        if me is not None and me.role != "lead":
            agents = []
        if me is not None:
            act = self.assign_menu.addAction(self.tr("Assign to me"))
            act.setObjectName("assignToMe")
            act.triggered.connect(lambda: self.assignRequested.emit(me.id))
            self.assign_menu.addSeparator()
        for agent in sorted(agents, key=lambda a: a.name):
            if me is not None and agent.id == me.id:
                continue
            presence = {
                "online": self.tr("online"),
                "away": self.tr("away"),
                "offline": self.tr("offline"),
            }[agent.presence]
            act = self.assign_menu.addAction(
                caption(
                    self.tr("%1 (%2)")
                    .replace("%1", isolate(one_line(agent.name, NAME_CHARS)))
                    .replace("%2", presence)
                )
            )
            act.triggered.connect(lambda _=False, aid=agent.id: self.assignRequested.emit(aid))
        self.assign_menu.addSeparator()
        act = self.assign_menu.addAction(self.tr("Unassign"))
        act.triggered.connect(lambda: self.assignRequested.emit(None))

    def set_presence_text(self, viewers: list[str], typing: list[str]) -> None:
        parts = []
        if typing:
            parts.append(self.tr("%1 is typing…").replace("%1", names(typing)))
        others = [v for v in viewers if v not in typing]
        if others:
            parts.append(self.tr("%1 also viewing").replace("%1", names(others)))
        self.presence.setText(" · ".join(parts))

    def on_resolve_button_clicked(self) -> None:
        self.statusRequested.emit("resolved")

    # --- scrolling
    def at_bottom(self) -> bool:
        bar = self.view.verticalScrollBar()
        return bar.value() >= bar.maximum() - 8

    def scroll_to_bottom(self) -> None:
        self.view.scrollToBottom()
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())

    def on_model_modelReset(self) -> None:
        self._stick_to_bottom = True
        self._older_anchor = None
        self._pending_value = None
        self.view.doItemsLayout()
        self.scroll_to_bottom()

    def on_model_rowsInserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if first == 0 and self.model.rowCount() > last + 1 and self._older_anchor is not None:
            _old_max, old_value = self._older_anchor
            self._older_anchor = None
            # The rows shown before move down by the new rows' height. The view lays its rows
            # out again in batches from the top, so the scroll position is set once the
            # scroll range reaches it (on_scroll_rangeChanged).
            added = sum(
                self.view.sizeHintForIndex(self.model.index(row)).height()
                for row in range(first, last + 1)
            )
            self._pending_value = old_value + added
            self.view.doItemsLayout()
            self._apply_pending_value()
            return
        if self._stick_to_bottom:
            rows = self.model.rowCount()
            if last == rows - 1 and rows <= APPEND_ALONE_ROWS:
                self._append_below(first, last)
                return
            self.view.doItemsLayout()
            self.scroll_to_bottom()

    def _append_below(self, first: int, last: int) -> None:
        """Rows added after the last one while the view shows the bottom (a new message). The
        rows above keep their place in the content (a row depends on itself and the row before
        it), but QListView repaints its whole viewport after laying its rows out: every bubble
        shown, for each new message. The layout is done with the viewport's updates off (its
        rows all laid out at once: no batch left to repaint later); then the view scrolls the
        pixels it shows up (an opaque viewport copies them) and paints the new rows alone."""
        viewport = self.view.viewport()
        viewport.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, True)
        self._appending = True  # scrolled after, once the viewport can copy its pixels
        self.view.setBatchSize(max(LAYOUT_BATCH, self.model.rowCount()))  # in one pass
        # The range grows, then the value follows it: the scroll bar is repainted once, after,
        # and only if its handle moved (it mostly does not past ~100 messages).
        with self.scroll_bar.held():
            try:
                self.view.doItemsLayout()
            finally:
                self.view.setBatchSize(LAYOUT_BATCH)
                self._appending = False
                viewport.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, False)
            self.scroll_to_bottom()
        for row in range(first, last + 1):
            self.view.update(self.model.index(row))

    def on_scroll_rangeChanged(self, minimum: int, maximum: int) -> None:
        if self._appending:
            return
        if self._pending_value is not None:
            self._apply_pending_value()
        elif self._stick_to_bottom and self._older_anchor is None:
            self.view.verticalScrollBar().setValue(maximum)

    def _apply_pending_value(self) -> None:
        bar = self.view.verticalScrollBar()
        if self._pending_value is not None and bar.maximum() >= self._pending_value:
            value, self._pending_value = self._pending_value, None
            bar.setValue(value)

    def on_scroll_valueChanged(self, value: int) -> None:
        bar = self.view.verticalScrollBar()
        self._stick_to_bottom = value >= bar.maximum() - 8
        if value <= bar.minimum() and bar.maximum() > 0:
            self.request_older()

    def request_older(self) -> None:
        source = self.model.source()
        if (
            source is None
            or not source.has_more
            or source.loading
            or self._older_anchor is not None
            or self._pending_value is not None
        ):
            return
        bar = self.view.verticalScrollBar()
        self._older_anchor = (bar.maximum(), bar.value())
        self.loadOlderRequested.emit()

    def older_done(self, added: int) -> None:
        if added == 0:
            self._older_anchor = None
