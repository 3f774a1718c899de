"""The demo's licence amendment, made through the real flows: the holder of a demo licence with goods still
to ship asks for two more of its first line; the officers decide the amendment case as the engine
recommends, and it is granted as version 2. If a decision gate stops it (a screening match to review), it
stays in the queue as an amendment being decided, which is an example too. Constructed data."""

from __future__ import annotations

import contextlib
import copy

from django.db.models import F

from warden.accounts.models import User
from warden.cases import services as case_services
from warden.cases.models import Case
from warden.flows import case_decision, licence_amendment, submission
from warden.legislation.versions import current
from warden.lib.errors import WorkflowError
from warden.licences.models import Licence, LicenceAmendment, LicenceStatus

DECISION = {"approve": "approved", "approve_with_conditions": "approved_with_conditions"}


def ensure_demo_amendment(*, exporters: list[User], officer: User, senior: User) -> str | None:
    """The amendment case's reference (once), or None when there is one already or no licence to amend."""
    if LicenceAmendment.objects.exists():
        return None
    holders = {u.organisation_id: u for u in exporters if u.organisation_id is not None}
    licences = (
        Licence.objects.filter(status=LicenceStatus.ISSUED, case__organisation_id__in=holders)
        .filter(lines__shipped_quantity__lt=F("lines__quantity"))
        .select_related("case")
        .distinct()
        .order_by("pk")
    )
    for licence in licences:
        holder = holders[licence.case.organisation_id]
        draft = licence_amendment.propose(
            actor=holder, licence=licence, reason="The customer ordered two more of the first line's goods"
        )
        doc = copy.deepcopy(draft.document)
        first = doc["goods"][0]
        unit = float(first["value"]["amount"]) / max(int(first["quantity"]), 1)
        first["quantity"] = int(first["quantity"]) + 2
        first["value"]["amount"] = round(unit * first["quantity"], 2)
        submission.update_draft(actor=holder, case=draft, document=doc)
        submission.submit_case(actor=holder, case=draft)
        # Held at a gate (a screening match to review), it stays as an amendment being decided.
        with contextlib.suppress(WorkflowError):
            _decide(draft, officer=officer, senior=senior)
        return draft.reference
    return None


def _decide(case: Case, *, officer: User, senior: User) -> None:
    assessment = current(case)
    recommendation = assessment.recommendation if assessment else "refer"
    decision = DECISION.get(recommendation)
    if decision is None:
        return  # the engine refers or refuses: leave it with the officers
    conditions = "As the licence it amends" if decision == "approved_with_conditions" else ""
    case_services.start_initial_checks(actor=officer, case=case)
    case_decision.recommend(actor=officer, case=case, decision=decision, reason="Demo", conditions=conditions)
    case_decision.finalise(actor=senior, case=case, decision=decision, reason="Demo", conditions=conditions)
    case_decision.issue_licence(actor=officer, case=case)
