"""The Medusa connector's settings: off until both the URL and the key are set; bad values are
refused with a sentence naming the setting; the key never shows."""

from __future__ import annotations

import pytest

from agent_desktop.server.medusa.config import MedusaConfigError, load_config
from agent_desktop.server.messenger.config import Secret


def test_off_on_and_refused() -> None:
    assert load_config({}) is None
    assert load_config({"MEDUSA_URL": "http://127.0.0.1:9000"}) is None
    config = load_config(
        {
            "MEDUSA_URL": "https://shop.example/",
            "MEDUSA_API_KEY": "sk_1",
            "MEDUSA_POLL_SECONDS": "5",
        }
    )
    assert config is not None
    assert (config.url, config.poll_seconds) == ("https://shop.example", 5.0)
    assert "sk_1" not in repr(config)
    with pytest.raises(MedusaConfigError, match="MEDUSA_URL"):
        load_config({"MEDUSA_URL": "shop.example", "MEDUSA_API_KEY": "sk_1"})
    with pytest.raises(MedusaConfigError, match="MEDUSA_POLL_SECONDS"):
        load_config(
            {"MEDUSA_URL": "https://s.example", "MEDUSA_API_KEY": "k", "MEDUSA_POLL_SECONDS": "x"}
        )


def test_values_from_the_configuration_file_are_typed() -> None:
    config = load_config(
        {
            "MEDUSA_URL": "http://127.0.0.1:9000",
            "MEDUSA_API_KEY": Secret("sk_2"),
            "MEDUSA_POLL_SECONDS": 2.5,
            "MEDUSA_RECONCILE_DAYS": 30,
        }
    )
    assert config is not None
    assert config.api_key.reveal() == "sk_2"
    assert (config.poll_seconds, config.reconcile_days) == (2.5, 30)
