"""The case queue: filters, sort and one page of rows, built to stay fast with 100,000 cases (one COUNT and
one SELECT of the listed columns, related rows joined, the application document never loaded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import QueryDict

from warden.accounts.models import Role, Team, User
from warden.cases import policy, sla
from warden.cases.models import Case, LicenceType, Status

PAGE_SIZE = 50
ROW_COLUMNS = (
    "id",
    "reference",
    "licence_type",
    "destination",
    "status",
    "decision",
    "sla_deadline",
    "paused_since",
    "submitted_at",
    "organisation__name",
    "team__name",
    "case_officer__username",
    "case_officer__first_name",
    "case_officer__last_name",
)
SORTS = {
    "deadline": (F("sla_deadline").asc(nulls_last=True), "id"),
    "-deadline": (F("sla_deadline").desc(nulls_last=True), "-id"),
    "submitted": (F("submitted_at").asc(nulls_last=True), "id"),
    "-submitted": (F("submitted_at").desc(nulls_last=True), "-id"),
}


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    team = forms.ModelChoiceField(
        label="Team", required=False, queryset=Team.objects.order_by("name"), empty_label="Any team"
    )
    licence_type = forms.ChoiceField(
        label="Licence type", required=False, choices=[("", "Any type"), *LicenceType.choices]
    )
    destination = forms.CharField(label="Destination", required=False, max_length=2, help_text="ISO code")
    mine = forms.BooleanField(label="Assigned to me", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("deadline", "Deadline, soonest first"),
            ("-deadline", "Deadline, latest first"),
            ("-submitted", "Newest submissions"),
            ("submitted", "Oldest submissions"),
        ],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Exporters and advisers have no use for team and officer filters.
        if user.role in (Role.EXPORTER, Role.ADVISER):
            for name in ("team", "mine"):
                del self.fields[name]


@dataclass
class Queue:
    form: QueueFilterForm
    page: Page
    querystring: str  # the filters without the page number, for pagination links


def build(user: User, params: QueryDict, page_number: str | None) -> Queue:
    form = QueueFilterForm(params, user=user)
    qs: QuerySet[Case] = policy.visible_cases(user)
    sort = "deadline"
    if form.is_valid():
        d = form.cleaned_data
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("team"):
            qs = qs.filter(team=d["team"])
        if d.get("licence_type"):
            qs = qs.filter(licence_type=d["licence_type"])
        if d.get("destination"):
            qs = qs.filter(destination=d["destination"].strip().upper())
        if d.get("mine"):
            qs = qs.filter(case_officer=user)
        if d.get("overdue"):
            qs = qs.filter(sla.overdue_q())
        sort = d.get("sort") or "deadline"
    qs = qs.select_related("organisation", "team", "case_officer").only(*ROW_COLUMNS).order_by(*SORTS[sort])
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(page_number)
    rest = params.copy()
    rest.pop("page", None)
    return Queue(form=form, page=page, querystring=rest.urlencode())
