"""Passwords (argon2id, a memory-hard KDF), session tokens (random, stored as SHA-256 digests) and
the sign-in limit of the reference server (attempts counted in the database).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import case, delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server.models import LoginThrottleRow

# OWASP's minimum argon2id profile (19 MiB, 2 passes): memory-hard, yet quick enough that tests
# and the demo seed do not wait on it.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)

MAX_LOGIN_ATTEMPTS = 5  # passwords checked per account and window
LOGIN_WINDOW_SECONDS = 60.0


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@lru_cache(maxsize=8)
def shared_hash(password: str) -> str:
    """One hash per password for a seed that creates many accounts with the same password."""
    return _HASHER.hash(password)


async def hash_password_async(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password_async(password_hash: str, password: str) -> bool:
    return await asyncio.to_thread(verify_password, password_hash, password)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def reserve_attempt(
    session: AsyncSession, email: str, *, now: datetime | None = None
) -> float | None:
    """Count one sign-in attempt for `email` before its password is checked, in one atomic
    statement (an upsert), so concurrent attempts, on this server or on others sharing the
    database, can never all slip under the limit. Returns None when the attempt may go on, or the
    seconds until the account's window ends when it is over the limit (the attempt is refused).

    The window opens with an account's first attempt and lasts LOGIN_WINDOW_SECONDS; at most
    MAX_LOGIN_ATTEMPTS passwords are checked in it. `release_attempt` gives back the attempt of a
    successful sign-in, so only failures use the allowance. Call inside a write transaction.
    """
    at = now or datetime.now(UTC)
    window = timedelta(seconds=LOGIN_WINDOW_SECONDS)
    cutoff = at - window
    row = LoginThrottleRow
    if session.get_bind().dialect.name == "sqlite":
        stmt: Any = sqlite_insert(row)
    else:
        stmt = pg_insert(row)
    stmt = stmt.values(email=email, window_start=at, attempts=1)
    expired = row.window_start <= cutoff
    stmt = stmt.on_conflict_do_update(
        index_elements=[row.email],
        set_={
            "attempts": case((expired, 1), else_=row.attempts + 1),
            "window_start": case((expired, stmt.excluded.window_start), else_=row.window_start),
        },
    ).returning(row.attempts, row.window_start)
    attempts, started = (await session.execute(stmt)).one()
    if _prune_due():
        await session.execute(
            delete(LoginThrottleRow).where(LoginThrottleRow.window_start <= cutoff)
        )
    if int(attempts) <= MAX_LOGIN_ATTEMPTS:
        return None
    opened: datetime = started if started.tzinfo is not None else started.replace(tzinfo=UTC)
    return max(1.0, (opened + window - at).total_seconds())


async def release_attempt(session: AsyncSession, email: str) -> None:
    """A successful sign-in does not count against the account's allowance."""
    await session.execute(
        update(LoginThrottleRow)
        .where(LoginThrottleRow.email == email, LoginThrottleRow.attempts > 0)
        .values(attempts=LoginThrottleRow.attempts - 1)
    )


_attempts_seen = itertools.count()


def _prune_due() -> bool:
    """Forget windows that ended, once every 256 attempts: the table stays small even when
    someone tries thousands of made-up emails."""
    return next(_attempts_seen) % 256 == 0
