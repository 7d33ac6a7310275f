"""The first page's answers read by hand (backends/agent_api_decode.py, startup/fast_start.py 13):
the same models as pydantic's, never looser than pydantic (anything not in the server's exact
form is left to it, which accepts or refuses it as before), off unless the start turns it on,
and no validator built for the first page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from agent_desktop.backends.agent_api_decode import decode, hand_decoding
from agent_desktop.backends.agent_api_http import parse_list, parse_model
from agent_desktop.backends.base import ProtocolError
from agent_desktop.core.types import (
    Agent,
    Attachment,
    Author,
    AwayPeriod,
    CustomerRef,
    CustomerSuggestion,
    LoginResult,
    Message,
    Model,
    ReplyWindow,
    TeamSettings,
    Template,
    Thread,
    ThreadPage,
)
from tests.helpers.child_python import run_python

T0 = datetime(2026, 12, 7, 14, 28, 14, 569131, tzinfo=UTC)


@pytest.fixture
def by_hand() -> Iterator[None]:
    hand_decoding(True)
    try:
        yield
    finally:
        hand_decoding(False)


def wire(model: Model) -> Any:
    """A model as the server sends it (JSON), with a field the client does not know."""
    payload = json.loads(model.model_dump_json())
    payload["server_time"] = "2026-12-07T14:36:46.077360Z"
    return payload


def a_thread(n: int, **changes: Any) -> Thread:
    message = Message(
        id=f"m{n}",
        thread_id=f"t{n}",
        author=Author(kind="customer", id=f"c{n}", name="Émilie"),
        text="Bonjour\u202e, où est ma commande ?",
        attachments=[Attachment(url="/media/a.png", name="a.png", width=10, height=20)],
        created_at=T0,
    )
    fields: dict[str, Any] = dict(
        id=f"t{n}",
        customer=CustomerRef(id=f"c{n}", name="Émilie", avatar_url=None),
        status="pending",
        assignee_id=None if n % 2 else "a1",
        last_message=message,
        waiting_since=T0,
        unread=n,
        reply_window=ReplyWindow(state="standard", closes_at=T0),
        last_customer_message_at=T0,
        updated_at=T0,
        customer_suggestion=CustomerSuggestion(customer_id="c9", name="E", reason="order #1"),
    )
    fields.update(changes)
    return Thread(**fields)


def answers() -> list[tuple[type[Model], Any]]:
    agent = Agent(id="a1", name="Alex", email="a@demo.test", presence="online", presence_since=T0)
    page = ThreadPage(items=[a_thread(1), a_thread(2, last_message=None)], next_cursor="c2")
    partial = {"id": "t3", "customer": {"id": "c3", "name": "N"}, "updated_at": "2026-12-07T14:28:14Z"}
    return [
        (LoginResult, wire(LoginResult(token="tok", agent=agent))),
        (Agent, wire(agent)),
        (Template, wire(Template(id="p1", shortcut="hi", title="Hi", body="Hello {{x}}"))),
        (TeamSettings, wire(TeamSettings(away=[AwayPeriod(start=T0, end=T0)], refund_limits={"EUR": 5}))),
        (TeamSettings, {"target_seconds": 60}),
        (ThreadPage, wire(page)),
        (Thread, partial),
        (Thread, {**partial, "updated_at": "2026-12-07T14:28:14.5+00:00"}),
    ]


def same(a: Any, b: Any) -> None:
    """Equal, with the same types, the same fields set and the same field order throughout."""
    assert type(a) is type(b)
    if isinstance(a, Model):
        assert a == b
        assert a.model_fields_set == b.model_fields_set
        assert list(a.__dict__) == list(b.__dict__)
        assert (a.__pydantic_extra__, a.__pydantic_private__) == (None, None)
        for name in a.__dict__:
            same(getattr(a, name), getattr(b, name))
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            same(x, y)
    else:
        assert a == b
        if isinstance(a, datetime):
            assert a.utcoffset() == b.utcoffset()


@pytest.mark.parametrize(("model", "payload"), answers())
def test_an_answer_read_by_hand_is_the_model_pydantic_makes(
    by_hand: None, model: type[Model], payload: Any
) -> None:
    made = decode(model, payload)
    assert made is not None
    same(made, model.model_validate(payload))
    assert made.model_dump() == model.model_validate(payload).model_dump()


def test_a_list_answer_is_read_by_hand_too(by_hand: None) -> None:
    agents = [wire(Agent(id=f"a{i}", name="A", email="a@b.c")) for i in range(3)]
    read = parse_list(Agent, {"items": agents}, what="agent", key="agents")
    assert [a.id for a in read] == ["a0", "a1", "a2"]


def bad_threads() -> list[Any]:
    good = wire(a_thread(1))
    message = good["last_message"]

    def with_(**changes: Any) -> dict[str, Any]:
        return {**good, **changes}

    return [
        with_(unread="3"),  # pydantic takes a number written as text: it decides
        with_(unread=True),
        with_(unread=None),
        with_(unread=2.0),
        with_(status="archived"),
        with_(status=None),
        with_(id=7),
        with_(updated_at="2026-12-07T16:28:14+02:00"),
        with_(updated_at="2026-12-07T14:28:14"),
        with_(updated_at="2026-13-07T14:28:14Z"),
        with_(updated_at="2026-12-07 14:28:14Z"),
        with_(updated_at=1796653907),
        with_(updated_at="now"),
        with_(updated_at="\u0662\u0660\u0662\u0666-12-07T14:28:14Z"),  # Arabic-Indic digits
        with_(customer="c1"),
        with_(customer={"id": "c1"}),
        with_(last_message={**message, "author": {"kind": "robot"}}),
        with_(last_message={**message, "attachments": {"url": "x"}}),
        with_(last_message={**message, "attachments": [{"url": None}]}),
        with_(last_message=[message]),
        {k: v for k, v in good.items() if k != "updated_at"},
        [good],
        None,
        "thread",
    ]


@pytest.mark.parametrize("payload", bad_threads())
def test_anything_not_in_the_servers_exact_form_is_left_to_pydantic(
    by_hand: None, payload: Any
) -> None:
    assert decode(Thread, payload) is None
    try:
        expected: Any = Thread.model_validate(payload)
    except Exception:
        with pytest.raises(ProtocolError):
            parse_model(Thread, payload, what="thread")
    else:
        same(parse_model(Thread, payload, what="thread"), expected)


def test_hand_decoding_is_off_unless_the_start_turns_it_on() -> None:
    payload = wire(a_thread(1))
    assert decode(Thread, payload) is None
    hand_decoding(True)
    try:
        assert decode(Thread, payload) is not None
    finally:
        hand_decoding(False)
    assert decode(Thread, payload) is None


FIRST_PAGE = """
import json, sys
from agent_desktop.backends.agent_api_decode import hand_decoding
from agent_desktop.backends.agent_api_http import parse_list, parse_model
from agent_desktop.core import messenger_types, types
from agent_desktop.store.client_store import ClientStore
hand_decoding(True)
answers = json.loads(sys.stdin.read())
parse_model(types.LoginResult, answers["login"], what="sign-in answer")
parse_list(types.Agent, answers["agents"], what="agent", key="agents")
parse_list(types.Template, answers["templates"], what="template", key="templates")
parse_model(types.TeamSettings, answers["settings"], what="team settings")
page = parse_model(types.ThreadPage, answers["threads"], what="thread list")
models = [m for module in (types, messenger_types) for m in vars(module).values()
          if isinstance(m, type) and issubclass(m, types.Model)]
print(json.dumps({"threads": len(page.items), "built": sorted(
    m.__name__ for m in models if m.__pydantic_complete__)}))
"""


def test_the_first_page_is_read_without_building_a_validator() -> None:
    """A validator built before the first paint costs the start (~80 M instructions for the
    first page's 16 models); each is built on first use after it."""
    agent = Agent(id="a1", name="Alex", email="a@demo.test")
    first_page = {
        "login": wire(LoginResult(token="tok", agent=agent)),
        "agents": {"items": [wire(agent)]},
        "templates": {"items": [wire(Template(id="p1", shortcut="s", title="t", body="b"))]},
        "settings": wire(TeamSettings()),
        "threads": wire(ThreadPage(items=[a_thread(1), a_thread(2)], next_cursor=None)),
    }
    seen = run_python(FIRST_PAGE, stdin=json.dumps(first_page))
    assert seen == {"threads": 2, "built": []}
