"""Catch-all referrals: the exporter notifies, or an officer raises a concern; another officer decides
"licence required" (with its legal basis, the inform letter's template and the destination's embargo status
on that day) or "not required"; the exporter's application is linked to a referral that requires one.

Each function checks warden.catchall.policy, runs in one transaction and writes its audit entry in it.
Refusals raise InvalidInput / NotPermitted / IllegalTransition (warden.lib.errors); nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from warden.accounts.actors import Actor, the_person
from warden.accounts.models import Organisation
from warden.accounts.services import our_state
from warden.audit.services import record
from warden.cases.models import Case
from warden.catchall import policy
from warden.catchall.models import (
    DEFAULT_LETTER,
    NOTICE_VALID_MONTHS,
    Basis,
    CatchAllNotice,
    CatchAllReferral,
    Letter,
    Origin,
    Status,
)
from warden.catchall.policy import ReferralAction
from warden.legislation.countries_iso import ISO_3166_ALPHA2
from warden.legislation.services import current_reference
from warden.lib import clock
from warden.lib.errors import IllegalTransition, InvalidInput, NotPermitted
from warden.lib.months import add_months
from warden.rules.catch_all import END_USE_FLAGS

LIMITS = {"goods_description": 500, "rating": 40, "end_user_name": 300, "end_use": 4000, "grounds": 8000}
DECISIONS = ("licence_required", "not_required")


@dataclass(frozen=True)
class Notification:
    """What an exporter (or an officer) says about the intended export; validated by `_clean`."""

    destination: str
    goods_description: str
    end_user_name: str
    end_user_country: str
    end_use: str
    grounds: str
    flags: tuple[str, ...] = ()
    rating: str = ""
    intended_export_on: dt.date | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notification:
        """From an API body or a CLI file; unknown keys are refused by the caller's schema."""
        when = data.get("intended_export_on")
        try:
            day = dt.date.fromisoformat(str(when)) if when else None
        except ValueError:
            raise InvalidInput(f"{when!r} is not a date (YYYY-MM-DD)", where="intended_export_on") from None
        flags = data.get("flags") or []
        if not isinstance(flags, list):
            raise InvalidInput("flags: a list of end-use flags", where="flags")
        return cls(
            destination=str(data.get("destination") or ""),
            goods_description=str(data.get("goods_description") or ""),
            end_user_name=str(data.get("end_user_name") or ""),
            end_user_country=str(data.get("end_user_country") or data.get("destination") or ""),
            end_use=str(data.get("end_use") or ""),
            grounds=str(data.get("grounds") or ""),
            flags=tuple(str(f) for f in flags),
            rating=str(data.get("rating") or ""),
            intended_export_on=day,
        )


def _country(value: str, where: str) -> str:
    code = value.strip().upper()
    if code not in ISO_3166_ALPHA2:
        raise InvalidInput(f"{value!r} is not an ISO 3166 country code (for example NO)", where=where)
    return code


def _clean(n: Notification) -> dict[str, Any]:
    out: dict[str, Any] = {
        "destination": _country(n.destination, "destination"),
        "end_user_country": _country(n.end_user_country, "end_user_country"),
    }
    for name, limit in LIMITS.items():
        text = str(getattr(n, name)).strip()
        if name != "rating" and not text:
            raise InvalidInput(f"{name.replace('_', ' ')}: required", where=name)
        if len(text) > limit:
            raise InvalidInput(f"{name.replace('_', ' ')}: at most {limit} characters", where=name)
        if "\x00" in text:
            raise InvalidInput(f"{name.replace('_', ' ')}: contains a NUL character", where=name)
        out[name] = text
    unknown = [f for f in n.flags if f not in END_USE_FLAGS]
    if unknown:
        raise InvalidInput(
            f"flags: {', '.join(unknown)} is not one of {', '.join(END_USE_FLAGS)}", where="flags"
        )
    out["flags"] = [f for f in END_USE_FLAGS if f in n.flags]
    if n.intended_export_on is not None and n.intended_export_on < clock.today():
        raise InvalidInput("intended export date: it is in the past", where="intended_export_on")
    out["intended_export_on"] = n.intended_export_on
    return out


def _create(actor: Actor, organisation: Organisation, origin: Origin, n: Notification) -> CatchAllReferral:
    fields = _clean(n)
    referral = CatchAllReferral.objects.create(
        reference=f"NEW-{uuid.uuid4().hex[:16]}",  # replaced below once the primary key is known
        origin=origin,
        organisation=organisation,
        raised_by=the_person(actor, "raise a catch-all referral"),
        **fields,
    )
    referral.reference = f"CA-{clock.today().year}-{referral.pk:05d}"
    referral.save(update_fields=["reference"])
    record(
        actor=actor,
        action=f"catchall.{'notify' if origin == Origin.EXPORTER else 'raise'}",
        target=referral,
        data={
            "reference": referral.reference,
            "organisation": organisation.name,
            "destination": referral.destination,
            "flags": referral.flags,
            "rating": referral.rating,
        },
    )
    return referral


def _refuse(why: str | None) -> None:
    if why:
        raise NotPermitted(why[0].upper() + why[1:])


@transaction.atomic
def notify(*, actor: Actor, notification: Notification) -> CatchAllReferral:
    """The exporter's duty-to-notify (Art. 4(2), 5(2)): "I have reason to believe..."."""
    _refuse(policy.why_not(actor, None, ReferralAction.NOTIFY))
    organisation = getattr(actor, "organisation", None)
    assert isinstance(organisation, Organisation)  # policy: an exporter of an organisation
    return _create(actor, organisation, Origin.EXPORTER, notification)


@transaction.atomic
def raise_concern(
    *, actor: Actor, organisation: Organisation, notification: Notification
) -> CatchAllReferral:
    """The authority's own concern about an exporter's intended export of an unlisted item."""
    _refuse(policy.why_not(actor, None, ReferralAction.RAISE))
    if organisation.kind != Organisation.Kind.EXPORTER:
        raise InvalidInput(f"{organisation.name} is not an exporter", where="organisation")
    return _create(actor, organisation, Origin.AUTHORITY, notification)


def embargo_status(country: str, on: dt.date) -> list[dict[str, str]]:
    """The arms embargoes in force on `country` on `on`, as the letter keeps them."""
    _, ref = current_reference()
    return [
        {
            "id": emb.id,
            "title": emb.title,
            "body": emb.body,
            "applies_to": str(v.data.get("applies_to", "all")),
            "in_force_from": v.effective_from.isoformat(),
            "citation": v.citation,
        }
        for emb, v in ref.embargo_versions(country, on)
        if emb.target != "*"
    ]


@transaction.atomic
def decide(
    *,
    actor: Actor,
    referral: CatchAllReferral,
    decision: str,
    reason: str,
    basis: str = "",
    letter: str = "",
) -> CatchAllReferral:
    """ "licence_required" (needs a basis; the letter defaults from it) or "not_required"; a reason always."""
    locked = CatchAllReferral.objects.select_for_update().get(pk=referral.pk)
    _refuse(policy.why_not(actor, locked, ReferralAction.DECIDE))
    if decision not in DECISIONS:
        raise InvalidInput(f"decision: {decision!r} is not one of {', '.join(DECISIONS)}", where="decision")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason: say why (it goes into the letter and the audit log)", where="reason")
    if len(reason) > 8000:
        raise InvalidInput("reason: at most 8000 characters", where="reason")
    today = clock.today()
    locked.decided_by = the_person(actor, "decide a catch-all referral")
    locked.decided_on = today
    locked.decision_reason = reason
    locked.embargo_status = embargo_status(locked.destination, today)
    if decision == "licence_required":
        if basis not in Basis.values:
            raise InvalidInput(f"basis: name the legal basis ({', '.join(Basis.values)})", where="basis")
        if letter and letter not in Letter.values:
            raise InvalidInput(f"letter: {letter!r} is not one of {', '.join(Letter.values)}", where="letter")
        locked.basis = basis
        locked.letter = letter or DEFAULT_LETTER[Basis(basis)]
        locked.status = Status.INFORMED
    else:
        if basis or letter:
            raise InvalidInput(
                "basis and letter are for a decision that a licence is required", where="basis"
            )
        locked.status = Status.NOT_REQUIRED
    locked.save()
    record(
        actor=actor,
        action="catchall.decide",
        target=locked,
        data={
            "reference": locked.reference,
            "decision": decision,
            "basis": locked.basis,
            "letter": locked.letter,
            "embargoes": [e["id"] for e in locked.embargo_status],
        },
    )
    if locked.status == Status.INFORMED:
        _issue_notice(actor, locked, today)
    _sync(referral, locked)
    return locked


def _issue_notice(actor: Actor, referral: CatchAllReferral, today: dt.date) -> CatchAllNotice:
    """Art. 4(4)-(6): imposing the requirement, we tell customs, the other member states and the
    Commission; in the decision's transaction, so no requirement stands untold and no notice without one."""
    notice = CatchAllNotice.objects.create(
        referral=referral,
        issuing_state=our_state(),
        issued_on=today,
        valid_until=add_months(today, NOTICE_VALID_MONTHS),
        created_at=clock.now(),
    )
    record(
        actor=actor,
        action="catchall.notice",
        target=notice,
        data={
            "reference": referral.reference,
            "issuing_state": notice.issuing_state,
            "destination": referral.destination,
            "basis": referral.basis,
            "valid_until": notice.valid_until.isoformat(),
        },
    )
    return notice


def check_link(*, actor: Actor, referral: CatchAllReferral, case: Case) -> None:
    """Raise why `case` may not be linked to `referral` (read-only; link_application checks it again)."""
    _refuse(policy.why_not(actor, referral, ReferralAction.LINK))
    if getattr(actor, "role", None) == "exporter" and case.organisation_id != getattr(
        actor, "organisation_id", 0
    ):
        raise NotPermitted("That application is not your organisation's")
    if case.organisation_id != referral.organisation_id:
        raise InvalidInput(f"{case.reference} is another exporter's application", where="case")
    if case.destination != referral.destination:
        raise InvalidInput(
            f"{case.reference} is for {case.destination}; {referral.reference} is about {referral.destination}",
            where="case",
        )
    if CatchAllReferral.objects.filter(case=case).exclude(pk=referral.pk).exists():
        raise IllegalTransition(f"{case.reference} is already linked to another catch-all referral")


@transaction.atomic
def link_application(*, actor: Actor, referral: CatchAllReferral, case: Case) -> CatchAllReferral:
    """The licence application made because a licence is required; same exporter, same destination."""
    locked = CatchAllReferral.objects.select_for_update().get(pk=referral.pk)
    check_link(actor=actor, referral=locked, case=case)
    locked.case = case
    locked.status = Status.APPLIED
    locked.save(update_fields=["case", "status"])
    record(
        actor=actor,
        action="catchall.link",
        target=locked,
        case_id=case.pk,
        data={"reference": locked.reference, "case": case.reference},
    )
    _sync(referral, locked)
    return locked


def _sync(target: CatchAllReferral, source: CatchAllReferral) -> None:
    for f in CatchAllReferral._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
