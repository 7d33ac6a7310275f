"""`agent-desktop check --backend chatwoot` against the loopback Chatwoot: token from
AGENT_DESKTOP_TOKEN, one JSON line, threads counted and the live stream opened."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from agent_desktop.cli import check_cmd
from tests.helpers.chatwoot_server import FakeChatwoot


async def run_check(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any]]:
    code = await asyncio.to_thread(check_cmd.main, argv)  # its own loop; the fake runs on ours
    line = capsys.readouterr().out.strip().splitlines()[-1]
    return code, json.loads(line)


async def test_check_with_a_token(
    fake: FakeChatwoot,
    seeded: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AGENT_DESKTOP_TOKEN", seeded["agent"].access_token)
    code, report = await run_check(
        ["--backend", "chatwoot", "--url", fake.url, "--account-id", "1"], capsys
    )
    assert code == 0, report
    assert report["ok"] is True and report["threads"] == 3 and report["events"] == "live"
    assert report["agent"]["email"] == "alice@shop.test"


async def test_check_needs_an_account_when_there_are_several(
    fake: FakeChatwoot,
    seeded: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AGENT_DESKTOP_TOKEN", seeded["admin"].access_token)
    code, report = await run_check(["--backend", "chatwoot", "--url", fake.url], capsys)
    assert code == 1 and "--account-id" in report["error"]
    monkeypatch.setenv("AGENT_DESKTOP_TOKEN", "wrong")
    code, report = await run_check(
        ["--backend", "chatwoot", "--url", fake.url, "--account-id", "1"], capsys
    )
    assert code == 1 and "access token" in report["error"]
