"""Plug-in points of the case workflow that remain (issue 11 removes them one by one in favour of explicit
calls from warden/flows/): other domains register here from their AppConfig.ready(), so that cases does not
import them. Submission no longer runs hooks: warden.flows.submission screens and assesses in the open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# ------------------------------------------------------------------------------ decision gates
# A DECISION GATE says why a case may not be decided (finalised, countersigned, licensed) yet, from a domain
# cases does not import: screening registers "an unreviewed match or a stale list version" here. Each gate is
#     gate(case: Case) -> str | None       (the sentence for the officer, or None when the gate is open)
# and is read-only: policy.refusal calls it for every decision action, so it must be cheap and pure.
Gate = Callable[[Any], "str | None"]
_GATES: list[tuple[str, Gate]] = []


def decision_gate(name: str) -> Callable[[Gate], Gate]:
    def register(func: Gate) -> Gate:
        if not any(n == name for n, _ in _GATES):
            _GATES.append((name, func))
        return func

    return register


def gate_refusal(case: Any) -> str | None:
    """The first closed gate's reason, or None when every registered gate lets the case be decided."""
    for _, func in _GATES:
        why = func(case)
        if why:
            return why
    return None


# ------------------------------------------------------------------------------ the engine's recommendation
# The criteria engine's current recommendation for a case, from the legislation app (registered there):
#     provider(case: Case) -> EngineView | None        (None: no assessment stored)
_ENGINE: list[Callable[[Any], Any]] = []


def engine_view_provider(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
    _ENGINE[:] = [func]
    return func


def engine_view(case: Any) -> Any:
    return _ENGINE[0](case) if _ENGINE else None
