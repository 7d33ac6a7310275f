"""Installs the Medusa connector (called by `server/app.py` through EXTENSIONS) when its URL and
API key are set ([medusa] in the server's configuration file, or `MEDUSA_URL` and
`MEDUSA_API_KEY`, the environment overriding the file): the "medusa" order source, and the
polling, which runs once across instances (the cluster job "medusa-sync")."""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from agent_desktop.server.context import ServerContext
from agent_desktop.server.medusa.client import MedusaClient
from agent_desktop.server.medusa.config import MedusaConfigError, load_config
from agent_desktop.server.medusa.mapping import KIND
from agent_desktop.server.medusa.source import MedusaSource
from agent_desktop.server.medusa.sync import MedusaSync

log = logging.getLogger(__name__)

SYNC_JOB = "medusa-sync"  # cluster.JOBS


def install(app: FastAPI, ctx: ServerContext) -> None:
    try:
        config = load_config(ctx.config.settings.as_environ("medusa"))
    except MedusaConfigError as exc:
        log.error("The Medusa connector is off: %s", exc)
        return
    if config is None:
        return
    # One client: its connection pool serves the actions and the polling side by side.
    client = MedusaClient(config.url, config.api_key, timeout=config.timeout_seconds)
    ctx.order_sources[KIND] = MedusaSource(client, config)
    sync = MedusaSync(ctx, client, config)
    app.state.medusa = sync
    ctx.spawn(_keep_open(client), name="medusa-client")
    ctx.run_job(SYNC_JOB, sync.run)
    log.info("Medusa connector on: %s, polled every %.0f s", config.url, config.poll_seconds)


async def _keep_open(client: MedusaClient) -> None:
    """Holds the client until the server stops (this task is cancelled), then closes it."""
    try:
        await asyncio.Event().wait()
    finally:
        await client.aclose()
