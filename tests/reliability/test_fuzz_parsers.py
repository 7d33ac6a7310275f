"""Bad input, fuzzed with hypothesis, into every parser of the client: the connector's answers
(every method, through its real parse path over an httpx mock transport), its websocket frames,
the store's event application, the metrics-data parser and the figures computed from it, the
template renderer with hostile contexts, and the Chatwoot models, mapping and cable frames.
Only the documented errors may escape (BackendError subclasses; nothing at all from frames)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop.backends.agent_api import AgentApiBackend, _metrics_data
from agent_desktop.backends.agent_api_stream import MAX_FRAME_BYTES
from agent_desktop.backends.base import BackendError, Ephemeral, ProtocolError, Ready, Resync
from agent_desktop.core.metrics import compute_metrics
from agent_desktop.core.order_types import Customer, Order
from agent_desktop.core.rows import ThreadRow
from agent_desktop.core.templates import TemplateContext, render
from agent_desktop.core.types import Agent, Event, Message, Template, Thread

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)

# --- strategies ----------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "2026-03-20T12:00:00Z",
            "2026-03-20T12:00:00",
            "9999-12-31T23:59:59+14:00",
            "9999-12-31T23:59:59.999999-14:00",
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00+14:00",
            "\ud800",  # a lone surrogate (json.dumps sends it as the escape an attacker would)
            "a\udfffb",
            "not a date",
            "open",
            "customer",
            "agent",
            "messenger",
            "EUR",
            "\x00",
            "\u202e",
            "<b>x</b>",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=12), children, max_size=5),
    ),
    max_leaves=20,
)

VALID_AUTHOR = {"kind": "customer", "id": "c1", "name": "Camille"}
VALID_MESSAGE = {
    "id": "m1",
    "thread_id": "t1",
    "client_id": None,
    "author": VALID_AUTHOR,
    "kind": "text",
    "text": "Bonjour",
    "attachments": [{"kind": "image", "url": "/media/x.png"}],
    "created_at": "2026-03-20T11:58:00Z",
}
VALID_THREAD = {
    "id": "t1",
    "customer": {"id": "c1", "name": "Camille", "avatar_url": None},
    "status": "open",
    "assignee_id": None,
    "last_message": VALID_MESSAGE,
    "waiting_since": "2026-03-20T11:58:00Z",
    "unread": 1,
    "channel": "messenger",
    "reply_window": {"state": "standard", "closes_at": "2026-03-21T11:58:00Z"},
    "updated_at": "2026-03-20T11:58:00Z",
}
VALID_AGENT = {
    "id": "a1",
    "name": "Amélie",
    "email": "a@x.test",
    "role": "agent",
    "presence": "online",
}
VALID_ORDER = {
    "id": "o1",
    "number": "1001",
    "customer_id": "c1",
    "placed_at": "2026-03-01T10:00:00Z",
    "status": "shipped",
    "currency": "EUR",
    "items": [{"sku": "MUG", "title": "Mug", "quantity": 2, "unit_price": 1290}],
    "subtotal": 2580,
    "shipping": 490,
    "tax": 516,
    "total": 3586,
    "payment": {"method": "card", "status": "paid"},
    "shipment": {
        "carrier": "Colissimo",
        "tracking_number": "6A1",
        "status": "in_transit",
        "eta": "2026-03-22",
        "events": [{"at": "2026-03-02T09:00:00Z", "status": "picked_up", "location": "Lyon"}],
    },
}
VALID_TEMPLATE = {
    "id": "tp1",
    "shortcut": "merci",
    "title": "Merci",
    "body": "Merci {{customer.first_name}}",
    "language": "fr",
    "scope": "team",
    "owner_id": None,
}
VALID_CUSTOMER = {
    "id": "c1",
    "name": "Camille Martin",
    "locale": "fr",
    "customer_since": "2025-01-01T00:00:00Z",
    "lifetime_value": 12000,
}
VALID_METRICS_DATA = {
    "since": "2026-03-13T12:00:00Z",
    "until": "2026-03-20T12:00:00Z",
    "threads": [
        {
            "id": "t1",
            "spam": False,
            "messages": [
                {"id": "m1", "at": "2026-03-19T10:00:00Z", "author": "customer"},
                {"id": "m2", "at": "2026-03-19T10:03:00Z", "author": "agent", "agent_id": "a1"},
            ],
        }
    ],
}


def mutate(document: Any) -> st.SearchStrategy[Any]:
    """A valid document with one part (a value, or a whole sub-tree) replaced by anything."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk(document, ())

    def replace(path: tuple[Any, ...], value: Any, drop: bool) -> Any:
        copy = json.loads(json.dumps(document))
        if not path:
            return value
        parent = copy
        for key in path[:-1]:
            parent = parent[key]
        if drop and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
        return copy

    return st.builds(replace, st.sampled_from(paths), json_values, st.booleans())


def documents(valid: Any) -> st.SearchStrategy[Any]:
    return st.one_of(mutate(valid), json_values)


def nested(depth: int, leaf: str = "1") -> str:
    """JSON text nested `depth` levels (arrays and objects alternating)."""
    opens = ("[", '{"a":') * (depth // 2 + 1)
    closes = ("]", "}") * (depth // 2 + 1)
    return "".join(opens[:depth]) + leaf + "".join(reversed(closes[:depth]))


# JSON nested past what any parser or validator should recurse into, whole or as one field.
DEEP_TEXTS = st.builds(
    lambda depth, wrap: wrap.replace("@", nested(depth)),
    st.sampled_from([33, 200, 950, 5000]),
    st.sampled_from(["@", '{"items": @}', '{"type": "event", "seq": 1, "name": "x", "data": @}']),
)


# --- the connector's parse path ------------------------------------------------------------------

CALLS: dict[str, tuple[Callable[[AgentApiBackend], Any], Any]] = {
    "me": (lambda b: b.me(), VALID_AGENT),
    "agents": (lambda b: b.agents(), {"items": [VALID_AGENT]}),
    "threads": (lambda b: b.threads(), {"items": [VALID_THREAD], "next_cursor": None}),
    "thread": (lambda b: b.thread("t1"), VALID_THREAD),
    "messages": (lambda b: b.messages("t1"), {"items": [VALID_MESSAGE], "has_more": False}),
    "send": (
        lambda b: b.send_message("t1", client_id="c", text="x", kind="reply"),
        VALID_MESSAGE,
    ),
    "status": (lambda b: b.set_status("t1", "resolved"), VALID_THREAD),
    "customer": (lambda b: b.customer("c1"), VALID_CUSTOMER),
    "orders": (lambda b: b.orders("c1"), {"items": [VALID_ORDER]}),
    "templates": (lambda b: b.templates(), {"items": [VALID_TEMPLATE]}),
    "metrics data": (
        lambda b: b.metric_messages(since=NOW - timedelta(days=7)),
        VALID_METRICS_DATA,
    ),
    "settings": (lambda b: b.settings(), {"target_seconds": 300}),
    "login": (
        lambda b: b.login("a@x.test", "pw"),
        {"token": "t" * 30, "agent": VALID_AGENT},
    ),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_every_connector_call_turns_any_answer_into_a_result_or_a_sentence(call: str) -> None:
    invoke, valid = CALLS[call]
    answer: dict[str, Any] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            answer["status"], content=answer["body"], headers={"content-type": "application/json"}
        )

    loop = asyncio.new_event_loop()
    backend = AgentApiBackend(
        "http://127.0.0.1:9",
        token="x",
        retries=1,
        retry_base=0,
        transport=httpx.MockTransport(handler),
    )

    @FUZZ
    @given(
        body=st.one_of(
            documents(valid).map(lambda d: json.dumps(d, allow_nan=True).encode()),
            DEEP_TEXTS.map(str.encode),
            st.binary(max_size=200),
            st.just(b"\xff\xfe{\x00"),
            st.just(b'{"server_time": "garbage", "items": null}'),
        ),
        status=st.sampled_from(
            [200, 200, 200, 201, 204, 301, 400, 401, 404, 409, 422, 429, 500, 503]
        ),
    )
    def check(body: bytes, status: int) -> None:
        answer.update(status=status, body=body)
        try:
            loop.run_until_complete(invoke(backend))
        except BackendError as exc:
            assert str(exc) and "Traceback" not in str(exc)

    try:
        check()
    finally:
        loop.run_until_complete(backend.aclose())
        loop.close()


# --- websocket frames ----------------------------------------------------------------------------

frame_objects = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("event"), "seq": json_values, "name": json_values, "data": json_values}
    ),
    st.fixed_dictionaries(
        {"type": st.just("ready"), "seq": json_values, "server_time": json_values}
    ),
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["typing", "viewing", "ephemeral", "resync", "pong", "hello"]),
            "name": json_values,
            "data": json_values,
        }
    ),
    json_values,
)
frames = st.one_of(
    frame_objects.map(lambda f: json.dumps(f, allow_nan=True)),
    DEEP_TEXTS,
    frame_objects.map(lambda f: json.dumps(f).encode("utf-16")),
    st.binary(max_size=100),
    st.text(max_size=100),
)


def test_any_frame_is_parsed_or_skipped_never_raised() -> None:
    backend = AgentApiBackend("http://127.0.0.1:9")

    @FUZZ
    @given(raw=frames)
    def check(raw: str | bytes) -> None:
        item = backend._frame(raw)
        assert item is None or isinstance(item, Event | Ready | Resync | Ephemeral)
        if isinstance(item, Ready):
            assert isinstance(item.seq, int)

    check()
    asyncio.run(backend.aclose())


def test_oversized_and_non_utf8_frames_are_skipped() -> None:
    backend = AgentApiBackend("http://127.0.0.1:9")
    big = json.dumps({"type": "event", "seq": 1, "name": "x", "data": {"t": "x" * MAX_FRAME_BYTES}})
    assert backend._frame(big) is None
    assert backend._frame(b"\xc3\x28\xa0\xa1") is None
    assert backend._frame(b'{"type": "ready", "seq": 1}\xff') is None
    asyncio.run(backend.aclose())


# --- the store applies any event's data exactly once, or skips it ---------------------------------

EVENT_SAMPLES = {
    "message.created": {"message": VALID_MESSAGE, "thread": VALID_THREAD},
    "message.updated": {"message": VALID_MESSAGE, "thread": VALID_THREAD},
    "thread.updated": {"thread": VALID_THREAD},
    "agent.presence": {"agent": VALID_AGENT},
    "template.changed": {"id": "tp1", "template": VALID_TEMPLATE},
    "order.updated": {"order": VALID_ORDER, "customer_id": "c1"},
    "settings.changed": {"settings": {"target_seconds": 300}},
}


def test_store_applies_or_skips_any_event_payload(tmp_path: Path, qapp: Any) -> None:
    from agent_desktop.store.client_store import ClientStore

    store = ClientStore(
        AgentApiBackend("http://127.0.0.1:9"), agent_key="fuzz", db_path=tmp_path / "s.sqlite3"
    )
    seq = [0]

    @FUZZ
    @given(
        name=st.sampled_from(sorted(EVENT_SAMPLES)),
        data=st.data(),
    )
    def check(name: str, data: st.DataObject) -> None:
        payload = data.draw(documents(EVENT_SAMPLES[name]))
        if not isinstance(payload, dict):
            payload = {"value": payload}
        seq[0] += 1
        applied = store.apply_event(Event(seq=seq[0], name=name, data=payload))
        assert isinstance(applied, bool)
        assert store.last_seq == seq[0]
        assert not store.apply_event(Event(seq=seq[0], name=name, data=payload))  # never twice
        for thread in store.threads.values():
            assert isinstance(thread, ThreadRow)

    check()
    store.db.close()


# --- metrics data and the figures computed from it -----------------------------------------------


@FUZZ
@given(body=documents(VALID_METRICS_DATA))
def test_metrics_data_parses_or_is_a_protocol_error_and_figures_stay_sane(body: Any) -> None:
    try:
        parsed = _metrics_data(body)
    except ProtocolError:
        return
    result = compute_metrics(parsed.threads, now=NOW)
    team = result.team
    for name, value in team.model_dump().items():
        if isinstance(value, float):
            assert not math.isnan(value), name
    for rate in (team.response_rate, team.within_target_rate):
        assert rate is None or 0.0 <= rate <= 1.0
    assert team.responded <= team.counted <= team.openings


# --- the template renderer with hostile data -----------------------------------------------------

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["{{customer.name}}", "<b>x</b>", "\u202eevil", "\x00", "👩‍👩‍👧‍👦", "%1 %s {0}"]
    ),
)


@FUZZ
@given(
    body=st.one_of(
        st.text(max_size=80),
        st.lists(
            st.sampled_from(
                [
                    "{{customer.first_name|là}}",
                    "{{order.total}}",
                    "{{order.eta}}",
                    "{{",
                    "}}",
                    "|",
                    " x ",
                ]
            ),
            max_size=8,
        ).map("".join),
    ),
    name=hostile_text,
    locale=st.one_of(
        st.none(), st.text(max_size=8), st.sampled_from(["fr", "en", "zz_ZZ", "@@", "fr_FR", "C"])
    ),
    currency=st.one_of(st.text(min_size=0, max_size=5), st.sampled_from(["EUR", "XXX", "€", ""])),
    total=st.integers(min_value=-(2**63), max_value=2**63),
    data=st.data(),
)
def test_render_never_raises_with_hostile_customers_orders_and_locales(
    body: str, name: str, locale: str | None, currency: str, total: int, data: st.DataObject
) -> None:
    customer_doc = {**VALID_CUSTOMER, "name": name, "locale": locale or "en"}
    order_doc = {**VALID_ORDER, "currency": currency, "total": total}
    try:
        customer = Customer.model_validate(customer_doc)
        order = Order.model_validate(order_doc)
    except pydantic.ValidationError:
        return
    shipment = data.draw(st.one_of(st.none(), mutate(VALID_ORDER["shipment"])))
    with contextlib.suppress(pydantic.ValidationError):
        order = Order.model_validate({**order_doc, "shipment": shipment})
    agent = Agent.model_validate({**VALID_AGENT, "name": name or "x"})
    for ctx in (
        TemplateContext(customer=customer, agent=agent, order=order, locale=locale),
        TemplateContext(),
    ):
        rendered = render(body, ctx)
        assert isinstance(rendered.text, str)
        for start, end, _ in rendered.unfilled_spans:
            assert 0 <= start <= end <= len(rendered.text)
    assert Message.model_validate(VALID_MESSAGE) and Template.model_validate(VALID_TEMPLATE)


# --- Chatwoot: models, mapping, cable frames -----------------------------------------------------

CW_CONVERSATION = {
    "id": 7,
    "account_id": 1,
    "inbox_id": 1,
    "status": "open",
    "unread_count": 1,
    "timestamp": 1773999000,
    "created_at": 1773990000,
    "meta": {
        "sender": {"id": 3, "name": "Camille", "thumbnail": "", "type": "contact"},
        "assignee": None,
        "channel": "Channel::FacebookPage",
    },
    "labels": [],
    "messages": [
        {
            "id": 11,
            "content": "Bonjour",
            "message_type": 0,
            "created_at": 1773999000,
            "private": False,
            "conversation_id": 7,
            "sender": {"id": 3, "name": "Camille", "type": "contact"},
            "attachments": [],
        }
    ],
}


@FUZZ
@given(payload=documents(CW_CONVERSATION))
def test_chatwoot_conversation_parses_and_maps_or_is_a_protocol_error(payload: Any) -> None:
    from agent_desktop.backends.chatwoot.backend import parse
    from agent_desktop.backends.chatwoot.mapping import message_from, thread_from
    from agent_desktop.backends.chatwoot.models import CwConversation

    try:
        conv = parse(CwConversation, payload, what="conversation")
        thread = thread_from(conv, now=NOW, messages=conv.messages)
        assert isinstance(thread, Thread)
        for m in conv.messages:
            assert isinstance(message_from(m, thread_id=thread.id), Message)
    except ProtocolError:
        pass


@FUZZ
@given(raw=frames)
def test_chatwoot_cable_frames_decode_or_are_skipped(raw: str | bytes) -> None:
    from agent_desktop.backends.chatwoot.cable import Frame, decode

    frame = decode(raw)
    assert frame is None or isinstance(frame, Frame)
