"""The hardening issue's attacks, measured: run it before and after a fix and compare the figures.

    python tests/bench/attacks.py [--only slow,login,size,errors,media,other] [--readers 200]
                                  [--frames 20000] [--json]

Each attack gets a fresh reference server (a subprocess on 127.0.0.1, `--seed-test`, the Messenger
bridge configured with a Graph API address nothing listens on). Figures:

- events: N websockets that never read while customers write M long messages: how many readers
  the server closes, its memory and the kernel's TCP memory meanwhile.
- slow: N websockets that never read + M `typing` frames from a colleague as fast as they go:
  the worst `/health` latency during the flood, the seconds until `/health` answers quickly again
  after it, the server's peak resident memory, and the lines it logged.
- login: 40 concurrent wrong passwords then the right one; 200 concurrent guesses on another
  account: how many passwords were checked, in how long (guesses a minute).
- size: a 100 MB sign-in body (by Content-Length, and chunked) and a 100 MB webhook: the server's
  memory growth and the status.
- errors: each bad input of the issue's list: its status (500 = the bug) and the log it wrote.
- media: an HTML and an SVG attachment in the media folder: how they are served.
- other: the should-fix items (simulate without a token, per-author idempotency, webhook
  freshness, the trailing-slash redirect's Location with a foreign Host).

Bounded: every wait has a limit; a server that does not recover within it is reported as such.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from websockets.asyncio.client import connect as ws_connect  # noqa: E402

from agent_desktop.server import testseed as seed  # noqa: E402
from agent_desktop.server.messenger.signature import sign  # noqa: E402
from tests.helpers.attacks import (  # noqa: E402
    EXTREME_DATES,
    HealthProbe,
    SlowReader,
    cursor_of,
    deep_array,
    deep_json,
    drain_all,
    memory_mb,
    raw_request,
    wait_healthy,
    with_surrogate,
)
from tests.helpers.server_fixtures import (  # noqa: E402
    AGENT2_EMAIL,
    AGENT_EMAIL,
    LEAD_EMAIL,
    PASSWORD,
    ServerProcess,
    auth_headers,
    login,
)

APP_SECRET = "bench-app-secret"
MESSENGER_ENV = {
    "MESSENGER_APP_SECRET": APP_SECRET,
    "MESSENGER_VERIFY_TOKEN": "bench-verify",
    "MESSENGER_PAGE_TOKEN": "bench-page-token",
    "MESSENGER_GRAPH_URL": "http://127.0.0.1:9/v25.0",  # nothing listens: sends fail fast
}
MB = 1024 * 1024


def start_server(workdir: Path) -> ServerProcess:
    os.environ.update(MESSENGER_ENV)
    proc = ServerProcess(workdir, ("--seed-test",))
    return proc.start()


def log_lines(proc: ServerProcess) -> int:
    return proc.log_text().count("\n")


# --- slow readers -----------------------------------------------------------------------------


async def _flood(ws_url: str, token: str, frames: int) -> float:
    async with ws_connect(ws_url, max_queue=None) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token, "after": -1}))
        async for raw in ws:
            if json.loads(raw).get("type") == "ready":
                break
        started = time.monotonic()
        frame = json.dumps({"type": "typing", "thread_id": seed.T_WAITING})
        for _ in range(frames):
            await ws.send(frame)
        return time.monotonic() - started


def tcp_memory_mb() -> float:
    """Kernel memory held by all TCP sockets of the machine (/proc/net/sockstat, pages)."""
    with open("/proc/net/sockstat") as f:
        for line in f:
            if line.startswith("TCP:"):
                fields = line.split()
                return int(fields[fields.index("mem") + 1]) * os.sysconf("SC_PAGE_SIZE") / MB
    return 0.0


def event_flood(workdir: Path, readers: int, events: int) -> dict[str, Any]:
    """Sockets that never read while customers write `events` messages of 1,900 random
    characters: are the readers closed, what does the server hold meanwhile."""
    proc = start_server(workdir)
    try:
        assert proc.proc is not None
        pid = proc.proc.pid
        token = login(proc, AGENT_EMAIL)
        tcp_before = tcp_memory_mb()
        sockets = [SlowReader(proc.port, token) for _ in range(readers)]
        probe = HealthProbe(f"{proc.api}/health").start()
        started = time.monotonic()
        tcp_peak = 0.0
        with httpx.Client(base_url=proc.api, timeout=60) as client:
            for i in range(events):
                text = f"flood {i} {secrets.token_urlsafe(1400)}"
                r = client.post(
                    "/simulate/customer-message", json={"thread_id": seed.T_WAITING, "text": text}
                )
                r.raise_for_status()
                if i % 50 == 0:
                    tcp_peak = max(tcp_peak, tcp_memory_mb())
        posted = time.monotonic() - started
        tcp_peak = max(tcp_peak, tcp_memory_mb())
        mem = memory_mb(pid)
        drained = drain_all(sockets, limit=30.0)
        probe.stop()
        for s in sockets:
            s.close()
        return {
            "readers": readers,
            "events": events,
            "seconds_to_post": round(posted, 1),
            "readers_closed_by_the_server": sum(d.closed for d in drained),
            "with_a_1013_close_frame": sum(d.code == 1013 for d in drained),
            "health_worst_latency_s": round(probe.worst(started), 2),
            "server_rss_peak_mb": round(mem["peak"], 1),
            "kernel_tcp_memory_growth_mb": round(tcp_peak - tcp_before, 1),
        }
    finally:
        proc.kill()


def slow_readers(workdir: Path, readers: int, frames: int) -> dict[str, Any]:
    proc = start_server(workdir)
    try:
        assert proc.proc is not None
        pid = proc.proc.pid
        reader_token = login(proc, AGENT_EMAIL)
        sender_token = login(proc, AGENT2_EMAIL)
        before = memory_mb(pid)
        sockets = [SlowReader(proc.port, reader_token) for _ in range(readers)]
        lines_before = log_lines(proc)
        probe = HealthProbe(f"{proc.api}/health").start()
        started = time.monotonic()
        flood_seconds = asyncio.run(_flood(proc.ws_url, sender_token, frames))
        flood_end = time.monotonic()
        recovery = wait_healthy(f"{proc.api}/health", within=120.0)
        probe.stop()
        peak = memory_mb(pid)
        lines_during = log_lines(proc) - lines_before
        for s in sockets:
            s.close()
        closed_recovery = wait_healthy(f"{proc.api}/health", within=60.0)
        text = proc.log_text()
        common = Counter(
            line.split(":", 2)[0] + ":" + line.split(":", 2)[1][:60]
            for line in text.splitlines()
            if line.count(":") >= 2
        ).most_common(3)
        return {
            "readers": readers,
            "typing_frames": frames,
            "flood_seconds": round(flood_seconds, 2),
            "health_worst_latency_s": round(probe.worst(started), 2),
            "health_unanswered_probes": probe.failures(started),
            "health_fast_again_after_flood_s": (
                round(recovery, 2) if recovery is not None else "not within 120 s"
            ),
            "rss_before_mb": round(before["rss"], 1),
            "rss_peak_mb": round(peak["peak"], 1),
            "log_lines_during": lines_during,
            "log_lines_after_readers_closed": log_lines(proc) - lines_before - lines_during,
            "log_most_common": common,
            "health_fast_after_readers_closed_s": (
                round(closed_recovery, 2) if closed_recovery is not None else "not within 60 s"
            ),
            "seconds_total": round(time.monotonic() - started, 1),
            "_": flood_end,
        }
    finally:
        proc.kill()


# --- login ------------------------------------------------------------------------------------


async def _logins(api: str, bodies: list[dict[str, str]]) -> list[int]:
    limits = httpx.Limits(max_connections=len(bodies) + 5)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        answers = await asyncio.gather(*(client.post(f"{api}/auth/login", json=b) for b in bodies))
    return [a.status_code for a in answers]


def login_race(workdir: Path) -> dict[str, Any]:
    proc = start_server(workdir)
    try:
        wrong = [{"email": LEAD_EMAIL, "password": f"guess-{i}"} for i in range(40)]
        statuses = asyncio.run(
            _logins(proc.api, [*wrong, {"email": LEAD_EMAIL, "password": PASSWORD}])
        )
        race = Counter(statuses[:-1])
        right_in_race = statuses[-1]
        right = httpx.post(
            f"{proc.api}/auth/login", json={"email": LEAD_EMAIL, "password": PASSWORD}
        ).status_code
        guesses = [{"email": AGENT2_EMAIL, "password": f"g{i}"} for i in range(200)]
        started = time.monotonic()
        burst = Counter(asyncio.run(_logins(proc.api, guesses)))
        elapsed = time.monotonic() - started
        checked = burst.get(401, 0)
        pace = round(checked / elapsed * 60) if elapsed else 0
        return {
            "40_concurrent_wrong": dict(race),
            "the_right_one_among_them": right_in_race,
            "then_the_right_password": right,
            "200_concurrent_guesses": dict(burst),
            "passwords_checked": checked,
            "burst_seconds": round(elapsed, 2),
            # Without a limit, the pace of the burst; with one, what its window lets through.
            "passwords_checked_per_minute": checked if burst.get(429) else pace,
        }
    finally:
        proc.kill()


# --- size -------------------------------------------------------------------------------------


def _chunks(total: int, size: int = MB) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        yield b"a" * n
        sent += n


def _status(answer: bytes) -> int | str:
    try:
        return int(answer.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return "no answer"


def body_size(workdir: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    total = 100 * MB
    cases: list[tuple[str, str]] = [
        (
            "login_content_length",
            f"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
            f"Content-Type: application/json\r\nContent-Length: {total}",
        ),
        (
            "login_chunked",
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked",
        ),
        (
            "webhook_content_length",
            f"POST /webhooks/messenger HTTP/1.1\r\nHost: x\r\n"
            f"Content-Type: application/json\r\nContent-Length: {total}",
        ),
    ]
    for name, head in cases:
        proc = start_server(workdir / name)  # each on a fresh server: the peak is its own
        try:
            assert proc.proc is not None
            pid = proc.proc.pid
            before = memory_mb(pid)
            body: Iterator[bytes] = _chunked(total) if "chunked" in head else _chunks(total)
            started = time.monotonic()
            answer = raw_request(proc.port, head, body, timeout=120)
            after = memory_mb(pid)
            out[name] = {
                "status": _status(answer),
                "seconds": round(time.monotonic() - started, 2),
                "peak_growth_mb": round(after["peak"] - before["rss"], 1),
            }
        finally:
            proc.kill()
    return out


def _chunked(total: int) -> Iterator[bytes]:
    for c in _chunks(total):
        yield f"{len(c):x}\r\n".encode() + c + b"\r\n"
    yield b"0\r\n\r\n"


# --- bad input --------------------------------------------------------------------------------


def bad_inputs(workdir: Path) -> dict[str, Any]:
    proc = start_server(workdir)
    try:
        agent = auth_headers(login(proc, AGENT_EMAIL))
        lead = auth_headers(login(proc, LEAD_EMAIL))
        json_type = {"Content-Type": "application/json"}
        t = seed.T_WAITING
        future, past = quote(EXTREME_DATES[2]), quote(EXTREME_DATES[0])
        cases: list[tuple[str, str, str, dict[str, str], bytes | None]] = [
            ("deep JSON to login (900)", "POST", "/auth/login", {}, deep_json(900)),
            ("deep JSON to login (500)", "POST", "/auth/login", {}, deep_json(500)),
            ("cursor: deep", "GET", f"/threads?cursor={cursor_of(deep_array(5000))}", agent, None),
            (
                "cursor: Infinity",
                "GET",
                "/threads?cursor=" + cursor_of('{"g":Infinity,"t":"2026-01-01T00:00:00Z","i":"x"}'),
                agent,
                None,
            ),
            (
                "cursor: year 1 +14:00",
                "GET",
                "/threads?cursor="
                + cursor_of(json.dumps({"g": 0, "t": EXTREME_DATES[0], "i": "x"})),
                agent,
                None,
            ),
            (
                "cursor: lone surrogate id",
                "GET",
                "/threads?cursor="
                + cursor_of('{"g":0,"t":"2026-01-01T00:00:00+00:00","i":"\\ud800"}'),
                agent,
                None,
            ),
            ("metrics since year 1 +14:00", "GET", f"/metrics?since={past}", agent, None),
            ("metrics until 9999 -14:00", "GET", f"/metrics?until={future}", agent, None),
            ("metric messages since year 1", "GET", f"/metrics/messages?since={past}", agent, None),
            (
                "metric messages until 9999",
                "GET",
                f"/metrics/messages?since=2026-01-01T00:00:00Z&until={future}",
                agent,
                None,
            ),
            (
                "settings: away year 1",
                "PUT",
                "/settings",
                lead,
                json.dumps(
                    {
                        "target_seconds": 300,
                        "window_days": 7,
                        "away": [{"start": EXTREME_DATES[0], "end": "2026-01-01T00:00:00Z"}],
                        "allowed_tags": ["HUMAN_AGENT"],
                    }
                ).encode(),
            ),
            (
                "simulate created_at year 1",
                "POST",
                "/simulate/customer-message",
                agent,
                json.dumps({"thread_id": t, "text": "x", "created_at": EXTREME_DATES[0]}).encode(),
            ),
            (
                "reply text lone surrogate",
                "POST",
                f"/threads/{t}/messages",
                agent,
                with_surrogate('{"client_id":"' + uuid.uuid4().hex + '","text":@S@,"kind":"note"}'),
            ),
            (
                "assignment agent_id lone surrogate",
                "POST",
                f"/threads/{t}/assignment",
                agent,
                with_surrogate('{"agent_id":@S@}'),
            ),
            (
                "deep JSON to the Messenger send path",
                "POST",
                f"/threads/{t}/messages",
                agent,
                deep_json(5000, key="text"),
            ),
        ]
        out: dict[str, Any] = {}
        for name, method, path, headers, body in cases:
            size = proc.log_path.stat().st_size
            try:
                with httpx.Client(base_url=proc.api, timeout=30) as client:  # a fresh connection
                    r = client.request(method, path, content=body, headers={**headers, **json_type})
                status: int | str = r.status_code
            except httpx.HTTPError as exc:
                status = f"{type(exc).__name__} (server alive: {proc.running})"
            out[name] = {"status": status, "log_bytes": proc.log_path.stat().st_size - size}
            if not proc.running:
                out[name]["server_exit"] = proc.proc.returncode if proc.proc else None
                out[name]["log_tail"] = proc.log_text()[-300:]
                proc.start()
                agent.update(auth_headers(login(proc, AGENT_EMAIL)))
                lead.update(auth_headers(login(proc, LEAD_EMAIL)))
        return out
    finally:
        proc.kill()


# --- media ------------------------------------------------------------------------------------


def media(workdir: Path) -> dict[str, Any]:
    proc = start_server(workdir)
    try:
        folder = proc.media_dir / "messenger"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "evil.html").write_text("<script>alert(document.domain)</script>")
        (folder / "evil.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        )
        out: dict[str, Any] = {}
        for name in ("evil.html", "evil.svg"):
            r = httpx.get(f"{proc.url}/media/messenger/{name}")
            out[name] = {
                "status": r.status_code,
                "content_type": r.headers.get("content-type"),
                "content_disposition": r.headers.get("content-disposition"),
                "csp": r.headers.get("content-security-policy"),
                "nosniff": r.headers.get("x-content-type-options"),
            }
        return out
    finally:
        proc.kill()


# --- should-fix items -------------------------------------------------------------------------


def others(workdir: Path) -> dict[str, Any]:
    proc = start_server(workdir)
    try:
        out: dict[str, Any] = {}
        r = httpx.post(
            f"{proc.api}/simulate/customer-message", json={"thread_id": seed.T_WAITING, "text": "x"}
        )
        out["simulate_without_token"] = r.status_code
        agent = auth_headers(login(proc, AGENT_EMAIL))
        colleague = auth_headers(login(proc, AGENT2_EMAIL))
        lead = auth_headers(login(proc, LEAD_EMAIL))
        cid = uuid.uuid4().hex
        url = f"{proc.api}/threads/{seed.T_WAITING}/messages"
        first = httpx.post(
            url, json={"client_id": cid, "text": "first", "kind": "note"}, headers=agent
        )
        second = httpx.post(
            url, json={"client_id": cid, "text": "second", "kind": "note"}, headers=colleague
        )
        out["idempotency_other_author"] = {
            "first": first.status_code,
            "second": second.status_code,
            "second_got_text": second.json().get("text"),
        }
        httpx.post(
            f"{proc.api}/threads/{seed.T_ANSWERED}/assignment",
            json={"agent_id": seed.AGENT},
            headers=lead,
        )
        take = httpx.post(
            f"{proc.api}/threads/{seed.T_ANSWERED}/assignment",
            json={"agent_id": seed.AGENT2},
            headers=colleague,
        )
        out["agent_takes_colleagues_thread"] = take.status_code
        r = httpx.get(f"{proc.api}/threads/", headers={**agent, "Host": "evil.example"})
        out["trailing_slash"] = {
            "status": r.status_code,
            "location": r.headers.get("location"),
        }
        out["webhook_dated_2001"] = _webhook_dated(proc, agent, datetime(2001, 9, 9, tzinfo=UTC))
        return out
    finally:
        proc.kill()


def _webhook_dated(proc: ServerProcess, agent: dict[str, str], at: datetime) -> dict[str, Any]:
    text = f"old-{uuid.uuid4().hex[:8]}"
    body = json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "1000001",
                    "time": int(at.timestamp() * 1000),
                    "messaging": [
                        {
                            "sender": {"id": "psid-bench-old"},
                            "recipient": {"id": "1000001"},
                            "timestamp": int(at.timestamp() * 1000),
                            "message": {"mid": f"m_{uuid.uuid4().hex}", "text": text},
                        }
                    ],
                }
            ],
        }
    ).encode()
    r = httpx.post(
        f"{proc.url}/webhooks/messenger",
        content=body,
        headers={"X-Hub-Signature-256": sign(body, APP_SECRET), "Content-Type": "application/json"},
    )
    stored = False
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not stored:
        found = httpx.get(f"{proc.api}/threads", params={"q": text}, headers=agent).json()
        stored = bool(found.get("items"))
        if not stored:
            time.sleep(0.2)
    return {"status": r.status_code, "stored_as_a_message": stored}


ATTACKS: dict[str, Callable[..., dict[str, Any]]] = {
    "slow": slow_readers,
    "events": event_flood,
    "login": login_race,
    "size": body_size,
    "errors": bad_inputs,
    "media": media,
    "other": others,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(ATTACKS))
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--frames", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="attacks-") as tmp:
        for name in args.only.split(","):
            workdir = Path(tmp) / name
            if name == "slow":
                results[name] = slow_readers(workdir, args.readers, args.frames)
                results[name].pop("_", None)
            elif name == "events":
                results[name] = event_flood(workdir, args.readers, args.events)
            else:
                results[name] = ATTACKS[name](workdir)
            if not args.json:
                print(name, json.dumps(results[name], indent=2, ensure_ascii=False), flush=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
