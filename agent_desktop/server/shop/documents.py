"""The documents orders and customers come in as, whatever their source: the API's own shapes
(money in minor units of the order's currency, times in ISO 8601), validated with sentences.

`PUT /api/v1/shop/orders/{external_id}` takes an `OrderDoc` as JSON; connectors build one from
their shop's payloads; `ingest` stores it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from agent_desktop.core.money import MoneyError, check_currency
from agent_desktop.core.order_types import Address, Discount, Payment, Refund, Return, Shipment


def aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time from a payload or a stored JSON part, as written (naive stays naive);
    None when it is missing or not a time."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _valid_currency(value: str) -> str:
    try:
        return check_currency(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from None


# An ISO 4217 code the money functions know (customers' and orders' `currency`).
Currency = Annotated[str, AfterValidator(_valid_currency)]


class Doc(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ItemDoc(Doc):
    sku: str = Field(min_length=1, max_length=100)
    title: str = Field(default="", max_length=500)
    quantity: int = Field(ge=1, le=1_000_000)
    unit_price: int = Field(ge=0)
    image_url: str | None = Field(default=None, max_length=2000)


class CustomerDoc(Doc):
    """A shop's customer. `updated_at` is the shop's last change (newest wins)."""

    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=50)
    locale: str = Field(default="en", min_length=2, max_length=20)
    currency: Currency = "EUR"
    customer_since: datetime | None = None
    consent_order_updates: bool = False
    messenger_psid: str | None = Field(default=None, max_length=100)
    updated_at: datetime | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if "@" not in value or value.startswith("@") or value.endswith("@"):
            raise ValueError(f"'{value}' is not an e-mail address")
        return value.lower()


class OrderDoc(Doc):
    """An order: total = subtotal − discount + shipping + tax (not enforced: shops add duties
    and tips). `customer_external_id` names the customer in the same source (ingest API)."""

    number: str = Field(min_length=1, max_length=50)
    customer_external_id: str | None = Field(default=None, max_length=200)
    placed_at: datetime
    updated_at: datetime | None = None
    status: str = Field(min_length=1, max_length=30)
    currency: Currency
    items: list[ItemDoc] = Field(default_factory=list, max_length=500)
    subtotal: int = Field(default=0, ge=0)
    shipping: int = Field(default=0, ge=0)
    tax: int = Field(default=0, ge=0)
    discount: int = Field(default=0, ge=0)
    total: int = Field(ge=0)
    discounts: list[Discount] = Field(default_factory=list, max_length=50)
    payment: Payment = Field(default_factory=lambda: Payment(method="", status=""))
    shipping_address: Address = Field(default_factory=Address)
    shipments: list[Shipment] = Field(default_factory=list, max_length=100)
    refunds: list[Refund] = Field(default_factory=list, max_length=200)
    returns: list[Return] = Field(default_factory=list, max_length=100)
    cancelled_at: datetime | None = None

    @model_validator(mode="after")
    def _times(self) -> OrderDoc:
        self.placed_at = aware(self.placed_at)
        if self.updated_at is not None:
            self.updated_at = aware(self.updated_at)
        if self.cancelled_at is not None:
            self.cancelled_at = aware(self.cancelled_at)
        return self

    def columns(self) -> dict[str, Any]:
        """The order's columns as `OrderRow` stores them (JSON parts as plain data)."""
        data = self.model_dump(mode="json")
        return {
            "number": self.number,
            "placed_at": self.placed_at,
            "status": self.status,
            "currency": self.currency,
            "items": data["items"],
            "subtotal": self.subtotal,
            "shipping": self.shipping,
            "tax": self.tax,
            "discount": self.discount,
            "total": self.total,
            "discounts": data["discounts"],
            "payment": data["payment"],
            "shipping_address": data["shipping_address"],
            "shipments": data["shipments"],
            "refunds": data["refunds"],
            "returns": data["returns"],
            "cancelled_at": self.cancelled_at,
        }
