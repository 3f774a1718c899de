"""Licence amendment: the holder proposes -> a draft case made from the terms in force, linked to the licence
-> the exporter edits and submits it like any application (screened, assessed, consulted, decided under the
same separation of duties) -> its ISSUE_LICENCE step grants the next version of the same licence
(warden.licences.amendments.grant_amendment; case_decision.issue_licence dispatches there).

Proposing is two transactions, checked first: the draft is the case service's own durable transaction, then
the link to the licence. Everything the link could refuse is checked before the draft is made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from warden.accounts.models import User
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
    the API, made from the amended `document` itself and submitted at once (`submit`)."""
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
