"""The picture cache on its own: it keeps the pictures loaded last within its byte budget."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QImage

from agent_desktop.backends.base import NetworkError, NotFoundError
from agent_desktop.core.retry import RetryPolicy
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


async def test_a_picture_that_failed_is_tried_again_with_a_growing_delay(qapp: Any) -> None:
    """The network drops twice: the picture is fetched again by itself, later each time, and
    shown the third time (it used to be given up on for the life of the window)."""
    calls: list[str] = []

    async def fetch(url: str) -> bytes:
        calls.append(url)
        if len(calls) <= 2:
            raise NetworkError("The image could not be loaded: the backend is unreachable.")
        return png(10)

    url = "/media/a.png"
    loaded: list[str] = []
    cache = ImageCache(fetch, retry=RetryPolicy(base=0.05, jitter=0), clock=lambda: 1000.0)
    cache.loaded.connect(loaded.append)
    assert cache.pixmap(url) is None
    await wait_for_condition(lambda: cache.failures(url) == 1, 5)
    assert cache.next_try(url) == pytest.approx(1000.05)
    await wait_for_condition(lambda: cache.failures(url) == 2, 5)
    assert cache.next_try(url) == pytest.approx(1000.1)  # twice as long
    await wait_for_condition(lambda: cache.is_loaded(url), 5)
    assert loaded == [url] and len(calls) == 3
    assert cache.failures(url) == 0 and cache.next_try(url) is None


async def test_a_missing_picture_is_asked_for_again_only_after_the_cap(qapp: Any) -> None:
    """A 404 is not fetched again at every paint, nor by itself; once the cap has passed, the
    next paint that shows it asks again (it may have been uploaded since)."""
    now = [1000.0]
    calls: list[str] = []
    missing = True

    async def fetch(url: str) -> bytes:
        calls.append(url)
        if missing:
            raise NotFoundError("There is nothing at this address.")
        return png(10)

    cache = ImageCache(fetch, retry=RetryPolicy(cap=300), clock=lambda: now[0])
    cache.request("/media/gone.png")
    await wait_for_condition(lambda: cache.pending() == 0, 5)
    assert cache.failures("/media/gone.png") == 1
    for _ in range(50):  # fifty paints
        assert cache.pixmap("/media/gone.png") is None
    assert cache.pending() == 0 and calls == ["/media/gone.png"]
    now[0] += 301
    missing = False
    assert cache.pixmap("/media/gone.png") is None
    await wait_for_condition(lambda: cache.is_loaded("/media/gone.png"), 5)
    assert len(calls) == 2


async def test_retries_stop_with_the_window(qapp: Any) -> None:
    calls: list[str] = []

    async def fetch(url: str) -> bytes:
        calls.append(url)
        raise NetworkError("The image could not be loaded: the backend is unreachable.")

    cache = ImageCache(fetch, retry=RetryPolicy(base=0.05))
    cache.request("/media/x.png")
    await wait_for_condition(lambda: cache.pending() == 0 and len(calls) == 1, 5)
    cache.cancel_all()
    cache.set_fetch(None)
    probe = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_later(0.3, probe.set_result, None)
    await probe  # well past the first retry's delay
    assert calls == ["/media/x.png"]
