"""A loopback stand-in for a Shopify store: the Admin GraphQL API (2026-10) for the operations the
connector sends, the client-credentials token endpoint, a cost bucket that throttles, and a
webhook sender that signs bodies like Shopify does.

Orders live here in the REST shape of Shopify's own sample webhook bodies
(tests/fixtures/shopify/*.webhook.json, copied from shopify.dev): `make_order` starts from the
`orders/create` sample, so webhooks send exactly that shape, and GraphQL answers are built from it
(GIDs, camelCase, MoneyBags with presentment money as amounts in strings). Mutations answer with
userErrors the way Shopify documents them (`return_decline_request.user-errors…json`).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from agent_desktop.loopback import free_port

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "shopify"
VERSION = "2026-10"
SHOP = "test-shop.myshopify.com"
ZERO_DECIMAL = {"JPY", "VND", "KRW"}


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def money(amount: str, currency: str) -> dict[str, Any]:
    return {
        "shop_money": {"amount": amount, "currency_code": currency},
        "presentment_money": {"amount": amount, "currency_code": currency},
    }


def fmt(value: Decimal, currency: str) -> str:
    return f"{value:.0f}" if currency in ZERO_DECIMAL else f"{value:.2f}"


def gql_money(rest_set: dict[str, Any] | None) -> dict[str, Any] | None:
    if not rest_set:
        return None
    p = rest_set.get("presentment_money") or rest_set.get("shop_money") or {}
    s = rest_set.get("shop_money") or p
    return {
        "presentmentMoney": {"amount": p.get("amount"), "currencyCode": p.get("currency_code")},
        "shopMoney": {"amount": s.get("amount"), "currencyCode": s.get("currency_code")},
    }


_ids = itertools.count(5_000_000_000_000_001)  # above 2^53 like Shopify's own sample ids


def new_id() -> int:
    return next(_ids)


@dataclass
class FakeShopify:
    """The store's state and the HTTP app. Thread-safe: the server under test calls it from its
    own process while the test changes it."""

    secret: str = "shpss_test_client_secret_9c2f"
    client_id: str = "fake-client-id"
    static_token: str = "shpat_test_static_token_1a2b"
    port: int = field(default_factory=free_port)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)  # GID → REST order
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)  # GID → REST customer
    transactions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    bucket_max: float = 2000.0
    restore_rate: float = 100.0
    throttled_responses: int = 0
    refuse: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # op → userErrors
    drop_after_commit: set[str] = field(default_factory=set)  # ops answered 503 after acting
    sticky_address: bool = False  # orderUpdate "succeeds" without changing the address
    job_polls: int = 2  # Job queries before a cancel job is done
    gate: threading.Event = field(default_factory=threading.Event)  # cleared: the API blocks
    issued_tokens: set[str] = field(default_factory=set)
    _available: float = 2000.0
    _at: float = field(default_factory=time.monotonic)
    _jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _idempotent: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.gate.set()
        self._available = self.bucket_max

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- the store ------------------------------------------------------------------------------

    def make_customer(self, first: str, last: str, **kw: Any) -> dict[str, Any]:
        sample = load("orders_create.webhook.json")["customer"]
        cid = new_id()
        customer = {
            **copy.deepcopy(sample),
            "id": cid,
            "admin_graphql_api_id": f"gid://shopify/Customer/{cid}",
            "first_name": first,
            "last_name": last,
            "email": kw.pop("email", f"c{cid}@example.test"),
            "phone": kw.pop("phone", None),
            "created_at": iso(datetime.now(UTC) - timedelta(days=400)),
            "updated_at": iso(datetime.now(UTC)),
            **kw,
        }
        with self._lock:
            self.customers[customer["admin_graphql_api_id"]] = customer
        return customer

    def make_order(
        self,
        customer: dict[str, Any] | None,
        *,
        currency: str = "EUR",
        lines: list[tuple[str, str, int, str]] | None = None,
        shipping: str = "4.90",
        discount: str = "0",
        created: datetime | None = None,
    ) -> dict[str, Any]:
        """An order built from Shopify's `orders/create` sample, made consistent: paid, open,
        unfulfilled, with `lines` [(sku, title, quantity, unit price)] in `currency`."""
        order = load("orders_create.webhook.json")
        oid = new_id()
        lines = lines or [("MUG-BLUE", "Mug bleu", 2, "14.50")]
        at = created or datetime.now(UTC) - timedelta(days=3)
        line_items = []
        for sku, title, quantity, price in lines:
            li = copy.deepcopy(order["line_items"][0])
            lid = new_id()
            li.update({
                "id": lid, "admin_graphql_api_id": f"gid://shopify/LineItem/{lid}", "sku": sku,
                "name": title, "title": title, "quantity": quantity, "current_quantity": quantity,
                "fulfillable_quantity": quantity, "price": price, "price_set": money(price, currency),
                "fulfillment_status": None,
            })  # fmt: skip
            line_items.append(li)
        subtotal = sum(Decimal(p) * q for _, _, q, p in lines)
        total = subtotal - Decimal(discount) + Decimal(shipping)
        number = 1000 + oid % 100_000
        order.update({
            "id": oid, "admin_graphql_api_id": f"gid://shopify/Order/{oid}",
            "name": f"#{number}", "number": number, "order_number": number,
            "currency": currency, "presentment_currency": currency,
            "created_at": iso(at), "processed_at": iso(at), "updated_at": iso(at),
            "cancelled_at": None, "cancel_reason": None, "closed_at": None,
            "financial_status": "paid", "fulfillment_status": None,
            "line_items": line_items, "fulfillments": [], "refunds": [], "returns": [], "_returns": [],
            "total_line_items_price": fmt(subtotal, currency),
            "total_line_items_price_set": money(fmt(subtotal, currency), currency),
            "total_discounts": fmt(Decimal(discount), currency),
            "total_discounts_set": money(fmt(Decimal(discount), currency), currency),
            "total_shipping_price_set": money(fmt(Decimal(shipping), currency), currency),
            "total_tax": fmt(Decimal(0), currency), "total_tax_set": money(fmt(Decimal(0), currency), currency),
            "total_price": fmt(total, currency), "total_price_set": money(fmt(total, currency), currency),
            "discount_codes": [{"code": "WELCOME", "amount": fmt(Decimal(discount), currency), "type": "fixed_amount"}]
            if Decimal(discount) else [],
            "customer": copy.deepcopy(customer) if customer else None,
            "email": customer["email"] if customer else "guest@example.test",
        })  # fmt: skip
        gid = order["admin_graphql_api_id"]
        with self._lock:
            self.orders[gid] = order
            tx = new_id()
            self.transactions[gid] = [{
                "id": f"gid://shopify/OrderTransaction/{tx}", "kind": "SALE", "status": "SUCCESS",
                "gateway": "shopify_payments", "amount": fmt(total, currency),
            }]  # fmt: skip
        return order

    def touch(self, order: dict[str, Any], at: datetime | None = None) -> None:
        order["updated_at"] = iso(at or datetime.now(UTC))

    def fulfill(
        self,
        order: dict[str, Any],
        *,
        skus: list[str] | None = None,
        company: str = "Colissimo",
        number: str | None = None,
        shipment_status: str | None = "in_transit",
    ) -> dict[str, Any]:
        """A fulfillment (built from the `fulfillments/create` sample) of `skus` (all lines when
        None); returns the REST fulfillment as the webhook sends it."""
        sample = load("fulfillments_create.webhook.json")
        fid = new_id()
        chosen = [li for li in order["line_items"] if skus is None or li["sku"] in skus]
        number = number or f"6A{fid % 10**11:011d}"
        fulfillment = {
            **sample, "id": fid, "admin_graphql_api_id": f"gid://shopify/Fulfillment/{fid}",
            "order_id": order["id"], "status": "success", "tracking_company": company,
            "tracking_number": number, "tracking_numbers": [number],
            "tracking_url": f"https://track.example/{number}", "tracking_urls": [f"https://track.example/{number}"],
            "shipment_status": shipment_status, "name": f"{order['name']}.{len(order['fulfillments']) + 1}",
            "created_at": iso(datetime.now(UTC)), "updated_at": iso(datetime.now(UTC)),
            "line_items": [{**copy.deepcopy(li), "fulfillment_line_item_id": new_id()} for li in chosen],
        }  # fmt: skip
        with self._lock:
            order["fulfillments"].append(fulfillment)
            done = {li["id"] for f in order["fulfillments"] for li in f["line_items"]}
            everything = all(li["id"] in done for li in order["line_items"])
            order["fulfillment_status"] = "fulfilled" if everything else "partial"
            self.touch(order)
        return fulfillment

    def set_shipment_status(self, fulfillment: dict[str, Any], status: str) -> dict[str, Any]:
        with self._lock:
            fulfillment["shipment_status"] = status
            fulfillment["updated_at"] = iso(datetime.now(UTC))
            for order in self.orders.values():
                if order["id"] == fulfillment["order_id"]:
                    self.touch(order)
        return fulfillment

    # --- webhooks ---------------------------------------------------------------------------

    def sign(self, body: bytes, secret: str | None = None) -> str:
        mac = hmac.new((secret or self.secret).encode(), body, hashlib.sha256).digest()
        return base64.b64encode(mac).decode()

    def send(
        self,
        url: str,
        topic: str,
        payload: dict[str, Any] | bytes,
        *,
        webhook_id: str | None = None,
        secret: str | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        """POST a delivery the way Shopify does (raw JSON bytes, HMAC of exactly those bytes).
        The store's own bookkeeping (keys starting with "_") is not part of a body."""
        if isinstance(payload, dict):
            payload = {k: v for k, v in payload.items() if not k.startswith("_")}
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": signature
            if signature is not None
            else self.sign(body, secret),
            "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-API-Version": VERSION,
            "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
            "X-Shopify-Triggered-At": iso(datetime.now(UTC)),
            "X-Shopify-Event-Id": str(uuid.uuid4()),
        }
        return httpx.post(f"{url}/webhooks/shopify", content=body, headers=headers, timeout=15)

    # --- GraphQL views ------------------------------------------------------------------------

    def node(self, order: dict[str, Any]) -> dict[str, Any]:
        """The order as the connector's ORDER_FIELDS fragment reads it."""
        currency = order["presentment_currency"]
        lines = {li["id"]: li for li in order["line_items"]}

        def line_ref(li: dict[str, Any]) -> dict[str, Any]:
            return {"id": li["admin_graphql_api_id"], "sku": li["sku"]}

        customer = order.get("customer")
        status = order["fulfillment_status"]
        return {
            "id": order["admin_graphql_api_id"], "legacyResourceId": str(order["id"]),
            "name": order["name"], "createdAt": order["created_at"], "processedAt": order["processed_at"],
            "updatedAt": order["updated_at"], "cancelledAt": order["cancelled_at"],
            "cancelReason": order.get("cancel_reason"), "email": order.get("email"),
            "customerLocale": order.get("customer_locale"),
            "displayFinancialStatus": str(order["financial_status"]).upper(),
            "displayFulfillmentStatus": {"fulfilled": "FULFILLED", "partial": "PARTIALLY_FULFILLED"}.get(status or "", "UNFULFILLED"),
            "currencyCode": order["currency"], "presentmentCurrencyCode": currency,
            "paymentGatewayNames": order.get("payment_gateway_names") or [],
            "discountCodes": [d["code"] for d in order.get("discount_codes") or []],
            "totalPriceSet": gql_money(order["total_price_set"]),
            "totalTaxSet": gql_money(order["total_tax_set"]),
            "totalShippingPriceSet": gql_money(order["total_shipping_price_set"]),
            "totalDiscountsSet": gql_money(order["total_discounts_set"]),
            "customer": None if not customer else {
                "id": customer["admin_graphql_api_id"], "firstName": customer.get("first_name"),
                "lastName": customer.get("last_name"), "displayName": f"{customer.get('first_name')} {customer.get('last_name')}",
                "locale": customer.get("locale"), "updatedAt": customer.get("updated_at"),
                "defaultEmailAddress": {"emailAddress": customer.get("email")} if customer.get("email") else None,
                "defaultPhoneNumber": {"phoneNumber": customer.get("phone")} if customer.get("phone") else None,
            },
            "shippingAddress": None if not order.get("shipping_address") else {
                **{k: order["shipping_address"].get(k) for k in ("name", "address1", "address2", "city", "zip")},
                "firstName": order["shipping_address"].get("first_name"),
                "lastName": order["shipping_address"].get("last_name"),
                "countryCodeV2": order["shipping_address"].get("country_code"),
            },
            "lineItems": {"nodes": [
                {"id": li["admin_graphql_api_id"], "name": li["name"], "sku": li["sku"], "quantity": li["quantity"],
                 "originalUnitPriceSet": gql_money(li["price_set"])}
                for li in order["line_items"]
            ]},
            "fulfillments": [
                {
                    "id": f["admin_graphql_api_id"], "name": f["name"], "status": str(f["status"]).upper(),
                    "displayStatus": str(f.get("shipment_status") or "fulfilled").upper(),
                    "createdAt": f["created_at"], "updatedAt": f["updated_at"],
                    "deliveredAt": None, "estimatedDeliveryAt": None,
                    "trackingInfo": [{"company": f["tracking_company"], "number": f["tracking_number"], "url": f["tracking_url"]}],
                    "events": {"nodes": [{"status": str(f.get("shipment_status") or "confirmed").upper(),
                                          "happenedAt": f["updated_at"], "message": None, "city": "Lyon"}]},
                    "fulfillmentLineItems": {"nodes": [
                        {"id": f"gid://shopify/FulfillmentLineItem/{li['fulfillment_line_item_id']}",
                         "quantity": li["quantity"], "lineItem": line_ref(lines.get(li["id"], li))}
                        for li in f["line_items"]
                    ]},
                }
                for f in order["fulfillments"]
            ],
            "refunds": [
                {
                    "id": r["admin_graphql_api_id"], "createdAt": r["created_at"], "note": r.get("note"),
                    "totalRefundedSet": {"presentmentMoney": {"amount": fmt(sum(Decimal(t["amount"]) for t in r["transactions"]), currency), "currencyCode": currency}},
                    "refundLineItems": {"nodes": [
                        {"quantity": rli["quantity"], "lineItem": line_ref(lines[rli["line_item_id"]])}
                        for rli in r["refund_line_items"]
                    ]},
                }
                for r in order["refunds"]
            ],
            "returns": {"nodes": [self._return_node(order, r) for r in order["_returns"]]},
        }  # fmt: skip

    def _return_node(self, order: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
        flis = {
            str(li["fulfillment_line_item_id"]): li for f in order["fulfillments"] for li in f["line_items"]
        }  # fmt: skip
        return {
            "id": r["admin_graphql_api_id"], "name": r["name"], "status": r["status"].upper(),
            "createdAt": r["created_at"],
            "returnLineItems": {"nodes": [
                {"quantity": rli["quantity"], "returnReason": rli.get("return_reason", "OTHER"),
                 "fulfillmentLineItem": {"id": f"gid://shopify/FulfillmentLineItem/{rli['fli']}",
                                         "lineItem": {"id": flis[str(rli["fli"])]["admin_graphql_api_id"], "sku": flis[str(rli["fli"])]["sku"]}}}
                for rli in r["lines"]
            ]},
            "reverseFulfillmentOrders": {"nodes": [{"reverseDeliveries": {"nodes": [
                {"deliverable": {"tracking": {"carrierName": "Colissimo", "number": r["tracking"], "url": None}}}
            ]}}]} if r.get("tracking") else {"nodes": []},
        }  # fmt: skip

    def return_webhook(self, order: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
        """A returns/* body: the return with its order and lines (REST shape, numeric ids)."""
        flis = {
            str(li["fulfillment_line_item_id"]): li
            for f in order["fulfillments"]
            for li in f["line_items"]
        }
        return {
            "id": r["id"], "admin_graphql_api_id": r["admin_graphql_api_id"], "status": r["status"],
            "name": r["name"], "created_at": r["created_at"],
            "order": {"id": order["id"], "admin_graphql_api_id": order["admin_graphql_api_id"]},
            "return_line_items": [
                {"id": new_id(), "quantity": rli["quantity"], "return_reason": rli.get("return_reason", "other"),
                 "fulfillment_line_item": {"id": int(rli["fli"]), "line_item": {"id": flis[str(rli["fli"])]["id"],
                                                                                  "admin_graphql_api_id": flis[str(rli["fli"])]["admin_graphql_api_id"]}}}
                for rli in r["lines"]
            ],
        }  # fmt: skip

    def request_return(self, order: dict[str, Any], sku: str, quantity: int) -> dict[str, Any]:
        """The customer asks for a return in Shopify (status requested)."""
        fli = next(li for f in order["fulfillments"] for li in f["line_items"] if li["sku"] == sku)
        rid = new_id()
        ret = {
            "id": rid, "admin_graphql_api_id": f"gid://shopify/Return/{rid}", "status": "requested",
            "name": f"{order['name']}-R{len(order['_returns']) + 1}", "created_at": iso(datetime.now(UTC)),
            "lines": [{"fli": fli["fulfillment_line_item_id"], "quantity": quantity, "return_reason": "size_too_small"}],
        }  # fmt: skip
        with self._lock:
            order["_returns"].append(ret)
            self.touch(order)
        return ret

    # --- the cost bucket --------------------------------------------------------------------------

    COSTS: ClassVar[dict[str, int]] = {"Order": 210, "CustomerOrders": 850, "OrdersUpdatedSince": 850,
             "FulfillmentLines": 80, "SuggestedRefund": 15, "Job": 1}  # fmt: skip

    def _charge(self, operation: str) -> tuple[bool, dict[str, Any]]:
        cost = float(self.COSTS.get(operation, 10))
        now = time.monotonic()
        self._available = min(
            self.bucket_max, self._available + (now - self._at) * self.restore_rate
        )
        self._at = now
        ok = self._available >= cost
        if ok:
            self._available -= cost
        status = {"maximumAvailable": self.bucket_max, "currentlyAvailable": int(self._available),
                  "restoreRate": self.restore_rate}  # fmt: skip
        return ok, {"requestedQueryCost": cost, "actualQueryCost": cost if ok else None,
                    "throttleStatus": status}  # fmt: skip

    # --- the HTTP app -------------------------------------------------------------------------

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/admin/oauth/access_token")
        async def token(request: Request) -> JSONResponse:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            if form.get("client_id") != self.client_id or form.get("client_secret") != self.secret:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            issued = f"shpat_cc_{uuid.uuid4().hex}"
            with self._lock:
                self.issued_tokens.add(issued)
            return JSONResponse(
                {"access_token": issued, "scope": "read_orders,write_orders", "expires_in": 86399}
            )

        @app.post("/admin/api/{version}/graphql.json")
        async def graphql(version: str, request: Request) -> JSONResponse:
            if version != VERSION:
                return JSONResponse({"errors": "Not Found"}, status_code=404)
            token = request.headers.get("x-shopify-access-token", "")
            if token != self.static_token and token not in self.issued_tokens:
                return JSONResponse(
                    {"errors": "[API] Invalid API key or access token"}, status_code=401
                )
            body = await request.json()
            operation = str(body.get("operationName") or "")
            with self._lock:
                self.requests.append(
                    {
                        "operation": operation,
                        "variables": body.get("variables"),
                        "query": body.get("query"),
                    }
                )
            while not self.gate.is_set():  # a store that does not answer (yet)
                await _sleep(0.02)
            with self._lock:
                ok, cost = self._charge(operation)
                if not ok:
                    self.throttled_responses += 1
                    return JSONResponse(
                        {
                            "errors": [
                                {
                                    "message": "Throttled",
                                    "extensions": {
                                        "code": "THROTTLED",
                                        "documentation": "https://shopify.dev/api/usage/rate-limits",
                                    },
                                }
                            ],
                            "extensions": {"cost": cost},
                        }
                    )
                handler = getattr(self, f"_op_{operation}", None)
                if handler is None:
                    return JSONResponse({"errors": [{"message": f"Unknown operation {operation}"}]})
                data = handler(body.get("query") or "", body.get("variables") or {})
                if isinstance(data, JSONResponse):
                    return data
                if operation in self.drop_after_commit:
                    self.drop_after_commit.discard(operation)
                    return JSONResponse(
                        {"errors": "Service Unavailable"},
                        status_code=503,
                        headers={"Retry-After": "0.05"},
                    )
            return JSONResponse({"data": data, "extensions": {"cost": cost}})

        return app  # fmt: skip

    def operations(self, name: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if name is None or r["operation"] == name]

    def _order(self, gid: str) -> dict[str, Any] | None:
        return self.orders.get(gid)

    def _op_Order(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        order = self._order(v["id"])
        return {"order": self.node(order) if order else None}

    def _page(self, orders: list[dict[str, Any]], first: int, after: str | None) -> dict[str, Any]:
        start = int(base64.b64decode(after).decode()) if after else 0
        chunk = orders[start : start + first]
        end = start + len(chunk)
        return {
            "pageInfo": {"hasNextPage": end < len(orders), "endCursor": base64.b64encode(str(end).encode()).decode()},
            "nodes": [self.node(o) for o in chunk],
        }  # fmt: skip

    def _op_CustomerOrders(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        if v["id"] not in self.customers:
            return {"customer": None}
        mine = [
            o
            for o in self.orders.values()
            if (o.get("customer") or {}).get("admin_graphql_api_id") == v["id"]
        ]
        mine.sort(key=lambda o: o["created_at"], reverse=True)
        return {"customer": {"id": v["id"], "orders": self._page(mine, int(v["first"]), v.get("after"))}}  # fmt: skip

    def _op_OrdersUpdatedSince(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        match = re.match(r"updated_at:>'([^']+)'", v["query"])
        assert match, v["query"]
        since = datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
        changed = [
            o
            for o in self.orders.values()
            if datetime.fromisoformat(o["updated_at"].replace("Z", "+00:00")) > since
        ]
        changed.sort(key=lambda o: o["updated_at"])
        return {"orders": self._page(changed, int(v["first"]), v.get("after"))}  # fmt: skip

    def _op_FulfillmentLines(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        order = self._order(v["id"])
        if order is None:
            return {"order": None}
        node = self.node(order)
        return {
            "order": {
                "id": node["id"],
                "fulfillments": node["fulfillments"],
                "returns": node["returns"],
            }
        }

    def _refundable(self, order: dict[str, Any]) -> Decimal:
        paid = sum(Decimal(t["amount"]) for t in self.transactions[order["admin_graphql_api_id"]])
        refunded = sum(Decimal(t["amount"]) for r in order["refunds"] for t in r["transactions"])
        return paid - refunded

    def _op_SuggestedRefund(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        order = self._order(v["id"])
        assert order is not None
        currency = order["presentment_currency"]
        lines = {li["admin_graphql_api_id"]: li for li in order["line_items"]}
        amount = sum(
            (
                Decimal(lines[x["lineItemId"]]["price"]) * x["quantity"]
                for x in v.get("lines") or []
            ),
            Decimal(0),
        )
        sale = self.transactions[order["admin_graphql_api_id"]][0]
        suggested = (
            [
                {
                    "gateway": sale["gateway"],
                    "kind": "SUGGESTED_REFUND",
                    "amountSet": {
                        "presentmentMoney": {
                            "amount": fmt(amount, currency),
                            "currencyCode": currency,
                        }
                    },
                    "parentTransaction": {"id": sale["id"]},
                }
            ]
            if amount
            else []
        )
        return {"order": {"id": order["admin_graphql_api_id"],
                          "suggestedRefund": {"amountSet": {"presentmentMoney": {"amount": fmt(amount, currency), "currencyCode": currency}},
                                              "suggestedTransactions": suggested},
                          "transactions": [{"id": t["id"], "kind": t["kind"], "status": t["status"], "gateway": t["gateway"],
                                            "amountSet": {"presentmentMoney": {"amount": t["amount"], "currencyCode": currency}}}
                                           for t in self.transactions[order["admin_graphql_api_id"]]]}}  # fmt: skip

    def _refused(self, operation: str) -> list[dict[str, Any]] | None:
        queue = self.refuse.get(operation)
        return [queue.pop(0)] if queue else None

    def _op_OrderCancel(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        order = self._order(v["orderId"])
        assert order is not None
        errors = self._refused("OrderCancel")
        if errors is None and order["fulfillment_status"]:
            errors = [
                {
                    "field": ["orderId"],
                    "message": "Cannot cancel an order that has fulfillments",
                    "code": "INVALID",
                }
            ]
        if errors:
            return {"orderCancel": {"job": None, "orderCancelUserErrors": errors}}
        job_id = f"gid://shopify/Job/{uuid.uuid4()}"
        self._jobs[job_id] = {"order": order, "polls": self.job_polls, "reason": v["reason"]}
        return {"orderCancel": {"job": {"id": job_id, "done": False}, "orderCancelUserErrors": []}}  # fmt: skip

    def _op_Job(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        job = self._jobs[v["id"]]
        job["polls"] -= 1
        if job["polls"] <= 0 and not job.get("done"):
            order = job["order"]
            order["cancelled_at"] = iso(datetime.now(UTC))
            order["cancel_reason"] = "customer"
            self._refund(order, self._refundable(order), [], "Cancelled")
            order["financial_status"] = "refunded"
            self.touch(order)
            job["done"] = True
        return {"job": {"id": v["id"], "done": bool(job.get("done"))}}

    def _refund(
        self, order: dict[str, Any], amount: Decimal, lines: list[dict[str, Any]], note: str | None
    ) -> dict[str, Any]:
        rid = new_id()
        sample = load("refunds_create.webhook.json")
        currency = order["presentment_currency"]
        by_gid = {li["admin_graphql_api_id"]: li for li in order["line_items"]}
        refund = {
            **{k: sample[k] for k in ("duties", "total_duties_set", "return", "refund_shipping_lines", "restock", "order_adjustments", "user_id")},
            "id": rid, "admin_graphql_api_id": f"gid://shopify/Refund/{rid}", "order_id": order["id"],
            "created_at": iso(datetime.now(UTC)), "processed_at": iso(datetime.now(UTC)), "note": note,
            "refund_line_items": [
                {"id": new_id(), "quantity": x["quantity"], "line_item_id": by_gid[x["lineItemId"]]["id"],
                 "restock_type": "no_restock", "subtotal": float(Decimal(by_gid[x["lineItemId"]]["price"]) * x["quantity"]),
                 "total_tax": 0.0, "line_item": copy.deepcopy(by_gid[x["lineItemId"]])}
                for x in lines
            ],
            "transactions": [{**sample["transactions"][0], "id": new_id(), "order_id": order["id"], "kind": "refund",
                              "status": "success", "amount": fmt(amount, currency), "currency": currency}],
        }  # fmt: skip
        order["refunds"].append(refund)
        return refund

    def _op_RefundCreate(self, query: str, v: dict[str, Any]) -> Any:
        if "@idempotent" not in query:
            return JSONResponse({"errors": [{"message": "The @idempotent directive is required for this mutation.",
                                             "extensions": {"code": "BAD_REQUEST"}}]})  # fmt: skip
        key = v["key"]
        if key in self._idempotent:
            return self._idempotent[key]
        errors = self._refused("RefundCreate")
        data = v["input"]
        order = self._order(data["orderId"])
        assert order is not None
        currency = order["presentment_currency"]
        amount = sum((Decimal(t["amount"]) for t in data["transactions"]), Decimal(0))
        if errors is None and amount > self._refundable(order):
            errors = [
                {
                    "field": ["transactions", "0", "amount"],
                    "message": "Amount can't be greater than the refundable amount",
                }
            ]
        if errors is None and data.get("currency") != currency:
            errors = [
                {"field": ["currency"], "message": "Currency must match the presentment currency"}
            ]
        if errors:
            return {"refundCreate": {"refund": None, "userErrors": errors}}
        refund = self._refund(order, amount, data.get("refundLineItems") or [], data.get("note"))
        refunded = sum(Decimal(t["amount"]) for r in order["refunds"] for t in r["transactions"])
        order["financial_status"] = (
            "refunded" if refunded >= Decimal(order["total_price"]) else "partially_refunded"
        )
        self.touch(order)
        result = {
            "refundCreate": {
                "refund": {
                    "id": refund["admin_graphql_api_id"],
                    "createdAt": refund["created_at"],
                    "totalRefundedSet": {
                        "presentmentMoney": {
                            "amount": fmt(amount, currency),
                            "currencyCode": currency,
                        }
                    },
                },
                "userErrors": [],
            }
        }
        self._idempotent[key] = result
        return result  # fmt: skip

    def _op_ReturnCreate(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        data = v["input"]
        order = self._order(data["orderId"])
        assert order is not None
        errors = self._refused("ReturnCreate")
        flis = {
            f"gid://shopify/FulfillmentLineItem/{li['fulfillment_line_item_id']}": li
            for f in order["fulfillments"]
            for li in f["line_items"]
        }
        for line in data["returnLineItems"]:
            if errors is None and (
                line["fulfillmentLineItemId"] not in flis
                or line["quantity"] > flis[line["fulfillmentLineItemId"]]["quantity"]
            ):
                errors = [
                    {
                        "field": ["returnInput", "returnLineItems"],
                        "message": "Quantity is not available for return",
                        "code": "INVALID",
                    }
                ]
        if errors:
            return {"returnCreate": {"return": None, "userErrors": errors}}
        rid = new_id()
        ret = {
            "id": rid,
            "admin_graphql_api_id": f"gid://shopify/Return/{rid}",
            "status": "open",
            "name": f"{order['name']}-R{len(order['_returns']) + 1}",
            "created_at": iso(datetime.now(UTC)),
            "tracking": f"RT{rid % 10**9:09d}",
            "lines": [
                {
                    "fli": line["fulfillmentLineItemId"].rsplit("/", 1)[-1],
                    "quantity": line["quantity"],
                    "return_reason": line.get("returnReason", "OTHER"),
                }
                for line in data["returnLineItems"]
            ],
        }
        order["_returns"].append(ret)
        self.touch(order)
        return {"returnCreate": {"return": {"id": ret["admin_graphql_api_id"], "name": ret["name"], "status": "OPEN"}, "userErrors": []}}  # fmt: skip

    def _op_ReturnApproveRequest(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        for order in self.orders.values():
            for ret in order["_returns"]:
                if ret["admin_graphql_api_id"] == v["id"]:
                    if ret["status"] != "requested":
                        return {
                            "returnApproveRequest": {
                                "return": None,
                                "userErrors": load(
                                    "return_decline_request.user-errors.graphql-response.json"
                                )["returnDeclineRequest"]["userErrors"],
                            }
                        }
                    ret["status"] = "open"
                    self.touch(order)
                    return {
                        "returnApproveRequest": {
                            "return": {"id": v["id"], "name": ret["name"], "status": "OPEN"},
                            "userErrors": [],
                        }
                    }
        return {"returnApproveRequest": {"return": None, "userErrors": [{"field": ["input", "id"], "message": "Return does not exist", "code": "NOT_FOUND"}]}}  # fmt: skip

    def _op_OrderUpdate(self, query: str, v: dict[str, Any]) -> dict[str, Any]:
        data = v["input"]
        order = self._order(data["id"])
        assert order is not None
        errors = self._refused("OrderUpdate")
        if errors:
            return {"orderUpdate": {"order": None, "userErrors": errors}}
        a = data["shippingAddress"]
        if not self.sticky_address:
            order["shipping_address"] = {
                **order.get("shipping_address", {}),
                "first_name": a.get("firstName"),
                "last_name": a.get("lastName"),
                "name": " ".join(p for p in (a.get("firstName"), a.get("lastName")) if p),
                "address1": a["address1"],
                "address2": a.get("address2"),
                "city": a["city"],
                "zip": a.get("zip"),
                "country_code": a["countryCode"],
            }
            self.touch(order)
        return {"orderUpdate": {"order": {"id": data["id"]}, "userErrors": []}}  # fmt: skip


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


class FakeShopifyServer:
    """Runs a FakeShopify under uvicorn on 127.0.0.1 in a daemon thread."""

    def __init__(self, fake: FakeShopify | None = None) -> None:
        self.fake = fake or FakeShopify()
        config = uvicorn.Config(self.fake.app(), host="127.0.0.1", port=self.fake.port,
                                log_level="warning", lifespan="off")  # fmt: skip
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> FakeShopify:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Shopify did not start")
            time.sleep(0.01)
        return self.fake

    def stop(self) -> None:
        self.fake.gate.set()
        self._server.should_exit = True
        self._thread.join(timeout=10)
