"""The poller's walk through Medusa's changes: by time, never skipping or repeating a row, even
when rows change while it pages or many change at the same instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from agent_desktop.server.medusa.client import PAGE_SIZE, iso
from agent_desktop.server.medusa.sync import changed_rows

T0 = datetime(2026, 12, 1, tzinfo=UTC)


class Rows:
    """Rows answered the way Medusa's list does: `updated_at >= since`, oldest change first,
    `PAGE_SIZE` at a time from `offset`. `on_fetch` may change rows between two pages."""

    def __init__(self, times: list[datetime]) -> None:
        self.rows = {f"r{i}": t for i, t in enumerate(times)}
        self.fetches = 0
        self.on_fetch: Any = None

    async def fetch(self, since: datetime, offset: int) -> list[dict[str, Any]]:
        self.fetches += 1
        if self.on_fetch is not None:
            self.on_fetch(self)
        ordered = sorted((t, i) for i, t in self.rows.items() if t >= since)
        return [{"id": i, "updated_at": iso(t)} for t, i in ordered[offset : offset + PAGE_SIZE]]


async def walk(rows: Rows, since: datetime) -> list[str]:
    got: list[str] = []
    async for page, _newest in changed_rows(rows.fetch, since):
        got += [r["id"] for r in page]
    return got


async def test_every_row_once_across_pages() -> None:
    rows = Rows([T0 + timedelta(seconds=i) for i in range(2 * PAGE_SIZE + 7)])
    got = await walk(rows, T0)
    assert sorted(got) == sorted(rows.rows) and len(got) == len(set(got))


async def test_many_rows_changed_at_one_instant_are_all_read() -> None:
    same = T0 + timedelta(seconds=5)
    rows = Rows([T0] * 3 + [same] * (2 * PAGE_SIZE + 1) + [same + timedelta(seconds=1)])
    got = await walk(rows, T0)
    assert sorted(got) == sorted(rows.rows) and len(got) == len(set(got))


async def test_a_row_that_changes_while_paging_is_not_lost_nor_skips_another() -> None:
    rows = Rows([T0 + timedelta(seconds=i) for i in range(2 * PAGE_SIZE)])

    def touch_first(r: Rows) -> None:
        if r.fetches == 2:  # between the first and the second page
            r.rows["r0"] = T0 + timedelta(days=1)

    rows.on_fetch = touch_first
    got = await walk(rows, T0)
    assert set(got) == set(rows.rows)
    assert got.count("r0") == 2  # read before and after its change


async def test_nothing_changed_is_one_empty_page() -> None:
    rows = Rows([T0])
    pages = [p async for p in changed_rows(rows.fetch, T0 + timedelta(days=1))]
    assert pages == [([], None)]
