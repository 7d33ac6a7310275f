"""Which hosts are this computer: the one URL rule needed before the client's stack is imported
(early requests, `backends.early`), so it depends on the standard library alone."""

from __future__ import annotations

import ipaddress


def is_loopback_host(host: str) -> bool:
    """True for `localhost` itself and literal loopback addresses (127.0.0.0/8, ::1).

    Other names under .localhost are not: RFC 6761 asks resolvers to keep them on this computer,
    but many resolve them through DNS like any other name, so plain http:// to them could leave
    the machine (they need --insecure, as any other host)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
