from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def upload_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Uploaded documents go to a fresh directory per test."""
    settings.UPLOAD_DIR = tmp_path / "uploads"  # type: ignore[attr-defined]
    return settings.UPLOAD_DIR  # type: ignore[attr-defined,no-any-return]
