#!/usr/bin/env python3
"""Keystrokes and seconds from a new customer question to a stored correct answer, for each
intent of the matcher (issue 21), scripted against the real server and the real window
(offscreen): the suggested-reply flow (Enter, Tab, Enter from the list) beside the quick-reply
flow through `/` (Enter, `/`, the template's shortcut, Enter to insert, Enter to send).

    python tests/bench/keystrokes.py [--json]

For each intent a customer of the shop writes a new question naming an order; the thread is the
most urgent one waiting, highlighted in the list (as after sign-in). A run counts the keys the
script presses and the seconds from the first key to the moment the server stores the reply,
and checks the stored text is the template filled for that customer and order. The seconds are
the app's own (keys are pressed as soon as the window is ready for them), not a person's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENV_PY = ROOT / ".venv" / "bin" / "python"

try:
    import PySide6  # noqa: F401  (the project's dependencies are installed)
except ImportError:
    if VENV_PY.exists() and Path(sys.executable).resolve() != VENV_PY.resolve():
        os.execv(str(VENV_PY), [str(VENV_PY), __file__, *sys.argv[1:]])
    raise

sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.helpers.flow_shop import Shop  # noqa: E402
from tests.helpers.memkeyring import MemoryKeyring  # noqa: E402
from tests.helpers.qasync_loop import wait_for_condition  # noqa: E402
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess  # noqa: E402

# intent → (template shortcut, template body, the customer's question; {n} is the order number)
CASES = {
    "where_is_order": (
        "where",
        "Hi {{customer.first_name}}, order {{order.number}} is with {{order.carrier}} "
        "({{order.tracking_url}}) and should arrive by {{order.eta}}.",
        "hi where is my order {n}??",
    ),
    "return_exchange": (
        "return",
        "Hi {{customer.first_name}}, of course you can return order {{order.number}}: "
        "{{return.instructions}}",
        "Hello, the shoes from order {n} are too small, can I exchange them for a bigger size?",
    ),
    "damaged_wrong_item": (
        "damaged",
        "I'm so sorry {{customer.first_name}}! Could you send a photo of the item from order "
        "{{order.number}}? We'll send a new one right away.",
        "the vase in order {n} arrived broken :(",
    ),
    "cancel": (
        "cancel",
        "Hi {{customer.first_name}}, order {{order.number}} is cancelled; the refund of "
        "{{order.total}} follows in 3 to 5 days.",
        "Please cancel order {n}, I ordered by mistake",
    ),
    "change_address": (
        "address",
        "Hi {{customer.first_name}}, send us the new address and we'll change it on order "
        "{{order.number}} if it hasn't left yet ({{order.status}}).",
        "I moved last week, can you change the delivery address for order {n}?",
    ),
    "refund_status": (
        "refund",
        "Hi {{customer.first_name}}, the refund of {{order.total}} for order {{order.number}} was "
        "sent; your bank shows it within 5 days.",
        "I sent back order {n} two weeks ago and still no refund, where is my money?",
    ),
    "thanks": (
        "thanks",
        "You're welcome {{customer.first_name}}, have a lovely day!",
        "ok great thanks a lot!",
    ),
}


@dataclass
class Run:
    intent: str
    flow: str  # "suggestion" or "slash"
    keys: int
    seconds: float
    correct: bool
    stored: str


async def answer(window, shop: Shop, thread: str, intent: str, flow: str, number: str) -> Run:
    """One question answered from the list, keys counted, until the reply is stored."""
    await wait_for_condition(lambda: window.thread_list.select_thread(thread), 20)
    window.thread_list.view.setFocus()
    await wait_for_condition(lambda: window.selection._opened_id == thread, 20)
    keys = 0
    composer = window.composer
    started = time.perf_counter()
    # The list: open the highlighted thread, go to its composer.
    QTest.keyClick(window.thread_list.view, Qt.Key.Key_Return)
    keys += 1
    if flow == "suggestion":
        await wait_for_condition(lambda: composer.suggestion_shown(), 20)
        QTest.keyClick(composer.editor, Qt.Key.Key_Tab)
        keys += 1
    else:
        QTest.keyClicks(composer.editor, "/")  # opens the quick replies, the filter focused
        keys += 1
        popup = window.quick_replies
        await wait_for_condition(lambda: popup.isVisible(), 20)
        for ch in CASES[intent][0]:
            QTest.keyClicks(popup.filter, ch)
            keys += 1
        QTest.keyClick(popup.filter, Qt.Key.Key_Return)  # insert the template
        keys += 1
        await wait_for_condition(lambda: not popup.isVisible(), 20)
    before = [m for m in await shop.messages(thread) if m["author"]["kind"] == "agent"]
    QTest.keyClick(composer.editor, Qt.Key.Key_Return)  # send
    keys += 1
    stored = ""
    async with asyncio.timeout(20):
        while True:
            replies = [m for m in await shop.messages(thread) if m["author"]["kind"] == "agent"]
            if len(replies) > len(before):
                stored = str(next(m for m in replies if m not in before)["text"])
                break
            await asyncio.sleep(0.02)
    seconds = time.perf_counter() - started
    # The intent's own template (its opening words), filled in: no variable left, the order.
    opening = CASES[intent][1].split("{{")[0]
    correct = (
        stored.startswith(opening)
        and "{{" not in stored
        and (intent == "thanks" or f"#{number}" in stored)
    )
    return Run(intent, flow, keys, round(seconds, 2), correct, stored)


async def measure(workdir: Path) -> list[Run]:
    from agent_desktop.ui.main_window import MainWindow
    from agent_desktop.ui.session import Session

    server = ServerProcess(workdir / "server", ("--seed-test",))
    server.start()
    runs: list[Run] = []
    window = None
    session = None
    try:
        shop = await Shop.open(server)
        r = await shop.lead.put(
            "/settings",
            json={"return_instructions": {"en": "print the label from your account page."}},
        )
        assert r.status_code == 200, r.text
        for intent, (shortcut, body, _q) in CASES.items():
            await shop.template(shortcut, intent, body, "en")
        eta = datetime.now(UTC) + timedelta(days=3)
        questions: list[tuple[str, str, str, str]] = []  # thread, intent, flow, number
        i = 0
        for flow in ("suggestion", "slash"):
            for intent, (_s, _b, question) in CASES.items():
                i += 1
                number = str(3100 + i)
                name = f"Bench Customer{i:02d}"
                customer = await shop.customer_with_orders(name, "en", [(number, 4, eta)])
                text = question.format(n=number)
                # Within the reply window (Messenger: 24 h), highlighted in the list in turn.
                thread = await shop.customer_asks(
                    name, text, customer, timedelta(hours=2, minutes=-i)
                )
                questions.append((thread, intent, flow, number))
        window = MainWindow()
        window.resize(1280, 800)
        window.show()
        session = Session(window, url=server.url)
        assert await session.start(email=AGENT_EMAIL, password=PASSWORD)
        await wait_for_condition(
            lambda: window.store is not None and window.store.connection.state == "live", 30
        )
        for thread, intent, flow, number in questions:
            runs.append(await answer(window, shop, thread, intent, flow, number))
        await shop.aclose()
    finally:
        if window is not None:
            await wait_for_condition(lambda: window.tasks.running() == 0, 10)
        if session is not None:
            await session.aclose()
        if window is not None:
            await window.tasks.cancel_all()
            window.images.cancel_all()
            window.close()
        server.stop()
    return runs


def table(runs: list[Run]) -> str:
    by = {(r.intent, r.flow): r for r in runs}
    lines = [
        "| intent | suggested reply: keys | seconds | correct | `/` quick reply: keys | seconds "
        "| correct |",
        "|---|---|---|---|---|---|---|",
    ]
    for intent in CASES:
        a, b = by[(intent, "suggestion")], by[(intent, "slash")]
        lines.append(
            f"| {intent} | {a.keys} | {a.seconds:.2f} | {'yes' if a.correct else 'NO'} "
            f"| {b.keys} | {b.seconds:.2f} | {'yes' if b.correct else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the runs as JSON")
    args = parser.parse_args()
    import keyring

    keyring.set_keyring(MemoryKeyring())  # headless: no keyring service
    workdir = Path(tempfile.mkdtemp(prefix="agent-desktop-keys-"))
    os.environ["AGENT_DESKTOP_DATA_DIR"] = str(workdir / "data")
    os.environ["AGENT_DESKTOP_CONFIG_DIR"] = str(workdir / "config")
    app = QApplication.instance() or QApplication([])
    try:
        runs = qasync.run(measure(workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    del app
    if args.json:
        print(json.dumps([asdict(r) for r in runs], indent=2, ensure_ascii=False))
    else:
        print(table(runs))
    return 0 if all(r.correct for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
