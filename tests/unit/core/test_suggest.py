"""The suggested reply (core/suggest.py): the order meant, the team template for the question in
the customer's language, filled completely, and the late-delivery answer once the date passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agent_desktop.core.order_types import (
    Address,
    Customer,
    Order,
    OrderItem,
    Payment,
    Refund,
    Shipment,
)
from agent_desktop.core.suggest import choose_order, suggest, unanswered_text
from agent_desktop.core.types import Author, Message, TeamSettings, Template

NOW = datetime(2026, 12, 3, 9, tzinfo=UTC)


def order(
    number: str,
    days_ago: int,
    status: str = "shipped",
    eta_days: int | None = 2,
    shipment_status: str = "in_transit",
    **extra: object,
) -> Order:
    return Order(
        id=f"o{number}",
        number=f"#{number}",
        placed_at=NOW - timedelta(days=days_ago),
        status=status,
        currency="EUR",
        items=[OrderItem(sku="MUG", title="Mug", quantity=1, unit_price=1450)],
        subtotal=1450,
        shipping=490,
        tax=0,
        total=1940,
        payment=Payment(method="card", status="paid"),
        shipping_address=Address(),
        shipment=Shipment(
            carrier="Colissimo",
            tracking_number=f"6A{number}",
            tracking_url=f"https://track.example.test/6A{number}",
            status=shipment_status,
            eta=None if eta_days is None else NOW + timedelta(days=eta_days),
        ),
        **extra,  # type: ignore[arg-type]
    )


def customer(locale: str = "fr") -> Customer:
    return Customer(id="c1", name="Camille Martin", locale=locale, customer_since=NOW)


def template(
    tid: str, intent: str, body: str, language: str = "fr", scope: str = "team"
) -> Template:
    return Template(
        id=tid,
        shortcut=tid,
        title=tid,
        body=body,
        language=language,
        scope=scope,
        intent=intent,  # type: ignore[arg-type]
    )


WHERE_FR = template(
    "ou",
    "where_is_order",
    "Bonjour {{customer.first_name}}, votre commande {{order.number}} est chez {{order.carrier}} "
    "({{order.tracking_url}}) et arrive le {{order.eta}}.",
)
LATE_FR = template(
    "retard",
    "late_delivery",
    "Toutes nos excuses, la commande {{order.number}} a du retard chez {{order.carrier}} : "
    "{{order.tracking_url}}",
)
WHERE_EN = template(
    "where", "where_is_order", "Order {{order.number}} arrives {{order.eta}}.", language="en"
)
RETURN_FR = template("retour", "return_exchange", "{{return.instructions}}")
TEMPLATES = [WHERE_FR, LATE_FR, WHERE_EN, RETURN_FR]


def test_where_is_my_order_names_the_order_carrier_link_and_date() -> None:
    orders = [order("1938", 5), order("1940", 1)]
    s = suggest(
        "bonjour, où est ma commande 1938 ?",
        customer=customer(),
        orders=orders,
        templates=TEMPLATES,
        now=NOW,
    )
    assert s is not None and s.template is WHERE_FR and s.order is orders[0]
    assert s.text == (
        "Bonjour Camille, votre commande #1938 est chez Colissimo "
        "(https://track.example.test/6A1938) et arrive le 5 décembre 2026."
    )


def test_the_customers_language_picks_the_template() -> None:
    s = suggest(
        "where is my order?",
        customer=customer("en"),
        orders=[order("1938", 5)],
        templates=TEMPLATES,
        now=NOW,
    )
    assert s is not None and s.template is WHERE_EN
    assert s.text == "Order #1938 arrives December 5, 2026."
    # No template in the customer's language: no suggestion (never the wrong language).
    german = Customer(id="c2", name="Jonas", locale="de", customer_since=NOW)
    assert (
        suggest("where is my order?", customer=german, orders=[], templates=TEMPLATES, now=NOW)
        is None
    )


def test_a_passed_date_switches_to_the_late_delivery_answer() -> None:
    late = order("1938", 9, eta_days=-2)
    s = suggest(
        "où est ma commande ?", customer=customer(), orders=[late], templates=TEMPLATES, now=NOW
    )
    assert s is not None and s.template is LATE_FR and s.intent == "where_is_order"
    assert "1938" in s.text and "décembre" not in s.text
    # Without a late-delivery template, the where template cannot quote a past date: nothing.
    assert (
        suggest(
            "où est ma commande ?",
            customer=customer(),
            orders=[late],
            templates=[WHERE_FR],
            now=NOW,
        )
        is None
    )
    delayed = order("1938", 3, shipment_status="delayed")
    s = suggest(
        "où est ma commande ?", customer=customer(), orders=[delayed], templates=TEMPLATES, now=NOW
    )
    assert s is not None and s.template is LATE_FR


def test_a_number_that_is_not_the_customers_gives_no_suggestion() -> None:
    s = suggest(
        "où est ma commande #7777 ?",
        customer=customer(),
        orders=[order("1938", 5)],
        templates=TEMPLATES,
        now=NOW,
    )
    assert s is None


def test_unfilled_variables_give_no_suggestion() -> None:
    no_settings = suggest(
        "je voudrais retourner un article",
        customer=customer(),
        orders=[order("1938", 5, status="delivered")],
        templates=TEMPLATES,
        now=NOW,
    )
    assert no_settings is None
    settings = TeamSettings(return_instructions={"fr": "Renvoyez-le avec le bon joint.", "en": "x"})
    s = suggest(
        "je voudrais retourner un article",
        customer=customer(),
        orders=[order("1938", 5, status="delivered")],
        templates=TEMPLATES,
        now=NOW,
        settings=settings,
    )
    assert s is not None and s.text == "Renvoyez-le avec le bon joint."


def test_personal_and_unmarked_templates_are_never_suggested() -> None:
    personal = template("p", "where_is_order", "{{order.number}}", scope="personal")
    unmarked = WHERE_FR.model_copy(update={"intent": None})
    s = suggest(
        "où est ma commande ?",
        customer=customer(),
        orders=[order("1938", 5)],
        templates=[personal, unmarked],
        now=NOW,
    )
    assert s is None


def test_unclear_questions_give_no_suggestion() -> None:
    for text in ("Bonjour", "Vous livrez en Belgique ?", "mon code promo ne marche pas"):
        assert suggest(text, customer=customer(), orders=[], templates=TEMPLATES, now=NOW) is None


def test_choose_order() -> None:
    delivered_old = order("1001", 30, status="delivered")
    open_old = order("1002", 20)
    delivered_new = order("1003", 10, status="delivered")
    refunded = order(
        "1004",
        40,
        status="delivered",
        refunds=[Refund(id="r", amount=100, created_at=NOW)],
    )
    orders = [delivered_old, open_old, delivered_new, refunded]
    assert choose_order("where is order 1001", orders) == (delivered_old, False)
    assert choose_order("ma commande n°1001 ?", orders) == (delivered_old, False)
    assert choose_order("commande 9999", orders) == (None, True)
    assert choose_order("where is my order", orders) == (open_old, False)
    assert choose_order("refund?", orders, "refund_status") == (refunded, False)
    assert choose_order("it's broken", orders, "damaged_wrong_item") == (delivered_new, False)
    assert choose_order("hello", [delivered_old, delivered_new]) == (delivered_new, False)
    assert choose_order("hello", []) == (None, False)
    # A bare number that is not an order (a postcode) is not taken for one.
    assert choose_order("deliver to 12 rue X 75002 Paris", orders) == (open_old, False)


def msg(kind: str, text: str, n: int, mkind: str = "text") -> Message:
    return Message(
        id=f"m{n}",
        thread_id="t",
        author=Author(kind=kind),  # type: ignore[arg-type]
        kind=mkind,  # type: ignore[arg-type]
        text=text,
        created_at=NOW + timedelta(minutes=n),
    )


def test_unanswered_text_is_what_the_customer_wrote_since_the_last_reply() -> None:
    messages = [
        msg("customer", "Bonjour", 1),
        msg("agent", "Bonjour !", 2),
        msg("customer", "J'ai une question", 3),
        msg("agent", "Note interne", 4, "note"),
        msg("automated", "Votre commande est expédiée", 5, "order_event"),
        msg("customer", "où est ma commande 1938 ?", 6),
    ]
    assert unanswered_text(messages) == "J'ai une question\noù est ma commande 1938 ?"
    assert unanswered_text([*messages, msg("agent", "Elle arrive", 7)]) == ""


def test_unanswered_text_read_from_the_newest_back_is_the_same() -> None:
    # The suggestion reads the open conversation from its newest message back to the last reply
    # (not all of a long one): the same lines as reading it all, oldest first.
    kinds = ["customer", "customer", "agent", "customer", "automated", "customer", "customer"]
    for n in range(len(kinds) * 3 + 1):
        messages = [msg(kinds[i % len(kinds)], f"line {i}" if i % 4 else "  ", i) for i in range(n)]
        messages += [msg("customer", f"more {i}", 100 + i) for i in range(n % 8)]
        want = unanswered_text(messages)
        assert unanswered_text(reversed(messages), newest_first=True) == want, n
