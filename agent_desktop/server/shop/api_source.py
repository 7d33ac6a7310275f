"""Orders that came in through the ingest API (kind "api"): the shop's own system performs the
actions. An action waits `in_progress` until that system, polling
`GET /api/v1/shop/actions?status=in_progress` with its integration token, reports the result
with `POST /api/v1/shop/actions/{id}/result` (docs/SHOPS.md).
"""

from __future__ import annotations

from agent_desktop.server.shop.source import ActionOutcome, ActionRequest, StoredOrder


class ApiSource:
    """Implements `OrderSource` for kind "api": every action is handed to the shop's system."""

    kind = "api"

    async def _queued(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        return ActionOutcome("in_progress")

    cancel = _queued
    refund = _queued
    create_return = _queued
    change_address = _queued
