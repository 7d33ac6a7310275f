"""Without MESSENGER_* configuration the bridge is off: its addresses answer 404 and agents' replies
stay on the server."""

from __future__ import annotations

import json

import httpx
import pytest

from agent_desktop.server.messenger.signature import sign
from tests.helpers.server_fixtures import ServerProcess, auth_headers, login


def test_bridge_off_answers_404(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN", "MESSENGER_CONFIG"):
        monkeypatch.delenv(key, raising=False)
    with ServerProcess(tmp_path_factory.mktemp("no-messenger"), ("--seed-test",)) as server:
        raw = json.dumps({"object": "page", "entry": []}).encode()
        hook = f"{server.url}/webhooks/messenger"
        assert httpx.get(hook, params={"hub.mode": "subscribe"}).status_code == 404
        assert (
            httpx.post(
                hook, content=raw, headers={"X-Hub-Signature-256": sign(raw, "x")}
            ).status_code
            == 404
        )
        headers = auth_headers(login(server))
        order = httpx.post(
            f"{server.api}/threads/t_camille/order-messages",
            json={"client_id": "c1", "order_id": "o_1041", "kind": "receipt"},
            headers=headers,
        )
        assert order.status_code == 404
        assert (
            httpx.get(f"{server.api}/threads/t_camille/messenger", headers=headers).status_code
            == 404
        )
        reply = httpx.post(
            f"{server.api}/threads/t_camille/messages",
            json={"client_id": "c2", "text": "Bonjour Camille", "kind": "reply"},
            headers=headers,
        )
        assert reply.status_code == 201
