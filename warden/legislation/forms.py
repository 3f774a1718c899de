from __future__ import annotations

from django import forms

from warden.legislation.loader import ASSESSMENT_KEYS
from warden.lib.text import humanise
from warden.rules.reference import LEVELS

LABELS = {
    "human_rights": "Human rights (criterion 2a)",
    "ihl": "International humanitarian law (criterion 2c)",
    "internal_conflict": "Internal conflict (criterion 3)",
    "regional_tension": "Regional tension (criterion 4)",
    "allied_security": "Security of member states and allies (criterion 5)",
    "terrorism": "Terrorism and conduct (criterion 6)",
    "diversion": "Diversion (criterion 7)",
    "capacity": "Technical and economic capacity (criterion 8)",
}
LEVEL_LABELS = {"none": "None", "low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}


LEVEL_CHOICES = [(lv, LEVEL_LABELS.get(lv, lv.capitalize())) for lv in LEVELS]


class CountryAssessmentForm(forms.Form):
    # A real date picker; its value must be ISO (YYYY-MM-DD) whatever the locale, or browsers show it empty.
    effective_from = forms.DateField(
        label="Effective from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text="First day the new assessment applies (YYYY-MM-DD).",
    )
    citation = forms.CharField(
        label="Citation", max_length=500, help_text="Report, advice or decision the assessment rests on."
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the assessment changes; kept in the audit log.",
    )
    atrocity_knowledge = forms.BooleanField(
        required=False, label="Known use in genocide, crimes against humanity or war crimes (ATT 6.3)"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key in ASSESSMENT_KEYS:
            self.fields[key] = forms.ChoiceField(choices=LEVEL_CHOICES, label=LABELS[key])
        # Levels first (what the officer is deciding), then the evidence and the reason.
        self.order_fields(["effective_from", *ASSESSMENT_KEYS, "atrocity_knowledge", "citation", "reason"])


def reference_label(key: str) -> str:
    """ "ihl" -> "International humanitarian law (criterion 2c)"; any other key is humanised
    ("australia_group" -> "Australia group") rather than shown raw. Treaties and regimes are named by the
    reference data itself (countries.yaml `regimes`, see views.memberships)."""
    text = str(key or "")
    label = LABELS.get(text)
    if label:
        return label
    return humanise(text)


class WhatIfForm(forms.Form):
    # The proposed files come from request.FILES.getlist("files") (an <input multiple> in the template):
    # Django's FileField validates a single file only.
    years = forms.IntegerField(
        min_value=1, max_value=30, initial=3, label="Replay decisions of the last N years"
    )
