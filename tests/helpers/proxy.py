"""A loopback TCP proxy for failure tests: forwards bytes both ways and can break the link on demand.

It runs its own asyncio loop in a thread, so tests on any loop (qasync, pytest-asyncio) or none can
steer it: `cut()` drops every connection, `pause()` black-holes traffic (connections stay open, no
byte passes) until `resume()`, `delay(s)` adds latency per chunk, and `lose_response_after(b"...")`
lets the next request containing those bytes reach the server, then drops the server's answer and
closes the client's connection (a committed request whose response is lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import pytest


class _Link:
    """One proxied connection: the client's and the server's streams."""

    def __init__(self, client: asyncio.StreamWriter, upstream: asyncio.StreamWriter) -> None:
        self.client = client
        self.upstream = upstream
        self.lose_response = False

    def close(self) -> None:
        for writer in (self.client, self.upstream):
            with contextlib.suppress(Exception):
                writer.transport.abort()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to target_host:target_port; see the module docstring."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.port = 0
        self.connections_total = 0
        self.responses_lost = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, daemon=True, name="tcp-proxy"
        )
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._open = asyncio.Event()  # set: traffic flows; clear: paused
        self._delay = 0.0
        self._lose_pattern: bytes | None = None
        # Receive buffer of the proxy's connections to the server (None: the kernel's autotuning,
        # up to many MB): a small one makes a paused link back up to the server quickly.
        self.upstream_rcvbuf: int | None = None

    # -- control (thread-safe, callable from any thread or loop) ----------------------------

    def start(self) -> TcpProxy:
        self._thread.start()
        self._call(self._start())
        return self

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self._call(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def connections(self) -> int:
        """Connections open right now."""
        return len(self._links)

    def cut(self) -> int:
        """Abort every open connection; returns how many. New connections are still accepted."""
        result: int = self._call(self._cut())
        return result

    def pause(self) -> None:
        """Black-hole: keep connections open but let no byte through (new ones hang too)."""
        self._loop.call_soon_threadsafe(self._open.clear)

    def resume(self) -> None:
        self._loop.call_soon_threadsafe(self._open.set)

    def delay(self, seconds: float) -> None:
        """Wait `seconds` before forwarding each chunk, both ways (0 to stop)."""
        self._delay = seconds

    def lose_response_after(self, pattern: bytes) -> None:
        """Arm a one-shot: the next request containing `pattern` gets no answer (see module)."""
        self._lose_pattern = pattern

    # -- internals ------------------------------------------------------------------------------

    def _call(self, coro: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(10)

    async def _start(self) -> None:
        self._open.set()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._cut()
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
        for _ in range(3):  # let the aborted transports run their connection_lost callbacks
            await asyncio.sleep(0)

    async def _cut(self) -> int:
        links = list(self._links)
        for link in links:
            link.close()
        self._links.clear()
        return len(links)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections_total += 1
        link: _Link | None = None
        try:
            await self._open.wait()
            try:
                up_reader, up_writer = await self._connect_upstream()
            except OSError:
                return
            link = _Link(writer, up_writer)
            self._links.add(link)
            await asyncio.gather(
                self._pump(reader, up_writer, link, upstream=True),
                self._pump(up_reader, writer, link, upstream=False),
            )
        finally:
            if link is not None:
                link.close()
                self._links.discard(link)
            writer.transport.abort()

    async def _connect_upstream(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.upstream_rcvbuf is None:
            return await asyncio.open_connection(self.target_host, self.target_port)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.upstream_rcvbuf)
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(
                sock, (self.target_host, self.target_port)
            )
        except OSError:
            sock.close()
            raise
        # A small stream buffer too: the proxy holds a few KB, not 128 KB, of a paused link.
        return await asyncio.open_connection(sock=sock, limit=self.upstream_rcvbuf)

    async def _pump(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        link: _Link,
        *,
        upstream: bool,
    ) -> None:
        """Forward one direction of `link` chunk by chunk, paused and delayed as set, each
        chunk through `_pass` (what of it goes on, and whether the link lives after it)."""
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    break
                await self._open.wait()
                if self._delay:
                    await asyncio.sleep(self._delay)
                    await self._open.wait()
                forward, alive = self._pass(chunk, link, upstream=upstream)
                if forward:
                    writer.write(forward)
                    await writer.drain()
                if not alive:
                    break
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            link.close()

    def _pass(self, chunk: bytes, link: _Link, *, upstream: bool) -> tuple[bytes, bool]:
        """The bytes of `chunk` to forward and whether the link goes on after them: all of it,
        but for the armed lost response (subclasses add their own one-shots)."""
        if upstream and self._lose_pattern is not None and self._lose_pattern in chunk:
            self._lose_pattern = None
            link.lose_response = True
        if not upstream and link.lose_response:
            # The server answered (so it committed): drop the answer, hang up on the client.
            self.responses_lost += 1
            self._response_lost()
            return b"", False
        return chunk, True

    def _response_lost(self) -> None:
        """Called once a response has been dropped (see `lose_response_after`)."""


@pytest.fixture
def tcp_proxy_factory() -> Iterator[Any]:
    """`make(host, port) -> TcpProxy` (started); every proxy is stopped after the test."""
    proxies: list[TcpProxy] = []

    def make(host: str, port: int) -> TcpProxy:
        proxy = TcpProxy(host, port).start()
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.stop()
