"""The Chatwoot connector: `ChatwootBackend` implements the Backend protocol on a Chatwoot server.

`connect(url, account_id=..., token=...)` returns a signed-in backend (the `check` command uses
it); docs/CHATWOOT.md lists what is full, partial or missing on Chatwoot.
"""

from __future__ import annotations

from agent_desktop.backends.base import AuthError
from agent_desktop.backends.chatwoot.backend import AccountRequired, ChatwootBackend, MfaRequired
from agent_desktop.backends.chatwoot.mapping import UNAVAILABLE_FIELDS, unavailable_fields
from agent_desktop.backends.chatwoot.templates import (
    chatwoot_only_variables,
    from_chatwoot,
    to_chatwoot,
    unfillable_variables,
)

__all__ = [
    "UNAVAILABLE_FIELDS",
    "AccountRequired",
    "ChatwootBackend",
    "MfaRequired",
    "chatwoot_only_variables",
    "connect",
    "from_chatwoot",
    "to_chatwoot",
    "unavailable_fields",
    "unfillable_variables",
]


async def connect(
    url: str,
    *,
    account_id: int | None,
    token: str | None = None,
    email: str | None = None,
    password: str | None = None,
    insecure: bool = False,
) -> ChatwootBackend:
    """A signed-in `ChatwootBackend`: with `token`, it is checked with `GET /api/v1/profile`;
    otherwise `email`/`password` sign in (raising `MfaRequired` when a second factor is needed;
    finish with `backend.login_mfa(...)` on `err.backend`). Plain http:// to another computer
    needs `insecure`."""
    backend = ChatwootBackend(url, account_id=account_id, token=token, insecure=insecure)
    try:
        if token:
            await backend.profile(refresh=True)
        elif email and password:
            try:
                await backend.login(email, password)
            except MfaRequired as err:
                err.backend = backend
                raise
        else:
            raise AuthError("Give a Chatwoot access token, or an email and a password.")
        if backend.account_id is not None:
            await backend.profile()
            backend.select_account(backend.account_id)  # a sentence if not a member
        else:
            accounts = await backend.accounts()
            if len(accounts) != 1:
                raise AccountRequired(
                    "You belong to several Chatwoot accounts; choose which one to work in"
                    " (--account-id for the check command)."
                )
    except BaseException as exc:
        if not isinstance(exc, MfaRequired):
            await backend.aclose()
        raise
    return backend
