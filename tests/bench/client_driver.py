"""The client under measurement: runs the real app (`startup.main.main(["--demo-url", URL])`) with thin
hooks on the painting delegates, and answers the bench's commands (JSON lines on stdin/stdout).

Every time printed is `time.time()`, the clock the server stamps messages with on this machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from typing import Any

PREFIXES = ("bench-live", "bench-burst")


def out(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Recorder:
    """What the hooks saw: first paint, repaints of bench messages, conversation paints."""

    def __init__(self) -> None:
        self.first_paint: float | None = None
        self.row_paints: dict[str, float] = {}  # bench message id -> first paint with it
        self.message_paints: dict[str, float] = {}  # conversation message id -> first paint
        self.watch_messages: set[str] = set()
        self.gaps: list[tuple[float, float]] = []
        self.burst_expect = 0
        self.burst_seen = 0
        self.burst_done: float | None = None
        self.burst_cpu: float | None = None  # the process's CPU seconds when it was done
        self.applied: dict[str, float] = {}  # bench-live message id -> applied by the store


REC = Recorder()
DRIVER: list[Driver] = []
PROFILER: list[Any] = []


def hook_on_import() -> None:
    """Install the painting hooks as soon as the app has imported the delegates' modules, so the
    app imports everything itself, in its own order (importing UI modules here first would
    import PySide6 before `startup.main` and change what the start does: the order of imports,
    PySide6's import hook, when the early requests go out). `fast_start.import_qt` keeps this
    wrapper: it puts back whatever `__import__` was there before PySide6."""
    import builtins

    standard_import = builtins.__import__
    wanted = {
        "agent_desktop.ui.thread_delegate": "ThreadDelegate",
        "agent_desktop.ui.conversation_delegate": "ConversationDelegate",
    }

    installed: list[bool] = []

    def importing(*args: Any, **kwargs: Any) -> Any:
        module = standard_import(*args, **kwargs)
        # Once: the imports still in flight return through here after the hooks are in.
        if not installed and all(hasattr(sys.modules.get(n), c) for n, c in wanted.items()):
            installed.append(True)
            builtins.__import__ = standard_import
            install_hooks()
        return module

    builtins.__import__ = importing


def install_hooks() -> None:
    from agent_desktop.ui.conversation_delegate import ConversationDelegate
    from agent_desktop.ui.conversation_model import MessageRole
    from agent_desktop.ui.thread_delegate import ThreadDelegate
    from agent_desktop.ui.thread_model import ThreadRole

    thread_paint = ThreadDelegate.paint
    conv_paint = ConversationDelegate.paint

    def paint_row(self: Any, painter: Any, option: Any, index: Any) -> None:
        thread_paint(self, painter, option, index)
        now = time.time()
        if REC.first_paint is None:
            REC.first_paint = now
            out({"ev": "first-paint", "t": now, "cpu": time.process_time()})
            if PROFILER:
                PROFILER[0].stop()
                with open(os.environ["BENCH_PROFILE"], "w") as f:
                    f.write(PROFILER[0].output_text(unicode=True, show_all=False))
            DRIVER.append(Driver())
        thread = index.data(ThreadRole.Thread)
        last = getattr(thread, "last_message", None)
        if last is not None and last.text.startswith(PREFIXES) and last.id not in REC.row_paints:
            REC.row_paints[last.id] = now

    def paint_message(self: Any, painter: Any, option: Any, index: Any) -> None:
        conv_paint(self, painter, option, index)
        if REC.watch_messages:
            msg = index.data(MessageRole.Message)
            mid = getattr(msg, "id", None)
            if mid in REC.watch_messages and mid not in REC.message_paints:
                REC.message_paints[mid] = time.time()

    ThreadDelegate.paint = paint_row  # type: ignore[method-assign]
    ConversationDelegate.paint = paint_message  # type: ignore[method-assign]


def _pymalloc_stats() -> dict[str, float]:
    """pymalloc's arenas (sys._debugmallocstats, which writes to the C stderr): MB allocated in
    arenas, MB in used blocks, MB free in them (its fragmentation)."""
    import tempfile

    with tempfile.TemporaryFile("w+") as f:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(f.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        f.seek(0)
        text = f.read()
    found: dict[str, float] = {}
    for line in text.splitlines():
        if "=" not in line or not line.startswith("#"):
            continue
        name, _, value = line[1:].rpartition("=")
        name = " ".join(name.split())
        try:
            found[name] = int(value.strip().replace(",", "")) / 2**20
        except ValueError:
            continue
    return found


class Driver:
    """Runs commands inside the app's event loop (created lazily on the GUI thread)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QObject, Qt, QTimer, Signal

        class Bridge(QObject):
            command = Signal(str)

        self.bridge = Bridge()
        self.bridge.command.connect(self.on_command, Qt.ConnectionType.QueuedConnection)
        self.probe = QTimer()
        self.probe.setTimerType(Qt.TimerType.PreciseTimer)
        self.probe.setInterval(5)
        self.probe.timeout.connect(self.on_probe)
        self.last_tick = 0.0
        self.tasks: set[asyncio.Task[Any]] = set()
        threading.Thread(target=self.read_stdin, daemon=True).start()

    def read_stdin(self) -> None:
        for line in sys.stdin:
            if line.strip():
                self.bridge.command.emit(line)

    def on_probe(self) -> None:
        now = time.time()
        if self.last_tick and now - self.last_tick > 0.012:
            REC.gaps.append((self.last_tick, now))
        self.last_tick = now

    def window(self) -> Any:
        from PySide6.QtWidgets import QApplication

        from agent_desktop.ui.main_window import MainWindow

        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow):
                return w
        return None

    def on_command(self, line: str) -> None:
        cmd = json.loads(line)
        task = asyncio.ensure_future(self.run(cmd))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def run(self, cmd: dict[str, Any]) -> None:
        try:
            result = await getattr(self, "cmd_" + cmd["cmd"])(**cmd.get("args", {}))
            out({"ev": "done", "cmd": cmd["cmd"], "result": result})
        except Exception as exc:  # reported to the bench, which fails the figure
            import traceback

            out({"ev": "error", "cmd": cmd["cmd"], "error": traceback.format_exc() + repr(exc)})

    async def cmd_loaded(self) -> dict[str, Any]:
        w = self.window()
        while w is None or w.store is None or not w.store.loaded:
            await asyncio.sleep(0.05)
            w = self.window()
        store = w.store
        store.messageCreated.connect(self.on_store_messageCreated)
        return {"threads": len(store.threads), "rows": w.thread_model.rowCount()}

    async def cmd_complete(self) -> dict[str, Any]:
        """Wait until every thread is loaded (the pages after the first come in the background)."""
        w = self.window()
        while w.store is None or not w.store.threads_complete:  # noqa: ASYNC110 - polled
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # the final reset and what follows it (settle_heap) are done
        return {"threads": len(w.store.threads), "rows": w.thread_model.rowCount()}

    def on_store_messageCreated(self, thread_id: str, message: Any) -> None:
        if message.text.startswith("bench-live"):
            REC.applied[message.id] = time.time()
        if REC.burst_expect and message.text.startswith("bench-burst"):
            REC.burst_seen += 1
            if REC.burst_seen == REC.burst_expect:
                from PySide6.QtCore import QTimer

                # After the batched model update that follows in this loop turn.
                QTimer.singleShot(0, self.on_burst_applied)

    def on_burst_applied(self) -> None:
        REC.burst_done = time.time()
        REC.burst_cpu = time.process_time()

    async def cmd_visible(self) -> list[str]:
        w = self.window()
        rows = w.thread_list.visible_source_rows()
        return [w.thread_model.thread_at(r).id for r in rows]

    async def cmd_probe(self, on: bool) -> list[tuple[float, float]]:
        gaps = REC.gaps
        REC.gaps = []
        if on:
            self.last_tick = 0.0
            self.probe.start()
        else:
            self.probe.stop()
        return gaps

    async def cmd_profile(self, path: str = "") -> None:
        """Start (no path) or stop and write (path) a pyinstrument profile of the GUI thread."""
        if not path:
            from pyinstrument import Profiler

            PROFILER[:] = [Profiler(interval=0.0005, async_mode="disabled")]
            PROFILER[0].start()
            return
        PROFILER[0].stop()
        with open(path, "w") as f:  # noqa: ASYNC230 - profiling only, off the measured path
            f.write(PROFILER[0].output_text(unicode=True, show_all=False))
        PROFILER.clear()

    async def cmd_paints(self) -> dict[str, Any]:
        return {"painted": REC.row_paints, "applied": REC.applied}

    async def cmd_burst(self, expect: int) -> None:
        REC.burst_expect, REC.burst_seen, REC.burst_done = expect, 0, None
        REC.burst_cpu = None

    async def cmd_cpu(self) -> float:
        """CPU seconds this process has used (all its threads)."""
        return time.process_time()

    async def cmd_burst_result(self, within: float) -> dict[str, Any]:
        deadline = time.time() + within
        while REC.burst_done is None and time.time() < deadline:  # noqa: ASYNC110 - polled
            await asyncio.sleep(0.02)
        return {"seen": REC.burst_seen, "done": REC.burst_done, "cpu": REC.burst_cpu}

    async def cmd_open(self, thread_id: str, newest: str, within: float = 10) -> dict[str, Any]:
        """Select a thread; times to the debounced open and to its newest message painted."""
        w = self.window()
        REC.watch_messages = {newest}
        REC.message_paints.pop(newest, None)
        opened: list[float] = []
        w.selection.open_timer.timeout.connect(lambda: opened.append(time.time()))
        t0 = time.time()
        if not w.thread_list.select_thread(thread_id):
            raise RuntimeError(f"thread {thread_id} is not in the list")
        deadline = t0 + within
        while newest not in REC.message_paints and time.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.002)
        painted = REC.message_paints.get(newest)
        return {"selected": t0, "opened": opened[0] if opened else None, "painted": painted}

    async def cmd_scrollback(self, within: float = 120) -> dict[str, Any]:
        """Scroll the open conversation to the top until everything is loaded."""
        w = self.window()
        store = w.store
        bar = w.conversation.view.verticalScrollBar()
        t0 = time.time()
        pages = 0
        while time.time() - t0 < within:
            conv = store.conversation
            if conv is None or not conv.has_more:
                break
            if not conv.loading:
                before = len(conv.entries)
                bar.setValue(bar.minimum())
                if bar.maximum() == 0:
                    w.conversation.request_older()
                while len(conv.entries) == before and time.time() - t0 < within:  # noqa: ASYNC110
                    await asyncio.sleep(0.005)
                pages += 1
            await asyncio.sleep(0.03)  # the agent keeps scrolling up, a few frames per page
        conv = store.conversation
        return {
            "seconds": time.time() - t0,
            "pages": pages,
            "rows": w.conversation_model.rowCount(),
            "has_more": bool(conv and conv.has_more),
        }

    async def cmd_scroll(self, view: str, seconds: float, within: float = 120) -> dict[str, Any]:
        """Scroll the thread list ("threads") or the open conversation from its top to its
        bottom in about `seconds`, at a steady pace (pacer.py); the frame time of every step."""
        from pacer import FRAME_MS, Pacer

        w = self.window()
        v = w.thread_list.view if view == "threads" else w.conversation.view
        bar = v.verticalScrollBar()
        bar.setValue(bar.minimum())
        await asyncio.sleep(0.5)  # painted at the top, and nothing else pending
        span = bar.maximum() - bar.minimum()
        step = max(1, round(span / (seconds * 1000 / FRAME_MS)))
        pacer = Pacer(v, step)
        cpu0 = time.process_time()
        taken = await pacer.run(lambda: bar.value() >= bar.maximum(), within)
        return {
            "frames_ms": pacer.frames,
            "seconds": taken,
            "pixels": pacer.pixels,
            "step_px": step,
            "unpainted": pacer.unpainted,
            "rows": v.model().rowCount(),
            "cpu_s": time.process_time() - cpu0,
        }

    async def cmd_memstats(self, top: int = 40) -> dict[str, Any]:
        """Where the memory is (memprobe.py): live objects by type, the C heap (glibc's
        mallinfo2), and with PYTHONTRACEMALLOC set, the Python allocations by line."""
        import collections
        import gc
        import tracemalloc

        from tests.helpers.mallinfo import mallinfo

        frozen = gc.get_freeze_count()
        gc.unfreeze()  # the frozen objects are in no generation gc.get_objects() walks
        objects = gc.get_objects()
        types = collections.Counter(type(o).__qualname__ for o in objects)
        pictures = [o for o in objects if type(o).__name__ in ("QPixmap", "QImage")]
        picture_mb = sum(p.width() * p.height() * p.depth() / 8 for p in pictures) / 2**20
        del pictures
        count = len(objects)
        del objects
        if frozen:
            gc.freeze()
        result: dict[str, Any] = {
            "gc_objects": count,
            "frozen": frozen,
            "blocks": sys.getallocatedblocks(),
            "types": types.most_common(top),
            "pictures_mb": picture_mb,
        }

        heap = mallinfo()
        if heap is not None:
            result["malloc_mb"] = {n: v / 2**20 for n, v in heap.items()}
        w = self.window()
        images = getattr(w, "images", None)
        if images is not None:
            result["images"] = {"count": len(images._cache), "mb": images._bytes / 2**20}
        store = getattr(w, "store", None)
        if store is not None:
            caches = store.caches
            result["caches"] = {
                "customers": len(caches._customers),
                "orders": sum(len(v) for v in caches._orders.values()),
            }
        result["modules"] = sorted(sys.modules)
        result["pymalloc"] = _pymalloc_stats()
        per_file: collections.Counter[str] = collections.Counter()
        with open("/proc/self/smaps") as f:  # noqa: ASYNC230 (a probe, not the app)
            name = ""
            for line in f:
                head = line.split()
                if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
                    name = head[5] if len(head) > 5 else "[anon]"
                elif head[0] == "Rss:":
                    per_file[name] += int(head[1])
        result["smaps_kb"] = per_file.most_common(top)
        if tracemalloc.is_tracing():
            snap = tracemalloc.take_snapshot()
            result["traced_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
            result["by_line"] = [
                (str(s.traceback), s.size, s.count) for s in snap.statistics("lineno")[:top]
            ]
            result["by_file"] = [
                (str(s.traceback), s.size, s.count) for s in snap.statistics("filename")[:top]
            ]
        # Last (it frees them): the unreachable objects, the frozen ones among them too.
        frozen = gc.get_freeze_count()
        gc.unfreeze()
        result["garbage"] = gc.collect()
        if frozen:
            gc.freeze()
        return result

    async def cmd_trim(self) -> dict[str, Any]:
        """Experiment: glibc's malloc_trim(0) (free heap pages back to the system)."""
        import ctypes

        def rss() -> float:
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

        before = rss()
        t0 = time.perf_counter()
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        took = time.perf_counter() - t0
        return {"before": before, "after": rss(), "ms": took * 1000}

    async def cmd_agent_hour(
        self, thread_ids: list[str], hour: int, searches: list[str]
    ) -> dict[str, Any]:
        from workday_agent import agent_hour

        return await agent_hour(self.window(), thread_ids, hour, searches)


def main() -> int:
    url = sys.argv[1]
    if os.environ.get("BENCH_PROFILE"):  # where the start-up goes (pyinstrument, bench extra)
        from pyinstrument import Profiler

        PROFILER.append(Profiler(interval=0.001, async_mode="disabled"))
        PROFILER[0].start()
    from agent_desktop.startup.main import main as launch_main

    hook_on_import()  # the driver itself starts at the first painted row (the app exists then)
    return launch_main(["--demo-url", url])


if __name__ == "__main__":
    sys.exit(main())
