"""`agent-desktop metrics` run as a user runs it: a subprocess, JSON in, JSON out, exit codes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.cli import metrics_cmd

NOW = "2026-03-20T12:00:00Z"


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent_desktop", "metrics", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write(tmp_path: Path, doc: Any, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def msg(at: str, author: str, **extra: Any) -> dict[str, Any]:
    return {"at": at, "author": author, **extra}


SAMPLE: dict[str, Any] = {
    "now": NOW,
    "target_seconds": 300,
    "window_days": 7,
    "away": [{"start": "2026-03-18T20:00:00Z", "end": "2026-03-19T08:00:00Z"}],
    "threads": [
        {  # answered in 2 min by ann
            "id": "t1",
            "messages": [
                msg("2026-03-18T10:00:00Z", "customer"),
                msg("2026-03-18T10:01:00Z", "agent", kind="note", agent_id="bob"),
                msg("2026-03-18T10:02:00Z", "agent", agent_id="ann"),
            ],
        },
        {  # arrives while away: timed from 08:00, answered 08:10 by bob
            "id": "t2",
            "messages": [
                msg("2026-03-18T23:00:00Z", "customer"),
                msg("2026-03-18T23:00:01Z", "automated"),
                msg("2026-03-19T08:10:00Z", "agent", agent_id="bob"),
            ],
        },
        {  # never answered, 2 days old: counted, not responded
            "id": "t3",
            "messages": [msg("2026-03-18T09:00:00Z", "customer")],
        },
        {  # pending: 1 hour old
            "id": "t4",
            "messages": [msg("2026-03-20T11:00:00Z", "customer")],
        },
        {  # spam: left out
            "id": "t5",
            "spam": True,
            "messages": [msg("2026-03-19T09:00:00Z", "customer")],
        },
    ],
}


def test_figures_for_a_sample_file(tmp_path: Path) -> None:
    proc = run_cli("--input", write(tmp_path, SAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = json.loads(proc.stdout)
    assert out == {
        "openings": 4,
        "counted": 3,
        "responded": 2,
        "pending": 1,
        "response_rate": 2 / 3,
        "median_response_seconds": 360.0,
        "fastest90_mean_seconds": 120.0,
        "within_target_rate": 1 / 3,
        "badge": False,
        "per_agent": {
            "ann": {"responded": 1, "median_response_seconds": 120.0, "within_target_rate": 1.0},
            "bob": {"responded": 1, "median_response_seconds": 600.0, "within_target_rate": 0.0},
        },
    }


def test_flags_override_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, SAMPLE)
    proc = run_cli("--input", path, "--target", "601", "--window-days", "2", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    # Two days back from now: t2 (23:00 on the 18th) and t4 only.
    assert (out["openings"], out["counted"], out["responded"], out["pending"]) == (2, 1, 1, 1)
    assert out["within_target_rate"] == 1.0
    assert out["badge"] is True
    later = run_cli("--input", path, "--now", "2026-03-21T12:00:00+00:00")
    assert json.loads(later.stdout)["pending"] == 0


def test_now_defaults_to_the_current_time(tmp_path: Path) -> None:
    asked = datetime.now(UTC) - timedelta(days=2)
    doc = {
        "threads": [
            {
                "id": "x",
                "messages": [
                    msg(asked.isoformat(), "customer"),
                    msg((asked + timedelta(seconds=30)).isoformat(), "agent", agent_id="a"),
                ],
            }
        ]
    }
    proc = run_cli("--input", write(tmp_path, doc))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["responded"] == 1
    assert out["median_response_seconds"] == 30.0
    assert out["badge"] is True


def test_empty_threads_give_nulls(tmp_path: Path) -> None:
    proc = run_cli("--input", write(tmp_path, {"threads": []}), "--now", NOW)
    out = json.loads(proc.stdout)
    assert out["openings"] == 0 and out["response_rate"] is None
    assert out["median_response_seconds"] is None and out["within_target_rate"] is None
    assert out["per_agent"] == {} and out["badge"] is False


def test_openings_csv(tmp_path: Path) -> None:
    target = tmp_path / "openings.csv"
    proc = run_cli("--input", write(tmp_path, SAMPLE), "--openings-csv", target)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    with target.open(newline="", encoding="utf-8") as handle:
        first = handle.readline()
        rows = list(csv.DictReader(handle))
    # The window it covers comes first (issue 21), in UTC and in local time.
    assert first.startswith("# window: 2026-03-13T12:00:00Z .. 2026-03-20T12:00:00Z (local time ")
    assert list(rows[0]) == [
        "thread_id",
        "opened_at",
        "clock_start",
        "response_at",
        "response_seconds",
        "agent_id",
        "state",
    ]
    assert len(rows) == out["openings"]
    assert [r["thread_id"] for r in rows] == ["t3", "t1", "t2", "t4"]
    assert sum(r["state"] == "responded" for r in rows) == out["responded"]
    assert sum(r["state"] == "pending" for r in rows) == out["pending"]
    t2 = rows[2]
    assert t2["opened_at"] == "2026-03-18T23:00:00Z"
    assert t2["clock_start"] == "2026-03-19T08:00:00Z"
    assert (t2["response_seconds"], t2["agent_id"], t2["state"]) == ("600.0", "bob", "responded")
    assert rows[3]["response_at"] == "" and rows[3]["response_seconds"] == ""


def test_help_exits_zero() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0
    assert "--openings-csv" in proc.stdout


def _thread_with(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "threads": [
            {
                "id": "t",
                "messages": [
                    msg("2026-03-18T10:00:00Z", "customer"),
                    msg("2026-03-18T10:01:00Z", "agent"),
                    message,
                ],
            }
        ]
    }


ERROR_CASES: dict[str, tuple[Any, list[str], str]] = {
    # name: (file content or None for no file, extra args, expected text in the one stderr line)
    "no input flag": (None, [], "--input"),
    "unknown flag": ({"threads": []}, ["--colour"], "--colour"),
    "missing file": (None, ["--input", "{tmp}/missing.json"], "--input: cannot read"),
    "not json": ("{threads: [", [], "--input: not valid JSON"),
    "not utf-8": (b"\xff\xfe\x00garbage", [], "--input: cannot read"),
    "top level list": ([], [], "input: not an object"),
    "threads missing": ({"now": NOW}, [], "threads: missing"),
    "threads not a list": ({"threads": {"id": "x"}}, [], "threads: not a list"),
    "thread not an object": ({"threads": ["x"]}, [], "threads[0]: not an object"),
    "thread id missing": ({"threads": [{"messages": []}]}, [], "threads[0].id: missing"),
    "thread id wrong type": ({"threads": [{"id": [1], "messages": []}]}, [], "threads[0].id"),
    "messages missing": ({"threads": [{"id": "t"}]}, [], "threads[0].messages: missing"),
    "messages not a list": (
        {"threads": [{"id": "t", "messages": "hi"}]},
        [],
        "threads[0].messages: not a list",
    ),
    "spam not a boolean": (
        {"threads": [{"id": "t", "spam": "yes", "messages": []}]},
        [],
        "threads[0].spam",
    ),
    "bad date": (
        _thread_with(msg("yesterday", "customer")),
        [],
        "threads[0].messages[2].at: not an ISO 8601 date",
    ),
    "date of wrong type": (
        _thread_with(msg(1700000000, "customer")),  # type: ignore[arg-type]
        [],
        "threads[0].messages[2].at: not an ISO 8601 date",
    ),
    "date missing": (
        _thread_with({"author": "customer"}),
        [],
        "threads[0].messages[2].at: missing",
    ),
    "bad author": (_thread_with(msg(NOW, "robot")), [], "threads[0].messages[2].author"),
    "author missing": (_thread_with({"at": NOW}), [], "threads[0].messages[2].author: missing"),
    "bad kind": (_thread_with(msg(NOW, "agent", kind="image")), [], "threads[0].messages[2].kind"),
    "agent_id wrong type": (
        _thread_with(msg(NOW, "agent", agent_id=7)),
        [],
        "threads[0].messages[2].agent_id",
    ),
    "message not an object": (_thread_with("hello"), [], "threads[0].messages[2]: not an object"),  # type: ignore[arg-type]
    "bad now in file": ({"now": "noon", "threads": []}, [], "now: not an ISO 8601 date"),
    "bad now flag": ({"threads": []}, ["--now", "2026-13-01"], "--now: not an ISO 8601 date"),
    "bad target in file": ({"target_seconds": "fast", "threads": []}, [], "target_seconds"),
    "target of wrong type": ({"target_seconds": True, "threads": []}, [], "target_seconds"),
    "bad target flag": ({"threads": []}, ["--target", "abc"], "--target: not a number"),
    "negative target": ({"threads": []}, ["--target", "-5"], "--target: must be a positive"),
    "zero window": ({"threads": []}, ["--window-days", "0"], "--window-days"),
    "bad window in file": ({"window_days": [7], "threads": []}, [], "window_days: not a number"),
    "away not a list": ({"away": {}, "threads": []}, [], "away: not a list"),
    "away bad start": (
        {"away": [{"start": "x", "end": NOW}], "threads": []},
        [],
        "away[0].start: not an ISO 8601 date",
    ),
    "away end missing": ({"away": [{"start": NOW}], "threads": []}, [], "away[0].end: missing"),
    "away end before start": (
        {"away": [{"start": NOW, "end": "2026-03-19T00:00:00Z"}], "threads": []},
        [],
        "away[0].end",
    ),
    "csv not writable": (
        {"threads": []},
        ["--openings-csv", "{tmp}/no/such/folder/out.csv"],
        "--openings-csv: cannot write",
    ),
}


# One case per distinct error path runs as a real process; the rest of the field-naming cases run
# in-process through the same main() (a process each would make the suite slow).
SUBPROCESS_CASES = (
    "no input flag",
    "unknown flag",
    "missing file",
    "not json",
    "not utf-8",
    "top level list",
    "threads missing",
    "thread id wrong type",
    "bad date",
    "bad author",
    "bad now flag",
    "negative target",
    "away end before start",
    "csv not writable",
)


def _case_args(name: str, folder: Path) -> list[str]:
    content, extra, _ = ERROR_CASES[name]
    args = [a.replace("{tmp}", str(folder)) for a in extra]
    if content is None:
        return args
    path = folder / "in.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return ["--input", str(path), *args]


def _check_error(case: str, code: int, out: str, err: str) -> None:
    expected = ERROR_CASES[case][2]
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert expected in lines[0]
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def error_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, str, str]]:
    """Every error case, run as separate processes side by side (keeps the suite fast)."""
    procs: dict[str, tuple[subprocess.Popen[str], str]] = {}
    for name in SUBPROCESS_CASES:
        folder = tmp_path_factory.mktemp("case")
        cmd = [sys.executable, "-m", "agent_desktop", "metrics", *_case_args(name, folder)]
        procs[name] = (
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
            str(folder),
        )
    results: dict[str, tuple[int, str, str, str]] = {}
    for name, (proc, folder) in procs.items():
        out, err = proc.communicate(timeout=120)
        results[name] = (proc.returncode, out, err, folder)
    return results


@pytest.mark.parametrize("case", SUBPROCESS_CASES)
def test_bad_input_is_one_line_and_exit_code_2(
    case: str, error_runs: dict[str, tuple[int, str, str, str]]
) -> None:
    code, out, err, _ = error_runs[case]
    _check_error(case, code, out, err)


@pytest.mark.parametrize("case", [c for c in ERROR_CASES if c not in SUBPROCESS_CASES])
def test_bad_field_is_named(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = metrics_cmd.main(_case_args(case, tmp_path))
    captured = capsys.readouterr()
    _check_error(case, code, captured.out, captured.err)


def test_metrics_command_loads_neither_qt_nor_the_server(tmp_path: Path) -> None:
    path = write(tmp_path, SAMPLE)
    code = (
        "import sys\n"
        "from agent_desktop.app import main\n"
        f"rc = main(['metrics', '--input', {str(path)!r}])\n"
        "heavy = [m for m in sys.modules if m.startswith(('PySide6', 'agent_desktop.server', "
        "'fastapi', 'sqlalchemy', 'httpx'))]\n"
        "print('HEAVY', heavy, rc, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert "HEAVY [] 0" in proc.stderr, proc.stderr
