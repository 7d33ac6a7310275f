"""The hardening issue's attacks against the real server on loopback, one test per "must fix" (and
the server-side "should fix" items), each bounded in count and time. Before the fixes each of these
failed; `tests/bench/attacks.py` measures the same attacks at full size (the figures are in the
issue's closing note).

1. slow readers and ephemeral floods    2. (client side: tests/reliability/test_hostile_text.py)
3. the sign-in limit under concurrency, across two instances sharing the database
4. an agent taking a colleague's thread  5. bad input → 4xx with the error shape, never a 500
6. request size limits                   7. media served inline only for raster images
"""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from websockets.asyncio.client import connect as ws_connect

from agent_desktop.server import testseed as seed
from agent_desktop.server.messenger.signature import sign
from tests.helpers.attacks import (
    EXTREME_DATES,
    HealthProbe,
    SlowReader,
    cursor_of,
    deep_array,
    deep_json,
    drain_all,
    raw_request,
    with_surrogate,
    ws_frame,
)
from tests.helpers.faults import FaultProxy
from tests.helpers.postgres import pg_url  # noqa: F401 (a fixture)
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import (
    AGENT2_EMAIL,
    AGENT_EMAIL,
    LEAD_EMAIL,
    PASSWORD,
    ROOT,
    InProcessServer,
    ServerProcess,
    auth_headers,
    login,
)
from tests.reliability.conftest import StoreFactory

APP_SECRET = "attack-app-secret"
MESSENGER_ENV = {
    "MESSENGER_APP_SECRET": APP_SECRET,
    "MESSENGER_VERIFY_TOKEN": "attack-verify",
    "MESSENGER_PAGE_TOKEN": "attack-page-token",
    "MESSENGER_GRAPH_URL": "http://127.0.0.1:9/v25.0",  # nothing listens: no call leaves loopback
}
QUEUE_LIMIT = 20  # frames a socket may fall behind on the attacked server (default 1000)
# Messages of 1,900 random characters (~4.3 KB events; ~1.6 KB once a client's per-message deflate
# has done what it can): FLOOD is several times what fills a socket's kernel buffers (~320 KB) and
# its queue, so a socket that reads nothing must be closed before the end.
FLOOD = 200
FLOOD_COMPRESSED = 400


def long_text(label: str) -> str:
    return f"{label} {secrets.token_urlsafe(1400)}"


MB = 1024 * 1024


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own (a subprocess), with the Messenger bridge on and a small queue bound."""
    with pytest.MonkeyPatch.context() as mp:
        for key, value in MESSENGER_ENV.items():
            mp.setenv(key, value)
        proc = ServerProcess(
            tmp_path_factory.mktemp("attacked"),
            ("--seed-test", "--ws-queue-limit", str(QUEUE_LIMIT)),
        )
        proc.start()
    yield proc
    proc.stop()


def customer_says(server: ServerProcess, text: str, thread_id: str = seed.T_WAITING) -> None:
    customers_say(server, [text], thread_id)


def customers_say(server: ServerProcess, texts: list[str], thread_id: str = seed.T_WAITING) -> None:
    """The customer writes each text, in order (one connection for all)."""
    with httpx.Client(base_url=server.api, timeout=30) as client:
        for text in texts:
            r = client.post(
                "/simulate/customer-message", json={"thread_id": thread_id, "text": text}
            )
            assert r.status_code == 201, r.text


def error_of(r: httpx.Response) -> dict[str, Any]:
    body = r.json()
    assert set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"].endswith("."), body
    assert "server_time" in body
    error: dict[str, Any] = body["error"]
    return error


# --- 2. slow readers, ephemeral floods -------------------------------------------------------------


async def _read_events(
    ws_url: str, token: str, until_text: str, within: float, ready: asyncio.Event
) -> list[str]:
    """A fast reader: the texts of every message.created it receives until `until_text`."""
    texts: list[str] = []
    async with ws_connect(ws_url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token, "after": -1}))
        async with asyncio.timeout(within):
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("type") == "ready":
                    ready.set()
                if frame.get("type") == "event" and frame["name"] == "message.created":
                    texts.append(frame["data"]["message"]["text"])
                    if texts[-1] == until_text:
                        return texts
    return texts


def test_sockets_that_never_read_are_closed_and_the_server_stays_up(
    attacked: ServerProcess,
) -> None:
    reader_token = login(attacked, AGENT_EMAIL)
    readers = [SlowReader(attacked.port, reader_token) for _ in range(20)]
    fast_token = login(attacked, AGENT2_EMAIL)
    lines_before = attacked.log_text().count("\n")
    probe = HealthProbe(f"{attacked.api}/health", every=0.25, timeout=10.0).start()
    texts = [long_text(f"flood {i}") for i in range(FLOOD)]
    try:
        fast = asyncio.run(_flood_and_read(attacked, fast_token, texts))
        drained = drain_all(readers, limit=20.0)
    finally:
        probe.stop()
        for r in readers:
            r.close()
    # Every slow socket was closed: by a 1013 close frame, or dropped when it could not even take
    # that; none is left open holding the server's memory.
    assert all(d.closed for d in drained), sum(not d.closed for d in drained)
    assert {d.code for d in drained} <= {1013, None}
    # The reader that keeps up got every event, in order; /health answered throughout.
    assert fast == texts
    assert probe.samples and probe.failures() == 0
    # No log line per frame or per failed send.
    assert attacked.log_text().count("\n") - lines_before < 20, attacked.log_text()[-2000:]


async def _flood_and_read(server: ServerProcess, token: str, texts: list[str]) -> list[str]:
    ready = asyncio.Event()
    reader = asyncio.create_task(_read_events(server.ws_url, token, texts[-1], 120, ready))
    async with asyncio.timeout(30):
        await ready.wait()
    await asyncio.to_thread(customers_say, server, texts)
    return await reader


def test_a_typing_flood_is_rate_limited_per_socket(attacked: ServerProcess) -> None:
    sender = login(attacked, AGENT2_EMAIL)
    receiver = login(attacked, LEAD_EMAIL)

    async def run() -> tuple[int, float]:
        async with ws_connect(attacked.ws_url) as rx:
            await rx.send(json.dumps({"type": "hello", "token": receiver, "after": -1}))
            async for raw in rx:
                if json.loads(raw).get("type") == "ready":
                    break
            started = time.monotonic()
            async with ws_connect(attacked.ws_url) as tx:
                await tx.send(json.dumps({"type": "hello", "token": sender, "after": -1}))
                frame = json.dumps({"type": "typing", "thread_id": seed.T_WAITING})
                for _ in range(2000):
                    await tx.send(frame)
            # The close handshake is done: the server has read (and relayed or dropped) the
            # flood, up to the few frames its protocol buffers. A customer message marks the end.
            marker = f"after the flood {uuid.uuid4().hex[:6]}"
            await asyncio.to_thread(customer_says, attacked, marker)
            typing = 0
            async with asyncio.timeout(30):
                async for raw in rx:
                    msg = json.loads(raw)
                    if msg.get("type") == "typing":
                        typing += 1
                    elif msg.get("type") == "event" and marker in raw:
                        break
            return typing, time.monotonic() - started

    relayed, seconds = asyncio.run(run())
    # One `typing` per thread and second at most, not 2,000.
    assert 1 <= relayed <= 2 + int(seconds), (relayed, seconds)


def test_an_oversized_websocket_frame_closes_the_socket(attacked: ServerProcess) -> None:
    token = login(attacked, AGENT_EMAIL)
    reader = SlowReader(attacked.port, token)
    try:
        big = json.dumps({"type": "typing", "thread_id": "x" * (200 * 1024)}).encode()
        reader.sock.sendall(ws_frame(big))
        _, code = reader.drain(limit=10.0)
    finally:
        reader.close()
    assert code == 1009  # "message too big", not 16 MB buffered per frame


async def test_a_client_that_falls_behind_resumes_and_misses_nothing(
    attacked: ServerProcess, make_store: StoreFactory, fault_proxy_factory: type[FaultProxy]
) -> None:
    """The real client behind a link that stops carrying the server's frames: the server closes
    its socket (1013, or drops it), the client reconnects with `after` and the replay brings every
    message exactly once."""
    proxy = fault_proxy_factory("127.0.0.1", attacked.port)
    proxy.upstream_rcvbuf = 8192  # a stalled link backs up to the server at once
    store = await make_store(proxy.url, email=LEAD_EMAIL)
    states: list[str] = []
    store.connectionChanged.connect(lambda info: states.append(info.state))
    conversation = await store.open_thread(seed.T_HUMAN_AGENT)
    proxy.pause()
    texts = [long_text(f"behind {i}") for i in range(FLOOD_COMPRESSED)]
    await asyncio.to_thread(customers_say, attacked, texts, seed.T_HUMAN_AGENT)
    proxy.resume()
    await wait_for_condition(
        lambda: [m.text for m in conversation.messages if m.text in texts] == texts, 60
    )
    await wait_for_condition(lambda: store.connection.state == "live", 30)
    assert "reconnecting" in states  # the server did close the socket that fell behind
    assert store.duplicates_skipped == 0


# --- 3. sign-in limit ------------------------------------------------------------------------------


async def _logins(api: str, bodies: list[dict[str, str]]) -> list[int]:
    limits = httpx.Limits(max_connections=len(bodies) + 5)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        answers = await asyncio.gather(*(client.post(f"{api}/auth/login", json=b) for b in bodies))
    return [a.status_code for a in answers]


@pytest.fixture(params=["sqlite", "postgresql"])
def two_instances(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Two server processes on one database: SQLite (WAL), and PostgreSQL when the suite has one
    (AGENT_DESKTOP_TEST_POSTGRES_URL), as instances behind a load balancer share it."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    first = ServerProcess(tmp_path / "one", ("--seed-test",), database_url=url)
    first.start()
    second = ServerProcess(tmp_path / "two", (), database_url=first.database_url)
    try:
        second.start()
        yield first, second
    finally:
        second.stop()
        first.stop()


def test_concurrent_guesses_on_two_instances_check_at_most_five_passwords(
    two_instances: tuple[ServerProcess, ServerProcess],
) -> None:
    one, two = two_instances

    async def race() -> list[int]:
        wrong = [{"email": LEAD_EMAIL, "password": f"guess-{i}"} for i in range(30)]
        a, b = await asyncio.gather(_logins(one.api, wrong[:15]), _logins(two.api, wrong[15:]))
        return a + b

    statuses = Counter(asyncio.run(race()))
    assert statuses[401] <= 5 and statuses[429] >= 25, statuses
    # Now the right password is refused too, on either instance, with a Retry-After.
    for server in (one, two):
        r = httpx.post(f"{server.api}/auth/login", json={"email": LEAD_EMAIL, "password": PASSWORD})
        assert r.status_code == 429
        assert error_of(r)["code"] == "too_many_attempts"
        assert 1 <= int(r.headers["retry-after"]) <= 60


def test_successful_sign_ins_do_not_use_the_allowance(attacked: ServerProcess) -> None:
    for _ in range(8):
        login(attacked, AGENT_EMAIL)


# --- 4. a colleague's thread -----------------------------------------------------------------------


def test_an_agent_cannot_take_a_colleagues_thread(attacked: ServerProcess) -> None:
    lead = auth_headers(login(attacked, LEAD_EMAIL))
    colleague = auth_headers(login(attacked, AGENT2_EMAIL))
    url = f"{attacked.api}/threads/{seed.T_ANSWERED}/assignment"
    assert httpx.post(url, json={"agent_id": seed.AGENT}, headers=lead).status_code == 200
    r = httpx.post(url, json={"agent_id": seed.AGENT2}, headers=colleague)
    assert r.status_code == 403 and error_of(r)["code"] == "forbidden"
    thread = httpx.get(f"{attacked.api}/threads/{seed.T_ANSWERED}", headers=lead).json()
    assert thread["assignee_id"] == seed.AGENT


# --- 5. bad input ----------------------------------------------------------------------------------


def bad_inputs() -> list[tuple[str, str, str, str, bytes | None]]:
    """(name, who, method, path, body): each must answer 4xx with the error shape."""
    t = seed.T_WAITING
    cases: list[tuple[str, str, str, str, bytes | None]] = [
        ("login nested 900 deep", "", "POST", "/auth/login", deep_json(900)),
        ("login nested 500 deep", "", "POST", "/auth/login", deep_json(500)),
        ("login nested 40 deep", "", "POST", "/auth/login", deep_json(40)),
        ("cursor nested", "agent", "GET", f"/threads?cursor={cursor_of(deep_array(5000))}", None),
        (
            "cursor Infinity",
            "agent",
            "GET",
            "/threads?cursor=" + cursor_of('{"g":Infinity,"t":"2026-01-01T00:00:00Z","i":"x"}'),
            None,
        ),
        (
            "cursor with a lone surrogate",
            "agent",
            "GET",
            "/threads?cursor=" + cursor_of('{"g":0,"t":"2026-01-01T00:00:00+00:00","i":"\\ud800"}'),
            None,
        ),
        ("a body nested 64 deep", "agent", "POST", f"/threads/{t}/read", deep_json(64)),
        (
            "reply text with a lone surrogate",
            "agent",
            "POST",
            f"/threads/{t}/messages",
            with_surrogate('{"client_id":"' + uuid.uuid4().hex + '","text":@S@,"kind":"note"}'),
        ),
        (
            "assignment to a lone surrogate",
            "agent",
            "POST",
            f"/threads/{t}/assignment",
            with_surrogate('{"agent_id":@S@}'),
        ),
        (
            "template with a lone surrogate",
            "agent",
            "POST",
            "/templates",
            with_surrogate('{"shortcut":"s","title":@S@,"body":"b","scope":"personal"}'),
        ),
        (
            "deep JSON on the Messenger send path",
            "agent",
            "POST",
            f"/threads/{t}/messages",
            deep_json(5000, key="text"),
        ),
        ("deep JSON to the webhook", "", "POST", "/webhooks/messenger", deep_json(5000)),
    ]
    for date in EXTREME_DATES:
        d = quote(date)
        cases += [
            (
                f"cursor at {date}",
                "agent",
                "GET",
                "/threads?cursor=" + cursor_of(json.dumps({"g": 0, "t": date, "i": "x"})),
                None,
            ),
            (f"metrics since {date}", "agent", "GET", f"/metrics?since={d}", None),
            (f"metrics until {date}", "agent", "GET", f"/metrics?until={d}", None),
            (f"metric messages since {date}", "agent", "GET", f"/metrics/messages?since={d}", None),
            (
                f"metric messages until {date}",
                "agent",
                "GET",
                f"/metrics/messages?since=2026-01-01T00:00:00Z&until={d}",
                None,
            ),
            (
                f"away period at {date}",
                "lead",
                "PUT",
                "/settings",
                json.dumps(
                    {
                        "target_seconds": 300,
                        "window_days": 7,
                        "away": [
                            {"start": date, "end": "2026-06-01T00:00:00Z"}
                            if date.startswith("0001")
                            else {"start": "2026-06-01T00:00:00Z", "end": date}
                        ],
                        "allowed_tags": ["HUMAN_AGENT"],
                    }
                ).encode(),
            ),
            (
                f"simulated message at {date}",
                "agent",
                "POST",
                "/simulate/customer-message",
                json.dumps({"thread_id": t, "text": "x", "created_at": date}).encode(),
            ),
        ]
    return cases


def test_bad_input_gets_a_4xx_with_the_error_shape_never_a_500(attacked: ServerProcess) -> None:
    tokens = {"agent": login(attacked, AGENT_EMAIL), "lead": login(attacked, LEAD_EMAIL)}
    log_before = attacked.log_path.stat().st_size
    answers: dict[str, int] = {}
    for name, who, method, path, body in bad_inputs():
        headers = {"Content-Type": "application/json"}
        if who:
            headers.update(auth_headers(tokens[who]))
        base = attacked.url if path.startswith("/webhooks/") else attacked.api
        with httpx.Client(base_url=base, timeout=30) as client:  # a fresh connection each
            r = client.request(method, path, content=body, headers=headers)
        answers[name] = r.status_code
        if 400 <= r.status_code < 500 and not path.startswith("/webhooks/"):
            error_of(r)
    assert {k: v for k, v in answers.items() if not 400 <= v < 500} == {}, answers
    # Nothing was logged: no traceback per hostile request.
    assert attacked.log_path.stat().st_size - log_before < 500, attacked.log_text()[-2000:]


# --- 6. request size -------------------------------------------------------------------------------


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_a_huge_body_is_refused_by_its_length_before_it_is_read(attacked: ServerProcess) -> None:
    for path in ("/api/v1/auth/login", "/webhooks/messenger", f"/api/v1/threads/{seed.T_WEB}/read"):
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {100 * MB}"
        )
        answer = raw_request(attacked.port, head, (), timeout=15)  # not a byte of the body sent
        assert answer, f"{path}: no answer without the body (the server waited for 100 MB)"
        assert _status(answer) == 413, answer[:200]


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(attacked: ServerProcess) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(4):  # 4 MiB at most, then the terminating chunk
            yield f"{MB:x}\r\n".encode() + b"a" * MB + b"\r\n"
        yield b"0\r\n\r\n"

    for path in ("/api/v1/auth/login", "/webhooks/messenger"):
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked"
        )
        answer = raw_request(attacked.port, head, chunks(), timeout=30)
        assert _status(answer) == 413, answer[:200]


# --- 7. media --------------------------------------------------------------------------------------


def test_media_serves_only_raster_images_inline(attacked: ServerProcess) -> None:
    folder = attacked.media_dir / "messenger"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evil.html").write_text("<script>alert(document.domain)</script>")
    (folder / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (folder / "page.xhtml").write_text("<html xmlns='http://www.w3.org/1999/xhtml'/>")
    for name in ("evil.html", "evil.svg", "page.xhtml"):
        r = httpx.get(f"{attacked.url}/media/messenger/{name}")
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/octet-stream", name
        assert r.headers["content-disposition"].startswith("attachment"), name
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert "sandbox" in r.headers["content-security-policy"]
    r = httpx.get(f"{attacked.url}/media/{seed.PRODUCT_IMAGE}")
    assert r.headers["content-type"] == "image/png"
    assert r.headers["content-disposition"].startswith("inline")
    assert "script-src" not in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


# --- should-fix items on the server ----------------------------------------------------------------


def test_a_client_id_reused_by_another_author_is_refused(attacked: ServerProcess) -> None:
    agent = auth_headers(login(attacked, AGENT_EMAIL))
    colleague = auth_headers(login(attacked, AGENT2_EMAIL))
    url = f"{attacked.api}/threads/{seed.T_WEB}/messages"
    cid = uuid.uuid4().hex
    first = httpx.post(url, json={"client_id": cid, "text": "mine", "kind": "note"}, headers=agent)
    assert first.status_code == 201
    again = httpx.post(url, json={"client_id": cid, "text": "mine", "kind": "note"}, headers=agent)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = httpx.post(
        url, json={"client_id": cid, "text": "theirs", "kind": "note"}, headers=colleague
    )
    assert other.status_code == 409 and error_of(other)["code"] == "client_id_taken"


def test_redirects_never_reflect_the_host_header(attacked: ServerProcess) -> None:
    token = login(attacked, AGENT_EMAIL)
    for path in ("/api/v1/threads/", "/api/v1/me/"):
        r = httpx.get(
            f"{attacked.url}{path}", headers={**auth_headers(token), "Host": "evil.example"}
        )
        assert r.status_code in (307, 308)
        assert r.headers["location"] == path.rstrip("/"), r.headers["location"]


def test_the_webhook_refuses_stale_messages(attacked: ServerProcess) -> None:
    agent = auth_headers(login(attacked, AGENT_EMAIL))
    marks = {}
    for label, at in (("old", datetime(2001, 9, 9, tzinfo=UTC)), ("new", datetime.now(UTC))):
        text = f"{label}-{uuid.uuid4().hex[:8]}"
        marks[label] = text
        ms = int(at.timestamp() * 1000)
        body = json.dumps(
            {
                "object": "page",
                "entry": [
                    {
                        "id": "1000001",
                        "time": ms,
                        "messaging": [
                            {
                                "sender": {"id": f"psid-{label}-{uuid.uuid4().hex[:6]}"},
                                "recipient": {"id": "1000001"},
                                "timestamp": ms,
                                "message": {"mid": f"m_{uuid.uuid4().hex}", "text": text},
                            }
                        ],
                    }
                ],
            }
        ).encode()
        r = httpx.post(
            f"{attacked.url}/webhooks/messenger",
            content=body,
            headers={"X-Hub-Signature-256": sign(body, APP_SECRET)},
        )
        assert r.status_code == 200

    def found(text: str) -> bool:
        page = httpx.get(f"{attacked.api}/threads", params={"q": text}, headers=agent).json()
        return bool(page["items"])

    deadline = time.monotonic() + 20
    while not found(marks["new"]):  # deliveries are applied in order: "old" was seen first
        assert time.monotonic() < deadline, "the fresh delivery was never applied"
        time.sleep(0.1)
    assert not found(marks["old"])


def test_simulation_is_for_loopback_demo_servers_only(attacked: ServerProcess) -> None:
    # 192.0.2.1 (TEST-NET-1) is not loopback and not an address of this machine: nothing can
    # listen there even if the refusal were missing.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent_desktop.server",
            "--seed-test",
            "--host",
            "192.0.2.1",
            "--port",
            "0",
            "--database",
            "sqlite+aiosqlite:///:memory:",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "loopback" in done.stderr


def test_in_process_server_answers_the_same(tmp_path: Path) -> None:
    """The limits live in the app, not in how it is started: the in-process server (tests, the
    embedded demo) refuses a deep body and an oversized one too."""
    proc = InProcessServer(tmp_path, ("--seed-test",)).start()
    try:
        r = httpx.post(f"{proc.api}/auth/login", content=deep_json(900))
        assert r.status_code == 400 and error_of(r)["code"] == "too_deep"
        r = httpx.post(f"{proc.api}/auth/login", content=b"{" + b" " * (2 * MB) + b"}")
        assert r.status_code == 413 and error_of(r)["code"] == "too_large"
    finally:
        proc.stop()
