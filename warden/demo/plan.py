"""How one demo case reaches its final stage: `plan` fills a story with the service calls that take it there,
each at a moment between its submission and now (the loader then replays every story's steps in time order)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from warden.cases import services
from warden.cases.models import Case, Decision
from warden.demo.scenarios import CONDITIONS
from warden.demo.stages import LICENCE_STAGES, OPEN_STAGES, REFUSED_STAGES, Story, document_for, tiny_pdf
from warden.demo.steps import advice_step, answer, finalise, licence_steps, review_matches
from warden.flows import amendment, case_decision, submission


def plan(story: Story, now: dt.datetime) -> None:
    """Fill story.steps: the actions and their moments, ending in story.stage."""
    rng, p, stage, sc = story.rng, story.people, story.stage, story.scenario
    officer = rng.choice(p.officers)
    senior = rng.choice(p.seniors)
    exporter = story.exporter
    refusing = stage in REFUSED_STAGES
    approving = stage in LICENCE_STAGES or stage == "finalised_approved"
    if refusing and sc.outcome != "refuse" or approving and sc.outcome == "refuse":
        raise ValueError("scenario does not fit the stage")

    # How long ago it was submitted (calendar days).
    if stage == "draft":
        ago = rng.uniform(0.2, 20)
    elif stage == "submitted":
        ago = rng.uniform(0.1, 6) if rng.random() > 0.15 else rng.uniform(32, 45)
    elif stage in OPEN_STAGES:
        ago = rng.uniform(5, 26) if rng.random() > 0.25 else rng.uniform(30, 70)
    elif stage == "under_appeal":
        ago = rng.uniform(35, 70)
    elif stage == "licence_expired":
        ago = rng.uniform(400, 470)
    elif stage in ("closed", "finalised_refused"):
        ago = rng.uniform(45, 330)
    else:
        ago = rng.uniform(35, 320)
    t = now - dt.timedelta(days=ago)
    t = t.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
    if t > now - dt.timedelta(minutes=30):
        t = now - dt.timedelta(minutes=30 + rng.randint(0, 240))
    steps: list[tuple[float, Callable[[], object]]] = []  # (days after submission, action)

    def at(days: float, fn: Callable[[], object]) -> None:
        steps.append((days, fn))

    def case() -> Case:
        # Fresh from the database: other people's steps (advice, answers) have moved its version on.
        assert story.case is not None
        story.case.refresh_from_db()
        return story.case

    created_on = (t - dt.timedelta(days=2)).date()

    def create() -> None:
        story.case = submission.create_application(actor=exporter, document=document_for(story, created_on))

    at(-rng.uniform(0.5, 4), create)
    if rng.random() < 0.35:
        at(
            -0.2,
            lambda: amendment.upload_document(
                actor=exporter,
                case=case(),
                filename="end-user-certificate.pdf",
                content=tiny_pdf(f"End-user certificate - {sc.end_user[0]}"),
                kind="end_user_certificate",
            ),
        )
    if stage == "draft":
        story.steps = [(t + dt.timedelta(days=d), fn) for d, fn in steps]
        return
    at(0, lambda: submission.submit_case(actor=exporter, case=case()))
    if stage == "withdrawn":
        if rng.random() < 0.5:
            at(rng.uniform(1, 3), lambda: services.start_initial_checks(actor=officer, case=case()))
        at(
            rng.uniform(4, 9),
            lambda: services.withdraw(actor=exporter, case=case(), reason="The order was cancelled"),
        )
        story.steps = [(t + dt.timedelta(days=d), fn) for d, fn in steps]
        return
    if stage == "submitted":
        story.steps = [(t + dt.timedelta(days=d), fn) for d, fn in steps]
        return

    # Time available until now, in days after submission; steps are spread over it.
    span = max(0.05, (now - t).total_seconds() / 86400 - 0.02)
    open_case = stage in OPEN_STAGES
    budget = span if open_case else min(span, rng.uniform(14, 30))
    d = rng.uniform(0.05, 0.15) * budget
    at(d, lambda: services.start_initial_checks(actor=officer, case=case()))
    if stage not in ("initial_checks", "initial_checks_rfi") or rng.random() < 0.5:
        # The officer reviews the screening matches: no case is decided over an unreviewed one.
        d += 0.02 * budget
        at(d, lambda: review_matches(officer, case(), listed=sc.outcome == "refuse"))

    if rng.random() < 0.3 or stage in ("initial_checks_rfi",):
        d += 0.05 * budget
        question = rng.choice([
            "Please provide the signed end-user certificate.",
            "Please confirm the final delivery address of the end user.",
            "Please describe the technical specification of line 1 (data sheet).",
            "Who will maintain the equipment after delivery?",
        ])  # fmt: skip
        at(d, lambda: services.request_information(actor=officer, case=case(), question=question))
        if stage != "initial_checks_rfi":
            d += 0.1 * budget
            at(d, lambda: answer(exporter, case(), "Attached the requested information."))
    if stage in ("initial_checks", "initial_checks_rfi"):
        story.steps = [(t + dt.timedelta(days=x), fn) for x, fn in steps]
        return

    consult = stage.startswith("consultation") or rng.random() < 0.8
    if consult:
        teams = list(sc.teams)
        d += 0.1 * budget
        at(
            d,
            lambda: services.refer_case(
                actor=officer,
                case=case(),
                teams=teams,
                note="Please advise on the end user and the destination.",
            ),
        )
        answered = teams if stage != "consultation_pending" else teams[: rng.randint(0, len(teams) - 1)]
        for code in answered:
            d += 0.12 * budget
            at(d, advice_step(story, code))
        if stage == "consultation_rfi":
            d += 0.05 * budget
            at(
                d,
                lambda: services.request_information(
                    actor=officer,
                    case=case(),
                    question="Please provide the end user's undertaking on re-export.",
                ),
            )
        if stage.startswith("consultation"):
            if rng.random() < 0.4:
                at(
                    d + 0.01,
                    lambda: services.add_note(
                        actor=officer,
                        case=case(),
                        text="Spoke to the exporter; certificate expected next week.",
                    ),
                )
            story.steps = [(t + dt.timedelta(days=x), fn) for x, fn in steps]
            return

    decision = {"approve": Decision.APPROVED, "conditions": Decision.APPROVED_WITH_CONDITIONS,
                "refuse": Decision.REFUSED}[sc.outcome]  # fmt: skip
    conditions = " ".join(rng.sample(CONDITIONS, 2)) if decision == Decision.APPROVED_WITH_CONDITIONS else ""
    criteria = list(sc.criteria)
    reason = (
        f"Refusal recommended: {sc.why}." if decision == Decision.REFUSED
        else "The end user is a state body of the destination and the end use is consistent with its needs; "
             "no criterion of the Common Position is engaged."
    )  # fmt: skip
    d += 0.1 * budget
    at(
        d,
        lambda: case_decision.recommend(
            actor=officer,
            case=case(),
            decision=decision,
            reason=reason,
            criteria=criteria,
            conditions=conditions,
        ),
    )
    if stage == "under_final_review":
        story.steps = [(t + dt.timedelta(days=x), fn) for x, fn in steps]
        return
    d += 0.08 * budget
    other = next(u for u in p.seniors if u.pk != senior.pk)
    at(
        d,
        lambda: finalise(
            senior, other, case(), decision, reason.replace("recommended", "decided"), criteria, conditions
        ),
    )
    if stage == "under_appeal":
        at(
            d + rng.uniform(3, 20),
            lambda: services.appeal(
                actor=exporter,
                case=case(),
                grounds="The end user has given a new undertaking and the goods are for defensive use only.",
            ),
        )
    elif stage == "closed":
        at(
            d + rng.uniform(30, 40),
            lambda: services.close_case(actor=officer, case=case(), reason="No appeal within the window."),
        )
    elif stage in LICENCE_STAGES:
        licence_steps(story, at, d, officer, senior, exporter, now, t)
    story.steps = [(t + dt.timedelta(days=x), fn) for x, fn in steps]
