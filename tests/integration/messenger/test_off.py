"""Without MESSENGER_* configuration the bridge is off: its addresses answer 404 and agents' replies
stay on the server."""

from __future__ import annotations

import json

import httpx
import pytest

from agent_desktop.server.messenger.signature import sign
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess, auth_headers

# Generous on purpose: on a loaded CI machine the sign-in's password hash alone took longer than
# httpx's default 5 s (ReadTimeout). Each request still fails at once if the server answers wrong.
HTTP_TIMEOUT = httpx.Timeout(120.0)


def test_bridge_off_answers_404(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN", "MESSENGER_CONFIG"):
        monkeypatch.delenv(key, raising=False)
    with (
        ServerProcess(tmp_path_factory.mktemp("no-messenger"), ("--seed-test",)) as server,
        httpx.Client(timeout=HTTP_TIMEOUT) as http,
    ):
        raw = json.dumps({"object": "page", "entry": []}).encode()
        hook = f"{server.url}/webhooks/messenger"
        assert http.get(hook, params={"hub.mode": "subscribe"}).status_code == 404
        assert (
            http.post(
                hook, content=raw, headers={"X-Hub-Signature-256": sign(raw, "x")}
            ).status_code
            == 404
        )
        signed_in = http.post(
            f"{server.api}/auth/login", json={"email": AGENT_EMAIL, "password": PASSWORD}
        )
        assert signed_in.status_code == 201, signed_in.text
        headers = auth_headers(signed_in.json()["token"])
        order = http.post(
            f"{server.api}/threads/t_camille/order-messages",
            json={"client_id": "c1", "order_id": "o_1041", "kind": "receipt"},
            headers=headers,
        )
        assert order.status_code == 404
        assert (
            http.get(f"{server.api}/threads/t_camille/messenger", headers=headers).status_code
            == 404
        )
        reply = http.post(
            f"{server.api}/threads/t_camille/messages",
            json={"client_id": "c2", "text": "Bonjour Camille", "kind": "reply"},
            headers=headers,
        )
        assert reply.status_code == 201
