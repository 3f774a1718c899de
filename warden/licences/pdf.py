"""The licence document as a PDF, rendered with WeasyPrint from licences/licence_pdf.html.

Each PDF carries the licence's public verification URL and a QR code of it, and the status on the day it is
rendered: a suspended, revoked, surrendered or expired licence is marked so on every page (a watermark and a
status line in the page margin), because a page may be copied or faxed on its own."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from warden.accounts.actors import Actor
from warden.accounts.models import Organisation
from warden.audit.services import record
from warden.cases.models import PartyRole
from warden.lib.clock import today
from warden.lib.errors import NotPermitted
from warden.licences.destinations import destination_rows_for_page
from warden.licences.models import NOT_VALID_STATUSES, Licence, LicenceStatus
from warden.licences.policy import can_view_licence


def qr_svg_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI (vector, so it stays sharp in print; segno needs no Pillow)."""
    import segno

    uri: str = segno.make(text, error="m").svg_data_uri(scale=4, border=2)
    return uri


def status_notice(licence: Licence) -> str:
    """The warning printed on every page of a licence that may not be relied on today; "" for a valid one."""
    status = licence.effective_status(today())
    if status not in NOT_VALID_STATUSES:
        return ""
    label = LicenceStatus(status).label.upper()
    return f"{label}: this licence is not valid for export. Check its current status at the verification URL."


def render_licence_pdf(licence: Licence) -> bytes:
    """The PDF bytes of `licence` (number, holder, destination, validity, goods lines with quantity and value,
    conditions, issuing officer). No permission check: use licence_pdf() for users."""
    import weasyprint  # imported lazily: it loads Pango and fonts, which the web process rarely needs

    case = licence.case
    parties = list(case.parties.all())
    destinations = destination_rows_for_page(licence)
    if destinations:
        # A global licence names only the parties of the destinations it licenses, not the refused ones'.
        licensed = {int(p["index"]) for d in destinations for p in d["parties"]}
        parties = [p for p in parties if p.index in licensed]
    status = licence.effective_status(today())
    authority = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).order_by("pk").first()
    html = render_to_string(
        "licences/licence_pdf.html",
        {
            "licence": licence,
            "case": case,
            "lines": licence.lines.select_related("goods_line").order_by("goods_line__line_no"),
            "destinations": destinations,
            "end_users": [p for p in parties if p.role == PartyRole.END_USER],
            "consignees": [p for p in parties if p.role == PartyRole.CONSIGNEE],
            "licence_type_label": case.get_licence_type_display(),
            "authority_name": authority.name if authority else "Export Control Authority",
            "issued_on": timezone.localtime(licence.issued_at) if licence.issued_at else licence.valid_from,
            "status_label": LicenceStatus(status).label,
            "watermark": LicenceStatus(status).label.upper() if status in NOT_VALID_STATUSES else "",
            "status_notice": status_notice(licence),
            "verification_url": licence.verification_url(),
            "verification_qr": qr_svg_data_uri(licence.verification_url()),
        },
    )
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def licence_pdf(*, actor: Actor, licence: Licence) -> bytes:
    """The PDF for a user who may see the licence's case; the download is an audit entry."""
    if not can_view_licence(actor, licence):
        raise NotPermitted("No such licence")
    with transaction.atomic():
        record(
            actor=actor,
            action="licence.download",
            target=licence,
            data={"number": licence.number},
            case_id=licence.case_id,
        )
    return render_licence_pdf(licence)
