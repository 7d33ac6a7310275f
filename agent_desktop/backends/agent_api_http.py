"""Small helpers of the Agent API connector: URL policy, error mapping, validation.

Kept apart from the connector so they can be tested without a network and reused by `check`.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import pydantic

from agent_desktop.backends.agent_api_decode import decode
from agent_desktop.backends.base import (
    BackendError,
    ProtocolError,
    ServerError,
    check_address,
    error_class,
)

log = logging.getLogger(__name__)

API = "/api/v1"  # the Agent API v1 prefix of every address

M = TypeVar("M", bound=pydantic.BaseModel)


def seg(value: str) -> str:
    """One path segment of an address (an id), quoted whole."""
    return quote(value, safe="")


def normalize_base_url(url: str, *, insecure: bool = False) -> str:
    """Check a backend URL and return it without a trailing slash.

    Plain http:// is refused for any host but loopback unless `insecure` is set, because the
    password and the token would cross the network readable by anyone on the way.
    """
    text = url.strip()
    check_address(
        text,
        insecure=insecure,
        what="a backend address",
        example="https://support.example.com",
        secret="password",
    )
    return text.rstrip("/")


def origin_of(url: str) -> tuple[str, str, int]:
    """The (scheme, host, port) triple of a URL, with the default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme in ("https", "wss") else 80)
    return scheme, (parts.hostname or "").lower(), port


_DEFAULT_SENTENCES: dict[int, str] = {
    400: "The backend refused the request as malformed.",
    401: "Your session has expired or was revoked; please sign in again.",
    403: "You are not allowed to do this.",
    404: "This item no longer exists on the backend.",
    409: "The backend refused this because of a conflict.",
    422: "The backend refused this request as invalid.",
    429: "Too many attempts; please wait a moment and try again.",
}


def error_for_status(status: int, body: Any) -> BackendError:
    """Map an HTTP error status and its `{"error": {"code", "message"}}` body to an exception."""
    code = "error"
    message = ""
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            code = str(err.get("code") or code)
            message = str(err.get("message") or "")
        elif isinstance(body.get("detail"), str):
            message = body["detail"]
    if status >= 500:
        return ServerError(
            message or f"The backend failed (HTTP {status}); please try again later.",
            status=status,
            code=code,
        )
    cls = error_class(status)
    sentence = message or _DEFAULT_SENTENCES.get(
        status, f"The backend refused the request (HTTP {status})."
    )
    return cls(sentence, status=status, code=code)


def parse_model(model: type[M], payload: Any, *, what: str) -> M:
    """Validate `payload` as `model`; a mismatch raises ProtocolError (and is logged). Before
    the first page is painted, an answer in the server's exact form is read by hand
    (backends/agent_api_decode.py); anything else is validated here."""
    decoded = decode(model, payload)
    if decoded is not None:
        return decoded
    try:
        return model.model_validate(payload)
    except pydantic.ValidationError as exc:
        log.warning("Malformed %s from the backend: %s", what, _short(exc))
        raise ProtocolError(
            f"The backend sent a malformed {what}; it may be a different version than this client.",
            code="malformed",
        ) from None


def parse_list(model: type[M], payload: Any, *, what: str, key: str) -> list[M]:
    """Validate a list answer: a bare list, or an object holding it under `items` or `key`."""
    items: Any = payload
    if isinstance(payload, dict):
        items = payload.get("items", payload.get(key))
    if not isinstance(items, list):
        log.warning("Malformed %s list from the backend: not a list", what)
        raise ProtocolError(
            f"The backend sent a malformed {what} list; it may be a different version than "
            "this client.",
            code="malformed",
        )
    return [parse_model(model, item, what=what) for item in items]


def unwrap(payload: Any, key: str) -> Any:
    """An object answer may carry the resource under `key` (e.g. {"thread": {...}}) or bare."""
    if isinstance(payload, dict) and isinstance(payload.get(key), dict):
        return payload[key]
    return payload


def _short(exc: pydantic.ValidationError) -> str:
    errors = exc.errors()[:3]
    return "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in errors
    )
