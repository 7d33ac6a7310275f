"""This process's open TCP connections to a port, read from /proc (Linux): a leak check that
sees real sockets, whatever object should have closed them."""

from __future__ import annotations

import os
from pathlib import Path


def _socket_inodes() -> set[str]:
    inodes = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed while listing
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def connections_to(port: int) -> int:
    """How many of this process's TCP sockets are connected (ESTABLISHED or closing on our side
    not yet done) to `port` on any address."""
    ours = _socket_inodes()
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            remote, state, inode = fields[2], fields[3], fields[9]
            # 01 ESTABLISHED, 08 CLOSE_WAIT (the peer closed, we have not): both hold a socket.
            if (
                int(remote.rsplit(":", 1)[1], 16) == port
                and state in ("01", "08")
                and inode in ours
            ):
                count += 1
    return count
