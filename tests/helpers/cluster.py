"""Several reference-server instances on one PostgreSQL database, behind nginx with TLS, all on
loopback: the deployment of docs/DEPLOY.md ("Several instances") in a temporary folder.

nginx runs `packaging/deploy/nginx-agent-desktop.conf` itself: only the addresses (upstream
instances, listening ports) and the certificate paths are replaced, by `render_site`.

    cluster = Cluster(workdir, pg_url, instances=3).start()
    cluster.url / .ws_url          https:// and wss:// through nginx
    cluster.ssl                    an SSLContext trusting the test CA (httpx verify=, websockets ssl=)
    cluster.instances[i]           ServerProcess of each instance (.kill(), .restart(), .url)
    cluster.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import websockets
from websockets.asyncio.client import connect

from agent_desktop.loopback import free_port
from tests.helpers.server_fixtures import ROOT, ServerProcess

SITE_CONF = ROOT / "packaging" / "deploy" / "nginx-agent-desktop.conf"
INSTANCE_HEADER = "x-agent-desktop-instance"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise RuntimeError("nginx is not installed (apt-get install nginx)")
    return found


def render_site(
    ports: Sequence[int], https_port: int, http_port: int, cert: Path, key: Path
) -> str:
    """The deployment's site file with the test's addresses and certificate."""
    text = SITE_CONF.read_text("utf-8")
    upstream_line = re.compile(r"^([ \t]*)server 127\.0\.0\.1:\d+ (.*);$", re.MULTILINE)
    found = list(upstream_line.finditer(text))
    assert found, "the site file lost its upstream servers"
    indent, options = found[0].group(1), found[0].group(2)
    servers = "\n".join(f"{indent}server 127.0.0.1:{p} {options};" for p in ports)
    first = found[0]
    rest = upstream_line.sub("@@drop@@", text[first.end() :])
    text = text[: first.start()] + "@@servers@@" + rest
    text = re.sub(r"@@drop@@\n", "", text).replace("@@servers@@", servers)
    text = re.sub(r"^\s*listen \[::\]:\d+.*\n", "", text, flags=re.MULTILINE)  # loopback only
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate     {cert};", text)
    text = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", text)
    return text


class Nginx:
    """nginx (Debian's package) in the foreground, with the site file rendered for the test."""

    def __init__(self, workdir: Path, ports: Sequence[int], cert: Path, key: Path) -> None:
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.https_port = free_port()
        self.http_port = free_port()
        self.ports = list(ports)
        self.cert, self.key = cert, key
        self.proc: subprocess.Popen[bytes] | None = None

    def write_config(self) -> Path:
        tmp = self.workdir / "tmp"
        tmp.mkdir(exist_ok=True)
        site = self.workdir / "agent-desktop.conf"
        site.write_text(
            render_site(self.ports, self.https_port, self.http_port, self.cert, self.key)
        )
        user = "user root;\n" if os.geteuid() == 0 else ""
        main = self.workdir / "nginx.conf"
        main.write_text(
            f"""{user}worker_processes 1;
pid {self.workdir / "nginx.pid"};
error_log {self.workdir / "error.log"} warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site};
}}
"""
        )
        return main

    def start(self) -> Nginx:
        main = self.write_config()
        with (self.workdir / "stderr.log").open("ab") as stderr:
            self.proc = subprocess.Popen(
                [nginx_binary(), "-c", str(main), "-p", str(self.workdir), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not start: {self.log_text()}")

    def log_text(self) -> str:
        parts = []
        for name in ("stderr.log", "error.log"):
            path = self.workdir / name
            if path.exists():
                parts.append(path.read_text("utf-8", "replace")[-3000:])
        return "\n".join(parts)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


class Cluster:
    """`instances` servers on the PostgreSQL database `database_url`, behind nginx with TLS."""

    def __init__(
        self,
        workdir: Path,
        database_url: str,
        *,
        instances: int = 3,
        args: Sequence[str] = (),
        first_args: Sequence[str] = ("--seed-test",),
        env: dict[str, str] | None = None,
    ) -> None:
        from agent_desktop.selftest import make_test_pki

        self.workdir = workdir
        self.database_url = database_url
        pki = make_test_pki()
        self.ca = workdir / "ca.pem"
        cert, key = workdir / "server.pem", workdir / "server.key"
        workdir.mkdir(parents=True, exist_ok=True)
        self.ca.write_bytes(pki.ca_pem)
        cert.write_bytes(pki.cert_pem)
        key.write_bytes(pki.key_pem)
        self.instances = [
            ServerProcess(
                workdir / f"i{n}",
                [*(first_args if n == 1 else ()), *args, "--instance-name", f"i{n}"],
                database_url=database_url,
                port=free_port(),
                env=env,
            )
            for n in range(1, instances + 1)
        ]
        self.nginx = Nginx(workdir / "nginx", [i.port for i in self.instances], cert, key)
        self.ssl = ssl.create_default_context(cafile=str(self.ca))

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.nginx.https_port}"

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    @property
    def ws_url(self) -> str:
        return f"wss://127.0.0.1:{self.nginx.https_port}/api/v1/events"

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.api, verify=self.ssl, timeout=30, **kw)  # type: ignore[arg-type]

    def async_client(self, **kw: object) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.api, verify=self.ssl, timeout=30, **kw)  # type: ignore[arg-type]

    def start(self) -> Cluster:
        try:
            self.instances[0].start()  # migrates and seeds
            procs = self.instances[1:]
            for proc in procs:
                proc.launch()
            for proc in procs:
                proc.wait_ready()
            self.nginx.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.nginx.stop()
        for proc in self.instances:
            proc.stop()


class LiveClient:
    """A client of the live stream that behaves like the desktop client: it resumes with `after`
    when its connection drops (through nginx, so usually onto another instance), and keeps the
    state the events describe (threads and message ids), to compare with the server's.

    `seqs` is every event seq received, in arrival order, across reconnections: it must stay
    strictly increasing and without holes.
    """

    def __init__(self, ws_url: str, token: str, ssl_context: ssl.SSLContext | None) -> None:
        self.ws_url = ws_url
        self.token = token
        self.ssl = ssl_context
        self.after = 0
        self.seqs: list[int] = []
        self.events: list[dict[str, Any]] = []
        self.instances: list[str] = []  # the instance behind each connection, in order
        self.threads: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, set[str]] = {}
        self.resyncs = 0
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stop = False

    async def run(self, after: int) -> None:
        self.after = after
        while not self._stop:
            try:
                async with connect(
                    self.ws_url, ssl=self.ssl, open_timeout=10, ping_interval=None, max_size=None
                ) as ws:
                    assert ws.response is not None
                    self.instances.append(ws.response.headers.get(INSTANCE_HEADER, "?"))
                    hello = {"type": "hello", "token": self.token, "after": self.after}
                    await ws.send(json.dumps(hello))
                    async for raw in ws:
                        msg = json.loads(raw)
                        kind = msg.get("type")
                        if kind == "resync":
                            self.resyncs += 1
                        elif kind == "ready":
                            self.connected.set()
                        elif kind == "event":
                            self._apply(msg)
            except (OSError, TimeoutError, websockets.WebSocketException):
                pass
            self.connected.clear()
            if not self._stop:
                await asyncio.sleep(0.05)  # the client's first reconnect pause

    def _apply(self, msg: dict[str, Any]) -> None:
        seq = int(msg["seq"])
        self.seqs.append(seq)
        self.events.append(msg)
        self.after = max(self.after, seq)
        data = msg.get("data")
        if not isinstance(data, dict):
            return
        thread = data.get("thread")
        if isinstance(thread, dict):
            self.threads[str(thread["id"])] = thread
        message = data.get("message")
        if isinstance(message, dict) and msg.get("name") == "message.created":
            self.messages.setdefault(str(message["thread_id"]), set()).add(str(message["id"]))

    def start(self, after: int) -> None:
        self._task = asyncio.create_task(self.run(after))

    async def stop(self) -> None:
        self._stop = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def problems(self, start: int) -> list[str]:
        """What is wrong with the seqs received since `start`: duplicates, holes, disorder."""
        if self.seqs == list(range(start + 1, start + 1 + len(self.seqs))):
            return []
        dupes = len(self.seqs) - len(set(self.seqs))
        top = max(self.seqs, default=start)
        holes = sorted(set(range(start + 1, top + 1)) - set(self.seqs))
        return [
            f"{dupes} duplicate(s); holes at {holes[:10]}; "
            f"in order: {self.seqs == sorted(self.seqs)}"
        ]
