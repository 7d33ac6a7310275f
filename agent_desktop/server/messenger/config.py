"""Configuration of the Messenger bridge, from the environment or a JSON file (docs/MESSENGER.md).

The bridge is on only when the app secret and the verify token are both set; secrets are held in
`Secret` objects whose repr and str never show the value, so they cannot leak into a log line.

Message tags Meta has retired (`core.messenger_rules`) are dropped from `MESSENGER_ALLOWED_TAGS`
with a warning naming the day; `MESSENGER_ORDER_TAG` is gone (order updates outside the window are
utility messages now) and is ignored with a warning.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent_desktop.core.messenger_rules import (
    retired_tag_sentence,
    retired_tags,
    rules_on,
)

log = logging.getLogger("agent_desktop.server.messenger")

DEFAULT_GRAPH_URL = "https://graph.facebook.com/v25.0"
DEFAULT_MEDIA_MAX_BYTES = 25 * 1024 * 1024  # Meta's own attachment limit
PACING_SHARE = 0.9  # the sender keeps to this share of Meta's per-Page rates

ENV_KEYS = (
    "MESSENGER_APP_SECRET",
    "MESSENGER_VERIFY_TOKEN",
    "MESSENGER_PAGE_TOKEN",
    "MESSENGER_GRAPH_URL",
    "MESSENGER_APP_ID",
    "MESSENGER_ALLOWED_TAGS",
    "MESSENGER_ORDER_TAG",
    "MESSENGER_PAGE_ID",
    "MESSENGER_HUMAN_AGENT",
    "MESSENGER_UTILITY_MESSAGING",
    "MESSENGER_PAUSE_PROBE_SECONDS",
    "MESSENGER_SEND_CONCURRENCY",
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
    page_id: str | None = None  # None: learnt from GET /me with the Page token
    # Granted to the app by Meta (App Review): the HUMAN_AGENT tag (replies from 24 h to 7 days)
    # and `page_utility_messaging` (order updates outside the window as utility messages).
    human_agent: bool = False
    utility_messaging: bool = False
    pause_probe_seconds: float = 900.0  # first wait before trying again after 10/1893063
    send_concurrency: int = 8  # sends in flight at once (one per customer at a time)
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


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on", "granted"}


def usable_tags(tags: tuple[str, ...], now: datetime) -> tuple[str, ...]:
    """`tags` without those Meta has retired by `now` (each dropped one is logged)."""
    retired = retired_tags(now)
    kept = []
    for tag in tags:
        if tag in retired:
            log.warning(
                "MESSENGER_ALLOWED_TAGS: %s is ignored. %s",
                tag,
                retired_tag_sentence(tag, retired[tag]),
            )
        else:
            kept.append(tag)
    return tuple(kept)


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
    now = datetime.now(UTC)
    tags = (
        usable_tags(_split_tags(values["MESSENGER_ALLOWED_TAGS"]), now)
        if values.get("MESSENGER_ALLOWED_TAGS")
        else None
    )
    if values.get("MESSENGER_ORDER_TAG") and rules_on(now).utility_messages:
        log.warning(
            "MESSENGER_ORDER_TAG is ignored: order updates outside the 24-hour window go as "
            "utility messages from the Page's approved templates (docs/MESSENGER.md)."
        )
    return MessengerConfig(
        app_secret=Secret(secret),
        verify_token=Secret(verify),
        page_token=Secret(page) if page else None,
        graph_url=str(values.get("MESSENGER_GRAPH_URL") or DEFAULT_GRAPH_URL).rstrip("/"),
        app_id=str(values["MESSENGER_APP_ID"]) if values.get("MESSENGER_APP_ID") else None,
        allowed_tags=tags,
        page_id=str(values["MESSENGER_PAGE_ID"]) if values.get("MESSENGER_PAGE_ID") else None,
        human_agent=_flag(values.get("MESSENGER_HUMAN_AGENT") or False),
        utility_messaging=_flag(values.get("MESSENGER_UTILITY_MESSAGING") or False),
        pause_probe_seconds=max(0.05, float(values.get("MESSENGER_PAUSE_PROBE_SECONDS") or 900.0)),
        send_concurrency=max(1, int(values.get("MESSENGER_SEND_CONCURRENCY") or 8)),
        media_max_bytes=int(values.get("MESSENGER_MEDIA_MAX_BYTES") or DEFAULT_MEDIA_MAX_BYTES),
        retry_base_seconds=float(values.get("MESSENGER_RETRY_BASE_SECONDS") or 0.5),
        max_attempts=max(1, int(values.get("MESSENGER_MAX_ATTEMPTS") or 4)),
        public_url=str(values["MESSENGER_PUBLIC_URL"]).rstrip("/")
        if values.get("MESSENGER_PUBLIC_URL")
        else None,
        order_url=str(values["MESSENGER_ORDER_URL"]) if values.get("MESSENGER_ORDER_URL") else None,
    )
