"""What the agent reads when something fails, in the interface's language.

The connectors raise BackendError with the server's `code` and its English sentence (backends/
cannot translate: no Qt there). `error_sentence(exc)` turns an error into the sentence to show: the
translated sentence of its code (every code the reference server can answer has one, see
tests/unit/store/test_sentences.py), else the one of its kind; in English the error's own, more
precise sentence is kept (the server's names the field, the limit, the order).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from agent_desktop.backends.base import (
    AuthError,
    BackendError,
    ConflictError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    ValidationError,
)

CONTEXT = "ErrorSentence"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for translation in `context` (lupdate collects it); translated when shown."""
    return source


# The reference server's error codes (`{"error": {"code", "message"}}`) and the client's own.
BY_CODE: dict[str, str] = {
    # -- the request itself
    "bad_request": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server refused the request as malformed."
    ),
    "malformed_json": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server refused the request as malformed."
    ),
    "invalid_characters": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The request contains a character the server cannot store."
    ),
    "invalid_request": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server refused this request as invalid."
    ),
    "method_not_allowed": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server does not offer this action; it may be another version."
    ),
    "too_deep": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server refused the request: its data is nested too deeply."
    ),
    "too_large": QT_TRANSLATE_NOOP("ErrorSentence", "This is too large to send or to show."),
    "unsupported_media_type": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server does not accept this kind of file."
    ),
    "invalid_cursor": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The list changed while it was being read; it is loaded again."
    ),
    "invalid_limit": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server refused the page size asked for."
    ),
    "invalid_range": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The start of the period must come before its end."
    ),
    "invalid_before": QT_TRANSLATE_NOOP("ErrorSentence", "The older messages could not be found."),
    # -- signing in and rights
    "unauthorized": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Your session has expired or was revoked; please sign in again."
    ),
    "invalid_credentials": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The email or the password is not right."
    ),
    "too_many_attempts": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Too many failed sign-in attempts: wait a minute and try again."
    ),
    "too_many_requests": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Too many attempts; please wait a moment and try again."
    ),
    "forbidden": QT_TRANSLATE_NOOP("ErrorSentence", "Only a team lead can do this."),
    "not_found": QT_TRANSLATE_NOOP("ErrorSentence", "This item no longer exists on the server."),
    "conflict": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server refused this because of a conflict."
    ),
    # -- messages and Messenger
    "empty_text": QT_TRANSLATE_NOOP("ErrorSentence", "The message is empty."),
    "text_too_long": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The message is too long: Messenger accepts at most 2,000 characters."
    ),
    "window_closed": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "Messenger does not accept a reply in this conversation now; you can still add an "
        "internal note.",
    ),
    "reply_window_closed": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "Messenger does not accept a reply in this conversation now; you can still add an "
        "internal note.",
    ),
    "human_agent_not_allowed": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The customer's last message is more than 24 hours old and the HUMAN_AGENT tag is not "
        "allowed for this Page, so Messenger does not accept a reply.",
    ),
    "invalid_tag": QT_TRANSLATE_NOOP("ErrorSentence", "This message tag is not valid."),
    "tag_not_allowed": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Your team does not allow this message tag."
    ),
    "no_consent": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The customer has not agreed to receive order updates on Messenger; it can be sent once "
        "they write again.",
    ),
    "standby": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "Another app is handling this Messenger conversation; the Page can reply once it passes "
        "the conversation back.",
    ),
    "not_messenger": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "This conversation did not come from Messenger: order messages cannot be sent in it.",
    ),
    "unavailable": QT_TRANSLATE_NOOP(
        "ErrorSentence", "A part of the server is starting; try again in a moment."
    ),
    "unknown_message": QT_TRANSLATE_NOOP(
        "ErrorSentence", "That message is not in this conversation."
    ),
    "invalid_thread": QT_TRANSLATE_NOOP(
        "ErrorSentence", "That conversation is not with this order's customer."
    ),
    "invalid_status": QT_TRANSLATE_NOOP("ErrorSentence", "The server does not know this status."),
    "unknown_agent": QT_TRANSLATE_NOOP("ErrorSentence", "There is no such agent on the team."),
    "unknown_customer": QT_TRANSLATE_NOOP("ErrorSentence", "There is no such customer."),
    "receipt_mismatch": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The order receipt does not match the order."
    ),
    "not_shipped": QT_TRANSLATE_NOOP(
        "ErrorSentence", "This order has not shipped yet: there is no tracking."
    ),
    # -- Messenger as Meta runs it in 2026 (server/messenger/policy.py, templates.py)
    "never_wrote": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The customer has never written to the Page, and Messenger does not let a Page start "
        "a conversation.",
    ),
    "human_agent_not_granted": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The customer's last message is more than 24 hours old and Meta has not granted the "
        "Page the Human Agent permission, so Messenger does not accept a reply until they "
        "write again.",
    ),
    "human_agent_disabled": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The customer's last message is more than 24 hours old and the HUMAN_AGENT tag is not "
        "enabled for this team, so Messenger does not accept a reply.",
    ),
    "automated_outside_window": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The customer's last message is more than 24 hours old: only a person may answer now, "
        "so this automated message was not sent.",
    ),
    "page_inbox": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "This Messenger conversation is being handled in the Page inbox (Meta Business "
        "Suite); you can reply from here once it is passed back to this app.",
    ),
    "utility_not_granted": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "Meta has not granted the Page the page_utility_messaging permission, so order "
        "updates cannot be sent outside the 24-hour window.",
    ),
    "no_template": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The Page has no approved utility template for this order update; a team lead can add "
        "one in the Messenger dialog.",
    ),
    "window_passed": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The 24-hour window closed before this order update could go out; send it again to "
        "have it go as a utility message.",
    ),
    "template_gone": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The utility template chosen for this update is no longer approved, so it was not "
        "sent; send it again to use another approved template.",
    ),
    "missing_value": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The order lacks a value the utility template needs (a carrier or tracking link "
        "before it ships, for example).",
    ),
    "retired_tag": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "Meta has retired this message tag: Messenger refuses every message sent with it. "
        "Order updates outside the 24-hour window go as utility messages.",
    ),
    "invalid_template": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Meta would refuse this template: check its text and its order values."
    ),
    "invalid_template_name": QT_TRANSLATE_NOOP(
        "ErrorSentence", "A template name has lowercase letters, digits and underscores only."
    ),
    "unknown_field": QT_TRANSLATE_NOOP(
        "ErrorSentence", "This is not an order value a template can hold."
    ),
    "fields_mismatch": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Give one order value for each placeholder of the template."
    ),
    "template_exists": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The Page already has a template with this name in this language."
    ),
    "unknown_library_template": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Meta's library has no such template in this language."
    ),
    "meta_refused": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Meta refused the request; the details are in the server's log."
    ),
    # -- team settings and templates
    "invalid_shortcut": QT_TRANSLATE_NOOP(
        "ErrorSentence", "A shortcut is one word without spaces."
    ),
    "invalid_away": QT_TRANSLATE_NOOP("ErrorSentence", "An away period must end after it starts."),
    "unknown_variable": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The template uses a variable that does not exist."
    ),
    "invalid_intent": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server does not know this customer question."
    ),
    "intent_needs_team": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Only a team template can be suggested for a customer question."
    ),
    "invalid_language": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Return instructions are written per language, such as en or fr."
    ),
    "instructions_too_long": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The return instructions are too long."
    ),
    "invalid_target": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The response target must be between 1 second and 24 hours."
    ),
    "invalid_window": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The rolling window must be between 1 and 90 days."
    ),
    "invalid_refund_limit": QT_TRANSLATE_NOOP("ErrorSentence", "This refund limit is not valid."),
    # -- order actions
    "invalid_action": QT_TRANSLATE_NOOP("ErrorSentence", "This order action is not valid."),
    "invalid_currency": QT_TRANSLATE_NOOP(
        "ErrorSentence", "This currency does not match the order's."
    ),
    "order_state": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The order's current state does not allow this action."
    ),
    "action_in_progress": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The same action on this order is already under way; wait for its result."
    ),
    "not_in_progress": QT_TRANSLATE_NOOP("ErrorSentence", "This action has already ended."),
    "not_pending": QT_TRANSLATE_NOOP("ErrorSentence", "This action is not waiting for approval."),
    "nothing_to_move": QT_TRANSLATE_NOOP("ErrorSentence", "This order has nowhere further to go."),
    "client_id_taken": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "A colleague's message in this conversation already has this identifier; write it again.",
    ),
    "client_id_reused": QT_TRANSLATE_NOOP(
        "ErrorSentence", "This action was already sent for another order."
    ),
    # -- why a session ended (401; the same sentences as store/session_end.py)
    "session_expired": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "Your session has expired. Sign in again: your drafts and unsent replies are kept.",
    ),
    "password_reset": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "A team lead has reset your password, so you were signed out. Sign in with the new "
        "invitation code they give you: your drafts and unsent replies are kept.",
    ),
    "password_changed": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "Your password was changed on another computer. Sign in again with the new "
        "password: your drafts and unsent replies are kept.",
    ),
    "session_revoked": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "The server was restored from a backup. Sign in again: your drafts and unsent "
        "replies are kept.",
    ),
    "starting": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server is starting; try again in a moment."
    ),
    # -- the team's accounts
    "account_deactivated": QT_TRANSLATE_NOOP(
        "ErrorSentence", "This account has been deactivated: ask a team lead."
    ),
    "cannot_deactivate_self": QT_TRANSLATE_NOOP(
        "ErrorSentence", "You cannot deactivate your own account: ask another lead."
    ),
    "cannot_reset_self": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Change your own password under Account → Change password instead."
    ),
    "email_taken": QT_TRANSLATE_NOOP(
        "ErrorSentence", "There is already an account with this email address."
    ),
    "invalid_email": QT_TRANSLATE_NOOP(
        "ErrorSentence", "That is not an email address (name@example.com)."
    ),
    "invalid_name": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The name must not be empty, nor longer than 200 characters."
    ),
    "invalid_role": QT_TRANSLATE_NOOP("ErrorSentence", "A role is either agent or lead."),
    "invalid_invitation": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The email or the invitation code is not right."
    ),
    "invitation_expired": QT_TRANSLATE_NOOP(
        "ErrorSentence", "This code has expired: ask a team lead for a new one."
    ),
    "invitation_replaced": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "This code was replaced by a newer one: use the latest code a team lead gave you.",
    ),
    "invitation_used": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "This code was already used: sign in with your password, or ask a team lead for a new "
        "code.",
    ),
    "last_lead": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "This is the team's only active lead: make someone else a lead first.",
    ),
    "same_password": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The new password is the same as the current one."
    ),
    "weak_password": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "This password is too easy to guess: use at least 10 characters, not your name or email.",
    ),
    "wrong_password": QT_TRANSLATE_NOOP("ErrorSentence", "The current password is not right."),
    # -- the server failed
    "internal_error": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server failed to handle this request; try again later."
    ),
    # -- the client's own
    "unreachable": QT_TRANSLATE_NOOP(
        "ErrorSentence", "The server cannot be reached; check the address and your connection."
    ),
    "timeout": QT_TRANSLATE_NOOP("ErrorSentence", "The server did not answer in time."),
    "origin": QT_TRANSLATE_NOOP(
        "ErrorSentence", "An image from another site than your server was not loaded."
    ),
    "bad_url": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "This is not a server address; it should look like https://support.example.com.",
    ),
    "insecure_url": QT_TRANSLATE_NOOP(
        "ErrorSentence",
        "Plain http:// is refused for a server that is not this computer: your password and "
        "messages would travel unencrypted. Use https://.",
    ),
    "account_required": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Choose which Chatwoot account to work in."
    ),
    "mfa_required": QT_TRANSLATE_NOOP(
        "ErrorSentence", "Enter the code from your authenticator app to finish signing in."
    ),
}

# When the code says nothing this client knows: the kind of error.
BY_KIND: list[tuple[type[BackendError], str]] = [
    (AuthError, BY_CODE["unauthorized"]),
    (ForbiddenError, QT_TRANSLATE_NOOP("ErrorSentence", "You are not allowed to do this.")),
    (NotFoundError, BY_CODE["not_found"]),
    (ConflictError, BY_CODE["conflict"]),
    (ValidationError, BY_CODE["invalid_request"]),
    (RateLimitedError, BY_CODE["too_many_requests"]),
    (ServerError, QT_TRANSLATE_NOOP("ErrorSentence", "The server failed; please try again later.")),
    (NetworkError, BY_CODE["unreachable"]),
    (
        ProtocolError,
        QT_TRANSLATE_NOOP("ErrorSentence", "The server sent an answer this client cannot read."),
    ),
]


def translate(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def error_sentence(exc: BaseException) -> str:
    """The sentence to show for `exc` (see the module)."""
    own = str(exc)
    source = BY_CODE.get(str(getattr(exc, "code", "")))
    if source is None and isinstance(exc, BackendError):
        source = next((s for kind, s in BY_KIND if isinstance(exc, kind)), None)
    if source is None:
        return own or translate(SOMETHING_FAILED)
    translated = translate(source)
    if translated == source and own:
        return own  # English (or not translated): the error's own sentence says more
    return translated


SOMETHING_FAILED = QT_TRANSLATE_NOOP(
    "ErrorSentence", "Something went wrong; the details are in the log."
)
