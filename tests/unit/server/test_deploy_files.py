"""docs/DEPLOY.md shows the deployment files as they are in packaging/deploy/ (the nginx site the
cluster tests run, the systemd unit), so a maintainer copying from the page gets the tested files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "docs" / "DEPLOY.md"


def meaningful_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "name",
    [
        "nginx-agent-desktop.conf",
        "agent-desktop-server@.service",
        # One machine (the page's steps 6 to 8).
        "agent-desktop.service",
        "agent-desktop-backup.service",
        "agent-desktop-backup.timer",
        "nginx-agent-desktop-one.conf",
    ],
)
def test_the_page_shows_the_file_as_it_is(name: str) -> None:
    lines = meaningful_lines((ROOT / "packaging" / "deploy" / name).read_text("utf-8"))
    # The file's own header comment (how to install it) is what the page says around it.
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    page = meaningful_lines(DEPLOY.read_text("utf-8"))
    starts = [i for i, line in enumerate(page) if line == lines[0]]  # "[Unit]" starts several
    assert any(page[i : i + len(lines)] == lines for i in starts), f"{name} differs from the page"
