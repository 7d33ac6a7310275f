"""The Agent API connector against the real server: every call validated, errors mapped to the
server's sentences, the send idempotent on client_id, media only from the backend, 4401 on sign-out."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.base import (
    AuthError,
    BackendError,
    ConflictError,
    Ephemeral,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    Ready,
    StreamState,
    ValidationError,
)
from agent_desktop.core.types import Event
from agent_desktop.store.credentials import Credentials, sign_out
from tests.helpers.server_fixtures import AGENT2_EMAIL, AGENT_EMAIL, PASSWORD, ServerProcess
from tests.integration.client.conftest import FAST, customer_writes, signed_in

T_WAITING = "t_camille"
T_CLOSED = "t_olga"


async def test_reads_every_resource(shared_server: ServerProcess) -> None:
    backend = await signed_in(shared_server.url)
    try:
        me = await backend.me()
        assert me.email == AGENT_EMAIL
        assert {a.email for a in await backend.agents()} >= {AGENT_EMAIL, AGENT2_EMAIL}
        page = await backend.threads(limit=2)
        assert len(page.items) == 2 and page.next_cursor
        rest = await backend.threads(limit=200, cursor=page.next_cursor)
        assert not {t.id for t in page.items} & {t.id for t in rest.items}
        thread = await backend.thread(T_WAITING)
        customer = await backend.customer(thread.customer.id)
        orders = await backend.orders(customer.id)
        assert orders and orders[0].items
        assert (await backend.messages(T_WAITING)).items
        assert await backend.templates()
        assert (await backend.settings()).target_seconds > 0
        report = await backend.metrics()
        assert report.team is not None
        image_url = next(i.image_url for o in orders for i in o.items if i.image_url)
        assert (await backend.media(image_url)).startswith(b"\x89PNG")
        with pytest.raises(BackendError, match="another site"):
            await backend.media("https://example.com/tracker.png")
        assert abs(backend.clock_offset) < 5
    finally:
        await backend.aclose()


async def test_errors_carry_the_servers_sentence(shared_server: ServerProcess) -> None:
    anonymous = AgentApiBackend(shared_server.url, **FAST)
    backend = await signed_in(shared_server.url)
    try:
        with pytest.raises(AuthError) as bad_login:
            await anonymous.login(AGENT_EMAIL, "wrong")
        assert str(bad_login.value).endswith(".")
        with pytest.raises(AuthError):
            await anonymous.me()
        with pytest.raises(NotFoundError):
            await backend.thread("no-such-thread")
        with pytest.raises(ConflictError) as closed:
            await backend.send_message(
                T_CLOSED, client_id=str(uuid.uuid4()), text="x", kind="reply"
            )
        assert str(closed.value)
        with pytest.raises(ValidationError):
            await backend.send_message(
                T_WAITING, client_id=str(uuid.uuid4()), text="x" * 2001, kind="reply"
            )
        with pytest.raises(ForbiddenError):
            await backend.update_settings((await backend.settings()).model_copy())
    finally:
        await anonymous.aclose()
        await backend.aclose()


async def test_send_is_idempotent_on_client_id(shared_server: ServerProcess) -> None:
    backend = await signed_in(shared_server.url)
    try:
        client_id = str(uuid.uuid4())
        first = await backend.send_message(
            T_WAITING, client_id=client_id, text="Une fois", kind="reply"
        )
        again = await backend.send_message(
            T_WAITING, client_id=client_id, text="Une fois", kind="reply"
        )
        assert first.id == again.id
        page = await backend.messages(T_WAITING, limit=200)
        assert [m.client_id for m in page.items].count(client_id) == 1
    finally:
        await backend.aclose()


async def test_unreachable_backend_is_a_network_error() -> None:
    backend = AgentApiBackend("http://127.0.0.1:9", **FAST)
    try:
        with pytest.raises(NetworkError, match="Cannot reach"):
            await backend.login(AGENT_EMAIL, PASSWORD)
    finally:
        await backend.aclose()


async def test_stream_replays_then_goes_live_and_ends_on_sign_out(
    shared_server: ServerProcess,
) -> None:
    backend = await signed_in(shared_server.url)
    other = await signed_in(shared_server.url, AGENT2_EMAIL)
    items: list[object] = []
    stream = backend.stream(0)
    try:
        async with asyncio.timeout(30):
            async for item in stream:
                items.append(item)
                if isinstance(item, StreamState) and item.state == "live":
                    break
            ready = next(i for i in items if isinstance(i, Ready))
            await customer_writes(shared_server.url, T_WAITING, "Un nouveau message")
            await other.send_ephemeral("typing", {"thread_id": T_WAITING})  # not connected: dropped
            async for item in stream:
                if isinstance(item, Event):
                    assert item.seq > ready.seq
                    assert item.name in ("message.created", "thread.updated")
                    break
            old_token = backend.token
            await sign_out(backend, Credentials(shared_server.url), AGENT_EMAIL)
            async for item in stream:
                if isinstance(item, StreamState) and item.state == "signed_out":
                    break
            else:
                pytest.fail("the stream ended without reporting the sign-out")
        seqs = [i.seq for i in items if isinstance(i, Event)]
        assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
        assert backend.token is None
        revoked = AgentApiBackend(shared_server.url, token=old_token, **FAST)
        try:
            with pytest.raises(AuthError):
                await revoked.me()  # the token was revoked server-side
        finally:
            await revoked.aclose()
    finally:
        await stream.aclose()  # type: ignore[attr-defined]
        await backend.aclose()
        await other.aclose()


async def test_typing_reaches_the_other_agent(shared_server: ServerProcess) -> None:
    first = await signed_in(shared_server.url)
    second = await signed_in(shared_server.url, AGENT2_EMAIL)
    seen: list[Ephemeral] = []
    stream_a = first.stream(10**6)
    stream_b = second.stream(10**6)

    async def until_live(stream: object) -> None:
        async for item in stream:  # type: ignore[attr-defined]
            if isinstance(item, StreamState) and item.state == "live":
                return

    try:
        async with asyncio.timeout(30):
            await until_live(stream_a)
            await until_live(stream_b)
            await second.send_ephemeral("typing", {"thread_id": T_WAITING})
            async for item in stream_a:
                if isinstance(item, Ephemeral):
                    seen.append(item)
                    break
        assert seen[0].name == "typing"
        assert seen[0].data["thread_id"] == T_WAITING
        assert seen[0].data["agent_name"]
    finally:
        await stream_a.aclose()  # type: ignore[attr-defined]
        await stream_b.aclose()  # type: ignore[attr-defined]
        await first.aclose()
        await second.aclose()
