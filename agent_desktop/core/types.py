"""The data types of the Agent API v1 (SPEC §3), shared by the reference server and the client.

Times are timezone-aware UTC datetimes; money is integer minor units plus a currency code; ids are
opaque strings. Models ignore unknown fields so a newer server does not break an older client.
The shop's customers and orders are in core/order_types.py, the Messenger's in
core/messenger_types.py; the API's literal types and names in core/literals.py.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# The API's names and limits live in core/literals.py (no pydantic, for code that runs before
# the first paint); all of them are re-exported here with the models.
from agent_desktop.core.literals import *  # noqa: F403
from agent_desktop.core.literals import (
    AuthorKind,
    DeliveryState,
    MessageKind,
    OrderEvent,
    Presence,
    Role,
    TemplateScope,
    ThreadStatus,
    WindowState,
)


class Model(BaseModel):
    """The base of the API's models. Each builds its validator on first use (`defer_build`): a
    start decodes its first page without them (backends/agent_api_decode.py), and most models
    (orders, actions, figures, the Messenger's) are not used until later, if at all."""

    model_config = ConfigDict(extra="ignore", frozen=False, defer_build=True)

    def model_post_init(self, context: Any, /) -> None:
        """A model given every field (as the API sends them) shares one "fields set" with the
        others of its class instead of holding its own: a set of 11 names is 728 bytes, about
        2 KB per thread with its last message (20 MB at 10,000 threads). Sharing is safe because
        pydantic only ever adds a field's name to it, which is already there; a copy
        (`model_copy`) gets its own set."""
        fields_set = self.__pydantic_fields_set__
        cls = type(self)
        full = _FULL_FIELDS.get(cls)
        if full is None:
            full = _FULL_FIELDS[cls] = set(cls.model_fields)
        if fields_set is not full and len(fields_set) == len(full):
            object.__setattr__(self, "__pydantic_fields_set__", full)


_FULL_FIELDS: dict[type[BaseModel], set[str]] = {}


def build_validators() -> None:
    """Build the validator of every API model defined so far now, and no longer defer it: the
    server uses them all, and FastAPI's own adapters of a model (a request body's) defer theirs
    as the model's configuration says, then fail to build them when the schema is asked for."""
    waiting: list[type[Model]] = [Model]
    while waiting:
        model = waiting.pop()
        waiting.extend(model.__subclasses__())
        model.model_config["defer_build"] = False
        if model is not Model:
            model.model_rebuild()


class Author(Model):
    kind: AuthorKind
    id: str | None = None
    name: str = ""


class Attachment(Model):
    kind: Literal["image", "file"] = "image"
    url: str
    name: str = ""
    mime: str = ""
    width: int | None = None
    height: int | None = None


class Message(Model):
    id: str
    thread_id: str
    client_id: str | None = None
    author: Author
    kind: MessageKind = "text"
    text: str = ""
    attachments: list[Attachment] = Field(default_factory=list)
    order_id: str | None = None
    order_event: OrderEvent | None = None  # for kind == "order_event"
    tag: str | None = None  # the Messenger message tag a reply went out with
    delivery: DeliveryState = "sent"
    error: str | None = None  # why delivery failed, a sentence for the agent
    created_at: datetime


class CustomerRef(Model):
    id: str
    name: str
    avatar_url: str | None = None


class ReplyWindow(Model):
    state: WindowState = "none"
    closes_at: datetime | None = None  # when the current state ends (None: never, or closed)


class CustomerSuggestion(Model):
    """A shop customer the server thinks a thread's customer is; an agent confirms it."""

    customer_id: str
    name: str
    reason: str  # a sentence: why the server thinks so
    basis: str = ""  # order | email | phone: what matched
    evidence: str = ""  # the order number, e-mail address or phone number that matched


class Thread(Model):
    id: str
    customer: CustomerRef
    status: ThreadStatus = "open"
    assignee_id: str | None = None
    last_message: Message | None = None
    waiting_since: datetime | None = None
    unread: int = 0
    channel: str = "messenger"
    reply_window: ReplyWindow = Field(default_factory=ReplyWindow)
    last_customer_message_at: datetime | None = None
    updated_at: datetime
    customer_suggestion: CustomerSuggestion | None = None
    # The end of a standard window longer than 24 h (Messenger: the first message after a
    # Click-to-Messenger ad opens up to 7 days); None for the usual window.
    standard_window_until: datetime | None = None


class Agent(Model):
    """A member of the team. `active` is false once a lead deactivated the account;
    `invitation_expires_at` is set while an invitation or reset code waits to be used."""

    id: str
    name: str
    email: str
    role: Role = "agent"
    presence: Presence = "offline"
    presence_since: datetime | None = None
    active: bool = True
    last_seen_at: datetime | None = None
    invitation_expires_at: datetime | None = None


class Invitation(Model):
    """A one-time code a new (or reset) member turns into a password, valid until `expires_at`."""

    code: str
    expires_at: datetime


class NewMember(Model):
    """The answer to adding a member or resetting one: the account and the code to pass on."""

    agent: Agent
    invitation: Invitation


class Template(Model):
    id: str
    shortcut: str
    title: str
    body: str
    language: str = "en"
    scope: TemplateScope = "personal"
    owner_id: str | None = None
    updated_at: datetime | None = None
    # The customer question a team template answers (core.intents.TEMPLATE_INTENTS): the
    # composer suggests it, filled, when a customer asks that.
    intent: str | None = None


class AwayPeriod(Model):
    start: datetime
    end: datetime


class TeamSettings(Model):
    target_seconds: int = 300
    window_days: int = 7
    away: list[AwayPeriod] = Field(default_factory=list)
    allowed_tags: list[str] = Field(default_factory=lambda: ["HUMAN_AGENT"])
    # Refunds above these amounts (minor units, per currency code) wait for a lead's approval;
    # a currency without an entry has no limit.
    refund_limits: dict[str, int] = Field(default_factory=dict)
    # How to send something back, per language ("en", "fr"): the {{return.instructions}}
    # template variable.
    return_instructions: dict[str, str] = Field(default_factory=dict)


class ThreadPage(Model):
    items: list[Thread]
    next_cursor: str | None = None


class MessagePage(Model):
    items: list[Message]
    has_more: bool = False


class LoginResult(Model):
    token: str
    agent: Agent


class Figures(Model):
    """The numbers of SPEC §2 for a set of openings (the team's, or one agent's)."""

    openings: int = 0
    counted: int = 0
    responded: int = 0
    pending: int = 0
    response_rate: float | None = None
    median_response_seconds: float | None = None
    fastest90_mean_seconds: float | None = None
    within_target_rate: float | None = None
    badge: bool = False


class AgentFigures(Model):
    responded: int = 0
    median_response_seconds: float | None = None
    within_target_rate: float | None = None
    replies: int = 0  # public replies sent in the window


class MetricsReport(Model):
    since: datetime
    until: datetime
    target_seconds: int
    team: Figures
    agents: dict[str, AgentFigures] = Field(default_factory=dict)


class Event(Model):
    """One stored event of the live stream. `data` depends on `name`:

    - message.created / message.updated: {"message": Message, "thread": Thread}
    - thread.updated: {"thread": Thread}
    - agent.presence: {"agent": Agent}
    - agent.updated: {"agent": Agent}  (added, renamed, role changed, deactivated, activated,
      reset, or an invitation used)
    - template.changed: {"id": str, "template": Template | None}  (None when deleted)
    - order.updated: {"order": Order, "customer_id": str}
    - order.action: {"action": OrderAction, "order_id": str, "customer_id": str}
    - settings.changed: {"settings": TeamSettings}
    """

    seq: int
    name: str
    data: dict[str, Any]
