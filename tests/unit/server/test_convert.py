"""The server's row-to-API converters: every column copied as it is names a real column of the row
and a field of the API model (pydantic would drop an unknown keyword silently), and a converted
row carries its values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import BaseModel
from sqlalchemy import inspect

from agent_desktop.core.order_types import Customer, Order
from agent_desktop.core.types import Agent, Message, Template, Thread
from agent_desktop.server import convert
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    MessageRow,
    OrderRow,
    TemplateRow,
    ThreadRow,
)

PAIRS = [
    (convert.AGENT_COLUMNS, AgentRow, Agent),
    (convert.CUSTOMER_COLUMNS, CustomerRow, Customer),
    (convert.ORDER_COLUMNS, OrderRow, Order),
    (convert.MESSAGE_COLUMNS, MessageRow, Message),
    (convert.TEMPLATE_COLUMNS, TemplateRow, Template),
    (convert.THREAD_COLUMNS, ThreadRow, Thread),
]


@pytest.mark.parametrize(("names", "row", "model"), PAIRS, ids=lambda v: getattr(v, "__name__", ""))
def test_copied_columns_exist_on_both_sides(
    names: tuple[str, ...], row: type, model: type[BaseModel]
) -> None:
    assert len(set(names)) == len(names)
    row_columns = set(inspect(row).columns.keys())
    assert set(names) <= row_columns
    assert set(names) <= set(model.model_fields)


def test_converters_copy_the_values() -> None:
    at = datetime(2026, 3, 4, 12, 30, tzinfo=UTC)
    agent = convert.agent_to_api(
        AgentRow(
            id="a1",
            name="Amélie",
            email="a@example.test",
            role="lead",
            presence="away",
            presence_since=at,
        )
    )
    assert (agent.id, agent.name, agent.email, agent.role, agent.presence) == (
        "a1",
        "Amélie",
        "a@example.test",
        "lead",
        "away",
    )
    assert agent.presence_since == at
    template = convert.template_to_api(
        TemplateRow(
            id="tp1",
            shortcut="hi",
            title="Hello",
            body="Hello {{customer.first_name}}",
            language="en",
            scope="team",
            owner_id="a1",
            intent="where_is_order",
            updated_at=at,
        )
    )
    assert template.model_dump() == {
        "id": "tp1",
        "shortcut": "hi",
        "title": "Hello",
        "body": "Hello {{customer.first_name}}",
        "language": "en",
        "scope": "team",
        "owner_id": "a1",
        "intent": "where_is_order",
        "updated_at": at,
    }
    message = convert.message_to_api(
        MessageRow(
            id="m1",
            thread_id="t1",
            client_id="c1",
            author_kind="agent",
            author_id="a1",
            author_name="Amélie",
            kind="note",
            text="Checked",
            attachments=[],
            order_id=None,
            order_event=None,
            tag=None,
            delivery="sent",
            error=None,
            created_at=at,
        )
    )
    assert (message.id, message.thread_id, message.client_id, message.kind, message.text) == (
        "m1",
        "t1",
        "c1",
        "note",
        "Checked",
    )
    assert message.author.name == "Amélie" and message.created_at == at
