"""Submission: validate -> store -> submit -> screen -> assess -> queue, in one transaction.

Validation checks the warden.application/1 document against its schema (cases.schema) and its ratings
against the control list in force (legislation.ratings, handed to the case services as `ratings`: the law
sits above cases). Every interface validates, creates and edits applications through the functions here.

Read top to bottom, this is what happens when an exporter submits. The case services validate the
warden.application/1 document, store the case and move it to submitted (with its SLA deadline); then the
parties are screened against the current lists, and the criteria engine assesses the case (version 1 of
its assessment), reading the matches just raised, which is why screening comes first. All of it is one
transaction: a failure in screening or in the assessment leaves nothing submitted (or, for a new
application, nothing stored). A submitted case is in the officers' queue by its status; there is no
separate queue step.

Before issue 11 the last two steps were hooks that screening and legislation registered from their
AppConfig.ready() into a hook registry (gone); they are called here, in the open.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from warden.accounts.models import Organisation, User
from warden.cases import schema
from warden.cases import services as case_services
from warden.cases.models import Case
from warden.cases.schema import FieldError
from warden.flows import undercut
from warden.legislation import services as legislation_services
from warden.legislation.ratings import rating_errors
from warden.screening import services as screening_services
from warden.screening.models import ScreeningRun

# ---------------------------------------------------------------------------------------------- validate


def validate_application(
    doc: Any, *, today: dt.date | None = None, as_of: dt.date | None = None, reference: Any = None
) -> list[FieldError]:
    """Every problem with `doc` (cases.schema.validate_application), ratings checked against the control
    list in force on `as_of` / the document's date / today; [] when valid. Stores nothing."""
    return schema.validate_application(
        doc, ratings=rating_errors, today=today, as_of=as_of, reference=reference
    )


def load_document(
    text: str | bytes, *, as_of: dt.date | None = None
) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """Parse JSON text and validate it as above (an upload, a file given to the CLI)."""
    return schema.load_document(text, ratings=rating_errors, as_of=as_of)


# ---------------------------------------------------------------------------------------------- store


def create_application(*, actor: User, document: dict[str, Any]) -> Case:
    """Store a valid document as a draft (cases.services.create_application); InvalidDocument otherwise."""
    return case_services.create_application(actor=actor, document=document, ratings=rating_errors)


def update_draft(
    *, actor: User, case: Case, document: dict[str, Any], expected_version: int | None = None
) -> Case:
    """Replace a draft's document with a new valid one (cases.services.update_draft)."""
    return case_services.update_draft(
        actor=actor, case=case, document=document, ratings=rating_errors, expected_version=expected_version
    )


# ---------------------------------------------------------------------------------------------- submit


@transaction.atomic(durable=True)
def submit_case(*, actor: User, case: Case, expected_version: int | None = None) -> Case:
    """Submit a draft (the exporter's button, `warden applications submit --case`), then screen and assess
    it; raises what the case services raise (NotPermitted, IllegalTransition, CaseConflict)."""
    submitted = case_services.mark_submitted(actor=actor, case=case, expected_version=expected_version)
    _screen_and_assess(actor=actor, case=submitted)
    return submitted


@transaction.atomic(durable=True)
def submit_application(*, actor: User, document: dict[str, Any]) -> Case:
    """Create and submit in one transaction (the API and `warden applications submit`): either the case
    exists, is submitted, screened and assessed, or nothing was stored. Raises InvalidDocument on a
    document that does not validate."""
    case = case_services.create_and_mark_submitted(actor=actor, document=document, ratings=rating_errors)
    _screen_and_assess(actor=actor, case=case)
    return case


@transaction.atomic
def submit_for_holder(*, actor: User, organisation: Organisation, document: dict[str, Any]) -> Case:
    """An officer's proposal on `organisation`'s behalf, created submitted, then screened and assessed, in the
    caller's transaction (warden.flows.licence_amendment links it to the licence in the same one)."""
    case = case_services.create_for_holder(
        actor=actor, organisation=organisation, document=document, ratings=rating_errors
    )
    _screen_and_assess(actor=actor, case=case)
    return case


def _screen_and_assess(*, actor: User, case: Case) -> None:
    # Screening first: the assessment reads the matches it raises (criterion findings on true matches,
    # a referral on open ones).
    screening_services.screen_case(actor=actor, case=case, trigger=ScreeningRun.Trigger.SUBMIT)
    legislation_services.assess_case(actor=actor, case=case, trigger="submit")
    undercut.check_new_application(case=case)
