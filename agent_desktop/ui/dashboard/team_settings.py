"""The lead's team settings dialog: the response target and the away schedule (periods when the
team is away, which pause the response clock, SPEC §2). Saving is the caller's job: the dialog
emits the new `TeamSettings`, stays open while it is saved, and shows the server's refusal if any.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.core.types import AwayPeriod, TeamSettings
from agent_desktop.ui import fmt, plain_text


def _qdt(dt: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(dt.timestamp()), QTimeZone.systemTimeZone())


def _py(qdt: QDateTime) -> datetime:
    return datetime.fromtimestamp(qdt.toSecsSinceEpoch(), UTC)


class TeamSettingsDialog(QDialog):
    """Signals: saveRequested(object) with the new TeamSettings (other fields kept as they were)."""

    saveRequested = Signal(object)

    def __init__(
        self, settings: TeamSettings, parent: QWidget | None = None, *, now: datetime | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teamSettingsDialog")
        self.setWindowTitle(self.tr("Team settings"))
        self.original = settings
        self.away: list[AwayPeriod] = sorted(settings.away, key=lambda p: p.start)
        start = (now or datetime.now(UTC)).replace(second=0, microsecond=0)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        target = QWidget(self)
        row = QHBoxLayout(target)
        row.setContentsMargins(0, 0, 0, 0)
        self.minutes = QSpinBox(target)
        self.minutes.setObjectName("targetMinutes")
        self.minutes.setRange(0, 1440)
        self.minutes.setSuffix(self.tr(" min"))
        self.seconds = QSpinBox(target)
        self.seconds.setObjectName("targetSeconds")
        self.seconds.setRange(0, 59)
        self.seconds.setSuffix(self.tr(" s"))
        self.minutes.setValue(settings.target_seconds // 60)
        self.seconds.setValue(settings.target_seconds % 60)
        row.addWidget(self.minutes)
        row.addWidget(self.seconds)
        row.addStretch(1)
        form.addRow(self.tr("Response target"), target)
        self.window_days = QSpinBox(self)
        self.window_days.setObjectName("windowDays")
        self.window_days.setRange(1, 90)
        self.window_days.setSuffix(self.tr(" days"))
        self.window_days.setValue(settings.window_days)
        form.addRow(self.tr("Rolling window"), self.window_days)
        layout.addLayout(form)

        layout.addWidget(
            plain_text.label(self.tr("Away periods (the response clock is paused)"), self)
        )
        self.list = QListWidget(self)
        self.list.setObjectName("awayList")
        layout.addWidget(self.list)
        adder = QHBoxLayout()
        self.start_edit = QDateTimeEdit(_qdt(start), self)
        self.start_edit.setObjectName("awayStart")
        self.start_edit.setCalendarPopup(True)
        self.end_edit = QDateTimeEdit(_qdt(start + timedelta(hours=12)), self)
        self.end_edit.setObjectName("awayEnd")
        self.end_edit.setCalendarPopup(True)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName("awayAdd")
        self.add_button.clicked.connect(self.on_add_clicked)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("awayRemove")
        self.remove_button.clicked.connect(self.on_remove_clicked)
        adder.addWidget(plain_text.label(self.tr("From"), self))
        adder.addWidget(self.start_edit)
        adder.addWidget(plain_text.label(self.tr("to"), self))
        adder.addWidget(self.end_edit)
        adder.addWidget(self.add_button)
        adder.addWidget(self.remove_button)
        layout.addLayout(adder)

        self.error = plain_text.label(parent=self)
        self.error.setObjectName("teamSettingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d93025")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for period in self.away:
            text = self.tr("%1 to %2").replace("%1", fmt.date_time(period.start))
            item = QListWidgetItem(text.replace("%2", fmt.date_time(period.end)))
            self.list.addItem(item)

    def target_seconds(self) -> int:
        return self.minutes.value() * 60 + self.seconds.value()

    def on_add_clicked(self) -> None:
        start, end = _py(self.start_edit.dateTime()), _py(self.end_edit.dateTime())
        if end <= start:
            self.show_error(self.tr("An away period must end after it starts."))
            return
        self.away = sorted([*self.away, AwayPeriod(start=start, end=end)], key=lambda p: p.start)
        self.show_error("")
        self._fill()

    def on_remove_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.away):
            del self.away[row]
            self._fill()

    def settings(self) -> TeamSettings:
        return TeamSettings(
            target_seconds=self.target_seconds(),
            window_days=self.window_days.value(),
            away=list(self.away),
            allowed_tags=list(self.original.allowed_tags),
        )

    def on_buttons_accepted(self) -> None:
        if self.target_seconds() < 1:
            self.show_error(self.tr("The response target must be at least one second."))
            return
        self.buttons.setEnabled(False)
        self.show_error("")
        self.saveRequested.emit(self.settings())

    def saved(self) -> None:
        self.accept()

    def show_error(self, text: str) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(text)
