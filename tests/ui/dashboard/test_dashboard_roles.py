"""An agent's main window against the real server: its dashboard tab is "My numbers" (their own
queue and figures), never the lead's view: no team settings, exports, alerts or drag to assign,
and the server refuses the lead's calls too."""

from __future__ import annotations

from typing import Any

import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.base import ForbiddenError
from agent_desktop.core.types import TeamSettings
from agent_desktop.server.testseed import AGENT
from agent_desktop.store.client_store import ClientStore
from agent_desktop.ui.main_window import MainWindow
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


async def test_an_agent_window_shows_my_numbers_not_the_lead_view(
    qapp: Any, dash_server: ServerProcess
) -> None:
    backend = AgentApiBackend(dash_server.url, retries=1, timeout=5.0)
    await backend.login(AGENT_EMAIL, PASSWORD)
    store = ClientStore(backend, agent_key=AGENT_EMAIL)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.attach_store(store)
    try:
        await store.start()
        await wait_for_condition(lambda: store.loaded and store.connection.state == "live", 20)
        assert store.me is not None and store.me.role != "lead"
        window.show_view("dashboard")
        page = window.dashboard
        tabs = window.views
        assert tabs.currentWidget() is page
        await wait_for_condition(lambda: page.data.loaded and page.result is not None, 20)
        assert tabs.tabText(tabs.indexOf(page)) == "My numbers"
        assert "Dashboard" not in [tabs.tabText(i) for i in range(tabs.count())]
        assert not page.is_lead
        assert page.title.text() == "My numbers"
        assert page.settings_button.isHidden() and page.export_button.isHidden()
        assert not page.alerts.enabled
        assert not page.agents_view.acceptDrops()
        assert page.open_team_settings() is None and page.settings_dialog is None
        assert page.open_export() is None
        assert [page.agents_model.agent_at(r).id for r in range(page.agents_model.rowCount())] == [  # type: ignore[union-attr]
            AGENT
        ]
        with pytest.raises(ForbiddenError):
            await backend.update_settings(TeamSettings(target_seconds=60))
        await wait_for_condition(
            lambda: window.tasks.running() == 0 and page.tasks.running() == 0, 8
        )
    finally:
        window.detach_store()
        await window.tasks.cancel_all()
        await window.dashboard.tasks.cancel_all()
        window.images.cancel_all()
        await store.close()
        await backend.aclose()
        window.close()
        window.deleteLater()
