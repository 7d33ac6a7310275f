"""The client's durable local state: one sqlite file per backend URL and agent (outbox, drafts, seq).

Write-through with WAL and `synchronous=FULL`, so a draft or a queued reply survives a crash the
moment the call returns. Disk-full and locked-database failures become a `StorageError` sentence.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication

from agent_desktop import paths

log = logging.getLogger(__name__)

OutboxState = Literal["sending", "sent", "failed"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    client_id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    tag TEXT,
    state TEXT NOT NULL,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
    thread_id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_at REAL NOT NULL
);
"""


class StorageError(Exception):
    """The local database could not be written or read; `str(err)` is a sentence for the agent."""


@dataclass(frozen=True)
class OutboxRow:
    client_id: str
    thread_id: str
    text: str
    kind: str
    tag: str | None
    state: OutboxState
    error: str | None
    attempts: int
    created_at: float


def state_db_path(backend_url: str, agent: str, folder: Path | None = None) -> Path:
    """The state file for this backend and agent: readable prefix plus a hash of both."""
    key = f"{backend_url.rstrip('/')}\n{agent.lower()}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", backend_url.split("://", 1)[-1])[:40]
    base = (folder or paths.data_dir()) / "state"
    base.mkdir(parents=True, exist_ok=True)
    return base / f"{host}-{digest}.sqlite3"


def _sentence(exc: sqlite3.Error, *, reading: bool = False) -> str:
    text = str(exc).lower()
    if reading:
        if "locked" in text or "busy" in text:
            return QCoreApplication.translate(
                "StateDb",
                "The local database is locked by another program (is Agent Desktop open "
                "twice?); unsent messages could not be read.",
            )
        return QCoreApplication.translate("StateDb", "The local database could not be read.")
    if "full" in text:
        return QCoreApplication.translate(
            "StateDb",
            "The disk is full: your message could not be saved. Free some space and try again.",
        )
    if "locked" in text or "busy" in text:
        return QCoreApplication.translate(
            "StateDb",
            "The local database is locked by another program (is Agent Desktop open twice?); "
            "your message was not saved.",
        )
    if "readonly" in text or "read-only" in text:
        return QCoreApplication.translate(
            "StateDb", "The local database is read-only; your message could not be saved."
        )
    return QCoreApplication.translate(
        "StateDb", "The local database failed; your message could not be saved."
    )


class StateDb:
    """The sqlite state file. Every method commits before returning or raises StorageError."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(path, timeout=2.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # The tables of a new file are created without waiting for the disk: at FULL each
            # CREATE was its own commit with its own fsync, 30-40 ms (up to 0.17 s) on the GUI
            # thread before a first start's first page. In WAL mode a NORMAL commit stays
            # consistent; a power cut can only undo it, and the next start creates the tables
            # again. Every later write is FULL (an existing file's CREATE IF NOT EXISTS writes
            # nothing).
            with self._not_waiting_for_disk():
                self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            log.error("Cannot open the state database %s: %s", path, exc)
            raise StorageError(_sentence(exc)) from None

    def close(self) -> None:
        self._db.close()

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            rows: list[tuple[Any, ...]] = self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            log.error("State database read failed: %s", exc)
            raise StorageError(_sentence(exc, reading=True)) from None
        return rows

    def _write(self, sql: str, args: tuple[object, ...]) -> None:
        try:
            self._db.execute(sql, args)
        except sqlite3.Error as exc:
            log.error("State database write failed: %s", exc)
            raise StorageError(_sentence(exc)) from None

    # -- meta ------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._write(
            "INSERT INTO meta(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def last_seq(self) -> int:
        value = self.get_meta("last_seq")
        return int(value) if value and value.isdigit() else 0

    @contextmanager
    def _not_waiting_for_disk(self) -> Iterator[None]:
        """The writes inside commit at `synchronous=NORMAL` (no fsync; in WAL mode still
        consistent, a power cut can only undo them); every other write stays FULL."""
        self._db.execute("PRAGMA synchronous=NORMAL")
        try:
            yield
        finally:
            self._db.execute("PRAGMA synchronous=FULL")

    def set_last_seq(self, seq: int) -> None:
        """Write the last applied seq without waiting for the disk (`synchronous=NORMAL` for this
        one write; 4-28 ms of fsync on the GUI thread once a second of live events otherwise).
        In WAL mode the write survives a crash of the app; only a power cut can lose it, and the
        stream then replays the events since the seq written before, which applying again leaves
        unchanged. The next FULL write (an outbox row, a draft) makes it durable as well."""
        try:
            with self._not_waiting_for_disk():
                self.set_meta("last_seq", str(seq))
        except sqlite3.Error as exc:
            log.error("State database write failed: %s", exc)
            raise StorageError(_sentence(exc)) from None

    # -- outbox ----------------------------------------------------------------------------

    def outbox_add(
        self, client_id: str, thread_id: str, text: str, kind: str, tag: str | None
    ) -> OutboxRow:
        now = time.time()
        self._write(
            "INSERT INTO outbox(client_id, thread_id, text, kind, tag, state, error, attempts,"
            " created_at, updated_at) VALUES(?, ?, ?, ?, ?, 'sending', NULL, 0, ?, ?)",
            (client_id, thread_id, text, kind, tag, now, now),
        )
        return OutboxRow(client_id, thread_id, text, kind, tag, "sending", None, 0, now)

    def outbox_get(self, client_id: str) -> OutboxRow | None:
        rows = self._read(
            "SELECT client_id, thread_id, text, kind, tag, state, error, attempts, created_at"
            " FROM outbox WHERE client_id = ?",
            (client_id,),
        )
        return OutboxRow(*rows[0]) if rows else None

    def outbox_rows(self, thread_id: str | None = None) -> list[OutboxRow]:
        sql = (
            "SELECT client_id, thread_id, text, kind, tag, state, error, attempts, created_at"
            " FROM outbox"
        )
        args: tuple[object, ...] = ()
        if thread_id is not None:
            sql += " WHERE thread_id = ?"
            args = (thread_id,)
        return [OutboxRow(*row) for row in self._read(sql + " ORDER BY created_at, rowid", args)]

    def outbox_set_state(self, client_id: str, state: OutboxState, error: str | None) -> None:
        self._write(
            "UPDATE outbox SET state = ?, error = ?, updated_at = ? WHERE client_id = ?",
            (state, error, time.time(), client_id),
        )

    def outbox_count_attempt(self, client_id: str) -> None:
        self._write(
            "UPDATE outbox SET attempts = attempts + 1, updated_at = ? WHERE client_id = ?",
            (time.time(), client_id),
        )

    def outbox_delete(self, client_id: str) -> None:
        self._write("DELETE FROM outbox WHERE client_id = ?", (client_id,))

    # -- drafts ----------------------------------------------------------------------------

    def draft(self, thread_id: str) -> str:
        rows = self._read("SELECT text FROM drafts WHERE thread_id = ?", (thread_id,))
        return str(rows[0][0]) if rows else ""

    def drafts(self) -> dict[str, str]:
        return {str(t): str(x) for t, x in self._read("SELECT thread_id, text FROM drafts")}

    def set_draft(self, thread_id: str, text: str) -> None:
        if text.strip():
            self._write(
                "INSERT INTO drafts(thread_id, text, updated_at) VALUES(?, ?, ?) "
                "ON CONFLICT(thread_id) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at",
                (thread_id, text, time.time()),
            )
        else:
            self._write("DELETE FROM drafts WHERE thread_id = ?", (thread_id,))
