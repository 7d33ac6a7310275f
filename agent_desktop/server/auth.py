"""Passwords (argon2id, a memory-hard KDF), session tokens (random, stored as SHA-256 digests) and
the failed-login limiter of the reference server.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections import deque
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's minimum argon2id profile (19 MiB, 2 passes): memory-hard, yet quick enough that tests
# and the demo seed do not wait on it.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 60.0


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


class LoginLimiter:
    """After MAX_FAILURES failed logins for an email within FAILURE_WINDOW_SECONDS, every attempt
    for that email (even a correct one) is refused until the oldest failure leaves the window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW_SECONDS):
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, email: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(email, deque())
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        return failures

    def retry_after(self, email: str) -> float | None:
        """Seconds until an attempt is allowed again, or None if allowed now."""
        now = time.monotonic()
        failures = self._recent(email, now)
        if len(failures) >= self.max_failures:
            return max(0.0, self.window - (now - failures[0]))
        return None

    def record_failure(self, email: str) -> None:
        now = time.monotonic()
        self._recent(email, now).append(now)
        if len(self._failures) > 10_000:  # forget idle emails so the table stays small
            for key in [k for k, v in self._failures.items() if not v]:
                del self._failures[key]

    def record_success(self, email: str) -> None:
        self._failures.pop(email, None)
