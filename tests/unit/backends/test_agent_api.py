"""The Agent API connector over an in-process httpx transport: retries, validation, media origin,
clock offset and the parsing of stream frames (the real-server tests are in tests/integration)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.agent_api_stream import MAX_FRAME_BYTES
from agent_desktop.backends.base import (
    AuthError,
    Backend,
    BackendError,
    ConflictError,
    Ephemeral,
    NetworkError,
    ProtocolError,
    Ready,
    Resync,
    ServerError,
)
from agent_desktop.core.types import Event

URL = "http://127.0.0.1:9"
AGENT = {"id": "a1", "name": "Ann", "email": "ann@x.test", "role": "agent", "presence": "online"}
NOW = "2026-03-20T12:00:00Z"
MESSAGE = {
    "id": "m1",
    "thread_id": "t1",
    "client_id": "c1",
    "author": {"kind": "agent", "id": "a1", "name": "Ann"},
    "text": "Bonjour",
    "created_at": NOW,
}

Handler = Callable[[httpx.Request], httpx.Response]


def backend_with(handler: Handler, **kwargs: object) -> tuple[AgentApiBackend, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    backend = AgentApiBackend(
        URL,
        token="tok",
        retry_base=0.001,
        transport=httpx.MockTransport(record),
        **kwargs,  # type: ignore[arg-type]
    )
    return backend, seen


async def test_implements_the_backend_protocol() -> None:
    backend, _ = backend_with(lambda r: httpx.Response(200, json={}))
    assert isinstance(backend, Backend)
    assert backend.kind == "agent-api"
    await backend.aclose()


async def test_get_is_retried_on_5xx_then_succeeds() -> None:
    answers = iter([503, 502, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        if status != 200:
            return httpx.Response(status, json={"error": {"code": "down", "message": "Down."}})
        return httpx.Response(200, json={**AGENT, "server_time": NOW})

    backend, seen = backend_with(handler)
    agent = await backend.me()
    assert agent.name == "Ann"
    assert len(seen) == 3
    assert seen[0].headers["Authorization"] == "Bearer tok"
    await backend.aclose()


async def test_get_gives_up_after_the_retries_with_the_server_sentence() -> None:
    backend, seen = backend_with(
        lambda r: httpx.Response(500, json={"error": {"code": "boom", "message": "Boom."}}),
        retries=2,
    )
    with pytest.raises(ServerError, match="Boom"):
        await backend.agents()
    assert len(seen) == 3
    await backend.aclose()


async def test_connection_errors_are_retried_for_get_and_become_network_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    backend, seen = backend_with(handler, retries=2)
    with pytest.raises(NetworkError, match="Cannot reach"):
        await backend.templates()
    assert len(seen) == 3
    await backend.aclose()


async def test_login_is_never_retried() -> None:
    backend, seen = backend_with(lambda r: httpx.Response(503))
    with pytest.raises(ServerError):
        await backend.login("ann@x.test", "pw")
    assert len(seen) == 1
    await backend.aclose()


async def test_plain_posts_are_not_retried_but_send_is() -> None:
    backend, seen = backend_with(lambda r: httpx.Response(503))
    with pytest.raises(ServerError):
        await backend.set_status("t1", "resolved")
    assert len(seen) == 1
    seen.clear()
    with pytest.raises(ServerError):
        await backend.send_message("t1", client_id="c1", text="x", kind="reply")
    assert len(seen) == 4
    bodies = {r.content for r in seen}
    assert len(bodies) == 1  # the same client_id every time
    assert json.loads(seen[0].content)["client_id"] == "c1"
    await backend.aclose()


async def test_http_errors_map_to_exceptions_with_the_server_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/login"):
            return httpx.Response(
                401, json={"error": {"code": "bad", "message": "Wrong password."}}
            )
        return httpx.Response(409, json={"error": {"code": "window", "message": "Window closed."}})

    backend, _ = backend_with(handler)
    with pytest.raises(AuthError, match="Wrong password"):
        await backend.login("ann@x.test", "pw")
    with pytest.raises(ConflictError, match="Window closed") as err:
        await backend.send_message("t1", client_id="c1", text="x", kind="reply")
    assert err.value.status == 409
    await backend.aclose()


@pytest.mark.parametrize(
    "body",
    [
        {"id": "m1"},  # missing fields
        {**MESSAGE, "created_at": "yesterday"},
        {**MESSAGE, "author": {"kind": "robot"}},
        ["not", "an", "object"],
    ],
)
async def test_malformed_payload_raises_protocol_error(body: object) -> None:
    backend, _ = backend_with(lambda r: httpx.Response(200, json=body))
    with pytest.raises(ProtocolError, match="malformed"):
        await backend.send_message("t1", client_id="c1", text="x", kind="reply")
    await backend.aclose()


async def test_non_json_answer_is_a_protocol_error() -> None:
    backend, _ = backend_with(lambda r: httpx.Response(200, text="<html>hello</html>"))
    with pytest.raises(ProtocolError, match="not JSON"):
        await backend.me()
    await backend.aclose()


async def test_login_sets_the_token_and_server_time_sets_the_offset() -> None:
    ahead = datetime.now(UTC) + timedelta(minutes=10)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            201, json={"token": "new", "agent": AGENT, "server_time": ahead.isoformat()}
        )

    backend, _ = backend_with(handler)
    result = await backend.login("ann@x.test", "pw")
    assert result.agent.email == "ann@x.test"
    assert backend.token == "new"
    assert backend.clock_offset == pytest.approx(600, abs=5)
    await backend.aclose()


async def test_media_refuses_other_origins() -> None:
    backend, seen = backend_with(lambda r: httpx.Response(200, content=b"PNG"))
    assert await backend.media("/media/p/1.png") == b"PNG"
    assert await backend.media(f"{URL}/media/p/2.png") == b"PNG"
    for url in ["https://evil.test/x.png", "http://127.0.0.1:10/x.png", "//evil.test/x.png"]:
        with pytest.raises(BackendError, match="another site"):
            await backend.media(url)
    assert len(seen) == 2
    await backend.aclose()


def test_frames_are_parsed_or_skipped(caplog: pytest.LogCaptureFixture) -> None:
    backend = AgentApiBackend(URL)
    event = {"type": "event", "seq": 3, "name": "thread.updated", "data": {"thread": {}}}
    assert backend._frame(json.dumps(event)) == Event(
        seq=3, name="thread.updated", data={"thread": {}}
    )
    ready = backend._frame(json.dumps({"type": "ready", "seq": 7, "server_time": NOW}))
    assert isinstance(ready, Ready) and ready.seq == 7
    assert isinstance(backend._frame('{"type": "resync"}'), Resync)
    typing = backend._frame(
        json.dumps({"type": "typing", "thread_id": "t1", "agent_id": "a2", "agent_name": "Bo"})
    )
    assert typing == Ephemeral("typing", {"thread_id": "t1", "agent_id": "a2", "agent_name": "Bo"})
    for bad in [
        "not json",
        "[1, 2]",
        json.dumps({"type": "event", "seq": "x", "name": "n", "data": {}}),
        json.dumps({"type": "event", "seq": 1, "name": "n"}),
        json.dumps({"type": "ready"}),
        json.dumps({"type": "mystery"}),
        json.dumps({"type": "event", "seq": 1, "name": "n", "data": {"x": "y" * MAX_FRAME_BYTES}}),
    ]:
        assert backend._frame(bad) is None
    assert "oversized" in caplog.text
    assert "not JSON" in caplog.text


def test_httpcore_finds_no_sniffio_without_searching_the_path_each_time() -> None:
    """httpcore imports sniffio on every request; when it is not installed, the miss is made
    immediate (issue 22: each searched sys.path, a few times per request)."""
    import importlib.util
    import sys

    import httpcore._synchronization

    from agent_desktop.backends.agent_api_client import no_sniffio

    installed = "sniffio" in sys.modules or importlib.util.find_spec("sniffio") is not None
    no_sniffio()
    assert httpcore._synchronization.current_async_library() in ("asyncio", "trio")
    if not installed:
        assert sys.modules["sniffio"] is None
        with pytest.raises(ImportError):
            import sniffio  # noqa: F401


def test_metrics_data_shares_one_string_per_agent() -> None:
    """The dashboard keeps every message of its window: an agent's id is one object, not a
    copy per message as the JSON decoder makes them."""
    from agent_desktop.backends.agent_api import _metrics_data

    body = json.loads(
        json.dumps(
            {
                "since": NOW,
                "until": NOW,
                "threads": [
                    {
                        "id": f"t{i}",
                        "messages": [
                            {"id": f"m{i}c", "at": NOW, "author": "customer"},
                            {"id": f"m{i}a", "at": NOW, "author": "agent", "agent_id": "a1"},
                        ],
                    }
                    for i in range(3)
                ],
            }
        )
    )
    data = _metrics_data(body)
    agent_ids = [m.agent_id for t in data.threads for m in t.messages if m.author == "agent"]
    assert agent_ids == ["a1", "a1", "a1"]
    assert all(a is agent_ids[0] for a in agent_ids)
    authors = [m.author for t in data.threads for m in t.messages]
    assert all(a is authors[0] for a in authors[::2])
    assert data.message_ids == {f"m{i}{k}" for i in range(3) for k in "ca"}


async def test_an_answer_is_freed_without_the_cyclic_collector() -> None:
    """httpx binds a response's stream to the response (a reference cycle): the app freezes its
    heap after the first load (gc.freeze), and the pages' answers still waiting for a collection
    then were kept for the day. Once read, an answer is freed by its reference count alone."""
    import asyncio
    import gc
    import weakref

    answers: list[weakref.ref[httpx.Response]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(200, json=AGENT)
        answers.append(weakref.ref(response))
        return response

    backend, _ = backend_with(handler)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        agent = await backend.me()
        assert agent.name == "Ann"
        for _ in range(2):  # the exchange's task and its shield let go on the loop's next turns
            await asyncio.sleep(0)
        assert len(answers) == 1
        assert answers[0]() is None
    finally:
        if was_enabled:
            gc.enable()
        await backend.aclose()
