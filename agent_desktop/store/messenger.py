"""Messenger actions for the open conversation: the bridge's facts about the thread (why a reply or
an order message is blocked, who owns it, the ad that brought it) and sending a receipt or a
shipping update from the purchase history; and for everyone the Page's sending state (paused after
Meta's 10/1893063, the banner), and for team leads the Page's utility templates.

It follows a `ClientStore` (its open conversation, thread updates and the bridge's
`messenger.page` / `messenger.template` events) and asks the backend only when the backend has a
Messenger bridge (`backends.base.MessengerActions`, `MessengerAdmin`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from agent_desktop.backends.base import (
    BackendError,
    MessengerActions,
    MessengerAdmin,
    OrderMessageKind,
)
from agent_desktop.core.reply_window import ReplyNotAllowed, reply_window, required_tag
from agent_desktop.store.sentences import error_sentence
from agent_desktop.store.signals import disconnect_all
from agent_desktop.store.tasks import BackgroundTasks

if TYPE_CHECKING:  # the Messenger's models (pydantic) come with its first answer or event
    from agent_desktop.core.messenger_types import (
        LibraryTemplate,
        MessengerPage,
        MessengerState,
        PageSending,
        Permissions,
        TemplateClone,
        UtilityTemplate,
    )
    from agent_desktop.core.order_types import Order
    from agent_desktop.core.rows import MessageRow, ThreadRow
    from agent_desktop.core.types import Message
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.store.connection import ConnectionInfo
    from agent_desktop.store.conversation import Conversation

log = logging.getLogger(__name__)

ORDER_KIND_OF_EVENT: dict[str, OrderMessageKind] = {
    "placed": "receipt",
    "shipped": "shipping_update",
}
_NO_RECEIPT = ("cancelled", "refunded", "returned")


def order_message_kind(order: Order) -> OrderMessageKind | None:
    """What "Send order status" sends for `order`: a shipping update once a parcel exists, a
    receipt for a confirmed order not shipped yet, nothing for a cancelled or refunded one."""
    if order.status in _NO_RECEIPT:
        return None
    if order.shipment is not None:
        return "shipping_update"
    return "receipt"


class MessengerStore(QObject):
    """The Messenger side of the open conversation.

    Signals:
      stateChanged(object)            MessengerState of the open thread, or None (bridge off, no
                                      thread open, not loaded yet)
      orderMessageSent(str, object)   order id, the stored Message (its card arrives in the
                                      conversation through the event stream as well)
      orderMessageFailed(str, str)    order id, the server's reason (a sentence)
      busyChanged(str, bool)          order id, whether its order message is being sent
      pageChanged(object)             PageSending of the Page (None: no bridge, or not known yet)
      permissionsChanged(object)      Permissions Meta granted the Page (Human Agent, utility)
      templatesChanged(list)          the Page's utility templates (UtilityTemplate), live
    """

    stateChanged = Signal(object)
    orderMessageSent = Signal(str, object)
    orderMessageFailed = Signal(str, str)
    busyChanged = Signal(str, bool)
    pageChanged = Signal(object)
    permissionsChanged = Signal(object)
    templatesChanged = Signal(list)

    def __init__(self, client: ClientStore, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else client)
        self.client = client
        self.thread_id: str | None = None
        self.state: MessengerState | None = None
        self.sending: set[str] = set()
        self._resent: set[str] = set()
        self.tasks = BackgroundTasks(client.errorOccurred.emit)
        self._generation = 0
        self._seen: ThreadRow | None = None  # the open thread as its facts were last asked for
        # The server answered that it has no bridge (404): a change of the open thread does not
        # ask again (that was one request per live message); another thread or a reconnection
        # (a restarted server may have its bridge on) does.
        self._no_bridge = False
        self._connected = client.connection.state == "live"
        self._stopped = False
        self.page: PageSending | None = None
        self.permissions: Permissions | None = None
        self.templates: list[UtilityTemplate] = []
        self._templates_loaded = False
        client.conversationOpened.connect(self.on_client_conversationOpened)
        client.threadsChanged.connect(self.on_client_threadsChanged)
        # The Page's sending state comes with every thread's facts and, live, with the
        # messenger.page event (missed ones are replayed after a reconnection).
        client.extensionEvent.connect(self.on_client_extensionEvent)
        client.connectionChanged.connect(self.on_client_connectionChanged)
        if client.conversation is not None:
            self.follow(client.conversation.thread_id)

    @property
    def actions(self) -> MessengerActions | None:
        """The backend's Messenger actions, or None when it has no bridge at all."""
        backend = self.client.backend
        return backend if isinstance(backend, MessengerActions) else None

    @property
    def admin(self) -> MessengerAdmin | None:
        """The backend's Page state and template management, or None."""
        backend = self.client.backend
        return backend if isinstance(backend, MessengerAdmin) else None

    # -- the Page: sending state (the banner) and utility templates ---------------------------

    def refresh_page(self) -> asyncio.Task[Any] | None:
        if self.admin is None:
            return None
        return self._spawn(self.load_page(), "messenger-page")

    async def load_page(self) -> MessengerPage | None:
        """The Page's sending state, permissions and rules (None: the backend has no bridge)."""
        admin = self.admin
        if admin is None:
            return None
        found = await admin.messenger_page()
        if found is None:
            self._set_page(None)
            return None
        self._set_permissions(found.permissions)
        self._set_page(found.page)
        return found

    def _set_permissions(self, permissions: Permissions) -> None:
        if permissions != self.permissions:
            self.permissions = permissions
            self.permissionsChanged.emit(permissions)

    def _set_page(self, page: PageSending | None) -> None:
        if page != self.page:
            self.page = page
            self.pageChanged.emit(page)

    def on_client_extensionEvent(self, name: str, data: object) -> None:
        import pydantic

        from agent_desktop.core.messenger_types import PageSending, UtilityTemplate

        payload = data if isinstance(data, dict) else {}
        try:
            if name == "messenger.page" and isinstance(payload.get("page"), dict):
                self._set_page(PageSending.model_validate(payload["page"]))
                if self.thread_id is not None:
                    self.refresh()  # the open thread's facts carry the page state too
            elif name == "messenger.template":
                raw = payload.get("template")
                template = UtilityTemplate.model_validate(raw) if raw is not None else None
                self._apply_template(str(payload.get("id") or ""), template)
        except pydantic.ValidationError:
            log.warning("Skipped a malformed %s event", name)

    def _apply_template(self, template_id: str, template: UtilityTemplate | None) -> None:
        kept = [t for t in self.templates if t.id != template_id]
        if template is not None:
            kept.append(template)
            kept.sort(key=lambda t: (t.name, t.language))
        self.templates = kept
        self.templatesChanged.emit(list(kept))
        if self.thread_id is not None:
            self.refresh()  # an approved (or withdrawn) template changes "Send order status"

    async def load_templates(self) -> list[UtilityTemplate]:
        admin = self.admin
        if admin is None:
            return []
        self.templates = await admin.utility_templates()
        self._templates_loaded = True
        self.templatesChanged.emit(list(self.templates))
        return self.templates

    async def library(self, search: str = "", language: str = "") -> list[LibraryTemplate]:
        admin = self.admin
        return [] if admin is None else await admin.template_library(search, language)

    async def clone(self, clone: TemplateClone) -> list[UtilityTemplate]:
        admin = self.admin
        if admin is None:
            return []
        made = await admin.clone_utility_template(clone)
        for template in made:
            self._apply_template(template.id, template)
        return made

    async def write(
        self, *, name: str, purpose: str, bodies: dict[str, str]
    ) -> list[UtilityTemplate]:
        admin = self.admin
        if admin is None:
            return []
        made = await admin.write_utility_template(name=name, purpose=purpose, bodies=bodies)
        for template in made:
            self._apply_template(template.id, template)
        return made

    async def delete(self, template_id: str) -> None:
        admin = self.admin
        if admin is not None:
            await admin.delete_utility_template(template_id)
            self._apply_template(template_id, None)

    async def refresh_templates(self) -> list[UtilityTemplate]:
        admin = self.admin
        if admin is None:
            return []
        self.templates = await admin.refresh_utility_templates()
        self.templatesChanged.emit(list(self.templates))
        return self.templates

    async def resume(self) -> PageSending | None:
        admin = self.admin
        if admin is None:
            return None
        page = await admin.resume_sending()
        self._set_page(page)
        return page

    # -- following the open thread ----------------------------------------------------------

    def on_client_conversationOpened(self, conversation: Conversation | None) -> None:
        self.follow(conversation.thread_id if conversation is not None else None)

    def on_client_threadsChanged(self, ids: list[str]) -> None:
        # A window change, a handover (standby) or a new customer message changes the facts; a
        # read mark changes the thread's unread count alone (and comes twice: the answer to the
        # agent's read, then its event), which the facts do not depend on.
        if self.thread_id is None or self.thread_id not in ids or self._no_bridge:
            return
        thread = self.client.threads.get(self.thread_id)
        seen, self._seen = self._seen, thread
        if (
            thread is not None
            and seen is not None
            and dataclasses.replace(seen, unread=thread.unread) == thread
        ):
            return
        self.refresh()

    def on_client_connectionChanged(self, info: ConnectionInfo) -> None:
        if info.state != "live":
            self._connected = False
            return
        if not self._connected and self._no_bridge:
            self.refresh()  # back after a break: the server may have been restarted with a bridge
        self._connected = True

    def follow(self, thread_id: str | None) -> None:
        """Show `thread_id`'s facts from now on (None: no thread)."""
        if thread_id == self.thread_id:
            return
        self.thread_id = thread_id
        self._seen = self.client.threads.get(thread_id) if thread_id is not None else None
        self._set_state(None)
        if thread_id is not None:
            self.refresh()

    def refresh(self) -> asyncio.Task[Any] | None:
        """Ask the backend again for the open thread's facts (in the background)."""
        if self.thread_id is None or self.actions is None:
            return None
        self._generation += 1
        return self._spawn(self.load(self.thread_id, self._generation), "messenger-state")

    async def load(self, thread_id: str, generation: int | None = None) -> MessengerState | None:
        """Fetch the facts of `thread_id`; they are shown only if it is still the open thread
        and no newer request was made meanwhile."""
        actions = self.actions
        if actions is None:
            return None
        state = await actions.messenger_state(thread_id)
        self._no_bridge = state is None
        current = generation is None or generation == self._generation
        if thread_id == self.thread_id and current:
            self._set_state(state)
            if state is not None:
                self._set_permissions(state.permissions)
                self._set_page(state.page)
        return state

    def _set_state(self, state: MessengerState | None) -> None:
        if state != self.state or state is None:
            self.state = state
            self.stateChanged.emit(state)

    # -- sending ------------------------------------------------------------------------------

    def send_order_status(self, order: Order) -> asyncio.Task[Any] | None:
        """Send the order message `order_message_kind` picks, in the background."""
        kind = order_message_kind(order)
        if kind is None or self.thread_id is None:
            return None
        return self._spawn(self.send_order_message(self.thread_id, order.id, kind), "order-status")

    async def send_order_message(
        self, thread_id: str, order_id: str, kind: OrderMessageKind
    ) -> Message | None:
        """Send once (a click while it is on its way is ignored); a refusal is reported through
        `orderMessageFailed` with the server's sentence, and the facts are fetched again."""
        actions = self.actions
        if actions is None or order_id in self.sending:
            return None
        self.sending.add(order_id)
        self.busyChanged.emit(order_id, True)
        try:
            message = await actions.send_order_message(
                thread_id, order_id=order_id, kind=kind, client_id=str(uuid.uuid4())
            )
        except BackendError as exc:
            self.orderMessageFailed.emit(order_id, error_sentence(exc))
            if exc.status in (404, 409):
                self.refresh()
            return None
        finally:
            self.sending.discard(order_id)
            self.busyChanged.emit(order_id, False)
        conversation = self.client.conversation
        if conversation is not None and conversation.thread_id == message.thread_id:
            conversation.upsert_message(message)
        self.orderMessageSent.emit(order_id, message)
        return message

    def was_resent(self, message_id: str) -> bool:
        """True once a failed message has been sent again (each is resent once)."""
        return message_id in self._resent

    def resend(self, message: Message | MessageRow) -> asyncio.Task[Any] | None:
        """Send again a message the server stored but Messenger refused (delivery "failed"): an
        order message as a new order message, a reply as a new reply with the tag the window
        needs now. Each failed message is resent once; returns None when nothing is sent."""
        if message.delivery != "failed" or message.id in self._resent:
            return None
        if message.kind == "order_event":
            kind = ORDER_KIND_OF_EVENT.get(message.order_event or "")
            if kind is None or not message.order_id:
                return None
            self._resent.add(message.id)
            return self._spawn(
                self.send_order_message(message.thread_id, message.order_id, kind), "order-resend"
            )
        if message.author.kind != "agent" or message.kind == "note" or not message.text:
            return None
        thread = self.client.threads.get(message.thread_id)
        window = reply_window(
            thread.last_customer_message_at if thread else None,
            self.client.now(),
            thread.standard_window_until if thread else None,
        )
        try:
            tag = required_tag(window.state, self.client.settings.allowed_tags)
        except ReplyNotAllowed as exc:
            self.client.errorOccurred.emit(error_sentence(exc))
            return None
        self._resent.add(message.id)
        return self._spawn(
            self.client.send(message.thread_id, message.text, kind="reply", tag=tag), "resend"
        )

    # -- tasks --------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any] | None:
        if self._stopped:
            coro.close()
            return None
        return self.tasks.start(coro, name)

    def run(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any] | None:
        """Run a Messenger action in the background (the interface's buttons); a failure is
        reported through the client store's errorOccurred, as a sentence."""
        return self._spawn(coro, name)

    def running(self) -> int:
        return self.tasks.running()

    def stop(self) -> None:
        """Stop following the client store (it is being detached or closed); cancel requests."""
        if self._stopped:
            return
        self._stopped = True
        disconnect_all(
            [
                (self.client.conversationOpened, self.on_client_conversationOpened),
                (self.client.threadsChanged, self.on_client_threadsChanged),
                (self.client.extensionEvent, self.on_client_extensionEvent),
            ]
        )
        self.tasks.cancel()

    async def close(self) -> None:
        """Cancel what is still running."""
        await self.tasks.cancel_all()
