"""The reference server's error shape: `{"error": {"code", "message"}, "server_time"}` with a
fitting 4xx status, for our own errors, FastAPI's validation errors and Starlette's 404/405.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from agent_desktop.server.models import utcnow

Row = TypeVar("Row")

log = logging.getLogger(__name__)

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
}


class ApiError(Exception):
    """Raised by handlers and turned into the error shape."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def server_time() -> str:
    return utcnow().isoformat().replace("+00:00", "Z")


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message}, "server_time": server_time()}
    return JSONResponse(body, status_code=status, headers=headers)


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"No {what} with that id.")


async def get_or_404(session: AsyncSession, model: type[Row], key: str, what: str) -> Row:
    """The `model` row of primary key `key`, or 404 "No {what} with that id."."""
    row = await session.get(model, key)
    if row is None:
        raise not_found(what)
    return row


def _describe(errors: list[Any]) -> tuple[int, str, str]:
    """Status, code and a sentence for FastAPI's validation errors."""
    first = errors[0] if errors else {}
    kind = str(first.get("type", ""))
    if kind == "json_invalid":
        return 400, "malformed_json", "The request body is not valid JSON."
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    field = ".".join(loc)
    msg = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind == "missing":
        return 422, "invalid_request", f"The field '{field}' is required."
    if field:
        return 422, "invalid_request", f"The field '{field}' is invalid: {msg}."
    return 422, "invalid_request", f"The request is invalid: {msg}."


class RejectNul:
    """ASGI middleware: a NUL character in the path or the query is refused with 400 (no
    database can store or look up such a string)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and (
            "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"")
        ):
            if scope["type"] == "http":
                response = error_response(
                    400, "invalid_characters", "The address contains a NUL character."
                )
                await response(scope, receive, send)
                return
            await send({"type": "websocket.close", "code": 4400})
            return
        await self.app(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_middleware(RejectNul)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        status, code, message = _describe(list(exc.errors()))
        return error_response(status, code, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        if exc.status_code == 404:
            message = "There is nothing at this address."
        elif exc.status_code == 405:
            message = "This method is not allowed at this address."
        else:
            message = str(exc.detail) if exc.detail else "The request was refused."
        headers = dict(exc.headers) if exc.headers else None
        return error_response(exc.status_code, code, message, headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unexpected error on %s %s\n%s", request.method, request.url.path, short_trace(exc)
        )
        return error_response(500, "internal_error", "The server failed to handle this request.")


MAX_TRACE_FRAMES = 12
MAX_TRACE_CHARS = 8000


def short_trace(exc: BaseException) -> str:
    """The innermost frames of `exc`'s traceback, at most MAX_TRACE_CHARS: one bug must not
    write hundreds of kilobytes per request to the log (a deep recursion would)."""
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-MAX_TRACE_FRAMES)
    text = "".join(lines)
    if len(text) > MAX_TRACE_CHARS:
        text = "...\n" + text[-MAX_TRACE_CHARS:]
    return text
