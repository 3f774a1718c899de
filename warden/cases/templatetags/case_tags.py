"""Template tags of the case screens ({% load case_tags %}): the deadline, the decision badge, the cited
criteria. The web shell's warden_tags keeps only what every screen uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from warden.cases import sla
from warden.cases.models import Case
from warden.legislation.citable import labels
from warden.legislation.engine_view import engine_view
from warden.rules.catch_all import END_USE_FLAG_LABELS
from warden.rules.lines import lines_of

register = template.Library()


@register.inclusion_tag("includes/deadline.html")
def deadline(case: Case) -> dict[str, Any]:
    return {"dl": sla.deadline_info(case)}


@register.filter
def decision_badge(case: Case) -> SafeString:
    if not case.decision:
        return SafeString("")
    return format_html(
        '<span class="badge d-{}" data-testid="decision">{}</span>',
        case.decision,
        case.get_decision_display(),
    )


@register.filter
def criteria_labels(codes: Iterable[str]) -> list[str]:
    """["EU-CP:7"] -> ["EU-CP:7 Risk of diversion or re-export"]: refusal criteria the exporter can read."""
    return labels(list(codes or []))


@register.filter
def end_use_flag_labels(flags: Iterable[str] | None) -> list[str]:
    """The exporter's declared end-use flags in its own words, in the form's order."""
    chosen = set(flags or [])
    return [label for flag, label in END_USE_FLAG_LABELS.items() if flag in chosen]


@register.inclusion_tag("cases/_destinations.html")
def destination_lines(case: Case, show_findings: bool) -> dict[str, Any]:
    """A global application's destination lines: country, goods, parties, caps; for those who may read the
    findings, the engine's recommendation for each line; once decided, which lines were refused."""
    lines = lines_of(case.document)
    if not lines:
        return {"rows": []}
    doc = case.document
    view = engine_view(case) if show_findings else None
    by_line = {v.index: v for v in view.lines} if view else {}
    refused = {int(r["line"]): r for r in case.refused_destinations or []}
    rows = []
    for ln in lines:
        raw = doc["destinations"][ln.index]
        rows.append(
            {
                "number": ln.index + 1,
                "country": ln.country,
                "goods": [j + 1 for j in ln.goods],
                "parties": [doc["parties"][k].get("name", "") for k in ln.parties],
                "quantity": raw.get("quantity"),
                "value": raw.get("value"),
                "engine": by_line.get(ln.index),
                "refused": refused.get(ln.index),
            }
        )
    return {"rows": rows, "show_findings": show_findings, "decided": bool(case.decision)}
