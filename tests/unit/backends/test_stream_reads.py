"""The event stream's socket is read READ_CHUNK bytes at a time: a burst of queued events (a
client resumed after a sleep, a reconnection's replay) is parsed in several short callbacks, with
paints between them, not ~430 frames in one 26 ms callback (asyncio reads 256 KiB at once)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from agent_desktop.backends.agent_api_stream import READ_CHUNK, read_in_chunks


async def test_a_socket_transport_reads_in_chunks() -> None:
    accepted: list[asyncio.StreamWriter] = []
    came = asyncio.Event()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)
        came.set()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
    try:
        assert transport.max_size > READ_CHUNK  # type: ignore[attr-defined]
        read_in_chunks(transport)
        assert transport.max_size == READ_CHUNK  # type: ignore[attr-defined]
    finally:
        transport.close()
        await asyncio.wait_for(came.wait(), 5)  # the server's side, to close it too
        for writer in accepted:
            writer.close()
            await writer.wait_closed()
        server.close()
        await server.wait_closed()


def test_a_transport_without_a_read_size_is_left_alone() -> None:
    tls = SimpleNamespace()
    read_in_chunks(tls)
    assert not hasattr(tls, "max_size")
    read_in_chunks(None)
