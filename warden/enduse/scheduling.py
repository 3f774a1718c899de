"""Planning end-use checks: from risk after a licence is issued or a shipment recorded (warden.flows.end_use),
by hand by an officer, and assigning them to an inspector. Each function checks warden.enduse.policy, runs in
one transaction and writes its audit entry in it. Reached through warden.enduse.services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from warden.accounts.actors import Actor, person, the_person
from warden.accounts.models import Role, User
from warden.audit.services import record
from warden.cases.models import Case, PartyRole
from warden.enduse import planning, policy
from warden.enduse.matching import name_key
from warden.enduse.models import CheckKind, EndUseCheck, EndUserProfile, Finding
from warden.legislation.services import current_reference
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.licences.models import LIVE_LICENCE_STATUSES, Licence, LicenceStatus, Shipment

# ------------------------------------------------------------------------------------------- planning


def end_user_of(case: Case) -> tuple[str, str]:
    """(name, country) of the case's end user (the first listed), or ("", destination) when it names none."""
    for p in case.parties.all():
        if p.role == PartyRole.END_USER:
            return p.name, (p.country or case.destination).upper()
    return "", case.destination.upper()


def profile_of(name: str, country: str) -> EndUserProfile | None:
    if not name:
        return None
    return EndUserProfile.objects.filter(name_key=name_key(name), country=country.upper()).first()


def inputs_for(licence: Licence, starts_on: dt.date) -> planning.Inputs:
    """What the risk planning reads about `licence`, as of `starts_on`."""
    case = licence.case
    _, ref = current_reference()
    assessment = ref.assessment(case.destination, starts_on)
    levels = {k: str(v) for k, v in (assessment.data if assessment is not None else {}).items()}
    name, country = end_user_of(case)
    profile = profile_of(name, country)
    diversions = EndUseCheck.objects.filter(
        finding=Finding.DIVERSION, licence__case__destination=case.destination, withdrawn_at__isnull=True
    ).count()
    return planning.Inputs(
        destination=case.destination,
        country_levels=levels,
        ratings=[g.rating for g in case.goods.all()],
        end_user=planning.EndUserRecord(
            concerns=profile.concerns if profile else 0, diversions=profile.diversions if profile else 0
        ),
        certificate=planning.Certificate(
            present=bool(case.euc_number),
            re_export=case.euc_re_export,
            delivery_verification=case.euc_delivery_verification,
            post_shipment_verification=case.euc_post_shipment_verification,
        ),
        starts_on=starts_on,
        destination_diversions=diversions,
    )


def _create(
    *,
    actor: Actor,
    licence: Licence,
    shipment: Shipment | None,
    kind: str,
    due_on: dt.date,
    score: int,
    reasons: list[str],
    inspector: User | None = None,
    by_hand: bool = False,
) -> EndUseCheck:
    name, country = end_user_of(licence.case)
    row = EndUseCheck.objects.create(
        licence=licence,
        shipment=shipment,
        kind=kind,
        due_on=due_on,
        risk_score=score,
        reasons=reasons,
        planned_by=person(actor) if by_hand else None,
        planned_at=clock.now(),
        inspector=inspector,
        end_user_name=name,
        end_user_country=country,
    )
    record(
        actor=actor,
        action="enduse.check.plan",
        target=row,
        case_id=licence.case_id,
        data={
            "check": row.reference,
            "licence": licence.number,
            "shipment": shipment.pk if shipment else None,
            "kind": kind,
            "due_on": due_on.isoformat(),
            "score": score,
            "reasons": reasons,
            "planned": "by hand" if by_hand else "from risk",
            "inspector": inspector.username if inspector else "",
        },
    )
    return row


@transaction.atomic
def plan_checks(*, actor: Actor, licence: Licence, shipment: Shipment | None = None) -> list[EndUseCheck]:
    """Plan what the risk calls for on `licence` (at issue) or on one of its shipments; the checks created
    or re-dated (empty when the risk calls for none, or it is already planned). Idempotent.

    At issue the check counts from the licence's first day. The first shipment takes over a check planned at
    issue (re-dated from the shipment); later shipments get a DVC each (each delivery is certified), while
    one open post-shipment visit covers the whole licence."""
    policy.check(actor, policy.EndUseAction.PLAN)
    locked = Licence.objects.select_for_update(of=("self",)).select_related("case").get(pk=licence.pk)
    if locked.status != LicenceStatus.ISSUED:
        return []
    if shipment is not None and shipment.licence_id != locked.pk:
        raise InvalidInput(f"That shipment is not on licence {locked.number}", field="shipment")
    starts_on = shipment.shipped_on if shipment is not None else locked.valid_from
    plan = planning.plan(inputs_for(locked, starts_on))
    if not plan.planned or plan.kind is None or plan.due_on is None:
        return []
    checks = EndUseCheck.objects.filter(licence=locked)
    if shipment is None:
        if checks.exists():
            return []
    else:
        if checks.filter(shipment=shipment).exists():
            return []
        waiting = checks.filter(shipment__isnull=True, completed_on__isnull=True).order_by("pk").first()
        if waiting is not None:
            return [_take_over(actor=actor, row=waiting, shipment=shipment, plan=plan)]
        if (
            plan.kind == CheckKind.PSV
            and checks.filter(kind=CheckKind.PSV, completed_on__isnull=True).exists()
        ):
            return []
    row = _create(
        actor=actor,
        licence=locked,
        shipment=shipment,
        kind=plan.kind,
        due_on=plan.due_on,
        score=plan.score,
        reasons=list(plan.reasons),
    )
    return [row]


def _take_over(*, actor: Actor, row: EndUseCheck, shipment: Shipment, plan: planning.Plan) -> EndUseCheck:
    """The first shipment of a licence whose check was planned at issue: the check verifies that delivery,
    due from its date (a visit, if the risk grew to call for one)."""
    kind = CheckKind.PSV if plan.kind == CheckKind.PSV else row.kind
    row.shipment, row.kind = shipment, kind
    row.due_on = shipment.shipped_on + dt.timedelta(days=planning.DAYS[kind])
    row.risk_score, row.reasons = max(row.risk_score, plan.score), list(plan.reasons)
    row.save(update_fields=["shipment", "kind", "due_on", "risk_score", "reasons"])
    record(
        actor=actor,
        action="enduse.check.reschedule",
        target=row,
        case_id=row.licence.case_id,
        data={
            "check": row.reference,
            "shipment": shipment.pk,
            "kind": kind,
            "due_on": row.due_on.isoformat(),
            "score": row.risk_score,
        },
    )
    return row


@transaction.atomic
def plan_check(
    *,
    actor: Actor,
    licence: Licence,
    kind: str,
    reason: str,
    due_on: dt.date | None = None,
    inspector: User | None = None,
) -> EndUseCheck:
    """An officer plans a check by hand (a tip-off, a visit already arranged): any kind, a reason required,
    due by default as the risk planning would date it from today."""
    policy.check(actor, policy.EndUseAction.PLAN)
    the_person(actor, "plan an end-use check by hand")
    locked = Licence.objects.select_for_update(of=("self",)).select_related("case").get(pk=licence.pk)
    if kind not in CheckKind.values:
        raise InvalidInput(f"kind: {kind!r}: expected {' or '.join(CheckKind.values)}", field="kind")
    if locked.status not in LIVE_LICENCE_STATUSES:
        raise InvalidInput(
            f"Licence {locked.number} is {locked.get_status_display().lower()}: checks are planned on live licences"
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason: say why this check is planned", field="reason")
    today = clock.today()
    due = due_on or today + dt.timedelta(days=planning.DAYS[kind])
    if due < today:
        raise InvalidInput(f"due_on: {due} is in the past", field="due_on")
    if inspector is not None and not policy.may(inspector, policy.EndUseAction.RECORD):
        raise InvalidInput(
            f"inspector: {inspector.username} is not a compliance inspector", field="inspector"
        )
    score, _ = planning.score(inputs_for(locked, today))
    return _create(
        actor=actor,
        licence=locked,
        shipment=None,
        kind=kind,
        due_on=due,
        score=score,
        reasons=[f"planned by hand: {reason}"],
        inspector=inspector,
        by_hand=True,
    )


@transaction.atomic
def assign_check(*, actor: Actor, check: EndUseCheck, inspector: User) -> EndUseCheck:
    """Give an open check to a compliance inspector (an officer assigns; an inspector takes it)."""
    policy.check(actor, policy.EndUseAction.PLAN)
    the_person(actor, "assign an end-use check")
    row = EndUseCheck.objects.select_for_update(of=("self",)).select_related("licence__case").get(pk=check.pk)
    if not policy.may(inspector, policy.EndUseAction.RECORD):
        raise InvalidInput(
            f"inspector: {inspector.username} is not a compliance inspector", field="inspector"
        )
    if row.completed_on is not None:
        raise InvalidInput(f"{row.reference} is done: its finding was recorded on {row.completed_on}")
    conflict = policy.interest_conflict(inspector, row)
    if conflict is not None:
        raise NotPermitted(conflict.replace("you declared", f"{inspector.username} declared"))
    before = row.inspector.username if row.inspector else ""
    is_inspector = getattr(actor, "role", None) == Role.COMPLIANCE_INSPECTOR
    if is_inspector and before and before != getattr(actor, "username", None):
        raise NotPermitted(f"{row.reference} is assigned to {before}; an officer reassigns it")
    row.inspector = inspector
    row.save(update_fields=["inspector"])
    record(
        actor=actor,
        action="enduse.check.assign",
        target=row,
        case_id=row.licence.case_id,
        data={"check": row.reference, "inspector": inspector.username, "before": before},
    )
    return row
