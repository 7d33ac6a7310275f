"""The error answers each route declares in the OpenAPI document, in the shape the server sends
(`errors.error_response`): `{"error": {"code", "message"}, "server_time"}`.

Routes pass `responses=errors(401, 404, ...)`; declaring 422 replaces FastAPI's default
validation-error schema, which the server never sends (its handler answers in this shape too).
A client generator and schemathesis then know and check every status a route can answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail
    server_time: str


_DESCRIPTIONS = {
    400: (
        "Malformed request: the body is not JSON or nests too deeply (too_deep), or the address "
        "holds a NUL character."
    ),
    401: "The token is missing, invalid or revoked (or, at sign-in, the credentials are wrong).",
    403: "Signed in, but not allowed: the action is a team lead's.",
    404: "No such item.",
    409: "Refused because of the item's state (e.g. the reply window is closed).",
    413: "The request body is larger than the server accepts (1 MiB by default).",
    422: "The request does not validate (the error says which field and why).",
    429: "Too many attempts; the Retry-After header says how many seconds to wait.",
    502: "Meta's Graph API refused the request or could not be reached (the error says why).",
    503: "A part of the server is starting; try again shortly.",
}


# Success answers besides the route's main one.
REPEATED: dict[str, Any] = {
    "description": "A repeat of a client_id already stored: the message stored the first time."
}
NOT_MODIFIED: dict[str, Any] = {"description": "Not modified (the If-None-Match ETag matches)."}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer with these error statuses."""
    declared: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        declared[status] = {"model": ErrorBody, "description": _DESCRIPTIONS[status]}
        if status == 429:
            declared[status]["headers"] = {
                "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
            }
    return declared


def plain_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The same for a route that answers its errors in plain text (Meta's webhook)."""
    text = {"text/plain": {"schema": {"type": "string"}}}
    return {status: {"description": _PLAIN[status], "content": text} for status in statuses}


_PLAIN = {
    403: "The verify token or the signature does not match.",
    413: "The delivery is larger than the server accepts.",
    503: "The Messenger bridge is starting; Meta retries later.",
}
