"""Hostile customer text in the window: markup, an image pointing at this computer, links,
right-to-left overrides, emoji ZWJ sequences, NUL, and a 100,000-character message. All shown
literally in the thread list and the conversation, nothing fetched, and the window never freezes
(a QTimer probe keeps firing while it all arrives, lays out and paints). tests/ui checks plain
markup in one message; this extends it to the rest of the hostile family."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import QLabel, QStyleOptionViewItem

from agent_desktop.core.types import Author, Message
from agent_desktop.store.client_store import ClientStore
from agent_desktop.ui import plain_text
from agent_desktop.ui.desktop import Tray
from agent_desktop.ui.thread_model import ThreadRole
from tests.helpers.bench_record import record_for_bench
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import ServerProcess
from tests.reliability.conftest import open_in_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

HOSTILE = [
    "<b>gras</b> <i>penché</i> <u>souligné</u>",
    '<img src="http://127.0.0.1:1/x.png" width=9999 height=9999>',
    '<a href="http://127.0.0.1:1/">cliquez ici</a> <a href="javascript:alert(1)">x</a>',
    "facture_\u202egnp.exe et \u202bمرحبا\u202c \u2066isolé\u2069",
    "👩‍👩‍👧‍👦 👨🏽‍💻 🏳️‍🌈 🧑‍🤝‍🧑 e\u0301\u0301\u0301 Z\u0335\u0321\u034f",
    "avant \x1b[31mrouge\x1b[0m \ufeff\u200b \x07",
    "<script>alert(1)</script> &amp; &lt;b&gt; <!-- x --> <style>*{}</style>",
    "<table><tr><td>" * 50,
]
HOSTILE_NAME = "<b>Mallory</b> \u202eecilA"
NUL = "avant\x00après"  # the server refuses NUL (422); another backend may still send it
HUGE = ("Très long message <b>pas gras</b> 👩‍👩‍👧‍👦 \u202e " * 2500)[:100_000]


ISOLATES = dict.fromkeys(map(ord, "\u2068\u2069"))


def as_qt_shows(text: str) -> str:
    """What a tooltip or a label left to guess shows for `text`."""
    if not Qt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


class Probe:
    """A QTimer firing every 20 ms; records the longest gap between two ticks."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.timer.start()

    def longest_gap(self) -> float:
        return max((b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)), default=0.0)

    def stop(self) -> None:
        self.timer.stop()


def conversation_texts(window: Any) -> list[str]:
    model = window.conversation_model
    return [model.index(r).data(Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())]


@pytest.mark.slow
async def test_hostile_text_is_literal_fetches_nothing_and_never_freezes(
    server: ServerProcess, window_store: tuple[Any, ClientStore]
) -> None:
    window, store = window_store
    tray = Tray(
        window, markup=True, service=False
    )  # a freedesktop server reads notification bodies as markup
    window.notify.connect(tray.notify)
    probe = Probe()
    try:
        async with httpx.AsyncClient() as client:
            r = await client.post(
                f"{server.api}/simulate/customer-message",
                json={"customer_name": HOSTILE_NAME, "text": HOSTILE[0]},
            )
            assert r.status_code == 201, r.text
            thread_id = r.json()["thread"]["id"]
            for text in HOSTILE[1:]:
                r = await client.post(
                    f"{server.api}/simulate/customer-message",
                    json={"thread_id": thread_id, "text": text},
                )
                assert r.status_code == 201, r.text
        await open_in_window(window, store, thread_id)
        await wait_for_condition(lambda: HOSTILE[-1] in conversation_texts(window), 15)

        # The thread list: the name and the preview, literally.
        row = window.thread_model.row_of(thread_id)
        index = window.thread_model.index(row)
        assert index.data(Qt.ItemDataRole.DisplayRole) == HOSTILE_NAME
        assert index.data(ThreadRole.Preview) == HOSTILE[-1]
        # Its tooltip (Qt guesses rich text for tooltips) says the same, literally.
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        assert as_qt_shows(tip) == plain_text.clip(HOSTILE[-1], plain_text.TOOLTIP_CHARS)
        # The desktop notification of the first message names the customer and quotes it as sent.
        assert tray.sent is not None and tray.shown
        title, body = next((t, b) for t, b in tray.shown if "Mallory" in t)
        sent = plain_text.notification(title, body, markup=True)
        assert "<" not in sent[1] and as_qt_shows(f"<p>{sent[1]}</p>") == HOSTILE[0]
        assert sent[0].translate(ISOLATES) == f"New message from {HOSTILE_NAME}"

        # A 100,000-character message and one with NUL arrive in the open conversation.
        assert store.conversation is not None
        for key, text in (("m-nul", NUL), ("m-huge", HUGE)):
            store.conversation.upsert_message(
                Message(
                    id=key,
                    thread_id=thread_id,
                    author=Author(kind="customer", name=HOSTILE_NAME),
                    text=text,
                    created_at=datetime.now(UTC),
                )
            )
        for _ in range(3):
            window.conversation.scroll_to_bottom()
            window.grab()  # lay out and paint everything on screen
            await asyncio.sleep(0.2)

        texts = conversation_texts(window)
        for text in [*HOSTILE, NUL, HUGE]:
            assert texts.count(text) == 1, text[:40]
        option = QStyleOptionViewItem()
        option.initFrom(window.conversation.view)
        model = window.conversation_model
        for r in range(model.rowCount()):
            shown = model.index(r).data(Qt.ItemDataRole.DisplayRole)
            if shown in (*HOSTILE, NUL):
                layout = window.conversation.delegate.compute(option, model.index(r))
                assert layout.text is not None and layout.text.text() == shown
        for label in window.findChildren(QLabel):
            if any(marker in label.text() for marker in ("<", "\u202e", "\x00")):
                assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        await wait_for_condition(lambda: window.images.pending() == 0, 10)
        assert not any(window.images.is_loaded(u) for u in ("http://127.0.0.1:1/x.png",))
    finally:
        probe.stop()
    # The event loop kept turning all along. How long its longest stall was is a figure of the
    # benchmarks (tests/bench/run.py --only bounds), not a timing assertion here.
    assert len(probe.ticks) > 20
    record_for_bench("hostile_text_longest_stall_s", probe.longest_gap())
