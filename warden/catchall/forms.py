"""The forms of the catch-all pages: the exporter's notification, an officer's concern, the decision and the
link to an application. Validation of substance is the service's (one place); these only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms

from warden.accounts.models import Organisation
from warden.cases.models import Case
from warden.catchall.models import Basis, Letter
from warden.catchall.services import LIMITS, Notification
from warden.rules.catch_all import END_USE_FLAG_LABELS


class NotificationForm(forms.Form):
    destination = forms.CharField(
        label="Destination country", max_length=10, help_text="Two-letter ISO code, for example AE."
    )
    goods_description = forms.CharField(label="The goods", max_length=LIMITS["goods_description"])
    rating = forms.CharField(
        label="Control-list rating",
        max_length=LIMITS["rating"],
        required=False,
        help_text="Leave empty if you believe the goods are not on any control list.",
    )
    end_user_name = forms.CharField(label="End user", max_length=LIMITS["end_user_name"])
    end_user_country = forms.CharField(label="End user's country", max_length=10)
    end_use = forms.CharField(label="Stated end use", widget=forms.Textarea(attrs={"rows": 2}))
    flags = forms.MultipleChoiceField(
        label="I have reason to believe that the goods are or may be…",
        choices=list(END_USE_FLAG_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    grounds = forms.CharField(
        label="What you know or suspect, and how",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The facts that give you reason to believe it: what the buyer said, documents, red flags.",
    )
    intended_export_on = forms.DateField(
        label="Intended export date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Notify at least 60 days before. Do not export until we have decided.",
    )

    def notification(self) -> Notification:
        return Notification(
            **{k: v for k, v in self.cleaned_data.items() if k in Notification.__annotations__}
        )


class ConcernForm(NotificationForm):
    organisation = forms.ModelChoiceField(
        label="Exporter",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.EXPORTER).order_by("name"),
    )
    field_order = ["organisation"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("licence_required", "A licence is required: inform the exporter"),
            ("not_required", "No licence is required"),
        ],
        widget=forms.RadioSelect,
    )
    basis = forms.ChoiceField(
        label="Legal basis (when a licence is required)", choices=[("", "—"), *Basis.choices], required=False
    )
    letter = forms.ChoiceField(
        label="Inform letter", choices=[("", "From the basis"), *Letter.choices], required=False
    )
    reason = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 4}))


class LinkForm(forms.Form):
    case = forms.ModelChoiceField(label="Application", queryset=Case.objects.none())

    def __init__(self, *args: Any, cases: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cases is not None:
            self.fields["case"].queryset = cases  # type: ignore[attr-defined]
