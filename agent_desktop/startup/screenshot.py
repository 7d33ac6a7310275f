"""`--screenshot FILE`: wait until the chosen view has its data (and, with `--select-first`, the
most urgent conversation with its purchase history and pictures), save a PNG of the window, exit.
The README's pictures and the packaging checks are made this way (offscreen).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent_desktop.ui.main_window import MainWindow

SETTLE_SECONDS = 0.6  # after the resize: the layouts and the lazily built rows settle


async def take(window: MainWindow, args: argparse.Namespace, size: tuple[int, int]) -> int:
    deadline = time.monotonic() + args.timeout

    async def until(cond: Callable[[], bool], what: str) -> None:
        while not cond():
            if time.monotonic() > deadline:
                raise RuntimeError(f"Timed out waiting for {what}.")
            await asyncio.sleep(0.1)

    await until(
        lambda: (
            window.store is not None and window.store.loaded and window.thread_model.rowCount() > 0
        ),
        "the conversations to load",
    )
    window.show_view(args.view)
    view = window.views.currentWidget()
    ready = getattr(view, "ready_for_screenshot", None)
    if ready is not None:
        await until(ready, f"the {args.view} to load")
    if args.select_first:
        window.thread_list.select_row(0)
        await until(
            lambda: (
                window.current_thread_id is not None and window.conversation_model.rowCount() > 0
            ),
            "the conversation",
        )
        await until(window.wait_ready_for_screenshot, "the purchase history and its pictures")
        window.conversation.scroll_to_bottom()
    window.resize(*size)
    await asyncio.sleep(SETTLE_SECONDS)
    window.conversation.scroll_to_bottom()
    await asyncio.sleep(0.2)
    pixmap = window.grab()
    path = Path(args.screenshot)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(path), "PNG"):
        raise RuntimeError(f"Could not write {path}.")
    print(f"Saved {path} ({pixmap.width()}×{pixmap.height()})")
    return 0
