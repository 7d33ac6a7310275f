"""`agent-desktop-server`: the reference Agent API v1 server on the command line.

    agent-desktop-server [OPTIONS]                    run the server
    agent-desktop-server init --email E --name N      create the shop's first team lead
    agent-desktop-server backup FILE                  copy the SQLite database (server running)
    agent-desktop-server restore FILE                 put a backup in place (server stopped)
    agent-desktop-server reset --email E [--lead]     a new one-time code for a locked-out member
    agent-desktop-server config [--example]           the effective settings, or an example file
    agent-desktop-server migrate [--status]           bring the schema to this release (alone)
    agent-desktop-server import FILE                  orders and customers from a file (SHOPS.md)

Every command reads the same settings: the TOML file of `--config` (or AGENT_DESKTOP_SERVER_CONFIG),
then the environment, then the options given (see server/configuration.py).
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent_desktop.server.configuration import ConfigError, Settings, load_settings
from agent_desktop.server.context import ServerConfig, ServerContext

COMMANDS = ("serve", "init", "backup", "restore", "reset", "config", "migrate", "import")

# Options of the server → the setting each one sets.
SERVE_FLAGS: dict[str, tuple[str, str]] = {
    "host": ("server.host", "--host"),
    "port": ("server.port", "--port"),
    "database": ("database.url", "--database"),
    "data_dir": ("server.data_dir", "--data-dir"),
    "media_dir": ("server.media_dir", "--media-dir"),
    "event_retention": ("server.event_retention", "--event-retention"),
    "window_check_seconds": ("server.window_check_seconds", "--window-check-seconds"),
    "instance_name": ("server.instance_name", "--instance-name"),
    "claim_seconds": ("server.claim_seconds", "--claim-seconds"),
    "max_body_bytes": ("server.max_body_bytes", "--max-body-bytes"),
    "ws_queue_limit": ("server.ws_queue_limit", "--ws-queue-limit"),
    "demo": ("demo.enabled", "--demo"),
    "threads": ("demo.threads", "--threads"),
    "simulate": ("demo.simulate", "--simulate"),
    "seed_test": ("demo.seed_test", "--seed-test"),
    "allow_simulation": ("demo.allow_simulation", "--allow-simulation"),
    "log_format": ("logging.format", "--log-format"),
    "log_level": ("logging.level", "--log-level"),
    "access_log": ("logging.access_log", "--access-log"),
}


def _common(p: argparse.ArgumentParser) -> None:
    """Options every command has: where the settings and the database are."""
    p.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="TOML configuration file (default: $AGENT_DESKTOP_SERVER_CONFIG; docs/DEPLOY.md)",
    )
    p.add_argument(
        "--database",
        default=None,
        metavar="URL",
        help="SQLAlchemy URL (default: $AGENT_DESKTOP_DATABASE, else server.sqlite in the data "
        "folder; postgresql://user:pass@host/db works)",
    )
    p.add_argument(
        "--data-dir", type=Path, default=None, metavar="DIR", help="folder of the default database"
    )


def command_parser(command: str, description: str) -> argparse.ArgumentParser:
    """The parser of `agent-desktop-server COMMAND` ("" for the server itself), with the options
    every command has."""
    p = argparse.ArgumentParser(
        prog=f"agent-desktop-server {command}".strip(), description=description
    )
    _common(p)
    return p


def build_parser() -> argparse.ArgumentParser:
    """The server's own options (`agent-desktop-server [OPTIONS]`); unset ones stay None so the
    configuration file and the environment decide."""
    p = command_parser(
        "",
        "The Agent Desktop reference server (Agent API v1). Other commands: "
        "init, backup FILE, restore FILE, config (each with --help).",
    )
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8765; 0 picks a free one)")
    p.add_argument(
        "--demo",
        action="store_const",
        const=True,
        default=None,
        help="seed a demo shop and simulate customers",
    )
    p.add_argument("--threads", type=int, default=None, metavar="N", help="demo: threads to seed")
    p.add_argument(
        "--simulate",
        type=float,
        default=None,
        metavar="PER_MINUTE",
        help="demo: customer messages per minute (default 4; 0 turns it off)",
    )
    p.add_argument(
        "--seed-test",
        action="store_const",
        const=True,
        default=None,
        help="seed the small deterministic test data set",
    )
    p.add_argument(
        "--allow-simulation",
        action="store_const",
        const=True,
        default=None,
        help="enable POST /api/v1/simulate/customer-message without the demo",
    )
    p.add_argument(
        "--event-retention",
        type=int,
        default=None,
        metavar="N",
        help="events kept for replay (default 10000)",
    )
    p.add_argument("--media-dir", type=Path, default=None, help="folder served under /media/")
    p.add_argument(
        "--window-check-seconds",
        type=float,
        default=None,
        metavar="S",
        help="how often Messenger reply-window changes are announced (default 30; 0: never)",
    )
    p.add_argument(
        "--instance-name",
        default=None,
        metavar="NAME",
        help="this instance's name among several on one database (default: host-pid); shown "
        "in the X-Agent-Desktop-Instance header and in PostgreSQL's pg_stat_activity",
    )
    p.add_argument(
        "--claim-seconds",
        type=float,
        default=None,
        metavar="S",
        help="how long an instance's claim on a Messenger send lasts without renewal: when the "
        "instance dies, another finishes the send after this (default 30)",
    )
    p.add_argument(
        "--max-body-bytes",
        type=int,
        default=None,
        metavar="N",
        help="largest request body accepted, in bytes (default 1048576; 413 beyond)",
    )
    p.add_argument(
        "--ws-queue-limit",
        type=int,
        default=None,
        metavar="N",
        help="frames a websocket may fall behind before it is closed with 1013 (default 1000)",
    )
    p.add_argument(
        "--log-format",
        default=None,
        choices=("text", "json"),
        help="text lines (default) or one JSON object per line",
    )
    p.add_argument("--log-level", default=None, choices=("debug", "info", "warning", "error"))
    p.add_argument(
        "--access-log",
        action="store_const",
        const=True,
        default=None,
        help="log every HTTP request",
    )
    return p


def settings_from(ns: argparse.Namespace, environ: dict[str, str] | None = None) -> Settings:
    """The settings for parsed options: file, then environment, then the options given."""
    overrides: dict[str, Any] = {}
    flags: dict[str, str] = {}
    for attr, (key, flag) in SERVE_FLAGS.items():
        if hasattr(ns, attr):
            overrides[key] = getattr(ns, attr)
            flags[key] = flag
    return load_settings(ns.config, environ, overrides, flags)


def settings_or_reason(ns: argparse.Namespace) -> Settings | None:
    """`settings_from(ns)`, or None with the reason printed on stderr (the command exits 2)."""
    try:
        return settings_from(ns)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return None


def server_config(argv: Sequence[str], environ: dict[str, str] | None = None) -> ServerConfig:
    """The ServerConfig `agent-desktop-server ARGV` runs with (tests start servers with it)."""
    return ServerConfig.from_settings(settings_from(build_parser().parse_args(list(argv)), environ))


# --- serve ------------------------------------------------------------------------------------


def _init_command(settings: Settings) -> str:
    """The init command line for this server's settings, ready to copy."""
    words = ["agent-desktop-server", "init"]
    if settings.path is not None:
        words += ["--config", str(settings.path)]
    if settings.source("database.url") == "command line":
        words += ["--database", "URL"]
    if settings.source("server.data_dir") == "command line":
        words += ["--data-dir", str(settings["server.data_dir"])]
    line = " ".join(shlex.quote(w) for w in words)
    return f'{line} --email you@your-shop.example --name "Your Name"'


async def _tell_when_no_lead(ctx: ServerContext) -> None:
    from sqlalchemy import select

    from agent_desktop.server.models import AgentRow

    config = ctx.config
    if config.demo or config.seed_test:
        return
    async with ctx.sessionmaker() as session:
        lead = (
            await session.execute(
                select(AgentRow.id)
                .where(AgentRow.role == "lead", AgentRow.active.is_(True))
                .limit(1)
            )
        ).first()
    if lead is None:
        print(
            "Nobody can sign in yet: this shop has no team lead. Create the first one with:\n"
            f"    {_init_command(config.settings)}",
            flush=True,
        )


def serve_main(argv: Sequence[str]) -> int:
    settings = settings_or_reason(build_parser().parse_args(list(argv)))
    if settings is None:
        return 2
    from agent_desktop.server.logs import configure_logging

    configure_logging(settings["logging.format"], settings["logging.level"])
    config = ServerConfig.from_settings(settings)

    def ready(url: str) -> None:
        print(f"Agent Desktop server listening on {url}", flush=True)

    from sqlalchemy.exc import DBAPIError

    from agent_desktop.server.db import SchemaError
    from agent_desktop.server.runner import serve

    try:
        asyncio.run(serve(config, on_ready=ready, on_prepared=_tell_when_no_lead))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(f"The server could not start: {exc}", file=sys.stderr)
        return 1
    except DBAPIError as exc:
        print(
            f"The server could not start: the database does not answer ({exc.orig}).",
            file=sys.stderr,
        )
        return 1
    except SchemaError as exc:
        print(
            f"The server could not start: the database cannot be migrated: {exc}", file=sys.stderr
        )
        return 1
    return 0


def import_main(argv: Sequence[str]) -> int:
    """`agent-desktop-server import FILE` (docs/SHOPS.md)."""
    from agent_desktop.server.shop.importer import main as shop_import

    return shop_import(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args and args[0] in COMMANDS else "serve"
    rest = args[1:] if args and args[0] in COMMANDS else args
    if command == "serve":
        return serve_main(rest)
    from agent_desktop.server import cli_admin  # the technician's commands (it imports this module)

    return {
        "init": cli_admin.init_main,
        "backup": cli_admin.backup_main,
        "restore": cli_admin.restore_main,
        "reset": cli_admin.reset_main,
        "config": cli_admin.config_main,
        "migrate": cli_admin.migrate_main,
        "import": import_main,
    }[command](rest)
