"""Request plumbing shared by the routes: the context, the signed-in agent (Bearer token), and JSON
responses that carry `server_time`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import accounts
from agent_desktop.server.accounts import ENDED
from agent_desktop.server.auth import release_attempt, reserve_attempt, token_digest
from agent_desktop.server.context import ServerContext
from agent_desktop.server.errors import ApiError, server_time
from agent_desktop.server.models import AgentRow, TokenRow, utcnow


@dataclass
class Principal:
    """The agent behind a request and the digest of the token it used."""

    agent: AgentRow
    token_hash: str

    @property
    def id(self) -> str:
        return self.agent.id

    @property
    def is_lead(self) -> bool:
        return self.agent.role == "lead"


MAX_BODY_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_problem(value: Any) -> str | None:
    """Why a request body cannot be stored, or None: a NUL character (no database column holds
    one), a lone surrogate (not Unicode: no column holds one either), or nesting deeper than any
    body of this API (walked iteratively, so depth costs no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_BODY_DEPTH:
            return f"the body is nested more than {MAX_BODY_DEPTH} levels deep"
        if isinstance(item, str):
            if "\x00" in item:
                return "text may not contain NUL characters"
            if not item.isascii() and _SURROGATE.search(item):
                return "text must be valid Unicode (it holds a lone surrogate)"
        elif isinstance(item, dict):
            for key, inner in item.items():
                stack.append((key, depth + 1))
                stack.append((inner, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)
    return None


class Body(BaseModel):
    """Base of request bodies: refuses NUL characters and lone surrogates, which no database
    column can hold, and absurd nesting."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        problem = _text_problem(data)
        if problem is not None:
            raise ValueError(problem)
        return data


def get_ctx(request: Request) -> ServerContext:
    ctx: ServerContext = request.app.state.ctx
    return ctx


def respond(payload: BaseModel | dict[str, Any], status: int = 200) -> JSONResponse:
    """A JSON object response with `server_time` added."""
    body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else dict(payload)
    body["server_time"] = server_time()
    return JSONResponse(body, status_code=status)


def unauthorized(message: str = "Sign in first: the token is missing.") -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


async def check_token(ctx: ServerContext, token: str) -> tuple[Principal | None, str]:
    """The agent behind a token, or None and why it does not work (a key of accounts.ENDED).
    A working token is recorded as in use (at most once a minute)."""
    if not token:
        return None, "missing"
    async with ctx.sessionmaker() as session:
        row, agent = await accounts.lookup_token(session, token)
    now = utcnow()
    limits = accounts.Lifetimes.of(ctx)
    ended = accounts.why_ended(row, agent, limits, now)
    if ended or row is None or agent is None:
        return None, ended or "unknown"
    if limits.stale(row.last_used_at, now):
        await accounts.touch(ctx, row.token_hash, agent.id)
    return Principal(agent, row.token_hash), ""


async def principal_for_token(session: AsyncSession, token: str) -> Principal | None:
    """The agent behind a token that was not revoked (lifetimes are not checked here: use
    `check_token` for requests)."""
    digest = token_digest(token)
    row = (
        await session.execute(
            select(AgentRow)
            .join(TokenRow, TokenRow.agent_id == AgentRow.id)
            .where(
                TokenRow.token_hash == digest,
                TokenRow.revoked_at.is_(None),
                AgentRow.active.is_(True),
            )
        )
    ).scalar_one_or_none()
    return Principal(row, digest) if row is not None else None


async def current_agent(request: Request) -> Principal:
    """FastAPI dependency: the signed-in agent, or 401 saying why (expired, deactivated...)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized()
    found, ended = await check_token(get_ctx(request), token.strip())
    if found is None:
        code, message = ENDED[ended]
        raise ApiError(401, code, message, {"WWW-Authenticate": "Bearer"})
    return found


Who = Annotated[Principal, Depends(current_agent)]  # a route's signed-in agent


async def count_attempt(ctx: ServerContext, email: str, refused: str) -> None:
    """Count a guess (a password, an invitation code) against the account's sign-in allowance
    before it is checked (auth.reserve_attempt); past it, 429 with `refused` and Retry-After."""
    async with ctx.write(sequenced=False) as session:  # no event: not behind the seq lock
        wait = await reserve_attempt(session, email)
    if wait is not None:
        raise ApiError(
            429, "too_many_attempts", refused, {"Retry-After": str(max(1, math.ceil(wait)))}
        )


async def give_back_attempt(ctx: ServerContext, email: str) -> None:
    """A right guess does not count against the allowance (auth.release_attempt), in its own
    transaction, so that a refusal after it, which rolls its transaction back, keeps it given."""
    async with ctx.write(sequenced=False) as session:
        await release_attempt(session, email)


def require_lead(who: Principal, what: str) -> None:
    if not who.is_lead:
        raise ApiError(403, "forbidden", f"Only a team lead may {what}.")
