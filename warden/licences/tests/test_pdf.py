"""The licence PDF: a real PDF with the licence number in it, and only for those who may see the case."""

from __future__ import annotations

import re
import zlib

import pytest

from warden.audit.models import AuditEntry
from warden.cases.tests import factories as f
from warden.cases.transitions import NotPermitted
from warden.licences.pdf import licence_pdf
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """Text of a PDF: pypdf if installed, otherwise the raw bytes of every (inflated) content stream."""
    try:
        import io

        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:
        chunks = []
        for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
            try:
                chunks.append(zlib.decompress(m.group(1)))
            except zlib.error:
                chunks.append(m.group(1))
        return b"\n".join(chunks).decode("latin-1")


def test_it_renders_a_pdf_with_the_licence_number(personas: Personas) -> None:
    lic = f.licensed(personas).licence
    pdf = licence_pdf(actor=personas.exporter, licence=lic)
    assert pdf.startswith(b"%PDF")
    # WeasyPrint subsets fonts, so text is glyph ids rather than characters; the document title is plain.
    assert lic.number.encode() in pdf or lic.number in pdf_text(pdf)
    assert AuditEntry.objects.filter(action="licence.download", case_id=lic.case_id).count() == 1


def test_another_organisation_cannot_get_it(personas: Personas) -> None:
    lic = f.licensed(personas).licence
    with pytest.raises(NotPermitted):
        licence_pdf(actor=personas.exporter_b, licence=lic)
