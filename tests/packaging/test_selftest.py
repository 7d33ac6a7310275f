"""`agent-desktop --self-test` run from source: the TLS, Qt, translation and keyring checks, and
the shape of its one JSON report."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import httpx
import pytest

from agent_desktop import selftest


def test_tls_check_passes_with_certifi_plus_a_generated_ca(tmp_path: Path) -> None:
    detail = selftest.check_tls(tmp_path)
    assert "certifi" in detail
    assert "an unknown CA was refused" in detail


def test_loopback_tls_server_is_refused_without_the_test_ca(tmp_path: Path) -> None:
    pki = selftest.make_test_pki()
    with selftest.loopback_tls_server(pki, tmp_path) as url:
        assert url.startswith("https://127.0.0.1:")
        with (
            httpx.Client(verify=ssl.create_default_context(), trust_env=False) as client,
            pytest.raises(httpx.ConnectError),
        ):
            client.get(url)


def test_qt_plugins_check_passes_offscreen(tmp_path: Path) -> None:
    detail = selftest.check_qt_plugins(tmp_path)
    assert "offscreen" in detail
    assert "png" in detail and "svg" in detail


def test_keyring_check_reports_the_backend(tmp_path: Path) -> None:
    # conftest installs an in-memory keyring for every test.
    assert "MemoryKeyring" in selftest.check_keyring(tmp_path)


TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>MainWindow</name>
    <message>
        <source>Unfinished</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s)</source>
        <translation><numerusform>%n fil</numerusform><numerusform>%n fils</numerusform></translation>
    </message>
    <message>
        <source>Same</source>
        <translation>Same</translation>
    </message>
    <message>
        <source>Send</source>
        <comment>composer button</comment>
        <translation>Envoyer</translation>
    </message>
</context>
</TS>
"""


def test_known_french_string_skips_unfinished_plural_and_identical(tmp_path: Path) -> None:
    ts = tmp_path / "agent_desktop_fr.ts"
    ts.write_text(TS, encoding="utf-8")
    known = selftest.known_french_string(ts)
    assert (known.context, known.source, known.translation, known.comment) == (
        "MainWindow",
        "Send",
        "Envoyer",
        "composer button",
    )


def _compile(ts: Path, qm: Path) -> None:
    """What the build (and run.py in a source tree) does to a .ts: lrelease beside it."""
    import subprocess
    import sys

    tool = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)], check=True, timeout=120)


def test_translations_check_against_a_compiled_ts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources = tmp_path / "resources"
    (resources / "translations").mkdir(parents=True)
    ts = resources / "translations" / "agent_desktop_fr.ts"
    ts.write_text(TS, encoding="utf-8")
    _compile(ts, ts.with_suffix(".qm"))
    monkeypatch.setattr(selftest, "resources_dir", lambda: resources)
    work = tmp_path / "work"
    work.mkdir()
    detail = selftest.check_translations(work)
    assert "'Send'" in detail and "'Envoyer'" in detail


def test_translations_check_refuses_a_missing_or_stale_qm_with_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app compiles nothing at run time: a source tree whose .qm is missing or older than its
    .ts would show stale French, so the check says how to compile it instead."""
    import os

    translations = tmp_path / "resources" / "translations"
    translations.mkdir(parents=True)
    ts = translations / "agent_desktop_fr.ts"
    ts.write_text(TS, encoding="utf-8")
    monkeypatch.setattr(selftest, "resources_dir", lambda: tmp_path / "resources")
    missing = selftest.run_check("translations", selftest.check_translations, tmp_path)
    assert not missing.ok and "not compiled" in missing.detail and "run.py" in missing.detail
    stale = ts.with_suffix(".qm")
    _compile(ts, stale)
    os.utime(stale, (ts.stat().st_mtime - 60, ts.stat().st_mtime - 60))
    old = selftest.run_check("translations", selftest.check_translations, tmp_path)
    assert not old.ok and "older than" in old.detail


def test_translations_check_fails_with_a_sentence_without_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selftest, "resources_dir", lambda: tmp_path)
    result = selftest.run_check("translations", selftest.check_translations, tmp_path)
    assert not result.ok
    assert result.detail.startswith("No French translation source")


def test_report_is_one_json_object_with_the_documented_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    code = selftest.main(["--only", "tls", "keyring", "--output", str(out)])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0
    assert printed == json.loads(out.read_text(encoding="utf-8"))
    assert printed["ok"] is True
    assert [c["name"] for c in printed["checks"]] == ["tls", "keyring"]
    for check in printed["checks"]:
        assert set(check) == {"name", "ok", "detail", "seconds"}
        assert check["ok"] is True
        assert isinstance(check["detail"], str) and check["detail"]
        assert isinstance(check["seconds"], float) and check["seconds"] >= 0


def test_a_failing_check_makes_the_exit_code_non_zero(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(workdir: Path) -> str:
        raise RuntimeError("the plugin folder is empty")

    monkeypatch.setitem(selftest.CHECKS, "keyring", broken)
    code = selftest.main(["--only", "keyring"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["ok"] is False
    assert report["checks"][0]["detail"] == "RuntimeError: the plugin folder is empty"


def test_commands_run_the_same_build(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    assert selftest.app_command("--demo")[1:] == ["-m", "agent_desktop", "--demo"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert selftest.app_command("--demo") == [sys.executable, "--demo"]


@pytest.mark.slow
def test_demo_server_check_starts_the_embedded_server_as_demo_does(tmp_path: Path) -> None:
    detail = selftest.check_demo_server(tmp_path)
    assert "-m agent_desktop.server" in detail
    assert '"status": "ok"' in detail


def test_translations_check_passes_on_the_shipped_french_sources(tmp_path: Path) -> None:
    detail = selftest.check_translations(tmp_path)
    assert "agent_desktop_fr" in detail
    assert "babel fr: 1" in detail
