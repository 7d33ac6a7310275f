"""A Page without Meta's Human Agent permission or page_utility_messaging: the 24 h–7 d window is
closed for replies with that reason, and order updates outside the standard window are refused
with theirs; nothing reaches the Send API. Inside 24 hours everything still goes as a RESPONSE.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.helpers.server_fixtures import LEAD_EMAIL, auth_headers, login
from tests.integration.messenger.conftest import Bridge, new_mid, started_bridge, text_item
from tests.integration.messenger.fake_graph import FakeGraph


@pytest.fixture(scope="module")
def bare(fake_graph: FakeGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bridge]:
    with started_bridge(
        fake_graph,
        tmp_path_factory.mktemp("messenger-bare"),
        MESSENGER_HUMAN_AGENT="",
        MESSENGER_UTILITY_MESSAGING="",
    ) as bridge:
        yield bridge


def _ago(bridge: Bridge, thread_id: str, age: timedelta) -> None:
    at = (datetime.now(UTC) - age).replace(tzinfo=None)
    bridge.sql("UPDATE threads SET last_customer_message_at = ? WHERE id = ?", at, thread_id)


def test_without_human_agent_the_late_window_is_closed_with_the_reason(bare: Bridge) -> None:
    psid = "psid-bare-late"
    bare.deliver(text_item(psid, "hello", datetime.now(UTC)))
    thread_id = bare.thread_for(psid)
    bare.wait_messages(thread_id, lambda m: len(m) == 1)
    assert bare.reply(thread_id, "quick answer").status_code == 201
    bare.graph.wait_sends(psid, 1)
    _ago(bare, thread_id, timedelta(days=2))
    facts = bare.facts(thread_id)
    assert facts["reply_window"]["state"] == "human_agent"
    assert facts["reply_block"]["code"] == "human_agent_not_granted"
    assert "Human Agent permission" in facts["reply_block"]["message"]
    assert facts["reply_tag"] is None
    assert facts["permissions"] == {"human_agent": False, "utility_messaging": False}
    refused = bare.reply(thread_id, "late answer")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "human_agent_not_granted"
    assert [m["text"] for m in bare.messages(thread_id)] == ["hello", "quick answer"]
    assert len(bare.graph.sends(psid)) == 1  # nothing more was sent
    # A note still goes in (it is never sent).
    note = httpx.post(
        f"{bare.server.api}/threads/{thread_id}/messages",
        json={"client_id": new_mid(), "text": "for the team", "kind": "note"},
        headers=bare.headers,
    )
    assert note.status_code == 201


def test_without_utility_messaging_order_updates_wait_for_the_customer(bare: Bridge) -> None:
    psid = "psid-bare-camille"
    bare.sql("UPDATE customers SET messenger_psid = ? WHERE id = 'c_camille'", psid)
    bare.deliver(text_item(psid, "où est mon colis ?", datetime.now(UTC)))
    thread_id = bare.thread_for(psid)
    _ago(bare, thread_id, timedelta(days=3))
    facts = bare.facts(thread_id)
    for kind in ("receipt", "shipping_update"):
        assert facts["order_updates"][kind]["block"]["code"] == "utility_not_granted"
    r = httpx.post(
        f"{bare.server.api}/threads/{thread_id}/order-messages",
        json={"client_id": new_mid(), "order_id": "o_1042", "kind": "shipping_update"},
        headers=bare.headers,
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "utility_not_granted"
    assert "page_utility_messaging" in r.json()["error"]["message"]
    assert bare.graph.sends(psid) == []
    # The lead cannot manage templates either, and is told why.
    lead = auth_headers(login(bare.server, LEAD_EMAIL))
    r = httpx.get(f"{bare.server.api}/messenger/template-library", headers=lead)
    assert r.status_code == 409 and r.json()["error"]["code"] == "utility_not_granted"
    # Inside the window the update is a RESPONSE as before.
    _ago(bare, thread_id, timedelta(hours=1))
    r = httpx.post(
        f"{bare.server.api}/threads/{thread_id}/order-messages",
        json={"client_id": new_mid(), "order_id": "o_1042", "kind": "shipping_update"},
        headers=bare.headers,
    )
    assert r.status_code == 201, r.text
    (sent,) = bare.graph.wait_sends(psid, 1)
    assert sent["messaging_type"] == "RESPONSE" and "tag" not in sent
