"""The interface language: French or English, from `--lang`, the settings, or the system locale.

The one place translations are loaded. The sentences are Qt Linguist sources
(resources/translations/agent_desktop_<lang>.ts, every class of the client in one file); the .qm
the app loads is compiled beside them by the build (packaging/build.py) and, in a source tree, by
`python3 run.py` on first use (packaging/translations.py). Nothing is compiled at run time.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from agent_desktop.paths import resources_dir
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


def qm_file(lang: str) -> Path | None:
    """The compiled translation for `lang`, or None when it was not compiled (the interface then
    stays in English and the log says how to compile it)."""
    qm = resources_dir() / "translations" / f"agent_desktop_{lang}.qm"
    if qm.exists():
        return qm
    log.warning(
        "No compiled %s translation (%s): run `python3 run.py` once in a source tree, or "
        "`python packaging/translations.py compile`.",
        lang,
        qm,
    )
    return None


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
