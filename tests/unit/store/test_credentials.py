"""Tokens go to the keyring, or stay in memory with a notice when there is no usable keyring."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from agent_desktop.store.credentials import NO_KEYRING_NOTICE, Credentials, service_name
from tests.helpers.memkeyring import MemoryKeyring

URL = "https://support.example.com/"


def test_token_goes_to_the_keyring(memory_keyring: MemoryKeyring) -> None:
    creds = Credentials(URL)
    assert creds.save("ann@x.test", "secret-token")
    assert memory_keyring.store == {
        ("AgentDesktop:https://support.example.com", "ann@x.test"): "secret-token"
    }
    assert Credentials(URL).load("ann@x.test") == "secret-token"  # a new session finds it
    assert not creds.memory_only and creds.notice is None
    creds.delete("ann@x.test")
    assert Credentials(URL).load("ann@x.test") is None
    creds.delete("ann@x.test")  # deleting twice is fine


def test_fail_keyring_means_memory_only_with_a_notice() -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    creds = Credentials(URL)
    assert creds.memory_only
    assert not creds.save("ann@x.test", "tok")
    assert creds.load("ann@x.test") == "tok"
    assert creds.notice == NO_KEYRING_NOTICE
    assert Credentials(URL).load("ann@x.test") is None  # nothing survives this session


class RefusingKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("locked collection")


def test_keyring_error_on_save_falls_back_to_memory(caplog: pytest.LogCaptureFixture) -> None:
    keyring.set_keyring(RefusingKeyring())
    creds = Credentials(URL)
    assert not creds.memory_only
    assert not creds.save("ann@x.test", "tok-123")
    assert creds.memory_only
    assert creds.load("ann@x.test") == "tok-123"
    assert "tok-123" not in caplog.text


def test_service_name_ignores_trailing_slash() -> None:
    assert (
        service_name(URL)
        == service_name(URL.rstrip("/"))
        == "AgentDesktop:https://support.example.com"
    )
