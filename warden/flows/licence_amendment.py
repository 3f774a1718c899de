"""Licence amendment: the holder (or an officer on the holder's behalf) proposes -> a draft case made from the terms in force, linked to the licence
-> the exporter edits and submits it like any application (screened, assessed, consulted, decided under the
same separation of duties) -> its ISSUE_LICENCE step grants the next version of the same licence
(warden.licences.amendments.grant_amendment; case_decision.issue_licence dispatches there).

Proposing is two transactions, checked first: the draft is the case service's own durable transaction, then
the link to the licence. Everything the link could refuse is checked before the draft is made.

An officer's proposal (issue 13: narrowing a licence after a risk change) is one transaction: the amendment
case is made for the holder's organisation from the terms in force (with the officer's new quantities) or the
officer's document, submitted, screened and assessed at once, and linked to the licence. The holder is told
through the inbox (the case's propose_for_holder step); the proposer cannot recommend, decide or grant it
(cases.policy PROPOSER_MAY_NOT)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from warden.accounts.models import Role, User
from warden.cases.models import Case
from warden.flows import submission
from warden.lib.errors import InvalidInput
from warden.licences import amendments, versions
from warden.licences.models import Licence


def propose(
    *,
    actor: User,
    licence: Licence,
    reason: str,
    valid_until: dt.date | None = None,
    document: dict[str, Any] | None = None,
    submit: bool = False,
) -> Case:
    """The draft amendment case, ready for the exporter to edit (goods, quantities, values, parties); or, from
    the API, made from the amended `document` itself and submitted at once (`submit`). An officer's
    proposal is always submitted at once (propose_for_holder)."""
    if actor.role in (Role.LICENSING_OFFICER, Role.SENIOR_OFFICER):
        return propose_for_holder(
            actor=actor, licence=licence, reason=reason, valid_until=valid_until, document=document
        )
    amendments.check_propose(actor, licence, valid_until)
    if not (reason or "").strip():
        raise InvalidInput("Say what the amendment changes and why", field="reason")
    start = document if document is not None else versions.document_for_proposal(licence)
    case = submission.create_application(actor=actor, document=start)
    amendments.attach_proposal(
        actor=actor, licence=licence, case=case, reason=reason, valid_until=valid_until
    )
    if submit:
        submission.submit_case(actor=actor, case=case)
    return case


@transaction.atomic(durable=True)
def propose_for_holder(
    *,
    actor: User,
    licence: Licence,
    reason: str,
    valid_until: dt.date | None = None,
    document: dict[str, Any] | None = None,
    quantities: dict[int, int] | None = None,
) -> Case:
    """An officer proposes a change on the holder's behalf: from `document`, or from the terms in force with
    the goods lines' quantities set to `quantities` ({line number from 0: new quantity}, each at most what is
    licensed now: an officer narrows, the holder asks for more). Submitted, screened and assessed at once."""
    amendments.check_propose(actor, licence, valid_until)
    if not (reason or "").strip():
        raise InvalidInput("Say what the amendment changes and why", field="reason")
    doc = document if document is not None else _narrowed(versions.document_for_proposal(licence), quantities)
    case = submission.submit_for_holder(actor=actor, organisation=licence.case.organisation, document=doc)
    amendments.attach_proposal(
        actor=actor, licence=licence, case=case, reason=reason, valid_until=valid_until
    )
    return case


def _narrowed(doc: dict[str, Any], quantities: dict[int, int] | None) -> dict[str, Any]:
    goods = [dict(g) for g in doc.get("goods", [])]
    for line_no, quantity in sorted((quantities or {}).items()):
        if not 0 <= line_no < len(goods):
            raise InvalidInput(f"The licence has no goods line {line_no + 1}", field="quantities")
        now = int(goods[line_no]["quantity"])
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= now:
            raise InvalidInput(
                f"Goods line {line_no + 1}: a new quantity from 1 to the {now} licensed now; got {quantity!r}",
                field="quantities",
            )
        # The value narrows in proportion, so the line's unit value stays what was licensed.
        value = dict(goods[line_no]["value"])
        value["amount"] = round(float(value["amount"]) * quantity / now, 2)
        goods[line_no] = {**goods[line_no], "quantity": quantity, "value": value}
    return {**doc, "goods": goods}
