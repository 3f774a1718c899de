"""Intake: a warden.application/1 document validated and stored as a draft, edited, submitted."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from warden.accounts.models import Organisation, User
from warden.cases import policy
from warden.cases.models import (
    Case,
    GoodsLine,
    Party,
    PartyRole,
    Status,
)
from warden.cases.schema import FieldError, RatingCheck, validate_application
from warden.cases.services.workflow import (
    _lock,
    _move,
    _sync,
)
from warden.cases.sla import deadline_from, sla_days_for
from warden.cases.transitions import Action
from warden.lib import clock
from warden.lib.errors import InvalidInput


class InvalidDocument(InvalidInput):
    """The application document does not validate; nothing was stored."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        first = errors[0] if errors else FieldError("", "invalid")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first.pointer or 'document'}: {first.message}{more}", field=first.pointer)
        self.errors = list(errors)


def _amount(value: Any) -> Decimal:
    # JSON numbers arrive as int or float; str() first so 0.1 stays 0.1 rather than its binary expansion.
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _store_document_rows(case: Case, doc: dict[str, Any]) -> None:
    """Fields, goods lines and parties of the case from its document (replacing any previous ones)."""
    euc = doc.get("end_user_certificate") or {}
    case.document = doc
    case.client_reference = (doc.get("reference") or "")[:60]
    case.licence_type = doc["licence_type"]
    case.destination = doc["destination"]
    case.end_use = doc["end_use"].strip()
    case.euc_number = euc.get("number", "")
    case.euc_issued_on = dt.date.fromisoformat(euc["issued_on"]) if euc.get("issued_on") else None
    case.euc_re_export = euc.get("re_export", "")
    case.euc_delivery_verification = bool(euc.get("delivery_verification", False))
    case.euc_post_shipment_verification = bool(euc.get("post_shipment_verification", False))
    case.sla_days = sla_days_for(case.licence_type)
    case.save()
    case.goods.all().delete()
    case.parties.all().delete()
    GoodsLine.objects.bulk_create(
        GoodsLine(
            case=case,
            line_no=i,
            description=g["description"].strip(),
            rating=g["rating"],
            quantity=g["quantity"],
            value_amount=_amount(g["value"]["amount"]),
            currency=g["value"]["currency"],
        )
        for i, g in enumerate(doc["goods"])
    )
    parties = [
        Party(
            case=case,
            index=i,
            role=p["role"],
            party_type=p["type"],
            sector=p.get("sector", "unknown"),
            name=p["name"].strip(),
            aliases=p.get("aliases", []),
            country=p.get("country", ""),
            address=p.get("address", ""),
            identifiers=p.get("identifiers", []),
            date_of_birth=p.get("date_of_birth", ""),
            nationality=p.get("nationality", ""),
        )
        for i, p in enumerate(doc["parties"])
    ]
    exporter = doc["exporter"]
    reg = exporter.get("registration_number", "")
    parties.append(
        Party(
            case=case,
            index=len(doc["parties"]),
            role=PartyRole.EXPORTER,
            party_type="organisation",
            sector="commercial",
            name=exporter["name"].strip(),
            country=exporter["country"],
            address=exporter.get("address", ""),
            identifiers=[{"type": "registration_number", "number": reg}] if reg else [],
        )
    )
    Party.objects.bulk_create(parties)


def _validated(document: Any, ratings: RatingCheck) -> dict[str, Any]:
    errors = validate_application(document, ratings=ratings)
    if errors:
        raise InvalidDocument(errors)
    return document  # type: ignore[no-any-return]


def _same(a: str, b: str) -> bool:
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold()


def exporter_of(organisation: Organisation, document: dict[str, Any]) -> dict[str, Any]:
    """The document with its exporter taken from the applicant's organisation: the exporter party (and the
    party screened) is always the account's organisation. A document naming another exporter (name,
    country or registration number) is refused with an error that says so; fields it leaves out are filled
    from the organisation."""
    given = document.get("exporter") or {}
    errors = []
    wanted = {
        "name": organisation.name,
        "country": organisation.country,
        "registration_number": organisation.registration_number,
    }
    labels = {"name": "name", "country": "country", "registration_number": "registration number"}
    for key, value in wanted.items():
        if key in given and not _same(given[key], value):
            shown = f"'{value}'" if value else "none on record"
            errors.append(
                FieldError(
                    f"/exporter/{key}",
                    f"the exporter must be your organisation, {organisation.name}: its {labels[key]} is "
                    f"{shown}, not '{given[key]}'",
                )
            )
    if errors:
        raise InvalidDocument(errors)
    exporter: dict[str, Any] = {"name": organisation.name, "country": organisation.country}
    if organisation.registration_number:
        exporter["registration_number"] = organisation.registration_number
    address = organisation.address or given.get("address", "")
    if address:
        exporter["address"] = address
    return {**document, "exporter": exporter}


def _create(*, actor: User, document: dict[str, Any], ratings: RatingCheck) -> Case:
    policy.check_act(actor, None, Action.CREATE)
    organisation = actor.organisation
    assert organisation is not None  # policy: only an exporter of a registered organisation creates
    doc = exporter_of(organisation, _validated(document, ratings))
    case = _new_case(actor, organisation, doc)
    _move(actor=actor, case=case, action=Action.CREATE, data={"licence_type": case.licence_type})
    return case


def _new_case(actor: User, organisation: Organisation, doc: dict[str, Any], **fields: Any) -> Case:
    """A draft case of `organisation` holding the validated `doc` and its rows; the caller's transition
    (create, or an officer's proposal for the holder) follows in the same transaction."""
    case = Case(
        reference=f"NEW-{uuid.uuid4().hex}",  # replaced below once the primary key is known
        organisation=organisation,
        created_by=actor,
        licence_type=doc["licence_type"],
        destination=doc["destination"],
        end_use=doc["end_use"],
        document=doc,
        status=Status.DRAFT,
        **fields,
    )
    case.save()
    case.reference = f"APP-{clock.today().year}-{case.pk:06d}"
    _store_document_rows(case, doc)
    return case


def _submit(*, actor: User, case: Case) -> None:
    policy.check_act(actor, case, Action.SUBMIT)
    now = timezone.now()
    case.submitted_at = now
    case.sla_days = sla_days_for(case.licence_type)
    case.sla_deadline = deadline_from(clock.local_date(now), case.licence_type)
    _move(
        actor=actor,
        case=case,
        action=Action.SUBMIT,
        data={"sla_deadline": case.sla_deadline.isoformat(), "sla_days": case.sla_days},
    )
    # Screening and the criteria assessment follow in the caller's transaction: warden.flows.submission.


# ---------------------------------------------------------------------------------------------- intake


@transaction.atomic(durable=True)
def create_application(*, actor: User, document: dict[str, Any], ratings: RatingCheck) -> Case:
    """Validate a warden.application/1 document and store it as a draft case of the actor's organisation
    (goods lines, parties, and the exporter party: the actor's organisation, see exporter_of). Raises InvalidDocument
    (nothing stored) when the document does not validate; `ratings` checks the ratings against the control
    list in force (warden.flows.submission passes it)."""
    return _create(actor=actor, document=document, ratings=ratings)


@transaction.atomic(durable=True)
def update_draft(
    *,
    actor: User,
    case: Case,
    document: dict[str, Any],
    ratings: RatingCheck,
    expected_version: int | None = None,
) -> Case:
    """Replace a draft's document (and its goods and parties) with a new valid version."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.EDIT_DRAFT)
    doc = exporter_of(locked.organisation, _validated(document, ratings))
    _store_document_rows(locked, doc)
    _move(actor=actor, case=locked, action=Action.EDIT_DRAFT)
    # A draft is neither screened nor assessed yet: nothing to re-run (submission does both).
    _sync(case, locked)
    return locked


@transaction.atomic
def mark_submitted(*, actor: User, case: Case, expected_version: int | None = None) -> Case:
    """The case's part of a submission: sets submitted_at and the SLA deadline (sla.SLA_WORKING_DAYS
    working days). Called by warden.flows.submission.submit_case, which screens and assesses the case next
    in the same transaction; call that, not this."""
    locked = _lock(case, expected_version)
    _submit(actor=actor, case=locked)
    _sync(case, locked)
    return locked


@transaction.atomic
def create_for_holder(
    *, actor: User, organisation: Organisation, document: dict[str, Any], ratings: RatingCheck
) -> Case:
    """An officer's proposal on a licence holder's behalf (cases.transitions PROPOSE_FOR_HOLDER): the case is
    the holder's organisation's, created by the officer and submitted at once (the officer writes the terms;
    there is no draft for the holder to edit). Screening and assessment follow in the caller's transaction
    (warden.flows.submission.submit_for_holder); the officer may not decide it (cases.policy)."""
    policy.check_act(actor, None, Action.PROPOSE_FOR_HOLDER)
    doc = exporter_of(organisation, _validated(document, ratings))
    now = timezone.now()
    deadline = deadline_from(clock.local_date(now), doc["licence_type"])
    case = _new_case(
        actor,
        organisation,
        doc,
        submitted_at=now,
        sla_days=sla_days_for(doc["licence_type"]),
        sla_deadline=deadline,
    )
    _move(
        actor=actor,
        case=case,
        action=Action.PROPOSE_FOR_HOLDER,
        data={"licence_type": case.licence_type, "sla_deadline": deadline.isoformat()},
    )
    return case


@transaction.atomic
def create_and_mark_submitted(*, actor: User, document: dict[str, Any], ratings: RatingCheck) -> Case:
    """The case's part of warden.flows.submission.submit_application: validate, store and submit (call
    the flow, which screens and assesses next in the same transaction)."""
    case = _create(actor=actor, document=document, ratings=ratings)
    _submit(actor=actor, case=case)
    return case
