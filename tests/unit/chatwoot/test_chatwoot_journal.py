"""The Chatwoot send journal is durable: each write reaches the disk before it counts (the
temporary file flushed, renamed over the journal, the folder flushed), and a journal cut short
by a crash is read as a new one rather than failing."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.backends.chatwoot import journal as journal_module
from agent_desktop.backends.chatwoot.journal import SentJournal

AT = datetime.now(UTC)


def test_each_write_is_flushed_to_the_disk_before_and_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "chatwoot" / "sent.json"
    calls: list[tuple[str, Any]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        target = os.readlink(f"/proc/self/fd/{fd}")
        calls.append(("fsync", Path(target).name))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        calls.append(("replace", Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(journal_module.os, "fsync", fsync)
    monkeypatch.setattr(journal_module.os, "replace", replace)
    journal = SentJournal(path)
    journal.attempt("c1", "t1", AT)
    assert calls == [("fsync", "sent.tmp"), ("replace", "sent.json"), ("fsync", "chatwoot")]
    calls.clear()
    journal.sent("c1", "t1", 42, AT)
    assert calls == [("fsync", "sent.tmp"), ("replace", "sent.json"), ("fsync", "chatwoot")]
    again = SentJournal(path)
    attempt = again.get("c1")
    assert attempt is not None and attempt.message_id == 42 and attempt.thread_id == "t1"
    assert not (tmp_path / "chatwoot" / "sent.tmp").exists()


def test_a_torn_journal_is_started_again(tmp_path: Path) -> None:
    path = tmp_path / "sent.json"
    path.write_bytes(b'{"c1": {"thread_id": "t1", "at": "20')
    journal = SentJournal(path)
    assert journal.get("c1") is None
    journal.attempt("c2", "t2", AT)
    assert SentJournal(path).get("c2") is not None
