"""Readiness of a part the server starts in the background (the Messenger bridge, the Shopify
connector): it sets its flag once it can serve; a route that needs it waits a bounded time
(`wait_ready`) and answers 503 when the part did not come up."""

from __future__ import annotations

import asyncio


class StartsInBackground:
    """Base of a part started by `launch()` in a task; `_ready.set()` when it can serve."""

    def __init__(self) -> None:
        self._ready = asyncio.Event()

    @property
    def is_ready(self) -> bool:
        return self._ready.is_set()

    async def ready(self) -> None:
        """Wait until the part has started (a few milliseconds after the server's start-up)."""
        await self._ready.wait()

    async def wait_ready(self, within: float) -> bool:
        """Like `ready`, but gives up after `within` seconds (start-up failed): False then."""
        try:
            async with asyncio.timeout(within):
                await self._ready.wait()
        except TimeoutError:
            return False
        return True
