"""Chatwoot's ActionCable protocol at `/cable` (FINDINGS.md §7): frames and event names.

ActionCable has no replay and no sequence numbers; the connector numbers the events it yields
itself and refetches over HTTP after a reconnect (see backend.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

SUBPROTOCOLS = ("actioncable-v1-json", "actioncable-unsupported")

# Chatwoot event -> ours. Events not listed are ignored (notifications, cache invalidation...).
THREAD_EVENTS = frozenset(
    {
        "conversation.created",
        "conversation.updated",
        "conversation.status_changed",
        "conversation.contact_changed",
        "conversation.read",
        "assignee.changed",
        "team.changed",
    }
)
MESSAGE_EVENTS = {"message.created": "message.created", "message.updated": "message.updated"}
TYPING_EVENTS = {"conversation.typing_on": True, "conversation.typing_off": False}
PRESENCE_EVENT = "presence.update"
LOGOUT_EVENT = "user:logout"
RELOAD_EVENT = "page:reload"


def cable_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/cable"


def identifier(pubsub_token: str, account_id: int, user_id: int) -> str:
    """The subscription identifier: a JSON *string*, echoed back by the server byte for byte."""
    return json.dumps(
        {
            "channel": "RoomChannel",
            "pubsub_token": pubsub_token,
            "account_id": account_id,
            "user_id": user_id,
        },
        separators=(",", ":"),
    )


def subscribe_frame(ident: str) -> str:
    return json.dumps({"command": "subscribe", "identifier": ident})


def presence_frame(ident: str) -> str:
    return json.dumps(
        {
            "command": "message",
            "identifier": ident,
            "data": json.dumps({"action": "update_presence"}),
        }
    )


@dataclass(frozen=True)
class Frame:
    """A decoded server frame: `type` for protocol frames, or `event`+`data` for broadcasts."""

    type: str | None
    identifier: str | None = None
    event: str | None = None
    data: dict[str, Any] | None = None
    reason: str | None = None
    reconnect: bool | None = None


def decode(raw: str | bytes) -> Frame | None:
    """One frame from the socket, or None when it is not an ActionCable frame."""
    try:
        frame = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested too deep to decode
        return None
    if not isinstance(frame, dict):
        return None
    kind = frame.get("type")
    ident = frame.get("identifier")
    message = frame.get("message")
    if kind is None and isinstance(message, dict):
        event = message.get("event")
        data = message.get("data")
        if isinstance(event, str):
            return Frame(
                type=None,
                identifier=ident if isinstance(ident, str) else None,
                event=event,
                data=data if isinstance(data, dict) else {},
            )
        return None
    if not isinstance(kind, str):
        return None
    return Frame(
        type=kind,
        identifier=ident if isinstance(ident, str) else None,
        reason=frame.get("reason") if isinstance(frame.get("reason"), str) else None,
        reconnect=frame.get("reconnect") if isinstance(frame.get("reconnect"), bool) else None,
    )
