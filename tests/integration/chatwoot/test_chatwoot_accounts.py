"""Choosing another Chatwoot account starts from nothing: conversation ids are per account (each
numbers its conversations 1, 2...), so nothing known of one account may colour another's
conversation of the same number: not its messages, not its reply window."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from agent_desktop.backends.chatwoot import ChatwootBackend
from tests.helpers.chatwoot_server import FakeChatwoot, now_ts


async def test_the_reply_window_of_one_account_does_not_leak_into_another(
    fake: FakeChatwoot,
    seeded: dict[str, Any],
    make_backend: Callable[..., Awaitable[ChatwootBackend]],
) -> None:
    # Account 2's conversation 1: the customer last wrote ten days ago (window closed).
    long_ago = now_ts() - 10 * 86400
    old_customer = fake.add_contact(2, "Client Ancien")
    conv = fake.add_conversation(
        2, old_customer, created_at=long_ago, updated_at=long_ago, last_activity_at=long_ago
    )
    fake.add_message(conv, "Vous êtes là ?", at=long_ago)
    assert conv.id == 1  # the same number as account 1's Jeanne, who wrote an hour ago

    backend = await make_backend("admin", account_id=1)
    first = {t.id: t for t in (await backend.threads()).items}
    assert first["1"].customer.name == "Jeanne Dupont"
    assert first["1"].reply_window.state == "standard"  # she wrote an hour ago

    backend.select_account(2)
    second = {t.id: t for t in (await backend.threads()).items}
    assert second["1"].customer.name == "Client Ancien"
    assert second["1"].reply_window.state == "closed"
    assert [m.text for m in (await backend.messages("1")).items] == ["Vous êtes là ?"]
