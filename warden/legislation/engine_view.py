"""The engine's current recommendation for a case, as a case decision needs it (warden.flows.case_decision
passes it to the case services): the latest stored assessment and the criteria of its deny findings."""

from __future__ import annotations

from warden.cases.decision_context import EngineView
from warden.cases.models import Case
from warden.legislation.services import latest_assessment
from warden.rules.lines import line_views, lines_of


def engine_view(case: Case) -> EngineView | None:
    ca = latest_assessment(case)
    if ca is None:
        return None
    findings = (ca.document or {}).get("findings") or []
    deny = sorted({str(f.get("criterion", "")) for f in findings if f.get("outcome") == "deny"} - {""})
    lines = lines_of(case.document)
    return EngineView(
        recommendation=ca.recommendation,
        deny_criteria=deny,
        assessment_id=ca.pk,
        lines=tuple(line_views(findings, lines)) if lines else (),
    )
