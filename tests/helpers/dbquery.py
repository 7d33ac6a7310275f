"""Read (and poke) a test server's database directly, SQLite or PostgreSQL alike.

`connect(url)` returns an object shaped like a `sqlite3.Connection` (`execute(sql, params)` →
rows with `fetchone`/`fetchall`/iteration, `commit`, `close`), so a test reads the same on both:
`?` placeholders, and values as SQLite would give them (times as `YYYY-MM-DD HH:MM:SS.ffffff`
text, JSON as text); times are passed as naive UTC datetimes. On PostgreSQL every statement runs in its own connection (autocommit).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from tests.helpers.postgres import _run

_PLACEHOLDER = re.compile(r"\?")


def _sqlite_like(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


class Rows:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._rows)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)


class PostgresConnection:
    """The few `sqlite3.Connection` methods tests use, on PostgreSQL through asyncpg."""

    def __init__(self, url: str) -> None:
        self.dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        counter = iter(range(1, 10_000))
        statement = _PLACEHOLDER.sub(lambda _m: f"${next(counter)}", sql)

        async def run() -> list[tuple[Any, ...]]:
            import asyncpg

            conn = await asyncpg.connect(self.dsn)
            try:
                records = await conn.fetch(statement, *params)
            finally:
                await conn.close()
            return [tuple(_sqlite_like(v) for v in record.values()) for record in records]

        return Rows(_run(run()))

    def commit(self) -> None:
        pass  # every statement committed on its own

    def close(self) -> None:
        pass


class SqliteConnection:
    """sqlite3, with times passed as the server stores them (naive UTC text)."""

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(path, timeout=10)
        self._conn.execute("PRAGMA busy_timeout=10000")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, [_sqlite_like(p) for p in params])

    def commit(self) -> None:
        self._conn.commit()

    def close(self) -> None:
        self._conn.close()


def connect(url: str) -> SqliteConnection | PostgresConnection:
    """A connection to the database a server's `database_url` names."""
    if url.startswith("postgresql"):
        return PostgresConnection(url)
    return SqliteConnection(url.split("///", 1)[1])


def query(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Run one statement and commit; the rows it returned."""
    conn = connect(url)
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()
