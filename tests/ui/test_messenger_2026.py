"""The desktop client and Messenger as Meta runs it in late 2026, against the reference server whose
bridge points at the loopback fake Graph API; the Page has page_utility_messaging but not the Human
Agent permission:

- the 24 h–7 d window shows closed with that reason, and the composer refuses the reply;
- a thread from a Click-to-Messenger ad shows the ad and its 7-day standard window;
- a thread the Page inbox owns is read-only and says who owns it;
- "Send order status" 3 days after the customer's last message is disabled (no approved template)
  until a team lead adds one from Meta's library in the dashboard's Messenger dialog (its approval
  arrives live), then sends a utility message with the order's values;
- Meta's 10/1893063 shows the banner to agents and leads; a lead's "Try sending again now" sends
  the held replies once the restriction lifts.

With AGENT_DESKTOP_SHOTS=<folder> each screen is also saved there (1280×800 and 1024×700).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.core.messenger_rules import PAGE_INBOX_APP_ID
from agent_desktop.store.client_store import ClientStore
from agent_desktop.ui.dashboard.messenger_templates import MessengerTemplatesDialog
from agent_desktop.ui.main_window import MainWindow
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT_EMAIL, LEAD_EMAIL, PASSWORD, ServerProcess, login
from tests.integration.messenger.conftest import (
    APP_SECRET,
    PAGE_ID,
    Bridge,
    _environ,
    bridge_env,
    ms,
    text_item,
)
from tests.integration.messenger.fake_graph import FakeGraph, FakeGraphServer
from tests.ui.test_messenger_client import deliver

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

SHOTS = os.environ.get("AGENT_DESKTOP_SHOTS")
if SHOTS:
    Path(SHOTS).mkdir(parents=True, exist_ok=True)


async def shot(widget: QWidget, name: str) -> None:
    """Save `widget` (a window at 1280×800 and 1024×700, a dialog as it is) when
    AGENT_DESKTOP_SHOTS names a folder."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    if not isinstance(widget, MainWindow):
        await wait_for_condition(lambda: widget.isVisible())
        widget.grab().save(str(folder / f"{name}.png"))
        return
    size = widget.size()
    for w, h in ((1280, 800), (1024, 700)):
        widget.resize(w, h)
        await wait_for_condition(lambda w=w, h=h: widget.width() == w and widget.height() == h)
        await asyncio.sleep(0.2)  # a screenshot only: let the layout settle (never a test wait)
        widget.grab().save(str(folder / f"{name}-{w}x{h}.png"))
    widget.resize(size)


@pytest.fixture(scope="module")
def fake_graph() -> Iterator[FakeGraph]:
    runner = FakeGraphServer()
    graph = runner.start()
    yield graph
    runner.stop()


@pytest.fixture(scope="module")
def ui_server(
    fake_graph: FakeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    env = {**bridge_env(fake_graph), "MESSENGER_HUMAN_AGENT": "0"}
    proc = ServerProcess(tmp_path_factory.mktemp("messenger-2026-ui"), ("--seed-test",))
    with _environ(env):
        proc.start()
    fake_graph.page_id = PAGE_ID
    fake_graph.app_secret = APP_SECRET
    fake_graph.webhook_url = f"{proc.url}/webhooks/messenger"
    yield proc
    fake_graph.webhook_url = None
    proc.stop()


@pytest.fixture(scope="module")
def bridge(ui_server: ServerProcess, fake_graph: FakeGraph) -> Bridge:
    return Bridge(ui_server, fake_graph, login(ui_server))


@dataclass
class Desk:
    window: MainWindow
    store: ClientStore
    server: ServerProcess

    async def until(self, cond: Any, within: float = 10.0) -> None:
        await wait_for_condition(cond, within)

    async def open(self, thread_id: str) -> None:
        w = self.window
        await self.until(lambda: thread_id in self.store.threads)
        thread = self.store.threads[thread_id]
        if thread.status not in w.thread_list.proxy.statuses():
            w.thread_list.status.setCurrentIndex(w.thread_list.status.findData(thread.status))
        # The list's model follows the store a moment later: wait until the row is there.
        await self.until(lambda: w.thread_list.select_thread(thread_id))
        await self.until(
            lambda: (
                w.current_thread_id == thread_id
                and w.history.messenger_state is not None
                and w.history.messenger_state.thread_id == thread_id
            )
        )


async def open_desk(server: ServerProcess, email: str) -> Desk:
    # Generous bounds: under CI load a request or the end of the window's tasks takes seconds.
    backend = AgentApiBackend(server.url, retries=1, timeout=30.0, reconnect_base=0.1)
    await backend.login(email, PASSWORD)
    store = ClientStore(backend, agent_key=email)
    window = MainWindow()  # closed by close_desk, after the store
    window.resize(1280, 800)
    window.show()
    window.attach_store(store)
    await store.start()
    await wait_for_condition(lambda: store.loaded and store.connection.state == "live", 20)
    await wait_for_condition(lambda: window.thread_model.rowCount() > 0, 10)
    return Desk(window, store, server)


async def close_desk(desk: Desk) -> None:
    window, store = desk.window, desk.store
    messenger = window.history.messenger
    await wait_for_condition(
        lambda: (
            window.tasks.running() == 0
            and window.images.pending() == 0
            and (messenger is None or messenger.running() == 0)
        ),
        30,
    )
    window.detach_store()
    await window.tasks.cancel_all()
    if window.dashboard_built():
        await window.dashboard.tasks.cancel_all()
    window.images.cancel_all()
    backend = store.backend
    await store.close()
    await backend.aclose()  # type: ignore[attr-defined]
    window.close()
    window.deleteLater()


@pytest.fixture
async def agent(qtbot: Any, ui_server: ServerProcess) -> AsyncIterator[Desk]:
    desk = await open_desk(ui_server, AGENT_EMAIL)
    yield desk
    await close_desk(desk)


@pytest.fixture
async def lead(qtbot: Any, ui_server: ServerProcess) -> AsyncIterator[Desk]:
    desk = await open_desk(ui_server, LEAD_EMAIL)
    yield desk
    await close_desk(desk)


def thread_of(bridge: Bridge, psid: str) -> str | None:
    rows = bridge.sql("SELECT thread_id FROM messenger_threads WHERE psid = ?", psid)
    return str(rows[0][0]) if rows else None


def _ago(bridge: Bridge, thread_id: str, age: timedelta) -> None:
    at = (datetime.now(UTC) - age).replace(tzinfo=None)
    bridge.sql("UPDATE threads SET last_customer_message_at = ? WHERE id = ?", at, thread_id)


async def test_without_human_agent_the_late_window_is_closed_with_the_reason(
    agent: Desk, bridge: Bridge
) -> None:
    psid = "psid-2026-late"
    bridge.graph.profiles[psid] = {"name": "Inès Laurent"}
    await deliver(
        agent.server, text_item(psid, "Hello? Anyone?", datetime.now(UTC) - timedelta(days=2))
    )
    await agent.until(lambda: thread_of(bridge, psid) is not None)
    thread_id = thread_of(bridge, psid)
    assert thread_id is not None
    await agent.open(thread_id)
    composer = agent.window.composer
    await agent.until(lambda: composer.messenger_block is not None)
    assert composer.window_label.text() == "Closed: no Human Agent permission"
    assert "Human Agent permission" in composer.window_label.toolTip()
    assert not composer.sending_allowed()
    # The thread list says the window is closed, not "Human agent tag".
    delegate = agent.window.thread_list.delegate
    await agent.until(lambda: delegate.human_agent_granted is False)
    assert delegate.window_text(agent.store.threads[thread_id]) == "Window closed"
    state = agent.window.history.messenger_state
    assert state is not None and state.reply_block is not None
    assert state.reply_block.code == "human_agent_not_granted"
    composer.set_kind("note")
    assert composer.sending_allowed()  # a note still goes in
    composer.set_kind("reply")
    await shot(agent.window, "late-window-closed")


async def test_an_ad_thread_shows_the_ad_and_its_7_day_window(agent: Desk, bridge: Bridge) -> None:
    psid = "psid-2026-ad"
    bridge.graph.profiles[psid] = {"name": "Hugo Petit"}
    item = text_item(
        psid, "Bonjour, l'écharpe bleue est dispo ?", datetime.now(UTC) - timedelta(days=3)
    )
    item["message"]["referral"] = {
        "ref": "hiver",
        "ad_id": "6045246247433",
        "source": "ADS",
        "type": "OPEN_THREAD",
        "ads_context_data": {
            "ad_title": "Écharpes en laine -20 %",
            "photo_url": "https://x/ad.jpg",
        },
    }
    await deliver(agent.server, item)
    await agent.until(lambda: thread_of(bridge, psid) is not None)
    thread_id = thread_of(bridge, psid)
    assert thread_id is not None
    await agent.open(thread_id)
    w = agent.window
    await agent.until(lambda: w.conversation.messenger_line.isVisible())
    assert "Came from a Messenger ad: " in w.conversation.messenger_line.text()
    assert "Écharpes en laine -20 %" in w.conversation.messenger_line.text()
    assert w.conversation.messenger_line.textFormat() == Qt.TextFormat.PlainText
    assert agent.window.thread_list.delegate.window_text(agent.store.threads[thread_id]) == (
        "Ad window"
    )
    assert w.composer.current_window().state == "standard"
    assert w.composer.window_label.text().startswith("Ad window until ")
    assert w.composer.sending_allowed()
    await agent.until(lambda: w.conversation_model.rowCount() > 0)
    await shot(w, "ad-thread")


async def test_a_thread_the_page_inbox_owns_is_read_only_and_says_so(
    agent: Desk, bridge: Bridge
) -> None:
    psid = "psid-2026-inbox"
    bridge.graph.profiles[psid] = {"name": "Nora Benali"}
    await deliver(agent.server, text_item(psid, "Je préfère parler à quelqu'un", datetime.now(UTC)))
    await agent.until(lambda: thread_of(bridge, psid) is not None)
    thread_id = thread_of(bridge, psid)
    assert thread_id is not None
    await agent.open(thread_id)
    await deliver(
        agent.server,
        {
            "sender": {"id": psid},
            "recipient": {"id": PAGE_ID},
            "timestamp": ms(datetime.now(UTC)),
            "pass_thread_control": {"new_owner_app_id": PAGE_INBOX_APP_ID, "metadata": ""},
        },
    )
    w = agent.window
    await agent.until(lambda: w.composer.messenger_block is not None, within=15)
    assert w.composer.window_label.text() == "In the Page inbox: read-only"
    assert "Page inbox" in w.composer.window_label.toolTip()
    assert not w.composer.sending_allowed()
    await agent.until(lambda: "Handled by the Page inbox" in w.conversation.messenger_line.text())
    await shot(w, "page-inbox-owner")


async def test_send_order_status_needs_a_template_until_a_lead_adds_one(
    agent: Desk, lead: Desk, bridge: Bridge
) -> None:
    psid = "psid-2026-camille"
    bridge.sql("UPDATE customers SET messenger_psid = ? WHERE id = 'c_camille'", psid)
    await deliver(agent.server, text_item(psid, "où est mon colis ?", datetime.now(UTC)))
    await agent.until(lambda: thread_of(bridge, psid) == "t_camille")
    bridge.wait_inbox_drained()
    _ago(bridge, "t_camille", timedelta(days=3))
    await agent.open("t_camille")
    history = agent.window.history
    await agent.until(lambda: history.order_status_action("o_1042") is not None)
    action = history.order_status_action("o_1042")
    assert action is not None and action.kind == "shipping_update"
    await agent.until(lambda: action.isVisible() and not action.button.isEnabled())
    assert "approved utility template for shipping updates" in action.reason.text()
    assert action.reason.text() in action.button.toolTip()
    await shot(agent.window, "order-status-no-template")

    # The lead opens the dashboard's Messenger dialog and clones Meta's shipment template.
    w = lead.window
    w.show_view("dashboard")
    page = w.dashboard
    await lead.until(lambda: page.messenger_button.isVisible())
    dialog = page.open_messenger()
    assert isinstance(dialog, MessengerTemplatesDialog)
    await lead.until(lambda: "not granted" in dialog.human_agent.text())
    assert "page_utility_messaging: granted" in dialog.utility.text()
    assert "27 April 2026" in dialog.rules.text()
    await shot(dialog, "messenger-dialog-empty")
    library = dialog.open_library()
    library.language.setCurrentIndex(library.language.findData("fr"))
    library.search.setText("shipment")
    library.run_search()
    await lead.until(lambda: library.model.rowCount() == 1)
    library.view.selectRow(0)
    await lead.until(lambda: len(library.field_combos) == 4)
    assert [c.currentData() for c in library.field_combos] == [
        "order_number",
        "carrier",
        "tracking_url",
        "eta",
    ]
    assert library.purpose.currentData() == "shipping_update"
    library.name.setText("suivi_colis")
    await shot(library, "library-clone")
    library.on_clone_clicked()
    await lead.until(lambda: any(t.name == "suivi_colis" for t in dialog.model.items))
    assert dialog.model.items[0].status == "APPROVED"

    # A Page-owned template written in both languages: pending, then approved live.
    write = dialog.open_write()
    write.name.setText("confirmation_commande")
    write.purpose.setCurrentIndex(write.purpose.findData("receipt"))
    write.bodies["en"].setPlainText("{order_number} is confirmed")
    assert not write.submit_button.isEnabled()
    assert "starts or ends" in write.status.text()
    write.bodies["en"].setPlainText("Thank you: your order {order_number} is confirmed.")
    write.bodies["fr"].setPlainText("Merci : votre commande {order_number} est confirmée.")
    assert write.submit_button.isEnabled()
    await shot(write, "write-template")
    write.on_submit_clicked()
    await lead.until(
        lambda: sum(1 for t in dialog.model.items if t.name == "confirmation_commande") == 2
    )
    await lead.until(
        lambda: all(
            t.status == "APPROVED" for t in dialog.model.items if t.name == "confirmation_commande"
        ),
        within=15,
    )
    await shot(dialog, "messenger-dialog-templates")
    dialog.close()

    # The agent's button enables live, says how it goes, and sends a utility message.
    await agent.until(lambda: action.button.isEnabled(), within=15)
    assert "utility message" in action.button.toolTip()
    before = len(bridge.graph.sends(psid))
    action.button.click()
    await agent.until(lambda: len(bridge.graph.sends(psid)) == before + 1)
    sent = bridge.graph.sends(psid)[-1]
    assert sent["messaging_type"] == "UTILITY" and "tag" not in sent
    assert sent["message"]["template"]["name"] == "suivi_colis"
    await agent.until(lambda: action.reason.text().startswith("Added to the conversation at"))
    await shot(agent.window, "order-status-utility-sent")


async def test_a_paused_page_shows_the_banner_and_a_lead_resumes_it(
    agent: Desk, lead: Desk, bridge: Bridge
) -> None:
    psid = "psid-2026-paused"
    await deliver(agent.server, text_item(psid, "ma commande ?", datetime.now(UTC)))
    await agent.until(lambda: thread_of(bridge, psid) is not None)
    thread_id = thread_of(bridge, psid)
    assert thread_id is not None
    bridge.graph.restrict()
    try:
        await agent.open(thread_id)
        await agent.store.send(thread_id, "Je regarde", kind="reply")
        banner = agent.window.messenger_banner
        await agent.until(lambda: banner.isVisible(), within=15)
        assert banner.text.text().startswith("Messenger has temporarily restricted the Page")
        assert not banner.button.isVisible()  # agents wait; a lead can try again
        await shot(agent.window, "paused-banner-agent")
        lead_banner = lead.window.messenger_banner
        await lead.until(lambda: lead_banner.isVisible() and lead_banner.button.isVisible())
        await shot(lead.window, "paused-banner-lead")
    finally:
        bridge.graph.restrict(False)
    lead_banner.button.click()
    await agent.until(lambda: not banner.isVisible(), within=15)
    await lead.until(lambda: not lead_banner.isVisible())
    assert [s["message"]["text"] for s in bridge.graph.accepted(psid)] == ["Je regarde"]


async def test_the_same_screens_in_french(
    qapp: Any, agent: Desk, lead: Desk, bridge: Bridge
) -> None:
    """The composer's reasons, the header's ad line, the lead's dialogs: in French when the
    interface is French (the strings come from the shipped translations)."""
    from agent_desktop.ui import i18n

    late, ad = "psid-2026-fr-late", "psid-2026-fr-ad"
    await deliver(agent.server, text_item(late, "Allô ?", datetime.now(UTC) - timedelta(days=2)))
    item = text_item(ad, "Je veux le mug", datetime.now(UTC) - timedelta(days=2))
    item["message"]["referral"] = {
        "source": "ADS",
        "type": "OPEN_THREAD",
        "ad_id": "77",
        "ads_context_data": {"ad_title": "Mugs en grès"},
    }
    await deliver(agent.server, item)
    await agent.until(lambda: thread_of(bridge, late) is not None and thread_of(bridge, ad))
    assert i18n.install(qapp, "fr")
    try:
        w = agent.window
        late_thread, ad_thread = thread_of(bridge, late), thread_of(bridge, ad)
        assert late_thread is not None and ad_thread is not None
        await agent.open(late_thread)
        await agent.until(lambda: w.composer.messenger_block is not None)
        assert w.composer.window_label.text() == "Fermée : pas d’autorisation Human Agent"
        assert "autorisation Human Agent de Meta" in w.composer.window_label.toolTip()
        await agent.until(lambda: w.conversation_model.rowCount() > 0)
        await shot(w, "fr-late-window-closed")
        await agent.open(ad_thread)
        await agent.until(lambda: w.conversation.messenger_line.isVisible())
        assert w.conversation.messenger_line.text().startswith("Venu d’une publicité Messenger")
        assert w.composer.window_label.text().startswith("Fenêtre pub. jusqu’à ")
        await agent.until(lambda: w.conversation_model.rowCount() > 0)
        await shot(w, "fr-ad-thread")

        lead.window.show_view("dashboard")
        page = lead.window.dashboard
        await lead.until(lambda: page.messenger_button.isVisible())
        dialog = page.open_messenger()
        assert dialog is not None
        await lead.until(lambda: "non accordée" in dialog.human_agent.text())
        await shot(dialog, "fr-messenger-dialog")
        library = dialog.open_library()
        await lead.until(lambda: library.model.rowCount() > 0)
        library.view.selectRow(0)
        await lead.until(lambda: bool(library.field_combos))
        assert library.field_combos[0].currentText() in {"Prénom du client", "Numéro de commande"}
        await shot(library, "fr-library")
        library.close()
        write = dialog.open_write()
        write.name.setText("avis_expedition")
        write.bodies["fr"].setPlainText("Votre commande {order_number} est partie avec {carrier}")
        assert write.status.text().startswith("Français : Meta refuse un modèle")
        await shot(write, "fr-write-template")
        write.close()
        dialog.close()
    finally:
        i18n.install(qapp, "en")
