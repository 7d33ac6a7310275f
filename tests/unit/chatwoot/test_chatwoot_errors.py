"""Chatwoot's HTTP refusals become the Backend errors the Agent API connector raises for the same
status (backends.base.error_class), with Chatwoot's own sentence for a conflict or invalid input."""

from __future__ import annotations

import pytest

from agent_desktop.backends.base import (
    AuthError,
    BackendError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from agent_desktop.backends.chatwoot.http import error_for_status


@pytest.mark.parametrize(
    ("status", "cls", "as_status", "words"),
    [
        (401, AuthError, 401, "sign in again"),
        (403, ForbiddenError, 403, "role"),
        (404, NotFoundError, 404, "could not find"),
        (409, ConflictError, 409, "refused this change"),
        (400, ValidationError, 422, "as invalid"),
        (422, ValidationError, 422, "as invalid"),
        (429, RateLimitedError, 429, "rate-limiting"),
        (503, ServerError, 503, "failed to answer"),
        (418, BackendError, 418, "unexpected status (418)"),
    ],
)
def test_each_status_gives_its_error_and_sentence(
    status: int, cls: type[BackendError], as_status: int, words: str
) -> None:
    err = error_for_status(status, None)
    assert type(err) is cls
    assert err.status == as_status
    assert words in str(err)


@pytest.mark.parametrize("status", [400, 409, 422])
def test_chatwoots_own_reason_is_given_for_a_refusal(status: int) -> None:
    err = error_for_status(status, {"error": "Inbox is not a Messenger inbox"})
    assert str(err) == "Chatwoot says: Inbox is not a Messenger inbox."


def test_chatwoots_reason_is_not_shown_for_a_sign_in_refusal() -> None:
    err = error_for_status(401, {"error": "Invalid token"})
    assert str(err) == "Chatwoot refused your access token; please sign in again."
