"""The live figure's per-event path in one process, without a server: the real window and store
(offscreen, an in-process backend with N threads and one open conversation), fed websocket frames
of the server's form through the connector's own decoder, one event at a time with the loop run
until the row is painted. Prints the process time per event of the fed events (not the set-up).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/perevent.py --threads 10000 --events 400

Under callgrind, run it twice (`--events 0` and `--events N`) and divide the difference by N.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=10_000)
    ap.add_argument("--events", type=int, default=400)
    ap.add_argument("--open-messages", type=int, default=100)
    ap.add_argument("--profile", help="write a cProfile of the fed events to this file")
    ap.add_argument(
        "--handshake",
        help="a folder: write 'ready' there before the events and 'done' after, waiting for"
        " 'go' and 'end' in turn (for `callgrind_control -z` / `-d` from outside)",
    )
    ap.add_argument("--rows", type=int, default=10, help="targets, the open thread among them")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="perevent-")
    os.environ["AGENT_DESKTOP_DATA_DIR"] = tmp
    os.environ["AGENT_DESKTOP_CONFIG_DIR"] = tmp

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(run(args, Path(tmp)))


async def run(args: argparse.Namespace, tmp: Path) -> None:
    from agent_desktop.backends.agent_api_stream import AgentApiStream
    from agent_desktop.backends.base import Ready
    from agent_desktop.core.types import Author, Message
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.ui.main_window import MainWindow
    from agent_desktop.ui.thread_model import ThreadRole
    from tests.unit.store.fakes import T0, FakeBackend, as_backend, message, thread

    class Backend(FakeBackend):
        async def metrics(self, **kwargs: Any) -> Any:
            await asyncio.Event().wait()  # the status bar's figures of the day: never answered

    fake = Backend()
    n = args.threads
    # Waiting threads (a customer's message unanswered) so that the rows on top stay on top.
    fake.thread_list = [
        thread(f"t{i:05d}", -i, unread=1, waiting_since=T0 - timedelta(minutes=n - i))
        for i in range(n)
    ]
    open_id = fake.thread_list[3].id
    fake.thread_messages = {
        open_id: [
            message(f"o{k}", open_id, -200 + k, text=f"older {k}")
            for k in range(args.open_messages)
        ]
    }
    store = ClientStore(as_backend(fake), agent_key="ann@x.test", db_path=tmp / "state.db")
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.attach_store(store)
    await store.start()
    fake.items.put_nowait(Ready(seq=0))
    deadline = time.monotonic() + 60
    while window.thread_model.rowCount() < n and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    print("threads", window.thread_model.rowCount(), file=sys.stderr)
    assert window.thread_list.select_thread(open_id)
    while window.conversation_model.rowCount() < min(args.open_messages, 30):
        await asyncio.sleep(0.05)
        assert time.monotonic() < deadline, window.conversation_model.rowCount()
    await asyncio.sleep(0.5)
    model = window.thread_model
    rows = window.thread_list.visible_source_rows()
    targets = [model.index(r, 0).data(ThreadRole.ThreadId) for r in rows][: args.rows]
    if open_id not in targets:
        targets[-1] = open_id

    decoder = AgentApiStream.__new__(AgentApiStream)  # only its frame decoder is used
    frames = []
    for k in range(args.events):
        tid = targets[k % len(targets)]
        row = store.threads[tid]
        msg = Message(
            id=f"live{k}",
            thread_id=tid,
            author=Author(kind="customer", name="X"),
            text=f"bench-live {k} a customer writes a line of ordinary length",
            created_at=T0 + timedelta(seconds=k + 1),
        )
        th = row.thread().model_copy(
            update={"updated_at": msg.created_at, "unread": row.unread + 1, "last_message": msg}
        )
        data = {
            "message": msg.model_dump(mode="json"),
            "thread": th.model_dump(mode="json"),
        }
        frames.append(
            json.dumps(
                {
                    "type": "event",
                    "seq": k + 1,
                    "name": "message.created",
                    "data": data,
                    "at": msg.created_at.isoformat(),
                }
            )
        )
    if args.handshake:
        await handshake(Path(args.handshake), "ready", "go")
    prof = None
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    cpu0 = time.process_time()
    for k, raw in enumerate(frames):
        item = decoder._frame(raw)
        assert item is not None, raw
        fake.items.put_nowait(item)
        while store.sync.last_seq < k + 1:  # noqa: ASYNC110 - as the bench's client polls
            await asyncio.sleep(0)
        await asyncio.sleep(0.004)  # the row's paint (Qt's update request) and the flush
    cpu = time.process_time() - cpu0
    if args.handshake:
        await handshake(Path(args.handshake), "done", "end")
    if prof is not None:
        prof.disable()
        prof.dump_stats(args.profile)
    per = cpu / max(1, args.events) * 1000
    print(
        json.dumps({"events": args.events, "cpu_s": round(cpu, 3), "ms_per_event": round(per, 3)})
    )
    window.detach_store()
    await store.close()
    window.close()


async def handshake(folder: Path, say: str, wait_for: str) -> None:
    (folder / say).write_text(str(os.getpid()))
    while not (folder / wait_for).exists():  # noqa: ASYNC110 - another process writes it
        await asyncio.sleep(0.05)


if __name__ == "__main__":
    main()
