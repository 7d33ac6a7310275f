"""Where the client and the reference server keep their files (per-user folders via platformdirs).

`AGENT_DESKTOP_DATA_DIR` and `AGENT_DESKTOP_CONFIG_DIR` override the folders (tests, portable use).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "AgentDesktop"
APP_AUTHOR = "AgentDesktop"


def data_dir() -> Path:
    path = Path(os.environ.get("AGENT_DESKTOP_DATA_DIR") or user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    path = Path(os.environ.get("AGENT_DESKTOP_CONFIG_DIR") or user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The `resources/` folder (icons, translations): beside the package in a checkout, inside
    the bundle when frozen (PyInstaller)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    if getattr(sys, "frozen", False):
        return Path(sys.executable).parent / "resources"
    return Path(__file__).resolve().parents[1] / "resources"
