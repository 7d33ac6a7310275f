"""`agent-desktop check` run as a user would: a subprocess against the real server, one JSON line
on stdout, exit code 0 or 1, and never a Qt import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers.server_fixtures import AGENT_EMAIL, ServerProcess

ROOT = Path(__file__).resolve().parents[3]


def run_check(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_DESKTOP_PASS")}
    full_env.pop("AGENT_DESKTOP_TOKEN", None)
    full_env.update(env or {})
    full_env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "agent_desktop", "check", *args],
        env=full_env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=90,
    )
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(lines[0])


def test_check_succeeds_with_a_password(shared_server: ServerProcess) -> None:
    code, report = run_check(
        "--url", shared_server.url, "--email", AGENT_EMAIL, env={"AGENT_DESKTOP_PASSWORD": "demo"}
    )
    assert code == 0, report
    assert report["ok"] is True
    assert report["backend"] == shared_server.url
    assert report["agent"]["email"] == AGENT_EMAIL
    assert report["threads"] >= 6
    assert report["events"] == "live"
    assert isinstance(report["server_clock_offset_ms"], int)


def test_check_with_a_token_and_without_qt(shared_server: ServerProcess) -> None:
    import httpx

    token = httpx.post(
        f"{shared_server.url}/api/v1/auth/login", json={"email": AGENT_EMAIL, "password": "demo"}
    ).json()["token"]
    program = (
        "import sys, agent_desktop.cli.check_cmd as c; rc = c.main(sys.argv[1:]); "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'; "
        "sys.exit(rc)"
    )
    env = {**os.environ, "AGENT_DESKTOP_TOKEN": token, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", program, "--url", shared_server.url],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True


def test_check_reports_a_wrong_password(shared_server: ServerProcess) -> None:
    code, report = run_check(
        "--url", shared_server.url, "--email", AGENT_EMAIL, env={"AGENT_DESKTOP_PASSWORD": "nope"}
    )
    assert code == 1
    assert report["ok"] is False
    assert "password" in report["error"].lower()


def test_check_reports_an_unreachable_backend() -> None:
    code, report = run_check(
        "--url", "http://127.0.0.1:9", "--email", AGENT_EMAIL, env={"AGENT_DESKTOP_PASSWORD": "x"}
    )
    assert code == 1
    assert report == {
        "ok": False,
        "error": "Cannot reach the backend at http://127.0.0.1:9; check the address and your "
        "connection.",
    }


def test_check_refuses_plain_http_to_another_host() -> None:
    code, report = run_check(
        "--url",
        "http://support.example.com",
        "--email",
        AGENT_EMAIL,
        env={"AGENT_DESKTOP_PASSWORD": "x"},
    )
    assert code == 1
    assert "plain http://" in report["error"]
    assert "--insecure" in report["error"]


def test_check_without_a_password_and_no_terminal_says_how() -> None:
    code, report = run_check("--url", "http://127.0.0.1:9", "--email", AGENT_EMAIL)
    assert code == 1
    assert "AGENT_DESKTOP_PASSWORD" in report["error"]


def test_check_chatwoot_backend_reports_an_unreachable_server() -> None:
    code, report = run_check(
        "--backend",
        "chatwoot",
        "--url",
        "http://127.0.0.1:9",
        "--email",
        AGENT_EMAIL,
        env={"AGENT_DESKTOP_PASSWORD": "x"},
    )
    assert code == 1
    assert report["ok"] is False
    assert "127.0.0.1:9" in report["error"]
