"""Shared fixtures: offscreen Qt, an in-memory keyring, temporary data and config folders.

The reference-server fixtures live in tests/helpers/server_fixtures.py (loaded as a plugin below).
"""

from __future__ import annotations

import gc
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

# Qt must see this before it starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import keyring
import pytest

from tests.helpers.memkeyring import MemoryKeyring

pytest_plugins = ["tests.helpers.postgres", "tests.helpers.server_fixtures"]


@pytest.fixture(autouse=True, scope="session")
def _compiled_translations() -> None:
    """The .qm files the app loads, compiled from their .ts when missing or older, as
    `python3 run.py` does (a suite started with plain pytest gets them too)."""
    path = Path(__file__).resolve().parents[1] / "packaging" / "translations.py"
    spec = importlib.util.spec_from_file_location("agent_desktop_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ensure_compiled()


@pytest.fixture(autouse=True, scope="session")
def _gui_thread_garbage_collection() -> Iterator[None]:
    """Python's cyclic collector runs in whichever thread happens to allocate. If it frees a dead
    QObject (a store, a qasync timer) on a worker thread (aiosqlite, an executor, a proxy) while Qt
    runs on the main thread, Qt crashes. So the automatic collector is off for the session and
    garbage is collected on the main thread after each test, as the app does with a GUI timer."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_test() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    """Every test gets its own data and config folders; nothing touches the developer's home."""
    data = tmp_path / "data"
    config = tmp_path / "config"
    data.mkdir()
    config.mkdir()
    monkeypatch.setenv("AGENT_DESKTOP_DATA_DIR", str(data))
    monkeypatch.setenv("AGENT_DESKTOP_CONFIG_DIR", str(config))
    yield {"data": data, "config": config}


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring for every test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
