"""The small deterministic data set behind `--seed-test`: three accounts (password "demo"), a few
customers with orders, threads in each interesting state (waiting, answered, human-agent window,
closed window, another channel, spam) and templates. Ids are fixed so tests can name them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.auth import shared_hash
from agent_desktop.server.context import ServerContext
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    OrderRow,
    TemplateRow,
    ThreadRow,
    utcnow,
)

PASSWORD = "demo"
AGENT, AGENT2, LEAD = "a_agent", "a_agent2", "a_lead"
ACCOUNTS = (
    (AGENT, "agent@demo.test", "Amélie Dubois", "agent"),
    (AGENT2, "agent2@demo.test", "Bruno Keller", "agent"),
    (LEAD, "lead@demo.test", "Léa Fontaine", "lead"),
)
# Thread ids, by what makes them interesting.
T_WAITING = "t_camille"  # customer waiting 2 minutes, unassigned, two orders
T_ANSWERED = "t_jonas"  # answered, assigned to agent@
T_HUMAN_AGENT = "t_sofia"  # last customer message 2 days ago: HUMAN_AGENT window
T_CLOSED = "t_olga"  # last customer message 9 days ago: window closed, resolved
T_WEB = "t_noah"  # web chat (no Messenger window), 26 messages, last by the shop, pending
T_SPAM = "t_spam"
PRODUCT_IMAGE = "products/test-mug.png"


def _write_product_image(media_dir: Path) -> None:
    target = media_dir / PRODUCT_IMAGE
    if target.exists():
        return
    from PIL import Image, ImageDraw

    target.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", (64, 64), (238, 232, 220))
    draw = ImageDraw.Draw(img)
    draw.rectangle((16, 18, 44, 52), fill=(40, 90, 160))
    draw.arc((38, 26, 56, 44), 270, 90, fill=(40, 90, 160), width=4)
    img.save(target, format="PNG")


def _order(
    order_id: str,
    number: str,
    customer_id: str,
    placed_at: datetime,
    status: str,
    items: list[dict[str, Any]],
    shipment: dict[str, Any] | None,
) -> OrderRow:
    subtotal = sum(int(i["unit_price"]) * int(i["quantity"]) for i in items)
    shipping = 490
    tax = round(subtotal * 0.2)
    return OrderRow(
        id=order_id,
        number=number,
        customer_id=customer_id,
        placed_at=placed_at,
        status=status,
        currency="EUR",
        items=items,
        subtotal=subtotal,
        shipping=shipping,
        tax=tax,
        total=subtotal + shipping + tax,
        payment={"method": "card", "status": "paid"},
        shipping_address={
            "name": "",
            "line1": "12 rue des Lilas",
            "postal_code": "69003",
            "city": "Lyon",
            "country": "FR",
        },
        shipments=[shipment] if shipment else [],
        source_kind="demo",
        external_id=order_id,
        source_updated_at=placed_at,
    )


async def _customer(
    ctx: ServerContext,
    session: AsyncSession,
    cid: str,
    name: str,
    locale: str,
    since: datetime,
    *,
    consent: bool = False,
) -> CustomerRow:
    return await services.create_customer(
        ctx,
        session,
        customer_id=cid,
        name=name,
        email=f"{cid[2:]}@example.test",
        phone="+33 6 12 34 56 78",
        locale=locale,
        customer_since=since,
        consent_order_updates=consent,
    )


async def _thread(
    ctx: ServerContext,
    session: AsyncSession,
    tid: str,
    customer: CustomerRow,
    at: datetime,
    *,
    channel: str = "messenger",
) -> ThreadRow:
    return await services.create_thread(
        ctx, session, customer=customer, channel=channel, created_at=at, thread_id=tid
    )


async def _one_message_thread(
    ctx: ServerContext,
    session: AsyncSession,
    tid: str,
    customer: CustomerRow,
    *,
    opened: datetime,
    text: str,
    wrote: datetime,
    assignee: str | None = None,
    status: str | None = None,
) -> ThreadRow:
    """A thread where the customer wrote once and nobody answered, then assigned or set."""
    thread = await _thread(ctx, session, tid, customer, opened)
    thread.assignee_id = assignee
    await services.post_signed(
        ctx, session, thread=thread, author=customer, text=text, created_at=wrote
    )
    if status is not None:
        await services.set_status(ctx, session, thread=thread, status=status)
    return thread


async def seed_test(ctx: ServerContext) -> bool:
    """Seed once per database; returns False when it was already seeded."""
    _write_product_image(ctx.media_dir)
    async with ctx.write() as session:
        if await services.get_meta(session, "test_seeded"):
            return False
        now = utcnow()
        password_hash = shared_hash(PASSWORD)
        agents: dict[str, AgentRow] = {}
        for aid, email, name, role in ACCOUNTS:
            agents[aid] = await services.create_agent(
                ctx,
                session,
                agent_id=aid,
                email=email,
                name=name,
                role=role,
                password_hash=password_hash,
            )

        def h(hours: float) -> datetime:
            return now - timedelta(hours=hours)

        mug = {
            "sku": "MUG-01",
            "title": "Mug en grès bleu",
            "quantity": 2,
            "unit_price": 1450,
            "image_url": f"/media/{PRODUCT_IMAGE}",
        }
        scarf = {
            "sku": "SCARF-07",
            "title": "Écharpe en laine",
            "quantity": 1,
            "unit_price": 3900,
            "image_url": None,
        }

        # Camille: waiting for 2 minutes, unassigned, two orders (one on its way).
        camille = await _customer(
            ctx, session, "c_camille", "Camille Martin", "fr", h(24 * 400), consent=True
        )
        await services.save_order(
            ctx,
            session,
            order=_order(
                "o_1041",
                "#1041",
                camille.id,
                h(24 * 60),
                "delivered",
                [scarf],
                {
                    "carrier": "Colissimo",
                    "tracking_number": "6A11111111111",
                    "status": "delivered",
                    "eta": (now - timedelta(days=56)).isoformat(),
                    "events": [
                        {
                            "at": (now - timedelta(days=58)).isoformat(),
                            "status": "shipped",
                            "location": "Lyon",
                        },
                        {
                            "at": (now - timedelta(days=56)).isoformat(),
                            "status": "delivered",
                            "location": "Lyon",
                        },
                    ],
                },
            ),
        )
        await services.save_order(
            ctx,
            session,
            order=_order(
                "o_1042",
                "#1042",
                camille.id,
                h(72),
                "shipped",
                [mug],
                {
                    "carrier": "Colissimo",
                    "tracking_number": "6A22222222222",
                    "status": "in_transit",
                    "eta": (now + timedelta(days=1)).isoformat(),
                    "events": [
                        {"at": h(48).isoformat(), "status": "shipped", "location": "Paris"},
                        {"at": h(20).isoformat(), "status": "in_transit", "location": "Mâcon"},
                    ],
                },
            ),
        )
        t = await _thread(ctx, session, T_WAITING, camille, h(48))
        await services.post_message(
            ctx,
            session,
            thread=t,
            author_kind="automated",
            author_name="Boutique",
            kind="order_event",
            text="Votre commande #1042 a été expédiée.",
            order_id="o_1042",
            order_event="shipped",
            created_at=h(48),
        )
        await services.post_signed(
            ctx,
            session,
            thread=t,
            author=camille,
            text="Bonjour, où en est ma commande #1042 ?",
            created_at=now - timedelta(minutes=2),
        )

        # Jonas: answered by agent@, assigned to them.
        jonas = await _customer(ctx, session, "c_jonas", "Jonas Weber", "en", h(24 * 90))
        await services.save_order(
            ctx,
            session,
            order=_order("o_2001", "#2001", jonas.id, h(24 * 5), "processing", [mug, scarf], None),
        )
        t = await _thread(ctx, session, T_ANSWERED, jonas, h(2))
        t.assignee_id = AGENT
        await services.post_signed(
            ctx,
            session,
            thread=t,
            author=jonas,
            text="Can I still change the size of my scarf?",
            created_at=h(1),
        )
        agent = agents[AGENT]
        note = "Checking stock with the warehouse."
        await services.post_signed(
            ctx, session, thread=t, author=agent, text=note, created_at=h(0.95), kind="note"
        )
        await services.post_signed(
            ctx,
            session,
            thread=t,
            author=agent,
            text="Yes, which size would you like?",
            created_at=h(0.9),
            client_id="seed-jonas-1",
            notify_outbound=False,
        )

        # Threads where the customer wrote once and nobody answered: Sofia two days ago (the
        # human-agent window, assigned to agent2@), Olga nine days ago (the Messenger window is
        # closed; resolved), and a spam thread.
        for cid, name, since, tid, opened, text, wrote, assignee, status in (
            ("c_sofia", "Sofia Rossi", 24 * 30, T_HUMAN_AGENT, 49,
             "Do you ship to Italy?", 48, AGENT2, None),
            ("c_olga", "Olga Petrova", 24 * 200, T_CLOSED, 24 * 9 + 1,
             "Thanks, all good!", 24 * 9, None, "resolved"),
            ("c_spam", "Win A Prize", 5, T_SPAM, 5,
             "Click here to claim your prize", 5, None, "spam"),
        ):  # fmt: skip
            customer = await _customer(ctx, session, cid, name, "en", h(since))
            await _one_message_thread(
                ctx,
                session,
                tid,
                customer,
                opened=h(opened),
                text=text,
                wrote=h(wrote),
                assignee=assignee,
                status=status,
            )

        # Noah: web chat, 26 messages (the last one the shop's), pending.
        noah = await _customer(ctx, session, "c_noah", "Noah Smith", "en", h(24 * 10))
        t = await _thread(ctx, session, T_WEB, noah, h(30), channel="web")
        for i in range(26):
            text, at = f"Message {i + 1} about the return label", h(26) + timedelta(minutes=3 * i)
            if i % 2 == 0:
                await services.post_signed(
                    ctx, session, thread=t, author=noah, text=text, created_at=at
                )
            else:
                await services.post_signed(
                    ctx,
                    session,
                    thread=t,
                    author=agents[AGENT2],
                    text=text,
                    created_at=at,
                    notify_outbound=False,
                )
        await services.set_status(ctx, session, thread=t, status="pending")

        templates = (
            (
                "tp_merci",
                "merci",
                "Merci",
                "Merci {{customer.first_name|}} pour votre message !",
                "fr",
                "team",
                LEAD,
            ),
            (
                "tp_tracking",
                "suivi",
                "Tracking",
                "Your parcel {{order.number}} is on its way: {{order.tracking_url}}",
                "en",
                "team",
                LEAD,
            ),
            (
                "tp_sig",
                "sig",
                "Signature",
                "Best regards, {{agent.first_name}}",
                "en",
                "personal",
                AGENT,
            ),
            ("tp_bye", "bye", "Goodbye", "Have a nice day!", "en", "personal", AGENT2),
        )
        for tid, shortcut, title, body, language, scope, owner in templates:
            await services.save_template(
                ctx,
                session,
                row=TemplateRow(
                    id=tid,
                    shortcut=shortcut,
                    title=title,
                    body=body,
                    language=language,
                    scope=scope,
                    owner_id=owner,
                    created_at=now,
                ),
            )
        await services.set_meta(session, "test_seeded", now.isoformat())
    return True
