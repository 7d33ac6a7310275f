"""Who a conversation's customer is in the shop. A Messenger user arrives known only by a PSID and
a name; the shop knows customers with orders, e-mails and phones.

The server only ever *suggests* (`suggest`, run on each customer message): when the message names
an order number whose customer has the same name, or an e-mail address or phone number a shop
customer has. The suggestion rides on the thread (`customer_suggestion`); an agent confirms it
(`link`, which moves the thread to the shop customer and keeps the Messenger identity attached)
or dismisses it (`dismiss`; never suggested again for that thread).
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.models import (
    CustomerLinkRow,
    CustomerRow,
    OrderRow,
    ThreadRow,
    utcnow,
)
from agent_desktop.server.shop.search import name_key, phone_tail

# "#1042", "order 1875", "commande n° 1875", "1875": three to twelve digits standing alone.
_NUMBER = re.compile(r"(?<![\w@.+])#?(\d{3,12})(?![\w@])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d .\-()]{7,18}\d")
MAX_CANDIDATES = 10


def candidates(text: str) -> tuple[list[str], list[str], list[str]]:
    """Order numbers, e-mail addresses and phone tails a message mentions."""
    emails = [e.lower() for e in _EMAIL.findall(text)][:MAX_CANDIDATES]
    scrubbed = _EMAIL.sub(" ", text)
    phones = [t for p in _PHONE.findall(scrubbed) if (t := phone_tail(p)) and len(t) == 9]
    numbers = [n for n in _NUMBER.findall(scrubbed) if len(n) < 9][:MAX_CANDIDATES]
    return numbers, emails, phones[:MAX_CANDIDATES]


async def _refused(session: AsyncSession, thread_id: str) -> set[str]:
    return set(
        (
            await session.execute(
                select(CustomerLinkRow.customer_id).where(
                    CustomerLinkRow.thread_id == thread_id,
                    CustomerLinkRow.status == "dismissed",
                )
            )
        ).scalars()
    )


async def _other_shop_customer(
    session: AsyncSession, customer: CustomerRow, condition: ColumnElement[bool]
) -> CustomerRow | None:
    """One customer a shop knows (not a Messenger-only one), other than `customer`, meeting
    `condition`; or None."""
    return (
        await session.execute(
            select(CustomerRow)
            .where(condition, CustomerRow.source_kind.is_not(None), CustomerRow.id != customer.id)
            .limit(1)
        )
    ).scalar_one_or_none()


async def find_match(
    session: AsyncSession, customer: CustomerRow, text: str
) -> tuple[CustomerRow, str, str, str] | None:
    """A shop customer the message points to, with the reason (a sentence), what matched
    (order, email, phone) and the matching value; or None."""
    numbers, emails, phones = candidates(text)
    if not (numbers or emails or phones):
        return None
    if emails:
        found = await _other_shop_customer(
            session, customer, func.lower(CustomerRow.email).in_(emails)
        )
        if found is not None:
            reason = (
                f"The customer wrote the e-mail address {found.email}, which is {found.name}'s in "
                "the shop."
            )
            return found, reason, "email", str(found.email)
    for tail in phones:
        found = await _other_shop_customer(
            session, customer, CustomerRow.phone_digits.like(f"%{tail}")
        )
        if found is not None:
            reason = (
                f"The customer wrote the phone number {found.phone}, which is {found.name}'s in "
                "the shop."
            )
            return found, reason, "phone", str(found.phone)
    key = name_key(customer.name)
    if numbers and key:
        wanted = [*numbers, *(f"#{n}" for n in numbers)]
        rows = (
            await session.execute(
                select(OrderRow.number, CustomerRow)
                .join(CustomerRow, CustomerRow.id == OrderRow.customer_id)
                .where(OrderRow.number.in_(wanted), CustomerRow.id != customer.id)
                .limit(MAX_CANDIDATES)
            )
        ).all()
        for number, found in rows:
            if found.search_name == key:
                reason = (
                    f"The customer mentioned order {number}, placed by {found.name}: the same name."
                )
                return found, reason, "order", str(number)
    return None


async def suggest(session: AsyncSession, thread: ThreadRow, text: str) -> bool:
    """After a customer message: suggest a shop customer for a thread whose customer the shop
    does not know yet. Returns True when the thread got a (new) suggestion."""
    if thread.customer_suggestion or not text:
        return False
    customer = await session.get(CustomerRow, thread.customer_id)
    if customer is None or customer.source_kind is not None:
        return False
    match = await find_match(session, customer, text)
    if match is None:
        return False
    found, reason, basis, evidence = match
    if found.id in await _refused(session, thread.id):
        return False
    link = await session.get(CustomerLinkRow, (thread.id, found.id))
    if link is None:
        session.add(
            CustomerLinkRow(
                thread_id=thread.id, customer_id=found.id, status="suggested", reason=reason
            )
        )
    else:
        link.status, link.reason = "suggested", reason
    thread.customer_suggestion = {
        "customer_id": found.id,
        "name": found.name,
        "reason": reason,
        "basis": basis,
        "evidence": evidence,
    }
    await session.flush()
    return True


async def link(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    thread: ThreadRow,
    customer: CustomerRow,
    agent_id: str,
) -> ThreadRow:
    """Make `customer` the thread's customer (emits thread.updated). The customer it had keeps
    its record (linking back to it undoes this); its Messenger PSID moves along when the shop
    customer has none, so later messages and order updates reach the same person."""
    previous = await session.get(CustomerRow, thread.customer_id)
    if previous is None or previous.id == customer.id:
        return thread
    if previous.messenger_psid and not customer.messenger_psid:
        psid = previous.messenger_psid
        previous.messenger_psid = None
        await session.flush()
        customer.messenger_psid = psid
    thread.customer_id = customer.id
    thread.customer_suggestion = None
    now = utcnow()
    row = await session.get(CustomerLinkRow, (thread.id, customer.id))
    if row is None:
        row = CustomerLinkRow(thread_id=thread.id, customer_id=customer.id, created_at=now)
        session.add(row)
    row.status, row.previous_customer_id = "linked", previous.id
    row.decided_by, row.decided_at = agent_id, now
    thread.updated_at = max(thread.updated_at, now)
    await services.emit_thread(session, thread)
    return thread


async def dismiss(
    ctx: ServerContext, session: AsyncSession, *, thread: ThreadRow, agent_id: str
) -> ThreadRow:
    """The agent says the suggestion is wrong: forget it for good (emits thread.updated)."""
    suggestion = thread.customer_suggestion
    if not suggestion:
        return thread
    customer_id = str(suggestion.get("customer_id"))
    row = await session.get(CustomerLinkRow, (thread.id, customer_id))
    if row is None and await session.get(CustomerRow, customer_id) is not None:
        row = CustomerLinkRow(thread_id=thread.id, customer_id=customer_id, reason="")
        session.add(row)
    if row is not None:
        row.status, row.decided_by, row.decided_at = "dismissed", agent_id, utcnow()
    thread.customer_suggestion = None
    await services.emit_thread(session, thread)
    return thread
