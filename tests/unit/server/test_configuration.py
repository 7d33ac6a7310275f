"""The server's settings: defaults < TOML file < environment < command line, and a clear sentence
for each mistake a technician can make in the file or a variable."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from agent_desktop.server.cli import server_config
from agent_desktop.server.configuration import (
    SETTINGS,
    ConfigError,
    example_file,
    load_settings,
)

ROOT = Path(__file__).resolve().parents[3]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "server.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file_or_environment() -> None:
    settings = load_settings(None, {})
    assert settings["server.port"] == 8765
    assert settings["logging.format"] == "text"
    assert settings.source("server.port") == "default"
    assert settings["sessions.invitation_hours"] == 72.0


def test_environment_overrides_file_and_command_line_overrides_both(tmp_path: Path) -> None:
    path = write(tmp_path, '[server]\nport = 9000\nhost = "0.0.0.0"\n[demo]\nenabled = true\n')
    settings = load_settings(path, {"AGENT_DESKTOP_SERVER_PORT": "9100"})
    assert (settings["server.port"], settings.source("server.port")) == (9100, "environment")
    assert (settings["server.host"], settings.source("server.host")) == ("0.0.0.0", "file")
    assert settings["demo.enabled"] is True
    flags = load_settings(path, {"AGENT_DESKTOP_SERVER_PORT": "9100"}, {"server.port": 9200})
    assert (flags["server.port"], flags.source("server.port")) == (9200, "command line")


def test_the_file_may_be_named_by_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, "[server]\nport = 9001\n")
    settings = load_settings(None, {"AGENT_DESKTOP_SERVER_CONFIG": str(path)})
    assert settings["server.port"] == 9001 and settings.path == path


def test_empty_environment_variables_are_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "[server]\nport = 9002\n")
    assert load_settings(path, {"AGENT_DESKTOP_SERVER_PORT": " "})["server.port"] == 9002


def test_messenger_keeps_its_variable_names(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[messenger]\napp_secret = "from-file"\nallowed_tags = ["HUMAN_AGENT"]\n'
    )
    settings = load_settings(path, {"MESSENGER_VERIFY_TOKEN": "from-env"})
    assert settings.given("messenger") == {
        "app_secret": "from-file",
        "verify_token": "from-env",
        "allowed_tags": ["HUMAN_AGENT"],
    }
    environ = settings.as_environ("messenger")
    assert environ["MESSENGER_APP_SECRET"] == "from-file"
    assert environ["MESSENGER_VERIFY_TOKEN"] == "from-env"
    assert load_settings(None, {"MESSENGER_ALLOWED_TAGS": "A, B"})["messenger.allowed_tags"] == [
        "A",
        "B",
    ]


def test_secrets_are_never_shown(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[database]\nurl = "postgresql://shop:s3cret@db/shop"\n[messenger]\napp_secret = "xyz-123"\n',
    )
    shown = "\n".join(f"{k} {v} {s}" for k, v, s in load_settings(path, {}).describe())
    assert "s3cret" not in shown and "xyz-123" not in shown
    assert "database.url (set) file" in shown


@pytest.mark.parametrize(
    ("text", "environ", "expected"),
    [
        ("[server]\nprot = 1\n", {}, "[server] has no setting 'prot'"),
        ("[srever]\nport = 1\n", {}, "there is no section [srever]"),
        ("[server]\nport = 'x'\n", {}, "[server] port must be a whole number"),
        ("[server]\nport = 70000\n", {}, "[server] port must be at most 65535"),
        ("[server]\nevent_retention = 0\n", {}, "[server] event_retention must be at least 1"),
        ("[logging]\nformat = 'xml'\n", {}, "[logging] format must be one of text, json"),
        ("[demo]\nenabled = 'yes'\n", {}, "[demo] enabled must be true or false"),
        ("[messenger]\nallowed_tags = 'A'\n", {}, "[messenger] allowed_tags must be a list"),
        ("server = 1\n", {}, "server must be a section"),
        ("[server\n", {}, "is not valid TOML"),
        ("", {"AGENT_DESKTOP_SERVER_PORT": "eighty"}, "AGENT_DESKTOP_SERVER_PORT must be a whole"),
        ("", {"AGENT_DESKTOP_DEMO_ENABLED": "maybe"}, "AGENT_DESKTOP_DEMO_ENABLED must be true or"),
        ("", {"AGENT_DESKTOP_SESSIONS_MAX_DAYS": "nan"}, "must be a number"),
        ("", {"AGENT_DESKTOP_SESSIONS_MAX_DAYS": "inf"}, "must be a finite number"),
    ],
)
def test_mistakes_are_one_clear_sentence(
    tmp_path: Path, text: str, environ: dict[str, str], expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), environ)
    assert expected in str(caught.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", {})


def test_environment_booleans() -> None:
    for word, value in [("1", True), ("true", True), ("ON", True), ("0", False), ("no", False)]:
        assert load_settings(None, {"AGENT_DESKTOP_DEMO_ENABLED": word})["demo.enabled"] is value


def test_command_line_errors_name_the_option() -> None:
    with pytest.raises(ConfigError, match="--event-retention must be at least 1"):
        server_config(["--event-retention", "0"], {})


def test_server_config_follows_the_settings(tmp_path: Path) -> None:
    path = write(tmp_path, '[server]\nport = 0\ndata_dir = "/srv/shop"\n[demo]\nseed_test = true\n')
    config = server_config(["--config", str(path), "--host", "127.0.0.2"], {})
    assert (config.host, config.port, config.seed_test) == ("127.0.0.2", 0, True)
    assert config.data_dir == Path("/srv/shop")
    assert config.settings.path == path


def test_example_file_lists_every_setting_and_uncommented_it_loads(tmp_path: Path) -> None:
    text = example_file()
    for setting in SETTINGS:
        assert f"# {setting.name} = " in text and setting.env_name in text
    assert tomllib.loads(text) == {section: {} for section in tomllib.loads(text)}
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and " = " in line else line for line in text.splitlines()
    )
    settings = load_settings(write(tmp_path, uncommented), {})
    assert all(settings.source(s.key) == "file" for s in SETTINGS)
    assert settings["server.port"] == 8765


def test_the_example_in_docs_is_current() -> None:
    """docs/server.example.toml is `agent-desktop-server config --example`."""
    assert (ROOT / "docs" / "server.example.toml").read_text(encoding="utf-8") == example_file()


def test_every_connector_variable_is_a_setting() -> None:
    """The Messenger bridge and the Medusa and Shopify connectors read variables; each one is
    also a setting of the file (a new variable without its Setting line fails here)."""
    from agent_desktop.server.medusa.config import ENV_KEYS as MEDUSA
    from agent_desktop.server.messenger.config import ENV_KEYS as MESSENGER
    from agent_desktop.server.shop.shopify.config import ENV_KEYS as SHOPIFY

    names = {s.env_name for s in SETTINGS}
    wanted = {*MESSENGER, *MEDUSA, *SHOPIFY.values()}
    assert sorted(wanted - names) == []


def test_medusa_from_the_file_the_environment_overriding_it(tmp_path: Path) -> None:
    from agent_desktop.server.medusa.config import load_config

    path = write(
        tmp_path,
        '[medusa]\nurl = "https://shop.example/"\napi_key = "sk_from_file"\n'
        "poll_seconds = 5\nreconcile_days = 30\n",
    )
    settings = load_settings(path, {"MEDUSA_POLL_SECONDS": "0.5"})
    config = load_config(settings.as_environ("medusa"))
    assert config is not None
    assert config.url == "https://shop.example"
    assert config.api_key.reveal() == "sk_from_file"
    assert (config.poll_seconds, config.reconcile_days) == (0.5, 30)
    assert config.reconcile_seconds == 3600.0  # left at its default
    assert load_config(load_settings(None, {}).as_environ("medusa")) is None  # off
    assert settings.source("medusa.api_key") == "file"
    assert ("medusa.api_key", "(set)", "file") in settings.describe()  # never shown


def test_shopify_from_the_file_the_environment_overriding_it(tmp_path: Path) -> None:
    from agent_desktop.server.shop.shopify.config import ENV_KEYS, load_config

    path = write(
        tmp_path,
        '[shopify]\nshop = "your-shop.myshopify.com"\naccess_token = "shpat_file"\n'
        'client_secret = "whsec"\nbackfill = false\ninitial_days = 0\nreconcile_minutes = 30\n',
    )
    settings = load_settings(path, {"SHOPIFY_RECONCILE_MINUTES": "0"})
    given = settings.as_environ("shopify")
    config = load_config({k: given[v] for k, v in ENV_KEYS.items() if v in given})
    assert config is not None and config.shop == "your-shop.myshopify.com"
    assert config.access_token is not None and config.access_token.reveal() == "shpat_file"
    # Zero and false are values, not "unset": the file's and the variable's both hold.
    assert (config.backfill, config.initial_days, config.reconcile_seconds) == (False, 0, 0.0)


def test_messenger_zero_from_the_environment_stays_zero() -> None:
    from agent_desktop.server.messenger.config import load_config

    settings = load_settings(
        None,
        {
            "MESSENGER_APP_SECRET": "s",
            "MESSENGER_VERIFY_TOKEN": "v",
            "MESSENGER_RETRY_BASE_SECONDS": "0",
            "MESSENGER_ALLOWED_TAGS": "human_agent, POST_PURCHASE_UPDATE",
        },
    )
    config = load_config(settings.as_environ("messenger"))
    assert config is not None and config.retry_base_seconds == 0.0
    # Upper-cased; POST_PURCHASE_UPDATE, retired by Meta on 27 April 2026, is dropped (issue 19).
    assert config.allowed_tags == ("HUMAN_AGENT",)
