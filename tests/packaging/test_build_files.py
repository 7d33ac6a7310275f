"""The packaging sources are well-formed: the PyInstaller spec (evaluated with stand-ins for
PyInstaller's build steps), the macOS entitlements, the NSIS script, the Windows version
resource, the Linux .desktop entry and the CI scripts. Nothing here builds a bundle."""

from __future__ import annotations

import configparser
import plistlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from agent_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


class Recorder:
    """Stands in for one of PyInstaller's spec-file classes and records its arguments."""

    calls: dict[str, Any]

    def __init__(self, name: str, calls: dict[str, Any]) -> None:
        self.name = name
        self.calls = calls

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls[self.name] = (args, kwargs)
        result = type("Result", (), {})()
        result.binaries, result.datas, result.pure, result.scripts = [], [], [], []
        self.calls[f"{self.name}_result"] = result
        return result


def run_spec(monkeypatch: pytest.MonkeyPatch, platform: str) -> dict[str, Any]:
    """Execute the spec as PyInstaller would on `platform`, with cheap stand-ins."""
    hooks = ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package, filter=None: [f"{package}.x"]  # type: ignore[attr-defined]
    hooks.collect_data_files = (  # type: ignore[attr-defined]
        lambda package, excludes=None, subdir=None, include_py_files=False: (
            [(f"{package}/{subdir}/env.py", f"{package}/{subdir}")] if include_py_files else []
        )
    )
    hooks.copy_metadata = lambda dist: [(f"{dist}.dist-info", f"{dist}.dist-info")]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "PyInstaller", ModuleType("PyInstaller"))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils", ModuleType("PyInstaller.utils"))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.delenv("MACOS_SIGN_IDENTITY", raising=False)
    calls: dict[str, Any] = {}
    namespace: dict[str, Any] = {"SPECPATH": str(PACKAGING), "__name__": "__main__"}
    for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        namespace[name] = Recorder(name, calls)
    source = (PACKAGING / "agent_desktop.spec").read_text(encoding="utf-8")
    exec(compile(source, "agent_desktop.spec", "exec"), namespace)
    calls["namespace"] = namespace
    return calls


def test_spec_on_macos_builds_an_app_bundle_with_the_info_plist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = run_spec(monkeypatch, "darwin")
    _, bundle = calls["BUNDLE"]
    assert bundle["name"] == "AgentDesktop.app"
    assert bundle["bundle_identifier"] == "app.agentdesktop.client"
    assert bundle["version"] == __version__
    plist = bundle["info_plist"]
    assert plist["CFBundleShortVersionString"] == __version__
    assert plist["NSHighResolutionCapable"] is True
    assert re.fullmatch(r"\d+\.\d+", plist["LSMinimumSystemVersion"])
    assert "Agent Desktop" in plist["NSHumanReadableCopyright"]
    # The plist must serialise (PyInstaller writes it with plistlib).
    plistlib.dumps(plist)
    _, exe = calls["EXE"]
    assert exe["console"] is False and exe["name"] == "AgentDesktop"


def test_spec_on_linux_is_a_one_folder_bundle_without_an_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = run_spec(monkeypatch, "linux")
    assert "BUNDLE" not in calls
    _, exe = calls["EXE"]
    assert exe["exclude_binaries"] is True  # one folder, not one file
    assert exe["name"] == "agent-desktop"
    _, collect = calls["COLLECT"]
    assert collect["name"] == "AgentDesktop"


def test_spec_collects_what_the_app_loads_dynamically(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = run_spec(monkeypatch, "linux")
    _, analysis = calls["Analysis"]
    hidden = set(analysis["hiddenimports"])
    for module in (
        "keyring.backends.x",  # collect_submodules("keyring.backends")
        "uvicorn.x",
        "agent_desktop.x",
        "aiosqlite",
        "sqlalchemy.dialects.sqlite.aiosqlite",
        "certifi",
    ):
        assert module in hidden
    datas = {dest for _, dest in analysis["datas"]}
    assert "keyring.dist-info" in datas  # entry points find the backends
    # Alembic loads the migration scripts from files: their .py sources travel as data.
    assert "agent_desktop.server/migrations" in datas
    assert {"alembic.op", "alembic.context", "alembic.ddl.x"} <= hidden
    assert any(dest.startswith("resources") for dest in datas)
    excludes = set(analysis["excludes"])
    for module in (
        "QtWebEngineCore",
        "Qt3DCore",
        "QtQuick",
        "QtQml",
        "QtMultimedia",
        "QtPdf",
        "QtDesigner",
        "QtBluetooth",
        "QtLocation",
        "QtPositioning",
        "QtSensors",
        "QtSerialPort",
        "QtSql",
        "QtTest",
        "QtDataVisualization",
        "QtGraphs",
    ):
        assert f"PySide6.{module}" in excludes


@pytest.mark.parametrize(
    ("entry", "kept"),
    [
        (("PySide6/Qt/lib/libQt6Gui.so.6", "src", "BINARY"), True),
        (("PySide6/Qt/plugins/platforms/libqxcb.so", "src", "BINARY"), True),
        (("PySide6/Qt/plugins/platforms/libqoffscreen.so", "src", "BINARY"), True),
        (("PySide6/Qt/plugins/imageformats/libqsvg.so", "src", "BINARY"), True),
        (("PySide6/Qt/plugins/tls/libqopensslbackend.so", "src", "BINARY"), True),
        (("PySide6/Qt/lib/libQt6Pdf.so.6", "src", "BINARY"), False),
        (("libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6", "SYMLINK"), False),
        (("PySide6/Qt/plugins/imageformats/libqpdf.so", "src", "BINARY"), False),
        (("PySide6/Qt/plugins/platforms/libqwayland.so", "src", "BINARY"), False),
        (("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "src", "BINARY"), False),
        (("libcairo.so.2", "src", "BINARY"), False),
        (("pillow.libs/libharfbuzz-fb49c9fc.so.0.61450.0", "src", "BINARY"), True),
        (("PySide6/Qt/translations/qtbase_fr.qm", "src", "DATA"), True),
        (("PySide6/Qt/translations/qtbase_de.qm", "src", "DATA"), False),
        (("babel/locale-data/fr_FR.dat", "src", "DATA"), True),
        (("babel/locale-data/en_GB.dat", "src", "DATA"), True),
        (("babel/locale-data/root.dat", "src", "DATA"), True),
        (("babel/locale-data/de.dat", "src", "DATA"), False),
        (("babel/global.dat", "src", "DATA"), True),
        (("certifi/cacert.pem", "src", "DATA"), True),
    ],
)
def test_spec_filter_keeps_what_is_used(
    monkeypatch: pytest.MonkeyPatch, entry: tuple[str, str, str], kept: bool
) -> None:
    keep = run_spec(monkeypatch, "linux")["namespace"]["_keep"]
    assert keep(entry) is kept


def test_entitlements_plist_is_valid() -> None:
    with (PACKAGING / "macos" / "entitlements.plist").open("rb") as fh:
        entitlements = plistlib.load(fh)
    assert entitlements["com.apple.security.cs.allow-unsigned-executable-memory"] is True
    assert all(isinstance(v, bool) for v in entitlements.values())


NSI = (PACKAGING / "windows" / "installer.nsi").read_text(encoding="utf-8")


def test_nsis_script_installs_per_user_and_registers_its_uninstaller() -> None:
    assert "RequestExecutionLevel user" in NSI
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_ID}"' in NSI
    assert '!define APP_ID "AgentDesktop"' in NSI
    assert "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${APP_ID}" in NSI
    assert 'WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString"' in NSI
    assert "HKLM" not in NSI  # nothing machine-wide, no admin rights needed
    assert 'CreateShortcut "$SMPROGRAMS\\' in NSI
    assert '!uninstfinalize \'"${SIGN_PYTHON}" "${SIGN_SCRIPT}" --sign-file "%1"\' = 0' in NSI
    assert '!finalize \'"${SIGN_PYTHON}" "${SIGN_SCRIPT}" --sign-file "%1"\' = 0' in NSI


@pytest.mark.skipif(
    shutil.which("makensis") is None, reason="makensis (Debian: nsis) not installed"
)
def test_nsis_script_compiles_against_a_bundle_layout(
    build_script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "AgentDesktop"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "AgentDesktop.exe").write_bytes(b"MZ")
    (bundle / "_internal" / "python311.dll").write_bytes(b"MZ")
    icons = tmp_path / "build" / "icons"
    icons.mkdir(parents=True)
    monkeypatch.setattr(build_script, "BUILD", tmp_path / "build")
    from PIL import Image

    Image.new("RGBA", (32, 32), (29, 78, 216, 255)).save(icons / "agent-desktop.ico")
    out = tmp_path / "AgentDesktop-test-setup.exe"
    # A real (non-dry-run) compile: the script checks the bundle's executable exists.
    cmd = build_script.makensis_command(bundle, out)
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    assert out.read_bytes()[:2] == b"MZ"
    # DRYRUN (CI on Linux): the Linux bundle's layout, no AgentDesktop.exe required.
    linux = tmp_path / "linux"
    (linux / "_internal").mkdir(parents=True)
    (linux / "agent-desktop").write_bytes(b"\x7fELF")
    dry = build_script.makensis_command(
        linux, tmp_path / "AgentDesktop-dry-setup.exe", dry_run=True
    )
    assert "-DDRYRUN" in dry
    subprocess.run(dry, check=True, capture_output=True, timeout=120)
    assert (tmp_path / "AgentDesktop-dry-setup.exe").stat().st_size > 0


def test_windows_version_resource_carries_the_version(
    build_script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_script, "BUILD", tmp_path)
    text = build_script.write_windows_version_file().read_text(encoding="utf-8")

    def record(kind: str) -> Any:
        return lambda *args, **kwargs: (kind, args, kwargs)

    names = {
        n: record(n)
        for n in (
            "VSVersionInfo",
            "FixedFileInfo",
            "StringFileInfo",
            "StringTable",
            "StringStruct",
            "VarFileInfo",
            "VarStruct",
        )
    }
    info = eval(text, names)  # the format PyInstaller reads: a Python expression
    assert info[0] == "VSVersionInfo"
    fixed = info[2]["ffi"][2]
    assert fixed["filevers"] == build_script.version_tuple()
    assert len(fixed["filevers"]) == 4
    assert f"StringStruct('ProductVersion', '{__version__}')" in text


def test_linux_desktop_entry_is_valid(build_script: ModuleType) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(build_script.DESKTOP_ENTRY)
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "agent-desktop"
    assert entry["Icon"] == "agent-desktop"
    assert entry["Categories"].endswith(";")


def test_ci_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n", str(PACKAGING / "ci_linux.sh")], check=True)


def test_release_workflow_builds_on_three_platforms_and_publishes_on_tags() -> None:
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    for runner in ("windows-", "macos-", "ubuntu-"):
        assert runner in text
    assert "python packaging/build.py" in text
    assert "--self-test" in text
    assert "tags:" in text and "v*" in text
    assert "softprops/action-gh-release" in text or "gh release upload" in text
    assert "\t" not in text  # YAML forbids tabs for indentation


def test_signing_is_wired_only_when_a_certificate_is_configured(
    build_script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WINDOWS_CERT_FILE", raising=False)
    assert build_script.signtool_command() is None
    assert not any("SIGN_" in part for part in build_script.makensis_command(tmp_path, tmp_path))

    monkeypatch.setenv("WINDOWS_CERT_FILE", str(tmp_path / "cert.pfx"))
    monkeypatch.setenv("WINDOWS_CERT_PASSWORD", "s3cret")
    sign = build_script.signtool_command()
    assert sign[1:3] == ["sign", "/f"]
    assert sign[sign.index("/p") + 1] == "s3cret"
    assert sign[sign.index("/fd") + 1] == "SHA256" and sign[sign.index("/td") + 1] == "SHA256"
    cmd = build_script.makensis_command(tmp_path, tmp_path / "x-setup.exe")
    assert f"-DSIGN_PYTHON={sys.executable}" in cmd
    assert any(part.startswith("-DSIGN_SCRIPT=") and part.endswith("build.py") for part in cmd)
    assert not any("s3cret" in part for part in cmd)  # the password stays in the environment
    dry = build_script.makensis_command(tmp_path, tmp_path / "x-setup.exe", dry_run=True)
    assert not any("SIGN_" in part for part in dry)


def test_spec_excludes_nothing_the_app_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Qt module (or stdlib package) the app starts to use must leave the exclude list, or the
    frozen build breaks where the source checkout works."""
    excludes = set(run_spec(monkeypatch, "linux")["Analysis"][1]["excludes"])
    imported: set[str] = set()
    pattern = re.compile(r"^\s*(?:from|import)\s+([\w.]+)", re.MULTILINE)
    for path in (ROOT / "agent_desktop").rglob("*.py"):
        for module in pattern.findall(path.read_text(encoding="utf-8")):
            parts = module.split(".")
            imported.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    assert "PySide6.QtWidgets" in imported  # the scan sees the app's imports
    # Left out of the desktop bundle on purpose: the PostgreSQL driver is the server's optional
    # extra (`.[postgres]`), imported only when a server runs on PostgreSQL; the bundle's
    # embedded demo server runs on SQLite.
    optional = {"asyncpg"}
    assert sorted((imported & excludes) - optional) == []
