"""What a customer is asking, from the words of their message: a small rule-based matcher for the
questions shops get most, in French and English (no model, no network), and the order numbers
the message names.

Each intent has cues (phrases with a weight: 3 says it alone, 2 almost, 1 only helps) matched on
the message folded to lower case without accents. Masks hide cues where the words mean
something else ("I don't want to cancel", "merci de me dire", "back in stock"); a few intents
outrank others when both are present (a broken item the customer wants to send back is a
damaged item; a return waiting for its money is a refund); "thanks" counts only when nothing
else is asked; questions the matcher must leave alone (pre-sale, accounts, invoices) have cues
of their own, and when they weigh as much as the best intent nothing is suggested.

`match(text)` gives the intent, a confidence in [0, 1] (from the best score and its margin over
the next), and whether the customer says the delivery is late. What confidence is enough to
show a suggestion is measured on a labelled set (tests/data/intents.tsv, tests/bench/intents.py):
`SUGGESTION_THRESHOLD`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal, get_args

if TYPE_CHECKING:
    from types import ModuleType

__all__ = [
    "INTENTS",
    "SUGGESTION_THRESHOLD",
    "TEMPLATE_INTENTS",
    "Intent",
    "IntentMatch",
    "fold",
    "match",
    "order_references",
]

Intent = Literal[
    "where_is_order",
    "return_exchange",
    "damaged_wrong_item",
    "cancel",
    "change_address",
    "refund_status",
    "thanks",
]
INTENTS: Final[tuple[Intent, ...]] = get_args(Intent)
# What a team template can be marked for: the intents, and the late-delivery answer that replaces
# the where-is-my-order one when the expected date has passed.
TEMPLATE_INTENTS: Final[tuple[str, ...]] = (INTENTS[0], "late_delivery", *INTENTS[1:])

# Chosen by tests/bench/intents.py: the lowest confidence (in steps of 0.05) at which every
# intent's suggestions are right at least 95 % of the time on the labelled messages and on the
# held-out ones (90 % is required; the rest is a margin for messages unlike them). A single cue
# of weight 1 (0.29) is not enough, one of weight 2 without a rival (0.5) is. The figures are in
# docs/SUGGESTIONS.md; tests/unit/core/test_intents.py fails when the rules and this disagree.
SUGGESTION_THRESHOLD: Final[float] = 0.3


def fold(text: str) -> str:
    """Lower case, accents and ligatures removed, curly apostrophes straightened, spaces collapsed:
    "Où EST ma commande ?" → "ou est ma commande ?"."""
    text = text.replace("’", "'").replace("‘", "'").replace("œ", "oe").replace("Œ", "oe")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True, slots=True)
class IntentMatch:
    """What the matcher read in a message.

    `intent` is None when nothing is asked that the matcher knows (or the message is out of its
    scope); `confidence` is in [0, 1]; `late` is True when the customer says the delivery is
    late or overdue; `scores` are the weights found per intent (for the benchmark and tests).
    """

    intent: Intent | None
    confidence: float
    late: bool = False
    scores: Mapping[str, float] = field(default_factory=dict)

    def suggestible(self, threshold: float = SUGGESTION_THRESHOLD) -> bool:
        return self.intent is not None and self.confidence >= threshold


def cues() -> ModuleType:
    """core/intent_cues.py, imported on first use: it compiles some 300 regular expressions
    (tens of milliseconds), which the client's start does not need before its first paint (the
    window calls this once the first page is painted)."""
    from agent_desktop.core import intent_cues

    return intent_cues


def compile_cues() -> None:
    """Import (compile) the cues now: the window calls it once its first page is painted."""
    _screens()


def _masked(folded: str) -> list[tuple[int, int, tuple[str, ...]]]:
    spans = []
    for pattern, intents in cues().MASKS:
        for m in pattern.finditer(folded):
            spans.append((m.start(), m.end(), intents))
    return spans


def _hidden(
    intent: str, start: int, end: int, masks: list[tuple[int, int, tuple[str, ...]]]
) -> bool:
    return any(s < end and start < e and intent in intents for s, e, intents in masks)


@functools.cache
def _screens() -> dict[str, re.Pattern[str]]:
    """Per intent, one expression matching where any of its cues matches (their alternation).

    A search for it finds a match whenever one of the cues has one (at the first place one
    starts, some branch matches), so an intent whose screen finds nothing has no cue in the
    message and is left out unscored. Scanning a message once per intent instead of once per
    cue: ~1.6 ms → ~0.4 ms for five unanswered lines that name no intent (the live figure's
    open thread), less than half for ones that do (the cues of the intents found still run).
    """
    return {
        intent: re.compile("|".join(f"(?:{cue.pattern.pattern})" for cue in intent_cues))
        for intent, intent_cues in cues().CUES.items()
    }


def _score(folded: str) -> tuple[dict[str, float], bool]:
    """Per intent, the total weight of the cues found; and whether a cue said "late"."""
    masks: list[tuple[int, int, tuple[str, ...]]] | None = None  # read once a cue is found
    scores: dict[str, float] = {}
    late = False
    screens = _screens()
    for intent, intent_cues in cues().CUES.items():
        if screens[intent].search(folded) is None:
            continue
        total = 0.0
        for cue in intent_cues:
            for m in cue.pattern.finditer(folded):
                if masks is None:
                    masks = _masked(folded)
                if _hidden(intent, m.start(), m.end(), masks):
                    continue
                total += cue.weight
                late = late or cue.late
                break  # a cue counts once however often it appears
        if total:
            scores[intent] = total
    return scores, late


def confidence(best: float, runner_up: float) -> float:
    """From the best score and the next one: grows with the evidence, shrinks with a rival."""
    if best <= 0:
        return 0.0
    evidence: float = 1.0 - 0.5 ** (best / 2.0)
    margin = max(0.0, best - runner_up) / best
    return round(float(evidence * margin), 4)


def match(text: str) -> IntentMatch:
    """The intent of a customer's message (see the module docstring)."""
    folded = fold(text)
    if not folded:
        return IntentMatch(None, 0.0)
    raw, late = _score(folded)
    scores = dict(raw)
    data = cues()
    for first, second in data.OUTRANKS:
        ahead = scores.get(first, 0.0)
        if second in scores and ahead >= max(2.0, scores[second]):
            scores[second] *= data.OUTRANKED
    # "Thanks" only when nothing else is asked.
    if any(v >= 2 for k, v in scores.items() if k not in ("thanks", data.OUT_OF_SCOPE)):
        scores.pop("thanks", None)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked:
        return IntentMatch(None, 0.0, False, raw)
    (top, best), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    if top == data.OUT_OF_SCOPE:
        return IntentMatch(None, 0.0, False, raw)
    intent: Intent = top  # type: ignore[assignment]
    return IntentMatch(intent, confidence(best, runner_up), late and top == "where_is_order", raw)


# --- order numbers -------------------------------------------------------------------------

# A number the customer marks as an order's: "#1938", "n°1938", "no. 1938", "order 1938",
# "commande 1938", "order number 1938", "commande numéro 1938".
_MARKED = re.compile(
    r"(?:#|\bn[°o]\.?\s*|\bnum(?:ero|ber)?\.?\s*|\b(?:order|oder|commande|comande|cmd)"
    r"(?:\s+(?:number|no\.?|nr|numero|n°|#))?\s*[:#]?\s*)(\d{3,10})\b"
)
_NUMBER = re.compile(r"(?<![\d.,:/£$€-])\b(\d{3,10})\b(?![.,:/]\d|\s?(?:€|eur|£|\$|h\b|min\b))")


def order_references(text: str) -> tuple[list[str], list[str]]:
    """The numbers of a message that may be order numbers: (marked, bare).

    Marked numbers follow "#", "n°", "order", "commande"...; bare ones stand alone (prices,
    times and decimals left out). Neither is checked against the customer's orders here.
    """
    folded = fold(text)
    marked = list(dict.fromkeys(m.group(1) for m in _MARKED.finditer(folded)))
    bare = [
        n for n in dict.fromkeys(m.group(1) for m in _NUMBER.finditer(folded)) if n not in marked
    ]
    return marked, bare
