"""Medusa's refusals (its own messages, as Medusa 2.21 sends them) as sentences for the agent,
and what Medusa can still refund of a payment."""

from __future__ import annotations

from decimal import Decimal

from agent_desktop.core.order_types import ItemQuantity
from agent_desktop.server.medusa.client import MedusaError, MedusaUnavailable
from agent_desktop.server.medusa.source import note, refundable_now, refusal, unreachable
from agent_desktop.server.shop.source import ActionRequest


def test_known_refusals_say_what_to_do() -> None:
    fulfilled = MedusaError(
        400, "not_allowed", "All fulfillments must be canceled before canceling an order"
    )
    sentence = refusal(fulfilled, "cancel", "#12")
    assert sentence.startswith("Medusa refused to cancel order #12")
    assert "Cancel them in Medusa first" in sentence
    captured = MedusaError(
        400, "invalid_data", "You are not allowed to refund more than the captured amount"
    )
    assert "more than the payment Medusa has captured" in refusal(captured, "refund", "#12")
    cancelled = MedusaError(
        400, "invalid_data", "Order with id order_01M96YC49RYSNDSNAPD1ECBV28 has been canceled."
    )
    assert refusal(cancelled, "change_address", "#3") == "Order #3 is already cancelled in Medusa."
    too_many = MedusaError(
        400,
        "invalid_data",
        "Cannot request to return more items than what was fulfilled for item ordli_01.",
    )
    assert "only items that have been fulfilled" in refusal(too_many, "return", "#2")


def test_other_refusals_keep_medusas_words_in_a_sentence() -> None:
    odd = MedusaError(400, "invalid_data", "Something Medusa did not like")
    assert refusal(odd, "return", "#7") == (
        "Medusa refused to open a return for order #7: Something Medusa did not like."
    )
    assert "MEDUSA_API_KEY" in refusal(
        MedusaError(401, "unauthorized", "Unauthorized"), "cancel", "#7"
    )
    assert refusal(MedusaError(404, "not_found", "Order id not found"), "cancel", "#7") == (
        "Medusa no longer has order #7, so it was not changed."
    )
    lost = unreachable(MedusaUnavailable("Medusa could not be reached (ConnectTimeout)."), "#7")
    assert "Check the order in Medusa before trying again" in lost


def test_refundable_is_captured_less_refunded() -> None:
    payment = {
        "amount": 50,
        "captured_at": "2026-12-07T00:28:48Z",
        "captures": [{"amount": 50}],
        "refunds": [{"amount": 5}, {"amount": 7.5}],
    }
    assert refundable_now(payment) == Decimal("37.5")
    assert refundable_now({"amount": 50, "captured_at": None, "captures": []}) == 0
    assert refundable_now({**payment, "canceled_at": "2026-12-07T01:00:00Z"}) == 0


def test_the_note_carries_the_reason_the_items_and_the_tag() -> None:
    request = ActionRequest(
        key="act_0123456789abcdef",
        type="refund",
        reason="  chipped\nmug ",
        items=(ItemQuantity(sku="MUG-BLUE", quantity=1),),
        amount=700,
    )
    assert note(request) == "chipped mug (1 × MUG-BLUE) [Agent Desktop action act_0123456789abcdef]"
