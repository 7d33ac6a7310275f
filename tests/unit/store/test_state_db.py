"""The local state file's own rules (store/state_db.py); what the store keeps in it is tested in
test_client_store.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.store import state_db
from agent_desktop.store.state_db import StateDb


def test_a_new_file_gets_its_tables_without_waiting_for_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables are created at synchronous=NORMAL (at FULL each CREATE was a commit with its
    own fsync, 30-40 ms before a first start's first page: startup/fast_start.py 12); every
    later write is FULL again, and the file opens again with what was written."""
    statements: list[str] = []
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = real_connect(*args, **kwargs)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(state_db.sqlite3, "connect", connect)
    db = StateDb(tmp_path / "state.sqlite")
    creates = [i for i, sql in enumerate(statements) if sql.lstrip().startswith("CREATE")]
    normal = statements.index("PRAGMA synchronous=NORMAL")
    full = statements.index("PRAGMA synchronous=FULL")
    assert creates and normal < min(creates) and max(creates) < full
    assert db._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.set_meta("last_seq", "41")
    db.close()
    again = StateDb(tmp_path / "state.sqlite")
    try:
        assert again.last_seq == 41
        assert again._db.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        again.close()
