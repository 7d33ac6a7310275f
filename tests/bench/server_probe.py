"""The reference server as the bench runs it, with one probe: when each bench message's event was
published, which `ctx.write()` does right after the transaction commits. The live figure is
defined from the commit (issue: "server commits a customer message -> the thread's row
repainted"); `created_at` is stamped earlier, when the transaction starts.

The times stay in memory (no I/O on the server's path); SIGUSR1 writes them, as JSON
{message id: time.time()}, to the file named by BENCH_COMMITS_FILE.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from agent_desktop.server import hub
from agent_desktop.server.cli import main

PREFIXES = ("bench-live", "bench-burst")
PUBLISHED: dict[str, float] = {}


def install() -> None:
    publish = hub.EventHub.publish

    def probe(self: hub.EventHub, events: list[hub.PublishedEvent]) -> None:
        now = time.time()
        for ev in events:
            message = ev.data.get("message") if ev.name == "message.created" else None
            if isinstance(message, dict) and str(message.get("text", "")).startswith(PREFIXES):
                PUBLISHED[str(message["id"])] = now
        publish(self, events)

    hub.EventHub.publish = probe  # type: ignore[method-assign]

    def dump(_signum: int, _frame: Any) -> None:
        target = Path(os.environ["BENCH_COMMITS_FILE"])
        partial = target.with_suffix(".part")
        partial.write_text(json.dumps(PUBLISHED))
        partial.replace(target)

    signal.signal(signal.SIGUSR1, dump)


if __name__ == "__main__":
    install()
    sys.exit(main(sys.argv[1:]))
