"""Every error code the reference server can answer maps to a translated sentence in the client
(store/sentences.py), and the English sentences of the store and the connectors reach the French
interface in French."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.backends.base import AuthError, BackendError, NetworkError, ServerError
from agent_desktop.core.reply_window import ReplyNotAllowed, required_tag
from agent_desktop.store.sentences import BY_CODE, error_sentence
from agent_desktop.ui import i18n

ROOT = Path(__file__).resolve().parents[3]
SERVER = ROOT / "agent_desktop" / "server"
API_DOC = ROOT / "docs" / "API.md"


def _status_then_code(args: list[ast.expr]) -> set[str]:
    """In any call, a literal HTTP error status followed by a literal code:
    `_refusal(scope, 400, "too_deep", ...)`, `ApiError(409, "client_id_taken", ...)`."""
    found: set[str] = set()
    for status, code in itertools.pairwise(args):
        if (
            isinstance(status, ast.Constant)
            and type(status.value) is int
            and 400 <= status.value < 600
            and isinstance(code, ast.Constant)
            and isinstance(code.value, str)
            and re.fullmatch(r"[a-z_]+", code.value)
        ):
            found.add(code.value)
    return found


def documented_codes() -> set[str]:
    """The codes of the error table in docs/API.md (the contract)."""
    text = API_DOC.read_text(encoding="utf-8")
    section = text.split("\n## Errors", 1)[1].split("\n## ", 1)[0]
    codes: set[str] = set()
    for line in section.splitlines():
        cells = line.split("|")
        if len(cells) > 3 and not line.startswith("| status"):
            codes.update(re.findall(r"`([a-z_]+)`", cells[2]))
    return codes


def server_codes() -> set[str]:
    """The codes in the server's source: ApiError(status, "code", ...) and
    error_response(status, "code", ...) anywhere (and any call with a literal status then a
    literal code), the generic codes of errors.py (by status, and for FastAPI's validation
    errors), and the Messenger policy's refusals."""
    codes: set[str] = set()
    for path in SERVER.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            codes |= _status_then_code(node.args)
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if name in ("ApiError", "error_response") and len(node.args) >= 2:
                code = node.args[1]
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    codes.add(code.value)
            if name == "PolicyRefusal" and len(node.args) >= 2:
                code = node.args[1]
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    codes.add(code.value)
    errors = (SERVER / "errors.py").read_text(encoding="utf-8")
    codes.update(re.findall(r'^\s+\d{3}: "([a-z_]+)",$', errors, re.MULTILINE))
    codes.update(re.findall(r'return \d{3}, "([a-z_]+)",', errors))
    policy = (SERVER / "messenger" / "policy.py").read_text(encoding="utf-8")
    codes.update(re.findall(r'code: str = "([a-z_]+)"', policy))
    return codes


def test_every_code_the_server_can_answer_has_a_sentence() -> None:
    codes = server_codes()
    assert {"not_found", "window_closed", "invalid_request", "malformed_json"} <= codes
    assert len(codes) > 40  # the scan sees the server's codes
    assert sorted(codes - set(BY_CODE)) == []


def test_every_documented_code_has_a_sentence() -> None:
    documented = documented_codes()
    assert {"too_deep", "client_id_taken", "unavailable"} <= documented  # the table is read
    assert sorted(documented - set(BY_CODE)) == []


@pytest.fixture
def french(qapp: Any) -> Any:
    assert i18n.install(qapp, "fr")
    yield
    i18n.install(qapp, "en")


def test_errors_reach_the_french_interface_in_french(french: Any) -> None:
    refused = BackendError(
        "The customer's last message is more than 7 days old...", status=409, code="window_closed"
    )
    assert error_sentence(refused).startswith("Messenger n’accepte pas de réponse")
    # A code this client does not know: the sentence of its kind.
    assert error_sentence(AuthError("Token revoked.", code="some_new_code")).startswith(
        "Votre session a expiré"
    )
    assert error_sentence(NetworkError("Cannot reach the backend at x.")).startswith(
        "Le serveur est injoignable"
    )
    assert error_sentence(ServerError("boom")).startswith("Le serveur a échoué")
    with pytest.raises(ReplyNotAllowed) as closed:
        required_tag("closed", [])
    assert error_sentence(closed.value).startswith("Messenger n’accepte pas de réponse")


def test_in_english_the_errors_own_sentence_says_more(qapp: Any) -> None:
    i18n.install(qapp, "en")
    precise = BackendError("The limit must be between 1 and 200.", code="invalid_limit")
    assert error_sentence(precise) == "The limit must be between 1 and 200."
    assert error_sentence(RuntimeError("")) == "Something went wrong; the details are in the log."
