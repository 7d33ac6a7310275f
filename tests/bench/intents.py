#!/usr/bin/env python3
"""The intent matcher measured on the labelled customer messages (tests/data/intents.tsv and the
held-out tests/data/intents_holdout.tsv): precision and recall per intent, at the threshold the
client uses and across thresholds, and the threshold this measurement supports.

    python tests/bench/intents.py [--json] [--sweep]

A suggestion is shown when the matcher's confidence reaches the threshold; a shown suggestion
for the wrong intent is a false positive of that intent (a wrong suggestion costs more than
none), and a message of an intent left without a suggestion (or given another) a miss. Suggestions
must be right at least `--precision` of the time (0.9) for every intent shown, on both sets.
The threshold the client uses is the lowest (in steps of 0.05) where every intent is right at
least `--choose` of the time (0.95) on both sets: a margin for messages unlike these.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENV_PY = ROOT / ".venv" / "bin" / "python"

try:
    import babel  # noqa: F401  (the project's dependencies are installed)
except ImportError:
    if VENV_PY.exists() and Path(sys.executable).resolve() != VENV_PY.resolve():
        os.execv(str(VENV_PY), [str(VENV_PY), __file__, *sys.argv[1:]])
    raise

sys.path.insert(0, str(ROOT))

from agent_desktop.core.intents import (  # noqa: E402
    INTENTS,
    SUGGESTION_THRESHOLD,
    match,
    order_references,
)
from tests.helpers.intent_data import (  # noqa: E402
    HOLDOUT,
    LABELLED,
    Example,
    Scores,
    evaluate,
    load,
    lowest_threshold,
)


def order_accuracy(examples: list[Example]) -> tuple[int, int, int]:
    """(named, found first among the marked or bare numbers, stray marked numbers where none is
    named)."""
    named = found = stray = 0
    for e in examples:
        marked, bare = order_references(e.text)
        if e.order:
            named += 1
            if (marked or bare)[:1] == [e.order]:
                found += 1
        elif marked:
            stray += 1
    return named, found, stray


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(title: str, scores: dict[str, Scores], examples: list[Example]) -> str:
    lines = [
        f"{title} ({len(examples)} messages: "
        f"{sum(e.lang == 'en' for e in examples)} English, "
        f"{sum(e.lang == 'fr' for e in examples)} French, "
        f"{sum(e.intent == 'none' for e in examples)} out of scope)",
        "| intent | messages | suggestions shown | right | precision | recall |",
        "|---|---|---|---|---|---|",
    ]
    for s in scores.values():
        lines.append(
            f"| {s.intent} | {s.support} | {s.shown} | {s.right} | {fmt(s.precision)} | "
            f"{fmt(s.recall)} |"
        )
    shown = sum(s.shown for s in scores.values())
    right = sum(s.right for s in scores.values())
    support = sum(s.support for s in scores.values())
    lines.append(
        f"| all | {support} | {shown} | {right} | {fmt(right / shown if shown else None)} | "
        f"{fmt(right / support if support else None)} |"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="precision/recall per threshold")
    parser.add_argument("--precision", type=float, default=0.9)
    parser.add_argument("--choose", type=float, default=0.95)
    args = parser.parse_args(argv)
    labelled = load(LABELLED)
    holdout = load(HOLDOUT) if HOLDOUT.exists() else []
    started = time.perf_counter()
    matches = [match(e.text) for e in labelled]
    per_message_us = (time.perf_counter() - started) / len(labelled) * 1e6
    sets = [labelled, holdout] if holdout else [labelled]
    bare = lowest_threshold(sets, args.precision)
    chosen = lowest_threshold(sets, args.choose)
    at = evaluate(labelled, SUGGESTION_THRESHOLD, matches)
    held = evaluate(holdout, SUGGESTION_THRESHOLD) if holdout else {}
    named, found, stray = order_accuracy(labelled + holdout)
    ok = all(
        s.precision is None or s.precision >= args.precision for s in (*at.values(), *held.values())
    )
    if args.json:
        print(
            json.dumps(
                {
                    "threshold": SUGGESTION_THRESHOLD,
                    "lowest_threshold_meeting_precision": bare,
                    "lowest_threshold_meeting_choose": chosen,
                    "labelled": {k: vars(v) for k, v in at.items()},
                    "holdout": {k: vars(v) for k, v in held.items()},
                    "order_numbers": {"named": named, "found": found, "stray_marked": stray},
                    "microseconds_per_message": round(per_message_us, 1),
                    "ok": ok,
                },
                indent=2,
            )
        )
        return 0 if ok else 1
    print(table(f"Labelled set at threshold {SUGGESTION_THRESHOLD}", at, labelled))
    if held:
        print()
        print(table(f"Held-out set at threshold {SUGGESTION_THRESHOLD}", held, holdout))
    print()
    print(
        f"Lowest threshold with precision ≥ {args.precision} for every intent shown on both sets: "
        f"{bare}; with precision ≥ {args.choose}: {chosen}; the client uses {SUGGESTION_THRESHOLD}."
    )
    print(
        f"Order numbers: {found} of {named} named numbers found first; {stray} marked numbers "
        f"in messages that name no order. {per_message_us:.0f} µs per message."
    )
    if args.sweep:
        print()
        print("| threshold | " + " | ".join(INTENTS) + " |")
        print("|---|" + "---|" * len(INTENTS))
        for step in range(0, 101, 5):
            t = step / 100
            scores = evaluate(labelled, t, matches)
            cells = [f"{fmt(s.precision)}/{fmt(s.recall)}" for s in scores.values()]
            print(f"| {t:.2f} | " + " | ".join(cells) + " |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
