"""HTTP to one Chatwoot server: the `api_access_token` header, retries of idempotent requests,
errors turned into the Backend's (with a sentence), the server's clock read from `Date`, the
account's paths, and media from Chatwoot's own origin (or the storage it redirects to).
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urljoin

import httpx
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from agent_desktop.backends.base import (
    BackendError,
    NetworkError,
    NotFoundError,
    ProtocolError,
    ServerError,
)
from agent_desktop.backends.chatwoot.http import (
    error_for_status,
    is_loopback,
    may_follow_redirect,
    normalize_base_url,
    same_origin,
)
from agent_desktop.backends.tls import tls_context
from agent_desktop.core.retry import RetryPolicy

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

MAX_MEDIA_BYTES = 25 * 1024 * 1024


class AccountRequired(BackendError):
    """The user belongs to several Chatwoot accounts and none is selected yet."""

    code = "account_required"


def parse(model: type[M], data: Any, *, what: str) -> M:
    """Validate a Chatwoot payload; malformed ones are logged and raised as ProtocolError."""
    try:
        return model.model_validate(data)
    except PydanticError as exc:
        log.warning("Malformed Chatwoot %s: %s", what, exc.errors()[:3])
        raise ProtocolError(f"Chatwoot sent a {what} this client cannot read.") from exc


def int_id(value: str, what: str) -> int:
    """Chatwoot's ids are integers: anything else names nothing there."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFoundError(f"This {what} does not exist in Chatwoot.") from None


class ChatwootClient:
    """The HTTP side of the connector (`retries` more attempts for GET, PUT and DELETE)."""

    def __init__(
        self,
        base_url: str,
        account_id: int | None,
        token: str | None,
        *,
        timeout: float,
        retries: int,
        retry_base: float,
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
        insecure: bool = False,
    ) -> None:
        self.base_url = normalize_base_url(base_url, insecure=insecure)
        self.account_id = account_id
        self.token = token
        self.timeout = timeout
        self.loopback = is_loopback(self.base_url)
        self.clock_offset = 0.0
        self._retries = retries
        self._policy = RetryPolicy(base=retry_base, cap=3.0)
        self.http = httpx.AsyncClient(
            timeout=timeout,
            # The CAs of backends/tls.py, as the cable's; for an http:// Chatwoot too, as a
            # picture may be redirected to its https storage.
            verify=tls_context(),
            trust_env=not self.loopback,
            headers={"User-Agent": "AgentDesktop/0.1 (Chatwoot connector)"},
            event_hooks={k: list(v) for k, v in (event_hooks or {}).items()},
        )

    def now(self) -> datetime:
        """Chatwoot's time (the offset read from its last `Date` header)."""
        return datetime.now(UTC) + timedelta(seconds=self.clock_offset)

    def headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["api_access_token"] = self.token
        if extra:
            headers.update(extra)
        return headers

    def _note_date(self, response: httpx.Response, sent: float, received: float) -> None:
        date = response.headers.get("date")
        if not date:
            return
        try:
            server = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return
        # The Date header has one-second resolution: only correct offsets above a second.
        offset = server + 0.5 - (sent + received) / 2
        self.clock_offset = offset if abs(offset) > 1.5 else 0.0

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201, 204),
    ) -> httpx.Response:
        """One request; GET, PUT and DELETE are tried again after a network failure or a 5xx."""
        idempotent = method in {"GET", "DELETE", "PUT"}
        attempts = 1 + (self._retries if idempotent else 0)
        last: BackendError | None = None
        for attempt in range(attempts):
            if attempt:
                await self._policy.sleep(attempt - 1)
            sent = time.time()
            try:
                response = await self.http.request(
                    method,
                    self.base_url + path,
                    params=params,
                    json=json_body,
                    headers=self.headers(headers),
                )
            except httpx.TransportError as exc:
                log.info("Chatwoot %s %s failed: %s", method, path, type(exc).__name__)
                last = NetworkError(
                    f"Cannot reach Chatwoot at {self.base_url}.", code="unreachable"
                )
                continue
            self._note_date(response, sent, time.time())
            if response.status_code in ok:
                return response
            error = error_for_status(response.status_code, json_or_none(response))
            if isinstance(error, ServerError) and attempt + 1 < attempts:
                last = error
                continue
            raise error
        assert last is not None
        raise last

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return json_of(await self.request("GET", path, params=params))

    async def post(self, path: str, body: Any) -> Any:
        return json_or_none(await self.request("POST", path, json_body=body))

    def acct(self, path: str, *, version: str = "v1") -> str:
        """`path` within the selected account."""
        if self.account_id is None:
            raise AccountRequired("Choose which Chatwoot account to work in.")
        return f"/api/{version}/accounts/{self.account_id}{path}"

    def conv_path(self, thread_id: str, suffix: str = "") -> str:
        return self.acct(f"/conversations/{int_id(thread_id, 'conversation')}{suffix}")

    async def media(self, url: str) -> bytes:
        """An attachment from Chatwoot's own origin. Chatwoot redirects to its storage (S3 and
        the like, on another origin): such a redirect is followed without the access token, over
        https only (plain http only to this computer); see SECURITY.md."""
        absolute = urljoin(self.base_url + "/", url)
        if not same_origin(absolute, self.base_url):
            raise BackendError(
                "Refusing to load an image from another site than your Chatwoot.", code="origin"
            )
        target = absolute
        for _ in range(5):
            if not may_follow_redirect(target, self.base_url):
                raise ProtocolError(
                    "Chatwoot sent the image to an address that is not safe to load.",
                    code="origin",
                )
            same = same_origin(target, self.base_url)
            try:
                response = await self.http.get(
                    target, headers=self.headers() if same else {"Accept": "*/*"}
                )
            except httpx.TransportError:
                raise NetworkError(
                    "The image could not be loaded: Chatwoot is unreachable."
                ) from None
            if response.is_redirect and "location" in response.headers:
                target = urljoin(target, response.headers["location"])
                continue
            if response.status_code >= 400:
                raise error_for_status(response.status_code, None)
            if len(response.content) > MAX_MEDIA_BYTES:
                raise ProtocolError("The image is too large to show.", code="too_large")
            return response.content
        raise ProtocolError("Chatwoot redirected the image too many times.")

    async def aclose(self) -> None:
        await self.http.aclose()


def json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):  # RecursionError: nested too deep to decode
        return None


def json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):
        raise ProtocolError("Chatwoot answered something that is not JSON.") from None
