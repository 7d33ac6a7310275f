"""`agent-desktop-server` on the command line: argument checks, a busy port, and `--demo`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from agent_desktop.server.cli import main
from tests.helpers.server_fixtures import LEAD_EMAIL, ServerProcess, auth_headers, login


@pytest.mark.parametrize(
    "argv", [["--event-retention", "0"], ["--threads", "-1"], ["--port", "many"]]
)
def test_bad_arguments_exit_with_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own refusal
        code = int(exc.code or 0)
    assert code == 2
    assert capsys.readouterr().err


def test_busy_port_fails_cleanly(
    shared: ServerProcess, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--port", str(shared.port), "--database", f"sqlite:///{tmp_path / 'db.sqlite'}"])
    assert code == 1
    out = capsys.readouterr()
    assert "listening on" not in out.out
    assert "is not available" in out.err and "Traceback" not in out.err


@pytest.mark.slow
def test_demo_mode_seeds_a_shop(server_factory: Any) -> None:
    proc: ServerProcess = server_factory(
        "--demo", "--threads", "12", "--simulate", "0", seed_test=False
    )
    token = login(proc, LEAD_EMAIL)
    r = httpx.get(f"{proc.api}/threads", params={"limit": 200}, headers=auth_headers(token))
    assert r.status_code == 200
    assert len(r.json()["items"]) >= 12
    r = httpx.post(
        f"{proc.api}/simulate/customer-message", json={"customer_name": "Zoé", "text": "Salut"}
    )
    assert r.status_code == 201  # the demo enables simulation
