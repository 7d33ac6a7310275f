"""The client's settings file (QtCore only, so the start can read it before the window's modules
are imported): preferences, window layout and the last account per backend, never the token
(that is in the keyring)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from agent_desktop.paths import config_dir


def settings() -> QSettings:
    """The client's settings file, in the config folder (never the token: that is in the keyring)."""
    return QSettings(str(config_dir() / "settings.ini"), QSettings.Format.IniFormat)


def account_email(url: str) -> str:
    """The e-mail address last used to sign in to the backend at `url` ("" when none)."""
    return str(settings().value(f"accounts/{url.rstrip('/')}/email", ""))
