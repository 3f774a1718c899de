"""Passwords close to the username or e-mail are refused (issue 14 §3)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from warden.testing import Personas

pytestmark = pytest.mark.django_db


def test_a_password_like_the_username_is_refused(personas: Personas) -> None:
    user = personas.exporter
    user.username = "harbourmaster"
    with pytest.raises(ValidationError, match="too similar"):
        validate_password("harbourmaster1", user)


def test_a_password_like_the_email_is_refused(personas: Personas) -> None:
    user = personas.exporter
    user.email = "quartermaster@example.org"
    with pytest.raises(ValidationError, match="too similar"):
        validate_password("quartermaster@example", user)


def test_an_unrelated_long_password_is_accepted(personas: Personas) -> None:
    validate_password("violet-harbour-tractor-91", personas.exporter)
