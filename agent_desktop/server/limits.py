"""What the server accepts before any route sees a request (ASGI middleware `RequestLimits`):

- a body of at most `max_body_bytes` (default 1 MiB), refused with 413 from its `Content-Length`
  before a byte of it is read, or as soon as a body without one (chunked) passes the limit;
- JSON nested at most `MAX_JSON_DEPTH` levels (400 `too_deep`), checked on the raw bytes, so no
  parser or validator ever recurses into an attacker's nesting;
- a redirect (Starlette's, from `/path/` to `/path`) carries a relative `Location`, built from the
  path alone, never from the `Host` header;
- every answer carries `X-Content-Type-Options: nosniff`.

The helpers `check_json_depth` and `parse_utc` serve the routes that take JSON or dates in other
places (cursors, query strings); `read_body` and `replaying` serve any middleware that reads a
body before the app does (this one, Messenger's reply guard).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agent_desktop.server.errors import error_response

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
# Dates are accepted within these bounds (converted to UTC first): far enough for any real date,
# near enough that the server's own arithmetic on them (a year either side) never overflows.
MIN_DATE = datetime(1970, 1, 1, tzinfo=UTC)
MAX_DATE = datetime(3000, 1, 1, tzinfo=UTC)

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A JSON string (possessive: no backtracking on an unterminated one) or a bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when JSON `body` nests arrays/objects more than `limit` levels (strings are skipped,
    so brackets inside them do not count). Linear; stops at the first level too deep."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for match in _TOKENS.finditer(body):
        first = match.group()[0]
        if first in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif first in b"]}":
            depth -= 1
    return False


def check_json_depth(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """ValueError when `text` nests too deeply to be parsed safely."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if too_deep(raw, limit):
        raise ValueError(f"JSON nested more than {limit} levels")


def parse_utc(value: datetime) -> datetime:
    """`value` in UTC (naive means UTC), within [MIN_DATE, MAX_DATE); ValueError otherwise."""
    try:
        at = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("the date is out of range") from None
    if not MIN_DATE <= at < MAX_DATE:
        raise ValueError("the date must be between 1970 and 2999")
    return at


# A datetime field or parameter that is in range and UTC once validated.
UtcDateTime = Annotated[datetime, AfterValidator(parse_utc)]


def _refusal(
    scope: Scope, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    """The error shape; plain text for Meta's webhook, which declares its answers that way."""
    if scope.get("path", "").startswith("/webhooks/"):
        return PlainTextResponse(message, status_code=status, headers=headers)
    return error_response(status, code, message, headers)


def _too_large(scope: Scope, limit: int) -> Response:
    message = f"The request body is larger than the server accepts ({limit} bytes)."
    return _refusal(scope, 413, "too_large", message, {"Connection": "close"})


class _TooLarge(Exception):
    pass


async def read_body(receive: Receive, max_bytes: int | None = None) -> bytes:
    """The whole request body, for a middleware that must look at it before the app does (empty
    when the client leaves first); _TooLarge as soon as it passes `max_bytes`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client left; the route sees an empty body
        chunk = message.get("body", b"")
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """The `receive` a middleware that read the body (`read_body`) hands the app: that body
    once, whole, then the client's own messages (its disconnect)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class RequestLimits:
    """ASGI middleware for the limits above (see the module's docstring)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _answer_headers(send)
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                message = "The Content-Length header is not a number."
                await _refusal(scope, 400, "bad_request", message)(scope, receive, send)
                return
            if int(length) > self.max_body_bytes:
                await _too_large(scope, self.max_body_bytes)(scope, receive, send)
                return
        has_body = length not in (None, "0") or "transfer-encoding" in headers
        if scope.get("method") not in _BODY_METHODS or not has_body:
            await self.app(scope, receive, send)
            return
        try:
            body = await read_body(receive, self.max_body_bytes)
        except _TooLarge:
            await _too_large(scope, self.max_body_bytes)(scope, receive, send)
            return
        if too_deep(body):
            message = f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."
            await _refusal(scope, 400, "too_deep", message)(scope, receive, send)
            return
        await self.app(scope, replaying(body, receive), send)


def relative_location(location: bytes) -> bytes:
    """A redirect target as a path on this server: scheme and host dropped (they came from the
    request's `Host` header), and leading slashes collapsed so the result is never read as
    `//other.host/...`."""
    parts = urlsplit(location)
    target = b"/" + parts.path.lstrip(b"/")
    return target + (b"?" + parts.query if parts.query else b"")


def _answer_headers(send: Send) -> Send:
    """`X-Content-Type-Options: nosniff` on every answer; redirects made relative."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [
                (k, relative_location(v) if k.lower() == b"location" else v)
                for k, v in message.get("headers", [])
            ]
            if not any(k.lower() == b"x-content-type-options" for k, _ in headers):
                headers.append((b"x-content-type-options", b"nosniff"))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped
