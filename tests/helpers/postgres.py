"""Throw-away PostgreSQL databases for the tests, and the suite's PostgreSQL pass.

`AGENT_DESKTOP_TEST_POSTGRES_URL` names a PostgreSQL server where the tests may create databases,
e.g. `postgresql://postgres@127.0.0.1:5432/postgres` (`.ci/run` starts one with
tests/helpers/pgcluster.py and sets it). Without it, the tests that need PostgreSQL are skipped.
asyncpg comes with the `test` extra.

    pg_url   fixture: a fresh, empty database's URL (postgresql+asyncpg://...), dropped after
    create_database() / drop_database(url)   the same by hand (callable from any thread)

`AGENT_DESKTOP_TEST_DATABASE=postgresql` runs the suite's servers on PostgreSQL: each server the
fixtures start (`server_database_url`) gets a fresh database, dropped at the end of the session.
Tests that only make sense on SQLite carry `@pytest.mark.sqlite_only("why")` and are skipped in
that pass, with the reason shown.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

ADMIN_URL = os.environ.get("AGENT_DESKTOP_TEST_POSTGRES_URL", "")
ON_POSTGRES = os.environ.get("AGENT_DESKTOP_TEST_DATABASE", "sqlite") == "postgresql"
_made: list[str] = []  # databases made for the PostgreSQL pass, dropped at the session's end
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


def server_database_url(workdir: Path) -> str:
    """The database for a test server: a SQLite file in `workdir`, or in the PostgreSQL pass a
    fresh PostgreSQL database."""
    if not ON_POSTGRES:
        return f"sqlite+aiosqlite:///{workdir / 'db.sqlite'}"
    url = create_database()
    _made.append(url)
    return url


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): skipped in the PostgreSQL pass, for the reason given"
    )
    if ON_POSTGRES and not ADMIN_URL:
        raise pytest.UsageError(
            "AGENT_DESKTOP_TEST_DATABASE=postgresql needs AGENT_DESKTOP_TEST_POSTGRES_URL"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not ON_POSTGRES:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            if not reason:
                raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs a reason")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    while _made:
        try:
            drop_database(_made.pop())
        except Exception as exc:  # a server still holding it; the cluster is thrown away anyway
            print(f"could not drop a test database: {exc}")


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
