"""A loopback stand-in for Meta's Graph API: the Send API, the user profile endpoint and an
attachment CDN. It records every request and answers with Meta's documented success and error
shapes; a recipient id can be scripted to fail (`fail_next`). `hold()` keeps Send API requests
waiting until `release()`: one whose caller disconnects meanwhile (its instance was killed) is
dropped unrecorded, as a request that never reached Meta.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from agent_desktop.loopback import free_port

VERSION = "v25.0"

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100055fe5d80000000049454e44ae426082"
)


def meta_error(code: int, subcode: int | None, message: str) -> dict[str, Any]:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGh123",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]


@dataclass
class FakeGraph:
    """Runs in a background thread; `base_url` is what MESSENGER_GRAPH_URL should be."""

    port: int = field(default_factory=free_port)
    requests: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[Scripted]] = field(default_factory=dict)
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=lambda: {"photo.png": PNG})
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _released: threading.Event = field(default_factory=threading.Event)
    _held: int = 0

    def __post_init__(self) -> None:
        self._released.set()

    def hold(self) -> None:
        """Keep Send API requests waiting (until `release`)."""
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def held_count(self) -> int:
        """Send API requests waiting now."""
        with self._lock:
            return self._held

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/{VERSION}"

    def fail_next(self, psid: str, status: int, code: int, subcode: int | None, msg: str) -> None:
        with self._lock:
            self.failures.setdefault(psid, []).append(
                Scripted(status, meta_error(code, subcode, msg))
            )

    def sends(self, psid: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [
                r["json"]
                for r in self.requests
                if r["path"].endswith("/me/messages")
                and (psid is None or r["json"].get("recipient", {}).get("id") == psid)
            ]

    def wait_sends(self, psid: str, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sends(psid)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} sends to {psid}, got {self.sends(psid)}")

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post(f"/{VERSION}/me/messages")
        async def send(request: Request) -> Response:
            body = await request.json()
            if not self._released.is_set():
                with self._lock:
                    self._held += 1
                try:
                    while not self._released.is_set():
                        if await request.is_disconnected():
                            return Response(status_code=499)  # the caller died: never reached
                        await asyncio.sleep(0.02)
                finally:
                    with self._lock:
                        self._held -= 1
            psid = str(body.get("recipient", {}).get("id", ""))
            with self._lock:
                self.requests.append(
                    {"path": request.url.path, "query": dict(request.query_params), "json": body}
                )
                queued = self.failures.get(psid)
                scripted = queued.pop(0) if queued else None
                if not request.query_params.get("access_token"):
                    scripted = Scripted(400, meta_error(190, None, "Invalid OAuth access token."))
                number = next(self._ids)
            if scripted is not None:
                return JSONResponse(scripted.body, status_code=scripted.status)
            return JSONResponse({"recipient_id": psid, "message_id": f"m_fake_{number}"})

        @app.get("/cdn/{name}")
        async def cdn(name: str) -> Response:
            data = self.files.get(name)
            if data is None:
                return Response(status_code=404)
            mime = "image/png" if name.endswith(".png") else "application/octet-stream"
            return Response(data, media_type=mime)

        @app.get(f"/{VERSION}/{{psid}}")
        async def profile(psid: str, request: Request) -> JSONResponse:
            with self._lock:
                self.requests.append(
                    {"path": request.url.path, "query": dict(request.query_params), "json": {}}
                )
            known = self.profiles.get(psid)
            if known is None:
                return JSONResponse(
                    meta_error(100, 33, "Object does not exist or cannot be loaded."), 400
                )
            return JSONResponse({"id": psid, **known})

        return app


class FakeGraphServer:
    """Starts a FakeGraph under uvicorn in a daemon thread; stop() shuts it down."""

    def __init__(self) -> None:
        self.graph = FakeGraph()
        config = uvicorn.Config(
            self.graph.app(),
            host="127.0.0.1",
            port=self.graph.port,
            log_level="warning",
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> FakeGraph:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Graph API did not start")
            time.sleep(0.01)
        return self.graph

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
