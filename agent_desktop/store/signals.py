"""Following another object's Qt signals: connect a list of (signal, slot) pairs, and disconnect
the same pairs when that object is replaced or gone. The interface and the stores attach to a
store this way (`attach_shop`, `attach_messenger`, `detach_store`, `stop`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

Connections = Iterable[tuple[Any, Any]]  # (signal, slot)


def connect_all(pairs: Connections) -> None:
    for signal, slot in pairs:
        signal.connect(slot)


def disconnect_all(pairs: Connections) -> None:
    """Disconnect every pair; one that is gone already (its sender deleted, or never connected)
    is passed over, and the others are still disconnected."""
    for signal, slot in pairs:
        with contextlib.suppress(RuntimeError, SystemError, TypeError):
            signal.disconnect(slot)
