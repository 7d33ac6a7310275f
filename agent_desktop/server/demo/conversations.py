"""The demo shop's conversations: threads whose messages talk about the customers' real orders,
with agent replies, notes, instant replies and order notifications, ending in a spread of states
(waiting with ok / warning / breached timers, answered, pending, resolved, spam).

Everything is planned in memory (deterministic for a given random generator); `seed.py` inserts
the plan in bulk. Message texts are rendered after orders are numbered.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from agent_desktop.core.clock import compute_waiting_since
from agent_desktop.core.metrics import as_metric_message
from agent_desktop.server.demo import phrases
from agent_desktop.server.demo.catalogue import WEARABLES, Product
from agent_desktop.server.demo.names import SHOP_NAME
from agent_desktop.server.demo.shop import (
    DAY,
    HOUR,
    DemoCustomer,
    DemoOrder,
    Fate,
    ShopMaker,
    rid,
)

State = Literal["waiting", "answered", "pending", "resolved", "spam"]
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)

# Share of threads in each final state.
STATE_WEIGHTS: dict[State, float] = {
    "waiting": 0.22,
    "answered": 0.15,
    "pending": 0.10,
    "resolved": 0.50,
    "spam": 0.03,
}
INTENT_WEIGHTS: dict[str, float] = {
    "where_is": 20,
    "late": 12,
    "return": 14,
    "damaged": 7,
    "wrong_size": 7,
    "not_received": 6,
    "address": 6,
    "cancel": 5,
    "refund": 6,
    "product": 10,
}
THANKS = {"en": (0, 1, 3, 6, 7), "fr": (0, 1, 3, 6, 7)}  # indexes of FOLLOW_UPS that thank
CHASERS = {"en": (2, 4, 5), "fr": (2, 4, 5)}  # indexes that chase an answer


@dataclass(frozen=True, slots=True)
class DemoAgent:
    id: str
    email: str
    name: str
    role: str
    presence: str
    weight: float  # share of the replies in the history
    speed: float  # multiplies the typical response time

    @property
    def first(self) -> str:
        return self.name.split()[0]

    def row(self, password_hash: str, now: datetime) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "role": self.role,
            "password_hash": password_hash,
            "presence": self.presence,
            "presence_since": now - timedelta(minutes=42),
            "created_at": now - DAY * 400,
        }


# The demo team: agent@ and lead@ are the people trying the demo; the simulator answers as the
# other three.
AGENT_SPECS: tuple[tuple[str, str, str, str, float, float], ...] = (
    ("agent@demo.test", "Alex Moreau", "agent", "offline", 14, 1.1),
    ("lead@demo.test", "Léa Fontaine", "lead", "offline", 8, 0.9),
    ("camille@demo.test", "Camille Laurent", "agent", "online", 30, 0.8),
    ("hugo@demo.test", "Hugo Bernard", "agent", "online", 26, 1.2),
    ("priya@demo.test", "Priya Sharma", "agent", "away", 22, 0.7),
)
SIMULATED_AGENT_EMAILS = ("camille@demo.test", "hugo@demo.test", "priya@demo.test")


def make_agents(rng: random.Random) -> list[DemoAgent]:
    return [
        DemoAgent(rid(rng, "a"), email, name, role, presence, weight, speed)
        for email, name, role, presence, weight, speed in AGENT_SPECS
    ]


@dataclass
class PlannedMessage:
    at: datetime
    author_kind: str  # customer | agent | automated
    author_id: str | None
    author_name: str
    kind: str  # text | note | order_event
    render: Callable[[], str]
    order: DemoOrder | None = None
    order_event: str | None = None
    id: str = ""


@dataclass
class ThreadPlan:
    id: str
    customer: DemoCustomer
    state: State
    status: str = "open"
    assignee_id: str | None = None
    messages: list[PlannedMessage] = field(default_factory=list)
    orders: list[DemoOrder] = field(default_factory=list)  # the orders its messages talk about


class Fields(dict[str, str]):
    """The values a phrase may use, in the customer's language, computed when a phrase asks for
    them (`pattern.format_map(Fields(...))`)."""

    def __init__(
        self,
        customer: DemoCustomer,
        order: DemoOrder | None,
        product: Product | None = None,
        agent: DemoAgent | None = None,
    ) -> None:
        super().__init__()
        self.customer = customer
        self.order = order
        self.product = product or (order.items[0][0] if order is not None else None)
        self.agent = agent

    def __missing__(self, key: str) -> str:
        loc = self.customer.locale
        order = self.order
        if key == "first":
            return self.customer.first
        if key == "agent":
            return self.agent.first if self.agent is not None else ""
        if key == "item":
            return self.product.short(loc) if self.product is not None else ""
        if order is None:
            return ""
        if key == "order":
            return order.number
        if key == "carrier":
            return order.carrier.name
        if key == "eta":
            return phrases.day(order.eta, loc)
        if key == "url":
            return order.tracking_url
        if key == "total":
            return phrases.money(order.total, loc)
        if key == "count":
            return str(sum(q for _, q in order.items))
        raise KeyError(key)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class ConversationMaker:
    """Plans threads for customers, creating the orders their messages talk about."""

    def __init__(self, rng: random.Random, shop: ShopMaker, agents: list[DemoAgent]) -> None:
        self.rng = rng
        self.shop = shop
        self.now = shop.now
        self.agents = agents
        self._agent_weights = [a.weight for a in agents]

    # --- random helpers ----------------------------------------------------------------------

    def _log_uniform(self, lo: float, hi: float) -> float:
        return math.exp(self.rng.uniform(math.log(lo), math.log(hi)))

    def _daytime(self, at: datetime) -> datetime:
        """Move a historic moment back into the shop's busy hours (07:00–21:00 UTC) most of
        the time; never later than it was."""
        if 7 <= at.hour < 21 or self.rng.random() < 0.12:
            return at
        if at.hour >= 21:
            return at.replace(hour=self.rng.randint(7, 20))
        return (at - DAY).replace(hour=self.rng.randint(9, 20))

    def _agent(self) -> DemoAgent:
        return self.rng.choices(self.agents, self._agent_weights)[0]

    def _response_delay(self, agent: DemoAgent) -> timedelta | None:
        """How long an opening waits for its first reply; None: not within 24 hours."""
        roll = self.rng.random()
        if roll < 0.2:
            return None
        if roll < 0.26:
            return timedelta(seconds=self._log_uniform(900, 5 * 3600))
        seconds = self.rng.lognormvariate(math.log(150), 0.8) * agent.speed
        return timedelta(seconds=max(20.0, seconds))

    def _quick_delay(self) -> timedelta:
        return timedelta(seconds=max(15.0, self.rng.lognormvariate(math.log(80), 0.6)))

    # --- messages ----------------------------------------------------------------------------

    def _say(self, plan: ThreadPlan, at: datetime, pick: Callable[[], str]) -> None:
        c = plan.customer
        plan.messages.append(PlannedMessage(at, "customer", c.id, c.name, "text", pick))

    def _reply(
        self, plan: ThreadPlan, at: datetime, agent: DemoAgent, pick: Callable[[], str], note: bool
    ) -> None:
        kind = "note" if note else "text"
        plan.messages.append(PlannedMessage(at, "agent", agent.id, agent.name, kind, pick))

    def _auto(self, plan: ThreadPlan, at: datetime, text: str) -> None:
        plan.messages.append(PlannedMessage(at, "automated", None, SHOP_NAME, "text", lambda: text))

    def _pattern(
        self,
        pool: tuple[str, ...],
        c: DemoCustomer,
        order: DemoOrder | None,
        product: Product | None = None,
        agent: DemoAgent | None = None,
    ) -> Callable[[], str]:
        pattern = self.rng.choice(pool)
        return lambda: capitalised(pattern.format_map(Fields(c, order, product, agent)))

    # --- orders that conversations are about -------------------------------------------------

    def _subject(
        self, c: DemoCustomer, intent: str, t0: datetime, open_end: bool
    ) -> tuple[DemoOrder, Product]:
        shop = self.shop
        fate: Fate = "normal"
        if intent == "where_is":
            order = shop.order_with(c, t0, "transit")
        elif intent == "late":
            order = shop.order_with(c, t0, "after_eta", "stuck" if open_end else "late")
        elif intent == "return":
            fate = "normal" if open_end else "returned"
            order = shop.order_with(c, t0, "delivered", fate)
        elif intent in ("damaged", "wrong_size", "not_received"):
            order = shop.order_with(c, t0, "delivered")
        elif intent == "address":
            order = shop.order_with(c, t0, "preparing")
        elif intent == "cancel":
            order = shop.order_with(c, t0, "preparing", "cancelled")
        elif intent == "refund":
            order = shop.order_with(c, t0, "returned", "returned")
        else:  # product question: about an earlier delivered order
            order = shop.order_with(c, t0 - DAY * self.rng.uniform(5, 60), "delivered")
        product = (
            self.rng.choice(order.items)[0] if intent != "product" else self.rng.choice(WEARABLES)
        )
        return order, product

    def _intent(self, open_end: bool) -> str:
        intents = [i for i in INTENT_WEIGHTS if not (open_end and i == "cancel")]
        return self.rng.choices(intents, [INTENT_WEIGHTS[i] for i in intents])[0]

    # --- one thread --------------------------------------------------------------------------

    def thread(self, customer: DemoCustomer, state: State) -> ThreadPlan:
        rng = self.rng
        now = self.now
        plan = ThreadPlan(id=rid(rng, "t"), customer=customer, state=state)
        instant_replies = rng.random() < 0.4
        if state == "spam":
            at = now - timedelta(seconds=self._log_uniform(600, 12 * 86400))
            text = rng.choice(phrases.SPAM)
            self._say(plan, at, lambda: text)
            plan.status = "spam"
            return plan
        wait = 0.0
        if state == "waiting":
            roll = rng.random()
            if roll < 0.3:
                wait = rng.uniform(5, 170)  # ok
            elif roll < 0.5:
                wait = rng.uniform(185, 295)  # warning
            else:
                wait = self._log_uniform(320, 2 * 3600)  # breached, by up to a couple of hours
            last = now - timedelta(seconds=wait)
        elif state == "answered":
            last = now - timedelta(seconds=self._log_uniform(600, 30 * 3600))
        elif state == "pending":
            last = now - timedelta(seconds=self._log_uniform(3600, 4 * 86400))
        elif rng.random() < 0.65:
            last = self._daytime(now - timedelta(seconds=self._log_uniform(3600, 7 * 86400)))
        else:
            last = self._daytime(now - DAY * rng.uniform(7, 100))
        starts = [last]
        for _ in range(rng.choices((0, 1, 2, 3), (45, 30, 15, 10))[0]):
            starts.append(self._daytime(starts[-1] - DAY * self._log_uniform(1.3, 30)))
        starts.reverse()
        for i, t0 in enumerate(starts):
            final = i == len(starts) - 1
            next_start = starts[i + 1] if not final else now
            self._episode(plan, t0, next_start, final, wait, instant_replies)
        self._order_notifications(plan)
        plan.messages.sort(key=lambda m: m.at)
        return plan

    def _episode(
        self,
        plan: ThreadPlan,
        t0: datetime,
        next_start: datetime,
        final: bool,
        wait: float,
        instant_replies: bool,
    ) -> None:
        rng = self.rng
        c = plan.customer
        loc = c.locale
        state = plan.state if final else "resolved"
        open_end = final and state in ("waiting", "answered", "pending")
        intent = self._intent(open_end)
        agent = self._agent()
        if state == "waiting":
            # The customer's oldest unanswered message is at t0 = now - wait.
            style = rng.random()
            if style < 0.25:
                earlier = t0 - timedelta(seconds=self._log_uniform(900, 4 * 3600))
                order, product = self._subject(c, intent, earlier, True)
                plan.orders.append(order)
                self._say(
                    plan, earlier, self._pattern(phrases.OPENERS[intent][loc], c, order, product)
                )
                self._reply(
                    plan,
                    earlier + self._quick_delay() * 2,
                    agent,
                    self._pattern(phrases.ANSWERS[intent][loc], c, order, product, agent),
                    False,
                )
                pool = tuple(phrases.FOLLOW_UPS[loc][j] for j in CHASERS[loc])
                self._say(plan, t0, self._pattern(pool, c, order))
                plan.assignee_id = agent.id
            else:
                order, product = self._subject(c, intent, t0, True)
                plan.orders.append(order)
                self._say(plan, t0, self._pattern(phrases.OPENERS[intent][loc], c, order, product))
                if instant_replies:
                    self._auto(plan, t0 + SECOND * rng.uniform(1, 3), phrases.INSTANT_REPLY[loc])
                if style > 0.8 and wait > 40:
                    again = t0 + timedelta(seconds=wait * rng.uniform(0.3, 0.9))
                    pool = tuple(phrases.FOLLOW_UPS[loc][j] for j in CHASERS[loc])
                    self._say(plan, again, self._pattern(pool, c, order))
                if rng.random() < 0.5:
                    plan.assignee_id = agent.id
            if rng.random() < 0.15 and wait > 60:
                at = t0 + timedelta(seconds=wait * rng.uniform(0.2, 0.8))
                self._reply(plan, at, agent, self._pattern(phrases.NOTES, c, order), True)
            plan.status = "open"
            return

        order, product = self._subject(c, intent, t0, open_end)

        plan.orders.append(order)
        self._say(plan, t0, self._pattern(phrases.OPENERS[intent][loc], c, order, product))
        if instant_replies:
            night = not (7 <= t0.hour < 20)
            text = phrases.AWAY_MESSAGE[loc] if night else phrases.INSTANT_REPLY[loc]
            self._auto(plan, t0 + SECOND * rng.uniform(1, 3), text)
        delay = self._response_delay(agent)
        limit = min(next_start, self.now) - MINUTE
        missed = delay is None and state == "resolved"
        if delay is None:
            delay = HOUR * rng.uniform(25, 40) if missed else self._quick_delay() * 2
        reply_at = t0 + delay
        if final and reply_at > limit and not missed:
            reply_at = t0 + (limit - t0) * rng.uniform(0.2, 0.7)
        if reply_at > limit and limit - t0 > DAY + MINUTE:
            # Missed, yet answered late before the customer wrote again: a message nobody ever
            # answered would start the next conversation's timer days back (SPEC §2).
            reply_at = t0 + DAY + (limit - t0 - DAY) * rng.uniform(0.1, 0.9)
        if reply_at > limit:
            plan.status = "resolved"
            return  # a missed opening of the last day, closed without an answer
        if rng.random() < 0.12:
            note_at = t0 + (reply_at - t0) * rng.uniform(0.3, 0.9)
            self._reply(plan, note_at, agent, self._pattern(phrases.NOTES, c, order), True)
        if state == "pending":
            pool = phrases.PENDING_QUESTIONS[loc]
        else:
            pool = phrases.ANSWERS[intent][loc]
        self._reply(plan, reply_at, agent, self._pattern(pool, c, order, product, agent), False)
        plan.assignee_id = agent.id
        plan.status = {"answered": "open", "pending": "pending"}.get(state, "resolved")
        if state == "pending":
            return
        if rng.random() < 0.65:
            follow_at = reply_at + MINUTE * self._log_uniform(1, 40)
            close_at = follow_at + self._quick_delay()
            if rng.random() < 0.8 and close_at < limit:
                # The customer's thanks gets the shop's closing line; otherwise the conversation
                # ends with the shop's reply, so no thanks waits unanswered for the next question.
                pool = tuple(phrases.FOLLOW_UPS[loc][j] for j in THANKS[loc])
                self._say(plan, follow_at, self._pattern(pool, c, order))
                self._reply(
                    plan,
                    close_at,
                    agent,
                    self._pattern(phrases.CLOSINGS[loc], c, order, None, agent),
                    False,
                )

    def _order_notifications(self, plan: ThreadPlan) -> None:
        """Order notifications (receipt, shipped, delivered...) in the thread for the orders of
        the last 30 days that it talks about, when the customer agreed to order updates."""
        c = plan.customer
        if not c.consent or not plan.messages:
            return
        names = {
            "label_created": None,
            "picked_up": "shipped",
            "in_transit": None,
            "out_for_delivery": "out_for_delivery",
            "delivered": "delivered",
            "delayed": "delayed",
            "returned": "returned",
        }
        orders = plan.orders
        oldest = self.now - DAY * 30
        for order in orders:
            if not oldest <= order.placed_at <= self.now:
                continue
            moments: list[tuple[datetime, str]] = [(order.placed_at + SECOND * 20, "placed")]
            for at, status, _ in order.events:
                event = names.get(status)
                if event is not None and at <= self.now:
                    moments.append((at, event))
            for at, event in moments:
                if event == "out_for_delivery" and self.rng.random() < 0.8:
                    continue
                pattern = phrases.ORDER_EVENTS[event][c.locale]

                def render(p: str = pattern, o: DemoOrder = order) -> str:
                    return p.format_map(Fields(c, o))

                plan.messages.append(
                    PlannedMessage(
                        at, "automated", None, SHOP_NAME, "order_event", render, order, event
                    )
                )


def thread_columns(plan: ThreadPlan, now: datetime) -> dict[str, Any]:
    """The stored state of a planned thread, computed with the core rules (SPEC §2)."""
    msgs = plan.messages
    metric = [as_metric_message(m.at, m.author_kind, m.kind, m.author_id) for m in msgs]
    waiting = compute_waiting_since(metric)
    customer_times = [m.at for m in msgs if m.author_kind == "customer"]
    unread = 0
    for m in msgs:
        if m.author_kind == "customer":
            unread += 1
        elif m.author_kind == "agent" and m.kind != "note":
            unread = 0
    status = plan.status
    return {
        "id": plan.id,
        "customer_id": plan.customer.id,
        "channel": "messenger",
        "status": status,
        "assignee_id": plan.assignee_id,
        "waiting_since": waiting,
        "queue_since": None if status in ("resolved", "spam") else waiting,
        "unread": unread,
        "last_message_id": msgs[-1].id if msgs else None,
        "last_customer_message_at": max(customer_times) if customer_times else None,
        "created_at": msgs[0].at if msgs else now,
        "updated_at": msgs[-1].at if msgs else now,
    }
