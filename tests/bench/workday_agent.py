"""An agent's hour of work, inside the client (client_driver.py), through the window as an agent
uses it: open the conversations customers just wrote in (a click on the row), type an answer in
the composer and send it, resolve every third one, look something up in the search box, and look
at the dashboard once. The bench (workday.py) plays the customers and reads the memory.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any


async def wait_for(condition: Any, within: float) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


async def agent_hour(
    window: Any, thread_ids: list[str], hour: int, searches: list[str]
) -> dict[str, Any]:
    store = window.store
    opened = sent = resolved = skipped = 0
    for n, thread_id in enumerate(thread_ids):
        if not window.thread_list.select_thread(thread_id):
            skipped += 1  # filtered out (resolved meanwhile and not written to again)
            continue
        if not await wait_for(
            lambda tid=thread_id: (
                window.selection.thread_id == tid
                and store.conversation is not None
                and store.conversation.thread_id == tid
                and window.conversation_model.rowCount() > 0
            ),
            10,
        ):
            skipped += 1
            continue
        opened += 1
        await asyncio.sleep(0.05)  # the agent reads
        composer = window.composer
        composer.editor.setPlainText(f"Bonjour, merci pour votre message (heure {hour}, {n}).")
        if composer.try_send():
            sent += 1
        await asyncio.sleep(0.02)
        if n % 3 == 2:
            window.selection.on_conversation_statusRequested("resolved")
            resolved += 1
            await asyncio.sleep(0.02)
    for text in searches:
        window.thread_list.search.setText(text)
        await asyncio.sleep(0.6)  # typed, then the server's search (300 ms debounce)
        window.thread_list.search.clear()
        await asyncio.sleep(0.1)
    window.views.show_view("dashboard")
    # The agent reads the figures: the first time, once their data is in (on a busy machine it
    # landed after the hour's reading, a one-off rise of ~45 MB counted as growth).
    data = window.dashboard.data
    await wait_for(lambda: data.loaded and not data.loading, 60)
    await asyncio.sleep(1.0)
    window.views.show_view("workspace")
    # Every reply has reached the server before the hour is over.
    await wait_for(lambda: not store.outbox(), 30)
    await asyncio.sleep(0.3)
    return {
        "opened": opened,
        "sent": sent,
        "resolved": resolved,
        "skipped": skipped,
        "outbox": len(store.outbox()),
    }
