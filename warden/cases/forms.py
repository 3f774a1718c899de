"""Forms of the case pages: the application (main fields, goods lines, parties), the JSON upload, and one
form per workflow action. They only check input shape; the rules live in services, schema and policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from warden.accounts.models import Role, Team, User
from warden.cases.models import AdviceKind, Decision, LicenceType, PartyRole
from warden.cases.web.widgets import CountrySelect
from warden.rules.catch_all import END_USE_FLAG_LABELS
from warden.rules.lines import lines_of

# The refusal criteria fields offer what the interface passes as `citable` ({code: label}): the criteria of
# the ruleset in force (warden.legislation.criteria), national rules included. This module holds no copy.


class CitesCriteria(forms.Form):
    """A form with a `criteria` field whose choices are the citable criteria the view gives it."""

    needs_criteria = True

    def __init__(self, *args: Any, citable: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["criteria"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list((citable or {}).items())


RE_EXPORT = [
    ("", "Not stated"),
    ("prohibited", "Prohibited"),
    ("with_consent", "With consent"),
    ("permitted", "Permitted"),
]
PARTY_ROLES = [(v, label) for v, label in PartyRole.choices if v != PartyRole.EXPORTER]
PARTY_TYPES = [("organisation", "Organisation"), ("person", "Person")]
SECTORS = [
    ("unknown", "Unknown"),
    ("armed_forces", "Armed forces"),
    ("police", "Police"),
    ("government", "Government"),
    ("commercial", "Commercial"),
    ("non_state_armed_group", "Non-state armed group"),
    ("individual", "Individual"),
]


class ApplicationForm(forms.Form):
    reference = forms.CharField(
        label="Your reference",
        max_length=60,
        required=False,
        help_text="Your own reference, shown on letters.",
    )
    licence_type = forms.ChoiceField(label="Licence type", choices=LicenceType.choices)
    # A select of names posting the ISO code; a CharField still, so a typed or posted code is taken as given
    # and the application schema (not the widget's list) decides whether it is a country.
    destination = forms.CharField(
        label="Destination country",
        max_length=10,
        help_text="The country of final destination.",
        widget=CountrySelect(),
    )
    # A global licence's destination lines, one per country; each party goes on the line of its country.
    destinations = forms.CharField(
        label="Destinations of a global licence (optional)",
        max_length=300,
        required=False,
        help_text="For a global licence to several countries: their codes, e.g. NO, SE, FI. Each party goes on "
        "the line of its own country (parties elsewhere are shared by every line); every line covers all the "
        "goods. Caps per destination: upload an application file.",
    )
    end_use = forms.CharField(label="End use", widget=forms.Textarea(attrs={"rows": 3}))
    end_use_flags = forms.MultipleChoiceField(
        label="I have been informed, am aware or have grounds to suspect that the goods are…",
        help_text=(
            "Tick every one that applies (Regulation (EU) 2021/821 Articles 4 and 5). A ticked box does not "
            "stop the application: it makes the officers assess that end use."
        ),
        choices=list(END_USE_FLAG_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    euc_number = forms.CharField(label="End-user certificate number", max_length=100, required=False)
    euc_issued_on = forms.DateField(
        label="Certificate issued on",
        required=False,
        # ISO: an <input type=date> shows the locale's format (10/01/2026) as an empty field.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    euc_valid_until = forms.DateField(
        label="Certificate valid until",
        required=False,
        help_text="Leave empty if the certificate states no validity.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    euc_re_export = forms.ChoiceField(label="Re-export", choices=RE_EXPORT, required=False)
    euc_delivery_verification = forms.BooleanField(label="Delivery verification offered", required=False)
    euc_post_shipment_verification = forms.BooleanField(label="Post-shipment checks accepted", required=False)


class GoodsLineForm(forms.Form):
    description = forms.CharField(label="Description", max_length=500)
    rating = forms.CharField(
        label="Control list rating", max_length=40, help_text="For example ML10.d or 5A002."
    )
    quantity = forms.IntegerField(label="Quantity", min_value=1)
    value_amount = forms.DecimalField(label="Value", min_value=0, max_digits=16, decimal_places=2)
    currency = forms.CharField(label="Currency", max_length=3, initial="EUR")
    # Ticked, the line is dropped when the draft is saved (works without JavaScript).
    remove = forms.BooleanField(label="Remove this goods line when saving", required=False)

    def wants_removal(self) -> bool:
        return bool(self.data.get(self.add_prefix("remove")))

    def is_blank(self) -> bool:
        return not any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ("description", "rating", "quantity", "value_amount")
        )


class PartyForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=PARTY_ROLES)
    party_type = forms.ChoiceField(label="Type", choices=PARTY_TYPES)
    sector = forms.ChoiceField(label="Sector", choices=SECTORS)
    name = forms.CharField(label="Name", max_length=500)
    country = forms.CharField(
        label="Country", max_length=2, required=False, widget=CountrySelect(empty_label="Not given")
    )
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    remove = forms.BooleanField(label="Remove this party when saving", required=False)

    def wants_removal(self) -> bool:
        return bool(self.data.get(self.add_prefix("remove")))

    def is_blank(self) -> bool:
        return not any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in ("name", "country", "address")
        )


class ApplicationUploadForm(forms.Form):
    document = forms.FileField(
        label="Application file (JSON)",
        help_text="A warden.application/1 document, as produced by your own systems.",
    )


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of document",
        choices=[
            ("end_user_certificate", "End-user certificate"),
            ("technical_specification", "Technical specification"),
            ("other", "Other"),
        ],
    )
    file = forms.FileField(label="PDF file", help_text="PDF only, checked by its content.")


class ConfirmForm(forms.Form):
    """Actions that need no input beyond the click (submit, start initial checks, issue licence)."""


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label="I declare that the information in this application is true and complete",
        error_messages={"required": "Confirm the declaration to submit the application"},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label="Grounds of appeal",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say why the decision should be reconsidered and what new information you can offer.",
    )


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label="Case officer",
        queryset=User.objects.filter(
            role__in=[Role.LICENSING_OFFICER, Role.SENIOR_OFFICER], is_active=True
        ).order_by("first_name", "username"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["officer"].label_from_instance = lambda u: f"{u.display_name} ({u.get_role_display()})"  # type: ignore[attr-defined]


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReferForm(forms.Form):
    teams = forms.ModelMultipleChoiceField(
        label="Consulted departments",
        queryset=Team.objects.filter(is_advisory=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one department to consult"},
    )
    note = forms.CharField(
        label="Note to the departments", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AdviceForm(CitesCriteria):
    kind = forms.ChoiceField(label="Advice", choices=AdviceKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label="Reasoning", widget=forms.Textarea(attrs={"rows": 3}))
    proviso = forms.CharField(
        label="Proviso",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when approving with a proviso.",
    )
    criteria = forms.MultipleChoiceField(
        label="Refusal criteria",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Required when advising refusal.",
    )


class InformationRequestForm(forms.Form):
    question = forms.CharField(label="Question to the exporter", widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 3}))
    amended_application = forms.FileField(
        label="Amended application (JSON, optional)",
        required=False,
        help_text="If your answer changes the goods or parties, the whole warden.application/1 document as "
        "it should now read.",
    )


class DecisionForm(CitesCriteria):
    decision = forms.ChoiceField(label="Decision", choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 3}))
    criteria = forms.MultipleChoiceField(
        label="Refusal criteria",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cite every criterion a refusal rests on.",
    )
    conditions = forms.CharField(
        label="Licence conditions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when approving with conditions.",
    )


class NoteForm(forms.Form):
    text = forms.CharField(label="Internal note", widget=forms.Textarea(attrs={"rows": 3}))


class FinaliseForm(DecisionForm):
    reason = forms.CharField(
        label="Reasons given to the exporter",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the exporter with the decision; do not paste internal advice.",
    )
    justification = forms.CharField(
        label="Justification for going against the engine's recommendation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Internal. Required when the decision goes against the engine's recommendation; a second "
        "senior officer must then countersign it.",
    )

    # The case page passes the case so that each adviser's proviso gets its own "leave out" field.
    needs_case = True

    def __init__(self, *args: object, case: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.proviso_fields: list[str] = []
        if case is None:
            return
        from warden.cases.decisions import provisos

        for advice in provisos(case):  # type: ignore[arg-type]
            name = f"omit_proviso_{advice.pk}"
            self.fields[name] = forms.CharField(
                label=f"Proviso of {advice.referral.team.name}: “{advice.proviso}”",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Carried into the licence conditions. To leave it out, say why here.",
            )
            self.proviso_fields.append(name)
        # A global application: each destination line may be refused within an approval.
        self.line_fields: list[str] = []
        for line in lines_of(case.document):  # type: ignore[attr-defined]
            name = f"refuse_line_{line.index}"
            self.fields[name] = forms.CharField(
                label=f"Refuse destination {line.index + 1}, {line.country}: criteria",
                required=False,
                max_length=200,
                help_text="To approve the others and refuse this destination, cite its refusal criteria "
                "(e.g. EU-CP:1, ATT:6.1); leave empty to license it.",
            )
            self.line_fields.append(name)

    def refused_lines(self) -> dict[int, list[str]]:
        """{line index: criteria} for the destination lines refused within an approval."""
        out = {}
        for name in self.line_fields:
            raw = (self.cleaned_data.get(name) or "").replace(";", ",")
            criteria = [c.strip() for c in raw.split(",") if c.strip()]
            if criteria:
                out[int(name.removeprefix("refuse_line_"))] = criteria
        return out

    def omitted_provisos(self) -> dict[str, str]:
        """{advice pk: reason} for the provisos the officer leaves out."""
        out = {}
        for name in self.proviso_fields:
            reason = (self.cleaned_data.get(name) or "").strip()
            if reason:
                out[name.removeprefix("omit_proviso_")] = reason
        return out


class CountersignForm(forms.Form):
    note = forms.CharField(
        label="Note (internal)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="You countersign the proposed decision and its justification; the case is finalised.",
    )


class RejectOverruleForm(forms.Form):
    reason = forms.CharField(
        label="Why the proposed decision is rejected (internal)", widget=forms.Textarea(attrs={"rows": 3})
    )
