"""Keeping the store in step with the backend: the full load over HTTP (at start and on a resync),
the event stream applied by seq exactly once and in order, and the last applied seq on disk.

Used by `ClientStore` only; it changes the store's state and emits the store's signals.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from agent_desktop.backends.base import (
    BackendError,
    Ephemeral,
    NetworkError,
    RateLimitedError,
    Ready,
    Resync,
    ServerError,
    StreamItem,
    StreamState,
)
from agent_desktop.core.pages import THREAD_PAGE
from agent_desktop.core.retry import RetryPolicy
from agent_desktop.store import session_end
from agent_desktop.store.sentences import error_sentence
from agent_desktop.store.state_db import StorageError

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import (
        Event,
        Thread,
    )
    from agent_desktop.store.client_store import ClientStore

log = logging.getLogger(__name__)

VIEWING_TTL = 30.0  # seconds a `viewing` signal counts without being repeated
APPLY_SLICE = 0.006  # seconds of event application between two turns of the GUI loop
# The applied seq is written at most once a second (and when the store closes): each write is a
# SQLite commit with synchronous=FULL, an fsync on the GUI thread, and live events come one by one
# (at 20 events/s that was 20 fsyncs a second, ~1 ms of CPU each and a stall when the disk is
# busy). After a crash the stream replays the events of that second; applying them again leaves
# the same state (messages and threads are upserted by id; a replay comes before the stream's
# Ready, so it notifies nothing).
SEQ_PERSIST_DELAY = 1.0
MAX_THREAD_PAGES = 100
# A flush of this many changed threads or more (a burst of events, applied in slices) has the heap
# trimmed once the events are quiet (store/heap.py). A live event's flush (a thread or two) frees
# little, and asking after each one (the timer restarted from a slot, ~1,100 times in the live
# figure's 50 s) cost more than the trim.
TRIM_AFTER_BATCH = 8
# The pages after the first are asked for again after a failure that may pass (the network, the
# server), from the page that failed, 1, 2, 4... s apart up to a minute, and at once when the
# event stream is back.
REST_RETRY = RetryPolicy(base=1.0, cap=60.0)
TRANSIENT = (NetworkError, ServerError, RateLimitedError)


class Sync:
    """The store's link to the backend's state: `reload` (HTTP), `consume` (the event stream),
    `apply_event` (one stored event), and the batching of thread changes into one
    `threadsChanged` per loop turn."""

    def __init__(self, store: ClientStore) -> None:
        self._store = store
        self.last_seq = store.db.last_seq
        self.duplicates_skipped = 0
        self.needs_reload = False
        # The stream has caught up once since sign-in (its first Ready): the events it replayed
        # before that are the backlog (ui/notifications.py notifies only what comes after).
        self.caught_up = False
        self._persisted_seq = self.last_seq
        self._persist_handle: asyncio.TimerHandle | None = None
        self._dirty: dict[str, None] = {}
        self._flush_scheduled = False
        self._lock = asyncio.Lock()
        self._rest_task: asyncio.Task[None] | None = None
        self._rest_cursor: str | None = None  # the pages after the first, not loaded yet
        self._rest_wake = asyncio.Event()
        self.rest_retry = REST_RETRY
        self.defer_background = False
        self._viewers: dict[str, dict[str, tuple[str, float]]] = {}

    # -- the full load ------------------------------------------------------------------------

    async def reload(self) -> None:
        """Replace threads, agents, templates, settings and the open conversation from HTTP.

        Returns once the first page of threads (the most urgent) is in, so the list shows at
        once; the other pages load in the background and `threadsReset` is emitted again when
        they are all in (`threads_complete` then turns True).
        """
        store = self._store
        if self._rest_task is not None:
            self._rest_task.cancel()
            self._rest_task = None
        async with self._lock:
            backend = store.backend
            me, agents, templates, settings, first = await asyncio.gather(
                backend.me(),
                backend.agents(),
                backend.templates(),
                backend.settings(),
                backend.threads(assignee="any", limit=THREAD_PAGE),
            )
            store.me = me
            store.caches.agents = {a.id: a for a in agents}
            store.caches.templates = templates
            store.settings = settings
            store.threads = {t.id: store.pool.row(t) for t in first.items}
            store.threads_complete = not first.next_cursor
            self._rest_cursor = first.next_cursor
            if not self.defer_background:  # else start_background() starts them
                self.start_rest()
            store.caches.clear()
            self._dirty.clear()
            store.loaded = True
            self.needs_reload = False
            store.sync_clock()
            store.threadsReset.emit()
            store.agentsChanged.emit()
            store.templatesChanged.emit()
            store.settingsChanged.emit()
            if store.conversation is not None:
                await store.load_conversation(store.conversation)

    def start_rest(self) -> None:
        """Load the pages of threads after the first, if some are waiting and none are loading."""
        if self._rest_cursor is not None and self._rest_task is None:
            cursor, self._rest_cursor = self._rest_cursor, None
            self._rest_task = self._store.spawn(self._load_rest(cursor), name="load-threads")

    def wake_rest(self) -> None:
        """The backend is reachable again: pages that failed are asked for now."""
        self._rest_wake.set()

    async def _load_rest(self, cursor: str) -> None:
        """The pages after the first; threads that live events changed meanwhile are kept.

        A page that fails for a reason that may pass is asked for again (the pages before it are
        shown meanwhile) and the agent reads why in a sentence; another failure (a refused
        cursor, a revoked token) is reported and ends the load."""
        store = self._store
        items: list[ThreadRow] = []
        next_cursor: str | None = cursor
        failures = 0
        for _ in range(MAX_THREAD_PAGES):
            if not next_cursor:
                break
            try:
                page = await store.backend.threads(
                    assignee="any", limit=THREAD_PAGE, cursor=next_cursor
                )
            except TRANSIENT as exc:
                failures += 1
                if failures == 1:
                    store.errorOccurred.emit(
                        QCoreApplication.translate(
                            "Sync",
                            "Not every conversation is loaded yet: %1 Agent Desktop keeps trying.",
                        ).replace("%1", error_sentence(exc))
                    )
                await self._merge_rest(items, complete=False)
                items = []
                delay = self.rest_retry.delay(failures - 1)
                self._rest_wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._rest_wake.wait(), delay)
                continue
            except BackendError as exc:
                await self._merge_rest(items, complete=False)
                self._rest_task = None
                store.errorOccurred.emit(
                    QCoreApplication.translate(
                        "Sync", "Not every conversation could be loaded: %1"
                    ).replace("%1", error_sentence(exc))
                )
                return
            failures = 0
            # Made rows page by page: the memory of a page's models is reused by the next page,
            # instead of leaving 10,000 threads' worth of holes in the heap at the end.
            items.extend(store.pool.row(t) for t in page.items)
            next_cursor = page.next_cursor
        await self._merge_rest(items, complete=True)
        self._rest_task = None

    async def _merge_rest(self, items: list[ThreadRow], *, complete: bool) -> None:
        store = self._store
        if not items and not complete:
            return
        async with self._lock:
            for thread in items:
                current = store.threads.get(thread.id)
                if current is None or thread.updated_at >= current.updated_at:
                    store.threads[thread.id] = thread
            store.threads_complete = complete
            store.threadsReset.emit()

    # -- the event stream ---------------------------------------------------------------------

    async def consume(self) -> None:
        stream = self._store.backend.stream(self.last_seq)
        try:
            await self._consume_stream(stream)
        finally:
            # When this task is cancelled, close the stream (and its websocket) here and now, not
            # later in the garbage collector, where it can no longer close cleanly.
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _consume_stream(self, stream: AsyncIterator[StreamItem]) -> None:
        from agent_desktop.core.types import Event

        store = self._store
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
                store.on_stream_state(item)
                if item.state == "signed_out":
                    store.signed_out_code = item.code or "unauthorized"
                    store.signedOut.emit(session_end.sentence(item.code))
                    return
            elif isinstance(item, Resync):
                resynced = True
            elif isinstance(item, Ready):
                await self._on_ready(item, resynced)
                resynced = False
            elif isinstance(item, Ephemeral):
                self.apply_ephemeral(item)

    async def _on_ready(self, ready: Ready, resynced: bool) -> None:
        store = self._store
        self.flush()
        store.sync_clock()
        self.caught_up = True
        if resynced or self.needs_reload:
            try:
                await self.reload()
            except BackendError as exc:
                self.needs_reload = True
                store.errorOccurred.emit(error_sentence(exc))
                return
            if resynced:
                self.last_seq = ready.seq
                store.backend.ack(ready.seq)
                self.persist_seq()

    def apply_event(self, event: Event) -> bool:
        """Apply one stored event exactly once; returns False for a duplicate or a bad payload."""
        if event.seq <= self.last_seq:
            self.duplicates_skipped += 1
            return False
        from pydantic import ValidationError  # imported with the API models, after the start

        try:
            self._apply(event)
            applied = True
        except ValidationError as exc:
            log.warning(
                "Skipped malformed %s event %d: %s", event.name, event.seq, exc.errors()[:2]
            )
            self.needs_reload = True
            applied = False
        self.last_seq = event.seq
        self._store.backend.ack(event.seq)
        self._schedule_flush()
        return applied

    def _apply(self, event: Event) -> None:
        """Validate the whole payload first, then change state (never half-way)."""
        from agent_desktop.core.order_types import Order, OrderAction
        from agent_desktop.core.types import Agent, Message, TeamSettings, Template, Thread

        store = self._store
        data = event.data
        name = event.name
        if name in ("message.created", "message.updated"):
            message = Message.model_validate(data.get("message"))
            thread = Thread.model_validate(data["thread"]) if data.get("thread") else None
            store.pool.message(message, thread)
            if thread is not None:
                self.upsert_thread(thread)
            if name == "message.created":  # first: the row of a message read as it comes
                store.messageCreated.emit(message.thread_id, message)  # shows it read (`read_here`)
            conversation = store.conversation
            if conversation is not None and conversation.thread_id == message.thread_id:
                # The open thread's row changes now, with its conversation: Qt paints both in one
                # pass. Flushed later, the row waited for a first pass (the conversation's new
                # row laid out and painted) and then its own: 9 ms behind the others under load.
                self.flush()
            store.confirm(message)
        elif name == "thread.updated":
            self.upsert_thread(Thread.model_validate(data.get("thread")))
        elif name in ("agent.presence", "agent.updated"):
            store.caches.apply_agent(Agent.model_validate(data.get("agent")))
        elif name == "template.changed":
            raw = data.get("template")
            template = Template.model_validate(raw) if raw is not None else None
            template_id = str(data.get("id") or (template.id if template else ""))
            store.caches.apply_template(template_id, template)
        elif name == "order.updated":
            order = Order.model_validate(data.get("order"))
            customer_id = str(data.get("customer_id") or order.customer_id or "")
            store.caches.apply_order(customer_id, order)
        elif name == "order.action":
            store.orderActionChanged.emit(OrderAction.model_validate(data.get("action")))
        elif name == "settings.changed":
            store.settings = TeamSettings.model_validate(data.get("settings"))
            store.settingsChanged.emit()
        elif name.startswith("messenger."):
            store.extensionEvent.emit(name, dict(data))  # the Messenger store's (store/messenger)
        else:
            log.info("Ignored an event of unknown name %r", name)

    # -- who else is here (typing, viewing) ---------------------------------------------------

    def apply_ephemeral(self, item: Ephemeral) -> None:
        store = self._store
        thread_id = str(item.data.get("thread_id") or "")
        agent_id = str(item.data.get("agent_id") or "")
        agent_name = str(item.data.get("agent_name") or "")
        if not agent_name and agent_id in store.agents:
            agent_name = store.agents[agent_id].name
        if not thread_id or (store.me is not None and agent_id == store.me.id):
            return
        if item.name == "typing":
            store.typing.emit(thread_id, agent_id, agent_name)
        elif item.name == "viewing":
            before = self.viewers(thread_id)
            self._viewers.setdefault(thread_id, {})[agent_id] = (agent_name, time.monotonic())
            after = self.viewers(thread_id)
            if after != before:
                store.viewersChanged.emit(thread_id, after)

    def viewers(self, thread_id: str) -> list[str]:
        """Names of the other agents who have `thread_id` open (seen in the last 30 s)."""
        now = time.monotonic()
        seen = self._viewers.get(thread_id, {})
        return sorted(name for name, at in seen.values() if now - at < VIEWING_TTL)

    # -- thread changes, batched --------------------------------------------------------------

    def upsert_thread(self, thread: Thread) -> None:
        store = self._store
        current = store.threads.get(thread.id)
        if current is not None and thread.updated_at < current.updated_at:
            return  # an older state than the one shown
        row = store.pool.row(thread)
        if row == current:
            # The same state again (the event of the agent's own read mark, after its answer):
            # nothing to repaint, no header or composer to update.
            return
        store.threads[thread.id] = row
        self._dirty[thread.id] = None
        self._schedule_flush()

    def read_here(self, thread_id: str) -> None:
        """The agent sees `thread_id`'s messages as they come: its row shows none unread now, not
        when its read mark has gone out (up to READ_MARK_INTERVAL later, store/read_marks.py);
        the server's answer to that read mark agrees."""
        row = self._store.threads.get(thread_id)
        if row is not None and row.unread:
            self._store.threads[thread_id] = dataclasses.replace(row, unread=0)
            self._dirty[thread_id] = None  # flushed with the new message's row (`_apply`)
            self._schedule_flush()

    def upsert_now(self, thread: Thread) -> ThreadRow:
        """Apply a thread the backend answered with, and tell the views at once."""
        self.upsert_thread(thread)
        self.flush()
        kept = self._store.threads.get(thread.id)
        return kept if kept is not None else self._store.pool.row(thread)

    def _schedule_flush(self) -> None:
        if self._flush_scheduled:
            return
        self._flush_scheduled = True
        try:
            asyncio.get_running_loop().call_soon(self.flush)
        except RuntimeError:
            self.flush()

    def flush(self) -> None:
        """Emit the batched thread changes; the last applied seq is written soon after."""
        self._flush_scheduled = False
        if self._dirty:
            ids = list(self._dirty)
            self._dirty.clear()
            self._store.threadsChanged.emit(ids)
            if len(ids) >= TRIM_AFTER_BATCH:
                self._store.heap.soon()  # after a burst of events, once quiet
        self._schedule_persist()

    # -- the applied seq on disk --------------------------------------------------------------

    def _schedule_persist(self) -> None:
        """Write the seq within SEQ_PERSIST_DELAY: one disk write per second of events, however
        many arrive (after a crash the stream replays the events since the last write; applying
        them again leaves the same state). A resync writes at once (`_on_ready`), and so does
        `close`."""
        if self.last_seq == self._persisted_seq or self._persist_handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.persist_seq()
            return
        self._persist_handle = loop.call_later(SEQ_PERSIST_DELAY, self._persist_later)

    def _persist_later(self) -> None:
        self._persist_handle = None
        if not self._store.closed:
            self.persist_seq()

    def persist_seq(self) -> None:
        if self.last_seq == self._persisted_seq:
            return
        try:
            self._store.db.set_last_seq(self.last_seq)
            self._persisted_seq = self.last_seq
        except StorageError as exc:
            self._store.storageError.emit(str(exc))

    def close(self) -> None:
        """Emit what is batched and write the seq (the store's tasks are already stopped)."""
        self.flush()
        if self._persist_handle is not None:
            self._persist_handle.cancel()
            self._persist_handle = None
        self.persist_seq()
