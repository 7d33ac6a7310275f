"""The connector's Messenger actions over an in-process httpx transport: the bridge's facts parsed
into a MessengerState, 404 read as "bridge off", refusals carried as the server's sentence, and the
order message request (the real-server tests are in tests/ui/test_messenger_client.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pydantic
import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.agent_api_messenger import messenger_state_from
from agent_desktop.backends.base import (
    ConflictError,
    MessengerActions,
    NotFoundError,
    ProtocolError,
    ValidationError,
)

URL = "http://127.0.0.1:9"
NOW = "2026-03-20T12:00:00Z"
NO_CONSENT = (
    "The customer's last message is more than 24 hours old and they have not agreed to receive "
    "order updates on Messenger, so the update cannot be sent until they write again."
)
FACTS: dict[str, Any] = {
    "thread_id": "t_camille",
    "psid": "psid-camille",
    "handover": "us",
    "reply_window": {"state": "human_agent", "closes_at": "2026-03-25T12:00:00Z"},
    "reply_block_reason": None,
    "order_update_block_reason": NO_CONSENT,
    "server_time": NOW,
}
ORDER_MESSAGE = {
    "id": "m9",
    "thread_id": "t_camille",
    "client_id": "c-1",
    "author": {"kind": "automated", "id": None, "name": "Order updates"},
    "kind": "order_event",
    "text": "Order confirmation #1041",
    "order_id": "o_1041",
    "order_event": "placed",
    "created_at": NOW,
}


def backend_with(
    handler: Callable[[httpx.Request], httpx.Response],
) -> tuple[AgentApiBackend, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    backend = AgentApiBackend(
        URL, token="tok", retry_base=0.001, transport=httpx.MockTransport(record)
    )
    return backend, seen


def error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": message}})


def test_facts_are_parsed() -> None:
    state = messenger_state_from(FACTS, "ignored")
    assert state.thread_id == "t_camille"
    assert state.is_messenger and not state.standby
    assert state.reply_window.state == "human_agent"
    assert state.reply_window.closes_at is not None
    assert state.reply_block_reason is None
    assert state.order_update_block_reason == NO_CONSENT


def test_a_thread_not_from_messenger_and_standby() -> None:
    other = messenger_state_from({**FACTS, "psid": None, "handover": None}, "t1")
    assert not other.is_messenger
    standby = messenger_state_from({**FACTS, "handover": "standby"}, "t1")
    assert standby.standby
    # Empty strings mean "nothing", like null.
    empty = messenger_state_from({**FACTS, "order_update_block_reason": ""}, "t1")
    assert empty.order_update_block_reason is None
    blank = messenger_state_from(
        {**FACTS, "psid": "", "handover": "", "reply_block_reason": ""}, "t1"
    )
    assert (blank.psid, blank.handover, blank.reply_block_reason) == (None, None, None)
    assert not blank.is_messenger


def test_the_state_is_read_only() -> None:
    state = messenger_state_from(FACTS, "t1")
    with pytest.raises(pydantic.ValidationError):
        state.psid = "another"  # type: ignore[misc]


@pytest.mark.parametrize(
    "body",
    [
        [],
        "facts",
        {**FACTS, "psid": 12},
        {**FACTS, "order_update_block_reason": ["no"]},
        {**FACTS, "reply_window": {"state": "sometimes"}},
    ],
)
def test_malformed_facts_are_a_protocol_error(body: Any) -> None:
    with pytest.raises(ProtocolError):
        messenger_state_from(body, "t1")


async def test_state_is_fetched_for_the_thread() -> None:
    backend, seen = backend_with(lambda r: httpx.Response(200, json=FACTS))
    assert isinstance(backend, MessengerActions)
    state = await backend.messenger_state("t/1")
    assert state is not None and state.order_update_block_reason == NO_CONSENT
    assert seen[0].method == "GET"
    assert seen[0].url.raw_path == b"/api/v1/threads/t%2F1/messenger"
    assert seen[0].headers["Authorization"] == "Bearer tok"
    await backend.aclose()


async def test_404_means_the_bridge_is_off() -> None:
    backend, _ = backend_with(lambda r: error(404, "not_found", "Not Found"))
    assert await backend.messenger_state("t1") is None
    with pytest.raises(NotFoundError):
        await backend.send_order_message("t1", order_id="o1", kind="receipt", client_id="c")
    await backend.aclose()


async def test_order_message_request_and_answer() -> None:
    backend, seen = backend_with(lambda r: httpx.Response(201, json=ORDER_MESSAGE))
    message = await backend.send_order_message(
        "t_camille", order_id="o_1041", kind="receipt", client_id="c-1"
    )
    assert message.kind == "order_event" and message.order_id == "o_1041"
    assert seen[0].method == "POST"
    assert seen[0].url.path == "/api/v1/threads/t_camille/order-messages"
    assert json.loads(seen[0].content) == {
        "client_id": "c-1",
        "order_id": "o_1041",
        "kind": "receipt",
    }
    await backend.aclose()


async def test_refusals_carry_the_servers_sentence() -> None:
    backend, seen = backend_with(lambda r: error(409, "no_consent", NO_CONSENT))
    with pytest.raises(ConflictError) as refused:
        await backend.send_order_message("t1", order_id="o1", kind="receipt", client_id="c")
    assert str(refused.value) == NO_CONSENT
    assert len(seen) == 1  # a refusal is not retried
    await backend.aclose()
    mismatch = "Subtotal, shipping and tax add up to 5170 but the order's total is 5171."
    backend, _ = backend_with(lambda r: error(422, "receipt_mismatch", mismatch))
    with pytest.raises(ValidationError, match="add up to 5170"):
        await backend.send_order_message("t1", order_id="o1", kind="receipt", client_id="c")
    await backend.aclose()


async def test_a_lost_answer_is_retried_with_the_same_client_id() -> None:
    calls: list[bytes] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.content)
        if len(calls) == 1:
            return httpx.Response(502, json={})
        return httpx.Response(200, json=ORDER_MESSAGE)

    backend, _ = backend_with(flaky)
    await backend.send_order_message("t1", order_id="o1", kind="shipping_update", client_id="k")
    assert len(calls) == 2 and calls[0] == calls[1]
    await backend.aclose()
