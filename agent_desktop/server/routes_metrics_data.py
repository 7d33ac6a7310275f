"""`GET /api/v1/metrics/messages`: the compact message data behind the metrics, so the dashboard can
compute SPEC §2's figures incrementally on the client from one request instead of one per thread.

The body has the shape `agent-desktop metrics` reads (`threads: [{id, spam, messages: [{at, author,
kind, agent_id}]}]`) plus each message's `id`, so a client can merge live events without counting a
message twice. A lead sees every agent's id; an agent sees only their own (others' replies still
count for the team, with `agent_id` null).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from agent_desktop.core.metrics import iso_utc
from agent_desktop.server.deps import Principal, current_agent, get_ctx, respond
from agent_desktop.server.errors import ApiError
from agent_desktop.server.limits import UtcDateTime
from agent_desktop.server.models import MessageRow, ThreadRow, utcnow
from agent_desktop.server.openapi_errors import errors

router = APIRouter(prefix="/api/v1")
Who = Annotated[Principal, Depends(current_agent)]

MAX_SPAN = timedelta(days=400)


@router.get("/metrics/messages", responses=errors(400, 401, 422))
async def metric_messages(
    who: Who, request: Request, since: UtcDateTime, until: UtcDateTime | None = None
) -> JSONResponse:
    """Every message created in [since, until] (default until now), grouped by thread."""
    ctx = get_ctx(request)
    end = until if until is not None else utcnow()
    start = since
    if start >= end:
        raise ApiError(422, "invalid_range", "'since' must be before 'until'.")
    if end - start > MAX_SPAN:
        raise ApiError(422, "invalid_range", "The period may cover at most 400 days.")
    async with ctx.sessionmaker() as session:
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
    threads: dict[str, list[dict[str, Any]]] = defaultdict(list)
    spam: set[str] = set()
    for thread_id, message_id, at, author, kind, author_id, status in rows:
        agent_id = author_id if author == "agent" else None
        if agent_id is not None and not who.is_lead and agent_id != who.id:
            agent_id = None
        threads[thread_id].append(
            {
                "id": message_id,
                "at": iso_utc(at),
                "author": author,
                "kind": "note" if kind == "note" else "text",
                "agent_id": agent_id,
            }
        )
        if status == "spam":
            spam.add(thread_id)
    return respond(
        {
            "since": iso_utc(start),
            "until": iso_utc(end),
            "threads": [
                {"id": tid, "spam": tid in spam, "messages": msgs} for tid, msgs in threads.items()
            ],
        }
    )
