"""The composer's line about the reply window: the standard window's time left (or the longer
window of a Click-to-Messenger ad), the Human Agent tag's, closed, read-only while another app
owns the conversation, or the bridge's reason. Its sentences keep the composer's translation
context ("ComposerPane")."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from agent_desktop.ui import fmt

if TYPE_CHECKING:
    from agent_desktop.core.types import ReplyWindow


def window_sentence(
    window: ReplyWindow, now: datetime, *, standby: bool, messenger_block: str | None
) -> str:
    """The sentence above the composer for `window` at `now` ("" when there is none)."""
    if messenger_block:
        return messenger_block
    if standby:
        return QCoreApplication.translate(
            "ComposerPane", "Another app is handling this conversation; read-only until it returns"
        )
    if window.state == "standard" and window.closes_at is not None:
        seconds = max(0.0, (window.closes_at - now).total_seconds())
        if seconds >= 24 * 3600:  # the longer window a Click-to-Messenger ad opens
            return QCoreApplication.translate("ComposerPane", "Ad window until %1").replace(
                "%1", fmt.weekday_time(window.closes_at)
            )
        if seconds >= 3600:
            left = QCoreApplication.translate("ComposerPane", "%1 h").replace(
                "%1", str(int(seconds // 3600))
            )
        else:
            left = QCoreApplication.translate("ComposerPane", "%1 min").replace(
                "%1", str(max(1, int(seconds // 60)))
            )
        return QCoreApplication.translate("ComposerPane", "Standard window, closes in %1").replace(
            "%1", left
        )
    if window.state == "human_agent" and window.closes_at is not None:
        return QCoreApplication.translate("ComposerPane", "Human agent tag until %1").replace(
            "%1", fmt.weekday_time(window.closes_at)
        )
    if window.state == "closed":
        return QCoreApplication.translate("ComposerPane", "Closed: the customer must write first")
    return ""
