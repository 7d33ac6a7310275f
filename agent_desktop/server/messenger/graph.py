"""The bridge's client for Meta's Graph API: the Send API (replies, order messages, utility
messages), the user profile, attachment downloads, the Page's utility templates (Meta's library,
cloning, creating, listing, deleting) and the conversation's owner (Conversation Routing).

Rate limits (codes 4, 32, 613) and 5xx answers of a send are retried with exponential backoff;
10/1893063 (the Page is temporarily restricted from sending) is never retried here: it raises
`PageRestricted` and the bridge pauses every send of the Page. Every other error becomes a
`GraphError` whose text is a plain sentence for the agent. The Page token travels only in the
request URL and is never logged (see redact.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from agent_desktop.core.messenger_rules import PAGE_RESTRICTED
from agent_desktop.server.messenger.config import MessengerConfig
from agent_desktop.server.messenger.policy import SendDecision

log = logging.getLogger("agent_desktop.server.messenger")

RATE_LIMIT_CODES = frozenset({4, 32, 613})


class GraphError(Exception):
    """The Send API refused or could not be reached; `str(err)` is a sentence for the agent."""

    def __init__(
        self, sentence: str, *, code: int | None = None, subcode: int | None = None
    ) -> None:
        super().__init__(sentence)
        self.code = code
        self.subcode = subcode


class PageRestricted(GraphError):
    """10/1893063: Meta has temporarily restricted the Page from sending messages."""


def error_sentence(code: int | None, subcode: int | None, message: str = "") -> str:
    """Meta's error code and subcode as a sentence an agent understands."""
    if (code, subcode) == PAGE_RESTRICTED:
        return (
            "Messenger has temporarily restricted the Page from sending messages; sending is "
            "paused and starts again by itself once the restriction is lifted."
        )
    if subcode == 2018278 or (code == 10 and "window" in message.lower()):
        return "Messenger refused the message because it was sent outside the allowed reply window."
    if subcode == 2018065 or (code == 100 and "tag" in message.lower()):
        return "Messenger refused the message tag used for this message."
    if code == 551 or subcode == 1545041:
        return (
            "This person isn't available on Messenger right now (they may have blocked the Page "
            "or closed their account), so the message was not delivered."
        )
    if code in RATE_LIMIT_CODES:
        return (
            "Messenger is limiting how fast the Page may send; the message was not sent after "
            "several attempts."
        )
    if code == 190:
        return (
            "The Page access token is invalid or has expired; an administrator must reconnect "
            "the Page."
        )
    if code in (10, 200) or (code is not None and 200 <= code < 300):
        return "The Page is not allowed to send this message (missing Messenger permission)."
    if code == 2:
        return "Messenger had a temporary problem and did not send the message."
    if code is None:
        return "Messenger refused the message."
    return f"Messenger refused the message (error {code})."


@dataclass(frozen=True, slots=True)
class SendResult:
    recipient_id: str
    message_id: str


class GraphClient:
    """Sends through `{graph_url}/me/messages`, fetches profiles and downloads attachments."""

    def __init__(self, config: MessengerConfig, *, timeout: float = 15.0) -> None:
        self._config = config
        self._http = httpx.AsyncClient(timeout=timeout, follow_redirects=True)

    async def aclose(self) -> None:
        await self._http.aclose()

    def _token_params(self) -> dict[str, str]:
        if not self._config.page_token:
            raise GraphError(
                "No Page access token is configured, so the server cannot send on Messenger."
            )
        return {"access_token": self._config.page_token.reveal()}

    async def send(
        self,
        psid: str,
        message: dict[str, Any],
        decision: SendDecision,
        *,
        before_attempt: Callable[[], Awaitable[None]] | None = None,
    ) -> SendResult:
        """POST one message to the Send API, retrying rate limits and server errors; raises
        PageRestricted at once on 10/1893063 (a retry would only prolong the restriction)."""
        body: dict[str, Any] = {
            "recipient": {"id": psid},
            "messaging_type": decision.messaging_type,
            "message": message,
        }
        if decision.tag:
            body["tag"] = decision.tag
        url = f"{self._config.graph_url}/me/messages"
        attempts = self._config.max_attempts
        last_error: GraphError | None = None
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(self._config.retry_base_seconds * (2 ** (attempt - 1)))
            params = self._token_params()
            if before_attempt is not None:
                await before_attempt()  # the pacer: every call counts against Meta's rates
            try:
                response = await self._http.post(url, params=params, json=body)
            except httpx.TransportError as exc:
                # Only a failed connection is safe to retry: the request never reached Meta.
                if isinstance(exc, httpx.ConnectError):
                    last_error = GraphError(
                        "The server could not reach Messenger, so the message was not sent."
                    )
                    continue
                raise GraphError(
                    "The connection to Messenger broke while sending; the message may not have "
                    "been delivered."
                ) from None
            data = _json(response)
            if response.status_code < 300 and "message_id" in data:
                return SendResult(str(data.get("recipient_id", psid)), str(data["message_id"]))
            raw_error = data.get("error")
            error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
            code = _int(error.get("code"))
            subcode = _int(error.get("error_subcode"))
            sentence = error_sentence(code, subcode, str(error.get("message", "")))
            last_error = GraphError(sentence, code=code, subcode=subcode)
            log.warning(
                "Send API refused a message: status %s, code %s, subcode %s, trace %s",
                response.status_code,
                code,
                subcode,
                error.get("fbtrace_id"),
            )
            if (code, subcode) == PAGE_RESTRICTED:
                raise PageRestricted(sentence, code=code, subcode=subcode)
            if code in RATE_LIMIT_CODES or response.status_code >= 500:
                continue
            raise last_error
        assert last_error is not None
        if last_error.code is None and last_error.subcode is None:
            raise GraphError(
                "Messenger is unavailable right now; the message was not sent after several "
                "attempts."
            )
        raise last_error

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One Graph API request (not a send); its JSON object, or GraphError with a sentence."""
        url = path if path.startswith("http") else f"{self._config.graph_url}/{path.lstrip('/')}"
        query = {**(params or {}), **self._token_params()}
        try:
            response = await self._http.request(method, url, params=query, json=body)
        except httpx.HTTPError:
            raise GraphError("The server could not reach Messenger.") from None
        data = _json(response)
        if response.status_code < 300 and "error" not in data:
            return data
        raw_error = data.get("error")
        error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
        code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
        log.warning(
            "Graph API refused %s %s: status %s, code %s, subcode %s, trace %s",
            method,
            path.split("?")[0],
            response.status_code,
            code,
            subcode,
            error.get("fbtrace_id"),
        )
        detail = str(error.get("error_user_msg") or error.get("message") or "").strip()
        if code in (10, 200) or (code is not None and 200 <= code < 300):
            sentence = (
                "Meta refused: the app lacks a permission this needs (page_utility_messaging for "
                "templates)."
            )
        elif code == 190:
            sentence = error_sentence(code, subcode)
        else:
            sentence = "Meta refused the request" + (f": {detail}" if detail else ".")
            if not sentence.endswith((".", "!", "?")):
                sentence += "."
        raise GraphError(sentence, code=code, subcode=subcode)

    async def page(self) -> dict[str, Any]:
        """The Page behind the token: GET /me?fields=id,name."""
        return await self._call("GET", "me", params={"fields": "id,name"})

    async def template_library(
        self, *, search: str = "", language: str = "", topic: str = "ORDER_MANAGEMENT"
    ) -> list[dict[str, Any]]:
        """Meta's utility template library: GET /message_template_library."""
        params = {"topic": topic}
        if search:
            params["search"] = search
        if language:
            params["language"] = language
        data = await self._call("GET", "message_template_library", params=params)
        items = data.get("data")
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    async def create_template(self, page_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        """A Page-owned template, written or cloned from the library:
        POST /{page-id}/message_templates. Answers {"id", "status", "category"}."""
        return await self._call("POST", f"{page_id}/message_templates", body=payload)

    async def page_templates(self, page_id: str, *, limit: int = 500) -> list[dict[str, Any]]:
        """The Page's templates with their status: GET /{page-id}/message_templates (every
        page of results, up to `limit`)."""
        params = {
            "fields": "id,name,language,status,category,components,rejected_reason",
            "limit": "100",
        }
        out: list[dict[str, Any]] = []
        data = await self._call("GET", f"{page_id}/message_templates", params=params)
        while True:
            items = data.get("data")
            if isinstance(items, list):
                out.extend(i for i in items if isinstance(i, dict))
            paging = data.get("paging")
            nxt = paging.get("next") if isinstance(paging, dict) else None
            if not nxt or len(out) >= limit:
                return out[:limit]
            data = await self._call("GET", str(nxt))

    async def delete_template(self, page_id: str, name: str, meta_id: str) -> None:
        """One language of a template: DELETE /{page-id}/message_templates?name=&hsm_id=."""
        await self._call(
            "DELETE", f"{page_id}/message_templates", params={"name": name, "hsm_id": meta_id}
        )

    async def thread_owner(self, page_id: str, psid: str) -> str | None:
        """The app that owns a conversation (Conversation Routing):
        GET /{page-id}/thread_owner?recipient={psid}; None when it cannot be read."""
        try:
            data = await self._call("GET", f"{page_id}/thread_owner", params={"recipient": psid})
        except GraphError:
            return None
        for item in data.get("data") or []:
            owner = item.get("thread_owner") if isinstance(item, dict) else None
            if isinstance(owner, dict) and owner.get("app_id") is not None:
                return str(owner["app_id"])
        return None

    async def profile_name(self, psid: str) -> str | None:
        """The person's name from the user profile endpoint, or None if it is unavailable."""
        if not self._config.page_token:
            return None
        try:
            response = await self._http.get(
                f"{self._config.graph_url}/{psid}",
                params={"fields": "first_name,last_name,name", **self._token_params()},
            )
        except httpx.HTTPError:
            return None
        data = _json(response)
        if response.status_code >= 300:
            return None
        name = data.get("name") or " ".join(
            str(p) for p in (data.get("first_name"), data.get("last_name")) if p
        )
        return str(name).strip() or None

    async def download(self, url: str, max_bytes: int) -> tuple[bytes, str] | None:
        """The attachment's bytes and content type, or None if too large or unreachable."""
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code >= 300:
                    return None
                declared = _int(response.headers.get("content-length"))
                if declared is not None and declared > max_bytes:
                    return None
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        return None
                    chunks.append(chunk)
                mime = response.headers.get("content-type", "").split(";")[0].strip()
                return b"".join(chunks), mime
        except httpx.HTTPError:
            return None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
