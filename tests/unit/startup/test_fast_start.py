"""Each start-up optimisation of startup/fast_start.py keeps working (the module's docstring says
what each one saves; these fail when one silently stops applying)."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable

import pytest

from agent_desktop.startup import fast_start
from tests.helpers.child_python import run_python


def test_no_automatic_collection_until_qt() -> None:
    """The first thing `main` does is to turn the automatic collector off (here it returns at
    once on a bad --size, after that)."""
    seen = run_python(
        "import gc, json\n"
        "gc.enable()\n"
        "from agent_desktop.startup.main import main\n"
        "code = main(['--size', 'not-a-size'])\n"
        "print(json.dumps({'code': code, 'gc': gc.isenabled()}))\n"
    )
    assert seen == {"code": 2, "gc": False}


@pytest.mark.skipif(
    importlib.util.find_spec("click") is None, reason="httpx's CLI needs click to be installed"
)
def test_httpx_imports_without_its_command_line_tool() -> None:
    probe = (
        "import json, sys\n"
        "{before}\n"
        "import httpx\n"
        "print(json.dumps(sorted(m for m in ('click', 'rich', 'pygments') if m in sys.modules)))\n"
    )
    plain = run_python(probe.format(before=""))
    skipped = run_python(
        probe.format(
            before="from agent_desktop.startup.fast_start import skip_httpx_cli; skip_httpx_cli()"
        )
    )
    assert "click" in plain  # what it saves: without it, httpx imports its CLI's dependencies
    assert skipped == []


def test_the_window_shows_within_its_limit() -> None:
    """With early requests in flight the window waits for its first page, 0.2 s at most; without
    them (nothing to wait for) it shows at once."""
    assert fast_start.show_within(None) == 0.0
    assert 0 < fast_start.show_within(object()) <= 0.2  # type: ignore[arg-type]


def test_the_heap_is_frozen_once_after_the_first_load() -> None:
    loaded = [False]
    freezes: list[bool] = []
    freezer = fast_start.HeapFreezer(lambda: loaded[0], freeze=lambda: freezes.append(True))
    freezer.on_data_loaded()  # the first page: not everything yet
    assert freezes == []
    loaded[0] = True
    freezer.on_data_loaded()  # all the pages are in
    assert freezes == [True]
    freezer.on_data_loaded()  # a resync, another reset: the heap is not frozen again
    freezer.on_data_loaded()
    assert freezes == [True] and freezer.frozen


def test_pydantic_looks_for_no_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """pydantic would read the entry points of every installed distribution when it builds the
    first model; with the variable set it returns no plugins without looking."""
    from pydantic.plugin import _loader

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")  # put back as it was after the test
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS")
    monkeypatch.setattr(_loader, "_plugins", None)
    looked: list[str] = []
    monkeypatch.setattr(_loader, "entry_points", lambda **kw: looked.append("looked") or [])
    fast_start.no_pydantic_plugins()
    assert list(_loader.get_plugins()) == [] and looked == []
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "some_plugin")  # the user's own choice stays
    fast_start.no_pydantic_plugins()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "some_plugin"


def test_the_first_page_is_decoded_by_hand_until_it_is_painted() -> None:
    """13: the start reads the first page's answers without pydantic's validators
    (tests/unit/backends/test_agent_api_decode.py), and only until the page is painted."""
    from agent_desktop.backends import agent_api_decode
    from agent_desktop.core.types import Author

    class FirstPage:
        def __init__(self) -> None:
            self.waiting: list[Callable[[], None]] = []

        def after_first_page(self, callback: Callable[[], None]) -> None:
            self.waiting.append(callback)

    payload = {"kind": "agent", "id": "a1", "name": "Alex"}
    window = FirstPage()
    try:
        fast_start.decode_first_page_by_hand(window)
        assert agent_api_decode.decode(Author, payload) == Author(kind="agent", id="a1", name="Alex")
        for callback in window.waiting:
            callback()
        assert agent_api_decode.decode(Author, payload) is None
    finally:
        agent_api_decode.hand_decoding(False)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="threads counted through /proc")
def test_fills_are_painted_on_the_gui_thread() -> None:
    """14: `main` sets QT_NO_GUI_THREADPOOL before Qt starts, and with it a tall fill (a Fusion
    scroll bar's groove, 14×512) is painted without Qt's GUI thread pool, which without the
    variable takes the fill in segments on its own threads."""
    probe = (
        "import json, os, sys\n"
        "os.environ.pop('QT_NO_GUI_THREADPOOL', None)\n"
        "{before}\n"
        "from PySide6.QtCore import Qt\n"
        "from PySide6.QtGui import QImage\n"
        "from PySide6.QtWidgets import QApplication, QScrollBar, QStyleFactory\n"
        "app = QApplication(sys.argv[:1])\n"
        "app.setStyle(QStyleFactory.create('Fusion'))\n"
        "bar = QScrollBar(Qt.Orientation.Vertical)\n"
        "bar.resize(14, 512)\n"
        "image = QImage(14, 512, QImage.Format.Format_ARGB32_Premultiplied)\n"
        "bar.render(image)\n"
        "names = [open(f'/proc/self/task/{{t}}/comm').read() for t in os.listdir('/proc/self/task')]\n"
        "print(json.dumps(sum(n.startswith('Thread (pooled)') for n in names)))\n"
    )
    assert run_python(probe.format(before="")) > 0  # the probe sees the pool when it is used
    main = "from agent_desktop.startup.main import main\nassert main(['--size', 'bad']) == 2"
    assert run_python(probe.format(before=main)) == 0
