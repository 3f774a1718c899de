"""The case queue: filters, sort and one page of rows, built to stay fast with 100,000 cases (one COUNT and
one SELECT of the listed columns, related rows joined, the application document never loaded)."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from warden.accounts.models import Role, Team, User
from warden.cases import policy, sla
from warden.cases.models import OPEN_STATUSES, Case, Decision, LicenceType, Status
from warden.cases.sla import deadline_info_of
from warden.web.templatetags.warden_tags import country_name

PAGE_SIZE = 50
ROW_RELATED = ("organisation", "team", "case_officer")
OPEN = "open"  # the status filter value for every open status
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


NOT_ROUTED = "none"  # the team filter value for cases no team has taken yet (submitted, not yet checked)


class TeamFilterField(forms.ModelChoiceField):  # type: ignore[type-arg]  # generic only in the stubs
    """A team, or NOT_ROUTED: the dashboard's "Not yet routed" count links here, and a case gets its team
    only when an officer starts the initial checks."""

    extra_choices = [(NOT_ROUTED, "Not yet routed")]

    def to_python(self, value: Any) -> Any:
        return NOT_ROUTED if value == NOT_ROUTED else super().to_python(value)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[(OPEN, "Open cases"), ("", "Any status"), *Status.choices],
    )
    team = TeamFilterField(
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


@dataclass(frozen=True)
class Row:
    """One queue row, fully prepared in Python, and its table row as HTML (`html`): the template writes one
    variable per row instead of ~14 look-ups, filters and {% if %}s, which cost more than everything else
    on the page (measured: bench/RESULTS.md, issue 11 "webperf")."""

    url: str
    reference: str
    exporter: str
    licence_type: str
    destination: str
    badges: SafeString
    deadline: SafeString
    row_class: str
    team: str
    officer: str

    def html(self, internal: bool) -> str:
        """The <tr> exactly as the template wrote it; `internal` adds the exporter, team and officer cells.
        Text is escaped here (html.escape, as the template's autoescape); badges and deadline are safe HTML."""
        ref = f'<th scope="row"><a href="{_esc(self.url)}">{_esc(self.reference)}</a></th>'
        exporter = f"<td>{_esc(self.exporter)}</td>" if internal else ""
        people = f"<td>{_esc(self.team)}</td><td>{_esc(self.officer)}</td>" if internal else ""
        return (
            f'<tr class="{_esc(self.row_class)}">{ref}{exporter}<td>{_esc(self.licence_type)}</td>'
            f"<td>{_esc(country_name(self.destination))}</td><td>{self.badges}</td><td>{self.deadline}</td>"
            f"{people}</tr>"
        )


_esc = html.escape  # what the template's autoescape applies (django.utils.html.escape), without its wrappers


@dataclass
class Queue:
    form: QueueFilterForm
    page: Page[Any]
    rows: list[Row]
    querystring: str  # the filters without the page number, for pagination links

    internal: bool = False  # an authority reader: the exporter, team and officer columns

    def filters_html(self) -> SafeString:
        return filter_controls(self.form)

    def rows_html(self) -> SafeString:
        """The table body's rows, one per line as the template's loop wrote them."""
        return mark_safe("".join(f"  {r.html(self.internal)}\n" for r in self.rows))  # noqa: S308 - escaped in Row.html


def filter_controls(form: QueueFilterForm) -> SafeString:
    """The filter controls as plain HTML. Django's widget templates render each <option> through the
    template engine, which cost more than the 50 rows themselves; these are the same controls, built
    directly (labels bound by id, current values kept)."""
    data = form.data
    parts = []
    for name, field in form.fields.items():
        fid = f"id_{name}"
        current = str(data.get(name, "") or "")
        if isinstance(field, forms.BooleanField):
            parts.append(
                format_html(
                    '<div class="field"><label for="{}"><input type="checkbox" name="{}" id="{}"{}> {}</label></div>',
                    fid,
                    name,
                    fid,
                    mark_safe(" checked") if current in ("on", "1", "true") else "",
                    field.label,
                )
            )
            continue
        if isinstance(field, forms.ModelChoiceField):
            choices = [
                ("", field.empty_label or ""),
                *getattr(field, "extra_choices", []),
                *((str(o.pk), str(o)) for o in field.queryset or []),
            ]
        elif isinstance(field, forms.ChoiceField):
            choices = [(str(v), str(label)) for v, label in field.choices]  # type: ignore[union-attr,misc]
        else:
            parts.append(
                format_html(
                    '<div class="field"><label for="{}">{}</label><input type="text" name="{}" id="{}" value="{}" '
                    'maxlength="{}" size="4"></div>',
                    fid,
                    field.label,
                    name,
                    fid,
                    current,
                    getattr(field, "max_length", "") or "",
                )
            )
            continue
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if v == current else "", label) for v, label in choices),
        )
        parts.append(
            format_html(
                '<div class="field"><label for="{}">{}</label><select name="{}" id="{}">{}</select></div>',
                fid,
                field.label,
                name,
                fid,
                options,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every part was built with format_html


TYPE_LABELS = dict(LicenceType.choices)
STATUS_LABELS = dict(Status.choices)
DECISION_LABELS = dict(Decision.choices)


def badges(status: str, decision: str) -> SafeString:
    html = format_html(
        '<span class="badge s-{}" data-testid="status">{}</span>', status, STATUS_LABELS.get(status, status)
    )
    if decision:
        html += format_html(
            ' <span class="badge d-{}" data-testid="decision">{}</span>',
            decision,
            DECISION_LABELS.get(decision, decision),
        )
    return html


def deadline_html(info: dict[str, Any]) -> SafeString:
    """The same text as includes/deadline.html, for rows built in Python."""
    if not info["date"]:
        return SafeString(
            '<span class="muted">—</span>'
        )  # a constant: format_html without arguments is deprecated
    d = info["date"]
    text = f"{d.day} {MONTHS[d.month - 1]} {d.year}"  # "j M Y", without the template date formatter's cost
    left = info["left"]
    if not info["open"]:
        tail = ""
    elif info["state"] == "paused":
        tail = " · paused, waiting for the exporter"
    elif left < 0:
        n = -left
        return format_html(
            '<span class="deadline overdue" data-testid="deadline">{} · <strong>overdue by {} working day{}</strong></span>',
            text,
            n,
            "" if n == 1 else "s",
        )
    elif left == 0:
        tail = " · due today"
    else:
        tail = f" · {left} working day{'' if left == 1 else 's'} left"
    return format_html(
        '<span class="deadline {}" data-testid="deadline">{}{}</span>', info["state"], text, tail
    )


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def row(values: dict[str, Any], memo: dict[Any, Any]) -> Row:
    """One row from the listed columns (a values() dict: no model instances for the 50 rows and their joins).
    Many rows share a deadline, a status and an officer: the deadline's HTML, the badges and the officer's
    name are built once per page for each (deadline, pause, status), (status, decision) and officer."""
    key = (values["sla_deadline"], values["paused_since"], values["status"])
    deadline = memo.get(key)
    if deadline is None:
        if "today" not in memo:
            memo["today"] = sla.today()
        info = deadline_info_of(*key, on=memo["today"])
        row_class = info["state"] if info["state"] in ("overdue", "due-soon") else ""
        deadline = memo[key] = (deadline_html(info), row_class)
    status, decision, licence_type = values["status"], values["decision"], values["licence_type"]
    badge_key = ("badges", status, decision)
    badge_html = memo.get(badge_key)
    if badge_html is None:
        badge_html = memo[badge_key] = badges(status, decision)
    officer = ""
    if values["case_officer__username"]:
        name_key = ("officer", values["case_officer__username"])
        officer = memo.get(name_key, "")
        if not officer:
            officer = memo[name_key] = User(
                username=values["case_officer__username"],
                first_name=values["case_officer__first_name"],
                last_name=values["case_officer__last_name"],
            ).display_name
    return Row(
        url=f"/cases/{values['id']}/",
        reference=values["reference"],
        exporter=values["organisation__name"],
        licence_type=TYPE_LABELS.get(licence_type, licence_type),
        destination=values["destination"],
        badges=badge_html,
        deadline=deadline[0],
        row_class=deadline[1],
        team=values["team__name"] or "—",
        officer=officer or "—",
    )


def merged_ids(
    qs: QuerySet[Case], statuses: list[str], sort: str, offset: int, limit: int | None = None
) -> list[int]:
    """The ids of one page of open cases in deadline order, read per status and merged here.

    "status IN (five open statuses) ORDER BY sla_deadline LIMIT 50" makes both SQLite and PostgreSQL collect
    and sort every open case (tens of thousands with 100,000 cases). Each single-status query instead walks
    the (status, sla_deadline, id) index and stops after offset + 50 entries; the merge of those few ids gives
    the page, whose rows are then fetched by primary key."""
    wanted = offset + (limit or PAGE_SIZE)
    desc = sort.startswith("-")
    # Plain ASC/DESC on the dated rows, so both databases walk the (status, sla_deadline, id) index either way
    # ("DESC NULLS LAST" made PostgreSQL sort every case of the status); undated rows come last, as in SORTS.
    order = ("-sla_deadline", "-id") if desc else ("sla_deadline", "id")
    per_status = [
        qs.filter(status=status, sla_deadline__isnull=False)
        .order_by(*order)
        .values_list("id", "sla_deadline")[:wanted]
        for status in statuses
    ]
    candidates: list[tuple[int, dt.date | None]] = []
    if len(per_status) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: the same queries in one round trip (UNION ALL of the limited, ordered reads).
        candidates.extend(per_status[0].union(*per_status[1:], all=True))
    else:  # SQLite cannot order and limit the parts of a compound SELECT
        for sub in per_status:
            candidates.extend(sub)
    if len(candidates) < wanted:  # fewer dated open cases than the page needs: the undated ones follow
        undated = qs.filter(status__in=statuses, sla_deadline__isnull=True).order_by("-id" if desc else "id")
        candidates.extend(undated.values_list("id", "sla_deadline")[:wanted])

    def key(item: tuple[int, dt.date | None]) -> tuple[bool, int, int]:
        pk, day = item
        ordinal = day.toordinal() if day else 0
        return (day is None, -ordinal if desc else ordinal, -pk if desc else pk)

    return [pk for pk, _ in sorted(candidates, key=key)[offset:wanted]]


def merged_page(
    qs: QuerySet[Case], statuses: list[str], sort: str, offset: int, limit: int | None = None
) -> list[Case]:
    """merged_ids as cases, with the row columns and joins (the officer dashboard's lists)."""
    ids = merged_ids(qs, statuses, sort, offset, limit)
    by_id = {c.pk: c for c in qs.filter(pk__in=ids).select_related(*ROW_RELATED).only(*ROW_COLUMNS)}
    return [by_id[pk] for pk in ids if pk in by_id]


def build(user: User, params: QueryDict, page_number: str | None) -> Queue:
    if "status" not in params and user.is_authority:
        # Caseworkers start on the work in hand; closed and licensed cases are one filter away.
        params = params.copy()
        params["status"] = OPEN
    form = QueueFilterForm(params, user=user)
    qs: QuerySet[Case] = policy.visible_cases(user)
    sort = "deadline"
    statuses: list[str] = []
    if form.is_valid():
        d = form.cleaned_data
        if d.get("status") == OPEN:
            statuses = sorted(OPEN_STATUSES)
            qs = qs.filter(status__in=statuses)
        elif d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("team") == NOT_ROUTED:
            qs = qs.filter(team__isnull=True)
        elif d.get("team"):
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
    # The paginator only counts and validates the page number; rows come from the ordered query below.
    # (Counting the rows query instead would count its joins too.)
    ordered = qs.order_by(*SORTS[sort])
    page = Paginator(ordered, PAGE_SIZE).get_page(page_number)
    offset = (page.number - 1) * PAGE_SIZE
    if statuses and sort in ("deadline", "-deadline"):
        ids = merged_ids(qs, statuses, sort, offset)
        by_id = {v["id"]: v for v in qs.filter(pk__in=ids).values(*ROW_COLUMNS)}
        listed = [by_id[pk] for pk in ids if pk in by_id]
    else:
        listed = list(ordered.values(*ROW_COLUMNS)[offset : offset + PAGE_SIZE])
    page.object_list = listed  # the page's own slice of `ordered` is never read
    rest = params.copy()
    rest.pop("page", None)
    memo: dict[Any, Any] = {}
    rows = [row(v, memo) for v in listed]
    return Queue(form=form, page=page, rows=rows, querystring=rest.urlencode(), internal=user.is_authority)
