"""The Shopify connector configured by the server's TOML file alone (no SHOPIFY_* variable), then
with a variable overriding the file: the same mechanism as every other server setting."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.helpers.server_fixtures import InProcessServer, login
from tests.integration.shopify.conftest import Store, environ, wait_until
from tests.integration.shopify.fake_shopify import SHOP, FakeShopify


def config_file(folder: Path, fake: FakeShopify, secret: str) -> Path:
    path = folder / "server.toml"
    path.write_text(
        "[shopify]\n"
        f'shop = "{SHOP}"\n'
        f'admin_url = "{fake.origin}"\n'
        f'access_token = "{fake.static_token}"\n'
        f'client_secret = "{secret}"\n'
        "reconcile_minutes = 0\n",
        encoding="utf-8",
    )
    return path


def test_the_connector_runs_from_the_configuration_file(
    tmp_path_factory: pytest.TempPathFactory, fake_store: FakeShopify
) -> None:
    assert not any(k.startswith("SHOPIFY_") for k in os.environ)
    folder = tmp_path_factory.mktemp("shopify-toml")
    server = InProcessServer(
        folder, ("--seed-test", "--config", str(config_file(folder, fake_store, fake_store.secret)))
    )
    server.start()
    try:
        store = Store(server, fake_store, login(server))
        person = fake_store.make_customer("Inès", f"Fichier {uuid.uuid4().hex[:5]}")
        # Signed with the file's client secret: accepted, and the customer is stored.
        assert store.send("customers/create", person).status_code == 200
        wait_until(lambda: store.customer_id(person["email"]), what="the customer")
    finally:
        server.stop()


def test_a_variable_overrides_the_file(
    tmp_path_factory: pytest.TempPathFactory, fake_store: FakeShopify
) -> None:
    folder = tmp_path_factory.mktemp("shopify-toml-env")
    path = config_file(folder, fake_store, "not-the-store-secret")
    with environ({"SHOPIFY_CLIENT_SECRET": fake_store.secret}):
        server = InProcessServer(folder, ("--seed-test", "--config", str(path)))
        server.start()
    try:
        store = Store(server, fake_store, login(server))
        person = fake_store.make_customer("Noé", f"Variable {uuid.uuid4().hex[:5]}")
        assert store.send("customers/create", person).status_code == 200
        wait_until(lambda: store.customer_id(person["email"]), what="the customer")
        # Signed with the file's (overridden) secret: refused.
        other = fake_store.make_customer("Léa", f"Refus {uuid.uuid4().hex[:5]}")
        refused = store.send("customers/create", other, secret="not-the-store-secret")
        assert refused.status_code == 401
    finally:
        server.stop()
