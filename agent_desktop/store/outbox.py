"""The outbox: every reply and note is written to the local database before any network call, then
delivered until the server stores it (exactly once: every attempt carries the same client_id),
refuses it (the message turns "failed" with the server's reason), or the token is refused (it
waits for the next sign-in). This is where a reply retries.

Used by `ClientStore` only; it emits the store's signals and updates its open conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from agent_desktop.backends.base import (
    AuthError,
    BackendError,
    NetworkError,
    ProtocolError,
    RateLimitedError,
    ServerError,
)
from agent_desktop.core.retry import RetryPolicy
from agent_desktop.store.conversation import ConversationEntry
from agent_desktop.store.sentences import error_sentence
from agent_desktop.store.state_db import OutboxRow, StorageError

if TYPE_CHECKING:
    from agent_desktop.core.literals import SendKind
    from agent_desktop.core.types import Message
    from agent_desktop.store.client_store import ClientStore

log = logging.getLogger(__name__)


class Outbox:
    """Queues, delivers and retries the agent's messages.

    A delivery waits between attempts for an exponential backoff (`retry_base`, `retry_cap`
    seconds), cut short when the event stream comes back live (`wake_up`); an attempt that has
    not ended after `attempt_timeout` seconds is abandoned and tried again.
    """

    def __init__(
        self,
        store: ClientStore,
        *,
        retry_base: float = 1.0,
        retry_cap: float = 30.0,
        attempt_timeout: float = 90.0,
    ) -> None:
        self._store = store
        self._retry = RetryPolicy(base=retry_base, cap=retry_cap)
        self._attempt_timeout = attempt_timeout
        self._deliveries: dict[str, asyncio.Task[None]] = {}
        self._retry_handles: dict[str, asyncio.TimerHandle] = {}
        self._wake = asyncio.Event()

    # -- what the agent does ------------------------------------------------------------------

    def send(
        self, thread_id: str, text: str, *, kind: SendKind = "reply", tag: str | None = None
    ) -> ConversationEntry:
        """Queue a reply or note (see ClientStore.send)."""
        store = self._store
        if not text.strip():
            raise ValueError("empty message")
        client_id = str(uuid.uuid4())
        try:
            row = store.db.outbox_add(client_id, thread_id, text, kind, tag)
        except StorageError as exc:
            store.storageError.emit(str(exc))
            raise
        entry = self.pending_entry(row)
        conversation = store.conversation
        if conversation is not None and conversation.thread_id == thread_id:
            conversation.add_pending(entry)
        self.emit_count()
        self.schedule(client_id)
        return entry

    def retry(self, client_id: str) -> None:
        """Send a failed message again (same client_id, so never twice)."""
        store = self._store
        row = store.db.outbox_get(client_id)
        if row is None or row.state != "failed":
            return
        try:
            store.db.outbox_set_state(client_id, "sending", None)
        except StorageError as exc:
            store.storageError.emit(str(exc))
            raise
        self._update_pending(row.thread_id, client_id, "sending", None)
        self.schedule(client_id)

    def discard(self, client_id: str) -> str | None:
        """Drop an unsent message; returns its text (for the composer) or None."""
        store = self._store
        row = store.db.outbox_get(client_id)
        if row is None:
            return None
        self._stop(client_id)
        store.db.outbox_delete(client_id)
        conversation = store.conversation
        if conversation is not None and conversation.thread_id == row.thread_id:
            conversation.remove_pending(client_id)
        self.emit_count()
        return row.text

    def resume(self) -> None:
        """Deliver what was still "sending" when the app last stopped."""
        for row in self._store.db.outbox_rows():
            if row.state == "sending":
                self.schedule(row.client_id)
        self.emit_count()

    def delivering(self, client_id: str) -> bool:
        """Whether a delivery of `client_id` is under way (or waiting for its next attempt)."""
        return client_id in self._deliveries or client_id in self._retry_handles

    def wake_up(self) -> None:
        """The stream is live again: every delivery waiting for its backoff tries now."""
        wake, self._wake = self._wake, asyncio.Event()
        wake.set()

    def close(self) -> None:
        """No more attempts (the store's tasks are already cancelled)."""
        for handle in self._retry_handles.values():
            handle.cancel()
        self._retry_handles.clear()
        # Break the reference cycles now, so the QObjects die on this (the GUI) thread.
        self._deliveries.clear()

    # -- entries shown in the conversation ----------------------------------------------------

    def pending_entry(self, row: OutboxRow) -> ConversationEntry:
        from agent_desktop.core.types import Author, Message

        store = self._store
        me = store.me
        message = Message(
            id=f"local:{row.client_id}",
            thread_id=row.thread_id,
            client_id=row.client_id,
            author=Author(kind="agent", id=me.id if me else None, name=me.name if me else ""),
            kind="note" if row.kind == "note" else "text",
            text=row.text,
            tag=row.tag,
            created_at=datetime.fromtimestamp(row.created_at, UTC)
            + timedelta(seconds=store.backend.clock_offset),
        )
        return ConversationEntry(f"local:{row.client_id}", message, row.state, row.error)

    def _update_pending(
        self, thread_id: str, client_id: str, state: Literal["sending", "failed"], error: str | None
    ) -> None:
        conversation = self._store.conversation
        if conversation is not None and conversation.thread_id == thread_id:
            conversation.update_pending(client_id, state, error)

    def emit_count(self) -> None:
        store = self._store
        count = len(store.db.outbox_rows())
        store.outboxChanged.emit(count)
        store.set_outbox_count(count)

    # -- delivery -----------------------------------------------------------------------------

    def schedule(self, client_id: str) -> None:
        """Start delivering `client_id` unless a delivery of it is under way (one at a time)."""
        handle = self._retry_handles.pop(client_id, None)
        if handle is not None:
            handle.cancel()
        if self._store.closed or client_id in self._deliveries:
            return
        task = self._store.spawn(self._deliver(client_id), name=f"deliver-{client_id}")
        self._deliveries[client_id] = task
        task.add_done_callback(lambda t: self._delivery_done(client_id, t))

    def _delivery_done(self, client_id: str, task: asyncio.Task[None]) -> None:
        """The safety net: a delivery that ended while its row still says "sending" (cancelled
        by anything but close, discard or confirmation) is scheduled again after the backoff,
        so no row ever waits in "sending" with nothing to deliver it."""
        if self._deliveries.get(client_id) is task:
            del self._deliveries[client_id]
        if self._store.closed or not task.cancelled() or client_id in self._deliveries:
            return
        try:
            row = self._store.db.outbox_get(client_id)
        except StorageError:
            row = None
        if row is None or row.state != "sending":
            return
        delay = self._retry.delay(row.attempts)
        log.info("Delivery of %s was interrupted; trying again in %.1f s", client_id, delay)
        old = self._retry_handles.pop(client_id, None)
        if old is not None:
            old.cancel()
        self._retry_handles[client_id] = asyncio.get_running_loop().call_later(
            delay, self.schedule, client_id
        )

    async def _deliver(self, client_id: str) -> None:
        """Send one outbox row until the server stores it, refuses it, or the token is refused.

        Every attempt is bounded (`attempt_timeout`); a transient failure, an attempt that
        ran out of time, and an unexpected error are all retried with the same client_id (the
        server stores a client_id once) after an exponential backoff, which the stream coming
        back live cuts short."""
        store = self._store
        attempt = 0
        while True:
            try:
                row = store.db.outbox_get(client_id)
            except StorageError as exc:
                row = None
                log.warning("Send %s deferred: the outbox could not be read: %s", client_id, exc)
            else:
                if row is None or row.state != "sending":
                    return
            if row is not None:
                try:
                    async with asyncio.timeout(self._attempt_timeout):
                        message = await store.backend.send_message(
                            row.thread_id,
                            client_id=client_id,
                            text=row.text,
                            kind="note" if row.kind == "note" else "reply",
                            tag=row.tag,
                        )
                except AuthError:
                    return  # stays queued; delivered after the agent signs in again
                except BackendError as exc:
                    if not _worth_retrying(exc):
                        self._fail(row, error_sentence(exc))
                        return
                    log.info("Send %s deferred: %s", client_id, exc)
                except TimeoutError:
                    log.warning(
                        "Send %s abandoned after %.0f s; trying again",
                        client_id,
                        self._attempt_timeout,
                    )
                except Exception:
                    log.exception("Send %s failed unexpectedly; trying again", client_id)
                else:
                    if self.confirm(message):
                        return
                with contextlib.suppress(StorageError):
                    store.db.outbox_count_attempt(client_id)
            delay = self._retry.delay(attempt)
            attempt += 1
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # arrives as the event is set, and the task would then ignore close().
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    def _stop(self, client_id: str) -> None:
        """No more attempts for `client_id` (confirmed or discarded). A request in flight is
        left to end by itself: the connector shields it from the cancellation."""
        handle = self._retry_handles.pop(client_id, None)
        if handle is not None:
            handle.cancel()
        task = self._deliveries.pop(client_id, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    def _fail(self, row: OutboxRow, reason: str) -> None:
        store = self._store
        try:
            store.db.outbox_set_state(row.client_id, "failed", reason)
        except StorageError as exc:
            store.storageError.emit(str(exc))
        self._update_pending(row.thread_id, row.client_id, "failed", reason)
        store.sendFailed.emit(row.client_id, reason)
        self.emit_count()

    def confirm(self, message: Message) -> bool:
        """The server stored one of our messages (send answer or its message.created event).

        Returns False when its outbox row could not be removed (the local database failed):
        the delivery then goes on, and the server answers the repeat with the same message."""
        store = self._store
        removed = True
        if message.client_id:
            try:
                if store.db.outbox_get(message.client_id) is not None:
                    store.db.outbox_delete(message.client_id)
                    self._stop(message.client_id)
                    self.emit_count()
            except StorageError as exc:
                store.storageError.emit(str(exc))
                removed = False
        conversation = store.conversation
        if conversation is not None and conversation.thread_id == message.thread_id:
            conversation.upsert_message(message)
        return removed


def _worth_retrying(exc: BackendError) -> bool:
    """Transient failures (network, 5xx, 429, a garbled answer) are retried with the same
    client_id; a refusal (409 window closed, 422 too long, 403, 404...) fails the message."""
    if isinstance(exc, NetworkError | ServerError | RateLimitedError | ProtocolError):
        return True
    return exc.status is not None and exc.status >= 500
