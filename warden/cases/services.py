"""Every change to a case: one function per action of transitions.TABLE.

Each public function takes keyword-only arguments, `actor` first, and runs in ONE durable transaction:
it locks the case row (SELECT ... FOR UPDATE), checks that nobody changed the case since the caller read it
(`expected_version`, by default the version of the Case object passed in), asks policy.py whether the actor
may do this now, applies the change, writes a CaseTransition row and an audit entry, and bumps
`case.version`. Either all of it is stored or nothing is.

Refusals are exceptions from warden.cases.transitions, whose str() is a sentence for the user:
    NotPermitted       role, organisation, team or separation of duties   (web 403 / API 403 or 404)
    IllegalTransition  wrong status or a guard (open request, pending advice, not a refusal...)  (409)
    InvalidInput       bad arguments (a refusal without criteria, an empty answer...)  (422); .field names it
    InvalidDocument    an application document that fails the schema; .errors lists (pointer, message)
    CaseConflict       someone else changed the case meanwhile; reload and retry  (409)

The Case object passed in is refreshed in place after a successful change, so callers may chain calls.
Because the transactions are durable, these functions cannot be called inside another transaction.atomic()
(tests are fine: Django's TestCase lifts that check).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from warden.accounts import interests
from warden.accounts.models import Organisation, Role, Team
from warden.audit.services import record
from warden.cases import policy
from warden.cases.models import (
    Advice,
    AdviceKind,
    Case,
    CaseNote,
    CaseTransition,
    Decision,
    Document,
    GoodsLine,
    InformationRequest,
    Party,
    PartyRole,
    Referral,
    Status,
)
from warden.cases.schema import FieldError, validate_application
from warden.cases.sla import deadline_from, paused_workdays, sla_days_for
from warden.cases.transitions import (
    Action,
    CaseConflict,
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    WorkflowError,
    get,
)
from warden.lib import clock
from warden.lib.workdays import add_workdays

__all__ = [
    "CaseConflict",
    "IllegalTransition",
    "InvalidDocument",
    "InvalidInput",
    "NotPermitted",
    "WorkflowError",
    "add_note",
    "record_answer",
    "appeal",
    "assign_case",
    "close_case",
    "countersign",
    "create_application",
    "finalise",
    "give_advice",
    "open_document",
    "recommend",
    "refer_case",
    "reject_overrule",
    "request_information",
    "start_initial_checks",
    "create_and_mark_submitted",
    "mark_submitted",
    "update_draft",
    "store_document",
    "withdraw",
]

# A refusal criterion's shape, SCHEME:code (EU-CP:7, ATT:6.3, NATIONAL:salw-non-state). Which codes are
# citable is the law's business (warden.legislation.criteria, the ruleset in force): the interfaces pass that
# set in as `citable`, so that this layer, below legislation, holds no copy of it.
CRITERION_SHAPE = re.compile(r"^[A-Z][A-Z-]{1,15}:[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


class InvalidDocument(InvalidInput):
    """The application document does not validate; nothing was stored."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        first = errors[0] if errors else FieldError("", "invalid")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first.pointer or 'document'}: {first.message}{more}", field=first.pointer)
        self.errors = list(errors)


# ---------------------------------------------------------------------------------------------- internals


def _lock(case: Case, expected_version: int | None) -> Case:
    """The case row, locked until the end of the transaction, after checking nobody changed it."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    expected = case.version if expected_version is None else expected_version
    if locked.version != expected:
        raise _conflict(locked)
    return locked


def _conflict(locked: Case) -> CaseConflict:
    last = CaseTransition.objects.filter(case=locked).select_related("actor").order_by("-pk").first()
    who = f" by {last.actor.display_name} ({get(last.action).gerund})" if last is not None else ""
    return CaseConflict(
        f"{locked.reference} was changed{who} since you opened it; it is now "
        f"{locked.get_status_display().lower()}. Nothing was saved: reload the case and try again."
    )


def _sync(target: Case, source: Case) -> None:
    """Copy the stored state into the caller's object so that it can be used for the next call."""
    if target is source:
        return
    for f in Case._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


def _text(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"{what} is required", field=field)
    return value


def _criteria(
    values: Iterable[str], field: str = "criteria", citable: Collection[str] | None = None
) -> list[str]:
    """The cited criteria, stripped and deduplicated. With `citable` (the criteria of the ruleset in force,
    given by the caller) a code outside it is refused with the list of what may be cited; without it only
    the shape is checked (internal callers that pass codes the engine produced)."""
    out = []
    for v in values:
        v = (v or "").strip()
        if citable is not None and v not in citable:
            raise InvalidInput(
                f"{v!r} is not a refusal criterion of the ruleset in force: cite one of {', '.join(citable)}",
                field=field,
            )
        if not CRITERION_SHAPE.match(v):
            raise InvalidInput(
                f"{v!r} is not a refusal criterion: a criterion reads SCHEME:code, e.g. EU-CP:7, ATT:6.3, "
                "NATIONAL:<rule id>",
                field=field,
            )
        if v not in out:
            out.append(v)
    return out


def _move(
    *,
    actor: Any,
    case: Case,
    action: Action,
    reason: str = "",
    data: dict[str, Any] | None = None,
    internal: dict[str, Any] | None = None,
) -> CaseTransition:
    """Apply the table's target status to the (locked, already checked) case, save it with a bumped version,
    and store the transition row and its audit entry. `data` goes on the transition row (which the exporter
    may see for exporter-visible actions); `internal` only into the audit entry."""
    t = get(action)
    from_status = case.status if action != Action.CREATE else ""
    to_status = t.target if t.target is not None else case.status
    case.status = to_status
    case.version += 1
    case.save()
    row = CaseTransition.objects.create(
        case=case,
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        data=data or {},
    )
    record(
        actor=actor,
        action=f"case.{action.value}",
        target=case,
        data={
            "reference": case.reference,
            "from": from_status,
            "to": to_status,
            "reason": reason,
            **(data or {}),
            **(internal or {}),
        },
        case_id=case.pk,
    )
    return row


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


def _validated(document: Any) -> dict[str, Any]:
    errors = validate_application(document)
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


def _create(*, actor: Any, document: dict[str, Any]) -> Case:
    policy.check_act(actor, None, Action.CREATE)
    doc = exporter_of(actor.organisation, _validated(document))
    case = Case(
        reference=f"NEW-{uuid.uuid4().hex}",  # replaced below once the primary key is known
        organisation_id=actor.organisation_id,
        created_by=actor,
        licence_type=doc["licence_type"],
        destination=doc["destination"],
        end_use=doc["end_use"],
        document=doc,
        status=Status.DRAFT,
    )
    case.save()
    case.reference = f"APP-{clock.today().year}-{case.pk:06d}"
    _store_document_rows(case, doc)
    _move(actor=actor, case=case, action=Action.CREATE, data={"licence_type": case.licence_type})
    return case


def _submit(*, actor: Any, case: Case) -> None:
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
def create_application(*, actor: Any, document: dict[str, Any]) -> Case:
    """Validate a warden.application/1 document and store it as a draft case of the actor's organisation
    (goods lines, parties, and the exporter party: the actor's organisation, see exporter_of). Raises InvalidDocument
    (nothing stored) when the document does not validate."""
    return _create(actor=actor, document=document)


@transaction.atomic(durable=True)
def update_draft(
    *, actor: Any, case: Case, document: dict[str, Any], expected_version: int | None = None
) -> Case:
    """Replace a draft's document (and its goods and parties) with a new valid version."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.EDIT_DRAFT)
    doc = exporter_of(locked.organisation, _validated(document))
    _store_document_rows(locked, doc)
    _move(actor=actor, case=locked, action=Action.EDIT_DRAFT)
    # A draft is neither screened nor assessed yet: nothing to re-run (submission does both).
    _sync(case, locked)
    return locked


@transaction.atomic
def mark_submitted(*, actor: Any, case: Case, expected_version: int | None = None) -> Case:
    """The case's part of a submission: sets submitted_at and the SLA deadline (sla.SLA_WORKING_DAYS
    working days). Called by warden.flows.submission.submit_case, which screens and assesses the case next
    in the same transaction; call that, not this."""
    locked = _lock(case, expected_version)
    _submit(actor=actor, case=locked)
    _sync(case, locked)
    return locked


@transaction.atomic
def create_and_mark_submitted(*, actor: Any, document: dict[str, Any]) -> Case:
    """The case's part of warden.flows.submission.submit_application: validate, store and submit (call
    the flow, which screens and assesses next in the same transaction)."""
    case = _create(actor=actor, document=document)
    _submit(actor=actor, case=case)
    return case


# ---------------------------------------------------------------------------------------------- casework


@transaction.atomic(durable=True)
def start_initial_checks(*, actor: Any, case: Case, expected_version: int | None = None) -> Case:
    """An officer picks up a submitted case: it becomes theirs (case officer) unless already assigned."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.START_INITIAL_CHECKS)
    if locked.case_officer_id is None:
        locked.case_officer = actor
    if locked.team_id is None and actor.team_id:
        locked.team_id = actor.team_id
    _move(actor=actor, case=locked, action=Action.START_INITIAL_CHECKS)
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def assign_case(*, actor: Any, case: Case, officer: Any, expected_version: int | None = None) -> Case:
    """Make `officer` (a licensing or senior officer) the case officer."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.ASSIGN)
    if officer.role not in (Role.LICENSING_OFFICER, Role.SENIOR_OFFICER) or not officer.is_active:
        raise InvalidInput(
            f"{officer.display_name} is not an active licensing or senior officer", field="officer"
        )
    if (conflict := interests.assignee_error(officer, locked.organisation_id, locked.reference)) is not None:
        raise conflict  # the officer declared an interest in this exporter (accounts.interests)
    locked.case_officer = officer
    if officer.team_id:
        locked.team_id = officer.team_id
    _move(actor=actor, case=locked, action=Action.ASSIGN, data={"officer": officer.username})
    _sync(case, locked)
    return locked


def _teams(teams: Iterable[Team | str | int]) -> list[Team]:
    out: list[Team] = []
    for t in teams:
        if isinstance(t, Team):
            team = t
        else:
            found = (
                Team.objects.filter(code=t).first()
                if isinstance(t, str)
                else Team.objects.filter(pk=t).first()
            )
            if found is None:
                raise InvalidInput(f"No team {t!r}", field="teams")
            team = found
        if not team.is_advisory:
            raise InvalidInput(f"{team.name} is not a consulted department", field="teams")
        if team not in out:
            out.append(team)
    if not out:
        raise InvalidInput("Choose at least one department to consult", field="teams")
    return out


@transaction.atomic(durable=True)
def refer_case(
    *,
    actor: Any,
    case: Case,
    teams: Iterable[Team | str | int],
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Ask consulted departments (advisory Teams, or their codes) for advice; the case moves to consultation.
    A case already in consultation can be referred to further departments, not twice to the same one."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.REFER)
    chosen = _teams(teams)
    already = set(Referral.objects.filter(case=locked, team__in=chosen).values_list("team__name", flat=True))
    if already:
        raise InvalidInput(
            f"{locked.reference} was already referred to {', '.join(sorted(already))}", field="teams"
        )
    Referral.objects.bulk_create(
        Referral(case=locked, team=t, requested_by=actor, note=note.strip()) for t in chosen
    )
    _move(
        actor=actor,
        case=locked,
        action=Action.REFER,
        reason=note.strip(),
        data={"teams": [t.code for t in chosen]},
    )
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def give_advice(
    *,
    actor: Any,
    referral: Referral,
    kind: str,
    text: str,
    proviso: str = "",
    criteria: Iterable[str] = (),
    citable: Collection[str] | None = None,
    expected_version: int | None = None,
) -> Advice:
    """An adviser answers their team's referral: approve, proviso (approve with a proviso), refuse (with at
    least one criterion) or no_view. The case stays in consultation; once every referral is answered the
    officer can recommend. Not version-checked unless `expected_version` is given (advisers of different
    departments work in parallel)."""
    locked = Case.objects.select_for_update().get(pk=referral.case_id)
    if expected_version is not None and locked.version != expected_version:
        raise _conflict(locked)
    ref = Referral.objects.select_related("team").filter(pk=referral.pk, case_id=locked.pk).first()
    if ref is None:
        raise NotPermitted(f"{locked.reference} has no such referral")
    policy.check_act(actor, locked, Action.GIVE_ADVICE, referral=ref)
    if kind not in AdviceKind.values:
        raise InvalidInput(f"Advice must be one of {', '.join(AdviceKind.values)}", field="kind")
    text = _text(text, "text", "The advice text")
    proviso = (proviso or "").strip()
    crit = _criteria(criteria, citable=citable)
    if kind == AdviceKind.REFUSE and not crit:
        raise InvalidInput(
            "Advice to refuse must cite at least one criterion (e.g. EU-CP:2)", field="criteria"
        )
    if kind == AdviceKind.PROVISO and not proviso:
        raise InvalidInput("Advice with a proviso must state the proviso", field="proviso")
    now = timezone.now()
    advice = Advice.objects.create(
        referral=ref,
        case=locked,
        adviser=actor,
        kind=kind,
        proviso=proviso if kind == AdviceKind.PROVISO else "",
        criteria=crit if kind == AdviceKind.REFUSE else [],
        text=text,
    )
    ref.answered_at = now
    ref.save(update_fields=["answered_at"])
    referral.answered_at = now
    _move(
        actor=actor,
        case=locked,
        action=Action.GIVE_ADVICE,
        data={"team": ref.team.code, "kind": kind, "criteria": advice.criteria},
    )
    return advice


@transaction.atomic(durable=True)
def request_information(
    *, actor: Any, case: Case, question: str, expected_version: int | None = None
) -> InformationRequest:
    """Ask the exporter a question. The case keeps its status but waits: paused_since is set and the SLA
    clock stops until every open request is answered."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.REQUEST_INFORMATION)
    question = _text(question, "question", "The question")
    req = InformationRequest.objects.create(case=locked, asked_by=actor, question=question)
    if locked.paused_since is None:
        locked.paused_since = req.asked_at
    _move(
        actor=actor, case=locked, action=Action.REQUEST_INFORMATION, reason=question, data={"request": req.pk}
    )
    _sync(case, locked)
    return req


@transaction.atomic
def record_answer(
    *, actor: Any, request: InformationRequest, answer: str, document: dict[str, Any] | None = None
) -> tuple[InformationRequest, bool]:
    """The case's part of warden.flows.amendment.answer_information_request (call that): the exporter
    answers. When no request is left open the clock resumes: the deadline moves back by the working days it
    stood still (sla.paused_workdays). With `document`, the answer also amends the application (a new valid
    warden.application/1 replacing goods and parties). Returns the request and whether the application
    changed (the flow then re-screens and re-assesses the case)."""
    locked = Case.objects.select_for_update().get(pk=request.case_id)
    req = InformationRequest.objects.select_for_update().get(pk=request.pk)
    policy.check_act(actor, locked, Action.ANSWER_REQUEST)
    if req.answered_at is not None:
        raise IllegalTransition(f"That request on {locked.reference} was already answered")
    answer = _text(answer, "answer", "The answer")
    amended = document is not None and _validated(document) != locked.document
    now = timezone.now()
    req.answer = answer
    req.answered_by = actor
    req.answered_at = now
    req.save(update_fields=["answer", "answered_by", "answered_at"])
    data: dict[str, Any] = {"request": req.pk}
    still_open = InformationRequest.objects.filter(case=locked, answered_at__isnull=True).exists()
    if not still_open and locked.paused_since is not None:
        paused = paused_workdays(locked.paused_since, now)
        if locked.sla_deadline is not None:
            locked.sla_deadline = add_workdays(locked.sla_deadline, paused)
        locked.sla_paused_days += paused
        locked.paused_since = None
        data.update(
            paused_workdays=paused,
            sla_deadline=locked.sla_deadline.isoformat() if locked.sla_deadline else None,
        )
    if amended:
        assert document is not None
        _store_document_rows(locked, document)
        data["amended"] = True
    _move(actor=actor, case=locked, action=Action.ANSWER_REQUEST, data=data)
    for f in ("answer", "answered_by_id", "answered_at"):
        setattr(request, f, getattr(req, f))
    return req, amended


def _decision_inputs(
    decision: str,
    criteria: Iterable[str],
    conditions: str,
    *,
    what: str,
    citable: Collection[str] | None = None,
) -> tuple[str, list[str], str]:
    if decision not in Decision.values:
        raise InvalidInput(f"{what} must be one of {', '.join(Decision.values)}", field="decision")
    crit = _criteria(criteria, citable=citable)
    conditions = (conditions or "").strip()
    if decision == Decision.REFUSED and not crit:
        raise InvalidInput(
            f"{what} to refuse must cite at least one criterion (e.g. EU-CP:1, ATT:6.1)", field="criteria"
        )
    if decision == Decision.APPROVED_WITH_CONDITIONS and not conditions:
        raise InvalidInput(f"{what} to approve with conditions must state the conditions", field="conditions")
    if decision != Decision.REFUSED and crit:
        raise InvalidInput(
            f"{what} to approve cannot cite refusal criteria ({', '.join(crit)}): untick them, or refuse",
            field="criteria",
        )
    if decision == Decision.APPROVED:
        conditions = ""
    return decision, crit, conditions


@transaction.atomic(durable=True)
def recommend(
    *,
    actor: Any,
    case: Case,
    decision: str,
    reason: str,
    criteria: Iterable[str] = (),
    conditions: str = "",
    citable: Collection[str] | None = None,
    expected_version: int | None = None,
) -> Case:
    """The case officer recommends a decision and sends the case to final review. Needs no open request
    for information and every referral answered. Whoever recommends cannot finalise the same case."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.RECOMMEND)
    decision, crit, conditions = _decision_inputs(
        decision, criteria, conditions, what="A recommendation", citable=citable
    )
    reason = _text(reason, "reason", "The reason for the recommendation")
    locked.recommended_by = actor
    locked.recommended_decision = decision
    locked.recommendation_reason = reason
    locked.recommended_criteria = crit
    locked.conditions = conditions
    if locked.case_officer_id is None:
        locked.case_officer = actor
    _move(
        actor=actor,
        case=locked,
        action=Action.RECOMMEND,
        reason=reason,
        data={"decision": decision, "criteria": crit, "conditions": conditions},
    )
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def finalise(
    *,
    actor: Any,
    case: Case,
    decision: str,
    reason: str,
    criteria: Iterable[str] = (),
    conditions: str = "",
    justification: str = "",
    omitted_provisos: Mapping[Any, str] | None = None,
    citable: Collection[str] | None = None,
    expected_version: int | None = None,
) -> Case:
    """A senior officer (never the one who recommended) decides: approved, approved_with_conditions (with
    the conditions) or refused (citing at least one criterion, e.g. "EU-CP:1"). Two senior officers
    finalising at once: the second gets CaseConflict and nothing of theirs is stored. Issuing the licence
    of an approval is a separate step (warden.licences.services.issue_licence).

    Refused while a decision gate is closed (an unreviewed screening match, a stale list version). A decision
    against the engine's recommendation needs `justification` and is only proposed: the case stays under
    final review until another senior officer calls `countersign` (see warden.cases.decisions). Advisers'
    provisos become conditions of an approval unless `omitted_provisos` ({advice pk: reason}) leaves them out."""
    from warden.cases import decisions

    locked = _lock(case, expected_version)
    decisions.decide(
        actor=actor,
        locked=locked,
        decision=decision,
        reason=reason,
        criteria=criteria,
        conditions=conditions,
        justification=justification,
        omitted_provisos=omitted_provisos,
        citable=citable,
    )
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def countersign(*, actor: Any, case: Case, note: str = "", expected_version: int | None = None) -> Case:
    """A second senior officer (neither the proposer nor the recommender) countersigns the decision proposed
    against the engine's recommendation: the case is finalised with it."""
    from warden.cases import decisions

    locked = _lock(case, expected_version)
    decisions.countersign(actor=actor, locked=locked, note=note)
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def reject_overrule(*, actor: Any, case: Case, reason: str, expected_version: int | None = None) -> Case:
    """A senior officer sends back the decision proposed against the engine's recommendation; the case stays
    under final review for a new decision."""
    from warden.cases import decisions

    locked = _lock(case, expected_version)
    decisions.reject(actor=actor, locked=locked, reason=reason)
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def withdraw(*, actor: Any, case: Case, reason: str = "", expected_version: int | None = None) -> Case:
    """The exporter withdraws a draft or an open case. Open requests for information are left as they were."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.WITHDRAW)
    locked.paused_since = None
    _move(actor=actor, case=locked, action=Action.WITHDRAW, reason=(reason or "").strip())
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def appeal(*, actor: Any, case: Case, grounds: str, expected_version: int | None = None) -> Case:
    """The exporter appeals a refusal (once, within transitions.APPEAL_WINDOW_DAYS of the decision). The case
    goes under appeal; an officer reviews it and recommends again, and a senior officer finalises again."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.APPEAL)
    grounds = _text(grounds, "grounds", "The grounds of appeal")
    previous = {"decision": locked.decision, "criteria": locked.decision_criteria}
    locked.recommended_by = None
    locked.recommended_decision = ""
    locked.recommendation_reason = ""
    locked.recommended_criteria = []
    # The appeal is a fresh review with the case type's service level from today: kept at the original
    # submission's deadline, every appeal would be overdue the day it arrives and drown the real backlog.
    locked.sla_deadline = deadline_from(clock.today(), locked.licence_type)
    _move(
        actor=actor,
        case=locked,
        action=Action.APPEAL,
        reason=grounds,
        data={"appealed": previous, "sla_deadline": locked.sla_deadline.isoformat()},
    )
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def close_case(*, actor: Any, case: Case, reason: str = "", expected_version: int | None = None) -> Case:
    """Close a refused case (after any appeal) or a licensed one whose licence has ended."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.CLOSE)
    _move(actor=actor, case=locked, action=Action.CLOSE, reason=(reason or "").strip())
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def add_note(*, actor: Any, case: Case, text: str, expected_version: int | None = None) -> CaseNote:
    """An internal note by an officer; never shown to the exporter."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.ADD_NOTE)
    text = _text(text, "text", "The note")
    note = CaseNote.objects.create(case=locked, author=actor, text=text)
    _move(actor=actor, case=locked, action=Action.ADD_NOTE, data={"note": note.pk})
    _sync(case, locked)
    return note


# ---------------------------------------------------------------------------------------------- documents

_PDF_ACTIVE_CONTENT = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|XFA)\b")


def check_pdf(content: bytes, *, max_bytes: int | None = None) -> None:
    """Accept only what is really a PDF, judged by its bytes (never by the file name): the %PDF-x.y header
    at the start, an end-of-file marker and cross-reference pointer near the end, at least one object, no
    active content (JavaScript, launch actions, embedded files), and at most settings.DOCUMENT_MAX_BYTES."""
    limit = settings.DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    if not content:
        raise InvalidInput("The file is empty", field="content")
    if len(content) > limit:
        raise InvalidInput(
            f"The file is {len(content):,} bytes; the limit is {limit:,} bytes", field="content"
        )
    if not re.match(rb"%PDF-[12]\.\d", content[:8]):
        raise InvalidInput("Only PDF documents are accepted; this file is not a PDF", field="content")
    tail = content[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise InvalidInput("The PDF is truncated or damaged (no end-of-file marker)", field="content")
    if not re.search(rb"\d+\s+\d+\s+obj\b", content):
        raise InvalidInput("The PDF is damaged (it contains no objects)", field="content")
    if _PDF_ACTIVE_CONTENT.search(content):
        raise InvalidInput(
            "PDFs with scripts, launch actions or embedded files are not accepted", field="content"
        )


def _safe_filename(filename: str) -> str:
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return (name or "document.pdf")[:200]


def document_path(sha256: str) -> Path:
    """Where the bytes of a document live: under settings.UPLOAD_DIR (never a web root), by content hash."""
    return Path(settings.UPLOAD_DIR) / sha256[:2] / sha256


def _store_bytes(content: bytes, sha: str) -> None:
    path = document_path(sha)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@transaction.atomic
def store_document(
    *, actor: Any, case: Case, filename: str, content: bytes, kind: str = "end_user_certificate"
) -> Document:
    """The case's part of warden.flows.amendment.upload_document (call that, which re-assesses the case
    next): attach a PDF to a case (the exporter while the case is a draft or open; officers while it is open).
    The content is checked (check_pdf), stored under settings.UPLOAD_DIR by SHA-256 and audited. Not
    version-checked: documents can be added while others work on the case."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    policy.check_act(actor, locked, Action.UPLOAD_DOCUMENT)
    check_pdf(content)
    kind = (kind or "other").strip()[:40]
    sha = hashlib.sha256(content).hexdigest()
    _store_bytes(content, sha)
    doc = Document.objects.create(
        case=locked,
        kind=kind,
        filename=_safe_filename(filename),
        size=len(content),
        sha256=sha,
        uploaded_by=actor,
    )
    _move(
        actor=actor,
        case=locked,
        action=Action.UPLOAD_DOCUMENT,
        data={"document": doc.pk, "filename": doc.filename, "sha256": sha, "size": doc.size, "kind": kind},
    )
    _sync(case, locked)
    return doc


def open_document(*, actor: Any, document: Document) -> IO[bytes]:
    """The bytes of a document as an open binary file (Django's FileResponse closes it), for those who may
    see its case. Every download is an audit entry ('document.download'), committed before the file is
    handed out. Raises NotPermitted otherwise; callers answer 404 to hide that the document exists."""
    if not policy.can_view_document(actor, document):
        raise NotPermitted("No such document")
    path = document_path(document.sha256)
    with transaction.atomic():
        record(
            actor=actor,
            action="document.download",
            target=document,
            data={"filename": document.filename, "sha256": document.sha256},
            case_id=document.case_id,
        )
    return path.open("rb")
