"""The client's live state: threads, the open conversation, customers, templates, agents, settings.

It applies the backend's events by seq exactly once and in order, reloads over HTTP on a resync,
delivers the outbox, and tells the UI what changed through Qt signals (QtCore only).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Coroutine, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

import pydantic
from PySide6.QtCore import QObject, Signal

from agent_desktop.backends.agent_api_http import backoff_delay
from agent_desktop.backends.base import (
    AuthError,
    Backend,
    BackendError,
    Ephemeral,
    NetworkError,
    ProtocolError,
    RateLimitedError,
    Ready,
    Resync,
    ServerError,
    StreamItem,
    StreamState,
)
from agent_desktop.backends.early import THREAD_PAGE
from agent_desktop.core.clock import ServerClock
from agent_desktop.core.rows import ThreadRow
from agent_desktop.core.sharing import ValuePool
from agent_desktop.core.types import (
    Agent,
    Author,
    Customer,
    Event,
    Message,
    Order,
    Presence,
    SendKind,
    TeamSettings,
    Template,
    Thread,
    ThreadStatus,
)
from agent_desktop.store.conversation import Conversation, ConversationEntry
from agent_desktop.store.state_db import OutboxRow, StateDb, StorageError, state_db_path

log = logging.getLogger(__name__)

ConnectionStateName = Literal["connecting", "live", "reconnecting", "offline", "signed_out"]
VIEWING_TTL = 30.0  # seconds a `viewing` signal counts without being repeated
PAGE_SIZE = 50
CLOSE_TIMEOUT = 10.0  # seconds close() waits for the cancelled tasks
APPLY_SLICE = 0.006  # seconds of event application between two turns of the GUI loop
SEQ_PERSIST_DELAY = 0.02  # the applied seq is written after the repaint, once per burst
MAX_THREAD_PAGES = 100
CUSTOMERS_KEPT = 50  # customers (with their orders) kept after their conversation was left


class Clock(Protocol):
    """Anything that tells the server's time (core.clock.ServerClock fits)."""

    def now(self) -> datetime: ...


@dataclass(frozen=True)
class ConnectionInfo:
    """What the status bar shows: the stream's state, the retry delay, the unsent messages."""

    state: ConnectionStateName = "connecting"
    retry_in: float | None = None
    outbox_count: int = 0
    error: str | None = None

    def label(self) -> str:
        if self.state == "live":
            return "Live"
        if self.state == "signed_out":
            return "Signed out"
        waiting = f" ({self.outbox_count} waiting to be sent)" if self.outbox_count else ""
        if self.state == "reconnecting":
            seconds = round(self.retry_in or 0)
            return f"Offline: reconnecting in {seconds} s{waiting}"
        if self.state == "offline":
            return f"Offline{waiting}"
        return f"Connecting…{waiting}"


class ClientStore(QObject):
    """The live state of one signed-in agent on one backend.

    Signals:
      threadsChanged(list)          ids (str) of threads added or updated, batched per loop turn
      threadsReset()                the whole `threads` dict was replaced (start, resync, and
                                    again when the pages after the first are in)
      messageCreated(str, object)   thread id, Message: a new message in any thread
      conversationOpened(object)    the new `conversation` (Conversation), or None when closed
      connectionChanged(object)     ConnectionInfo
      outboxChanged(int)            unsent messages (sending + failed)
      sendFailed(str, str)          client id, the server's reason (a sentence)
      storageError(str)             the local database failed (a sentence)
      customerChanged(str)          customer id (cache refreshed or invalidated)
      ordersChanged(str)            customer id whose orders changed
      templatesChanged()            `templates` changed
      agentsChanged()               `agents` changed
      presenceChanged(str, str)     agent id, presence
      settingsChanged()             `settings` changed
      typing(str, str, str)         thread id, agent id, agent name: another agent is typing
      viewersChanged(str, list)     thread id, names (str) of the other agents viewing it
      signedOut(str)                the token is no longer valid (a sentence)
      errorOccurred(str)            a background operation failed (a sentence)
    """

    threadsChanged = Signal(list)
    threadsReset = Signal()
    messageCreated = Signal(str, object)
    conversationOpened = Signal(object)
    connectionChanged = Signal(object)
    outboxChanged = Signal(int)
    sendFailed = Signal(str, str)
    storageError = Signal(str)
    customerChanged = Signal(str)
    ordersChanged = Signal(str)
    templatesChanged = Signal()
    agentsChanged = Signal()
    presenceChanged = Signal(str, str)
    settingsChanged = Signal()
    typing = Signal(str, str, str)
    viewersChanged = Signal(str, list)
    signedOut = Signal(str)
    errorOccurred = Signal(str)

    def __init__(
        self,
        backend: Backend,
        *,
        agent_key: str,
        clock: Clock | None = None,
        db_path: Path | None = None,
        send_retry_base: float = 1.0,
        send_retry_cap: float = 30.0,
        send_attempt_timeout: float = 90.0,
        parent: QObject | None = None,
    ) -> None:
        """`agent_key` (the agent's email) and the backend URL name the local state file.

        A delivery attempt (the connector's own retries included) that has not ended after
        `send_attempt_timeout` seconds is abandoned and tried again after the backoff."""
        super().__init__(parent)
        self.backend = backend
        self.clock: Clock = clock or ServerClock()
        path = db_path or state_db_path(backend.base_url, agent_key)
        self.db = StateDb(Path(path))
        self.me: Agent | None = None
        # Every thread, as compact rows (core.rows) sharing their repeated values (core.sharing).
        self.threads: dict[str, ThreadRow] = {}
        self._pool = ValuePool()
        self.agents: dict[str, Agent] = {}
        self.templates: list[Template] = []
        self.settings = TeamSettings()
        self.conversation: Conversation | None = None
        self.connection = ConnectionInfo()
        self.last_seq = self.db.last_seq
        self.loaded = False
        self.duplicates_skipped = 0
        # The customers (and orders) of the conversations opened last, least recent first.
        self._customers: OrderedDict[str, Customer] = OrderedDict()
        self._orders: OrderedDict[str, list[Order]] = OrderedDict()
        self._viewers: dict[str, dict[str, tuple[str, float]]] = {}
        self._send_retry_base = send_retry_base
        self._send_retry_cap = send_retry_cap
        self._send_attempt_timeout = send_attempt_timeout
        self._tasks: set[asyncio.Task[Any]] = set()
        self._deliveries: dict[str, asyncio.Task[None]] = {}
        self._retry_handles: dict[str, asyncio.TimerHandle] = {}
        self._draft_timers: dict[str, asyncio.TimerHandle] = {}
        self._pending_drafts: dict[str, str] = {}
        self._dirty: dict[str, None] = {}
        self._flush_scheduled = False
        self._persisted_seq = self.last_seq
        self._persist_handle: asyncio.TimerHandle | None = None
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._needs_reload = False
        self._stream_task: asyncio.Task[None] | None = None
        self._rest_task: asyncio.Task[None] | None = None
        self._rest_cursor: str | None = None  # the pages after the first, not loaded yet
        self._defer_background = False
        self.threads_complete = False
        self._closed = False

    # -- life cycle ---------------------------------------------------------------------------

    def now(self) -> datetime:
        """The server's time now (for timers), from the offset the backend measured last, so a
        workstation clock that jumps is corrected by the next answer from the server."""
        self._sync_clock()
        return self.clock.now()

    def _sync_clock(self) -> None:
        """Hand the backend's measured offset to a ServerClock (a custom clock is left alone)."""
        if isinstance(self.clock, ServerClock):
            local = datetime.now(UTC)
            offset = timedelta(seconds=self.backend.clock_offset)
            self.clock.update(local + offset, received_at=local)

    async def start(self, *, defer: bool = False) -> None:
        """Load the first page of threads and the rest of the state over HTTP, replay the
        outbox, then start the background work: the event stream and the other pages of threads.

        With `defer`, the background work waits for `start_background()` (the window calls it
        once the first page is painted, so that nothing competes with it); the stream resumes
        after the last applied seq, so nothing that happens meanwhile is missed.

        Raises AuthError when the token is refused; other backend failures are reported through
        `errorOccurred` and retried when the stream comes back.
        """
        self._defer_background = defer
        for row in self.db.outbox_rows():
            if row.state == "sending":
                self._schedule_delivery(row.client_id)
        self._emit_outbox()
        try:
            await self.reload()
        except AuthError:
            raise
        except BackendError as exc:
            self._needs_reload = True
            self.errorOccurred.emit(str(exc))
        if not defer or not self.loaded:  # unloaded: the stream's return reloads
            self.start_background()

    def start_background(self) -> None:
        """Open the event stream and load the pages of threads after the first (each once; not
        after `close`)."""
        self._defer_background = False
        if self._closed:
            return
        self._start_rest()
        if self._stream_task is None:
            self._stream_task = self._spawn(self._consume(), name="event-stream")

    def _start_rest(self) -> None:
        """Load the pages of threads after the first, if some are waiting and none are loading."""
        if self._rest_cursor is not None and self._rest_task is None:
            cursor, self._rest_cursor = self._rest_cursor, None
            self._rest_task = self._spawn(self._load_rest(cursor), name="load-threads")

    async def close(self) -> None:
        """Stop every task, write pending drafts; the caller closes the backend."""
        if self._closed:
            return
        self._closed = True
        for thread_id in list(self._draft_timers):
            self._flush_draft(thread_id)
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            # Bounded: a task that ignored its cancellation must not keep the window from closing.
            _done, stuck = await asyncio.wait(tasks, timeout=CLOSE_TIMEOUT)
            for task in stuck:
                log.error("Task %s did not stop when the store closed", task.get_name())
        for handle in self._retry_handles.values():
            handle.cancel()
        self._retry_handles.clear()
        self._flush()
        if self._persist_handle is not None:
            self._persist_handle.cancel()
            self._persist_handle = None
        self._persist_seq()
        self.db.close()
        # Break the reference cycles now, so the QObjects die on this (the GUI) thread.
        self._deliveries.clear()
        self._draft_timers.clear()
        self.conversation = None

    def _spawn(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("Background task %s failed", task.get_name(), exc_info=exc)
            self.errorOccurred.emit("An internal error occurred; some data may be out of date.")

    # -- loading ------------------------------------------------------------------------------

    async def reload(self) -> None:
        """Replace threads, agents, templates, settings and the open conversation from HTTP.

        Returns once the first page of threads (the most urgent) is in, so the list shows at
        once; the other pages load in the background and `threadsReset` is emitted again when
        they are all in (`threads_complete` then turns True).
        """
        if self._rest_task is not None:
            self._rest_task.cancel()
            self._rest_task = None
        async with self._lock:
            me, agents, templates, settings, first = await asyncio.gather(
                self.backend.me(),
                self.backend.agents(),
                self.backend.templates(),
                self.backend.settings(),
                self.backend.threads(assignee="any", limit=THREAD_PAGE),
            )
            self.me = me
            self.agents = {a.id: a for a in agents}
            self.templates = templates
            self.settings = settings
            self.threads = {t.id: self._pool.row(t) for t in first.items}
            self.threads_complete = not first.next_cursor
            self._rest_cursor = first.next_cursor
            if not self._defer_background:  # else start_background() starts them
                self._start_rest()
            self._customers.clear()
            self._orders.clear()
            self._dirty.clear()
            self.loaded = True
            self._needs_reload = False
            self._sync_clock()
            self.threadsReset.emit()
            self.agentsChanged.emit()
            self.templatesChanged.emit()
            self.settingsChanged.emit()
            if self.conversation is not None:
                await self._load_conversation(self.conversation)

    async def _load_rest(self, cursor: str) -> None:
        """The pages after the first; threads that live events changed meanwhile are kept."""
        items = await self._all_threads(cursor)
        async with self._lock:
            for thread in items:
                current = self.threads.get(thread.id)
                if current is None or thread.updated_at >= current.updated_at:
                    self.threads[thread.id] = thread
            self.threads_complete = True
            self._rest_task = None
            self.threadsReset.emit()

    async def _all_threads(self, cursor: str | None = None) -> list[ThreadRow]:
        items: list[ThreadRow] = []
        for _ in range(MAX_THREAD_PAGES):
            page = await self.backend.threads(assignee="any", limit=THREAD_PAGE, cursor=cursor)
            # Made rows page by page: the memory of a page's models is reused by the next page,
            # instead of leaving 10,000 threads' worth of holes in the heap at the end.
            items.extend(self._pool.row(t) for t in page.items)
            cursor = page.next_cursor
            if not cursor:
                break
        return items

    async def open_thread(self, thread_id: str) -> Conversation:
        """Make `thread_id` the open conversation and load its newest messages."""
        conversation = Conversation(thread_id, parent=self)
        old = self.conversation
        self.conversation = conversation
        if old is not None:
            old.deleteLater()
        self.conversationOpened.emit(conversation)
        await self._load_conversation(conversation)
        return conversation

    def close_thread(self) -> None:
        if self.conversation is not None:
            self.conversation.deleteLater()
            self.conversation = None
            self.conversationOpened.emit(None)

    async def _load_conversation(self, conversation: Conversation) -> None:
        conversation.loading = True
        try:
            page = await self.backend.messages(conversation.thread_id, limit=PAGE_SIZE)
        finally:
            conversation.loading = False
        if self.conversation is not conversation:
            return
        messages = self._compact(conversation, reversed(page.items))
        # Keep what live events added while the page was on its way.
        known = {m.id for m in messages}
        oldest = messages[0].created_at if messages else None
        messages += [
            m
            for m in conversation.messages
            if m.id not in known and (oldest is None or m.created_at >= oldest)
        ]
        pending = [self._pending_entry(r) for r in self.db.outbox_rows(conversation.thread_id)]
        conversation.set_all(messages, pending, has_more=page.has_more)

    async def load_older(self) -> int:
        """Load the previous page of the open conversation; returns how many were added."""
        conversation = self.conversation
        if conversation is None or not conversation.has_more or conversation.loading:
            return 0
        before = conversation.oldest_message_id
        conversation.loading = True
        try:
            page = await self.backend.messages(
                conversation.thread_id, before=before, limit=PAGE_SIZE
            )
        finally:
            conversation.loading = False
        if self.conversation is not conversation:
            return 0
        older = self._compact(conversation, reversed(page.items))
        return conversation.prepend_older(older, has_more=page.has_more)

    def _compact(self, conversation: Conversation, messages: Iterable[Message]) -> list[Message]:
        """A page of the conversation's messages, sharing values with its thread (`ValuePool`)."""
        thread = self.threads.get(conversation.thread_id)
        return [self._pool.message(m, thread) for m in messages]

    async def customer(self, customer_id: str, *, refresh: bool = False) -> Customer:
        if refresh or customer_id not in self._customers:
            customer = await self.backend.customer(customer_id)
            _keep(self._customers, customer_id, customer)
            self.customerChanged.emit(customer_id)
            return customer
        self._customers.move_to_end(customer_id)
        return self._customers[customer_id]

    async def orders(self, customer_id: str, *, refresh: bool = False) -> list[Order]:
        if refresh or customer_id not in self._orders:
            orders = await self.backend.orders(customer_id)
            _keep(self._orders, customer_id, orders)
            self.ordersChanged.emit(customer_id)
            return orders
        self._orders.move_to_end(customer_id)
        return self._orders[customer_id]

    def row(self, thread: Thread) -> ThreadRow:
        """The row of a thread the backend just sent that the store does not keep (a search
        hit), sharing the kept threads' values."""
        return self._pool.row(thread)

    def cached_customer(self, customer_id: str) -> Customer | None:
        return self._customers.get(customer_id)

    def cached_orders(self, customer_id: str) -> list[Order] | None:
        return self._orders.get(customer_id)

    # -- triage -------------------------------------------------------------------------------

    async def assign(self, thread_id: str, agent_id: str | None) -> ThreadRow:
        return self._upsert_now(await self.backend.assign(thread_id, agent_id))

    async def set_status(self, thread_id: str, status: ThreadStatus) -> ThreadRow:
        return self._upsert_now(await self.backend.set_status(thread_id, status))

    async def mark_read(self, thread_id: str, message_id: str) -> ThreadRow:
        return self._upsert_now(await self.backend.mark_read(thread_id, message_id))

    async def set_presence(self, presence: Presence) -> Agent:
        agent = await self.backend.set_presence(presence)
        self._apply_agent(agent)
        return agent

    async def create_template(self, template: dict[str, Any]) -> Template:
        created = await self.backend.create_template(template)
        self._apply_template(created.id, created)
        return created

    async def update_template(self, template_id: str, template: dict[str, Any]) -> Template:
        updated = await self.backend.update_template(template_id, template)
        self._apply_template(template_id, updated)
        return updated

    async def delete_template(self, template_id: str) -> None:
        await self.backend.delete_template(template_id)
        self._apply_template(template_id, None)

    async def notify_typing(self, thread_id: str) -> None:
        await self.backend.send_ephemeral("typing", {"thread_id": thread_id})

    async def notify_viewing(self, thread_id: str) -> None:
        await self.backend.send_ephemeral("viewing", {"thread_id": thread_id})

    def viewers(self, thread_id: str) -> list[str]:
        """Names of the other agents who have `thread_id` open (seen in the last 30 s)."""
        now = time.monotonic()
        seen = self._viewers.get(thread_id, {})
        return sorted(name for name, at in seen.values() if now - at < VIEWING_TTL)

    # -- drafts -------------------------------------------------------------------------------

    def draft(self, thread_id: str) -> str:
        if thread_id in self._pending_drafts:
            return self._pending_drafts[thread_id]
        return self.db.draft(thread_id)

    def save_draft(self, thread_id: str, text: str) -> None:
        """Write the draft now (raises StorageError, also reported through `storageError`)."""
        self._pending_drafts.pop(thread_id, None)
        handle = self._draft_timers.pop(thread_id, None)
        if handle is not None:
            handle.cancel()
        try:
            self.db.set_draft(thread_id, text)
        except StorageError as exc:
            self.storageError.emit(str(exc))
            raise

    def save_draft_later(self, thread_id: str, text: str, delay: float = 0.3) -> None:
        """Debounced save: the last text wins `delay` seconds after the last keystroke."""
        self._pending_drafts[thread_id] = text
        handle = self._draft_timers.pop(thread_id, None)
        if handle is not None:
            handle.cancel()
        loop = asyncio.get_running_loop()
        self._draft_timers[thread_id] = loop.call_later(delay, self._flush_draft, thread_id)

    def _flush_draft(self, thread_id: str) -> None:
        self._draft_timers.pop(thread_id, None)
        text = self._pending_drafts.pop(thread_id, None)
        if text is None:
            return
        try:
            self.db.set_draft(thread_id, text)
        except StorageError as exc:
            self.storageError.emit(str(exc))

    # -- outbox -------------------------------------------------------------------------------

    async def send(
        self, thread_id: str, text: str, *, kind: SendKind = "reply", tag: str | None = None
    ) -> ConversationEntry:
        """Queue a reply or note: saved to the outbox before any network call, then delivered.

        Returns at once with the "sending" entry. Raises StorageError (and emits `storageError`)
        when the outbox cannot be written, so the composer keeps the text.
        """
        if not text.strip():
            raise ValueError("empty message")
        client_id = str(uuid.uuid4())
        try:
            row = self.db.outbox_add(client_id, thread_id, text, kind, tag)
        except StorageError as exc:
            self.storageError.emit(str(exc))
            raise
        entry = self._pending_entry(row)
        if self.conversation is not None and self.conversation.thread_id == thread_id:
            self.conversation.add_pending(entry)
        self._emit_outbox()
        self._schedule_delivery(client_id)
        return entry

    def outbox(self, thread_id: str | None = None) -> list[OutboxRow]:
        return self.db.outbox_rows(thread_id)

    def retry(self, client_id: str) -> None:
        """Send a failed message again (same client_id, so never twice)."""
        row = self.db.outbox_get(client_id)
        if row is None or row.state != "failed":
            return
        try:
            self.db.outbox_set_state(client_id, "sending", None)
        except StorageError as exc:
            self.storageError.emit(str(exc))
            raise
        self._update_pending(row.thread_id, client_id, "sending", None)
        self._schedule_delivery(client_id)

    def discard(self, client_id: str) -> str | None:
        """Drop an unsent message; returns its text (for the composer) or None."""
        row = self.db.outbox_get(client_id)
        if row is None:
            return None
        self._stop_delivery(client_id)
        self.db.outbox_delete(client_id)
        if self.conversation is not None and self.conversation.thread_id == row.thread_id:
            self.conversation.remove_pending(client_id)
        self._emit_outbox()
        return row.text

    def _pending_entry(self, row: OutboxRow) -> ConversationEntry:
        me = self.me
        message = Message(
            id=f"local:{row.client_id}",
            thread_id=row.thread_id,
            client_id=row.client_id,
            author=Author(kind="agent", id=me.id if me else None, name=me.name if me else ""),
            kind="note" if row.kind == "note" else "text",
            text=row.text,
            tag=row.tag,
            created_at=datetime.fromtimestamp(row.created_at, UTC)
            + timedelta(seconds=self.backend.clock_offset),
        )
        return ConversationEntry(f"local:{row.client_id}", message, row.state, row.error)

    def _schedule_delivery(self, client_id: str) -> None:
        """Start delivering `client_id` unless a delivery of it is under way (one at a time)."""
        handle = self._retry_handles.pop(client_id, None)
        if handle is not None:
            handle.cancel()
        if self._closed or client_id in self._deliveries:
            return
        task = self._spawn(self._deliver(client_id), name=f"deliver-{client_id}")
        self._deliveries[client_id] = task
        task.add_done_callback(lambda t: self._delivery_done(client_id, t))

    def _delivery_done(self, client_id: str, task: asyncio.Task[None]) -> None:
        """The safety net: a delivery that ended while its row still says "sending" (cancelled
        by anything but close, discard or confirmation) is scheduled again after the backoff,
        so no row ever waits in "sending" with nothing to deliver it."""
        if self._deliveries.get(client_id) is task:
            del self._deliveries[client_id]
        if self._closed or not task.cancelled() or client_id in self._deliveries:
            return
        try:
            row = self.db.outbox_get(client_id)
        except StorageError:
            row = None
        if row is None or row.state != "sending":
            return
        delay = backoff_delay(row.attempts, base=self._send_retry_base, cap=self._send_retry_cap)
        log.info("Delivery of %s was interrupted; trying again in %.1f s", client_id, delay)
        old = self._retry_handles.pop(client_id, None)
        if old is not None:
            old.cancel()
        self._retry_handles[client_id] = asyncio.get_running_loop().call_later(
            delay, self._schedule_delivery, client_id
        )

    async def _deliver(self, client_id: str) -> None:
        """Send one outbox row until the server stores it, refuses it, or the token is refused.

        Every attempt is bounded (`send_attempt_timeout`); a transient failure, an attempt that
        ran out of time, and an unexpected error are all retried with the same client_id (the
        server stores a client_id once) after an exponential backoff, which the stream coming
        back live cuts short."""
        attempt = 0
        while True:
            try:
                row = self.db.outbox_get(client_id)
            except StorageError as exc:
                row = None
                log.warning("Send %s deferred: the outbox could not be read: %s", client_id, exc)
            else:
                if row is None or row.state != "sending":
                    return
            if row is not None:
                try:
                    async with asyncio.timeout(self._send_attempt_timeout):
                        message = await self.backend.send_message(
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
                        self._fail(row, str(exc))
                        return
                    log.info("Send %s deferred: %s", client_id, exc)
                except TimeoutError:
                    log.warning(
                        "Send %s abandoned after %.0f s; trying again",
                        client_id,
                        self._send_attempt_timeout,
                    )
                except Exception:
                    log.exception("Send %s failed unexpectedly; trying again", client_id)
                else:
                    if self._confirm(message):
                        return
                with contextlib.suppress(StorageError):
                    self.db.outbox_count_attempt(client_id)
            delay = backoff_delay(attempt, base=self._send_retry_base, cap=self._send_retry_cap)
            attempt += 1
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # arrives as the event is set, and the task would then ignore close().
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    def _stop_delivery(self, client_id: str) -> None:
        """No more attempts for `client_id` (confirmed or discarded). A request in flight is
        left to end by itself: the connector shields it from the cancellation."""
        handle = self._retry_handles.pop(client_id, None)
        if handle is not None:
            handle.cancel()
        task = self._deliveries.pop(client_id, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    def _fail(self, row: OutboxRow, reason: str) -> None:
        try:
            self.db.outbox_set_state(row.client_id, "failed", reason)
        except StorageError as exc:
            self.storageError.emit(str(exc))
        self._update_pending(row.thread_id, row.client_id, "failed", reason)
        self.sendFailed.emit(row.client_id, reason)
        self._emit_outbox()

    def _confirm(self, message: Message) -> bool:
        """The server stored one of our messages (send answer or its message.created event).

        Returns False when its outbox row could not be removed (the local database failed):
        the delivery then goes on, and the server answers the repeat with the same message."""
        removed = True
        if message.client_id:
            try:
                if self.db.outbox_get(message.client_id) is not None:
                    self.db.outbox_delete(message.client_id)
                    self._stop_delivery(message.client_id)
                    self._emit_outbox()
            except StorageError as exc:
                self.storageError.emit(str(exc))
                removed = False
        if self.conversation is not None and self.conversation.thread_id == message.thread_id:
            self.conversation.upsert_message(message)
        return removed

    def _update_pending(
        self, thread_id: str, client_id: str, state: Literal["sending", "failed"], error: str | None
    ) -> None:
        if self.conversation is not None and self.conversation.thread_id == thread_id:
            self.conversation.update_pending(client_id, state, error)

    def _emit_outbox(self) -> None:
        count = len(self.db.outbox_rows())
        self.outboxChanged.emit(count)
        if count != self.connection.outbox_count:
            self._set_connection(
                ConnectionInfo(
                    self.connection.state, self.connection.retry_in, count, self.connection.error
                )
            )

    # -- the event stream ---------------------------------------------------------------------

    async def _consume(self) -> None:
        stream = self.backend.stream(self.last_seq)
        try:
            await self._consume_stream(stream)
        finally:
            # When this task is cancelled, close the stream (and its websocket) here and now, not
            # later in the garbage collector, where it can no longer close cleanly.
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _consume_stream(self, stream: AsyncIterator[StreamItem]) -> None:
        resynced = False
        slice_started = time.monotonic()
        async for item in stream:
            if isinstance(item, Event):
                async with self._lock:
                    self.apply_event(item)
                # A burst (thousands of events queued in the socket) is applied in slices: Qt
                # paints and runs its timers between them, and each slice is one model update.
                if time.monotonic() - slice_started > APPLY_SLICE:
                    await asyncio.sleep(0)
                    slice_started = time.monotonic()
            elif isinstance(item, StreamState):
                self._on_stream_state(item)
                if item.state == "signed_out":
                    self.signedOut.emit(
                        item.error or "Your session has ended; please sign in again."
                    )
                    return
            elif isinstance(item, Resync):
                resynced = True
            elif isinstance(item, Ready):
                await self._on_ready(item, resynced)
                resynced = False
            elif isinstance(item, Ephemeral):
                self.apply_ephemeral(item)

    async def _on_ready(self, ready: Ready, resynced: bool) -> None:
        self._flush()
        self._sync_clock()
        if resynced or self._needs_reload:
            try:
                await self.reload()
            except BackendError as exc:
                self._needs_reload = True
                self.errorOccurred.emit(str(exc))
                return
            if resynced:
                self.last_seq = ready.seq
                self.backend.ack(ready.seq)
                self._persist_seq()

    def _on_stream_state(self, state: StreamState) -> None:
        info = ConnectionInfo(
            state.state, state.retry_in, self.connection.outbox_count, state.error
        )
        self._set_connection(info)
        if state.state == "live":
            wake, self._wake = self._wake, asyncio.Event()
            wake.set()

    def _set_connection(self, info: ConnectionInfo) -> None:
        if info != self.connection:
            self.connection = info
            self.connectionChanged.emit(info)

    def apply_event(self, event: Event) -> bool:
        """Apply one stored event exactly once; returns False for a duplicate or a bad payload."""
        if event.seq <= self.last_seq:
            self.duplicates_skipped += 1
            return False
        try:
            self._apply(event)
            applied = True
        except pydantic.ValidationError as exc:
            log.warning(
                "Skipped malformed %s event %d: %s", event.name, event.seq, exc.errors()[:2]
            )
            self._needs_reload = True
            applied = False
        self.last_seq = event.seq
        self.backend.ack(event.seq)
        self._schedule_flush()
        return applied

    def _apply(self, event: Event) -> None:
        """Validate the whole payload first, then change state (never half-way)."""
        data = event.data
        name = event.name
        if name in ("message.created", "message.updated"):
            message = Message.model_validate(data.get("message"))
            thread = Thread.model_validate(data["thread"]) if data.get("thread") else None
            self._pool.message(message, thread)
            if thread is not None:
                self._upsert_thread(thread)
            self._confirm(message)
            if name == "message.created":
                self.messageCreated.emit(message.thread_id, message)
        elif name == "thread.updated":
            self._upsert_thread(Thread.model_validate(data.get("thread")))
        elif name == "agent.presence":
            self._apply_agent(Agent.model_validate(data.get("agent")))
        elif name == "template.changed":
            raw = data.get("template")
            template = Template.model_validate(raw) if raw is not None else None
            template_id = str(data.get("id") or (template.id if template else ""))
            self._apply_template(template_id, template)
        elif name == "order.updated":
            order = Order.model_validate(data.get("order"))
            customer_id = str(data.get("customer_id") or order.customer_id or "")
            self._apply_order(customer_id, order)
        elif name == "settings.changed":
            self.settings = TeamSettings.model_validate(data.get("settings"))
            self.settingsChanged.emit()
        else:
            log.info("Ignored an event of unknown name %r", name)

    def apply_ephemeral(self, item: Ephemeral) -> None:
        thread_id = str(item.data.get("thread_id") or "")
        agent_id = str(item.data.get("agent_id") or "")
        agent_name = str(item.data.get("agent_name") or "")
        if not agent_name and agent_id in self.agents:
            agent_name = self.agents[agent_id].name
        if not thread_id or (self.me is not None and agent_id == self.me.id):
            return
        if item.name == "typing":
            self.typing.emit(thread_id, agent_id, agent_name)
        elif item.name == "viewing":
            before = self.viewers(thread_id)
            self._viewers.setdefault(thread_id, {})[agent_id] = (agent_name, time.monotonic())
            after = self.viewers(thread_id)
            if after != before:
                self.viewersChanged.emit(thread_id, after)

    def _upsert_thread(self, thread: Thread) -> None:
        current = self.threads.get(thread.id)
        if current is not None and thread.updated_at < current.updated_at:
            return  # an older state than the one shown
        self.threads[thread.id] = self._pool.row(thread)
        self._dirty[thread.id] = None
        self._schedule_flush()

    def _upsert_now(self, thread: Thread) -> ThreadRow:
        self._upsert_thread(thread)
        self._flush()
        kept = self.threads.get(thread.id)
        return kept if kept is not None else self._pool.row(thread)

    def _apply_agent(self, agent: Agent) -> None:
        self.agents[agent.id] = agent
        if self.me is not None and agent.id == self.me.id:
            self.me = agent
        self.presenceChanged.emit(agent.id, agent.presence)
        self.agentsChanged.emit()

    def _apply_template(self, template_id: str, template: Template | None) -> None:
        kept = [t for t in self.templates if t.id != template_id]
        if template is not None:
            kept.append(template)
        self.templates = kept
        self.templatesChanged.emit()

    def _apply_order(self, customer_id: str, order: Order) -> None:
        cached = self._orders.get(customer_id)
        if cached is not None:
            others = [o for o in cached if o.id != order.id]
            self._orders[customer_id] = sorted(
                [*others, order], key=lambda o: o.placed_at, reverse=True
            )
            self.ordersChanged.emit(customer_id)
        if self._customers.pop(customer_id, None) is not None:
            self.customerChanged.emit(customer_id)

    def _schedule_flush(self) -> None:
        if self._flush_scheduled:
            return
        self._flush_scheduled = True
        try:
            asyncio.get_running_loop().call_soon(self._flush)
        except RuntimeError:
            self._flush()

    def _flush(self) -> None:
        """Emit the batched thread changes; the last applied seq is written soon after."""
        self._flush_scheduled = False
        if self._dirty:
            ids = list(self._dirty)
            self._dirty.clear()
            self.threadsChanged.emit(ids)
        self._schedule_persist()

    def _schedule_persist(self) -> None:
        """Write the seq within SEQ_PERSIST_DELAY: one disk write for a burst of events, not one
        each (after a crash the stream replays the events since the last write; applying them
        again leaves the same state)."""
        if self.last_seq == self._persisted_seq or self._persist_handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._persist_seq()
            return
        self._persist_handle = loop.call_later(SEQ_PERSIST_DELAY, self._persist_later)

    def _persist_later(self) -> None:
        self._persist_handle = None
        if not self._closed:
            self._persist_seq()

    def _persist_seq(self) -> None:
        if self.last_seq == self._persisted_seq:
            return
        try:
            self.db.set_last_seq(self.last_seq)
            self._persisted_seq = self.last_seq
        except StorageError as exc:
            self.storageError.emit(str(exc))


def _keep(cache: OrderedDict[str, Any], key: str, value: Any) -> None:
    """Put `value` in a cache of customers or orders as the most recent; the least recent go
    past CUSTOMERS_KEPT (an agent opens hundreds of conversations in a day)."""
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > CUSTOMERS_KEPT:
        cache.popitem(last=False)


def _worth_retrying(exc: BackendError) -> bool:
    """Transient failures (network, 5xx, 429, a garbled answer) are retried with the same
    client_id; a refusal (409 window closed, 422 too long, 403, 404...) fails the message."""
    if isinstance(exc, NetworkError | ServerError | RateLimitedError | ProtocolError):
        return True
    return exc.status is not None and exc.status >= 500
