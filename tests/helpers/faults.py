"""Fault tools for the reliability tests: a TCP proxy that also cuts a connection half-way through a
frame, and ways to make the client's sqlite state file fail (locked by another program, disk full).

`FaultProxy` is `tests.helpers.proxy.TcpProxy` (cut, pause/resume black hole, delay, lost response)
plus three one-shots, decided chunk by chunk in `_pass` (the proxy's one pump forwards what it
returns): `cut_request_mid_frame(b"...")` forwards only the first half of the next request chunk
containing those bytes, then aborts the link (the server never gets the whole request);
`cut_response_mid_frame(b"...")` lets that request through and aborts the link half-way through
the server's answer (the server committed, the client read a truncated response);
`lose_response_and_pause(b"...")` drops the answer and black-holes the link until `resume()`.
`refuse_websockets = True` hangs up on every websocket handshake (HTTP still passes).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.proxy import TcpProxy, _Link

DISK_FULL = "database or disk is full"


class FaultProxy(TcpProxy):
    """A TcpProxy that can also cut a request or a response in the middle of a frame."""

    def __init__(self, target_host: str, target_port: int) -> None:
        super().__init__(target_host, target_port)
        self.requests_cut = 0
        self.responses_cut = 0
        self._cut_request: bytes | None = None
        self._cut_response: bytes | None = None
        self._cut_links: set[int] = set()
        self._pause_on_loss = False
        self.refuse_websockets = False  # True: websocket handshakes are hung up on

    def cut_request_mid_frame(self, pattern: bytes) -> None:
        self._cut_request = pattern

    def cut_response_mid_frame(self, pattern: bytes) -> None:
        self._cut_response = pattern

    def lose_response_and_pause(self, pattern: bytes) -> None:
        """Like `lose_response_after`, and the link then black-holes until `resume()`: the server
        committed, the client never hears of it, and its retries hang (e.g. while the server is
        killed and restarted)."""
        self._pause_on_loss = True
        self.lose_response_after(pattern)

    def _pass(self, chunk: bytes, link: _Link, *, upstream: bool) -> tuple[bytes, bool]:
        half = chunk[: max(1, len(chunk) // 2)]
        if upstream and self.refuse_websockets and b"upgrade: websocket" in chunk.lower():
            return b"", False
        if upstream and self._cut_request is not None and self._cut_request in chunk:
            self._cut_request = None
            self.requests_cut += 1
            return half, False
        if upstream and self._cut_response is not None and self._cut_response in chunk:
            self._cut_response = None
            self._cut_links.add(id(link))
        if not upstream and id(link) in self._cut_links:
            self._cut_links.discard(id(link))
            self.responses_cut += 1
            return half, False
        return super()._pass(chunk, link, upstream=upstream)

    def _response_lost(self) -> None:
        if self._pause_on_loss:
            self._pause_on_loss = False
            self._open.clear()


@pytest.fixture
def fault_proxy_factory() -> Iterator[Any]:
    """`make(host, port) -> FaultProxy` (started); every proxy is stopped after the test."""
    proxies: list[FaultProxy] = []

    def make(host: str, port: int) -> FaultProxy:
        proxy = FaultProxy(host, port)
        proxy.start()
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.stop()


@contextlib.contextmanager
def locked_database(path: Path) -> Iterator[sqlite3.Connection]:
    """Another program holds an exclusive write lock on the sqlite file while inside."""
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield other
    finally:
        with contextlib.suppress(sqlite3.Error):
            other.execute("ROLLBACK")
        other.close()


@contextlib.contextmanager
def disk_full(connection: sqlite3.Connection) -> Iterator[None]:
    """The disk fills up: the database file may not grow by a single page while inside.

    sqlite's `max_page_count` caps the main file only, so the write-ahead log is checkpointed and
    switched off for the duration (the file then grows in place, and hits the cap at once)."""
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    mode = str(connection.execute("PRAGMA journal_mode").fetchone()[0])
    connection.execute("PRAGMA journal_mode = DELETE")
    pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    previous = int(connection.execute("PRAGMA max_page_count").fetchone()[0])
    connection.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA max_page_count = {previous}")
        connection.execute(f"PRAGMA journal_mode = {mode}")


class FailingConnection:
    """Wraps a sqlite3 connection: every statement that writes raises `error` (the sqlite layer
    failing as on a full disk), reads pass through."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self, inner: sqlite3.Connection, error: str = DISK_FULL) -> None:
        self.inner = inner
        self.error = error

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith(self.WRITES):
            raise sqlite3.OperationalError(self.error)
        return self.inner.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
