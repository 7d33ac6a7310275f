"""`GET /api/v1/health` for monitors and reverse proxies: 200 `ok` when the database answers, 503
`database_unreachable` when it does not (and 503 `starting` from the start-up gate in runner.py,
before the database is open).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from agent_desktop.server.deps import get_ctx, respond

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1")

DATABASE_TIMEOUT = 5.0


async def _database_answers(request: Request) -> bool:
    ctx = get_ctx(request)

    async def probe() -> None:
        async with ctx.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(probe(), DATABASE_TIMEOUT)
    except Exception as exc:  # any failure to reach it is the answer, not an error of ours
        log.warning("health: the database does not answer (%s)", type(exc).__name__)
        return False
    return True


@router.get(
    "/health",
    responses={
        503: {
            "description": "`starting` (the database is being opened and migrated) or "
            "`database_unreachable`",
            "content": {
                "application/json": {
                    "example": {"status": "database_unreachable", "server_time": "…"}
                }
            },
        }
    },
)
async def health(request: Request) -> JSONResponse:
    """`{"status": "ok"}` (200), `{"status": "database_unreachable", "message"}` (503); while the
    server starts, `{"status": "starting"}` (503). No token needed."""
    if await _database_answers(request):
        return respond({"status": "ok"})
    body: dict[str, Any] = {
        "status": "database_unreachable",
        "message": "The server runs but its database does not answer.",
    }
    response = respond(body, 503)
    response.headers["Retry-After"] = "5"
    return response
