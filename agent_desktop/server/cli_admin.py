"""The shop technician's commands of `agent-desktop-server` (server/cli.py dispatches to them):
`init` (the first team lead), `backup` and `restore`, `migrate`, `reset` (a new one-time code for
a locked-out member) and `config` (the effective settings, or an example file). Each reads the same
settings as the server (`cli.settings_from`).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from agent_desktop.server.cli import command_parser, settings_or_reason
from agent_desktop.server.configuration import example_file
from agent_desktop.server.context import ServerConfig

PASSWORD_ENV = "AGENT_DESKTOP_PASSWORD"


def _load_config(
    p: argparse.ArgumentParser, argv: Sequence[str]
) -> tuple[argparse.Namespace, ServerConfig | None]:
    """The command's options, and the server's configuration from them, the file and the
    environment; None (the reason printed) when it cannot be read."""
    ns = p.parse_args(list(argv))
    settings = settings_or_reason(ns)
    return ns, None if settings is None else ServerConfig.from_settings(settings)


def _admin_command(
    name: str,
    description: str,
    action: Callable[[argparse.Namespace, ServerConfig], int],
    *arguments: tuple[str, dict[str, Any]],
) -> Callable[[Sequence[str]], int]:
    """`agent-desktop-server NAME [ARGUMENTS]`: parse, read the configuration (exit 2 if it
    cannot be read) and run `action(ns, config)`; an AdminError is printed and exits 1."""

    def main(argv: Sequence[str]) -> int:
        p = command_parser(name, description)
        for flag, options in arguments:
            p.add_argument(flag, **options)
        ns, config = _load_config(p, argv)
        if config is None:
            return 2
        from agent_desktop.server.admin import AdminError

        try:
            return action(ns, config)
        except AdminError as exc:
            print(exc, file=sys.stderr)
            return 1

    return main


FILE_ARGUMENT: tuple[str, dict[str, Any]] = ("file", {"type": Path, "metavar": "FILE"})


# --- init -------------------------------------------------------------------------------------


def _read_password() -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise ValueError(f"Give the password in {PASSWORD_ENV}, or run init in a terminal.")
    first = getpass.getpass("Password for the team lead (at least 10 characters): ")
    second = getpass.getpass("The same password again: ")
    if first != second:
        raise ValueError("The two passwords differ: run init again.")
    return first


def init_main(argv: Sequence[str]) -> int:
    p = command_parser(
        "init",
        "Create the shop's first team lead (the password is asked, or read from "
        f"{PASSWORD_ENV}). Refused when the shop already has a lead.",
    )
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True)
    ns = p.parse_args(list(argv))
    settings = settings_or_reason(ns)
    if settings is None:
        return 2
    config = ServerConfig.from_settings(settings)
    from agent_desktop.server.admin import AdminError, create_first_lead, shown_url

    try:
        password = _read_password()
        lead = asyncio.run(
            create_first_lead(config, email=ns.email, name=ns.name, password=password)
        )
    except (AdminError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1
    url = f"http://{config.host}:{config.port}"
    public = settings["server.public_url"] or settings["messenger.public_url"]
    start = "agent-desktop-server" + (
        f" --config {shlex.quote(str(settings.path))}" if settings.path else ""
    )
    print(f"Created the team lead {lead.name} <{lead.email}>.")
    print(f"Database: {shown_url(config.database_url)}")
    print(
        f"The server will listen on {url}" + (f" (agents connect to {public})." if public else ".")
    )
    print("Next:")
    print(f"  1. Start the server: {start}   (or: systemctl start agent-desktop)")
    print(
        "  2. In Agent Desktop, connect to "
        + (public or "the server's address")
        + " and sign in with this email and password."
    )
    print(
        "  3. Open the Team page to add your agents; each one gets an invitation code to pass on."
    )
    return 0


# --- backup and restore -----------------------------------------------------------------------


def _backup(ns: argparse.Namespace, config: ServerConfig) -> int:
    from agent_desktop.server.admin import backup

    summary = backup(config.resolved_database_url(), ns.file)
    print(f"Backed up to {summary.path} in {summary.seconds:.1f} s: {summary.describe()}.")
    return 0


backup_main = _admin_command(
    "backup",
    "Copy the SQLite database to FILE with SQLite's online backup API (the "
    "server may keep running). For PostgreSQL use pg_dump (docs/DEPLOY.md).",
    _backup,
    FILE_ARGUMENT,
)


def _restore(ns: argparse.Namespace, config: ServerConfig) -> int:
    from agent_desktop.server.admin import (
        end_sessions_after_restore,
        restore_file,
        server_answering,
    )

    running = server_answering(config.host, config.port)
    if running is not None:
        print(
            f"A server is running at {running}: stop it first (systemctl stop agent-desktop), "
            "then restore.",
            file=sys.stderr,
        )
        return 1
    summary, kept = restore_file(ns.file, config.resolved_database_url())
    ended = asyncio.run(end_sessions_after_restore(config))
    print(f"Restored {ns.file} into {summary.path}: {summary.describe()}.")
    if kept is not None:
        print(f"The database it replaced is kept as {kept}.")
    print(f"{ended} sessions ended: everyone signs in again. Start the server now.")
    return 0


restore_main = _admin_command(
    "restore",
    "Replace the SQLite database by the backup FILE. Stop the server first; the "
    "database it replaces is kept beside it. Everyone signs in again afterwards.",
    _restore,
    FILE_ARGUMENT,
)


# --- migrate ----------------------------------------------------------------------------------


def migrate_main(argv: Sequence[str]) -> int:
    """`agent-desktop-server migrate [--config FILE] [--database URL] [--status]`."""
    p = command_parser(
        "migrate",
        (
            "Bring the database's schema to this release (the server also does it on start; "
            "run it alone before a rolling upgrade). Safe to run while other servers start: "
            "the migration takes a database-wide lock."
        ),
    )
    p.add_argument(
        "--status",
        action="store_true",
        help="only print the database's revision and this release's; exit 1 if they differ",
    )
    ns, config = _load_config(p, argv)
    if config is None:
        return 2
    from sqlalchemy.exc import SQLAlchemyError

    from agent_desktop.server import db

    url = config.resolved_database_url()

    async def run() -> int:
        engine = db.make_engine(url)
        try:
            head = db.head_revision()
            if ns.status:
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


# --- reset: a new code from the server's shell --------------------------------------------------


def _reset(ns: argparse.Namespace, config: ServerConfig) -> int:
    from agent_desktop.server.admin import rescue

    name, code, expires = asyncio.run(rescue(config, email=ns.email, make_lead=ns.lead))
    until = expires.strftime("%Y-%m-%d %H:%M UTC")
    print(f"One-time code for {name} <{ns.email.strip().lower()}>: {code}")
    print(
        f"It works once, until {until}: in Agent Desktop's sign-in window they tick "
        '"I have an invitation code", enter it and choose a new password.'
    )
    return 0


reset_main = _admin_command(
    "reset",
    "For a shop locked out of its Team page (the only lead forgot their "
    "password, or left): print a new one-time code for the account of EMAIL, which is "
    "activated (and made a lead with --lead). Their sessions end; they sign in with the "
    "code and choose a new password.",
    _reset,
    ("--email", {"required": True}),
    ("--lead", {"action": "store_true", "help": "make the account a team lead too"}),
)


# --- config -----------------------------------------------------------------------------------


def config_main(argv: Sequence[str]) -> int:
    p = command_parser(
        "config",
        "Print the effective settings and where each comes from (secrets are "
        "never shown), or --example for a commented configuration file.",
    )
    p.add_argument("--example", action="store_true", help="print an example configuration file")
    ns = p.parse_args(list(argv))
    if ns.example:
        print(example_file(), end="")
        return 0
    settings = settings_or_reason(ns)
    if settings is None:
        return 2
    rows = settings.describe()
    width = max(len(key) for key, _, _ in rows)
    print(f"# configuration file: {settings.path or '(none)'}")
    for key, shown, source in rows:
        print(f"{key.ljust(width)}  {shown}  [{source}]")
    return 0
