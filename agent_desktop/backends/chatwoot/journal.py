"""A small durable record of the replies this client sent through Chatwoot, keyed by `client_id`.

Chatwoot does not store `echo_id` and does not deduplicate sends (FINDINGS.md §2), so a reply whose
answer was lost could be posted twice on retry. The journal remembers each attempt; a retry of an
attempted `client_id` first looks for the message among the conversation's recent messages.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

log = logging.getLogger(__name__)

KEEP = timedelta(days=8)  # an outbox entry older than the Messenger window is no longer retried


def write_durably(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash or a power cut leaves the old file or the new
    one, never a torn or empty one: written to a temporary file and flushed to the disk, renamed
    over `path`, then the folder flushed so the rename itself is on the disk (POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    if os.name == "posix":  # Windows cannot open a folder to flush it; NTFS logs the rename
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass
class Attempt:
    thread_id: str
    at: datetime
    message_id: int | None = None


class SentJournal:
    """client_id -> attempt, kept in a JSON file (memory only when `path` is None or unwritable)."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._entries: dict[str, Attempt] = {}
        self._load()

    def _load(self) -> None:
        if self._path is None or not self._path.exists():
            return
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("The Chatwoot send journal is unreadable; starting a new one")
            return
        if not isinstance(raw, dict):
            return
        cutoff = datetime.now(UTC) - KEEP
        for client_id, item in raw.items():
            try:
                at = datetime.fromisoformat(item["at"])
                mid = item.get("message_id")
                attempt = Attempt(str(item["thread_id"]), at, int(mid) if mid is not None else None)
            except (KeyError, TypeError, ValueError):
                continue
            if at >= cutoff:
                self._entries[str(client_id)] = attempt

    def _save(self) -> None:
        if self._path is None:
            return
        data = {
            cid: {"thread_id": a.thread_id, "at": a.at.isoformat(), "message_id": a.message_id}
            for cid, a in self._entries.items()
        }
        try:
            write_durably(self._path, json.dumps(data).encode("utf-8"))
        except OSError:
            log.warning("Could not write the Chatwoot send journal; keeping it in memory")

    def get(self, client_id: str) -> Attempt | None:
        return self._entries.get(client_id)

    def attempt(self, client_id: str, thread_id: str, at: datetime) -> Attempt:
        """Record that `client_id` is about to be posted (kept if it was attempted before)."""
        entry = self._entries.get(client_id)
        if entry is None:
            entry = Attempt(thread_id, at)
            self._entries[client_id] = entry
            self._save()
        return entry

    def sent(self, client_id: str, thread_id: str, message_id: int, at: datetime) -> None:
        entry = self._entries.get(client_id)
        if entry is None:
            entry = Attempt(thread_id, at)
            self._entries[client_id] = entry
        entry.message_id = message_id
        self._save()

    def claimed(self) -> set[int]:
        """Message ids already known to belong to some client_id."""
        return {a.message_id for a in self._entries.values() if a.message_id is not None}
