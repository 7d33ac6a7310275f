"""`agent-desktop --self-test`: proves an installed (frozen) or source build has everything it needs.

Each check runs on its own and reports a sentence; the command prints ONE JSON object
`{"ok": bool, "checks": [{"name", "ok", "detail", "seconds"}]}` and exits 0 only when all pass.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agent_desktop.paths import resources_dir
from agent_desktop.selftest.report import CheckFailed, CheckResult
from agent_desktop.selftest.tls import TestPki, check_tls, loopback_tls_server, make_test_pki

__all__ = [
    "CHECKS",
    "CheckFailed",
    "CheckResult",
    "TestPki",
    "check_tls",
    "loopback_tls_server",
    "main",
    "make_test_pki",
    "run_check",
]

NATIVE_PLATFORM = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}
REQUIRED_IMAGE_FORMATS = ("png", "jpeg", "jpg", "svg", "gif", "ico")
SERVER_START_TIMEOUT = 120.0
WINDOW_TIMEOUT = 240.0


# ---------------------------------------------------------------------------------------------
# Where things are, frozen or not


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def app_command(*args: str) -> list[str]:
    """The command line that runs `agent-desktop ARGS` the way this build runs."""
    if is_frozen():
        return [sys.executable, *args]
    return [sys.executable, "-m", "agent_desktop", *args]


def child_env(workdir: Path) -> dict[str, str]:
    """Environment for child processes: offscreen, throw-away folders, no real keyring touched."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["AGENT_DESKTOP_DATA_DIR"] = str(workdir / "data")
    env["AGENT_DESKTOP_CONFIG_DIR"] = str(workdir / "config")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return env


_APP: Any = None


def _gui_app() -> Any:
    """The running QGuiApplication, or a new offscreen one."""
    from PySide6.QtGui import QGuiApplication

    global _APP
    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0] if sys.argv else "agent-desktop", "--self-test"])
        _APP = app  # one application for every check: keep it alive
    return app


# ---------------------------------------------------------------------------------------------
# Qt plugins


def check_qt_plugins(workdir: Path) -> str:
    """The platform plugins are present, an offscreen app starts, the image plugins decode."""
    from PySide6.QtCore import (
        QBuffer,
        QByteArray,
        QCoreApplication,
        QIODevice,
        QPluginLoader,
        QSize,
    )
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QImageReader

    _gui_app()
    platform = QGuiApplication.platformName()
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = [f for f in REQUIRED_IMAGE_FORMATS if f not in formats]
    if missing:
        raise CheckFailed(f"Qt cannot read these image formats: {', '.join(missing)}.")

    platform_paths: list[Path] = []
    for folder in QCoreApplication.libraryPaths():
        platforms = Path(folder) / "platforms"
        if platforms.is_dir():
            platform_paths.extend(sorted(p for p in platforms.iterdir() if p.is_file()))
    platform_files = {p.name for p in platform_paths}
    wanted = ["offscreen"]
    native = NATIVE_PLATFORM.get(sys.platform)
    if native:
        wanted.append(native)
    absent = [w for w in wanted if not any(w in name for name in platform_files)]
    if absent:
        raise CheckFailed(
            f"The Qt platform plugins {', '.join(absent)} are missing "
            f"(found: {', '.join(sorted(platform_files)) or 'none'})."
        )
    # The native plugin cannot start without a display here, but loading its library proves
    # its dependencies resolve (on Linux the usual failure: libxcb-cursor and friends).
    for path in platform_paths:
        if native and native in path.name:
            loader = QPluginLoader(str(path))
            if not loader.load():
                raise CheckFailed(
                    f"The {native} platform plugin does not load: {loader.errorString()}"
                )

    # Encode and decode through the plugins themselves, not just their metadata.
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 30, 30))
    for fmt in ("PNG", "JPEG"):
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, fmt):  # type: ignore[call-overload]  # stubs say bytes, runtime wants str
            raise CheckFailed(f"Qt could not write a {fmt} image.")
        buffer.close()
        decoded = QImage.fromData(data)  # the decoder is picked by content
        if decoded.isNull() or decoded.width() != 8:
            raise CheckFailed(f"Qt could not read back a {fmt} image.")
    icon = resources_dir() / "icons" / "agent-desktop.svg"
    reader = QImageReader(str(icon))
    reader.setScaledSize(QSize(64, 64))
    svg = reader.read()
    if svg.isNull():
        raise CheckFailed(f"Qt could not render the SVG icon {icon}: {reader.errorString()}.")
    return (
        f"platform {platform}; platform plugins: {', '.join(sorted(platform_files))}"
        f"{f' ({native} loads)' if native else ''}; "
        f"image formats: {', '.join(sorted(formats))}"
    )


# ---------------------------------------------------------------------------------------------
# Translations


@dataclass(frozen=True)
class KnownString:
    """A finished translation taken from a .ts source, to look up in the compiled .qm."""

    context: str
    source: str
    translation: str
    comment: str | None


def _is_french(stem: str) -> bool:
    return re.search(r"(?:^|[_\-.])fr(?:[_\-.]|$)", stem) is not None


def known_french_string(ts_file: Path) -> KnownString:
    """The first finished, non-plural French translation in `ts_file` that differs from its source."""
    root = ET.parse(ts_file).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            if message.get("numerus") == "yes":
                continue
            source = message.findtext("source")
            node = message.find("translation")
            if source is None or node is None or node.text is None:
                continue
            if node.get("type") in {"unfinished", "obsolete", "vanished"}:
                continue
            if node.text != source:
                return KnownString(name, source, node.text, message.findtext("comment"))
    raise CheckFailed(f"{ts_file.name} holds no finished French translation.")


def check_translations(workdir: Path) -> str:
    """The French .qm the app loads (compiled by the build, or by run.py in a source tree) loads
    into a QTranslator and translates a string known from its .ts."""
    from PySide6.QtCore import QTranslator

    _gui_app()
    folder = resources_dir() / "translations"
    ts_files = sorted(p for p in folder.glob("*.ts") if _is_french(p.stem))
    qm_files = sorted(p for p in folder.glob("*.qm") if _is_french(p.stem))
    if not ts_files:
        raise CheckFailed(f"No French translation source in {folder}.")
    ts = ts_files[0]
    qm = next((q for q in qm_files if q.stem == ts.stem), None)
    if qm is None:
        raise CheckFailed(
            f"The French translation is not compiled in {folder}: run `python3 run.py` once in a"
            " source tree (or `python packaging/translations.py compile`); a bundle ships it."
        )
    if not is_frozen() and qm.stat().st_mtime < ts.stat().st_mtime:
        raise CheckFailed(
            f"{qm.name} is older than {ts.name}: run `python3 run.py` once to compile it again."
        )
    known = known_french_string(ts)
    translator = QTranslator()
    if not translator.load(str(qm)):
        raise CheckFailed(f"Qt could not load {qm.name}.")
    got = translator.translate(known.context, known.source, known.comment)
    if got != known.translation:
        raise CheckFailed(
            f"{qm.name} translated {known.source!r} as {got!r}, expected {known.translation!r}."
        )
    # babel's French locale data travels with the bundle too (dates and money in the UI).
    from babel.numbers import format_decimal

    number = format_decimal(1234.5, locale="fr_FR")
    if not number.endswith("234,5"):
        raise CheckFailed(f"babel formatted 1234.5 in French as {number!r}.")
    return f"{qm.name}: {known.context}/{known.source!r} → {got!r}; babel fr: {number}"


# ---------------------------------------------------------------------------------------------
# Keyring


def check_keyring(workdir: Path) -> str:
    """Report the keyring backend; on Windows and macOS it must be the system's real one."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    inner = getattr(backend, "backends", None)
    if inner:
        name += (
            " [" + ", ".join(f"{type(b).__module__}.{type(b).__qualname__}" for b in inner) + "]"
        )
    if sys.platform in {"win32", "darwin"}:
        if isinstance(backend, fail.Keyring) or (
            inner and all(isinstance(b, fail.Keyring) for b in inner)
        ):
            raise CheckFailed(f"No usable keyring backend was found ({name}).")
        expected = (
            "keyring.backends.Windows" if sys.platform == "win32" else "keyring.backends.macOS"
        )
        __import__(expected)
    return f"backend in use: {name}"


# ---------------------------------------------------------------------------------------------
# The embedded demo server and the main window


HEALTH_PATHS = ("/api/v1/health", "/health")


def wait_for_health(
    base_url: str, process: subprocess.Popen[bytes], timeout: float
) -> tuple[str, dict[str, Any]]:
    """Poll the health endpoint until it answers 200 (returns its path and JSON), the process
    dies, or time runs out."""
    import httpx

    deadline = time.monotonic() + timeout
    last = "no answer"
    with httpx.Client(trust_env=False, timeout=5) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise CheckFailed(f"The server exited with code {process.returncode}.")
            for path in HEALTH_PATHS:
                try:
                    response = client.get(base_url + path)
                except httpx.TransportError as exc:
                    last = type(exc).__name__
                    break
                if response.status_code == 200:
                    try:
                        payload = response.json()
                    except ValueError:
                        payload = {}
                    return path, payload if isinstance(payload, dict) else {}
                last = f"HTTP {response.status_code} on {path}"
            time.sleep(0.25)
    raise CheckFailed(
        f"{base_url} did not answer its health check within {timeout:.0f} s (last: {last})."
    )


def _tail(path: Path, lines: int = 6) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables for the duration of a block."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def check_demo_server(workdir: Path) -> str:
    """The embedded demo server starts as `--demo` starts it, on a free loopback port; /health answers."""
    from agent_desktop.startup.demo_server import DemoServer

    # The demo database goes to a throw-away folder, not the user's data folder.
    with _environment(AGENT_DESKTOP_DATA_DIR=str(workdir / "data")):
        server = DemoServer()
        server.start()
    process = server.proc
    if process is None:
        raise CheckFailed("The demo server process did not start.")
    try:
        try:
            path, health = wait_for_health(server.url, process, SERVER_START_TIMEOUT)
        except CheckFailed as exc:
            raise CheckFailed(
                f"{exc} Server output: {_tail(workdir / 'data' / 'demo-server.log')}"
            ) from exc
    finally:
        server.stop()
    return f"{' '.join(server.command()[1:3])}… answered {path} on {server.url}: {json.dumps(health)[:120]}"


def check_main_window(workdir: Path) -> str:
    """`--demo --screenshot` signs in to an embedded demo server and grabs the window with data."""
    from PySide6.QtGui import QImage

    _gui_app()
    shot = workdir / "window.png"
    log = workdir / "window.log"
    with log.open("wb") as out:
        try:
            completed = subprocess.run(
                app_command("--demo", "--screenshot", str(shot)),
                stdout=out,
                stderr=subprocess.STDOUT,
                env=child_env(workdir),
                timeout=WINDOW_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise CheckFailed(
                f"The window was not captured within {WINDOW_TIMEOUT:.0f} s. Output: {_tail(log)}"
            ) from exc
    if completed.returncode != 0:
        raise CheckFailed(f"`--demo --screenshot` exited with {completed.returncode}: {_tail(log)}")
    image = QImage(str(shot))
    if image.isNull():
        raise CheckFailed(f"The screenshot {shot.name} is missing or unreadable.")
    colours = _distinct_colours(image)
    if colours < 16:
        raise CheckFailed(
            f"The {image.width()}×{image.height()} screenshot is nearly blank ({colours} colours)."
        )
    return f"window {image.width()}×{image.height()} rendered with {colours} distinct colours"


def _distinct_colours(image: Any, step: int = 3) -> int:
    seen: set[int] = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
            if len(seen) > 4096:
                return len(seen)
    return len(seen)


# ---------------------------------------------------------------------------------------------
# Running and reporting

CHECKS: dict[str, Callable[[Path], str]] = {
    "qt_plugins": check_qt_plugins,
    "translations": check_translations,
    "tls": check_tls,
    "keyring": check_keyring,
    "demo_server": check_demo_server,
    "main_window": check_main_window,
}


def run_check(name: str, check: Callable[[Path], str], workdir: Path) -> CheckResult:
    """Run one check in its own sub-folder; any exception is a failed check with a sentence."""
    folder = workdir / name
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        detail = check(folder)
        ok = True
    except CheckFailed as exc:
        detail, ok = str(exc), False
    except Exception as exc:  # any crash is a failed check, not a traceback
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return CheckResult(name, ok, detail, round(time.perf_counter() - start, 3))


def run_checks(names: list[str]) -> dict[str, Any]:
    """Run the named checks in order; the report as a JSON-ready dict."""
    with tempfile.TemporaryDirectory(prefix="agent-desktop-selftest-") as tmp:
        results = [run_check(name, CHECKS[name], Path(tmp)) for name in names]
    return {
        "ok": all(r.ok for r in results),
        "frozen": is_frozen(),
        "platform": sys.platform,
        "checks": [asdict(r) for r in results],
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-desktop --self-test",
        description="Check that this build of Agent Desktop has everything it needs.",
    )
    parser.add_argument(
        "--only", nargs="+", choices=list(CHECKS), metavar="CHECK", help="run only these checks"
    )
    parser.add_argument(
        "--skip", nargs="+", choices=list(CHECKS), default=[], metavar="CHECK", help="skip these"
    )
    parser.add_argument("--output", type=Path, help="also write the JSON report to this file")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the checks, print one JSON report, exit 0 only if every check passed."""
    args = _parser().parse_args(argv)
    names = [n for n in (args.only or list(CHECKS)) if n not in args.skip]
    report = run_checks(names)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.output is not None:
        args.output.write_text(text + "\n", encoding="utf-8")
    if sys.stdout is not None:  # a windowed Windows build has no console
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
