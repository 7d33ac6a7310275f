#!/usr/bin/env python3
"""The translations, for maintainers: `python packaging/translations.py update` runs lupdate over
the client's sources and rewrites resources/translations/agent_desktop_<lang>.ts, keeping every
translation already written (also when a sentence moved to another class, as when a file is
split); `compile` turns each .ts into the .qm the app loads, and `ensure` does it only for the
.ts files newer than their .qm (run.py calls it on every use in a source tree, build.py compiles
for the bundle, the test suite's conftest ensures it too).

The app never compiles anything at run time: ui/i18n.py loads the .qm.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "resources" / "translations"
# The .ts file (one per language) and the packages whose classes' sentences it holds (tr(),
# QCoreApplication.translate).
SOURCES = {
    "agent_desktop": (
        "ui",
        "ui/dashboard",
        "ui/team",
        "store",
        "startup",
        "backends",
        "backends/chatwoot",
    ),
}


def tool(name: str) -> str:
    """A Qt tool shipped with PySide6: this Python's scripts folder (the venv's pyside6-* tools),
    or the PATH."""
    import sysconfig

    for scripts in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        for candidate in (scripts / name, scripts / f"{name}.exe"):
            if candidate.exists():
                return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} was not found: it comes with PySide6 (pip install PySide6).")
    return found


def source_files(name: str) -> list[str]:
    package = ROOT / "agent_desktop"
    return sorted(str(p) for folder in SOURCES[name] for p in (package / folder).glob("*.py"))


def messages(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) → translation (finished ones only) of a Qt Linguist .ts file."""
    out: dict[tuple[str, str], str] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            node = m.find("translation")
            if node is None or node.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            if node.text:
                out[(name, m.findtext("source") or "")] = node.text
    return out


def update(lang: str) -> list[tuple[str, str]]:
    """Rewrite each <name>_<lang>.ts from the sources; returns what has no translation yet."""
    missing = []
    for name in SOURCES:
        missing += _update(name, lang)
    return missing


def _update(name: str, lang: str) -> list[tuple[str, str]]:
    target = FOLDER / f"{name}_{lang}.ts"
    known: dict[tuple[str, str], str] = {}
    for ts in sorted(FOLDER.glob(f"*_{lang}.ts")):
        known.update(messages(ts))
    by_source = {source: text for (_ctx, source), text in known.items()}
    # Written next to the target, so that lupdate's <location> paths are relative to it.
    fresh = FOLDER / f".fresh-{os.getpid()}-{name}.ts"
    try:
        subprocess.run(
            [tool("pyside6-lupdate"), *source_files(name), "-ts", str(fresh)],
            check=True,
            capture_output=True,
        )
        tree = ET.parse(fresh)
    finally:
        fresh.unlink(missing_ok=True)
    root = tree.getroot()
    root.set("language", {"fr": "fr_FR"}.get(lang, lang))
    missing: list[tuple[str, str]] = []
    for ctx in root.iter("context"):
        context = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            source = m.findtext("source") or ""
            node = m.find("translation")
            if node is None:
                node = ET.SubElement(m, "translation")
            text = known.get((context, source)) or by_source.get(source)
            if text:
                node.text = text
                node.attrib.pop("type", None)
            else:
                node.set("type", "unfinished")
                missing.append((context, source))
    # Laid out as Qt Linguist does: <context> at the left margin, what is inside indented.
    ET.indent(tree, space="    ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    lines = [line[4:] if line.startswith("    ") else line for line in text.splitlines()]
    target.write_text(
        "<?xml version='1.0' encoding='utf-8'?>\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    return missing


def compile_all(out_dir: Path | None = None) -> list[Path]:
    """Every .ts → .qm (beside it, or in `out_dir`); returns the .qm files."""
    lrelease = tool("pyside6-lrelease")
    outputs = []
    for ts in sorted(FOLDER.glob("*.ts")):
        qm = (out_dir or FOLDER) / ts.with_suffix(".qm").name
        qm.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], check=True)
        outputs.append(qm)
    return outputs


def stale() -> list[Path]:
    """The .ts files whose .qm is missing or older."""
    out = []
    for ts in sorted(FOLDER.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            out.append(ts)
    return out


def ensure_compiled() -> list[Path]:
    """Compile the .ts files whose .qm is missing or older; returns the .qm written."""
    if not stale():
        return []
    return compile_all()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=["update", "compile", "ensure"])
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args(argv)
    if args.task in ("compile", "ensure"):
        for qm in compile_all() if args.task == "compile" else ensure_compiled():
            print(f"compiled {qm.relative_to(ROOT)}")
        return 0
    missing = update(args.lang)
    for context, source in missing:
        print(f"untranslated: [{context}] {source}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
