"""The thread row's kept picture (ThreadDelegate): a row painted from its kept picture looks
exactly like one painted afresh, and a change to the thread, its assignee, its timer or the
selection shows at the next paint (nothing stale is copied)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QListView, QStyle, QStyleOptionViewItem

from agent_desktop.core.types import Agent
from agent_desktop.ui.plain_text import ROW_CHARS, one_line
from agent_desktop.ui.thread_delegate import ThreadDelegate
from agent_desktop.ui.thread_list import ThreadListView
from agent_desktop.ui.thread_model import ThreadListModel, preview_text
from tests.ui.test_models import NOW, thread


def paint(
    delegate: ThreadDelegate, view: QListView, index: QModelIndex, *, kept: bool, top: int = 0
) -> QImage:
    """The row painted onto the view's background; `kept`: as the view paints it (its
    option names the view, so the delegate keeps the row's picture), else as an off-view
    paint does (straight onto the device); `top`: the row that far down the view."""
    option = QStyleOptionViewItem()
    option.initFrom(view.viewport())
    option.rect = QRect(0, top, view.viewport().width(), view.sizeHintForRow(0))
    option.font = view.font()
    if kept:
        option.widget = view
    if view.selectionModel().isSelected(index):
        option.state |= QStyle.StateFlag.State_Selected
    image = QImage(
        option.rect.width(), top + option.rect.height(), QImage.Format.Format_ARGB32_Premultiplied
    )
    image.fill(option.palette.color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    try:
        delegate.paint(painter, option, index)
    finally:
        painter.end()
    return image.copy(option.rect)


def in_view(qtbot: Any, model: ThreadListModel) -> tuple[QListView, ThreadDelegate]:
    """A 360×300 list view of `model` painting with a new thread delegate."""
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(360, 300)
    delegate = ThreadDelegate(view)
    view.setItemDelegate(delegate)
    return view, delegate


def test_a_kept_row_picture_shows_every_change(qtbot: Any) -> None:
    clock = [NOW]
    model = ThreadListModel(now=lambda: clock[0])
    model.set_agents([Agent(id="a1", name="Ada", email="ada@example.com")])
    row = thread("t1", 3, unread=1, text="Bonjour, ma commande ?")
    model.set_threads([row])
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(360, 300)
    red = QPixmap(128, 128)
    red.fill(QColor("red"))
    pictures = {"/media/a.png": red}
    delegate = ThreadDelegate(view, pictures.get)
    view.setItemDelegate(delegate)
    index = model.index(0)

    def same_as_afresh() -> QImage:
        kept = paint(delegate, view, index, kept=True)
        assert kept == paint(
            ThreadDelegate(view, pictures.get), view, index, kept=True
        )  # nothing kept yet
        if not view.selectionModel().isSelected(index):  # (the style draws the selection
            # from the view it is given)
            assert kept == paint(ThreadDelegate(view, pictures.get), view, index, kept=False)
        return kept

    first = same_as_afresh()
    assert delegate.cached_rows() == 1
    assert same_as_afresh() == first  # painted again from the kept picture
    assert delegate.cached_rows() == 1

    shown = [row]

    def upsert(**changed: Any) -> None:
        shown[0] = replace(shown[0], **changed)
        model.upsert(shown[0])

    changes: list[Callable[[], object]] = [
        lambda: upsert(unread=7),  # the badge
        lambda: upsert(status="pending"),  # the meta line
        lambda: upsert(assignee_id="a1"),
        lambda: model.set_agents([Agent(id="a1", name="Grace", email="ada@example.com")]),
        lambda: upsert(customer_avatar_url="/media/a.png"),  # a picture
        lambda: clock.__setitem__(0, NOW + timedelta(minutes=9)),  # the timer (drawn on top)
        lambda: view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.Select),
    ]
    before = first
    for change in changes:
        change()
        after = same_as_afresh()
        assert after != before
        before = after


def test_the_thread_list_viewport_is_filled_like_qts_own(qtbot: Any) -> None:
    """Opaque and in the base colour: the rows' pictures are drawn on the base, the space below
    the last row shows it too, and an opaque viewport scrolls its pixels (only the rows a step
    uncovers are painted)."""
    view = ThreadListView()
    qtbot.addWidget(view)
    plain = QListView()
    qtbot.addWidget(plain)
    for v in (view, plain):
        assert v.viewport().autoFillBackground()
        assert v.viewport().backgroundRole() == QPalette.ColorRole.Base


def test_a_new_message_draws_the_preview_line_alone_and_shows_as_a_fresh_paint(
    qtbot: Any,
) -> None:
    """A live event changes a row's preview and unread count: its kept picture gets that line
    drawn again (not the whole row), and looks exactly like the row painted afresh, whatever
    the old and new previews' glyphs (a line's text is clipped to its band in both paints)."""
    model = ThreadListModel(now=lambda: NOW)
    model.set_agents([Agent(id="a1", name="Ada", email="ada@example.com")])
    first = thread("t1", 3, unread=1, assignee="a1", text="Bonjour, ma commande ?")
    closes_at = NOW + timedelta(hours=24)
    shown = [replace(first, window_state="standard", window_closes_at=closes_at)]
    model.set_threads(shown)
    view, delegate = in_view(qtbot, model)
    index = model.index(0)

    def afresh() -> QImage:
        return paint(ThreadDelegate(view), view, index, kept=False)

    # A row further down the view: its line drawn again into its own picture, where it shows.
    below = ThreadDelegate(view)
    assert paint(delegate, view, index, kept=True) == afresh()
    assert paint(below, view, index, kept=True, top=200) == afresh()
    assert (delegate.made, delegate.updated) == (1, 0)
    previews = [
        "Z̷̢̛a̸͎͝l̵̰̾g̶̱̓o̴̞̍ t̶̨͌e̵̦͝x̷̺̓t̸̳́ Ǻ̸̡ ĝ̵̢",  # glyphs taller than the line
        "Toujours rien aujourd'hui...",
        "مرحبا، أين طلبي؟",
        "x" * 300,
    ]
    for n, text in enumerate(previews, start=2):
        last = shown[0].last_message
        assert last is not None
        # Each customer message moves the end of the reply window, which the row does not show.
        closes_at = NOW + timedelta(hours=24, minutes=n)
        shown[0] = replace(
            shown[0],
            last_message=replace(last, id=f"m{n}", text=text),
            unread=n,
            window_closes_at=closes_at,
        )
        model.upsert(shown[0])
        assert paint(delegate, view, index, kept=True) == afresh()
        assert paint(below, view, index, kept=True, top=200) == afresh()
    assert (delegate.made, delegate.updated) == (1, len(previews))
    assert (below.made, below.updated) == (1, len(previews))

    # The name's weight follows the unread count: read, the row is made again in full.
    shown[0] = replace(shown[0], unread=0)
    model.upsert(shown[0])
    assert paint(delegate, view, index, kept=True) == afresh()
    assert (delegate.made, delegate.updated) == (2, len(previews))


def _in_place(painter: QPainter, rect: QRectF, key: object, paint: Any, *_: object) -> None:
    """What a stamp stands for: drawn straight onto the painter, every time."""
    painter.save()
    painter.translate(rect.topLeft())
    paint(painter, QRectF(0, 0, rect.width(), rect.height()))
    painter.restore()


def test_a_row_drawn_from_its_stamps_looks_like_one_drawn_in_place(qtbot: Any) -> None:
    """The avatar's disc, the badges' pills and the unread count with its text are drawn once
    and copied: the row's pixels are those of every piece drawn in place, selected or not."""
    model = ThreadListModel(now=lambda: NOW)
    model.set_threads([thread("t1", 3, unread=1, text="Bonjour")])
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(360, 300)
    index = model.index(0)
    stamped = ThreadDelegate(view)
    in_place = ThreadDelegate(view)
    in_place._stamps.draw = _in_place  # type: ignore[method-assign]
    for selected in (False, True):
        if selected:
            view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.Select)
        for unread in (1, 7, 42, 99, 100, 150, 1):
            model.upsert(thread("t1", 3, unread=unread, text=f"Message {unread}"))
            for kept in (True, False):
                shown = paint(stamped, view, index, kept=kept)
                assert shown == paint(in_place, view, index, kept=kept)


def test_a_plain_ascii_preview_left_unmeasured_reads_as_the_elided_one(qtbot: Any) -> None:
    """After a live change a preview in printable ASCII short enough at the font's widest letter
    is not elided (measured): every such preview must read as Qt elides it, whatever its letters
    (kerning, the widest ones), near the width's limit, and with an unread badge beside it."""
    model = ThreadListModel(now=lambda: NOW)
    shown = thread("t1", 3, unread=1, text="Bonjour")
    model.set_threads([shown])
    view, delegate = in_view(qtbot, model)
    index = model.index(0)
    paint(delegate, view, index, kept=True)
    last = shown.last_message
    assert last is not None
    model.upsert(replace(shown, last_message=replace(last, id="m2", text="Hello"), unread=2))
    paint(delegate, view, index, kept=True)
    fonts = delegate._fonts_for(view.font())
    assert fonts.ascii_w < 100  # measured at the live change
    texts = [chr(c) * n for c in range(32, 127) for n in (5, 12, 20, 26, 32, 40)]
    texts += ["AVAVAVAVAVAVAVAVAVAVAV", "To To To To To To Ty", "WAWAWAWAWAWAWAWAWAWA", ""]
    for width in (200, 300, 360):
        for unread in (0, 7, 120):
            for text in texts:
                row = replace(shown, last_message=replace(last, text=text), unread=unread)
                line2 = delegate._line2(row, width, fonts)
                pw = width - 1 - 8 - 56 - line2.badge_w - (8 if line2.badge_w else 0)
                plain = one_line(preview_text(row), ROW_CHARS)
                elided = fonts.fm.elidedText(plain, Qt.TextElideMode.ElideRight, pw)
                assert line2.preview == elided, (text, width, unread)


def test_rows_scrolled_into_view_are_drawn_over_the_pictures_of_rows_that_left(
    qtbot: Any, monkeypatch: Any
) -> None:
    """Scrolling through the list, a row drawn anew reuses the picture of a row that left the
    kept screenful (a new picture is an allocation and a paint engine of its own) and shows
    nothing of that row: every step looks as a delegate that never kept a picture paints it."""
    from agent_desktop.ui import thread_delegate

    made: list[int] = []  # pictures allocated for the scrolled view's delegate
    counting = [False]

    class Counted(QPixmap):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            if counting[0]:
                made.append(self.width())

    monkeypatch.setattr(thread_delegate, "QPixmap", Counted)
    model = ThreadListModel(now=lambda: NOW)
    model.set_threads(
        [
            thread(
                f"t{i:02}",
                i + 1,
                unread=(0, 3, 0, 120)[i % 4],  # bold names and badges beside plain rows
                status=("open", "pending", "resolved")[i % 3],
                text=("Bonjour, ma commande ?" * (i % 5 + 1))[: 10 + 7 * i],
            )
            for i in range(60)
        ]
    )
    views = []
    for _ in range(2):  # the one scrolled, and one painting each step with a new delegate
        v = ThreadListView()
        qtbot.addWidget(v)
        v.setModel(model)
        v.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)  # as the thread list
        v.resize(360, 300)
        v.show()
        qtbot.waitExposed(v)
        views.append(v)
    view, fresh = views
    delegate = ThreadDelegate(view)
    view.setItemDelegate(delegate)
    make = delegate._make

    def counted_make(*args: Any) -> Any:
        counting[0] = True
        try:
            return make(*args)
        finally:
            counting[0] = False

    delegate._make = counted_make  # type: ignore[method-assign]
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and fresh.verticalScrollBar().maximum() > 0)
    step = view.sizeHintForRow(0) * 2 + 7  # two rows and a part of one a step
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + step)
        view.viewport().repaint()  # the rows the step uncovers, as the view paints them
        shown = view.viewport().grab().toImage()
        fresh.setItemDelegate(ThreadDelegate(fresh))  # nothing kept
        fresh.verticalScrollBar().setValue(bar.value())
        assert shown == fresh.viewport().grab().toImage(), bar.value()
    assert delegate.made >= 50  # a picture for each row shown
    kept = view.viewport().height() // view.sizeHintForRow(0) + 3
    assert 0 < len(made) <= kept + 1  # no more pictures than a screenful and a little
