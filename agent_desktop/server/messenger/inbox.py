"""The Messenger webhook's durable inbox: each verified delivery is stored (`enqueue`, answered to
Meta at once), then applied in order by one worker, the singleton job "messenger-inbox" (one
instance of a cluster runs it). Names and attachments are fetched before the write transaction;
the events are applied by `inbound.InboundApplier`. A delivery that cannot be applied is set aside
with its error, alone: the others of its chunk are applied one by one.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import mimetypes
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from agent_desktop.server.context import ServerContext
from agent_desktop.server.messenger.config import MessengerConfig
from agent_desktop.server.messenger.graph import GraphClient
from agent_desktop.server.messenger.inbound import InboundApplier, Prefetched, fallback_name
from agent_desktop.server.messenger.payloads import (
    InControl,
    InEvent,
    InMessage,
    fresh_events,
    parse_payload,
)
from agent_desktop.server.messenger.tables import InboxRow, LinkRow
from agent_desktop.server.models import MessageRow, utcnow

log = logging.getLogger("agent_desktop.server.messenger")

INBOX_BATCH = 100
INBOX_CHUNK = 10  # deliveries applied per write transaction (webhooks wait for it)
INBOX_GATHER_SECONDS = 0.02
INBOX_JOB = "messenger-inbox"  # the singleton job (server/cluster.py) and its wake-up name
POLL_SECONDS = 5.0  # how often idle workers look for work a lost wake-up did not announce


class Inbox:
    """Stores webhook deliveries and runs the worker that applies them in order."""

    def __init__(
        self,
        ctx: ServerContext,
        config: MessengerConfig,
        graph: GraphClient,
        media_dir: Path,
        known_page_id: Callable[[], Awaitable[str | None]],
        applier: InboundApplier,
    ) -> None:
        self.ctx = ctx
        self.config = config
        self.graph = graph
        self.media_dir = media_dir
        self.known_page_id = known_page_id
        self.applier = applier
        self.wake = asyncio.Event()

    async def enqueue(self, body: bytes) -> int:
        """Store one verified webhook delivery durably and wake the worker; returns its seq."""
        # Through the server's serialized writer: concurrent SQLite writers would otherwise wait
        # in SQLite's busy handler, which sleeps in steps of several milliseconds.
        async with self.ctx.write(sequenced=False) as session:
            row = InboxRow(body=body.decode("utf-8", errors="replace"), received_at=utcnow())
            session.add(row)
            await session.flush()
            seq = row.seq
        self.ctx.wake(INBOX_JOB)  # the instance that runs the inbox job, maybe another
        return seq

    async def run(self) -> None:
        while True:
            self.wake.clear()
            async with self.ctx.sessionmaker() as session:
                batch = list(
                    (
                        await session.execute(
                            select(InboxRow)
                            .where(InboxRow.processed_at.is_(None))
                            .order_by(InboxRow.seq)
                            .limit(INBOX_BATCH)
                        )
                    ).scalars()
                )
            if not batch:
                # Woken by a webhook on any instance; the timeout is a safety net for a wake-up
                # lost between instances.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(POLL_SECONDS):
                        await self.wake.wait()
                # Let a burst gather for a moment: one transaction for many deliveries costs far
                # less than one each, and leaves the writer free for the webhook's own inserts.
                await asyncio.sleep(INBOX_GATHER_SECONDS)
                continue
            for start in range(0, len(batch), INBOX_CHUNK):
                chunk = [(row.seq, row.body) for row in batch[start : start + INBOX_CHUNK]]
                if not await self._process(chunk, log_errors=False):
                    # Something in the chunk failed: redo it one delivery at a time, so only the
                    # bad delivery is set aside.
                    for item in chunk:
                        await self._process([item], log_errors=True)

    async def _process(self, chunk: list[tuple[int, str]], *, log_errors: bool) -> bool:
        """Apply deliveries in one transaction, marking them processed; False if it failed."""
        seqs = [seq for seq, _ in chunk]
        try:
            events: list[InEvent] = []
            for _, raw in chunk:
                events.extend(parse_payload(json.loads(raw), self.config.app_id).events)
            events, stale = fresh_events(events, utcnow())
            if stale:  # one line per chunk of deliveries, not one per message
                log.warning("Messenger webhook: skipped %d message(s) dated over 8 days ago", stale)
            pre = await self._prefetch(events)
            async with self.ctx.write() as session:
                for event in events:
                    await self.applier.apply(session, event, pre)
                await session.execute(
                    update(InboxRow).where(InboxRow.seq.in_(seqs)).values(processed_at=utcnow())
                )
            return True
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not log_errors:
                return False
            seq = seqs[0]
            log.error("Messenger webhook delivery %s could not be processed", seq, exc_info=exc)
            async with self.ctx.sessionmaker() as session, session.begin():
                await session.execute(
                    update(InboxRow)
                    .where(InboxRow.seq == seq)
                    .values(processed_at=utcnow(), error=type(exc).__name__)
                )
            return False

    async def _prefetch(self, events: list[InEvent]) -> Prefetched:
        pre = Prefetched()
        unknown_owner = {
            e.psid for e in events if isinstance(e, InControl) and not e.ours and not e.other_app_id
        }
        if unknown_owner and self.config.page_token:
            # Conversation Routing: who took the conversation (the Page inbox or another app)?
            page_id = await self.known_page_id()
            for psid in sorted(unknown_owner):
                owner = await self.graph.thread_owner(page_id, psid) if page_id else None
                if owner and owner != self.config.app_id:
                    pre.owners[psid] = owner
        messages = [e for e in events if isinstance(e, InMessage)]
        if not messages:
            return pre
        async with self.ctx.sessionmaker() as session:
            mids = [m.mid for m in messages]
            known = set(
                (
                    await session.execute(
                        select(MessageRow.external_id).where(MessageRow.external_id.in_(mids))
                    )
                ).scalars()
            )
            psids = {m.psid for m in messages}
            linked = set(
                (
                    await session.execute(select(LinkRow.psid).where(LinkRow.psid.in_(psids)))
                ).scalars()
            )
        for psid in sorted(psids - linked):
            pre.names[psid] = await self.graph.profile_name(psid) or fallback_name(psid)
        for msg in messages:
            if msg.mid in known or not msg.attachments:
                continue
            copied, failed = await self._copy_attachments(msg)
            pre.attachments[msg.mid] = copied
            if failed:
                pre.notes[msg.mid] = (
                    f"({failed} attachment(s) could not be copied: unreachable or larger than "
                    f"{self.config.media_max_bytes // (1024 * 1024)} MB.)"
                )
        return pre

    async def _copy_attachments(self, msg: InMessage) -> tuple[list[dict[str, Any]], int]:
        copied: list[dict[str, Any]] = []
        failed = 0
        for att in msg.attachments:
            if not att.url:  # a sticker known only by its id
                continue
            got = await self.graph.download(att.url, self.config.media_max_bytes)
            if got is None:
                failed += 1
                continue
            data, mime = got
            ext = mimetypes.guess_extension(mime) if mime else None
            name = hashlib.sha256(data).hexdigest()[:24] + (ext or ".bin")
            path = self.media_dir / name
            if not path.exists():
                await asyncio.to_thread(path.write_bytes, data)
            is_image = att.kind in ("image", "sticker") or mime.startswith("image/")
            copied.append(
                {
                    "kind": "image" if is_image else "file",
                    "url": f"/media/messenger/{name}",
                    "name": att.name or name,
                    "mime": mime,
                }
            )
        return copied, failed
