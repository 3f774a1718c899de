"""The licence lifecycle: issue (the case's ISSUE_LICENCE transition), suspend, reinstate, revoke, surrender,
expire (by date), exhaust (when shipments use up every line), and shipments drawn down against a licence.

Like warden.cases.services: keyword-only arguments with `actor` first, the licence (or case) row locked,
a LicenceTransition row and an audit entry written in the same transaction, `licence.version` bumped;
refusals are the exceptions of warden.cases.transitions (NotPermitted, IllegalTransition, InvalidInput,
CaseConflict). `suspend_licence` and `record_shipment` use a plain (non-durable) transaction so that a caller
may batch them (bulk suspension after a change in the law is all-or-nothing).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction

from warden.accounts.actors import Actor, system, the_person
from warden.audit.services import record
from warden.cases import policy as case_policy
from warden.cases import services as case_services
from warden.cases.decision_context import DecisionContext
from warden.cases.decisions import required_conditions as required_provisos
from warden.cases.models import Case, LicenceType
from warden.cases.transitions import Action
from warden.lib import clock
from warden.lib.errors import InvalidInput
from warden.lib.months import add_months
from warden.licences.destinations import destination_rows
from warden.licences.models import Licence, LicenceDestination, LicenceLine, LicenceStatus, LicenceTransition
from warden.licences.moves import lock_licence as _lock_licence
from warden.licences.moves import move as _licence_move
from warden.licences.moves import sync as _sync
from warden.licences.policy import LicenceAction, check_licence_act

# Shipments have their own module; callers keep reaching them here.
from warden.licences.shipments import Recorded, record_shipment, record_shipment_once

# Validity of a licence from its first day, in months, and the prefix of its number, per licence type.
LICENCE_TERMS: dict[str, tuple[int, str]] = {
    LicenceType.INDIVIDUAL: (24, "IEL"),
    LicenceType.GLOBAL: (36, "GEL"),
    LicenceType.BROKERING: (24, "BRL"),
    LicenceType.TRANSIT: (12, "TRL"),
    LicenceType.TEMPORARY: (12, "TEL"),
}


def validity(licence_type: str, valid_from: dt.date) -> dt.date:
    """Last day of validity: the day before the same date `months` later (a 24-month licence from
    2026-03-01 is valid until 2028-02-29 inclusive)."""
    months, _ = LICENCE_TERMS[licence_type]
    return add_months(valid_from, months) - dt.timedelta(days=1)


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(f"Give the reason for {what}", field="reason")
    return reason


@transaction.atomic(durable=True)
def issue_licence(
    *,
    actor: Actor,
    case: Case,
    valid_from: dt.date | None = None,
    conditions: str | None = None,
    expected_version: int | None = None,
    context: DecisionContext,
) -> Licence:
    """Issue the licence of an approved case (case -> licence_issued): number <prefix>-<year>-<6 digits>,
    validity per LICENCE_TERMS, one licence line per goods line with the quantity and value applied for, and
    the decision's conditions unless `conditions` is given (which must still hold every proviso the decision
    carried). Refused, like finalising, while a decision gate is closed (cases.policy)."""
    locked = case_services._lock(case, expected_version)
    issuer = the_person(actor, "issue a licence")
    case_policy.check_act(issuer, locked, Action.ISSUE_LICENCE, context=context)
    text = (locked.conditions if conditions is None else conditions).strip()
    # An adviser's proviso the decision carried is a condition of the licence: it cannot be dropped here.
    for proviso in required_provisos(locked):
        if proviso.casefold() not in text.casefold():
            raise InvalidInput(
                f"The licence conditions must keep the adviser's proviso carried by the decision: {proviso!r}",
                field="conditions",
            )
    start = valid_from or clock.today()
    months, prefix = LICENCE_TERMS[locked.licence_type]
    licence = Licence.objects.create(
        case=locked,
        number=f"NEW-{uuid.uuid4().hex[:30]}",
        valid_from=start,
        valid_until=validity(locked.licence_type, start),
        conditions=text,
        issued_by=issuer,
    )
    licence.number = f"{prefix}-{start.year}-{licence.pk:06d}"
    # A temporary licence holds the exporter to the return date the application promised.
    promised = (locked.document.get("temporary_export") or {}).get("return_by")
    licence.return_due = dt.date.fromisoformat(promised) if promised else None
    licence.save(update_fields=["number", "return_due"])
    destinations = destination_rows(locked, licence)
    # On a global licence, a goods line only the refused destinations would have received is not licensed.
    covered = {n for d in destinations for n in d.goods_lines} if destinations else None
    LicenceLine.objects.bulk_create(
        LicenceLine(
            licence=licence,
            goods_line=g,
            quantity=g.quantity,
            value_amount=g.value_amount,
            currency=g.currency,
        )
        for g in locked.goods.all()
        if covered is None or g.line_no in covered
    )
    LicenceDestination.objects.bulk_create(destinations)
    LicenceTransition.objects.create(
        licence=licence,
        action=LicenceAction.ISSUE.value,
        from_status="",
        to_status=LicenceStatus.ISSUED,
        actor=issuer,
    )
    record(
        actor=actor,
        action="licence.issue",
        target=licence,
        data={
            "number": licence.number,
            "valid_from": licence.valid_from.isoformat(),
            "valid_until": licence.valid_until.isoformat(),
            "months": months,
            **({"destinations": [d.country for d in destinations]} if destinations else {}),
        },
        case_id=locked.pk,
    )
    case_services._move(
        actor=issuer, case=locked, action=Action.ISSUE_LICENCE, data={"licence": licence.number}
    )
    case_services._sync(case, locked)
    return licence


@transaction.atomic
def suspend_licence(
    *, actor: Actor, licence: Licence, reason: str, expected_version: int | None = None
) -> Licence:
    """Suspend a live licence (senior or policy officer, or the compliance inspector after a diversion
    finding): no shipments until reinstated. Non-durable, so a caller may suspend many licences in one
    transaction (e.g. after an embargo is imposed)."""
    locked = _lock_licence(licence, expected_version)
    check_licence_act(actor, locked, LicenceAction.SUSPEND)
    _licence_move(
        actor=actor, licence=locked, action=LicenceAction.SUSPEND, reason=_reason(reason, "suspending")
    )
    _sync(licence, locked)
    return locked


@transaction.atomic(durable=True)
def reinstate_licence(
    *, actor: Actor, licence: Licence, reason: str = "", expected_version: int | None = None
) -> Licence:
    """Lift a suspension (senior officer)."""
    locked = _lock_licence(licence, expected_version)
    check_licence_act(actor, locked, LicenceAction.REINSTATE)
    if locked.valid_until < clock.today():
        raise InvalidInput(
            f"Licence {locked.number} ran out on {locked.valid_until}; it cannot be reinstated"
        )
    _licence_move(actor=actor, licence=locked, action=LicenceAction.REINSTATE, reason=(reason or "").strip())
    _sync(licence, locked)
    return locked


@transaction.atomic(durable=True)
def revoke_licence(
    *, actor: Actor, licence: Licence, reason: str, expected_version: int | None = None
) -> Licence:
    """Revoke a live licence for good (senior officer)."""
    locked = _lock_licence(licence, expected_version)
    check_licence_act(actor, locked, LicenceAction.REVOKE)
    _licence_move(
        actor=actor, licence=locked, action=LicenceAction.REVOKE, reason=_reason(reason, "revoking")
    )
    _sync(licence, locked)
    return locked


@transaction.atomic(durable=True)
def surrender_licence(
    *, actor: Actor, licence: Licence, reason: str = "", expected_version: int | None = None
) -> Licence:
    """The holder (an exporter of the licensed organisation) gives the licence up."""
    locked = _lock_licence(licence, expected_version)
    check_licence_act(actor, locked, LicenceAction.SURRENDER)
    _licence_move(actor=actor, licence=locked, action=LicenceAction.SURRENDER, reason=(reason or "").strip())
    _sync(licence, locked)
    return locked


# The daily expiry's actor (`warden licences expire`, the demo's clock): licences expire by themselves.
EXPIRY = system("licence validity ended")


def expire_licences(*, today: dt.date | None = None, actor: Actor = EXPIRY) -> list[Licence]:
    """Expire every live licence whose last day of validity is before `today` (default: today). Run daily
    (`warden licences expire`). Each licence expires in its own transaction, so one failure does not undo
    the others; returns the licences expired."""
    day = today or clock.today()
    done: list[Licence] = []
    for pk in Licence.objects.filter(
        status__in=[LicenceStatus.ISSUED, LicenceStatus.SUSPENDED], valid_until__lt=day
    ).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Licence.objects.select_for_update().get(pk=pk)
            if (
                locked.status not in (LicenceStatus.ISSUED, LicenceStatus.SUSPENDED)
                or locked.valid_until >= day
            ):
                continue  # changed since the query
            _licence_move(
                actor=actor,
                licence=locked,
                action=LicenceAction.EXPIRE,
                reason=f"valid until {locked.valid_until.isoformat()}",
            )
            done.append(locked)
    return done


__all__ = [
    "EXPIRY",
    "LICENCE_TERMS",
    "Recorded",
    "add_months",
    "expire_licences",
    "issue_licence",
    "record_shipment",
    "record_shipment_once",
    "reinstate_licence",
    "revoke_licence",
    "suspend_licence",
    "surrender_licence",
    "validity",
]


@transaction.atomic
def record_return(*, actor: Actor, licence: Licence, returned_on: dt.date, note: str = "") -> Licence:
    """The goods of a temporary export are back. Once; not before the licence began nor after today."""
    locked = _lock_licence(licence, None)
    check_licence_act(actor, locked, LicenceAction.RECORD_RETURN)  # also: a temporary export, not yet back
    today = clock.today()
    if returned_on > today or returned_on < locked.valid_from:
        raise InvalidInput(
            f"Returned on {returned_on}: expected a day from {locked.valid_from} to today ({today})",
            field="returned_on",
        )
    locked.returned_on = returned_on
    locked.save(update_fields=["returned_on"])
    assert locked.return_due is not None  # the policy refuses a licence that is not a temporary export
    late = (returned_on - locked.return_due).days
    _licence_move(
        actor=actor,
        licence=locked,
        action=LicenceAction.RECORD_RETURN,
        reason=(note or "").strip()[:2000],
        data={
            "returned_on": returned_on.isoformat(),
            "return_due": locked.return_due.isoformat(),
            "days_late": max(late, 0),
        },
    )
    _sync(licence, locked)
    return locked
