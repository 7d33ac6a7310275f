"""Operating the server as a shop's technician does: `init` for the first lead (and the hint a
server on an empty database prints), `backup` while it runs and `restore` after it stopped, the
health check's three answers, and JSON logs."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from agent_desktop.server.cli import main, server_config
from agent_desktop.server.context import ServerContext
from agent_desktop.server.runner import serve
from tests.helpers.server_fixtures import (
    AGENT_EMAIL,
    LEAD_EMAIL,
    ROOT,
    ServerProcess,
    auth_headers,
    login,
)
from tests.integration.server.conftest import Api, Stream, customer_writes, new_thread

PASSWORD = "first-lead-passphrase"


def run_cli(
    *args: str, password: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`agent-desktop-server ARGS` in a child process, as a technician types it."""
    environ = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    environ.pop("AGENT_DESKTOP_PASSWORD", None)
    if password is not None:
        environ["AGENT_DESKTOP_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "agent_desktop.server", *args],
        capture_output=True,
        text=True,
        env=environ,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


# --- init -------------------------------------------------------------------------------------


@pytest.mark.sqlite_only("the test names its own empty SQLite database, as a technician would")
def test_init_creates_the_first_lead_once(tmp_path: Path, server_factory: Any) -> None:
    database = f"sqlite:///{tmp_path / 'shop.sqlite'}"

    # A server on the empty database tells how to create the first lead.
    empty: ServerProcess = server_factory("--database", database, seed_test=False)
    assert "agent-desktop-server init" in empty.log_text()
    assert "--email" in empty.log_text()
    empty.stop()

    done = run_cli(
        "init",
        "--database",
        database,
        "--email",
        "Jeanne@Shop.example",
        "--name",
        "Jeanne Dupont",
        password=PASSWORD,
    )
    assert done.returncode == 0, done.stderr
    assert "Created the team lead Jeanne Dupont <jeanne@shop.example>" in done.stdout
    assert "will listen on http://127.0.0.1:8765" in done.stdout
    assert "Team page" in done.stdout

    again = run_cli(
        "init",
        "--database",
        database,
        "--email",
        "other@shop.example",
        "--name",
        "Other",
        password=PASSWORD,
    )
    assert again.returncode == 1
    assert again.stderr.strip().count("\n") == 0  # one sentence
    assert "already has a team lead (jeanne@shop.example)" in again.stderr

    # The lead signs in; the server no longer prints the hint.
    server: ServerProcess = server_factory("--database", database, seed_test=False)
    assert "agent-desktop-server init" not in server.log_text()
    token = login(server, "jeanne@shop.example", PASSWORD)
    me = httpx.get(f"{server.api}/me", headers=auth_headers(token)).json()
    assert (me["role"], me["name"], me["active"]) == ("lead", "Jeanne Dupont", True)
    team = httpx.get(f"{server.api}/agents", headers=auth_headers(token)).json()["items"]
    assert [a["email"] for a in team] == ["jeanne@shop.example"]


@pytest.mark.parametrize(
    ("args", "password", "expected"),
    [
        (["--email", "a@shop.example", "--name", "A"], "short", "at least 10 characters"),
        (["--email", "not-an-email", "--name", "A"], PASSWORD, "not an email address"),
        (["--email", "a@shop.example", "--name", " "], PASSWORD, "The name is empty"),
        (["--email", "a@shop.example", "--name", "A"], None, "AGENT_DESKTOP_PASSWORD"),
    ],
)
def test_init_refuses_bad_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    password: str | None,
    expected: str,
) -> None:
    if password is None:
        monkeypatch.delenv("AGENT_DESKTOP_PASSWORD", raising=False)
        monkeypatch.setattr(sys, "stdin", io.StringIO())  # not a terminal
    else:
        monkeypatch.setenv("AGENT_DESKTOP_PASSWORD", password)
    database = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    assert main(["init", "--database", database, *args]) == 1
    assert expected in capsys.readouterr().err


# --- backup and restore -----------------------------------------------------------------------


async def everything(server: ServerProcess, token: str) -> dict[str, Any]:
    """What the shop holds, as the API shows it: accounts, threads, messages, the event log."""
    async with httpx.AsyncClient(base_url=server.api, headers=auth_headers(token)) as c:
        agents = (await c.get("/agents")).json()["items"]
        for agent in agents:  # these move with every sign-in
            agent.pop("presence")
            agent.pop("presence_since")
            agent.pop("last_seen_at")
        threads = (
            await c.get("/threads", params={"status": "open,pending,resolved,spam", "limit": 200})
        ).json()["items"]
        messages = {
            t["id"]: (await c.get(f"/threads/{t['id']}/messages", params={"limit": 200})).json()[
                "items"
            ]
            for t in threads
        }
    stream = await Stream.open(server, token, after=0)
    replayed, _ = await stream.until_ready()
    await stream.close()
    events = [(e["seq"], e["name"]) for e in replayed]
    for t in threads:
        t.pop("reply_window", None)  # computed from the clock
    return {"agents": agents, "threads": threads, "messages": messages, "events": events}


@pytest.mark.sqlite_only("backup and restore copy a SQLite file; PostgreSQL uses pg_dump")
async def test_backup_then_restore_gives_the_same_data(tmp_path: Path, server_factory: Any) -> None:
    server: ServerProcess = server_factory()
    lead = Api(server, await asyncio.to_thread(login, server, LEAD_EMAIL))
    thread = await asyncio.to_thread(new_thread, server, "Bonjour, ma commande ?")
    await asyncio.to_thread(
        lead.post,
        f"/threads/{thread['id']}/messages",
        {"client_id": "c-1", "text": "Elle part demain.", "kind": "reply"},
    )
    await asyncio.to_thread(
        lead.post, "/agents", {"email": "new@shop.example", "name": "New One", "role": "agent"}
    )
    assert lead.token
    before = await everything(server, lead.token)
    assert before["events"] and len(before["agents"]) == 4

    backup = tmp_path / "backups" / "shop-1.sqlite"
    backup.parent.mkdir()
    args = ["--database", server.database_url]
    done = await asyncio.to_thread(run_cli, "backup", str(backup), *args)  # while it runs
    assert done.returncode == 0, done.stderr
    assert "4 accounts" in done.stdout and "MB" in done.stdout
    again = await asyncio.to_thread(run_cli, "backup", str(backup), *args)
    assert again.returncode == 1 and "already exists" in again.stderr

    # Life goes on after the backup...
    await asyncio.to_thread(customer_writes, server, thread["id"], "Merci !")
    await asyncio.to_thread(
        lead.post, "/agents", {"email": "later@shop.example", "name": "Later", "role": "agent"}
    )
    port = {"AGENT_DESKTOP_SERVER_PORT": str(server.port)}
    running = await asyncio.to_thread(run_cli, "restore", str(backup), *args, **port)
    assert running.returncode == 1 and "stop it first" in running.stderr

    # ...then the server is stopped and the backup restored.
    await asyncio.to_thread(server.stop)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    refused = await asyncio.to_thread(run_cli, "restore", str(junk), *args, **port)
    assert refused.returncode == 1 and "not an Agent Desktop backup" in refused.stderr
    restored = await asyncio.to_thread(run_cli, "restore", str(backup), *args, **port)
    assert restored.returncode == 0, restored.stderr
    assert "before-restore" in restored.stdout and "signs in again" in restored.stdout
    kept = list(Path(server.database_url.split("///", 1)[1]).parent.glob("*.before-restore-*"))
    assert len(kept) == 1

    await asyncio.to_thread(server.start)
    old = await asyncio.to_thread(lead.get, "/me")
    assert (old.status_code, old.json()["error"]["code"]) == (401, "session_revoked")
    token = await asyncio.to_thread(login, server, LEAD_EMAIL)
    after = await everything(server, token)
    # The sign-in just now added its presence event; everything before is the backup's.
    assert after["events"][: len(before["events"])] == before["events"]
    assert {name for _, name in after["events"][len(before["events"]) :]} <= {"agent.presence"}
    for key in ("agents", "threads", "messages"):
        assert after[key] == before[key], key
    lead.close()


def test_backup_and_restore_refuse_postgresql(tmp_path: Path) -> None:
    url = "postgresql://shop:secret@127.0.0.1:1/shop"
    done = run_cli("backup", str(tmp_path / "b.sqlite"), "--database", url)
    assert done.returncode == 1 and "pg_dump" in done.stderr and "secret" not in done.stderr
    done = run_cli(
        "restore", str(tmp_path / "b.sqlite"), "--database", url, AGENT_DESKTOP_SERVER_PORT="1"
    )
    assert done.returncode == 1 and "pg_restore" in done.stderr


# --- health -----------------------------------------------------------------------------------


async def test_health_says_starting_ok_and_database_unreachable(tmp_path: Path) -> None:
    config = server_config(
        [
            "--port",
            "0",
            "--database",
            f"sqlite:///{tmp_path / 'db.sqlite'}",
            "--seed-test",
            "--media-dir",
            str(tmp_path / "media"),
            "--window-check-seconds",
            "0",
        ],
        {},
    )
    release = asyncio.Event()
    prepared: list[ServerContext] = []
    ready = asyncio.Event()
    held = asyncio.Event()

    async def hold(ctx: ServerContext) -> None:
        prepared.append(ctx)
        held.set()
        await release.wait()  # the database is open, the API not yet

    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(config, on_prepared=hold, on_ready=lambda _url: ready.set(), stop=stop)
    )
    try:
        await asyncio.wait_for(held.wait(), 60)
        base = f"http://127.0.0.1:{config.port}/api/v1"
        async with httpx.AsyncClient(base_url=base) as client:
            r = await client.get("/health")
            assert (r.status_code, r.json()["status"]) == (503, "starting")
            r = await client.get("/threads")
            assert (r.status_code, r.json()["error"]["code"]) == (503, "starting")
            async with ws_connect(f"ws://127.0.0.1:{config.port}/api/v1/events") as ws:
                with pytest.raises(ConnectionClosed) as closed:
                    await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1013
            release.set()
            await asyncio.wait_for(ready.wait(), 30)
            r = await client.get("/health")
            assert (r.status_code, r.json()["status"]) == (200, "ok")

            # The database goes away (here: a file in place of its folder): 503 with a sentence.
            ctx = prepared[0]
            blocker = tmp_path / "blocker"
            blocker.write_text("a file, not a folder")
            working, ctx.engine = (
                ctx.engine,
                create_async_engine(f"sqlite+aiosqlite:///{blocker / 'db.sqlite'}"),
            )
            r = await client.get("/health")
            assert r.status_code == 503 and r.json()["status"] == "database_unreachable"
            assert r.json()["message"]
            await ctx.engine.dispose()
            ctx.engine = working
            r = await client.get("/health")
            assert r.json()["status"] == "ok"
    finally:
        release.set()
        stop.set()
        await asyncio.wait_for(task, 30)


# --- logs -------------------------------------------------------------------------------------


def test_json_logs_are_one_object_per_line(server_factory: Any) -> None:
    server: ServerProcess = server_factory(
        "--log-format", "json", "--log-level", "info", "--access-log"
    )
    token = login(server, AGENT_EMAIL)
    assert httpx.get(f"{server.api}/me", headers=auth_headers(token)).status_code == 200
    server.stop()
    records = [json.loads(line) for line in server.log_text().splitlines() if line.startswith("{")]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any(r["logger"] == "uvicorn.access" and "/api/v1/me" in r["message"] for r in records)
    assert token not in server.log_text()


# --- reset: a shop locked out of its Team page ----------------------------------------------


def test_reset_from_the_shell_lets_a_locked_out_lead_back_in(server_factory: Any) -> None:
    server: ServerProcess = server_factory()
    old = login(server, LEAD_EMAIL)
    args = ["--database", server.database_url]
    unknown = run_cli("reset", "--email", "nobody@shop.example", *args)
    assert unknown.returncode == 1 and "no account with nobody@shop.example" in unknown.stderr
    done = run_cli("reset", "--email", "AGENT@demo.test", "--lead", *args)
    assert done.returncode == 0, done.stderr
    code = done.stdout.split(": ", 1)[1].split()[0]
    assert len(code) == 14 and "I have an invitation code" in done.stdout
    r = httpx.post(
        f"{server.api}/auth/invitation",
        json={"email": AGENT_EMAIL, "code": code, "password": "back-in-passphrase"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["agent"]["role"] == "lead"
    # The previous lead is untouched; the old password of the reset account no longer works.
    assert httpx.get(f"{server.api}/me", headers=auth_headers(old)).status_code == 200
    refused = httpx.post(
        f"{server.api}/auth/login", json={"email": AGENT_EMAIL, "password": "demo"}
    )
    assert refused.status_code == 401
