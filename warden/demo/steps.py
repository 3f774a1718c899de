"""The demo's multi-service steps: reviewing screening matches, giving advice, finalising (with a
countersignature when the decision goes against the engine), answering requests, and a licence's life."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from warden.accounts.models import User
from warden.cases.models import Case, InformationRequest, Referral, Status
from warden.demo.scenarios import CONDITIONS
from warden.demo.stages import Story
from warden.flows import amendment, case_decision
from warden.flows.decisions import dispose_match
from warden.licences import services as lic
from warden.licences.models import Licence
from warden.screening.models import Match, MatchStatus


def review_matches(officer: User, case: Case, *, listed: bool) -> None:
    """Decide every open screening match: true matches where the scenario is about a listed party."""

    for m in Match.objects.filter(case=case, status=MatchStatus.OPEN).order_by("-score", "pk"):
        if listed and m.score >= 0.9:
            dispose_match(
                actor=officer, match=m, decision=MatchStatus.TRUE_MATCH, reason="Same entity as listed"
            )
        else:
            dispose_match(
                actor=officer,
                match=m,
                decision=MatchStatus.FALSE_POSITIVE,
                reason="A different body: the country and the identifiers do not match the listed entry",
            )


def finalise(
    senior: User, other: User, case: Case, decision: str, reason: str, criteria: list[str], conditions: str
) -> None:
    """The senior officer decides; a decision against the engine is countersigned by the other one."""
    case_decision.finalise(
        actor=senior,
        case=case,
        decision=decision,
        reason=reason,
        criteria=criteria,
        conditions=conditions,
        justification="The consulted departments' advice and the reviewed screening outweigh the engine's "
        "findings for this end user.",
    )
    if case.status == Status.UNDER_FINAL_REVIEW:
        case_decision.countersign(actor=other, case=case, note="Agreed with the justification.")


def answer(exporter: User, case: Case, text: str) -> None:
    req = InformationRequest.objects.filter(case=case, answered_at__isnull=True).order_by("pk").first()
    if req is not None:
        amendment.answer_information_request(actor=exporter, request=req, answer=text)


def advice_step(story: Story, code: str) -> Callable[[], object]:
    sc, rng = story.scenario, story.rng
    adviser = story.people.advisers[code]

    def give() -> None:
        assert story.case is not None
        referral = Referral.objects.get(case=story.case, team__code=code)
        if sc.outcome == "refuse" and rng.random() < 0.85:
            case_decision.give_advice(
                actor=adviser,
                referral=referral,
                kind="refuse",
                criteria=sc.criteria,
                text=f"We advise refusal: {sc.why}.",
            )
        elif sc.outcome == "conditions":
            case_decision.give_advice(
                actor=adviser,
                referral=referral,
                kind="proviso",
                proviso=CONDITIONS[0],
                text="Acceptable with a re-export control.",
            )
        elif rng.random() < 0.2:
            case_decision.give_advice(
                actor=adviser, referral=referral, kind="no_view", text="No view from this department."
            )
        else:
            case_decision.give_advice(
                actor=adviser,
                referral=referral,
                kind="approve",
                text="No concerns about the end user or the destination.",
            )

    return give


def licence_steps(
    story: Story,
    at: Callable[[float, Callable[[], object]], None],
    d: float,
    officer: User,
    senior: User,
    exporter: User,
    now: dt.datetime,
    t: dt.datetime,
) -> None:

    rng, stage = story.rng, story.stage

    def licence() -> Licence:
        assert story.case is not None
        return Licence.objects.get(case=story.case)

    d += rng.uniform(0.2, 2)
    at(d, lambda: case_decision.issue_licence(actor=officer, case=Case.objects.get(pk=story.case.pk)))  # type: ignore[union-attr,unused-ignore]
    left = (now - t).total_seconds() / 86400 - d
    if stage == "licence_exhausted":
        at(d + left * 0.3, lambda: ship(exporter, licence(), 0.5))
        at(d + left * 0.7, lambda: ship(exporter, licence(), 1.0))
    elif stage == "licence_issued" and rng.random() < 0.5:
        at(d + left * rng.uniform(0.2, 0.8), lambda: ship(exporter, licence(), rng.uniform(0.2, 0.6)))
    elif stage == "licence_expired" and rng.random() < 0.6:
        at(d + rng.uniform(10, 200), lambda: ship(exporter, licence(), rng.uniform(0.2, 0.6)))
    if stage == "licence_suspended":
        at(
            d + left * 0.6,
            lambda: lic.suspend_licence(
                actor=senior,
                licence=licence(),
                reason="Suspended pending review of the situation in the destination.",
            ),
        )
    elif stage == "licence_revoked":
        at(
            d + left * 0.4,
            lambda: lic.suspend_licence(
                actor=senior, licence=licence(), reason="Reports of diversion under investigation."
            ),
        )
        at(
            d + left * 0.8,
            lambda: lic.revoke_licence(
                actor=senior, licence=licence(), reason="Diversion to an unauthorised end user confirmed."
            ),
        )
    elif stage == "licence_surrendered":
        at(
            d + left * 0.7,
            lambda: lic.surrender_licence(
                actor=exporter, licence=licence(), reason="The contract was cancelled."
            ),
        )


def ship(exporter: User, licence: Licence, share: float) -> None:
    """Ship `share` of every line's quantity (1.0: all that is left)."""

    for line in licence.lines.all():
        left = line.quantity - line.shipped_quantity
        qty = left if share >= 1 else max(1, int(line.quantity * share))
        qty = min(qty, left)
        if qty > 0:
            lic.record_shipment(
                actor=exporter,
                licence=licence,
                line=line,
                quantity=qty,
                reference=f"AWB-{licence.pk:05d}-{line.pk}-{line.shipped_quantity}",
            )
            licence.refresh_from_db()
            if licence.status != "issued":
                return
