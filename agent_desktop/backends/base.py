"""The `Backend` protocol: the only view of a backend that the store and the UI have.

Connectors (the Agent API v1 connector, the Chatwoot connector) implement it with plain asyncio.
Every method raises a `BackendError` subclass with a sentence a person can read, never a raw
transport exception.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias, runtime_checkable
from urllib.parse import urlsplit

from agent_desktop.backends.hosts import is_loopback_host

if TYPE_CHECKING:  # the API models (pydantic) are not needed to import this module
    from agent_desktop.core.messenger_types import (
        LibraryTemplate,
        MessengerPage,
        MessengerState,
        PageSending,
        TemplateClone,
        UtilityTemplate,
    )
    from agent_desktop.core.metrics import MetricThread
    from agent_desktop.core.order_types import Customer, Order, OrderAction
    from agent_desktop.core.types import (
        Agent,
        Event,
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


class BackendError(Exception):
    """Base of every error a connector raises; `str(err)` is a sentence for the agent."""

    status: int | None = None
    code: str = "error"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code


def check_address(
    url: str, *, insecure: bool, what: str, example: str, secret: str, allow_user: bool = True
) -> None:
    """Both connectors' address policy: raise `BackendError` (`bad_url`) unless `url` is an
    http(s) address naming a host (and, unless `allow_user`, no user before it: `https://x@host`
    hides the real host), and (`insecure_url`) for plain http:// to any host but this computer
    unless `insecure` is set: `secret` and every message would cross the network readable.
    `what` names the address ("a backend address"), `example` shows one."""
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or (not allow_user and "@" in parts.netloc)
    ):
        raise BackendError(f"“{url}” is not {what}; it should look like {example}.", code="bad_url")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname) and not insecure:
        raise BackendError(
            f"Refusing to connect to {parts.hostname} over plain http://: your {secret} and "
            "messages would travel unencrypted. Use https://, or pass --insecure if you really "
            "mean it.",
            code="insecure_url",
        )


class NetworkError(BackendError):
    """The backend could not be reached, or the connection broke (retry later)."""


class AuthError(BackendError):
    """401: the token is missing, wrong, expired or revoked; the agent must sign in again."""

    status = 401


class ForbiddenError(BackendError):
    """403: the agent's role may not do this."""

    status = 403


class NotFoundError(BackendError):
    status = 404


class ConflictError(BackendError):
    """409: e.g. the Messenger reply window is closed."""

    status = 409


class ValidationError(BackendError):
    """422: the request was refused as invalid (e.g. empty or over-long text)."""

    status = 422


class RateLimitedError(BackendError):
    status = 429


class ServerError(BackendError):
    """5xx: the backend failed; idempotent calls are retried before this is raised."""


class ProtocolError(BackendError):
    """The backend answered something that does not match the interface (malformed payload)."""


_BY_STATUS: dict[int, type[BackendError]] = {
    cls.status: cls
    for cls in (
        AuthError,
        ForbiddenError,
        NotFoundError,
        ConflictError,
        ValidationError,
        RateLimitedError,
    )
    if cls.status is not None
}


def error_class(status: int) -> type[BackendError]:
    """The error a connector raises for an HTTP refusal `status` (4xx): the class whose `status`
    it is, or BackendError for a status with no class of its own."""
    return _BY_STATUS.get(status, BackendError)


@dataclass(frozen=True)
class Ready:
    """The stream caught up: `seq` is the server's current sequence number."""

    seq: int
    server_time: datetime | None = None


@dataclass(frozen=True)
class Resync:
    """The server cannot replay from the requested seq: reload everything over HTTP."""


@dataclass(frozen=True)
class Ephemeral:
    """A signal with no seq: `typing` or `viewing` (who else has a thread open)."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StreamState:
    """A change of the stream's connection: connecting, live, reconnecting, offline, signed_out.
    `code` says why a session ended (signed_out), as the server's error codes do:
    session_expired, account_deactivated, password_reset, password_changed, session_revoked,
    unauthorized."""

    state: Literal["connecting", "live", "reconnecting", "offline", "signed_out"]
    retry_in: float | None = None  # seconds until the next attempt, when reconnecting
    error: str | None = None
    code: str | None = None


StreamItem: TypeAlias = "Event | Ready | Resync | Ephemeral | StreamState"


@runtime_checkable
class Backend(Protocol):
    """What the client needs of a backend (SPEC §3). Implemented by each connector."""

    @property
    def base_url(self) -> str: ...

    @property
    def kind(self) -> str:
        """The backend kind: "agent-api" or "chatwoot"."""
        ...

    @property
    def clock_offset(self) -> float:
        """Seconds to add to the local clock to get the server's (from `server_time`)."""
        ...

    def set_token(self, token: str | None) -> None: ...

    async def login(self, email: str, password: str) -> LoginResult: ...
    async def logout(self) -> None: ...
    async def me(self) -> Agent: ...
    async def set_presence(self, presence: Presence) -> Agent: ...
    async def agents(self) -> list[Agent]: ...

    async def threads(
        self,
        *,
        status: ThreadStatus | None = None,
        assignee: str = "any",
        q: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> ThreadPage: ...

    async def thread(self, thread_id: str) -> Thread: ...
    async def messages(
        self, thread_id: str, *, before: str | None = None, limit: int = 50
    ) -> MessagePage: ...
    async def send_message(
        self, thread_id: str, *, client_id: str, text: str, kind: SendKind, tag: str | None = None
    ) -> Message: ...
    async def assign(self, thread_id: str, agent_id: str | None) -> Thread: ...
    async def set_status(self, thread_id: str, status: ThreadStatus) -> Thread: ...
    async def mark_read(self, thread_id: str, message_id: str) -> Thread: ...

    async def customer(self, customer_id: str) -> Customer: ...
    async def orders(self, customer_id: str) -> list[Order]: ...

    async def templates(self) -> list[Template]: ...
    async def create_template(self, template: dict[str, Any]) -> Template: ...
    async def update_template(self, template_id: str, template: dict[str, Any]) -> Template: ...
    async def delete_template(self, template_id: str) -> None: ...

    async def metrics(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        agent_id: str | None = None,
    ) -> MetricsReport: ...
    async def settings(self) -> TeamSettings: ...
    async def update_settings(self, settings: TeamSettings) -> TeamSettings: ...

    async def media(self, url: str) -> bytes:
        """Fetch an image from the backend's own origin (refuses any other origin)."""
        ...

    def stream(self, after: int) -> AsyncIterator[StreamItem]:
        """The live event stream from `after`, reconnecting by itself with backoff and jitter.

        Yields `StreamState` on every connection change, `Resync` when the server cannot replay,
        `Ready` once caught up, then `Event`s in seq order and `Ephemeral` signals. The consumer
        passes the last seq it applied on each reconnect through `ack(seq)`.
        """
        ...

    def ack(self, seq: int) -> None:
        """Tell the stream the last seq applied, so a reconnect resumes after it."""
        ...

    async def send_ephemeral(self, name: str, data: dict[str, Any]) -> None:
        """Send `typing` / `viewing` on the open stream (dropped silently when offline)."""
        ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class MetricsData:
    """The messages behind the metrics over [since, until], per thread (notes included, as the
    metrics ignore them), and the ids of those messages so live events are never counted twice."""

    since: datetime
    until: datetime
    threads: list[MetricThread]
    message_ids: frozenset[str] = frozenset()


@runtime_checkable
class MetricsDataSource(Protocol):
    """A backend that can hand over the metrics' message data in one request (the Agent API's
    `GET /api/v1/metrics/messages`); the dashboard falls back to per-thread pages otherwise."""

    async def metric_messages(
        self, *, since: datetime, until: datetime | None = None
    ) -> MetricsData: ...


OpenThreads = Literal["unassign", "keep"]


@runtime_checkable
class TeamAccounts(Protocol):
    """A backend whose team is managed from the client (the Agent API's accounts endpoints): a
    lead adds, renames, re-roles, deactivates, activates and resets members; a new member turns
    an invitation code into a password; anyone changes their own password. Other backends (e.g.
    Chatwoot, whose team is managed in Chatwoot) do not offer it."""

    async def add_member(self, *, email: str, name: str, role: Role) -> NewMember: ...
    async def update_member(
        self, agent_id: str, *, name: str | None = None, role: Role | None = None
    ) -> Agent: ...
    async def deactivate_member(self, agent_id: str, *, open_threads: OpenThreads) -> Agent: ...
    async def activate_member(self, agent_id: str) -> Agent: ...
    async def reset_member(self, agent_id: str) -> NewMember: ...
    async def use_invitation(self, email: str, code: str, password: str) -> LoginResult:
        """Set the password with a one-time code; signs in (the token is kept) like `login`."""
        ...

    async def change_password(self, current: str, new: str) -> None:
        """The signed-in member's own password; their other sessions end."""
        ...


OrderMessageKind = Literal["receipt", "shipping_update"]


@runtime_checkable
class MessengerActions(Protocol):
    """A backend with a Messenger bridge (the reference server's `/threads/{id}/messenger` and
    `/threads/{id}/order-messages`). Other backends simply do not offer order messages."""

    async def messenger_state(self, thread_id: str) -> MessengerState | None:
        """The thread's Messenger facts, or None when the backend's bridge is off."""
        ...

    async def send_order_message(
        self, thread_id: str, *, order_id: str, kind: OrderMessageKind, client_id: str
    ) -> Message:
        """Send a receipt or a shipping update; idempotent on `client_id`. A refusal (409: the
        window, consent or standby; 422: e.g. a receipt whose total disagrees with its items) is a
        BackendError whose text is the server's sentence."""
        ...


@runtime_checkable
class MessengerAdmin(Protocol):
    """A backend whose Messenger bridge reports the Page's sending state and lets team leads
    manage the Page's utility templates (the reference server's `/api/v1/messenger/...`)."""

    async def messenger_page(self) -> MessengerPage | None:
        """The Page's sending state, permissions and rules; None when the bridge is off."""
        ...

    async def utility_templates(self) -> list[UtilityTemplate]: ...

    async def template_library(self, search: str = "", language: str = "") -> list[LibraryTemplate]:
        """Meta's library of order templates (team leads)."""
        ...

    async def clone_utility_template(self, clone: TemplateClone) -> list[UtilityTemplate]: ...

    async def write_utility_template(
        self, *, name: str, purpose: str, bodies: dict[str, str]
    ) -> list[UtilityTemplate]:
        """A Page-owned template, one per language given ("fr", "en"), with named order values
        ({order_number})."""
        ...

    async def delete_utility_template(self, template_id: str) -> None: ...

    async def refresh_utility_templates(self) -> list[UtilityTemplate]: ...

    async def resume_sending(self) -> PageSending:
        """Ask to try sending again now after Meta paused the Page (team leads)."""
        ...


@runtime_checkable
class ShopActions(Protocol):
    """A backend whose orders can be acted on and whose conversations can be linked to shop
    customers (the reference server's `/orders/{id}/actions`, `/actions`, `/customers?q=`,
    `/threads/{id}/customer`). Refusals (409 by the order's state, 422 over amounts or
    quantities) are BackendErrors whose text is the server's sentence."""

    async def order_actions(self, order_id: str) -> list[OrderAction]:
        """The order's actions, newest first."""
        ...

    async def submit_order_action(
        self, order_id: str, request: dict[str, Any]
    ) -> tuple[OrderAction, Order]:
        """Ask for an action (`request` carries `client_id`; the same one again returns the same
        action, so a retry never acts twice): the action and the order as they are now."""
        ...

    async def decide_order_action(
        self, action_id: str, *, approve: bool, note: str = ""
    ) -> tuple[OrderAction, Order]:
        """A lead approves or declines a refund waiting for approval."""
        ...

    async def list_order_actions(
        self, *, status: str | None = None, customer_id: str | None = None
    ) -> list[OrderAction]:
        """Actions across orders, newest first: a lead sees everyone's, an agent their own; with
        `customer_id`, every action on that customer's orders."""
        ...

    async def search_customers(self, query: str) -> list[Customer]:
        """Customers whose name, e-mail, phone or order number contains `query`."""
        ...

    async def link_customer(self, thread_id: str, customer_id: str) -> Thread:
        """Make `customer_id` the thread's customer; the thread as it is now."""
        ...

    async def dismiss_customer_suggestion(self, thread_id: str) -> Thread:
        """The suggested customer is not this person."""
        ...
