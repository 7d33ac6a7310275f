"""A loopback Chatwoot v4.10 stand-in for the connector's tests: HTTP and ActionCable as
FINDINGS.md describes the real server (sign-in with MFA, conversations, messages with `echo_id`
echoed but NOT stored or deduplicated, contacts, canned responses, Shopify orders, reports,
`/cable` welcome/ping/confirm_subscription/broadcasts).

Use the `chatwoot_server` fixture (tests/integration/chatwoot/conftest.py) or `running(fake)`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import secrets
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse, Response

PER_PAGE = 25
MESSAGES_PAGE = 20


def now_ts() -> float:
    return time.time()


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1000):03d}Z"


@dataclass
class User:
    id: int
    name: str
    email: str
    password: str
    roles: dict[int, str]  # account id -> "administrator" | "agent"
    access_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    pubsub_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    otp_code: str | None = None  # MFA enabled when set
    availability: str = "offline"


@dataclass
class Contact:
    id: int
    account_id: int
    name: str
    email: str | None = None
    phone_number: str | None = None
    created_at: float = field(default_factory=now_ts)


@dataclass
class Conversation:
    id: int  # display id
    account_id: int
    contact_id: int
    inbox_id: int = 1
    channel: str = "Channel::FacebookPage"
    status: str = "open"
    assignee_id: int | None = None
    labels: list[str] = field(default_factory=list)
    agent_last_seen_at: float = 0.0
    waiting_since: float | None = None
    first_reply_created_at: float | None = None
    created_at: float = field(default_factory=now_ts)
    updated_at: float = field(default_factory=now_ts)
    last_activity_at: float = field(default_factory=now_ts)


@dataclass
class Msg:
    id: int
    account_id: int
    conversation_id: int
    content: str
    message_type: int  # 0 incoming, 1 outgoing, 2 activity, 3 template
    created_at: float
    private: bool = False
    sender_type: str | None = None  # "Contact" | "User" | "AgentBot" | None
    sender_id: int | None = None
    status: str = "sent"
    content_attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Canned:
    id: int
    account_id: int
    short_code: str
    content: str
    created_at: float = field(default_factory=now_ts)
    updated_at: float = field(default_factory=now_ts)


@dataclass
class Socket:
    ws: WebSocket
    identifier: str | None = None
    user: User | None = None
    account_id: int | None = None
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class FakeChatwoot:
    """State and behaviour of the stand-in; tests call its helpers to make things happen."""

    def __init__(self, *, ping_interval: float = 3.0) -> None:
        self.ping_interval = ping_interval
        self.pings_paused = False
        self.refuse_cable = False
        self.url = ""
        self._ids = itertools.count(1000)
        self._msg_ids = itertools.count(1)
        self.users: dict[int, User] = {}
        self.contacts: dict[int, Contact] = {}
        # By (account, display id): like Chatwoot, each account numbers its conversations 1, 2...
        self.conversations: dict[tuple[int, int], Conversation] = {}
        self.messages: list[Msg] = []
        self.canned: dict[int, Canned] = {}
        self.shopify: dict[int, bool] = {}  # account id -> integration connected
        self.shopify_orders: dict[int, list[dict[str, Any]]] = {}
        self.sockets: list[Socket] = []
        self.requests: list[tuple[str, str]] = []
        self.mfa_tokens: dict[str, int] = {}
        self.fail_next_message_response = 0  # store the message, then answer 502
        self.presence_updates = 0
        # ActiveStorage: blob key -> where the storage service serves it (Chatwoot answers 302).
        self.storage: dict[str, str] = {}
        self.app = self._build_app()

    # -- seeding ------------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        email: str,
        password: str = "secret-pass",
        roles: dict[int, str] | None = None,
        otp_code: str | None = None,
    ) -> User:
        user = User(
            next(self._ids), name, email, password, roles or {1: "agent"}, otp_code=otp_code
        )
        self.users[user.id] = user
        return user

    def add_contact(self, account_id: int, name: str, **kw: Any) -> Contact:
        contact = Contact(next(self._ids), account_id, name, **kw)
        self.contacts[contact.id] = contact
        return contact

    def add_conversation(self, account_id: int, contact: Contact, **kw: Any) -> Conversation:
        display = 1 + max(
            (c.id for c in self.conversations.values() if c.account_id == account_id), default=0
        )
        conv = Conversation(display, account_id, contact.id, **kw)
        self.conversations[account_id, display] = conv
        return conv

    def add_message(
        self,
        conv: Conversation,
        content: str,
        *,
        message_type: int = 0,
        sender: User | None = None,
        private: bool = False,
        at: float | None = None,
    ) -> Msg:
        at = now_ts() if at is None else at
        if message_type == 0:
            sender_type, sender_id = "Contact", conv.contact_id
        elif sender is not None:
            sender_type, sender_id = "User", sender.id
        else:
            sender_type, sender_id = None, None
        msg = Msg(
            next(self._msg_ids),
            conv.account_id,
            conv.id,
            content,
            message_type,
            at,
            private=private,
            sender_type=sender_type,
            sender_id=sender_id,
        )
        self.messages.append(msg)
        conv.last_activity_at = max(conv.last_activity_at, at)
        conv.updated_at = max(conv.updated_at, at)
        if not private and message_type == 0:
            if conv.waiting_since is None:
                conv.waiting_since = at
            if conv.status == "resolved":
                conv.status = "open"
        elif not private and message_type == 1:
            conv.waiting_since = None  # human and bot replies clear it (FINDINGS.md §5)
            if sender_type == "User" and conv.first_reply_created_at is None:
                conv.first_reply_created_at = at
        return msg

    async def customer_writes(self, conv: Conversation, text: str) -> Msg:
        """A customer message arrives: stored, then broadcast like Chatwoot does."""
        msg = self.add_message(conv, text)
        await self.broadcast(conv.account_id, "message.created", self.push_message(msg))
        await self.broadcast(conv.account_id, "conversation.updated", self.conv_json(conv))
        return msg

    # -- JSON shapes --------------------------------------------------------------------------

    def user_json(self, user: User, account_id: int | None = None) -> dict[str, Any]:
        account = account_id or next(iter(user.roles))
        return {
            "id": user.id,
            "account_id": account,
            "availability_status": user.availability,
            "auto_offline": True,
            "confirmed": True,
            "email": user.email,
            "available_name": user.name,
            "name": user.name,
            "role": user.roles.get(account, "agent"),
            "thumbnail": "",
        }

    def profile_json(self, user: User) -> dict[str, Any]:
        return {
            "access_token": user.access_token,
            "account_id": next(iter(user.roles)),
            "available_name": user.name,
            "avatar_url": "",
            "confirmed": True,
            "display_name": None,
            "message_signature": None,
            "email": user.email,
            "id": user.id,
            "inviter_id": None,
            "name": user.name,
            "provider": "email",
            "pubsub_token": user.pubsub_token,
            "role": user.roles[next(iter(user.roles))],
            "ui_settings": {},
            "uid": user.email,
            "type": "User",
            "accounts": [
                {
                    "id": aid,
                    "name": f"Shop {aid}",
                    "status": "active",
                    "active_at": iso(now_ts()),
                    "role": role,
                    "permissions": [role],
                    "availability": user.availability,
                    "availability_status": user.availability,
                    "auto_offline": True,
                    "custom_role_id": None,
                    "custom_role": None,
                }
                for aid, role in user.roles.items()
            ],
        }

    def contact_json(self, contact: Contact) -> dict[str, Any]:
        return {
            "additional_attributes": {},
            "availability_status": "offline",
            "email": contact.email,
            "id": contact.id,
            "name": contact.name,
            "phone_number": contact.phone_number,
            "blocked": False,
            "identifier": None,
            "thumbnail": "",
            "custom_attributes": {},
            "last_activity_at": int(contact.created_at),
            "created_at": int(contact.created_at),
        }

    def sender_json(self, msg: Msg) -> dict[str, Any] | None:
        if msg.sender_type == "Contact":
            contact = self.contacts[msg.sender_id or 0]
            return {**self.contact_json(contact), "type": "contact"}
        if msg.sender_type == "User":
            user = self.users[msg.sender_id or 0]
            return {
                "id": user.id,
                "name": user.name,
                "available_name": user.name,
                "avatar_url": "",
                "type": "user",
                "availability_status": user.availability,
                "thumbnail": "",
            }
        return None

    def message_json(self, msg: Msg, echo_id: str | None = None) -> dict[str, Any]:
        """The REST `_message` partial."""
        body: dict[str, Any] = {
            "id": msg.id,
            "content": msg.content,
            "inbox_id": self.conversations[msg.account_id, msg.conversation_id].inbox_id,
            "conversation_id": msg.conversation_id,
            "message_type": msg.message_type,
            "content_type": "text",
            "status": msg.status,
            "content_attributes": msg.content_attributes,
            "created_at": int(msg.created_at),
            "private": msg.private,
            "source_id": None,
        }
        sender = self.sender_json(msg)
        if sender is not None:
            body["sender"] = sender
        if echo_id is not None:
            body["echo_id"] = echo_id
        return body

    def push_message(self, msg: Msg, echo_id: str | None = None) -> dict[str, Any]:
        """`Message#push_event_data` for the websocket."""
        conv = self.conversations[msg.account_id, msg.conversation_id]
        body = {
            **self.message_json(msg, echo_id),
            "account_id": msg.account_id,
            "updated_at": iso(msg.created_at),
            "sender_type": msg.sender_type,
            "sender_id": msg.sender_id,
            "external_source_ids": {},
            "additional_attributes": {},
            "processed_message_content": msg.content,
            "sentiment": {},
            "conversation": {
                "assignee_id": conv.assignee_id,
                "unread_count": self.unread(conv),
                "last_activity_at": int(conv.last_activity_at),
                "contact_inbox": {"source_id": "psid-1"},
            },
        }
        return body

    def messages_of(self, conv: Conversation) -> list[Msg]:
        return [
            m
            for m in self.messages
            if m.conversation_id == conv.id and m.account_id == conv.account_id
        ]

    def unread(self, conv: Conversation) -> int:
        count = sum(
            1
            for m in self.messages_of(conv)
            if m.message_type == 0 and m.created_at > conv.agent_last_seen_at
        )
        return min(count, 10)

    def conv_json(self, conv: Conversation) -> dict[str, Any]:
        contact = self.contacts[conv.contact_id]
        mine = self.messages_of(conv)
        chat = [m for m in mine if m.message_type != 2]
        last = chat[-1] if chat else None
        assignee = self.users.get(conv.assignee_id or 0)
        return {
            "meta": {
                "sender": self.contact_json(contact),
                "channel": conv.channel,
                "assignee": self.user_json(assignee, conv.account_id) if assignee else None,
                "assignee_type": "User" if assignee else None,
                "team": None,
                "hmac_verified": False,
            },
            "id": conv.id,
            "messages": [self.push_message(last)] if last else [],
            "account_id": conv.account_id,
            "uuid": f"uuid-{conv.id}",
            "additional_attributes": {},
            "agent_last_seen_at": int(conv.agent_last_seen_at),
            "assignee_last_seen_at": int(conv.agent_last_seen_at),
            "can_reply": True,
            "contact_last_seen_at": 0,
            "custom_attributes": {},
            "inbox_id": conv.inbox_id,
            "labels": list(conv.labels),
            "muted": False,
            "snoozed_until": None,
            "status": conv.status,
            "created_at": int(conv.created_at),
            "updated_at": conv.updated_at,
            "timestamp": int(conv.last_activity_at),
            "first_reply_created_at": int(conv.first_reply_created_at or 0),
            "unread_count": self.unread(conv),
            "last_non_activity_message": self.push_message(last) if last else None,
            "last_activity_at": int(conv.last_activity_at),
            "priority": None,
            "waiting_since": int(conv.waiting_since) if conv.waiting_since else None,
            "sla_policy_id": None,
        }

    def canned_json(self, canned: Canned) -> dict[str, Any]:
        return {
            "id": canned.id,
            "account_id": canned.account_id,
            "short_code": canned.short_code,
            "content": canned.content,
            "created_at": iso(canned.created_at),
            "updated_at": iso(canned.updated_at),
        }

    # -- ActionCable --------------------------------------------------------------------------

    async def _send(self, sock: Socket, frame: dict[str, Any]) -> None:
        async with sock.send_lock:
            with contextlib.suppress(Exception):
                await sock.ws.send_text(json.dumps(frame))

    async def broadcast(self, account_id: int, event: str, data: dict[str, Any]) -> None:
        """To every subscriber of the account (inbox membership is not modelled: everyone)."""
        payload = {**data, "account_id": account_id}
        for sock in list(self.sockets):
            if sock.identifier and sock.account_id == account_id:
                await self._send(
                    sock,
                    {"identifier": sock.identifier, "message": {"event": event, "data": payload}},
                )

    async def drop_sockets(self) -> None:
        """The network drops every live connection (no close frame from the client's view)."""
        for sock in list(self.sockets):
            with contextlib.suppress(Exception):
                await sock.ws.close(code=1001)
        self.sockets.clear()

    async def restart_notice(self) -> None:
        for sock in list(self.sockets):
            await self._send(
                sock, {"type": "disconnect", "reason": "server_restart", "reconnect": True}
            )
            with contextlib.suppress(Exception):
                await sock.ws.close()
        self.sockets.clear()

    def presence_json(self) -> dict[str, Any]:
        """`presence.update`: every online or busy user of the account (offline ones absent)."""
        users = {
            str(u.id): u.availability for u in self.users.values() if u.availability != "offline"
        }
        return {"users": users, "contacts": {}}

    def subscribed(self) -> int:
        return sum(1 for s in self.sockets if s.identifier)

    async def _cable(self, ws: WebSocket) -> None:
        if self.refuse_cable:  # the socket endpoint is down (HTTP still answers)
            await ws.close(code=1013)
            return
        offered = ws.scope.get("subprotocols") or []
        await ws.accept(
            subprotocol="actioncable-v1-json" if "actioncable-v1-json" in offered else None
        )
        sock = Socket(ws)
        self.sockets.append(sock)
        await self._send(sock, {"type": "welcome"})

        async def pinger() -> None:
            while True:
                await asyncio.sleep(self.ping_interval)
                if not self.pings_paused:
                    await self._send(sock, {"type": "ping", "message": int(now_ts())})

        ping_task = asyncio.create_task(pinger())
        try:
            while True:
                raw = await ws.receive_text()
                try:
                    frame = json.loads(raw)
                except ValueError:
                    continue
                await self._cable_command(sock, frame)
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            ping_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ping_task
            if sock in self.sockets:
                self.sockets.remove(sock)

    async def _cable_command(self, sock: Socket, frame: dict[str, Any]) -> None:
        command = frame.get("command")
        ident = frame.get("identifier")
        if not isinstance(ident, str):
            return
        if command == "subscribe":
            try:
                params = json.loads(ident)
            except ValueError:
                return
            user = self.users.get(params.get("user_id"))
            account_id = params.get("account_id")
            # RoomChannel#current_user raises RecordNotFound: no confirm and no reject.
            if (
                params.get("channel") != "RoomChannel"
                or user is None
                or user.pubsub_token != params.get("pubsub_token")
                or account_id not in user.roles
            ):
                return
            sock.identifier, sock.user, sock.account_id = ident, user, account_id
            await self._send(sock, {"identifier": ident, "type": "confirm_subscription"})
        elif command == "message" and ident == sock.identifier and sock.user is not None:
            data = json.loads(frame.get("data") or "{}")
            if data.get("action") == "update_presence":
                self.presence_updates += 1
                if sock.user.availability == "offline":
                    sock.user.availability = "online"
                await self.broadcast(sock.account_id or 0, "presence.update", self.presence_json())

    # -- HTTP ---------------------------------------------------------------------------------

    def _user(self, request: Request) -> User | None:
        token = request.headers.get("api_access_token")
        for user in self.users.values():
            if token and user.access_token == token:
                return user
        return None

    def _build_app(self) -> FastAPI:
        app = FastAPI()
        fake = self

        def error(status: int, message: str) -> JSONResponse:
            return JSONResponse({"error": message}, status_code=status)

        @app.middleware("http")
        async def auth(request: Request, call_next: Any) -> Response:
            path = request.url.path
            fake.requests.append((request.method, path))
            if path.startswith(("/auth/", "/rails/active_storage/")):  # signed URLs, no token
                response: Response = await call_next(request)
                return response
            user = fake._user(request)
            if user is None:
                return error(401, "Invalid Access Token")
            match = re.match(r"^/api/v[12]/accounts/(\d+)", path)
            if match and int(match.group(1)) not in user.roles:
                return error(401, "You are not authorized to access this account")
            request.state.user = user
            response = await call_next(request)
            return response

        @app.get("/rails/active_storage/blobs/redirect/{key}/{name}")
        async def blob_redirect(key: str, name: str) -> Response:
            target = fake.storage.get(key)
            if target is None:
                return error(404, "Resource could not be found")
            return Response(status_code=302, headers={"Location": target})

        @app.post("/auth/sign_in")
        async def sign_in(request: Request) -> Response:
            body = await request.json()
            user: User | None = None
            if "mfa_token" in body:
                uid = fake.mfa_tokens.get(body["mfa_token"])
                user = fake.users.get(uid or 0)
                if user is None or body.get("otp_code") != user.otp_code:
                    return JSONResponse({"error": "Invalid two-factor code"}, status_code=401)
                del fake.mfa_tokens[body["mfa_token"]]
            else:
                for candidate in fake.users.values():
                    if candidate.email == body.get("email") and candidate.password == body.get(
                        "password"
                    ):
                        user = candidate
                if user is None:
                    return JSONResponse(
                        {
                            "success": False,
                            "errors": ["Invalid login credentials. Please try again."],
                        },
                        status_code=401,
                    )
                if user.otp_code:
                    token = secrets.token_urlsafe(12)
                    fake.mfa_tokens[token] = user.id
                    return JSONResponse({"mfa_required": True, "mfa_token": token}, status_code=206)
            headers = {
                "access-token": secrets.token_urlsafe(8),
                "client": "c1",
                "uid": user.email,
                "expiry": str(int(now_ts()) + 3600),
            }
            return JSONResponse({"data": fake.profile_json(user)}, headers=headers)

        @app.delete("/auth/sign_out")
        async def sign_out() -> Response:
            return JSONResponse({"success": True})

        @app.get("/api/v1/profile")
        async def profile(request: Request) -> Response:
            return JSONResponse(fake.profile_json(request.state.user))

        @app.post("/api/v1/profile/availability")
        async def availability(request: Request) -> Response:
            body = await request.json()
            user: User = request.state.user
            user.availability = body["profile"]["availability"]
            await fake.broadcast(
                body["profile"]["account_id"], "presence.update", fake.presence_json()
            )
            return JSONResponse(fake.profile_json(user))

        @app.get("/api/v1/accounts/{account_id}/agents")
        async def agents(account_id: int) -> Response:
            return JSONResponse(
                [
                    fake.user_json(u, account_id)
                    for u in fake.users.values()
                    if account_id in u.roles
                ]
            )

        @app.get("/api/v1/accounts/{account_id}/conversations")
        async def conversations(account_id: int, request: Request) -> Response:
            qp = request.query_params
            user: User = request.state.user
            status = qp.get("status", "open")
            rows = [c for c in fake.conversations.values() if c.account_id == account_id]
            if status != "all":
                rows = [c for c in rows if c.status == status]
            labels = qp.getlist("labels[]") or qp.getlist("labels")
            if labels:
                rows = [c for c in rows if set(labels) & set(c.labels)]
            if qp.get("q"):
                needle = qp["q"].lower()
                ids = {
                    (m.account_id, m.conversation_id)
                    for m in fake.messages
                    if needle in m.content.lower()
                }
                rows = [c for c in rows if (c.account_id, c.id) in ids]
            counts = {
                "mine_count": sum(1 for c in rows if c.assignee_id == user.id),
                "assigned_count": sum(1 for c in rows if c.assignee_id is not None),
                "unassigned_count": sum(1 for c in rows if c.assignee_id is None),
                "all_count": len(rows),
            }
            kind = qp.get("assignee_type", "all")
            if kind == "me":
                rows = [c for c in rows if c.assignee_id == user.id]
            elif kind == "unassigned":
                rows = [c for c in rows if c.assignee_id is None]
            elif kind == "assigned":
                rows = [c for c in rows if c.assignee_id is not None]
            rows.sort(key=lambda c: c.last_activity_at, reverse=True)
            if qp.get("updated_within"):
                cutoff = now_ts() - float(qp["updated_within"])
                rows = [c for c in rows if c.updated_at >= cutoff]
            else:
                page = int(qp.get("page", "1"))
                rows = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
            return JSONResponse(
                {"data": {"meta": counts, "payload": [fake.conv_json(c) for c in rows]}}
            )

        def find(account_id: int, conversation_id: int) -> Conversation | None:
            return fake.conversations.get((account_id, conversation_id))

        @app.get("/api/v1/accounts/{account_id}/conversations/{conversation_id}")
        async def conversation(account_id: int, conversation_id: int) -> Response:
            conv = find(account_id, conversation_id)
            if conv is None:
                return error(404, "Resource could not be found")
            return JSONResponse(fake.conv_json(conv))

        @app.get("/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages")
        async def list_messages(
            account_id: int, conversation_id: int, request: Request
        ) -> Response:
            conv = find(account_id, conversation_id)
            if conv is None:
                return error(404, "Resource could not be found")
            qp = request.query_params
            rows = sorted(fake.messages_of(conv), key=lambda m: m.id)
            before = int(qp["before"]) if "before" in qp else None
            after = int(qp["after"]) if "after" in qp else None
            if before is not None and after is not None:
                rows = [m for m in rows if after <= m.id < before][:1000]
            elif after is not None:
                rows = [m for m in rows if m.id > after][:100]
            elif before is not None:
                rows = [m for m in rows if m.id < before][-MESSAGES_PAGE:]
            else:
                rows = rows[-MESSAGES_PAGE:]
            contact = fake.contacts[conv.contact_id]
            return JSONResponse(
                {
                    "meta": {
                        "labels": conv.labels,
                        "additional_attributes": {},
                        "contact": fake.contact_json(contact),
                        "agent_last_seen_at": int(conv.agent_last_seen_at),
                        "assignee_last_seen_at": int(conv.agent_last_seen_at),
                    },
                    "payload": [fake.message_json(m) for m in rows],
                }
            )

        def liquid(text: str, conv: Conversation, user: User) -> str:
            contact = fake.contacts[conv.contact_id]
            values = {
                "contact.name": contact.name,
                "contact.first_name": contact.name.split(" ")[0],
                "contact.email": contact.email or "",
                "agent.name": user.name,
            }
            return re.sub(r"\{\{\s*([^{}|\s]+)\s*\}\}", lambda m: values.get(m.group(1), ""), text)

        @app.post("/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages")
        async def create_message(
            account_id: int, conversation_id: int, request: Request
        ) -> Response:
            conv = find(account_id, conversation_id)
            if conv is None:
                return error(404, "Resource could not be found")
            body = await request.json()
            content = body.get("content")
            if not isinstance(content, str) or not content.strip():
                return error(422, "Content can't be blank")
            user: User = request.state.user
            # echo_id is echoed, never stored, never used to deduplicate (FINDINGS.md §2).
            echo_id = body.get("echo_id")
            msg = fake.add_message(
                conv,
                liquid(content, conv, user),
                message_type=1,
                sender=user,
                private=bool(body.get("private", False)),
            )
            await fake.broadcast(account_id, "message.created", fake.push_message(msg, echo_id))
            await fake.broadcast(account_id, "conversation.updated", fake.conv_json(conv))
            if fake.fail_next_message_response > 0:
                fake.fail_next_message_response -= 1
                return JSONResponse({"error": "Bad gateway"}, status_code=502)
            return JSONResponse(fake.message_json(msg, echo_id))

        @app.post("/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_status")
        async def toggle_status(
            account_id: int, conversation_id: int, request: Request
        ) -> Response:
            conv = find(account_id, conversation_id)
            if conv is None:
                return error(404, "Resource could not be found")
            body = await request.json()
            user: User = request.state.user
            status = body.get("status") or ("resolved" if conv.status == "open" else "open")
            if status not in {"open", "resolved", "pending", "snoozed"}:
                return error(422, "Invalid status")
            conv.status = status
            if status == "resolved":
                conv.waiting_since = None
            if status == "open" and user.roles.get(account_id) == "agent":
                conv.assignee_id = user.id  # the agent-role side effect (FINDINGS.md §2)
            conv.updated_at = now_ts()
            await fake.broadcast(account_id, "conversation.status_changed", fake.conv_json(conv))
            return JSONResponse(
                {
                    "meta": {},
                    "payload": {
                        "success": True,
                        "conversation_id": conv.id,
                        "current_status": conv.status,
                        "snoozed_until": None,
                    },
                }
            )

        @app.post("/api/v1/accounts/{account_id}/conversations/{conversation_id}/assignments")
        async def assign(account_id: int, conversation_id: int, request: Request) -> Response:
            conv = find(account_id, conversation_id)
            if conv is None:
                return error(404, "Resource could not be found")
            body = await request.json()
            assignee = body.get("assignee_id")
            if (
                assignee is not None
                and account_id not in fake.users.get(assignee, User(0, "", "", "", {})).roles
            ):
                return error(404, "Resource could not be found")
            conv.assignee_id = assignee
            conv.updated_at = now_ts()
            await fake.broadcast(account_id, "assignee.changed", fake.conv_json(conv))
            if assignee is None:
                return JSONResponse(None)
            return JSONResponse(fake.user_json(fake.users[assignee], account_id))

        @app.post("/api/v1/accounts/{account_id}/conversations/{conversation_id}/labels")
        async def set_labels(account_id: int, conversation_id: int, request: Request) -> Response:
            conv = find(account_id, conversation_id)
            if conv is None:
                return error(404, "Resource could not be found")
            body = await request.json()
            conv.labels = [str(label) for label in body.get("labels", [])]
            conv.updated_at = now_ts()
            await fake.broadcast(account_id, "conversation.updated", fake.conv_json(conv))
            return JSONResponse({"payload": conv.labels})

        @app.post("/api/v1/accounts/{account_id}/conversations/{conversation_id}/update_last_seen")
        async def last_seen(account_id: int, conversation_id: int) -> Response:
            conv = find(account_id, conversation_id)
            if conv is None:
                return error(404, "Resource could not be found")
            conv.agent_last_seen_at = now_ts()
            return JSONResponse(fake.conv_json(conv))

        @app.post(
            "/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_typing_status"
        )
        async def typing(account_id: int, conversation_id: int, request: Request) -> Response:
            conv = find(account_id, conversation_id)
            if conv is None:
                return error(404, "Resource could not be found")
            body = await request.json()
            user: User = request.state.user
            name = (
                "conversation.typing_on"
                if body.get("typing_status") == "on"
                else "conversation.typing_off"
            )
            await fake.broadcast(
                account_id,
                name,
                {
                    "conversation": fake.conv_json(conv),
                    "user": {"id": user.id, "name": user.name, "type": "user"},
                    "is_private": bool(body.get("is_private")),
                },
            )
            return Response(status_code=200)

        @app.get("/api/v1/accounts/{account_id}/contacts/{contact_id}")
        async def contact(account_id: int, contact_id: int) -> Response:
            found = fake.contacts.get(contact_id)
            if found is None or found.account_id != account_id:
                return error(404, "Resource could not be found")
            return JSONResponse({"payload": fake.contact_json(found)})

        @app.get("/api/v1/accounts/{account_id}/integrations/shopify/orders")
        async def shopify_orders(account_id: int, request: Request) -> Response:
            if not fake.shopify.get(account_id):
                return error(404, "Resource could not be found")
            contact_id = int(request.query_params["contact_id"])
            found = fake.contacts.get(contact_id)
            if found is None:
                return error(404, "Resource could not be found")
            if not found.email and not found.phone_number:
                return error(422, "Contact information missing")
            return JSONResponse({"orders": fake.shopify_orders.get(contact_id, [])})

        @app.get("/api/v1/accounts/{account_id}/canned_responses")
        async def canned_list(account_id: int, request: Request) -> Response:
            rows = [c for c in fake.canned.values() if c.account_id == account_id]
            term = request.query_params.get("search")
            if term:
                rows = [c for c in rows if term.lower() in (c.short_code + c.content).lower()]
            return JSONResponse([fake.canned_json(c) for c in rows])

        def canned_error(body: Any, account_id: int, skip: int | None) -> JSONResponse | None:
            item = body.get("canned_response") if isinstance(body, dict) else None
            if not isinstance(item, dict) or not item.get("short_code") or not item.get("content"):
                return error(422, "Short code and content can't be blank")
            for c in fake.canned.values():
                if (
                    c.account_id == account_id
                    and c.short_code == item["short_code"]
                    and c.id != skip
                ):
                    return error(422, "Short code has already been taken")
            return None

        @app.post("/api/v1/accounts/{account_id}/canned_responses")
        async def canned_create(account_id: int, request: Request) -> Response:
            body = await request.json()
            problem = canned_error(body, account_id, None)
            if problem is not None:
                return problem
            item = body["canned_response"]
            canned = Canned(next(fake._ids), account_id, item["short_code"], item["content"])
            fake.canned[canned.id] = canned
            return JSONResponse(fake.canned_json(canned))

        @app.patch("/api/v1/accounts/{account_id}/canned_responses/{canned_id}")
        async def canned_update(account_id: int, canned_id: int, request: Request) -> Response:
            canned = fake.canned.get(canned_id)
            if canned is None or canned.account_id != account_id:
                return error(404, "Resource could not be found")
            body = await request.json()
            problem = canned_error(body, account_id, canned_id)
            if problem is not None:
                return problem
            canned.short_code = body["canned_response"]["short_code"]
            canned.content = body["canned_response"]["content"]
            canned.updated_at = now_ts()
            return JSONResponse(fake.canned_json(canned))

        @app.delete("/api/v1/accounts/{account_id}/canned_responses/{canned_id}")
        async def canned_delete(account_id: int, canned_id: int) -> Response:
            canned = fake.canned.get(canned_id)
            if canned is None or canned.account_id != account_id:
                return error(404, "Resource could not be found")
            del fake.canned[canned_id]
            return Response(status_code=200)

        def admin(request: Request, account_id: int) -> bool:
            user: User = request.state.user
            return user.roles.get(account_id) == "administrator"

        @app.get("/api/v2/accounts/{account_id}/reports/summary")
        async def report_summary(account_id: int, request: Request) -> Response:
            if not admin(request, account_id):
                return error(401, "You are not authorized to do this action")
            qp = request.query_params
            since, until = float(qp["since"]), float(qp["until"])
            convs = [
                c
                for c in fake.conversations.values()
                if c.account_id == account_id and since <= c.created_at < until
            ]
            firsts = [
                c.first_reply_created_at - c.created_at for c in convs if c.first_reply_created_at
            ]
            avg = f"{sum(firsts) / len(firsts)}" if firsts else None
            return JSONResponse(
                {
                    "conversations_count": len(convs),
                    "incoming_messages_count": 0,
                    "outgoing_messages_count": 0,
                    "avg_first_response_time": avg,
                    "avg_resolution_time": None,
                    "resolutions_count": 0,
                    "reply_time": None,
                    "previous": {},
                }
            )

        @app.get("/api/v2/accounts/{account_id}/summary_reports/agent")
        async def agent_summary(account_id: int, request: Request) -> Response:
            if not admin(request, account_id):
                return error(401, "You are not authorized to do this action")
            return JSONResponse(
                [
                    {
                        "id": u.id,
                        "conversations_count": sum(
                            1 for c in fake.conversations.values() if c.assignee_id == u.id
                        ),
                        "resolved_conversations_count": 0,
                        "avg_resolution_time": None,
                        "avg_first_response_time": 42.5,
                        "avg_reply_time": None,
                    }
                    for u in fake.users.values()
                    if account_id in u.roles
                ]
            )

        @app.websocket("/cable")
        async def cable(ws: WebSocket) -> None:
            await fake._cable(ws)

        return app


@contextlib.asynccontextmanager
async def running(fake: FakeChatwoot) -> AsyncIterator[FakeChatwoot]:
    """Serve `fake` on 127.0.0.1 on a free port for the duration of the block."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        fake.app,
        lifespan="off",
        log_level="warning",
        ws="websockets-sansio",
        timeout_graceful_shutdown=1,
        access_log=False,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(500):
        if server.started:
            break
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    fake.url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        await fake.drop_sockets()
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)
        sock.close()


def seed(fake: FakeChatwoot) -> dict[str, Any]:
    """A small shop: an agent and an admin on account 1 (the admin also on account 2), three
    Messenger conversations, canned responses and a Shopify order."""
    agent = fake.add_user("Alice Martin", "alice@shop.test", roles={1: "agent"})
    admin = fake.add_user("Bruno Admin", "bruno@shop.test", roles={1: "administrator", 2: "agent"})
    base = now_ts() - 3600
    jeanne = fake.add_contact(1, "Jeanne Dupont", email="jeanne@example.test")
    marc = fake.add_contact(1, "Marc Petit", phone_number="+33600000000")
    nomail = fake.add_contact(1, "Anonymous")
    c1 = fake.add_conversation(1, jeanne, created_at=base, updated_at=base, last_activity_at=base)
    fake.add_message(c1, "Bonjour, où est ma commande ?", at=base + 10)
    c2 = fake.add_conversation(1, marc, created_at=base, updated_at=base, last_activity_at=base)
    fake.add_message(c2, "Hello", at=base + 20)
    fake.add_message(c2, "Hi Marc, how can I help?", message_type=1, sender=agent, at=base + 80)
    c2.assignee_id = agent.id
    c3 = fake.add_conversation(1, nomail, created_at=base, updated_at=base, last_activity_at=base)
    fake.add_message(c3, "spam spam", at=base + 30)
    fake.canned[1] = Canned(1, 1, "hello", "Hello {{contact.first_name}}, I am {{agent.name}}.")
    fake.shopify[1] = True
    fake.shopify_orders[jeanne.id] = [
        {
            "id": 450789469,
            "email": "jeanne@example.test",
            "created_at": "2026-11-20T10:00:00Z",
            "total_price": "59.90",
            "currency": "EUR",
            "fulfillment_status": None,
            "financial_status": "paid",
            "admin_url": "https://shop.myshopify.com/admin/orders/450789469",
        }
    ]
    return {
        "agent": agent,
        "admin": admin,
        "jeanne": jeanne,
        "marc": marc,
        "nomail": nomail,
        "c1": c1,
        "c2": c2,
        "c3": c3,
    }
