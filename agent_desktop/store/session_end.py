"""Why a session ended, as a sentence for the agent: the server says it with a code (the close
reason of the event stream, or the `code` of a 401), e.g. `session_expired`.

Every sentence says what was kept: drafts and unsent replies stay on this computer and go out once
the agent signs in again (as the same account).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CODES = (
    "session_expired",
    "account_deactivated",
    "password_reset",
    "password_changed",
    "session_revoked",
    "unauthorized",
)


def sentence(code: str | None) -> str:
    """The sentence for a session that ended with `code` (anything unknown: the general one)."""
    if code == "session_expired":
        return QCoreApplication.translate(
            "SessionEnd",
            "Your session has expired. Sign in again: your drafts and unsent replies are kept.",
        )
    if code == "account_deactivated":
        return QCoreApplication.translate(
            "SessionEnd",
            "A team lead has deactivated your account, so you were signed out. Your drafts and "
            "unsent replies are kept on this computer.",
        )
    if code == "password_reset":
        return QCoreApplication.translate(
            "SessionEnd",
            "A team lead has reset your password, so you were signed out. Sign in with the new "
            "invitation code they give you: your drafts and unsent replies are kept.",
        )
    if code == "password_changed":
        return QCoreApplication.translate(
            "SessionEnd",
            "Your password was changed on another computer. Sign in again with the new "
            "password: your drafts and unsent replies are kept.",
        )
    if code == "session_revoked":
        return QCoreApplication.translate(
            "SessionEnd",
            "The server was restored from a backup. Sign in again: your drafts and unsent "
            "replies are kept.",
        )
    return QCoreApplication.translate(
        "SessionEnd",
        "Your session has ended. Sign in again: your drafts and unsent replies are kept.",
    )
