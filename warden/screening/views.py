"""Screening pages: the review queue of open matches, and the decision on one match (a POST).

Who sees and who decides is warden.screening.policy: the queue is for the authority's case readers, a
match is visible to whoever sees its case's findings (else 404), and licensing and senior officers decide
(services.decide_match enforces it; anyone else who can see the match gets 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from warden.accounts.models import User
from warden.cases import policy as case_policy
from warden.flows import decisions as match_decisions
from warden.screening import gate, policy, services
from warden.screening.models import ListVersion, Match, MatchStatus, ScreeningRun


def _readable_matches(request: HttpRequest) -> QuerySet[Match]:
    if not policy.can_use_screening(request.user):
        raise Http404
    return policy.visible_matches(request.user)


@login_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", MatchStatus.OPEN)
    qs = _readable_matches(request).select_related("case", "party", "entry", "decided_by")
    if status in MatchStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-score", "created_at", "pk"), 50).get_page(request.GET.get("page"))
    versions = ListVersion.objects.filter(is_current=True).select_related("list").order_by("list__name")
    return render(
        request,
        "screening/queue.html",
        {"page": page, "status": status, "statuses": MatchStatus.choices, "versions": versions},
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
    except services.NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except services.ScreeningError as exc:
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
    if not gate.can_rescreen(request.user, case):
        return HttpResponse("Only licensing and senior officers re-screen a case", status=403)
    new = services.screen_case(actor=request.user, case=case, trigger=ScreeningRun.Trigger.MANUAL)
    messages.success(
        request, f"{case.reference} screened against the current lists: {len(new)} new match(es) to review."
    )
    return redirect(reverse("cases:detail", args=[case.pk]))
