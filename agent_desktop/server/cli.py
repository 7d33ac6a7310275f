"""`agent-desktop-server`: the reference Agent API v1 server on the command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from agent_desktop.server.context import ServerConfig

# The database URL from the environment: it keeps a password out of the process list.
DATABASE_ENV = "AGENT_DESKTOP_DATABASE"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="agent-desktop-server",
        description=(
            "The Agent Desktop reference server (Agent API v1). "
            "`agent-desktop-server migrate --help`: the schema migrations alone."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument(
        "--database",
        default=os.environ.get(DATABASE_ENV, ""),
        metavar="URL",
        help="SQLAlchemy URL (default: $AGENT_DESKTOP_DATABASE, else server.sqlite in the data "
        "folder; postgresql://user:pass@host/db works)",
    )
    p.add_argument("--demo", action="store_true", help="seed a demo shop and simulate customers")
    p.add_argument("--threads", type=int, default=None, metavar="N", help="demo: threads to seed")
    p.add_argument(
        "--simulate",
        type=float,
        default=None,
        metavar="PER_MINUTE",
        help="demo: customer messages per minute (default 4; 0 turns it off)",
    )
    p.add_argument(
        "--seed-test", action="store_true", help="seed the small deterministic test data set"
    )
    p.add_argument(
        "--allow-simulation",
        action="store_true",
        help="enable POST /api/v1/simulate/customer-message without the demo",
    )
    p.add_argument(
        "--event-retention",
        type=int,
        default=10_000,
        metavar="N",
        help="events kept for replay (default 10000)",
    )
    p.add_argument("--media-dir", type=Path, default=None, help="folder served under /media/")
    p.add_argument(
        "--window-check-seconds",
        type=float,
        default=30.0,
        metavar="S",
        help="how often Messenger reply-window changes are announced (default 30; 0: never)",
    )
    p.add_argument(
        "--instance-name",
        default="",
        metavar="NAME",
        help="this instance's name among several on one database (default: host-pid); shown "
        "in the X-Agent-Desktop-Instance header and in PostgreSQL's pg_stat_activity",
    )
    p.add_argument(
        "--claim-seconds",
        type=float,
        default=30.0,
        metavar="S",
        help="how long an instance's claim on a Messenger send lasts without renewal: when the "
        "instance dies, another finishes the send after this (default 30)",
    )
    p.add_argument(
        "--max-body-bytes",
        type=int,
        default=1024 * 1024,
        metavar="N",
        help="largest request body accepted, in bytes (default 1048576; 413 beyond)",
    )
    p.add_argument(
        "--ws-queue-limit",
        type=int,
        default=1000,
        metavar="N",
        help="frames a websocket may fall behind before it is closed with 1013 (default 1000)",
    )
    return p


def build_migrate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="agent-desktop-server migrate",
        description=(
            "Bring the database's schema to this release (the server also does it on start; "
            "run it alone before a rolling upgrade). Safe to run while other servers start: "
            "the migration takes a database-wide lock."
        ),
    )
    p.add_argument(
        "--database",
        default=os.environ.get(DATABASE_ENV, ""),
        metavar="URL",
        help="SQLAlchemy URL (default: $AGENT_DESKTOP_DATABASE, else server.sqlite in the data "
        "folder)",
    )
    p.add_argument(
        "--status",
        action="store_true",
        help="only print the database's revision and this release's; exit 1 if they differ",
    )
    return p


def migrate_main(argv: list[str]) -> int:
    """`agent-desktop-server migrate [--database URL] [--status]`."""
    args = build_migrate_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from sqlalchemy.exc import SQLAlchemyError

    from agent_desktop.server import db

    url = args.database or db.default_database_url()

    async def run() -> int:
        engine = db.make_engine(url)
        try:
            head = db.head_revision()
            if args.status:
                current = await db.current_revision(engine)
                print(f"database: {current or 'not migrated'}; this release: {head}")
                return 0 if current == head else 1
            before, after = await db.migrate(engine)
        finally:
            await engine.dispose()
        if before == after:
            print(f"The database is up to date (revision {after}).")
        else:
            print(f"The database was migrated from {before or 'nothing'} to revision {after}.")
        return 0

    try:
        return asyncio.run(run())
    except db.SchemaError as exc:
        print(f"The database cannot be migrated: {exc}", file=sys.stderr)
        return 1
    except (OSError, SQLAlchemyError) as exc:
        print(f"The database could not be opened: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["migrate"]:
        return migrate_main(argv[1:])
    if argv[:1] == ["import"]:  # agent-desktop-server import FILE (docs/SHOPS.md)
        from agent_desktop.server.shop.importer import main as import_main

        return import_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.event_retention < 1:
        print("--event-retention must be at least 1", file=sys.stderr)
        return 2
    if args.claim_seconds < 1:
        print("--claim-seconds must be at least 1", file=sys.stderr)
        return 2
    if args.max_body_bytes < 1024 or args.ws_queue_limit < 10:
        print(
            "--max-body-bytes must be at least 1024 and --ws-queue-limit at least 10",
            file=sys.stderr,
        )
        return 2
    if args.threads is not None and args.threads < 0:
        print("--threads must not be negative", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    config = ServerConfig(
        host=args.host,
        port=args.port,
        database_url=args.database,
        demo=args.demo,
        threads=args.threads,
        simulate=args.simulate,
        seed_test=args.seed_test,
        allow_simulation=args.allow_simulation,
        event_retention=args.event_retention,
        media_dir=args.media_dir,
        window_check_seconds=args.window_check_seconds,
        instance_name=args.instance_name,
        claim_seconds=args.claim_seconds,
        max_body_bytes=args.max_body_bytes,
        ws_queue_limit=args.ws_queue_limit,
    )

    def ready(url: str) -> None:
        print(f"Agent Desktop server listening on {url}", flush=True)

    from agent_desktop.server.db import SchemaError
    from agent_desktop.server.runner import serve

    try:
        asyncio.run(serve(config, on_ready=ready))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(f"The server could not start: {exc}", file=sys.stderr)
        return 1
    except SchemaError as exc:
        print(
            f"The server could not start: the database cannot be migrated: {exc}", file=sys.stderr
        )
        return 1
    return 0
