"""The FastAPI application of the reference server, built around a `ServerContext`."""

from __future__ import annotations

import importlib
import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agent_desktop.server import (
    media,
    routes_accounts,
    routes_auth,
    routes_health,
    routes_metrics_data,
    routes_team,
    routes_threads,
    ws,
)
from agent_desktop.server.context import ServerContext
from agent_desktop.server.errors import install_error_handlers
from agent_desktop.server.limits import RequestLimits
from agent_desktop.server.openapi_errors import errors

# Optional parts that add routes and hooks: each module, when present, defines
# `install(app: FastAPI, ctx: ServerContext) -> None` (the shop registers its endpoints and order
# sources, the Medusa connector its order source and polling when configured; the Messenger bridge
# registers its webhook routes and appends to `ctx.outbound_hooks`).
EXTENSIONS = (
    "agent_desktop.server.shop.app",
    "agent_desktop.server.medusa.app",
    "agent_desktop.server.messenger.routes",
)


def _install_extensions(app: FastAPI, ctx: ServerContext) -> None:
    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue  # that part is not in this build
            raise
        install = getattr(module, "install", None)
        if callable(install):
            install(app, ctx)


INSTANCE_HEADER = b"x-agent-desktop-instance"


class InstanceHeader:
    """Names the instance that answered, on every response and websocket handshake (operators
    behind a proxy see where a client landed; the cluster tests check the spread)."""

    def __init__(self, app: ASGIApp, name: str) -> None:
        self.app = app
        self.header = (INSTANCE_HEADER, re.sub(r"[^A-Za-z0-9._:@-]", "_", name)[:100].encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return

        async def send_named(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                headers: list[Any] = [*message.get("headers", []), self.header]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_named)


def _declare_body_limit(app: FastAPI) -> None:
    """Every operation that takes a body may answer 413 (RequestLimits): say so in the OpenAPI
    document."""
    for route in app.routes:
        if isinstance(route, APIRoute) and route.body_field is not None:
            for status, answer in errors(413).items():
                route.responses.setdefault(status, answer)


def create_app(ctx: ServerContext) -> FastAPI:
    """The Agent API v1 app, plus the installed extensions (the Messenger bridge)."""
    app = FastAPI(
        title="Agent Desktop reference server",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.ctx = ctx
    install_error_handlers(app)
    app.include_router(routes_health.router)
    app.include_router(routes_auth.router)
    app.include_router(routes_accounts.router)
    app.include_router(routes_threads.router)
    app.include_router(routes_team.router)
    app.include_router(routes_metrics_data.router)
    app.include_router(media.router)
    app.include_router(ws.router)
    _install_extensions(app, ctx)
    app.add_middleware(InstanceHeader, name=ctx.instance)
    _declare_body_limit(app)
    # Added last, so outermost: before any route or extension middleware sees a request.
    app.add_middleware(RequestLimits, max_body_bytes=ctx.config.max_body_bytes)
    app.add_middleware(ws.ConnectionAbort)
    return app
