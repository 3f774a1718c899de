"""The engine's current recommendation for a case, as warden.cases.decisions needs it (registered with
warden.cases.hooks.engine_view_provider): the latest stored assessment and the criteria of its deny findings."""

from __future__ import annotations

from typing import Any

from warden.cases.decisions import EngineView
from warden.legislation.services import latest_assessment


def engine_view(case: Any) -> EngineView | None:
    ca = latest_assessment(case)
    if ca is None:
        return None
    findings = (ca.document or {}).get("findings") or []
    deny = sorted({str(f.get("criterion", "")) for f in findings if f.get("outcome") == "deny"} - {""})
    return EngineView(recommendation=ca.recommendation, deny_criteria=deny, assessment_id=ca.pk)
