"""Meta's webhook payload (`object: "page"`) turned into a flat, ordered list of typed events.

Handled: messages (text, attachments, quick replies, stickers in both shapes, an ad referral),
echoes, postbacks, referrals (messaging_referrals: a Click-to-Messenger ad or an m.me link),
deliveries, reads, standby entries, thread-control changes (Conversation Routing keeps the
handover shapes), and `changes` entries with the message_template_status_update field. Anything
else is skipped, never an error.

Stickers: until 1 June 2026 a sticker came as an "image" attachment with `sticker_id`; from then
a "sticker" attachment came beside it, and from 30 August 2026 only the "sticker" one (Messenger
Platform changelog, 1 June 2026). Either way one sticker becomes one attachment of kind
"sticker".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

# Freshness of deliveries. Meta retries a failed delivery for about 36 hours and a customer's
# message cannot be answered after 7 days: a message dated more than MAX_AGE ago is a replay or a
# bogus date, not a new message. One dated more than MAX_AHEAD in the future is dated at receipt.
MAX_AGE = timedelta(days=8)
MAX_AHEAD = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class InAttachment:
    kind: str  # image | file | video | audio | sticker | fallback ...
    url: str
    name: str = ""
    sticker_id: str | None = None


@dataclass(frozen=True, slots=True)
class InMessage:
    """A message in the thread: from the customer, or (is_echo) sent by the Page."""

    psid: str
    page_id: str
    at: datetime
    mid: str
    text: str = ""
    attachments: tuple[InAttachment, ...] = ()
    quick_reply_payload: str | None = None
    is_echo: bool = False
    app_id: str | None = None
    standby: bool = False  # received on the standby channel: another app owns the thread
    referral: dict[str, Any] | None = None  # Meta's referral object (the ad that brought them)


@dataclass(frozen=True, slots=True)
class InReferral:
    """The customer came (back) to the conversation through an ad or an m.me link."""

    psid: str
    page_id: str
    at: datetime
    referral: dict[str, Any]


@dataclass(frozen=True, slots=True)
class InTemplateStatus:
    """message_template_status_update: a template of the Page was approved, rejected..."""

    meta_id: str
    name: str
    language: str
    event: str
    reason: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class InDelivery:
    psid: str
    watermark: datetime
    mids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InRead:
    psid: str
    watermark: datetime


@dataclass(frozen=True, slots=True)
class InControl:
    """Thread control changed: `ours` is True when this app now owns the thread."""

    psid: str
    at: datetime
    ours: bool
    other_app_id: str | None = None


InEvent = InMessage | InDelivery | InRead | InControl | InReferral | InTemplateStatus


@dataclass(slots=True)
class ParsedPayload:
    events: list[InEvent] = field(default_factory=list)
    skipped: int = 0


def fresh_events(events: list[InEvent], now: datetime) -> tuple[list[InEvent], int]:
    """The events worth applying at `now`, and how many stale messages were left out (see
    MAX_AGE); messages from the future are dated `now`."""
    kept: list[InEvent] = []
    stale = 0
    for event in events:
        if isinstance(event, InMessage):
            if event.at < now - MAX_AGE:
                stale += 1
                continue
            if event.at > now + MAX_AHEAD:
                event = replace(event, at=now)
        kept.append(event)
    return kept, stale


def _time(ms: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(ms) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


def _id(obj: Any) -> str:
    return str(obj.get("id", "")) if isinstance(obj, dict) else ""


def parse_payload(body: Any, app_id: str | None = None) -> ParsedPayload:
    """Every event of a webhook body, in delivery order (entries, then items within each)."""
    out = ParsedPayload()
    if not isinstance(body, dict) or body.get("object") != "page":
        return out
    for entry in body.get("entry") or []:
        if not isinstance(entry, dict):
            out.skipped += 1
            continue
        page_id = str(entry.get("id", ""))
        for item in entry.get("messaging") or []:
            _parse_item(item, page_id, app_id, out, standby=False)
        for item in entry.get("standby") or []:
            _parse_item(item, page_id, app_id, out, standby=True)
        for change in entry.get("changes") or []:
            _parse_change(change, entry, out)
    return out


def _parse_change(change: Any, entry: dict[str, Any], out: ParsedPayload) -> None:
    if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
        out.skipped += 1
        return
    value = change["value"]
    if change.get("field") != "message_template_status_update" or not value.get("event"):
        out.skipped += 1
        return
    reason = value.get("reason")
    out.events.append(
        InTemplateStatus(
            meta_id=str(value.get("message_template_id") or ""),
            name=str(value.get("message_template_name") or ""),
            language=str(value.get("message_template_language") or ""),
            event=str(value["event"]).upper(),
            reason=str(reason) if reason not in (None, "", "NONE") else None,
            at=_time(entry.get("time")),
        )
    )


def _attachments(message: dict[str, Any]) -> tuple[InAttachment, ...]:
    """A message's attachments; a sticker sent in both shapes counts once."""
    found: list[InAttachment] = []
    stickers: set[str] = set()
    for att in message.get("attachments") or []:
        if not isinstance(att, dict):
            continue
        raw_payload = att.get("payload")
        payload: dict[str, Any] = raw_payload if isinstance(raw_payload, dict) else {}
        kind = str(att.get("type", "file"))
        sticker = payload.get("sticker_id")
        sticker_id = str(sticker) if sticker is not None else None
        url = str(payload.get("url") or "")
        if kind == "sticker" or sticker_id is not None:
            key = sticker_id or url
            if key in stickers:
                continue
            stickers.add(key)
            found.append(InAttachment("sticker", url, "sticker", sticker_id))
        elif url:
            found.append(InAttachment(kind, url, str(att.get("name") or "")))
    if not stickers and message.get("sticker_id") is not None:
        found.append(InAttachment("sticker", "", "sticker", str(message["sticker_id"])))
    return tuple(found)


def _referral(value: Any) -> dict[str, Any] | None:
    return dict(value) if isinstance(value, dict) and value else None


def _parse_item(
    item: Any, page_id: str, app_id: str | None, out: ParsedPayload, *, standby: bool
) -> None:
    if not isinstance(item, dict):
        out.skipped += 1
        return
    sender, recipient = _id(item.get("sender")), _id(item.get("recipient"))
    at = _time(item.get("timestamp"))
    message = item.get("message")
    if isinstance(message, dict) and message.get("mid"):
        echo = bool(message.get("is_echo"))
        psid = recipient if echo else sender
        quick = message.get("quick_reply")
        out.events.append(
            InMessage(
                psid=psid,
                page_id=page_id or (sender if echo else recipient),
                at=at,
                mid=str(message["mid"]),
                text=str(message.get("text") or ""),
                attachments=_attachments(message),
                quick_reply_payload=(
                    str(quick.get("payload")) if isinstance(quick, dict) else None
                ),
                is_echo=echo,
                app_id=str(message["app_id"]) if message.get("app_id") is not None else None,
                standby=standby,
                referral=None if echo else _referral(message.get("referral")),
            )
        )
        if standby and not echo:
            out.events.append(InControl(psid, at, ours=False))
        return
    postback = item.get("postback")
    if isinstance(postback, dict):
        mid = str(postback.get("mid") or f"postback:{sender}:{item.get('timestamp')}")
        text = str(postback.get("title") or postback.get("payload") or "")
        out.events.append(
            InMessage(
                sender,
                page_id,
                at,
                mid,
                text=text,
                quick_reply_payload=None,
                standby=standby,
                referral=_referral(postback.get("referral")),
            )
        )
        return
    referral = _referral(item.get("referral"))
    if referral is not None:
        out.events.append(InReferral(sender, page_id or recipient, at, referral))
        return
    delivery = item.get("delivery")
    if isinstance(delivery, dict):
        mids = tuple(str(m) for m in delivery.get("mids") or [])
        out.events.append(InDelivery(sender, _time(delivery.get("watermark")), mids))
        return
    read = item.get("read")
    if isinstance(read, dict):
        out.events.append(InRead(sender, _time(read.get("watermark"))))
        return
    passed = item.get("pass_thread_control")
    if isinstance(passed, dict):
        new_owner = str(passed.get("new_owner_app_id") or "")
        ours = app_id is None or not new_owner or new_owner == app_id
        out.events.append(
            InControl(sender, at, ours=ours, other_app_id=None if ours else new_owner)
        )
        return
    taken = item.get("take_thread_control")
    if isinstance(taken, dict):
        # Received by the app that lost control: another app now owns the thread.
        taker = str(taken.get("new_owner_app_id") or "") or None
        mine = app_id is not None and taker == app_id
        out.events.append(InControl(sender, at, ours=mine, other_app_id=None if mine else taker))
        return
    if standby:
        out.events.append(InControl(sender, at, ours=False))
        return
    out.skipped += 1
