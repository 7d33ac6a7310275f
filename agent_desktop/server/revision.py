"""`python3 run.py revision -m "what changed"`: write a new migration into `migrations/versions/`
(for developers; the server never runs this).

Alembic compares the models with a throw-away SQLite database migrated to the current head and
writes the difference as a revision on top of it. Read what it wrote before committing: rename
things by hand (Alembic sees a drop and an add), fill new NOT NULL columns (`server_default`), and
keep it runnable on both SQLite (batch operations) and PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from agent_desktop.server import db


async def new_revision(message: str, *, autogenerate: bool = True) -> list[Path]:
    from alembic import command
    from alembic.script import Script
    from sqlalchemy import Connection

    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(db.sqlite_url_for(Path(tmp) / "head.sqlite"))
        try:
            await db.migrate(engine)
            async with engine.begin() as conn:

                def write(sync_conn: Connection) -> list[Path]:
                    made = command.revision(
                        db.alembic_config(sync_conn), message, autogenerate=autogenerate
                    )
                    scripts = made if isinstance(made, list) else [made]
                    return [Path(s.path) for s in scripts if isinstance(s, Script)]

                return await conn.run_sync(write)
        finally:
            await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python3 run.py revision", description=__doc__)
    p.add_argument("-m", "--message", required=True, help="what the revision changes")
    p.add_argument(
        "--empty", action="store_true", help="an empty revision to fill by hand (data changes)"
    )
    args = p.parse_args(argv)
    paths = asyncio.run(new_revision(args.message, autogenerate=not args.empty))
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
