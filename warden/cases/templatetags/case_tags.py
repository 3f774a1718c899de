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
from warden.rules.catch_all import END_USE_FLAG_LABELS

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
