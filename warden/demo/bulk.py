"""`bulk_cases`: FOR BENCHMARKS ONLY (bench/load.py, bench/web_pages.py), a large caseload in minutes.

Cases, goods lines, parties and referrals are inserted in batches (COPY on PostgreSQL), without the services
and so without screening or the criteria assessment. What the loader does write is an honest history of the
states it claims: each case gets the CaseTransition rows of the service path to its status, and for each
transition the audit entry the service's transition helper (cases.services._move) writes for it, with the
same action, target, case and data keys, appended through warden.audit.services.record in the batch's
transaction (so the log's hash chain and Merkle tree cover them like any other entry). Only statuses whose
whole service path is such transitions are generated (submitted, initial checks, consultation, under final
review, withdrawn): a finalised case would need decision, licence and notice rows a loader cannot honestly
fake. warden/demo/tests/test_bulk_audit.py compares the entries with the services' for the same path.
Never use this for anything but load tests: the cases were never screened."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction

from warden.accounts.models import User
from warden.audit.services import record
from warden.cases.models import Case, CaseTransition, Decision, GoodsLine, Party, PartyRole, Referral, Status
from warden.cases.sla import deadline_from, sla_days_for
from warden.demo.people import ensure_people
from warden.demo.rawinsert import RawInserter
from warden.demo.scenarios import SCENARIOS, Scenario
from warden.demo.stages import licence_type_for
from warden.lib import clock

# Status -> weight, and the service actions (in order) that take a new case there.
STATUSES: list[tuple[str, int]] = [
    (Status.SUBMITTED, 15), (Status.INITIAL_CHECKS, 30), (Status.CONSULTATION, 30),
    (Status.UNDER_FINAL_REVIEW, 20), (Status.WITHDRAWN, 5),
]  # fmt: skip
PATHS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: ("create", "submit"),
    Status.INITIAL_CHECKS: ("create", "submit", "start_initial_checks"),
    Status.CONSULTATION: ("create", "submit", "start_initial_checks", "refer"),
    Status.UNDER_FINAL_REVIEW: ("create", "submit", "start_initial_checks", "recommend"),
    Status.WITHDRAWN: ("create", "submit", "withdraw"),
}
TARGET = {
    "create": Status.DRAFT,
    "submit": Status.SUBMITTED,
    "start_initial_checks": Status.INITIAL_CHECKS,
    "refer": Status.CONSULTATION,
    "recommend": Status.UNDER_FINAL_REVIEW,
    "withdraw": Status.WITHDRAWN,
}


def _recommendation(sc: Scenario) -> dict[str, Any]:
    refuse = sc.outcome == "refuse"
    return {
        "decision": Decision.REFUSED if refuse else Decision.APPROVED,
        "criteria": list(sc.criteria) if refuse else [],
        "conditions": "",
        "reason": f"Refusal recommended: {sc.why}." if refuse else "No criterion is engaged.",
    }


def _history(
    case: Case, status: str, *, exporter: User, officer: User, teams: list[str], rec: dict[str, Any]
) -> list[tuple[str, User, str, dict[str, Any]]]:
    """(action, actor, reason, transition data) for each step of the service path to `status`, with the
    data each service passes to _move."""
    out: list[tuple[str, User, str, dict[str, Any]]] = []
    for action in PATHS[status]:
        data: dict[str, Any] = {}
        actor, reason = officer, ""
        if action == "create":
            actor, data = exporter, {"licence_type": case.licence_type}
        elif action == "submit":
            assert case.sla_deadline is not None
            actor, data = exporter, {"sla_deadline": case.sla_deadline.isoformat(), "sla_days": case.sla_days}
        elif action == "refer":
            data = {"teams": teams}
        elif action == "recommend":
            reason = rec["reason"]
            data = {k: rec[k] for k in ("decision", "criteria", "conditions")}
        elif action == "withdraw":
            actor, reason = exporter, "The order was cancelled"
        out.append((action, actor, reason, data))
    return out


def bulk_cases(n: int, *, seed: int = 1, with_history: bool = True, batch: int = 5000) -> int:
    """FOR BENCHMARKS ONLY (see the module docstring). Insert `n` cases with goods, parties and, for cases in
    consultation, referrals; with `with_history`, their transitions and audit entries. Returns `n`."""
    people = ensure_people()
    rng = random.Random(seed)
    officers = people.officers + people.seniors
    advisory = [t for t in people.teams.values() if t.is_advisory]
    licensing = people.teams["licensing"]
    org_names = {u.pk: u.organisation.name for u in people.exporters if u.organisation}
    names, weights = zip(*STATUSES, strict=True)
    now = clock.now()
    insert = {m: RawInserter(m, now) for m in (Case, GoodsLine, Party, Referral, CaseTransition)}
    deadlines: dict[tuple[dt.date, str], dt.date] = {}
    ids = {m: (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) for m in insert}
    rows: dict[type[Any], list[dict[str, Any]]] = {m: [] for m in insert}

    def add(model: type[Any], **values: Any) -> int:
        ids[model] += 1
        values["id"] = ids[model]
        rows[model].append(values)
        return ids[model]

    inserted = 0
    while inserted < n:
        size = min(batch, n - inserted)
        for pending in rows.values():
            pending.clear()
        entries: list[tuple[Case, list[tuple[str, User, str, dict[str, Any]]]]] = []
        with transaction.atomic():
            for _ in range(size):
                sc = rng.choice(SCENARIOS)
                exporter = rng.choice(people.exporters)
                status = rng.choices(names, weights=weights)[0]
                submitted = now - dt.timedelta(days=rng.uniform(0, 90), minutes=rng.randint(0, 600))
                ltype = licence_type_for("submitted", rng)
                key = (clock.local_date(submitted), ltype)
                if key not in deadlines:
                    deadlines[key] = deadline_from(*key)
                officer = rng.choice(officers)
                rec = _recommendation(sc) if status == Status.UNDER_FINAL_REVIEW else {}
                pk = ids[Case] + 1
                values: dict[str, Any] = dict(
                    reference=f"APP-{submitted.year}-{pk:06d}", organisation_id=exporter.organisation_id,
                    created_by_id=exporter.pk, licence_type=ltype, destination=sc.destination, end_use=sc.end_use,
                    status=status, submitted_at=submitted, team_id=licensing.pk,
                    document={"format": "warden.application/1", "licence_type": ltype,
                              "destination": sc.destination, "end_use": sc.end_use, "bulk": True},
                    case_officer_id=officer.pk if status not in (Status.SUBMITTED, Status.WITHDRAWN) else None,
                    sla_days=sla_days_for(ltype), sla_deadline=deadlines[key],
                    version=len(PATHS[status]),
                )  # fmt: skip
                if rec:
                    values.update(
                        recommended_by_id=officer.pk, recommended_decision=rec["decision"],
                        recommendation_reason=rec["reason"], recommended_criteria=rec["criteria"],
                    )  # fmt: skip
                add(Case, **values)
                for line_no, (desc, rating, qty, amount, cur) in enumerate(sc.goods):
                    add(GoodsLine, case_id=pk, line_no=line_no, description=desc, rating=rating, quantity=qty,
                        value_amount=Decimal(amount), currency=cur)  # fmt: skip
                add(Party, case_id=pk, index=0, role=PartyRole.END_USER, party_type="organisation",
                    sector=sc.end_user[1], name=sc.end_user[0], country=sc.destination, address=sc.end_user[2])  # fmt: skip
                add(Party, case_id=pk, index=1, role=PartyRole.EXPORTER, party_type="organisation",
                    sector="commercial", name=org_names[exporter.pk], country="GB")  # fmt: skip
                teams: list[str] = []
                if status == Status.CONSULTATION:
                    for team in rng.sample(advisory, rng.randint(1, len(advisory))):
                        teams.append(team.code)
                        add(Referral, case_id=pk, team_id=team.pk, requested_by_id=officer.pk, requested_at=submitted)  # fmt: skip
                if with_history:
                    case = Case(
                        pk=pk, reference=values["reference"], licence_type=ltype, sla_days=values["sla_days"],
                        sla_deadline=values["sla_deadline"],
                    )  # fmt: skip
                    steps = _history(case, status, exporter=exporter, officer=officer, teams=teams, rec=rec)
                    entries.append((case, steps))
                    previous = ""
                    for action, actor, reason, data in steps:
                        add(CaseTransition, case_id=pk, action=action, from_status=previous, to_status=TARGET[action],
                            actor_id=actor.pk, reason=reason, data=data, at=submitted)  # fmt: skip
                        previous = TARGET[action]
            for model, inserter in insert.items():
                inserter(rows[model])
            _audit(entries)
        inserted += size
    # Explicit primary keys do not advance PostgreSQL's sequences; move them past the rows just inserted.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(insert)):
                cursor.execute(sql)
    return inserted


def _audit(entries: list[tuple[Case, list[tuple[str, User, str, dict[str, Any]]]]]) -> None:
    """The audit entries cases.services._move writes for each transition, in the batch's transaction."""
    for case, steps in entries:
        previous = ""
        for action, actor, reason, data in steps:
            to = TARGET[action]
            record(
                actor=actor,
                action=f"case.{action}",
                target=case,
                data={"reference": case.reference, "from": previous, "to": to, "reason": reason, **data},
                case_id=case.pk,
            )
            previous = to
