"""The labelled customer messages of tests/data/ (see its README) and how the intent matcher is
scored on them: shared by the matcher's test and its benchmark (tests/bench/intents.py)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from agent_desktop.core.intents import INTENTS, IntentMatch, match

DATA = Path(__file__).resolve().parents[1] / "data"
LABELLED = DATA / "intents.tsv"
HOLDOUT = DATA / "intents_holdout.tsv"


@dataclass(frozen=True)
class Example:
    intent: str  # one of INTENTS or "none"
    lang: str
    order: str  # the order number the customer names, digits only ("" when none)
    text: str


def load(path: Path) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = [Example(r["intent"], r["lang"], r["order"] or "", r["text"]) for r in rows]
    unknown = {e.intent for e in out} - {*INTENTS, "none"}
    if unknown:
        raise ValueError(f"{path}: unknown intents {sorted(unknown)}")
    return out


@dataclass
class Scores:
    intent: str
    support: int = 0  # labelled messages of this intent
    shown: int = 0  # suggestions of this intent shown
    right: int = 0  # shown and right

    @property
    def precision(self) -> float | None:
        return self.right / self.shown if self.shown else None

    @property
    def recall(self) -> float:
        return self.right / self.support if self.support else 0.0


def evaluate(
    examples: list[Example], threshold: float, matches: list[IntentMatch] | None = None
) -> dict[str, Scores]:
    """Per intent: how many suggestions a threshold shows, and how many are right. A suggestion
    shown for the wrong intent (or for an out-of-scope message) counts against its intent."""
    matches = matches if matches is not None else [match(e.text) for e in examples]
    out = {i: Scores(i) for i in INTENTS}
    for example, m in zip(examples, matches, strict=True):
        if example.intent in out:
            out[example.intent].support += 1
        if m.intent is not None and m.confidence >= threshold:
            s = out[m.intent]
            s.shown += 1
            if m.intent == example.intent:
                s.right += 1
    return out


def lowest_threshold(sets: list[list[Example]], precision: float) -> float:
    """The lowest threshold (in steps of 0.05) where every intent shown has a precision of at
    least `precision` on each of `sets`."""
    matched = [(examples, [match(e.text) for e in examples]) for examples in sets]
    for step in range(0, 101, 5):
        t = step / 100
        if all(
            s.precision is None or s.precision >= precision
            for examples, matches in matched
            for s in evaluate(examples, t, matches).values()
        ):
            return t
    return 1.0
