"""Order actions on the demo shop (POST/GET /orders/{id}/actions): each action allowed, refused by
the order's state (409), too much (422), repeated and concurrently repeated client_ids, the refund
limit with a lead's approval, and the results in the conversation and on the event stream."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from tests.helpers.server_fixtures import ServerProcess, auth_headers
from tests.integration.server.conftest import Api, Stream, new_thread


def cid() -> str:
    return f"act-{uuid.uuid4().hex}"


def new_order(server: ServerProcess, stage: str = "processing", **kw: Any) -> dict[str, Any]:
    """A new customer with a thread, and a demo order of theirs at `stage`."""
    thread = new_thread(server, "Bonjour, une question sur ma commande")
    r = httpx.post(
        f"{server.api}/simulate/order",
        json={"customer_id": thread["customer"]["id"], "stage": stage, **kw},
    )
    assert r.status_code == 201, r.text
    order: dict[str, Any] = r.json()["order"]
    order["_thread_id"] = thread["id"]
    return order


def act(api: Api, order: dict[str, Any], type_: str, **body: Any) -> httpx.Response:
    payload = {"client_id": cid(), "type": type_, "reason": "Customer asked", **body}
    payload.setdefault("thread_id", order["_thread_id"])
    return api.post(f"/orders/{order['id']}/actions", payload)


def step(server: ServerProcess, order: dict[str, Any]) -> dict[str, Any]:
    r = httpx.post(f"{server.api}/simulate/order-step", json={"order_id": order["id"]})
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()["order"]
    return result


def thread_messages(api: Api, thread_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.get(f"/threads/{thread_id}/messages").json()["items"]
    return items


ADDRESS = {
    "name": "Zoé Lefèvre",
    "line1": "3 place Bellecour",
    "line2": "",
    "postal_code": "69002",
    "city": "Lyon",
    "country": "FR",
}


# --- cancel -----------------------------------------------------------------------------------


def test_cancel_before_shipment(shared: ServerProcess, agent: Api) -> None:
    order = new_order(shared, "processing")
    assert set(order["allowed_actions"]) == {"cancel", "refund", "change_address"}
    r = act(agent, order, "cancel")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["action"]["status"] == "done" and body["action"]["type"] == "cancel"
    assert body["action"]["agent_name"] == "Amélie Dubois"
    cancelled = body["order"]
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"]
    assert cancelled["refunded"] == cancelled["total"]
    assert cancelled["payment"]["status"] == "refunded"
    assert cancelled["allowed_actions"] == []
    newest = thread_messages(agent, order["_thread_id"])[0]
    assert newest["kind"] == "order_event" and newest["order_event"] == "cancelled"
    assert newest["order_id"] == order["id"] and newest["author"]["kind"] == "system"
    assert order["number"] in newest["text"]


def test_cancel_refused_once_shipped(shared: ServerProcess, agent: Api) -> None:
    order = new_order(shared, "shipped")
    assert "cancel" not in order["allowed_actions"]
    r = act(agent, order, "cancel")
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "order_state" and "already shipped" in error["message"]
    assert agent.get(f"/orders/{order['id']}/actions").json()["items"] == []


# --- address ----------------------------------------------------------------------------------


def test_change_address_then_refused_after_shipment(shared: ServerProcess, agent: Api) -> None:
    order = new_order(shared, "processing")
    r = act(agent, order, "change_address", address=ADDRESS)
    assert r.status_code == 201, r.text
    assert r.json()["order"]["shipping_address"]["line1"] == "3 place Bellecour"
    newest = thread_messages(agent, order["_thread_id"])[0]
    assert newest["order_event"] == "address_changed" and "3 place Bellecour" in newest["text"]
    step(shared, order)  # label
    step(shared, order)  # picked up: it has left
    r = act(agent, order, "change_address", address=ADDRESS)
    assert r.status_code == 409 and "carrier has the parcel" in r.json()["error"]["message"]


def test_change_address_needs_a_full_address(shared: ServerProcess, agent: Api) -> None:
    order = new_order(shared, "processing")
    r = act(agent, order, "change_address", address={**ADDRESS, "city": " "})
    assert r.status_code == 422 and "the city" in r.json()["error"]["message"]
    r = act(agent, order, "change_address")
    assert r.status_code == 422 and "new address" in r.json()["error"]["message"]


# --- returns ----------------------------------------------------------------------------------


def test_return_only_after_delivery_and_it_progresses(shared: ServerProcess, agent: Api) -> None:
    order = new_order(shared, "shipped")
    r = act(agent, order, "return", items=[{"sku": "MUG-01", "quantity": 1}])
    assert r.status_code == 409 and "not been delivered" in r.json()["error"]["message"]
    for _ in range(3):  # in transit → out for delivery → delivered
        order = {**step(shared, order), "_thread_id": order["_thread_id"]}
    assert order["status"] == "delivered" and "return" in order["allowed_actions"]
    r = act(agent, order, "return", items=[{"sku": "MUG-01", "quantity": 3}])
    assert r.status_code == 422 and "has 2 × MUG-01" in r.json()["error"]["message"]
    r = act(agent, order, "return", items=[{"sku": "NOPE", "quantity": 1}])
    assert r.status_code == 422 and "no item with the SKU NOPE" in r.json()["error"]["message"]
    r = act(agent, order, "return", items=[{"sku": "MUG-01", "quantity": 2}])
    assert r.status_code == 201, r.text
    ret = r.json()["order"]["returns"][0]
    assert ret["status"] == "open" and ret["items"] == [{"sku": "MUG-01", "quantity": 2}]
    assert ret["tracking_number"] and [e["status"] for e in ret["events"]] == ["label_created"]
    assert "return" not in r.json()["order"]["allowed_actions"]  # nothing left to return
    newest = thread_messages(agent, order["_thread_id"])[0]
    assert newest["order_event"] == "return_created" and ret["tracking_number"] in newest["text"]
    moved = step(shared, order)
    assert moved["returns"][0]["status"] == "in_transit"
    moved = step(shared, order)
    assert moved["returns"][0]["status"] == "received" and moved["status"] == "returned"
    r = act(agent, order, "return", items=[{"sku": "MUG-01", "quantity": 1}])
    assert r.status_code == 409


# --- refunds ----------------------------------------------------------------------------------


def test_refunds_up_to_what_was_paid(shared: ServerProcess, agent: Api) -> None:
    order = new_order(shared, "delivered")
    total = order["total"]  # 2 × 14.50 + 4.90
    r = act(agent, order, "refund", amount=total + 1)
    assert r.status_code == 422
    assert "EUR 33.91 is more than the EUR 33.90 left" in r.json()["error"]["message"]
    r = act(agent, order, "refund", amount=0)
    assert r.status_code == 422
    r = act(agent, order, "refund", items=[{"sku": "MUG-01", "quantity": 3}])
    assert r.status_code == 422
    r = act(agent, order, "refund", items=[{"sku": "MUG-01", "quantity": 1}])
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["action"]["amount"] == 1450 and first["order"]["refunded"] == 1450
    assert first["order"]["payment"]["status"] == "partially_refunded"
    assert first["order"]["refunds"][0]["items"] == [{"sku": "MUG-01", "quantity": 1}]
    r = act(agent, order, "refund", amount=total - 1450, notify_customer=False)
    assert r.status_code == 201
    assert r.json()["order"]["refunded"] == total
    assert "refund" not in r.json()["order"]["allowed_actions"]
    r = act(agent, order, "refund", amount=1)
    assert r.status_code == 409 and "refunded in full" in r.json()["error"]["message"]
    listed = agent.get(f"/orders/{order['id']}/actions").json()["items"]
    assert [a["status"] for a in listed] == ["done", "done"]
    assert [a["amount"] for a in listed] == [total - 1450, 1450]  # newest first


def test_zero_decimal_currency(shared: ServerProcess, agent: Api) -> None:
    order = new_order(
        shared,
        "delivered",
        currency="JPY",
        shipping=500,
        items=[{"sku": "TEA-9", "title": "抹茶", "quantity": 1, "unit_price": 1500}],
    )
    assert order["currency"] == "JPY" and order["total"] == 2000
    r = act(agent, order, "refund", amount=2001)
    assert r.status_code == 422 and "JPY 2001 is more than the JPY 2000" in r.text
    r = act(agent, order, "refund", items=[{"sku": "TEA-9", "quantity": 1}])
    assert r.status_code == 201 and r.json()["action"]["amount"] == 1500
    newest = thread_messages(agent, order["_thread_id"])[0]
    assert "¥1,500" in newest["text"] or "1 500" in newest["text"]


def test_repeated_client_id_refunds_once(shared: ServerProcess, agent: Api) -> None:
    order = new_order(shared, "delivered")
    body = {"client_id": cid(), "type": "refund", "amount": 500, "reason": "damaged"}
    first = agent.post(f"/orders/{order['id']}/actions", body)
    again = agent.post(f"/orders/{order['id']}/actions", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["action"]["id"] == first.json()["action"]["id"]
    assert again.json()["order"]["refunded"] == 500
    other = new_order(shared, "delivered")
    r = agent.post(f"/orders/{other['id']}/actions", body)
    assert r.status_code == 422 and r.json()["error"]["code"] == "client_id_reused"


async def test_concurrent_double_submit_refunds_once(
    shared: ServerProcess, tokens: dict[str, str]
) -> None:
    order = new_order(shared, "delivered")
    body = {"client_id": cid(), "type": "refund", "amount": 700, "reason": "double click"}
    async with httpx.AsyncClient(base_url=shared.api, headers=auth_headers(tokens["agent"])) as c:
        responses = await asyncio.gather(
            *(c.post(f"/orders/{order['id']}/actions", json=body) for _ in range(4))
        )
        stored = (await c.get(f"/orders/{order['id']}")).json()
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201]
    assert len({r.json()["action"]["id"] for r in responses}) == 1
    assert stored["refunded"] == 700 and len(stored["refunds"]) == 1


# --- the refund limit ---------------------------------------------------------------------------


@pytest.fixture
def chf_limit(lead: Api) -> Any:
    settings = lead.get("/settings").json()
    saved = dict(settings.get("refund_limits") or {})
    r = lead.put("/settings", {**settings, "refund_limits": {**saved, "CHF": 2000}})
    assert r.status_code == 200 and r.json()["refund_limits"]["CHF"] == 2000
    yield
    settings = lead.get("/settings").json()
    lead.put("/settings", {**settings, "refund_limits": saved})


async def test_refund_over_the_limit_waits_for_a_lead(
    shared: ServerProcess, agent: Api, lead: Api, tokens: dict[str, str], chf_limit: None
) -> None:
    order = new_order(shared, "delivered", currency="CHF")
    stream = await Stream.open(shared, tokens["lead"], after=0)
    try:
        await stream.until_ready(30)
        r = act(agent, order, "refund", amount=2500)
        assert r.status_code == 201
        pending = r.json()["action"]
        assert pending["status"] == "pending_approval" and r.json()["order"]["refunded"] == 0
        event = await stream.next_event("order.action")
        assert event["data"]["action"]["id"] == pending["id"]
        assert event["data"]["action"]["status"] == "pending_approval"
        # Below the limit goes straight through; the pending refund counts already.
        assert act(agent, order, "refund", amount=100).json()["action"]["status"] == "done"
        r = act(agent, order, "refund", amount=1000)  # 100 + 2500 + 1000 > 3390
        assert r.status_code == 422
        # A lead is not held back by the limit.
        assert act(lead, order, "refund", amount=790).json()["action"]["status"] == "done"
        listed = lead.get("/actions", status="pending_approval").json()["items"]
        mine = [a for a in listed if a["id"] == pending["id"]]
        assert mine and mine[0]["order_number"] == order["number"] and mine[0]["customer_name"]
        assert pending["id"] not in {
            a["id"]
            for a in agent.get("/actions", status="pending_approval").json()["items"]
            if a["agent_id"] != pending["agent_id"]
        }
        r = agent.post(f"/actions/{pending['id']}/decision", {"decision": "approve"})
        assert r.status_code == 403
        r = lead.post(f"/actions/{pending['id']}/decision", {"decision": "approve"})
        assert r.status_code == 200
        decided = r.json()
        assert decided["action"]["status"] == "done"
        assert decided["action"]["decided_by_name"] == "Léa Fontaine"
        assert decided["order"]["refunded"] == decided["order"]["total"] == 3390
        r = lead.post(f"/actions/{pending['id']}/decision", {"decision": "approve"})
        assert r.status_code == 409 and r.json()["error"]["code"] == "not_pending"
    finally:
        await stream.close()


def test_lead_approves_or_declines(
    shared: ServerProcess, agent: Api, lead: Api, chf_limit: None
) -> None:
    order = new_order(shared, "delivered", currency="CHF")
    big = act(agent, order, "refund", amount=2400).json()["action"]
    r = lead.post(f"/actions/{big['id']}/decision", {"decision": "decline", "note": "Ask first"})
    assert r.status_code == 200 and r.json()["action"]["status"] == "declined"
    assert r.json()["action"]["decided_by_name"] == "Léa Fontaine"
    note = thread_messages(agent, order["_thread_id"])[0]
    assert note["kind"] == "note" and "declined" in note["text"] and "Ask first" in note["text"]
    again = act(agent, order, "refund", amount=2400).json()["action"]
    r = lead.post(f"/actions/{again['id']}/decision", {"decision": "approve"})
    assert r.json()["action"]["status"] == "done" and r.json()["order"]["refunded"] == 2400
    mine = agent.get("/actions").json()["items"]
    assert {again["id"], big["id"]} <= {a["id"] for a in mine}
    # The purchase history asks for a customer's actions, whoever asked for them.
    customer = agent.get(f"/orders/{order['id']}").json()["customer_id"]
    seen_by_colleague = lead.get("/actions", customer_id=customer).json()["items"]
    assert [a["id"] for a in seen_by_colleague] == [again["id"], big["id"]]


# --- the rest -----------------------------------------------------------------------------------


async def test_results_reach_the_stream(
    shared: ServerProcess, agent: Api, tokens: dict[str, str]
) -> None:
    order = new_order(shared, "processing")
    stream = await Stream.open(shared, tokens["agent2"], after=0)
    try:
        await stream.until_ready(30)
        assert act(agent, order, "cancel").status_code == 201
        seen: list[str] = []
        while not seen or seen[-1] != "order.action:done":
            event = await stream.next_event()
            data = event["data"]
            if event["name"] == "order.action" and data["order_id"] == order["id"]:
                seen.append(f"order.action:{data['action']['status']}")
            elif event["name"] == "order.updated" and data["order"]["id"] == order["id"]:
                seen.append(f"order.updated:{data['order']['status']}")
            elif event["name"] == "message.created" and data["message"]["order_id"] == order["id"]:
                seen.append(f"message:{data['message']['order_event']}")
        assert seen == [
            "order.action:in_progress",
            "order.updated:cancelled",
            "message:cancelled",
            "order.action:done",
        ]
    finally:
        await stream.close()


def test_notify_customer_outside_messenger_says_why(shared: ServerProcess, agent: Api) -> None:
    order = new_order(shared, "processing")
    r = act(agent, order, "cancel", notify_customer=True)
    assert r.status_code == 201
    newest = thread_messages(agent, order["_thread_id"])[0]
    assert newest["author"]["kind"] == "automated" and newest["delivery"] == "failed"
    assert "not on Messenger" in newest["error"]


def test_bad_requests(shared: ServerProcess, agent: Api) -> None:
    order = new_order(shared, "processing")
    assert act(agent, {"id": "o_nothing", "_thread_id": None}, "cancel").status_code == 404
    r = agent.post(f"/orders/{order['id']}/actions", {"client_id": cid(), "type": "explode"})
    assert r.status_code == 422
    r = act(agent, order, "cancel", thread_id="t_jonas")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_thread"
    r = httpx.post(f"{shared.api}/orders/{order['id']}/actions", json={"client_id": "x"})
    assert r.status_code == 401
    assert agent.get("/orders/o_nothing/actions").status_code == 404
    assert agent.get("/actions", status="bogus").status_code == 422
