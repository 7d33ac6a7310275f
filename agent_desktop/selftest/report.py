"""What a self-test check reports: a sentence when it passes, CheckFailed with one when it fails."""

from __future__ import annotations

from dataclasses import dataclass


class CheckFailed(Exception):
    """A check found a problem; the message is the sentence shown in the report."""


@dataclass(frozen=True)
class CheckResult:
    """One line of the report."""

    name: str
    ok: bool
    detail: str
    seconds: float
