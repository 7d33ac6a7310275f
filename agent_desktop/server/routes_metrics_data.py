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
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from agent_desktop.core.metrics import iso_utc
from agent_desktop.server import services
from agent_desktop.server.deps import Who, get_ctx, respond
from agent_desktop.server.errors import ApiError
from agent_desktop.server.limits import UtcDateTime
from agent_desktop.server.models import utcnow
from agent_desktop.server.openapi_errors import errors

router = APIRouter(prefix="/api/v1")

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
        by_thread, spam = await services.period_messages(session, start, end)
    threads: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for thread_id, messages in by_thread.items():
        for message_id, m in messages:
            agent_id = m.agent_id
            if agent_id is not None and not who.is_lead and agent_id != who.id:
                agent_id = None
            threads[thread_id].append(
                {
                    "id": message_id,
                    "at": iso_utc(m.at),
                    "author": m.author,
                    "kind": m.kind,
                    "agent_id": agent_id,
                }
            )
    return respond(
        {
            "since": iso_utc(start),
            "until": iso_utc(end),
            "threads": [
                {"id": tid, "spam": tid in spam, "messages": msgs} for tid, msgs in threads.items()
            ],
        }
    )
