"""Running the reference server: listen at once (answering "starting" meanwhile), open the database,
seed when asked, serve on uvicorn, start the demo simulator, and shut down cleanly on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import os
import signal
import socket
import threading
from collections.abc import Awaitable, Callable, Generator

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from agent_desktop.server.accounts import watch_sessions
from agent_desktop.server.app import create_app
from agent_desktop.server.context import ServerConfig, ServerContext, open_context
from agent_desktop.server.errors import server_time
from agent_desktop.server.windows import watch_windows

CLOSE_TRY_AGAIN_LATER = 1013

DEMO_SIMULATE_PER_MINUTE = 4.0
# A client frame is a hello, a ping or a typing/viewing signal: a few hundred bytes. Larger frames
# close the socket (1009) instead of being buffered (uvicorn's default allows 16 MiB).
WS_MAX_FRAME_BYTES = 64 * 1024
# How long an idle kept-alive HTTP connection stays open: longer than nginx keeps its idle
# upstream connections (packaging/deploy/nginx-agent-desktop.conf, keepalive_timeout 4s), so
# nginx closes them first and never reuses one this server is closing.
KEEP_ALIVE_SECONDS = 5


class _Server(uvicorn.Server):
    """uvicorn's server without re-raising the captured signal after shutdown, so our clean-up
    (simulator, database) runs and the process exits with status 0."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def is_loopback_host(host: str) -> bool:
    """A literal loopback address, or `localhost` itself."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket (port 0: a free one); OSError with a clear message when it is taken."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise OSError(f"cannot use the address {host}: {exc.strerror or exc}") from None
    if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise OSError(f"{host}:{port} is not available ({exc.strerror or exc})") from None
    sock.set_inheritable(True)
    return sock


class StartupGate:
    """The ASGI app uvicorn serves: until the real app is set (database open, schema migrated,
    seeds done) every HTTP request gets 503 `starting` (`GET /api/v1/health` says
    `{"status": "starting"}`) and websockets are accepted then closed with 1013 (try again
    later), which clients treat as a dropped connection to retry, not as a refusal."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.app is not None:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            if (await receive())["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                await send(
                    {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER, "reason": "starting"}
                )
            return
        if scope["type"] != "http":
            return
        if scope.get("path") == "/api/v1/health":
            body: dict[str, object] = {"status": "starting"}
        else:
            body = {
                "error": {
                    "code": "starting",
                    "message": "The server is starting; try again in a moment.",
                }
            }
        body["server_time"] = server_time()
        raw = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(raw)).encode()),
                    (b"retry-after", b"2"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": raw})


async def prepare(config: ServerConfig) -> ServerContext:
    """Open the database and run the seeds the configuration asks for."""
    ctx = await open_context(config)
    try:
        if config.seed_test:
            from agent_desktop.server.testseed import seed_test

            await seed_test(ctx)
        if config.demo:
            from agent_desktop.server.demo.seed import seed_demo

            if config.threads is not None:
                await seed_demo(ctx, threads=config.threads)
            else:
                await seed_demo(ctx)
    except BaseException:
        await ctx.aclose()
        raise
    return ctx


def _start_simulator(ctx: ServerContext) -> None:
    config = ctx.config
    if not config.demo:
        return
    rate = DEMO_SIMULATE_PER_MINUTE if config.simulate is None else config.simulate
    if rate <= 0:
        return
    from agent_desktop.server.demo.simulator import Simulator

    sim = Simulator(ctx, per_minute=float(rate))
    ctx.run_job("demo-simulator", sim.run)


async def serve(
    config: ServerConfig,
    *,
    on_ready: Callable[[str], None] | None = None,
    stop: asyncio.Event | None = None,
    on_prepared: Callable[[ServerContext], Awaitable[None]] | None = None,
) -> None:
    """Serve until SIGTERM/SIGINT (main thread) or until `stop` is set. The socket answers at once
    ("starting") while the database is opened and seeded; `on_prepared(ctx)` is awaited then,
    and `on_ready(url)` is called once the API answers (the port is the real one when 0 was
    asked)."""
    if config.simulation_enabled and not is_loopback_host(config.host):
        raise OSError(
            "--demo, --seed-test and --allow-simulation make a demo or test server (known "
            "passwords, a simulation endpoint without a token): it listens on loopback only, "
            f"not on {config.host}."
        )
    sock = bind_socket(config.host, config.port)  # a busy port fails before any seeding
    port = int(sock.getsockname()[1])
    settings = config.settings
    gate = StartupGate()
    uv_config = uvicorn.Config(
        gate,
        host=config.host,
        port=config.port,
        log_config=None,  # records go to the handlers of agent_desktop.server.logs
        log_level=str(settings["logging.level"]),
        access_log=bool(settings["logging.access_log"]),
        lifespan="off",
        ws="websockets-sansio",
        ws_ping_interval=None,
        ws_max_size=WS_MAX_FRAME_BYTES,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=2,
    )
    if settings["logging.access_log"]:
        logging.getLogger("uvicorn.access").setLevel(logging.INFO)
    server = _Server(uv_config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    ctx: ServerContext | None = None
    try:
        while not server.started:
            if task.done():
                with contextlib.suppress(SystemExit):
                    await task
                raise OSError(f"could not listen on {config.host}:{port}")
            await asyncio.sleep(0.02)
        config.port = port
        ctx = await prepare(config)
        if on_prepared is not None:
            await on_prepared(ctx)
        gate.app = create_app(ctx)
        if on_ready is not None:
            on_ready(f"http://{config.host}:{port}")
        if config.window_check_seconds > 0:
            interval = config.window_check_seconds
            ctx.run_job("reply-windows", lambda: watch_windows(ctx, interval))
        # Every instance checks its own open sockets against the session lifetimes.
        ctx.spawn(watch_sessions(ctx, settings["sessions.check_seconds"]), name="sessions")
        _start_simulator(ctx)
        if stop is not None:
            stopper = asyncio.create_task(stop.wait())
            await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if not task.done():
                ctx.hub.close_all()
                server.should_exit = True
            stopper.cancel()
        await task
    finally:
        if not task.done():  # start-up failed: stop listening before reporting it
            server.should_exit = True
            with contextlib.suppress(BaseException):
                await task
        if ctx is not None:
            await ctx.aclose()


class EmbeddedServer:
    """The server on its own event loop in a background thread (tests, embedding)."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.url = ""
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="agent-desktop-server", daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()

            def ready(url: str) -> None:
                self.url = url
                self._ready.set()

            await serve(self.config, on_ready=ready, stop=self._stop)

        try:
            asyncio.run(main())
        except BaseException as exc:
            self._error = exc
        finally:
            self._ready.set()

    def start(self, timeout: float = 30.0) -> EmbeddedServer:
        self._thread.start()
        if not self._ready.wait(timeout) or not self.url:
            raise RuntimeError(f"the embedded server did not start: {self._error!r}")
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
