"""Server fan-out figure: N websocket clients on the live stream while messages are posted at a
fixed rate; prints one JSON object (delivery latency percentiles, events lost).

Latency = time a client received the event − the message's created_at (the server's clock, the
same clock on loopback)."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from datetime import datetime

import httpx
import websockets

PATTERN = re.compile(r"bench-fan (\d+)")


async def client(
    url: str,
    token: str,
    after: int,
    got: list[dict[int, float]],
    ready: asyncio.Event,
    stop: asyncio.Event,
    started: list[int],
) -> None:
    seen: dict[int, float] = {}
    got.append(seen)
    async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token, "after": after}))
        while True:
            raw = await ws.recv()
            if '"ready"' in raw[:40]:
                started.append(1)
                break
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), 0.5)
            except TimeoutError:
                continue
            now = time.time()
            m = PATTERN.search(raw if isinstance(raw, str) else raw.decode())
            if m and '"message.created"' in raw:
                seen.setdefault(int(m.group(1)), now)


async def current_seq(url: str, token: str) -> int:
    async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token, "after": 10**12}))
        while True:
            msg = json.loads(await ws.recv())
            if msg.get("type") == "ready":
                return int(msg["seq"])


async def main_async(base: str, clients: int, rate: float, seconds: float) -> dict[str, object]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        r = await http.post(
            "/api/v1/auth/login", json={"email": "lead@demo.test", "password": "demo"}
        )
        r.raise_for_status()
        token = r.json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        r = await http.get("/api/v1/threads", params={"assignee": "any", "limit": 200})
        thread_ids = [t["id"] for t in r.json()["items"]]
        ws_url = base.replace("http", "ws", 1) + "/api/v1/events"
        after = await current_seq(ws_url, token)
        got: list[dict[int, float]] = []
        started: list[int] = []
        stop = asyncio.Event()
        ready = asyncio.Event()
        tasks = [
            asyncio.create_task(client(ws_url, token, after, got, ready, stop, started))
            for _ in range(clients)
        ]
        while len(started) < clients:
            await asyncio.sleep(0.05)
            if any(t.done() for t in tasks):
                for t in tasks:
                    if t.done() and t.exception():
                        raise t.exception()  # type: ignore[misc]
        created: dict[int, float] = {}
        total = int(rate * seconds)
        t0 = time.perf_counter()
        for n in range(total):
            due = t0 + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            r = await http.post(
                "/api/v1/simulate/customer-message",
                json={"thread_id": thread_ids[n % len(thread_ids)], "text": f"bench-fan {n}"},
            )
            r.raise_for_status()
            created[n] = datetime.fromisoformat(r.json()["message"]["created_at"]).timestamp()
        deadline = time.time() + 10
        while time.time() < deadline and any(len(s) < total for s in got):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    lat = sorted(s[n] - created[n] for s in got for n in s if n in created)
    lost = sum(total - len([n for n in s if n in created]) for s in got)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(len(lat) * p))] * 1000 if lat else float("nan")

    return {
        "clients": clients,
        "posted": total,
        "delivered": len(lat),
        "lost": lost,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": lat[-1] * 1000 if lat else float("nan"),
    }


def main() -> int:
    base, clients, rate, seconds = (
        sys.argv[1],
        int(sys.argv[2]),
        float(sys.argv[3]),
        float(sys.argv[4]),
    )
    print(json.dumps(asyncio.run(main_async(base, clients, rate, seconds))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
