"""The client's command-line options, and the demo backend's accounts (`--demo`, `--as`)."""

from __future__ import annotations

import argparse

DEMO_ACCOUNTS = {"agent": "agent@demo.test", "lead": "lead@demo.test"}
DEMO_PASSWORD = "demo"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="agent-desktop",
        description="Agent Desktop: answer your shop's customers on Messenger.",
    )
    p.add_argument(
        "--demo", action="store_true", help="start an embedded demo backend and sign in to it"
    )
    p.add_argument(
        "--as",
        dest="as_role",
        choices=sorted(DEMO_ACCOUNTS),
        default="agent",
        help="demo: sign in as the agent or the team lead",
    )
    p.add_argument(
        "--url", default="", help="the backend address, e.g. https://support.example.com"
    )
    p.add_argument(
        "--insecure",
        action="store_true",
        help="allow plain http:// to a host that is not this computer",
    )
    p.add_argument(
        "--lang",
        choices=["en", "fr"],
        default=None,
        help="interface language (default: settings, then the system's)",
    )
    p.add_argument(
        "--screenshot",
        metavar="FILE",
        default=None,
        help="save a PNG of the window once the data is loaded, then exit",
    )
    p.add_argument(
        "--select-first",
        action="store_true",
        help="screenshot: open the most urgent conversation first",
    )
    p.add_argument(
        "--size", default="1280x800", help="screenshot: window size WxH (default 1280x800)"
    )
    p.add_argument(
        "--view",
        default="workspace",
        help="screenshot: the view to show (workspace, or dashboard when present)",
    )
    p.add_argument("--timeout", type=float, default=90.0, help=argparse.SUPPRESS)
    # A demo server that is already running (docs, development): sign in to it as with --demo.
    p.add_argument("--demo-url", default="", help=argparse.SUPPRESS)
    return p


def window_size(text: str) -> tuple[int, int] | None:
    """ "1280x800" → (1280, 800); None when it does not look like that."""
    try:
        width, height = (int(x) for x in text.lower().split("x"))
    except ValueError:
        return None
    return width, height
