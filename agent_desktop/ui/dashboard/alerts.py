"""The lead's desktop alerts: a thread enters warning with nobody online assigned, a thread breaches
the target, the projected response rate (pending openings counted as missed) drops below 90 %.
Each fires once per transition (a thread must stop waiting, or the rate recover, before it can
fire again), whatever the tick rate.

The notifier (title, body) and the clock are injected, so tests drive both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QCoreApplication

from agent_desktop.core.clock import TimerReading, format_elapsed, timer_reading
from agent_desktop.core.projection import openings_to_recover, projected_rate
from agent_desktop.ui import fmt
from agent_desktop.ui.plain_text import NAME_CHARS, isolate, one_line

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import Agent, Figures

Notifier = Callable[[str, str], None]
AlertKind = Literal["unattended", "breached", "rate"]
BADGE_RATE = 0.9


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    title: str
    body: str
    thread_id: str | None = None


class AlertMonitor:
    """Compares each tick's state with the last one and notifies on the transitions.

    The first `check` only learns the current state: opening the dashboard does not replay every
    thread that is already late.
    """

    def __init__(self, notify: Notifier, now: Callable[[], datetime]) -> None:
        self.notify = notify
        self.now = now
        self.enabled = True
        self.fired: list[Alert] = []
        self._primed = False
        self._unattended: set[str] = set()
        self._breached: set[str] = set()
        self._rate_low = False

    def reset(self) -> None:
        self._primed = False
        self._unattended.clear()
        self._breached.clear()
        self._rate_low = False

    def check(
        self,
        threads: Iterable[ThreadRow],
        agents: Mapping[str, Agent],
        target_seconds: float,
        team: Figures | None,
    ) -> list[Alert]:
        """Look at the waiting threads and the team's figures now; returns the alerts sent."""
        now = self.now()
        alerts: list[Alert] = []
        unattended: set[str] = set()
        breached: set[str] = set()
        for thread in threads:
            reading = timer_reading(thread.waiting_since, now, target_seconds, thread.status)
            if reading.state == "breached":
                breached.add(thread.id)
                if thread.id not in self._breached:
                    alerts.append(self._breach_alert(thread, reading.overdue_seconds))
            if reading.state in ("warning", "breached"):
                assignee = agents.get(thread.assignee_id or "")
                nobody = assignee is None or assignee.presence != "online"
                # Once raised, it stays raised while the thread keeps waiting (no re-firing when an
                # agent's presence flickers).
                if thread.id in self._unattended or (nobody and reading.state == "warning"):
                    unattended.add(thread.id)
                    if thread.id not in self._unattended:
                        alerts.append(self._unattended_alert(thread, target_seconds, reading))
        projected = (
            projected_rate(team.responded, team.counted, team.pending) if team is not None else None
        )
        rate_low = projected is not None and projected < BADGE_RATE
        if rate_low and not self._rate_low and team is not None:
            alerts.append(self._rate_alert(team))
        self._unattended = unattended
        self._breached = breached
        self._rate_low = rate_low
        if not self._primed:
            self._primed = True
            return []
        if self.enabled:
            for alert in alerts:
                self.fired.append(alert)
                self.notify(alert.title, alert.body)
        return alerts if self.enabled else []

    def _unattended_alert(self, thread: ThreadRow, target: float, reading: TimerReading) -> Alert:
        left = max(0.0, target - reading.elapsed_seconds)
        who = (
            QCoreApplication.translate("AlertMonitor", "nobody is assigned")
            if thread.assignee_id is None
            else QCoreApplication.translate("AlertMonitor", "the assigned agent is not online")
        )
        return Alert(
            "unattended",
            QCoreApplication.translate("AlertMonitor", "%1 is waiting").replace(
                "%1", isolate(thread.customer_name)
            ),
            QCoreApplication.translate("AlertMonitor", "The target is missed in %1 and %2.")
            .replace("%1", format_elapsed(left))
            .replace("%2", who),
            thread.id,
        )

    def _breach_alert(self, thread: ThreadRow, overdue: float) -> Alert:
        return Alert(
            "breached",
            QCoreApplication.translate("AlertMonitor", "Response target missed"),
            QCoreApplication.translate("AlertMonitor", "%1 has waited %2 past the target.")
            .replace("%1", isolate(one_line(thread.customer_name, NAME_CHARS)))
            .replace("%2", format_elapsed(overdue)),
            thread.id,
        )

    def _rate_alert(self, team: Figures) -> Alert:
        projected = projected_rate(team.responded, team.counted, team.pending) or 0.0
        if team.response_rate is not None and team.response_rate < BADGE_RATE:
            body = QCoreApplication.translate("AlertMonitor", "The response rate is %1.").replace(
                "%1", fmt.percent(team.response_rate)
            )
        else:
            body = (
                QCoreApplication.translate(
                    "AlertMonitor",
                    "If the %1 openings still waiting miss their 24 hours, the rate falls to %2.",
                )
                .replace("%1", str(team.pending))
                .replace("%2", fmt.percent(projected))
            )
        k = openings_to_recover(team.responded, team.counted)
        if k:
            body += " " + QCoreApplication.translate(
                "AlertMonitor", "%1 more openings answered in time bring it back to 90 %."
            ).replace("%1", str(k))
        return Alert(
            "rate", QCoreApplication.translate("AlertMonitor", "Response rate below 90 %"), body
        )
