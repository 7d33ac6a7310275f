"""Database set-up for the reference server: async engine and sessions from a URL, and the schema
brought to this release by Alembic (`migrate`), the scripts in `migrations/versions/`.

Migrating takes a lock first, so several servers starting together on one database migrate it
once: on PostgreSQL a transaction-scoped advisory lock around one transaction holding every step
(PostgreSQL's DDL is transactional), on SQLite `BEGIN IMMEDIATE` (the database's write lock).
Databases made before Alembic (a `schema_version` table at version 1) are adopted in place: the
baseline revision only creates what is missing, the next one drops `schema_version`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, MetaData, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from agent_desktop.server.models import Base

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
# New revision files: `20260115_3f9c0a1b2c3d_add_shops.py` (date first, so a listing reads in order).
FILE_TEMPLATE = "%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s"
# pg_advisory_xact_lock key of schema migrations ("AGDSMIGR" as a 64-bit integer).
MIGRATION_LOCK_KEY = 0x4147_4453_4D49_4752
# The only `schema_version` a release before Alembic ever wrote.
LEGACY_SCHEMA_VERSION = 1


class SchemaError(RuntimeError):
    """The database cannot be brought to this release's schema (the message says why)."""


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


def default_database_url() -> str:
    """server.sqlite in the data folder: the database when none is configured."""
    from agent_desktop.paths import data_dir

    return sqlite_url_for(data_dir() / "server.sqlite")


def is_postgres(engine: AsyncEngine | Connection | AsyncConnection) -> bool:
    return engine.dialect.name == "postgresql"


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


# --- schema migrations (Alembic) ---------------------------------------------------------------


def target_metadata() -> list[MetaData]:
    """Every table the migrations must produce: the server's, and the Messenger bridge's when
    that part is in this build."""
    metadata = [Base.metadata]
    try:
        from agent_desktop.server.messenger.tables import BridgeBase
    except ModuleNotFoundError:  # pragma: no cover - a build without the bridge
        pass
    else:
        metadata.append(BridgeBase.metadata)
    return metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the scripts shipped in this package (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", FILE_TEMPLATE.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The revision this release's schema is at (one linear history: one head)."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise SchemaError(f"the migration scripts must have one head, not {sorted(heads)}")
    return heads[0]


def _current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _check_legacy(conn: Connection) -> None:
    """Refuse a pre-Alembic database whose `schema_version` this release does not know."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables or "schema_version" not in tables:
        return
    version = conn.execute(text("SELECT version FROM schema_version")).scalar()
    if version is not None and int(version) != LEGACY_SCHEMA_VERSION:
        raise SchemaError(
            f"the database has schema_version {version}, which no release of this server "
            f"wrote; it cannot be migrated"
        )


def _upgrade(conn: Connection, target: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    known = {s.revision for s in _scripts().walk_revisions()}
    current = _current_revision(conn)
    if current is not None and current not in known:
        raise SchemaError(
            f"the database is at schema revision {current}, which this release does not know "
            f"(its newest is {head_revision()}): it was migrated by a newer release; run that "
            f"release, or restore a backup made before the upgrade"
        )
    try:
        command.upgrade(alembic_config(conn), target)
    except CommandError as exc:
        raise SchemaError(str(exc)) from exc


def _scripts() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


async def _begin_locked(conn: AsyncConnection) -> None:
    """Open the migration transaction holding the database-wide migration lock."""
    if is_postgres(conn):
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        # The sqlite3 module does not begin a transaction before DDL by itself: BEGIN IMMEDIATE
        # makes every step one transaction, and takes the write lock other processes wait on.
        await conn.exec_driver_sql("BEGIN IMMEDIATE")


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None: never migrated, or made before Alembic)."""
    async with engine.connect() as conn:
        return await conn.run_sync(_current_revision)


async def migrate(engine: AsyncEngine, target: str = "head") -> tuple[str | None, str | None]:
    """Bring the schema to `target` (default: this release's head) under the migration lock;
    returns the revisions before and after. Raises SchemaError with a sentence when it cannot."""
    async with engine.connect() as conn:
        await _begin_locked(conn)
        before = await conn.run_sync(_current_revision)
        await conn.run_sync(_check_legacy)
        await conn.run_sync(_upgrade, target)
        after = await conn.run_sync(_current_revision)
        await conn.commit()
    return before, after


async def init_schema(engine: AsyncEngine) -> str | None:
    """Bring the schema to this release's head (the server's start); returns the revision."""
    _, revision = await migrate(engine)
    return revision
