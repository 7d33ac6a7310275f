"""Is Agent Desktop already running for this user and configuration? The first thing a launch
asks, before it reads the keyring or sends a request, with the standard library only (before
Qt is imported): a second launch asks the first to raise its window, then exits.

The running instance listens with Qt's QLocalServer (`ui/desktop.py`) on `server_name()`: on
Unix a socket file at an absolute path both sides compute here; on Windows a named pipe.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import socket
import sys
import tempfile

from agent_desktop.paths import config_dir

RAISE = b"raise\n"


def instance_name() -> str:
    """One name per user and configuration folder (two configurations may run side by side)."""
    key = f"{getpass.getuser()}:{config_dir()}".encode()
    return "agent-desktop-" + hashlib.sha1(key).hexdigest()[:12]


def server_name(name: str | None = None) -> str:
    """What QLocalServer listens on and a second launch connects to: a pipe name on Windows; an
    absolute socket path elsewhere, in the user's runtime folder (XDG_RUNTIME_DIR) or else the
    temporary folder."""
    name = name or instance_name()
    if sys.platform == "win32":
        return name
    folder = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return os.path.join(folder, name)


def ask_running(name: str | None = None, timeout: float = 0.4) -> bool:
    """True when an instance answered (and was asked to raise its window)."""
    address = server_name(name)
    try:
        if sys.platform == "win32":
            with open(rf"\\.\pipe\{address}", "wb", buffering=0) as pipe:
                pipe.write(RAISE)
            return True
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(address)
            sock.sendall(RAISE)
        return True
    except OSError:  # nobody listens (no socket, a crashed instance's file, a busy pipe)
        return False
