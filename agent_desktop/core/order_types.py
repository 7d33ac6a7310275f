"""The shop's customers and orders in the Agent API v1 (SPEC §3): a customer, an order with its
items, parcels, refunds and returns, and the actions an agent asks of an order.

Apart from core/types.py so that a start, which shows threads and no order, does not create their
~14 model classes (docs/PERFORMANCE.md, start); the same `Model` base and conventions.
"""

from datetime import datetime

from pydantic import Field

from agent_desktop.core.literals import OrderActionStatus, OrderActionType
from agent_desktop.core.types import Model


class Consent(Model):
    order_updates: bool = False


class OrderSourceRef(Model):
    """Where an order or customer comes from: the demo shop, a connector, or the ingest API."""

    kind: str = "demo"  # demo | shopify | medusa | api
    external_id: str = ""


class Customer(Model):
    id: str
    name: str
    email: str | None = None
    phone: str | None = None
    locale: str = "en"
    avatar_url: str | None = None
    customer_since: datetime
    lifetime_value: int = 0
    currency: str = "EUR"
    order_count: int = 0
    consent: Consent = Field(default_factory=Consent)
    source: OrderSourceRef | None = None  # None: known only from a conversation


class OrderItem(Model):
    sku: str
    title: str
    quantity: int
    unit_price: int
    image_url: str | None = None


class Payment(Model):
    method: str
    status: str


class Address(Model):
    name: str = ""
    line1: str = ""
    line2: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""


class TrackingEvent(Model):
    at: datetime
    status: str
    location: str = ""


class ItemQuantity(Model):
    sku: str
    quantity: int


class Shipment(Model):
    """One parcel of an order. `carrier` and `tracking_number` may be empty when the shop has
    not given them; `items` lists what is in the parcel when the shop says so."""

    id: str | None = None
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str | None = None
    status: str
    eta: datetime | None = None
    events: list[TrackingEvent] = Field(default_factory=list)
    items: list[ItemQuantity] = Field(default_factory=list)


class Discount(Model):
    code: str = ""
    title: str = ""
    amount: int = 0  # minor units of the order's currency


class Refund(Model):
    id: str
    amount: int  # minor units of the order's currency
    created_at: datetime
    items: list[ItemQuantity] = Field(default_factory=list)
    reason: str = ""


class Return(Model):
    """A return: requested → open (approved, label sent) → in_transit → received → closed;
    or declined / cancelled. It carries a parcel like a shipment does."""

    id: str
    status: str
    items: list[ItemQuantity] = Field(default_factory=list)
    reason: str = ""
    created_at: datetime | None = None
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str | None = None
    events: list[TrackingEvent] = Field(default_factory=list)


class Order(Model):
    """An order in its own currency (integer minor units: cents, or whole yen and dong).

    total = subtotal − discount + shipping + tax. `shipment` is the first of `shipments`, kept
    for clients that know only one; `allowed_actions` are the order actions its state allows.
    """

    id: str
    number: str
    customer_id: str | None = None
    placed_at: datetime
    status: str
    currency: str
    items: list[OrderItem]
    subtotal: int
    shipping: int
    tax: int
    total: int
    payment: Payment
    shipping_address: Address
    shipment: Shipment | None = None
    shipments: list[Shipment] = Field(default_factory=list)
    discount: int = 0
    discounts: list[Discount] = Field(default_factory=list)
    refunded: int = 0
    refunds: list[Refund] = Field(default_factory=list)
    returns: list[Return] = Field(default_factory=list)
    cancelled_at: datetime | None = None
    source: OrderSourceRef = Field(default_factory=OrderSourceRef)
    allowed_actions: list[OrderActionType] = Field(default_factory=list)
    updated_at: datetime | None = None


class OrderAction(Model):
    """An action an agent asked of an order's shop (POST /orders/{id}/actions)."""

    id: str
    client_id: str
    order_id: str
    type: OrderActionType
    status: OrderActionStatus
    reason: str = ""
    items: list[ItemQuantity] = Field(default_factory=list)
    amount: int | None = None
    currency: str = ""
    address: Address | None = None
    notify_customer: bool = False
    error: str | None = None
    agent_id: str | None = None
    agent_name: str = ""
    decided_by: str | None = None  # the lead who approved or declined a pending refund
    decided_by_name: str = ""
    decision_note: str = ""
    created_at: datetime
    updated_at: datetime
    # For lists across orders (a lead's pending approvals): which order, whose.
    order_number: str = ""
    customer_id: str | None = None
    customer_name: str = ""
