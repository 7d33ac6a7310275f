"""Models parsed with every field share one "fields set" per class (memory at 10,000 threads),
and that sharing never changes what pydantic reports or lets one model's change reach another."""

from __future__ import annotations

from agent_desktop.core.types import Author, Message, Thread
from tests.ui.test_models import thread


def test_full_models_share_one_fields_set_and_copies_get_their_own() -> None:
    a = Thread.model_validate(thread("t1", 3).thread().model_dump(mode="json"))
    b = Thread.model_validate(thread("t2", 4).thread().model_dump(mode="json"))
    assert a.model_fields_set is b.model_fields_set
    assert a.model_fields_set == set(Thread.model_fields)
    copy = a.model_copy(update={"unread": 7})
    assert copy.model_fields_set is not a.model_fields_set
    assert copy.unread == 7 and a.unread == 0
    assert b.model_dump(exclude_unset=True) == b.model_dump()


def test_a_partial_model_keeps_its_own_fields_set() -> None:
    partial = Message(
        id="m1",
        thread_id="t1",
        author=Author(kind="customer"),
        text="hi",
        created_at="2026-11-23T10:00:00Z",
    )
    full = Message.model_validate(partial.model_dump(mode="json"))
    assert partial.model_fields_set != set(Message.model_fields)
    assert "delivery" not in partial.model_dump(exclude_unset=True)
    partial.text = "changed"
    assert "text" in partial.model_fields_set
    assert full.model_fields_set == set(Message.model_fields)
    assert partial.model_fields_set is not full.model_fields_set
