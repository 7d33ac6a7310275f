"""The client's default connector: the Agent API v1 (SPEC §3) over httpx and a websocket.

Every answer is validated with the shared pydantic types before anyone sees it; idempotent calls
are retried with backoff; the event stream reconnects by itself and resumes after the last seq
the consumer acknowledged.

The event stream is in `agent_api_stream.py`, the Messenger endpoints in `agent_api_messenger.py`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from agent_desktop.backends.agent_api_client import parse_time
from agent_desktop.backends.agent_api_http import (
    API,
    error_for_status,
    origin_of,
    parse_list,
    parse_model,
    seg,
    unwrap,
)
from agent_desktop.backends.agent_api_messenger import MessengerEndpoints
from agent_desktop.backends.agent_api_stream import AgentApiStream
from agent_desktop.backends.base import (
    BackendError,
    MetricsData,
    NetworkError,
    OpenThreads,
    ProtocolError,
    ServerError,
)
from agent_desktop.core.types import (
    Agent,
    AuthorKind,
    LoginResult,
    Message,
    MessagePage,
    MetricsReport,
    NewMember,
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

    from agent_desktop.core.order_types import Customer, Order, OrderAction

MAX_MEDIA_BYTES = 25 * 1024 * 1024


class AgentApiBackend(AgentApiStream, MessengerEndpoints):
    """The Agent API v1 connector (implements `agent_desktop.backends.base.Backend`): the
    endpoints, with the event stream of `AgentApiStream` and the Messenger endpoints of
    `MessengerEndpoints`, on the connection of `AgentApiClient` (backends/agent_api_client.py,
    which documents the constructor's arguments)."""

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
            "PATCH", f"{API}/agents/{seg(agent_id)}", json_body=changes, idempotent=True
        )
        return parse_model(Agent, unwrap(body, "agent"), what="team member")

    async def deactivate_member(self, agent_id: str, *, open_threads: OpenThreads) -> Agent:
        body = await self._request(
            "POST",
            f"{API}/agents/{seg(agent_id)}/deactivate",
            json_body={"open_threads": open_threads},
            idempotent=True,
        )
        return parse_model(Agent, unwrap(body, "agent"), what="team member")

    async def activate_member(self, agent_id: str) -> Agent:
        body = await self._request(
            "POST", f"{API}/agents/{seg(agent_id)}/activate", idempotent=True
        )
        return parse_model(Agent, unwrap(body, "agent"), what="team member")

    async def reset_member(self, agent_id: str) -> NewMember:
        body = await self._request("POST", f"{API}/agents/{seg(agent_id)}/reset", idempotent=False)
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
        body = await self._request("GET", f"{API}/threads/{seg(thread_id)}")
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    async def messages(
        self, thread_id: str, *, before: str | None = None, limit: int = 50
    ) -> MessagePage:
        body = await self._request(
            "GET",
            f"{API}/threads/{seg(thread_id)}/messages",
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
            f"{API}/threads/{seg(thread_id)}/messages",
            json_body=payload,
            idempotent=True,  # the server deduplicates on client_id
        )
        return parse_model(Message, unwrap(body, "message"), what="message")

    async def assign(self, thread_id: str, agent_id: str | None) -> Thread:
        body = await self._request(
            "POST", f"{API}/threads/{seg(thread_id)}/assignment", json_body={"agent_id": agent_id}
        )
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    async def set_status(self, thread_id: str, status: ThreadStatus) -> Thread:
        body = await self._request(
            "POST", f"{API}/threads/{seg(thread_id)}/status", json_body={"status": status}
        )
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    async def mark_read(self, thread_id: str, message_id: str) -> Thread:
        body = await self._request(
            "POST", f"{API}/threads/{seg(thread_id)}/read", json_body={"message_id": message_id}
        )
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    # -- Customers, templates, metrics, settings -------------------------------------------

    async def customer(self, customer_id: str) -> Customer:
        from agent_desktop.core.order_types import Customer

        body = await self._request("GET", f"{API}/customers/{seg(customer_id)}")
        return parse_model(Customer, unwrap(body, "customer"), what="customer")

    async def orders(self, customer_id: str) -> list[Order]:
        from agent_desktop.core.order_types import Order

        body = await self._request("GET", f"{API}/customers/{seg(customer_id)}/orders")
        return parse_list(Order, body, what="order", key="orders")

    async def templates(self) -> list[Template]:
        body = await self._request("GET", f"{API}/templates")
        return parse_list(Template, body, what="template", key="templates")

    async def create_template(self, template: dict[str, Any]) -> Template:
        body = await self._request("POST", f"{API}/templates", json_body=template, idempotent=False)
        return parse_model(Template, unwrap(body, "template"), what="template")

    async def update_template(self, template_id: str, template: dict[str, Any]) -> Template:
        body = await self._request("PUT", f"{API}/templates/{seg(template_id)}", json_body=template)
        return parse_model(Template, unwrap(body, "template"), what="template")

    async def delete_template(self, template_id: str) -> None:
        await self._request("DELETE", f"{API}/templates/{seg(template_id)}")

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

    # -- Closing ------------------------------------------------------------------------------

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

    async def order_actions(self, order_id: str) -> list[OrderAction]:
        from agent_desktop.core.order_types import OrderAction

        body = await self._request("GET", f"{API}/orders/{seg(order_id)}/actions")
        return parse_list(OrderAction, body, what="order action", key="actions")

    async def submit_order_action(
        self, order_id: str, request: dict[str, Any]
    ) -> tuple[OrderAction, Order]:
        """`POST /orders/{id}/actions`; retried like a reply: the server deduplicates on the
        request's `client_id`, so a lost answer never makes a second refund."""
        body = await self._request(
            "POST",
            f"{API}/orders/{seg(order_id)}/actions",
            json_body=request,
            idempotent=True,
        )
        return _action_and_order(body)

    async def decide_order_action(
        self, action_id: str, *, approve: bool, note: str = ""
    ) -> tuple[OrderAction, Order]:
        body = await self._request(
            "POST",
            f"{API}/actions/{seg(action_id)}/decision",
            json_body={"decision": "approve" if approve else "decline", "note": note},
        )
        return _action_and_order(body)

    async def list_order_actions(
        self, *, status: str | None = None, customer_id: str | None = None
    ) -> list[OrderAction]:
        from agent_desktop.core.order_types import OrderAction

        params = {"status": status, "customer_id": customer_id, "limit": 500}
        body = await self._request("GET", f"{API}/actions", params=params)
        return parse_list(OrderAction, body, what="order action", key="actions")

    async def search_customers(self, query: str) -> list[Customer]:
        from agent_desktop.core.order_types import Customer

        body = await self._request("GET", f"{API}/customers", params={"q": query, "limit": 20})
        return parse_list(Customer, body, what="customer", key="customers")

    async def link_customer(self, thread_id: str, customer_id: str) -> Thread:
        body = await self._request(
            "POST",
            f"{API}/threads/{seg(thread_id)}/customer",
            json_body={"customer_id": customer_id},
        )
        return parse_model(Thread, unwrap(body, "thread"), what="thread")

    async def dismiss_customer_suggestion(self, thread_id: str) -> Thread:
        body = await self._request("DELETE", f"{API}/threads/{seg(thread_id)}/customer-suggestion")
        return parse_model(Thread, unwrap(body, "thread"), what="thread")


def _action_and_order(body: Any) -> tuple[OrderAction, Order]:
    from agent_desktop.core.order_types import Order, OrderAction

    if not isinstance(body, dict):
        raise ProtocolError("The backend sent a malformed order action.", code="malformed")
    action = parse_model(OrderAction, body.get("action"), what="order action")
    order = parse_model(Order, body.get("order"), what="order")
    return action, order


_METRIC_AUTHORS: dict[str, AuthorKind] = {
    "customer": "customer",
    "agent": "agent",
    "automated": "automated",
    "system": "system",
}


def _metrics_data(body: Any) -> MetricsData:
    """Validate `GET /metrics/messages`; anything malformed is a ProtocolError."""
    from agent_desktop.core.metrics import MetricMessage, MetricThread  # with the dashboard

    try:
        since = parse_time(body["since"])
        until = parse_time(body["until"])
        threads: list[MetricThread] = []
        ids: set[str] = set()
        # One string per agent and per author kind: the dashboard keeps every message of its
        # window, and the JSON decoder gives each its own copy of both (~60 bytes each).
        agents: dict[str, str] = {}
        for raw in body["threads"]:
            messages: list[MetricMessage] = []
            for m in raw["messages"]:
                at = parse_time(m["at"])
                author = _METRIC_AUTHORS.get(m["author"])  # the constant, not the JSON's copy
                if at is None or author is None:
                    raise ValueError(m["author"])
                agent_id = m.get("agent_id")
                agent = str(agent_id) if agent_id else ""
                messages.append(
                    MetricMessage(
                        at=at,
                        author=author,
                        kind="note" if m.get("kind") == "note" else "text",
                        agent_id=agents.setdefault(agent, agent) if agent else None,
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
