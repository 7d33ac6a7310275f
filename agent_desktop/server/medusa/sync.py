"""Orders and customers in from Medusa: poll what changed since last time, reconcile now and then.

Every `poll_seconds` the connector asks Medusa for the orders and the customers whose
`updated_at` is at or after the newest it has seen (kept in the database, so a restart goes on
where it stopped), oldest change first, page by page. Every `reconcile_seconds` it reads again
every order placed in the last `reconcile_days`, which catches what a poll can miss (a change
Medusa made without moving the order's `updated_at`). The first run imports the last
`reconcile_days` of orders. Everything goes through `shop.ingest`, so an order that did not change
emits nothing, and an older copy never overwrites a newer one.

An order read while Medusa is still placing it is read again: Medusa's cart completion creates the
order, then links its payment collection, then authorizes the payment, and neither of the last two
moves the order's `updated_at`. A poll that falls between them reads the payment as pending and
the next polls would not see the order again until the reconciliation (an hour later). An order
placed less than `SETTLE_SECONDS` ago whose payment reads as pending is therefore read again, by
id, at each poll until its payment is no longer pending or it is older than that.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.medusa import mapping
from agent_desktop.server.medusa.client import (
    PAGE_SIZE,
    MedusaClient,
    MedusaError,
    MedusaUnavailable,
)
from agent_desktop.server.medusa.config import MedusaConfig
from agent_desktop.server.models import utcnow
from agent_desktop.server.shop import ingest
from agent_desktop.server.shop.documents import OrderDoc

log = logging.getLogger(__name__)

ORDERS_CURSOR = "medusa.orders.updated_at"
CUSTOMERS_CURSOR = "medusa.customers.updated_at"
MAX_BACKOFF = 300.0
# How long after it was placed an order whose payment reads as pending is read again at each poll.
SETTLE_SECONDS = 300.0

Fetch = Callable[[datetime, int], Coroutine[Any, Any, list[dict[str, Any]]]]


class MedusaSync:
    """The polling loop (run once across instances: `app.SYNC_JOB`). `passes` counts the passes
    made, `last_error` says why the last one failed (None when it worked), `last_success` is when
    the last one worked: what a status page shows."""

    def __init__(self, ctx: ServerContext, client: MedusaClient, config: MedusaConfig) -> None:
        self.ctx = ctx
        self.client = client
        self.config = config
        self.passes = 0
        self.last_error: str | None = None
        self.last_success: datetime | None = None
        # The ids of the orders read while Medusa may still have been placing them: read again.
        self.settling: set[str] = set()

    async def run(self) -> None:
        backoff = self.config.poll_seconds
        # The first poll imports the last `reconcile_days` (no cursor yet); reconciliation follows.
        next_reconcile = time.monotonic() + self.config.reconcile_seconds
        while True:
            try:
                if time.monotonic() >= next_reconcile:
                    await self.reconcile()
                    next_reconcile = time.monotonic() + self.config.reconcile_seconds
                await self.poll()
            except (MedusaError, MedusaUnavailable) as exc:
                self.last_error = str(exc)
                backoff = min(max(backoff * 2, 1.0), MAX_BACKOFF)
                log.warning("Medusa poll failed (next try in %.0f s): %s", backoff, exc)
            else:
                self.last_error = None
                self.last_success = utcnow()
                backoff = self.config.poll_seconds
            self.passes += 1
            await asyncio.sleep(backoff)

    # --- one pass -----------------------------------------------------------------------------

    async def poll(self) -> None:
        """Orders and customers changed since the newest change seen."""
        start = utcnow() - timedelta(days=self.config.reconcile_days)
        await self._walk(ORDERS_CURSOR, start, self.client.orders_page, self._ingest_orders)
        await self._settle()
        await self._walk(
            CUSTOMERS_CURSOR, start, self.client.customers_page, self._ingest_customers
        )

    async def _settle(self) -> None:
        """The orders read while Medusa was still placing them, read again (module docstring)."""
        for order_id in list(self.settling):
            try:
                order = await self.client.order(order_id)
            except MedusaError as exc:  # gone, or never more than a draft: nothing to settle
                log.warning("Medusa order %s could not be read again: %s", order_id, exc)
                self.settling.discard(order_id)
                continue
            async with self.ctx.write() as session:
                await self._ingest_orders(session, [order])

    async def reconcile(self) -> None:
        """Every order placed in the last `reconcile_days`, read again."""
        since = utcnow() - timedelta(days=self.config.reconcile_days)
        async for page in self.client.orders_created_since(since):
            async with self.ctx.write() as session:
                await self._ingest_orders(session, page)

    async def _walk(
        self,
        cursor_key: str,
        start: datetime,
        fetch: Fetch,
        store: Callable[[Any, list[dict[str, Any]]], Coroutine[Any, Any, None]],
    ) -> None:
        """Store every row changed since the cursor, page by page, moving the cursor along."""
        async with self.ctx.sessionmaker() as session:
            saved = await services.get_meta(session, cursor_key)
        since = mapping.parse_time(saved) or start
        async for rows, newest in changed_rows(fetch, since):
            async with self.ctx.write() as session:
                if rows:
                    await store(session, rows)
                if newest is not None and newest > since:
                    await services.set_meta(session, cursor_key, newest.isoformat())
                    since = newest

    async def _ingest_orders(self, session: Any, orders: list[dict[str, Any]]) -> None:
        for order in orders:
            self.settling.discard(str(order.get("id")))  # read again only while still placing
            if order.get("status") == "draft" or order.get("is_draft_order"):
                continue
            try:
                doc = mapping.order_doc(order)
                customer_doc = mapping.order_customer_doc(order)
            except ValueError as exc:  # one odd order must not stop the others
                log.warning("Medusa order %s could not be read: %s", order.get("id"), exc)
                continue
            if still_placing(doc, utcnow()):
                self.settling.add(str(order["id"]))
            customer = await ingest.upsert_customer(
                self.ctx,
                session,
                kind=mapping.KIND,
                external_id=mapping.customer_external_id(order),
                doc=customer_doc,
            )
            await ingest.upsert_order(
                self.ctx,
                session,
                kind=mapping.KIND,
                external_id=str(order["id"]),
                doc=doc,
                customer=customer.row,
                source_data={"display_id": order.get("display_id")},
            )

    async def _ingest_customers(self, session: Any, customers: list[dict[str, Any]]) -> None:
        for customer in customers:
            external_id = str(customer["id"])
            # A Medusa customer has no currency: keep the one their orders gave them.
            known = await ingest.find_customer(session, mapping.KIND, external_id)
            try:
                doc = mapping.customer_doc(
                    customer, currency=known.currency if known is not None else "EUR"
                )
            except ValueError as exc:
                log.warning("Medusa customer %s could not be read: %s", customer.get("id"), exc)
                continue
            await ingest.upsert_customer(
                self.ctx, session, kind=mapping.KIND, external_id=external_id, doc=doc
            )


def still_placing(doc: OrderDoc, now: datetime) -> bool:
    """Whether Medusa may still have been placing an order read at `now` as `doc`: placed less
    than `SETTLE_SECONDS` before, its payment pending (module docstring)."""
    recent = now - doc.placed_at < timedelta(seconds=SETTLE_SECONDS)
    return recent and doc.payment.status == "pending" and doc.status != "cancelled"


async def changed_rows(
    fetch: Fetch, since: datetime
) -> AsyncIterator[tuple[list[dict[str, Any]], datetime | None]]:
    """Pages of rows with `updated_at` ≥ `since`, oldest change first, each with the newest
    `updated_at` read so far. Pages go by that time rather than by offset (a row that changes
    meanwhile moves to the end, and an offset would then skip another); rows already read at
    that time are left out; a page whose rows all changed at one instant is stepped over by
    offset."""
    seen: set[tuple[str, str]] = set()
    offset = 0
    newest: datetime | None = None
    while True:
        rows = await fetch(since, offset)
        fresh = [r for r in rows if (str(r["id"]), str(r.get("updated_at"))) not in seen]
        times = [t for r in rows if (t := mapping.parse_time(r.get("updated_at"))) is not None]
        if times:
            newest = max([*times, *([newest] if newest else [])])
        yield fresh, newest
        if len(rows) < PAGE_SIZE or newest is None:
            return
        if newest > since:
            since, offset = newest, 0
            seen = {
                (str(r["id"]), str(r.get("updated_at")))
                for r in rows
                if mapping.parse_time(r.get("updated_at")) == newest
            }
        else:
            offset += len(rows)
