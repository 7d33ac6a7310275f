"""The item models on their own: model tester, urgency order, incremental live updates that keep
the selection, the timer at its boundaries with an injected clock, and template filtering."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QListView

from agent_desktop.core.rows import ThreadRow
from agent_desktop.core.sharing import ValuePool
from agent_desktop.core.types import Author, CustomerRef, Message, Template, Thread
from agent_desktop.store.conversation import Conversation, ConversationEntry
from agent_desktop.ui.conversation_model import ConversationModel, MessageRole
from agent_desktop.ui.quick_replies import TemplateFilterProxy, TemplateListModel, TemplateRole
from agent_desktop.ui.thread_filter import ThreadFilterProxy
from agent_desktop.ui.thread_model import ThreadListModel, ThreadRole

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def thread(
    tid: str,
    waiting_min: float | None,
    *,
    status: str = "open",
    assignee: str | None = None,
    unread: int = 0,
    text: str = "hi",
) -> ThreadRow:
    """A thread as the store keeps it (a row)."""
    waiting = NOW - timedelta(minutes=waiting_min) if waiting_min is not None else None
    last = Message(
        id=f"m_{tid}",
        thread_id=tid,
        author=Author(kind="customer", name=tid),
        text=text,
        created_at=waiting or NOW - timedelta(hours=1),
    )
    return ValuePool().row(
        Thread(
            id=tid,
            customer=CustomerRef(id=f"c_{tid}", name=f"Customer {tid}"),
            status=status,  # type: ignore[arg-type]
            assignee_id=assignee,
            last_message=last,
            waiting_since=waiting,
            unread=unread,
            updated_at=NOW - timedelta(minutes=waiting_min or 90),
        )
    )


def ids(model: Any) -> list[str]:
    return [model.index(r, 0).data(ThreadRole.ThreadId) for r in range(model.rowCount())]


def test_thread_model_passes_the_model_tester_and_sorts_most_urgent_first(
    qtmodeltester: Any,
) -> None:
    model = ThreadListModel(now=lambda: NOW)
    model.set_threads(
        [thread("b", 2), thread("a", 10), thread("c", None), thread("r", 30, status="resolved")]
    )
    qtmodeltester.check(model)
    assert ids(model) == ["a", "b", "c", "r"]
    proxy = ThreadFilterProxy()
    proxy.setSourceModel(model)
    assert ids(proxy) == ["a", "b", "c"]  # open only by default


def test_live_update_moves_the_row_and_keeps_the_selection(qtbot: Any, qtmodeltester: Any) -> None:
    model = ThreadListModel(now=lambda: NOW)
    model.set_threads(
        [thread(t, m) for t, m in (("a", 10), ("b", 5), ("c", 1))] + [thread("d", None)]
    )
    qtmodeltester.check(model, force_py=True)
    view = QListView()
    qtbot.add_widget(view)
    view.setModel(model)
    view.selectionModel().setCurrentIndex(
        model.index(1), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    resets: list[bool] = []
    moves: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsMoved.connect(lambda *a: moves.append(True))
    # d's customer writes: it now waits for 20 minutes, the most urgent.
    model.upsert(thread("d", 20))
    assert ids(model) == ["d", "a", "b", "c"]
    assert moves and not resets
    assert view.currentIndex().data(ThreadRole.ThreadId) == "b"
    # a is answered: it stops waiting and goes below the waiting ones.
    model.upsert(replace(thread("a", None), updated_at=NOW))
    assert ids(model) == ["d", "b", "c", "a"]
    assert view.currentIndex().data(ThreadRole.ThreadId) == "b"
    model.upsert(thread("e", 0.5))  # a new thread is inserted in place
    assert ids(model) == ["d", "b", "c", "e", "a"]
    assert not resets


def test_timer_text_and_state_at_the_boundaries() -> None:
    clock = {"now": NOW}
    model = ThreadListModel(now=lambda: clock["now"], target_seconds=300)
    t = thread("a", 0)
    model.set_threads([t])
    idx = model.index(0)
    cases = [
        (0, "ok", "0:00"),
        (179, "ok", "2:59"),
        (180, "warning", "3:00"),
        (299, "warning", "4:59"),
        (300, "breached", "+0:00"),
        (383, "breached", "+1:23"),
    ]
    for seconds, state, text in cases:
        clock["now"] = NOW + timedelta(seconds=seconds)
        reading = idx.data(ThreadRole.Timer)
        assert (reading.state, reading.text) == (state, text), seconds
    model.upsert(replace(t, status="resolved"))
    assert model.index(0).data(ThreadRole.Timer).state == "none"
    model.upsert(thread("a", None))
    assert model.index(0).data(ThreadRole.Timer).text == ""


def test_refresh_timers_signals_only_the_given_rows() -> None:
    model = ThreadListModel(now=lambda: NOW)
    model.set_threads([thread(str(i), 10 - i) for i in range(8)])
    changed: list[tuple[int, int, list[int]]] = []
    model.dataChanged.connect(lambda a, b, roles: changed.append((a.row(), b.row(), list(roles))))
    model.refresh_timers([2, 3, 4, 6])
    assert changed == [(2, 4, [int(ThreadRole.Timer)]), (6, 6, [int(ThreadRole.Timer)])]


def test_filters_by_assignee_status_and_search(qtmodeltester: Any) -> None:
    model = ThreadListModel(now=lambda: NOW)
    model.set_threads(
        [
            thread("mine", 3, assignee="me", text="Where is order 1042?"),
            thread("other", 4, assignee="someone"),
            thread("free", 5),
            thread("done", 6, status="resolved"),
        ]
    )
    proxy = ThreadFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_me("me")
    proxy.set_assignee("mine")
    assert ids(proxy) == ["mine"]
    proxy.set_assignee("unassigned")
    assert ids(proxy) == ["free"]
    proxy.set_assignee("all")
    proxy.set_statuses({"resolved"})
    assert ids(proxy) == ["done"]
    proxy.set_statuses({"open"})
    proxy.set_search("order 1042")
    assert ids(proxy) == ["mine"]
    proxy.set_search("customer free")
    assert ids(proxy) == ["free"]
    proxy.set_search("#9999", server_hits=["other"])  # found by the server (an order number)
    assert ids(proxy) == ["other"]


def msg(mid: str, minutes: float, text: str = "x", kind: str = "customer", **kw: Any) -> Message:
    return Message(
        id=mid,
        thread_id="t",
        author=Author(kind=kind, name="N"),
        text=text,
        created_at=NOW + timedelta(minutes=minutes),
        **kw,
    )  # type: ignore[arg-type]


def test_conversation_model_mirrors_the_store(qtmodeltester: Any) -> None:
    conv = Conversation("t")
    model = ConversationModel()
    model.bind(conv)
    conv.set_all([msg("m2", 60 * 24), msg("m3", 60 * 24 + 1)], [], has_more=True)
    qtmodeltester.check(model, force_py=True)
    assert [model.index(r).data(MessageRole.DayHeader) is not None for r in range(2)] == [
        True,
        False,
    ]
    conv.prepend_older([msg("m1", 0)], has_more=False)
    assert model.rowCount() == 3
    assert model.index(1).data(MessageRole.DayHeader) is not None  # a new day starts at m2
    pending = Message(
        id="local:c1",
        thread_id="t",
        client_id="c1",
        author=Author(kind="agent", name="Me"),
        text="on my way",
        created_at=NOW + timedelta(days=1, minutes=5),
    )
    conv.add_pending(ConversationEntry("local:c1", pending, "sending"))
    assert model.index(3).data(MessageRole.Delivery) == "sending"
    conv.update_pending("c1", "failed", "The reply window is closed.")
    assert model.index(3).data(MessageRole.Delivery) == "failed"
    assert model.index(3).data(MessageRole.Error) == "The reply window is closed."
    stored = pending.model_copy(update={"id": "m4"})
    conv.upsert_message(stored)
    assert model.rowCount() == 4
    assert model.index(3).data(MessageRole.Delivery) == "sent"
    qtmodeltester.check(model, force_py=True)


def test_template_list_model(qtmodeltester: Any) -> None:
    model = TemplateListModel()
    qtmodeltester.check(model, force_py=True)
    model.set_templates([Template(id="1", shortcut="a", title="A", body="x")])
    assert model.index(0).data(TemplateRole.Shortcut) == "a"


def test_template_model_and_filter(qtmodeltester: Any) -> None:
    model = TemplateListModel()
    model.set_templates(
        [
            Template(
                id="1", shortcut="suivi", title="Tracking", body="Your parcel {{order.number}}"
            ),
            Template(id="2", shortcut="merci", title="Thanks", body="Merci pour votre message"),
            Template(id="3", shortcut="sig", title="Signature", body="Best regards"),
        ]
    )
    proxy = TemplateFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)

    def shortcuts() -> list[str]:
        return [proxy.index(r, 0).data(TemplateRole.Shortcut) for r in range(proxy.rowCount())]

    proxy.set_query("su")
    assert shortcuts() == ["suivi"]
    proxy.set_query("/s")
    assert shortcuts()[:2] == ["sig", "suivi"]
    proxy.set_query("votre message")
    assert shortcuts() == ["merci"]
    proxy.set_query("parcel")
    assert shortcuts() == ["suivi"]


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_one_timer_refreshes_only_the_visible_rows(qtbot: Any) -> None:
    from agent_desktop.ui.thread_list import ThreadListPane

    model = ThreadListModel(now=lambda: NOW)
    model.set_threads([thread(f"t{i:03}", 300 - i) for i in range(200)])
    pane = ThreadListPane(model)
    qtbot.add_widget(pane)
    pane.resize(320, 400)
    pane.show()
    qtbot.wait_exposed(pane)
    rows: set[int] = set()
    model.dataChanged.connect(
        lambda a, b, roles: (
            rows.update(range(a.row(), b.row() + 1)) if int(ThreadRole.Timer) in roles else None
        )
    )
    pane.on_timer_timeout()
    assert 0 < len(rows) < 15  # about the rows that fit in 400 px, not 200
    assert rows == set(pane.visible_source_rows())
    assert pane.timer.interval() == 1000 and pane.timer.isActive()


def test_connection_texts() -> None:
    from agent_desktop.store.connection import ConnectionInfo
    from agent_desktop.ui.status_bar import StatusBar

    bar = StatusBar()
    assert "Live" in bar.connection_text(ConnectionInfo("live"))
    assert (
        bar.connection_text(ConnectionInfo("reconnecting", retry_in=4.2))
        == "Offline: reconnecting in 4 s"
    )
    assert (
        bar.connection_text(ConnectionInfo("offline", outbox_count=2))
        == "Offline, 2 messages waiting to be sent"
    )
    assert bar.connection_text(ConnectionInfo("signed_out")) == "Signed out"
    bar.deleteLater()


def test_presence_shows_offline_while_disconnected(qapp: Any) -> None:
    """Issue 21: the presence button says "Offline" (and cannot be switched) while the
    connection is down, and the agent's own presence again once it is live."""
    from agent_desktop.store.connection import ConnectionInfo
    from agent_desktop.ui.status_bar import StatusBar

    bar = StatusBar()
    bar.set_connection(ConnectionInfo("live"))
    bar.set_presence("online")
    assert bar.presence.text() == "● Online" and bar.presence.isEnabled()
    bar.set_connection(ConnectionInfo("reconnecting", retry_in=3))
    assert bar.presence.text() == "○ Offline" and not bar.presence.isEnabled()
    bar.set_presence("away")  # the server's answer while down is kept for later
    assert bar.presence.text() == "○ Offline"
    bar.set_connection(ConnectionInfo("live"))
    assert bar.presence.text() == "○ Away" and bar.presence.isEnabled()
    bar.deleteLater()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_visible_rows_are_the_source_rows_of_the_threads_shown(qtbot: Any) -> None:
    """With a filter hiding some threads, the timers refreshed each second are those of the
    rows on screen, by their place in the whole (sorted) list."""
    from agent_desktop.ui.thread_list import ThreadListPane

    model = ThreadListModel(now=lambda: NOW)
    model.set_threads(
        [thread(f"t{i:03}", 300 - i, status="resolved" if i % 2 else "open") for i in range(60)]
    )
    pane = ThreadListPane(model)
    qtbot.add_widget(pane)
    pane.resize(320, 400)
    pane.show()
    qtbot.wait_exposed(pane)
    rows = pane.visible_source_rows()
    assert rows
    view = pane.view
    shown = [view.model().index(r, 0).data(ThreadRole.ThreadId) for r in range(len(rows))]
    assert [model.thread_at(r).id for r in rows] == shown  # type: ignore[union-attr]
    assert all(model.thread_at(r).status == "open" for r in rows)  # type: ignore[union-attr]
