"""Fixtures for the Chatwoot connector's integration tests: the loopback stand-in, seeded, and
connectors with short timings signed in as its agent or its administrator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from agent_desktop.backends.chatwoot import ChatwootBackend
from tests.helpers.chatwoot_server import FakeChatwoot, running, seed


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatwoot]:
    server = FakeChatwoot(ping_interval=0.2)
    server.seeded = seed(server)  # type: ignore[attr-defined]
    async with running(server):
        yield server


@pytest.fixture
def seeded(fake: FakeChatwoot) -> dict[str, Any]:
    return fake.seeded  # type: ignore[attr-defined, no-any-return]


FAST = {
    "presence_interval": 0.5,
    "stale_after": 1.0,
    "subscribe_timeout": 2.0,
    "reconnect_base": 0.05,
    "reconnect_cap": 0.2,
    "retry_base": 0.01,
}


@pytest.fixture
async def make_backend(
    fake: FakeChatwoot,
) -> AsyncIterator[Callable[..., Awaitable[ChatwootBackend]]]:
    made: list[ChatwootBackend] = []

    async def make(user: str = "agent", account_id: int | None = 1, **kw: Any) -> ChatwootBackend:
        token = fake.seeded[user].access_token  # type: ignore[attr-defined]
        backend = ChatwootBackend(fake.url, account_id=account_id, token=token, **{**FAST, **kw})
        made.append(backend)
        return backend

    yield make
    for backend in made:
        await backend.aclose()


@pytest.fixture
async def backend(make_backend: Callable[..., Awaitable[ChatwootBackend]]) -> ChatwootBackend:
    return await make_backend()
