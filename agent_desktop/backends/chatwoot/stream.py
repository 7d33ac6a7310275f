"""Chatwoot's live updates as our event stream: ActionCable's `RoomChannel` on `/cable`, its
broadcasts turned into events with a sequence number made here (Chatwoot numbers nothing), the
agent's presence sent every 20 s, a stale socket detected by its missing pings, and, since
Chatwoot replays nothing, what changed while the socket was away fetched over HTTP after each
reconnect (or a resync asked for when it is too much).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import websockets
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.typing import Subprotocol

from agent_desktop.backends.base import (
    AuthError,
    BackendError,
    Ephemeral,
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
from agent_desktop.backends.chatwoot.client import AccountRequired, ChatwootClient, parse
from agent_desktop.backends.chatwoot.mapping import agent_from, presence_from
from agent_desktop.backends.chatwoot.models import (
    CwAgent,
    CwConversation,
    CwConversationList,
    CwMessage,
    CwMessageList,
)
from agent_desktop.backends.tls import tls_context
from agent_desktop.core.retry import RetryPolicy
from agent_desktop.core.types import Agent, Event

if TYPE_CHECKING:
    from pydantic import BaseModel

    from agent_desktop.backends.chatwoot.auth import ChatwootAuth
    from agent_desktop.backends.chatwoot.cache import ConversationCache

log = logging.getLogger(__name__)
# websockets logs every frame at DEBUG, the subscription with the pubsub token included: the
# cable's logger stays at INFO whatever the application's level.
_ws_log = logging.getLogger(__name__ + ".socket")
_ws_log.setLevel(logging.INFO)


class SubscriptionRefused(AuthError):
    """`RoomChannel` did not confirm the subscription (Chatwoot sends no rejection)."""


@dataclass(frozen=True)
class StreamTiming:
    """How the stream keeps time (seconds; see ChatwootBackend for each)."""

    presence_interval: float = 20.0
    stale_after: float = 6.0
    subscribe_timeout: float = 8.0
    reconnect: RetryPolicy = field(default_factory=lambda: RetryPolicy(base=0.5, cap=30.0))
    refetch_margin: float = 30.0
    resync_threshold: int = 200
    resync_after: float = 3 * 3600.0


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


class CableStream:
    """The event stream of one account (`events(after)`), and the typing signal sent to it."""

    def __init__(
        self,
        client: ChatwootClient,
        auth: ChatwootAuth,
        cache: ConversationCache,
        timing: StreamTiming,
    ) -> None:
        self._client = client
        self._auth = auth
        self._cache = cache
        self._timing = timing
        self.seq = 0
        self._acked = 0
        self._ws: ClientConnection | None = None
        self.closed = False
        self.open_thread: str | None = None
        self.viewing_known = False

    def ack(self, seq: int) -> None:
        self._acked = max(self._acked, seq)

    def _event(self, name: str, data: dict[str, Any]) -> Event:
        self.seq += 1
        return Event(seq=self.seq, name=name, data=data)

    async def events(self, after: int) -> AsyncIterator[StreamItem]:
        """ActionCable `RoomChannel` as our event stream, with a synthesized seq.

        Chatwoot replays nothing: a first connection with `after > 0` yields `Resync`; after a
        reconnect (and on a fresh start) the conversations updated meanwhile (and the open one's
        messages) are fetched and yielded as events, or `Resync` when too much changed or the
        gap was too long.
        """
        client = self._client
        self.seq = max(self.seq, after)
        self._acked = max(self._acked, after)
        attempt = 0
        # A fresh start still catches up from now: what changed between the client's HTTP load
        # and the subscription would otherwise be lost (ActionCable replays nothing).
        disconnected_at: float | None = time.monotonic() if after == 0 else None
        first = True
        refused = 0  # subscriptions refused in a row (a stale pubsub token is refetched once)
        yield StreamState("connecting")
        while not self.closed:
            error = "The connection to Chatwoot was lost."
            try:
                profile = await self._auth.profile()
                if client.account_id is None:
                    raise AccountRequired("Choose which Chatwoot account to work in.")
                if not profile.pubsub_token:
                    raise ProtocolError("Chatwoot's profile has no pubsub token.")
                async with ws_connect(
                    cable.cable_url(client.base_url),
                    subprotocols=[Subprotocol(p) for p in cable.SUBPROTOCOLS],
                    open_timeout=client.timeout,
                    ping_interval=None,
                    close_timeout=2,
                    max_size=4 * 1024 * 1024,
                    proxy=None if client.loopback else True,
                    user_agent_header="AgentDesktop/0.1",
                    logger=_ws_log,
                    ssl=tls_context() if client.base_url.startswith("https:") else None,
                ) as ws:
                    ident = cable.identifier(profile.pubsub_token, client.account_id, profile.id)
                    await self._handshake(ws, ident)
                    self._ws = ws
                    attempt = refused = 0
                    if first and after > 0:
                        yield Resync()
                    elif disconnected_at is not None:
                        async for item in self._catch_up(time.monotonic() - disconnected_at):
                            yield item
                    first = False
                    disconnected_at = None
                    yield Ready(seq=self.seq, server_time=client.now())
                    yield StreamState("live")
                    async for item in self._pump(ws, ident):
                        yield item
            except SubscriptionRefused as exc:
                refused += 1
                if refused > 1:
                    yield StreamState("signed_out", error=str(exc))
                    return
                self._auth.forget_profile()  # the pubsub token may have been rotated
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
            if self.closed:
                return
            if not first and disconnected_at is None:
                disconnected_at = time.monotonic()
            delay = self._timing.reconnect.delay(attempt)
            attempt += 1
            yield StreamState("reconnecting", retry_in=delay, error=error)
            await asyncio.sleep(delay)
            yield StreamState("connecting")

    async def _handshake(self, ws: ClientConnection, ident: str) -> None:
        """welcome -> subscribe -> confirm_subscription. No confirmation in time means the
        pubsub token was refused (Chatwoot sends no reject): treated as signed out."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timing.subscribe_timeout
        subscribed = False
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                if subscribed:
                    raise SubscriptionRefused(
                        "Chatwoot did not accept the live subscription; sign in again."
                    )
                raise TimeoutError
            raw = await _recv(ws, remaining)
            if raw is None:
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
        timing = self._timing
        loop = asyncio.get_running_loop()
        next_presence = loop.time()
        last_ping = loop.time()
        while True:
            now = loop.time()
            if now - last_ping >= timing.stale_after:
                log.info("Chatwoot cable went stale (no ping for %.0f s)", timing.stale_after)
                raise TimeoutError
            if now >= next_presence:
                await ws.send(cable.presence_frame(ident))
                next_presence = now + timing.presence_interval
            wait = max(0.01, min(next_presence, last_ping + timing.stale_after) - now)
            raw = await _recv(ws, wait)
            if raw is None:
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
        if account is not None and account != self._client.account_id:
            return
        try:
            if name in cable.MESSAGE_EVENTS:
                msg = parse(CwMessage, data, what=f"{name} event")
                event = await self._message_event(cable.MESSAGE_EVENTS[name], msg)
                if event is not None:
                    yield event
            elif name in cable.THREAD_EVENTS:
                conv = parse(CwConversation, data, what=f"{name} event")
                yield self._event("thread.updated", {"thread": dump(self._cache.thread(conv))})
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

    async def _message_event(self, name: str, msg: CwMessage) -> Event | None:
        cache = self._cache
        if msg.conversation_id is None:
            raise ProtocolError("A message event without its conversation.")
        thread_id = str(msg.conversation_id)
        cache.remember_message(thread_id, msg)
        message = cache.message(msg, thread_id)
        conv = cache.conversations.get(thread_id)
        if conv is None:
            try:
                conv = await cache.conversation(thread_id)
            except NotFoundError:
                return None
        else:
            conv = cache.merge_message(conv, msg)
        thread = cache.thread(conv)
        return self._event(name, {"message": dump(message), "thread": dump(thread)})

    def _typing(self, data: dict[str, Any], on: bool) -> Ephemeral | None:
        """Another agent typing (`conversation.typing_on/off`); a contact's typing is dropped,
        as our `typing` signal is about agents."""
        conv = data.get("conversation")
        user = data.get("user")
        if not isinstance(conv, dict) or not isinstance(user, dict):
            raise ProtocolError("A typing event without its conversation or user.")
        if str(user.get("type", "user")).lower() == "contact":
            return None
        if user.get("id") == self._auth.user_id and self._auth.user_id is not None:
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

    async def agents(self) -> list[Agent]:
        """The account's agents (remembered, for presence events and assignees)."""
        client = self._client
        body = await client.get(client.acct("/agents"))
        if not isinstance(body, list):
            raise ProtocolError("Chatwoot sent an agent list this client cannot read.")
        result = [agent_from(parse(CwAgent, item, what="agent")) for item in body]
        self._cache.agents = {a.id: a for a in result}
        return result

    async def _presence_events(self, data: dict[str, Any]) -> AsyncIterator[Event]:
        users = data.get("users")
        if not isinstance(users, dict):
            return
        known = self._cache.agents
        if not known:
            with contextlib.suppress(BackendError):
                await self.agents()
            known = self._cache.agents
        for user_id, status in users.items():
            presence = presence_from(status if isinstance(status, str) else None)
            agent = known.get(str(user_id))
            if agent is None or agent.presence == presence:
                continue
            agent = agent.model_copy(update={"presence": presence})
            known[agent.id] = agent
            yield self._event("agent.presence", {"agent": dump(agent)})
        # users missing from the map went offline (Chatwoot lists online/busy ones)
        for agent_id, agent in list(known.items()):
            if agent_id not in {str(k) for k in users} and agent.presence != "offline":
                agent = agent.model_copy(update={"presence": "offline"})
                known[agent_id] = agent
                yield self._event("agent.presence", {"agent": dump(agent)})

    async def _catch_up(self, offline_for: float) -> AsyncIterator[StreamItem]:
        """After a reconnect: what changed while away, as events (or Resync when too much)."""
        client, cache, timing = self._client, self._cache, self._timing
        if offline_for > timing.resync_after:
            yield Resync()
            return
        window = int(offline_for + timing.refetch_margin) + 1
        try:
            body = await client.get(
                client.acct("/conversations"),
                {"status": "all", "assignee_type": "all", "updated_within": window},
            )
            listing = parse(CwConversationList, body, what="conversation list")
        except (NotFoundError, ValidationError, ProtocolError):
            yield Resync()
            return
        changed = listing.data.payload
        if len(changed) >= timing.resync_threshold:
            yield Resync()
            return
        open_id = self.open_thread
        if open_id is not None and open_id in cache.last_message_id:
            after_id = cache.last_message_id[open_id]
            with contextlib.suppress(NotFoundError):
                path = client.conv_path(open_id, "/messages")
                raw = await client.get(path, {"after": after_id})
                fresh = parse(CwMessageList, raw, what="message list").payload
                for msg in sorted(fresh, key=lambda m: m.id):
                    if msg.id <= after_id:
                        continue
                    msg = msg.model_copy(update={"conversation_id": int(open_id)})
                    event = await self._message_event("message.created", msg)
                    if event is not None:
                        yield event
        for conv in changed:
            yield self._event("thread.updated", {"thread": dump(cache.thread(conv))})

    async def send_ephemeral(self, name: str, data: dict[str, Any]) -> None:
        """`typing` -> Chatwoot's toggle_typing_status; `viewing` records the open conversation
        (Chatwoot has no "who is viewing" signal). Failures are dropped silently."""
        thread_id = data.get("thread_id")
        if name == "viewing":
            self.viewing_known = True
            self.open_thread = str(thread_id) if thread_id else None
            return
        if name != "typing" or not thread_id:
            return
        body = {
            "typing_status": "on" if data.get("typing", True) else "off",
            "is_private": bool(data.get("private", False)),
        }
        with contextlib.suppress(BackendError):
            path = self._client.conv_path(str(thread_id), "/toggle_typing_status")
            await self._client.post(path, body)

    async def close(self) -> None:
        self.closed = True
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()


async def _recv(ws: ClientConnection, seconds: float) -> str | bytes | None:
    """The next frame, or None when none came within `seconds`."""
    try:
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation.
        async with asyncio.timeout(seconds):
            return await ws.recv()
    except TimeoutError:
        return None
