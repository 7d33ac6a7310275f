"""The Team page, for team leads: the team's accounts (add, rename, role, deactivate, activate,
reset with a one-time code to pass on). Built when a lead signs in to a backend that offers
accounts (`backends.base.TeamAccounts`); see `page.TeamPage`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent_desktop.store.client_store import ClientStore


def offered(store: ClientStore | None) -> bool:
    """Whether the signed-in member gets the Team page: a lead, on a backend with accounts."""
    from agent_desktop.store.accounts import team_accounts

    return (
        store is not None
        and store.me is not None
        and store.me.role == "lead"
        and team_accounts(store) is not None
    )
