"""The Team page shows a change it made at once, and lets the event stream's copy of that member
take over as soon as it moves: a member added, then signing in with the code a moment later,
shows online without waiting for the page's own copy to expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, Signal

from agent_desktop.core.types import Agent
from agent_desktop.ui.team.model import Column
from agent_desktop.ui.team.page import TeamPage

LEAD = Agent(id="a_lead", name="Jeanne", email="lead@shop.example", role="lead", presence="online")


class FakeStore(QObject):
    """What the page reads of the store: its agents, who is signed in, and the change signal."""

    agentsChanged = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.agents: dict[str, Agent] = {LEAD.id: LEAD}
        self.me = LEAD
        self.backend = None

    def receive(self, agent: Agent) -> None:
        self.agents[agent.id] = agent
        self.agentsChanged.emit()


def state(page: TeamPage, email: str) -> str:
    return str(page.model.data(page.model.index(page.model.row_of_email(email), Column.State)))


def test_the_streams_newer_copy_wins_over_the_pages_own(qtbot: Any) -> None:
    page = TeamPage()
    qtbot.add_widget(page)
    store = FakeStore()
    page.attach_store(store)  # type: ignore[arg-type]
    expires = datetime.now(UTC) + timedelta(hours=72)
    added = Agent(
        id="a_chloe", name="Chloé", email="chloe@shop.example", invitation_expires_at=expires
    )
    page._took(added, "added")
    assert state(page, "chloe@shop.example") == "Invited"
    # The creation event (its copy differs in a detail) then her sign-in with the code.
    store.receive(added.model_copy(update={"presence_since": datetime.now(UTC)}))
    signed_in = added.model_copy(
        update={
            "presence": "online",
            "invitation_expires_at": None,
            "last_seen_at": datetime.now(UTC),
        }
    )
    store.receive(signed_in)
    assert state(page, "chloe@shop.example") == "Online"


def test_an_older_event_does_not_undo_the_pages_change_until_the_store_moves(qtbot: Any) -> None:
    page = TeamPage()
    qtbot.add_widget(page)
    store = FakeStore()
    member = Agent(id="a_eve", name="Eve", email="eve@shop.example", presence="online")
    store.receive(member)
    page.attach_store(store)  # type: ignore[arg-type]
    renamed = member.model_copy(update={"name": "Eve Martin"})
    page._took(renamed, "renamed")
    store.agentsChanged.emit()  # another member's event: the store's Eve has not moved
    row = page.model.row_of_email("eve@shop.example")
    assert "Eve Martin" in str(page.model.data(page.model.index(row, Column.Name)))
