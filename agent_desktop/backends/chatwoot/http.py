"""HTTP plumbing for the Chatwoot connector: error mapping to the Backend errors, origins."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from agent_desktop.backends.base import BackendError, ServerError, check_address, error_class
from agent_desktop.backends.hosts import is_loopback_host


def normalize_base_url(url: str, *, insecure: bool = False) -> str:
    """Chatwoot's address without a trailing slash (https:// when no scheme is given).

    Plain http:// is refused for any host but this computer unless `insecure` is set, as the
    Agent API connector does: the access token and every message would cross the network
    readable. An address naming a user (`https://x@host`) is refused: it hides the real host."""
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    url = url.rstrip("/")
    check_address(
        url,
        insecure=insecure,
        what="a Chatwoot address",
        example="https://chat.example.com",
        secret="access token",
        allow_user=False,
    )
    return url


def may_follow_redirect(target: str, base: str) -> bool:
    """A picture's redirect may be followed: to Chatwoot's own origin, or to its storage (S3,
    GCS, Azure, a CDN) over https; plain http only to this computer. Never another scheme."""
    if same_origin(target, base):
        return True
    parts = urlsplit(target)
    if parts.scheme == "https" and origin_of(target) is not None:
        return True
    return parts.scheme == "http" and origin_of(target) is not None and is_loopback(target)


def origin_of(url: str) -> tuple[str, str, int] | None:
    """The (scheme, host, port) of a URL, the default port filled in (`https://host:443` is
    `https://host`); None for a URL that names a user (`https://chat.example@evil.test/` is
    evil.test, and a URL with a user in it never names your Chatwoot) or no host."""
    parts = urlsplit(url)
    if "@" in parts.netloc or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    try:
        port = parts.port or (443 if scheme in ("https", "wss") else 80)
    except ValueError:  # not a number, or out of range
        return None
    return scheme, parts.hostname.lower(), port


def same_origin(url: str, base: str) -> bool:
    """`url` is on `base`'s origin (scheme, host and port, default ports filled in)."""
    origin = origin_of(url)
    return origin is not None and origin == origin_of(base)


def is_loopback(url: str) -> bool:
    """The URL names this computer (`localhost` or a literal loopback address)."""
    return is_loopback_host(urlsplit(url).hostname or "")


def server_message(body: Any) -> str | None:
    """Chatwoot's error text: `{"error": "..."}`, `{"errors": [...]}` or `{"message": "..."}`."""
    if not isinstance(body, dict):
        return None
    for key in ("error", "message"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict) and isinstance(value.get("message"), str):
            return str(value["message"])
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        return "; ".join(str(e) for e in errors[:3])
    if isinstance(errors, dict) and errors:
        return "; ".join(f"{k} {v}" for k, v in list(errors.items())[:3])
    return None


_SENTENCES: dict[int, str] = {
    401: "Chatwoot refused your access token; please sign in again.",
    403: "Your Chatwoot role does not allow this.",
    404: "Chatwoot could not find this item.",
    409: "Chatwoot refused this change.",
    422: "Chatwoot refused this request as invalid.",
    429: "Chatwoot is rate-limiting requests; try again shortly.",
}


def error_for_status(status: int, body: Any) -> BackendError:
    """A Backend error with a sentence for the agent (Chatwoot's own text where it has one, for a
    conflict or an invalid request)."""
    if status >= 500:
        return ServerError("Chatwoot failed to answer; try again shortly.", status=status)
    if status == 400:  # what Chatwoot refuses as invalid, it may answer 400 or 422
        status = 422
    sentence = _SENTENCES.get(status)
    if sentence is None:
        return BackendError(
            f"Chatwoot answered with an unexpected status ({status}).", status=status
        )
    if status in (409, 422):
        sentence = _sentence(server_message(body)) or sentence
    return error_class(status)(sentence, status=status)


def _sentence(detail: str | None) -> str | None:
    if not detail:
        return None
    detail = detail.strip()
    if len(detail) > 300:
        detail = detail[:300] + "…"
    text = f"Chatwoot says: {detail}"
    return text if text.endswith((".", "!", "?", "…")) else text + "."
