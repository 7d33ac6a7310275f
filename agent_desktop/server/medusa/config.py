"""The Medusa connector's settings (docs/SHOPS.md, "Medusa"): the [medusa] section of the
server's configuration file or the MEDUSA_* variables, which `server/medusa/app.py` passes here by
variable name (server/configuration.py; the environment overrides the file).

The connector is on only when both `MEDUSA_URL` and `MEDUSA_API_KEY` are set. The key is held in
a `Secret`, whose repr and str never show it, so it cannot leak into a log line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from agent_desktop.server.messenger.config import Secret

ENV_KEYS = (
    "MEDUSA_URL",
    "MEDUSA_API_KEY",
    "MEDUSA_POLL_SECONDS",
    "MEDUSA_RECONCILE_SECONDS",
    "MEDUSA_RECONCILE_DAYS",
    "MEDUSA_RETURN_LOCATION_ID",
    "MEDUSA_TIMEOUT_SECONDS",
)


class MedusaConfigError(ValueError):
    """A setting that cannot be used; `str()` says which and why."""


@dataclass(frozen=True, slots=True)
class MedusaConfig:
    url: str  # the Medusa server's origin, e.g. https://shop.example.com (no trailing slash)
    api_key: Secret  # a secret API key (sk_…) of an admin user
    poll_seconds: float = 60.0  # how often orders and customers changed since last time are read
    reconcile_seconds: float = 3600.0  # how often recent orders are all read again
    reconcile_days: int = 90  # how far back reconciliation and the first import go
    return_location_id: str | None = None  # stock location returns go back to (default: Medusa's)
    timeout_seconds: float = 30.0


def _text(value: Any) -> str:
    """A setting as text, whether it came from a variable (a string), the configuration file
    (a number) or a secret setting (an object with `reveal()`)."""
    if value is None:
        return ""
    reveal = getattr(value, "reveal", None)
    return str(reveal() if callable(reveal) else value).strip()


def _number(values: Mapping[str, Any], key: str, default: float, low: float) -> float:
    raw = _text(values.get(key))
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise MedusaConfigError(f"{key} must be a number of seconds, not '{raw}'.") from None
    if value < low:
        raise MedusaConfigError(f"{key} must be at least {low:g}.")
    return value


def load_config(environ: Mapping[str, Any] | None = None) -> MedusaConfig | None:
    """The connector's configuration, or None when it is off (URL or key missing)."""
    env = os.environ if environ is None else environ
    url = _text(env.get("MEDUSA_URL")).rstrip("/")
    key = _text(env.get("MEDUSA_API_KEY"))
    if not url or not key:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MedusaConfigError(
            f"MEDUSA_URL must be the Medusa server's address such as https://shop.example.com, "
            f"not '{url}'."
        )
    return MedusaConfig(
        url=url,
        api_key=Secret(key),
        poll_seconds=_number(env, "MEDUSA_POLL_SECONDS", 60.0, 0.1),
        reconcile_seconds=_number(env, "MEDUSA_RECONCILE_SECONDS", 3600.0, 1.0),
        reconcile_days=int(_number(env, "MEDUSA_RECONCILE_DAYS", 90, 1)),
        return_location_id=_text(env.get("MEDUSA_RETURN_LOCATION_ID")) or None,
        timeout_seconds=_number(env, "MEDUSA_TIMEOUT_SECONDS", 30.0, 1.0),
    )
