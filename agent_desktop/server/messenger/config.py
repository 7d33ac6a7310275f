"""Configuration of the Messenger bridge, from the environment or a JSON file (docs/MESSENGER.md).

The bridge is on only when the app secret and the verify token are both set; secrets are held in
`Secret` objects whose repr and str never show the value, so they cannot leak into a log line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_GRAPH_URL = "https://graph.facebook.com/v25.0"
DEFAULT_ORDER_TAG = "POST_PURCHASE_UPDATE"
DEFAULT_MEDIA_MAX_BYTES = 25 * 1024 * 1024  # Meta's own attachment limit

ENV_KEYS = (
    "MESSENGER_APP_SECRET",
    "MESSENGER_VERIFY_TOKEN",
    "MESSENGER_PAGE_TOKEN",
    "MESSENGER_GRAPH_URL",
    "MESSENGER_APP_ID",
    "MESSENGER_ALLOWED_TAGS",
    "MESSENGER_ORDER_TAG",
    "MESSENGER_MEDIA_MAX_BYTES",
    "MESSENGER_RETRY_BASE_SECONDS",
    "MESSENGER_MAX_ATTEMPTS",
    "MESSENGER_PUBLIC_URL",
    "MESSENGER_ORDER_URL",
)


class Secret:
    """A string that never shows itself in repr, str, f-strings or log records."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return "***"


@dataclass(frozen=True, slots=True)
class MessengerConfig:
    app_secret: Secret
    verify_token: Secret
    page_token: Secret | None = None
    graph_url: str = DEFAULT_GRAPH_URL
    app_id: str | None = None
    allowed_tags: tuple[str, ...] | None = None  # None: the team settings decide
    order_tag: str = DEFAULT_ORDER_TAG
    media_max_bytes: int = DEFAULT_MEDIA_MAX_BYTES
    retry_base_seconds: float = 0.5
    max_attempts: int = 4
    public_url: str | None = None  # the server's public HTTPS origin, for product image links
    order_url: str | None = None  # a link to an order on the shop's site, with {number} / {id}

    def secret_values(self) -> tuple[str, ...]:
        """Every secret value, for log redaction."""
        values = [self.app_secret.reveal(), self.verify_token.reveal()]
        if self.page_token:
            values.append(self.page_token.reveal())
        return tuple(v for v in values if v)


def _split_tags(value: Any) -> tuple[str, ...]:
    items = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value).split(",")
    return tuple(t.strip().upper() for t in items if t.strip())


def load_config(
    environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> MessengerConfig | None:
    """The bridge's configuration, or None when the bridge is off.

    Values come from `MESSENGER_*` environment variables; a JSON file named by
    `MESSENGER_CONFIG` (or `config_file`) with the same keys, lower case and without the prefix,
    supplies anything the environment does not set.
    """
    env = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    path = config_file or (Path(env["MESSENGER_CONFIG"]) if env.get("MESSENGER_CONFIG") else None)
    if path is not None and path.is_file():
        raw = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(raw, dict):
            for key, value in raw.items():
                values["MESSENGER_" + str(key).upper()] = value
    for key in ENV_KEYS:
        if env.get(key):
            values[key] = env[key]

    secret = str(values.get("MESSENGER_APP_SECRET") or "")
    verify = str(values.get("MESSENGER_VERIFY_TOKEN") or "")
    if not secret or not verify:
        return None
    page = str(values.get("MESSENGER_PAGE_TOKEN") or "")
    tags = (
        _split_tags(values["MESSENGER_ALLOWED_TAGS"])
        if values.get("MESSENGER_ALLOWED_TAGS")
        else None
    )
    return MessengerConfig(
        app_secret=Secret(secret),
        verify_token=Secret(verify),
        page_token=Secret(page) if page else None,
        graph_url=str(values.get("MESSENGER_GRAPH_URL") or DEFAULT_GRAPH_URL).rstrip("/"),
        app_id=str(values["MESSENGER_APP_ID"]) if values.get("MESSENGER_APP_ID") else None,
        allowed_tags=tags,
        order_tag=str(values.get("MESSENGER_ORDER_TAG") or DEFAULT_ORDER_TAG).upper(),
        media_max_bytes=int(values.get("MESSENGER_MEDIA_MAX_BYTES") or DEFAULT_MEDIA_MAX_BYTES),
        retry_base_seconds=float(values.get("MESSENGER_RETRY_BASE_SECONDS") or 0.5),
        max_attempts=max(1, int(values.get("MESSENGER_MAX_ATTEMPTS") or 4)),
        public_url=str(values["MESSENGER_PUBLIC_URL"]).rstrip("/")
        if values.get("MESSENGER_PUBLIC_URL")
        else None,
        order_url=str(values["MESSENGER_ORDER_URL"]) if values.get("MESSENGER_ORDER_URL") else None,
    )
