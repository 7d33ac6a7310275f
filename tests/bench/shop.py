"""Bench setup: seed the demo shop into a SQLite file and add the long conversations the
benchmarks open (one of 5,000 messages, twenty of 500), with one bulk insert through the
server's own table definitions.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select

from agent_desktop.server.context import ServerConfig
from agent_desktop.server.models import AgentRow, CustomerRow, MessageRow, ThreadRow, new_id
from agent_desktop.server.runner import prepare

WORDS = [
    *[
        "bonjour",
        "merci",
        "commande",
        "colis",
        "livraison",
        "hello",
        "thanks",
        "order",
        "parcel",
        "delivery",
        "size",
    ],
    *[
        "colour",
        "return",
        "exchange",
        "refund",
        "tracking",
        "number",
        "please",
        "when",
        "soon",
        "today",
        "tomorrow",
    ],
]


@dataclass(frozen=True)
class Shop:
    db_path: Path
    url: str  # SQLAlchemy URL for the server
    long_thread: str  # 5,000 messages
    medium_threads: list[str]  # 500 messages each


async def _seed(url: str, threads: int) -> None:
    ctx = await prepare(ServerConfig(database_url=url, demo=True, threads=threads, simulate=0))
    await ctx.aclose()


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30))).capitalize() + "."


def build(folder: Path, threads: int, long_messages: int = 5000, medium: int = 20) -> Shop:
    """Seed a fresh shop in `folder` and add the long conversations; returns where they are."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{db}"
    asyncio.run(_seed(url, threads))
    rng = random.Random(7)
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        agent = conn.execute(select(AgentRow.id, AgentRow.name).limit(1)).one()
        rows = conn.execute(
            select(ThreadRow.id, ThreadRow.customer_id, ThreadRow.created_at)
            .where(ThreadRow.status == "open")
            .order_by(ThreadRow.queue_since.is_(None), ThreadRow.queue_since, ThreadRow.id)
            .limit(200)
        ).all()
        # Not the very top of the list (the live-update figure posts there).
        picked = rows[40 : 40 + 1 + medium]
        names = dict(
            conn.execute(
                select(CustomerRow.id, CustomerRow.name).where(
                    CustomerRow.id.in_([r.customer_id for r in picked])
                )
            ).all()
        )
        batch: list[dict[str, object]] = []
        for i, row in enumerate(picked):
            count = long_messages if i == 0 else 500
            first = conn.execute(
                select(MessageRow.created_at)
                .where(MessageRow.thread_id == row.id)
                .order_by(MessageRow.created_at)
                .limit(1)
            ).scalar()
            start = (first or row.created_at) - timedelta(minutes=3 * count + 5)
            for k in range(count):
                customer = k % 3 != 2
                batch.append(
                    {
                        "id": new_id("m"),
                        "thread_id": row.id,
                        "author_kind": "customer" if customer else "agent",
                        "author_id": row.customer_id if customer else agent.id,
                        "author_name": names.get(row.customer_id, "") if customer else agent.name,
                        "kind": "text",
                        "text": _sentence(rng),
                        "attachments": [],
                        "created_at": start + timedelta(minutes=3 * k),
                    }
                )
        conn.execute(insert(MessageRow.__table__), batch)
    engine.dispose()
    return Shop(db, url, picked[0].id, [r.id for r in picked[1:]])
