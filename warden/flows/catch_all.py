"""Catch-all referral -> licence application: link the application a "licence required" decision called for,
and carry the referral's end-use flags into it while it is still the exporter's draft, so that the assessment
weighs the grounds the authority decided on (docs/decisions/0006-catch-all.md).

Two transactions, in this order: the draft's update is the case service's own durable transaction (its
audit entry names the exporter), then the link. The link is checked before either, so a refused link
changes nothing; should the link then fail (someone linked the draft meanwhile), the draft keeps flags
that are the exporter's own declaration, which is harmless and visible in its history."""

from __future__ import annotations

from warden.accounts.actors import Actor
from warden.accounts.models import User
from warden.cases.models import Case, Status
from warden.catchall import services as catchall_services
from warden.catchall.models import CatchAllReferral
from warden.flows import submission
from warden.rules.catch_all import END_USE_FLAGS


def link_application(*, actor: Actor, referral: CatchAllReferral, case: Case) -> CatchAllReferral:
    catchall_services.check_link(actor=actor, referral=referral, case=case)
    wanted = set(referral.flags)
    have = set(case.document.get("end_use_flags") or [])
    if (
        isinstance(actor, User)
        and actor.organisation_id == case.organisation_id
        and case.status == Status.DRAFT
        and not wanted <= have
    ):
        doc = dict(case.document)
        doc["end_use_flags"] = [f for f in END_USE_FLAGS if f in wanted | have]
        submission.update_draft(actor=actor, case=case, document=doc)
    return catchall_services.link_application(actor=actor, referral=referral, case=case)
