"""Drafts survive a crash: a child process writes drafts through the store, then dies with
os._exit(1) (no clean-up, no close); a new store on the same files finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.store.client_store import ClientStore

ROOT = Path(__file__).resolve().parents[3]
URL = "http://127.0.0.1:9"

CHILD = textwrap.dedent(
    """
    import asyncio, os, sys
    from agent_desktop.backends.agent_api import AgentApiBackend
    from agent_desktop.store.client_store import ClientStore

    async def main() -> None:
        store = ClientStore(AgentApiBackend(sys.argv[1]), agent_key="ann@x.test")
        store.save_draft("t1", "Bonjour, je regarde votre commande")
        store.save_draft_later("t2", "Mer")
        store.save_draft_later("t2", "Merci pour votre patience")
        await asyncio.sleep(0.8)  # past the 300 ms debounce
        store.save_draft("t3", "écrit puis effacé")
        store.save_draft("t3", "")
        print("written", flush=True)
        os._exit(1)

    asyncio.run(main())
    """
)


def test_drafts_survive_a_crash(isolated_dirs: dict[str, Path]) -> None:
    env = {**os.environ, "AGENT_DESKTOP_DATA_DIR": str(isolated_dirs["data"])}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, URL], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip() == "written"
    store = ClientStore(AgentApiBackend(URL), agent_key="ann@x.test")
    assert store.draft("t1") == "Bonjour, je regarde votre commande"
    assert store.draft("t2") == "Merci pour votre patience"
    assert store.draft("t3") == ""
    assert store.db.drafts() == {
        "t1": "Bonjour, je regarde votre commande",
        "t2": "Merci pour votre patience",
    }
    store.db.close()
