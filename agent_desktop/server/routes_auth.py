"""Sign-in, sign-out, the signed-in agent, presence and the team (SPEC §3)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import select, update

from agent_desktop.core.types import Agent, LoginResult, Presence
from agent_desktop.server import accounts, services
from agent_desktop.server.auth import (
    shared_hash,
    verify_password_async,
)
from agent_desktop.server.convert import agent_to_api
from agent_desktop.server.deps import (
    Body,
    Who,
    count_attempt,
    get_ctx,
    give_back_attempt,
    respond,
)
from agent_desktop.server.errors import ApiError
from agent_desktop.server.models import AgentRow, TokenRow, utcnow
from agent_desktop.server.openapi_errors import errors

router = APIRouter(prefix="/api/v1")


class LoginBody(Body):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class PresenceBody(Body):
    presence: Presence


@router.post("/auth/login", status_code=201, responses=errors(400, 401, 403, 413, 422, 429))
async def login(body: LoginBody, request: Request) -> JSONResponse:
    """At most MAX_LOGIN_ATTEMPTS passwords are checked per account and minute: the attempt is
    counted (in the database) before the password is looked at, so concurrency cannot bypass it."""
    ctx = get_ctx(request)
    email = body.email.strip().lower()
    await count_attempt(
        ctx, email, "Too many sign-in attempts for this email: wait a minute and try again."
    )
    async with ctx.sessionmaker() as session:
        agent = (
            await session.execute(select(AgentRow).where(AgentRow.email == email))
        ).scalar_one_or_none()
    # An unknown email, or an account still waiting for its invitation code, costs the same
    # work as a wrong password.
    usable = agent is not None and bool(agent.password_hash)
    stored = agent.password_hash if agent is not None and usable else shared_hash("unknown-account")
    ok = await verify_password_async(stored, body.password) and usable
    if agent is None or not ok:
        raise ApiError(401, "invalid_credentials", "The email or the password is not right.")
    await give_back_attempt(ctx, email)  # the password is right
    async with ctx.write() as session:
        row = await session.get(AgentRow, agent.id)
        if row is None or not row.active:
            code, message = accounts.ENDED["deactivated"]
            raise ApiError(403, code, message)
        if row.password_hash != agent.password_hash:  # reset while the password was checked
            raise ApiError(401, "invalid_credentials", "The email or the password is not right.")
        token = await accounts.new_session(ctx, session, row)
        result = LoginResult(token=token, agent=agent_to_api(row))
    return respond(result, 201)


@router.post("/auth/logout", responses=errors(401))
async def logout(who: Who, request: Request) -> JSONResponse:
    """Revoke this token, close its websockets (4401); the agent goes offline when it was the
    agent's last open session."""
    ctx = get_ctx(request)
    async with ctx.write() as session:
        await session.execute(
            update(TokenRow)
            .where(TokenRow.token_hash == who.token_hash)
            .values(revoked_at=utcnow(), revoked_reason="logout")
        )
        others = (
            await session.execute(
                select(TokenRow.token_hash).where(
                    TokenRow.agent_id == who.id, TokenRow.revoked_at.is_(None)
                )
            )
        ).first()
        if others is None:
            row = await session.get(AgentRow, who.id)
            assert row is not None
            await services.set_presence(ctx, session, agent=row, presence="offline")
    ctx.close_token(who.token_hash)
    return respond({"status": "signed_out"})


@router.get("/me", responses=errors(401))
async def me(who: Who) -> JSONResponse:
    return respond(agent_to_api(who.agent))


@router.put("/me/presence", responses=errors(400, 401, 422))
async def set_presence(body: PresenceBody, who: Who, request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = await session.get(AgentRow, who.id)
        assert row is not None
        await services.set_presence(ctx, session, agent=row, presence=body.presence)
        result: Agent = agent_to_api(row)
    return respond(result)


@router.get("/agents", responses=errors(401))
async def agents(who: Who, request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        rows = (await session.execute(select(AgentRow).order_by(AgentRow.name))).scalars().all()
    return respond({"items": [agent_to_api(r).model_dump(mode="json") for r in rows]})
