"""Every change of the reference server's state goes through here, and writes its event in the same
transaction. Call these inside `async with ctx.write() as session:`; the events are published to
the websockets after the commit, in seq order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Coroutine, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.clock import compute_waiting_since
from agent_desktop.core.metrics import MetricMessage, as_metric_message
from agent_desktop.core.types import TeamSettings, Template
from agent_desktop.server.auth import hash_password_async
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import (
    agent_to_api,
    dump,
    message_to_api,
    order_to_api,
    settings_to_api,
    template_to_api,
    thread_to_api,
    thread_to_api_parts,
)
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    EventRow,
    MessageRow,
    MetaRow,
    OrderRow,
    TeamSettingsRow,
    TemplateRow,
    ThreadRow,
    new_id,
    utcnow,
)
from agent_desktop.server.shop import identity
from agent_desktop.server.shop.search import name_key, phone_digits

PUBLIC_KINDS = frozenset({"text", "image"})
CLOSED_STATUSES = frozenset({"resolved", "spam"})


# --- events -----------------------------------------------------------------------------------


def emit(session: AsyncSession, name: str, data: dict[str, Any]) -> EventRow:
    """Add an event to the current transaction; `ctx.write()` publishes it after the commit.

    On PostgreSQL `ctx.write()` inserts the events at the end of the transaction and the
    database numbers them as it commits (`session.info["defer_events"]`): an event written
    anywhere else would break their order. Its `seq` is known only after the write.
    """
    row = EventRow(name=name, data=data, created_at=utcnow())
    if "defer_events" in session.info:
        if not session.info["defer_events"]:
            raise RuntimeError("events are written inside ctx.write(), not write(sequenced=False)")
    elif session.bind is not None and session.bind.dialect.name == "postgresql":
        raise RuntimeError("events are written inside ctx.write()")
    else:
        session.add(row)
    session.info.setdefault("events", []).append(row)
    return row


def after_commit(session: AsyncSession, callback: Callable[[], Coroutine[Any, Any, Any]]) -> None:
    """Run `callback()` as a background task once the current write transaction has committed."""
    session.info.setdefault("after_commit", []).append(callback)


async def emit_thread(session: AsyncSession, thread: ThreadRow) -> EventRow:
    await session.flush()
    api = await thread_to_api(session, thread)
    return emit(session, "thread.updated", {"thread": dump(api)})


# --- threads and messages ---------------------------------------------------------------------


def _refresh_queue(thread: ThreadRow) -> None:
    thread.queue_since = None if thread.status in CLOSED_STATUSES else thread.waiting_since


def metric_message(row: MessageRow) -> MetricMessage:
    return as_metric_message(row.created_at, row.author_kind, row.kind, row.author_id)


async def thread_metric_messages(session: AsyncSession, thread_id: str) -> list[MetricMessage]:
    return (await _thread_messages_and_newest(session, thread_id))[0]


async def period_messages(
    session: AsyncSession, start: datetime, end: datetime
) -> tuple[dict[str, list[tuple[str, MetricMessage]]], set[str]]:
    """Every message created in [start, end] as the metrics see it, with its id, oldest first,
    grouped by thread; and the threads marked spam (the figures leave them out)."""
    rows = (
        await session.execute(
            select(
                MessageRow.thread_id,
                MessageRow.id,
                MessageRow.created_at,
                MessageRow.author_kind,
                MessageRow.kind,
                MessageRow.author_id,
                ThreadRow.status,
            )
            .join(ThreadRow, ThreadRow.id == MessageRow.thread_id)
            .where(MessageRow.created_at >= start, MessageRow.created_at <= end)
            .order_by(MessageRow.created_at, MessageRow.pk)
        )
    ).all()
    by_thread: dict[str, list[tuple[str, MetricMessage]]] = defaultdict(list)
    spam: set[str] = set()
    for thread_id, message_id, at, author, kind, author_id, status in rows:
        by_thread[thread_id].append((message_id, as_metric_message(at, author, kind, author_id)))
        if status == "spam":
            spam.add(thread_id)
    return by_thread, spam


async def _thread_messages_and_newest(
    session: AsyncSession, thread_id: str
) -> tuple[list[MetricMessage], str | None]:
    """The thread's messages as metric records and the id of its newest message (latest
    created_at, then the latest inserted), in one query."""
    rows = (
        await session.execute(
            select(
                MessageRow.created_at,
                MessageRow.author_kind,
                MessageRow.kind,
                MessageRow.author_id,
                MessageRow.pk,
                MessageRow.id,
            ).where(MessageRow.thread_id == thread_id)
        )
    ).all()
    newest = max(rows, key=lambda r: (r[0], r[4]), default=None)
    records = [
        as_metric_message(at, author, kind, author_id)
        for at, author, kind, author_id, _pk, _id in rows
    ]
    return records, newest[5] if newest is not None else None


async def create_customer(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    name: str,
    email: str | None = None,
    phone: str | None = None,
    locale: str = "en",
    avatar_url: str | None = None,
    currency: str = "EUR",
    consent_order_updates: bool = False,
    messenger_psid: str | None = None,
    customer_since: datetime | None = None,
    customer_id: str | None = None,
    source_kind: str | None = None,
    external_id: str | None = None,
) -> CustomerRow:
    customer = CustomerRow(
        id=customer_id or new_id("c"),
        name=name,
        email=email,
        phone=phone,
        locale=locale,
        avatar_url=avatar_url,
        currency=currency,
        consent_order_updates=consent_order_updates,
        messenger_psid=messenger_psid,
        customer_since=customer_since or utcnow(),
        source_kind=source_kind,
        external_id=external_id,
        search_name=name_key(name),
        phone_digits=phone_digits(phone),
    )
    session.add(customer)
    await session.flush()
    return customer


async def create_thread(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    customer: CustomerRow,
    channel: str = "messenger",
    status: str = "open",
    assignee_id: str | None = None,
    created_at: datetime | None = None,
    thread_id: str | None = None,
) -> ThreadRow:
    """A new, empty thread for an existing customer (emits thread.updated)."""
    at = created_at or utcnow()
    thread = ThreadRow(
        id=thread_id or new_id("t"),
        customer_id=customer.id,
        channel=channel,
        status=status,
        assignee_id=assignee_id,
        unread=0,
        created_at=at,
        updated_at=at,
    )
    session.add(thread)
    await emit_thread(session, thread)
    return thread


async def create_customer_thread(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    name: str,
    channel: str = "messenger",
    created_at: datetime | None = None,
    **customer_fields: Any,
) -> tuple[CustomerRow, ThreadRow]:
    """A new customer (keyword fields as `create_customer`) and an empty thread with them."""
    customer = await create_customer(
        ctx,
        session,
        name=name,
        customer_since=customer_fields.pop("customer_since", created_at),
        **customer_fields,
    )
    thread = await create_thread(
        ctx, session, customer=customer, channel=channel, created_at=created_at
    )
    return customer, thread


async def post_message(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    thread: ThreadRow,
    author_kind: str,
    author_id: str | None = None,
    author_name: str = "",
    kind: str = "text",
    text: str = "",
    attachments: Iterable[Mapping[str, Any]] = (),
    order_id: str | None = None,
    order_event: str | None = None,
    client_id: str | None = None,
    tag: str | None = None,
    created_at: datetime | None = None,
    external_id: str | None = None,
    delivery: str = "sent",
    notify_outbound: bool = True,
) -> MessageRow:
    """Store a message and bring its thread up to date (last message, waiting_since, unread,
    reply window, status, updated_at); emits message.created {"message", "thread"}.

    A customer message reopens a resolved or pending thread. A public reply by an agent clears
    `unread` and, after the commit, is handed to `ctx.outbound_hooks` (unless `notify_outbound`
    is false, e.g. for the Page's own echoes).
    """
    at = created_at or utcnow()
    message = MessageRow(
        id=new_id("m"),
        thread_id=thread.id,
        client_id=client_id,
        author_kind=author_kind,
        author_id=author_id,
        author_name=author_name,
        kind=kind,
        text=text,
        attachments=[dict(a) for a in attachments],
        order_id=order_id,
        order_event=order_event,
        tag=tag,
        delivery=delivery,
        external_id=external_id,
        created_at=at,
    )
    session.add(message)
    await session.flush()

    # One query for both the newest message and the waiting clock: each statement is a round trip
    # to SQLite's thread while the write lock is held, and the event is published only after the
    # commit (this path is the live-update latency of every customer message).
    records, newest = await _thread_messages_and_newest(session, thread.id)
    assert newest is not None  # the message just inserted
    thread.last_message_id = newest
    public_reply = author_kind == "agent" and kind in PUBLIC_KINDS
    if author_kind == "customer":
        if thread.last_customer_message_at is None or at > thread.last_customer_message_at:
            thread.last_customer_message_at = at
        thread.unread += 1
        if thread.status in {"resolved", "pending"}:
            thread.status = "open"
    elif public_reply:
        thread.unread = 0
    thread.waiting_since = compute_waiting_since(records)
    _refresh_queue(thread)
    thread.updated_at = max(thread.updated_at, at)
    if author_kind == "customer" and kind in PUBLIC_KINDS:
        # The shop customer this might be (an agent confirms; see shop/identity.py).
        await identity.suggest(session, thread, text)
    await session.flush()

    if newest == message.id:  # the usual case: no query for the last message
        customer = await session.get(CustomerRow, thread.customer_id)
        assert customer is not None  # the foreign key guarantees it
        api_thread = thread_to_api_parts(thread, customer, message)
    else:
        api_thread = await thread_to_api(session, thread)
    emit(
        session,
        "message.created",
        {"message": dump(message_to_api(message)), "thread": dump(api_thread)},
    )
    if public_reply and notify_outbound and ctx.outbound_hooks:
        hooks = list(ctx.outbound_hooks)

        async def _deliver() -> None:
            # In commit order per conversation: the callbacks of two replies written one after
            # the other are spawned in that order, and the turn is taken before any await, so
            # the second never queues its Messenger send ahead of the first (on PostgreSQL the
            # hooks' write locks alone do not keep their order).
            async with ctx.outbound_order.turn(thread.id):
                for hook in hooks:
                    await hook(message, thread)

        after_commit(session, _deliver)
    return message


async def post_signed(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    thread: ThreadRow,
    author: CustomerRow | AgentRow,
    text: str,
    created_at: datetime | None = None,
    **fields: Any,
) -> MessageRow:
    """A message signed with its author's id and name: the customer's text (a CustomerRow), or an
    agent's reply or note (an AgentRow; `fields` go to post_message, e.g. kind="note")."""
    return await post_message(
        ctx,
        session,
        thread=thread,
        author_kind="customer" if isinstance(author, CustomerRow) else "agent",
        author_id=author.id,
        author_name=author.name,
        text=text,
        created_at=created_at,
        **fields,
    )


async def update_delivery(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    message: MessageRow,
    delivery: str,
    error: str | None = None,
    external_id: str | None = None,
) -> MessageRow:
    """Record how a reply's delivery went (sent, delivered, read, failed); emits message.updated."""
    message.delivery = delivery
    message.error = error
    if external_id is not None:
        message.external_id = external_id
    await session.flush()
    thread = await session.get(ThreadRow, message.thread_id)
    assert thread is not None
    emit(
        session,
        "message.updated",
        {
            "message": dump(message_to_api(message)),
            "thread": dump(await thread_to_api(session, thread)),
        },
    )
    return message


async def set_status(
    ctx: ServerContext, session: AsyncSession, *, thread: ThreadRow, status: str
) -> ThreadRow:
    thread.status = status
    _refresh_queue(thread)
    thread.updated_at = utcnow()
    await emit_thread(session, thread)
    return thread


async def assign(
    ctx: ServerContext, session: AsyncSession, *, thread: ThreadRow, agent_id: str | None
) -> ThreadRow:
    thread.assignee_id = agent_id
    thread.updated_at = utcnow()
    await emit_thread(session, thread)
    return thread


async def mark_read(
    ctx: ServerContext, session: AsyncSession, *, thread: ThreadRow, message: MessageRow
) -> ThreadRow:
    """Unread becomes the number of customer messages after `message`."""
    later = (
        await session.execute(
            select(func.count(MessageRow.pk)).where(
                MessageRow.thread_id == thread.id,
                MessageRow.author_kind == "customer",
                (MessageRow.created_at > message.created_at)
                | ((MessageRow.created_at == message.created_at) & (MessageRow.pk > message.pk)),
            )
        )
    ).scalar_one()
    if thread.unread != later:
        thread.unread = int(later)
        await emit_thread(session, thread)
    return thread


# --- agents -----------------------------------------------------------------------------------


async def create_agent(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    email: str,
    name: str,
    password: str | None = None,
    password_hash: str | None = None,
    role: str = "agent",
    presence: str = "offline",
    agent_id: str | None = None,
) -> AgentRow:
    """A new agent account; pass `password` (hashed here) or an already computed `password_hash`."""
    if password_hash is None:
        if password is None:
            raise ValueError("create_agent needs a password or a password_hash")
        password_hash = await hash_password_async(password)
    agent = AgentRow(
        id=agent_id or new_id("a"),
        email=email.strip().lower(),
        name=name,
        role=role,
        password_hash=password_hash,
        presence=presence,
        presence_since=utcnow(),
    )
    session.add(agent)
    await session.flush()
    emit(session, "agent.presence", {"agent": dump(agent_to_api(agent))})
    return agent


async def set_presence(
    ctx: ServerContext, session: AsyncSession, *, agent: AgentRow, presence: str
) -> AgentRow:
    if agent.presence != presence:
        agent.presence = presence
        agent.presence_since = utcnow()
        await session.flush()
        emit(session, "agent.presence", {"agent": dump(agent_to_api(agent))})
    return agent


# --- orders -----------------------------------------------------------------------------------


async def save_order(ctx: ServerContext, session: AsyncSession, *, order: OrderRow) -> OrderRow:
    """Insert or update an order; emits order.updated {"order", "customer_id"}."""
    order.updated_at = utcnow()
    session.add(order)
    await session.flush()
    emit(
        session,
        "order.updated",
        {"order": dump(order_to_api(order)), "customer_id": order.customer_id},
    )
    return order


# --- templates --------------------------------------------------------------------------------


def _template_event(row: TemplateRow, template: Template | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "template": dump(template) if template is not None else None,
        "scope": row.scope,
        "owner_id": row.owner_id,
    }


async def save_template(
    ctx: ServerContext, session: AsyncSession, *, row: TemplateRow
) -> TemplateRow:
    """Insert or update a template; emits template.changed (personal ones reach only the owner)."""
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    emit(session, "template.changed", _template_event(row, template_to_api(row)))
    return row


async def delete_template(ctx: ServerContext, session: AsyncSession, *, row: TemplateRow) -> None:
    data = _template_event(row, None)
    await session.delete(row)
    await session.flush()
    emit(session, "template.changed", data)


# --- settings ---------------------------------------------------------------------------------


async def get_settings_row(session: AsyncSession) -> TeamSettingsRow:
    row = await session.get(TeamSettingsRow, 1)
    if row is None:
        row = TeamSettingsRow(
            id=1, target_seconds=300, window_days=7, away=[], allowed_tags=["HUMAN_AGENT"]
        )
        session.add(row)
        await session.flush()
    return row


async def get_settings(session: AsyncSession) -> TeamSettings:
    return settings_to_api(await get_settings_row(session))


async def save_settings(
    ctx: ServerContext, session: AsyncSession, *, settings: TeamSettings
) -> TeamSettings:
    row = await get_settings_row(session)
    data = dump(settings)
    row.target_seconds = settings.target_seconds
    row.window_days = settings.window_days
    row.away = data["away"]
    row.allowed_tags = list(settings.allowed_tags)
    row.refund_limits = dict(settings.refund_limits)
    row.return_instructions = dict(settings.return_instructions)
    row.updated_at = utcnow()
    await session.flush()
    saved = settings_to_api(row)
    emit(session, "settings.changed", {"settings": dump(saved)})
    return saved


# --- small helpers for seeds ------------------------------------------------------------------


async def get_meta(session: AsyncSession, key: str) -> str | None:
    row = await session.get(MetaRow, key)
    return row.value if row is not None else None


async def set_meta(session: AsyncSession, key: str, value: str) -> None:
    row = await session.get(MetaRow, key)
    if row is None:
        session.add(MetaRow(key=key, value=value))
    else:
        row.value = value
    await session.flush()
