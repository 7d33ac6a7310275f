"""The Messenger bridge's guard on agents' replies: an ASGI middleware that refuses, before
anything is stored, a reply Messenger's rules forbid now (mounted by `routes.install`)."""

from __future__ import annotations

import json
import re

from sqlalchemy import select
from starlette.types import ASGIApp, Receive, Scope, Send

from agent_desktop.server.errors import error_response
from agent_desktop.server.limits import read_body, replaying
from agent_desktop.server.messenger.bridge import MessengerBridge
from agent_desktop.server.messenger.policy import PolicyRefusal, reply_block
from agent_desktop.server.messenger.tables import LinkRow
from agent_desktop.server.models import MessageRow, ThreadRow, utcnow

_SEND_PATH = re.compile(r"^/api/v1/threads/([^/]+)/messages/?$")


class ReplyGuard:
    """Refuses an agent's reply on a Messenger thread (409, with the policy's code and sentence)
    when the rules forbid it now, before anything is stored: another app or the Page inbox owns
    the conversation, the window is closed, or it needs HUMAN_AGENT and the Page lacks the
    permission or the team the tag. A paused Page does not refuse: the reply waits.

    Only `POST /api/v1/threads/{id}/messages` with kind "reply" is inspected; notes pass.
    """

    def __init__(self, app: ASGIApp, bridge: MessengerBridge) -> None:
        self.app = app
        self.bridge = bridge

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _SEND_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        refusal = await self._refusal(match.group(1), body)
        if refusal is not None:
            response = error_response(409, refusal.code, refusal.reason)
            await response(scope, receive, send)
            return
        await self.app(scope, replaying(body, receive), send)

    async def _refusal(self, thread_id: str, body: bytes) -> PolicyRefusal | None:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("kind", "reply") != "reply":
            return None
        if not self.bridge.is_ready:
            return None
        async with self.bridge.ctx.sessionmaker() as session:
            link = await session.get(LinkRow, thread_id)
            if link is None:
                return None
            thread = await session.get(ThreadRow, thread_id)
            if thread is None:
                return None
            facts = await self.bridge.facts(session, thread, link, replies_only=True)
            refusal = reply_block(facts, utcnow())
            client_id = data.get("client_id")
            if refusal is not None and isinstance(client_id, str):
                # Already stored (a retry of the same client_id): let the route answer with it.
                stored = (
                    await session.execute(
                        select(MessageRow.pk).where(
                            MessageRow.thread_id == thread_id, MessageRow.client_id == client_id
                        )
                    )
                ).scalar_one_or_none()
                if stored is not None:
                    return None
        return refusal
