"""The in-process fan-out of the live stream: committed events and ephemeral signals go from here to
every connected websocket's queue; logout closes the sockets of a revoked token. Between instances
(PostgreSQL), server/cluster.py feeds each instance's hub.

Each socket's queue is bounded (`ServerConfig.ws_queue_limit` frames). Every frame is serialized
once and shared by all the queues it goes to. A socket that falls that far behind is not waited
for: it is closed with `CLOSE_TOO_SLOW` (1013, "try again later"), and its client reconnects with
`after` = the last seq it applied and gets the rest by replay, so nothing is lost. Ephemeral signals
(`typing`, `viewing`) are never worth a close: they are dropped for a socket whose queue is half
full. Nothing here logs per frame.

`publish(events)` is the one entry point for committed events, whatever produced them (this
process's `ctx.write()`, or a listener relaying another instance's commits).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

CLOSE_UNAUTHORIZED = 4401
CLOSE_TOO_SLOW = 1013  # RFC 6455 "try again later": reconnect with `after` and the replay follows
CLOSE_GOING_AWAY = 1001
DEFAULT_QUEUE_LIMIT = 1000


def event_for(agent_id: str, seq: int, name: str, data: dict[str, Any]) -> dict[str, Any]:
    """The wire form of a stored event as `agent_id` may see it.

    Personal templates are private: another agent receives the event with the template left out
    (`template: null`), so their sequence numbers stay contiguous without leaking the content.
    """
    if name == "template.changed":
        owner = data.get("owner_id")
        if data.get("scope") == "personal" and owner != agent_id:
            data = {"id": data.get("id"), "template": None}
    return {"type": "event", "seq": seq, "name": name, "data": data}


def frame_text(message: dict[str, Any]) -> str:
    """A frame as the socket sends it (compact JSON)."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


class RateLimit:
    """A token bucket: `rate` frames a second on average, bursts of `burst`."""

    __slots__ = ("_at", "_tokens", "burst", "rate")

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._at = time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


# What a client may send (ping, typing, viewing): 10 frames a second, bursts of 20; the same
# ephemeral signal for the same thread is relayed at most once a second.
CLIENT_FRAMES_PER_SECOND = 10.0
CLIENT_FRAMES_BURST = 20.0
EPHEMERAL_REPEAT_SECONDS = 1.0


@dataclass(eq=False)
class Subscriber:
    """One open, authenticated websocket. The socket task takes frames with `next()`: a `(seq,
    text)` pair (seq 0 for frames outside the event log), or the int close code once the socket
    must close (slow consumer, revoked token, shutdown)."""

    agent_id: str
    agent_name: str
    token_hash: str
    id: int = 0
    limit: int = DEFAULT_QUEUE_LIMIT
    frames: deque[tuple[int, str]] = field(default_factory=deque)
    close_code: int | None = None
    close_reason: str = ""
    dropped: int = 0  # ephemeral frames not delivered (queue half full, or over the rate)
    inbound: RateLimit = field(
        default_factory=lambda: RateLimit(CLIENT_FRAMES_PER_SECOND, CLIENT_FRAMES_BURST)
    )
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _closed: asyncio.Event = field(default_factory=asyncio.Event)
    _last_relay: dict[tuple[str, str], float] = field(default_factory=dict)

    def offer(self, seq: int, text: str) -> bool:
        """Queue a frame; False when the queue is full (the caller decides what that means)."""
        if self.close_code is not None:
            return True  # closing: nothing more is sent, and that is not an overflow
        if len(self.frames) >= self.limit:
            return False
        self.frames.append((seq, text))
        self._wake.set()
        return True

    def offer_ephemeral(self, text: str) -> None:
        """Queue a frame that may be lost: dropped when the queue is half full."""
        if self.close_code is None and len(self.frames) < self.limit // 2:
            self.frames.append((0, text))
            self._wake.set()
        else:
            self.dropped += 1

    def close(self, code: int, reason: str = "") -> None:
        """Ask the socket task to close with `code`; queued frames are dropped."""
        if self.close_code is None:
            self.close_code = code
            self.close_reason = reason
            self.frames.clear()
            self._wake.set()
            self._closed.set()

    async def wait_closed(self) -> int:
        await self._closed.wait()
        assert self.close_code is not None
        return self.close_code

    async def next(self) -> tuple[int, str] | int:
        while True:
            if self.close_code is not None:
                return self.close_code
            if self.frames:
                return self.frames.popleft()
            self._wake.clear()
            await self._wake.wait()

    def relay_due(self, name: str, thread_id: str) -> bool:
        """Rate limits on what this socket sends: False when the frame must be dropped."""
        if not self.inbound.allow():
            self.dropped += 1
            return False
        if not name:
            return True
        now = time.monotonic()
        key = (name, thread_id)
        last = self._last_relay.get(key)
        if last is not None and now - last < EPHEMERAL_REPEAT_SECONDS:
            self.dropped += 1
            return False
        if len(self._last_relay) > 256:
            self._last_relay.clear()
        self._last_relay[key] = now
        return True


@dataclass(frozen=True, slots=True)
class PublishedEvent:
    seq: int
    name: str
    data: dict[str, Any]


class EventHub:
    """Subscribers of the live stream, in this process."""

    def __init__(self, queue_limit: int = DEFAULT_QUEUE_LIMIT) -> None:
        self.queue_limit = max(2, queue_limit)
        self._subscribers: dict[int, Subscriber] = {}
        self._ids = itertools.count(1)
        self.slow_closed = 0  # sockets closed because they fell behind

    def subscribe(self, agent_id: str, agent_name: str, token_hash: str) -> Subscriber:
        sub = Subscriber(
            agent_id, agent_name, token_hash, id=next(self._ids), limit=self.queue_limit
        )
        self._subscribers[sub.id] = sub
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.pop(sub.id, None)

    @property
    def count(self) -> int:
        return len(self._subscribers)

    def publish(self, events: list[PublishedEvent]) -> None:
        """Queue committed events (in seq order) for every subscriber."""
        for ev in events:
            shared = frame_text(event_for("", ev.seq, ev.name, ev.data))
            private: str | None = None  # the owner's view of a personal template
            for sub in list(self._subscribers.values()):
                text = shared
                if ev.name == "template.changed" and ev.data.get("owner_id") == sub.agent_id:
                    if private is None:
                        private = frame_text(event_for(sub.agent_id, ev.seq, ev.name, ev.data))
                    text = private
                if not sub.offer(ev.seq, text):
                    self._too_slow(sub)

    def _too_slow(self, sub: Subscriber) -> None:
        self.unsubscribe(sub)
        sub.close(CLOSE_TOO_SLOW, "too far behind: reconnect with after")
        self.slow_closed += 1
        log.info(
            "Closed a websocket of agent %s that fell %d frames behind", sub.agent_id, sub.limit
        )

    def relay_ephemeral(self, sender: Subscriber, name: str, thread_id: str) -> dict[str, Any]:
        """`typing` / `viewing` from one socket to the other agents' sockets; never stored.
        Returns the message (the cluster sends it on to the other instances)."""
        message = {
            "type": name,
            "thread_id": thread_id,
            "agent_id": sender.agent_id,
            "agent_name": sender.agent_name,
        }
        self.relay_message(message, skip_agent_id=sender.agent_id)
        return message

    def relay_message(self, message: dict[str, Any], *, skip_agent_id: str) -> None:
        """An ephemeral message to every socket except those of `skip_agent_id`: serialized once,
        dropped for a socket whose queue is half full."""
        text = frame_text(message)
        for sub in list(self._subscribers.values()):
            if sub.agent_id != skip_agent_id:
                sub.offer_ephemeral(text)

    def token_hashes(self) -> set[str]:
        """The tokens of the open sockets (the session sweep checks them)."""
        return {sub.token_hash for sub in self._subscribers.values()}

    def close_token(self, token_hash: str, code: int = CLOSE_UNAUTHORIZED, reason: str = "") -> int:
        """Close every socket opened with this token, with `reason` (the code of why the session
        ended, accounts.ENDED; "unauthorized" when not said); returns how many."""
        closed = 0
        for sub in list(self._subscribers.values()):
            if sub.token_hash == token_hash:
                self.unsubscribe(sub)
                sub.close(code, reason or "unauthorized")
                closed += 1
        return closed

    def close_all(self, code: int = CLOSE_GOING_AWAY) -> None:
        for sub in list(self._subscribers.values()):
            sub.close(code, "server shutting down")
        self._subscribers.clear()
