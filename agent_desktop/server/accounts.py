"""The team's accounts: password rules, invitation codes, session tokens and their lifetimes, and the
changes a lead makes (add, rename, change role, deactivate, activate, reset). Every change runs
inside `ctx.write()` and emits `agent.updated`; what ends sessions also closes their websockets.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.auth import hash_password_async, new_token, token_digest
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import agent_to_api, dump
from agent_desktop.server.errors import ApiError
from agent_desktop.server.models import AgentRow, InvitationRow, ThreadRow, TokenRow, new_id, utcnow

log = logging.getLogger(__name__)

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
TOUCH_EVERY = timedelta(seconds=60)  # last_used_at / last_seen_at move at most this often
# (or a tenth of the idle lifetime when that is shorter)
FORGET_AFTER = timedelta(days=30)  # dead tokens and codes are deleted this long after they died
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: read aloud or copied by hand
CODE_LENGTH = 12  # 60 bits
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")

ThreadChoice = Literal["unassign", "keep"]

# Why a token no longer works: (error code, sentence). The websocket closes with 4401 and the
# code as its reason; HTTP answers 401 with both.
ENDED: dict[str, tuple[str, str]] = {
    "missing": ("unauthorized", "Sign in first: the token is missing."),
    "unknown": ("unauthorized", "The token is invalid or was revoked: sign in again."),
    "logout": ("unauthorized", "The token is invalid or was revoked: sign in again."),
    "expired": ("session_expired", "The session has expired: sign in again."),
    "deactivated": (
        "account_deactivated",
        "This account has been deactivated: ask a team lead.",
    ),
    "password_reset": (
        "password_reset",
        "A team lead reset this account: sign in with the new invitation code they give you.",
    ),
    "password_changed": (
        "password_changed",
        "The password of this account was changed: sign in again with the new one.",
    ),
    "restored": (
        "session_revoked",
        "The server was restored from a backup: sign in again.",
    ),
}


# --- rules ------------------------------------------------------------------------------------


def _has_surrogate(text: str) -> bool:
    """A lone surrogate (from JSON's \\ud800) cannot be stored or hashed as UTF-8."""
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    value = normalize_email(email)
    if not _EMAIL.match(value) or len(value) > 254 or _has_surrogate(value):
        raise ApiError(422, "invalid_email", "That is not an email address (name@example.com).")
    return value


def check_name(name: str) -> str:
    value = " ".join(name.split())
    if not value:
        raise ApiError(422, "invalid_name", "The name is empty.")
    if len(value) > 200:
        raise ApiError(422, "invalid_name", "The name may have at most 200 characters.")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in value) or _has_surrogate(value):
        raise ApiError(422, "invalid_name", "The name may not contain control characters.")
    return value


def check_role(role: str) -> str:
    if role not in ("agent", "lead"):
        raise ApiError(422, "invalid_role", "A role is either agent or lead.")
    return role


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password may not be used, as a sentence, or None."""
    if len(password) < MIN_PASSWORD:
        return f"A password needs at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"A password may have at most {MAX_PASSWORD} characters."
    if _has_surrogate(password):
        return "The password holds a character that cannot be stored: type it again."
    if not password.strip() or len(set(password)) < 3:
        return "This password is too easy to guess: mix at least a few different characters."
    lowered = password.strip().lower()
    if lowered in {email.strip().lower(), name.strip().lower()}:
        return "The password may not be your email or your name."
    return None


def check_password(password: str, *, email: str = "", name: str = "") -> str:
    problem = password_problem(password, email=email, name=name)
    if problem is not None:
        raise ApiError(422, "weak_password", problem)
    return password


# --- invitation codes -------------------------------------------------------------------------


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_digest(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode("ascii", "ignore")).hexdigest()


def invitation_lifetime(ctx: ServerContext) -> timedelta:
    return timedelta(hours=float(ctx.config.settings["sessions.invitation_hours"]))


async def issue_code(
    ctx: ServerContext,
    session: AsyncSession,
    agent: AgentRow,
    *,
    kind: str,
    by: str | None,
) -> tuple[str, datetime]:
    """A new one-time code for `agent`; older pending codes of theirs stop working."""
    now = utcnow()
    await _retire_codes(session, agent.id, now)
    code = new_code()
    expires = now + invitation_lifetime(ctx)
    session.add(
        InvitationRow(
            id=new_id("inv"),
            agent_id=agent.id,
            code_hash=code_digest(code),
            kind=kind,
            created_by=by,
            created_at=now,
            expires_at=expires,
        )
    )
    agent.invitation_expires_at = expires
    return code, expires


async def _retire_codes(session: AsyncSession, agent_id: str, now: datetime) -> None:
    await session.execute(
        update(InvitationRow)
        .where(InvitationRow.agent_id == agent_id, InvitationRow.used_at.is_(None))
        .values(used_at=now, outcome="replaced")
    )


# --- sessions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lifetimes:
    idle: timedelta | None
    absolute: timedelta | None

    @classmethod
    def of(cls, ctx: ServerContext) -> Lifetimes:
        idle = float(ctx.config.settings["sessions.idle_hours"])
        absolute = float(ctx.config.settings["sessions.max_days"])
        return cls(
            idle=timedelta(hours=idle) if idle > 0 else None,
            absolute=timedelta(days=absolute) if absolute > 0 else None,
        )

    @property
    def touch_every(self) -> timedelta:
        return min(TOUCH_EVERY, self.idle / 10) if self.idle is not None else TOUCH_EVERY

    def stale(self, last_used: datetime | None, now: datetime) -> bool:
        """Whether a use now should be recorded."""
        return last_used is None or now - last_used >= self.touch_every

    def ended(self, token: TokenRow, now: datetime) -> bool:
        if self.absolute is not None and now - token.created_at >= self.absolute:
            return True
        used = token.last_used_at or token.created_at
        return self.idle is not None and now - used >= self.idle


def why_ended(
    token: TokenRow | None, agent: AgentRow | None, limits: Lifetimes, now: datetime
) -> str:
    """ "" when the token works; otherwise a key of ENDED."""
    if token is None or agent is None:
        return "unknown"
    if token.revoked_at is not None:
        return token.revoked_reason or "logout"
    if not agent.active:
        return "deactivated"
    if limits.ended(token, now):
        return "expired"
    return ""


async def lookup_token(
    session: AsyncSession, token: str
) -> tuple[TokenRow | None, AgentRow | None]:
    row = (
        await session.execute(
            select(TokenRow, AgentRow)
            .join(AgentRow, TokenRow.agent_id == AgentRow.id)
            .where(TokenRow.token_hash == token_digest(token))
        )
    ).first()
    if row is None:
        return None, None
    return row[0], row[1]


async def revoke_tokens(
    ctx: ServerContext,
    session: AsyncSession,
    agent_id: str,
    reason: str,
    *,
    keep: str | None = None,
) -> list[str]:
    """Revoke every working token of the agent (but `keep`); their websockets are closed with 4401
    after the commit. Returns the revoked digests."""
    now = utcnow()
    query = select(TokenRow.token_hash).where(
        TokenRow.agent_id == agent_id, TokenRow.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(TokenRow.token_hash != keep)
    digests = list((await session.execute(query)).scalars())
    if digests:
        await session.execute(
            update(TokenRow)
            .where(TokenRow.token_hash.in_(digests))
            .values(revoked_at=now, revoked_reason=reason)
        )
    code = ENDED[reason][0]

    async def close() -> None:
        for digest in digests:
            ctx.close_token(digest, reason=code)  # on every instance

    services.after_commit(session, close)
    return digests


async def new_session(ctx: ServerContext, session: AsyncSession, agent: AgentRow) -> str:
    """A fresh token for `agent` (signed in now, online)."""
    token = new_token()
    now = utcnow()
    session.add(
        TokenRow(
            token_hash=token_digest(token), agent_id=agent.id, created_at=now, last_used_at=now
        )
    )
    agent.last_seen_at = now
    await services.set_presence(ctx, session, agent=agent, presence="online")
    return token


async def touch(ctx: ServerContext, token_hash: str, agent_id: str) -> None:
    """Record that a session is in use (at most once a minute per token)."""
    now = utcnow()
    async with ctx.write(sequenced=False) as session:  # no event: no need for the seq lock
        await session.execute(
            update(TokenRow).where(TokenRow.token_hash == token_hash).values(last_used_at=now)
        )
        await session.execute(
            update(AgentRow).where(AgentRow.id == agent_id).values(last_seen_at=now)
        )


async def sweep_sessions(ctx: ServerContext) -> int:
    """One pass over this instance's open websockets: close those whose token no longer works
    (expired, or revoked by another process or instance whose signal was lost), record the
    others as in use. Returns how many were closed."""
    open_tokens = ctx.hub.token_hashes()
    if not open_tokens:
        return 0
    now = utcnow()
    limits = Lifetimes.of(ctx)
    async with ctx.sessionmaker() as session:
        rows = (
            await session.execute(
                select(TokenRow, AgentRow)
                .join(AgentRow, TokenRow.agent_id == AgentRow.id)
                .where(TokenRow.token_hash.in_(list(open_tokens)))
            )
        ).all()
    found = {token.token_hash: (token, agent) for token, agent in rows}
    closed = 0
    in_use: list[TokenRow] = []
    for digest in open_tokens:
        token, agent = found.get(digest, (None, None))
        reason = why_ended(token, agent, limits, now)
        if reason:
            closed += ctx.hub.close_token(digest, reason=ENDED[reason][0])
        elif token is not None and limits.stale(token.last_used_at, now):
            in_use.append(token)
    if in_use:
        async with ctx.write(sequenced=False) as session:
            await session.execute(
                update(TokenRow)
                .where(TokenRow.token_hash.in_([t.token_hash for t in in_use]))
                .values(last_used_at=now)
            )
            await session.execute(
                update(AgentRow)
                .where(AgentRow.id.in_({t.agent_id for t in in_use}))
                .values(last_seen_at=now)
            )
    return closed


async def forget_dead(ctx: ServerContext) -> None:
    """Delete tokens and codes that stopped working more than FORGET_AFTER ago."""
    now = utcnow()
    limits = Lifetimes.of(ctx)
    horizon = now - FORGET_AFTER
    conditions = [TokenRow.revoked_at < horizon]
    if limits.absolute is not None:
        conditions.append(TokenRow.created_at < horizon - limits.absolute)
    if limits.idle is not None:
        conditions.append(
            func.coalesce(TokenRow.last_used_at, TokenRow.created_at) < horizon - limits.idle
        )
    async with ctx.write(sequenced=False) as session:
        await session.execute(delete(TokenRow).where(or_(*conditions)))
        await session.execute(
            delete(InvitationRow).where(
                or_(InvitationRow.used_at < horizon, InvitationRow.expires_at < horizon)
            )
        )


async def watch_sessions(ctx: ServerContext, every: float = 60.0) -> None:
    """Background job: sweep the open websockets every `every` seconds, forget dead tokens
    hourly. A failed pass is logged and retried at the next one."""
    passes = 0
    while True:
        await asyncio.sleep(every)
        try:
            await sweep_sessions(ctx)
            if passes % max(1, round(3600 / every)) == 0:
                await forget_dead(ctx)
        except Exception:
            log.warning("the session sweep failed; it runs again in %.0f s", every, exc_info=True)
        passes += 1


# --- the lead's changes -----------------------------------------------------------------------


def emit_agent(session: AsyncSession, agent: AgentRow) -> None:
    services.emit(session, "agent.updated", {"agent": dump(agent_to_api(agent))})


async def active_leads(session: AsyncSession) -> int:
    return int(
        (
            await session.execute(
                select(func.count(AgentRow.id)).where(
                    AgentRow.role == "lead", AgentRow.active.is_(True)
                )
            )
        ).scalar_one()
    )


async def ensure_not_last_lead(session: AsyncSession, agent: AgentRow, what: str) -> None:
    if agent.role == "lead" and agent.active and await active_leads(session) <= 1:
        raise ApiError(
            409,
            "last_lead",
            f"{agent.name} is the team's only active lead: make someone else a lead before "
            f"you {what}.",
        )


async def email_taken(session: AsyncSession, email: str) -> bool:
    found = await session.execute(select(AgentRow.id).where(AgentRow.email == email))
    return found.first() is not None


async def add_member(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    email: str,
    name: str,
    role: str,
    by: str | None,
    password_hash: str = "",
) -> AgentRow:
    """A new account; without `password_hash` it waits for its invitation code."""
    if await email_taken(session, email):
        raise ApiError(409, "email_taken", f"There is already an account with {email}.")
    agent = AgentRow(
        id=new_id("a"),
        email=email,
        name=name,
        role=role,
        password_hash=password_hash,
        presence="offline",
        presence_since=utcnow(),
        created_at=utcnow(),
        active=True,
    )
    session.add(agent)
    await session.flush()
    return agent


async def deactivate(
    ctx: ServerContext, session: AsyncSession, agent: AgentRow, *, threads: ThreadChoice
) -> int:
    """Block sign-in, end every session, retire pending codes; unassign the member's open and
    pending threads when asked. Returns how many threads were unassigned."""
    now = utcnow()
    if agent.active:
        agent.active = False
        agent.deactivated_at = now
        agent.invitation_expires_at = None
        await _retire_codes(session, agent.id, now)
        await revoke_tokens(ctx, session, agent.id, "deactivated")
        await services.set_presence(ctx, session, agent=agent, presence="offline")
        emit_agent(session, agent)
    unassigned = 0
    if threads == "unassign":
        rows = (
            await session.execute(
                select(ThreadRow).where(
                    ThreadRow.assignee_id == agent.id,
                    ThreadRow.status.in_(("open", "pending")),
                )
            )
        ).scalars()
        for thread in rows:
            await services.assign(ctx, session, thread=thread, agent_id=None)
            unassigned += 1
    return unassigned


async def reset(
    ctx: ServerContext, session: AsyncSession, agent: AgentRow, *, by: str | None
) -> tuple[str, datetime]:
    """The password stops working, every session ends, and a new code is issued."""
    agent.password_hash = ""
    await revoke_tokens(ctx, session, agent.id, "password_reset")
    await services.set_presence(ctx, session, agent=agent, presence="offline")
    code, expires = await issue_code(ctx, session, agent, kind="reset", by=by)
    emit_agent(session, agent)
    return code, expires


async def hash_new_password(password: str) -> str:
    return await hash_password_async(password)
