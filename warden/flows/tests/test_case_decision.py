"""A case decision is checked against the gate and the engine the caller hands in: there is no registry that
a process could forget to fill, so a decision without them is a programming error, never an open gate."""

from __future__ import annotations

import pytest

from warden.cases import policy, services
from warden.cases.decision_context import DecisionContext, EngineView, MissingDecisionContext
from warden.cases.models import Case, Status
from warden.cases.tests import factories as f
from warden.cases.transitions import Action
from warden.flows import case_decision
from warden.lib.errors import IllegalTransition
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _held(why: str) -> DecisionContext:
    return DecisionContext(gate=lambda case: why, engine=lambda case: None)


def test_checking_a_decision_without_its_context_fails_loudly(personas: Personas) -> None:
    case = f.under_final_review(personas)
    for action in (Action.FINALISE, Action.COUNTERSIGN, Action.ISSUE_LICENCE):
        with pytest.raises(MissingDecisionContext, match="decision context"):
            policy.why_not(personas.senior, case, action)


def test_the_decision_services_cannot_be_called_without_a_context(personas: Personas) -> None:
    case = f.under_final_review(personas)
    with pytest.raises(TypeError, match="context"):
        services.finalise(actor=personas.senior, case=case, decision="approved", reason="x")  # type: ignore[call-arg]
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW


def test_a_closed_gate_passed_in_refuses_the_decision_with_its_sentence(personas: Personas) -> None:
    case = f.under_final_review(personas)
    with pytest.raises(IllegalTransition, match="Cannot finalise .*: an open question"):
        services.finalise(
            actor=personas.senior,
            case=case,
            decision="approved",
            reason="Fine",
            citable=(),
            context=_held("an open question"),
        )
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW
    assert "finalise" not in policy.allowed_actions(personas.senior, case, context=_held("held"))


def test_the_engine_passed_in_decides_whether_a_second_signature_is_needed(personas: Personas) -> None:
    case = f.under_final_review(personas)
    refusing = DecisionContext(gate=lambda c: None, engine=lambda c: EngineView(recommendation="refuse"))
    with pytest.raises(Exception, match="goes against the engine's recommendation"):
        services.finalise(
            actor=personas.senior, case=case, decision="approved", reason="Fine", citable=(), context=refusing
        )


def test_the_flow_checks_the_screening_gate_and_the_stored_assessment(personas: Personas) -> None:
    case = f.under_final_review(personas)
    assert case_decision.why_not(personas.senior, case, Action.FINALISE) is None
    case_decision.finalise(
        actor=personas.senior,
        case=case,
        decision="approved_with_conditions",
        reason="Fine",
        conditions="Annual report",
    )
    assert Case.objects.get(pk=case.pk).status == Status.FINALISED
