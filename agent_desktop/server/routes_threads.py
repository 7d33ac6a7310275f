"""Threads and messages (SPEC §3): the prioritized list with filters and an opaque cursor, one
thread, message pages, idempotent sending, assignment, status and read marks.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import ColumnElement, and_, case, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.reply_window import ReplyNotAllowed, required_tag
from agent_desktop.core.types import (
    MAX_TEXT_LENGTH,
    THREAD_STATUSES,
    MessagePage,
    SendKind,
    ThreadPage,
    ThreadStatus,
)
from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import (
    message_to_api,
    thread_to_api,
    threads_to_api,
    window_for,
)
from agent_desktop.server.deps import Body, Principal, Who, get_ctx, respond
from agent_desktop.server.errors import ApiError, get_or_404
from agent_desktop.server.limits import check_json_depth, parse_utc
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    MessageRow,
    OrderRow,
    ThreadRow,
)
from agent_desktop.server.openapi_errors import REPEATED, errors

router = APIRouter(prefix="/api/v1/threads")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class SendBody(Body):
    client_id: str = Field(min_length=1, max_length=100)
    text: str
    kind: SendKind = "reply"
    tag: str | None = Field(default=None, max_length=50)


class AssignBody(Body):
    agent_id: str | None


class StatusBody(Body):
    status: ThreadStatus


class ReadBody(Body):
    message_id: str = Field(min_length=1, max_length=100)


def check_text(text: str) -> None:
    if not text.strip():
        raise ApiError(422, "empty_text", "The message is empty.")
    if len(text) > MAX_TEXT_LENGTH:
        raise ApiError(
            422,
            "text_too_long",
            f"The message has {len(text)} characters; Messenger accepts at most {MAX_TEXT_LENGTH}.",
        )


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(422, "invalid_limit", f"The limit must be between 1 and {MAX_LIMIT}.")
    return limit


# --- the list -----------------------------------------------------------------------------------

_GROUP = case((ThreadRow.queue_since.is_(None), 1), else_=0)
_RECENT = case((ThreadRow.queue_since.is_(None), ThreadRow.updated_at), else_=None)


def encode_cursor(thread: ThreadRow) -> str:
    if thread.queue_since is not None:
        key: dict[str, Any] = {"g": 0, "t": thread.queue_since.isoformat(), "i": thread.id}
    else:
        key = {"g": 1, "t": thread.updated_at.isoformat(), "i": thread.id}
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> ColumnElement[bool]:
    """The keyset condition for the rows after the cursor, or 422 for a cursor we did not issue."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        check_json_depth(raw, 2)
        key = json.loads(raw)
        group, at, last_id = key["g"], datetime.fromisoformat(key["t"]), key["i"]
        if type(group) is not int or group not in (0, 1) or at.tzinfo is None:
            raise ValueError("bad cursor")
        if not isinstance(last_id, str):
            raise ValueError("bad cursor")
        at = parse_utc(at)
        last_id.encode("utf-8")  # a lone surrogate is no id of ours
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeError, OverflowError):
        raise ApiError(
            422, "invalid_cursor", "The cursor is not valid; start from the first page."
        ) from None
    if group == 0:
        return or_(
            and_(
                _GROUP == 0,
                or_(
                    ThreadRow.queue_since > at,
                    and_(ThreadRow.queue_since == at, ThreadRow.id > last_id),
                ),
            ),
            _GROUP == 1,
        )
    return and_(
        _GROUP == 1,
        or_(
            ThreadRow.updated_at < at,
            and_(ThreadRow.updated_at == at, ThreadRow.id > last_id),
        ),
    )


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@router.get("", responses=errors(400, 401, 422))
async def list_threads(
    who: Who,
    request: Request,
    status: str | None = None,
    assignee: str = "any",
    q: str | None = Query(default=None, max_length=200),
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> JSONResponse:
    """Most urgent first: waiting threads by oldest `waiting_since`, then the rest by most recent
    activity. `status` may list several (comma-separated); `assignee` is me, unassigned, any or
    an agent id."""
    ctx = get_ctx(request)
    check_limit(limit)
    stmt = select(ThreadRow).join(CustomerRow, CustomerRow.id == ThreadRow.customer_id)
    if status:
        wanted = [s.strip() for s in status.split(",") if s.strip()]
        unknown = [s for s in wanted if s not in THREAD_STATUSES]
        if unknown or not wanted:
            raise ApiError(
                422, "invalid_status", f"Unknown status; use one of {', '.join(THREAD_STATUSES)}."
            )
        stmt = stmt.where(ThreadRow.status.in_(wanted))
    if assignee == "me":
        stmt = stmt.where(ThreadRow.assignee_id == who.id)
    elif assignee == "unassigned":
        stmt = stmt.where(ThreadRow.assignee_id.is_(None))
    elif assignee != "any":
        stmt = stmt.where(ThreadRow.assignee_id == assignee)
    if q and q.strip():
        pattern = _like(q.strip())
        stmt = stmt.where(
            or_(
                CustomerRow.name.ilike(pattern, escape="\\"),
                exists().where(
                    OrderRow.customer_id == ThreadRow.customer_id,
                    OrderRow.number.ilike(pattern, escape="\\"),
                ),
                exists().where(
                    MessageRow.thread_id == ThreadRow.id,
                    MessageRow.text.ilike(pattern, escape="\\"),
                ),
            )
        )
    if cursor:
        stmt = stmt.where(decode_cursor(cursor))
    stmt = stmt.order_by(
        _GROUP, ThreadRow.queue_since.asc(), _RECENT.desc(), ThreadRow.id.asc()
    ).limit(limit + 1)
    async with ctx.sessionmaker() as session:
        rows = list((await session.execute(stmt)).scalars().all())
        page, more = rows[:limit], len(rows) > limit
        items = await threads_to_api(session, page)
    next_cursor = encode_cursor(page[-1]) if more and page else None
    return respond(ThreadPage(items=items, next_cursor=next_cursor))


# --- one thread ---------------------------------------------------------------------------------


async def load_thread(session: AsyncSession, thread_id: str) -> ThreadRow:
    return await get_or_404(session, ThreadRow, thread_id, "thread")


@router.get("/{thread_id}", responses=errors(400, 401, 404))
async def get_thread(thread_id: str, who: Who, request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        thread = await load_thread(session, thread_id)
        result = await thread_to_api(session, thread)
    return respond(result)


async def _message_in(session: AsyncSession, thread_id: str, **match: str) -> MessageRow | None:
    """The thread's message with these values (`id=` or `client_id=`); None if it has none."""
    query = select(MessageRow).filter_by(thread_id=thread_id, **match)
    return (await session.execute(query)).scalar_one_or_none()


@router.get("/{thread_id}/messages", responses=errors(400, 401, 404, 422))
async def list_messages(
    thread_id: str,
    who: Who,
    request: Request,
    before: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> JSONResponse:
    """Newest first; `before` (a message id) pages to older messages."""
    ctx = get_ctx(request)
    check_limit(limit)
    async with ctx.sessionmaker() as session:
        await load_thread(session, thread_id)
        stmt = select(MessageRow).where(MessageRow.thread_id == thread_id)
        if before:
            anchor = await _message_in(session, thread_id, id=before)
            if anchor is None:
                raise ApiError(422, "invalid_before", "The 'before' message is not in this thread.")
            stmt = stmt.where(
                or_(
                    MessageRow.created_at < anchor.created_at,
                    and_(MessageRow.created_at == anchor.created_at, MessageRow.pk < anchor.pk),
                )
            )
        stmt = stmt.order_by(MessageRow.created_at.desc(), MessageRow.pk.desc()).limit(limit + 1)
        rows = list((await session.execute(stmt)).scalars().all())
    page = MessagePage(items=[message_to_api(r) for r in rows[:limit]], has_more=len(rows) > limit)
    return respond(page)


# --- sending --------------------------------------------------------------------------------------


@router.post(
    "/{thread_id}/messages",
    status_code=201,
    responses={200: REPEATED, **errors(400, 401, 404, 409, 422)},
)
async def send_message(thread_id: str, body: SendBody, who: Who, request: Request) -> JSONResponse:
    """Idempotent on `client_id`: the same author's repeat returns the stored message with 200;
    another author's use of the same client_id in the thread is refused (409)."""
    ctx = get_ctx(request)
    check_text(body.text)
    try:
        async with ctx.write(thread=thread_id) as session:
            thread = await load_thread(session, thread_id)
            existing = await _message_in(session, thread_id, client_id=body.client_id)
            if existing is not None:
                return _repeat(existing, who)
            tag: str | None = None
            if body.kind == "reply":
                settings = await services.get_settings(session)
                state = window_for(thread).state
                try:
                    tag = required_tag(state, settings.allowed_tags)
                except ReplyNotAllowed as exc:
                    raise ApiError(409, "window_closed", str(exc)) from None
                if body.tag is not None:
                    if body.tag not in settings.allowed_tags:
                        raise ApiError(
                            422,
                            "tag_not_allowed",
                            f"The tag {body.tag} is not allowed for this team.",
                        )
                    if thread.channel == "messenger":
                        tag = body.tag
            message = await services.post_message(
                ctx,
                session,
                thread=thread,
                author_kind="agent",
                author_id=who.id,
                author_name=who.agent.name,
                kind="text" if body.kind == "reply" else "note",
                text=body.text,
                client_id=body.client_id,
                tag=tag,
            )
            result = message_to_api(message)
    except IntegrityError:
        # Another process stored the same client_id first: return its message.
        async with ctx.sessionmaker() as session:
            existing = await _message_in(session, thread_id, client_id=body.client_id)
        if existing is None:
            raise
        return _repeat(existing, who)
    return respond(result, 201)


def _repeat(existing: MessageRow, who: Principal) -> JSONResponse:
    """A client_id already stored: the same author gets the stored message (200); another author
    gets 409, never someone else's message in place of their own text."""
    if existing.author_kind != "agent" or existing.author_id != who.id:
        raise ApiError(
            409,
            "client_id_taken",
            "Another author already used this client_id in this thread; send with a new one.",
        )
    return respond(message_to_api(existing), 200)


# --- triage ---------------------------------------------------------------------------------------


async def _change_thread(
    request: Request,
    thread_id: str,
    change: Callable[[ServerContext, AsyncSession, ThreadRow], Awaitable[None]],
) -> JSONResponse:
    """Apply `change` to the thread in one write transaction; answer with the thread after it."""
    ctx = get_ctx(request)
    async with ctx.write(thread=thread_id) as session:
        thread = await load_thread(session, thread_id)
        await change(ctx, session, thread)
        result = await thread_to_api(session, thread)
    return respond(result)


@router.post("/{thread_id}/assignment", responses=errors(400, 401, 403, 404, 422))
async def assign(thread_id: str, body: AssignBody, who: Who, request: Request) -> JSONResponse:
    """A lead assigns anyone; an agent takes a thread or lets go of their own."""

    async def change(ctx: ServerContext, session: AsyncSession, thread: ThreadRow) -> None:
        if body.agent_id is not None and await session.get(AgentRow, body.agent_id) is None:
            raise ApiError(422, "unknown_agent", "There is no agent with that id.")
        if not who.is_lead:
            if body.agent_id is not None and body.agent_id != who.id:
                raise ApiError(
                    403, "forbidden", "Only a team lead may assign a thread to someone else."
                )
            if body.agent_id is None and thread.assignee_id not in (None, who.id):
                raise ApiError(
                    403, "forbidden", "Only a team lead may unassign a colleague's thread."
                )
            if body.agent_id is not None and thread.assignee_id not in (None, who.id):
                raise ApiError(
                    403,
                    "forbidden",
                    "This thread is a colleague's: only a team lead may hand it to you.",
                )
        if thread.assignee_id != body.agent_id:
            await services.assign(ctx, session, thread=thread, agent_id=body.agent_id)

    return await _change_thread(request, thread_id, change)


@router.post("/{thread_id}/status", responses=errors(400, 401, 404, 422))
async def set_status(thread_id: str, body: StatusBody, who: Who, request: Request) -> JSONResponse:

    async def change(ctx: ServerContext, session: AsyncSession, thread: ThreadRow) -> None:
        if thread.status != body.status:
            await services.set_status(ctx, session, thread=thread, status=body.status)

    return await _change_thread(request, thread_id, change)


@router.post("/{thread_id}/read", responses=errors(400, 401, 404, 422))
async def mark_read(thread_id: str, body: ReadBody, who: Who, request: Request) -> JSONResponse:

    async def change(ctx: ServerContext, session: AsyncSession, thread: ThreadRow) -> None:
        message = await _message_in(session, thread_id, id=body.message_id)
        if message is None:
            raise ApiError(422, "unknown_message", "That message is not in this thread.")
        await services.mark_read(ctx, session, thread=thread, message=message)

    return await _change_thread(request, thread_id, change)
