"""The order of the client's start, in one place: see `main` (before the loop) and `_run` (on it)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from agent_desktop.startup import fast_start
from agent_desktop.startup.args import DEMO_ACCOUNTS, DEMO_PASSWORD, build_parser, window_size

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from agent_desktop.backends.early import EarlyRequests
    from agent_desktop.ui.desktop import SingleInstance
    from agent_desktop.ui.gc_guard import GuiThreadGarbageCollector

log = logging.getLogger(__name__)


def main(argv: list[str]) -> int:
    fast_start.no_automatic_collection()
    fast_start.no_pydantic_plugins()
    fast_start.serial_raster_fills()
    args = build_parser().parse_args(argv)
    size = window_size(args.size)
    if size is None:
        print("--size must look like 1280x800", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # First of all: a second launch reads no keyring and sends no request, it only asks the
    # running instance to show itself (standard library only, before Qt).
    if args.screenshot is None:
        from agent_desktop.ui import instance

        if instance.ask_running():
            print("Agent Desktop is already running; its window was brought to the front.")
            return 0
    early = None
    if args.demo_url and not args.demo:
        early = fast_start.start_early_requests(
            args.demo_url,
            insecure=args.insecure,
            email=DEMO_ACCOUNTS[args.as_role],
            password=DEMO_PASSWORD,
        )
    fast_start.skip_httpx_cli()
    fast_start.import_qt()

    import qasync
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("AgentDesktop")
    QCoreApplication.setApplicationName("Agent Desktop")
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)

    from agent_desktop.ui.gc_guard import GuiThreadGarbageCollector

    gc_guard = GuiThreadGarbageCollector(app, paused=True)  # lives as long as the app

    from agent_desktop.ui import i18n
    from agent_desktop.ui.desktop import SingleInstance
    from agent_desktop.ui.settings_file import settings

    if early is None and args.url and not (args.demo or args.demo_url):
        early = fast_start.stored_token_requests(args.url, args.insecure)
    lang = i18n.choose_language(args.lang, str(settings().value("ui/language", "")))
    i18n.install(app, lang)

    guard: SingleInstance | None = None
    if args.screenshot is None:
        guard = SingleInstance()
        guard.listen()

    runner = asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app))
    try:
        return runner.run(_run(app, args, size, guard, early, gc_guard))
    except KeyboardInterrupt:
        return 130
    finally:
        runner.close()
        if guard is not None:
            guard.close()


async def _run(
    app: QApplication,
    args: argparse.Namespace,
    size: tuple[int, int],
    guard: SingleInstance | None,
    early: EarlyRequests | None = None,
    gc_guard: GuiThreadGarbageCollector | None = None,
) -> int:
    from PySide6.QtCore import QCoreApplication

    from agent_desktop.startup.signals import QuitOnSignal
    from agent_desktop.ui.desktop import Tray, raise_window
    from agent_desktop.ui.main_window import MainWindow
    from agent_desktop.ui.session import Session

    server = None
    window = MainWindow(starting=True)
    if gc_guard is not None:
        fast_start.collect_after_first_page(window, gc_guard)
    fast_start.decode_first_page_by_hand(window)
    tray = Tray(window, window, connect_later=window.after_first_page)
    tray.sound = window.sound
    freezer = fast_start.HeapFreezer(
        lambda: window.store is not None and window.store.threads_complete
    )
    window.dataLoaded.connect(freezer.on_data_loaded)
    window.unreadChanged.connect(tray.set_unread)
    window.notification.connect(tray.notify)
    tray.openThread.connect(window.open_from_notification)
    if guard is not None:
        guard.activated.connect(lambda: raise_window(window))
    session: Session | None = None
    quit_event = asyncio.Event()
    # Quitting goes through quit_event, so the clean-up below runs (QApplication.quit() would stop
    # the loop under this coroutine): the last window closed, Ctrl+C or SIGTERM.
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(quit_event.set)
    signals = QuitOnSignal(quit_event.set)
    try:
        if args.demo:
            from agent_desktop.startup.demo_server import DemoServer

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
        reveal = asyncio.get_running_loop().call_later(fast_start.show_within(early), window.show)
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
            from agent_desktop.startup import screenshot

            return await screenshot.take(window, args, size)
        await quit_event.wait()
        return 0
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        signals.close()
        if args.screenshot is None:
            window.save_layout()
        tray.hide()
        await tray.aclose()
        if session is not None:
            await session.aclose()
        await window.tasks.cancel_all()
        window.images.cancel_all()
        window.close()
        window.deleteLater()
        if server is not None:
            server.stop()
