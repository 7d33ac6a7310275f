"""Customer, agent and template text is plain text everywhere in the client.

Hostile strings (an image on this computer by file URL and by path, a red `<h1>` banner with a
"pay here" link, `<style>`, a right-to-left override, line breaks, 100,000 characters) go
through every tooltip (shown by Qt for real, through the views' help events), label, menu and
button caption, notification and painted row that can receive such text, and come out literally.
A bait image is watched with inotify: if any widget took the text for rich text, Qt would lay
out the `<img>` and open the file. Only once nothing has opened it does the same run repeat with
`<img src="file:///dev/zero">` (which made a tooltip read /dev/zero until the client aborted).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPoint
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPainter, Qt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from agent_desktop.core.rows import ThreadRow
from agent_desktop.core.sharing import ValuePool
from agent_desktop.core.types import Agent, Author, CustomerRef, Message, Template, Thread
from agent_desktop.store.connection import ConnectionInfo
from agent_desktop.store.conversation import Conversation
from agent_desktop.ui import plain_text
from agent_desktop.ui.conversation_delegate import ConversationDelegate
from agent_desktop.ui.dashboard.alerts import AlertMonitor
from agent_desktop.ui.dashboard.models import QueueModel
from agent_desktop.ui.dashboard.page import DashboardPage
from agent_desktop.ui.desktop import Tray
from agent_desktop.ui.dialogs import SignInDialog
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.quick_replies import TemplateDelegate
from agent_desktop.ui.template_editor import TemplateEditor
from agent_desktop.ui.thread_delegate import ThreadDelegate
from tests.helpers.child_python import run_python
from tests.helpers.opened_files import OpenedFiles

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support"),
    pytest.mark.skipif(not Path("/proc/self").exists(), reason="inotify: Linux only"),
]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HUGE = ("Très long <b>pas gras</b> <img src=x> \u202e ùñï " * 2500)[:100_000]
DEV_ZERO = '<img src="file:///dev/zero">Bonjour'
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def hostile(bait: Path) -> list[str]:
    return [
        f'<img src="file://{bait}">Bonjour',
        f'<img src="{bait}" width=2000 height=2000>Bonjour',
        '<h1 style="color:red;background:yellow">URGENT: call +33 6 12 34 56 78</h1>'
        '<a href="https://pay.example.test/">pay here</a>',
        '<a href="https://pay.example.test/">pay here</a> & <b>vite</b>',
        "<style>*{color:red;font-size:80px}</style><b>Bonjour</b>",
        "facture_\u202egnp.exe est payée, مرحبا",
        "<b>ligne 1</b>\nligne 2  avec   espaces",
        HUGE,
    ]


@pytest.fixture
def bait(tmp_path: Path) -> Iterator[tuple[Path, OpenedFiles]]:
    folder = tmp_path / "bait"
    folder.mkdir()
    path = folder / "bait.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(path))
    opened = OpenedFiles(folder)
    assert opened.names() == []
    yield path, opened
    opened.close()


# --- what a widget shows


def shown_rich_or_plain(text: str, plain: bool) -> str:
    """What Qt shows for `text` in a label of that format (AutoText when not plain)."""
    if plain or not Qt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def label_shows(label: QLabel) -> str:
    fmt = label.textFormat()
    return shown_rich_or_plain(label.text(), fmt == Qt.TextFormat.PlainText)


def hover(view: QAbstractItemView, index: QModelIndex) -> str:
    """Hover `index` as the pointer would: the view's help event shows Qt's tooltip; returns
    what the tooltip label shows (laid out and painted, so an image in it would be loaded)."""
    QToolTip.hideText()
    rect = view.visualRect(index)
    assert rect.isValid(), "the row is not on screen"
    pos = rect.center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    return shown_tooltip()


def hover_widget(widget: QWidget) -> str:
    QToolTip.hideText()
    pos = widget.rect().center()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))
    return shown_tooltip()


def shown_tooltip() -> str:
    tips = [w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label"]
    if not tips or not QToolTip.text():
        return ""
    tip = tips[0]
    assert isinstance(tip, QLabel)
    tip.adjustSize()
    tip.grab()
    return label_shows(tip)


def unisolated(text: str) -> str:
    return text.translate(ISOLATES)


def literal(shown: str, sent: str, limit: int) -> None:
    """`shown` is `sent` as typed (one line, cut to `limit` with "…", bidi isolates aside)."""
    shown = unisolated(shown)
    one = plain_text.one_line(sent, limit)
    if "\n" in sent and len(sent) < limit:
        assert shown in (sent, one), (shown[:80], sent[:80])
    else:
        assert shown == one or shown == plain_text.clip(sent, limit), (shown[:80], sent[:80])


# --- the data


def thread_row(tid: str, name: str, text: str, assignee: str | None = None) -> ThreadRow:
    waiting = NOW - timedelta(minutes=4)
    last = Message(
        id=f"m_{tid}",
        thread_id=tid,
        author=Author(kind="customer", name=name),
        text=text,
        created_at=waiting,
    )
    return ValuePool().row(
        Thread(
            id=tid,
            customer=CustomerRef(id=f"c_{tid}", name=name),
            status="open",
            assignee_id=assignee,
            last_message=last,
            waiting_since=waiting,
            unread=1,
            updated_at=waiting,
        )
    )


def agent(aid: str, name: str) -> Agent:
    return Agent(id=aid, name=name, email=f"{name}@shop.test", presence="online")


def template(tid: str, text: str) -> Template:
    return Template(
        id=tid, shortcut=f"s{tid}", title=text, body=text, language="fr", scope="personal"
    )


class RecordingPainter(QPainter):
    """A painter that keeps every string the delegate draws."""

    def __init__(self, device: QImage) -> None:
        super().__init__(device)
        self.texts: list[str] = []

    def drawText(self, *args: Any) -> None:  # type: ignore[override]
        self.texts.extend(a for a in args if isinstance(a, str))
        super().drawText(*args)


def painted(delegate: Any, view: QAbstractItemView, index: QModelIndex) -> list[str]:
    image = QImage(900, 200, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    option.rect.moveTo(0, 0)
    try:
        delegate.paint(painter, option, index)
    finally:
        painter.end()
    return painter.texts


def visible(text: str) -> str:
    """Without format characters (bidi controls): eliding keeps those of the part it cut."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def painted_literally(texts: list[str], sent: str) -> bool:
    """One drawn string is `sent` (one line), or the start of it elided with "…"."""
    one = visible(plain_text.one_line(sent, plain_text.ROW_CHARS))
    for text in map(visible, texts):
        head = text.split(": ", 1)[-1]  # "You: …", "Note: …"
        for candidate in (text, head):
            if candidate == one or (
                candidate.endswith("…") and one.startswith(candidate[:-1]) and candidate[:-1]
            ):
                return True
    return False


@dataclass
class Surfaces:
    """The real widgets, fed one hostile string at a time."""

    window: MainWindow
    page: DashboardPage
    editor: TemplateEditor
    sign_in: SignInDialog
    markup_tray: Tray
    plain_tray: Tray

    def widgets(self) -> list[QWidget]:
        return [self.window, self.page, self.editor, self.sign_in]


@pytest.fixture
def surfaces(qtbot: Any) -> Iterator[Surfaces]:
    window = MainWindow()
    window.resize(1280, 800)
    qtbot.add_widget(window)
    window.show()
    page = DashboardPage(notifier=lambda title, body: None, now=lambda: NOW)
    page.resize(1280, 760)
    qtbot.add_widget(page)
    page.show()
    editor = TemplateEditor(
        window.template_model,
        window.sending.template_context,
        is_lead=True,
        me_id="a1",
        parent=window,
    )
    qtbot.add_widget(editor)
    editor.show()
    sign_in = SignInDialog(window, url="https://support.example.test", email="a@shop.test")
    qtbot.add_widget(sign_in)
    sign_in.show()
    s = Surfaces(
        window,
        page,
        editor,
        sign_in,
        Tray(window, markup=True, service=False),
        Tray(window, markup=False, service=False),
    )
    yield s
    QToolTip.hideText()
    page.store = None


def feed(s: Surfaces, text: str, n: int) -> dict[str, list[str]]:
    """Put `text` everywhere a customer, an agent or a template can put it; return what each
    surface shows (tooltips hovered, labels read, rows painted, notifications made)."""
    w = s.window
    out: dict[str, list[str]] = {}
    me = agent("a1", "Moi")
    colleague = agent("a2", text)
    row = thread_row(f"t{n}", text, text, assignee="a2")

    # The thread list: the row's name, preview and assignee painted; the tooltip (the preview).
    w.thread_model.set_agents([me, colleague])
    w.thread_model.set_threads([row])
    view = w.thread_list.view
    index = view.model().index(0, 0)
    out["thread list tooltip"] = [hover(view, index)]
    out["thread row painted"] = painted(ThreadDelegate(view), view, index)

    # The conversation header: the customer's name, the assignee button, the assign menu, who
    # is typing and viewing; a colleague's internal note (its header painted).
    pane = w.conversation
    pane.set_thread(row)
    pane.update_header(row, colleague.name)
    pane.set_agents([me, colleague], me.model_copy(update={"role": "lead"}))
    pane.set_presence_text([text], [text])
    out["conversation title"] = [label_shows(pane.title)]
    w.composer.set_thread(row)
    out["composer recipient"] = [label_shows(w.composer.recipient_label)]
    out["presence"] = [label_shows(pane.presence)]
    out["assign button"] = [pane.assign_button.text().replace("&&", "&")]
    out["assign button tooltip"] = [hover_widget(pane.assign_button)]
    out["assign menu"] = [a.text().replace("&&", "&") for a in pane.assign_menu.actions()]
    conversation = Conversation(row.id)
    note = Message(
        id=f"n{n}",
        thread_id=row.id,
        author=Author(kind="agent", name=text, id="a2"),
        kind="note",
        text=text,
        created_at=NOW,
    )
    conversation.set_all([note], [], has_more=False)
    w.conversation_model.bind(conversation)
    delegate = pane.view.itemDelegate()
    assert isinstance(delegate, ConversationDelegate)
    option = QStyleOptionViewItem()
    option.initFrom(pane.view)
    out["note header"] = [delegate.header_text(note)]
    layout = delegate.compute(option, w.conversation_model.index(0))
    out["note text"] = [layout.text.text() if layout.text is not None else ""]

    # The status bar and the full-window screen: an error sentence that quotes the backend.
    w.status.set_connection(ConnectionInfo(state="offline", error=text))
    out["connection tooltip"] = [hover_widget(w.status.connection)]
    w.show_unreachable(text)
    out["blocked text"] = [label_shows(w.blocked.text).split("\n")[0]]
    w.show_error(text)
    out["status message"] = [w.status.currentMessage()]

    # Quick replies: the popup's list (painted, tooltip) and the editor (list, missing-variable
    # label, preview).
    w.template_model.set_templates([template(f"q{n}", text)])
    popup = w.quick_replies
    popup.popup(w.composer.editor)
    qindex = popup.list.model().index(0, 0)
    out["quick reply tooltip"] = [hover(popup.list, qindex)]
    out["quick reply painted"] = painted(TemplateDelegate(popup.list), popup.list, qindex)
    popup.hide()
    editor = s.editor
    out["template editor tooltip"] = [hover(editor.list, editor.list.model().index(0, 0))]
    editor.body.setPlainText("{{" + text.replace("{", "(").replace("}", ")") + "}}")
    out["missing variables"] = [
        label_shows(editor.missing).removeprefix("Not filled in for this conversation: ")
    ]

    # The dashboard: the queue (customer and assignee, tooltips and painted cells), the
    # agents (name; e-mail tooltip), the lead's assign menu, its status line.
    page = s.page
    page.queue_model.set_now(lambda: NOW)
    page.queue_model.set_agents([me, colleague])
    page.queue_model.set_threads([row])
    page.agents_model.set_agents([me, colleague])
    qv = page.queue_view
    out["queue customer tooltip"] = [hover(qv, qv.model().index(0, QueueModel.CUSTOMER))]
    out["queue assignee tooltip"] = [hover(qv, qv.model().index(0, QueueModel.ASSIGNEE))]
    out["queue customer"] = [qv.model().index(0, QueueModel.CUSTOMER).data()]
    av = page.agents_view
    agent_row = page.agents_model.row_of("a2")
    assert agent_row is not None
    out["agent e-mail tooltip"] = [hover(av, av.model().index(agent_row, 0))]
    out["agent name"] = [av.model().index(agent_row, 0).data()]
    page.store = SimpleNamespace(  # type: ignore[assignment]
        threads={row.id: row},
        agents={"a1": me, "a2": colleague},
        me=me.model_copy(update={"role": "lead"}),
    )
    page.set_lead(True)
    menu = page.assign_menu(row.id)
    out["dashboard assign menu"] = [a.text().replace("&&", "&") for a in menu.actions()]
    menu.deleteLater()
    page.show_message(text)
    out["dashboard status"] = [label_shows(page.status_label)]

    # The sign-in dialog's error (a server's sentence can quote what was typed).
    s.sign_in.show_error(text)
    out["sign-in error"] = [label_shows(s.sign_in.error)]

    # Notifications: the lead's alerts (through a monitor) and the tray, on a desktop that reads
    # the body as markup (freedesktop) and on one that does not.
    sent: list[tuple[str, str]] = []
    monitor = AlertMonitor(lambda t, b: sent.append((t, b)), lambda: NOW)
    late = thread_row(f"late{n}", text, text)
    monitor.check([], {}, 300, None)
    monitor.check([late], {}, 300, None)
    titles = [" ".join(unisolated(t).split()) for t, _ in sent]
    assert titles == [f"{plain_text.one_line(text, 10**6)} is waiting"]
    sent.append((f"New message from {plain_text.isolate(text)}", text))  # MainWindow's
    out["notification"] = []
    for title, body in sent:
        for tray, markup in ((s.markup_tray, True), (s.plain_tray, False)):
            tray.notify(title, body)
            assert tray.sent is not None
            shown_title, shown_body = tray.sent
            if markup:  # a freedesktop server reads the body as markup
                assert "<" not in shown_body
                doc = QTextDocument()
                doc.setHtml(shown_body)
                shown_body = doc.toPlainText().replace("\u2029", "\n")
            # Shown as given, cut to a notification's size, the title on one line.
            assert shown_title == plain_text.clip(
                " ".join(title.split()), plain_text.NOTIFICATION_TITLE_CHARS
            )
            assert shown_body == plain_text.clip(
                " ".join(body.split()), plain_text.NOTIFICATION_BODY_CHARS
            )
            out["notification"].append(unisolated(shown_title + " " + shown_body))

    # Lay out and paint every window (a rich label would load its images now).
    for widget in s.widgets():
        widget.grab()
    # Every label that holds markup shows it (the tooltip's included).
    for widget in s.widgets():
        for label in widget.findChildren(QLabel):
            held = [m for m in ("<img", "<h1", "<a ", "<style") if m in html.unescape(label.text())]
            shows = label_shows(label)
            assert all(m in shows for m in held), (label.objectName(), shows[:80])
    return out


def check_literal(out: dict[str, list[str]], text: str) -> None:
    one = plain_text.one_line(text, 10**6)
    name = plain_text.one_line(text, plain_text.NAME_CHARS)
    # Tooltips: at most TOOLTIP_CHARS, literally (a preview's is one line).
    literal(out["thread list tooltip"][0], one, plain_text.TOOLTIP_CHARS)
    for key in (
        "queue customer tooltip",
        "queue assignee tooltip",
        "quick reply tooltip",
        "template editor tooltip",
        "connection tooltip",
    ):
        literal(out[key][0], text, plain_text.TOOLTIP_CHARS)
    literal(out["agent e-mail tooltip"][0], f"{text}@shop.test", plain_text.TOOLTIP_CHARS)
    assert unisolated(out["assign button tooltip"][0]) == f"Assigned to {name}; click to change"
    # Labels and captions.
    assert out["conversation title"] == [name]
    assert unisolated(out["composer recipient"][0]) == f"Reply to {name}"
    assert unisolated(out["presence"][0]) == f"{name} is typing…"
    assert out["assign button"] == [name]
    assert f"{name} (online)" in map(unisolated, out["assign menu"])
    assert f"Assign to {name} (online)" in map(unisolated, out["dashboard assign menu"])
    for key in ("blocked text", "status message", "dashboard status", "sign-in error"):
        first_line = text.split("\n")[0]
        assert out[key][0] in (text, first_line), key
    # Painted rows and cells.
    assert painted_literally(out["thread row painted"], text), out["thread row painted"]
    assert painted_literally(out["quick reply painted"], text), out["quick reply painted"]
    assert out["queue customer"] == [plain_text.one_line(text, plain_text.ROW_CHARS)]
    assert out["agent name"] == [plain_text.one_line(text, plain_text.ROW_CHARS)]
    assert unisolated(out["note header"][0]) == "Internal note · " + plain_text.one_line(
        text, plain_text.ROW_CHARS
    )
    assert out["note text"] == [text.replace("\n", "\u2028")]  # the layout's line separator
    # Notifications name the customer literally.
    for shown in out["notification"]:
        assert one[:50] in shown, shown[:100]


def test_hostile_text_is_shown_literally_everywhere_and_loads_nothing(
    surfaces: Surfaces, bait: tuple[Path, OpenedFiles]
) -> None:
    path, opened = bait
    for n, text in enumerate(hostile(path)):
        out = feed(surfaces, text, n)
        assert opened.names() == [], f"a widget loaded the bait image for {text[:60]!r}"
        check_literal(out, text)
    # Only now that nothing took the text for rich text: the string that aborted the client.
    out = feed(surfaces, DEV_ZERO, 99)
    check_literal(out, DEV_ZERO)


def test_the_bait_catches_rich_text(qtbot: Any, bait: tuple[Path, OpenedFiles]) -> None:
    """The detector works: the same string in a label left to guess, or a raw tooltip, opens the
    bait file (so the test above would see a regression)."""
    path, opened = bait
    label = QLabel(f'<img src="file://{path}">Bonjour')
    qtbot.add_widget(label)
    label.show()
    label.grab()
    assert opened.names() == ["bait.png"]
    widget = QWidget()
    qtbot.add_widget(widget)
    widget.show()
    QToolTip.showText(widget.mapToGlobal(QPoint(5, 5)), f'<img src="{path}">x', widget)
    shown_tooltip()
    QToolTip.hideText()
    assert "bait.png" in opened.names()


# --- the helpers themselves


@pytest.mark.parametrize(
    "text",
    [
        "<b>gras</b>",
        "&lt;b&gt; déjà échappé",
        "<p>\n  a\tb</p>",
        "a < b > c & d",
        "<!DOCTYPE html><html>",
        " <img src=x>",
        HUGE,
    ],
)
def test_a_tooltip_says_exactly_the_text(text: str) -> None:
    tip = plain_text.tooltip(text)
    expected = plain_text.clip(text, plain_text.TOOLTIP_CHARS)
    if Qt.mightBeRichText(tip):
        doc = QTextDocument()
        doc.setHtml(tip)
        assert doc.toPlainText().replace("\u2029", "\n") == expected
        assert "<img" not in tip and html.unescape(tip).count("<img") == expected.count("<img")
    else:
        assert tip == expected


@pytest.mark.parametrize(
    "text", ["", "a < b > c & d", "&lt;b&gt; &amp;", "<img src=x>", "é\n\t\"'"]
)
def test_escaped_is_htmls_escape_without_quotes(text: str) -> None:
    assert plain_text.escaped(text) == html.escape(text, quote=False)


def test_the_client_does_not_hold_htmls_entity_tables() -> None:
    """`html.unescape`'s tables (~0.3 MB) are loaded with the `html` package: nothing the
    window, the session or the tooltips and notifications import brings it in."""
    seen = run_python(
        "import json, sys\n"
        "import agent_desktop.ui.main_window, agent_desktop.ui.session, agent_desktop.ui.plain_text\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'html')))\n"
    )
    assert seen == []


def test_plain_tooltips_are_left_alone() -> None:
    assert plain_text.tooltip("Waiting since 10:02") == "Waiting since 10:02"
    assert plain_text.tooltip("") == ""


def test_isolate_keeps_an_override_inside_the_name() -> None:
    assert plain_text.isolate("Sofia Martin") == "Sofia Martin"
    name = "\u2069\u202eecilA \u2067x"
    out = plain_text.isolate(name)
    assert out.startswith("\u2068") and out.endswith("\u2069\u2069")
    # The stray PDI that would close the isolate early is gone; the rest is kept in order.
    assert out == "\u2068\u202eecilA \u2067x\u2069\u2069"
    # Every isolate opened inside is closed inside.
    depth = 0
    for ch in out:
        depth += ch in "\u2066\u2067\u2068"
        depth -= ch == "\u2069"
        assert depth >= 0
    assert depth == 0
    assert unicodedata.bidirectional(plain_text.isolate("مرحبا")[0]) == "FSI"


def test_captions_show_ampersands_and_notifications_fit() -> None:
    assert plain_text.caption("Tom & Jerry\tx") == "Tom && Jerry x"
    title, body = plain_text.notification("A\nB " + "x" * 500, "<b>é</b> & " + HUGE, markup=True)
    assert "\n" not in title and len(title) == plain_text.NOTIFICATION_TITLE_CHARS
    assert body.startswith("&lt;b&gt;é&lt;/b&gt; &amp; ")
    title, body = plain_text.notification("t", "<b>é</b>", markup=False)
    assert body == "<b>é</b>"
