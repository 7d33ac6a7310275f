"""The Agent API v1 connection under the connector (backends/agent_api.py): the HTTP client,
made for the first request that goes out; one call with its retries and the early answer it may
use instead (`backends.early`); decoding and the errors of an answer; the server's clock offset.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from agent_desktop.backends.agent_api_http import error_for_status, normalize_base_url
from agent_desktop.backends.base import BackendError, NetworkError, ProtocolError
from agent_desktop.backends.early import LOGIN_PATH, EarlyAnswer, EarlyRequests
from agent_desktop.backends.hosts import is_loopback_host
from agent_desktop.backends.tls import tls_context
from agent_desktop.core.retry import RetryPolicy

if TYPE_CHECKING:
    import httpx
    from websockets.asyncio.client import ClientConnection

log = logging.getLogger("agent_desktop.backends.agent_api")


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def no_sniffio() -> None:
    """httpcore runs `import sniffio` several times per request to learn the async library;
    sniffio is not installed (anyio does without it) and a failed import is not remembered, so
    each one searched sys.path again (~80 µs each, a few per request: ~0.4 ms per request). A
    None in sys.modules makes the same ImportError immediate."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


class AgentApiClient:
    """The Agent API v1 connection under `AgentApiBackend`: its settings, the HTTP client, one
    call with its retries, early answers and decoding, and the server's clock offset.

    `retries` is how many times an idempotent call (GET, PUT, DELETE and the send, which the
    server deduplicates by client_id) is retried on a connection error or a 5xx; login and the
    other POSTs are never retried. `ping_interval`/`ping_timeout` drive the websocket heartbeat;
    `transport` replaces httpx's network transport (unit tests). `early` holds the answers of
    requests sent before the connector existed (`backends.early`): each is used once, in place
    of the same request.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        insecure: bool = False,
        timeout: float = 15.0,
        retries: int = 3,
        retry_base: float = 0.3,
        reconnect_base: float = 0.5,
        reconnect_cap: float = 30.0,
        ping_interval: float = 20.0,
        ping_timeout: float = 20.0,
        transport: httpx.AsyncBaseTransport | None = None,
        early: EarlyRequests | None = None,
    ) -> None:
        self._base_url = normalize_base_url(base_url, insecure=insecure)
        self._early = early if early is not None and early.base_url == self._base_url else None
        self._token = token
        self._timeout = timeout
        self._retries = retries
        self._request_retry = RetryPolicy(base=retry_base, cap=5.0)
        self._reconnect = RetryPolicy(base=reconnect_base, cap=reconnect_cap)
        self._ping_interval = ping_interval
        self._ping_timeout = ping_timeout
        self._clock_offset = 0.0
        self._acked = 0
        self._ws: ClientConnection | None = None
        self._inflight: set[asyncio.Task[httpx.Response]] = set()
        self._closed = False
        host = urlsplit(self._base_url).hostname or ""
        self._loopback = is_loopback_host(host)
        self._https = urlsplit(self._base_url).scheme == "https"
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @property
    def _http(self) -> httpx.AsyncClient:
        """The HTTP client, made for the first request that goes out (~25 ms: a start whose
        first loads came early makes it after the window is painted)."""
        if self._client is None:
            if self._closed:  # as httpx says for a closed client
                raise RuntimeError("Cannot send a request, as the connector has been closed.")
            no_sniffio()
            import httpx

            self._client = httpx.AsyncClient(
                base_url=self._base_url,
                timeout=httpx.Timeout(self._timeout, connect=min(self._timeout, 10.0)),
                # A plain-http backend never negotiates TLS (no redirects are followed), so the
                # CA bundle, ~0.2 s of the client's start, is loaded only for https; the same
                # context as the event stream's and the early requests' (backends/tls.py).
                verify=tls_context() if self._https else False,
                follow_redirects=False,
                trust_env=not self._loopback,
                transport=self._transport,
                headers={"Accept": "application/json", "User-Agent": "AgentDesktop/0.1"},
            )
        return self._client

    # -- Backend protocol: identity -------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def kind(self) -> str:
        return "agent-api"

    @property
    def clock_offset(self) -> float:
        return self._clock_offset

    @property
    def token(self) -> str | None:
        return self._token

    def set_token(self, token: str | None) -> None:
        self._token = token

    # -- HTTP plumbing --------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _note_server_time(self, payload: Any, sent_at: float, received_at: float) -> None:
        if not isinstance(payload, dict):
            return
        server_time = parse_time(payload.get("server_time"))
        if server_time is None:
            return
        local_mid = (sent_at + received_at) / 2
        self._clock_offset = server_time.timestamp() - local_mid

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """One API call: returns the decoded JSON (None for an empty body) or raises."""
        retry = method in ("GET", "PUT", "DELETE") if idempotent is None else idempotent
        attempts = 1 + (self._retries if retry else 0)
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        last_error: BackendError | None = None
        early = await self._early_answer(method, path, clean_params, json_body)
        if early is not None:
            url = self._base_url + path
            body, last_error = self._outcome(
                early.status, early.content, url, early.sent_at, early.received_at
            )
            if last_error is None:
                return body
        # Imported for the first request that goes out, not with the connector: a start whose
        # first loads came early paints its window without it (~30 ms).
        import httpx

        for attempt in range(attempts):
            if attempt:
                await self._request_retry.sleep(attempt - 1)
            sent_at = time.time()
            try:
                response = await self._exchange(
                    method, path, json=json_body, params=clean_params, headers=self._headers()
                )
            except httpx.TimeoutException:
                last_error = NetworkError(
                    f"The backend at {self._base_url} did not answer in time.", code="timeout"
                )
                continue
            except httpx.TransportError as exc:
                log.info("%s %s failed: %s", method, path, type(exc).__name__)
                last_error = NetworkError(
                    f"Cannot reach the backend at {self._base_url}; check the address and "
                    "your connection.",
                    code="unreachable",
                )
                continue
            body, last_error = self._outcome(
                response.status_code, response.content, str(response.url), sent_at, time.time()
            )
            if last_error is None:
                return body
        assert last_error is not None
        raise last_error

    def _outcome(
        self, status: int, content: bytes, url: str, sent_at: float, received_at: float
    ) -> tuple[Any, BackendError | None]:
        """The decoded body of an answer, or the error to try again after (a 5xx); raises the
        errors not worth another try (4xx, redirects, not JSON)."""
        body = self._decode(status, content, url)
        if status >= 500:
            return None, error_for_status(status, body)
        if status >= 400:
            raise error_for_status(status, body)
        if 300 <= status < 400:
            raise ProtocolError(
                "The backend answered with a redirect; check the backend address.",
                code="redirect",
            )
        self._note_server_time(body, sent_at, received_at)
        return body, None

    async def _early_answer(
        self, method: str, path: str, params: dict[str, Any], json_body: Any
    ) -> EarlyAnswer | None:
        """The answer of the same request sent early (`backends.early`), if there is one that
        arrived and was sent with this connector's token; None to ask now."""
        early = self._early
        if early is None:
            return None
        if method == "POST" and path == LOGIN_PATH and isinstance(json_body, dict):
            future = early.take_login(str(json_body.get("email")), str(json_body.get("password")))
        elif method == "GET":
            future = early.take(path, params)
        else:
            future = None
        if early.exhausted:
            self._early = None
        if future is None:
            return None
        try:
            answer = await asyncio.wrap_future(future)
        except Exception as exc:  # the early request failed in transit: ask again, as usual
            log.info("Early %s %s failed (%s); asking again", method, path, type(exc).__name__)
            return None
        if answer.token != (self._token or "") and path != LOGIN_PATH:
            return None
        return answer

    async def _exchange(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One HTTP request and its answer, which the caller's cancellation cannot interrupt.

        httpcore never gives back a pool slot whose request was cancelled after the pool handed
        it a fresh connection and before the request went out (the connection stays NEW for
        good; encode/httpcore#1093). Cancellations are routine here (a delivery confirmed by its
        event, a timeout around a call, a conversation closed while loading), and once they have
        filled the pool every request fails with PoolTimeout: no reply is sent again until the
        app restarts. So the exchange runs in a task of its own; a cancelled caller stops
        waiting at once, and the exchange ends by itself within the client's timeouts (pool,
        connect, read, write), its answer dropped.
        """
        task = asyncio.get_running_loop().create_task(
            self._read(method, url, **kwargs), name=f"http {method}"
        )
        self._inflight.add(task)
        task.add_done_callback(self._exchange_done)
        return await asyncio.shield(task)

    async def _read(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """The answer, read whole, freed by its reference count once dropped.

        httpx binds a response's stream to the response (`BoundAsyncStream._response`): each
        answer is a reference cycle that only the cyclic collector frees. The answers still
        waiting for it when the app freezes its heap after the first load (startup/fast_start.py,
        `HeapFreezer`: the last thread pages, ~170 KB each) were kept for the rest of the day,
        ~1.2 MB of the memory figure. Once read (httpx reads it whole before returning), the body
        stays in `response.content`; the stream becomes a plain one over the same bytes.
        """
        import httpx

        response = await self._http.request(method, url, **kwargs)
        response.stream = httpx.ByteStream(response.content)
        return response

    def _exchange_done(self, task: asyncio.Task[httpx.Response]) -> None:
        self._inflight.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: an abandoned exchange's failure is no one's business

    def _decode(self, status: int, content: bytes, url: str) -> Any:
        if not content:
            return None
        try:
            return json.loads(content)  # what httpx's Response.json() does
        except (ValueError, RecursionError):  # RecursionError: nested too deep to decode
            if status >= 400:
                return None
            log.warning("Non-JSON answer from %s (HTTP %s)", url, status)
            raise ProtocolError(
                "The backend answered something that is not JSON; is this an Agent API server?",
                code="not_json",
            ) from None
