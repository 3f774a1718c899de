"""From the audit log to the people who must be told: read the entries after the cursor, make each
notification once (per person per entry), e-mail those who want each one at once, and advance the cursor,
all in one transaction, so a crash mid-way delivers nothing twice and loses nothing.

Who is told of what (an act is never notified to the person who did it):
- the exporter's people (the case's organisation): a request for information, a decision, a licence
  issued, and every change to their licences (suspended, reinstated, revoked, expired, amended...), a
  catch-all referral decided, an open general licence return missed (with the senior officers, who
  sanction registrations);
- the officer a case is assigned to; the case officer of an answered request or of advice given;
- the advisers of the teams a case is referred to;
- the senior officers of the case's team when a recommendation puts it under final review, and when a
  decision against the engine awaits their countersignature.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from warden.accounts.models import Role, User
from warden.audit.models import AuditEntry
from warden.cases.models import Case
from warden.catchall.models import CatchAllReferral
from warden.inbox import mail
from warden.inbox.models import Cursor, Kind, Notification
from warden.licences.models import Licence
from warden.ogl.models import OglRegistration, OglReturn

BATCH = 500


@dataclass(frozen=True)
class Tell:
    users: tuple[User, ...]
    kind: Kind
    subject: str
    body: str = ""
    url: str = ""


def exporters_of(org_id: int | None) -> list[User]:
    """The active exporter accounts of organisation `org_id`: who is told of what happens to its cases,
    licences and registrations (the deadlines and bulletins tell the same people)."""
    if org_id is None:
        return []
    return list(User.objects.filter(organisation_id=org_id, role=Role.EXPORTER, is_active=True))


def _seniors(case: Case) -> list[User]:
    q = Q(role=Role.SENIOR_OFFICER, is_active=True)
    return list(User.objects.filter(q & (Q(team_id=case.team_id) if case.team_id else Q())))


DECISION_WORDS = {
    "approved": "approved",
    "approved_with_conditions": "approved with conditions",
    "refused": "refused",
}


def _case_tells(action: str, data: dict[str, Any], case: Case) -> list[Tell]:
    ref, url = case.reference, f"/cases/{case.pk}/"
    if action == "request_information":
        return [
            Tell(
                tuple(exporters_of(case.organisation_id)),
                Kind.REQUEST,
                f"{ref}: the authority asks for information",
                str(data.get("reason", "")),
                url,
            )
        ]
    if action in ("finalise", "countersign") and data.get("to") == "finalised":
        words = DECISION_WORDS.get(case.decision or "", case.decision or "decided")
        return [
            Tell(
                tuple(exporters_of(case.organisation_id)),
                Kind.DECISION,
                f"{ref}: {words}",
                case.decision_reason,
                url,
            )
        ]
    if action == "propose_for_holder":
        # An officer proposes a change to the holder's licence: the holder hears of it at once.
        return [
            Tell(
                tuple(exporters_of(case.organisation_id)),
                Kind.LICENCE,
                f"{ref}: the authority proposes an amendment of your licence",
                "An officer proposed a change to your licence's terms; it is assessed and decided like an "
                "application, and you can follow it here.",
                url,
            )
        ]
    if action == "propose_overrule":
        return [
            Tell(
                tuple(_seniors(case)),
                Kind.REVIEW,
                f"{ref}: a decision against the engine awaits a second senior officer",
                "",
                url,
            )
        ]
    if action == "issue_licence":
        number = str(data.get("licence", ""))
        version = data.get("version")
        what = f"licence {number} amended (version {version})" if version else f"licence {number} issued"
        return [Tell(tuple(exporters_of(case.organisation_id)), Kind.LICENCE, f"{ref}: {what}", "", url)]
    if action == "assign":
        officer = User.objects.filter(username=str(data.get("officer", "")), is_active=True).first()
        return [Tell((officer,), Kind.ASSIGNED, f"{ref} is assigned to you", "", url)] if officer else []
    if action == "refer":
        teams = [str(t) for t in data.get("teams", [])]
        advisers = User.objects.filter(role=Role.ADVISER, team__code__in=teams, is_active=True)
        return [
            Tell(
                tuple(advisers),
                Kind.REFERRAL,
                f"{ref} is referred to your team for advice",
                str(data.get("reason", "")),
                url,
            )
        ]
    if action in ("answer_request", "give_advice") and case.case_officer_id:
        officer = User.objects.filter(pk=case.case_officer_id, is_active=True).first()
        what = "the exporter answered your request" if action == "answer_request" else "advice was given"
        kind = Kind.ANSWER if action == "answer_request" else Kind.ADVICE
        return [Tell((officer,), kind, f"{ref}: {what}", "", url)] if officer else []
    if action == "recommend":
        return [
            Tell(
                tuple(_seniors(case)),
                Kind.REVIEW,
                f"{ref} is ready for final review",
                str(data.get("reason", "")),
                url,
            )
        ]
    return []


LICENCE_WORDS = {
    "suspend": "suspended",
    "reinstate": "reinstated",
    "revoke": "revoked",
    "expire": "expired",
    "exhaust": "used up",
    "surrender": "surrendered",
}


def _licence_tells(action: str, data: dict[str, Any], licence: Licence) -> list[Tell]:
    words = LICENCE_WORDS.get(action)
    if words is None:
        return []
    reason = str(data.get("reason", ""))
    return [
        Tell(
            tuple(exporters_of(licence.case.organisation_id)),
            Kind.LICENCE,
            f"Licence {licence.number} {words}",
            reason,
            f"/licences/{licence.pk}/",
        )
    ]


# An authority's act on an open general licence registration, told to the registered company.
OGL_ACTS = {"ogl.suspend": "suspended", "ogl.revoke": "revoked", "ogl.reinstate": "reinstated"}


def tells_for(entry: AuditEntry) -> list[Tell]:
    body = json.loads(entry.entry)
    action, data = str(body.get("action", "")), body.get("data") or {}
    domain, _, act = action.partition(".")
    if domain == "case" and entry.case_id:
        case = Case.objects.filter(pk=entry.case_id).first()
        return _case_tells(act, data, case) if case else []
    if domain == "licence" and entry.object_type == "licences.licence":
        licence = Licence.objects.filter(pk=entry.object_id).select_related("case").first()
        return _licence_tells(act, data, licence) if licence else []
    if action in OGL_ACTS and entry.object_id:
        reg = OglRegistration.objects.filter(pk=entry.object_id).select_related("ogl").first()
        if reg is None:
            return []
        return [
            Tell(
                tuple(exporters_of(reg.organisation_id)),
                Kind.LICENCE,
                f"Registration {reg.reference} to {reg.ogl.reference} {OGL_ACTS[action]}",
                str(data.get("reason", "")),
                "/open-licences/",
            )
        ]
    if action == "ogl.return_missed" and entry.object_id:
        row = OglReturn.objects.filter(pk=entry.object_id).select_related("registration").first()
        if row is None:
            return []
        reg = row.registration
        seniors = User.objects.filter(role=Role.SENIOR_OFFICER, is_active=True)
        return [
            Tell(
                tuple(exporters_of(reg.organisation_id)) + tuple(seniors),
                Kind.DEADLINE,
                f"Registration {reg.reference}: return {row.number} was due by {row.due_on} and is missing",
                "A missed return is a compliance flag on the registration. File it as soon as possible.",
                f"/open-licences/registrations/{reg.pk}/#returns-h",
            )
        ]
    if action == "catchall.decide" and entry.object_id:
        r = CatchAllReferral.objects.filter(pk=entry.object_id).first()
        if r is None:
            return []
        return [
            Tell(
                tuple(exporters_of(r.organisation_id)),
                Kind.CATCH_ALL,
                f"{r.reference}: {r.get_status_display()}",
                r.decision_reason,
                f"/catch-all/{r.pk}/",
            )
        ]
    return []


def create(
    users: Iterable[User | None],
    kind: str,
    subject: str,
    body: str,
    url: str,
    key: str,
    actor_id: int | None = None,
) -> list[Notification]:
    """One notification per person (never to `actor_id`), skipping those already told under `key`."""
    out = []
    for user in {u.pk: u for u in users if u is not None and u.pk != actor_id}.values():
        n, made = Notification.objects.get_or_create(
            user=user, key=key, defaults={"kind": kind, "subject": subject[:300], "body": body, "url": url}
        )
        if made:
            out.append(n)
    return out


@transaction.atomic
def deliver(limit: int = BATCH) -> int:
    """Read up to `limit` new audit entries; the number of notifications made. Run it often (each inbox
    page view runs it too; `warden inbox deliver` from cron or a worker)."""
    cursor, _ = Cursor.objects.select_for_update().get_or_create(pk=1)
    entries = list(AuditEntry.objects.filter(seq__gt=cursor.last_seq).order_by("seq")[:limit])
    made: list[Notification] = []
    for entry in entries:
        for t in tells_for(entry):
            made += create(
                t.users, t.kind, t.subject, t.body, t.url, f"audit:{entry.seq}:{t.kind}", entry.actor_id
            )
    if entries:
        cursor.last_seq = entries[-1].seq
        cursor.save(update_fields=["last_seq"])
    mail.send_immediate(made)
    return len(made)
