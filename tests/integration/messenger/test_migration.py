"""An existing database whose team allowed a retired message tag, with an order message queued
under it, is migrated: the tag is gone from the settings, the queued send is marked an order
message (checked again before it leaves, so it never goes with the retired tag), and the schema
equals the models. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from agent_desktop.server import db
from tests.integration.server.test_db import schema_differences

PREVIOUS = "0003"  # the head before the Messenger 2026 revision


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'server.sqlite'}"
    else:
        yield request.getfixturevalue("pg_url")


async def test_a_database_that_allowed_a_retired_tag_is_migrated(database: str) -> None:
    engine = db.make_engine(database)
    now = datetime(2026, 4, 20, 9, 0)
    try:
        await db.migrate(engine, PREVIOUS)
        async with engine.begin() as conn:
            await conn.execute(
                text("UPDATE team_settings SET allowed_tags = :tags WHERE id = 1"),
                {"tags": json.dumps(["HUMAN_AGENT", "POST_PURCHASE_UPDATE", "account_update"])},
            )
            await conn.execute(
                text(
                    "INSERT INTO customers (id, name, locale, customer_since, currency, "
                    "consent_order_updates, messenger_psid, source_data, search_name, "
                    "phone_digits) VALUES ('c1', 'C', 'fr', :now, 'EUR', true, 'psid-1', '{}', "
                    "'c', '')"
                ),
                {"now": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO threads (id, customer_id, channel, status, unread, created_at, "
                    "updated_at, last_customer_message_at) VALUES ('t1', 'c1', 'messenger', "
                    "'open', 0, :now, :now, :now)"
                ),
                {"now": now},
            )
            for message_id, kind in (("m_order", "order_event"), ("m_reply", "text")):
                await conn.execute(
                    text(
                        "INSERT INTO messages (id, thread_id, author_kind, author_name, kind, "
                        "text, attachments, delivery, created_at) VALUES (:id, 't1', "
                        "'automated', 'Order updates', :kind, 'x', '[]', 'sent', :now)"
                    ),
                    {"id": message_id, "kind": kind, "now": now},
                )
                await conn.execute(
                    text(
                        "INSERT INTO messenger_outbound (message_id, thread_id, psid, "
                        "messaging_type, tag, payload, status, created_at) VALUES (:id, 't1', "
                        "'psid-1', 'MESSAGE_TAG', :tag, '{\"text\": \"x\"}', 'queued', :now)"
                    ),
                    {
                        "id": message_id,
                        "tag": "POST_PURCHASE_UPDATE" if kind == "order_event" else "HUMAN_AGENT",
                        "now": now,
                    },
                )
        before, after = await db.migrate(engine)
        assert (before, after) == (PREVIOUS, db.head_revision())
        async with engine.connect() as conn:
            (allowed,) = (
                await conn.execute(text("SELECT allowed_tags FROM team_settings WHERE id = 1"))
            ).one()
            purposes = dict(
                (
                    await conn.execute(text("SELECT message_id, purpose FROM messenger_outbound"))
                ).all()
            )
            assert await conn.run_sync(schema_differences) == []
        tags = json.loads(allowed) if isinstance(allowed, str) else allowed
        assert tags == ["HUMAN_AGENT"]
        assert purposes == {"m_order": "order", "m_reply": "reply"}
    finally:
        await engine.dispose()
