"""The demo's global licence, made through the real flows: a demo exporter applies for a global licence for
rotor parts to Norway, Sweden and Belarus (one destination line each, Sweden's capped); the officers approve
it with the Belarus line refused (the EU arms embargo), and the licence lists Norway and Sweden only. If a
decision gate stops it (a screening match to review), it stays in the queue, which is an example too.
Constructed data."""

from __future__ import annotations

import contextlib

from warden.accounts.models import User
from warden.cases import services as case_services
from warden.cases.models import Case, LicenceType
from warden.flows import case_decision, submission
from warden.lib.errors import WorkflowError
from warden.testing import exporter_of, sample_global_application


def ensure_demo_global_licence(*, exporter: User, officer: User, senior: User) -> str | None:
    """The global case's reference (once), or None when the demo has one already."""
    if Case.objects.filter(licence_type=LicenceType.GLOBAL, document__has_key="destinations").exists():
        return None
    assert exporter.organisation is not None
    doc = sample_global_application(exporter=exporter_of(exporter.organisation))
    doc.pop("reference", None)
    doc.pop("submitted_on", None)
    case = submission.submit_application(actor=exporter, document=doc)
    with contextlib.suppress(WorkflowError):
        case_services.start_initial_checks(actor=officer, case=case)
        case_decision.recommend(
            actor=officer, case=case, decision="approved", reason="Demo: Norway and Sweden; not Belarus"
        )
        case_decision.finalise(
            actor=senior,
            case=case,
            decision="approved",
            reason="Demo: licensed for Norway and Sweden; Belarus refused under the EU arms embargo",
            refused_lines={2: ["EU-CP:1"]},
        )
        case_decision.issue_licence(actor=officer, case=case)
    return case.reference
