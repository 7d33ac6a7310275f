"""Every start-up optimisation of the client, each with the reason it was measured for and the
test that fails when it stops working (docs/PERFORMANCE.md has the runs). startup/main.py calls
them in this order (7, 9, 10 and 13 in `_run`; 11 is in ui/thread_list.py, 12 in store/state_db.py);
the two that live with the code they speed up are listed at the end.

1. `no_automatic_collection()`: the cyclic collector is off from the first line of `main`; the
   GUI-thread collector (ui/gc_guard.py) takes over once Qt is up. During the imports it would
   only scan the ~360 freshly imported modules again and again, and it must never run in the
   early requests' threads (a QObject freed there crashes Qt). Measured with the lazy httpx of
   the same step (2ba6278, e11d15e): first row painted 386 → 355 ms.
   Test: tests/unit/startup/test_fast_start.py::test_no_automatic_collection_until_qt.
2. `skip_httpx_cli()`: httpx imports its command-line tool (click, rich, pygments: ~80 ms)
   whenever they are installed, as they are beside the server's dependencies (58776e6).
   Test: test_fast_start.py::test_httpx_imports_without_its_command_line_tool, and
   tests/unit/test_start_imports.py.
3. `import_qt()`: PySide6's `__feature__` import hook read the whole source of every module
   imported after it and `linecache` kept it (~14 MB, ~50 ms); qasync tried three other bindings
   first (fc50102). Test: tests/unit/test_start_imports.py (the hook is gone).
4. `start_early_requests()` / `stored_token_requests()`: the sign-in and the five first loads go
   out from a thread (backends/early.py) while Python imports Qt and builds the window: ~0.17 s of
   waiting for the server taken off the start (fc50102). Tests:
   tests/integration/client/test_early_requests.py, test_start_imports.py (the threads import
   nothing).
5. `SHOW_WITHIN`: the window is shown once its first page is attached, so its first paint has its
   rows (an empty paint and a second one cost ~30 ms); a slow backend keeps it hidden 0.2 s at
   most (3a95a4c). Test: test_fast_start.py::test_the_window_shows_within_its_limit.
6. `HeapFreezer`: once every thread is loaded, what is alive moves to the collector's permanent
   generation (gc.freeze): a full collection over 10,000 threads' objects stalled the GUI thread
   100-300 ms, and they live for the whole session (replaced ones are freed by their refcount).
   Once only: freezing again after each resync also froze what the resync left as garbage. On
   the bench's 10,000-thread shop, four resyncs grew the permanent generation 116,600 → 167,500
   objects when frozen every time (never collected again), and left it at 116,600 when frozen
   once; the price is that a full collection after those resyncs takes 32-102 ms instead of
   ~0 ms (resyncs are rare: a long disconnection). Test:
   test_fast_start.py::test_the_heap_is_frozen_once_after_the_first_load.

7. `collect_after_first_page()`: the GUI-thread collector's timer (every 0.5 s) starts once the
   first page is painted. Started with QApplication, it fired before the first paint whenever
   the start took more than ~0.5 s from there (a busy machine): one collection over everything
   the imports had left, 40 M instructions under callgrind, 0.10 s of a loaded start in a
   pyinstrument profile. Test: tests/ui/test_start_deferred.py::test_garbage_is_collected_after_the_first_page.
8. `no_pydantic_plugins()`: pydantic looks for plugins in the entry points of every installed
   distribution the first time it builds a model (~7 ms on a busy machine); the app has none.
   Test: test_fast_start.py::test_pydantic_looks_for_no_plugins.
9. The desktop notifications' connection to the session bus (jeepney, ui/freedesktop.py) is made
   after the first page (`Tray(connect_later=window.after_first_page)`): its task imported
   jeepney on the loop's first turns, before the first paint. Test:
   tests/ui/test_start_deferred.py::test_the_notification_service_connects_after_the_first_page.
10. The window's application-wide key filter (ui/shortcuts.py: J/K, Esc, Enter wherever the
   focus is) is installed after the first page (`MainWindow(starting=True)`): from its install on,
   every event of every object went through Python before the first paint (~1,800 calls), and
   the first object of a class PySide6 did not know made it create every class of QtCore, QtGui,
   QtNetwork and QtWidgets it had not created yet, with their enums (80 enum classes). Test:
   tests/ui/test_start_deferred.py::test_the_key_filter_listens_after_the_first_page.
11. The thread list's viewport is made in Python (ui/thread_list.py `ThreadListView`): Qt's own,
   the first time `viewport()` handed it to Python, had PySide6 create every QtWidgets class it
   had not created yet with their enums (~65 enum classes, ~20 ms). Test:
   tests/ui/test_start_deferred.py::test_the_thread_list_viewport_is_made_in_python.
12. The local state file's tables are created at `synchronous=NORMAL` (store/state_db.py
   `StateDb`): at FULL each CREATE of a new file was its own commit with its own fsync (9 before
   the first page), 30-40 ms median (5-170 ms) of waiting on the disk on the GUI thread before a
   first start's first page; now 10-16 ms. Test:
   tests/unit/store/test_state_db.py::test_a_new_file_gets_its_tables_without_waiting_for_the_disk.
   The sign-in remembers the account (its e-mail, the last backend) in one write of the settings
   file (ui/session.py), not two (each QSettings object writes the file when it goes, with two
   fsyncs). Before a start's first page: 13 fsyncs on main bd417d8, 8 now. Test:
   tests/ui/test_session.py::test_sign_in_dialog_remembers_the_token_and_sign_out_forgets_it.

13. `decode_first_page_by_hand()`: every API model builds its pydantic validator on first use
   (`defer_build`, core/types.py), and until the first page is painted its answers (the
   sign-in, the agents, the templates, the team settings, the first page of threads) are read
   by hand into the same models (backends/agent_api_decode.py), taking only the server's exact
   form and leaving anything else to pydantic. Building the 16 models the first page used at
   import cost ~95 M instructions (the API models' import 688 -> 593 M instructions; decoding
   the first page 107 -> 21 M including the builds, callgrind); main-thread CPU at the first
   paint, alternating starts on a loaded machine: see docs/PERFORMANCE.md. Tests:
   tests/unit/backends/test_agent_api_decode.py (the same models as pydantic's; anything else
   left to it; no validator built for the first page),
   test_fast_start.py::test_the_first_page_is_decoded_by_hand_until_it_is_painted.

14. `serial_raster_fills()`: Qt's raster engine paints a fill of 96 spans or more (a scroll
   bar's groove, the strip of each ancestor behind a scroll bar that is not opaque) in segments
   on a pool of threads and waits for them; on the live path (the open conversation's scroll
   bar repainted with each new message) the hand-offs cost more than the fills. Test:
   test_fast_start.py::test_fills_are_painted_on_the_gui_thread.

Elsewhere: the stream, the other pages of threads, the keyring write, the figures of the day and
babel wait for the first painted page (ui/first_paint.py, `ClientStore.start(defer=True)` in
ui/session.py; tests/ui/test_first_paint.py, test_early_requests.py); the dashboard and its charts
are imported when first shown (ui/main_window.py `dashboard`).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import Protocol

    from agent_desktop.backends.early import EarlyRequests
    from agent_desktop.ui.gc_guard import GuiThreadGarbageCollector

    class FirstPage(Protocol):
        def after_first_page(self, callback: Callable[[], None]) -> None: ...


SHOW_WITHIN = 0.2  # seconds the window may wait for early answers before it shows (empty)


def no_automatic_collection() -> None:
    """1. No automatic garbage collection until the GUI-thread collector takes over."""
    gc.disable()


def skip_httpx_cli() -> None:
    """2. A None entry makes httpx's optional import of its command-line tool fail as if click,
    rich and pygments were absent; httpx then defines its `main` without them."""
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def import_qt() -> None:
    """3. Import PySide6 for qasync and the window, without the import hook it installs.

    qasync looks for PyQt5, PyQt6 and PySide2 before PySide6 unless `QT_API` names the binding.
    PySide6 replaces `builtins.__import__` with a hook that, for every module imported after
    it, reads the module's whole source (`inspect.getsource`) to see whether it selects a
    `__feature__` (snake_case, true_property); this app selects none, so the standard import is
    put back.
    """
    import builtins

    os.environ.setdefault("QT_API", "pyside6")
    standard_import = builtins.__import__
    import PySide6.QtWidgets  # noqa: F401 - the binding qasync and the window use

    builtins.__import__ = standard_import
    import qasync  # noqa: F401


def start_early_requests(
    url: str, *, insecure: bool, email: str, password: str = "", token: str = ""
) -> EarlyRequests | None:
    """4. Send the sign-in (or use the stored token) and the first loads now, from a thread, while
    the window is built; None when they cannot go out early."""
    from agent_desktop.backends.early import EarlyRequests, first_loads, may_send_early

    if not (url and email and (password or token)) or not may_send_early(url, insecure=insecure):
        return None
    early = EarlyRequests(url, first_loads(), email=email, password=password, token=token)
    early.start()
    return early


def stored_token_requests(url: str, insecure: bool) -> EarlyRequests | None:
    """4. Early requests with the token the keyring holds for the account last used at `url`."""
    from agent_desktop.store.credentials import Credentials
    from agent_desktop.ui.settings_file import account_email

    email = account_email(url)
    token = Credentials(url).load(email) if email else None
    if not token:
        return None
    return start_early_requests(url, insecure=insecure, email=email, token=token)


def show_within(early: EarlyRequests | None) -> float:
    """5. How long the window may stay hidden waiting for its first page."""
    return SHOW_WITHIN if early is not None else 0.0


class HeapFreezer:
    """6. `gc.freeze()` once, the first time every thread is loaded (`loaded()` says whether they
    are); `freeze` is injectable for the test."""

    def __init__(self, loaded: Callable[[], bool], freeze: Callable[[], Any] = gc.freeze) -> None:
        self._loaded = loaded
        self._freeze = freeze
        self.frozen = False

    def on_data_loaded(self) -> None:
        if not self.frozen and self._loaded():
            self._freeze()
            self.frozen = True


def collect_after_first_page(window: FirstPage, collector: GuiThreadGarbageCollector) -> None:
    """7. The collector (created paused with QApplication) starts collecting once `window` has
    painted its first page."""
    window.after_first_page(collector.start)


def decode_first_page_by_hand(window: FirstPage) -> None:
    """13. The answers of the first page are read by hand until `window` has painted it."""
    from agent_desktop.backends.agent_api_decode import hand_decoding

    hand_decoding(True)
    window.after_first_page(lambda: hand_decoding(False))


def no_pydantic_plugins() -> None:
    """8. pydantic skips its search for plugins (PYDANTIC_DISABLE_PLUGINS, read each time it
    builds a model); a value set by the user is kept."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def serial_raster_fills() -> None:
    """14. Qt paints every fill on the GUI thread (`QT_NO_GUI_THREADPOOL`, read once, before the
    first fill). Otherwise its raster engine hands a fill of 96 or more spans (a 14×512 scroll
    bar's groove, each ancestor's strip behind it) to a thread pool in segments and waits for
    them: waking the pool's threads costs more than the fill (a Fusion scroll bar's paint
    ~600 → ~120 µs of process time, the same pixels). Set before the application exists."""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
