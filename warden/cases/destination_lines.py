"""Partial approval of a global application: some destination lines refused, the others licensed.

An approval of a global case with destination lines (warden.application/1 `destinations`) may refuse some of
its lines, each citing the criteria it is refused under (`refused_lines`: {line index: criteria}). The case
is approved; `Case.refused_destinations` keeps what was refused, the licence lists only the other lines
(warden.licences.services.issue_licence), and each refused line is one of our denials
(warden.denials.queries.ours), like a refused application.

Against the engine, the approval is judged line by line (the EngineView's `lines`): approving a line the
engine would refuse, or refusing one it would approve, goes against it (warden.cases.decisions.against_engine)
like a whole decision does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from warden.cases.decision_context import EngineView
from warden.cases.models import Case, Decision
from warden.cases.services.workflow import _criteria
from warden.lib.errors import InvalidInput
from warden.rules.lines import lines_of

RefusedLines = Mapping[int, Iterable[str]]

APPROVALS = frozenset({Decision.APPROVED, Decision.APPROVED_WITH_CONDITIONS})


def clean_refused(
    case: Case, decision: str, refused: RefusedLines | None, *, citable: Collection[str]
) -> list[dict[str, Any]]:
    """[{"line", "country", "criteria"}] for the lines refused, checked: only on an approval of a global case
    with lines, each line once and existing, each citing at least one criterion of the ruleset in force, and
    at least one line left to license (refusing them all is refusing the application)."""
    if not refused:
        return []
    lines = lines_of(case.document)
    if not lines:
        raise InvalidInput(
            "Only a global application with destination lines can have some of its lines refused",
            field="refused_lines",
        )
    if decision not in APPROVALS:
        raise InvalidInput(
            "Lines are refused within an approval; a refusal refuses every line already",
            field="refused_lines",
        )
    by_index = {ln.index: ln for ln in lines}
    out = []
    for index, criteria in sorted(refused.items()):
        line = by_index.get(index)
        if line is None:
            raise InvalidInput(
                f"No destination line {index}: the application's lines are 0..{len(lines) - 1}",
                field="refused_lines",
            )
        crit = _criteria(criteria, citable=citable, field="refused_lines")
        if not crit:
            raise InvalidInput(
                f"Refusing destination line {index} ({line.country}) must cite at least one criterion "
                "(e.g. EU-CP:1)",
                field="refused_lines",
            )
        out.append({"line": index, "country": line.country, "criteria": crit})
    if len(out) == len(lines):
        raise InvalidInput(
            "Every destination line would be refused: refuse the application instead", field="refused_lines"
        )
    return out


def against_engine_by_line(view: EngineView, refused: Collection[int]) -> str | None:
    """How an approval refusing `refused` lines goes against the engine's view of each line, or None."""
    approved_against = [
        ln
        for ln in view.lines
        if ln.index not in refused and (ln.recommendation == "refuse" or ln.deny_criteria)
    ]
    if approved_against:
        shown = ", ".join(
            f"{ln.country} ({', '.join(ln.deny_criteria) or 'refuse'})" for ln in approved_against
        )
        return f"the engine would refuse the destination line(s) {shown}"
    refused_against = [
        ln
        for ln in view.lines
        if ln.index in refused and ln.recommendation in ("approve", "approve_with_conditions")
    ]
    if refused_against:
        shown = ", ".join(ln.country for ln in refused_against)
        return f"the engine recommends approval for {shown}"
    return None


def licensed_indexes(case: Case) -> list[int]:
    """The destination lines the decision licenses: every line but the refused ones ([] without lines)."""
    refused = {int(r["line"]) for r in case.refused_destinations or []}
    return [ln.index for ln in lines_of(case.document) if ln.index not in refused]
