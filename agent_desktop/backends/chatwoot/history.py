"""The account's past, read page by page for the metrics computed on this computer
(metrics.py): the conversations active since a time, and a conversation's messages since then.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from agent_desktop.backends.chatwoot.client import ChatwootClient, parse
from agent_desktop.backends.chatwoot.models import (
    CwConversation,
    CwConversationList,
    CwMessage,
    CwMessageList,
)

CONVERSATIONS_PER_PAGE = 25  # Chatwoot's CONVERSATION_RESULTS_PER_PAGE default
MESSAGES_PER_PAGE = 20  # `GET .../messages` without `after`
MAX_MESSAGE_PAGES = 50
PARALLEL_REQUESTS = 4


class History:
    """Reads the past; at most `max_conversations` conversations for one window."""

    def __init__(self, client: ChatwootClient, *, max_conversations: int) -> None:
        self._client = client
        self.max_conversations = max_conversations

    async def conversations_since(self, since: datetime) -> list[CwConversation]:
        """Conversations active since `since` (newest activity first), at most the cap."""
        client = self._client
        found: list[CwConversation] = []
        page = 1
        while len(found) < self.max_conversations:
            params = {"status": "all", "assignee_type": "all", "page": page}
            listing = parse(
                CwConversationList,
                await client.get(client.acct("/conversations"), params),
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
        return found[: self.max_conversations]

    async def messages_since(self, thread_id: str, since: datetime) -> list[CwMessage]:
        """All messages of a conversation from `since` on (paging back by 20)."""
        client = self._client
        collected: dict[int, CwMessage] = {}
        params: dict[str, Any] | None = None
        for _ in range(MAX_MESSAGE_PAGES):
            body = await client.get(client.conv_path(thread_id, "/messages"), params)
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

    async def gather(
        self, jobs: list[Callable[[], Awaitable[Any]]], limit: int = PARALLEL_REQUESTS
    ) -> list[Any]:
        """Run `jobs`, at most `limit` at a time (Chatwoot rate-limits bursts)."""
        semaphore = asyncio.Semaphore(limit)

        async def run(job: Callable[[], Awaitable[Any]]) -> Any:
            async with semaphore:
                return await job()

        return list(await asyncio.gather(*(run(j) for j in jobs)))
