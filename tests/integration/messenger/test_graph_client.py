"""The Send API client against the loopback fake Graph API: success and error shapes, retries with
backoff, attachment size limits, and the Page token absent from every log record even at DEBUG.
"""

from __future__ import annotations

import logging

import pytest

from agent_desktop.server.messenger import redact
from agent_desktop.server.messenger.config import MessengerConfig, Secret
from agent_desktop.server.messenger.graph import GraphClient, GraphError
from agent_desktop.server.messenger.policy import SendDecision
from tests.integration.messenger.fake_graph import FakeGraph

TOKEN = "EAAsecret-page-token-do-not-log"
SECRET = "app-secret-do-not-log"


def _config(graph: FakeGraph, *, attempts: int = 3) -> MessengerConfig:
    return MessengerConfig(
        app_secret=Secret(SECRET),
        verify_token=Secret("verify-do-not-log"),
        page_token=Secret(TOKEN),
        graph_url=graph.base_url,
        retry_base_seconds=0.01,
        max_attempts=attempts,
    )


async def test_send_success_and_tag(fake_graph: FakeGraph) -> None:
    client = GraphClient(_config(fake_graph))
    try:
        result = await client.send(
            "psid-gc-1", {"text": "hi"}, SendDecision("MESSAGE_TAG", "HUMAN_AGENT")
        )
    finally:
        await client.aclose()
    assert result.recipient_id == "psid-gc-1"
    assert result.message_id.startswith("m_fake_")
    (body,) = fake_graph.sends("psid-gc-1")
    assert body == {
        "recipient": {"id": "psid-gc-1"},
        "messaging_type": "MESSAGE_TAG",
        "message": {"text": "hi"},
        "tag": "HUMAN_AGENT",
    }


async def test_rate_limit_gives_up_after_the_attempts(fake_graph: FakeGraph) -> None:
    for _ in range(3):
        fake_graph.fail_next(
            "psid-gc-2", 400, 613, None, "Calls to this api have exceeded the rate limit."
        )
    client = GraphClient(_config(fake_graph, attempts=3))
    try:
        with pytest.raises(GraphError) as err:
            await client.send("psid-gc-2", {"text": "x"}, SendDecision("RESPONSE"))
    finally:
        await client.aclose()
    assert err.value.code == 613
    assert "limiting how fast" in str(err.value)
    assert len(fake_graph.sends("psid-gc-2")) == 3


async def test_attachment_download_is_size_limited(fake_graph: FakeGraph) -> None:
    fake_graph.files["small.png"] = b"\x89PNG" + b"0" * 100
    fake_graph.files["huge.bin"] = b"0" * 5000
    client = GraphClient(_config(fake_graph))
    try:
        small = await client.download(f"{fake_graph.origin}/cdn/small.png", 1000)
        huge = await client.download(f"{fake_graph.origin}/cdn/huge.bin", 1000)
        missing = await client.download(f"{fake_graph.origin}/cdn/none.png", 1000)
    finally:
        await client.aclose()
    assert small == (fake_graph.files["small.png"], "image/png")
    assert huge is None and missing is None


async def test_profile_name_and_token_never_logged(
    fake_graph: FakeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    fake_graph.profiles["psid-gc-3"] = {"first_name": "Zoé", "last_name": "Lambert"}
    fake_graph.fail_next("psid-gc-3", 400, 190, None, "Invalid OAuth access token.")
    config = _config(fake_graph)
    flt = redact.install(config.secret_values())
    caplog.set_level(logging.DEBUG)
    client = GraphClient(config)
    try:
        assert await client.profile_name("psid-gc-3") == "Zoé Lambert"
        assert await client.profile_name("psid-unknown") is None
        with pytest.raises(GraphError, match="access token is invalid"):
            await client.send("psid-gc-3", {"text": "x"}, SendDecision("RESPONSE"))
        await client.send("psid-gc-3", {"text": "y"}, SendDecision("RESPONSE"))
        logging.getLogger("agent_desktop.server.messenger").warning("config is %r", config)
    finally:
        await client.aclose()
        redact.uninstall(flt)
    messages = [record.getMessage() for record in caplog.records]
    assert any(
        "HTTP Request" in m and "access_token=***" in m for m in messages
    )  # httpx's own line
    for message in messages:
        for secret in (TOKEN, SECRET, "verify-do-not-log"):
            assert secret not in message
