"""What the connector remembers of the account, to turn Chatwoot's partial answers and events into
whole threads: the conversations seen, their recent messages, the last message and the last
customer message of each, the agents, and the messages this client sent (by client_id).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_desktop.backends.chatwoot.client import ChatwootClient, parse
from agent_desktop.backends.chatwoot.mapping import message_from, thread_from
from agent_desktop.backends.chatwoot.models import CwAgent, CwConversation, CwMessage

if TYPE_CHECKING:
    from agent_desktop.core.types import Agent, Message, Thread

RECENT_KEPT = 60  # messages kept per conversation (enough to rebuild its thread row)


class ConversationCache:
    """Conversations and messages as last seen; agents by id; the messages sent here."""

    def __init__(self, client: ChatwootClient) -> None:
        self._client = client
        self.conversations: dict[str, CwConversation] = {}
        self.recent: dict[str, dict[int, CwMessage]] = {}
        self.last_message_id: dict[str, int] = {}
        self.last_incoming: dict[str, datetime] = {}
        self.agents: dict[str, Agent] = {}
        self.sent: dict[str, Message] = {}

    def clear(self) -> None:
        """Another account: nothing known of this one applies. Conversation ids are per account,
        so nothing kept by id may carry over (the reply window of account 1's conversation 5 is
        not account 2's); the messages sent here stay, known by client_id and message id, which
        are unique across accounts."""
        self.conversations.clear()
        self.recent.clear()
        self.last_message_id.clear()
        self.last_incoming.clear()
        self.agents.clear()

    def remember(self, conv: CwConversation) -> None:
        key = str(conv.id)
        self.conversations[key] = conv
        for msg in conv.messages:
            self.remember_message(key, msg)

    def remember_message(self, thread_id: str, msg: CwMessage) -> None:
        recent = self.recent.setdefault(thread_id, {})
        recent[msg.id] = msg
        if len(recent) > RECENT_KEPT:
            for old in sorted(recent)[: len(recent) - RECENT_KEPT]:
                del recent[old]
        if msg.id > self.last_message_id.get(thread_id, 0):
            self.last_message_id[thread_id] = msg.id
        if msg.message_type == 0 and msg.created_at is not None:
            prev = self.last_incoming.get(thread_id)
            if prev is None or msg.created_at > prev:
                self.last_incoming[thread_id] = msg.created_at

    def thread(self, conv: CwConversation) -> Thread:
        """`conv` as our Thread, with what the cache knows of its messages."""
        self.remember(conv)
        key = str(conv.id)
        return thread_from(
            conv,
            now=self._client.now(),
            messages=list(self.recent.get(key, {}).values()),
            last_incoming_at=self.last_incoming.get(key),
        )

    def message(self, msg: CwMessage, thread_id: str) -> Message:
        """`msg` as our Message, with the client_id of the send that created it, if it was ours."""
        message = message_from(msg, thread_id=thread_id)
        if message.client_id is None:
            for client_id, sent in self.sent.items():
                if sent.id == message.id:
                    return message.model_copy(update={"client_id": client_id})
        return message

    async def conversation(self, thread_id: str) -> CwConversation:
        """`GET` one conversation (and remember it)."""
        client = self._client
        conv = parse(
            CwConversation, await client.get(client.conv_path(thread_id)), what="conversation"
        )
        self.remember(conv)
        return conv

    def merge_message(self, conv: CwConversation, msg: CwMessage) -> CwConversation:
        """The cached conversation updated with what a message event says about it."""
        update: dict[str, Any] = {}
        extra = msg.conversation or {}
        if isinstance(extra.get("unread_count"), int):
            update["unread_count"] = extra["unread_count"]
        if "assignee_id" in extra:
            wanted = extra["assignee_id"]
            current = conv.meta.assignee.id if conv.meta.assignee else None
            known = self.agents.get(str(wanted)) if wanted is not None else None
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
