"""Licence amendments: the holder proposes a change to a live licence, which is assessed as a case of its
own; granting that case (its ISSUE_LICENCE step) makes the next version of the SAME licence instead of a new
licence. Each function checks the policies, runs in one transaction and writes its audit entries in it.

Rules a real authority applies, and why:
- Only an issued licence is amended (a suspended one is suspended for a reason: reinstate it first), and one
  proposal at a time, so two changes never race.
- The destination cannot change: a new destination is a new export, needing its own application.
- A line already shipped cannot be cut below what was shipped; lines are matched old to new by rating and
  description, then by rating alone, so shipments stay attached to the goods they drew down.
- The new validity, when changed, must stay within the licence type's term from the original start.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from warden.accounts.actors import Actor, the_person
from warden.cases import policy as case_policy
from warden.cases import services as case_services
from warden.cases.decision_context import DecisionContext
from warden.cases.models import OPEN_STATUSES, Case, GoodsLine, Status
from warden.cases.transitions import Action
from warden.lib import clock
from warden.lib.errors import IllegalTransition, InvalidInput
from warden.licences import versions
from warden.licences.models import Licence, LicenceAmendment, LicenceLine, LicenceVersion
from warden.licences.moves import move, sync
from warden.licences.policy import LicenceAction, check_licence_act
from warden.licences.services import validity


def open_amendment(licence: Licence) -> LicenceAmendment | None:
    """The proposal still being decided, if any (draft or open case)."""
    return (
        LicenceAmendment.objects.filter(licence=licence, case__status__in={Status.DRAFT, *OPEN_STATUSES})
        .select_related("case")
        .first()
    )


def check_propose(actor: Actor, licence: Licence, valid_until: dt.date | None = None) -> None:
    """Raise why `actor` may not propose an amendment of `licence` now (read-only)."""
    check_licence_act(actor, licence, LicenceAction.PROPOSE_AMENDMENT)
    pending = open_amendment(licence)
    if pending is not None:
        raise IllegalTransition(
            f"Licence {licence.number} already has an amendment being decided ({pending.case.reference}); "
            "withdraw it or wait for its decision"
        )
    if valid_until is not None:
        longest = validity(licence.case.licence_type, licence.valid_from)
        if not (clock.today() <= valid_until <= longest):
            raise InvalidInput(
                f"The new last day of validity must be between today and {longest} (the longest term of a "
                f"{licence.case.get_licence_type_display().lower()} licence from {licence.valid_from})",
                field="valid_until",
            )


@transaction.atomic
def attach_proposal(
    *, actor: Actor, licence: Licence, case: Case, reason: str, valid_until: dt.date | None = None
) -> LicenceAmendment:
    """Record that the draft `case` (made from the licence's terms) proposes amending `licence`."""
    # No version check: a proposal amends whatever version is in force when it is granted (based_on says
    # which one it was made from), so a shipment recorded meanwhile does not make it stale.
    locked = Licence.objects.select_for_update().select_related("case").get(pk=licence.pk)
    check_propose(actor, locked, valid_until)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say what the amendment changes and why", field="reason")
    if case.organisation_id != locked.case.organisation_id:
        raise InvalidInput(f"{case.reference} is not the licence holder's application", field="case")
    amendment = LicenceAmendment.objects.create(
        licence=locked,
        case=case,
        based_on=versions.current_number(locked),
        reason=reason[:4000],
        valid_until=valid_until,
        proposed_by=the_person(actor, "propose an amendment"),
    )
    move(
        actor=actor,
        licence=locked,
        action=LicenceAction.PROPOSE_AMENDMENT,
        reason=reason,
        data={"case": case.reference, "based_on": amendment.based_on},
    )
    sync(licence, locked)
    return amendment


def _match(old: list[LicenceLine], new: list[GoodsLine]) -> dict[int, LicenceLine]:
    """New goods line pk -> the old licence line it continues (rating and description, then rating)."""
    free = list(old)
    out: dict[int, LicenceLine] = {}
    for exact in (True, False):
        for g in new:
            if g.pk in out:
                continue
            for ln in free:
                same = ln.goods_line.rating == g.rating and (
                    not exact or ln.goods_line.description == g.description
                )
                if same:
                    out[g.pk] = ln
                    free.remove(ln)
                    break
    return out


def _check_destination(licence: Licence, case: Case) -> None:
    before = versions.terms_case(licence).destination
    if case.destination != before:
        raise InvalidInput(
            f"An amendment cannot change the destination ({before} to {case.destination}): a new "
            "destination needs its own licence application",
            field="destination",
        )


@transaction.atomic
def grant_amendment(*, actor: Actor, case: Case, context: DecisionContext) -> Licence:
    """The approved amendment case's ISSUE_LICENCE step: the licence's next version, the live lines rewritten
    in place (shipments stay on the lines they drew down), version 1 recorded first if it was not."""
    amendment = LicenceAmendment.objects.select_related("licence").get(case=case)
    locked_case = case_services._lock(case, None)
    granter = the_person(actor, "grant an amendment")
    case_policy.check_act(granter, locked_case, Action.ISSUE_LICENCE, context=context)
    licence = Licence.objects.select_for_update().select_related("case").get(pk=amendment.licence_id)
    check_licence_act(granter, licence, LicenceAction.AMEND)
    _check_destination(licence, locked_case)
    old = list(LicenceLine.objects.filter(licence=licence).select_related("goods_line"))
    new = list(locked_case.goods.all())
    matched = _match(old, new)
    for g in new:
        ln = matched.get(g.pk)
        if ln is not None and (g.quantity < ln.shipped_quantity or g.value_amount < ln.shipped_value):
            raise InvalidInput(
                f"Line {g.line_no + 1} ({g.description}) has already shipped {ln.shipped_quantity} worth "
                f"{ln.shipped_value} {ln.currency}; the amendment cannot licence less than that",
                field="quantity",
            )
    dropped = [ln for ln in old if ln not in matched.values()]
    shipped_dropped = [ln for ln in dropped if ln.shipped_quantity]
    if not LicenceVersion.objects.filter(licence=licence).exists():
        LicenceVersion.objects.create(
            licence=licence,
            number=1,
            effective_from=licence.valid_from,
            case=licence.case,
            valid_until=licence.valid_until,
            conditions=licence.conditions,
            lines=versions.live_lines(licence),
            granted_by=licence.issued_by,
        )
    before_case = versions.terms_case(licence)
    number = versions.current_number(licence) + 1
    today = clock.today()
    for g in new:
        ln = matched.get(g.pk)
        if ln is None:
            LicenceLine.objects.create(
                licence=licence,
                goods_line=g,
                quantity=g.quantity,
                value_amount=g.value_amount,
                currency=g.currency,
            )
        else:
            ln.goods_line, ln.quantity, ln.value_amount, ln.currency = (
                g,
                g.quantity,
                g.value_amount,
                g.currency,
            )
            ln.save(update_fields=["goods_line", "quantity", "value_amount", "currency"])
    for ln in dropped:
        if ln in shipped_dropped:  # keep what was shipped, with nothing left on it
            ln.quantity, ln.value_amount = ln.shipped_quantity, ln.shipped_value
            ln.save(update_fields=["quantity", "value_amount"])
        else:
            ln.delete()
    if amendment.valid_until is not None:
        licence.valid_until = amendment.valid_until
    licence.conditions = locked_case.conditions.strip() or licence.conditions
    licence.save(update_fields=["valid_until", "conditions"])
    diff = versions.diff_documents(before_case.document, locked_case.document)
    if amendment.valid_until is not None:
        diff.setdefault("fields", {})["valid_until"] = {
            "before": str(LicenceVersion.objects.get(licence=licence, number=number - 1).valid_until),
            "after": str(amendment.valid_until),
        }
    LicenceVersion.objects.create(
        licence=licence,
        number=number,
        effective_from=today,
        case=locked_case,
        valid_until=licence.valid_until,
        conditions=licence.conditions,
        lines=versions.live_lines(licence),
        diff=diff,
        granted_by=granter,
    )
    move(
        actor=granter,
        licence=licence,
        action=LicenceAction.AMEND,
        reason=amendment.reason,
        data={"case": locked_case.reference, "version": number, "changes": sorted(diff)},
    )
    case_services._move(
        actor=granter,
        case=locked_case,
        action=Action.ISSUE_LICENCE,
        data={"licence": licence.number, "version": number},
    )
    case_services._sync(case, locked_case)
    sync(amendment.licence, licence)
    return licence


def amendment_of(case: Case) -> LicenceAmendment | None:
    return LicenceAmendment.objects.filter(case=case).select_related("licence").first()


def summary(diff: dict[str, Any]) -> list[str]:
    """The diff in sentences, for the case page, the licence page and the audit reader."""
    out: list[str] = []
    for g in diff.get("goods", []):
        b, a = g["before"], g["after"]
        if b is None:
            out.append(
                f"Line {g['line']} added: {a['description']} ({a['rating']}), {a['quantity']} for {a['value']}"
            )
        elif a is None:
            out.append(f"Line {g['line']} removed: {b['description']} ({b['rating']})")
        else:
            parts = [
                f"{k} {b[k]} → {a[k]}" for k in ("description", "rating", "quantity", "value") if b[k] != a[k]
            ]
            out.append(f"Line {g['line']}: " + "; ".join(parts))
    parties = diff.get("parties") or {}
    out += [f"Party added: {p}" for p in parties.get("added", [])]
    out += [f"Party removed: {p}" for p in parties.get("removed", [])]
    for k, v in (diff.get("fields") or {}).items():
        if k == "end_user_certificate":
            out.append("End-user certificate changed")
        else:
            out.append(f"{k.replace('_', ' ').capitalize()}: {v['before']} → {v['after']}")
    return out
