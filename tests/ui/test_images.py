"""The picture cache on its own: it keeps the pictures loaded last within its byte budget."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QImage

from agent_desktop.ui.images import ImageCache
from tests.helpers.qasync_loop import wait_for_condition


def png(side: int) -> bytes:
    image = QImage(side, side, QImage.Format.Format_ARGB32)
    image.fill(0xFF336699)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


async def test_the_cache_keeps_the_last_pictures_within_its_byte_budget(qapp: Any) -> None:
    async def fetch(url: str) -> bytes:
        return png(100)  # 40,000 bytes decoded

    cache = ImageCache(fetch, limit_bytes=100_000)
    urls = [f"/media/p{i}.png" for i in range(5)]
    for url in urls:
        cache.request(url)
        await wait_for_condition(lambda: cache.pending() == 0, 5)
    assert [cache.is_loaded(u) for u in urls] == [False, False, False, True, True]
    assert cache.pixmap(urls[-1]) is not None


async def test_a_picture_larger_than_the_budget_is_still_kept(qapp: Any) -> None:
    async def fetch(url: str) -> bytes:
        return png(200)  # 160,000 bytes decoded

    cache = ImageCache(fetch, limit_bytes=100_000)
    cache.request("/media/big.png")
    await wait_for_condition(lambda: cache.pending() == 0, 5)
    assert cache.is_loaded("/media/big.png")
