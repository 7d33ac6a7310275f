"""The issue's command line, end to end: `agent-desktop --demo --as lead --screenshot FILE --view
dashboard` starts the embedded demo server, signs in as the lead, waits for the dashboard's
figures and saves a PNG of the window at 1280×800."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.slow


def distinct_colours(image: QImage, step: int = 7) -> int:
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def test_demo_lead_dashboard_screenshot(tmp_path: Path, isolated_dirs: dict[str, Path]) -> None:
    out = tmp_path / "shots" / "dashboard.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # The demo server keeps its database in the test's own data folder.
    assert env["AGENT_DESKTOP_DATA_DIR"] == str(isolated_dirs["data"])
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent_desktop",
            "--demo",
            "--as",
            "lead",
            "--screenshot",
            str(out),
            "--view",
            "dashboard",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Saved" in proc.stdout
    assert out.exists()
    assert out.stat().st_size > 30_000  # a real window, not an empty frame
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
    # Text, tables, gauges and charts: many colours; a blank or half-drawn window has a few.
    assert distinct_colours(image) > 100
    # The embedded demo server ran in the test's data folder and was stopped with the app.
    assert (isolated_dirs["data"] / "demo-server" / "demo.sqlite").exists()
