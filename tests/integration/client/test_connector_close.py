"""Closing the connector while an exchange is under way leaves no socket behind.

A call begins by closing the pool's expired keep-alive connections; a cancellation that lands in
the middle of that drops the rest of them unclosed, and the garbage collector later reports
"unclosed transport" (the intermittent ResourceWarning at the end of UI tests, under load, when
connections sat idle past httpx's 5 s keep-alive). aclose() therefore lets the exchanges in flight
end before it closes the pool, and cancels only those still running after a bounded wait.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from typing import Any

import httpx
import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess


async def test_closing_during_an_exchange_leaves_no_socket_behind(
    server: ServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    unraisable: list[str] = []

    def record(u: Any) -> None:
        unraisable.append(f"{u.exc_type.__name__}: {u.exc_value}")

    monkeypatch.setattr(sys, "unraisablehook", record)
    for turns in range(12):
        transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(keepalive_expiry=0.05))
        backend = AgentApiBackend(server.url, retries=0, transport=transport)
        await backend.login(AGENT_EMAIL, PASSWORD)
        await asyncio.gather(*(backend.me() for _ in range(3)))  # three keep-alive connections
        await asyncio.sleep(0.2)  # idle past their expiry: the next call closes them first
        call = asyncio.ensure_future(backend.me())
        for _ in range(turns):  # close at every point of the call's way out
            await asyncio.sleep(0)
        await backend.aclose()
        await asyncio.wait([call])
        if not call.cancelled():
            call.exception()  # an error or a result, either is fine here
        gc.collect()
    assert [u for u in unraisable if "unclosed" in u] == []
