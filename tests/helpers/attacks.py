"""Tools an attacker would use against the reference server, shared by `tests/reliability/
test_attacks.py` (each must-fix of the hardening issue as a test) and `tests/bench/attacks.py`
(the before/after figures): a websocket that never reads, hostile JSON built as raw bytes, the
server's memory from /proc, and a prober that times `/health` while an attack runs.

Everything talks to 127.0.0.1 only and is bounded in count and time by its caller.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

# --- hostile input ------------------------------------------------------------------------------

# Dates near the ends of the calendar with offsets: converting them to UTC leaves it.
EXTREME_DATES = (
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59.999999Z",
)
LONE_SURROGATE = '"\\ud800"'  # a JSON string holding one unpaired UTF-16 surrogate


def deep_json(depth: int, key: str = "email") -> bytes:
    """`{"<key>": [[[...]]], "password": "x"}` nested `depth` levels: a few KB on the wire."""
    return ('{"' + key + '":' + "[" * depth + "]" * depth + ',"password":"x"}').encode()


def deep_array(depth: int) -> str:
    return "[" * depth + "]" * depth


def cursor_of(raw: str) -> str:
    """A thread-list cursor carrying `raw` (any text) the way the server encodes its own."""
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def with_surrogate(template: str) -> bytes:
    """A JSON body: `template` with `@S@` replaced by a JSON string holding a lone surrogate."""
    return template.replace("@S@", LONE_SURROGATE).encode()


# --- a websocket that never reads ---------------------------------------------------------------


def ws_frame(payload: bytes, opcode: int = 1) -> bytes:
    """One masked client frame (RFC 6455)."""
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + mask + masked


class SlowReader:
    """A raw websocket that says hello, reads up to `ready`, then never reads again, with a tiny
    receive buffer so the server's socket stops draining after a few KB."""

    def __init__(self, port: int, token: str, *, rcvbuf: int = 4096, timeout: float = 10.0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                "GET /api/v1/events HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the server closed the handshake")
            received += chunk
        status = received.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise ConnectionError(f"no upgrade: {status!r}")
        received = received.split(b"\r\n\r\n", 1)[1]
        # after -1: no replay (resync, then ready), so the socket is subscribed at once.
        hello = {"type": "hello", "token": token, "after": -1}
        self.sock.sendall(ws_frame(json.dumps(hello).encode()))
        while b'"ready"' not in received:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the server closed the stream before ready")
            received += chunk

    def drain(self, limit: float = 10.0) -> tuple[bytes, int | None]:
        """Read everything until the server closes (or `limit` seconds pass): the bytes read and
        the close code found in the last close frame, if any."""
        (result,) = drain_all([self], limit)
        return result.data, result.code

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


@dataclass
class Drained:
    data: bytes = b""
    closed: bool = False  # the server closed (close frame and EOF) or dropped (reset) the socket
    code: int | None = None  # the close frame's code, if one arrived


def drain_all(readers: list[SlowReader], limit: float) -> list[Drained]:
    """Read every reader until the server closes it, all within one `limit` in seconds."""
    results = {id(r): Drained() for r in readers}
    open_ = {r.sock.fileno(): r for r in readers}
    with selectors.DefaultSelector() as selector:
        for fd, reader in open_.items():
            reader.sock.setblocking(False)
            selector.register(fd, selectors.EVENT_READ)
        deadline = time.monotonic() + limit
        while open_ and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=max(0.0, deadline - time.monotonic())):
                reader = open_[key.fd]
                result = results[id(reader)]
                try:
                    chunk = reader.sock.recv(1 << 16)
                except BlockingIOError:
                    continue
                except OSError:
                    chunk = b""  # reset: dropped by the server
                if chunk:
                    result.data += chunk
                    continue
                result.closed = True
                result.code = close_code_in(result.data)
                selector.unregister(key.fd)
                del open_[key.fd]
    return [results[id(r)] for r in readers]


def close_code_in(data: bytes) -> int | None:
    """The code of the close frame (opcode 8) in a stream of unmasked server frames."""
    i, code = 0, None
    while i + 2 <= len(data):
        opcode = data[i] & 0x0F
        n = data[i + 1] & 0x7F
        j = i + 2
        if n == 126:
            n, j = int.from_bytes(data[j : j + 2], "big"), j + 2
        elif n == 127:
            n, j = int.from_bytes(data[j : j + 8], "big"), j + 8
        if j + n > len(data):
            break
        if opcode == 8 and n >= 2:
            code = int.from_bytes(data[j : j + 2], "big")
        i = j + n
    return code


# --- the server process -------------------------------------------------------------------------


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now and its high-water mark, in MB (Linux /proc)."""
    out = {"rss": 0.0, "peak": 0.0}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                out["rss"] = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                out["peak"] = int(line.split()[1]) / 1024
    return out


@dataclass
class HealthProbe:
    """Times `GET /health` every `every` seconds on a thread until stopped: each answer's latency
    (a timeout counts as `timeout` seconds and as unanswered)."""

    url: str
    every: float = 0.2
    timeout: float = 2.0
    samples: list[tuple[float, float, bool]] = field(default_factory=list)  # (at, latency, ok)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> HealthProbe:
        self._thread = threading.Thread(target=self._run, name="health-probe", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    ok = client.get(self.url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                latency = time.monotonic() - started
                self.samples.append((started, latency, ok))
                self._stop.wait(max(0.0, self.every - latency))

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.timeout + 1)

    def worst(self, since: float = 0.0) -> float:
        return max((lat for at, lat, _ in self.samples if at >= since), default=0.0)

    def failures(self, since: float = 0.0) -> int:
        return sum(1 for at, _, ok in self.samples if at >= since and not ok)


def wait_healthy(url: str, *, within: float, fast: float = 0.5) -> float | None:
    """Seconds until `/health` answers 200 in under `fast` s, or None if not within `within`."""
    started = time.monotonic()
    with httpx.Client(timeout=min(5.0, within)) as client:
        while time.monotonic() - started < within:
            t0 = time.monotonic()
            try:
                if client.get(url).status_code == 200 and time.monotonic() - t0 < fast:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    return None


def raw_request(port: int, head: str, body_chunks: Any = (), *, timeout: float = 30.0) -> bytes:
    """Send an HTTP/1.1 request by hand (head without the final blank line) and return the first
    answer's bytes: used to send bodies larger than any client would buffer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head.encode() + b"\r\n\r\n")
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed while the body was still coming
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    return answer
