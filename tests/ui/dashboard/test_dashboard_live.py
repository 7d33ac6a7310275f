"""The dashboard against the real server: the queue and the agents follow the event stream, the
figures are incremental and equal the `agent-desktop metrics` command on the same data, alerts fire
once per transition, and only a lead may change the team settings."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QDir

from agent_desktop.backends.base import ForbiddenError
from agent_desktop.cli import metrics_cmd
from agent_desktop.core.metrics import iso_utc
from agent_desktop.core.types import AwayPeriod, TeamSettings
from agent_desktop.server.testseed import AGENT, LEAD
from agent_desktop.ui.dashboard.agents_model import AgentsModel
from agent_desktop.ui.dashboard.export import documents_folder
from agent_desktop.ui.dashboard.models import QueueModel
from tests.helpers.server_fixtures import AGENT_EMAIL, LEAD_EMAIL, PASSWORD

from .conftest import Dash

# The offscreen platform cannot resize windows to their size hints; it says so at warning level.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


async def customer_writes(dash: Dash, text: str, **where: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{dash.server.api}/simulate/customer-message", json={"text": text, **where}
        )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def agent_cell(dash: Dash, agent_id: str, column: int) -> str:
    model = dash.page.agents_model
    row = model.row_of(agent_id)
    assert row is not None
    return str(model.index(row, column).data())


async def test_queue_and_agents_follow_the_stream(make_dash: Any) -> None:
    dash: Dash = await make_dash(LEAD_EMAIL)
    agent: Dash = await make_dash(AGENT_EMAIL)
    page = dash.page
    live = page.data.live
    before = page.counts()
    responded = page.data.result().team.responded
    replies = int(agent_cell(dash, AGENT, AgentsModel.REPLIES))
    waiting_on_agent = int(agent_cell(dash, AGENT, AgentsModel.WAITING))

    sent = await customer_writes(dash, "Hello, is anyone there?", customer_name="Zoé Live")
    thread_id = sent["thread"]["id"]
    await dash.until(lambda: page.queue_model.row_of(thread_id) is not None)
    row = page.queue_model.row_of(thread_id)
    assert row is not None
    assert page.queue_model.index(row, QueueModel.CUSTOMER).data() == "Zoé Live"
    assert page.queue_model.index(row, QueueModel.ASSIGNEE).data() == "Unassigned"
    after = page.counts()
    assert after["waiting"] == before["waiting"] + 1
    assert after["unassigned"] == before["unassigned"] + 1
    # The agent's reduced page lists unassigned threads too.
    await agent.until(lambda: agent.page.queue_model.row_of(thread_id) is not None)

    # The lead assigns it from the dashboard.
    page.assign(thread_id, AGENT)
    await dash.until(
        lambda: (
            (r := page.queue_model.row_of(thread_id)) is not None
            and page.queue_model.index(r, QueueModel.ASSIGNEE).data() == "Amélie Dubois"
        )
    )
    await dash.until(
        lambda: int(agent_cell(dash, AGENT, AgentsModel.WAITING)) == waiting_on_agent + 1
    )

    # The agent answers: the thread leaves the queue, the figures move, nothing was rebuilt.
    await agent.backend.send_message(thread_id, client_id="dash-1", text="Yes!", kind="reply")
    await dash.until(lambda: page.queue_model.row_of(thread_id) is None)
    await dash.until(lambda: page.data.result().team.responded == responded + 1)
    page.refresh_figures()
    assert int(agent_cell(dash, AGENT, AgentsModel.REPLIES)) == replies + 1
    assert int(agent_cell(dash, AGENT, AgentsModel.WAITING)) == waiting_on_agent
    assert page.counts()["waiting"] == before["waiting"]
    assert page.data.live is live  # incremental: the engine was fed, not rebuilt


async def test_figures_and_exports_equal_the_metrics_command(
    make_dash: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dash: Dash = await make_dash(LEAD_EMAIL)
    page = dash.page
    sent = await customer_writes(dash, "Where is my parcel?", customer_name="Export Test")
    await dash.until(lambda: page.queue_model.row_of(sent["thread"]["id"]) is not None)
    await dash.until(lambda: sent["message"]["id"] in page.data._seen)
    page.refresh_figures()
    assert page.result is not None and page.result_at is not None
    until = page.result_at
    since = until - timedelta(days=page.data.settings.window_days)

    data_path = tmp_path / "data.json"
    await page.export("data", since, until, data_path)
    await page.export("openings", since, until, tmp_path / "openings.csv")
    await page.export("metrics", since, until, tmp_path / "metrics.csv")
    capsys.readouterr()
    assert (
        metrics_cmd.main(
            ["--input", str(data_path), "--openings-csv", str(tmp_path / "cli-openings.csv")]
        )
        == 0
    )
    cli = json.loads(capsys.readouterr().out)

    team = page.result.team
    assert cli["openings"] == team.openings > 0
    assert cli["counted"] == team.counted
    assert cli["responded"] == team.responded
    assert cli["pending"] == team.pending
    assert cli["response_rate"] == team.response_rate
    assert cli["median_response_seconds"] == team.median_response_seconds
    assert cli["fastest90_mean_seconds"] == team.fastest90_mean_seconds
    assert cli["within_target_rate"] == team.within_target_rate
    assert cli["badge"] == team.badge
    # The gauges and the counts beside them show those numbers.
    assert page.rate_gauge.value == cli["response_rate"]
    assert page.median_gauge.value == cli["median_response_seconds"]
    assert page.pending_label.text() == str(cli["pending"])
    for agent_id, figures in cli["per_agent"].items():
        assert page.result.per_agent[agent_id].responded == figures["responded"]
        assert (
            page.result.per_agent[agent_id].median_response_seconds
            == figures["median_response_seconds"]
        )

    # The openings CSV is the command's, byte for byte.
    assert (tmp_path / "openings.csv").read_text() == (tmp_path / "cli-openings.csv").read_text()
    lines = (tmp_path / "metrics.csv").read_text(encoding="utf-8").splitlines()
    # The window comes first (issue 21), then how agent rows are counted, then the table.
    assert lines[0].startswith(f"# window: {iso_utc(since)} .. {iso_utc(until)} (local time ")
    assert lines[1].startswith("# agent rows: ")
    assert (tmp_path / "openings.csv").read_text().splitlines()[0] == lines[0]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    team_row = rows[0]
    assert team_row["scope"] == "team"
    assert int(team_row["counted"]) == cli["counted"]
    assert int(team_row["responded"]) == cli["responded"]
    # Rounded (issue 21): rates to four decimals, seconds to one.
    assert float(team_row["response_rate"]) == round(cli["response_rate"], 4)
    assert float(team_row["median_response_seconds"]) == round(cli["median_response_seconds"], 1)
    assert len(team_row["response_rate"].split(".")[-1]) <= 4
    agent_rows = {r["agent_id"]: r for r in rows[1:]}
    assert set(agent_rows) == set(dash.store.agents)
    for agent_id, figures in cli["per_agent"].items():
        assert int(agent_rows[agent_id]["responded"]) == figures["responded"]
        median = agent_rows[agent_id]["median_response_seconds"]
        expected = figures["median_response_seconds"]
        assert (float(median) if median else None) == (
            round(expected, 1) if expected is not None else None
        )
    # Rates filled per agent, by the team's definitions over the openings each one answered.
    answered: dict[str, list[dict[str, str]]] = {}
    for opening in csv.DictReader(
        line
        for line in (tmp_path / "openings.csv").read_text().splitlines()
        if not line.startswith("#")
    ):
        if opening["state"] in ("responded", "late"):
            answered.setdefault(opening["agent_id"], []).append(opening)
    for agent_id, row in agent_rows.items():
        mine = answered.get(agent_id, [])
        assert int(row["openings"]) == int(row["counted"]) == len(mine)
        assert row["pending"] == "" and row["badge"] == ""
        if not mine:
            assert row["response_rate"] == row["within_target_rate"] == ""
            continue
        within_24h = sum(o["state"] == "responded" for o in mine)
        assert int(row["responded"]) == within_24h
        assert float(row["response_rate"]) == round(within_24h / len(mine), 4)
        fast = sum(float(o["response_seconds"]) < dash.store.settings.target_seconds for o in mine)
        assert float(row["within_target_rate"]) == round(fast / len(mine), 4)


async def test_alerts_fire_once_per_transition(make_dash: Any) -> None:
    clock = [datetime.now(UTC)]
    dash: Dash = await make_dash(LEAD_EMAIL, now=lambda: clock[0])
    page = dash.page
    page.tick()  # the first look only learns the state
    target = page.queue_model.target_seconds
    sent = await customer_writes(dash, "Anyone?", customer_name="Alert Test")
    thread_id = sent["thread"]["id"]
    await dash.until(lambda: page.queue_model.row_of(thread_id) is not None)
    waiting_since = datetime.fromisoformat(sent["thread"]["waiting_since"].replace("Z", "+00:00"))

    def mine() -> list[str]:
        return [a.kind for a in page.alerts.fired if a.thread_id == thread_id]

    clock[0] = waiting_since + timedelta(seconds=0.3 * target)
    page.tick()
    assert mine() == []
    clock[0] = waiting_since + timedelta(seconds=0.6 * target + 1)
    page.tick()
    assert mine() == ["unattended"]
    assert any("Alert Test" in title for title, _body in dash.alerts)
    page.tick()
    clock[0] += timedelta(seconds=5)
    page.tick()
    assert mine() == ["unattended"]
    clock[0] = waiting_since + timedelta(seconds=target + 2)
    page.tick()
    page.tick()
    assert mine() == ["unattended", "breached"]
    clock[0] += timedelta(minutes=10)
    page.tick()
    assert mine() == ["unattended", "breached"]
    assert len(dash.alerts) == len(page.alerts.fired)


async def test_a_non_lead_cannot_change_the_team_settings(make_dash: Any) -> None:
    dash: Dash = await make_dash(AGENT_EMAIL)
    page = dash.page
    assert not page.is_lead
    assert page.title.text() == "My numbers"
    assert page.settings_button.isHidden() and page.export_button.isHidden()
    assert page.open_team_settings() is None
    assert page.settings_dialog is None
    assert page.open_export() is None
    assert page.agents_model.rowCount() == 1
    assert page.agents_model.agent_at(0) is not None
    assert page.agents_model.agent_at(0).id == AGENT  # type: ignore[union-attr]
    me = dash.store.me
    assert me is not None
    for thread in page.queue_model.threads():
        assert thread.assignee_id in (None, me.id)
    # The server refuses too.
    with pytest.raises(ForbiddenError):
        await dash.backend.update_settings(TeamSettings(target_seconds=60))
    assert await page.save_settings(None, TeamSettings(target_seconds=60)) is None
    assert (await dash.backend.settings()).target_seconds == dash.store.settings.target_seconds
    # An agent's data names no other agent.
    data = await dash.backend.metric_messages(since=datetime.now(UTC) - timedelta(days=9))
    agent_ids = {m.agent_id for t in data.threads for m in t.messages}
    assert agent_ids <= {None, AGENT}
    assert set(page.data.result().per_agent) <= {AGENT}


async def test_lead_settings_apply_live_to_every_client(make_dash: Any) -> None:
    lead: Dash = await make_dash(LEAD_EMAIL)
    agent: Dash = await make_dash(AGENT_EMAIL)
    original = lead.store.settings
    dialog = lead.page.open_team_settings()
    assert dialog is not None
    dialog.minutes.setValue(7)
    dialog.seconds.setValue(30)
    start = datetime.now(UTC) - timedelta(hours=30)
    dialog.away = [*dialog.away]
    dialog.away.append(AwayPeriod(start=start, end=start + timedelta(hours=1)))
    dialog.buttons.accepted.emit()
    try:
        for d in (lead, agent):
            await d.until(lambda d=d: d.page.data.live.target_seconds == 450)
            await d.until(lambda d=d: d.page.queue_model.target_seconds == 450)
            assert len(d.page.data.settings.away) == len(original.away) + 1
        await lead.until(lambda: lead.page.settings_dialog is None)
        lead.page.refresh_figures()
        assert lead.page.median_gauge.threshold == 450
    finally:
        await lead.backend.update_settings(original)
        await lead.until(lambda: lead.page.data.live.target_seconds == original.target_seconds)


async def test_metric_messages_endpoint(make_dash: Any) -> None:
    lead: Dash = await make_dash(LEAD_EMAIL)
    api = lead.server.api
    since = (datetime.now(UTC) - timedelta(days=9)).isoformat()
    async with httpx.AsyncClient() as client:
        r = await client.get(f"{api}/metrics/messages", params={"since": since})
        assert r.status_code == 401
        login = await client.post(
            f"{api}/auth/login", json={"email": LEAD_EMAIL, "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        r = await client.get(f"{api}/metrics/messages", params={"since": since}, headers=headers)
        assert r.status_code == 200
        body = r.json()
        assert "server_time" in body
        r = await client.get(
            f"{api}/metrics/messages",
            params={"since": since, "until": since},
            headers=headers,
        )
        assert r.status_code == 422
    ids = {m["agent_id"] for t in body["threads"] for m in t["messages"]}
    assert AGENT in ids  # a lead sees who answered
    assert LEAD not in ids or LEAD in lead.store.agents
    spam = [t for t in body["threads"] if t["spam"]]
    assert spam  # the seed's spam thread is flagged


async def test_in_the_main_window(qapp: Any, dash_server: Any, tmp_path: Path) -> None:
    """The lead's window has a Dashboard tab; a double-click opens the thread in the workspace;
    the context menu assigns; alerts reach the window's desktop notifications; exports write."""
    from agent_desktop.backends.agent_api import AgentApiBackend
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.ui.main_window import MainWindow
    from tests.helpers.qasync_loop import wait_for_condition

    backend = AgentApiBackend(dash_server.url, retries=1, timeout=5.0)
    await backend.login(LEAD_EMAIL, PASSWORD)
    store = ClientStore(backend, agent_key=LEAD_EMAIL)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.attach_store(store)
    notified: list[tuple[str, str]] = []
    window.notify.connect(lambda t, b: notified.append((t, b)))
    try:
        await store.start()
        await wait_for_condition(lambda: store.loaded and store.connection.state == "live", 20)
        assert window.has_view("dashboard")
        window.show_view("dashboard")
        page = window.dashboard
        tabs = window.views
        assert tabs.tabText(tabs.indexOf(page)) == "Dashboard"
        await wait_for_condition(lambda: page.data.loaded and page.result is not None, 20)

        sent = await customer_writes(
            Dash(page, store, backend, dash_server), "Hi there", customer_name="Window Test"
        )
        thread_id = sent["thread"]["id"]
        await wait_for_condition(lambda: page.queue_model.row_of(thread_id) is not None)
        menu = page.assign_menu(thread_id)
        actions = {a.data(): a for a in menu.actions() if a.data() is not None}
        assert set(store.agents) <= set(actions)
        actions[AGENT].trigger()
        await wait_for_condition(lambda: store.threads[thread_id].assignee_id == AGENT)
        actions[""].trigger()  # unassign again
        await wait_for_condition(lambda: store.threads[thread_id].assignee_id is None)
        menu.deleteLater()

        row = page.queue_model.row_of(thread_id)
        assert row is not None
        page.queue_view.doubleClicked.emit(page.queue_model.index(row, QueueModel.CUSTOMER))
        assert tabs.currentIndex() == 0
        await wait_for_condition(lambda: window.current_thread_id == thread_id)

        page.alerts.notify("Response target missed", "Window Test has waited 0:01 past the target.")
        assert (
            "Response target missed",
            "Window Test has waited 0:01 past the target.",
        ) in notified
        page.notify.emit("A", "B")
        assert ("A", "B") in notified

        dialog = page.open_export()
        assert dialog is not None
        files = dialog.choose("openings")
        assert files.directory().absolutePath() == QDir(documents_folder()).absolutePath()
        target = tmp_path / "openings.csv"
        files.fileSelected.emit(str(target))
        await wait_for_condition(target.exists)
        await wait_for_condition(lambda: page.tasks.running() == 0)
        window_line, columns = target.read_text().splitlines()[:2]
        assert window_line.startswith("# window: ") and columns.startswith("thread_id,")
        files.close()
        dialog.close()
        await wait_for_condition(lambda: window.tasks.running() == 0, 8)
    finally:
        window.detach_store()
        await window.tasks.cancel_all()
        await page.tasks.cancel_all()
        window.images.cancel_all()
        await store.close()
        await backend.aclose()
        window.close()
        window.deleteLater()
