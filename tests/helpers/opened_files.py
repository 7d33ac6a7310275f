"""Which files of a folder were opened, by anyone, while a test ran (Linux inotify, IN_OPEN).

Used to prove that hostile markup such as `<img src="file:///...">` made nothing read a local
file: Qt's rich text loads an image when it lays the text out, so an opened bait file is the
evidence that some widget took customer text for rich text.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
import sys
from pathlib import Path

IN_OPEN = 0x00000020
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


class OpenedFiles:
    """Watches `folder`; `names()` returns the files opened since the last call."""

    def __init__(self, folder: Path) -> None:
        if not sys.platform.startswith("linux"):
            raise RuntimeError("inotify is Linux only")
        self.libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if self.libc.inotify_add_watch(self.fd, os.fsencode(folder), IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch")

    def names(self) -> list[str]:
        out: list[str] = []
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return out
            i = 0
            while i < len(buf):
                _wd, _mask, _cookie, length = _EVENT.unpack_from(buf, i)
                start = i + _EVENT.size
                out.append(os.fsdecode(buf[start : start + length].rstrip(b"\0")))
                i = start + length

    def close(self) -> None:
        os.close(self.fd)
