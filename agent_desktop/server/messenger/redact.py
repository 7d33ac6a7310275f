"""A logging filter that removes the bridge's secrets (tokens, app secret) from log records.

It is installed on the loggers that could print a Graph URL or a webhook query string (httpx,
httpcore, uvicorn's access log, the bridge's own), so a token in a URL never reaches a log file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_QUERY_SECRET = re.compile(r"(access_token|hub\.verify_token|appsecret_proof)=[^&\s\"']+")
LOGGERS = (
    "httpx",
    "httpcore.http11",
    "httpcore.connection",
    "uvicorn.access",
    "uvicorn.error",
    "agent_desktop.server.messenger",
)


def redact(text: str, secrets: Iterable[str]) -> str:
    text = _QUERY_SECRET.sub(r"\1=***", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message so no secret value or token query parameter survives."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__("messenger-redact")
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        cleaned = redact(message, self._secrets)
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        return True


def install(secrets: Iterable[str]) -> RedactingFilter:
    """Attach one filter to each logger that might carry a secret; returns it for removal."""
    flt = RedactingFilter(secrets)
    for name in LOGGERS:
        logging.getLogger(name).addFilter(flt)
    return flt


def uninstall(flt: RedactingFilter) -> None:
    for name in LOGGERS:
        logging.getLogger(name).removeFilter(flt)
