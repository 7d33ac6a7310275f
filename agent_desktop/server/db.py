"""Database set-up for the reference server: async engine and sessions from a URL, schema creation
and a small ordered list of migration steps recorded in `schema_version`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from agent_desktop.server.models import Base, SchemaVersionRow, TeamSettingsRow

Migration = Callable[[AsyncConnection], Awaitable[None]]

# Ordered migration steps: MIGRATIONS[i] brings the schema from version i + 1 to i + 2. A fresh
# database is created at SCHEMA_VERSION directly from the models.
MIGRATIONS: list[Migration] = []
SCHEMA_VERSION = 1 + len(MIGRATIONS)


def normalize_url(url: str) -> str:
    """Pick the async driver for plain URLs: sqlite → aiosqlite, postgresql → asyncpg."""
    parsed = make_url(url)
    driver = parsed.drivername
    if driver == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif driver in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def sqlite_url_for(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def make_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout and foreign keys."""
    url = normalize_url(url)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite:

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def init_schema(engine: AsyncEngine) -> int:
    """Create missing tables, run pending migration steps, ensure the settings row; returns the
    schema version."""
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
        row = (await conn.execute(select(SchemaVersionRow.version))).scalar_one_or_none()
        if row is None:
            await conn.execute(insert(SchemaVersionRow).values(id=1, version=SCHEMA_VERSION))
            version = SCHEMA_VERSION
        else:
            version = int(row)
            while version < SCHEMA_VERSION:
                await MIGRATIONS[version - 1](conn)
                version += 1
                await conn.execute(
                    text("UPDATE schema_version SET version = :v WHERE id = 1"), {"v": version}
                )
        settings = (await conn.execute(select(TeamSettingsRow.id))).scalar_one_or_none()
        if settings is None:
            await conn.execute(
                insert(TeamSettingsRow).values(
                    id=1, target_seconds=300, window_days=7, away=[], allowed_tags=["HUMAN_AGENT"]
                )
            )
    return version
