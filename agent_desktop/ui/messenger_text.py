"""Messenger sentences in the interface's language: why a reply or an order update is blocked (by the
server's refusal code), who owns a conversation, the Page's sending state, template statuses and
purposes, and the names of the order values a template can hold.

The server sends a code with its English sentence; a code this client does not know shows the
server's sentence as it came.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from agent_desktop.ui import fmt

if TYPE_CHECKING:
    from agent_desktop.core.messenger_types import Block, Owner, PageSending


class MessengerText(QObject):
    """Every sentence here goes through tr() (context "MessengerText")."""

    def block(self, block: Block | None) -> str | None:
        """The full sentence for a refusal (a reply or an order update), or None."""
        if block is None:
            return None
        if block.code == "no_template" and block.params.get("kind") == "shipping_update":
            return self.tr(
                "The customer's last message is more than 24 hours old, and the Page has no "
                "approved utility template for shipping updates, so the update cannot be "
                "sent until a team lead adds one or the customer writes again."
            )
        sentences = {
            "not_messenger": self.tr(
                "This conversation did not come from Messenger, so nothing is sent through "
                "Messenger."
            ),
            "standby": self.tr(
                "Another app is handling this Messenger conversation right now; the Page can "
                "reply again once it passes the conversation back."
            ),
            "page_inbox": self.tr(
                "This Messenger conversation is being handled in the Page inbox (Meta Business "
                "Suite); you can reply from here again once it is passed back to this app."
            ),
            "never_wrote": self.tr(
                "The customer has never written to the Page, and Messenger does not let a Page "
                "start a conversation."
            ),
            "window_closed": self.tr(
                "The customer's last message is more than 7 days old, so Messenger no longer "
                "allows a reply; the conversation can continue when the customer writes again."
            ),
            "human_agent_not_granted": self.tr(
                "The customer's last message is more than 24 hours old, and the Page has not "
                "been granted Meta's Human Agent permission, so Messenger does not allow a reply "
                "until they write again."
            ),
            "human_agent_disabled": self.tr(
                "The customer's last message is more than 24 hours old and the HUMAN_AGENT tag "
                "is not enabled for this team, so Messenger does not allow a reply."
            ),
            "no_consent": self.tr(
                "The customer's last message is more than 24 hours old and they have not agreed "
                "to receive order updates on Messenger, so the update cannot be sent until they "
                "write again."
            ),
            "utility_not_granted": self.tr(
                "The customer's last message is more than 24 hours old, and the Page has not "
                "been granted the page_utility_messaging permission, so order updates cannot be "
                "sent until they write again."
            ),
            "no_template": self.tr(
                "The customer's last message is more than 24 hours old, and the Page has no "
                "approved utility template for order confirmations, so the update cannot be "
                "sent until a team lead adds one or the customer writes again."
            ),
        }
        return sentences.get(block.code, block.message)

    def window_line(self, block: Block | None, owner: Owner) -> str | None:
        """The composer's short line when a reply is blocked for a reason other than the time
        (who owns the conversation, a missing permission); None otherwise."""
        if owner.kind == "page_inbox" or (block is not None and block.code == "page_inbox"):
            return self.tr("In the Page inbox: read-only")
        if owner.kind == "app" or (block is not None and block.code == "standby"):
            return self.tr("Another app is handling this conversation; read-only until it returns")
        if block is not None and block.code == "human_agent_not_granted":
            return self.tr("Closed: no Human Agent permission")
        if block is not None and block.code == "human_agent_disabled":
            return self.tr("Closed: HUMAN_AGENT not enabled")
        return None

    def owner(self, owner: Owner) -> str:
        if owner.kind == "page_inbox":
            return self.tr("the Page inbox (Meta Business Suite)")
        if owner.kind == "app":
            if owner.app_id:
                return self.tr("another app (id %1)").replace("%1", owner.app_id)
            return self.tr("another app")
        return self.tr("this app")

    def page_banner(self, page: PageSending | None, now: datetime | None = None) -> str | None:
        """The banner's sentence while Meta has paused the Page's sends, or None."""
        if page is None or not page.paused:
            return None
        text = self.tr(
            "Messenger has temporarily restricted the Page from sending messages. Replies are "
            "kept and go out, in order, as soon as Meta lifts the restriction."
        )
        if page.next_attempt_at is not None:
            text += " " + self.tr("Next try at %1.").replace(
                "%1", fmt.time_of_day(page.next_attempt_at)
            )
        return text

    def status(self, status: str) -> str:
        return {
            "APPROVED": self.tr("Approved"),
            "PENDING": self.tr("Waiting for Meta's approval"),
            "REJECTED": self.tr("Rejected by Meta"),
            "PAUSED": self.tr("Paused by Meta"),
            "DISABLED": self.tr("Disabled by Meta"),
            "DELETED": self.tr("Deleted at Meta"),
            "IN_APPEAL": self.tr("In appeal"),
        }.get(status.upper(), status)

    def purpose(self, purpose: str) -> str:
        if purpose == "shipping_update":
            return self.tr("Shipping update")
        return self.tr("Order confirmation")

    def source(self, source: str) -> str:
        return self.tr("Meta's library") if source == "library" else self.tr("Written by the team")

    def language(self, code: str) -> str:
        lang = code.replace("-", "_").split("_")[0].lower()
        if lang == "fr":
            return self.tr("French")
        if lang == "en":
            return self.tr("English")
        return code

    def field(self, name: str) -> str:
        return {
            "order_number": self.tr("Order number"),
            "customer_name": self.tr("Customer's first name"),
            "carrier": self.tr("Carrier"),
            "tracking_url": self.tr("Tracking link"),
            "tracking_number": self.tr("Tracking number"),
            "eta": self.tr("Expected delivery date"),
            "order_total": self.tr("Order total"),
            "order_date": self.tr("Order date"),
        }.get(name, name)

    def referral(self, ad_title: str | None) -> str:
        if ad_title:
            return self.tr("Came from a Messenger ad: %1").replace("%1", ad_title)
        return self.tr("Came from a Messenger ad")


_TEXT: MessengerText | None = None


def messenger_text() -> MessengerText:
    """The one MessengerText (its sentences follow the installed translation when asked)."""
    global _TEXT
    if _TEXT is None:
        _TEXT = MessengerText()
    return _TEXT
