"""glibc's own account of the C heap (mallinfo2), for the benchmark's and the soak's memory
reports: what is in use, and what is free but kept (fragmentation, not a leak)."""

from __future__ import annotations

import ctypes

FIELDS = (
    "arena",
    "ordblks",
    "smblks",
    "hblks",
    "hblkhd",
    "usmblks",
    "fsmblks",
    "uordblks",
    "fordblks",
    "keepcost",
)


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in FIELDS]


def mallinfo() -> dict[str, int] | None:
    """mallinfo2's fields in bytes, or None where the C library has none (not glibc, glibc < 2.33)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return None
    return {name: getattr(info, name) for name in FIELDS}
