"""The start path imports only what the first painted page needs: keyring, websockets, babel and
httpx come later (a token saved, the stream opened, something formatted, a request that really
goes out: the first loads come early), so do the Messenger's models, the shop's order models and
the metrics (its first answer, an order shown, the dashboard), and PySide6's `__feature__` import hook is taken out again
(it reads the source of every later module)."""

from __future__ import annotations

import pytest

from tests.helpers.child_python import run_python

START = """
import builtins, json, sys
standard = builtins.__import__
from agent_desktop.startup.fast_start import import_qt, skip_httpx_cli
skip_httpx_cli()
import_qt()
import agent_desktop.ui.desktop, agent_desktop.ui.i18n, agent_desktop.ui.main_window
import agent_desktop.ui.session
loaded = sorted(name for name, module in sys.modules.items() if module is not None)
print(json.dumps({"modules": loaded, "hook": builtins.__import__ is not standard}))
"""


def test_the_start_path_leaves_out_what_the_first_page_does_not_need() -> None:
    seen = run_python(START)
    tops = {name.split(".")[0] for name in seen["modules"]}
    assert not tops & {"keyring", "websockets", "babel", "httpx", "httpcore", "click", "rich"}
    later = {
        "agent_desktop.core.messenger_types",
        "agent_desktop.core.metrics",
        "agent_desktop.core.order_types",  # the shop's customers and orders: none at the start
    }
    assert not later & set(seen["modules"])
    assert "PySide6.QtWidgets" in seen["modules"] and "qasync" in seen["modules"]
    assert not seen["hook"]  # builtins.__import__ is the standard one again


WINDOW = """
import json, sys
from agent_desktop.startup.fast_start import import_qt, skip_httpx_cli
skip_httpx_cli()
import_qt()
import agent_desktop.ui.desktop, agent_desktop.ui.i18n, agent_desktop.ui.main_window
loaded = sorted(name for name, module in sys.modules.items() if module is not None)
print(json.dumps({"modules": loaded}))
"""


def test_the_window_and_the_store_import_neither_pydantic_nor_the_api_models() -> None:
    """pydantic's import (~400 M instructions) and the API models' classes are left to what uses
    a model: the window, the store and the modules they import read the API's names from
    `core.literals` and import `core.types` in the functions that make or check a model. Only
    the connector (`ui.session` -> `backends.agent_api`, which decodes the first page into the
    models) still imports them before the first paint."""
    seen = run_python(WINDOW)
    assert "agent_desktop.core.literals" in seen["modules"]
    assert "agent_desktop.core.types" not in seen["modules"]
    assert not {name.split(".")[0] for name in seen["modules"]} & {"pydantic", "pydantic_core"}


EARLY_THEN_START = """
import builtins, json, linecache, os, sys, threading
os.environ.pop("SSL_CERT_FILE", None)  # certifi's bundle, as on an agent's machine
os.environ.pop("SSL_CERT_DIR", None)
standard = builtins.__import__
from agent_desktop.backends.early import EarlyRequests, first_loads
from agent_desktop.startup.fast_start import import_qt, skip_httpx_cli
imported_by_thread = []
def recording(name, *args, **kwargs):
    if threading.current_thread().name.startswith("early"):
        imported_by_thread.append(name)
    return standard(name, *args, **kwargs)
builtins.__import__ = recording  # kept all along: PySide6's hook calls it, import_qt puts it back
early = EarlyRequests("{url}", first_loads(), email="a@b.c", password="x")
early.start()  # its threads run while PySide6 is imported, as in startup.main
skip_httpx_cli()
import_qt()
import agent_desktop.ui.main_window, agent_desktop.ui.session
early.join(10)
print(json.dumps({{
    "imported_by_thread": imported_by_thread,
    "hook": builtins.__import__ is not recording,
    "sources": len(linecache.cache),
}}))
"""


@pytest.mark.parametrize("url", ["http://127.0.0.1:9", "https://127.0.0.1:9"])
def test_the_early_requests_threads_import_nothing(url: str) -> None:
    """PySide6's import hook puts itself back when a call to it returns: a thread running an
    import statement while PySide6 is imported, even of a module already imported, would leave
    it installed, and PySide6 would then read (and `linecache` keep) the source of every module
    imported afterwards: ~150 files, ~9 MB. The threads run no import at all: a CI run found the
    hook left installed by the https threads (`import http.client` in the thread, `import
    certifi` and certifi's resource readers, the IDNA codec's first lookup)."""
    seen = run_python(EARLY_THEN_START.format(url=url))
    assert seen["imported_by_thread"] == []  # everything the threads need comes from start()
    assert not seen["hook"]
    assert seen["sources"] < 20
