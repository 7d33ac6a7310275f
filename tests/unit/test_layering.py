"""The layers depend one way (startup → ui → store → backends → core); the server never imports Qt or
the client; only the start (app.py, startup/) and the self-test may import the start-up package.

A regex over import lines, in the spirit of qutebrowser's misc_checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "agent_desktop"
IMPORT = re.compile(r"^\s*(?:from|import)\s+([\w.]+)", re.MULTILINE)

# layer -> module prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "core": (
        "PySide6",
        "httpx",
        "websockets",
        "sqlite3",
        "sqlalchemy",
        "fastapi",
        "agent_desktop.backends",
        "agent_desktop.store",
        "agent_desktop.ui",
        "agent_desktop.server",
        "agent_desktop.startup",
    ),
    "backends": (
        "PySide6",
        "agent_desktop.store",
        "agent_desktop.ui",
        "agent_desktop.server",
        "agent_desktop.startup",
    ),
    "store": (
        "PySide6.QtWidgets",
        "PySide6.QtGui",
        "agent_desktop.ui",
        "agent_desktop.server",
        "agent_desktop.startup",
    ),
    "ui": ("agent_desktop.server", "agent_desktop.startup"),
    "server": (
        "PySide6",
        "agent_desktop.backends",
        "agent_desktop.store",
        "agent_desktop.ui",
        "agent_desktop.startup",
    ),
    "startup": ("agent_desktop.server",),
}


def _imports(path: Path) -> list[str]:
    return IMPORT.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_one_way(layer: str) -> None:
    bad = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in _imports(path):
            if any(module == p or module.startswith(p + ".") for p in FORBIDDEN[layer]):
                bad.append(f"{path.relative_to(PACKAGE.parent)} imports {module}")
    assert not bad, "\n".join(bad)


def test_only_ui_imports_widgets() -> None:
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in {"ui", "startup", "selftest"}:
            continue
        for module in _imports(path):
            if module.startswith(("PySide6.QtWidgets", "PySide6.QtGui")):
                bad.append(f"{rel} imports {module}")
    assert not bad, "\n".join(bad)


def test_ui_reaches_the_backend_only_through_the_store() -> None:
    """What the interface needs from a backend is a store method (issue 16): no `store.backend`."""
    bad = []
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bstore\.backend\b", line):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert not bad, "\n".join(bad)
