"""The reference server's settings: one table (`SETTINGS`), read from a TOML file (`--config`), then
from the environment, then from the command line, each overriding the one before.

To add a setting, add one `Setting(...)` line to `SETTINGS` under its section, and read it where it
is needed with `ctx.config.settings["section.name"]`. The file, its environment variable
(`AGENT_DESKTOP_<SECTION>_<NAME>` unless `env=` says otherwise), `agent-desktop-server config`
(the effective values and where each came from) and the example file in docs/ follow from that line.
"""

from __future__ import annotations

import os
import textwrap
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from agent_desktop.server.messenger.config import (
    DEFAULT_GRAPH_URL,
    DEFAULT_MEDIA_MAX_BYTES,
)
from agent_desktop.server.shop.shopify.config import API_VERSION as SHOPIFY_API_VERSION

Kind = Literal["str", "int", "float", "bool", "path", "list", "secret"]
Source = Literal["default", "file", "environment", "command line"]

CONFIG_ENV = "AGENT_DESKTOP_SERVER_CONFIG"  # the file's path, when --config is not given
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class ConfigError(ValueError):
    """A setting that cannot be used; the message is one sentence for the person running the
    server (it names the file or variable and the setting)."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: `[section] name = value` in the file."""

    section: str
    name: str
    kind: Kind
    default: Any
    help: str
    env: str = ""  # the environment variable; "" means AGENT_DESKTOP_<SECTION>_<NAME>
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    example: Any = None  # shown in the example file for a setting without a default

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    @property
    def env_name(self) -> str:
        return self.env or f"AGENT_DESKTOP_{self.section}_{self.name}".upper()


# fmt: off
SETTINGS: tuple[Setting, ...] = (
    # --- [server]: where it listens and keeps its files ---
    Setting("server", "host", "str", "127.0.0.1",
            "address to listen on (behind a reverse proxy keep 127.0.0.1)"),
    Setting("server", "port", "int", 8765, "port (0 picks a free one)", minimum=0, maximum=65535),
    Setting("server", "public_url", "str", "",
            "the address agents type in Agent Desktop (https://support.your-shop.example); "
            "shown by init"),
    Setting("server", "data_dir", "path", None,
            "folder of the SQLite database and media unless set below "
            "(default: AGENT_DESKTOP_DATA_DIR, else the user's data folder)",
            example="/var/lib/agent-desktop"),
    Setting("server", "media_dir", "path", None, "folder served under /media/ "
            "(default: media/ in the data folder)", example="/var/lib/agent-desktop/media"),
    Setting("server", "event_retention", "int", 10_000,
            "events kept for clients to catch up after a disconnection", minimum=1),
    Setting("server", "window_check_seconds", "float", 30.0,
            "how often Messenger reply-window changes are announced (0: never)", minimum=0),
    Setting("server", "instance_name", "str", "",
            "this instance's name among several on one PostgreSQL database (default: host-pid)"),
    Setting("server", "claim_seconds", "float", 30.0,
            "how long an instance's claim on a Messenger send lasts without renewal", minimum=1),
    Setting("server", "max_body_bytes", "int", 1024 * 1024,
            "largest request body accepted, in bytes (413 beyond)", minimum=1024),
    Setting("server", "ws_queue_limit", "int", 1000,
            "frames a websocket may fall behind before it is closed with 1013", minimum=10),
    # --- [database] ---
    Setting("database", "url", "secret", "",
            "SQLAlchemy URL (default: server.sqlite in the data folder; "
            "postgresql://user:password@host/db for PostgreSQL)", env="AGENT_DESKTOP_DATABASE"),
    # --- [sessions]: how long a sign-in lasts (0: no limit) ---
    Setting("sessions", "idle_hours", "float", 168.0,
            "a session unused for this long ends (an open client counts as use)", minimum=0),
    Setting("sessions", "max_days", "float", 30.0,
            "a session ends this long after sign-in, used or not", minimum=0),
    Setting("sessions", "check_seconds", "float", 60.0,
            "how often open connections are checked against these limits", minimum=0.1),
    Setting("sessions", "invitation_hours", "float", 72.0,
            "how long an invitation or reset code can be used", minimum=0.01),
    # --- [logging] ---
    Setting("logging", "format", "str", "text", "text (one line per record) or json "
            "(one JSON object per line, for log collectors)", choices=("text", "json")),
    Setting("logging", "level", "str", "warning", "least severe level written",
            choices=("debug", "info", "warning", "error")),
    Setting("logging", "access_log", "bool", False, "log every HTTP request"),
    # --- [demo]: the demo shop and test data (never on a real shop's server) ---
    Setting("demo", "enabled", "bool", False, "seed a demo shop and simulate customers"),
    Setting("demo", "threads", "int", None, "threads the demo seeds (default 220)", minimum=0,
            example=220),
    Setting("demo", "simulate", "float", None,
            "customer messages per minute in the demo (default 4; 0 turns it off)", minimum=0,
            example=4),
    Setting("demo", "seed_test", "bool", False, "seed the small deterministic test data set"),
    Setting("demo", "allow_simulation", "bool", False,
            "enable POST /api/v1/simulate/customer-message without the demo"),
    # --- [messenger]: the Messenger bridge (docs/MESSENGER.md); off unless both secrets are set ---
    Setting("messenger", "app_secret", "secret", "", "the Meta app's secret",
            env="MESSENGER_APP_SECRET"),
    Setting("messenger", "verify_token", "secret", "", "the webhook's verify token",
            env="MESSENGER_VERIFY_TOKEN"),
    Setting("messenger", "page_token", "secret", "", "the Page access token",
            env="MESSENGER_PAGE_TOKEN"),
    Setting("messenger", "graph_url", "str", DEFAULT_GRAPH_URL, "Graph API base URL",
            env="MESSENGER_GRAPH_URL"),
    Setting("messenger", "app_id", "str", "", "the Meta app's id", env="MESSENGER_APP_ID"),
    Setting("messenger", "allowed_tags", "list", [],
            "message tags allowed (default: the team settings decide)",
            env="MESSENGER_ALLOWED_TAGS"),
    Setting("messenger", "order_tag", "str", "",
            "ignored since Meta retired the order tags on 27 April 2026 (order updates outside "
            "24 h are utility messages)", env="MESSENGER_ORDER_TAG"),
    Setting("messenger", "page_id", "str", "", "the Page's id (default: read from GET /me)",
            env="MESSENGER_PAGE_ID"),
    Setting("messenger", "human_agent", "bool", False,
            "Meta granted the Page the Human Agent permission (replies from 24 h to 7 days)",
            env="MESSENGER_HUMAN_AGENT"),
    Setting("messenger", "utility_messaging", "bool", False,
            "Meta granted page_utility_messaging (order updates outside 24 h)",
            env="MESSENGER_UTILITY_MESSAGING"),
    Setting("messenger", "pause_probe_seconds", "float", 900.0,
            "after 10/1893063, the first wait before one send is tried again",
            env="MESSENGER_PAUSE_PROBE_SECONDS", minimum=0.05),
    Setting("messenger", "send_concurrency", "int", 8, "customers served at once",
            env="MESSENGER_SEND_CONCURRENCY", minimum=1),
    Setting("messenger", "media_max_bytes", "int", DEFAULT_MEDIA_MAX_BYTES,
            "largest attachment fetched, in bytes", env="MESSENGER_MEDIA_MAX_BYTES", minimum=1),
    Setting("messenger", "retry_base_seconds", "float", 0.5, "first retry delay of a send",
            env="MESSENGER_RETRY_BASE_SECONDS", minimum=0),
    Setting("messenger", "max_attempts", "int", 4, "attempts per send",
            env="MESSENGER_MAX_ATTEMPTS", minimum=1),
    Setting("messenger", "public_url", "str", "",
            "the server's public https:// origin, for product image links",
            env="MESSENGER_PUBLIC_URL"),
    Setting("messenger", "order_url", "str", "",
            "a link to an order on the shop's site, with {number} or {id}",
            env="MESSENGER_ORDER_URL"),
    # --- [medusa]: the Medusa v2 connector (docs/SHOPS.md); off unless url and api_key are set ---
    Setting("medusa", "url", "str", "",
            "the Medusa server's address (https://shop.example.com)", env="MEDUSA_URL"),
    Setting("medusa", "api_key", "secret", "", "a secret API key (sk_...) of a Medusa admin user",
            env="MEDUSA_API_KEY"),
    Setting("medusa", "poll_seconds", "float", 60.0,
            "how often orders and customers changed since last time are read",
            env="MEDUSA_POLL_SECONDS", minimum=0.1),
    Setting("medusa", "reconcile_seconds", "float", 3600.0,
            "how often recent orders are all read again", env="MEDUSA_RECONCILE_SECONDS",
            minimum=1),
    Setting("medusa", "reconcile_days", "int", 90,
            "how far back reconciliation and the first import go, in days",
            env="MEDUSA_RECONCILE_DAYS", minimum=1),
    Setting("medusa", "return_location_id", "str", "",
            "stock location returns go back to (default: Medusa's)",
            env="MEDUSA_RETURN_LOCATION_ID"),
    Setting("medusa", "timeout_seconds", "float", 30.0, "how long one call to Medusa may take",
            env="MEDUSA_TIMEOUT_SECONDS", minimum=1),
    # --- [shopify]: the Shopify connector (docs/SHOPS.md); off unless shop is set ---
    Setting("shopify", "shop", "str", "", "the shop's your-shop.myshopify.com domain",
            env="SHOPIFY_SHOP"),
    Setting("shopify", "access_token", "secret", "",
            "an admin-created custom app's Admin API token", env="SHOPIFY_ACCESS_TOKEN"),
    Setting("shopify", "client_id", "str", "",
            "a Dev Dashboard app's client id (instead of access_token)", env="SHOPIFY_CLIENT_ID"),
    Setting("shopify", "client_secret", "secret", "",
            "the app's client secret: Shopify signs webhooks with it (required)",
            env="SHOPIFY_CLIENT_SECRET"),
    Setting("shopify", "api_version", "str", SHOPIFY_API_VERSION, "Admin API version",
            env="SHOPIFY_API_VERSION"),
    Setting("shopify", "admin_url", "str", "",
            "the Admin API's origin (default: https:// and the shop; only for tests)",
            env="SHOPIFY_ADMIN_URL"),
    Setting("shopify", "reconcile_minutes", "float", 15.0,
            "how often recent orders are all read again (0: never)",
            env="SHOPIFY_RECONCILE_MINUTES", minimum=0),
    Setting("shopify", "initial_days", "int", 60,
            "how far back a customer's orders are read when first seen, in days",
            env="SHOPIFY_INITIAL_DAYS", minimum=0),
    Setting("shopify", "backfill", "bool", True,
            "read a customer's past orders when first seen", env="SHOPIFY_BACKFILL"),
)
# fmt: on

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.section for s in SETTINGS))


@dataclass
class Settings(Mapping[str, Any]):
    """The effective settings: `settings["server.port"]`, with where each value came from."""

    by_key: dict[str, Any]
    sources: dict[str, Source]
    path: Path | None = None
    environ_names: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)

    def source(self, key: str) -> Source:
        return self.sources[key]

    def section(self, name: str) -> dict[str, Any]:
        """The section's values by name (`{"port": 8765, ...}`)."""
        prefix = name + "."
        return {k[len(prefix) :]: v for k, v in self.by_key.items() if k.startswith(prefix)}

    def given(self, name: str) -> dict[str, Any]:
        """The section's values that were set somewhere (not left at their default)."""
        prefix = name + "."
        return {
            k[len(prefix) :]: v
            for k, v in self.by_key.items()
            if k.startswith(prefix) and self.sources[k] != "default"
        }

    def as_environ(self, name: str) -> dict[str, str]:
        """The section's values that were set somewhere (file or environment), by environment
        variable name and written as such a variable would be ("0.5", "true", "A,B"), for code
        that reads its configuration from variables: the Messenger bridge, the Medusa and the
        Shopify connectors."""
        prefix = name + "."
        return {
            self.environ_names[k]: _env_text(v)
            for k, v in self.by_key.items()
            if k.startswith(prefix) and self.sources[k] != "default"
        }

    def describe(self) -> list[tuple[str, str, Source]]:
        """(key, value as shown, source) for every setting; secrets are never shown."""
        rows = []
        for setting in SETTINGS:
            value = self.by_key[setting.key]
            if setting.kind == "secret":
                shown = "(set)" if value else "(not set)"
            elif value is None:
                shown = "(default)"
            else:
                shown = _toml_value(value)
            rows.append((setting.key, shown, self.sources[setting.key]))
        return rows


def _convert(setting: Setting, raw: Any, origin: str, flag: str = "") -> Any:
    """The value of `raw` for this setting, or ConfigError saying what is wrong and where."""
    if origin == "file":
        where = f"[{setting.section}] {setting.name}"
    elif origin == "environment":
        where = setting.env_name
    else:
        where = flag or setting.key
    from_text = isinstance(raw, str) and origin == "environment"
    kind = setting.kind
    value: Any
    if kind in {"str", "secret"}:
        if not isinstance(raw, str):
            raise ConfigError(f"{where} must be text in quotes.")
        value = raw
    elif kind == "path":
        if not isinstance(raw, (str, Path)) or not str(raw).strip():
            raise ConfigError(f"{where} must be a folder path in quotes.")
        value = Path(str(raw)).expanduser()
    elif kind == "bool":
        if from_text:
            text = raw.strip().lower()
            if text not in _TRUE | _FALSE:
                raise ConfigError(f"{where} must be true or false (got {raw!r}).")
            value = text in _TRUE
        elif isinstance(raw, bool):
            value = raw
        else:
            raise ConfigError(f"{where} must be true or false.")
    elif kind == "int":
        if from_text:
            try:
                raw = int(raw.strip())
            except ValueError:
                raise ConfigError(f"{where} must be a whole number (got {raw!r}).") from None
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ConfigError(f"{where} must be a whole number.")
        value = raw
    elif kind == "float":
        if from_text:
            try:
                raw = float(raw.strip())
            except ValueError:
                raise ConfigError(f"{where} must be a number (got {raw!r}).") from None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != raw:
            raise ConfigError(f"{where} must be a number.")
        if raw in (float("inf"), float("-inf")):
            raise ConfigError(f"{where} must be a finite number.")
        value = float(raw)
    else:  # list of words
        if from_text:
            raw = [part.strip() for part in raw.split(",") if part.strip()]
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise ConfigError(f'{where} must be a list of words such as ["A", "B"].')
        value = list(raw)
    if isinstance(value, (int, float)):
        if setting.minimum is not None and value < setting.minimum:
            raise ConfigError(f"{where} must be at least {_number(setting.minimum)}.")
        if setting.maximum is not None and value > setting.maximum:
            raise ConfigError(f"{where} must be at most {_number(setting.maximum)}.")
    if setting.choices and value not in setting.choices:
        choices = ", ".join(setting.choices)
        raise ConfigError(f"{where} must be one of {choices} (got {value!r}).")
    return value


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def read_file(path: Path) -> dict[str, Any]:
    """The file's settings by key; ConfigError for a missing or malformed file or an unknown name."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"The configuration file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The configuration file {path} cannot be read: {exc}.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The configuration file {path} is not valid TOML: {exc}.") from None
    found: dict[str, Any] = {}
    for section, table in data.items():
        if section not in SECTIONS:
            known = ", ".join(f"[{s}]" for s in SECTIONS)
            raise ConfigError(f"{path}: there is no section [{section}] (known: {known}).")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {section} must be a section, written [{section}].")
        for name, value in table.items():
            key = f"{section}.{name}"
            if key not in BY_KEY:
                known = ", ".join(s.name for s in SETTINGS if s.section == section)
                raise ConfigError(f"{path}: [{section}] has no setting {name!r} (known: {known}).")
            found[key] = value
    return found


def load_settings(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    flags: Mapping[str, str] | None = None,
) -> Settings:
    """Defaults, then the file at `path` (or named by AGENT_DESKTOP_SERVER_CONFIG), then the
    environment, then `overrides` (the command line, by key; None values are ignored; `flags`
    names each key's option for error messages)."""
    env = os.environ if environ is None else environ
    if path is None and env.get(CONFIG_ENV):
        path = Path(env[CONFIG_ENV])
    values: dict[str, Any] = {s.key: s.default for s in SETTINGS}
    sources: dict[str, Source] = dict.fromkeys(values, "default")
    if path is not None:
        for key, raw in read_file(path).items():
            values[key] = _convert(BY_KEY[key], raw, "file")
            sources[key] = "file"
    for setting in SETTINGS:
        raw = env.get(setting.env_name)
        if raw is not None and raw.strip() != "":
            values[setting.key] = _convert(setting, raw, "environment")
            sources[setting.key] = "environment"
    for key, raw in (overrides or {}).items():
        if raw is None:
            continue
        setting = BY_KEY[key]
        values[key] = _convert(setting, raw, "command line", (flags or {}).get(key, ""))
        sources[key] = "command line"
    return Settings(
        by_key=values,
        sources=sources,
        path=path,
        environ_names={s.key: s.env_name for s in SETTINGS},
    )


def _env_text(value: Any) -> str:
    """A setting's value as an environment variable holds it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value) if isinstance(value, float) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def example_file() -> str:
    """An example configuration file: every setting, commented out at its default, with its help
    and environment variable (docs/server.example.toml is this text)."""
    lines = [
        "# Agent Desktop server configuration (TOML). Every setting is optional; the values shown",
        "# are the defaults. An environment variable (named on each line) overrides the file,",
        "# and a command-line flag overrides both. `agent-desktop-server config --config FILE`",
        "# prints the effective values and where each one came from.",
    ]
    for section in SECTIONS:
        lines += ["", f"[{section}]"]
        for n, s in enumerate(s for s in SETTINGS if s.section == section):
            if n:
                lines.append("")
            lines += textwrap.wrap(s.help, 98, initial_indent="# ", subsequent_indent="# ")
            lines.append(f"# (environment: {s.env_name})")
            value = s.example if s.default is None else s.default
            lines.append(f"# {s.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"
