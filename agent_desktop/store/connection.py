"""What the client knows about its connection to the backend, as the status bar shows it (the
store's `connectionChanged` carries it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ConnectionStateName = Literal["connecting", "live", "reconnecting", "offline", "signed_out"]


@dataclass(frozen=True)
class ConnectionInfo:
    """What the status bar shows: the stream's state, the retry delay, the unsent messages."""

    state: ConnectionStateName = "connecting"
    retry_in: float | None = None
    outbox_count: int = 0
    error: str | None = None
