"""Quick-reply rendering: variables, fallbacks, missing values, literal insertion, locales."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop.core.order_types import Address, Customer, Order, OrderItem, Payment, Shipment
from agent_desktop.core.templates import (
    KNOWN_VARIABLES,
    TemplateContext,
    eta_passed,
    items_summary,
    order_status_word,
    pick_order,
    render,
    unknown_variables,
    variables_in,
)
from agent_desktop.core.types import Agent

NBSP = "\u00a0"
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def customer(name: str = "Léa Martin", locale: str = "fr") -> Customer:
    return Customer(id="c1", name=name, locale=locale, customer_since=T0)


def agent(name: str = "Paul Durand") -> Agent:
    return Agent(id="a1", name=name, email="paul@example.test")


def order(
    oid: str = "o1", placed: datetime = T0, shipment: bool = True, status: str = "shipped"
) -> Order:
    return Order(
        id=oid,
        number=f"N-{oid}",
        placed_at=placed,
        status=status,
        currency="EUR",
        items=[],
        subtotal=4000,
        shipping=490,
        tax=0,
        total=4490,
        payment=Payment(method="card", status="paid"),
        shipping_address=Address(),
        shipment=Shipment(
            carrier="Colissimo",
            tracking_number="6A123",
            tracking_url="https://track.example.test/6A123",
            status="in_transit",
            eta=datetime(2026, 3, 5, 10, tzinfo=UTC),
        )
        if shipment
        else None,
    )


def test_all_variables_in_french() -> None:
    ctx = TemplateContext(customer=customer(), agent=agent(), order=order())
    body = (
        "Bonjour {{customer.first_name}} ({{customer.name}}), ici {{agent.first_name}} / "
        "{{agent.name}}. Commande {{order.number}} {{order.status}}, total {{order.total}}, "
        "livraison le {{order.eta}}, suivi {{order.tracking_number}} {{order.tracking_url}}"
    )
    r = render(body, ctx)
    assert r.missing == [] and r.unfilled_spans == []
    assert r.text == (
        "Bonjour Léa (Léa Martin), ici Paul / Paul Durand. Commande N-o1 expédiée, "
        f"total 44,90{NBSP}€, livraison le 5 mars 2026, suivi 6A123 https://track.example.test/6A123"
    )


def test_english_locale_for_money_date_and_status() -> None:
    ctx = TemplateContext(customer=customer(locale="en"), order=order())
    r = render("{{order.status}} {{order.total}} {{order.eta}}", ctx)
    assert r.text == "shipped €44.90 March 5, 2026"


def test_context_locale_overrides_the_customers() -> None:
    ctx = TemplateContext(customer=customer(locale="fr"), order=order(), locale="en")
    assert render("{{order.total}}", ctx).text == "€44.90"


def test_fallback_used_when_value_missing() -> None:
    r = render("Hi {{customer.first_name|there}}!", TemplateContext())
    assert (r.text, r.missing) == ("Hi there!", [])
    r = render(
        "Hi {{ customer.first_name | there }}!", TemplateContext(customer=customer(name="  "))
    )
    assert r.text == "Hi there!"
    r = render("Hi {{customer.first_name|there}}!", TemplateContext(customer=customer()))
    assert r.text == "Hi Léa!"


def test_missing_variable_stays_and_is_reported_with_its_span() -> None:
    body = "Order {{order.number}} ships {{ order.eta }}."
    r = render(body, TemplateContext(order=order(shipment=False)))
    assert r.text == "Order N-o1 ships {{ order.eta }}."
    assert r.missing == ["order.eta"]
    [(start, end, name)] = r.unfilled_spans
    assert r.text[start:end] == "{{ order.eta }}" and name == "order.eta"


def test_spans_are_in_output_coordinates() -> None:
    body = "{{customer.name}} {{order.number}} {{customer.name}}"
    r = render(body, TemplateContext(customer=customer("A Very Long Customer Name")))
    assert r.missing == ["order.number"]
    [(start, end, _)] = r.unfilled_spans
    assert r.text[start:end] == "{{order.number}}"


def test_unknown_variables_count_as_missing() -> None:
    r = render("{{customer.shoe_size}} {{nope|x}}", TemplateContext(customer=customer()))
    assert r.text == "{{customer.shoe_size}} {{nope|x}}"
    assert r.missing == ["customer.shoe_size", "nope"]
    assert len(r.unfilled_spans) == 2


def test_values_are_inserted_literally_never_expanded() -> None:
    ctx = TemplateContext(customer=customer(name="{{agent.name}}"), agent=agent())
    r = render("Hi {{customer.name}}", ctx)
    assert r.text == "Hi {{agent.name}}"
    assert r.missing == [] and r.unfilled_spans == []
    markup = TemplateContext(customer=customer(name="<b>Bob</b> $1 \\1"))
    assert render("{{customer.name}}", markup).text == "<b>Bob</b> $1 \\1"


def test_no_variables_and_stray_braces() -> None:
    assert render("Plain {text} }} {{", TemplateContext()).text == "Plain {text} }} {{"


def test_variables_in() -> None:
    body = "{{customer.first_name|there}} {{ order.total }} {{customer.first_name}}"
    assert variables_in(body) == ["customer.first_name", "order.total"]
    assert set(KNOWN_VARIABLES) >= {"order.eta", "agent.name", "order.tracking_url"}


def test_pick_order() -> None:
    older = order("o1", datetime(2026, 1, 1, tzinfo=UTC))
    newer = order("o2", datetime(2026, 2, 1, tzinfo=UTC))
    assert pick_order([older, newer], None) is newer
    assert pick_order([older, newer], "o1") is older
    assert pick_order([older, newer], "gone") is newer
    assert pick_order([], None) is None


def test_status_words() -> None:
    assert order_status_word("out_for_delivery", "fr") == "en cours de livraison"
    assert order_status_word("delivered", "en") == "delivered"
    assert order_status_word("on_hold", "fr") == "on hold"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.text(alphabet=st.sampled_from(list("{}| .abcdeorstumn_x")), max_size=60),
    name=st.text(max_size=20),
)
def test_render_never_raises_and_spans_match(body: str, name: str) -> None:
    r = render(body, TemplateContext(customer=customer(name=name or "x"), order=order()))
    for start, end, var in r.unfilled_spans:
        piece = r.text[start:end]
        assert piece.startswith("{{") and piece.endswith("}}")
        assert var in r.missing


def item(title: str, quantity: int = 1) -> OrderItem:
    return OrderItem(sku=title[:3], title=title, quantity=quantity, unit_price=1000)


def test_the_variables_a_shop_needs() -> None:
    o = order().model_copy(
        update={"items": [item("Mug en grès bleu", 2), item("Écharpe  en laine")]}
    )
    ctx = TemplateContext(
        customer=customer(),
        order=o,
        return_instructions="Renvoyez le colis avec le bon de retour joint.",
        now=datetime(2026, 3, 4, tzinfo=UTC),
    )
    body = (
        "{{order.carrier}} {{order.tracking_number}} {{order.tracking_url}} {{order.eta}} "
        "{{order.status}} | {{order.items}} | {{order.total}} | {{return.instructions}}"
    )
    r = render(body, ctx)
    assert r.missing == []
    assert r.text == (
        "Colissimo 6A123 https://track.example.test/6A123 5 mars 2026 expédiée | "
        f"2 × Mug en grès bleu, Écharpe en laine | 44,90{NBSP}€ | "
        "Renvoyez le colis avec le bon de retour joint."
    )


def test_customer_facing_dates_are_written_out_in_the_customers_language() -> None:
    o = order().model_copy(
        update={
            "shipment": order().shipment.model_copy(
                update={"eta": datetime(2026, 12, 8, 9, tzinfo=UTC)}
            )
        }  # type: ignore[union-attr]
    )
    assert render("{{order.eta}}", TemplateContext(customer=customer(), order=o)).text == (
        "8 décembre 2026"
    )
    en = TemplateContext(customer=customer(locale="en"), order=o)
    assert render("{{order.eta}}", en).text == "December 8, 2026"


def test_a_passed_eta_is_never_quoted() -> None:
    o = order()  # eta 5 March 2026
    before = TemplateContext(customer=customer(), order=o, now=datetime(2026, 3, 5, 23, tzinfo=UTC))
    assert render("{{order.eta}}", before).text == "5 mars 2026"
    after = TemplateContext(
        customer=customer(), order=o, now=datetime(2026, 3, 6, 0, 1, tzinfo=UTC)
    )
    r = render("le {{order.eta}}", after)
    assert r.text == "le {{order.eta}}" and r.missing == ["order.eta"]
    assert eta_passed(o, datetime(2026, 3, 6, tzinfo=UTC))
    assert not eta_passed(o, datetime(2026, 3, 5, tzinfo=UTC))
    delivered = o.model_copy(
        update={"shipment": o.shipment.model_copy(update={"status": "delivered"})}  # type: ignore[union-attr]
    )
    assert not eta_passed(delivered, datetime(2026, 4, 1, tzinfo=UTC))
    assert not eta_passed(order(shipment=False), datetime(2026, 4, 1, tzinfo=UTC))


def test_order_items_is_a_short_list() -> None:
    o = order().model_copy(update={"items": [item(f"Item {i}") for i in range(5)]})
    assert items_summary(o, "en") == "Item 0, Item 1, Item 2 and 2 more"
    assert items_summary(o, "fr") == "Item 0, Item 1, Item 2 et 2 autres"
    o4 = order().model_copy(update={"items": [item(f"Item {i}") for i in range(4)]})
    assert items_summary(o4, "fr") == "Item 0, Item 1, Item 2 et 1 autre"
    assert render("{{order.items}}", TemplateContext(order=order())).missing == ["order.items"]


def test_unknown_variables() -> None:
    body = "{{order.carrier}} {{order.carier}} {{ customer.shoe_size | x }} {{return.instructions}}"
    assert unknown_variables(body) == ["order.carier", "customer.shoe_size"]
    assert unknown_variables("No variables") == []
    assert all(unknown_variables("{{" + v + "}}") == [] for v in KNOWN_VARIABLES)


def test_return_instructions_unfilled_without_a_team_setting() -> None:
    r = render("{{return.instructions}}", TemplateContext(return_instructions="  "))
    assert r.missing == ["return.instructions"]
