"""`agent-desktop check`: sign in to a backend, list threads, open the event stream, print one JSON line.

A quick way for an administrator to test an installation without opening the window; it imports
nothing from Qt. Exit code 0 when everything worked, 1 with `{"ok": false, "error": ...}` otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import logging
import os
import sys
from typing import Any
from urllib.parse import urlsplit

from agent_desktop.backends.agent_api_http import normalize_base_url
from agent_desktop.backends.base import Backend, BackendError, Ready, Resync, StreamState
from agent_desktop.backends.hosts import is_loopback_host
from agent_desktop.core.types import Agent

TIMEOUT = 30.0
MAX_THREAD_PAGES = 100


class CheckError(Exception):
    """A failure of the check, as a plain sentence."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-desktop check",
        description="Sign in to a backend, list the threads and open the live event stream.",
    )
    parser.add_argument("--url", required=True, help="the backend's address, e.g. https://…")
    parser.add_argument("--email", help="the agent's email (not needed with AGENT_DESKTOP_TOKEN)")
    parser.add_argument("--backend", choices=("agent-api", "chatwoot"), default="agent-api")
    parser.add_argument("--account-id", type=int, help="the Chatwoot account id")
    parser.add_argument(
        "--insecure", action="store_true", help="allow plain http:// to a non-loopback host"
    )
    return parser


async def _connect(
    args: argparse.Namespace, token: str | None, password: str | None
) -> tuple[Backend, Agent, bool]:
    """A signed-in backend, its agent, and whether this check signed in (and must sign out)."""
    normalize_base_url(args.url, insecure=args.insecure)  # the plain-http policy, for both kinds
    if args.backend == "chatwoot":
        try:
            from agent_desktop.backends import chatwoot
        except ImportError:
            raise CheckError("The Chatwoot connector is not available in this build.") from None
        cw = await chatwoot.connect(
            args.url,
            account_id=args.account_id,
            token=token,
            email=args.email,
            password=password,
            insecure=args.insecure,
        )
        try:
            return cw, await cw.me(), False  # a Chatwoot access token is the user's own: keep it
        except BaseException:
            await cw.aclose()
            raise
    from agent_desktop.backends.agent_api import AgentApiBackend

    backend = AgentApiBackend(args.url, token=token, insecure=args.insecure)
    try:
        if token is not None:
            return backend, await backend.me(), False
        result = await backend.login(args.email, password or "")
        return backend, result.agent, True
    except BaseException:
        await backend.aclose()
        raise


def _secret(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """(token, password) from the environment or a prompt; exactly one is set."""
    token = os.environ.get("AGENT_DESKTOP_TOKEN") or None
    if token:
        return token, None
    password = os.environ.get("AGENT_DESKTOP_PASSWORD")
    if password:
        return None, password
    if sys.stdin is not None and sys.stdin.isatty():
        return None, getpass.getpass(f"Password for {args.email}: ")
    raise CheckError(
        "No password: set AGENT_DESKTOP_PASSWORD (or AGENT_DESKTOP_TOKEN), or run the check "
        "from a terminal to be asked for it."
    )


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    if not args.email and not os.environ.get("AGENT_DESKTOP_TOKEN"):
        raise CheckError("Give --email (or set AGENT_DESKTOP_TOKEN) to sign in.")
    token, password = _secret(args)
    backend, agent, signed_in_here = await _connect(args, token, password)
    try:
        count = 0
        cursor: str | None = None
        for _ in range(MAX_THREAD_PAGES):
            page = await backend.threads(assignee="any", limit=200, cursor=cursor)
            count += len(page.items)
            cursor = page.next_cursor
            if not cursor:
                break
        await _wait_live(backend)
        report: dict[str, Any] = {
            "ok": True,
            "backend": backend.base_url,
            "agent": {
                "id": agent.id,
                "name": agent.name,
                "email": agent.email,
                "role": agent.role,
            },
            "threads": count,
            "events": "live",
            "server_clock_offset_ms": round(backend.clock_offset * 1000),
        }
        parts = urlsplit(backend.base_url)
        if parts.scheme == "http" and not is_loopback_host(parts.hostname or ""):
            report["warning"] = (
                "The connection is not encrypted (plain http:// allowed by --insecure): "
                "passwords and messages travel readable on the network."
            )
        return report
    finally:
        if signed_in_here:
            with contextlib.suppress(BackendError):
                await backend.logout()
        await backend.aclose()


async def _wait_live(backend: Backend) -> None:
    stream = backend.stream(0)
    try:
        async for item in stream:
            if isinstance(item, Ready):
                return
            if isinstance(item, StreamState) and item.state in ("reconnecting", "signed_out"):
                reason = item.error or "the connection failed"
                raise CheckError(f"The live event stream did not open: {reason}")
            if isinstance(item, Resync):
                continue
    finally:
        closer = getattr(stream, "aclose", None)
        if closer is not None:
            await closer()
    raise CheckError("The live event stream closed before it was ready.")


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.CRITICAL)
    args = _parser().parse_args(argv)
    try:
        report = asyncio.run(asyncio.wait_for(_run(args), TIMEOUT))
    except (CheckError, BackendError) as exc:
        report = {"ok": False, "error": str(exc)}
    except TimeoutError:
        report = {"ok": False, "error": f"The backend did not answer within {TIMEOUT:.0f} seconds."}
    except KeyboardInterrupt:
        report = {"ok": False, "error": "Interrupted."}
    except Exception as exc:  # an unexpected failure still ends as one JSON line
        report = {"ok": False, "error": f"The check failed unexpectedly ({type(exc).__name__})."}
    print(json.dumps(report, ensure_ascii=False))
    return 0 if report.get("ok") else 1
