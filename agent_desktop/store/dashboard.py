"""The dashboard's live numbers (state, kept by the store layer): a `LiveMetrics` fed once from the
backend's message data, then one `message.created` event at a time, plus the few counts the
metrics do not keep (replies today); and a chosen period's figures for the exports.

QtCore only; the dashboard's widgets (ui/dashboard/) read `result()`, `hour_buckets()`,
`daily_series()` and `replies_today()`.
"""

from __future__ import annotations

import asyncio
import logging
from bisect import bisect_left, insort
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from agent_desktop.backends.base import BackendError, MetricsData, MetricsDataSource
from agent_desktop.core.metrics import (
    MetricMessage,
    MetricsResult,
    MetricThread,
    Period,
    as_metric_message,
    compute_metrics,
)
from agent_desktop.core.metrics_live import DailyPoint, HourBucket, LiveMetrics
from agent_desktop.core.types import Message, TeamSettings
from agent_desktop.store.sentences import error_sentence

if TYPE_CHECKING:
    from agent_desktop.store.client_store import ClientStore

log = logging.getLogger(__name__)

# Openings need the 24 hours before the window; one more day of margin, as the server does.
LOOKBACK = timedelta(days=2)
FALLBACK_THREAD_LIMIT = 300  # per-thread paging (backends without bulk data): at most this many


def metric_message(message: Message) -> MetricMessage:
    """A message as the metrics see it (the same mapping as the server's metrics)."""
    return as_metric_message(
        message.created_at, message.author.kind, message.kind, message.author.id
    )


def away_periods(settings: TeamSettings) -> list[Period]:
    return [Period(start=p.start, end=p.end) for p in settings.away]


class DashboardData(QObject):
    """The metrics of the rolling window, kept up to date incrementally from the store's events.

    Signals:
      loadingChanged(bool)   True while the message data is fetched
      changed()              the figures may have changed (new message, spam, settings, reload)
      failed(str)            the data could not be loaded (a sentence)
    """

    loadingChanged = Signal(bool)
    changed = Signal()
    failed = Signal(str)

    def __init__(
        self, parent: QObject | None = None, *, local_tz: Callable[[], tzinfo] | None = None
    ) -> None:
        super().__init__(parent)
        self.store: ClientStore | None = None
        self.live = LiveMetrics()
        self.loaded = False
        self.loading = False
        self.since: datetime | None = None
        self._local_tz = local_tz or (lambda: datetime.now().astimezone().tzinfo or UTC)
        self._seen: set[str] = set()
        self._buffer: list[tuple[str, Message]] = []
        self._spam: set[str] = set()
        self._replies: dict[str, list[datetime]] = {}
        self._settings = TeamSettings()
        self._task: asyncio.Task[None] | None = None
        self._generation = 0

    # --- life cycle
    def attach(self, store: ClientStore) -> None:
        self.detach()
        self.store = store
        store.messageCreated.connect(self.on_store_messageCreated)
        store.threadsChanged.connect(self.on_store_threadsChanged)
        store.threadsReset.connect(self.on_store_threadsReset)
        store.settingsChanged.connect(self.on_store_settingsChanged)
        if store.loaded:
            self.reload()

    def detach(self) -> None:
        store = self.store
        if store is None:
            return
        for signal, slot in (
            (store.messageCreated, self.on_store_messageCreated),
            (store.threadsChanged, self.on_store_threadsChanged),
            (store.threadsReset, self.on_store_threadsReset),
            (store.settingsChanged, self.on_store_settingsChanged),
        ):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                log.debug("signal already disconnected")
        self.store = None
        # A load on its way is left to finish (cancelling a request mid-way can strand its
        # socket); its result is ignored, as the generation moved on.
        self._generation += 1
        self._task = None
        self._buffer = []
        self.loaded = False
        self._set_loading(False)

    @property
    def is_lead(self) -> bool:
        store = self.store
        return bool(store and store.me and store.me.role == "lead")

    @property
    def settings(self) -> TeamSettings:
        return self._settings

    def now(self) -> datetime:
        return self.store.now() if self.store is not None else datetime.now(UTC)

    def reload(self) -> None:
        """Fetch the window's message data again and rebuild the metrics (start, resync)."""
        store = self.store
        if store is None:
            return
        self._generation += 1
        # From here on, live messages wait in the buffer until the fetched data is installed
        # (the ids drop the ones the data already holds).
        self._buffer = []
        self._set_loading(True)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.get_event_loop()
        self._task = loop.create_task(self._load(store, self._generation), name="dashboard-load")
        self._task.add_done_callback(self._load_done)

    def _load_done(self, task: asyncio.Task[None]) -> None:
        if self._task is task:
            self._task = None
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("Dashboard data failed", exc_info=exc)
            self.failed.emit(self.tr("The dashboard's figures could not be loaded."))

    async def wait_loaded(self) -> None:
        task = self._task
        if task is not None:
            await asyncio.shield(task)

    async def _load(self, store: ClientStore, generation: int) -> None:
        settings = store.settings
        since = store.now() - timedelta(days=settings.window_days) - LOOKBACK
        try:
            data = await self._fetch(store, since)
        except BackendError as exc:
            if generation == self._generation:
                self._set_loading(False)
                self.failed.emit(error_sentence(exc))
            return
        except Exception:
            if generation != self._generation:
                return  # the store went away while loading; nothing to report
            raise
        if generation != self._generation or self.store is not store:
            return
        self._install(data, store.settings)
        store.heap.soon()  # the answer's transient objects were freed (store/heap.py)
        self._set_loading(False)
        self.changed.emit()

    async def _fetch(self, store: ClientStore, since: datetime) -> MetricsData:
        backend = store.backend
        if isinstance(backend, MetricsDataSource):
            return await backend.metric_messages(since=since)
        # A backend without bulk data: page through the recently active threads.
        until = store.now()
        recent = sorted(
            (t for t in store.threads.values() if t.updated_at >= since),
            key=lambda t: t.updated_at,
            reverse=True,
        )[:FALLBACK_THREAD_LIMIT]
        threads: list[MetricThread] = []
        ids: set[str] = set()
        for thread in recent:
            messages: list[Message] = []
            before: str | None = None
            while True:
                page = await backend.messages(thread.id, before=before, limit=100)
                messages.extend(page.items)
                if not page.has_more or not page.items or page.items[-1].created_at < since:
                    break
                before = page.items[-1].id
            kept = [m for m in messages if m.created_at >= since]
            ids.update(m.id for m in kept)
            threads.append(
                MetricThread(
                    id=thread.id,
                    messages=[metric_message(m) for m in kept],
                    spam=thread.status == "spam",
                )
            )
        return MetricsData(since=since, until=until, threads=threads, message_ids=frozenset(ids))

    def _install(self, data: MetricsData, settings: TeamSettings) -> None:
        self._settings = settings
        live = LiveMetrics(
            target_seconds=settings.target_seconds,
            window_days=settings.window_days,
            away=away_periods(settings),
        )
        store = self.store
        spam = {t.id for t in data.threads if t.spam}
        if store is not None:
            spam |= {tid for tid, t in store.threads.items() if t.status == "spam"}
            spam -= {tid for tid, t in store.threads.items() if t.status != "spam"}
        threads = [
            MetricThread(id=t.id, messages=t.messages, spam=t.id in spam) for t in data.threads
        ]
        live.load(threads)
        self._spam = spam
        self._replies = {}
        for thread in data.threads:
            for m in thread.messages:
                if m.author == "agent" and m.kind == "text" and m.agent_id:
                    self._replies.setdefault(m.agent_id, []).append(m.at)
        for times in self._replies.values():
            times.sort()
        self._seen = set(data.message_ids)
        self.live = live
        self.since = data.since
        self.loaded = True
        buffered, self._buffer = self._buffer, []
        for thread_id, message in buffered:
            self._add(thread_id, message)

    def _set_loading(self, loading: bool) -> None:
        if loading != self.loading:
            self.loading = loading
            self.loadingChanged.emit(loading)

    # --- store signals
    def on_store_messageCreated(self, thread_id: str, message: Message) -> None:
        if self.loading or not self.loaded:
            self._buffer.append((thread_id, message))
            return
        if self._add(thread_id, message):
            self.changed.emit()

    def _add(self, thread_id: str, message: Message) -> bool:
        if message.id in self._seen:
            return False
        self._seen.add(message.id)
        m = metric_message(message)
        store = self.store
        me = store.me.id if store is not None and store.me is not None else None
        if m.agent_id and not self.is_lead and m.agent_id != me:
            # An agent sees the team's figures and their own, as the server shows them.
            m = MetricMessage(at=m.at, author=m.author, kind=m.kind, agent_id=None)
        self.live.add_message(thread_id, m)
        if m.author == "agent" and m.kind == "text" and m.agent_id:
            insort(self._replies.setdefault(m.agent_id, []), m.at)
        return True

    def on_store_threadsChanged(self, ids: list[str]) -> None:
        store = self.store
        if store is None or not self.loaded:
            return
        changed = False
        for thread_id in ids:
            thread = store.threads.get(thread_id)
            spam = thread is not None and thread.status == "spam"
            if spam != (thread_id in self._spam):
                if spam:
                    self._spam.add(thread_id)
                else:
                    self._spam.discard(thread_id)
                self.live.set_spam(thread_id, spam)
                changed = True
        if changed:
            self.changed.emit()

    def on_store_threadsReset(self) -> None:
        self.reload()

    def on_store_settingsChanged(self) -> None:
        store = self.store
        if store is None:
            return
        new = store.settings
        old = self._settings
        if not self.loaded:
            self._settings = new
            return
        if new.window_days > old.window_days:
            self.reload()  # the window reaches further back than the data we hold
            return
        self._settings = new
        if new.target_seconds != old.target_seconds:
            self.live.set_target(new.target_seconds)
        if new.window_days != old.window_days:
            self.live.set_window_days(new.window_days)
        if new.away != old.away:
            self.live.set_away(away_periods(new))
        self.changed.emit()

    # --- reading
    def _as_of(self, now: datetime | None) -> datetime:
        """`now`, or the newest message's time when that is later: the client's estimate of the
        server's clock lags the server's own stamps by a few ms, and every message we hold has
        happened; figures "as of" a moment before the newest message would cost a full
        recomputation instead of reading the incremental state."""
        at = now or self.now()
        newest = self.live.newest_at
        return newest if newest is not None and newest > at else at

    def result(self, now: datetime | None = None) -> MetricsResult:
        return self.live.result(self._as_of(now))

    def hour_buckets(self, now: datetime | None = None) -> list[HourBucket]:
        return self.live.hour_buckets(self._as_of(now), hours=24)

    def daily_series(self, now: datetime | None = None) -> list[DailyPoint]:
        return self.live.daily_series(self._as_of(now), tz=self._local_tz())

    def replies_today(self, agent_id: str, now: datetime | None = None) -> int:
        """Public replies `agent_id` sent since local midnight."""
        times = self._replies.get(agent_id)
        if not times:
            return 0
        local = (now or self.now()).astimezone(self._local_tz())
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return len(times) - bisect_left(times, midnight)


@dataclass(frozen=True)
class PeriodData:
    """One period's message data and the figures computed from it."""

    since: datetime
    until: datetime
    target_seconds: float
    away: list[Period]
    threads: list[MetricThread]
    result: MetricsResult

    @property
    def window_days(self) -> float:
        return (self.until - self.since).total_seconds() / 86_400


async def fetch_period(store: ClientStore, since: datetime, until: datetime) -> PeriodData:
    """The figures for [since, until] (the period is the rolling window ending at `until`), for
    the exports."""
    backend, settings = store.backend, store.settings
    if not isinstance(backend, MetricsDataSource):
        raise TypeError("this backend cannot export message data")
    data = await backend.metric_messages(since=since - LOOKBACK, until=until)
    away = [Period(start=p.start, end=p.end) for p in settings.away]
    window_days = (until - since).total_seconds() / 86_400
    result = compute_metrics(
        data.threads,
        now=until,
        target_seconds=settings.target_seconds,
        window_days=window_days,
        away=away,
    )
    return PeriodData(since, until, settings.target_seconds, away, list(data.threads), result)
