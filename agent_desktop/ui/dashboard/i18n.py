"""The dashboard's own translations (resources/translations/dashboard_<lang>.ts), installed next to
the application's when the interface language is not English.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from agent_desktop.paths import data_dir, resources_dir
from agent_desktop.ui import i18n

log = logging.getLogger(__name__)

_installed: dict[str, QTranslator] = {}


def qm_file(lang: str) -> Path | None:
    """The compiled dashboard translation: shipped beside the .ts, cached, or compiled now."""
    ts = resources_dir() / "translations" / f"dashboard_{lang}.ts"
    shipped = ts.with_suffix(".qm")
    if shipped.exists() and (not ts.exists() or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    if not ts.exists():
        return None
    cache = data_dir() / "translations" / shipped.name
    if cache.exists() and cache.stat().st_mtime >= ts.stat().st_mtime:
        return cache
    tool = i18n._lrelease()
    if tool is None:
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
        log.warning("Could not compile the dashboard's %s translation: %s", lang, exc)
        return None
    return cache if cache.exists() else None


def install(lang: str | None = None) -> bool:
    """Install the dashboard's translator for `lang` (default: the interface's locale) once."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    lang = (lang or QLocale().name()).split("_")[0].lower()
    for other in [k for k in _installed if k != lang]:
        app.removeTranslator(_installed.pop(other))
    if lang == "en" or lang in _installed:
        return lang in _installed
    qm = qm_file(lang)
    if qm is None:
        return False
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        return False
    app.installTranslator(translator)
    _installed[lang] = translator
    return True
