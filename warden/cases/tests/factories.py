"""Build cases in a given workflow status through the real services (so transitions and audit are real)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases import services
from warden.cases.models import Case, Status
from warden.flows import case_decision, submission
from warden.testing import Personas, sample_application

# A minimal well-formed PDF (header, one object, xref, trailer, startxref, %%EOF).
# A real one-page PDF (written by pikepdf): uploads are read by a PDF parser (warden.lib.pdf_safety).
MINIMAL_PDF = (
    b"%PDF-1.3\n%\xbf\xf7\xa2\xfe\n1 0 obj\n<< /Pages 2 0 R /Type /Catalog >>\nendobj\n2 0 obj\n"
    b"<< /Count 1 /Kids [ 3 0 R ] /Type /Pages >>\nendobj\n3 0 obj\n<< /Contents 4 0 R /MediaBox "
    b"[ 0 0 200 200 ] /Parent 2 0 R /Resources << >> /Type /Page >>\nendobj\n4 0 obj\n<< /Length 0 >>\n"
    b"stream\n\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \n0000000015 00000 n \n"
    b"0000000064 00000 n \n0000000123 00000 n \n0000000229 00000 n \ntrailer << /Root 1 0 R /Size 5 "
    b"/ID [<31415926535897932384626433832795><31415926535897932384626433832795>] >>\nstartxref\n278\n%%EOF\n"
)


def client_for(user: Any) -> Client:
    """A browser session logged in as `user` (the web paths of the case tests)."""
    c = Client()
    c.force_login(user)
    return c


def api_for(user: Any) -> Client:
    """An API client with a fresh bearer token of `user`."""
    _, token = create_api_token(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def draft(p: Personas, **overrides: Any) -> Case:
    return submission.create_application(actor=p.exporter, document=sample_application(**overrides))


def submitted(p: Personas, **overrides: Any) -> Case:
    case = draft(p, **overrides)
    submission.submit_case(actor=p.exporter, case=case)
    return case


def in_initial_checks(p: Personas, **overrides: Any) -> Case:
    case = submitted(p, **overrides)
    services.start_initial_checks(actor=p.officer, case=case)
    return case


def in_consultation(p: Personas, **overrides: Any) -> Case:
    """Referred to foreign affairs (unanswered)."""
    case = in_initial_checks(p, **overrides)
    services.refer_case(actor=p.officer, case=case, teams=[p.fcdo], note="Views on the end user, please")
    return case


def advised(p: Personas, **overrides: Any) -> Case:
    """In consultation, every referral answered."""
    case = in_consultation(p, **overrides)
    referral = case.referrals.get(team=p.fcdo)
    case_decision.give_advice(actor=p.adviser_fcdo, referral=referral, kind="approve", text="No concerns")
    case.refresh_from_db()
    return case


# A refusal the engine agrees with (Belarus: embargo and deny findings): refusing the sample application to
# Norway would go against the engine's recommendation and need a second senior officer (cases.decisions).
REFUSED_DESTINATION = "BY"


def under_final_review(p: Personas, *, decision: str = "approved", **overrides: Any) -> Case:
    if decision == "refused":
        overrides.setdefault("destination", REFUSED_DESTINATION)
    case = advised(p, **overrides)
    criteria = ["EU-CP:7"] if decision == "refused" else []
    conditions = "No re-export without consent" if decision == "approved_with_conditions" else ""
    case_decision.recommend(
        actor=p.officer,
        case=case,
        decision=decision,
        reason="Assessed",
        criteria=criteria,
        conditions=conditions,
    )
    return case


def finalised(p: Personas, *, decision: str = "approved", **overrides: Any) -> Case:
    case = under_final_review(p, decision=decision, **overrides)
    criteria = ["EU-CP:7"] if decision == "refused" else []
    conditions = "No re-export without consent" if decision == "approved_with_conditions" else ""
    case_decision.finalise(
        actor=p.senior,
        case=case,
        decision=decision,
        reason="Agreed",
        criteria=criteria,
        conditions=conditions,
    )
    return case


def licensed(p: Personas, **overrides: Any) -> Case:
    from warden.flows.case_decision import issue_licence

    case = finalised(p, decision="approved", **overrides)
    issue_licence(actor=p.officer, case=case)
    return case


def under_appeal(p: Personas, **overrides: Any) -> Case:
    case = finalised(p, decision="refused", **overrides)
    services.appeal(actor=p.exporter, case=case, grounds="The end user has changed")
    return case


def withdrawn(p: Personas, **overrides: Any) -> Case:
    case = in_consultation(p, **overrides)
    services.withdraw(actor=p.exporter, case=case, reason="Order cancelled")
    return case


def closed(p: Personas, **overrides: Any) -> Case:
    case = licensed(p, **overrides)
    services.close_case(actor=p.officer, case=case, reason="Licence ended")
    return case


BUILDERS = {
    Status.DRAFT: draft,
    Status.SUBMITTED: submitted,
    Status.INITIAL_CHECKS: in_initial_checks,
    Status.CONSULTATION: in_consultation,
    Status.UNDER_FINAL_REVIEW: under_final_review,
    Status.FINALISED: finalised,
    Status.LICENCE_ISSUED: licensed,
    Status.UNDER_APPEAL: under_appeal,
    Status.WITHDRAWN: withdrawn,
    Status.CLOSED: closed,
}


def case_in(p: Personas, status: str, **kwargs: Any) -> Case:
    return BUILDERS[Status(status)](p, **kwargs)
