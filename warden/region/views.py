"""Region pages: the regional-stability view (by region and years, charts, CSV), the SIPRI import form, and a
case's regional panel (loaded into the case page by htmx, or opened as a page of its own without script).

Who sees what is warden.region.policy: anyone else gets 404 (the view lists other exporters' licences)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from warden.accounts.models import User
from warden.cases.models import Case
from warden.cases.visibility import can_view_case
from warden.lib import charts
from warden.lib.errors import InvalidInput, NotPermitted
from warden.lib.regions import REGIONS
from warden.region import export, filters, policy, queries, services, sipri
from warden.web.templatetags.warden_tags import COUNTRY_NAMES


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # @login_required
    return user


@login_required
@require_GET
def region_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policy.may(user, policy.RegionAction.VIEW):
        raise Http404
    try:
        region, window = filters.parse(request.GET)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return render(request, "region/view.html", {"regions": REGIONS, "error": str(exc)}, status=400)
    view = queries.region_view(region, window)
    if request.GET.get("format") == "csv":
        response = HttpResponse(export.to_csv(view), content_type="text/csv; charset=utf-8")
        name = f"region-{region.slug}-{window.first}-{window.last}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    tiv_chart = charts.bars(
        f"SIPRI TIV delivered to {region.name}, by year",
        [(str(y), v) for y, v in view["tiv_by_year"].items()],
    )
    by_recipient = sorted(
        ((COUNTRY_NAMES.get(r["code"], r["code"]), r["sipri"]["tiv_total"]) for r in view["recipients"]),
        key=lambda kv: (-kv[1], kv[0]),
    )
    licences = sorted(
        ((COUNTRY_NAMES.get(r["code"], r["code"]), r["licensed"]["licences"]) for r in view["recipients"]),
        key=lambda kv: (-kv[1], kv[0]),
    )
    context = {
        "view": view,
        "regions": REGIONS,
        "selected": region.slug,
        "first": window.first,
        "last": window.last,
        # charts.bars escapes every label and title itself
        "tiv_chart": mark_safe(tiv_chart),  # noqa: S308
        "recipient_chart": mark_safe(
            charts.bars("SIPRI TIV by recipient", [kv for kv in by_recipient if kv[1]])
        ),  # noqa: S308
        "licence_chart": mark_safe(
            charts.bars("Our licences by destination", [kv for kv in licences if kv[1]])
        ),  # noqa: S308
        "may_import": policy.may(user, policy.RegionAction.IMPORT),
        "csv_query": request.GET.urlencode(),
    }
    return render(request, "region/view.html", context)


@login_required
@require_POST
def import_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policy.may(user, policy.RegionAction.VIEW):
        raise Http404
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "File: choose a SIPRI trade-register CSV")
        return redirect(reverse("region:view"))
    try:
        result = services.import_register(actor=user, data=upload.read(), filename=upload.name or "")
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except (sipri.SipriFormatError, InvalidInput) as exc:
        messages.error(request, f"{upload.name}: {exc} (nothing imported)")
        return redirect(reverse("region:view"))
    messages.success(request, result.summary())
    return redirect(reverse("region:view"))


@login_required
@require_GET
def case_panel_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if pk >= 2**63:  # past every database's integer: no such case (PostgreSQL would raise, not answer)
        raise Http404
    case = get_object_or_404(Case, pk=pk)
    if not (policy.may(user, policy.RegionAction.VIEW) and can_view_case(user, case)):
        raise Http404
    panel = queries.case_panel(case)
    template = (
        "region/_case_panel.html" if request.headers.get("HX-Request") else "region/case_panel_page.html"
    )
    return render(request, template, {"panel": panel, "case": case})
