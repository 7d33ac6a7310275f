"""The client's command-line options, and the demo backend's accounts (`--demo`, `--as`)."""

from __future__ import annotations

import argparse
from typing import Any

DEMO_ACCOUNTS = {"agent": "agent@demo.test", "lead": "lead@demo.test"}
DEMO_PASSWORD = "demo"


# The options, in the order --help lists them: (flag, add_argument's keywords).
OPTIONS: list[tuple[str, dict[str, Any]]] = [
    (
        "--demo",
        {"action": "store_true", "help": "start an embedded demo backend and sign in to it"},
    ),
    (
        "--as",
        {
            "dest": "as_role",
            "choices": sorted(DEMO_ACCOUNTS),
            "default": "agent",
            "help": "demo: sign in as the agent or the team lead",
        },
    ),
    ("--url", {"default": "", "help": "the backend address, e.g. https://support.example.com"}),
    (
        "--insecure",
        {"action": "store_true", "help": "allow plain http:// to a host that is not this computer"},
    ),
    (
        "--lang",
        {
            "choices": ["en", "fr"],
            "default": None,
            "help": "interface language (default: settings, then the system's)",
        },
    ),
    (
        "--screenshot",
        {
            "metavar": "FILE",
            "default": None,
            "help": "save a PNG of the window once the data is loaded, then exit",
        },
    ),
    (
        "--select-first",
        {"action": "store_true", "help": "screenshot: open the most urgent conversation first"},
    ),
    ("--size", {"default": "1280x800", "help": "screenshot: window size WxH (default 1280x800)"}),
    (
        "--view",
        {
            "default": "workspace",
            "help": "screenshot: the view to show (workspace, or dashboard when present)",
        },
    ),
    ("--timeout", {"type": float, "default": 90.0, "help": argparse.SUPPRESS}),
    # A demo server that is already running (docs, development): sign in to it as with --demo.
    ("--demo-url", {"default": "", "help": argparse.SUPPRESS}),
]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="agent-desktop",
        description="Agent Desktop: answer your shop's customers on Messenger.",
    )
    for flag, keywords in OPTIONS:
        p.add_argument(flag, **keywords)
    return p


def window_size(text: str) -> tuple[int, int] | None:
    """ "1280x800" → (1280, 800); None when it does not look like that."""
    try:
        width, height = (int(x) for x in text.lower().split("x"))
    except ValueError:
        return None
    return width, height
