"""Submission: validate -> store -> submit -> screen -> assess -> queue, in one transaction.

Read top to bottom, this is what happens when an exporter submits. The case services validate the
warden.application/1 document, store the case and move it to submitted (with its SLA deadline); then the
parties are screened against the current lists, and the criteria engine assesses the case (version 1 of
its assessment), reading the matches just raised, which is why screening comes first. All of it is one
transaction: a failure in screening or in the assessment leaves nothing submitted (or, for a new
application, nothing stored). A submitted case is in the officers' queue by its status; there is no
separate queue step.

Before issue 11 the last two steps were hooks that screening and legislation registered from their
AppConfig.ready() into cases/hooks.py; they are called here, in the open.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from warden.cases import services as case_services
from warden.cases.models import Case
from warden.flows import undercut
from warden.legislation import services as legislation_services
from warden.screening import services as screening_services
from warden.screening.models import ScreeningRun


@transaction.atomic(durable=True)
def submit_case(*, actor: Any, case: Case, expected_version: int | None = None) -> Case:
    """Submit a draft (the exporter's button, `warden applications submit --case`), then screen and assess
    it; raises what the case services raise (NotPermitted, IllegalTransition, CaseConflict)."""
    submitted = case_services.mark_submitted(actor=actor, case=case, expected_version=expected_version)
    _screen_and_assess(actor=actor, case=submitted)
    return submitted


@transaction.atomic(durable=True)
def submit_application(*, actor: Any, document: dict[str, Any]) -> Case:
    """Create and submit in one transaction (the API and `warden applications submit`): either the case
    exists, is submitted, screened and assessed, or nothing was stored. Raises InvalidDocument on a
    document that does not validate."""
    case = case_services.create_and_mark_submitted(actor=actor, document=document)
    _screen_and_assess(actor=actor, case=case)
    return case


def _screen_and_assess(*, actor: Any, case: Case) -> None:
    # Screening first: the assessment reads the matches it raises (criterion findings on true matches,
    # a referral on open ones).
    screening_services.screen_case(actor=actor, case=case, trigger=ScreeningRun.Trigger.SUBMIT)
    legislation_services.assess_case(actor=actor, case=case, trigger="submit")
    undercut.check_new_application(case=case)
