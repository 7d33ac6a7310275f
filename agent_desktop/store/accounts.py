"""The team's accounts as the interface reaches them: through the store, never through its
backend (tests/unit/test_layering.py holds ui/ to it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop.backends.base import TeamAccounts

if TYPE_CHECKING:
    from agent_desktop.store.client_store import ClientStore


def team_accounts(store: ClientStore | None) -> TeamAccounts | None:
    """The signed-in backend's account management (the reference server's accounts API), or
    None: no session, or a backend whose team is managed elsewhere (Chatwoot)."""
    backend = store.backend if store is not None else None
    return backend if isinstance(backend, TeamAccounts) else None
