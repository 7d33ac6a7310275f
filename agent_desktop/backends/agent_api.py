"""The client's default connector: the Agent API v1 (SPEC §3) over httpx and a websocket.

Every answer is validated with the shared pydantic types before anyone sees it; idempotent calls
are retried with backoff; the event stream reconnects by itself and resumes after the last seq
the consumer acknowledged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit

from agent_desktop.backends.agent_api_client import AgentApiClient, parse_time
from agent_desktop.backends.agent_api_http import (
    error_for_status,
    origin_of,
    parse_list,
    parse_model,
    unwrap,
)
from agent_desktop.backends.base import (
    BackendError,
    MessengerState,
    MetricsData,
    NetworkError,
    NotFoundError,
    OpenThreads,
    OrderMessageKind,
    ProtocolError,
    Ready,
    Resync,
    ServerError,
    StreamItem,
    StreamState,
)
from agent_desktop.backends.base import Ephemeral as EphemeralItem
from agent_desktop.backends.tls import tls_context
from agent_desktop.core.messenger_types import (
    LibraryTemplate,
    MessengerFacts,
    MessengerPage,
    PageSending,
    UtilityTemplate,
)
from agent_desktop.core.metrics import MetricMessage, MetricThread
from agent_desktop.core.types import (
    EPHEMERAL_NAMES,
    Agent,
    Customer,
    Event,
    LoginResult,
    Message,
    MessagePage,
    MetricsReport,
    NewMember,
    Order,
    OrderAction,
    Presence,
    Role,
    SendKind,
    TeamSettings,
    Template,
    Thread,
    ThreadPage,
    ThreadStatus,
)

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)
# websockets logs every frame at DEBUG, the hello frame (with the token) included: its logger for
# the event stream stays at INFO whatever the application's level.
_ws_log = logging.getLogger(__name__ + ".websocket")
_ws_log.setLevel(logging.INFO)

API = "/api/v1"
MAX_FRAME_BYTES = 2 * 1024 * 1024  # larger frames are logged and skipped
MAX_MEDIA_BYTES = 25 * 1024 * 1024
SIGNED_OUT_CODE = 4401
# While the stream waits to reconnect, the server is asked this often whether it answers again.
PROBE_INTERVAL = 1.0


class AgentApiBackend(AgentApiClient):
    """The Agent API v1 connector (implements `agent_desktop.backends.base.Backend`): the
    endpoints and the event stream, on the connection of `AgentApiClient`
    (backends/agent_api_client.py, which documents the constructor's arguments)."""

    # -- Account ----------------------------------------------------------------------------

    async def login(self, email: str, password: str) -> LoginResult:
        body = await self._request(
            "POST",
            f"{API}/auth/login",
            json_body={"email": email, "password": password},
            idempotent=False,
        )
        result = parse_model(LoginResult, body, what="sign-in answer")
        self._token = result.token
        return result

    async def logout(self) -> None:
        try:
            await self._request("POST", f"{API}/auth/logout", idempotent=False)
        finally:
            self._token = None

    async def me(self) -> Agent:
        body = await self._request("GET", f"{API}/me")
        return parse_model(Agent, unwrap(body, "agent"), what="agent")

    async def set_presence(self, presence: Presence) -> Agent:
        body = await self._request("PUT", f"{API}/me/presence", json_body={"presence": presence})
        return parse_model(Agent, unwrap(body, "agent"), what="agent")

    async def agents(self) -> list[Agent]:
        body = await self._request("GET", f"{API}/agents")
        return parse_list(Agent, body, what="agent", key="agents")

    # -- The team's accounts (TeamAccounts) -------------------------------------------------

    async def add_member(self, *, email: str, name: str, role: Role) -> NewMember:
        body = await self._request(
            "POST",
            f"{API}/agents",
            json_body={"email": email, "name": name, "role": role},
            idempotent=False,
        )
        return parse_model(NewMember, body, what="new team member")

    async def update_member(
        self, agent_id: str, *, name: str | None = None, role: Role | None = None
    ) -> Agent:
        changes: dict[str, str] = {}
        if name is not None:
            changes["name"] = name
        if role is not None:
            changes["role"] = role
        body = await self._request(
            "PATCH", f"{API}/agents/{_seg(agent_id)}", json_body=changes, idempotent=True
        )
        return parse_model(Agent, unwrap(body, "agent"), what="team member")

    async def deactivate_member(self, agent_id: str, *, open_threads: OpenThreads) -> Agent:
        body = await self._request(
            "POST",
            f"{API}/agents/{_seg(agent_id)}/deactivate",
            json_body={"open_threads": open_threads},
            idempotent=True,
        )
        return parse_model(Agent, unwrap(body, "agent"), what="team member")

    async def activate_member(self, agent_id: str) -> Agent:
        body = await self._request(
            "POST", f"{API}/agents/{_seg(agent_id)}/activate", idempotent=True
        )
        return parse_model(Agent, unwrap(body, "agent"), what="team member")

    async def reset_member(self, agent_id: str) -> NewMember:
        body = await self._request("POST", f"{API}/agents/{_seg(agent_id)}/reset", idempotent=False)
        return parse_model(NewMember, body, what="reset team member")

    async def use_invitation(self, email: str, code: str, password: str) -> LoginResult:
        body = await self._request(
            "POST",
            f"{API}/auth/invitation",
            json_body={"email": email, "code": code, "password": password},
            idempotent=False,
        )
        result = parse_model(LoginResult, body, what="sign-in answer")
        self._token = result.token
        return result

    async def change_password(self, current: str, new: str) -> None:
        await self._request(
            "POST",
            f"{API}/me/password",
            json_body={"current": current, "new": new},
            idempotent=False,
        )

    # -- Threads and messages ---------------------------------------------------------------

    async def threads(
        self,
        *,
        status: ThreadStatus | None = None,
        assignee: str = "any",
        q: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> ThreadPage:
        body = await self._request(
            "GET",
            f"{API}/threads",
            params={
                "status": status,
                "assignee": assignee,
                "q": q,
                "limit": limit,
                "cursor": cursor,
            },
        )
        return parse_model(ThreadPage, body, what="thread list")

    async def thread(self, thread_id: str) -> Thread:
        body = await self._request("GET", f"{API}/threads/{_seg(thread_id)}")
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    async def messages(
        self, thread_id: str, *, before: str | None = None, limit: int = 50
    ) -> MessagePage:
        body = await self._request(
            "GET",
            f"{API}/threads/{_seg(thread_id)}/messages",
            params={"before": before, "limit": limit},
        )
        return parse_model(MessagePage, body, what="message page")

    async def send_message(
        self, thread_id: str, *, client_id: str, text: str, kind: SendKind, tag: str | None = None
    ) -> Message:
        payload: dict[str, Any] = {"client_id": client_id, "text": text, "kind": kind}
        if tag:
            payload["tag"] = tag
        body = await self._request(
            "POST",
            f"{API}/threads/{_seg(thread_id)}/messages",
            json_body=payload,
            idempotent=True,  # the server deduplicates on client_id
        )
        return parse_model(Message, unwrap(body, "message"), what="message")

    async def assign(self, thread_id: str, agent_id: str | None) -> Thread:
        body = await self._request(
            "POST", f"{API}/threads/{_seg(thread_id)}/assignment", json_body={"agent_id": agent_id}
        )
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    async def set_status(self, thread_id: str, status: ThreadStatus) -> Thread:
        body = await self._request(
            "POST", f"{API}/threads/{_seg(thread_id)}/status", json_body={"status": status}
        )
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    async def mark_read(self, thread_id: str, message_id: str) -> Thread:
        body = await self._request(
            "POST", f"{API}/threads/{_seg(thread_id)}/read", json_body={"message_id": message_id}
        )
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    # -- Customers, templates, metrics, settings -------------------------------------------

    async def customer(self, customer_id: str) -> Customer:
        body = await self._request("GET", f"{API}/customers/{_seg(customer_id)}")
        return parse_model(Customer, unwrap(body, "customer"), what="customer")

    async def orders(self, customer_id: str) -> list[Order]:
        body = await self._request("GET", f"{API}/customers/{_seg(customer_id)}/orders")
        return parse_list(Order, body, what="order", key="orders")

    async def templates(self) -> list[Template]:
        body = await self._request("GET", f"{API}/templates")
        return parse_list(Template, body, what="template", key="templates")

    async def create_template(self, template: dict[str, Any]) -> Template:
        body = await self._request("POST", f"{API}/templates", json_body=template, idempotent=False)
        return parse_model(Template, unwrap(body, "template"), what="template")

    async def update_template(self, template_id: str, template: dict[str, Any]) -> Template:
        body = await self._request(
            "PUT", f"{API}/templates/{_seg(template_id)}", json_body=template
        )
        return parse_model(Template, unwrap(body, "template"), what="template")

    async def delete_template(self, template_id: str) -> None:
        await self._request("DELETE", f"{API}/templates/{_seg(template_id)}")

    async def metrics(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        agent_id: str | None = None,
    ) -> MetricsReport:
        body = await self._request(
            "GET",
            f"{API}/metrics",
            params={
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "agent_id": agent_id,
            },
        )
        return parse_model(MetricsReport, body, what="metrics report")

    async def metric_messages(
        self, *, since: datetime, until: datetime | None = None
    ) -> MetricsData:
        """The compact message data behind the metrics (`GET /api/v1/metrics/messages`)."""
        body = await self._request(
            "GET",
            f"{API}/metrics/messages",
            params={"since": since.isoformat(), "until": until.isoformat() if until else None},
        )
        return _metrics_data(body)

    async def settings(self) -> TeamSettings:
        body = await self._request("GET", f"{API}/settings")
        return parse_model(TeamSettings, unwrap(body, "settings"), what="team settings")

    async def update_settings(self, settings: TeamSettings) -> TeamSettings:
        body = await self._request(
            "PUT", f"{API}/settings", json_body=settings.model_dump(mode="json")
        )
        return parse_model(TeamSettings, unwrap(body, "settings"), what="team settings")

    async def media(self, url: str) -> bytes:
        """Fetch an image from the backend's own origin (refuses any other origin)."""
        absolute = urljoin(self._base_url + "/", url)
        if origin_of(absolute) != origin_of(self._base_url):
            raise BackendError(
                "Refusing to load an image from another site than your backend.", code="origin"
            )
        last_error: BackendError | None = None
        import httpx  # see _request

        for attempt in range(1 + self._retries):
            if attempt:
                await self._request_retry.sleep(attempt - 1)
            try:
                response = await self._exchange("GET", absolute, headers=self._headers())
            except httpx.TransportError:
                last_error = NetworkError(
                    "The image could not be loaded: the backend is unreachable.",
                    code="unreachable",
                )
                continue
            if response.status_code >= 500:
                last_error = ServerError("The backend failed to serve the image.")
                continue
            if response.status_code >= 400:
                raise error_for_status(response.status_code, self._safe_json(response))
            if len(response.content) > MAX_MEDIA_BYTES:
                raise ProtocolError("The image is too large to show.", code="too_large")
            return response.content
        assert last_error is not None
        raise last_error

    @staticmethod
    def _safe_json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except (ValueError, RecursionError):
            return None

    # -- Event stream -------------------------------------------------------------------------

    def ack(self, seq: int) -> None:
        """Tell the stream the last seq applied, so a reconnect resumes after it."""
        self._acked = max(self._acked, seq)

    @property
    def resume_seq(self) -> int:
        """The seq the next (re)connection asks to resume after."""
        return self._acked

    def _ws_url(self) -> str:
        parts = urlsplit(self._base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return f"{scheme}://{parts.netloc}{parts.path}{API}/events"

    async def stream(self, after: int) -> AsyncIterator[StreamItem]:
        """The live event stream from `after` (see the Backend protocol); ends on sign-out."""
        # Imported here, when the stream opens, not with the connector: the start does not need
        # it before the first page of threads is on screen (~20 ms).
        import websockets
        from websockets.asyncio.client import connect as ws_connect

        self._acked = max(self._acked, after)
        attempt = 0
        yield StreamState("connecting")
        while not self._closed:
            error = "The connection to the backend was lost."
            try:
                async with ws_connect(
                    self._ws_url(),
                    open_timeout=self._timeout,
                    ping_interval=self._ping_interval,
                    ping_timeout=self._ping_timeout,
                    close_timeout=2,
                    max_size=MAX_FRAME_BYTES * 4,
                    proxy=None if self._loopback else True,
                    user_agent_header="AgentDesktop/0.1",
                    logger=_ws_log,
                    # wss:// trusts what HTTP trusts (websockets would take the system's CAs).
                    ssl=tls_context() if self._https else None,
                ) as ws:
                    self._ws = ws
                    hello = {"type": "hello", "token": self._token or "", "after": self._acked}
                    await ws.send(json.dumps(hello))
                    resynced = False
                    async for raw in ws:
                        item = self._frame(raw)
                        if item is None:
                            continue
                        if isinstance(item, Resync):
                            resynced = True
                        if isinstance(item, Ready):
                            attempt = 0
                            if resynced:  # our seq meant nothing to the server: start from its own
                                self._acked = item.seq
                            yield item
                            yield StreamState("live")
                        else:
                            yield item
                    if ws.close_code == SIGNED_OUT_CODE:
                        why = ws.close_reason or "unauthorized"
                        yield StreamState("signed_out", error=_signed_out_sentence(), code=why)
                        return
            except websockets.ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd is not None else None
                if code == SIGNED_OUT_CODE:
                    why = (exc.rcvd.reason if exc.rcvd is not None else "") or "unauthorized"
                    yield StreamState("signed_out", error=_signed_out_sentence(), code=why)
                    return
                log.info("Event stream closed (code %s)", code)
            except websockets.InvalidStatus as exc:
                status = exc.response.status_code
                if status in (401, 403):
                    yield StreamState(
                        "signed_out", error=_signed_out_sentence(), code="unauthorized"
                    )
                    return
                error = f"The backend refused the live connection (HTTP {status})."
                log.info("Event stream refused: HTTP %s", status)
            except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                log.info("Event stream failed: %s", type(exc).__name__)
                error = f"Cannot reach the backend at {self._base_url}."
            finally:
                self._ws = None
            if self._closed:
                return
            delay = self._reconnect.delay(attempt)
            attempt += 1
            yield StreamState("reconnecting", retry_in=delay, error=error)
            await self._wait_or_answer(delay)
            yield StreamState("connecting")

    async def _wait_or_answer(self, delay: float) -> None:
        """Wait `delay` seconds before connecting again, or less: the server's health check is
        asked every PROBE_INTERVAL seconds meanwhile, and once it answers the stream connects,
        so a server that comes back is reached within ~2 s, not at the end of a long backoff."""
        loop = asyncio.get_running_loop()
        end = loop.time() + delay
        while not self._closed:
            left = end - loop.time()
            if left <= 0:
                return
            await asyncio.sleep(min(PROBE_INTERVAL, left))
            if end - loop.time() <= 0 or await self._answers():
                return

    async def _answers(self) -> bool:
        """Whether the server answers its health check (200: up, its database reachable)."""
        import httpx  # loaded already: the connector's requests use it

        try:
            response = await asyncio.wait_for(self._http.get(f"{API}/health"), PROBE_INTERVAL)
        except (OSError, TimeoutError, RuntimeError, httpx.HTTPError):
            return False
        return response.status_code == 200

    def _frame(self, raw: str | bytes) -> Event | Ready | Resync | EphemeralItem | None:
        """Decode one websocket frame; an invalid frame is logged and skipped (None)."""
        if len(raw) > MAX_FRAME_BYTES:
            log.warning("Skipped an oversized event frame (%d bytes)", len(raw))
            return None
        try:
            frame = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nested too deep to decode
            log.warning("Skipped an event frame that is not JSON")
            return None
        if not isinstance(frame, dict):
            log.warning("Skipped an event frame that is not an object")
            return None
        kind = frame.get("type")
        try:
            if kind == "event":
                return parse_model(Event, frame, what="event")
            if kind == "ready":
                seq = frame.get("seq")
                if not isinstance(seq, int) or isinstance(seq, bool):
                    raise ProtocolError("ready without seq")
                server_time = parse_time(frame.get("server_time"))
                if server_time is not None:
                    self._clock_offset = server_time.timestamp() - time.time()
                return Ready(seq=seq, server_time=server_time)
            if kind == "resync":
                return Resync()
            if kind == "pong":
                return None
            if kind == "ephemeral" and isinstance(frame.get("name"), str):
                data = frame.get("data")
                return EphemeralItem(
                    name=frame["name"], data=data if isinstance(data, dict) else {}
                )
            if kind in EPHEMERAL_NAMES:
                data = frame.get("data")
                if not isinstance(data, dict):
                    data = {k: v for k, v in frame.items() if k != "type"}
                return EphemeralItem(name=str(kind), data=data)
        except ProtocolError:
            log.warning("Skipped a malformed %r frame", kind)
            return None
        log.info("Skipped an event frame of unknown type %r", kind)
        return None

    async def send_ephemeral(self, name: str, data: dict[str, Any]) -> None:
        """Send `typing` / `viewing` on the open stream (dropped silently when offline)."""
        ws = self._ws
        if ws is None:
            return
        import websockets  # imported by `stream`, which opened `ws`

        try:
            await ws.send(json.dumps({"type": name, "data": data, **data}))
        except (websockets.WebSocketException, OSError):
            log.debug("Dropped an ephemeral %s signal: stream not connected", name)

    async def aclose(self) -> None:
        self._closed = True
        ws = self._ws
        if ws is not None:
            await ws.close()
        # Exchanges in flight end first (bounded); only those still running are cancelled. A
        # cancellation that lands while httpcore closes expired keep-alive connections leaves the
        # rest of them unclosed, and closing the pool under a call that is connecting loses the
        # new connection: either way a socket is left to the garbage collector.
        inflight = list(self._inflight)
        if inflight:
            _done, pending = await asyncio.wait(inflight, timeout=5.0)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=5.0)
        if self._client is not None:
            await self._client.aclose()

    # -- Messenger bridge (reference server only; base.MessengerActions) ---------------------

    async def messenger_state(self, thread_id: str) -> MessengerState | None:
        """The thread's Messenger facts (`GET /threads/{id}/messenger`); None when the server's
        bridge is off (it answers 404 for every bridge address then)."""
        try:
            body = await self._request("GET", f"{API}/threads/{_seg(thread_id)}/messenger")
        except NotFoundError:
            return None
        return messenger_state_from(body, thread_id)

    async def send_order_message(
        self, thread_id: str, *, order_id: str, kind: OrderMessageKind, client_id: str
    ) -> Message:
        """Send a receipt or a shipping update (`POST /threads/{id}/order-messages`). Retried
        like a reply: the server deduplicates on `client_id`. 409 and 422 carry its sentence."""
        body = await self._request(
            "POST",
            f"{API}/threads/{_seg(thread_id)}/order-messages",
            json_body={"client_id": client_id, "order_id": order_id, "kind": kind},
            idempotent=True,
        )
        return parse_model(Message, unwrap(body, "message"), what="order message")

    # -- the Page's sending state and utility templates (base.MessengerAdmin) -----------------

    async def messenger_page(self) -> MessengerPage | None:
        try:
            body = await self._request("GET", f"{API}/messenger")
        except NotFoundError:
            return None
        return parse_model(MessengerPage, body, what="Messenger page")

    async def utility_templates(self) -> list[UtilityTemplate]:
        body = await self._request("GET", f"{API}/messenger/templates")
        return parse_list(UtilityTemplate, body, what="utility templates", key="items")

    async def template_library(self, search: str = "", language: str = "") -> list[LibraryTemplate]:
        body = await self._request(
            "GET",
            f"{API}/messenger/template-library",
            params={"search": search or None, "language": language or None},
        )
        return parse_list(LibraryTemplate, body, what="template library", key="items")

    async def clone_utility_template(
        self,
        *,
        library_name: str,
        language: str,
        name: str,
        purpose: str,
        fields: list[str] | None = None,
    ) -> list[UtilityTemplate]:
        body = await self._request(
            "POST",
            f"{API}/messenger/templates",
            json_body={
                "name": name,
                "purpose": purpose,
                "library_template_name": library_name,
                "language": language,
                "fields": fields,
            },
            idempotent=False,
        )
        return parse_list(UtilityTemplate, body, what="utility templates", key="items")

    async def write_utility_template(
        self, *, name: str, purpose: str, bodies: dict[str, str]
    ) -> list[UtilityTemplate]:
        body = await self._request(
            "POST",
            f"{API}/messenger/templates",
            json_body={"name": name, "purpose": purpose, "bodies": bodies},
            idempotent=False,
        )
        return parse_list(UtilityTemplate, body, what="utility templates", key="items")

    async def delete_utility_template(self, template_id: str) -> None:
        await self._request("DELETE", f"{API}/messenger/templates/{_seg(template_id)}")

    async def refresh_utility_templates(self) -> list[UtilityTemplate]:
        body = await self._request("POST", f"{API}/messenger/templates/refresh", idempotent=True)
        return parse_list(UtilityTemplate, body, what="utility templates", key="items")

    async def resume_sending(self) -> PageSending:
        body = await self._request("POST", f"{API}/messenger/resume", idempotent=True)
        return parse_model(PageSending, unwrap(body, "page"), what="Messenger page")

    # -- the shop (reference server only; base.ShopActions) ----------------------------------

    async def order_actions(self, order_id: str) -> list[OrderAction]:
        body = await self._request("GET", f"{API}/orders/{_seg(order_id)}/actions")
        return parse_list(OrderAction, body, what="order action", key="actions")

    async def submit_order_action(
        self, order_id: str, request: dict[str, Any]
    ) -> tuple[OrderAction, Order]:
        """`POST /orders/{id}/actions`; retried like a reply: the server deduplicates on the
        request's `client_id`, so a lost answer never makes a second refund."""
        body = await self._request(
            "POST",
            f"{API}/orders/{_seg(order_id)}/actions",
            json_body=request,
            idempotent=True,
        )
        return _action_and_order(body)

    async def decide_order_action(
        self, action_id: str, *, approve: bool, note: str = ""
    ) -> tuple[OrderAction, Order]:
        body = await self._request(
            "POST",
            f"{API}/actions/{_seg(action_id)}/decision",
            json_body={"decision": "approve" if approve else "decline", "note": note},
        )
        return _action_and_order(body)

    async def list_order_actions(
        self, *, status: str | None = None, customer_id: str | None = None
    ) -> list[OrderAction]:
        params = {"status": status, "customer_id": customer_id, "limit": 500}
        body = await self._request("GET", f"{API}/actions", params=params)
        return parse_list(OrderAction, body, what="order action", key="actions")

    async def search_customers(self, query: str) -> list[Customer]:
        body = await self._request("GET", f"{API}/customers", params={"q": query, "limit": 20})
        return parse_list(Customer, body, what="customer", key="customers")

    async def link_customer(self, thread_id: str, customer_id: str) -> Thread:
        body = await self._request(
            "POST",
            f"{API}/threads/{_seg(thread_id)}/customer",
            json_body={"customer_id": customer_id},
        )
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    async def dismiss_customer_suggestion(self, thread_id: str) -> Thread:
        body = await self._request("DELETE", f"{API}/threads/{_seg(thread_id)}/customer-suggestion")
        return parse_model(Thread, unwrap(body, "thread"), what="thread")


def _action_and_order(body: Any) -> tuple[OrderAction, Order]:
    if not isinstance(body, dict):
        raise ProtocolError("The backend sent a malformed order action.", code="malformed")
    action = parse_model(OrderAction, body.get("action"), what="order action")
    order = parse_model(Order, body.get("order"), what="order")
    return action, order


_METRIC_AUTHORS = ("customer", "agent", "automated", "system")


def _metrics_data(body: Any) -> MetricsData:
    """Validate `GET /metrics/messages`; anything malformed is a ProtocolError."""
    try:
        since = parse_time(body["since"])
        until = parse_time(body["until"])
        threads: list[MetricThread] = []
        ids: set[str] = set()
        for raw in body["threads"]:
            messages: list[MetricMessage] = []
            for m in raw["messages"]:
                at = parse_time(m["at"])
                author = m["author"]
                if at is None or author not in _METRIC_AUTHORS:
                    raise ValueError(author)
                agent_id = m.get("agent_id")
                messages.append(
                    MetricMessage(
                        at=at,
                        author=author,
                        kind="note" if m.get("kind") == "note" else "text",
                        agent_id=str(agent_id) if agent_id else None,
                    )
                )
                if m.get("id"):
                    ids.add(str(m["id"]))
            threads.append(
                MetricThread(id=str(raw["id"]), messages=messages, spam=bool(raw.get("spam")))
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError("The backend sent malformed metrics data.") from exc
    if since is None or until is None:
        raise ProtocolError("The backend sent malformed metrics data.")
    return MetricsData(since=since, until=until, threads=threads, message_ids=frozenset(ids))


def _seg(value: str) -> str:
    return quote(value, safe="")


def _signed_out_sentence() -> str:
    return "Your session has ended; please sign in again."


def messenger_state_from(body: Any, thread_id: str) -> MessengerState:
    """Validate `GET /threads/{id}/messenger`; anything malformed is a ProtocolError."""
    if not isinstance(body, dict):
        raise ProtocolError("The backend sent malformed Messenger details.", code="malformed")
    body = {"thread_id": thread_id, **body}
    if body.get("reply_window") is None:
        body["reply_window"] = {}
    facts = parse_model(MessengerFacts, body, what="Messenger details")
    return MessengerState.from_facts(facts)
