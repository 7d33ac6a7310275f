"""The Messenger bridge's API types (the reference server's extension of Agent API v1, see
docs/MESSENGER.md and docs/API.md), shared by the server and the client.

A refusal is a `Block`: a stable `code` the client words in its own language, the server's English
sentence (`message`) for anything that does not know the code, and the `params` it names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from agent_desktop.core.types import Model, ReplyWindow

OrderUpdateKind = Literal["receipt", "shipping_update"]
OwnerKind = Literal["us", "page_inbox", "app"]
TemplateStatus = str  # Meta's: PENDING, APPROVED, REJECTED, PAUSED, DISABLED, DELETED...


class Block(Model):
    code: str
    message: str
    params: dict[str, str] = Field(default_factory=dict)


class Owner(Model):
    """Who answers the conversation (Conversation Routing)."""

    kind: OwnerKind = "us"
    app_id: str | None = None


class Referral(Model):
    """How the customer came to the conversation: a Click-to-Messenger ad (source "ADS") or an
    m.me link ("SHORTLINK"), as Meta's referral object says."""

    source: str | None = None
    type: str | None = None
    ref: str | None = None
    ad_id: str | None = None
    ad_title: str | None = None
    photo_url: str | None = None
    post_id: str | None = None
    product_id: str | None = None
    at: datetime | None = None

    @property
    def is_ad(self) -> bool:
        return (self.source or "").upper() == "ADS"


class OrderUpdateFact(Model):
    """How an order update of one kind would go now (`via`), or why it cannot (`block`)."""

    via: Literal["response", "utility"] | None = None
    block: Block | None = None


class PageSending(Model):
    """Whether the Page may send: "paused" after Meta's 10/1893063 until a try goes through."""

    sending: Literal["ok", "paused"] = "ok"
    paused_since: datetime | None = None
    reason: str | None = None
    next_attempt_at: datetime | None = None

    @property
    def paused(self) -> bool:
        return self.sending == "paused"


class Permissions(Model):
    """What Meta granted the app for this Page (server settings)."""

    human_agent: bool = False
    utility_messaging: bool = False


class MessengerFacts(Model):
    """`GET /api/v1/threads/{id}/messenger`."""

    thread_id: str
    psid: str | None = None
    handover: str | None = None
    owner: Owner = Field(default_factory=Owner)
    reply_window: ReplyWindow = Field(default_factory=ReplyWindow)
    standard_window_until: datetime | None = None
    referral: Referral | None = None
    reply_block: Block | None = None
    reply_block_reason: str | None = None
    reply_tag: str | None = None
    order_updates: dict[str, OrderUpdateFact] = Field(default_factory=dict)
    order_update_block_reason: str | None = None
    page: PageSending = Field(default_factory=PageSending)
    permissions: Permissions = Field(default_factory=Permissions)


class MessengerState(MessengerFacts):
    """What a backend's Messenger bridge says about one thread (`GET .../messenger`): its facts,
    read-only, with a blank text read as none (the client's view; the server sends
    `MessengerFacts`).

    `psid` is None for a conversation that did not come from Messenger; `handover` is "standby"
    while another app or the Page inbox owns the conversation (`owner` says which). The reasons
    are the server's sentences explaining why a reply, or an order message, cannot be sent now
    (None when it can); `reply_block` and `order_updates[kind].block` carry the same with a code
    the client words in its own language.
    """

    model_config = ConfigDict(frozen=True)

    @field_validator("psid", "handover", "reply_block_reason", "order_update_block_reason")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def is_messenger(self) -> bool:
        return self.psid is not None

    @property
    def standby(self) -> bool:
        return self.handover == "standby"

    def order_update(self, kind: str) -> OrderUpdateFact:
        """How an order update of `kind` goes now; a backend that does not say per kind gives
        its one reason for both."""
        found = self.order_updates.get(kind)
        if found is not None:
            return found
        reason = self.order_update_block_reason
        block = Block(code="blocked", message=reason) if reason else None
        return OrderUpdateFact(via=None if block else "response", block=block)


class Rules(Model):
    """Meta's rules in force (core.messenger_rules), as the server reports them."""

    since: str
    source: str
    standard_window_hours: float = 24
    ad_standard_window_days: int | None = None
    human_agent_window_days: int = 7
    tags: list[str] = Field(default_factory=list)
    retired_tags: dict[str, str] = Field(default_factory=dict)
    utility_messages: bool = False
    text_per_second: int = 300
    media_per_second: int = 10
    sends_per_engaged_user_per_day: int = 200


class MessengerPage(Model):
    """`GET /api/v1/messenger`."""

    page: PageSending = Field(default_factory=PageSending)
    permissions: Permissions = Field(default_factory=Permissions)
    approved_templates: list[str] = Field(default_factory=list)
    rules: Rules | None = None


class UtilityTemplate(Model):
    """One language of one of the Page's utility templates (`GET /api/v1/messenger/templates`)."""

    id: str
    meta_id: str | None = None
    name: str
    language: str
    purpose: OrderUpdateKind
    source: Literal["library", "page"] = "page"
    library_name: str | None = None
    body: str = ""
    fields: list[str] = Field(default_factory=list)
    status: TemplateStatus = "PENDING"
    reason: str | None = None
    updated_at: datetime | None = None

    @property
    def approved(self) -> bool:
        return self.status == "APPROVED"


class TemplateClone(Model):
    """A Page template to make from Meta's library template `library_name` in `language`: its
    `name`, its `purpose` (receipt or shipping_update) and, per placeholder in order, the order
    value it shows (`fields`; None: the library's guess)."""

    library_name: str
    language: str
    name: str
    purpose: str
    fields: list[str] | None = None


class LibraryButton(Model):
    type: str | None = None
    text: str | None = None


class LibraryTemplate(Model):
    """A template of Meta's library, with a guess of the order value of each placeholder."""

    name: str
    language: str
    topic: str | None = None
    usecase: str | None = None
    header: str | None = None
    body: str = ""
    body_params: list[str] = Field(default_factory=list)
    buttons: list[LibraryButton] = Field(default_factory=list)
    fields: list[str] = Field(default_factory=list)


# The order values a template placeholder can hold, in the order a lead picks them.
ORDER_FIELDS: tuple[str, ...] = (
    "order_number",
    "customer_name",
    "carrier",
    "tracking_url",
    "tracking_number",
    "eta",
    "order_total",
    "order_date",
)
