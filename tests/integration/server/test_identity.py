"""Customer search and identity linking: the server suggests the shop customer a conversation's
customer may be (order number with the same name, e-mail, phone), never links by itself; agents
confirm or dismiss; linking moves the thread to the shop customer's orders and back."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.helpers.server_fixtures import ServerProcess
from tests.integration.server.conftest import Api, customer_writes, new_thread
from tests.integration.server.test_shop_ingest import Shop, order_body


@pytest.fixture(scope="module")
def shop(shared: ServerProcess, tokens: dict[str, str]) -> Any:
    lead = Api(shared, tokens["lead"])
    r = lead.post("/integrations", {"name": "Identity tests"})
    s = Shop(shared, r.json()["token"])
    yield s
    s.client.close()
    lead.close()


def shop_customer(shop: Shop, name: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    """A shop customer with one order; returns (order number, customer)."""
    external = f"id-{uuid.uuid4().hex[:8]}"
    r = shop.put(f"/shop/customers/{external}", {"name": name, **fields})
    assert r.status_code == 201, r.text
    number = f"#{uuid.uuid4().int % 10**7:07d}"
    r = shop.put(f"/shop/orders/o-{external}", order_body(external, number=number))
    assert r.status_code == 201, r.text
    customer: dict[str, Any] = r.json()["order"]
    return number, {"id": customer["customer_id"], "name": name}


def unique_name(first: str) -> str:
    return f"{first} {uuid.uuid4().hex[:6].upper()}"


def test_search_by_name_email_phone_and_order(agent: Api) -> None:
    def ids(q: str) -> list[str]:
        r = agent.get("/customers", q=q)
        assert r.status_code == 200, r.text
        return [c["id"] for c in r.json()["items"]]

    assert "c_camille" in ids("camille")
    assert "c_camille" in ids("CAMILLE MART")
    assert "c_camille" in ids("camille@example")
    assert "c_camille" in ids("06 12 34 56 78")  # stored as +33 6 12 34 56 78
    assert "c_camille" in ids("#1042")
    assert "c_camille" not in ids("jonas")
    found = agent.get("/customers", q="#1042").json()["items"]
    camille = next(c for c in found if c["id"] == "c_camille")
    assert camille["order_count"] == 2 and camille["lifetime_value"] > 0


def test_search_ignores_accents_and_pages(shop: Shop, agent: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    for first in ("Élodie", "Eloïse", "Émile"):
        shop.put(f"/shop/customers/{first}-{tag}", {"name": f"{first} Zèbre{tag}"})
    first_page = agent.get("/customers", q=f"zebre{tag}", limit=2).json()
    assert [c["name"].split()[0] for c in first_page["items"]] == ["Élodie", "Eloïse"]
    rest = agent.get("/customers", q=f"zebre{tag}", limit=2, cursor=first_page["next_cursor"])
    assert [c["name"].split()[0] for c in rest.json()["items"]] == ["Émile"]
    assert rest.json()["next_cursor"] is None
    assert agent.get("/customers", cursor="nonsense!").status_code == 422
    assert agent.get("/customers", limit=0).status_code == 422


def test_order_number_and_same_name_is_suggested_then_linked(
    shared: ServerProcess, shop: Shop, agent: Api
) -> None:
    name = unique_name("Zoé")
    number, customer = shop_customer(shop, name)
    other = new_thread(shared, f"Bonjour, j'ai une question sur la commande {number}")
    assert other["customer_suggestion"] is None  # a different name: nothing suggested
    # A conversation-only customer with the same name writes about that order.
    thread = thread_named(shared, name)
    assert thread["customer_suggestion"] is None
    assert agent.get(f"/customers/{thread['customer']['id']}").json()["source"] is None
    same = customer_writes(shared, thread["id"], f"Ma commande {number} ?")
    suggestion = same["thread"]["customer_suggestion"]
    assert suggestion["customer_id"] == customer["id"] and suggestion["name"] == name
    assert number in suggestion["reason"] and "same name" in suggestion["reason"]
    assert (suggestion["basis"], suggestion["evidence"]) == ("order", number)
    thread_id = same["thread"]["id"]
    # Nothing changes until an agent confirms.
    assert agent.get(f"/threads/{thread_id}").json()["customer"]["id"] != customer["id"]
    r = agent.post(f"/threads/{thread_id}/customer", {"customer_id": customer["id"]})
    assert r.status_code == 200, r.text
    linked = r.json()
    assert linked["thread"]["customer"]["id"] == customer["id"]
    assert linked["thread"]["customer_suggestion"] is None
    assert linked["customer"]["order_count"] == 1
    orders = agent.get(f"/customers/{customer['id']}/orders").json()["items"]
    assert [o["number"] for o in orders] == [number]
    # New messages keep arriving in the same thread; no new suggestion for a linked customer.
    after = customer_writes(shared, thread_id, f"Et la commande {number} ?")
    assert after["thread"]["id"] == thread_id
    assert after["thread"]["customer_suggestion"] is None


def thread_named(server: ServerProcess, name: str) -> dict[str, Any]:
    r = httpx.post(
        f"{server.api}/simulate/customer-message", json={"customer_name": name, "text": "Salut"}
    )
    assert r.status_code == 201
    thread: dict[str, Any] = r.json()["thread"]
    return thread


def test_email_or_phone_is_suggested_and_dismissed_for_good(
    shared: ServerProcess, shop: Shop, agent: Api
) -> None:
    tag = uuid.uuid4().hex[:8]
    digits = f"9{uuid.uuid4().int % 10**8:08d}"
    spaced = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    _, by_mail = shop_customer(shop, unique_name("Ana"), email=f"ana.{tag}@example.pt")
    _, by_phone = shop_customer(shop, unique_name("Rui"), phone=f"+351 {spaced}")
    thread = new_thread(shared, f"My e-mail is Ana.{tag}@Example.PT, thanks")
    assert thread["customer_suggestion"]["customer_id"] == by_mail["id"]
    assert "e-mail" in thread["customer_suggestion"]["reason"]
    assert thread["customer_suggestion"]["basis"] == "email"
    r = agent.delete(f"/threads/{thread['id']}/customer-suggestion")
    assert r.status_code == 200 and r.json()["customer_suggestion"] is None
    again = customer_writes(shared, thread["id"], f"ana.{tag}@example.pt once more")
    assert again["thread"]["customer_suggestion"] is None  # dismissed for good
    phoned = new_thread(shared, f"Call me: {spaced}")
    assert phoned["customer_suggestion"]["customer_id"] == by_phone["id"]
    assert "phone" in phoned["customer_suggestion"]["reason"]


def test_linking_back_undoes_and_bad_links_are_refused(
    shared: ServerProcess, shop: Shop, agent: Api
) -> None:
    _, customer = shop_customer(shop, unique_name("Noa"))
    thread = new_thread(shared, "Hello")
    original = thread["customer"]["id"]
    assert (
        agent.post(f"/threads/{thread['id']}/customer", {"customer_id": customer["id"]}).json()[
            "thread"
        ]["customer"]["id"]
        == customer["id"]
    )
    back = agent.post(f"/threads/{thread['id']}/customer", {"customer_id": original})
    assert back.json()["thread"]["customer"]["id"] == original
    r = agent.post(f"/threads/{thread['id']}/customer", {"customer_id": "c_nobody"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_customer"
    r = agent.post("/threads/t_nothing/customer", {"customer_id": customer["id"]})
    assert r.status_code == 404
