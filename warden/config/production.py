"""What Warden refuses to start with when WARDEN_PRODUCTION=1 (called from settings.py, before Django is
set up, so it raises ImproperlyConfigured and the process stops with the reasons).

Why refuse rather than warn: an export-control authority's server signs sessions, CSRF tokens and password
reset links with SECRET_KEY; the development key is in the public repository, so anyone could forge a
senior officer's session. Debug pages print settings and tracebacks with case data to whoever asks."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

MIN_KEY_LENGTH = 50  # Django's own deploy check (security.W009): at least 50 characters, 5 distinct
MIN_KEY_DISTINCT = 5


def unsafe_settings(*, secret_key: str, development_key: str, debug: bool) -> list[str]:
    """The reasons this configuration is unsafe for production; [] when it is not."""
    problems = []
    if not secret_key or secret_key == development_key:
        problems.append("WARDEN_SECRET_KEY is not set (the shipped development key is public)")
    elif len(secret_key) < MIN_KEY_LENGTH or len(set(secret_key)) < MIN_KEY_DISTINCT:
        problems.append(
            f"WARDEN_SECRET_KEY is too short or too plain (needs at least {MIN_KEY_LENGTH} characters and "
            f"{MIN_KEY_DISTINCT} different ones; make one with "
            '`python -c "import secrets; print(secrets.token_urlsafe(64))"`)'
        )
    elif secret_key.startswith("django-insecure-"):
        problems.append("WARDEN_SECRET_KEY is a Django development key ('django-insecure-...')")
    if debug:
        problems.append("WARDEN_DEBUG=1 shows tracebacks and settings to any visitor")
    return problems


def refuse_unsafe(*, secret_key: str, development_key: str, debug: bool) -> None:
    problems = unsafe_settings(secret_key=secret_key, development_key=development_key, debug=debug)
    if problems:
        raise ImproperlyConfigured(
            "Warden refuses to start with WARDEN_PRODUCTION=1: " + "; ".join(problems) + "."
        )
