"""`warden serve`: static files collected only when their sources changed (collecting takes ~15 s), and the
background processes it starts beside gunicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from warden import core_cli


@pytest.fixture
def collects(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    settings.STATIC_ROOT = str(tmp_path / "static")
    runs: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: Any) -> None:
        runs.append(cmd)
        Path(settings.STATIC_ROOT).mkdir(exist_ok=True)
        (Path(settings.STATIC_ROOT) / "staticfiles.json").write_text("{}")

    monkeypatch.setattr("subprocess.run", fake_run)
    return runs


def test_static_files_are_collected_once_then_only_after_a_source_changes(
    collects: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    core_cli._collect_static_if_changed({})
    core_cli._collect_static_if_changed({})
    assert len(collects) == 1 and "collectstatic" in collects[0]
    monkeypatch.setattr(core_cli, "_static_fingerprint", lambda: "another source tree")
    core_cli._collect_static_if_changed({})
    assert len(collects) == 2


def test_a_deleted_manifest_is_collected_again(collects: list[list[str]], settings: Any) -> None:
    core_cli._collect_static_if_changed({})
    (Path(settings.STATIC_ROOT) / "staticfiles.json").unlink()
    core_cli._collect_static_if_changed({})
    assert len(collects) == 2


def test_the_fingerprint_changes_when_a_static_source_file_changes(tmp_path: Path, settings: Any) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "site.css").write_text("body { color: black }")
    settings.STATICFILES_DIRS = [str(src)]  # the setting_changed signal resets Django's cached finders
    before = core_cli._static_fingerprint()
    assert core_cli._static_fingerprint() == before
    (src / "site.css").write_text("body { color: navy; }")
    assert core_cli._static_fingerprint() != before
    (src / "new.js").write_text("")
    assert core_cli._static_fingerprint() != before


class _FakeChild:
    def __init__(self, cmd: list[str], **kwargs: Any) -> None:
        self.cmd = cmd

    def wait(self, timeout: float | None = None) -> int:
        return 0

    def poll(self) -> int:
        return 0


@pytest.mark.parametrize(("mode", "expected"), [("background", True), ("commit", False)])
def test_serve_starts_the_audit_sequencer_only_in_background_mode_on_postgresql(
    mode: str, expected: bool, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    started: list[list[str]] = []
    monkeypatch.setattr(core_cli, "_collect_static_if_changed", lambda env: None)
    monkeypatch.setattr("subprocess.Popen", lambda cmd, **kw: started.append(cmd) or _FakeChild(cmd))
    monkeypatch.setattr("signal.signal", lambda *a: None)
    monkeypatch.setattr(connection, "vendor", "postgresql")
    settings.AUDIT_SEQUENCER = mode
    assert core_cli.serve(host="127.0.0.1", port=8999, workers=1) == 0
    assert "gunicorn" in started[0] and started[1][-2:] == ["warden.cli", "worker"]  # under its lock
    assert (started[-1][-2:] == ["audit", "sequencer"]) is expected
