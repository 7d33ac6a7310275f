"""`agent-desktop metrics`: the response figures of SPEC §2 for a JSON file of threads, as JSON.

Imports neither Qt nor the server, so it starts fast; bad input is one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from agent_desktop.core.metrics import (
    MetricMessage,
    MetricsResult,
    MetricThread,
    Period,
    compute_metrics,
    from_us,
    to_us,
    window_us,
)
from agent_desktop.core.openings_csv import OPENINGS_CSV_COLUMNS, opening_csv_row, window_comment

EXIT_BAD_INPUT = 2
AUTHORS = ("customer", "agent", "automated", "system")
KINDS = ("text", "note")

T = TypeVar("T")


class InputError(Exception):
    """Bad input: the message names the field ("threads[0].messages[2].at: not an ISO 8601 date")."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="agent-desktop metrics",
        description="Compute response rate, response times and the badge for a JSON file of threads.",
    )
    parser.add_argument("--input", required=True, metavar="FILE", help="the threads, as JSON")
    parser.add_argument("--now", metavar="ISO", help="the time to compute for (default: now)")
    parser.add_argument("--target", metavar="SECONDS", help="response target (default 300)")
    parser.add_argument("--window-days", metavar="N", help="rolling window (default 7)")
    parser.add_argument("--openings-csv", metavar="FILE", help="also write the raw openings as CSV")
    return parser


def parse_time(value: Any, field: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{field}: not an ISO 8601 date")
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{field}: not an ISO 8601 date") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def parse_positive(value: Any, field: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise InputError(f"{field}: not a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{field}: not a number")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise InputError(f"{field}: must be a positive number")
    return number


def _object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{field}: not an object")
    return value


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(f"{field}: not a list")
    return value


def _required(obj: dict[str, Any], key: str, field: str) -> Any:
    if key not in obj:
        raise InputError(f"{field}.{key}: missing" if field else f"{key}: missing")
    return obj[key]


def parse_message(value: Any, field: str) -> MetricMessage:
    obj = _object(value, field)
    at = parse_time(_required(obj, "at", field), f"{field}.at")
    author = _required(obj, "author", field)
    if author not in AUTHORS:
        raise InputError(f"{field}.author: must be one of {', '.join(AUTHORS)}")
    kind = obj.get("kind", "text")
    if kind not in KINDS:
        raise InputError(f"{field}.kind: must be text or note")
    agent_id = obj.get("agent_id")
    if agent_id is not None and not isinstance(agent_id, str):
        raise InputError(f"{field}.agent_id: not a string")
    return MetricMessage(at=at, author=author, kind=kind, agent_id=agent_id)


def parse_thread(value: Any, field: str) -> MetricThread:
    obj = _object(value, field)
    thread_id = _required(obj, "id", field)
    if isinstance(thread_id, bool) or not isinstance(thread_id, str | int):
        raise InputError(f"{field}.id: not a string")
    spam = obj.get("spam", False)
    if not isinstance(spam, bool):
        raise InputError(f"{field}.spam: not true or false")
    messages = _list(_required(obj, "messages", field), f"{field}.messages")
    return MetricThread(
        id=str(thread_id),
        messages=[parse_message(m, f"{field}.messages[{i}]") for i, m in enumerate(messages)],
        spam=spam,
    )


def parse_period(value: Any, field: str) -> Period:
    obj = _object(value, field)
    start = parse_time(_required(obj, "start", field), f"{field}.start")
    end = parse_time(_required(obj, "end", field), f"{field}.end")
    if end < start:
        raise InputError(f"{field}.end: before start")
    return Period(start=start, end=end)


def result_json(result: MetricsResult) -> dict[str, Any]:
    team = result.team
    return {
        "openings": team.openings,
        "counted": team.counted,
        "responded": team.responded,
        "pending": team.pending,
        "response_rate": team.response_rate,
        "median_response_seconds": team.median_response_seconds,
        "fastest90_mean_seconds": team.fastest90_mean_seconds,
        "within_target_rate": team.within_target_rate,
        "badge": team.badge,
        "per_agent": {
            agent_id: {
                "responded": figures.responded,
                "median_response_seconds": figures.median_response_seconds,
                "within_target_rate": figures.within_target_rate,
            }
            for agent_id, figures in result.per_agent.items()
        },
    }


def _setting(
    given: Any, flag: str, doc: dict[str, Any], key: str, parse: Callable[[Any, str], T], default: T
) -> T:
    """A setting given on the command line (`flag`), else in the input document (`key`), else
    `default`; a bad value is an `InputError` naming where it came from."""
    if given is not None:
        return parse(given, flag)
    if doc.get(key) is not None:
        return parse(doc[key], key)
    return default


def run(argv: Sequence[str]) -> dict[str, Any]:
    args = _parser().parse_args(list(argv))
    path = Path(args.input)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"--input: cannot read {path}: {reason}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"--input: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    doc = _object(data, "input")
    now = _setting(args.now, "--now", doc, "now", parse_time, datetime.now(UTC))
    target = _setting(args.target, "--target", doc, "target_seconds", parse_positive, 300.0)
    window = _setting(args.window_days, "--window-days", doc, "window_days", parse_positive, 7.0)
    away_raw = doc.get("away")
    away = [
        parse_period(p, f"away[{i}]")
        for i, p in enumerate(_list(away_raw, "away") if away_raw is not None else [])
    ]
    threads_raw = _list(_required(doc, "threads", ""), "threads")
    threads = [parse_thread(t, f"threads[{i}]") for i, t in enumerate(threads_raw)]
    result = compute_metrics(threads, now=now, target_seconds=target, window_days=window, away=away)
    if args.openings_csv:
        csv_path = Path(args.openings_csv)
        try:
            with csv_path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(window_comment(window_start(now, window), now) + "\r\n")
                writer = csv.writer(handle)
                writer.writerow(OPENINGS_CSV_COLUMNS)
                writer.writerows(opening_csv_row(op) for op in result.openings)
        except OSError as exc:
            raise InputError(f"--openings-csv: cannot write {csv_path}: {exc.strerror}") from None
    return result_json(result)


def window_start(now: datetime, window_days: float) -> datetime:
    """Where the window ending at `now` starts (no earlier than the year 1)."""
    earliest = to_us(datetime(1, 1, 2, tzinfo=UTC))
    return from_us(max(to_us(now) - window_us(window_days), earliest))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        output = run(sys.argv[1:] if argv is None else argv)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    json.dump(output, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
