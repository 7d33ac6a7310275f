"""`agent-desktop-server import FILE`: a shop's customers and orders from a JSON or CSV export,
through the same upserts as the ingest API (source kind "api"; newest `updated_at` wins; running
it twice changes nothing).

- JSON: `{"customers": [{"external_id", "name", …CustomerDoc}], "orders": [{"external_id",
  "customer_external_id", "number", …OrderDoc}]}`, in the API's own shapes (minor units).
- CSV: Shopify's order export (one row per line item, order fields on the order's first row;
  decimal amounts): Name, Email, Financial Status, Fulfillment Status, Fulfilled at, Currency,
  Subtotal, Shipping, Taxes, Total, Discount Code, Discount Amount, Created at, Cancelled at,
  Refunded Amount, Payment Method, Lineitem quantity/name/price/sku, Billing Name, Shipping Name,
  Shipping Address1/Address2/City/Zip/Country, Shipping Phone, Phone, Id. Other columns are
  ignored; a customer is their e-mail address.

Bad records are reported with their position and skipped; the rest is imported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from agent_desktop.core.money import MoneyError, to_minor
from agent_desktop.server.context import ServerContext
from agent_desktop.server.shop.documents import CustomerDoc, OrderDoc
from agent_desktop.server.shop.ingest import find_customer, upsert_customer, upsert_order

KIND = "api"
BATCH = 200  # records per write transaction
MAX_ERRORS_SHOWN = 50


class ImportFileError(ValueError):
    """The file cannot be read at all (one sentence)."""


@dataclass
class Record:
    kind: str  # customer | order
    external_id: str
    data: dict[str, Any]
    where: str  # "order #1001 (line 4)"


@dataclass
class Summary:
    customers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("created", "updated", "unchanged", "older"), 0))  # fmt: skip
    orders: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("created", "updated", "unchanged", "older"), 0))  # fmt: skip
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "customers": self.customers,
            "orders": self.orders,
            "errors": len(self.errors),
            "first_errors": self.errors[:MAX_ERRORS_SHOWN],
        }


# --- reading ----------------------------------------------------------------------------------


def read_records(path: Path, fmt: str | None = None) -> Iterator[Record]:
    if not path.is_file():
        raise ImportFileError(f"There is no file at {path}.")
    kind = fmt or ("csv" if path.suffix.lower() == ".csv" else "json")
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    if kind == "json":
        yield from json_records(text)
    elif kind == "csv":
        yield from csv_records(text)
    else:
        raise ImportFileError(f"Unknown format '{kind}': use json or csv.")


def json_records(text: str) -> Iterator[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"The file is not valid JSON (line {exc.lineno}: {exc.msg})."
        ) from None
    if not isinstance(data, Mapping) or not ({"customers", "orders"} & set(data)):
        raise ImportFileError(
            'The JSON file must be an object with "customers" and/or "orders" lists.'
        )
    for kind in ("customers", "orders"):
        items = data.get(kind) or []
        if not isinstance(items, list):
            raise ImportFileError(f'"{kind}" must be a list.')
        for i, item in enumerate(items, 1):
            what = f"{kind[:-1]} {i}"
            external = (
                str(item.get("external_id") or "").strip() if isinstance(item, Mapping) else ""
            )
            yield Record(kind[:-1], external, dict(item) if isinstance(item, Mapping) else {}, what)


def _time(value: str) -> str | None:
    """Shopify export times ("2026-11-20 10:04:11 +0100") as ISO 8601."""
    value = (value or "").strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            at = datetime.strptime(value, pattern)
        except ValueError:
            continue
        return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()
    return value  # let validation say it is not a time


def csv_records(text: str) -> Iterator[Record]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "Name" not in reader.fieldnames:
        raise ImportFileError(
            "The CSV file needs a header row with at least the columns Name, Email, Currency, "
            "Total and Lineitem quantity (Shopify's order export has them)."
        )
    orders: dict[str, dict[str, Any]] = {}
    order_lines: dict[str, int] = {}
    customers: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(reader, 2):
        get = {k.strip(): (v or "").strip() for k, v in row.items() if k}.get
        name = get("Name") or ""
        if not name:
            continue
        first = name not in orders
        if first:
            order_lines[name] = line
            currency = get("Currency") or "EUR"
            email = (get("Email") or "").lower()
            who = get("Billing Name") or get("Shipping Name") or email or name
            external_customer = email or f"name:{who}"
            customers.setdefault(external_customer, {
                "name": who, "email": email or None,
                "phone": get("Phone") or get("Shipping Phone") or None, "currency": currency,
            })  # fmt: skip
            orders[name] = {"_raw": dict(row), "_line": line, "_items": [], "customer_external_id": external_customer,
                            "_currency": currency}  # fmt: skip
        order = orders[name]
        if get("Lineitem quantity"):
            order["_items"].append((get("Lineitem sku") or get("Lineitem name") or "item", get("Lineitem name") or "",
                                    get("Lineitem quantity"), get("Lineitem price") or "0", line))  # fmt: skip
    for external, data in customers.items():
        yield Record("customer", external, data, f"customer {external}")
    for name, order in orders.items():
        where = f"order {name} (line {order['_line']})"
        try:
            yield Record("order", _get(order["_raw"], "Id") or name, _csv_order(name, order), where)
        except (MoneyError, ValueError) as exc:
            yield Record("order", name, {"_error": str(exc)}, where)


def _get(row: Mapping[str, Any], key: str) -> str:
    return str(row.get(key) or "").strip()


def _csv_order(name: str, order: dict[str, Any]) -> dict[str, Any]:
    raw, currency = order["_raw"], order["_currency"]

    def amount(key: str) -> int:
        return to_minor(_get(raw, key) or "0", currency)

    items = []
    for sku, title, quantity, price, line in order["_items"]:
        try:
            items.append(
                {
                    "sku": sku,
                    "title": title,
                    "quantity": int(quantity),
                    "unit_price": to_minor(price, currency),
                }
            )
        except ValueError:
            raise ValueError(f"the quantity '{quantity}' on line {line} is not a whole number") from None  # fmt: skip
    fulfillment = _get(raw, "Fulfillment Status").lower()
    fulfilled_at = _time(_get(raw, "Fulfilled at"))
    cancelled_at = _time(_get(raw, "Cancelled at"))
    created = _time(_get(raw, "Created at")) or _time(_get(raw, "Paid at"))
    refunded = amount("Refunded Amount")
    status = "cancelled" if cancelled_at else {"fulfilled": "shipped", "partial": "partially_shipped"}.get(fulfillment, "processing")  # fmt: skip
    shipments = []
    if fulfillment in ("fulfilled", "partial"):
        at = fulfilled_at or created
        shipments.append(
            {"status": "picked_up", "events": [{"at": at, "status": "picked_up"}] if at else []}
        )
    discount = amount("Discount Amount")
    return {
        "number": name,
        "customer_external_id": order["customer_external_id"],
        "placed_at": created,
        "updated_at": cancelled_at or fulfilled_at or created,
        "status": status,
        "currency": currency,
        "items": items,
        "subtotal": amount("Subtotal") + discount,  # Shopify's subtotal is after discounts
        "shipping": amount("Shipping"),
        "tax": amount("Taxes"),
        "discount": discount,
        "total": amount("Total"),
        "discounts": [{"code": _get(raw, "Discount Code"), "amount": discount}] if _get(raw, "Discount Code") else [],
        "payment": {"method": _get(raw, "Payment Method"), "status": _get(raw, "Financial Status").lower()},
        "shipping_address": {
            "name": _get(raw, "Shipping Name"), "line1": _get(raw, "Shipping Address1") or _get(raw, "Shipping Street"),
            "line2": _get(raw, "Shipping Address2"), "postal_code": _get(raw, "Shipping Zip").lstrip("'"),
            "city": _get(raw, "Shipping City"), "country": _get(raw, "Shipping Country"),
        },
        "shipments": shipments,
        "refunds": [{"id": f"import-{name}", "amount": refunded, "created_at": cancelled_at or created}] if refunded else [],
        "cancelled_at": cancelled_at,
    }  # fmt: skip


# --- writing ----------------------------------------------------------------------------------


def _bump(counts: dict[str, int], created: bool, changed: bool, stale: bool) -> None:
    key = "created" if created else "older" if stale else "updated" if changed else "unchanged"
    counts[key] += 1


async def import_records(ctx: ServerContext, records: Iterable[Record]) -> Summary:
    """Customers first, then orders, in batches; each bad record becomes an error line."""
    summary = Summary()
    customers = [r for r in records if r.kind == "customer" or r.kind == "order"]
    ordered = [r for r in customers if r.kind == "customer"] + [
        r for r in customers if r.kind == "order"
    ]
    for start in range(0, len(ordered), BATCH):
        async with ctx.write() as session:
            for record in ordered[start : start + BATCH]:
                if not record.external_id:
                    summary.errors.append(f"{record.where}: external_id is missing.")
                    continue
                if "_error" in record.data:
                    summary.errors.append(f"{record.where}: {record.data['_error']}.")
                    continue
                try:
                    if record.kind == "customer":
                        customer_doc = CustomerDoc.model_validate(record.data)
                        done = await upsert_customer(ctx, session, kind=KIND, external_id=record.external_id, doc=customer_doc)  # fmt: skip
                        _bump(summary.customers, done.created, done.changed, done.stale)
                        continue
                    order_doc = OrderDoc.model_validate(record.data)
                    owner = order_doc.customer_external_id or ""
                    customer = await find_customer(session, KIND, owner) if owner else None
                    if customer is None:
                        summary.errors.append(
                            f"{record.where}: there is no customer '{owner}' in the file or the shop."
                        )
                        continue
                    done = await upsert_order(ctx, session, kind=KIND, external_id=record.external_id, doc=order_doc, customer=customer)  # fmt: skip
                    _bump(summary.orders, done.created, done.changed, done.stale)
                except ValidationError as exc:
                    first = exc.errors()[0]
                    place = ".".join(str(p) for p in first.get("loc", ()))
                    summary.errors.append(
                        f"{record.where}: {place or 'value'}: {first.get('msg')}."
                    )
    return summary


# --- the command ------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """`agent-desktop-server import FILE [--format json|csv] [--database URL]`: prints a JSON
    summary; exit status 0, or 1 when some records were refused (the others are imported), 2 when
    the file cannot be read."""
    import argparse
    import asyncio
    import sys

    from agent_desktop.server.context import ServerConfig, opened_context

    p = argparse.ArgumentParser(
        prog="agent-desktop-server import",
        description="Import a shop's customers and orders from a JSON or CSV export (docs/SHOPS.md).",
    )
    p.add_argument("file", type=Path, help="the export (.json, or .csv as Shopify exports orders)")
    p.add_argument(
        "--format", choices=("json", "csv"), default=None, help="default: from the file name"
    )
    p.add_argument(
        "--database",
        default="",
        metavar="URL",
        help="SQLAlchemy URL (default: the server's SQLite file)",
    )
    args = p.parse_args(argv)

    async def run() -> Summary:
        records = list(read_records(args.file, args.format))
        async with opened_context(ServerConfig(database_url=args.database)) as ctx:
            return await import_records(ctx, records)

    try:
        summary = asyncio.run(run())
    except ImportFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(json.dumps(summary.as_json(), indent=2, ensure_ascii=False))
    return 1 if summary.errors else 0
