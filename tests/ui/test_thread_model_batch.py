"""The thread list model's batched update (a burst of events re-places many rows at once)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QListView

from agent_desktop.ui.thread_filter import ThreadFilterProxy
from agent_desktop.ui.thread_model import (
    BATCH_MOVES,
    ThreadListModel,
    ThreadRole,
    urgency_key,
)
from tests.ui.test_models import thread


def ids(model: Any) -> list[str]:
    return [model.index(r, 0).data(ThreadRole.ThreadId) for r in range(model.rowCount())]


def test_many_changes_are_placed_in_one_layout_change_keeping_the_selection(
    qtbot: Any, qtmodeltester: Any
) -> None:
    model = ThreadListModel()
    threads = [thread(f"t{i:02d}", 100 - i if i % 2 else None, unread=i % 3) for i in range(40)]
    model.set_threads(threads)
    proxy = ThreadFilterProxy()
    proxy.setSourceModel(model)
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.selectionModel().setCurrentIndex(
        proxy.index_of("t07"),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    layouts: list[int] = []
    moves: list[int] = []
    model.layoutChanged.connect(lambda *_: layouts.append(1))
    model.rowsMoved.connect(lambda *_: moves.append(1))

    # Twenty-four known threads move (the even ones start waiting, the odd ones stop), one new
    # thread arrives.
    changed = [thread(f"t{i:02d}", None if i % 2 else 5 + i, unread=1) for i in range(24)]
    assert len(changed) > BATCH_MOVES
    new = thread("t99", 500, unread=2)
    model.upsert_many([*changed, new])

    assert layouts == [1] and moves == []
    expected = {t.id: t for t in threads} | {t.id: t for t in changed} | {new.id: new}
    assert ids(model) == [t.id for t in sorted(expected.values(), key=urgency_key)]
    assert model.unread_total() == sum(t.unread for t in expected.values())
    assert all(model.row_of(tid) == r for r, tid in enumerate(ids(model)))
    assert view.currentIndex().data(ThreadRole.ThreadId) == "t07"
    qtmodeltester.check(model)


def test_a_few_changes_are_moved_row_by_row() -> None:
    model = ThreadListModel()
    model.set_threads([thread(f"t{i}", 50 - i) for i in range(10)])
    moves: list[int] = []
    model.rowsMoved.connect(lambda *_: moves.append(1))
    model.upsert_many([thread("t9", 100)])
    assert moves == [1]
    assert ids(model)[0] == "t9"


def test_a_change_that_keeps_the_place_repaints_only_its_row() -> None:
    model = ThreadListModel()
    model.set_threads([thread(f"t{i}", 50 - i) for i in range(20)])
    moves: list[int] = []
    layouts: list[int] = []
    repainted: list[int] = []
    model.rowsMoved.connect(lambda *_: moves.append(1))
    model.layoutChanged.connect(lambda *_: layouts.append(1))
    model.dataChanged.connect(
        lambda top, bottom, *_: repainted.extend(range(top.row(), bottom.row() + 1))
    )
    # Ten threads get an unread message without their wait changing: none moves.
    model.upsert_many([thread(f"t{i}", 50 - i, unread=3) for i in range(0, 20, 2)])
    assert moves == [] and layouts == []
    assert sorted(repainted) == list(range(0, 20, 2))
    assert model.unread_total() == 30
