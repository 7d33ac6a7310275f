"""Sending a reply or a note to Chatwoot exactly once per client_id.

Chatwoot echoes `echo_id` but neither stores it nor deduplicates on it (FINDINGS.md §2). So every
attempt is journalled on disk first (journal.py); a client_id that was attempted before is looked
up among the conversation's recent messages (same author, text and visibility, posted after the
first attempt, not claimed by another client_id) before it is posted again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from agent_desktop import paths
from agent_desktop.backends.base import NotFoundError, ValidationError
from agent_desktop.backends.chatwoot.client import ChatwootClient, parse
from agent_desktop.backends.chatwoot.journal import Attempt, SentJournal
from agent_desktop.backends.chatwoot.mapping import message_from
from agent_desktop.backends.chatwoot.models import CwMessage, CwMessageList
from agent_desktop.core.types import MAX_TEXT_LENGTH, Message, SendKind

if TYPE_CHECKING:
    from agent_desktop.backends.chatwoot.auth import ChatwootAuth
    from agent_desktop.backends.chatwoot.cache import ConversationCache

log = logging.getLogger(__name__)


def sender_id(msg: CwMessage) -> int | None:
    """The author's id: `sender_id` (websocket) or `sender.id` (the REST partial has no
    `sender_id`)."""
    if msg.sender_id is not None:
        return msg.sender_id
    return msg.sender.id if msg.sender is not None else None


def text_pattern(text: str) -> re.Pattern[str]:
    """Matches `text` after Chatwoot's server-side Liquid filled its `{{...}}` variables."""
    parts = re.split(r"\{\{[^{}]*\}\}", text.strip())
    return re.compile(".*?".join(re.escape(p) for p in parts), re.DOTALL)


class Sender:
    """Posts messages; `journal_path` is where attempts are kept ("default": the data folder,
    one file per server and account; None: in memory)."""

    def __init__(
        self,
        client: ChatwootClient,
        auth: ChatwootAuth,
        cache: ConversationCache,
        journal_path: Path | Literal["default"] | None,
    ) -> None:
        self._client = client
        self._auth = auth
        self._cache = cache
        self._journal_choice = journal_path
        self._journal: SentJournal | None = None
        self._locks: dict[str, asyncio.Lock] = {}

    def forget_journal(self) -> None:
        """Another account: its journal is another file."""
        self._journal = None

    def _get_journal(self) -> SentJournal:
        if self._journal is None:
            choice = self._journal_choice
            if choice == "default":
                client = self._client
                key = hashlib.sha256(f"{client.base_url}|{client.account_id}".encode()).hexdigest()
                choice = paths.data_dir() / "chatwoot" / f"sent-{key[:16]}.json"
            self._journal = SentJournal(choice)
        return self._journal

    async def send_message(
        self, thread_id: str, *, client_id: str, text: str, kind: SendKind
    ) -> Message:
        """Post a reply or a private note, exactly once per `client_id` (see the module)."""
        if not text.strip():
            raise ValidationError("The message is empty.")
        if len(text) > MAX_TEXT_LENGTH:
            raise ValidationError(
                f"The message is too long ({len(text)} characters; at most {MAX_TEXT_LENGTH})."
            )
        cache = self._cache
        lock = self._locks.setdefault(client_id, asyncio.Lock())
        async with lock:
            known = cache.sent.get(client_id)
            if known is not None:
                return known
            journal = self._get_journal()
            entry = journal.get(client_id)
            private = kind == "note"
            if entry is not None:
                found = await self._find_sent(thread_id, client_id, text, private, entry)
                if found is not None:
                    return found
            now = self._client.now()
            journal.attempt(client_id, thread_id, now)
            body = {
                "content": text,
                "private": private,
                "message_type": "outgoing",
                "content_type": "text",
                "echo_id": client_id,
            }
            answer = await self._client.post(self._client.conv_path(thread_id, "/messages"), body)
            msg = parse(CwMessage, answer, what="message")
            journal.sent(client_id, thread_id, msg.id, now)
            return self._sent(thread_id, client_id, msg)

    def _sent(self, thread_id: str, client_id: str, msg: CwMessage) -> Message:
        self._cache.remember_message(thread_id, msg)
        message = message_from(msg, thread_id=thread_id).model_copy(update={"client_id": client_id})
        self._cache.sent[client_id] = message
        return message

    async def _find_sent(
        self, thread_id: str, client_id: str, text: str, private: bool, entry: Attempt
    ) -> Message | None:
        """The message an earlier attempt of `client_id` created, if it reached Chatwoot."""
        journal = self._get_journal()
        params = {"before": entry.message_id + 1} if entry.message_id is not None else None
        body = await self._client.get(self._client.conv_path(thread_id, "/messages"), params)
        listing = parse(CwMessageList, body, what="message list")
        me = (await self._auth.profile()).id
        pattern = text_pattern(text)
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
                and sender_id(msg) == me
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
        return self._sent(thread_id, client_id, match)
