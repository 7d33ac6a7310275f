"""The team's accounts over HTTP: a lead adds members (with a one-time invitation code), renames
them, changes their role, deactivates, activates and resets them; a new member turns the code into
a password; anyone changes their own password. Each change is an `agent.updated` event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.types import Invitation, LoginResult, NewMember
from agent_desktop.server import accounts
from agent_desktop.server.auth import verify_password_async
from agent_desktop.server.convert import agent_to_api, dump
from agent_desktop.server.deps import (
    Body,
    Who,
    count_attempt,
    get_ctx,
    give_back_attempt,
    require_lead,
    respond,
)
from agent_desktop.server.errors import ApiError, get_or_404
from agent_desktop.server.models import AgentRow, InvitationRow, utcnow
from agent_desktop.server.openapi_errors import errors

router = APIRouter(prefix="/api/v1")
TOO_MANY_GUESSES = "Too many failed attempts for this email: wait a minute and try again."


class NewMemberBody(Body):
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)
    role: str = Field(default="agent", max_length=20)


class MemberPatch(Body):
    name: str | None = Field(default=None, max_length=200)
    role: str | None = Field(default=None, max_length=20)


class DeactivateBody(Body):
    open_threads: Literal["unassign", "keep"] = Field(
        default="unassign",
        description="What becomes of the member's open and pending threads: back to the queue "
        "(`unassign`) or left with them (`keep`).",
    )


class InvitationBody(Body):
    email: str = Field(min_length=1, max_length=254)
    code: str = Field(min_length=1, max_length=100)
    password: str = Field(max_length=accounts.MAX_PASSWORD)


class PasswordBody(Body):
    current: str = Field(max_length=accounts.MAX_PASSWORD)
    new: str = Field(max_length=accounts.MAX_PASSWORD)


async def _member(session: AsyncSession, agent_id: str) -> AgentRow:
    return await get_or_404(session, AgentRow, agent_id, "team member")


def _member_answer(row: AgentRow, code: str, expires: datetime) -> dict[str, Any]:
    invitation = Invitation(code=code, expires_at=expires)
    answer: dict[str, Any] = dump(NewMember(agent=agent_to_api(row), invitation=invitation))
    return answer


# --- a lead's changes -------------------------------------------------------------------------


@router.post("/agents", status_code=201, responses=errors(400, 401, 403, 409, 422))
async def add_member(body: NewMemberBody, who: Who, request: Request) -> JSONResponse:
    """Add a member (`role`: agent or lead). The answer holds a one-time invitation code, valid
    72 hours, that the new member turns into a password with `POST /auth/invitation`."""
    require_lead(who, "add team members")
    email = accounts.check_email(body.email)
    name = accounts.check_name(body.name)
    role = accounts.check_role(body.role)
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = await accounts.add_member(ctx, session, email=email, name=name, role=role, by=who.id)
        code, expires = await accounts.issue_code(ctx, session, row, kind="invitation", by=who.id)
        accounts.emit_agent(session, row)
        answer = _member_answer(row, code, expires)
    return respond(answer, 201)


@router.patch("/agents/{agent_id}", responses=errors(400, 401, 403, 404, 409, 422))
async def change_member(
    agent_id: str, body: MemberPatch, who: Who, request: Request
) -> JSONResponse:
    """Change a member's name and/or role. The team's only active lead cannot become an agent."""
    require_lead(who, "change team members")
    if body.name is None and body.role is None:
        raise ApiError(422, "invalid_request", "Give a new name, a new role, or both.")
    name = accounts.check_name(body.name) if body.name is not None else None
    role = accounts.check_role(body.role) if body.role is not None else None
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = await _member(session, agent_id)
        if role is not None and role != row.role and role == "agent":
            await accounts.ensure_not_last_lead(session, row, "make them an agent")
        changed = (name is not None and name != row.name) or (role is not None and role != row.role)
        if name is not None:
            row.name = name
        if role is not None:
            row.role = role
        if changed:
            accounts.emit_agent(session, row)
        answer = agent_to_api(row)
    return respond(answer)


@router.post("/agents/{agent_id}/deactivate", responses=errors(400, 401, 403, 404, 409, 422))
async def deactivate_member(
    agent_id: str, who: Who, request: Request, body: DeactivateBody | None = None
) -> JSONResponse:
    """Block the member's sign-in and end every session at once (their open websockets close with
    4401 `account_deactivated`); their open threads go back to the queue or stay with them
    (`open_threads`). Answers `{"agent", "unassigned_threads"}`."""
    require_lead(who, "deactivate team members")
    if agent_id == who.id:
        raise ApiError(
            409,
            "cannot_deactivate_self",
            "You cannot deactivate your own account: ask another lead.",
        )
    choice = (body or DeactivateBody()).open_threads
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = await _member(session, agent_id)
        await accounts.ensure_not_last_lead(session, row, "deactivate them")
        unassigned = await accounts.deactivate(ctx, session, row, threads=choice)
        answer = {"agent": dump(agent_to_api(row)), "unassigned_threads": unassigned}
    return respond(answer)


@router.post("/agents/{agent_id}/activate", responses=errors(400, 401, 403, 404))
async def activate_member(agent_id: str, who: Who, request: Request) -> JSONResponse:
    """Let a deactivated member sign in again (with their password, or their pending code)."""
    require_lead(who, "activate team members")
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = await _member(session, agent_id)
        if not row.active:
            row.active = True
            row.deactivated_at = None
            accounts.emit_agent(session, row)
        answer = agent_to_api(row)
    return respond(answer)


@router.post("/agents/{agent_id}/reset", responses=errors(400, 401, 403, 404, 409))
async def reset_member(agent_id: str, who: Who, request: Request) -> JSONResponse:
    """The member's password stops working, every session of theirs ends (4401
    `password_reset`), and a new one-time code is issued: `{"agent", "invitation"}`."""
    require_lead(who, "reset team members")
    if agent_id == who.id:
        raise ApiError(
            409,
            "cannot_reset_self",
            "Change your own password under Account → Change password instead.",
        )
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = await _member(session, agent_id)
        if not row.active:
            raise ApiError(
                409,
                "account_deactivated",
                f"{row.name}'s account is deactivated: activate it first.",
            )
        code, expires = await accounts.reset(ctx, session, row, by=who.id)
        answer = _member_answer(row, code, expires)
    return respond(answer)


# --- the member's own ---------------------------------------------------------------------------


@router.post("/auth/invitation", status_code=201, responses=errors(400, 401, 403, 409, 422, 429))
async def use_invitation(body: InvitationBody, request: Request) -> JSONResponse:
    """A new (or reset) member turns their one-time code into a password and is signed in:
    the same answer as `POST /auth/login`. A code works once, until it expires."""
    ctx = get_ctx(request)
    email = accounts.normalize_email(body.email)
    await count_attempt(ctx, email, TOO_MANY_GUESSES)
    digest = accounts.code_digest(body.code)
    async with ctx.sessionmaker() as session:
        found = (
            await session.execute(
                select(InvitationRow, AgentRow)
                .join(AgentRow, InvitationRow.agent_id == AgentRow.id)
                .where(AgentRow.email == email, InvitationRow.code_hash == digest)
            )
        ).first()
    if found is None:
        raise ApiError(401, "invalid_invitation", "The email or the invitation code is not right.")
    await give_back_attempt(ctx, email)  # the code is right: only wrong guesses count
    invitation, agent = found[0], found[1]
    _check_usable(invitation, agent)
    accounts.check_password(body.password, email=agent.email, name=agent.name)
    password_hash = await accounts.hash_new_password(body.password)
    async with ctx.write() as session:
        invitation_now = await session.get(InvitationRow, invitation.id)
        row = await session.get(AgentRow, agent.id)
        assert invitation_now is not None and row is not None
        _check_usable(invitation_now, row)  # used by a concurrent request meanwhile?
        invitation_now.used_at = utcnow()
        invitation_now.outcome = "used"
        row.password_hash = password_hash
        row.invitation_expires_at = None
        token = await accounts.new_session(ctx, session, row)
        accounts.emit_agent(session, row)
        result = LoginResult(token=token, agent=agent_to_api(row))
    return respond(result, 201)


def _check_usable(invitation: InvitationRow, agent: AgentRow) -> None:
    if invitation.outcome == "used":
        raise ApiError(
            409,
            "invitation_used",
            "This code was already used: sign in with your password, or ask a team lead for a "
            "new code.",
        )
    if invitation.outcome == "replaced" or invitation.used_at is not None:
        raise ApiError(
            409,
            "invitation_replaced",
            "This code was replaced by a newer one: use the latest code a team lead gave you.",
        )
    if not agent.active:
        code, message = accounts.ENDED["deactivated"]
        raise ApiError(403, code, message)
    if invitation.expires_at <= utcnow():
        raise ApiError(
            409,
            "invitation_expired",
            "This code has expired: ask a team lead for a new one.",
        )


@router.post("/me/password", responses=errors(400, 401, 403, 422, 429))
async def change_password(body: PasswordBody, who: Who, request: Request) -> JSONResponse:
    """Change one's own password: `current` must be right; every other session of the account
    ends (4401 `password_changed`), this one stays."""
    ctx = get_ctx(request)
    await count_attempt(ctx, who.agent.email, TOO_MANY_GUESSES)
    if not await verify_password_async(who.agent.password_hash, body.current):
        raise ApiError(403, "wrong_password", "The current password is not right.")
    await give_back_attempt(ctx, who.agent.email)
    if body.new == body.current:
        raise ApiError(422, "same_password", "The new password is the same as the current one.")
    accounts.check_password(body.new, email=who.agent.email, name=who.agent.name)
    password_hash = await accounts.hash_new_password(body.new)
    async with ctx.write() as session:
        row = await session.get(AgentRow, who.id)
        assert row is not None
        if row.password_hash != who.agent.password_hash:
            raise ApiError(
                409, "conflict", "The password was changed meanwhile: sign in again and retry."
            )
        row.password_hash = password_hash
        ended = await accounts.revoke_tokens(
            ctx, session, row.id, "password_changed", keep=who.token_hash
        )
    return respond({"status": "changed", "sessions_ended": len(ended)})
