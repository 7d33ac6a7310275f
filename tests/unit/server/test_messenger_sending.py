"""The sender's rules without a network: the pacer keeps below Meta's per-Page rates on a virtual
clock, the pause gate lets one probe through at a time, utility templates are written and filled
as Meta expects, and the configuration drops retired tags."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import UTC, datetime

import pytest

from agent_desktop.core.messenger_rules import current_rules
from agent_desktop.core.order_types import Address, Customer, Order, OrderItem, Payment, Shipment
from agent_desktop.server.messenger import utility
from agent_desktop.server.messenger.config import load_config
from agent_desktop.server.messenger.gate import PauseGate
from agent_desktop.server.messenger.pacing import Pacer, message_kind

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _busiest(times: list[float], span: float) -> int:
    window: deque[float] = deque()
    best = 0
    for at in times:
        window.append(at)
        while window[0] <= at - span:
            window.popleft()
        best = max(best, len(window))
    return best


def test_a_burst_of_1000_sends_keeps_below_300_a_second() -> None:
    clock = Clock()
    pacer = Pacer(current_rules(), engaged_users=lambda: 50, clock=clock, sleep=clock.sleep)
    sent: list[float] = []

    async def burst() -> None:
        for _ in range(1000):
            await pacer.acquire("text")
            sent.append(clock.now)

    asyncio.run(burst())
    assert _busiest(sent, 1.0) == 270  # 90 % of Meta's 300
    assert sent[-1] - sent[0] < 4.0  # and no slower than that


def test_audio_and_video_keep_below_10_a_second() -> None:
    clock = Clock()
    pacer = Pacer(current_rules(), clock=clock, sleep=clock.sleep, engaged_users=lambda: 10)
    sent = []

    async def burst() -> None:
        for _ in range(40):
            await pacer.acquire("media")
            sent.append(clock.now)

    asyncio.run(burst())
    assert _busiest(sent, 1.0) == 9
    assert message_kind({"attachment": {"type": "video", "payload": {}}}) == "media"
    assert message_kind({"text": "hi"}) == "text"


def test_the_daily_budget_is_200_per_engaged_user() -> None:
    clock = Clock()
    pacer = Pacer(current_rules(), engaged_users=lambda: 2, clock=clock, sleep=clock.sleep)
    assert pacer.daily_budget() == 360  # 90 % of 2 × 200
    for _ in range(360):
        assert pacer.delay("text") < 2.0
        pacer.take("text")
        clock.now += 0.01
    wait = pacer.delay("text")
    assert 24 * 3600 - 10 < wait <= 24 * 3600  # the oldest send must leave the rolling day


def test_instances_share_the_rate() -> None:
    pacer = Pacer(current_rules(), instances=3)
    assert pacer.per_second["text"] == 90


def test_the_pause_gate_lets_one_probe_through_and_doubles_its_wait() -> None:
    clock = Clock()
    gate = PauseGate(first_probe_seconds=0.05, clock=clock)

    async def scenario() -> None:
        assert await gate.wait() is False  # not paused
        gate.pause()
        assert gate.probe_seconds == 0.05
        waiters = [asyncio.create_task(gate.wait()) for _ in range(3)]
        await asyncio.sleep(0)
        assert not any(w.done() for w in waiters)
        clock.now += 0.05  # the probe time comes
        gate.probe_now()
        await asyncio.sleep(0.01)
        done = [w for w in waiters if w.done()]
        assert len(done) == 1 and done[0].result() is True  # one probe only
        gate.pause()  # still restricted
        assert gate.probe_seconds == 0.1
        await asyncio.sleep(0.01)
        assert sum(w.done() for w in waiters) == 1
        gate.resume()
        results = await asyncio.gather(*waiters)
        assert sorted(results) == [False, False, True]
        assert not gate.paused

    asyncio.run(scenario())


def _order(**changes: object) -> Order:
    data: dict[str, object] = {
        "id": "o_1",
        "number": "#1042",
        "placed_at": NOW,
        "status": "shipped",
        "currency": "EUR",
        "items": [OrderItem(sku="A", title="Mug", quantity=1, unit_price=1450)],
        "subtotal": 1450,
        "shipping": 490,
        "tax": 0,
        "total": 1940,
        "payment": Payment(method="card", status="paid"),
        "shipping_address": Address(line1="1 rue A", city="Lyon", country="FR"),
        "shipment": Shipment(
            carrier="Colissimo",
            tracking_number="6A22",
            tracking_url="https://track.example/6A22",
            status="in_transit",
            eta=datetime(2026, 11, 26, 12, tzinfo=UTC),
        ),
    }
    data.update(changes)
    return Order.model_validate(data)


CAMILLE = Customer(id="c", name="Camille Martin", customer_since=NOW, locale="fr")


def test_a_page_owned_template_in_metas_numbered_form() -> None:
    body = utility.numbered("Votre commande {order_number} est partie avec {carrier}. Merci !")
    assert body.text == "Votre commande {{1}} est partie avec {{2}}. Merci !"
    assert body.fields == ("order_number", "carrier")
    payload = utility.create_payload("suivi", "fr", body)
    assert payload["components"][0]["example"] == {"body_text": [["#1041", "Colissimo"]]}
    assert payload["category"] == "UTILITY"
    for bad in ("{order_number} est partie.", "Partie : {order_number}", "Code {promo} ici", ""):
        with pytest.raises(utility.TemplateProblem):
            utility.numbered(bad)


def test_a_utility_message_filled_with_the_orders_values() -> None:
    template = {
        "name": "suivi_colis",
        "language": "fr",
        "fields": ["order_number", "carrier", "tracking_url", "eta", "customer_name"],
    }
    message, texts = utility.utility_message(template, _order(), CAMILLE)
    assert texts == [
        "#1042",
        "Colissimo",
        "https://track.example/6A22",
        "26 novembre 2026",
        "Camille",
    ]
    assert message == {
        "template": {
            "name": "suivi_colis",
            "language": {"code": "fr"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": t} for t in texts]}
            ],
        }
    }
    with pytest.raises(utility.MissingValue, match="carrier"):
        utility.utility_message(template, _order(shipment=None), CAMILLE)
    english = {"name": "x", "language": "en_US", "fields": ["order_total", "eta"]}
    _, texts = utility.utility_message(english, _order(), CAMILLE)
    assert texts == ["€19.40", "November 26, 2026"]  # the customer's locale, long form (issue 21)
    assert utility.filled_text("A {{1}} b {{2}}", ["x", "y"]) == "A x b y"


def test_the_template_for_a_customers_language() -> None:
    both = [{"language": "en_US"}, {"language": "fr"}]
    assert utility.pick(both, "fr-FR") == {"language": "fr"}
    assert utility.pick(both, "de") == {"language": "en_US"}
    assert utility.pick([{"language": "fr"}], "en") == {"language": "fr"}
    assert utility.pick([], "fr") is None


def test_guessing_what_a_library_placeholder_holds() -> None:
    body = "Hi {{1}}, your order {{2}} shipped with {{3}}. Track it at {{4}}; it arrives {{5}}."
    samples = ["Jim", "#12345", "UPS", "https://x.example/t", "March 3, 2026"]
    kinds = ["TEXT", "TEXT", "TEXT", "TEXT", "DATE"]
    assert utility.guess_fields(body, samples, kinds) == [
        "customer_name",
        "order_number",
        "carrier",
        "tracking_url",
        "eta",
    ]
    assert utility.guess_fields("Total {{1}} paid.", ["$25.00"], ["AMOUNT"]) == ["order_total"]


def test_retired_tags_are_dropped_from_the_configuration(caplog: pytest.LogCaptureFixture) -> None:
    env = {
        "MESSENGER_APP_SECRET": "s",
        "MESSENGER_VERIFY_TOKEN": "v",
        "MESSENGER_ALLOWED_TAGS": "HUMAN_AGENT,post_purchase_update",
        "MESSENGER_ORDER_TAG": "POST_PURCHASE_UPDATE",
    }
    with caplog.at_level(logging.WARNING, logger="agent_desktop.server.messenger"):
        config = load_config(env)
    assert config is not None
    assert config.allowed_tags == ("HUMAN_AGENT",)
    assert "27 April 2026" in caplog.text and "MESSENGER_ORDER_TAG is ignored" in caplog.text
    assert not config.human_agent and not config.utility_messaging
    granted = load_config(
        {**env, "MESSENGER_HUMAN_AGENT": "granted", "MESSENGER_UTILITY_MESSAGING": "true"}
    )
    assert granted is not None and granted.human_agent and granted.utility_messaging


def test_more_engaged_users_lift_the_daily_budget() -> None:
    clock = Clock()
    engaged = [1]
    pacer = Pacer(current_rules(), engaged_users=lambda: engaged[0], clock=clock, sleep=clock.sleep)
    refreshes = []

    async def refresh() -> None:
        refreshes.append(clock.now)
        if pacer.daily_blocked():
            engaged[0] = 10  # more people wrote meanwhile

    async def burst() -> None:
        for _ in range(300):
            await pacer.acquire("text", refresh=refresh)

    asyncio.run(burst())
    assert clock.now - 1000.0 < 10  # not a day: the new count let the burst go on
    assert pacer.daily_budget() == 1800


def test_the_client_and_the_server_know_the_same_order_values() -> None:
    from agent_desktop.core.messenger_types import ORDER_FIELDS

    assert tuple(utility.FIELDS) == ORDER_FIELDS
