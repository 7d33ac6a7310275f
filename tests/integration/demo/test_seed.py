"""The demo seed on a real database: counts, pictures, order arithmetic, both languages, timer
states, consistent thread state, plausible metrics, and seeding once per database."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from PIL import Image

from agent_desktop.core.clock import compute_waiting_since, timer_reading
from agent_desktop.core.metrics import MetricMessage, MetricThread, compute_metrics
from agent_desktop.server.auth import verify_password
from agent_desktop.server.demo import names
from agent_desktop.server.demo.catalogue import PRODUCTS
from agent_desktop.server.demo.seed import make_plan
from agent_desktop.server.models import utcnow
from tests.integration.demo.conftest import SeededDemo


def at(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def seeded_at(db: Any) -> datetime:
    (value,) = db.execute("SELECT value FROM meta WHERE key = 'demo_seeded'").fetchone()
    return datetime.fromisoformat(value)


def count(db: Any, table: str) -> int:
    (n,) = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    return int(n)


def test_counts_and_seeding_once(seeded: SeededDemo) -> None:
    first, second = seeded.first, seeded.second
    assert first["seeded"] is True
    assert second == {"seeded": False}
    db = seeded.db()
    assert count(db, "customers") == first["customers"] >= 300
    assert count(db, "orders") == first["orders"] >= 1000
    assert count(db, "threads") == first["threads"] >= 200
    assert count(db, "messages") == first["messages"]
    assert count(db, "agents") == 5
    assert count(db, "templates") == first["templates"]
    assert first["products"] >= 40


def test_every_product_has_a_real_picture(seeded: SeededDemo) -> None:
    db = seeded.db()
    urls = {
        item["image_url"]
        for (items,) in db.execute("SELECT items FROM orders")
        for item in json.loads(items)
    }
    assert len(PRODUCTS) >= 40
    for product in PRODUCTS:
        assert product.image_url == f"/media/products/{product.sku}.png"
        path = seeded.media_dir / "products" / f"{product.sku}.png"
        with Image.open(path) as img:
            assert img.format == "PNG" and img.size == (256, 256)
            colours = img.convert("RGB").getcolors(maxcolors=1_000_000)
            assert colours is not None and len(colours) > 50  # a drawing, not a flat square
    assert urls <= {p.image_url for p in PRODUCTS}
    avatars = {
        u for (u,) in db.execute("SELECT avatar_url FROM customers WHERE avatar_url IS NOT NULL")
    }
    assert avatars
    for url in avatars:
        with Image.open(seeded.media_dir / url.removeprefix("/media/")) as img:
            assert img.format == "PNG"


def test_order_totals_add_up(seeded: SeededDemo) -> None:
    db = seeded.db()
    statuses: Counter[str] = Counter()
    shipment_states: Counter[str] = Counter()
    late = 0
    now = seeded_at(db)
    for items_json, subtotal, shipping, tax, total, status, shipments_json in db.execute(
        "SELECT items, subtotal, shipping, tax, total, status, shipments FROM orders"
    ):
        items = json.loads(items_json)
        assert 1 <= len(items) <= 5
        assert subtotal == sum(i["quantity"] * i["unit_price"] for i in items)
        assert tax == ((subtotal + shipping) * 20 + 50) // 100  # 20 % VAT added, half up
        assert total == subtotal + shipping + tax
        statuses[status] += 1
        shipments = json.loads(shipments_json) if shipments_json else []
        assert len(shipments) <= 1  # the demo sends each order in one parcel
        shipment = shipments[0] if shipments else None
        if shipment:
            assert shipment["carrier"] in {"Colissimo", "Chronopost", "DHL", "UPS", "La Poste"}
            assert shipment["tracking_number"] and shipment["tracking_url"].startswith("https://")
            assert shipment["events"] and shipment["events"][-1]["status"] == shipment["status"]
            shipment_states[shipment["status"]] += 1
            eta = datetime.fromisoformat(shipment["eta"])
            if status == "shipped" and eta < now:
                late += 1
    assert {"delivered", "shipped", "returned"} <= set(statuses)
    assert shipment_states["delivered"] > 0 and shipment_states["in_transit"] > 0
    assert late > 0


def test_customers_in_french_and_english(seeded: SeededDemo) -> None:
    db = seeded.db()
    rows = db.execute(
        "SELECT name, locale, email, phone, consent_order_updates FROM customers"
    ).fetchall()
    locales = Counter(r[1] for r in rows)
    assert set(locales) == {"fr", "en"} and min(locales.values()) > len(rows) * 0.25
    french = [r[0] for r in rows if r[1] == "fr"]
    english = [r[0] for r in rows if r[1] == "en"]
    assert sum(n.split()[0] in names.FR_FIRST for n in french) > len(french) * 0.9
    assert sum(n.split()[0] in names.EN_FIRST for n in english) > len(english) * 0.9
    assert all("@" in r[2] and r[3].startswith("+") for r in rows)
    assert 0.7 < sum(r[4] for r in rows) / len(rows) < 1.0


def _messages(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    by_thread: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in db.execute(
        "SELECT thread_id, id, created_at, author_kind, kind, author_id, text, order_id, order_event, pk "
        "FROM messages ORDER BY created_at, pk"
    ):
        by_thread[row[0]].append(row)
    return by_thread


def _metric(row: tuple[Any, ...]) -> MetricMessage:
    return MetricMessage(
        at=at(row[2]),
        author=row[3],
        kind="note" if row[4] == "note" else "text",
        agent_id=row[5] if row[3] == "agent" else None,
    )


def test_thread_state_follows_the_rules(seeded: SeededDemo) -> None:
    db = seeded.db()
    now = seeded_at(db)
    msgs = _messages(db)
    timers: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for tid, status, waiting, queue, unread, last_id, last_customer in db.execute(
        "SELECT id, status, waiting_since, queue_since, unread, last_message_id, last_customer_message_at FROM threads"
    ):
        rows = msgs[tid]
        assert rows, "every thread has messages"
        expected = compute_waiting_since([_metric(r) for r in rows])
        assert (at(waiting) if waiting else None) == expected
        assert queue == (None if status in ("resolved", "spam") else waiting)
        assert last_id == rows[-1][1]
        customer_times = [at(r[2]) for r in rows if r[3] == "customer"]
        assert at(last_customer) == max(customer_times)
        n = 0
        for r in rows:
            if r[3] == "customer":
                n += 1
            elif r[3] == "agent" and r[4] != "note":
                n = 0
        assert unread == n
        assert max(at(r[2]) for r in rows) <= now
        statuses[status] += 1
        timers[timer_reading(expected, now, 300, status).state] += 1
    assert {"open", "pending", "resolved", "spam"} <= set(statuses)
    assert timers["ok"] >= 3 and timers["warning"] >= 2 and timers["breached"] >= 5


def test_messages_talk_about_the_customers_orders(seeded: SeededDemo) -> None:
    db = seeded.db()
    numbers: dict[str, set[str]] = defaultdict(set)
    order_owner: dict[str, str] = {}
    for oid, number, cid in db.execute("SELECT id, number, customer_id FROM orders"):
        numbers[cid].add(number)
        order_owner[oid] = cid
    thread_customer = dict(db.execute("SELECT id, customer_id FROM threads").fetchall())
    kinds: Counter[str] = Counter()
    mentions = 0
    for tid, _id, _at, author, kind, _aid, text, order_id, order_event, _pk in (
        r for rows in _messages(db).values() for r in rows
    ):
        cid = thread_customer[tid]
        kinds[f"{author}/{kind}"] += 1
        if kind == "order_event":
            assert order_owner[order_id] == cid
            assert order_event in {
                "placed",
                "shipped",
                "out_for_delivery",
                "delivered",
                "delayed",
                "returned",
            }
        for number in re.findall(r"\b\d{4,5}\b", text) if author in ("customer", "agent") else ():
            assert number in numbers[cid], (number, text)
            mentions += 1
    assert mentions > 100
    for key in (
        "customer/text",
        "agent/text",
        "agent/note",
        "automated/text",
        "automated/order_event",
    ):
        assert kinds[key] > 0, key


def test_history_gives_plausible_metrics(seeded: SeededDemo) -> None:
    db = seeded.db()
    now = seeded_at(db)
    spam = {tid for (tid,) in db.execute("SELECT id FROM threads WHERE status = 'spam'")}
    threads = [
        MetricThread(id=tid, messages=[_metric(r) for r in rows], spam=tid in spam)
        for tid, rows in _messages(db).items()
    ]
    result = compute_metrics(threads, now=now)
    team = result.team
    assert team.counted > 100
    assert team.response_rate is not None and 0.82 <= team.response_rate <= 0.97
    assert team.median_response_seconds is not None and 60 <= team.median_response_seconds <= 400
    agents = dict(db.execute("SELECT id, email FROM agents").fetchall())
    replied = {agents[a] for a, f in result.per_agent.items() if f.replies > 0}
    assert {"camille@demo.test", "hugo@demo.test", "priya@demo.test"} <= replied


def test_accounts_templates_and_presence(seeded: SeededDemo) -> None:
    db = seeded.db()
    accounts = {
        row[0]: row[1:]
        for row in db.execute("SELECT email, role, presence, password_hash FROM agents")
    }
    assert accounts["lead@demo.test"][0] == "lead" and accounts["agent@demo.test"][0] == "agent"
    assert verify_password(accounts["agent@demo.test"][2], "demo")
    assert verify_password(accounts["lead@demo.test"][2], "demo")
    assert {p for _, p, _ in accounts.values()} >= {"online", "away"}
    templates = db.execute("SELECT language, scope, owner_id, body FROM templates").fetchall()
    assert {(lang, scope) for lang, scope, _, _ in templates} == {
        ("en", "team"),
        ("fr", "team"),
        ("en", "personal"),
        ("fr", "personal"),
    }
    bodies = " ".join(t[3] for t in templates)
    for variable in (
        "{{customer.first_name|there}}", "{{order.number}}", "{{order.eta}}",
        "{{order.tracking_url}}", "{{order.total}}", "{{agent.first_name}}",
    ):  # fmt: skip
        assert variable in bodies
    assert all(owner is not None for _, scope, owner, _ in templates if scope == "personal")


def test_the_plan_is_deterministic() -> None:
    now = utcnow()
    a, b = make_plan(20, 11, now), make_plan(20, 11, now)
    texts_a = [(m.id, m.at, m.render()) for t in a.threads for m in t.messages]
    texts_b = [(m.id, m.at, m.render()) for t in b.threads for m in t.messages]
    assert texts_a == texts_b
    assert [o.number for o in a.shop.orders] == [o.number for o in b.shop.orders]
    c = make_plan(20, 12, now)
    assert [t.id for t in c.threads] != [t.id for t in a.threads]
