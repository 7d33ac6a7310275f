"""What a technician runs beside the server: the first team lead (`init`), and a backup and restore
of a SQLite database with SQLite's online backup API (PostgreSQL: pg_dump, see docs/DEPLOY.md).
Each refusal is an `AdminError` whose message is one sentence for the person at the terminal.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from agent_desktop.server import accounts
from agent_desktop.server.auth import hash_password_async
from agent_desktop.server.context import ServerConfig, opened_context
from agent_desktop.server.db import normalize_url
from agent_desktop.server.errors import ApiError
from agent_desktop.server.models import AgentRow, TokenRow, utcnow

# The tables every Agent Desktop database has; a file without them is not one of our backups.
REQUIRED_TABLES = frozenset({"agents", "threads", "messages", "events", "tokens"})
COUNTED = ("agents", "threads", "messages", "events")


class AdminError(Exception):
    """A refusal, with a sentence saying why and what to do."""


# --- the first lead ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FirstLead:
    id: str
    email: str
    name: str


async def lead_exists(config: ServerConfig) -> str | None:
    """The email of an active lead, or None when the shop has none yet."""
    async with opened_context(config) as ctx, ctx.sessionmaker() as session:
        return (
            await session.execute(
                select(AgentRow.email)
                .where(AgentRow.role == "lead", AgentRow.active.is_(True))
                .order_by(AgentRow.created_at)
                .limit(1)
            )
        ).scalar_one_or_none()


async def create_first_lead(
    config: ServerConfig, *, email: str, name: str, password: str
) -> FirstLead:
    """Create the shop's first team lead; refuses when a lead exists or the input is not usable."""
    try:
        email = accounts.check_email(email)
        name = accounts.check_name(name)
        accounts.check_password(password, email=email, name=name)
    except ApiError as exc:
        raise AdminError(exc.message) from None
    password_hash = await hash_password_async(password)
    async with opened_context(config) as ctx, ctx.write() as session:
        lead = (
            await session.execute(select(AgentRow.email).where(AgentRow.role == "lead").limit(1))
        ).scalar_one_or_none()
        if lead is not None:
            raise AdminError(
                f"This shop already has a team lead ({lead}): add members from the Team page "
                "of Agent Desktop instead."
            )
        if await accounts.email_taken(session, email):
            raise AdminError(f"There is already an account with {email}.")
        row = await accounts.add_member(
            ctx,
            session,
            email=email,
            name=name,
            role="lead",
            by=None,
            password_hash=password_hash,
        )
        accounts.emit_agent(session, row)
        return FirstLead(id=row.id, email=row.email, name=row.name)


async def rescue(config: ServerConfig, *, email: str, make_lead: bool) -> tuple[str, str, datetime]:
    """From the server's own shell, for a shop locked out of the Team page (its only lead forgot
    their password or left): a new one-time code for the account of `email`, activated, and made
    a lead when asked. Returns (name, code, expires_at)."""
    async with opened_context(config) as ctx, ctx.write() as session:
        row = (
            await session.execute(
                select(AgentRow).where(AgentRow.email == accounts.normalize_email(email))
            )
        ).scalar_one_or_none()
        if row is None:
            raise AdminError(f"There is no account with {email.strip()}.")
        if not row.active:
            row.active = True
            row.deactivated_at = None
        if make_lead:
            row.role = "lead"
        code, expires = await accounts.reset(ctx, session, row, by=None)
        return row.name, code, expires


# --- backup and restore (SQLite) --------------------------------------------------------------


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for any other database."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise AdminError("An in-memory database cannot be backed up or restored.")
    return Path(parsed.database)


def shown_url(url: str) -> str:
    """Where the database is, for messages: a SQLite file's path, else the URL with its password
    hidden."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return parsed.render_as_string(hide_password=True)


@dataclass(frozen=True, slots=True)
class Summary:
    path: Path
    counts: dict[str, int]
    size: int
    seconds: float

    def describe(self) -> str:
        c = self.counts
        parts = [
            _count(c.get("agents", 0), "account"),
            _count(c.get("threads", 0), "thread"),
            _count(c.get("messages", 0), "message"),
            _count(c.get("events", 0), "event"),
        ]
        return ", ".join(parts) + f"; {self.size / 1_048_576:.1f} MB"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED}


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):  # the folder entry too (not possible on Windows)
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _copy(source: sqlite3.Connection, dest: Path) -> None:
    """An online, consistent copy of `source` into the new file `dest` (one self-contained file:
    rollback journal, not WAL)."""
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    try:
        source.backup(target, pages=1024)
        target.execute("PRAGMA journal_mode=DELETE")
        target.commit()
    finally:
        target.close()
    _fsync(partial)
    os.replace(partial, dest)


def backup(database_url: str, dest: Path) -> Summary:
    """Copy the running server's SQLite database to `dest` (which must not exist)."""
    started = time.monotonic()
    path = sqlite_path(database_url)
    if path is None:
        raise AdminError(
            'This server uses PostgreSQL: back it up with pg_dump (see docs/DEPLOY.md, "Backups").'
        )
    if not path.is_file():
        raise AdminError(f"There is no database at {path}.")
    if dest.exists():
        raise AdminError(f"{dest} already exists: give the backup a new name.")
    if not dest.parent.is_dir():
        raise AdminError(f"The folder {dest.parent} does not exist.")
    source = sqlite3.connect(path)  # read only in effect; WAL files need a writable handle
    try:
        _copy(source, dest)
    except sqlite3.Error as exc:
        raise AdminError(f"The backup failed: {exc}.") from None
    finally:
        source.close()
    check = sqlite3.connect(dest)
    try:
        counts = _counts(check)
    finally:
        check.close()
    return Summary(dest, counts, dest.stat().st_size, time.monotonic() - started)


def _check_backup(path: Path) -> dict[str, int]:
    """The counts of a usable backup file, or AdminError saying what is wrong with it."""
    if not path.is_file():
        raise AdminError(f"There is no file at {path}.")
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise AdminError(f"{path} cannot be opened: {exc}.") from None
    try:
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError:
            raise AdminError(
                f"{path} is not an Agent Desktop backup (not a SQLite database)."
            ) from None
        if not tables >= REQUIRED_TABLES:
            raise AdminError(f"{path} is not an Agent Desktop backup (its tables are missing).")
        if verdict != "ok":
            raise AdminError(f"{path} is damaged ({verdict}): use another backup.")
        return _counts(conn)
    finally:
        conn.close()


def server_answering(host: str, port: int) -> str | None:
    """The URL of a server answering its health check at host:port, else None."""
    if host in {"0.0.0.0", "::", ""}:
        host = "127.0.0.1"
    url = f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"
    try:
        with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as resp:
            json.loads(resp.read() or b"{}")
            return url
    except urllib.error.HTTPError:
        return url  # it answers (503: starting or database unreachable): it is running
    except (OSError, ValueError):
        return None


def restore_file(source: Path, database_url: str) -> tuple[Summary, Path | None]:
    """Replace the (stopped) server's SQLite database by the backup `source`. The database it
    replaces is kept beside it (`…before-restore-<time>`), returned with the summary."""
    started = time.monotonic()
    path = sqlite_path(database_url)
    if path is None:
        raise AdminError(
            "This server uses PostgreSQL: restore a pg_dump file with pg_restore (see "
            'docs/DEPLOY.md, "Backups").'
        )
    counts = _check_backup(source)
    if source.resolve() == path.resolve():
        raise AdminError("The backup is the server's own database file: pick a backup file.")
    path.parent.mkdir(parents=True, exist_ok=True)
    kept: Path | None = None
    if path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        kept = path.with_name(f"{path.name}.before-restore-{stamp}")
        current = sqlite3.connect(path)
        try:
            _copy(current, kept)
        finally:
            current.close()
    incoming = sqlite3.connect(source)
    try:
        _copy(incoming, path.with_name(path.name + ".restoring"))
    finally:
        incoming.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(path.with_name(path.name + ".restoring"), path)
    _fsync(path)
    return Summary(path, counts, path.stat().st_size, time.monotonic() - started), kept


async def end_sessions_after_restore(config: ServerConfig) -> int:
    """Every session of the restored database ends (a token revoked after the backup was taken
    would otherwise work again); migrations run as at a server start. Returns how many."""
    async with opened_context(config) as ctx:
        async with ctx.write() as session:
            count = (
                await session.execute(
                    select(func.count()).select_from(TokenRow).where(TokenRow.revoked_at.is_(None))
                )
            ).scalar_one()
            await session.execute(
                update(TokenRow)
                .where(TokenRow.revoked_at.is_(None))
                .values(revoked_at=utcnow(), revoked_reason="restored")
            )
            await session.execute(update(AgentRow).values(presence="offline"))
        return int(count)
