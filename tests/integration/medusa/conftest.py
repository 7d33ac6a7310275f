"""The real Medusa 2.21 server the connector's tests run against (tests/medusa/medusa_server.py).

CI (`.ci/run`) builds and starts it in the background before the suite and names its state folder
in `AGENT_DESKTOP_MEDUSA_STATE`; these tests run last and wait for it to be ready. Elsewhere the
fixture starts one itself when Medusa is installed (`tests/medusa/node_modules`), and the tests
skip, saying how to install it, when it is not. Under CI they never skip.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import pgcluster
from tests.medusa import medusa_server

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "tests" / "medusa" / "medusa_server.py"
READY_TIMEOUT = 1500.0  # seconds: a cold npm install, migrations and the seed on a busy machine
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run Medusa's tests after every other test, so CI's Medusa has the whole suite's time to
    get ready; the first of them may wait that long for it (a longer timeout than the suite's)."""
    mine = [i for i in items if HERE in Path(str(i.path)).parents]
    for item in mine:
        item.add_marker(pytest.mark.timeout(READY_TIMEOUT + 300))
    if mine:
        items[:] = [i for i in items if i not in mine] + mine


@dataclass
class Medusa:
    """The running server: its URL, the secret API key the connector uses, the publishable key a
    storefront uses, and the seeded ids (region, location, shipping options, variants)."""

    url: str
    api_key: str
    state: dict[str, Any] = field(repr=False)

    @property
    def admin(self) -> medusa_server.Http:
        return medusa_server.Http(self.url, {"Authorization": medusa_server.basic(self.api_key)})

    def place_order(
        self, email: str, first: str, last: str, basket: list[tuple[str, int]]
    ) -> dict[str, Any]:
        """A new customer (or a returning one) places an order through the store API."""
        return medusa_server.shop_as_customer(self.url, self.state, email, first, last, [basket])[0]


def _postgres_installed() -> bool:
    try:
        pgcluster.bindir()
    except SystemExit:
        return False
    return True


def _ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _wait(state_dir: Path, timeout: float) -> dict[str, Any]:
    # The suite's faulthandler_timeout would dump every thread's stack while we wait: a wait for a
    # server being built is expected to be long (pytest arms it again for the next test).
    faulthandler.cancel_dump_traceback_later()
    path = state_dir / medusa_server.STATE_FILE
    began = time.monotonic()
    deadline = began + timeout
    delay = 0.2
    while True:
        data: dict[str, Any] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                data = {}  # caught between two writes; read again
        if data.get("state") == "ready":
            data["waited"] = round(time.monotonic() - began, 1)
            return data
        if data.get("state") == "failed":
            pytest.fail(f"Medusa could not be started: {data.get('error')}", pytrace=False)
        if time.monotonic() > deadline:
            pytest.fail(
                f"Medusa was not ready after {timeout:.0f} s (state: {data.get('state')}, "
                f"steps done: {data.get('timings')}); see {state_dir}",
                pytrace=False,
            )
        time.sleep(delay)  # polling a file another process writes
        delay = min(delay * 1.5, 2.0)


@pytest.fixture(scope="session")
def medusa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Medusa]:
    named = os.environ.get("AGENT_DESKTOP_MEDUSA_STATE")
    started: Path | None = None
    if named:
        state_dir = Path(named)
    elif _ci():
        pytest.fail(
            "CI must test against a real Medusa, but AGENT_DESKTOP_MEDUSA_STATE is not set "
            "(.ci/run starts Medusa and sets it).",
            pytrace=False,
        )
    else:
        missing = [
            what
            for what, ok in (
                (
                    "tests/medusa/node_modules (npm ci in tests/medusa)",
                    (ROOT / "tests" / "medusa" / "node_modules" / ".bin" / "medusa").exists(),
                ),
                ("PostgreSQL (apt-get install postgresql)", _postgres_installed()),
                ("node", shutil.which("node") is not None),
            )
            if not ok
        ]
        if missing:
            pytest.skip(
                "Medusa is not available here (missing: " + ", ".join(missing) + "); CI runs "
                "these tests. To run them: python3 tests/medusa/medusa_server.py up --state DIR, "
                "then AGENT_DESKTOP_MEDUSA_STATE=DIR."
            )
        state_dir = started = tmp_path_factory.mktemp("medusa")
        subprocess.Popen(
            [sys.executable, str(SCRIPT), "up", "--state", str(state_dir)],
            stdout=(state_dir / "up.log").open("ab"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        data = _wait(state_dir, READY_TIMEOUT)
        ready = time.monotonic()
        yield Medusa(url=data["url"], api_key=data["api_key"], state=data)
        with contextlib.suppress(OSError):  # for `medusa_server.py report`
            (state_dir / medusa_server.WAITED_FILE).write_text(
                json.dumps({"waited": data["waited"], "tests": round(time.monotonic() - ready, 1)})
            )
    finally:
        if started is not None:
            subprocess.run(
                [sys.executable, str(SCRIPT), "down", "--state", str(started)], check=False
            )
