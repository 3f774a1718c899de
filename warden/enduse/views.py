"""End-use pages: the queue of checks (overdue first, with filters), a check with the inspector's record form,
the evidence downloads, an officer's form to plan a check by hand, and the suspension a diversion flag
offers (a POST that goes through the licence service and returns to the case page).

Who sees and does what is warden.enduse.policy: anyone else gets 404 for a page (its existence is the
authority's business) and 403 for a POST they may not make."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from warden.accounts.actors import signed_in
from warden.enduse import policy, queries, services
from warden.enduse.models import CheckKind, CheckStatus, DiversionFlag, EndUseCheck, EvidenceFile, Finding
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted, WorkflowError
from warden.lib.posted import posted_date
from warden.licences.models import Licence


def _require_view(request: HttpRequest) -> None:
    if not policy.can_view(request.user):
        raise Http404


@login_required
@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    mine = request.GET.get("mine") == "1"
    qs = queries.checks(
        status=status if status in CheckStatus.values else "",
        kind=kind if kind in CheckKind.values else "",
        inspector_id=request.user.pk if mine else None,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = clock.today()
    return render(
        request,
        "enduse/list.html",
        {
            "page": page,
            "rows": [(c, c.status_on(today)) for c in page.object_list],
            "status": status,
            "kind": kind,
            "mine": mine,
            "statuses": CheckStatus.choices,
            "kinds": CheckKind.choices,
            "overdue": queries.checks(status=CheckStatus.OVERDUE).count(),
            "may_plan": policy.may(request.user, policy.EndUseAction.PLAN),
        },
    )


def _check(request: HttpRequest, pk: int) -> EndUseCheck:
    _require_view(request)
    return get_object_or_404(
        EndUseCheck.objects.select_related("licence__case", "inspector", "shipment", "recorded_by"), pk=pk
    )


def _check_page(request: HttpRequest, row: EndUseCheck, status: int = 200) -> HttpResponse:
    return render(
        request,
        "enduse/check.html",
        {
            "check": row,
            "status": row.status_on(clock.today()),
            "evidence": list(row.evidence.all()),
            "flags": list(row.flags.select_related("case", "licence", "cleared_by")),
            "may_withdraw": row.finding == Finding.DIVERSION
            and policy.may(request.user, policy.EndUseAction.CLEAR),
            "may_record": policy.can_record(request.user, row),
            "may_take": row.completed_on is None
            and row.inspector_id is None
            and policy.may(request.user, policy.EndUseAction.RECORD),
            "why_not": policy.why_not_record(request.user, row),
            "findings": Finding.choices,
            "posted": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@login_required
@require_GET
def check_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _check_page(request, _check(request, pk))


@login_required
@require_POST
def record_view(request: HttpRequest, pk: int) -> HttpResponse:
    row = _check(request, pk)
    files = [(u.name or "", u.read()) for u in request.FILES.getlist("evidence")]
    try:
        done = services.record_finding(
            actor=signed_in(request),
            check=row,
            finding=request.POST.get("finding", ""),
            notes=request.POST.get("notes", ""),
            completed_on=posted_date(request, "completed_on"),
            evidence=files,
        )
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except InvalidInput as exc:
        messages.error(request, f"{row.reference}: {exc} (nothing recorded)")
        return _check_page(request, row, status=422)
    text = f"{row.reference}: finding recorded ({done.check.get_finding_display().lower()})."
    if done.flags:
        text += " Flagged: " + ", ".join(f.case.reference for f in done.flags) + "."
    messages.success(request, text)
    return redirect(reverse("enduse:check", args=[row.pk]))


@login_required
@require_POST
def take_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A compliance inspector takes an unassigned open check."""
    row = _check(request, pk)
    user = signed_in(request)
    try:
        services.assign_check(actor=user, check=row, inspector=user)
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except InvalidInput as exc:
        messages.error(request, f"{row.reference}: {exc}")
    else:
        messages.success(request, f"{row.reference} is assigned to you.")
    return redirect(reverse("enduse:check", args=[row.pk]))


@login_required
@require_GET
def evidence_view(request: HttpRequest, pk: int) -> FileResponse:
    _require_view(request)
    item = get_object_or_404(EvidenceFile.objects.select_related("check_row__licence"), pk=pk)
    fh = services.open_evidence(actor=signed_in(request), item=item)
    return FileResponse(fh, as_attachment=True, filename=item.name, content_type=item.content_type)


@login_required
@require_POST
def plan_view(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    number = request.POST.get("licence", "").strip()
    licence = Licence.objects.filter(number=number).first()
    if licence is None:
        messages.error(request, f"Licence: no licence {number!r}")
        return redirect(reverse("enduse:list"))
    try:
        row = services.plan_check(
            actor=signed_in(request),
            licence=licence,
            kind=request.POST.get("kind", ""),
            reason=request.POST.get("reason", ""),
            due_on=posted_date(request, "due_on"),
        )
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except InvalidInput as exc:
        messages.error(request, f"Plan a check: {exc} (nothing planned)")
        return redirect(reverse("enduse:list"))
    messages.success(request, f"{row.reference} planned on licence {licence.number}, due {row.due_on}.")
    return redirect(reverse("enduse:check", args=[row.pk]))


@login_required
@require_POST
def suspend_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request)
    flag = get_object_or_404(DiversionFlag.objects.select_related("licence", "check_row"), pk=pk)
    back = reverse("cases:detail", args=[flag.case_id]) + "#enduse-h"
    try:
        licence = services.suspend_flagged_licence(actor=signed_in(request), flag=flag)
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except WorkflowError as exc:
        messages.error(request, f"Suspension: {exc}")
        return redirect(back)
    messages.success(
        request, f"Licence {licence.number} suspended (diversion found by {flag.check_row.reference})."
    )
    return redirect(back)


@login_required
@require_POST
def clear_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A senior officer clears one diversion flag with a reason; back to the case page."""
    _require_view(request)
    flag = get_object_or_404(DiversionFlag.objects.select_related("case"), pk=pk)
    back = reverse("cases:detail", args=[flag.case_id]) + "#enduse-h"
    try:
        services.clear_flag(actor=signed_in(request), flag=flag, reason=request.POST.get("reason", ""))
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except WorkflowError as exc:
        messages.error(request, f"Clearing the flag: {exc} (nothing changed)")
        return redirect(back)
    messages.success(request, f"The diversion flag on {flag.case.reference} is cleared.")
    return redirect(back)


@login_required
@require_POST
def withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A senior officer withdraws a diversion finding shown to be wrong; every flag it raised is cleared."""
    row = _check(request, pk)
    try:
        cleared = services.withdraw_finding(
            actor=signed_in(request), check=row, reason=request.POST.get("reason", "")
        )
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except WorkflowError as exc:
        messages.error(request, f"{row.reference}: {exc} (nothing changed)")
        return _check_page(request, row, status=422)
    messages.success(request, f"{row.reference}: finding withdrawn; {len(cleared)} flag(s) cleared.")
    return redirect(reverse("enduse:check", args=[row.pk]))
