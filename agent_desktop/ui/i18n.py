"""The interface language: French or English, from `--lang`, the settings, or the system locale.

Translations are Qt Linguist sources (resources/translations/agent_desktop_<lang>.ts); the compiled
.qm is built next to them at packaging time, or on first run into the data folder with
pyside6-lrelease when missing.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from agent_desktop.paths import data_dir, resources_dir
from agent_desktop.ui import fmt

log = logging.getLogger(__name__)

LANGUAGES = ("en", "fr")


def choose_language(flag: str | None, setting: str | None) -> str:
    """`--lang` wins, then the saved setting, then the system locale; English otherwise."""
    for value in (flag, setting, QLocale.system().name()):
        if value:
            lang = value.split("_")[0].split("-")[0].lower()
            if lang in LANGUAGES:
                return lang
    return "en"


def _lrelease() -> str | None:
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "lrelease"):
        candidate = here / name
        if candidate.exists():
            return str(candidate)
        found = shutil.which(name)
        if found:
            return found
    return None


def qm_file(lang: str) -> Path | None:
    """The compiled translation for `lang`: shipped, cached, or compiled now from the .ts source."""
    ts = resources_dir() / "translations" / f"agent_desktop_{lang}.ts"
    shipped = ts.with_suffix(".qm")
    if shipped.exists() and (not ts.exists() or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    if not ts.exists():
        return None
    cache = data_dir() / "translations" / shipped.name
    if cache.exists() and cache.stat().st_mtime >= ts.stat().st_mtime:
        return cache
    tool = _lrelease()
    if tool is None:
        log.warning("No lrelease found; the interface stays in English")
        return None
    cache.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [tool, "-silent", str(ts), "-qm", str(cache)],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("Could not compile the %s translation: %s", lang, exc)
        return None
    return cache if cache.exists() else None


_installed: list[QTranslator] = []


def install(app: QCoreApplication, lang: str) -> bool:
    """Install the translators for `lang` (ours and Qt's own); returns True when ours loaded."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    fmt.set_locale(lang)
    QLocale.setDefault(QLocale(lang))
    if lang == "en":
        return True
    ok = False
    qm = qm_file(lang)
    if qm is not None:
        ours = QTranslator(app)
        if ours.load(str(qm)):
            app.installTranslator(ours)
            _installed.append(ours)
            ok = True
    qt = QTranslator(app)
    if qt.load(
        QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt)
        _installed.append(qt)
    return ok
