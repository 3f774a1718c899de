"""Uploaded documents: PDF only, judged by content (not the name), size-capped, stored under UPLOAD_DIR by
SHA-256, and served only to those who may see the case, with every download audited."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from warden.audit.models import AuditEntry
from warden.cases import services
from warden.cases.tests import factories as f
from warden.cases.transitions import InvalidInput, NotPermitted
from warden.flows import amendment
from warden.testing import Personas

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def test_a_pdf_is_accepted_whatever_its_name_and_stored_by_hash(personas: Personas, upload_dir: Path) -> None:
    case = f.submitted(personas)
    doc = amendment.upload_document(
        actor=personas.exporter,
        case=case,
        filename="../../etc/certificate.txt",
        content=f.MINIMAL_PDF,
        kind="euc",
    )
    sha = hashlib.sha256(f.MINIMAL_PDF).hexdigest()
    assert doc.sha256 == sha and doc.size == len(f.MINIMAL_PDF)
    assert doc.filename == "certificate.txt"  # no path components survive
    stored = upload_dir / sha[:2] / sha
    assert stored.read_bytes() == f.MINIMAL_PDF
    assert AuditEntry.objects.filter(case_id=case.pk, action="case.upload_document").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (PNG, "not a PDF"),
        (b"", "empty"),
        (b"Hello %PDF-1.4", "not a PDF"),
        (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "truncated"),
        (
            f.MINIMAL_PDF.replace(
                b"/Type /Catalog >>", b"/Type /Catalog /OpenAction << /S /J#61vaScript /JS (x) >> >>"
            ),
            "scripts",
        ),
    ],
)
def test_anything_else_is_refused_by_content(personas: Personas, content: bytes, words: str) -> None:
    case = f.submitted(personas)
    with pytest.raises(InvalidInput, match=words):
        amendment.upload_document(
            actor=personas.exporter, case=case, filename="euc.pdf", content=content, kind="euc"
        )
    assert case.documents.count() == 0


def test_the_size_cap_holds(personas: Personas, settings: object) -> None:
    settings.DOCUMENT_MAX_BYTES = 100  # type: ignore[attr-defined]
    case = f.submitted(personas)
    big = f.MINIMAL_PDF[:-6] + b" " * 200 + b"%%EOF\n"
    with pytest.raises(InvalidInput, match="limit is 100 bytes"):
        amendment.upload_document(
            actor=personas.exporter, case=case, filename="a.pdf", content=big, kind="euc"
        )


def test_only_those_who_see_the_case_can_open_a_document(personas: Personas) -> None:
    p = personas
    case = f.in_consultation(p)
    doc = amendment.upload_document(
        actor=p.exporter, case=case, filename="euc.pdf", content=f.MINIMAL_PDF, kind="euc"
    )
    for user in (p.exporter, p.officer, p.adviser_fcdo, p.oversight):
        with services.open_document(actor=user, document=doc) as fh:
            assert fh.read() == f.MINIMAL_PDF
    downloads = AuditEntry.objects.filter(case_id=case.pk, action="document.download")
    assert sorted(downloads.values_list("actor_label", flat=True)) == sorted(
        [p.exporter.username, p.officer.username, p.adviser_fcdo.username, p.oversight.username]
    )
    for user in (p.exporter_b, p.adviser_mod, p.admin):
        with pytest.raises(NotPermitted):
            services.open_document(actor=user, document=doc)
    assert downloads.count() == 4


def test_another_organisation_cannot_upload_to_my_case(personas: Personas) -> None:
    case = f.submitted(personas)
    with pytest.raises(NotPermitted):
        amendment.upload_document(
            actor=personas.exporter_b, case=case, filename="x.pdf", content=f.MINIMAL_PDF, kind="euc"
        )


def test_documents_attached_by_officers_are_internal(personas: Personas) -> None:
    from warden.cases import policy

    p = personas
    case = f.in_initial_checks(p)
    mine = amendment.upload_document(
        actor=p.exporter, case=case, filename="euc.pdf", content=f.MINIMAL_PDF, kind="euc"
    )
    internal = amendment.upload_document(
        actor=p.officer, case=case, filename="report.pdf", content=f.MINIMAL_PDF + b"%", kind="internal"
    )
    assert list(policy.visible_documents(p.exporter, case)) == [mine]
    assert list(policy.visible_documents(p.officer, case)) == [mine, internal]
    with pytest.raises(NotPermitted):
        services.open_document(actor=p.exporter, document=internal)
