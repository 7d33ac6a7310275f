"""Installs the shop part of the server (called by `server/app.py` through EXTENSIONS): the
agents' shop endpoints, the ingest API, the simulation helpers, the order sources that are always
there (the demo shop and the ingest API), and the connectors that are configured (Shopify)."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from agent_desktop.server.context import ServerContext
from agent_desktop.server.shop import routes_ingest, routes_orders, routes_sim
from agent_desktop.server.shop.api_source import ApiSource
from agent_desktop.server.shop.demo_source import DemoSource

log = logging.getLogger(__name__)


def install(app: FastAPI, ctx: ServerContext) -> None:
    app.include_router(routes_orders.router)
    app.include_router(routes_ingest.router)
    app.include_router(routes_sim.router)
    ctx.order_sources.setdefault("demo", DemoSource())
    ctx.order_sources.setdefault("api", ApiSource())
    _install_shopify(app, ctx)


def _install_shopify(app: FastAPI, ctx: ServerContext) -> None:
    from agent_desktop.server.shop.shopify.config import (
        ENV_KEYS,
        ShopifyConfigError,
        load_config,
    )

    try:
        # [shopify] in the configuration file, or the SHOPIFY_* variables (environment wins).
        given = ctx.config.settings.as_environ("shopify")
        config = load_config({k: given[v] for k, v in ENV_KEYS.items() if v in given})
    except ShopifyConfigError as exc:
        log.error("The Shopify connector is off: %s", exc)
        return
    if config is None:
        return
    from agent_desktop.server.shop.shopify import routes
    from agent_desktop.server.shop.shopify.connector import ShopifyConnector

    connector = ShopifyConnector(ctx, config)
    app.state.shopify = connector
    app.include_router(routes.router)
    ctx.order_sources["shopify"] = connector
    connector.launch()
    log.info("Shopify connector on for %s (API %s)", config.shop, config.api_version)
