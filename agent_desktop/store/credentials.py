"""Where the agent's token lives: the operating system's keyring, or memory when there is none.

The token is stored under service "AgentDesktop:<backend url>" and the agent's email; it is never
written to settings, the database or a log. `keyring` is imported when a token is first read or
written: importing it with its backend costs ~50 ms, off the start path (docs/PERFORMANCE.md,
"Off the start path").
"""

from __future__ import annotations

import logging

from agent_desktop.backends.base import Backend, BackendError

log = logging.getLogger(__name__)

NO_KEYRING_NOTICE = "No keyring: you will have to sign in again next time."


def service_name(backend_url: str) -> str:
    return f"AgentDesktop:{backend_url.rstrip('/')}"


class Credentials:
    """The token store for one backend URL.

    `memory_only` becomes True when no usable keyring exists (the fail backend, or an error on
    save); the UI then shows `NO_KEYRING_NOTICE`.
    """

    def __init__(self, backend_url: str) -> None:
        self.service = service_name(backend_url)
        self._memory: dict[str, str] = {}
        self._memory_only: bool | None = None  # found out on first use

    @property
    def memory_only(self) -> bool:
        if self._memory_only is None:
            import keyring
            from keyring.backends import fail

            self._memory_only = isinstance(keyring.get_keyring(), fail.Keyring)
        return self._memory_only

    @memory_only.setter
    def memory_only(self, value: bool) -> None:
        self._memory_only = value

    def save(self, email: str, token: str) -> bool:
        """Keep the token; returns True when it went to the keyring (survives a restart)."""
        self._memory[email] = token
        if self.memory_only:
            return False
        import keyring

        try:
            keyring.set_password(self.service, email, token)
        except Exception as exc:  # any keyring backend failure means "no usable keyring"
            log.warning(
                "The keyring refused the token (%s); keeping it in memory", type(exc).__name__
            )
            self.memory_only = True
            return False
        return True

    def load(self, email: str) -> str | None:
        if email in self._memory:
            return self._memory[email]
        if self.memory_only:
            return None
        import keyring

        try:
            return keyring.get_password(self.service, email)
        except Exception as exc:
            log.warning("The keyring could not be read (%s)", type(exc).__name__)
            return None

    def delete(self, email: str) -> None:
        self._memory.pop(email, None)
        if self.memory_only:
            return
        import keyring
        import keyring.errors

        try:
            keyring.delete_password(self.service, email)
        except keyring.errors.PasswordDeleteError:
            pass
        except Exception as exc:
            log.warning("The keyring could not delete the token (%s)", type(exc).__name__)

    @property
    def notice(self) -> str | None:
        """A sentence for the UI when tokens are not persisted, else None."""
        return NO_KEYRING_NOTICE if self.memory_only else None


async def sign_out(backend: Backend, credentials: Credentials, email: str) -> None:
    """Revoke the token server-side (best effort) and forget it locally."""
    try:
        await backend.logout()
    except BackendError as exc:
        log.info("Sign-out could not reach the backend: %s", exc)
    finally:
        backend.set_token(None)
        credentials.delete(email)
