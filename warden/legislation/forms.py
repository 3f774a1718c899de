from __future__ import annotations

from django import forms

from warden.legislation.loader import ASSESSMENT_KEYS
from warden.rules.reference import LEVELS

LEVEL_CHOICES = [(lv, lv) for lv in LEVELS]
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


class CountryAssessmentForm(forms.Form):
    effective_from = forms.DateField(help_text="First day the new assessment applies (YYYY-MM-DD).")
    citation = forms.CharField(
        max_length=500, help_text="Source of the assessment (report, advice, decision)."
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Why the assessment changes."
    )
    atrocity_knowledge = forms.BooleanField(
        required=False, label="Known use in genocide, crimes against humanity or war crimes (ATT 6.3)"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key in ASSESSMENT_KEYS:
            self.fields[key] = forms.ChoiceField(choices=LEVEL_CHOICES, label=LABELS[key])


class WhatIfForm(forms.Form):
    # The proposed files come from request.FILES.getlist("files") (an <input multiple> in the template):
    # Django's FileField validates a single file only.
    years = forms.IntegerField(
        min_value=1, max_value=30, initial=3, label="Replay decisions of the last N years"
    )
