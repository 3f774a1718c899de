"""/interests/: an officer declares an interest in an exporter (and records when it ended); senior officers
and oversight see everyone's declarations. The rules are accounts.policy and accounts.interests."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from warden.accounts import interests
from warden.accounts import policy as accounts_policy
from warden.accounts.models import InterestDeclaration, Organisation
from warden.lib.errors import InvalidInput, WorkflowError
from warden.oversight import policy
from warden.oversight.exports import csv_response


def _date(text: str, label: str, field: str, *, required: bool) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise InvalidInput(f"Give the {label}", field=field)
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"The {label} '{text}' is not a date: enter it as YYYY-MM-DD", field=field
        ) from None


def _row(d: InterestDeclaration) -> tuple[str, ...]:
    return (
        d.officer.display_name,
        d.organisation.name,
        d.starts_on.isoformat(),
        d.ends_on.isoformat() if d.ends_on else "",
        d.reason,
        d.end_reason,
    )


@login_required
@require_http_methods(["GET", "POST"])
def interests_view(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    declares, supervises = (
        accounts_policy.can_declare_interest(user),
        accounts_policy.can_view_all_interests(user),
    )
    if not (declares or supervises):
        raise PermissionDenied("Declarations of interest are kept by the authority's officers.")
    error, status = None, 200
    if request.method == "POST":
        try:
            org_id = request.POST.get("organisation", "")
            org = Organisation.objects.filter(
                pk=int(org_id) if org_id.isdigit() else -1, kind=Organisation.Kind.EXPORTER
            ).first()
            if org is None:
                raise InvalidInput("Choose the exporter you have an interest in", field="organisation")
            starts = _date(request.POST.get("starts_on", ""), "start date", "starts_on", required=True)
            assert starts is not None
            ends = _date(request.POST.get("ends_on", ""), "end date", "ends_on", required=False)
            interests.declare_interest(
                actor=policy.person(user),
                organisation=org,
                starts_on=starts,
                ends_on=ends,
                reason=request.POST.get("reason", ""),
            )
        except WorkflowError as exc:
            error, status = str(exc), 400
        else:
            messages.success(request, f"Interest in {org.name} declared.")
            return redirect("interests")
    qs = interests.visible_declarations(user)
    if request.GET.get("format") == "csv":
        headers = ("Officer", "Exporter", "From", "Until", "Reason", "Why it ended")
        return csv_response("warden-interests.csv", headers, (_row(d) for d in qs.iterator()))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/interests.html",
        {
            "page": page,
            "declares": declares,
            "supervises": supervises,
            "exporters": Organisation.objects.filter(kind=Organisation.Kind.EXPORTER).order_by("name"),
            "error": error,
            "posted": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@login_required
@require_POST
def end_interest_view(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = InterestDeclaration.objects.filter(pk=pk, officer_id=request.user.pk).first()
    if declaration is None:
        raise Http404("You have no declaration with that number.")
    try:
        ends = _date(request.POST.get("ends_on", ""), "end date", "ends_on", required=True)
        assert ends is not None
        interests.end_interest(
            actor=policy.person(request.user),
            declaration=declaration,
            ends_on=ends,
            reason=request.POST.get("reason", ""),
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Your interest in {declaration.organisation.name} is recorded as ended.")
    return redirect("interests")
