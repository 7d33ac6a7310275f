"""Selection you can trust (issue 21), against the real server: the open conversation is always the
highlighted row; searching, filtering, re-sorting or a live update never opens another thread on
its own; the composer names the customer it will send to; a reply lands where the list showed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt

from agent_desktop.store import read_marks
from agent_desktop.ui.thread_model import ThreadRole
from tests.helpers.server_fixtures import ServerProcess, alogin
from tests.ui.conftest import Workspace, customer_writes

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

T_WAITING, T_ANSWERED, T_SOFIA = "t_camille", "t_jonas", "t_sofia"


def visible_ids(ws: Workspace) -> list[str]:
    proxy = ws.window.thread_list.proxy
    return [proxy.index(r, 0).data(ThreadRole.ThreadId) for r in range(proxy.rowCount())]


def highlighted(ws: Workspace) -> list[str]:
    """The thread ids of the rows painted as selected."""
    view = ws.window.thread_list.view
    return [i.data(ThreadRole.ThreadId) for i in view.selectionModel().selectedIndexes()]


async def new_customer(server: ServerProcess, name: str, text: str, ago: timedelta) -> str:
    at = (datetime.now(UTC) - ago).isoformat()
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{server.api}/simulate/customer-message",
            json={"customer_name": name, "text": text, "created_at": at},
        )
    assert r.status_code == 201, r.text
    return str(r.json()["thread"]["id"])


async def messages_of(server: ServerProcess, thread_id: str) -> list[dict[str, Any]]:
    token = await alogin(server)
    async with httpx.AsyncClient() as client:
        r = await client.get(
            f"{server.api}/threads/{thread_id}/messages",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def namesakes(ws: Workspace, surname: str) -> tuple[str, str]:
    """Two customers of one surname: Thomas waits longer (first in the list), Aisha second."""
    where, returns = "Where is my parcel?", "Can I return a mug?"
    thomas = await new_customer(ws.server, f"Thomas {surname}", where, timedelta(minutes=9))
    aisha = await new_customer(ws.server, f"Aisha {surname}", returns, timedelta(minutes=7))
    await ws.until(lambda: {thomas, aisha} <= set(visible_ids(ws)))
    return thomas, aisha


def assert_open_is_highlighted(ws: Workspace) -> None:
    w = ws.window
    if w.current_thread_id is None:
        assert highlighted(ws) == []
    else:
        assert highlighted(ws) == [w.current_thread_id]
        assert w.thread_list.current_thread_id() == w.current_thread_id


async def test_search_enter_and_send_reply_to_the_highlighted_customer(
    workspace: Workspace, qtbot: Any
) -> None:
    ws = workspace
    w = ws.window
    thomas, aisha = await namesakes(ws, "Cooper")
    await ws.open(T_WAITING)
    view = w.thread_list.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.thread_list.search.hasFocus()
    qtbot.keyClicks(w.thread_list.search, "cooper")
    await ws.until(lambda: visible_ids(ws) == [thomas, aisha])
    # The server's answer to the search comes in too: still the same list, nothing opened.
    await ws.until(lambda: w.tasks.running() == 0)
    assert visible_ids(ws) == [thomas, aisha]
    assert w.current_thread_id in (None, T_WAITING)
    assert_open_is_highlighted(ws)
    qtbot.keyClick(w.thread_list.search, Qt.Key.Key_Return)
    # Enter opens the first hit, the one shown first, and hands the keyboard to the composer.
    await ws.until(lambda: w.current_thread_id == thomas)
    assert_open_is_highlighted(ws)
    assert w.composer.editor.hasFocus()
    assert "Thomas Cooper" in w.composer.recipient_label.text()
    qtbot.keyClicks(w.composer.editor, "Your parcel left this morning.")
    qtbot.keyClick(w.composer.editor, Qt.Key.Key_Return)
    await ws.until(lambda: ws.store.threads[thomas].waiting_since is None)
    to_thomas = [m["text"] for m in await messages_of(ws.server, thomas)]
    to_aisha = [m["text"] for m in await messages_of(ws.server, aisha)]
    assert "Your parcel left this morning." in to_thomas
    assert "Your parcel left this morning." not in to_aisha
    w.thread_list.search.clear()
    await ws.until(lambda: len(visible_ids(ws)) > 2)
    assert w.current_thread_id == thomas
    assert_open_is_highlighted(ws)


async def test_filters_and_live_updates_never_open_another_thread(
    workspace: Workspace, qtbot: Any
) -> None:
    ws = workspace
    w = ws.window
    thomas, aisha = await namesakes(ws, "Marsh")
    opened: list[str] = []
    w.conversationReady.connect(opened.append)
    await ws.open(aisha)
    await ws.until(lambda: opened == [aisha])
    assert "Aisha Marsh" in w.composer.recipient_label.text()
    # A search that still shows the open thread keeps it open and highlighted.
    qtbot.keyClicks(w.thread_list.search, "aisha marsh")
    await ws.until(lambda: visible_ids(ws) == [aisha])
    assert w.current_thread_id == aisha
    assert_open_is_highlighted(ws)
    # A search that hides it closes it: nothing else opens, nothing is highlighted.
    w.thread_list.search.clear()
    qtbot.keyClicks(w.thread_list.search, "thomas marsh")
    await ws.until(lambda: visible_ids(ws) == [thomas])
    await ws.until(lambda: w.tasks.running() == 0)
    assert w.current_thread_id is None
    assert_open_is_highlighted(ws)
    assert not w.composer.sending_allowed()
    w.thread_list.search.clear()
    await ws.until(lambda: len(visible_ids(ws)) > 2)
    assert w.current_thread_id is None
    assert_open_is_highlighted(ws)
    # Re-sorting and live updates: the open thread keeps its highlight wherever it moves.
    await ws.open(aisha)
    await ws.until(lambda: opened == [aisha, aisha])
    await customer_writes(ws.server, T_ANSWERED, "Any news?")
    await customer_writes(ws.server, thomas, "Hello?")
    await ws.until(lambda: ws.store.threads[T_ANSWERED].waiting_since is not None)
    assert w.current_thread_id == aisha
    assert_open_is_highlighted(ws)
    # A colleague resolves the open thread: it leaves the "open" filter, yet stays open and
    # highlighted until the agent moves on; no neighbour is opened in its place.
    token = await alogin(ws.server, "agent2@demo.test")
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{ws.server.api}/threads/{aisha}/status",
            json={"status": "resolved"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert r.status_code == 200, r.text
    await ws.until(lambda: ws.store.threads[aisha].status == "resolved")
    await ws.until(lambda: w.tasks.running() == 0)
    assert w.current_thread_id == aisha
    assert aisha in visible_ids(ws)
    assert_open_is_highlighted(ws)
    assert opened == [aisha, aisha]  # opened twice by the agent, never anything else
    # Moving on: the resolved thread leaves the list, the next one is the one the agent chose.
    w.thread_list.select_thread(thomas)
    await ws.until(lambda: w.current_thread_id == thomas)
    await ws.until(lambda: aisha not in visible_ids(ws))
    assert_open_is_highlighted(ws)
    assert "Thomas Marsh" in w.composer.recipient_label.text()


async def test_a_message_in_the_open_thread_is_read_as_it_comes(workspace: Workspace) -> None:
    """A customer writing into the thread the agent has had open a moment, in the active window,
    is read as it comes (the read is asked once the list has painted the row, not before)."""
    ws = workspace
    thomas = await reading(ws)
    await customer_writes(ws.server, thomas, "Still there?")
    await ws.until(lambda: ws.store.threads[thomas].last_message is not None)
    await ws.until(lambda: ws.store.threads[thomas].last_message.text == "Still there?")
    await ws.until(lambda: ws.store.threads[thomas].unread == 0)
    assert await unread_on_server(ws, thomas) == 0


async def test_messages_within_a_read_marks_interval_show_read_as_they_come(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A customer writing twice within a read mark's interval into the open thread: its row shows
    each message read as it comes, while the interval's read mark still waits to go out."""
    monkeypatch.setattr(read_marks, "READ_MARK_INTERVAL", 3.0)
    ws = workspace
    w = ws.window
    thomas = await reading(ws)
    for text in ("Still there?", "Hello?"):
        await customer_writes(ws.server, thomas, text)
        await ws.until(lambda: shown_text(ws, thomas) == text)  # noqa: B023 - awaited here
        # In the same turn as the message, before its read mark (the second's waits 3 s).
        assert ws.store.threads[thomas].unread == 0
        shown = w.thread_model.get(thomas)
        assert shown is not None and shown.unread == 0
    # The interval's read mark has gone out and been answered: the server agrees.
    await ws.until(lambda: ws.store.read_marks.pending == 0)
    assert await unread_on_server(ws, thomas) == 0
    assert ws.store.threads[thomas].unread == 0


async def reading(ws: Workspace) -> str:
    """Open Thomas Reed's thread in the active window until it counts as read; its id."""
    w = ws.window
    thomas, _aisha = await namesakes(ws, "Reed")
    await ws.open(thomas)
    w.activateWindow()
    await ws.until(lambda: w.isActiveWindow() and w.selection.counts_as_read(thomas))
    await ws.until(lambda: ws.store.threads[thomas].unread == 0)
    return thomas


async def unread_on_server(ws: Workspace, thread_id: str) -> int:
    token = await alogin(ws.server)
    async with httpx.AsyncClient() as client:
        r = await client.get(
            f"{ws.server.api}/threads/{thread_id}", headers={"Authorization": f"Bearer {token}"}
        )
    assert r.status_code == 200, r.text
    return int(r.json()["unread"])


def shown_text(ws: Workspace, thread_id: str) -> str | None:
    last = ws.store.threads[thread_id].last_message
    return last.text if last is not None else None
