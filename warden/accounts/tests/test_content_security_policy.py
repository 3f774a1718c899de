"""The Content-Security-Policy (issue 14 §3): every page carries it, and no template needs an exception."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from warden.testing import Personas

POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
}

# Rendered by WeasyPrint into PDFs, never shown by a browser: their <style> is not subject to the policy.
PDF_ONLY = {"licence_pdf.html", "report.html", "refusal_letter.html"}


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/", "/cases/", "/cases/new/", "/licences/", "/audit/"])
def test_every_page_carries_the_policy(url: str, personas: Personas) -> None:
    client = Client()
    if url != "/login/":
        client.force_login(personas.officer if url == "/audit/" else personas.exporter)
    response = client.get(url)
    assert response.status_code in (200, 302, 403)
    assert _directives(response["Content-Security-Policy"]) == POLICY


def test_no_browser_template_has_inline_script_style_or_handlers() -> None:
    root = Path(__file__).resolve().parents[2]
    offending = []
    for path in root.glob("**/templates/**/*.html"):
        if path.name in PDF_ONLY:
            continue
        text = path.read_text(encoding="utf-8")
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", text)
            or re.search(r"<style\b", text)
            or re.search(r"\sstyle=", text)
            or re.search(r"\son[a-z]+=", text)
            or "javascript:" in text
        ):
            offending.append(str(path.relative_to(root)))
    assert offending == []
