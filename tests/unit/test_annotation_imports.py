"""The client imports what it needs only for annotations under `TYPE_CHECKING` (ruff's TC001 and
TC002), so that what a module imports at run time is what it runs: the start path is to leave
pydantic and the API models (`core/types.py`) out, and an import kept for an annotation would
bring them back without a use. The server and the command-line tools are left out (FastAPI and
typer read annotations at run time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# pydantic reads its models' annotations when the class is made: their imports stay.
MODEL_BASES = (
    '["pydantic.BaseModel", "agent_desktop.core.types.Model", '
    '"agent_desktop.backends.chatwoot.models.CwModel"]'
)


def test_annotation_only_imports_are_under_type_checking() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--isolated",
            "--target-version",
            "py311",
            "--select",
            "TC001,TC002",
            "--config",
            f"lint.flake8-type-checking.runtime-evaluated-base-classes = {MODEL_BASES}",
            "--exclude",
            "agent_desktop/server,agent_desktop/cli",
            "--output-format",
            "concise",
            "agent_desktop",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
