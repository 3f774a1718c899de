"""Fixtures shared by the legislation tests."""

from __future__ import annotations

from typing import Any

import pytest

from warden.legislation.loader import read_bundle


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    """The bundled reference data as read from the files (tests deep-copy it before changing it)."""
    return read_bundle()
