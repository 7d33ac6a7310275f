"""The openings as CSV (one row per opening with its response time), the same columns for
`agent-desktop metrics --openings-csv` and the dashboard's export."""

from __future__ import annotations

from agent_desktop.core.metrics import Opening, iso_utc

OPENINGS_CSV_COLUMNS: tuple[str, ...] = (
    "thread_id",
    "opened_at",
    "clock_start",
    "response_at",
    "response_seconds",
    "agent_id",
    "state",
)


def opening_csv_row(opening: Opening) -> list[str]:
    """One opening as the cells of OPENINGS_CSV_COLUMNS (empty cells where there is no value)."""
    return [
        opening.thread_id,
        iso_utc(opening.at),
        iso_utc(opening.clock_start),
        iso_utc(opening.response_at) if opening.response_at else "",
        repr(opening.response_seconds) if opening.response_seconds is not None else "",
        opening.agent_id or "",
        opening.state,
    ]
