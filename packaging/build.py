#!/usr/bin/env python3
"""Build Agent Desktop's installers for the platform this runs on: `python packaging/build.py`.

Steps: compile the translations (.ts → .qm), render the icon set, run PyInstaller on
packaging/agent_desktop.spec, then package: Windows → signed bundle and NSIS installer;
macOS → signed .app, .dmg, notarised and stapled when credentials are set; Linux → .tar.gz and
.deb. Prints every artifact with its size (and writes dist/artifacts.json).
See docs/INSTALL.md, "Build the installers", for the signing variables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

import translations  # noqa: E402
from icons import render_icon_set  # noqa: E402

from agent_desktop import __version__  # noqa: E402

APP_NAME = "AgentDesktop"
DISPLAY_NAME = "Agent Desktop"
PACKAGE_NAME = "agent-desktop"
PUBLISHER = "Agent Desktop"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
SPEC = ROOT / "packaging" / "agent_desktop.spec"
NSI = ROOT / "packaging" / "windows" / "installer.nsi"
ENTITLEMENTS = ROOT / "packaging" / "macos" / "entitlements.plist"
TIMESTAMP_URL = os.environ.get("WINDOWS_TIMESTAMP_URL", "http://timestamp.digicert.com")


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(cmd: Sequence[str | os.PathLike[str]], *, secret: str | None = None, **kw: object) -> None:
    """Run a command, echoing it (with any secret masked); raise on failure."""
    shown = " ".join(str(c) for c in cmd)
    if secret:
        shown = shown.replace(secret, "****")
    log(f"$ {shown}")
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


def human(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def arch() -> str:
    import platform

    machine = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


# ---------------------------------------------------------------------------------------------
# Shared steps


def compile_translations() -> list[Path]:
    """resources/translations/*.ts → .qm beside them (the app and the spec pick them up there)."""
    outputs = translations.compile_all()
    log(f"compiled {len(outputs)} translation(s)")
    return outputs


def render_icons() -> Path:
    out = BUILD / "icons"
    icon_set = render_icon_set(out)
    log(f"rendered {len(icon_set.pngs)} PNG sizes, {icon_set.ico.name}, {icon_set.icns.name}")
    return out


def version_tuple() -> tuple[int, int, int, int]:
    parts = [int("".join(ch for ch in p if ch.isdigit()) or 0) for p in __version__.split(".")]
    parts = [*parts, 0, 0, 0, 0][:4]
    return (parts[0], parts[1], parts[2], parts[3])


def write_windows_version_file() -> Path:
    """The PyInstaller version resource (VSVersionInfo) for AgentDesktop.exe."""
    v = version_tuple()
    dotted = ".".join(str(n) for n in v)
    text = f"""# UTF-8
# Windows version resource for {APP_NAME}.exe, written by packaging/build.py.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={v},
    prodvers={v},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable('040904B0', [
        StringStruct('CompanyName', '{PUBLISHER}'),
        StringStruct('FileDescription', '{DISPLAY_NAME}'),
        StringStruct('FileVersion', '{dotted}'),
        StringStruct('InternalName', '{APP_NAME}'),
        StringStruct('LegalCopyright', 'Copyright (c) 2026 the Agent Desktop authors. MIT licence.'),
        StringStruct('OriginalFilename', '{APP_NAME}.exe'),
        StringStruct('ProductName', '{DISPLAY_NAME}'),
        StringStruct('ProductVersion', '{__version__}')
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
    path = BUILD / "windows" / "version_info.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_pyinstaller(clean: bool) -> Path:
    """PyInstaller on the spec; returns the one-folder bundle (or the .app on macOS)."""
    cmd: list[str | Path] = [
        sys.executable,
        "-m",
        "PyInstaller",
        SPEC,
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        DIST,
        "--workpath",
        BUILD / "pyinstaller",
    ]
    if clean:
        cmd.append("--clean")
    run(cmd, cwd=ROOT)
    if sys.platform == "darwin":
        return DIST / f"{APP_NAME}.app"
    return DIST / APP_NAME


def bundle_executable(bundle: Path) -> Path:
    if sys.platform == "win32":
        return bundle / f"{APP_NAME}.exe"
    if sys.platform == "darwin":
        return bundle / "Contents" / "MacOS" / APP_NAME
    return bundle / PACKAGE_NAME


# ---------------------------------------------------------------------------------------------
# Windows


def signtool_command() -> list[str] | None:
    """`signtool sign ...` with the configured certificate, or None when signing is not set up."""
    cert = os.environ.get("WINDOWS_CERT_FILE")
    if not cert:
        return None
    cmd = [
        os.environ.get("SIGNTOOL", "signtool"),
        "sign",
        "/f",
        cert,
        "/fd",
        "SHA256",
        "/tr",
        TIMESTAMP_URL,
        "/td",
        "SHA256",
        "/d",
        DISPLAY_NAME,
    ]
    password = os.environ.get("WINDOWS_CERT_PASSWORD")
    if password:
        cmd[4:4] = ["/p", password]
    return cmd


def sign_windows(files: Sequence[Path]) -> None:
    cmd = signtool_command()
    if cmd is None:
        log("WINDOWS_CERT_FILE is not set: the Windows files stay unsigned")
        return
    run([*cmd, *files], secret=os.environ.get("WINDOWS_CERT_PASSWORD"))
    run([cmd[0], "verify", "/pa", *files])


def makensis_command(bundle: Path, out_file: Path, *, dry_run: bool = False) -> list[str]:
    """The makensis call for installer.nsi (`-D` defines work on every makensis build)."""
    makensis = shutil.which("makensis") or r"C:\Program Files (x86)\NSIS\makensis.exe"
    v = version_tuple()
    cmd = [
        makensis,
        "-V2",
        "-WX",
        f"-DAPP_VERSION={__version__}",
        f"-DAPP_VERSION_QUAD={'.'.join(str(n) for n in v)}",
        f"-DBUNDLE_DIR={bundle}",
        f"-DOUT_FILE={out_file}",
        f"-DICON_FILE={BUILD / 'icons' / 'agent-desktop.ico'}",
    ]
    if signtool_command() and not dry_run:
        # makensis runs `SIGN_PYTHON SIGN_SCRIPT --sign-file FILE` on the uninstaller and on the
        # installer it writes; the certificate password stays in the environment, off
        # makensis's command line. Two plain defines: no quotes to survive Windows quoting.
        cmd.append(f"-DSIGN_PYTHON={sys.executable}")
        cmd.append(f"-DSIGN_SCRIPT={Path(__file__).resolve()}")
    if dry_run:
        cmd.append("-DDRYRUN")
    cmd.append(str(NSI))
    return cmd


def build_windows(bundle: Path) -> list[Path]:
    exe = bundle_executable(bundle)
    sign_windows([exe])
    installer = DIST / f"{APP_NAME}-{__version__}-windows-{arch()}-setup.exe"
    run(makensis_command(bundle, installer), secret=os.environ.get("WINDOWS_CERT_PASSWORD"))
    if signtool_command():
        run([signtool_command()[0], "verify", "/pa", installer])  # type: ignore[index]
    return [installer]


def check_nsis_script(bundle: Path, out_file: Path) -> Path:
    """Compile installer.nsi against `bundle` with /DDRYRUN (a syntax and layout check on Linux)."""
    if not (BUILD / "icons" / "agent-desktop.ico").exists():
        render_icons()
    out_file.parent.mkdir(parents=True, exist_ok=True)
    run(makensis_command(bundle, out_file, dry_run=True))
    return out_file


# ---------------------------------------------------------------------------------------------
# macOS


def build_macos(app: Path) -> list[Path]:
    identity = os.environ.get("MACOS_SIGN_IDENTITY")
    if identity:
        # PyInstaller already signed every binary inside; sign the bundle as a whole last.
        run(
            [
                "codesign",
                "--force",
                "--timestamp",
                "--options",
                "runtime",
                "--entitlements",
                ENTITLEMENTS,
                "--sign",
                identity,
                app,
            ]
        )
        run(["codesign", "--verify", "--deep", "--strict", "--verbose=2", app])
    else:
        log("MACOS_SIGN_IDENTITY is not set: the .app stays ad-hoc signed and is not notarised")

    staging = BUILD / "dmg"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    run(["ditto", app, staging / app.name])
    (staging / "Applications").symlink_to("/Applications")
    dmg = DIST / f"{APP_NAME}-{__version__}-macos-{arch()}.dmg"
    dmg.unlink(missing_ok=True)
    run(
        [
            "hdiutil",
            "create",
            "-volname",
            DISPLAY_NAME,
            "-srcfolder",
            staging,
            "-ov",
            "-format",
            "UDZO",
            dmg,
        ]
    )
    if identity:
        run(["codesign", "--force", "--timestamp", "--sign", identity, dmg])
        notarise(dmg)
    return [dmg]


def notarise(dmg: Path) -> None:
    """Submit to Apple's notary service, wait, staple the ticket (when credentials are set)."""
    profile = os.environ.get("APPLE_KEYCHAIN_PROFILE")
    apple_id = os.environ.get("APPLE_ID")
    team = os.environ.get("APPLE_TEAM_ID")
    password = os.environ.get("APPLE_APP_PASSWORD")
    if profile:
        auth = ["--keychain-profile", profile]
    elif apple_id and team and password:
        auth = ["--apple-id", apple_id, "--team-id", team, "--password", password]
    else:
        log("no notarisation credentials (APPLE_ID/APPLE_TEAM_ID/APPLE_APP_PASSWORD): skipped")
        return
    run(["xcrun", "notarytool", "submit", dmg, *auth, "--wait"], secret=password)
    run(["xcrun", "stapler", "staple", dmg])
    run(["xcrun", "stapler", "validate", dmg])


# ---------------------------------------------------------------------------------------------
# Linux


DESKTOP_ENTRY = f"""[Desktop Entry]
Type=Application
Name={DISPLAY_NAME}
GenericName=Customer messaging
GenericName[fr]=Messagerie client
Comment=Answer your shop's customers on Messenger
Comment[fr]=Répondez aux clients de votre boutique sur Messenger
Exec={PACKAGE_NAME} %U
Icon={PACKAGE_NAME}
Terminal=false
Categories=Office;Network;InstantMessaging;
StartupWMClass={PACKAGE_NAME}
"""


def build_tarball(bundle: Path) -> Path:
    out = DIST / f"{PACKAGE_NAME}-{__version__}-linux-{arch()}.tar.gz"
    top = f"{PACKAGE_NAME}-{__version__}"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=top)
    return out


def build_deb(bundle: Path, icons: Path) -> Path:
    """A .deb: /opt/agent-desktop, /usr/bin symlink, .desktop file, hicolor icons."""
    root = BUILD / "deb" / PACKAGE_NAME
    shutil.rmtree(root, ignore_errors=True)
    opt = root / "opt" / PACKAGE_NAME
    shutil.copytree(bundle, opt, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / PACKAGE_NAME).symlink_to(f"/opt/{PACKAGE_NAME}/{PACKAGE_NAME}")
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{PACKAGE_NAME}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    hicolor = root / "usr" / "share" / "icons" / "hicolor"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(icons / f"agent-desktop-{size}.png", target / f"{PACKAGE_NAME}.png")
    scalable = hicolor / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(
        ROOT / "resources" / "icons" / "agent-desktop.svg", scalable / f"{PACKAGE_NAME}.svg"
    )

    debian = root / "DEBIAN"
    debian.mkdir()
    installed_kb = tree_size(root) // 1024
    deb_arch = {"x86_64": "amd64", "arm64": "arm64"}.get(arch(), arch())
    (debian / "control").write_text(
        f"""Package: {PACKAGE_NAME}
Version: {__version__}
Section: net
Priority: optional
Architecture: {deb_arch}
Installed-Size: {installed_kb}
Maintainer: Agent Desktop maintainers <maintainers@agentdesktop.app>
Depends: libc6 (>= 2.31), libfontconfig1, libfreetype6, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, libxkbcommon0, libxkbcommon-x11-0, libegl1, libgl1, libdbus-1-3, libglib2.0-0
Recommends: gnome-keyring | kwalletmanager
Homepage: https://agentdesktop.app
Description: Native desktop client for shops answering customers on Messenger
 Agent Desktop shows every customer conversation with a live timer against the
 response target, the customer's purchase history beside the chat, quick-reply
 templates, and a response dashboard for team leads. Includes an embedded demo
 backend (agent-desktop --demo).
""",
        encoding="utf-8",
    )
    (debian / "postinst").write_text(
        "#!/bin/sh\nset -e\n"
        "if command -v gtk-update-icon-cache >/dev/null 2>&1; then\n"
        "  gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true\nfi\n"
        "if command -v update-desktop-database >/dev/null 2>&1; then\n"
        "  update-desktop-database -q /usr/share/applications || true\nfi\n",
        encoding="utf-8",
    )
    (debian / "postinst").chmod(0o755)
    out = DIST / f"{PACKAGE_NAME}_{__version__}_{deb_arch}.deb"
    # gzip keeps the build fast on small CI machines (xz takes minutes for ~200 MB).
    run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", root, out])
    return out


# ---------------------------------------------------------------------------------------------


def report(bundle: Path, artifacts: list[Path], started: float) -> None:
    rows = [("bundle", bundle, tree_size(bundle))] + [
        ("artifact", a, a.stat().st_size) for a in artifacts
    ]
    print()
    print(
        f"Agent Desktop {__version__} for {sys.platform} built in {time.monotonic() - started:.0f} s:"
    )
    for kind, path, size in rows:
        print(f"  {kind:9} {human(size):>9}  {path}")
    summary = {
        "version": __version__,
        "platform": sys.platform,
        "seconds": round(time.monotonic() - started, 1),
        "bundle": {"path": str(bundle), "bytes": tree_size(bundle)},
        "artifacts": [{"path": str(a), "bytes": a.stat().st_size} for a in artifacts],
    }
    (DIST / "artifacts.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="discard PyInstaller's cache first")
    parser.add_argument(
        "--bundle-only", action="store_true", help="stop after the PyInstaller bundle"
    )
    parser.add_argument(
        "--linux-only",
        action="store_true",
        help="refuse to run anywhere but Linux (CI), and build the .tar.gz and .deb",
    )
    parser.add_argument(
        "--check-nsis",
        metavar="BUNDLE",
        type=Path,
        help="only compile the Windows installer script against BUNDLE with /DDRYRUN",
    )
    parser.add_argument(
        "--sign-file", metavar="FILE", type=Path, help="only Authenticode-sign FILE (used by NSIS)"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()

    if args.sign_file is not None:
        sign_windows([args.sign_file])
        return 0

    if args.check_nsis is not None:
        out = check_nsis_script(args.check_nsis, BUILD / "nsis-check" / "setup-dryrun.exe")
        log(f"installer.nsi compiled: {out} ({human(out.stat().st_size)})")
        return 0
    if args.linux_only and not sys.platform.startswith("linux"):
        raise SystemExit("--linux-only was given on a platform that is not Linux")

    BUILD.mkdir(exist_ok=True)
    DIST.mkdir(exist_ok=True)
    compile_translations()
    icons = render_icons()
    if sys.platform == "win32":
        write_windows_version_file()
    bundle = run_pyinstaller(args.clean)
    log(f"bundle: {bundle} ({human(tree_size(bundle))})")
    if args.bundle_only:
        report(bundle, [], started)
        return 0

    if sys.platform == "win32":
        artifacts = build_windows(bundle)
    elif sys.platform == "darwin":
        artifacts = build_macos(bundle)
    else:
        artifacts = [build_tarball(bundle)]
        if shutil.which("dpkg-deb"):
            artifacts.append(build_deb(bundle, icons))
        else:
            log("dpkg-deb is not installed: no .deb")
    report(bundle, artifacts, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
