"""Throw-away PostgreSQL databases for the tests.

`AGENT_DESKTOP_TEST_POSTGRES_URL` names a PostgreSQL server where the tests may create databases,
e.g. `postgresql://postgres@127.0.0.1:5432/postgres` (`.ci/run` starts one and sets it). Without
it, the tests that need PostgreSQL are skipped. asyncpg comes with the `test` extra.

    pg_url   fixture: a fresh, empty database's URL (postgresql+asyncpg://...), dropped after
    create_database() / drop_database(url)   the same by hand (callable from any thread)
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest

ADMIN_URL = os.environ.get("AGENT_DESKTOP_TEST_POSTGRES_URL", "")
NEEDS_POSTGRES = pytest.mark.skipif(
    not ADMIN_URL, reason="AGENT_DESKTOP_TEST_POSTGRES_URL is not set (no PostgreSQL to test on)"
)

T = TypeVar("T")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a loop of its own, from sync or async code alike."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coro))
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=target, name="postgres-admin")
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def admin_dsn() -> str:
    """The admin URL as asyncpg's DSN (no SQLAlchemy driver suffix)."""
    return ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")


async def admin_execute(sql: str, dsn: str | None = None) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn or admin_dsn())
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def database_url(name: str) -> str:
    base, _, _ = admin_dsn().rpartition("/")
    return f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://", 1)


def create_database(prefix: str = "agent_desktop_test") -> str:
    """A new empty database; returns its SQLAlchemy URL."""
    if not ADMIN_URL:
        raise RuntimeError("AGENT_DESKTOP_TEST_POSTGRES_URL is not set")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _run(admin_execute(f'CREATE DATABASE "{name}"'))
    return database_url(name)


def drop_database(url: str) -> None:
    name = url.rpartition("/")[2]
    _run(admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def load_sql(url: str, sql: str) -> None:
    """Run a script (several statements, e.g. a pg_dump) in the database `url` names."""
    _run(admin_execute(sql, url.replace("postgresql+asyncpg://", "postgresql://", 1)))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skips the test when none is configured)."""
    if not ADMIN_URL:
        pytest.skip("AGENT_DESKTOP_TEST_POSTGRES_URL is not set (no PostgreSQL to test on)")
    url = create_database()
    try:
        yield url
    finally:
        drop_database(url)
