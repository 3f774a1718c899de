"""The licence PDF carries the verification URL and a QR code of it, and a licence that may not be relied on
(suspended, revoked, expired) is marked so on every page: a watermark and a status line in the margin."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from warden.cases.tests import factories as f
from warden.flows.case_decision import issue_licence
from warden.licences.models import Licence
from warden.licences.pdf import licence_pdf
from warden.licences.services import revoke_licence, suspend_licence
from warden.testing import Personas

pytestmark = pytest.mark.django_db

# Long enough to push the document onto several pages, so that "every page" is tested and not only the first.
LONG_CONDITIONS = "\n".join(
    f"{n}. The holder shall report every shipment made under this licence within 30 days."
    for n in range(1, 90)
)


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def long_licence(p: Personas) -> Licence:
    case = f.finalised(p, decision="approved")
    return issue_licence(actor=p.officer, case=case, conditions=LONG_CONDITIONS)


def test_it_prints_the_verification_url_and_a_qr_code(
    personas: Personas, settings: pytest.FixtureRequest
) -> None:
    settings.PUBLIC_BASE_URL = "https://licensing.example.gov"  # type: ignore[attr-defined]
    lic = f.licensed(personas).licence
    pdf = licence_pdf(actor=personas.exporter, licence=lic)
    text = " ".join(pages_text(pdf))
    assert f"https://licensing.example.gov/verify/{lic.verification_code}/" in text.replace(" ", "")
    assert lic.verification_code in text.replace(" ", "")
    assert qr_modules_drawn(pdf) == qr_modules(lic.verification_url())


def qr_modules(text: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) of the QR code segno makes for `text`."""
    import segno

    matrix = segno.make(text, error="m").matrix
    return {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}


def qr_modules_drawn(pdf: bytes) -> set[tuple[int, int]]:
    """The dark modules of the QR code as drawn on the last page: segno's SVG is one path of horizontal runs
    ("x y m" to "x2 y l", y on the module's centre line, 2 modules of border), which WeasyPrint keeps."""
    import re

    content = PdfReader(io.BytesIO(pdf)).pages[-1].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    cells: set[tuple[int, int]] = set()
    for x1, y, x2 in re.findall(r"(?m)^(\d+) (\d+)\.5 m\n(\d+) \2\.5 l$", content):
        cells |= {(int(y) - 2, x - 2) for x in range(int(x1), int(x2))}
    return cells


def test_a_valid_licence_carries_no_warning(personas: Personas) -> None:
    lic = long_licence(personas)
    pages = pages_text(licence_pdf(actor=personas.exporter, licence=lic))
    assert len(pages) >= 2
    assert not any("not valid for export" in page for page in pages)


def test_a_suspended_licence_is_marked_on_every_page(personas: Personas) -> None:
    lic = long_licence(personas)
    suspend_licence(actor=personas.senior, licence=lic, reason="Embargo under review")
    pages = pages_text(licence_pdf(actor=personas.exporter, licence=lic))
    assert len(pages) >= 2
    for page in pages:
        assert "SUSPENDED: this licence is not valid for export" in page
        assert page.count("SUSPENDED") >= 2  # the status line and the watermark


def test_a_revoked_licence_is_marked_on_every_page(personas: Personas) -> None:
    lic = long_licence(personas)
    revoke_licence(actor=personas.senior, licence=lic, reason="False end-user statement")
    pages = pages_text(licence_pdf(actor=personas.exporter, licence=lic))
    assert len(pages) >= 2
    assert all("REVOKED: this licence is not valid for export" in page for page in pages)


def test_an_expired_licence_is_marked_on_every_page_even_before_the_expiry_job(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    lic = long_licence(personas)
    later = dt.datetime.combine(lic.valid_until + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    pages = pages_text(licence_pdf(actor=personas.exporter, licence=lic))
    assert len(pages) >= 2
    assert all("EXPIRED: this licence is not valid for export" in page for page in pages)
