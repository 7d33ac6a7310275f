"""`ChatwootBackend`: the Backend protocol on Chatwoot's Application API and ActionCable socket.

HTTP calls go to `/api/v1/accounts/{account_id}/...` with the `api_access_token` header; the live
stream subscribes to `RoomChannel` on `/cable`. What Chatwoot lacks (spam, order details, replay)
is emulated or reported as unavailable; docs/CHATWOOT.md has the full picture.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hashlib
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx
import websockets
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.typing import Subprotocol

from agent_desktop import paths
from agent_desktop.backends.base import (
    AuthError,
    BackendError,
    Ephemeral,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    ProtocolError,
    Ready,
    Resync,
    ServerError,
    StreamItem,
    StreamState,
    ValidationError,
)
from agent_desktop.backends.chatwoot import cable
from agent_desktop.backends.chatwoot.http import (
    backoff_delay,
    error_for_status,
    is_loopback,
    normalize_base_url,
    origin_of,
)
from agent_desktop.backends.chatwoot.journal import Attempt, SentJournal
from agent_desktop.backends.chatwoot.mapping import (
    PRESENCE_TO_CW,
    SPAM_LABEL,
    agent_from,
    customer_from,
    message_from,
    order_from,
    presence_from,
    role_from,
    template_from,
    thread_from,
)
from agent_desktop.backends.chatwoot.metrics import computed_report, reports_report
from agent_desktop.backends.chatwoot.models import (
    CwAccountRef,
    CwAgent,
    CwAgentSummary,
    CwCannedResponse,
    CwContact,
    CwConversation,
    CwConversationList,
    CwMessage,
    CwMessageList,
    CwMfaChallenge,
    CwProfile,
    CwReportSummary,
    CwShopifyOrders,
)
from agent_desktop.backends.chatwoot.templates import to_chatwoot
from agent_desktop.core.types import (
    MAX_TEXT_LENGTH,
    Agent,
    Customer,
    Event,
    LoginResult,
    Message,
    MessagePage,
    MetricsReport,
    Order,
    Presence,
    SendKind,
    TeamSettings,
    Template,
    Thread,
    ThreadPage,
    ThreadStatus,
)

log = logging.getLogger(__name__)
# websockets logs every frame at DEBUG, the subscription with the pubsub token included: the
# cable's logger stays at INFO whatever the application's level.
_ws_log = logging.getLogger(__name__ + ".cable")
_ws_log.setLevel(logging.INFO)

M = TypeVar("M", bound=BaseModel)

CONVERSATIONS_PER_PAGE = 25  # Chatwoot's CONVERSATION_RESULTS_PER_PAGE default
MESSAGES_PER_PAGE = 20  # `GET .../messages` without `after`
MAX_MEDIA_BYTES = 25 * 1024 * 1024
MetricsSource = Literal["auto", "reports", "computed"]


class MfaRequired(AuthError):
    """Sign-in needs a second factor: call `login_mfa(mfa_token, otp_code=...)` next."""

    code = "mfa_required"

    def __init__(self, mfa_token: str) -> None:
        super().__init__(
            "Enter the code from your authenticator app to finish signing in.",
            status=206,
            code="mfa_required",
        )
        self.mfa_token = mfa_token
        self.backend: ChatwootBackend | None = None  # set by connect(): finish with login_mfa


class SubscriptionRefused(AuthError):
    """`RoomChannel` did not confirm the subscription (Chatwoot sends no rejection)."""


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


def _int_id(value: str, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFoundError(f"This {what} does not exist in Chatwoot.") from None


def _sender_id(msg: CwMessage) -> int | None:
    """The author's id: `sender_id` (websocket) or `sender.id` (the REST partial has no
    `sender_id`)."""
    if msg.sender_id is not None:
        return msg.sender_id
    return msg.sender.id if msg.sender is not None else None


def _text_pattern(text: str) -> re.Pattern[str]:
    """Matches `text` after Chatwoot's server-side Liquid filled its `{{...}}` variables."""
    parts = re.split(r"\{\{[^{}]*\}\}", text.strip())
    return re.compile(".*?".join(re.escape(p) for p in parts), re.DOTALL)


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
    ) -> None:
        self._base_url = normalize_base_url(base_url)
        self._account_id = account_id
        self._token = token
        self._timeout = timeout
        self._retries = retries
        self._retry_base = retry_base
        self._presence_interval = presence_interval
        self._stale_after = stale_after
        self._subscribe_timeout = subscribe_timeout
        self._reconnect_base = reconnect_base
        self._reconnect_cap = reconnect_cap
        self._refetch_margin = refetch_margin
        self._resync_threshold = resync_threshold
        self._resync_after = resync_after
        self._metrics_source: MetricsSource = metrics_source
        self._metrics_max = metrics_max_conversations
        self._journal_choice = journal_path
        self._journal: SentJournal | None = None
        self._loopback = is_loopback(self._base_url)
        self._http = httpx.AsyncClient(
            timeout=timeout,
            trust_env=not self._loopback,
            headers={"User-Agent": "AgentDesktop/0.1 (Chatwoot connector)"},
            event_hooks={k: list(v) for k, v in (event_hooks or {}).items()},
        )
        self._clock_offset = 0.0
        self._profile: CwProfile | None = None
        self._devise: dict[str, str] = {}
        self._closed = False
        # What the connector knows of the account's conversations, for events and refetches.
        self._conversations: dict[str, CwConversation] = {}
        self._recent: dict[str, dict[int, CwMessage]] = {}
        self._last_message_id: dict[str, int] = {}
        self._last_incoming: dict[str, datetime] = {}
        self._agents: dict[str, Agent] = {}
        self._open_thread: str | None = None
        self._viewing_known = False
        self._sent: dict[str, Message] = {}
        self._send_locks: dict[str, asyncio.Lock] = {}
        self._settings: TeamSettings | None = None
        self._reports_allowed: bool | None = None
        self.last_metrics_source: Literal["chatwoot-reports", "computed"] | None = None
        # Stream state: the synthesized seq and the socket.
        self._seq = 0
        self._acked = 0
        self._ws: ClientConnection | None = None
        self._ident: str | None = None

    # -- Properties -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def kind(self) -> str:
        return "chatwoot"

    @property
    def clock_offset(self) -> float:
        return self._clock_offset

    @property
    def account_id(self) -> int | None:
        return self._account_id

    @property
    def token(self) -> str | None:
        return self._token

    @property
    def user_id(self) -> int | None:
        return self._profile.id if self._profile else None

    @property
    def seq(self) -> int:
        """The last sequence number the stream synthesized."""
        return self._seq

    def set_token(self, token: str | None) -> None:
        if token != self._token:
            self._profile = None
            self._devise = {}
        self._token = token

    def set_open_thread(self, thread_id: str | None) -> None:
        """The conversation on screen: its messages are refetched after a reconnect."""
        self._open_thread = thread_id

    # -- HTTP -----------------------------------------------------------------------------------

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self._token:
            headers["api_access_token"] = self._token
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
        self._clock_offset = offset if abs(offset) > 1.5 else 0.0

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201, 204),
    ) -> httpx.Response:
        idempotent = method in {"GET", "DELETE", "PUT"}
        attempts = 1 + (self._retries if idempotent else 0)
        last: BackendError | None = None
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(backoff_delay(attempt - 1, base=self._retry_base, cap=3.0))
            sent = time.time()
            try:
                response = await self._http.request(
                    method,
                    self._base_url + path,
                    params=params,
                    json=json_body,
                    headers=self._headers(headers),
                )
            except httpx.TransportError as exc:
                log.info("Chatwoot %s %s failed: %s", method, path, type(exc).__name__)
                last = NetworkError(
                    f"Cannot reach Chatwoot at {self._base_url}.", code="unreachable"
                )
                continue
            self._note_date(response, sent, time.time())
            if response.status_code in ok:
                return response
            body = self._json_or_none(response)
            error = error_for_status(response.status_code, body)
            if isinstance(error, ServerError) and attempt + 1 < attempts:
                last = error
                continue
            raise error
        assert last is not None
        raise last

    @staticmethod
    def _json_or_none(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ProtocolError("Chatwoot answered something that is not JSON.") from None

    async def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._json(await self._request("GET", path, params=params))

    async def _post(self, path: str, body: Any) -> Any:
        response = await self._request("POST", path, json_body=body)
        return self._json_or_none(response)

    def _acct(self, path: str, *, version: str = "v1") -> str:
        if self._account_id is None:
            raise AccountRequired("Choose which Chatwoot account to work in.")
        return f"/api/{version}/accounts/{self._account_id}{path}"

    def _conv_path(self, thread_id: str, suffix: str = "") -> str:
        return self._acct(f"/conversations/{_int_id(thread_id, 'conversation')}{suffix}")

    # -- Sign-in and accounts -------------------------------------------------------------------

    async def login(self, email: str, password: str) -> LoginResult:
        """`POST /auth/sign_in`; raises `MfaRequired` when the user has two-factor sign-in."""
        return await self._sign_in({"email": email, "password": password})

    async def login_mfa(
        self, mfa_token: str, *, otp_code: str | None = None, backup_code: str | None = None
    ) -> LoginResult:
        """Second step of an MFA sign-in: the code from the app, or a backup code."""
        body: dict[str, str] = {"mfa_token": mfa_token}
        if otp_code:
            body["otp_code"] = otp_code
        elif backup_code:
            body["backup_code"] = backup_code
        else:
            raise ValidationError("Enter the code from your authenticator app.")
        return await self._sign_in(body)

    async def _sign_in(self, body: dict[str, str]) -> LoginResult:
        try:
            response = await self._request(
                "POST", "/auth/sign_in", json_body=body, ok=(200, 201, 206)
            )
        except AuthError:
            if "mfa_token" in body:
                raise AuthError("That code is not valid; try again.") from None
            raise AuthError("Wrong email or password.") from None
        payload = self._json(response)
        if response.status_code == 206 or (
            isinstance(payload, dict) and payload.get("mfa_required")
        ):
            challenge = parse(CwMfaChallenge, payload, what="sign-in challenge")
            raise MfaRequired(challenge.mfa_token)
        data = payload.get("data") if isinstance(payload, dict) else None
        profile = parse(CwProfile, data, what="sign-in answer")
        if not profile.access_token:
            raise ProtocolError("Chatwoot's sign-in answer has no access token.")
        self._token = profile.access_token
        self._devise = {
            k: response.headers[k]
            for k in ("access-token", "client", "uid")
            if k in response.headers
        }
        self._set_profile(profile)
        return LoginResult(token=profile.access_token, agent=self._agent_from_profile(profile))

    async def logout(self) -> None:
        """Ends the password session if there is one. The access token itself stays valid in
        Chatwoot (it is permanent; rotate it in Chatwoot's profile settings)."""
        if self._devise:
            with contextlib.suppress(BackendError):
                await self._request(
                    "DELETE", "/auth/sign_out", headers=self._devise, ok=(200, 204, 404)
                )
        self._token = None
        self._profile = None
        self._devise = {}

    def _set_profile(self, profile: CwProfile) -> None:
        self._profile = profile
        ids = [a.id for a in profile.accounts]
        if self._account_id is None and len(ids) == 1:
            self._account_id = ids[0]

    async def profile(self, *, refresh: bool = False) -> CwProfile:
        """`GET /api/v1/profile` (cached): the user, its `pubsub_token` and its accounts."""
        if self._profile is None or refresh:
            body = await self._get("/api/v1/profile")
            self._set_profile(parse(CwProfile, body, what="profile"))
        assert self._profile is not None
        return self._profile

    async def accounts(self) -> list[CwAccountRef]:
        """The Chatwoot accounts the user belongs to (choose one with `select_account`)."""
        return list((await self.profile()).accounts)

    def select_account(self, account_id: int) -> None:
        """Work in `account_id` from now on (the caches of the previous account are dropped)."""
        members = {a.id for a in self._profile.accounts} if self._profile else set()
        if members and account_id not in members:
            raise NotFoundError("You are not a member of this Chatwoot account.")
        if account_id != self._account_id:
            self._conversations.clear()
            self._recent.clear()
            self._last_message_id.clear()
            self._agents.clear()
            self._journal = None
            self._settings = None
            self._reports_allowed = None
        self._account_id = account_id

    @property
    def needs_account_choice(self) -> bool:
        return self._account_id is None and bool(self._profile and len(self._profile.accounts) > 1)

    def _account_ref(self) -> CwAccountRef | None:
        if self._profile is None:
            return None
        for account in self._profile.accounts:
            if account.id == self._account_id:
                return account
        return None

    def _agent_from_profile(self, profile: CwProfile) -> Agent:
        account = self._account_ref()
        role = account.role if account and account.role else profile.role
        status = None
        if account is not None:
            status = account.availability_status or account.availability
        return Agent(
            id=str(profile.id),
            name=profile.available_name or profile.display_name or profile.name,
            email=profile.email,
            role=role_from(role),
            presence=presence_from(status or profile.availability_status),
        )

    async def me(self) -> Agent:
        return self._agent_from_profile(await self.profile(refresh=True))

    async def set_presence(self, presence: Presence) -> Agent:
        if self._account_id is None:
            raise AccountRequired("Choose which Chatwoot account to work in.")
        body = {
            "profile": {"account_id": self._account_id, "availability": PRESENCE_TO_CW[presence]}
        }
        answer = await self._post("/api/v1/profile/availability", body)
        try:
            self._set_profile(parse(CwProfile, answer, what="profile"))
        except ProtocolError:
            await self.profile(refresh=True)
        assert self._profile is not None
        agent = self._agent_from_profile(self._profile)
        if agent.presence != presence:
            agent = agent.model_copy(update={"presence": presence})
        return agent

    async def agents(self) -> list[Agent]:
        body = await self._get(self._acct("/agents"))
        if not isinstance(body, list):
            raise ProtocolError("Chatwoot sent an agent list this client cannot read.")
        result = [agent_from(parse(CwAgent, item, what="agent")) for item in body]
        self._agents = {a.id: a for a in result}
        return result

    # -- Conversations --------------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self._clock_offset)

    def _remember(self, conv: CwConversation) -> None:
        key = str(conv.id)
        self._conversations[key] = conv
        for msg in conv.messages:
            self._remember_message(key, msg)

    def _remember_message(self, thread_id: str, msg: CwMessage) -> None:
        recent = self._recent.setdefault(thread_id, {})
        recent[msg.id] = msg
        if len(recent) > 60:
            for old in sorted(recent)[: len(recent) - 60]:
                del recent[old]
        if msg.id > self._last_message_id.get(thread_id, 0):
            self._last_message_id[thread_id] = msg.id
        if msg.message_type == 0 and msg.created_at is not None:
            prev = self._last_incoming.get(thread_id)
            if prev is None or msg.created_at > prev:
                self._last_incoming[thread_id] = msg.created_at

    def _thread(self, conv: CwConversation) -> Thread:
        self._remember(conv)
        key = str(conv.id)
        return thread_from(
            conv,
            now=self._now(),
            messages=list(self._recent.get(key, {}).values()),
            last_incoming_at=self._last_incoming.get(key),
        )

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
        listing = parse(
            CwConversationList, await self._get(self._acct("/conversations"), params), what="list"
        )
        items = [self._thread(conv) for conv in listing.data.payload]
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

    async def _conversation(self, thread_id: str) -> CwConversation:
        body = await self._get(self._conv_path(thread_id))
        conv = parse(CwConversation, body, what="conversation")
        self._remember(conv)
        return conv

    async def thread(self, thread_id: str) -> Thread:
        return self._thread(await self._conversation(thread_id))

    async def messages(
        self, thread_id: str, *, before: str | None = None, limit: int = 50
    ) -> MessagePage:
        """Newest messages first page, then older ones with `before` (Chatwoot pages by 20).

        Items are newest first, like the Agent API's pages.
        """
        params: dict[str, Any] = {}
        if before is not None:
            params["before"] = _int_id(before, "message")
        elif self._open_thread is None or not self._viewing_known:
            # The newest page is what a client loads when it opens a conversation: refetch it
            # after a reconnect (unless the client says which one is open through `viewing`).
            self._open_thread = thread_id
        body = await self._get(self._conv_path(thread_id, "/messages"), params or None)
        listing = parse(CwMessageList, body, what="message list")
        ordered = sorted(listing.payload, key=lambda m: m.id)
        for msg in ordered:
            self._remember_message(thread_id, msg)
        more = len(ordered) >= MESSAGES_PER_PAGE
        if limit > 0 and len(ordered) > limit:
            ordered = ordered[-limit:]
            more = True
        items = [self._message(m, thread_id) for m in reversed(ordered)]
        return MessagePage(items=items, has_more=more)

    def _message(self, msg: CwMessage, thread_id: str) -> Message:
        message = message_from(msg, thread_id=thread_id)
        if message.client_id is None:
            for client_id, sent in self._sent.items():
                if sent.id == message.id:
                    return message.model_copy(update={"client_id": client_id})
        return message

    def _get_journal(self) -> SentJournal:
        if self._journal is None:
            choice = self._journal_choice
            if choice == "default":
                key = hashlib.sha256(f"{self._base_url}|{self._account_id}".encode()).hexdigest()
                choice = paths.data_dir() / "chatwoot" / f"sent-{key[:16]}.json"
            self._journal = SentJournal(choice)
        return self._journal

    async def send_message(
        self, thread_id: str, *, client_id: str, text: str, kind: SendKind, tag: str | None = None
    ) -> Message:
        """Post a reply or a private note, exactly once per `client_id`.

        Chatwoot echoes `echo_id` but neither stores it nor deduplicates on it (FINDINGS.md §2).
        So every attempt is journalled first; a `client_id` that was attempted before is looked
        up among the conversation's recent messages (same author, text and visibility, posted
        after the first attempt, not claimed by another `client_id`) before it is posted again.
        `tag` is not sent: Chatwoot's Messenger inbox applies the HUMAN_AGENT tag itself.
        """
        if not text.strip():
            raise ValidationError("The message is empty.")
        if len(text) > MAX_TEXT_LENGTH:
            raise ValidationError(
                f"The message is too long ({len(text)} characters; at most {MAX_TEXT_LENGTH})."
            )
        lock = self._send_locks.setdefault(client_id, asyncio.Lock())
        async with lock:
            known = self._sent.get(client_id)
            if known is not None:
                return known
            journal = self._get_journal()
            entry = journal.get(client_id)
            private = kind == "note"
            if entry is not None:
                found = await self._find_sent(thread_id, client_id, text, private, entry)
                if found is not None:
                    return found
            now = self._now()
            journal.attempt(client_id, thread_id, now)
            body = {
                "content": text,
                "private": private,
                "message_type": "outgoing",
                "content_type": "text",
                "echo_id": client_id,
            }
            answer = await self._post(self._conv_path(thread_id, "/messages"), body)
            msg = parse(CwMessage, answer, what="message")
            journal.sent(client_id, thread_id, msg.id, now)
            self._remember_message(thread_id, msg)
            message = message_from(msg, thread_id=thread_id).model_copy(
                update={"client_id": client_id}
            )
            self._sent[client_id] = message
            return message

    async def _find_sent(
        self, thread_id: str, client_id: str, text: str, private: bool, entry: Attempt
    ) -> Message | None:
        """The message an earlier attempt of `client_id` created, if it reached Chatwoot."""
        journal = self._get_journal()
        params = {"before": entry.message_id + 1} if entry.message_id is not None else None
        body = await self._get(self._conv_path(thread_id, "/messages"), params)
        listing = parse(CwMessageList, body, what="message list")
        me = (await self.profile()).id
        pattern = _text_pattern(text)
        claimed = journal.claimed()
        since = entry.at - timedelta(seconds=5)
        match: CwMessage | None = None
        for msg in sorted(listing.payload, key=lambda m: m.id):
            if entry.message_id is not None:
                if msg.id == entry.message_id:
                    match = msg
                continue
            if msg.echo_id == client_id:
                match = msg
                break
            if (
                msg.message_type == 1
                and msg.private == private
                and _sender_id(msg) == me
                and msg.id not in claimed
                and msg.created_at is not None
                and msg.created_at >= since
                and pattern.fullmatch((msg.content or "").strip())
            ):
                match = msg
                break
        if match is None:
            if entry.message_id is not None:
                raise NotFoundError("The message this reply created is no longer in Chatwoot.")
            return None
        log.info("Reconciled a resent reply with Chatwoot message %s", match.id)
        journal.sent(client_id, thread_id, match.id, entry.at)
        self._remember_message(thread_id, match)
        message = message_from(match, thread_id=thread_id).model_copy(
            update={"client_id": client_id}
        )
        self._sent[client_id] = message
        return message

    async def assign(self, thread_id: str, agent_id: str | None) -> Thread:
        assignee = None if agent_id is None else _int_id(agent_id, "agent")
        await self._post(self._conv_path(thread_id, "/assignments"), {"assignee_id": assignee})
        return await self.thread(thread_id)

    async def set_status(self, thread_id: str, status: ThreadStatus) -> Thread:
        """open/pending/resolved map to Chatwoot's statuses; spam is emulated with a `spam`
        label plus resolved. Note Chatwoot's side effect: an *agent* (not admin) who reopens a
        conversation becomes its assignee (FINDINGS.md §2)."""
        conv = await self._conversation(thread_id)
        labels = list(conv.labels)
        if status == "spam" and SPAM_LABEL not in labels:
            await self._post(self._conv_path(thread_id, "/labels"), {"labels": [*labels, "spam"]})
        elif status != "spam" and SPAM_LABEL in labels:
            kept = [label for label in labels if label != SPAM_LABEL]
            await self._post(self._conv_path(thread_id, "/labels"), {"labels": kept})
        target = "resolved" if status == "spam" else status
        if conv.status != target or status == "spam":
            await self._post(self._conv_path(thread_id, "/toggle_status"), {"status": target})
        return await self.thread(thread_id)

    async def mark_read(self, thread_id: str, message_id: str) -> Thread:
        """`update_last_seen` marks the whole conversation read (Chatwoot has no per-message read)."""
        answer = await self._post(self._conv_path(thread_id, "/update_last_seen"), {})
        if isinstance(answer, dict) and "id" in answer and "meta" in answer:
            with contextlib.suppress(ProtocolError):
                return self._thread(parse(CwConversation, answer, what="conversation"))
        return await self.thread(thread_id)

    # -- Contacts and orders --------------------------------------------------------------------

    async def customer(self, customer_id: str) -> Customer:
        body = await self._get(self._acct(f"/contacts/{_int_id(customer_id, 'customer')}"))
        payload = body.get("payload") if isinstance(body, dict) else None
        return customer_from(parse(CwContact, payload, what="contact"))

    async def orders(self, customer_id: str) -> list[Order]:
        """The Shopify integration's order summaries (newest first); [] when the account has no
        Shopify integration or the contact has no email or phone to look the customer up by."""
        try:
            body = await self._get(
                self._acct("/integrations/shopify/orders"),
                {"contact_id": _int_id(customer_id, "customer")},
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
        body = await self._get(self._acct("/canned_responses"))
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
        answer = await self._post(self._acct("/canned_responses"), self._canned_body(template))
        return template_from(parse(CwCannedResponse, answer, what="canned response"))

    async def update_template(self, template_id: str, template: dict[str, Any]) -> Template:
        path = self._acct(f"/canned_responses/{_int_id(template_id, 'quick reply')}")
        response = await self._request("PATCH", path, json_body=self._canned_body(template))
        return template_from(parse(CwCannedResponse, self._json(response), what="canned response"))

    async def delete_template(self, template_id: str) -> None:
        path = self._acct(f"/canned_responses/{_int_id(template_id, 'quick reply')}")
        await self._request("DELETE", path)

    # -- Metrics and settings -------------------------------------------------------------------

    async def metrics(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        agent_id: str | None = None,
    ) -> MetricsReport:
        """Chatwoot's reports when the token may read them (administrators), else the client's
        own definitions computed from the conversations (`last_metrics_source` says which)."""
        settings = await self.settings()
        until = until or self._now()
        since = since or until - timedelta(days=settings.window_days)
        if self._metrics_source != "computed" and self._reports_allowed is not False:
            try:
                report = await self._reports_metrics(since, until, agent_id, settings)
            except (AuthError, ForbiddenError, NotFoundError):
                if self._metrics_source == "reports":
                    raise ForbiddenError(
                        "Chatwoot's reports are for administrators only."
                    ) from None
                self._reports_allowed = False
            else:
                self._reports_allowed = True
                self.last_metrics_source = "chatwoot-reports"
                return report
        report = await computed_report(self, since=since, until=until, settings=settings)
        if agent_id is not None:
            report.agents = {k: v for k, v in report.agents.items() if k == agent_id}
        self.last_metrics_source = "computed"
        return report

    async def _reports_metrics(
        self, since: datetime, until: datetime, agent_id: str | None, settings: TeamSettings
    ) -> MetricsReport:
        window = {"since": str(int(since.timestamp())), "until": str(int(until.timestamp()))}
        summary = parse(
            CwReportSummary,
            await self._get(
                self._acct("/reports/summary", version="v2"), {"type": "account", **window}
            ),
            what="report",
        )
        body = await self._get(self._acct("/summary_reports/agent", version="v2"), window)
        if not isinstance(body, list):
            raise ProtocolError("Chatwoot sent an agent report this client cannot read.")
        per_agent = [parse(CwAgentSummary, item, what="agent report") for item in body]
        if agent_id is not None:
            per_agent = [a for a in per_agent if str(a.id) == agent_id]
        return reports_report(summary, per_agent, since=since, until=until, settings=settings)

    async def _conversation_pages(self, since: datetime) -> list[CwConversation]:
        """Conversations active since `since` (newest activity first), at most the configured cap."""
        found: list[CwConversation] = []
        page = 1
        while len(found) < self._metrics_max:
            params = {"status": "all", "assignee_type": "all", "page": page}
            listing = parse(
                CwConversationList,
                await self._get(self._acct("/conversations"), params),
                what="conversation list",
            )
            batch = listing.data.payload
            if not batch:
                break
            stop = False
            for conv in batch:
                active = conv.last_activity_at or conv.timestamp or conv.updated_at
                if active is not None and active < since:
                    stop = True
                    continue
                found.append(conv)
            if stop or len(batch) < CONVERSATIONS_PER_PAGE:
                break
            page += 1
        return found[: self._metrics_max]

    async def _messages_since(self, thread_id: str, since: datetime) -> list[CwMessage]:
        """All messages of a conversation from `since` on (paging back by 20)."""
        collected: dict[int, CwMessage] = {}
        params: dict[str, Any] | None = None
        for _ in range(50):
            body = await self._get(self._conv_path(thread_id, "/messages"), params)
            batch = parse(CwMessageList, body, what="message list").payload
            for msg in batch:
                collected[msg.id] = msg
            if len(batch) < MESSAGES_PER_PAGE:
                break
            oldest = min(batch, key=lambda m: m.id)
            if oldest.created_at is not None and oldest.created_at < since:
                break
            params = {"before": oldest.id}
        return sorted(collected.values(), key=lambda m: m.id)

    def _settings_path(self) -> Path:
        key = hashlib.sha256(f"{self._base_url}|{self._account_id}".encode()).hexdigest()
        return paths.config_dir() / "chatwoot" / f"team-{key[:16]}.json"

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

    # -- Media ----------------------------------------------------------------------------------

    async def media(self, url: str) -> bytes:
        """An attachment from Chatwoot's own origin. Chatwoot may redirect to its storage: the
        redirect is followed without the access token."""
        absolute = urljoin(self._base_url + "/", url)
        if origin_of(absolute) != origin_of(self._base_url):
            raise BackendError(
                "Refusing to load an image from another site than your Chatwoot.", code="origin"
            )
        target = absolute
        for _ in range(5):
            same = origin_of(target) == origin_of(self._base_url)
            try:
                response = await self._http.get(
                    target, headers=self._headers() if same else {"Accept": "*/*"}
                )
            except httpx.TransportError:
                raise NetworkError(
                    "The image could not be loaded: Chatwoot is unreachable."
                ) from None
            if response.is_redirect and "location" in response.headers:
                target = urljoin(target, response.headers["location"])
                if urlsplit(target).scheme not in {"http", "https"}:
                    break
                continue
            if response.status_code >= 400:
                raise error_for_status(response.status_code, None)
            if len(response.content) > MAX_MEDIA_BYTES:
                raise ProtocolError("The image is too large to show.", code="too_large")
            return response.content
        raise ProtocolError("Chatwoot redirected the image too many times.")

    # -- Live stream ----------------------------------------------------------------------------

    def ack(self, seq: int) -> None:
        self._acked = max(self._acked, seq)

    def _event(self, name: str, data: dict[str, Any]) -> Event:
        self._seq += 1
        return Event(seq=self._seq, name=name, data=data)

    async def stream(self, after: int) -> AsyncIterator[StreamItem]:
        """ActionCable `RoomChannel` as our event stream, with a synthesized seq.

        Chatwoot replays nothing: a first connection with `after > 0` yields `Resync`; after a
        reconnect (and on a fresh start) the conversations updated meanwhile (and the open one's
        messages) are fetched and yielded as events, or `Resync` when too much changed or the
        gap was too long.
        """
        self._seq = max(self._seq, after)
        self._acked = max(self._acked, after)
        attempt = 0
        # A fresh start still catches up from now: what changed between the client's HTTP load
        # and the subscription would otherwise be lost (ActionCable replays nothing).
        disconnected_at: float | None = time.monotonic() if after == 0 else None
        first = True
        refused = 0  # subscriptions refused in a row (a stale pubsub token is refetched once)
        yield StreamState("connecting")
        while not self._closed:
            error = "The connection to Chatwoot was lost."
            try:
                profile = await self.profile()
                if self._account_id is None:
                    raise AccountRequired("Choose which Chatwoot account to work in.")
                if not profile.pubsub_token:
                    raise ProtocolError("Chatwoot's profile has no pubsub token.")
                async with ws_connect(
                    cable.cable_url(self._base_url),
                    subprotocols=[Subprotocol(p) for p in cable.SUBPROTOCOLS],
                    open_timeout=self._timeout,
                    ping_interval=None,
                    close_timeout=2,
                    max_size=4 * 1024 * 1024,
                    proxy=None if self._loopback else True,
                    user_agent_header="AgentDesktop/0.1",
                    logger=_ws_log,
                ) as ws:
                    ident = cable.identifier(profile.pubsub_token, self._account_id, profile.id)
                    await self._handshake(ws, ident)
                    self._ws, self._ident = ws, ident
                    attempt = refused = 0
                    if first and after > 0:
                        yield Resync()
                    elif disconnected_at is not None:
                        async for item in self._catch_up(time.monotonic() - disconnected_at):
                            yield item
                    first = False
                    disconnected_at = None
                    yield Ready(seq=self._seq, server_time=self._now())
                    yield StreamState("live")
                    async for item in self._pump(ws, ident):
                        yield item
            except SubscriptionRefused as exc:
                refused += 1
                if refused > 1:
                    yield StreamState("signed_out", error=str(exc))
                    return
                self._profile = None  # the pubsub token may have been rotated: read it again
                error = str(exc)
            except AuthError as exc:
                yield StreamState("signed_out", error=str(exc))
                return
            except AccountRequired as exc:
                yield StreamState("offline", error=str(exc))
                return
            except websockets.InvalidStatus as exc:
                status = exc.response.status_code
                error = f"Chatwoot refused the live connection (HTTP {status})."
                log.info("Chatwoot cable refused: HTTP %s", status)
            except (
                OSError,
                TimeoutError,
                websockets.WebSocketException,
                NetworkError,
                ServerError,
                ProtocolError,
            ) as exc:
                log.info("Chatwoot cable failed: %s", type(exc).__name__)
                if isinstance(exc, BackendError):
                    error = str(exc)
            finally:
                self._ws = None
                self._ident = None
            if self._closed:
                return
            if not first and disconnected_at is None:
                disconnected_at = time.monotonic()
            delay = backoff_delay(attempt, base=self._reconnect_base, cap=self._reconnect_cap)
            attempt += 1
            yield StreamState("reconnecting", retry_in=delay, error=error)
            await asyncio.sleep(delay)
            yield StreamState("connecting")

    async def _handshake(self, ws: ClientConnection, ident: str) -> None:
        """welcome -> subscribe -> confirm_subscription. No confirmation in time means the
        pubsub token was refused (Chatwoot sends no reject): treated as signed out."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._subscribe_timeout
        subscribed = False
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                if subscribed:
                    raise SubscriptionRefused(
                        "Chatwoot did not accept the live subscription; sign in again."
                    )
                raise TimeoutError
            try:
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation.
                async with asyncio.timeout(remaining):
                    raw = await ws.recv()
            except TimeoutError:
                continue
            frame = cable.decode(raw)
            if frame is None:
                continue
            if frame.type == "welcome" and not subscribed:
                await ws.send(cable.subscribe_frame(ident))
                subscribed = True
            elif frame.type == "confirm_subscription" and frame.identifier == ident:
                return
            elif frame.type == "reject_subscription":
                raise SubscriptionRefused("Chatwoot refused the live subscription; sign in again.")
            elif frame.type == "disconnect":
                raise ConnectionError(frame.reason or "disconnect")

    async def _pump(self, ws: ClientConnection, ident: str) -> AsyncIterator[StreamItem]:
        """Frames -> items until the socket closes or goes stale; presence every 20 s.

        Like ActionCable's JS ConnectionMonitor, only pings count as signs of life: no ping
        for `stale_after` seconds (the server pings every 3 s) means the socket is dead.
        """
        loop = asyncio.get_running_loop()
        next_presence = loop.time()
        last_ping = loop.time()
        while True:
            now = loop.time()
            if now - last_ping >= self._stale_after:
                log.info("Chatwoot cable went stale (no ping for %.0f s)", self._stale_after)
                raise TimeoutError
            if now >= next_presence:
                await ws.send(cable.presence_frame(ident))
                next_presence = now + self._presence_interval
            wait = max(0.01, min(next_presence, last_ping + self._stale_after) - now)
            try:
                async with asyncio.timeout(wait):
                    raw = await ws.recv()
            except TimeoutError:
                continue
            frame = cable.decode(raw)
            if frame is None:
                log.info("Skipped a frame that is not ActionCable JSON")
                continue
            if frame.type == "ping":
                last_ping = loop.time()
                continue
            if frame.type == "disconnect":
                raise ConnectionError(frame.reason or "disconnect")
            if frame.event is None or frame.identifier != ident:
                continue
            async for item in self._translate(frame.event, frame.data or {}):
                yield item

    async def _translate(self, name: str, data: dict[str, Any]) -> AsyncIterator[StreamItem]:
        """One Chatwoot broadcast as our events (a malformed one is logged and skipped)."""
        account = data.get("account_id")
        if account is not None and account != self._account_id:
            return
        try:
            if name in cable.MESSAGE_EVENTS:
                msg = parse(CwMessage, data, what=f"{name} event")
                event = await self._message_event(cable.MESSAGE_EVENTS[name], msg)
                if event is not None:
                    yield event
            elif name in cable.THREAD_EVENTS:
                conv = parse(CwConversation, data, what=f"{name} event")
                yield self._event("thread.updated", {"thread": self._dump(self._thread(conv))})
            elif name in cable.TYPING_EVENTS:
                typing = self._typing(data, cable.TYPING_EVENTS[name])
                if typing is not None:
                    yield typing
            elif name == cable.PRESENCE_EVENT:
                async for presence_event in self._presence_events(data):
                    yield presence_event
            elif name == cable.LOGOUT_EVENT:
                raise AuthError("Chatwoot signed you out.")
            elif name == cable.RELOAD_EVENT:
                yield Resync()
            else:
                log.debug("Ignored Chatwoot event %s", name)
        except ProtocolError:
            return

    @staticmethod
    def _dump(model: BaseModel) -> dict[str, Any]:
        return model.model_dump(mode="json")

    async def _message_event(self, name: str, msg: CwMessage) -> Event | None:
        if msg.conversation_id is None:
            raise ProtocolError("A message event without its conversation.")
        thread_id = str(msg.conversation_id)
        self._remember_message(thread_id, msg)
        message = self._message(msg, thread_id)
        conv = self._conversations.get(thread_id)
        if conv is None:
            try:
                conv = await self._conversation(thread_id)
            except NotFoundError:
                return None
        else:
            conv = self._merge_message(conv, msg)
        thread = self._thread(conv)
        return self._event(name, {"message": self._dump(message), "thread": self._dump(thread)})

    def _merge_message(self, conv: CwConversation, msg: CwMessage) -> CwConversation:
        """The cached conversation updated with what a message event says about it."""
        update: dict[str, Any] = {}
        extra = msg.conversation or {}
        if isinstance(extra.get("unread_count"), int):
            update["unread_count"] = extra["unread_count"]
        if "assignee_id" in extra:
            wanted = extra["assignee_id"]
            current = conv.meta.assignee.id if conv.meta.assignee else None
            known = self._agents.get(str(wanted)) if wanted is not None else None
            if wanted != current and (wanted is None or known is not None):
                assignee = None
                if known is not None:
                    assignee = CwAgent(id=int(wanted), name=known.name, email=known.email)
                update["meta"] = conv.meta.model_copy(
                    update={"assignee": assignee, "assignee_type": "User" if assignee else None}
                )
        if msg.created_at is not None:
            update["last_activity_at"] = msg.created_at
            update["updated_at"] = max(conv.updated_at or msg.created_at, msg.created_at)
        if msg.message_type != 2:
            update["last_non_activity_message"] = msg
        if not msg.private and conv.has_waiting_since:
            # Chatwoot's rule (FINDINGS.md §5): set on a customer message when blank, cleared
            # by a reply; the next conversation.updated brings the server's value anyway.
            if msg.message_type == 0 and conv.waiting_since is None and msg.created_at:
                update["waiting_since"] = msg.created_at
            elif msg.message_type == 1:
                update["waiting_since"] = None
        merged = conv.model_copy(update=update)
        if "waiting_since" not in merged.model_fields_set and conv.has_waiting_since:
            merged.model_fields_set.add("waiting_since")
        return merged

    def _typing(self, data: dict[str, Any], on: bool) -> Ephemeral | None:
        """Another agent typing (`conversation.typing_on/off`); a contact's typing is dropped,
        as our `typing` signal is about agents."""
        conv = data.get("conversation")
        user = data.get("user")
        if not isinstance(conv, dict) or not isinstance(user, dict):
            raise ProtocolError("A typing event without its conversation or user.")
        if str(user.get("type", "user")).lower() == "contact":
            return None
        if self._profile is not None and user.get("id") == self._profile.id:
            return None
        return Ephemeral(
            "typing",
            {
                "thread_id": str(conv.get("id", "")),
                "agent_id": "" if user.get("id") is None else str(user["id"]),
                "agent_name": str(user.get("available_name") or user.get("name") or ""),
                "typing": on,
                "private": bool(data.get("is_private", False)),
            },
        )

    async def _presence_events(self, data: dict[str, Any]) -> AsyncIterator[Event]:
        users = data.get("users")
        if not isinstance(users, dict):
            return
        if not self._agents:
            with contextlib.suppress(BackendError):
                await self.agents()
        for user_id, status in users.items():
            presence = presence_from(status if isinstance(status, str) else None)
            agent = self._agents.get(str(user_id))
            if agent is None or agent.presence == presence:
                continue
            agent = agent.model_copy(update={"presence": presence})
            self._agents[agent.id] = agent
            yield self._event("agent.presence", {"agent": self._dump(agent)})
        # users missing from the map went offline (Chatwoot lists online/busy ones)
        for agent_id, agent in list(self._agents.items()):
            if agent_id not in {str(k) for k in users} and agent.presence != "offline":
                agent = agent.model_copy(update={"presence": "offline"})
                self._agents[agent_id] = agent
                yield self._event("agent.presence", {"agent": self._dump(agent)})

    async def _catch_up(self, offline_for: float) -> AsyncIterator[StreamItem]:
        """After a reconnect: what changed while away, as events (or Resync when too much)."""
        if offline_for > self._resync_after:
            yield Resync()
            return
        window = int(offline_for + self._refetch_margin) + 1
        try:
            body = await self._get(
                self._acct("/conversations"),
                {"status": "all", "assignee_type": "all", "updated_within": window},
            )
            listing = parse(CwConversationList, body, what="conversation list")
        except (NotFoundError, ValidationError, ProtocolError):
            yield Resync()
            return
        changed = listing.data.payload
        if len(changed) >= self._resync_threshold:
            yield Resync()
            return
        open_id = self._open_thread
        if open_id is not None and open_id in self._last_message_id:
            after_id = self._last_message_id[open_id]
            with contextlib.suppress(NotFoundError):
                raw = await self._get(self._conv_path(open_id, "/messages"), {"after": after_id})
                fresh = parse(CwMessageList, raw, what="message list").payload
                for msg in sorted(fresh, key=lambda m: m.id):
                    if msg.id <= after_id:
                        continue
                    msg = msg.model_copy(update={"conversation_id": int(open_id)})
                    event = await self._message_event("message.created", msg)
                    if event is not None:
                        yield event
        for conv in changed:
            yield self._event("thread.updated", {"thread": self._dump(self._thread(conv))})

    async def send_ephemeral(self, name: str, data: dict[str, Any]) -> None:
        """`typing` -> Chatwoot's toggle_typing_status; `viewing` records the open conversation
        (Chatwoot has no "who is viewing" signal). Failures are dropped silently."""
        thread_id = data.get("thread_id")
        if name == "viewing":
            self._viewing_known = True
            self.set_open_thread(str(thread_id) if thread_id else None)
            return
        if name != "typing" or not thread_id:
            return
        body = {
            "typing_status": "on" if data.get("typing", True) else "off",
            "is_private": bool(data.get("private", False)),
        }
        with contextlib.suppress(BackendError):
            await self._post(self._conv_path(str(thread_id), "/toggle_typing_status"), body)

    async def aclose(self) -> None:
        self._closed = True
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()
        await self._http.aclose()

    # -- Helpers for metrics.py -----------------------------------------------------------------

    async def gather_limited(
        self, jobs: list[Callable[[], Awaitable[Any]]], limit: int = 4
    ) -> list[Any]:
        semaphore = asyncio.Semaphore(limit)

        async def run(job: Callable[[], Awaitable[Any]]) -> Any:
            async with semaphore:
                return await job()

        return list(await asyncio.gather(*(run(j) for j in jobs)))
