"""Schema creation and migration steps on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from agent_desktop.server import db


async def test_fresh_database_is_at_the_current_version(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    try:
        assert await db.init_schema(engine) == db.SCHEMA_VERSION
        assert await db.init_schema(engine) == db.SCHEMA_VERSION  # idempotent
        async with engine.connect() as conn:
            mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
            settings = (await conn.execute(text("SELECT target_seconds FROM team_settings"))).all()
        assert mode == "wal" and settings == [(300,)]
    finally:
        await engine.dispose()


async def test_pending_migration_steps_run_once_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    engine = db.make_engine(url)
    try:
        assert await db.init_schema(engine) == db.SCHEMA_VERSION
    finally:
        await engine.dispose()
    ran: list[int] = []

    async def add_column(conn: AsyncConnection) -> None:
        ran.append(1)
        await conn.execute(text("ALTER TABLE customers ADD COLUMN note TEXT DEFAULT ''"))

    async def fill_column(conn: AsyncConnection) -> None:
        ran.append(2)
        await conn.execute(text("UPDATE customers SET note = 'migrated'"))

    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, add_column, fill_column])
    monkeypatch.setattr(db, "SCHEMA_VERSION", db.SCHEMA_VERSION + 2)
    engine = db.make_engine(url)
    try:
        assert await db.init_schema(engine) == db.SCHEMA_VERSION
        assert await db.init_schema(engine) == db.SCHEMA_VERSION
        async with engine.connect() as conn:
            version = (await conn.execute(text("SELECT version FROM schema_version"))).scalar()
        assert ran == [1, 2] and version == db.SCHEMA_VERSION
    finally:
        await engine.dispose()


def test_plain_urls_get_async_drivers() -> None:
    assert db.normalize_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert db.normalize_url("postgresql://u:p@h/d") == "postgresql+asyncpg://u:p@h/d"
    assert db.normalize_url("postgres://u@h:5433/d") == "postgresql+asyncpg://u@h:5433/d"
    assert db.normalize_url("sqlite+aiosqlite:///y.db") == "sqlite+aiosqlite:///y.db"
