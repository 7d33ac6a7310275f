"""The Chatwoot connector over HTTP against the loopback stand-in: sign-in, accounts,
conversations, messages (exactly once via the send journal), triage, contacts, orders,
canned responses, metrics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.backends.base import (
    AuthError,
    Backend,
    BackendError,
    ServerError,
    ValidationError,
)
from agent_desktop.backends.chatwoot import (
    AccountRequired,
    ChatwootBackend,
    MfaRequired,
    connect,
    unavailable_fields,
)
from agent_desktop.core.types import TeamSettings
from tests.helpers.chatwoot_server import FakeChatwoot

MakeBackend = Callable[..., Awaitable[ChatwootBackend]]


async def test_is_a_backend(backend: ChatwootBackend) -> None:
    assert isinstance(backend, Backend)
    assert backend.kind == "chatwoot"


async def test_password_sign_in(fake: FakeChatwoot, seeded: dict[str, Any]) -> None:
    backend = ChatwootBackend(fake.url)
    try:
        result = await backend.login("alice@shop.test", "secret-pass")
        assert result.token == seeded["agent"].access_token
        assert result.agent.name == "Alice Martin"
        assert result.agent.role == "agent"
        assert backend.account_id == 1  # the only account is selected
        with pytest.raises(AuthError, match="Wrong email or password"):
            await backend.login("alice@shop.test", "nope")
    finally:
        await backend.aclose()


async def test_mfa_sign_in(fake: FakeChatwoot) -> None:
    fake.add_user("Chloé MFA", "chloe@shop.test", otp_code="123456")
    backend = ChatwootBackend(fake.url)
    try:
        with pytest.raises(MfaRequired) as info:
            await backend.login("chloe@shop.test", "secret-pass")
        with pytest.raises(AuthError, match="not valid"):
            await backend.login_mfa(info.value.mfa_token, otp_code="000000")
        with pytest.raises(MfaRequired) as again:
            await backend.login("chloe@shop.test", "secret-pass")
        result = await backend.login_mfa(again.value.mfa_token, otp_code="123456")
        assert result.agent.email == "chloe@shop.test"
        assert (await backend.me()).name == "Chloé MFA"
    finally:
        await backend.aclose()


async def test_account_choice(fake: FakeChatwoot, seeded: dict[str, Any]) -> None:
    backend = ChatwootBackend(fake.url, token=seeded["admin"].access_token)
    try:
        accounts = await backend.accounts()
        assert sorted(a.id for a in accounts) == [1, 2]
        assert backend.needs_account_choice
        with pytest.raises(AccountRequired):
            await backend.threads()
        backend.select_account(1)
        assert (await backend.me()).role == "lead"
        backend.select_account(2)
        assert (await backend.me()).role == "agent"
        assert (await backend.threads()).items == []
    finally:
        await backend.aclose()
    with pytest.raises(AccountRequired):
        await connect(fake.url, account_id=None, token=seeded["admin"].access_token)
    connected = await connect(fake.url, account_id=None, token=seeded["agent"].access_token)
    assert connected.account_id == 1
    await connected.aclose()
    with pytest.raises(AuthError):
        await connect(fake.url, account_id=1, token="wrong-token")
    with pytest.raises(BackendError, match="not a member"):
        await connect(fake.url, account_id=2, token=seeded["agent"].access_token)


async def test_threads_map_and_filter(backend: ChatwootBackend, seeded: dict[str, Any]) -> None:
    page = await backend.threads()
    by_id = {t.id: t for t in page.items}
    c1 = by_id[str(seeded["c1"].id)]
    assert c1.customer.name == "Jeanne Dupont"
    assert c1.channel == "messenger"
    assert c1.status == "open"
    assert c1.waiting_since is not None  # Chatwoot's own waiting_since
    assert c1.last_customer_message_at == c1.waiting_since
    assert c1.reply_window.state == "standard"
    assert c1.unread == 1
    c2 = by_id[str(seeded["c2"].id)]
    assert c2.waiting_since is None
    assert c2.assignee_id == str(seeded["agent"].id)
    assert c2.last_message is not None and c2.last_message.author.kind == "agent"
    mine = await backend.threads(assignee="me")
    assert [t.id for t in mine.items] == [str(seeded["c2"].id)]
    unassigned = await backend.threads(assignee="unassigned")
    assert {t.id for t in unassigned.items} == {str(seeded["c1"].id), str(seeded["c3"].id)}
    found = await backend.threads(q="commande")
    assert [t.id for t in found.items] == [str(seeded["c1"].id)]
    assert (await backend.threads(status="resolved")).items == []


async def test_threads_pagination(fake: FakeChatwoot, backend: ChatwootBackend) -> None:
    for i in range(30):
        contact = fake.add_contact(1, f"Customer {i}")
        conv = fake.add_conversation(1, contact)
        fake.add_message(conv, f"message {i}")
    first = await backend.threads()
    assert len(first.items) == 25 and first.next_cursor == "2"
    second = await backend.threads(cursor=first.next_cursor)
    assert len(second.items) == 8 and second.next_cursor is None
    assert not {t.id for t in first.items} & {t.id for t in second.items}


async def test_waiting_since_computed_when_server_lacks_it(
    backend: ChatwootBackend, seeded: dict[str, Any], fake: FakeChatwoot, monkeypatch: Any
) -> None:
    original = fake.conv_json

    def old_server(conv: Any) -> dict[str, Any]:
        body = original(conv)
        del body["waiting_since"]  # servers before PR #7364
        return body

    monkeypatch.setattr(fake, "conv_json", old_server)
    thread = await backend.thread(str(seeded["c1"].id))
    first = next(m for m in fake.messages if m.conversation_id == seeded["c1"].id)
    assert thread.waiting_since == datetime.fromtimestamp(int(first.created_at), UTC)


async def test_message_paging(
    fake: FakeChatwoot, backend: ChatwootBackend, seeded: dict[str, Any]
) -> None:
    conv = seeded["c1"]
    for i in range(45):
        fake.add_message(conv, f"line {i}", message_type=i % 2, sender=seeded["agent"])
    total = len([m for m in fake.messages if m.conversation_id == conv.id])
    seen: list[str] = []
    page = await backend.messages(str(conv.id))
    assert page.has_more
    assert page.items[0].text == "line 44"  # newest first
    seen.extend(m.id for m in page.items)
    while page.has_more:
        page = await backend.messages(str(conv.id), before=page.items[-1].id)
        seen.extend(m.id for m in page.items)
    assert len(seen) == len(set(seen)) == total
    assert [int(s) for s in seen] == sorted((int(s) for s in seen), reverse=True)
    small = await backend.messages(str(conv.id), limit=5)
    assert len(small.items) == 5 and small.has_more


async def test_send_reply_and_note(
    fake: FakeChatwoot, backend: ChatwootBackend, seeded: dict[str, Any]
) -> None:
    conv = seeded["c1"]
    reply = await backend.send_message(str(conv.id), client_id="c-1", text="On it!", kind="reply")
    assert reply.client_id == "c-1" and reply.kind == "text" and reply.author.kind == "agent"
    note = await backend.send_message(str(conv.id), client_id="c-2", text="VIP", kind="note")
    assert note.kind == "note"
    stored = [m for m in fake.messages if m.conversation_id == conv.id and m.message_type == 1]
    assert [(m.content, m.private) for m in stored] == [("On it!", False), ("VIP", True)]
    with pytest.raises(ValidationError):
        await backend.send_message(str(conv.id), client_id="c-3", text="  ", kind="reply")
    with pytest.raises(ValidationError):
        await backend.send_message(str(conv.id), client_id="c-4", text="x" * 2001, kind="reply")


async def test_same_client_id_twice_is_one_message(
    fake: FakeChatwoot, backend: ChatwootBackend, seeded: dict[str, Any]
) -> None:
    conv = str(seeded["c1"].id)
    first = await backend.send_message(conv, client_id="dup-1", text="Hello there", kind="reply")
    again = await backend.send_message(conv, client_id="dup-1", text="Hello there", kind="reply")
    assert first.id == again.id
    assert sum(1 for m in fake.messages if m.content == "Hello there") == 1
    # A different client_id with the same text is a new message.
    other = await backend.send_message(conv, client_id="dup-2", text="Hello there", kind="reply")
    assert other.id != first.id
    assert sum(1 for m in fake.messages if m.content == "Hello there") == 2


async def test_lost_answer_is_reconciled_exactly_once(
    fake: FakeChatwoot, make_backend: MakeBackend, seeded: dict[str, Any], tmp_path: Path
) -> None:
    """Chatwoot stores the reply but the answer is lost (502); the retry — even from a new
    process that only has the journal file — finds the stored message instead of posting again."""
    journal = tmp_path / "journal.json"
    conv = seeded["c1"]
    first = await make_backend(journal_path=journal)
    fake.fail_next_message_response = 1
    with pytest.raises(ServerError):
        await first.send_message(
            str(conv.id), client_id="lost-1", text="Parcel left today", kind="reply"
        )
    await first.aclose()
    # Meanwhile the same agent sends the same words under another client_id: not a match.
    restarted = await make_backend(journal_path=journal)
    message = await restarted.send_message(
        str(conv.id), client_id="lost-1", text="Parcel left today", kind="reply"
    )
    stored = [m for m in fake.messages if m.content == "Parcel left today"]
    assert len(stored) == 1
    assert message.id == str(stored[0].id) and message.client_id == "lost-1"
    again = await restarted.send_message(
        str(conv.id), client_id="lost-1", text="Parcel left today", kind="reply"
    )
    assert again.id == message.id
    fresh = await restarted.send_message(
        str(conv.id), client_id="new-2", text="Parcel left today", kind="reply"
    )
    assert fresh.id != message.id


async def test_lost_answer_with_liquid_variables(
    fake: FakeChatwoot, backend: ChatwootBackend, seeded: dict[str, Any]
) -> None:
    conv = seeded["c1"]
    fake.fail_next_message_response = 1
    text = "Hello {{contact.first_name}}, thanks!"
    with pytest.raises(ServerError):
        await backend.send_message(str(conv.id), client_id="liq-1", text=text, kind="reply")
    message = await backend.send_message(str(conv.id), client_id="liq-1", text=text, kind="reply")
    assert message.text == "Hello Jeanne, thanks!"  # Chatwoot rendered it server-side
    assert sum(1 for m in fake.messages if m.content == "Hello Jeanne, thanks!") == 1


async def test_assign_status_spam_read(
    fake: FakeChatwoot, backend: ChatwootBackend, make_backend: MakeBackend, seeded: dict[str, Any]
) -> None:
    conv = seeded["c1"]
    agent_id = str(seeded["agent"].id)
    thread = await backend.assign(str(conv.id), agent_id)
    assert thread.assignee_id == agent_id
    thread = await backend.assign(str(conv.id), None)
    assert thread.assignee_id is None
    thread = await backend.set_status(str(conv.id), "pending")
    assert thread.status == "pending"
    thread = await backend.set_status(str(conv.id), "spam")
    assert thread.status == "spam" and conv.status == "resolved" and "spam" in conv.labels
    spam = await backend.threads(status="spam")
    assert [t.id for t in spam.items] == [str(conv.id)]
    assert str(conv.id) not in {t.id for t in (await backend.threads(status="resolved")).items}
    thread = await backend.set_status(str(conv.id), "open")
    assert thread.status == "open" and "spam" not in conv.labels
    # Chatwoot's side effect: an agent who reopens a conversation becomes its assignee.
    assert thread.assignee_id == agent_id
    admin = await make_backend("admin")
    await admin.set_status(str(seeded["c3"].id), "resolved")
    reopened = await admin.set_status(str(seeded["c3"].id), "open")
    assert reopened.assignee_id is None
    assert (await backend.thread(str(conv.id))).unread == 1
    last = (await backend.messages(str(conv.id))).items[0]
    read = await backend.mark_read(str(conv.id), last.id)
    assert read.unread == 0


async def test_agents_and_presence(backend: ChatwootBackend, seeded: dict[str, Any]) -> None:
    agents = {a.id: a for a in await backend.agents()}
    assert agents[str(seeded["admin"].id)].role == "lead"
    me = await backend.set_presence("away")
    assert me.presence == "away" and seeded["agent"].availability == "busy"
    assert (await backend.set_presence("online")).presence == "online"


async def test_customer_and_orders(
    fake: FakeChatwoot, backend: ChatwootBackend, make_backend: MakeBackend, seeded: dict[str, Any]
) -> None:
    customer = await backend.customer(str(seeded["jeanne"].id))
    assert customer.name == "Jeanne Dupont" and customer.email == "jeanne@example.test"
    assert "lifetime_value" in unavailable_fields("customer")
    orders = await backend.orders(str(seeded["jeanne"].id))
    assert len(orders) == 1
    order = orders[0]
    assert order.total == 5990 and order.currency == "EUR"
    assert order.payment.status == "paid" and order.status == "unfulfilled"
    assert order.items == [] and order.shipment is None
    assert {"items", "shipment", "number"} <= set(unavailable_fields("order"))
    assert await backend.orders(str(seeded["marc"].id)) == []
    assert await backend.orders(str(seeded["nomail"].id)) == []  # 422 contact info missing
    fake.shopify[1] = False
    assert await backend.orders(str(seeded["jeanne"].id)) == []  # no Shopify hook: 404


async def test_canned_responses_round_trip(fake: FakeChatwoot, backend: ChatwootBackend) -> None:
    templates = await backend.templates()
    assert templates[0].body == "Hello {{customer.first_name}}, I am {{agent.name}}."
    assert templates[0].scope == "team"
    created = await backend.create_template(
        {
            "shortcut": "ship",
            "title": "Shipped",
            "body": "Hi {{customer.name}}, {{order.number}} left.",
        }
    )
    stored = fake.canned[int(created.id)]
    assert stored.content == "Hi {{contact.name}}, {{order.number}} left."
    assert created.body == "Hi {{customer.name}}, {{order.number}} left."
    updated = await backend.update_template(
        created.id, {"shortcut": "ship", "body": "Bye {{ customer.first_name | there }}"}
    )
    assert fake.canned[int(created.id)].content == "Bye {{ contact.first_name | there }}"
    assert updated.body == "Bye {{ customer.first_name | there }}"
    with pytest.raises(ValidationError, match="already been taken"):
        await backend.create_template({"shortcut": "ship", "body": "x"})
    await backend.delete_template(created.id)
    assert int(created.id) not in fake.canned


async def test_metrics_reports_for_admin_computed_for_agent(
    fake: FakeChatwoot, backend: ChatwootBackend, make_backend: MakeBackend, seeded: dict[str, Any]
) -> None:
    admin = await make_backend("admin")
    report = await admin.metrics()
    assert admin.last_metrics_source == "chatwoot-reports"
    assert report.team.openings == 3
    assert report.agents[str(seeded["admin"].id)].median_response_seconds == 42.5
    # An agent may not read reports (401): the figures are computed from the conversations.
    computed = await backend.metrics()
    assert backend.last_metrics_source == "computed"
    # c1 and c3 unanswered (pending), c2 answered after 60 s by Alice.
    assert computed.team.openings == 3
    assert computed.team.responded == 1
    assert computed.team.pending == 2
    assert computed.team.median_response_seconds == pytest.approx(60, abs=1)
    assert computed.agents[str(seeded["agent"].id)].responded == 1
    await backend.set_status(str(seeded["c3"].id), "spam")
    assert (await backend.metrics()).team.openings == 2  # spam threads are left out


async def test_settings_are_kept_locally(make_backend: MakeBackend) -> None:
    first = await make_backend()
    assert (await first.settings()).target_seconds == 300
    await first.update_settings(TeamSettings(target_seconds=120))
    second = await make_backend()
    assert (await second.settings()).target_seconds == 120


async def test_media_refuses_other_origins(fake: FakeChatwoot, backend: ChatwootBackend) -> None:
    with pytest.raises(BackendError, match="another site"):
        await backend.media("https://evil.example/x.png")


async def test_bad_token_is_auth_error(fake: FakeChatwoot) -> None:
    backend = ChatwootBackend(fake.url, account_id=1, token="nope")
    try:
        with pytest.raises(AuthError):
            await backend.threads()
    finally:
        await backend.aclose()


def test_unavailable_fields_names_real_fields() -> None:
    from agent_desktop.core.order_types import Customer, Order
    from agent_desktop.core.types import AgentFigures, Figures, Template, Thread

    models: dict[str, list[type[Any]]] = {
        "customer": [Customer],
        "order": [Order],
        "template": [Template],
        "thread": [Thread],
        "metrics": [Figures, AgentFigures],
    }
    for kind, classes in models.items():
        for name in unavailable_fields(kind):
            assert any(name.split(".")[0] in cls.model_fields for cls in classes), (kind, name)
    assert unavailable_fields("nothing") == ()
