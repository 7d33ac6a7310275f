"""`ChatwootBackend`: the Backend protocol on Chatwoot's Application API and ActionCable socket.

HTTP calls go to `/api/v1/accounts/{account_id}/...` with the `api_access_token` header; the live
stream subscribes to `RoomChannel` on `/cable`. What Chatwoot lacks (spam, order details, replay)
is emulated or reported as unavailable; docs/CHATWOOT.md has the full picture.

This class maps the protocol's calls to Chatwoot's; the parts do the work: client.py (HTTP,
media), auth.py (sign-in, profile, accounts), cache.py (what is known of the conversations),
sending.py (exactly-once replies), stream.py (the live events), metrics.py (Chatwoot's reports,
or our figures computed from history.py's reading of the past).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError as PydanticError

from agent_desktop import paths
from agent_desktop.backends.base import (
    BackendError,
    NotFoundError,
    ProtocolError,
    StreamItem,
    ValidationError,
)
from agent_desktop.backends.chatwoot.auth import ChatwootAuth, MfaRequired
from agent_desktop.backends.chatwoot.cache import ConversationCache
from agent_desktop.backends.chatwoot.client import (
    AccountRequired,
    ChatwootClient,
    int_id,
    json_of,
    parse,
)
from agent_desktop.backends.chatwoot.history import (
    CONVERSATIONS_PER_PAGE,
    MESSAGES_PER_PAGE,
    History,
)
from agent_desktop.backends.chatwoot.mapping import (
    SPAM_LABEL,
    customer_from,
    order_from,
    template_from,
)
from agent_desktop.backends.chatwoot.metrics import ChatwootMetrics, MetricsSource
from agent_desktop.backends.chatwoot.models import (
    CwAccountRef,
    CwCannedResponse,
    CwContact,
    CwConversation,
    CwConversationList,
    CwMessageList,
    CwProfile,
    CwShopifyOrders,
)
from agent_desktop.backends.chatwoot.sending import Sender
from agent_desktop.backends.chatwoot.stream import CableStream, StreamTiming, SubscriptionRefused
from agent_desktop.backends.chatwoot.templates import to_chatwoot
from agent_desktop.core.retry import RetryPolicy
from agent_desktop.core.types import (
    Agent,
    LoginResult,
    Message,
    MessagePage,
    MetricsReport,
    Presence,
    SendKind,
    TeamSettings,
    Template,
    Thread,
    ThreadPage,
    ThreadStatus,
)

if TYPE_CHECKING:
    from agent_desktop.core.order_types import Customer, Order

__all__ = ["AccountRequired", "ChatwootBackend", "MfaRequired", "SubscriptionRefused", "parse"]


class ChatwootBackend:
    """The Backend protocol on a Chatwoot server (v4.10 Application API + ActionCable).

    `ChatwootBackend(base_url, account_id=None, token=None)`; sign in with `login()` (then
    `login_mfa()` on `MfaRequired`) or pass an access token. When the user has several accounts,
    `await accounts()` lists them and `select_account(id)` chooses one.
    """

    def __init__(
        self,
        base_url: str,
        account_id: int | None = None,
        token: str | None = None,
        *,
        timeout: float = 15.0,
        retries: int = 2,
        retry_base: float = 0.3,
        presence_interval: float = 20.0,
        stale_after: float = 6.0,
        subscribe_timeout: float = 8.0,
        reconnect_base: float = 0.5,
        reconnect_cap: float = 30.0,
        refetch_margin: float = 30.0,
        resync_threshold: int = 200,
        resync_after: float = 3 * 3600.0,
        metrics_source: MetricsSource = "auto",
        metrics_max_conversations: int = 300,
        journal_path: Path | Literal["default"] | None = "default",
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
        insecure: bool = False,
    ) -> None:
        self.client = ChatwootClient(
            base_url,
            account_id,
            token,
            timeout=timeout,
            retries=retries,
            retry_base=retry_base,
            event_hooks=event_hooks,
            insecure=insecure,
        )
        self.auth = ChatwootAuth(self.client, on_account_change=self._forget_account)
        self.cache = ConversationCache(self.client)
        self.sender = Sender(self.client, self.auth, self.cache, journal_path)
        self.live = CableStream(
            self.client,
            self.auth,
            self.cache,
            StreamTiming(
                presence_interval=presence_interval,
                stale_after=stale_after,
                subscribe_timeout=subscribe_timeout,
                reconnect=RetryPolicy(base=reconnect_base, cap=reconnect_cap),
                refetch_margin=refetch_margin,
                resync_threshold=resync_threshold,
                resync_after=resync_after,
            ),
        )
        self.history = History(self.client, max_conversations=metrics_max_conversations)
        self.figures = ChatwootMetrics(self.client, self.history, metrics_source)
        self._settings: TeamSettings | None = None

    def _forget_account(self) -> None:
        self.cache.clear()
        self.live.open_thread = None  # conversation ids are per account
        self.live.viewing_known = False
        self.sender.forget_journal()
        self._settings = None
        self.figures.forget_account()

    # -- Properties -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.client.base_url

    @property
    def kind(self) -> str:
        return "chatwoot"

    @property
    def clock_offset(self) -> float:
        return self.client.clock_offset

    @property
    def account_id(self) -> int | None:
        return self.client.account_id

    @property
    def token(self) -> str | None:
        return self.client.token

    @property
    def user_id(self) -> int | None:
        return self.auth.user_id

    @property
    def seq(self) -> int:
        """The last sequence number the stream synthesized."""
        return self.live.seq

    def set_token(self, token: str | None) -> None:
        self.auth.set_token(token)

    def set_open_thread(self, thread_id: str | None) -> None:
        """The conversation on screen: its messages are refetched after a reconnect."""
        self.live.open_thread = thread_id

    # -- Sign-in and accounts (auth.py) ---------------------------------------------------------

    async def login(self, email: str, password: str) -> LoginResult:
        """`POST /auth/sign_in`; raises `MfaRequired` when the user has two-factor sign-in."""
        return await self.auth.login(email, password)

    async def login_mfa(
        self, mfa_token: str, *, otp_code: str | None = None, backup_code: str | None = None
    ) -> LoginResult:
        """Second step of an MFA sign-in: the code from the app, or a backup code."""
        return await self.auth.login_mfa(mfa_token, otp_code=otp_code, backup_code=backup_code)

    async def logout(self) -> None:
        await self.auth.logout()

    async def profile(self, *, refresh: bool = False) -> CwProfile:
        return await self.auth.profile(refresh=refresh)

    async def accounts(self) -> list[CwAccountRef]:
        return await self.auth.accounts()

    def select_account(self, account_id: int) -> None:
        self.auth.select_account(account_id)

    @property
    def needs_account_choice(self) -> bool:
        return self.auth.needs_account_choice

    async def me(self) -> Agent:
        return await self.auth.me()

    async def set_presence(self, presence: Presence) -> Agent:
        return await self.auth.set_presence(presence)

    async def agents(self) -> list[Agent]:
        return await self.live.agents()

    # -- Conversations --------------------------------------------------------------------------

    async def threads(
        self,
        *,
        status: ThreadStatus | None = None,
        assignee: str = "any",
        q: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> ThreadPage:
        """One page of 25 conversations (Chatwoot's fixed page size; `limit` is not honoured).

        `cursor` is the next page number. Spam is a label (`spam`); snoozed ones count as
        pending but are only listed when no status filter is given.
        """
        page = 1
        if cursor:
            try:
                page = max(1, int(cursor))
            except ValueError:
                raise ValidationError("This list position is not valid.") from None
        assignee_type = assignee if assignee in {"me", "unassigned", "assigned"} else "all"
        params: dict[str, Any] = {
            "status": "all" if status in (None, "spam") else status,
            "assignee_type": assignee_type,
            "page": page,
        }
        if status == "spam":
            params["labels[]"] = [SPAM_LABEL]
        if q:
            params["q"] = q
        body = await self.client.get(self.client.acct("/conversations"), params)
        listing = parse(CwConversationList, body, what="list")
        items = [self.cache.thread(conv) for conv in listing.data.payload]
        if status is not None:
            items = [t for t in items if t.status == status]
        counts = listing.data.meta
        count = {
            "me": counts.mine_count,
            "unassigned": counts.unassigned_count,
            "assigned": counts.assigned_count,
            "all": counts.all_count,
        }[assignee_type]
        if count is not None:
            more = page * CONVERSATIONS_PER_PAGE < count
        else:
            more = len(listing.data.payload) >= CONVERSATIONS_PER_PAGE
        more = more and bool(listing.data.payload)
        return ThreadPage(items=items, next_cursor=str(page + 1) if more else None)

    async def thread(self, thread_id: str) -> Thread:
        return self.cache.thread(await self.cache.conversation(thread_id))

    async def messages(
        self, thread_id: str, *, before: str | None = None, limit: int = 50
    ) -> MessagePage:
        """Newest messages first page, then older ones with `before` (Chatwoot pages by 20).

        Items are newest first, like the Agent API's pages.
        """
        params: dict[str, Any] = {}
        if before is not None:
            params["before"] = int_id(before, "message")
        elif self.live.open_thread is None or not self.live.viewing_known:
            # The newest page is what a client loads when it opens a conversation: refetch it
            # after a reconnect (unless the client says which one is open through `viewing`).
            self.live.open_thread = thread_id
        body = await self.client.get(self.client.conv_path(thread_id, "/messages"), params or None)
        listing = parse(CwMessageList, body, what="message list")
        ordered = sorted(listing.payload, key=lambda m: m.id)
        for msg in ordered:
            self.cache.remember_message(thread_id, msg)
        more = len(ordered) >= MESSAGES_PER_PAGE
        if limit > 0 and len(ordered) > limit:
            ordered = ordered[-limit:]
            more = True
        items = [self.cache.message(m, thread_id) for m in reversed(ordered)]
        return MessagePage(items=items, has_more=more)

    async def send_message(
        self, thread_id: str, *, client_id: str, text: str, kind: SendKind, tag: str | None = None
    ) -> Message:
        """Post a reply or a private note, exactly once per `client_id` (sending.py). `tag` is
        not sent: Chatwoot's Messenger inbox applies the HUMAN_AGENT tag itself."""
        return await self.sender.send_message(thread_id, client_id=client_id, text=text, kind=kind)

    async def assign(self, thread_id: str, agent_id: str | None) -> Thread:
        assignee = None if agent_id is None else int_id(agent_id, "agent")
        path = self.client.conv_path(thread_id, "/assignments")
        await self.client.post(path, {"assignee_id": assignee})
        return await self.thread(thread_id)

    async def set_status(self, thread_id: str, status: ThreadStatus) -> Thread:
        """open/pending/resolved map to Chatwoot's statuses; spam is emulated with a `spam`
        label plus resolved. Note Chatwoot's side effect: an *agent* (not admin) who reopens a
        conversation becomes its assignee (FINDINGS.md §2)."""
        client = self.client
        conv = await self.cache.conversation(thread_id)
        labels = list(conv.labels)
        if status == "spam" and SPAM_LABEL not in labels:
            await client.post(client.conv_path(thread_id, "/labels"), {"labels": [*labels, "spam"]})
        elif status != "spam" and SPAM_LABEL in labels:
            kept = [label for label in labels if label != SPAM_LABEL]
            await client.post(client.conv_path(thread_id, "/labels"), {"labels": kept})
        target = "resolved" if status == "spam" else status
        if conv.status != target or status == "spam":
            await client.post(client.conv_path(thread_id, "/toggle_status"), {"status": target})
        return await self.thread(thread_id)

    async def mark_read(self, thread_id: str, message_id: str) -> Thread:
        """`update_last_seen` marks the whole conversation read (Chatwoot has no per-message read)."""
        answer = await self.client.post(self.client.conv_path(thread_id, "/update_last_seen"), {})
        if isinstance(answer, dict) and "id" in answer and "meta" in answer:
            with contextlib.suppress(ProtocolError):
                return self.cache.thread(parse(CwConversation, answer, what="conversation"))
        return await self.thread(thread_id)

    # -- Contacts and orders --------------------------------------------------------------------

    async def customer(self, customer_id: str) -> Customer:
        path = self.client.acct(f"/contacts/{int_id(customer_id, 'customer')}")
        body = await self.client.get(path)
        payload = body.get("payload") if isinstance(body, dict) else None
        return customer_from(parse(CwContact, payload, what="contact"))

    async def orders(self, customer_id: str) -> list[Order]:
        """The Shopify integration's order summaries (newest first); [] when the account has no
        Shopify integration or the contact has no email or phone to look the customer up by."""
        try:
            body = await self.client.get(
                self.client.acct("/integrations/shopify/orders"),
                {"contact_id": int_id(customer_id, "customer")},
            )
        except NotFoundError:
            return []
        except ValidationError as exc:
            if "missing" in str(exc).lower():
                return []
            raise
        listing = parse(CwShopifyOrders, body, what="order list")
        orders = [order_from(o, customer_id=customer_id) for o in listing.orders]
        return sorted(orders, key=lambda o: o.placed_at, reverse=True)

    # -- Canned responses -----------------------------------------------------------------------

    async def templates(self) -> list[Template]:
        body = await self.client.get(self.client.acct("/canned_responses"))
        if not isinstance(body, list):
            raise ProtocolError("Chatwoot sent a canned response list this client cannot read.")
        canned = [parse(CwCannedResponse, item, what="canned response") for item in body]
        return [template_from(c) for c in canned]

    @staticmethod
    def _canned_body(template: Mapping[str, Any]) -> dict[str, Any]:
        shortcut = str(template.get("shortcut") or "").strip().lstrip("/")
        body = str(template.get("body") or "")
        if not shortcut or not body.strip():
            raise ValidationError("A quick reply needs a shortcut and a text.")
        return {"canned_response": {"short_code": shortcut, "content": to_chatwoot(body)}}

    async def create_template(self, template: dict[str, Any]) -> Template:
        path = self.client.acct("/canned_responses")
        answer = await self.client.post(path, self._canned_body(template))
        return template_from(parse(CwCannedResponse, answer, what="canned response"))

    async def update_template(self, template_id: str, template: dict[str, Any]) -> Template:
        path = self.client.acct(f"/canned_responses/{int_id(template_id, 'quick reply')}")
        response = await self.client.request("PATCH", path, json_body=self._canned_body(template))
        return template_from(parse(CwCannedResponse, json_of(response), what="canned response"))

    async def delete_template(self, template_id: str) -> None:
        path = self.client.acct(f"/canned_responses/{int_id(template_id, 'quick reply')}")
        await self.client.request("DELETE", path)

    # -- Metrics and settings -------------------------------------------------------------------

    async def metrics(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        agent_id: str | None = None,
    ) -> MetricsReport:
        """Chatwoot's reports when the token may read them (administrators), else the client's
        own definitions computed from the conversations (metrics.py; `last_metrics_source` says
        which)."""
        settings = await self.settings()
        until = until or self.client.now()
        since = since or until - timedelta(days=settings.window_days)
        return await self.figures.report(since, until, agent_id, settings)

    @property
    def last_metrics_source(self) -> Literal["chatwoot-reports", "computed"] | None:
        return self.figures.last_source

    def _settings_path(self) -> Path:
        key = f"{self.client.base_url}|{self.client.account_id}"
        digest = hashlib.sha256(key.encode()).hexdigest()
        return paths.config_dir() / "chatwoot" / f"team-{digest[:16]}.json"

    async def settings(self) -> TeamSettings:
        """Chatwoot has no response target or away periods: they are kept on this computer."""
        if self._settings is None:
            path = self._settings_path()
            try:
                self._settings = TeamSettings.model_validate_json(path.read_text("utf-8"))
            except (OSError, PydanticError):
                self._settings = TeamSettings()
        return self._settings

    async def update_settings(self, settings: TeamSettings) -> TeamSettings:
        path = self._settings_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(settings.model_dump_json(), encoding="utf-8")
        except OSError:
            raise BackendError("The team settings could not be saved on this computer.") from None
        self._settings = settings
        return settings

    # -- Media and the live stream --------------------------------------------------------------

    async def media(self, url: str) -> bytes:
        """An attachment from Chatwoot's own origin (client.py)."""
        return await self.client.media(url)

    def ack(self, seq: int) -> None:
        self.live.ack(seq)

    def stream(self, after: int) -> AsyncIterator[StreamItem]:
        """The live events (stream.py)."""
        return self.live.events(after)

    async def send_ephemeral(self, name: str, data: dict[str, Any]) -> None:
        await self.live.send_ephemeral(name, data)

    async def aclose(self) -> None:
        await self.live.close()
        await self.client.aclose()
