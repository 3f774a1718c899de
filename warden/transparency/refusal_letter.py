"""The refusal letter: the PDF a refused applicant receives, stating the decision, each criterion cited in
words with its legal citation, the reasons given, and the appeal route and deadline.

It reads cases and the law (warden.legislation.criteria) and lives here, above both: warden.cases must not
import it (the case page only links to its URL). The letter is rendered from what was stored at the decision,
so it reads the same whenever it is downloaded; only the criteria's wording comes from the ruleset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from warden.accounts.actors import Actor
from warden.accounts.models import Organisation
from warden.audit.services import record
from warden.cases import policy as case_policy
from warden.cases.models import Case, Decision
from warden.cases.transitions import APPEAL_WINDOW_DAYS
from warden.legislation.citable import citable_now
from warden.legislation.criteria import INSTRUMENT_CRITERIA
from warden.lib import clock
from warden.lib.errors import NotPermitted, WorkflowError


@dataclass(frozen=True)
class CitedCriterion:
    code: str
    label: str
    citation: str


def cited_criteria(case: Case) -> list[CitedCriterion]:
    """The criteria of the refusal in words: instruments from their fixed texts, national rules from the
    ruleset in force on the day of the decision (a code no longer in the ruleset is shown as itself)."""
    on = clock.local_date(case.finalised_at) if case.finalised_at else clock.today()
    known = {c.code: c for c in INSTRUMENT_CRITERIA}
    known.update({c.code: c for c in citable_now(on)})
    out = []
    for code in case.decision_criteria or []:
        c = known.get(code)
        out.append(
            CitedCriterion(code, c.label, c.citation)
            if c
            else CitedCriterion(code, code, "(no longer in force)")
        )
    return out


def can_have_letter(actor: Actor, case: Case) -> bool:
    """The applicant and the officers who may see the case, once the case is refused."""
    return case.decision == Decision.REFUSED and case_policy.can_view_case(actor, case)


def render_refusal_letter(case: Case) -> bytes:
    """The PDF bytes of the refusal letter for `case`. No permission check: use refusal_letter() for users."""
    import weasyprint  # lazily: it loads Pango and fonts, which most requests never need

    if case.decision != Decision.REFUSED or case.finalised_at is None:
        raise WorkflowError(f"Case {case.reference} is not refused: there is no refusal letter.")
    decided_on = clock.local_date(case.finalised_at)
    authority = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).order_by("pk").first()
    html = render_to_string(
        "transparency/refusal_letter.html",
        {
            "case": case,
            "organisation": case.organisation,
            "criteria": cited_criteria(case),
            "decided_on": decided_on,
            "appeal_deadline": case_policy.appeal_deadline(case)
            or decided_on + dt.timedelta(days=APPEAL_WINDOW_DAYS),
            "appeal_days": APPEAL_WINDOW_DAYS,
            "appeal_route": settings.REFUSAL_APPEAL_ROUTE,
            "appeal_citation": settings.REFUSAL_APPEAL_CITATION,
            "authority_name": authority.name if authority else "Export Control Authority",
            "goods": list(case.goods.order_by("line_no")),
        },
    )
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def refusal_letter(*, actor: Actor, case: Case) -> bytes:
    """The refusal letter for a user who may have it; the download is an audit entry."""
    if not can_have_letter(actor, case):
        raise NotPermitted("No refusal letter for this case")
    with transaction.atomic():
        record(
            actor=actor,
            action="case.refusal_letter.download",
            target=case,
            data={"reference": case.reference},
            case_id=case.pk,
        )
    return render_refusal_letter(case)
