"""The client's live state: threads, the open conversation, customers, templates, agents, settings.

`ClientStore` is what the interface holds: the state and its Qt signals (QtCore only). It is
composed of `Sync` (store/sync.py: load over HTTP, apply the event stream by seq, resync),
`Outbox` (store/outbox.py: deliver the agent's messages, retry), `Drafts` (store/drafts.py),
`Caches` (store/caches.py), `ResponseAlerts` (store/alerts.py) and `ReadMarks`
(store/read_marks.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_desktop.backends.base import AuthError, Backend, BackendError, StreamState
from agent_desktop.core.clock import Clock, ServerClock
from agent_desktop.core.pages import MESSAGE_PAGE
from agent_desktop.core.sharing import ValuePool
from agent_desktop.store.alerts import ResponseAlerts
from agent_desktop.store.caches import Caches
from agent_desktop.store.connection import ConnectionInfo
from agent_desktop.store.conversation import Conversation, ConversationEntry
from agent_desktop.store.drafts import Drafts
from agent_desktop.store.heap import HeapTrim
from agent_desktop.store.outbox import Outbox
from agent_desktop.store.read_marks import ReadMarks
from agent_desktop.store.sentences import error_sentence
from agent_desktop.store.state_db import OutboxRow, StateDb, state_db_path
from agent_desktop.store.sync import Sync

if TYPE_CHECKING:
    from agent_desktop.core.literals import Presence, SendKind, ThreadStatus
    from agent_desktop.core.order_types import Customer, Order
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import (
        Agent,
        AgentFigures,
        Event,
        Message,
        TeamSettings,
        Template,
        Thread,
    )
    from agent_desktop.store.conversation import AnyMessage

log = logging.getLogger(__name__)

CLOSE_TIMEOUT = 10.0  # seconds close() waits for the cancelled tasks


class ClientStore(QObject):
    """The live state of one signed-in agent on one backend.

    It owns the state the interface reads (threads, me, agents, templates, settings, the open
    conversation, the connection) and the Qt signals; the work is done by its parts:
    `store.sync` (loading, the event stream, resync), `store.delivery` (the outbox and its retries),
    `store.drafts`, `store.caches` (customers, orders, templates, agents) and `store.alerts` (the
    response-target warning of the agent's own threads).

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
      signedOut(str)                the token is no longer valid (a sentence saying why;
                                    `signed_out_code` holds the server's code)
      errorOccurred(str)            a background operation failed (a sentence)
      responseDue(str, str, int)    thread id, customer name, seconds left: one of the agent's
                                    own threads reached the warning before the response target
                                    (once per wait; see store/alerts.py)
      orderActionChanged(object)    an OrderAction was asked for, ran, or was decided (event)
      extensionEvent(str, object)   an event this store does not keep (name, data), e.g. a
                                    Messenger bridge's messenger.page / messenger.template
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
    responseDue = Signal(str, str, int)
    orderActionChanged = Signal(object)
    extensionEvent = Signal(str, object)

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
        from agent_desktop.core.types import TeamSettings

        super().__init__(parent)
        self.backend = backend
        self.clock: Clock = clock or ServerClock()
        path = db_path or state_db_path(backend.base_url, agent_key)
        self.db = StateDb(Path(path))
        self.me: Agent | None = None
        # Every thread, as compact rows (core.rows) sharing their repeated values (core.sharing).
        self.threads: dict[str, ThreadRow] = {}
        self.pool = ValuePool()
        self.settings = TeamSettings.model_construct()  # the defaults: no validator built yet
        self.conversation: Conversation | None = None
        self.connection = ConnectionInfo()
        self.loaded = False
        self.signed_out_code = ""  # why the server ended the session (store.session_end)
        self.threads_complete = False
        self.closed = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stream_task: asyncio.Task[None] | None = None
        self.caches = Caches(self)
        # The C heap's free pages back to the system after big frees (store/heap.py).
        self.heap = HeapTrim(self)
        self.threadsReset.connect(self.heap.soon)
        self.drafts = Drafts(self.db, self.storageError.emit)
        self.sync = Sync(self)
        self.read_marks = ReadMarks(self.mark_read, self.sync.read_here)
        self.delivery = Outbox(
            self,
            retry_base=send_retry_base,
            retry_cap=send_retry_cap,
            attempt_timeout=send_attempt_timeout,
        )
        self.alerts = ResponseAlerts(self)
        self.threadsReset.connect(self.alerts.reset)
        self.threadsChanged.connect(self.alerts.update)
        self.settingsChanged.connect(self.alerts.reschedule)

    # -- what the parts keep ------------------------------------------------------------------

    @property
    def agents(self) -> dict[str, Agent]:
        return self.caches.agents

    @property
    def templates(self) -> list[Template]:
        return self.caches.templates

    @property
    def last_seq(self) -> int:
        """The seq of the last event applied (the stream resumes after it)."""
        return self.sync.last_seq

    @property
    def duplicates_skipped(self) -> int:
        return self.sync.duplicates_skipped

    # -- life cycle ---------------------------------------------------------------------------

    def now(self) -> datetime:
        """The server's time now (for timers), from the offset the backend measured last, so a
        workstation clock that jumps is corrected by the next answer from the server."""
        self.sync_clock()
        return self.clock.now()

    def sync_clock(self) -> None:
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
        self.sync.defer_background = defer
        self.delivery.resume()
        try:
            await self.reload()
        except AuthError:
            raise
        except BackendError as exc:
            self.sync.needs_reload = True
            self.errorOccurred.emit(error_sentence(exc))
        if not defer or not self.loaded:  # unloaded: the stream's return reloads
            self.start_background()

    def start_background(self) -> None:
        """Open the event stream and load the pages of threads after the first (each once; not
        after `close`)."""
        self.sync.defer_background = False
        if self.closed:
            return
        self.sync.start_rest()
        if self._stream_task is None:
            self._stream_task = self.spawn(self.sync.consume(), name="event-stream")

    async def reload(self) -> None:
        """Replace the whole state from HTTP (see Sync.reload)."""
        await self.sync.reload()

    async def close(self) -> None:
        """Stop every task, write pending drafts; the caller closes the backend."""
        if self.closed:
            return
        self.closed = True
        self.drafts.flush()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            # Bounded: a task that ignored its cancellation must not keep the window from closing.
            _done, stuck = await asyncio.wait(tasks, timeout=CLOSE_TIMEOUT)
            for task in stuck:
                log.error("Task %s did not stop when the store closed", task.get_name())
        self.delivery.close()
        self.alerts.close()
        self.sync.close()
        self.db.close()
        self.conversation = None

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        """Run `coro` as one of the store's tasks (cancelled by close, failures logged)."""
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
            self.errorOccurred.emit(
                QCoreApplication.translate(
                    "ClientStore", "An internal error occurred; some data may be out of date."
                )
            )

    # -- the connection -----------------------------------------------------------------------

    def on_stream_state(self, state: StreamState) -> None:
        """The stream's state changed; back live, the waiting deliveries try at once."""
        self._set_connection(
            ConnectionInfo(state.state, state.retry_in, self.connection.outbox_count, state.error)
        )
        if state.state == "live":
            self.delivery.wake_up()
            self.sync.wake_rest()

    def set_outbox_count(self, count: int) -> None:
        if count != self.connection.outbox_count:
            c = self.connection
            self._set_connection(ConnectionInfo(c.state, c.retry_in, count, c.error))

    def _set_connection(self, info: ConnectionInfo) -> None:
        if info != self.connection:
            self.connection = info
            self.connectionChanged.emit(info)

    def apply_event(self, event: Event) -> bool:
        """Apply one stored event exactly once; returns False for a duplicate or a bad payload."""
        return self.sync.apply_event(event)

    # -- the open conversation ----------------------------------------------------------------

    async def open_thread(self, thread_id: str) -> Conversation:
        """Make `thread_id` the open conversation and load its newest messages."""
        conversation = Conversation(thread_id, parent=self, pool=self.pool)
        old = self.conversation
        self.conversation = conversation
        if old is not None:
            old.deleteLater()
            self.heap.soon()
        self.conversationOpened.emit(conversation)
        await self.load_conversation(conversation)
        return conversation

    def close_thread(self) -> None:
        if self.conversation is not None:
            self.conversation.deleteLater()
            self.conversation = None
            self.heap.soon()
            self.conversationOpened.emit(None)

    async def load_conversation(self, conversation: Conversation) -> None:
        """The newest page of `conversation`'s messages, with its unsent ones after them."""
        conversation.loading = True
        try:
            page = await self.backend.messages(conversation.thread_id, limit=MESSAGE_PAGE)
        finally:
            conversation.loading = False
        if self.conversation is not conversation:
            return
        messages: list[AnyMessage] = list(reversed(page.items))
        # Keep what live events added while the page was on its way.
        known = {m.id for m in messages}
        oldest = messages[0].created_at if messages else None
        messages += [
            m
            for m in conversation.messages
            if m.id not in known and (oldest is None or m.created_at >= oldest)
        ]
        pending = [
            self.delivery.pending_entry(r) for r in self.db.outbox_rows(conversation.thread_id)
        ]
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
                conversation.thread_id, before=before, limit=MESSAGE_PAGE
            )
        finally:
            conversation.loading = False
        if self.conversation is not conversation:
            return 0
        older = reversed(page.items)
        self.heap.soon()  # once the agent stops scrolling back: the pages' answers were freed
        return conversation.prepend_older(older, has_more=page.has_more)

    def confirm(self, message: Message) -> bool:
        """The server stored `message`: its outbox row goes, the conversation shows it."""
        return self.delivery.confirm(message)

    # -- customers, orders, search hits -------------------------------------------------------

    async def customer(self, customer_id: str, *, refresh: bool = False) -> Customer:
        return await self.caches.customer(customer_id, refresh=refresh)

    async def orders(self, customer_id: str, *, refresh: bool = False) -> list[Order]:
        return await self.caches.orders(customer_id, refresh=refresh)

    def cached_customer(self, customer_id: str) -> Customer | None:
        return self.caches.cached_customer(customer_id)

    def cached_orders(self, customer_id: str) -> list[Order] | None:
        return self.caches.cached_orders(customer_id)

    async def search(self, text: str, *, limit: int = 200) -> list[ThreadRow]:
        """The server's search (customer names, order numbers, older messages): the threads it
        finds, as the store keeps them, or as rows sharing their values when it does not."""
        page = await self.backend.threads(q=text, assignee="any", limit=limit)
        return [self.threads.get(t.id) or self.pool.row(t) for t in page.items]

    async def media(self, url: str) -> bytes:
        """A picture from the backend's own origin (attachments, product images)."""
        return await self.backend.media(url)

    async def my_figures(self, *, since: datetime) -> AgentFigures | None:
        """The signed-in agent's figures since `since` (the server computes them)."""
        me = self.me
        if me is None:
            return None
        report = await self.backend.metrics(since=since, agent_id=me.id)
        return report.agents.get(me.id) if self.me is not None else None

    async def update_settings(self, settings: TeamSettings) -> TeamSettings:
        """Save the team's settings (a lead's); every client, this one too, applies them from the
        `settings.changed` event."""
        return await self.backend.update_settings(settings)

    def row(self, thread: Thread) -> ThreadRow:
        """The row of a thread the backend just sent that the store does not keep (a search
        hit), sharing the kept threads' values."""
        return self.pool.row(thread)

    # -- triage -------------------------------------------------------------------------------

    async def assign(self, thread_id: str, agent_id: str | None) -> ThreadRow:
        return self.sync.upsert_now(await self.backend.assign(thread_id, agent_id))

    async def set_status(self, thread_id: str, status: ThreadStatus) -> ThreadRow:
        return self.sync.upsert_now(await self.backend.set_status(thread_id, status))

    async def mark_read(self, thread_id: str, message_id: str) -> ThreadRow:
        return self.sync.upsert_now(await self.backend.mark_read(thread_id, message_id))

    def read_as_it_comes(self, thread_id: str, message_id: str) -> Coroutine[Any, Any, None] | None:
        """Mark a message the agent sees as it comes read, at most once an interval per thread
        (store/read_marks.py); None when a waiting read mark takes it."""
        return self.read_marks.as_it_comes(thread_id, message_id)

    async def set_presence(self, presence: Presence) -> Agent:
        agent = await self.backend.set_presence(presence)
        self.caches.apply_agent(agent)
        return agent

    async def create_template(self, template: dict[str, Any]) -> Template:
        created = await self.backend.create_template(template)
        self.caches.apply_template(created.id, created)
        return created

    async def update_template(self, template_id: str, template: dict[str, Any]) -> Template:
        updated = await self.backend.update_template(template_id, template)
        self.caches.apply_template(template_id, updated)
        return updated

    async def delete_template(self, template_id: str) -> None:
        await self.backend.delete_template(template_id)
        self.caches.apply_template(template_id, None)

    async def notify_typing(self, thread_id: str) -> None:
        await self.backend.send_ephemeral("typing", {"thread_id": thread_id})

    async def notify_viewing(self, thread_id: str) -> None:
        await self.backend.send_ephemeral("viewing", {"thread_id": thread_id})

    def viewers(self, thread_id: str) -> list[str]:
        """Names of the other agents who have `thread_id` open (seen in the last 30 s)."""
        return self.sync.viewers(thread_id)

    # -- drafts -------------------------------------------------------------------------------

    def draft(self, thread_id: str) -> str:
        return self.drafts.get(thread_id)

    def save_draft(self, thread_id: str, text: str) -> None:
        """Write the draft now (raises StorageError, also reported through `storageError`)."""
        self.drafts.save(thread_id, text)

    def save_draft_later(self, thread_id: str, text: str, delay: float = 0.3) -> None:
        """Debounced save: the last text wins `delay` seconds after the last keystroke."""
        self.drafts.save_later(thread_id, text, delay)

    # -- outbox -------------------------------------------------------------------------------

    async def send(
        self, thread_id: str, text: str, *, kind: SendKind = "reply", tag: str | None = None
    ) -> ConversationEntry:
        """Queue a reply or note: saved to the outbox before any network call, then delivered.

        Returns at once with the "sending" entry. Raises StorageError (and emits `storageError`)
        when the outbox cannot be written, so the composer keeps the text.
        """
        return self.delivery.send(thread_id, text, kind=kind, tag=tag)

    def outbox(self, thread_id: str | None = None) -> list[OutboxRow]:
        """The messages not yet stored by the server (all, or one thread's)."""
        return self.db.outbox_rows(thread_id)

    def retry(self, client_id: str) -> None:
        """Send a failed message again (same client_id, so never twice)."""
        self.delivery.retry(client_id)

    def discard(self, client_id: str) -> str | None:
        """Drop an unsent message; returns its text (for the composer) or None."""
        return self.delivery.discard(client_id)
