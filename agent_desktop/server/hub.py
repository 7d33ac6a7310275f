"""The in-process fan-out of the live stream: committed events and ephemeral signals go from here to
every connected websocket's queue; logout closes the sockets of a revoked token. Between instances
(PostgreSQL), server/cluster.py feeds each instance's hub.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

CLOSE_UNAUTHORIZED = 4401


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


@dataclass(eq=False)
class Subscriber:
    """One open, authenticated websocket. The socket task drains `queue`: each item is a dict to
    send, or an int close code."""

    agent_id: str
    agent_name: str
    token_hash: str
    queue: asyncio.Queue[dict[str, Any] | int] = field(default_factory=asyncio.Queue)
    id: int = 0


@dataclass(frozen=True, slots=True)
class PublishedEvent:
    seq: int
    name: str
    data: dict[str, Any]


class EventHub:
    """Subscribers of the live stream, in this process."""

    def __init__(self) -> None:
        self._subscribers: dict[int, Subscriber] = {}
        self._ids = itertools.count(1)

    def subscribe(self, agent_id: str, agent_name: str, token_hash: str) -> Subscriber:
        sub = Subscriber(agent_id, agent_name, token_hash, id=next(self._ids))
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
            for sub in list(self._subscribers.values()):
                sub.queue.put_nowait(event_for(sub.agent_id, ev.seq, ev.name, ev.data))

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
        """An ephemeral message to every socket except those of `skip_agent_id`."""
        for sub in list(self._subscribers.values()):
            if sub.agent_id != skip_agent_id:
                sub.queue.put_nowait(dict(message))

    def close_token(self, token_hash: str, code: int = CLOSE_UNAUTHORIZED) -> int:
        """Close every socket opened with this token; returns how many."""
        closed = 0
        for sub in list(self._subscribers.values()):
            if sub.token_hash == token_hash:
                sub.queue.put_nowait(code)
                self.unsubscribe(sub)
                closed += 1
        return closed

    def close_all(self, code: int = 1001) -> None:
        for sub in list(self._subscribers.values()):
            sub.queue.put_nowait(code)
        self._subscribers.clear()
