"""Screening pages: the review queue of open matches, and the decision on one match (a POST).

Who sees and who decides is warden.screening.policy: the queue is for the authority's case readers, a
match is visible to whoever sees its case's findings (else 404), and licensing and senior officers decide
(services.decide_match enforces it; anyone else who can see the match gets 403)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from warden.accounts.actors import signed_in
from warden.accounts.models import User
from warden.cases import policy as case_policy
from warden.cases.models import OPEN_STATUSES
from warden.flows import decisions as match_decisions
from warden.screening import policy, services
from warden.screening.models import ListVersion, Match, MatchStatus, ScreeningRun


def _readable_matches(request: HttpRequest) -> QuerySet[Match]:
    if not policy.can_use_screening(request.user):
        raise Http404
    return policy.visible_matches(request.user)


# The queue's filters: each bad value is named (cases/views use the same sentences as the search page).
QUEUE_STATUSES = [*MatchStatus.choices, ("all", "All")]
QUEUE_CASES = [("open", "Open cases"), ("all", "All cases")]
QUEUE_PAGE = 50
CSV_HEADERS = (
    "Case",
    "Case status",
    "Party",
    "Listed entry",
    "List",
    "Entry id",
    "Score",
    "Status",
    "Decided by",
)


def _queue_filters(request: HttpRequest) -> tuple[dict[str, str], dict[str, str]]:
    params = {
        "status": request.GET.get("status", "").strip() or MatchStatus.OPEN,
        "cases": request.GET.get("cases", "").strip() or "open",
        "list": request.GET.get("list", "").strip(),
        "q": request.GET.get("q", "").strip(),
        "page": request.GET.get("page", "").strip(),
    }
    errors: dict[str, str] = {}
    for key, label, choices in (("status", "Status", QUEUE_STATUSES), ("cases", "Cases", QUEUE_CASES)):
        if params[key] not in {v for v, _ in choices}:
            words = ", ".join(f"{v} ({label_})" for v, label_ in choices)
            errors[key] = f"{label} '{params[key]}' is not one of: {words}."
    if params["list"] and not ListVersion.objects.filter(list__name=params["list"]).exists():
        errors["list"] = (
            f"List '{params['list']}' is not a list Warden holds; choose one of the lists in force."
        )
    if params["page"] and (not params["page"].isdigit() or int(params["page"]) < 1):
        errors["page"] = f"Page '{params['page']}' is not a whole number of 1 or more."
    if len(params["q"]) > 200:
        errors["q"] = "The name or reference is too long (200 characters at most)."
    return params, errors


def _queue(request: HttpRequest, params: dict[str, str]) -> QuerySet[Match]:
    qs = _readable_matches(request).select_related("case", "party", "entry", "decided_by")
    if params["status"] != "all":
        qs = qs.filter(status=params["status"])
    if params["cases"] == "open":
        # A closed, withdrawn or decided case's matches need no review: by default they are not listed.
        qs = qs.filter(case__status__in=list(OPEN_STATUSES))
    if params["list"]:
        qs = qs.filter(list_name=params["list"])
    if q := params["q"]:
        qs = qs.filter(
            Q(party__name__icontains=q) | Q(matched_name__icontains=q) | Q(case__reference__icontains=q)
        )
    return qs.order_by("-score", "created_at", "pk")


def _csv_cell(value: object) -> object:
    # A cell a spreadsheet would run as a formula is neutralised (CSV injection).
    return "'" + value if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) else value


def _queue_csv(qs: QuerySet[Match]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_HEADERS)
        for m in qs.iterator(chunk_size=2000):
            row = (
                m.case.reference,
                m.case.get_status_display(),
                m.party.name,
                m.entry.name,
                m.list_name,
                m.entry_key,
                round(m.score, 3),
                m.get_status_display(),
                m.decided_by.username if m.decided_by else "",
            )
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="screening-queue.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponseBase:
    params, errors = _queue_filters(request)
    qs = _queue(request, params)  # 404 for whoever may not use screening, before any filter is reported
    if request.GET.get("format") == "csv":
        if errors:
            body = "".join(f"{k}: {v}\n" for k, v in errors.items())
            return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")
        return _queue_csv(qs)
    page = None
    if not errors:
        paginator = Paginator(qs, QUEUE_PAGE)
        number = int(params["page"] or 1)
        if number > paginator.num_pages:
            errors["page"] = f"Page {number} does not exist: there are {paginator.num_pages} pages."
        else:
            page = paginator.page(number)
    query = urlencode([(k, v) for k, v in params.items() if v and k != "page"])
    versions = ListVersion.objects.filter(is_current=True).select_related("list").order_by("list__name")
    return render(
        request,
        "screening/queue.html",
        {
            "page": page,
            "params": params,
            "status": params["status"],
            "statuses": QUEUE_STATUSES,
            "case_scopes": QUEUE_CASES,
            "errors": errors,
            "query": query,
            "versions": versions,
        },
        status=400 if errors else 200,
    )


def _officer(request: HttpRequest) -> User:
    # Behind login_required; screening's policy refuses anyone who may not decide.
    if not isinstance(request.user, User):
        raise PermissionDenied("Log in first")
    return request.user


@login_required
@require_POST
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(Match.objects.select_related("case", "party"), pk=pk)
    if not policy.can_view_match(request.user, match):
        raise Http404
    try:
        match_decisions.dispose_match(
            actor=_officer(request),
            match=match,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except services.ScreeningError as exc:  # a refusal (NotPermitted) is the 403 page (warden.web.errors)
        messages.error(request, f"Match {match.entry_key} for {match.party.name}: {exc}")
    else:
        messages.success(
            request, f"Match {match.entry_key} for {match.party.name}: {match.get_status_display()}"
        )
    if request.headers.get("HX-Request"):
        return render(request, "screening/_matches.html", {"case": match.case, "user": request.user})
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect(reverse("cases:detail", args=[match.case_id]))


@login_required
@require_POST
def rescreen_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Screen the case's parties against the current list versions now (warden.screening.gate)."""
    case = get_object_or_404(case_policy.visible_cases(request.user), pk=pk)
    if not case_policy.can_view_findings(request.user, case):
        raise Http404  # screening is the authority's business: an exporter learns nothing from this URL
    # Refused by screening.policy inside the service: NotPermitted, the 403 page (warden.web.errors).
    new = services.screen_case(actor=signed_in(request), case=case, trigger=ScreeningRun.Trigger.MANUAL)
    messages.success(
        request, f"{case.reference} screened against the current lists: {len(new)} new match(es) to review."
    )
    return redirect(reverse("cases:detail", args=[case.pk]))
