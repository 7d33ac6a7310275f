"""Loads pictures (avatars, product photos, attachments) from the backend only, and caches them.

Every request goes through `Backend.media`, which refuses other origins: customer-supplied URLs
never make the client contact a third party.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPixmap

log = logging.getLogger(__name__)


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
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: set[str] = set()
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
        if url in self._cache or url in self._pending or url in self._failed or self._fetch is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            try:
                loop = asyncio.get_event_loop()
            except RuntimeError:
                return
        self._pending[url] = loop.create_task(self._load(url))

    def pending(self) -> int:
        return len(self._pending)

    def is_loaded(self, url: str) -> bool:
        return url in self._cache

    async def _load(self, url: str) -> None:
        try:
            assert self._fetch is not None
            data = await self._fetch(url)
            pix = QPixmap()
            if not pix.loadFromData(data):
                self._failed.add(url)
                return
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
            self._failed.add(url)
        finally:
            self._pending.pop(url, None)

    def cancel_all(self) -> None:
        for task in list(self._pending.values()):
            task.cancel()
        self._pending.clear()
