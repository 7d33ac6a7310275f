"""Pydantic models of the Chatwoot v4.10 payloads the connector reads (FINDINGS.md §1–§8).

They are tolerant on purpose: unknown keys are ignored, most keys are optional, and the drift the
notes list (unix ints or ISO strings for times, `message_type` as int or name) is normalised here,
so the mapping code works on one shape.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MESSAGE_TYPES = {"incoming": 0, "outgoing": 1, "activity": 2, "template": 3}


def to_datetime(value: Any) -> datetime | None:
    """A Chatwoot time (unix seconds as int/float/numeric string, or ISO 8601) as aware UTC."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if value <= 0 else datetime.fromtimestamp(float(value), UTC)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return to_datetime(float(text))
        except ValueError:
            pass
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def to_seconds(value: Any) -> float | None:
    """A report average (a decimal string, a number or null) as float seconds."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


class CwModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class CwAccountRef(CwModel):
    id: int
    name: str = ""
    role: str | None = None
    availability: str | None = None
    availability_status: str | None = None


class CwProfile(CwModel):
    """`GET /api/v1/profile` and the `data` of `POST /auth/sign_in`."""

    id: int
    name: str = ""
    available_name: str | None = None
    display_name: str | None = None
    email: str = ""
    access_token: str | None = None
    pubsub_token: str | None = None
    account_id: int | None = None
    role: str | None = None
    availability_status: str | None = None
    avatar_url: str | None = None
    accounts: list[CwAccountRef] = Field(default_factory=list)


class CwMfaChallenge(CwModel):
    mfa_required: bool = True
    mfa_token: str


class CwAgent(CwModel):
    """`GET /agents` entries and `meta.assignee` of a conversation."""

    id: int
    name: str | None = ""
    available_name: str | None = None
    email: str | None = ""
    role: str | None = None
    availability_status: str | None = None
    thumbnail: str | None = None


class CwSender(CwModel):
    """A message's `sender` (contact, user or agent_bot push data)."""

    id: int | None = None
    name: str | None = None
    available_name: str | None = None
    type: str | None = None
    thumbnail: str | None = None
    avatar_url: str | None = None


class CwAttachment(CwModel):
    id: int | None = None
    file_type: str | None = None
    data_url: str | None = None
    thumb_url: str | None = None
    extension: str | None = None
    file_size: int | None = None
    width: int | None = None
    height: int | None = None


class CwMessage(CwModel):
    """The REST `_message` partial and the websocket `push_event_data` (both read alike)."""

    id: int
    content: str | None = None
    conversation_id: int | None = None
    inbox_id: int | None = None
    account_id: int | None = None
    message_type: int = 0
    content_type: str | None = None
    status: str | None = None
    private: bool = False
    created_at: datetime | None = None
    sender_type: str | None = None
    sender_id: int | None = None
    sender: CwSender | None = None
    echo_id: str | None = None
    source_id: str | None = None
    content_attributes: dict[str, Any] = Field(default_factory=dict)
    attachments: list[CwAttachment] = Field(default_factory=list)
    conversation: dict[str, Any] | None = None

    @field_validator("message_type", mode="before")
    @classmethod
    def _message_type(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.isdigit():
                return int(value)
            return MESSAGE_TYPES.get(value, value)
        return value

    @field_validator("created_at", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        return to_datetime(value)

    @field_validator("content_attributes", mode="before")
    @classmethod
    def _attrs(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}

    @field_validator("sender", mode="before")
    @classmethod
    def _sender(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else None

    @field_validator("echo_id", mode="before")
    @classmethod
    def _echo(cls, value: Any) -> Any:
        return None if value is None else str(value)

    @field_validator("attachments", mode="before")
    @classmethod
    def _attachments(cls, value: Any) -> Any:
        return value if isinstance(value, list) else []


class CwContact(CwModel):
    id: int
    name: str | None = None
    email: str | None = None
    phone_number: str | None = None
    thumbnail: str | None = None
    identifier: str | None = None
    availability_status: str | None = None
    additional_attributes: dict[str, Any] = Field(default_factory=dict)
    custom_attributes: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime | None = None
    last_activity_at: datetime | None = None

    @field_validator("created_at", "last_activity_at", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        return to_datetime(value)

    @field_validator("additional_attributes", "custom_attributes", mode="before")
    @classmethod
    def _attrs(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}


class CwConversationMeta(CwModel):
    sender: CwContact | None = None
    assignee: CwAgent | None = None
    assignee_type: str | None = None
    channel: str | None = None


class CwConversation(CwModel):
    """The conversation partial (REST) and `EventDataPresenter#push_data` (websocket)."""

    id: int
    account_id: int | None = None
    inbox_id: int | None = None
    meta: CwConversationMeta = Field(default_factory=CwConversationMeta)
    messages: list[CwMessage] = Field(default_factory=list)
    last_non_activity_message: CwMessage | None = None
    status: str = "open"
    labels: list[str] = Field(default_factory=list)
    unread_count: int = 0
    can_reply: bool | None = None
    waiting_since: datetime | None = None
    agent_last_seen_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_activity_at: datetime | None = None
    timestamp: datetime | None = None
    snoozed_until: datetime | None = None
    priority: str | None = None

    @field_validator(
        "waiting_since",
        "agent_last_seen_at",
        "created_at",
        "updated_at",
        "last_activity_at",
        "timestamp",
        "snoozed_until",
        mode="before",
    )
    @classmethod
    def _time(cls, value: Any) -> Any:
        return to_datetime(value)

    @field_validator("unread_count", mode="before")
    @classmethod
    def _unread(cls, value: Any) -> Any:
        return 0 if value is None else value

    @field_validator("labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> Any:
        return [str(v) for v in value] if isinstance(value, list) else []

    @field_validator("last_non_activity_message", mode="before")
    @classmethod
    def _last(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else None

    @property
    def has_waiting_since(self) -> bool:
        """Whether the server sent `waiting_since` at all (older servers do not)."""
        return "waiting_since" in self.model_fields_set


class CwCounts(CwModel):
    mine_count: int | None = None
    assigned_count: int | None = None
    unassigned_count: int | None = None
    all_count: int | None = None


class CwConversationListData(CwModel):
    meta: CwCounts = Field(default_factory=CwCounts)
    payload: list[CwConversation] = Field(default_factory=list)


class CwConversationList(CwModel):
    """`GET /conversations`: `{"data": {"meta": counts, "payload": [...]}}`."""

    data: CwConversationListData


class CwMessageList(CwModel):
    """`GET /conversations/{id}/messages`: `{"meta": {...}, "payload": [message...]}`."""

    meta: dict[str, Any] = Field(default_factory=dict)
    payload: list[CwMessage] = Field(default_factory=list)


class CwCannedResponse(CwModel):
    id: int
    short_code: str
    content: str
    account_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("created_at", "updated_at", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        return to_datetime(value)


class CwShopifyOrder(CwModel):
    """One entry of `GET /integrations/shopify/orders` (FINDINGS.md §8): a thin order summary."""

    id: int | str
    name: str | None = None  # Shopify's "#1001"; not in Chatwoot's v4.10 answer, read if present
    email: str | None = None
    created_at: datetime | None = None
    total_price: str | float | int | None = None
    currency: str | None = None
    fulfillment_status: str | None = None
    financial_status: str | None = None
    admin_url: str | None = None

    @field_validator("created_at", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        return to_datetime(value)


class CwShopifyOrders(CwModel):
    orders: list[CwShopifyOrder] = Field(default_factory=list)


class CwReportSummary(CwModel):
    """`GET /api/v2/accounts/{a}/reports/summary` (averages are decimal strings in seconds)."""

    conversations_count: int | None = None
    incoming_messages_count: int | None = None
    outgoing_messages_count: int | None = None
    avg_first_response_time: float | None = None
    avg_resolution_time: float | None = None
    reply_time: float | None = None
    resolutions_count: int | None = None

    @field_validator("avg_first_response_time", "avg_resolution_time", "reply_time", mode="before")
    @classmethod
    def _seconds(cls, value: Any) -> Any:
        return to_seconds(value)


class CwAgentSummary(CwModel):
    """One entry of `GET /api/v2/accounts/{a}/summary_reports/agent`."""

    id: int
    conversations_count: int | None = None
    resolved_conversations_count: int | None = None
    avg_first_response_time: float | None = None
    avg_reply_time: float | None = None
    avg_resolution_time: float | None = None

    @field_validator(
        "avg_first_response_time", "avg_reply_time", "avg_resolution_time", mode="before"
    )
    @classmethod
    def _seconds(cls, value: Any) -> Any:
        return to_seconds(value)


class CwReportPoint(CwModel):
    """One point of `GET /api/v2/accounts/{a}/reports?metric=...` (a bare array)."""

    value: float | None = None
    timestamp: datetime | None = None
    count: int | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: Any) -> Any:
        return to_seconds(value)

    @field_validator("timestamp", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        return to_datetime(value)


class CwSlaPolicy(CwModel):
    """An SLA policy (enterprise; thresholds in seconds, null when unset)."""

    id: int
    name: str = ""
    first_response_time_threshold: float | None = None
    next_response_time_threshold: float | None = None
    resolution_time_threshold: float | None = None
    only_during_business_hours: bool = False


class CwAppliedSla(CwModel):
    """An SLA applied to a conversation (enterprise), with its missed-target events."""

    id: int
    sla_policy_id: int | None = None
    conversation_id: int | None = None
    sla_status: str | None = None
    sla_events: list[dict[str, Any]] = Field(default_factory=list)


class CwToggleStatus(CwModel):
    """`POST /toggle_status`: `{"meta": {}, "payload": {success, conversation_id, current_status}}`."""

    payload: dict[str, Any] = Field(default_factory=dict)
