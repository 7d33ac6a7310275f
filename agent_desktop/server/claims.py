"""Durable work that exactly one instance does at a time: rows of a queue table, each claimed by
one instance for a while (`claimed_by`, `claim_until`).

    queue = ClaimQueue(ctx, OutboundRow, ttl=30.0)
    for row in await queue.claim(limit=10):      # FOR UPDATE SKIP LOCKED on PostgreSQL
        async with queue.holding(row.seq):       # renews the claim while the work runs
            ...                                  # e.g. call the Send API
        async with ctx.write() as session:
            if await queue.finish(session, row.seq, status="sent"):
                ...                              # still ours: record the outcome

- Claims expire: when the instance that holds one dies (or hangs past `ttl` without renewing),
  another instance claims the row again and finishes the work. An instance that is alive renews
  its claims every `ttl / 3`, so a slow but healthy send is never taken from it.
- `not_before` delays a row (pacing, a pause after an error): `release(seq, not_before=...)`
  gives a claimed row back for later; `claim` skips rows whose time has not come.
- `attempts` counts the claims a row has had (a row that keeps killing its instance can be set
  aside by its owner's policy).
- On SQLite (one process) the same statements run without `SKIP LOCKED`; the writer lock
  serializes them.

Times come from the instances' clocks (UTC): keep them synchronized (NTP; docs/DEPLOY.md).
The table needs the `ClaimColumns` and an integer primary key `seq`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, String, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from agent_desktop.server.context import ServerContext
from agent_desktop.server.models import UTCDateTime, utcnow

log = logging.getLogger(__name__)


class ClaimColumns:
    """Mixin for a queue table's claim columns."""

    claimed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    claim_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


Row = TypeVar("Row", bound=Any)


class ClaimQueue(Generic[Row]):
    """Claims rows of `model` (status `ready_status`) for this instance (`ctx.instance`)."""

    def __init__(
        self,
        ctx: ServerContext,
        model: type[Row],
        *,
        ttl: float = 30.0,
        ready_status: str = "queued",
    ) -> None:
        self.ctx = ctx
        self.model = model
        self.ttl = timedelta(seconds=ttl)
        self.ready_status = ready_status

    @property
    def owner(self) -> str:
        return self.ctx.instance

    async def claim(self, limit: int = 10, *, keys: Sequence[int] | None = None) -> list[Row]:
        """Claim up to `limit` ready rows (oldest first; only `keys` when given): rows nobody
        holds, or whose claim expired, and whose `not_before` has come."""
        m: Any = self.model
        now = utcnow()
        free = and_(
            m.status == self.ready_status,
            or_(m.claim_until.is_(None), m.claim_until < now),
            or_(m.not_before.is_(None), m.not_before <= now),
        )
        if keys is not None:
            free = and_(free, m.seq.in_(list(keys)))
        pick = select(m.seq).where(free).order_by(m.seq).limit(limit)
        if self.ctx.is_postgres:
            pick = pick.with_for_update(skip_locked=True)
        statement = (
            update(m)
            .where(m.seq.in_(pick.scalar_subquery()))
            .values(claimed_by=self.owner, claim_until=now + self.ttl, attempts=m.attempts + 1)
            .returning(m)
            .execution_options(synchronize_session=False)
        )
        async with self.ctx.write(sequenced=False) as session:
            rows = list((await session.execute(statement)).scalars())
        rows.sort(key=lambda r: r.seq)
        return rows

    async def renew(self, keys: Sequence[int]) -> int:
        """Push back the expiry of the claims this instance still holds; returns how many."""
        m: Any = self.model
        async with self.ctx.write(sequenced=False) as session:
            result = await session.execute(
                update(m)
                .where(m.seq.in_(list(keys)), m.claimed_by == self.owner)
                .values(claim_until=utcnow() + self.ttl)
                .execution_options(synchronize_session=False)
            )
        return int(getattr(result, "rowcount", 0) or 0)

    @contextlib.asynccontextmanager
    async def holding(self, key: int) -> AsyncIterator[None]:
        """Renew the claim on `key` every ttl/3 while the block runs."""

        async def renew_forever() -> None:
            while True:
                await asyncio.sleep(self.ttl.total_seconds() / 3)
                try:
                    if not await self.renew([key]):
                        log.warning("claim %s on %s was lost", key, self.model.__name__)
                        return
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("could not renew claim %s: %s", key, exc)

        task = asyncio.create_task(renew_forever())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def finish(self, session: AsyncSession, key: int, **values: Any) -> bool:
        """In the caller's write transaction: set `values` (e.g. status="sent") and drop the
        claim, if this instance still holds it. False: another instance took the row (this
        claim had expired), and the caller must not record its outcome."""
        m: Any = self.model
        result = await session.execute(
            update(m)
            .where(m.seq == key, m.claimed_by == self.owner)
            .values(claimed_by=None, claim_until=None, **values)
            .execution_options(synchronize_session=False)
        )
        done = bool(getattr(result, "rowcount", 0))
        if not done:
            log.warning("%s %s was claimed by another instance meanwhile", m.__name__, key)
        return done

    async def release(self, key: int, *, not_before: datetime | None = None) -> bool:
        """Give a claimed row back (to be claimed again from `not_before`, or at once)."""
        m: Any = self.model
        async with self.ctx.write(sequenced=False) as session:
            result = await session.execute(
                update(m)
                .where(m.seq == key, m.claimed_by == self.owner)
                .values(claimed_by=None, claim_until=None, not_before=not_before)
                .execution_options(synchronize_session=False)
            )
        return bool(getattr(result, "rowcount", 0))
