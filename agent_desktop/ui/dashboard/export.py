"""Exports for a chosen period (ExportDialog picks it and the file): the figures as CSV (a team
row and one row per agent, each agent's figures over the openings their reply answered), the raw openings with their response times as CSV (the
`agent-desktop metrics --openings-csv` columns), and the period's message data as the JSON
`agent-desktop metrics --input` reads. All numbers come from core.metrics, so they equal the
command's output for the same data. Each CSV starts with a "# window: ..." line (and the
figures CSV with one saying how agent rows are counted).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QDir, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QWidget,
)

from agent_desktop.core.metrics import (
    iso_utc,
)
from agent_desktop.core.openings_csv import (
    AGENT_ROWS_COMMENT,
    OPENINGS_CSV_COLUMNS,
    agent_openings,
    opening_csv_row,
    window_comment,
)
from agent_desktop.core.types import Agent, AgentFigures

if TYPE_CHECKING:
    from agent_desktop.store.dashboard import PeriodData

METRICS_CSV_COLUMNS = (
    "scope",
    "agent_id",
    "name",
    "since",
    "until",
    "target_seconds",
    "openings",
    "counted",
    "responded",
    "pending",
    "response_rate",
    "median_response_seconds",
    "fastest90_mean_seconds",
    "within_target_rate",
    "badge",
    "replies",
)


def _cell(value: float | int | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _rate(value: float | None) -> str:
    """A rate in the CSV: four decimals (0.8571), as a spreadsheet shows it."""
    return "" if value is None else _cell(round(value, 4))


def _seconds(value: float | None) -> str:
    """Seconds in the CSV: one decimal (187.3)."""
    return "" if value is None else _cell(round(value, 1))


def metrics_rows(
    period: PeriodData, agents: Mapping[str, Agent], agent_ids: Iterable[str] | None = None
) -> list[list[str]]:
    """The team row, then one row per agent (every agent named in `agent_ids`, or in `agents`)."""
    team = period.result.team
    common = [iso_utc(period.since), iso_utc(period.until), _cell(period.target_seconds)]
    rows = [
        [
            "team",
            "",
            "",
            *common,
            _cell(team.openings),
            _cell(team.counted),
            _cell(team.responded),
            _cell(team.pending),
            _rate(team.response_rate),
            _seconds(team.median_response_seconds),
            _seconds(team.fastest90_mean_seconds),
            _rate(team.within_target_rate),
            _cell(team.badge),
            _cell(sum(f.replies for f in period.result.per_agent.values())),
        ]
    ]
    ids = sorted(set(agent_ids) if agent_ids is not None else set(agents))
    shares = agent_openings(period.result.openings)
    for agent_id in ids:
        f = period.result.per_agent.get(agent_id, AgentFigures())
        share = shares.get(agent_id)
        answered = share.answered if share is not None else 0
        agent = agents.get(agent_id)
        # The team's definitions applied to the openings the agent's reply answered (see
        # AGENT_ROWS_COMMENT); pending and badge stay the team's.
        rows.append(
            [
                "agent",
                agent_id,
                agent.name if agent is not None else "",
                *common,
                _cell(answered),
                _cell(answered),
                _cell(f.responded),
                "",
                _rate(share.response_rate if share is not None else None),
                _seconds(f.median_response_seconds),
                _seconds(share.fastest90_mean_seconds if share is not None else None),
                _rate(f.within_target_rate),
                "",
                _cell(f.replies),
            ]
        )
    return rows


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    comments: Sequence[str] = (),
) -> None:
    """The CSV, after its comment lines ("# window: ..."), with the file's line ends."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        for comment in comments:
            handle.write(comment + "\r\n")
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_metrics_csv(
    path: Path,
    period: PeriodData,
    agents: Mapping[str, Agent],
    agent_ids: Iterable[str] | None = None,
) -> None:
    write_csv(
        path,
        METRICS_CSV_COLUMNS,
        metrics_rows(period, agents, agent_ids),
        (window_comment(period.since, period.until), AGENT_ROWS_COMMENT),
    )


def write_openings_csv(path: Path, period: PeriodData) -> None:
    write_csv(
        path,
        OPENINGS_CSV_COLUMNS,
        (opening_csv_row(o) for o in period.result.openings),
        (window_comment(period.since, period.until),),
    )


def metrics_input(period: PeriodData) -> dict[str, Any]:
    """The period as `agent-desktop metrics --input` reads it (its figures equal the export's)."""
    return {
        "now": iso_utc(period.until),
        "target_seconds": period.target_seconds,
        "window_days": period.window_days,
        "away": [{"start": iso_utc(p.start), "end": iso_utc(p.end)} for p in period.away],
        "threads": [
            {
                "id": t.id,
                "spam": t.spam,
                "messages": [
                    {
                        "at": iso_utc(m.at),
                        "author": m.author,
                        "kind": m.kind,
                        "agent_id": m.agent_id,
                    }
                    for m in t.messages
                ],
            }
            for t in period.threads
        ],
    }


def write_metrics_input(path: Path, period: PeriodData) -> None:
    Path(path).write_text(json.dumps(metrics_input(period), indent=1), encoding="utf-8")


class ExportDialog(QDialog):
    """Pick a period, then a file for the figures, the openings or the raw data.

    Signals: exportRequested(str kind, object since, object until, str path)
    """

    exportRequested = Signal(str, object, object, str)

    def __init__(self, parent: QWidget | None, now: datetime, window_days: int) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export the figures"))
        local = now.astimezone()
        form = QFormLayout(self)
        self.since = QDateEdit(QDate(local.year, local.month, local.day).addDays(-window_days))
        self.since.setCalendarPopup(True)
        self.until = QDateEdit(QDate(local.year, local.month, local.day))
        self.until.setCalendarPopup(True)
        form.addRow(self.tr("From (start of day)"), self.since)
        form.addRow(self.tr("To (end of day)"), self.until)
        buttons = QDialogButtonBox(self)
        for kind, text in (
            ("metrics", self.tr("Figures per agent (CSV)…")),
            ("openings", self.tr("Openings (CSV)…")),
            ("data", self.tr("Data for agent-desktop metrics (JSON)…")),
        ):
            button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _c=False, k=kind: self.choose(k))
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)
        form.addRow(buttons)

    def period(self) -> tuple[datetime, datetime]:
        """[start of the first day, start of the day after the last) in UTC."""
        start = self.since.date().startOfDay().toSecsSinceEpoch()
        end = self.until.date().addDays(1).startOfDay().toSecsSinceEpoch()
        since = datetime.fromtimestamp(start, UTC)
        until = datetime.fromtimestamp(end, UTC)
        return since, max(until, since + timedelta(hours=1))

    def choose(self, kind: str) -> QFileDialog:
        """Ask for the file (a non-blocking dialog); the export starts once one is chosen."""
        suffix = "json" if kind == "data" else "csv"
        files = QFileDialog(self, self.tr("Export"))
        files.setObjectName("exportFileDialog")
        files.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        files.setDefaultSuffix(suffix)
        files.setNameFilter(f"*.{suffix}")
        # In the user's documents folder (their home when there is none), not wherever the app
        # was started from.
        files.setDirectory(documents_folder())
        files.selectFile(f"agent-desktop-{kind}.{suffix}")
        files.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        files.fileSelected.connect(lambda path: self.on_file_chosen(kind, path))
        files.open()
        return files

    def on_file_chosen(self, kind: str, path: str) -> None:
        if path:
            since, until = self.period()
            self.exportRequested.emit(kind, since, until, path)


def documents_folder() -> str:
    """Where exports are saved by default: the user's documents folder, else their home."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return folder if folder and QDir(folder).exists() else QDir.homePath()
