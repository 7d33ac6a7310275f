"""Loads pictures (avatars, product photos, attachments) from the backend only, and caches them.

Every request goes through `Backend.media`, which refuses other origins: customer-supplied URLs
never make the client contact a third party. A picture that failed is tried again: by itself with
a growing delay when the failure may pass (the network, the server), otherwise when it is next
shown after RETRY.cap seconds (a 404 may be uploaded later); never for every paint.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPixmap

from agent_desktop.backends.base import NetworkError, RateLimitedError, ServerError
from agent_desktop.core.retry import RetryPolicy
from agent_desktop.store.tasks import current_loop

log = logging.getLogger(__name__)

RETRY = RetryPolicy(base=2.0, cap=300.0)  # 2, 4, 8... s (± jitter) after each failure
AUTO_RETRIES = 5  # tries made without being asked (~2, 4, 8, 16, 32 s); then when next shown
TRANSIENT = (NetworkError, ServerError, RateLimitedError, TimeoutError, OSError)


@dataclass
class _Failure:
    count: int
    retry_at: float  # on the cache's clock
    timer: asyncio.TimerHandle | None = None


def pixel_bytes(pix: QPixmap) -> int:
    """The memory of a picture's decoded pixels."""
    return pix.width() * pix.height() * max(1, pix.depth()) // 8


class ImageCache(QObject):
    """The pictures loaded last, at most `limit` of them and `limit_bytes` of decoded pixels (a
    256 px picture is 256 KB decoded: 400 avatars of the thread list would be 100 MB).

    Signals: loaded(str url) once a requested picture is in the cache.
    """

    loaded = Signal(str)

    def __init__(
        self,
        fetch: Callable[[str], Awaitable[bytes]] | None = None,
        parent: QObject | None = None,
        limit: int = 400,
        limit_bytes: int = 32 * 1024 * 1024,
        *,
        retry: RetryPolicy = RETRY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: dict[str, _Failure] = {}
        self._retry_policy = retry
        self._clock = clock
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._limit = limit
        self._limit_bytes = limit_bytes
        self._bytes = 0

    def set_fetch(self, fetch: Callable[[str], Awaitable[bytes]] | None) -> None:
        self._fetch = fetch

    def pixmap(self, url: str | None) -> QPixmap | None:
        """The picture if loaded; otherwise starts loading it and returns None."""
        if not url:
            return None
        pix = self._cache.get(url)
        if pix is not None:
            self._cache.move_to_end(url)
            return pix
        self.request(url)
        return None

    def request(self, url: str) -> None:
        if url in self._cache or url in self._pending or self._fetch is None:
            return
        failure = self._failed.get(url)
        if failure is not None and self._clock() < failure.retry_at:
            return
        loop = current_loop()
        if loop is None:
            return
        self._pending[url] = loop.create_task(self._load(url))

    def pending(self) -> int:
        return len(self._pending)

    def is_loaded(self, url: str) -> bool:
        return url in self._cache

    def failures(self, url: str) -> int:
        """How many times in a row `url` failed to load (0 once it loads)."""
        failure = self._failed.get(url)
        return failure.count if failure is not None else 0

    def next_try(self, url: str) -> float | None:
        """When (on the cache's clock) `url` may be fetched again after failing; None if it has
        not failed."""
        failure = self._failed.get(url)
        return failure.retry_at if failure is not None else None

    def _failed_now(self, url: str, transient: bool) -> None:
        previous = self._failed.pop(url, None)
        if previous is not None and previous.timer is not None:
            previous.timer.cancel()
        count = previous.count + 1 if previous is not None else 1
        policy = self._retry_policy
        delay = policy.delay(count - 1) if transient else policy.cap
        failure = _Failure(count, self._clock() + delay)
        if transient and count <= AUTO_RETRIES:
            failure.timer = asyncio.get_running_loop().call_later(delay, self._retry, url)
        self._failed[url] = failure

    def _retry(self, url: str) -> None:
        failure = self._failed.get(url)
        if failure is not None:
            failure.timer = None
            failure.retry_at = self._clock()  # due now, whatever the clock's resolution
            self.request(url)

    async def _load(self, url: str) -> None:
        try:
            assert self._fetch is not None
            data = await self._fetch(url)
            pix = QPixmap()
            if not pix.loadFromData(data):
                log.info("could not load picture %s: not an image", url)
                self._failed_now(url, transient=False)
                return
            failure = self._failed.pop(url, None)
            if failure is not None and failure.timer is not None:
                failure.timer.cancel()
            self._cache[url] = pix
            self._bytes += pixel_bytes(pix)
            while len(self._cache) > self._limit or (
                self._bytes > self._limit_bytes and len(self._cache) > 1
            ):
                _url, old = self._cache.popitem(last=False)
                self._bytes -= pixel_bytes(old)
            self.loaded.emit(url)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a missing picture is not worth more than a log line
            log.info("could not load picture %s: %s", url, exc)
            self._failed_now(url, transient=isinstance(exc, TRANSIENT))
        finally:
            self._pending.pop(url, None)

    def cancel_all(self) -> None:
        for task in list(self._pending.values()):
            task.cancel()
        self._pending.clear()
        for failure in self._failed.values():
            if failure.timer is not None:
                failure.timer.cancel()
                failure.timer = None
