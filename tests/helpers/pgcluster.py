#!/usr/bin/env python3
"""A throw-away PostgreSQL cluster for the tests (and the benchmarks), on its own free port.

    python3 tests/helpers/pgcluster.py start DIR   # initdb DIR/data, start; prints the admin URL
    python3 tests/helpers/pgcluster.py stop DIR    # stop it (DIR can then be removed)

`.ci/run` starts one and exports `AGENT_DESKTOP_TEST_POSTGRES_URL=$(... start DIR)`. PostgreSQL
refuses to run as root, so as root the cluster runs as the `postgres` user (Debian's package
creates it), with DIR handed to that user. The settings favour speed over durability (fsync off):
it is a cluster for tests, thrown away afterwards. Only the standard library is used (it runs
before the project's virtual environment exists), and `agent_desktop.loopback`, which uses only
the standard library too (the repository's root is put on sys.path for it).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: the repository's root, for agent_desktop.loopback
    sys.path.insert(0, str(ROOT))

from agent_desktop.loopback import free_port  # noqa: E402  (standard library only, like this file)

SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    # Three test servers behind nginx, each with its pool, its LISTEN and its leader connections,
    # plus the tests' own.
    "max_connections": "300",
    "shared_buffers": "128MB",
}


def bindir() -> Path:
    """The newest installed PostgreSQL's binaries (Debian keeps them out of PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")


def as_cluster_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def start(folder: Path) -> str:
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        folder.chmod(0o755)
    data = folder / "data"
    bins = bindir()
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            as_cluster_user(
                [
                    str(bins / "initdb"),
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--no-locale",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    port = free_port()
    options = " ".join(f"-c {k}={v}" for k, v in SETTINGS.items())
    subprocess.run(
        as_cluster_user(
            [
                str(bins / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "postgres.log"),
                "-w",
                "-o",
                f"-p {port} -k {folder} {options}",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready = subprocess.run(
            [str(bins / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            check=False,
        )
        if ready.returncode == 0:
            (folder / "port").write_text(str(port))
            return f"postgresql://postgres@127.0.0.1:{port}/postgres"
        time.sleep(0.1)
    raise SystemExit(f"PostgreSQL did not start: see {folder / 'postgres.log'}")


def stop(folder: Path) -> None:
    data = folder.resolve() / "data"
    if (data / "postmaster.pid").exists():
        subprocess.run(
            as_cluster_user(
                [str(bindir() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
            ),
            check=False,
            stdout=subprocess.DEVNULL,
        )


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"start", "stop"}:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "start":
        print(start(Path(argv[1])))
    else:
        stop(Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
