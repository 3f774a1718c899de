"""What a case decision needs to know from the domains above cases, handed in by the caller.

Finalising, countersigning and issuing a licence depend on two facts cases cannot compute without
importing the layers above it: whether screening leaves an open question (the screening gate) and what
the criteria engine recommends (the engine view). Before issue 11 both came from a hook registry filled in
`AppConfig.ready()`, so a process that never loaded the registering app decided with the gate silently
open. Now the caller passes a `DecisionContext` (built by `warden.flows.case_decision.context()`), the
decision services require it, and `cases.policy` refuses to judge a decision action without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from warden.rules.lines import LineView

if TYPE_CHECKING:
    from warden.cases.models import Case


@dataclass(frozen=True)
class EngineView:
    """The criteria engine's current recommendation for a case (computed by the legislation app)."""

    recommendation: str  # approve | approve_with_conditions | refer | refuse
    deny_criteria: list[str] = field(default_factory=list)  # criteria of the deny findings, if any
    assessment_id: int | None = None
    # A global application's destination lines as the engine sees each (warden.rules.lines); () otherwise.
    lines: tuple[LineView, ...] = ()


# gate(case) -> the sentence for the officer, or None when nothing blocks a decision. Read-only and cheap:
# the case page asks it for every decision button.
Gate: TypeAlias = "Callable[[Case], str | None]"
# engine(case) -> the latest assessment's recommendation, or None when the case has none stored.
EngineLookup: TypeAlias = "Callable[[Case], EngineView | None]"


@dataclass(frozen=True)
class DecisionContext:
    """The gate and the engine a decision is checked against. Both are functions of the case so that they
    are read inside the decision's transaction, on the locked row, and only when the action needs them."""

    gate: Gate
    engine: EngineLookup


class MissingDecisionContext(TypeError):
    """A decision action was checked without its context: a programming error, never an open gate."""
