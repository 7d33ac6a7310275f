"""The names of the customer questions a team template can answer (core.intents.TEMPLATE_INTENTS),
in the interface's language: the template editor's "Suggested for" list and the suggestion bar."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from agent_desktop.core.intents import TEMPLATE_INTENTS


def intent_name(intent: str) -> str:
    names = {
        "where_is_order": QCoreApplication.translate("Intents", "Where is my order"),
        "late_delivery": QCoreApplication.translate("Intents", "Late delivery"),
        "return_exchange": QCoreApplication.translate("Intents", "Return or exchange"),
        "damaged_wrong_item": QCoreApplication.translate("Intents", "Damaged or wrong item"),
        "cancel": QCoreApplication.translate("Intents", "Cancel the order"),
        "change_address": QCoreApplication.translate("Intents", "Change the address"),
        "refund_status": QCoreApplication.translate("Intents", "Refund status"),
        "thanks": QCoreApplication.translate("Intents", "Thanks, that's all"),
    }
    return names.get(intent, intent)


def all_intents() -> list[tuple[str, str]]:
    """(intent, name) for every intent a template can be marked for, in a stable order."""
    return [(i, intent_name(i)) for i in TEMPLATE_INTENTS]
