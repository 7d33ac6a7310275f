"""Quick-reply variables translated between our syntax and Chatwoot's canned responses.

Ours are `{{customer.first_name}}`, `{{agent.name}}`...; Chatwoot's dashboard (`@chatwoot/utils`
canned.ts) and its server-side Liquid use `{{contact.first_name}}`, `{{agent.name}}`...
(FINDINGS.md §4). Variables with no counterpart are left as they are, and `unfillable_variables`
names ours that Chatwoot cannot fill, so the editor can warn.
"""

from __future__ import annotations

import re

# Our variable -> Chatwoot's. Chatwoot fills `agent.*` from the conversation's assignee (dashboard)
# or the sender (server Liquid); we fill it from the signed-in agent.
OURS_TO_CHATWOOT: dict[str, str] = {
    "customer.name": "contact.name",
    "customer.first_name": "contact.first_name",
    "customer.last_name": "contact.last_name",
    "customer.email": "contact.email",
    "customer.phone": "contact.phone",
    "customer.id": "contact.id",
    "agent.name": "agent.name",
    "agent.first_name": "agent.first_name",
    "agent.last_name": "agent.last_name",
    "agent.email": "agent.email",
    "thread.id": "conversation.id",
}
CHATWOOT_TO_OURS: dict[str, str] = {cw: ours for ours, cw in OURS_TO_CHATWOOT.items()}
# Chatwoot's server-side Liquid spells the phone `contact.phone_number`; read both.
CHATWOOT_TO_OURS["contact.phone_number"] = "customer.phone"

_VARIABLE = re.compile(r"\{\{(\s*)([^{}|\s]+)([^{}]*)\}\}")


def _translate(body: str, table: dict[str, str]) -> str:
    def swap(match: re.Match[str]) -> str:
        lead, name, rest = match.group(1), match.group(2), match.group(3)
        return "{{" + lead + table.get(name, name) + rest + "}}"

    return _VARIABLE.sub(swap, body)


def to_chatwoot(body: str) -> str:
    """Our template body with its variables in Chatwoot's names (unknown ones unchanged)."""
    return _translate(body, OURS_TO_CHATWOOT)


def from_chatwoot(body: str) -> str:
    """A canned response's content with its variables in our names (unknown ones unchanged)."""
    return _translate(body, CHATWOOT_TO_OURS)


def variables(body: str) -> list[str]:
    """The variable names in `body`, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _VARIABLE.finditer(body):
        seen.setdefault(match.group(2), None)
    return list(seen)


def unfillable_variables(body: str) -> list[str]:
    """Our variables in `body` (our syntax) that Chatwoot's dashboard and server cannot fill.

    Such a canned response still works in this client (which fills it from its own data), but an
    agent inserting it from Chatwoot's web dashboard sees the variable blanked out.
    """
    return [name for name in variables(body) if name not in OURS_TO_CHATWOOT]


def chatwoot_only_variables(body: str) -> list[str]:
    """Chatwoot variables in a canned response (Chatwoot syntax) that this client cannot fill."""
    return [name for name in variables(body) if name not in CHATWOOT_TO_OURS]
