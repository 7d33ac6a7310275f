"""The Shopify connector at work: a durable inbox of webhook deliveries processed in order by one
worker (the webhook answers at once), a customer's history backfilled on first sight, periodic
reconciliation of the orders updated since the last one, and the four order actions performed
through the Admin GraphQL API.

The inbox table also carries the connector's own durable work: `backfill/customer` (a customer
seen for the first time) and `refresh/order` (an order to re-read), deduplicated like deliveries.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.money import to_major, to_minor
from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.messenger import redact
from agent_desktop.server.models import WebhookInboxRow, utcnow
from agent_desktop.server.readiness import StartsInBackground
from agent_desktop.server.shop import actions
from agent_desktop.server.shop.documents import OrderDoc, parse_time
from agent_desktop.server.shop.ingest import (
    Upserted,
    apply_order,
    find_customer,
    find_order,
    order_doc,
    upsert_customer,
    upsert_order,
)
from agent_desktop.server.shop.shopify import graphql_mapping, mapping, queries
from agent_desktop.server.shop.shopify.client import ShopifyClient, ShopifyError
from agent_desktop.server.shop.shopify.config import ShopifyConfig
from agent_desktop.server.shop.shopify.mapping import Json
from agent_desktop.server.shop.source import ActionOutcome, ActionRequest, StoredOrder

log = logging.getLogger("agent_desktop.server.shopify")
LOGGERS = ("agent_desktop.server.shopify", "agent_desktop.server.shop", "httpx", "httpcore")

KIND = "shopify"
SOURCE = "shopify"
TOPICS = (
    "orders/create", "orders/updated", "orders/cancelled", "orders/fulfilled",
    "orders/partially_fulfilled", "orders/paid", "orders/edited",
    "fulfillments/create", "fulfillments/update", "refunds/create",
    "returns/request", "returns/approve", "returns/decline", "returns/cancel", "returns/close",
    "returns/reopen", "returns/update", "customers/create", "customers/update",
)  # fmt: skip
MAX_ATTEMPTS = 5  # a delivery that fails this often is set aside (kept, with its error)
INBOX_BATCH = 50
WATERMARK_KEY = "shopify.reconciled_through"
RETURN_RANK = {"requested": 0, "open": 1, "in_transit": 1, "received": 2, "closed": 3,
               "declined": 3, "cancelled": 3}  # fmt: skip
CANCEL_POLL_SECONDS = 25.0
INBOX_JOB = "shopify-inbox"  # one instance applies deliveries (cluster.JOBS)
RECONCILE_JOB = "shopify-reconcile"


def sentence(verb: str, errors: Sequence[Mapping[str, Any]]) -> str:
    """Shopify's userErrors as one sentence for the agent."""
    messages = [str(e.get("message") or "").strip().rstrip(".") for e in errors]
    text = "; ".join(m for m in messages if m) or "no reason given"
    return f"Shopify refused to {verb}: {text}."


class _CustomerGone(Exception):
    """The customer whose orders were being read no longer exists in Shopify."""


def _customer_orders(data: Json) -> Json:
    customer = data.get("customer")
    if not isinstance(customer, Mapping):
        raise _CustomerGone
    return customer.get("orders") or {}


class ShopifyConnector(StartsInBackground):
    """Implements `OrderSource` for kind "shopify"; owns the inbox worker and reconciliation."""

    kind = KIND

    def __init__(
        self, ctx: ServerContext, config: ShopifyConfig, client: ShopifyClient | None = None
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.config = config
        self.client = client or ShopifyClient(config)
        self._wake = asyncio.Event()
        self._filter = redact.RedactingFilter(())
        self.reconciled_at: datetime | None = None

    # --- life cycle ---------------------------------------------------------------------------

    def launch(self) -> None:
        """Start the workers (needs a running loop); they stop when the server's context closes.
        Log records of the connector and of httpx never show the token or the secret."""
        self._filter = redact.RedactingFilter(self.config.secret_values())
        for name in LOGGERS:
            logging.getLogger(name).addFilter(self._filter)
        self.ctx.spawn(self._run(), name="shopify-connector")

    async def _run(self) -> None:
        """The inbox worker and the reconciliation run once across the server's instances (on
        PostgreSQL, on whichever holds their job); this task only keeps the client open."""
        try:
            self.ctx.on_wake(INBOX_JOB, self._wake.set)
            self.ctx.run_job(INBOX_JOB, self._inbox_loop)
            if self.config.reconcile_seconds > 0:
                self.ctx.run_job(RECONCILE_JOB, self._reconcile_loop)
            self._ready.set()
            await asyncio.Event().wait()  # until the server's context cancels it
        finally:
            await self.client.aclose()
            for name in LOGGERS:
                logging.getLogger(name).removeFilter(self._filter)

    # --- the inbox ----------------------------------------------------------------------------

    async def enqueue(self, topic: str, delivery_id: str, body: str) -> bool:
        """Store a delivery (or a piece of the connector's own work); False for a duplicate."""
        try:
            async with self.ctx.write(sequenced=False) as session:
                session.add(
                    WebhookInboxRow(
                        source=SOURCE,
                        delivery_id=delivery_id,
                        topic=topic,
                        body=body,
                        received_at=utcnow(),
                    )
                )
                await session.flush()
        except IntegrityError:
            return False
        self.ctx.wake(INBOX_JOB)  # the instance running the inbox job, maybe another
        return True

    async def _inbox_loop(self) -> None:
        while True:
            self._wake.clear()
            async with self.ctx.sessionmaker() as session:
                batch = list(
                    (
                        await session.execute(
                            select(WebhookInboxRow.seq, WebhookInboxRow.topic, WebhookInboxRow.body)
                            .where(
                                WebhookInboxRow.source == SOURCE,
                                WebhookInboxRow.processed_at.is_(None),
                            )
                            .order_by(WebhookInboxRow.seq)
                            .limit(INBOX_BATCH)
                        )
                    ).all()
                )
            if not batch:
                await self._wake.wait()
                continue
            failed = False
            for seq, topic, body in batch:
                failed |= not await self._handle(seq, topic, body)
            if failed:  # leave the failed ones for a while before trying them again
                try:
                    async with asyncio.timeout(5.0):
                        await self._wake.wait()
                except TimeoutError:
                    pass

    async def _handle(self, seq: int, topic: str, body: str) -> bool:
        try:
            await self.process(topic, json.loads(body))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Shopify out of reach (or the server stopping) is not the delivery's fault: it stays
            # queued however often that happens; anything else sets it aside after MAX_ATTEMPTS.
            transient = isinstance(exc, ShopifyError) and exc.transient
            transient |= isinstance(exc, httpx.HTTPError | RuntimeError)
            message = str(exc) if isinstance(exc, ShopifyError) else f"{type(exc).__name__}: {exc}"
            log.warning("Shopify %s delivery %s failed: %s", topic, seq, message)
            async with self.ctx.write(sequenced=False) as session:
                row = await session.get(WebhookInboxRow, seq)
                if row is not None:
                    row.attempts += 1
                    row.error = message[:2000]
                    if row.attempts >= MAX_ATTEMPTS and not transient:
                        row.processed_at = utcnow()
            return False
        async with self.ctx.write(sequenced=False) as session:
            await session.execute(
                update(WebhookInboxRow)
                .where(WebhookInboxRow.seq == seq)
                .values(processed_at=utcnow(), error=None)
            )
        return True

    async def process(self, topic: str, payload: Any) -> None:
        """Apply one delivery (or one piece of own work) to the shop model."""
        if not isinstance(payload, Mapping):
            raise ValueError("the body is not a JSON object")
        if topic.startswith("orders/"):
            mapped = mapping.rest_order(payload)
            async with self.ctx.write() as session:
                await self.store(session, mapped)
        elif topic.startswith("customers/"):
            await self._customer(payload)
        elif topic.startswith("fulfillments/") or topic == "refunds/create":
            await self._partial(mapping.gid("Order", payload.get("order_id")), topic, payload)
        elif topic.startswith("returns/"):
            order_id = mapping.return_order_id(payload)
            if order_id is None:
                raise ValueError("the return does not say which order it belongs to")
            await self._partial(order_id, topic, payload)
            await self.enqueue("refresh/order", f"refresh:{order_id}:{utcnow().isoformat()}",
                               json.dumps({"id": order_id}))  # fmt: skip
        elif topic == "backfill/customer":
            await self.backfill(str(payload["id"]))
        elif topic == "refresh/order":
            mapped_order = await self.fetch_order(str(payload["id"]))
            if mapped_order is not None:
                async with self.ctx.write() as session:
                    await self.store(session, mapped_order)
        else:
            log.info("Shopify: ignored a delivery of topic %s", topic)

    # --- storing --------------------------------------------------------------------------------

    async def store(self, session: AsyncSession, mapped: mapping.Mapped) -> Upserted:
        """Upsert an order read from Shopify and its customer (newest `updated_at` wins); a
        customer seen for the first time gets their history backfilled."""
        customer = await upsert_customer(
            self.ctx, session, kind=KIND, external_id=mapped.customer_external_id, doc=mapped.customer
        )  # fmt: skip
        doc = mapped.doc
        existing = await find_order(session, KIND, mapped.external_id)
        if existing is not None:
            doc = self._keep_newer_parts(existing, doc, mapped.has_returns)
        done = await upsert_order(
            self.ctx,
            session,
            kind=KIND,
            external_id=mapped.external_id,
            doc=doc,
            customer=customer.row,
            source_data=mapped.source_data,
        )
        if (
            customer.created
            and self.config.backfill
            and mapped.customer_external_id.startswith("gid://")
        ):
            self._after_commit_enqueue(session, "backfill/customer", mapped.customer_external_id)
        return done  # fmt: skip

    @staticmethod
    def _keep_newer_parts(existing: Any, doc: OrderDoc, has_returns: bool) -> OrderDoc:
        """What the stored order knows that `doc` does not: parcels updated (by their own
        webhooks) after `doc` was written, and returns when `doc` says nothing of them."""
        stored = order_doc(existing)
        seen = existing.source_data.get("fulfillments") or {}
        ids = {s.id for s in doc.shipments}
        written = doc.updated_at
        kept = [
            s for s in stored.shipments
            if s.id and s.id not in ids and written is not None
            and (at := parse_time(seen.get(s.id))) is not None and at > written
        ]  # fmt: skip
        update: dict[str, Any] = {}
        if kept:
            update["shipments"] = [*doc.shipments, *kept]
        if not has_returns and stored.returns:
            update["returns"] = stored.returns
        if not update:
            return doc
        merged = doc.model_copy(update=update)
        if merged.status != "cancelled":
            merged.status = mapping.order_status(merged.model_dump(mode="json"), None)
        return merged

    def _after_commit_enqueue(self, session: AsyncSession, topic: str, key: str) -> None:
        async def _queue() -> None:
            await self.enqueue(topic, f"{topic}:{key}", json.dumps({"id": key}))

        services.after_commit(session, _queue)

    async def _customer(self, payload: Mapping[str, Any]) -> None:
        external = mapping.gid("Customer", payload.get("admin_graphql_api_id") or payload.get("id"))
        doc = mapping.rest_customer(payload)
        async with self.ctx.write() as session:
            done = await upsert_customer(
                self.ctx, session, kind=KIND, external_id=external, doc=doc
            )
            if done.created and self.config.backfill:
                self._after_commit_enqueue(session, "backfill/customer", external)

    async def _partial(self, order_id: str, topic: str, payload: Mapping[str, Any]) -> None:
        """A fulfillment, refund or return of an order: merged into the stored order; an order
        not seen yet is read whole from the API."""
        async with self.ctx.sessionmaker() as session:
            known = await find_order(session, KIND, order_id) is not None
        if not known:
            mapped = await self.fetch_order(order_id)
            if mapped is None:
                raise ShopifyError(f"Shopify has no order {order_id}.")
            async with self.ctx.write() as session:
                await self.store(session, mapped)
            return
        async with self.ctx.write() as session:
            row = await find_order(session, KIND, order_id)
            assert row is not None
            skus = {v: k for k, v in (row.source_data.get("line_items") or {}).items()}
            data = order_doc(row).model_dump(mode="json")
            seen: dict[str, Any] = dict(row.source_data.get("fulfillments") or {})
            if topic.startswith("fulfillments/"):
                shipment = mapping.rest_fulfillment(payload, skus)
                at = parse_time(payload.get("updated_at"))
                before = parse_time(seen.get(shipment["id"]))
                if at is not None and before is not None and at < before:
                    return  # an older state of this parcel than the one stored
                data["shipments"] = mapping.merge_shipment(data["shipments"], shipment)
                if at is not None:
                    seen[shipment["id"]] = at.isoformat()
            elif topic == "refunds/create":
                refund = mapping.rest_refund(payload, row.currency, skus)
                if any(r["id"] == refund["id"] for r in data["refunds"]):
                    return
                data["refunds"].append(refund)
                refunded = sum(r["amount"] for r in data["refunds"])
                data["payment"]["status"] = (
                    "refunded" if refunded >= row.total else "partially_refunded"
                )
            else:
                ret = mapping.rest_return(payload, skus)
                current = next((r for r in data["returns"] if r["id"] == ret["id"]), None)
                if current is None:
                    data["returns"].append(ret)
                elif topic == "returns/reopen" or RETURN_RANK.get(
                    ret["status"], 0
                ) >= RETURN_RANK.get(current["status"], 0):
                    current["status"] = ret["status"]
                    current["items"] = ret["items"] or current["items"]
            if data["status"] != "cancelled":
                data["status"] = mapping.order_status(data, None)
            doc = OrderDoc.model_validate(data)  # the order's own updated_at stays as it was
            await apply_order(self.ctx, session, row, doc, force=True, source_data={"fulfillments": seen})  # fmt: skip

    # --- reading through the API ----------------------------------------------------------------

    async def fetch_order(self, order_id: str) -> mapping.Mapped | None:
        data = await self.client.query(queries.ORDER, {"id": order_id}, operation="Order")
        node = data.get("order")
        return graphql_mapping.graphql_order(node) if isinstance(node, Mapping) else None

    async def _order_pages(
        self,
        query: str,
        variables: dict[str, Any],
        operation: str,
        orders_of: Callable[[Json], Json],
    ) -> AsyncIterator[list[mapping.Mapped]]:
        """The orders of a paginated connection, mapped, a page at a time until the last one
        (`orders_of` finds the connection in an answer)."""
        after: str | None = None
        while True:
            data = await self.client.query(
                query,
                {**variables, "first": queries.ORDERS_PER_PAGE, "after": after},
                operation=operation,
            )
            page = orders_of(data)
            yield [graphql_mapping.graphql_order(node) for node in mapping._nodes(page)]
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage") or not info.get("endCursor"):
                return
            after = str(info["endCursor"])

    async def backfill(self, customer_id: str) -> int:
        """Every order of a customer, newest first, page by page; returns how many were read."""
        count = 0
        pages = self._order_pages(
            queries.CUSTOMER_ORDERS, {"id": customer_id}, "CustomerOrders", _customer_orders
        )
        try:
            async for orders in pages:
                async with self.ctx.write() as session:
                    for mapped in orders:
                        await self.store(session, mapped)
                count += len(orders)
        except _CustomerGone:
            return count
        async with self.ctx.write() as session:
            row = await find_customer(session, KIND, customer_id)
            if row is not None:
                row.source_data = {**(row.source_data or {}), "backfilled_at": utcnow().isoformat()}
        return count

    async def reconcile(self) -> int:
        """Read every order updated since the last reconciliation (the first time: the last
        `initial_days`); returns how many were read."""
        async with self.ctx.sessionmaker() as session:
            mark = await services.get_meta(session, WATERMARK_KEY)
        since = parse_time(mark) or (utcnow() - timedelta(days=self.config.initial_days))
        # Shopify's search is by the second; overlap a little, newest-wins makes it harmless.
        stamp = (since - timedelta(seconds=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        newest = since
        count = 0
        pages = self._order_pages(
            queries.ORDERS_UPDATED_SINCE,
            {"query": f"updated_at:>'{stamp}'"},
            "OrdersUpdatedSince",
            lambda data: data.get("orders") or {},
        )
        async for orders in pages:
            async with self.ctx.write() as session:
                for mapped in orders:
                    await self.store(session, mapped)
                    if mapped.doc.updated_at is not None and mapped.doc.updated_at > newest:
                        newest = mapped.doc.updated_at
            count += len(orders)
        async with self.ctx.write() as session:
            await services.set_meta(session, WATERMARK_KEY, newest.isoformat())
        self.reconciled_at = utcnow()
        return count

    async def _reconcile_loop(self) -> None:
        while True:
            try:
                read = await self.reconcile()
                log.info("Shopify reconciliation: %d orders read", read)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("Shopify reconciliation failed: %s", exc)
            await asyncio.sleep(self.config.reconcile_seconds)

    # --- the actions (OrderSource) --------------------------------------------------------------

    async def _done(self, order_id: str, **fields: Any) -> ActionOutcome:
        mapped = await self.fetch_order(order_id)
        return ActionOutcome("done", order=mapped.doc if mapped else None, **fields)

    async def cancel(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        order_id = str(stored.external_id)
        data = await self.client.query(
            queries.ORDER_CANCEL,
            {"orderId": order_id, "reason": "CUSTOMER", "notify": request.notify_customer,
             "note": request.reason[:255] or None},
            operation="OrderCancel",
        )  # fmt: skip
        payload = data.get("orderCancel") or {}
        errors = payload.get("orderCancelUserErrors") or payload.get("userErrors") or []
        if errors:
            return ActionOutcome.failed(sentence("cancel the order", errors))
        job = payload.get("job") or {}
        if (
            not job.get("done")
            and job.get("id")
            and not await self._wait_job(str(job["id"]), CANCEL_POLL_SECONDS)
        ):
            self.ctx.spawn(
                self._finish_cancel(request.key, order_id, str(job["id"])), name="shopify-cancel"
            )
            return ActionOutcome("in_progress", external_id=str(job["id"]))  # fmt: skip
        return await self._cancelled(order_id, str(job.get("id") or ""))

    async def _wait_job(self, job_id: str, within: float) -> bool:
        delay, waited = 0.25, 0.0
        while waited < within:
            data = await self.client.query(queries.JOB, {"id": job_id}, operation="Job")
            if (data.get("job") or {}).get("done"):
                return True
            await asyncio.sleep(delay)
            waited += delay
            delay = min(4.0, delay * 2)
        return False

    async def _cancelled(self, order_id: str, job_id: str) -> ActionOutcome:
        mapped = await self.fetch_order(order_id)
        if mapped is None or mapped.doc.cancelled_at is None:
            return ActionOutcome.failed(
                "Shopify finished the cancellation but the order is not cancelled; check it in "
                "Shopify's admin."
            )
        return ActionOutcome("done", order=mapped.doc, external_id=job_id or None)

    async def _finish_cancel(self, action_id: str, order_id: str, job_id: str) -> None:
        try:
            done = await self._wait_job(job_id, 600.0)
            outcome = (
                await self._cancelled(order_id, job_id)
                if done
                else ActionOutcome.failed("Shopify's cancellation did not finish in ten minutes; check the order in Shopify's admin.")
            )  # fmt: skip
        except ShopifyError as exc:
            outcome = ActionOutcome.failed(str(exc))
        await actions.finish(self.ctx, action_id, outcome)

    async def refund(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        order_id = str(stored.external_id)
        currency = stored.order.currency
        line_ids: dict[str, str] = stored.source_data.get("line_items") or {}
        lines = []
        for item in request.items:
            if item.sku not in line_ids:
                return ActionOutcome.failed(f"Shopify's order has no line with the SKU {item.sku}.")
            lines.append({"lineItemId": line_ids[item.sku], "quantity": item.quantity, "restockType": "NO_RESTOCK"})  # fmt: skip
        data = await self.client.query(
            queries.SUGGESTED_REFUND,
            {"id": order_id, "lines": [{"lineItemId": x["lineItemId"], "quantity": x["quantity"]} for x in lines] or None},
            operation="SuggestedRefund",
        )  # fmt: skip
        order = data.get("order") or {}
        suggested = (order.get("suggestedRefund") or {}).get("suggestedTransactions") or []
        parents = [
            (str((t.get("parentTransaction") or {}).get("id") or ""), str(t.get("gateway") or ""),
             to_minor(str(((t.get("amountSet") or {}).get("presentmentMoney") or {}).get("amount") or 0), currency))
            for t in suggested if (t.get("parentTransaction") or {}).get("id")
        ] or [
            (str(t["id"]), str(t.get("gateway") or ""),
             to_minor(str(((t.get("amountSet") or {}).get("presentmentMoney") or {}).get("amount") or 0), currency))
            for t in order.get("transactions") or []
            if str(t.get("kind")).upper() in ("SALE", "CAPTURE") and str(t.get("status")).upper() == "SUCCESS"
        ]  # fmt: skip
        left = int(request.amount or 0)
        transactions = []
        for parent_id, gateway, available in parents:
            if left <= 0:
                break
            take = min(left, available) if available > 0 else left
            transactions.append({"orderId": order_id, "parentId": parent_id, "gateway": gateway,
                                 "kind": "REFUND", "amount": to_major(take, currency)})  # fmt: skip
            left -= take
        if not transactions or left > 0:
            return ActionOutcome.failed(
                "Shopify has no payment on this order that can take this refund; refund it in "
                "Shopify's admin."
            )
        refund_input = {
            "orderId": order_id,
            "note": request.reason or None,
            "notify": request.notify_customer,
            "currency": currency,
            "refundLineItems": lines,
            "transactions": transactions,
        }
        data = await self.client.query(
            queries.REFUND_CREATE, {"input": refund_input, "key": request.key}, operation="RefundCreate"
        )  # fmt: skip
        payload = data.get("refundCreate") or {}
        if payload.get("userErrors"):
            return ActionOutcome.failed(sentence("make the refund", payload["userErrors"]))
        refund = payload.get("refund") or {}
        return await self._done(order_id, external_id=refund.get("id"))

    async def create_return(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        order_id = str(stored.external_id)
        data = await self.client.query(queries.FULFILLMENT_LINES, {"id": order_id}, operation="FulfillmentLines")  # fmt: skip
        order = data.get("order") or {}
        in_returns: dict[str, int] = {}
        for ret in mapping._nodes(order.get("returns")):
            status = str(ret.get("status") or "").upper()
            for line in mapping._nodes(ret.get("returnLineItems")):
                line_id = str((line.get("fulfillmentLineItem") or {}).get("id") or "")
                if status not in ("REQUESTED", "DECLINED", "CANCELED"):
                    in_returns[line_id] = in_returns.get(line_id, 0) + int(
                        line.get("quantity") or 0
                    )
        requested = self._requested_return(order, request)
        if requested is not None:
            data = await self.client.query(queries.RETURN_APPROVE, {"id": requested}, operation="ReturnApproveRequest")  # fmt: skip
            payload = data.get("returnApproveRequest") or {}
            if payload.get("userErrors"):
                return ActionOutcome.failed(sentence("approve the customer's return request", payload["userErrors"]))  # fmt: skip
            return await self._done(order_id, external_id=requested)
        available: list[tuple[str, str, int]] = []
        for f in order.get("fulfillments") or []:
            if str(f.get("status") or "").upper() not in ("SUCCESS", ""):
                continue
            for fli in mapping._nodes(f.get("fulfillmentLineItems")):
                sku = mapping.sku_of(fli.get("lineItem") or {})
                left = int(fli.get("quantity") or 0) - in_returns.get(str(fli.get("id")), 0)
                if left > 0:
                    available.append((sku, str(fli["id"]), left))
        lines = []
        for item in request.items:
            wanted = item.quantity
            for sku, fli_id, left in available:
                if sku != item.sku or wanted <= 0:
                    continue
                take = min(wanted, left)
                lines.append({"fulfillmentLineItemId": fli_id, "quantity": take,
                              "returnReason": "OTHER", "returnReasonNote": request.reason[:255]})  # fmt: skip
                wanted -= take
            if wanted > 0:
                return ActionOutcome.failed(
                    f"Shopify shows fewer {item.sku} delivered than {item.quantity}, so the return "
                    "cannot be made there yet."
                )
        data = await self.client.query(
            queries.RETURN_CREATE,
            {"input": {"orderId": order_id, "returnLineItems": lines, "notifyCustomer": request.notify_customer}},
            operation="ReturnCreate",
        )  # fmt: skip
        payload = data.get("returnCreate") or {}
        if payload.get("userErrors"):
            return ActionOutcome.failed(sentence("create the return", payload["userErrors"]))
        made = payload.get("return") or {}
        return await self._done(order_id, external_id=made.get("id"))

    def _requested_return(self, order: Mapping[str, Any], request: ActionRequest) -> str | None:
        """A return the customer requested in Shopify for exactly these items: approving it is
        the return the agent asks for."""
        lines_by_fli = {
            str(fli["id"]): mapping.sku_of(fli.get("lineItem") or {})
            for f in order.get("fulfillments") or []
            for fli in mapping._nodes(f.get("fulfillmentLineItems"))
            if fli.get("id")
        }
        wanted = {(i.sku, i.quantity) for i in request.items}
        for ret in mapping._nodes(order.get("returns")):
            if str(ret.get("status") or "").upper() != "REQUESTED":
                continue
            items: dict[str, int] = {}
            for line in mapping._nodes(ret.get("returnLineItems")):
                sku = lines_by_fli.get(str((line.get("fulfillmentLineItem") or {}).get("id")), "")
                items[sku] = items.get(sku, 0) + int(line.get("quantity") or 0)
            if set(items.items()) == wanted:
                return str(ret["id"])
        return None

    async def change_address(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        assert request.address is not None
        order_id = str(stored.external_id)
        address = request.address
        country = address.country.strip().upper()
        if len(country) != 2 or not country.isalpha():
            return ActionOutcome.failed(
                "Shopify needs the country as its two-letter code (FR, GB, VN…)."
            )
        first, _, last = address.name.strip().partition(" ")
        shipping = {
            "firstName": first or None,
            "lastName": last or None,
            "address1": address.line1,
            "address2": address.line2 or None,
            "city": address.city,
            "zip": address.postal_code or None,
            "countryCode": country,
        }
        data = await self.client.query(
            queries.ORDER_UPDATE, {"input": {"id": order_id, "shippingAddress": shipping}}, operation="OrderUpdate"
        )  # fmt: skip
        payload = data.get("orderUpdate") or {}
        if payload.get("userErrors"):
            return ActionOutcome.failed(sentence("change the address", payload["userErrors"]))
        mapped = await self.fetch_order(order_id)
        now = mapped.doc.shipping_address if mapped else None
        if now is None or (now.line1, now.city) != (address.line1, address.city):
            return ActionOutcome.failed(
                "Shopify accepted the change but the order's address is still the old one; the "
                "fulfillment may already be with a warehouse: check the order in Shopify's admin."
            )
        return ActionOutcome("done", order=mapped.doc if mapped else None)
