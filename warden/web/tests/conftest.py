from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import TestCase

from warden.web.tests.authz_world import World, build


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The authorisation matrix's objects (authz_world.py), built once per module inside a transaction rolled
    back at the end; each test runs in its own savepoint (pytest-django), so a change one test makes is gone
    before the next."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            yield build()
        finally:
            TestCase._rollback_atomics(atomics)
