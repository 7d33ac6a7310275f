"""The demo shop's customers and orders, generated deterministically from a `random.Random`.

Orders follow a shipment timeline (label created, picked up, in transit, out for delivery,
delivered, sometimes delayed or returned) cut at `now`. Prices exclude VAT; each order's
tax is 20 % of (subtotal + shipping), so total = subtotal + shipping + tax.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from agent_desktop.server.demo import names
from agent_desktop.server.demo.catalogue import CURRENCY, PRODUCTS, VAT_RATE_PERCENT, Product
from agent_desktop.server.shop.search import name_key, phone_digits

Fate = Literal["normal", "late", "stuck", "returned", "cancelled"]

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
AVATAR_POOL = 24  # generated portraits, shared by the customers who have one


def rid(rng: random.Random, prefix: str) -> str:
    """A deterministic opaque id in the server's style (`c_3f9c0a1b2c3d4e5f`)."""
    return f"{prefix}_{rng.getrandbits(64):016x}"


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


@dataclass
class DemoCustomer:
    id: str
    first: str
    last: str
    locale: str  # fr | en
    country: str  # FR | GB | IE
    email: str
    phone: str
    city: str
    postal_code: str
    street: str
    consent: bool
    avatar_url: str | None
    since: datetime
    orders: list[DemoOrder] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "locale": self.locale,
            "avatar_url": self.avatar_url,
            "customer_since": self.since,
            "currency": CURRENCY,
            "consent_order_updates": self.consent,
            "messenger_psid": None,
            "source_kind": "demo",
            "external_id": self.id,
            "search_name": name_key(self.name),
            "phone_digits": phone_digits(self.phone),
        }

    def address(self) -> dict[str, str]:
        return {
            "name": self.name,
            "line1": self.street,
            "line2": "",
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
        }


@dataclass(frozen=True, slots=True)
class Carrier:
    name: str
    transit_days: int
    shipping_fee: int  # EUR cents excluding VAT
    url: str  # with {n} for the tracking number

    def tracking_number(self, rng: random.Random) -> str:
        digits = f"{rng.randrange(10**11):011d}"
        if self.name == "Colissimo":
            return f"6A{digits}"
        if self.name == "Chronopost":
            return f"XW{digits[:9]}FR"
        if self.name == "La Poste":
            return f"1L{digits}"
        if self.name == "DHL":
            return digits[:10]
        return "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))


CARRIERS: dict[str, Carrier] = {
    c.name: c
    for c in (
        Carrier("Colissimo", 2, 495, "https://www.laposte.fr/outils/suivre-vos-envois?code={n}"),
        Carrier(
            "Chronopost",
            1,
            1290,
            "https://www.chronopost.fr/tracking-no-cache/suivi-page?listeNumerosLT={n}",
        ),
        Carrier("La Poste", 3, 390, "https://www.laposte.fr/outils/suivre-vos-envois?code={n}"),
        Carrier("DHL", 3, 990, "https://www.dhl.com/fr-fr/home/tracking.html?tracking-id={n}"),
        Carrier("UPS", 3, 990, "https://www.ups.com/track?tracknum={n}"),
    )
}
FREE_SHIPPING_FROM = 8000  # EUR cents of subtotal, excluding VAT
PAYMENT_METHODS = ("Visa", "Mastercard", "PayPal", "Apple Pay", "Carte Bancaire", "Google Pay")

# Shipment steps in order; "delayed" and "returned" are added by fate.
STEPS = ("label_created", "picked_up", "in_transit", "out_for_delivery", "delivered")


def order_totals(items: list[tuple[Product, int]], shipping: int) -> tuple[int, int, int]:
    """(subtotal, tax, total): subtotal = Σ quantity × unit price; tax = 20 % VAT on
    subtotal + shipping, rounded half up to the cent; total = subtotal + shipping + tax."""
    subtotal = sum(p.price * q for p, q in items)
    tax = ((subtotal + shipping) * VAT_RATE_PERCENT + 50) // 100
    return subtotal, tax, subtotal + shipping + tax


@dataclass
class DemoOrder:
    """An order with its whole planned timeline; `events` may reach past `now` (the simulator
    plays them later); the stored shipment shows only what happened up to the seed's `now`."""

    id: str
    customer: DemoCustomer
    placed_at: datetime
    items: list[tuple[Product, int]]
    carrier: Carrier
    tracking_number: str
    payment_method: str
    fate: Fate
    events: list[tuple[datetime, str, str]]  # (at, status, location), all planned steps
    eta: datetime
    number: str = ""
    subtotal: int = 0
    shipping: int = 0
    tax: int = 0
    total: int = 0

    @property
    def tracking_url(self) -> str:
        return self.carrier.url.format(n=self.tracking_number)

    def event_at(self, status: str) -> datetime | None:
        for at, st, _ in self.events:
            if st == status:
                return at
        return None

    def happened(self, now: datetime) -> list[tuple[datetime, str, str]]:
        return [e for e in self.events if e[0] <= now]

    def status_at(self, now: datetime) -> str:
        if self.fate == "cancelled":
            return "cancelled"
        done = self.happened(now)
        last = done[-1][1] if done else None
        if last is None or last == "label_created":
            return "processing"
        if last == "delivered":
            return "delivered"
        if last == "returned":
            return "returned"
        return "shipped"

    def payment_status(self, now: datetime) -> str:
        if self.fate == "cancelled":
            return "refunded"
        if self.fate == "returned" and self.status_at(now) == "returned":
            return "refunded"
        return "paid"

    def refunds(self, now: datetime) -> list[dict[str, Any]]:
        """A cancelled order was refunded in full soon after; a returned one once the parcel
        came back."""
        if self.fate == "cancelled":
            at = self.placed_at + 3 * HOUR
        elif self.fate == "returned" and self.status_at(now) == "returned":
            at = self.event_at("returned") or now
        else:
            return []
        return [
            {
                "id": f"rf_{self.id[2:]}",
                "amount": self.total,
                "created_at": at.isoformat(),
                "items": [{"sku": p.sku, "quantity": q} for p, q in self.items],
                "reason": "",
            }
        ]

    def returns(self, now: datetime) -> list[dict[str, Any]]:
        """The return of a returned order, from the customer's request to its arrival."""
        back = self.event_at("returned")
        delivered = self.event_at("delivered")
        if self.fate != "returned" or back is None or delivered is None or back > now:
            return []
        opened = delivered + (back - delivered) / 3
        return [
            {
                "id": f"rt_{self.id[2:]}",
                "status": "closed",
                "items": [{"sku": p.sku, "quantity": q} for p, q in self.items],
                "reason": "",
                "created_at": opened.isoformat(),
                "carrier": self.carrier.name,
                "tracking_number": self.tracking_number[::-1],
                "tracking_url": None,
                "events": [
                    {"at": opened.isoformat(), "status": "label_created", "location": ""},
                    {"at": back.isoformat(), "status": "received", "location": names.WAREHOUSE},
                ],
            }
        ]

    def shipment(self, now: datetime) -> dict[str, Any] | None:
        done = self.happened(now)
        if not done or self.fate == "cancelled":
            return None
        return {
            "carrier": self.carrier.name,
            "tracking_number": self.tracking_number,
            "tracking_url": self.tracking_url,
            "status": done[-1][1],
            "eta": self.eta.isoformat(),
            "events": [
                {"at": at.isoformat(), "status": st, "location": loc} for at, st, loc in done
            ],
        }

    def row(self, now: datetime) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "customer_id": self.customer.id,
            "placed_at": self.placed_at,
            "status": self.status_at(now),
            "currency": CURRENCY,
            "items": [
                {
                    "sku": p.sku,
                    "title": p.title(self.customer.locale),
                    "quantity": q,
                    "unit_price": p.price,
                    "image_url": p.image_url,
                }
                for p, q in self.items
            ],
            "subtotal": self.subtotal,
            "shipping": self.shipping,
            "tax": self.tax,
            "total": self.total,
            "payment": {"method": self.payment_method, "status": self.payment_status(now)},
            "shipping_address": self.customer.address(),
            "shipments": [s] if (s := self.shipment(now)) is not None else [],
            "refunds": self.refunds(now),
            "returns": self.returns(now),
            "cancelled_at": self.placed_at + 3 * HOUR if self.fate == "cancelled" else None,
            "source_kind": "demo",
            "external_id": self.id,
            "updated_at": now,
        }


class ShopMaker:
    """Makes customers and orders from one random generator (deterministic for a given seed)."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.customers: list[DemoCustomer] = []
        self.orders: list[DemoOrder] = []
        self._emails: set[str] = set()

    # --- customers ---------------------------------------------------------------------------

    def customer(self, locale: str | None = None) -> DemoCustomer:
        rng = self.rng
        locale = locale or ("fr" if rng.random() < 0.6 else "en")
        if locale == "fr":
            first, last = rng.choice(names.FR_FIRST), rng.choice(names.FR_LAST)
            city, postal = rng.choice(names.FR_CITIES)
            country = "FR"
            street = f"{rng.randint(1, 140)} {rng.choice(names.FR_STREETS)}"
            phone = "+33 {} {:02d} {:02d} {:02d} {:02d}".format(
                rng.choice("67"), *(rng.randint(0, 99) for _ in range(4))
            )
            domains: tuple[str, ...] = (
                "gmail.com",
                "orange.fr",
                "free.fr",
                "laposte.net",
                "outlook.fr",
                "sfr.fr",
            )
        else:
            first, last = rng.choice(names.EN_FIRST), rng.choice(names.EN_LAST)
            city, postal, country = rng.choice(names.EN_CITIES)
            street = f"{rng.randint(1, 220)} {rng.choice(names.EN_STREETS)}"
            if country == "IE":
                phone = (
                    f"+353 8{rng.choice('3579')} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                )
            else:
                phone = f"+44 7700 900{rng.randint(0, 999):03d}"
            domains = ("gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com")
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        email = f"{base}@{rng.choice(domains)}"
        n = 1
        while email in self._emails:
            n += 1
            email = f"{base}{n}@{email.split('@')[1]}"
        self._emails.add(email)
        avatar = None
        if rng.random() < 0.35:
            avatar = f"/media/avatars/avatar-{rng.randrange(AVATAR_POOL):02d}.png"
        c = DemoCustomer(
            id=rid(rng, "c"),
            first=first,
            last=last,
            locale=locale,
            country=country,
            email=email,
            phone=phone,
            city=city,
            postal_code=postal,
            street=street,
            consent=rng.random() < 0.86,
            avatar_url=avatar,
            since=self.now - DAY * rng.uniform(30, 900),
        )
        self.customers.append(c)
        return c

    # --- orders ------------------------------------------------------------------------------

    def _carrier_for(self, customer: DemoCustomer) -> Carrier:
        if customer.country == "FR":
            name = self.rng.choices(
                ("Colissimo", "Chronopost", "La Poste", "DHL"), (50, 20, 20, 10)
            )[0]
        else:
            name = self.rng.choices(("DHL", "UPS", "Colissimo"), (50, 40, 10))[0]
        return CARRIERS[name]

    def _items(self) -> list[tuple[Product, int]]:
        rng = self.rng
        count = rng.choices((1, 2, 3, 4, 5), (44, 28, 15, 8, 5))[0]
        products = rng.sample(PRODUCTS, count)
        return [(p, rng.choices((1, 2, 3), (84, 13, 3))[0]) for p in products]

    def _timeline(
        self, placed: datetime, carrier: Carrier, customer: DemoCustomer, fate: Fate
    ) -> tuple[list[tuple[datetime, str, str]], datetime]:
        """All planned shipment events from `placed`, and the promised delivery date."""
        rng = self.rng
        label = placed + HOUR * rng.uniform(1.5, 20)
        picked = label + HOUR * rng.uniform(2, 9)
        hub1 = picked + HOUR * rng.uniform(3, 10)
        transit = carrier.transit_days + (1 if customer.country != "FR" else 0)
        eta_day = (picked + DAY * transit).replace(hour=18, minute=0, second=0, microsecond=0)
        local_hub = (
            f"Agence {carrier.name} {customer.city}"
            if customer.locale == "fr"
            else f"{carrier.name} {customer.city} depot"
        )
        first_hub = rng.choice(names.FR_HUBS)
        events: list[tuple[datetime, str, str]] = [
            (label, "label_created", names.WAREHOUSE),
            (picked, "picked_up", "Orléans"),
            (hub1, "in_transit", first_hub),
        ]
        if customer.country != "FR":
            events.append(
                (hub1 + HOUR * rng.uniform(8, 20), "in_transit", rng.choice(names.INTL_HUBS))
            )
        if fate == "cancelled":
            return [], eta_day
        delay = DAY * rng.randint(2, 5) if fate in ("late", "stuck") else timedelta(0)
        if fate in ("late", "stuck"):
            events.append((eta_day - HOUR * rng.uniform(1, 6), "delayed", events[-1][2]))
        out = (eta_day + delay).replace(hour=7) + timedelta(minutes=rng.randint(0, 110))
        delivered = out + HOUR * rng.uniform(1.5, 9)
        if fate != "stuck":
            events.append((out, "out_for_delivery", local_hub))
            events.append((delivered, "delivered", customer.city))
        if fate == "returned":
            events.append((delivered + DAY * rng.uniform(3, 9), "returned", names.WAREHOUSE))
        events.sort(key=lambda e: e[0])
        return events, eta_day

    def order(self, customer: DemoCustomer, placed: datetime, fate: Fate = "normal") -> DemoOrder:
        rng = self.rng
        carrier = self._carrier_for(customer)
        items = self._items()
        events, eta = self._timeline(placed, carrier, customer, fate)
        method = rng.choice(PAYMENT_METHODS)
        if method in ("Visa", "Mastercard", "Carte Bancaire"):
            method = f"{method} •••• {rng.randint(1000, 9999)}"
        order = DemoOrder(
            id=rid(rng, "o"),
            customer=customer,
            placed_at=placed,
            items=items,
            carrier=carrier,
            tracking_number=carrier.tracking_number(rng),
            payment_method=method,
            fate=fate,
            events=events,
            eta=eta,
        )
        subtotal = sum(p.price * q for p, q in items)
        order.shipping = 0 if subtotal >= FREE_SHIPPING_FROM else carrier.shipping_fee
        order.subtotal, order.tax, order.total = order_totals(items, order.shipping)
        customer.orders.append(order)
        self.orders.append(order)
        return order

    def order_with(
        self, customer: DemoCustomer, at: datetime, phase: str, fate: Fate = "normal"
    ) -> DemoOrder:
        """An order placed so that moment `at` falls in `phase` of its timeline:
        "preparing" (before the label), "transit" (picked up, not delivered), "after_eta"
        (promised date passed, not delivered), "delivered" (a few days after delivery),
        "returned" (after the return arrived)."""
        rng = self.rng
        order = self.order(customer, at, fate)  # placed at `at` for now, shifted back below
        offsets = {st: ev - at for ev, st, _ in order.events}
        if phase == "preparing":
            lead = offsets.get("label_created", 3 * HOUR) * rng.uniform(0.15, 0.9)
        elif phase == "transit":
            lo = offsets["picked_up"]
            hi = offsets.get("out_for_delivery", lo + DAY)
            lead = lo + (hi - lo) * rng.uniform(0.1, 0.95)
        elif phase == "after_eta":
            lead = (order.eta - at) + HOUR * rng.uniform(14, 80)
            if "out_for_delivery" in offsets:
                lead = min(lead, offsets["out_for_delivery"] - 2 * HOUR)
        elif phase == "returned":
            lead = offsets.get("returned", 10 * DAY) + DAY * rng.uniform(1, 4)
        else:  # delivered
            lead = offsets.get("delivered", 4 * DAY) + HOUR * rng.uniform(3, 96)
        order.placed_at -= lead
        order.events = [(ev - lead, st, loc) for ev, st, loc in order.events]
        order.eta -= lead
        return order

    def background_orders(self, count: int) -> None:
        """`count` more orders spread over two years (more of them recent), skewed to loyal
        customers."""
        rng = self.rng
        weights = [rng.paretovariate(1.6) for _ in self.customers]
        buyers = rng.choices(self.customers, weights=weights, k=count)
        for customer in buyers:
            age = DAY * (730 * rng.random() ** 1.8) + HOUR * rng.uniform(0.2, 6)
            placed = self.now - age
            roll = rng.random()
            recent = age < 9 * DAY
            fate: Fate
            if roll < 0.035:
                fate = "returned"
            elif roll < 0.045:
                fate = "cancelled"
            elif roll < 0.08 and recent:
                fate = "stuck" if rng.random() < 0.5 else "late"
            else:
                fate = "normal"
            self.order(customer, placed, fate)

    def finish(self) -> None:
        """Number orders in time order (1001, 1002, ...) and make customers older than their
        first order."""
        self.orders.sort(key=lambda o: o.placed_at)
        for i, order in enumerate(self.orders):
            order.number = str(1001 + i)
        for c in self.customers:
            if c.orders:
                first = min(o.placed_at for o in c.orders)
                if c.since > first:
                    c.since = first - DAY * self.rng.uniform(0, 20)
                c.orders.sort(key=lambda o: o.placed_at)
