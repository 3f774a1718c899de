"""Plug-in points of the case workflow. Other domains register here from their AppConfig.ready(), so
that cases does not import them (screening and the criteria engine depend on cases, not the reverse).

ON_SUBMIT hooks run inside the submit transaction, in priority order (lower first): screening (10)
runs before the assessment (20), which reads the screening matches. Each hook has the signature
    hook(*, case: Case, actor: User) -> None
and writes its own audit entries through warden.audit.services.record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Hook = Callable[..., None]
_ON_SUBMIT: list[tuple[int, str, Hook]] = []


def on_submit(priority: int, name: str) -> Callable[[Hook], Hook]:
    def register(func: Hook) -> Hook:
        if not any(n == name for _, n, _ in _ON_SUBMIT):
            _ON_SUBMIT.append((priority, name, func))
            _ON_SUBMIT.sort(key=lambda item: (item[0], item[1]))
        return func

    return register


def run_on_submit(*, case: Any, actor: Any) -> None:
    for _, _, func in _ON_SUBMIT:
        func(case=case, actor=actor)


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
