#!/usr/bin/env python3
"""A real Medusa 2.21 server for the connector's tests and CI, built from nothing on loopback.

    python3 tests/medusa/medusa_server.py up --state DIR     build, seed, start; returns when ready
    python3 tests/medusa/medusa_server.py down --state DIR   stop what `up` started

`up` creates a throw-away PostgreSQL cluster (tests/helpers/pgcluster.py: Debian's PostgreSQL, as
the `postgres` user when started as root) on a free loopback port, installs Medusa from npm (exact versions, `package-lock.json` without
registry addresses), runs `medusa db:migrate`, creates an admin user, starts `medusa start` on a
free loopback port, makes a secret API key, seeds a region, a stock location with a shipping
option, products, and places orders through the **store API** as a customer would. It writes
`DIR/medusa.json` as it goes: `{"state": "starting"|"ready"|"failed", "url", "api_key", ...,
"timings": {step: seconds}}`; tests wait for `ready` (tests/integration/medusa/conftest.py).

Only the standard library is used, so it runs before the project's virtual environment exists.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:  # run as a script: the repository's root, for tests.*
    sys.path.insert(0, str(HERE.parents[1]))

from agent_desktop.loopback import free_port  # noqa: E402  (standard library only, like this file)
from tests.helpers import pgcluster  # noqa: E402  (standard library only, like this file)

HOST = "127.0.0.1"
ADMIN_EMAIL = "admin@agent-desktop.test"
STATE_FILE = "medusa.json"
WAITED_FILE = "waited.json"  # how long the tests waited for `ready` (written by their fixture)
STAMP = ".agent-desktop-installed"
START_TIMEOUT = 600.0  # seconds medusa start may take to answer /health on a busy machine
HTTP_TIMEOUT = 120.0


class Failure(RuntimeError):
    """A step that failed, with a sentence that says which and why."""


# --- small helpers -------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[medusa {time.strftime('%H:%M:%S')}] {message}", flush=True)


class State:
    """`DIR/medusa.json`, rewritten atomically at every change."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.path = directory / STATE_FILE
        self.data: dict[str, Any] = {"state": "starting", "timings": {}, "pids": {}}
        if self.path.exists():
            with contextlib.suppress(ValueError):
                self.data = json.loads(self.path.read_text(encoding="utf-8"))

    def save(self, **changes: Any) -> None:
        self.data.update(changes)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=2), encoding="utf-8")
        tmp.chmod(0o644)
        tmp.replace(self.path)

    def timed(self, step: str, started: float) -> None:
        self.data["timings"][step] = round(time.monotonic() - started, 1)
        self.save()
        log(f"{step}: {self.data['timings'][step]} s")


def run(
    cmd: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    as_user: str | None = None,
    log_file: Path | None = None,
) -> None:
    """Run a command to its end; on failure raise `Failure` with the end of its output."""
    if as_user:
        cmd = ["runuser", "-u", as_user, "--", *cmd]
    out = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    finally:
        if log_file:
            out.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        tail = ""
        if log_file and log_file.exists():
            tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-25:])
        raise Failure(f"`{' '.join(cmd[:4])}` exited with {proc.returncode}:\n{tail}")


def wait_until(
    what: str,
    check: Any,
    timeout: float,
    proc: subprocess.Popen[bytes] | None = None,
    log_file: Path | None = None,
) -> None:
    """Wait for `check()` to be true (polling, never a fixed sleep), or fail with a sentence."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while not check():
        if proc is not None and proc.poll() is not None:
            tail = ""
            if log_file and log_file.exists():
                tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-30:])
            raise Failure(f"{what}: the process exited with {proc.returncode}:\n{tail}")
        if time.monotonic() > deadline:
            raise Failure(f"{what}: not after {timeout:.0f} s")
        time.sleep(delay)
        delay = min(delay * 1.5, 1.0)


# --- PostgreSQL ----------------------------------------------------------------------------------


def start_postgres(state: State) -> str:
    """A fresh cluster in DIR/pg on a free loopback port (tests/helpers/pgcluster.py, as the
    postgres user when run as root) with a `medusa` database; returns the database's URL."""
    started = time.monotonic()
    folder = state.dir / "pg"
    if folder.exists():
        pgcluster.stop(folder)
        shutil.rmtree(folder)
    try:
        pgcluster.start(folder)
        bins = pgcluster.bindir()
    except SystemExit as exc:  # pgcluster says what is missing or failed this way
        raise Failure(f"PostgreSQL could not be started: {exc}") from None
    port = int((folder / "port").read_text())
    state.save(pg_port=port)
    run(
        [str(bins / "createdb"), "-h", HOST, "-p", str(port), "-U", "postgres", "medusa"],
        log_file=state.dir / "postgres.log",
    )
    state.timed("postgres", started)
    return f"postgres://postgres@{HOST}:{port}/medusa"


# --- npm -------------------------------------------------------------------------------------------


def install(state: State) -> None:
    """`npm ci` from the committed lockfile, skipped when node_modules already matches it."""
    started = time.monotonic()
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((HERE / name).read_bytes())
    stamp = HERE / "node_modules" / STAMP
    if stamp.exists() and stamp.read_text().strip() == digest.hexdigest():
        state.timed("npm_install", started)
        state.save(npm_install_skipped=True)
        return
    npm = shutil.which("npm")
    node = shutil.which("node")
    if npm is None or node is None:
        raise Failure("Node.js 20 and npm are needed for Medusa, and they are not installed")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    major = version.stdout.strip().lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < 20:
        raise Failure(f"Medusa 2.21 needs Node.js 20 or later, not {version.stdout.strip()}")
    run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        log_file=state.dir / "npm.log",
    )
    stamp.write_text(digest.hexdigest())
    state.timed("npm_install", started)


# --- Medusa ------------------------------------------------------------------------------------------


def medusa_env(database_url: str, state: State) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        JWT_SECRET=state.data.setdefault("jwt_secret", secrets.token_hex(24)),
        COOKIE_SECRET=state.data.setdefault("cookie_secret", secrets.token_hex(24)),
        NODE_ENV="production",
        MEDUSA_DISABLE_TELEMETRY="true",
        MEDUSA_FF_ANALYTICS="false",
        DO_NOT_TRACK="1",
        LOG_LEVEL="warn",
        NODE_OPTIONS="--max-old-space-size=1024",
    )
    return env


def medusa_bin() -> str:
    return str(HERE / "node_modules" / ".bin" / "medusa")


def migrate(env: dict[str, str], state: State) -> None:
    started = time.monotonic()
    run(
        [medusa_bin(), "db:migrate", "--execute-safe-links"],
        cwd=HERE,
        env=env,
        log_file=state.dir / "migrate.log",
    )
    state.timed("migrate", started)


def create_user(env: dict[str, str], state: State) -> str:
    started = time.monotonic()
    password = state.data.setdefault("admin_password", secrets.token_urlsafe(18))
    run(
        [medusa_bin(), "user", "-e", ADMIN_EMAIL, "-p", password],
        cwd=HERE,
        env=env,
        log_file=state.dir / "user.log",
    )
    state.save(admin_email=ADMIN_EMAIL)
    state.timed("admin_user", started)
    return password


def start_medusa(env: dict[str, str], state: State) -> str:
    started = time.monotonic()
    port = free_port()
    out_path = state.dir / "medusa.log"
    with open(out_path, "ab") as out:
        proc = subprocess.Popen(
            [medusa_bin(), "start", "-H", HOST, "-p", str(port)],
            cwd=HERE,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    state.data["pids"]["medusa"] = proc.pid
    url = f"http://{HOST}:{port}"
    state.save(url=url)

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as resp:
                return bool(resp.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    wait_until("medusa start", healthy, START_TIMEOUT, proc, out_path)
    state.timed("start", started)
    return url


# --- HTTP ----------------------------------------------------------------------------------------------


class Http:
    """JSON over HTTP to Medusa, with the headers of whoever is calling."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.url = url
        self.headers = dict(headers or {})
        self.calls = 0

    def with_headers(self, **headers: str) -> Http:
        return Http(self.url, {**self.headers, **headers})

    def __call__(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        for key, value in self.headers.items():
            req.add_header(key, value)
        self.calls += 1
        try:
            with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:600]
            raise Failure(f"{method} {path} answered {exc.code}: {detail}") from None
        return json.loads(raw) if raw else {}


def basic(key: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


# --- seed ---------------------------------------------------------------------------------------------

PRODUCTS = (
    # title, handle, [(variant title, sku, price in EUR)]
    ("Blue mug", "blue-mug", [("Blue mug", "MUG-BLUE", 18)]),
    (
        "Linen tea towel",
        "linen-tea-towel",
        [("Natural", "TOWEL-NAT", 12), ("Indigo", "TOWEL-IND", 14)],
    ),
    ("Ceramic teapot", "ceramic-teapot", [("Ceramic teapot", "TEAPOT-1L", 45)]),
)
ADDRESS = {
    "first_name": "Élodie",
    "last_name": "Marchand",
    "address_1": "12 rue des Lilas",
    "city": "Lyon",
    "postal_code": "69003",
    "country_code": "fr",
    "phone": "+33 6 12 34 56 78",
}
CUSTOMERS = (
    # email, first name, last name, [[(sku, quantity)] per order]
    (
        "elodie.marchand@example.test",
        "Élodie",
        "Marchand",
        [
            [("MUG-BLUE", 2), ("TOWEL-IND", 1)],
            [("TEAPOT-1L", 1)],
            [("TOWEL-NAT", 3)],
            [("MUG-BLUE", 1)],
            [("TEAPOT-1L", 1), ("MUG-BLUE", 1)],
            [("TOWEL-IND", 2)],
        ],
    ),
    ("jonas.weber@example.test", "Jonas", "Weber", [[("MUG-BLUE", 1)], [("TOWEL-NAT", 1)]]),
)


def seed(url: str, password: str, state: State) -> None:
    """What a shop has set up, then orders placed through the store API as customers would."""
    started = time.monotonic()
    anon = Http(url)
    token = anon("POST", "/auth/user/emailpass", {"email": ADMIN_EMAIL, "password": password})[
        "token"
    ]
    admin = anon.with_headers(Authorization=f"Bearer {token}")

    secret = admin("POST", "/admin/api-keys", {"title": "Agent Desktop", "type": "secret"})
    api_key = secret["api_key"]["token"]

    channels = admin("GET", "/admin/sales-channels?limit=1")["sales_channels"]
    if channels:
        channel_id = channels[0]["id"]
    else:
        channel_id = admin("POST", "/admin/sales-channels", {"name": "Web shop"})["sales_channel"][
            "id"
        ]

    region = admin(
        "POST",
        "/admin/regions",
        {
            "name": "Europe",
            "currency_code": "eur",
            "countries": ["fr", "de", "be"],
            "payment_providers": ["pp_system_default"],
            "automatic_taxes": True,
        },
    )["region"]

    location = admin(
        "POST",
        "/admin/stock-locations",
        {
            "name": "Lyon warehouse",
            "address": {
                "address_1": "3 quai Perrache",
                "city": "Lyon",
                "postal_code": "69002",
                "country_code": "fr",
            },
        },
    )["stock_location"]
    admin("POST", f"/admin/stock-locations/{location['id']}/sales-channels", {"add": [channel_id]})
    admin(
        "POST",
        f"/admin/stock-locations/{location['id']}/fulfillment-providers",
        {"add": ["manual_manual"]},
    )
    location = admin(
        "POST",
        f"/admin/stock-locations/{location['id']}/fulfillment-sets?fields=*fulfillment_sets",
        {"name": "Lyon shipping", "type": "shipping"},
    )["stock_location"]
    fulfillment_set = location["fulfillment_sets"][0]
    zone_set = admin(
        "POST",
        f"/admin/fulfillment-sets/{fulfillment_set['id']}/service-zones?fields=*service_zones",
        {
            "name": "Europe",
            "geo_zones": [{"type": "country", "country_code": c} for c in ("fr", "de", "be")],
        },
    )["fulfillment_set"]
    zone_id = zone_set["service_zones"][0]["id"]

    profiles = admin("GET", "/admin/shipping-profiles?type=default")["shipping_profiles"]
    if profiles:
        profile_id = profiles[0]["id"]
    else:
        profile_id = admin(
            "POST", "/admin/shipping-profiles", {"name": "Default", "type": "default"}
        )["shipping_profile"]["id"]

    def shipping_option(name: str, code: str, amount: int, is_return: bool) -> str:
        return str(
            admin(
                "POST",
                "/admin/shipping-options",
                {
                    "name": name,
                    "service_zone_id": zone_id,
                    "shipping_profile_id": profile_id,
                    "provider_id": "manual_manual",
                    "price_type": "flat",
                    "type": {"label": name, "description": name, "code": code},
                    "prices": [{"currency_code": "eur", "amount": amount}],
                    "rules": [
                        {"attribute": "enabled_in_store", "value": "true", "operator": "eq"},
                        {
                            "attribute": "is_return",
                            "value": "true" if is_return else "false",
                            "operator": "eq",
                        },
                    ],
                },
            )["shipping_option"]["id"]
        )

    standard = shipping_option("Colissimo", "colissimo", 5, False)
    return_option = shipping_option("Colissimo return", "colissimo-return", 0, True)

    variants: dict[str, str] = {}
    for title, handle, rows in PRODUCTS:
        product = admin(
            "POST",
            "/admin/products",
            {
                "title": title,
                "handle": handle,
                "status": "published",
                "shipping_profile_id": profile_id,
                "sales_channels": [{"id": channel_id}],
                "options": [{"title": "Style", "values": [r[0] for r in rows]}],
                "variants": [
                    {
                        "title": vt,
                        "sku": sku,
                        "manage_inventory": False,
                        "options": {"Style": vt},
                        "prices": [{"currency_code": "eur", "amount": price}],
                    }
                    for vt, sku, price in rows
                ],
            },
        )["product"]
        for variant in product["variants"]:
            variants[variant["sku"]] = variant["id"]

    publishable = admin("POST", "/admin/api-keys", {"title": "Web shop", "type": "publishable"})
    pk = publishable["api_key"]
    admin("POST", f"/admin/api-keys/{pk['id']}/sales-channels", {"add": [channel_id]})
    state.save(
        api_key=api_key,
        publishable_key=pk["token"],
        region_id=region["id"],
        location_id=location["id"],
        sales_channel_id=channel_id,
        shipping_option_id=standard,
        return_shipping_option_id=return_option,
        variants=variants,
    )
    state.timed("seed_shop", started)

    started = time.monotonic()
    orders: list[dict[str, Any]] = []
    for email, first, last, baskets in CUSTOMERS:
        orders += shop_as_customer(url, state.data, email, first, last, baskets)
    state.save(orders=orders)
    state.timed("seed_orders", started)


def shop_as_customer(
    url: str,
    shop: dict[str, Any],
    email: str,
    first: str,
    last: str,
    baskets: list[list[tuple[str, int]]],
) -> list[dict[str, Any]]:
    """A new customer signs up on the storefront and places one order per basket."""
    store = Http(url, {"x-publishable-api-key": shop["publishable_key"]})
    password = secrets.token_urlsafe(12)
    reg = store(
        "POST", "/auth/customer/emailpass/register", {"email": email, "password": password}
    )["token"]
    store.with_headers(Authorization=f"Bearer {reg}")(
        "POST", "/store/customers", {"email": email, "first_name": first, "last_name": last}
    )
    login = store("POST", "/auth/customer/emailpass", {"email": email, "password": password})[
        "token"
    ]
    shopper = store.with_headers(Authorization=f"Bearer {login}")
    address = {**ADDRESS, "first_name": first, "last_name": last}
    return [
        place_order(shopper, shop["region_id"], email, address, basket, shop["variants"])
        for basket in baskets
    ]


def place_order(
    shopper: Http,
    region_id: str,
    email: str,
    address: dict[str, str],
    basket: list[tuple[str, int]],
    variants: dict[str, str],
) -> dict[str, Any]:
    """Cart → items → address → shipping → payment → complete, as a storefront does."""
    cart = shopper("POST", "/store/carts", {"region_id": region_id, "email": email})["cart"]
    for sku, quantity in basket:
        shopper(
            "POST",
            f"/store/carts/{cart['id']}/line-items",
            {"variant_id": variants[sku], "quantity": quantity},
        )
    shopper(
        "POST",
        f"/store/carts/{cart['id']}",
        {"shipping_address": address, "billing_address": address},
    )
    options = shopper("GET", f"/store/shipping-options?cart_id={cart['id']}")["shipping_options"]
    option = next(o for o in options if o["name"] == "Colissimo")
    shopper("POST", f"/store/carts/{cart['id']}/shipping-methods", {"option_id": option["id"]})
    collection = shopper("POST", "/store/payment-collections", {"cart_id": cart["id"]})[
        "payment_collection"
    ]
    shopper(
        "POST",
        f"/store/payment-collections/{collection['id']}/payment-sessions",
        {"provider_id": "pp_system_default"},
    )
    done = shopper("POST", f"/store/carts/{cart['id']}/complete")
    if done.get("type") != "order":
        raise Failure(f"the cart {cart['id']} did not become an order: {done.get('error')}")
    order = done["order"]
    return {
        "id": order["id"],
        "display_id": order["display_id"],
        "email": email,
        "items": [[sku, qty] for sku, qty in basket],
    }


# --- commands -----------------------------------------------------------------------------------------


def up(state_dir: Path) -> int:
    state_dir.mkdir(parents=True, exist_ok=True)
    state_dir.chmod(0o755)  # the postgres user reaches its cluster inside
    state = State(state_dir)
    state.data = {"state": "starting", "timings": {}, "pids": {}}
    state.save()
    total = time.monotonic()
    try:
        database_url = start_postgres(state)
        install(state)
        env = medusa_env(database_url, state)
        migrate(env, state)
        password = create_user(env, state)
        url = start_medusa(env, state)
        seed(url, password, state)
    except Exception as exc:
        state.data["timings"]["total"] = round(time.monotonic() - total, 1)
        state.save(state="failed", error=str(exc))
        log(f"failed: {exc}")
        return 1
    state.data["timings"]["total"] = round(time.monotonic() - total, 1)
    state.save(state="ready")
    log(f"ready at {state.data['url']} in {state.data['timings']['total']} s")
    return 0


def _stop(pid: int, timeout: float = 20.0) -> None:
    """SIGTERM the process group `up` started, then SIGKILL what is left after `timeout`."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def down(state_dir: Path) -> int:
    state = State(state_dir)
    pids = state.data.get("pids", {})
    if pids.get("medusa"):  # Medusa first: it holds connections to PostgreSQL
        _stop(int(pids["medusa"]))
    if (state_dir / "pg").exists():
        pgcluster.stop(state_dir / "pg")
        shutil.rmtree(state_dir / "pg", ignore_errors=True)
    state.save(state="stopped", pids={})
    return 0


STEPS = ("postgres", "npm_install", "migrate", "admin_user", "start", "seed_shop", "seed_orders")


def report(state_dir: Path) -> int:
    """One line for CI's log: the time each step took."""
    state = State(state_dir)
    timings = state.data.get("timings", {})
    steps = ", ".join(f"{k} {timings[k]} s" for k in STEPS if k in timings)
    cached = " (node_modules already installed)" if state.data.get("npm_install_skipped") else ""
    waited = "no test used it"
    with contextlib.suppress(OSError, ValueError, KeyError):
        used = json.loads((state_dir / WAITED_FILE).read_text())
        waited = f"its tests waited {used['waited']} s for it, then ran {used['tests']} s"
    total = timings.get("total", "?")
    print(f"Medusa: {state.data.get('state')}; {steps}; total {total} s{cached}; {waited}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("up", "down", "report"))
    parser.add_argument("--state", type=Path, required=True, help="folder for the state and logs")
    args = parser.parse_args(argv)
    command = {"up": up, "down": down, "report": report}[args.command]
    return command(args.state.resolve())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
