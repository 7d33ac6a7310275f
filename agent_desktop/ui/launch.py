"""Starts the desktop client: command-line options, the Qt application on a qasync event loop, the
embedded demo server (`--demo`), sign-in, and the `--screenshot` mode used for docs and checks.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from agent_desktop.paths import data_dir

if TYPE_CHECKING:
    from agent_desktop.backends.early import EarlyRequests

log = logging.getLogger(__name__)

DEMO_ACCOUNTS = {"agent": "agent@demo.test", "lead": "lead@demo.test"}
DEMO_PASSWORD = "demo"
SHOW_WITHIN = 0.2  # seconds the window may wait for early answers before it shows (empty)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="agent-desktop",
        description="Agent Desktop: answer your shop's customers on Messenger.",
    )
    p.add_argument(
        "--demo", action="store_true", help="start an embedded demo backend and sign in to it"
    )
    p.add_argument(
        "--as",
        dest="as_role",
        choices=sorted(DEMO_ACCOUNTS),
        default="agent",
        help="demo: sign in as the agent or the team lead",
    )
    p.add_argument(
        "--url", default="", help="the backend address, e.g. https://support.example.com"
    )
    p.add_argument(
        "--insecure",
        action="store_true",
        help="allow plain http:// to a host that is not this computer",
    )
    p.add_argument(
        "--lang",
        choices=["en", "fr"],
        default=None,
        help="interface language (default: settings, then the system's)",
    )
    p.add_argument(
        "--screenshot",
        metavar="FILE",
        default=None,
        help="save a PNG of the window once the data is loaded, then exit",
    )
    p.add_argument(
        "--select-first",
        action="store_true",
        help="screenshot: open the most urgent conversation first",
    )
    p.add_argument(
        "--size", default="1280x800", help="screenshot: window size WxH (default 1280x800)"
    )
    p.add_argument(
        "--view",
        default="workspace",
        help="screenshot: the view to show (workspace, or dashboard when present)",
    )
    p.add_argument("--timeout", type=float, default=90.0, help=argparse.SUPPRESS)
    # A demo server that is already running (docs, development): sign in to it as with --demo.
    p.add_argument("--demo-url", default="", help=argparse.SUPPRESS)
    return p


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DemoServer:
    """The reference server in demo mode, as a child process on a free loopback port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.folder = data_dir() / "demo-server"

    def command(self) -> list[str]:
        self.folder.mkdir(parents=True, exist_ok=True)
        database = f"sqlite:///{self.folder / 'demo.sqlite'}"
        args = [
            "--demo",
            "--simulate",
            "4",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--database",
            database,
        ]
        if getattr(sys, "frozen", False):
            return [sys.executable, "--internal-server", *args]
        return [sys.executable, "-m", "agent_desktop.server", *args]

    def start(self) -> None:
        log_file = open(self.folder.parent / "demo-server.log", "ab")  # noqa: SIM115 - the child keeps it
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            self.command(), stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        log_file.close()

    async def wait_healthy(self, within: float = 60.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"The demo server stopped (exit code {self.proc.returncode}); see {self.folder.parent / 'demo-server.log'}."
                )
            ok = await asyncio.to_thread(self._probe)
            if ok:
                return
            await asyncio.sleep(0.2)
        raise RuntimeError("The demo server did not start within a minute.")

    def _probe(self) -> bool:
        import urllib.request

        for path in ("/api/v1/health", "/health"):
            try:
                with urllib.request.urlopen(self.url + path, timeout=1) as resp:
                    if resp.status == 200:
                        return True
            except OSError:
                continue
        return False

    def stop(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(OSError):
            proc.terminate()  # SIGTERM: uvicorn shuts down cleanly
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def skip_httpx_cli() -> None:
    """httpx imports its command-line tool (click, rich, pygments: ~80 ms of the start) whenever
    those happen to be installed, as they are next to the server's dependencies; the app never
    runs it. A None entry makes that optional import fail as if they were absent, and httpx then
    defines its `main` without them."""
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def import_qt() -> None:
    """Import PySide6 for qasync and the window, without the import hook it installs.

    qasync looks for PyQt5, PyQt6 and PySide2 before PySide6 unless `QT_API` names the binding.
    PySide6 replaces `builtins.__import__` with a hook that, for every module imported after
    it, reads the module's whole source (`inspect.getsource`) to see whether it selects a
    `__feature__` (snake_case, true_property), and `linecache` keeps those lines for good (~14 MB
    and ~0.05 s for the client's modules). This app selects none, so the standard import is put
    back: the modules imported after PySide6 are never read.
    """
    import builtins
    import os

    os.environ.setdefault("QT_API", "pyside6")
    standard_import = builtins.__import__
    import PySide6.QtWidgets  # noqa: F401 - the binding qasync and the window use

    builtins.__import__ = standard_import
    import qasync  # noqa: F401


def start_early_requests(
    url: str, *, insecure: bool, email: str, password: str = "", token: str = ""
) -> EarlyRequests | None:
    """Send the sign-in (or use the stored token) and the first loads now, from a thread, while
    the window is built (`backends.early`); None when they cannot go out early."""
    from agent_desktop.backends.early import EarlyRequests, first_loads, may_send_early

    if not (url and email and (password or token)) or not may_send_early(url, insecure=insecure):
        return None
    early = EarlyRequests(url, first_loads(), email=email, password=password, token=token)
    early.start()
    return early


def stored_token_requests(url: str, insecure: bool) -> EarlyRequests | None:
    """Early requests with the token the keyring holds for the account last used at `url`."""
    from agent_desktop.store.credentials import Credentials
    from agent_desktop.ui.settings_file import account_email

    email = account_email(url)
    token = Credentials(url).load(email) if email else None
    if not token:
        return None
    return start_early_requests(url, insecure=insecure, email=email, token=token)


class _Shutdown:
    """A quit request from a signal handler, delivered to the event loop by a timer poll."""

    def __init__(self) -> None:
        self.requested = False
        self.callback: Callable[[], None] | None = None

    def request(self) -> None:
        self.requested = True

    def poll(self) -> None:
        if self.requested and self.callback is not None:
            self.callback()


_SHUTDOWN = _Shutdown()


def main(argv: list[str]) -> int:
    # No automatic collection from here on: the GUI-thread collector (ui/gc_guard.py) takes over
    # once Qt is up. Until then it would only scan the start's ~360 freshly imported modules
    # again and again, and it must never run in the early requests' threads (a QObject freed
    # there crashes Qt).
    gc.disable()
    args = build_parser().parse_args(argv)
    try:
        width, height = (int(x) for x in args.size.lower().split("x"))
    except ValueError:
        print("--size must look like 1280x800", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    early = None
    if args.demo_url and not args.demo:
        early = start_early_requests(
            args.demo_url,
            insecure=args.insecure,
            email=DEMO_ACCOUNTS[args.as_role],
            password=DEMO_PASSWORD,
        )
    skip_httpx_cli()
    import_qt()

    import qasync
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("AgentDesktop")
    QCoreApplication.setApplicationName("Agent Desktop")
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)

    from agent_desktop.ui.gc_guard import GuiThreadGarbageCollector

    gc_guard = GuiThreadGarbageCollector(app)  # noqa: F841 - lives as long as the app

    from agent_desktop.ui import i18n
    from agent_desktop.ui.desktop import SingleInstance
    from agent_desktop.ui.settings_file import settings

    if early is None and args.url and not (args.demo or args.demo_url):
        early = stored_token_requests(args.url, args.insecure)
    lang = i18n.choose_language(args.lang, str(settings().value("ui/language", "")))
    i18n.install(app, lang)

    guard: SingleInstance | None = None
    if args.screenshot is None:
        guard = SingleInstance()
        if guard.ask_running():
            print("Agent Desktop is already running; its window was brought to the front.")
            return 0
        guard.listen()

    # Ctrl+C and SIGTERM quit cleanly (so the demo server child is stopped too); the timer gives
    # Python a chance to run the handler while Qt's loop is waiting.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: _SHUTDOWN.request())
    heartbeat = QTimer()
    heartbeat.start(300)
    heartbeat.timeout.connect(_SHUTDOWN.poll)

    runner = asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app))
    try:
        return runner.run(_run(app, args, (width, height), guard, early))
    except KeyboardInterrupt:
        return 130
    finally:
        runner.close()
        if guard is not None:
            guard.close()


async def _run(
    app: object,
    args: argparse.Namespace,
    size: tuple[int, int],
    guard: object,
    early: EarlyRequests | None = None,
) -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from agent_desktop.ui.desktop import SingleInstance, Tray, raise_window
    from agent_desktop.ui.main_window import MainWindow
    from agent_desktop.ui.session import Session

    server: DemoServer | None = None
    window = MainWindow()
    tray = Tray(window, window)
    tray.sound = window.sound
    window.dataLoaded.connect(lambda: settle_heap(window))
    window.unreadChanged.connect(tray.set_unread)
    window.notify.connect(tray.notify)
    if isinstance(guard, SingleInstance):
        guard.activated.connect(lambda: raise_window(window))
    session: Session | None = None
    quit_event = asyncio.Event()
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    # Quitting goes through quit_event, so the clean-up below runs (QApplication.quit() would stop
    # the loop under this coroutine).
    qapp.setQuitOnLastWindowClosed(False)
    qapp.lastWindowClosed.connect(quit_event.set)
    _SHUTDOWN.callback = quit_event.set
    try:
        if args.demo:
            server = DemoServer()
            window.status.showMessage(
                QCoreApplication.translate("MainWindow", "Starting the demo backend…")
            )
            server.start()
            await server.wait_healthy()
            window.status.clearMessage()
        url = server.url if server else (args.demo_url or args.url or "")
        if args.screenshot:
            window.resize(*size)
        session = Session(window, url=url, insecure=args.insecure, early=early)
        # With the first loads already on their way, the window opens with its threads in its
        # very first paint rather than empty and then again; a slow backend keeps it hidden for
        # SHOW_WITHIN at most.
        reveal = asyncio.get_running_loop().call_later(
            SHOW_WITHIN if early is not None else 0, window.show
        )
        try:
            if server is not None or args.demo_url:
                ok = await session.start(email=DEMO_ACCOUNTS[args.as_role], password=DEMO_PASSWORD)
                if not ok:
                    raise RuntimeError("Could not sign in to the demo backend.")
            else:
                await session.start()
        finally:
            reveal.cancel()
            window.show()
        if args.view != "workspace" and not window.has_view(args.view):
            raise RuntimeError(f"There is no view named {args.view!r} in this version.")
        if args.screenshot:
            return await _screenshot(window, args, size)
        await quit_event.wait()
        return 0
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        if args.screenshot is None:
            window.save_layout()
        tray.hide()
        if session is not None:
            await session.aclose()
        await window.tasks.cancel_all()
        window.images.cancel_all()
        window.close()
        window.deleteLater()
        if server is not None:
            server.stop()


def settle_heap(window: object) -> None:
    """Once every thread is loaded, move what is alive into the collector's permanent generation
    (gc.freeze): a full collection over 10,000 threads' objects stalls the GUI thread for
    100-300 ms, and these live for the whole session (replaced ones are freed by their refcount).
    """
    import gc

    store = getattr(window, "store", None)
    if store is not None and store.threads_complete:
        gc.freeze()


async def _screenshot(window: object, args: argparse.Namespace, size: tuple[int, int]) -> int:
    from agent_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    deadline = time.monotonic() + args.timeout

    async def until(cond: object, what: str) -> None:
        while not cond():  # type: ignore[operator]
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
    if hasattr(view, "ready_for_screenshot"):
        await until(view.ready_for_screenshot, f"the {args.view} to load")
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
    await asyncio.sleep(0.6)
    window.conversation.scroll_to_bottom()
    await asyncio.sleep(0.2)
    pixmap = window.grab()
    path = Path(args.screenshot)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(path), "PNG"):
        raise RuntimeError(f"Could not write {path}.")
    print(f"Saved {path} ({pixmap.width()}×{pixmap.height()})")
    return 0
