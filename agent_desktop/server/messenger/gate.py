"""Whether the Page may send right now: Meta's 10/1893063 ("the Page is temporarily restricted from
sending messages", added 25 June 2026) pauses every send of the Page instead of failing them one by
one or retrying them in a storm.

While paused, queued messages wait. One of them is tried again when the probe time comes (15
minutes by default, then doubling up to 6 hours while the restriction holds), or at once when a
team lead asks; if it goes through, sending resumes for all. Plain asyncio on an injected clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

MAX_PROBE_SECONDS = 6 * 3600.0


class PauseGate:
    def __init__(
        self, first_probe_seconds: float = 900.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.first_probe_seconds = first_probe_seconds
        self._clock = clock
        self.paused = False
        self.probe_seconds = 0.0
        self.probe_at = 0.0  # clock time of the next try while paused
        self._probing = False
        self._changed = asyncio.Event()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def pause(self, probe_in: float | None = None) -> None:
        """Meta refused with 10/1893063: hold every send; the first try after `probe_in`
        seconds (default: the first wait, or twice the last one while still paused)."""
        if probe_in is None:
            probe_in = (
                min(MAX_PROBE_SECONDS, self.probe_seconds * 2)
                if self.paused and self.probe_seconds
                else self.first_probe_seconds
            )
        self.paused = True
        self.probe_seconds = probe_in
        self.probe_at = self._clock() + probe_in
        self._probing = False
        self._wake()

    def resume(self) -> None:
        """A send went through: every held message may go."""
        self.paused = False
        self.probe_seconds = 0.0
        self._probing = False
        self._wake()

    def probe_now(self) -> None:
        """A team lead asks to try again at once."""
        if self.paused:
            self.probe_at = self._clock()
            self._probing = False
            self._wake()

    def release_probe(self) -> None:
        """The probe did not reach Meta (another error): let the next waiting send probe."""
        self._probing = False
        self._wake()

    async def wait(self) -> bool:
        """Return when a send may go; True when this send is the probe of a paused Page."""
        while self.paused:
            changed = self._changed
            if not self._probing:
                delay = self.probe_at - self._clock()
                if delay <= 0:
                    self._probing = True
                    return True
                try:
                    async with asyncio.timeout(delay):
                        await changed.wait()
                except TimeoutError:
                    pass
            else:
                await changed.wait()
        return False
