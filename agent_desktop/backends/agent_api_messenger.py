"""The Agent API's Messenger endpoints (reference server only): a thread's Messenger facts, order
messages (`base.MessengerActions`), and the Page's sending state and utility templates for a team
lead (`base.MessengerAdmin`). `AgentApiBackend` inherits them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_desktop.backends.agent_api_client import AgentApiClient
from agent_desktop.backends.agent_api_http import API, parse_list, parse_model, seg, unwrap
from agent_desktop.backends.base import NotFoundError, OrderMessageKind, ProtocolError
from agent_desktop.core.types import Message

if TYPE_CHECKING:  # the Messenger's models (pydantic) are imported with its first answer
    from agent_desktop.core.messenger_types import (
        LibraryTemplate,
        MessengerPage,
        MessengerState,
        PageSending,
        TemplateClone,
        UtilityTemplate,
    )


def messenger_state_from(body: Any, thread_id: str) -> MessengerState:
    """Validate `GET /threads/{id}/messenger`; anything malformed is a ProtocolError."""
    if not isinstance(body, dict):
        raise ProtocolError("The backend sent malformed Messenger details.", code="malformed")
    from agent_desktop.core.messenger_types import MessengerState

    body = {"thread_id": thread_id, **body}
    if body.get("reply_window") is None:
        body["reply_window"] = {}
    return parse_model(MessengerState, body, what="Messenger details")


def _utility_templates(body: Any) -> list[UtilityTemplate]:
    from agent_desktop.core.messenger_types import UtilityTemplate

    return parse_list(UtilityTemplate, body, what="utility templates", key="items")


class MessengerEndpoints(AgentApiClient):
    """The Messenger bridge's endpoints of the Agent API connector."""

    async def messenger_state(self, thread_id: str) -> MessengerState | None:
        """The thread's Messenger facts (`GET /threads/{id}/messenger`); None when the server's
        bridge is off (it answers 404 for every bridge address then)."""
        try:
            body = await self._request("GET", f"{API}/threads/{seg(thread_id)}/messenger")
        except NotFoundError:
            return None
        return messenger_state_from(body, thread_id)

    async def send_order_message(
        self, thread_id: str, *, order_id: str, kind: OrderMessageKind, client_id: str
    ) -> Message:
        """Send a receipt or a shipping update (`POST /threads/{id}/order-messages`). Retried
        like a reply: the server deduplicates on `client_id`. 409 and 422 carry its sentence."""
        body = await self._request(
            "POST",
            f"{API}/threads/{seg(thread_id)}/order-messages",
            json_body={"client_id": client_id, "order_id": order_id, "kind": kind},
            idempotent=True,
        )
        return parse_model(Message, unwrap(body, "message"), what="order message")

    # -- the Page's sending state and utility templates (base.MessengerAdmin) -----------------

    async def messenger_page(self) -> MessengerPage | None:
        try:
            body = await self._request("GET", f"{API}/messenger")
        except NotFoundError:
            return None
        from agent_desktop.core.messenger_types import MessengerPage

        return parse_model(MessengerPage, body, what="Messenger page")

    async def utility_templates(self) -> list[UtilityTemplate]:
        body = await self._request("GET", f"{API}/messenger/templates")
        return _utility_templates(body)

    async def template_library(self, search: str = "", language: str = "") -> list[LibraryTemplate]:
        body = await self._request(
            "GET",
            f"{API}/messenger/template-library",
            params={"search": search or None, "language": language or None},
        )
        from agent_desktop.core.messenger_types import LibraryTemplate

        return parse_list(LibraryTemplate, body, what="template library", key="items")

    async def clone_utility_template(self, clone: TemplateClone) -> list[UtilityTemplate]:
        body = await self._request(
            "POST",
            f"{API}/messenger/templates",
            json_body={
                "name": clone.name,
                "purpose": clone.purpose,
                "library_template_name": clone.library_name,
                "language": clone.language,
                "fields": clone.fields,
            },
            idempotent=False,
        )
        return _utility_templates(body)

    async def write_utility_template(
        self, *, name: str, purpose: str, bodies: dict[str, str]
    ) -> list[UtilityTemplate]:
        body = await self._request(
            "POST",
            f"{API}/messenger/templates",
            json_body={"name": name, "purpose": purpose, "bodies": bodies},
            idempotent=False,
        )
        return _utility_templates(body)

    async def delete_utility_template(self, template_id: str) -> None:
        await self._request("DELETE", f"{API}/messenger/templates/{seg(template_id)}")

    async def refresh_utility_templates(self) -> list[UtilityTemplate]:
        body = await self._request("POST", f"{API}/messenger/templates/refresh", idempotent=True)
        return _utility_templates(body)

    async def resume_sending(self) -> PageSending:
        body = await self._request("POST", f"{API}/messenger/resume", idempotent=True)
        from agent_desktop.core.messenger_types import PageSending

        return parse_model(PageSending, unwrap(body, "page"), what="Messenger page")
