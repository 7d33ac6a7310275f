"""Which hosts are this computer: the one URL rule needed before the client's stack is imported
(early requests, `backends.early`), so it depends on the standard library alone."""

from __future__ import annotations

import ipaddress


def is_loopback_host(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
