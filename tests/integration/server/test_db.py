"""Schema migrations (Alembic) on real databases: SQLite files and PostgreSQL.

Every test runs on both: from an empty database, from a database made by the last release before
Alembic (tests/fixtures/release_0_1/), several servers migrating one database at once, and a
database this release cannot migrate. The migrated schema must equal the models exactly, so a
model change without its revision fails here.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, MetaData, inspect, text

from agent_desktop.server import db
from agent_desktop.server.cli import main as cli_main
from tests.helpers.postgres import load_sql

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "release_0_1"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database's URL, SQLite file or PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'server.sqlite'}"
    else:
        yield request.getfixturevalue("pg_url")


def load_previous_release(url: str) -> None:
    """Fill the empty database `url` with the fixture made by the release before Alembic."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.partition(":///")[2])
        conn.executescript((FIXTURES / "server-sqlite.sql").read_text("utf-8"))
        conn.close()
    else:
        load_sql(url, (FIXTURES / "server-postgresql.sql").read_text("utf-8"))


def schema_differences(conn: Connection) -> list[Any]:
    """What differs between the database's schema and the models (empty: identical)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    merged = MetaData()
    for metadata in db.target_metadata():
        for table in metadata.tables.values():
            table.to_metadata(merged)
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, merged))


async def scalar(url: str, sql: str) -> Any:
    engine = db.make_engine(url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar()
    finally:
        await engine.dispose()


async def test_an_empty_database_migrates_to_the_models_schema(database: str) -> None:
    engine = db.make_engine(database)
    try:
        assert await db.current_revision(engine) is None
        before, after = await db.migrate(engine)
        assert (before, after) == (None, db.head_revision())
        assert await db.migrate(engine) == (after, after)  # nothing left to do
        async with engine.connect() as conn:
            assert await conn.run_sync(schema_differences) == []
            settings = (await conn.execute(text("SELECT target_seconds FROM team_settings"))).all()
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert settings == [(300,)]
        assert "schema_version" not in tables and "messenger_outbound" in tables
    finally:
        await engine.dispose()


async def test_a_database_of_the_previous_release_is_upgraded_in_place(database: str) -> None:
    load_previous_release(database)
    assert await scalar(database, "SELECT version FROM schema_version") == 1
    events_before = await scalar(database, "SELECT max(seq) FROM events")
    engine = db.make_engine(database)
    try:
        assert await db.current_revision(engine) is None
        assert await db.migrate(engine) == (None, db.head_revision())
        async with engine.begin() as conn:
            assert await conn.run_sync(schema_differences) == []
            counts = {
                table: (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar()
                for table in ("agents", "threads", "messages", "events", "messenger_outbound")
            }
            # A new event continues the stream: seqs are never reused after an upgrade.
            await conn.execute(
                text(
                    "INSERT INTO events (name, data, created_at) "
                    "VALUES ('test.event', '{}', CURRENT_TIMESTAMP)"
                )
            )
            new_seq = (await conn.execute(text("SELECT max(seq) FROM events"))).scalar()
            settings = (await conn.execute(text("SELECT count(*) FROM team_settings"))).scalar()
    finally:
        await engine.dispose()
    assert counts == {
        "agents": 3,
        "threads": counts["threads"],
        "messages": 34,
        "events": 53,
        "messenger_outbound": 1,
    }
    assert counts["threads"] > 0 and settings == 1
    assert new_seq == events_before + 1


async def test_the_server_starts_on_a_database_of_the_previous_release(
    database: str, tmp_path: Path
) -> None:
    from tests.helpers.server_fixtures import ServerProcess, login

    load_previous_release(database)
    proc = ServerProcess(tmp_path / "server", (), database_url=database)
    await asyncio.to_thread(proc.start)
    try:
        token = await asyncio.to_thread(login, proc)  # the fixture's agent and password
        assert token
    finally:
        await asyncio.to_thread(proc.stop)
    assert await scalar(database, "SELECT version_num FROM alembic_version") == db.head_revision()


async def test_servers_starting_together_migrate_once(database: str) -> None:
    engines = [db.make_engine(database) for _ in range(3)]
    try:
        results = await asyncio.gather(*(db.migrate(e) for e in engines))
    finally:
        for engine in engines:
            await engine.dispose()
    head = db.head_revision()
    assert sorted(results, key=lambda r: r[0] or "") == [(None, head), (head, head), (head, head)]


async def test_a_database_of_a_newer_release_is_refused(database: str) -> None:
    engine = db.make_engine(database)
    try:
        await db.migrate(engine)
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeedbeef'"))
        with pytest.raises(db.SchemaError, match="newer release"):
            await db.migrate(engine)
    finally:
        await engine.dispose()


@pytest.mark.sqlite_only("a SQLite file made by hand; the PostgreSQL side is in the tests above")
async def test_an_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite'}"
    load_previous_release(url)
    await asyncio.to_thread(
        lambda: sqlite3.connect(url.partition(":///")[2]).executescript(
            "UPDATE schema_version SET version = 7;"
        )
    )
    engine = db.make_engine(url)
    try:
        with pytest.raises(db.SchemaError, match="schema_version 7"):
            await db.migrate(engine)
        assert await db.current_revision(engine) is None  # nothing was changed
    finally:
        await engine.dispose()


@pytest.mark.sqlite_only(
    "the command on a SQLite file; on PostgreSQL it is db.migrate, tested above"
)
def test_migrate_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert cli_main(["migrate", "--status", "--database", url]) == 1
    assert "not migrated" in capsys.readouterr().out
    assert cli_main(["migrate", "--database", url]) == 0
    assert f"from nothing to revision {db.head_revision()}" in capsys.readouterr().out
    assert cli_main(["migrate", "--database", url]) == 0
    assert "up to date" in capsys.readouterr().out
    assert cli_main(["migrate", "--status", "--database", url]) == 0


@pytest.mark.sqlite_only("a SQLite file made by hand")
def test_migrate_command_explains_a_database_it_cannot_migrate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "newer.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
        "INSERT INTO alembic_version VALUES ('f00dfeedbeef');"
    )
    conn.close()
    assert cli_main(["migrate", "--database", f"sqlite:///{path}"]) == 1
    err = capsys.readouterr().err
    assert "newer release" in err and "Traceback" not in err


def test_one_linear_history() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(db.alembic_config())
    assert len(scripts.get_heads()) == 1
    assert [s.revision for s in scripts.walk_revisions()][-2:] == ["0002", "0001"]


@pytest.mark.sqlite_only("SQLite's own PRAGMAs (WAL, foreign keys)")
async def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    try:
        await db.init_schema(engine)
        async with engine.connect() as conn:
            mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
            keys = (await conn.execute(text("PRAGMA foreign_keys"))).scalar()
        assert mode == "wal" and keys == 1
    finally:
        await engine.dispose()


def test_plain_urls_get_async_drivers() -> None:
    assert db.normalize_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert db.normalize_url("postgresql://u:p@h/d") == "postgresql+asyncpg://u:p@h/d"
    assert db.normalize_url("postgres://u@h:5433/d") == "postgresql+asyncpg://u@h:5433/d"
    assert db.normalize_url("sqlite+aiosqlite:///y.db") == "sqlite+aiosqlite:///y.db"
