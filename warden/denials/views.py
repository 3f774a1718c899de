"""Denials pages: the register of denials held (ours and partners') with the partner-liaison officer's import
form and our export, and the consultation forms on a flagged case (POSTs that return to the case page).

Who sees and does what is warden.denials.policy: anyone else gets 404 for the page (its existence is the
authority's business) and 403 for a POST they may not make."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from warden.accounts.models import User
from warden.accounts.services import our_state
from warden.denials import exchange, policy, queries, services
from warden.denials.models import Consultation, UndercutFlag
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.lib.posted import posted_date


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # every view here is @login_required
    return user


@login_required
@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    if not policy.can_view(request.user):
        raise Http404
    return render(
        request,
        "denials/list.html",
        {
            "rows": queries.held(),
            "may_import": policy.may(request.user, policy.DenialAction.IMPORT),
            "may_export": policy.may(request.user, policy.DenialAction.EXPORT),
        },
    )


@login_required
@require_POST
def import_view(request: HttpRequest) -> HttpResponse:
    if not policy.can_view(request.user):
        raise Http404
    upload = request.FILES.get("file")
    state = request.POST.get("issuing_state", "")
    name = (upload.name or "") if upload else ""
    fmt = exchange.guess_format(name) if upload else None
    if upload is None or fmt is None:
        messages.error(request, "File: choose a warden.denial/1 file ending in .json or .csv")
        return redirect(reverse("denials:list"))
    try:
        result = services.import_denials(
            actor=_actor(request), issuing_state=state, data=upload.read(), fmt=fmt, filename=name
        )
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except (exchange.DenialFormatError, InvalidInput) as exc:
        text = str(exc).replace("--from:", "Issuing state:")
        messages.error(request, f"{name}: {text} (nothing imported)")
    else:
        flagged = f" Flagged: {', '.join(result.flagged)}." if result.flagged else ""
        cleared = f" Cleared: {', '.join(result.cleared)}." if result.cleared else ""
        messages.success(request, f"{name}: {result.summary()}.{flagged}{cleared}")
    return redirect(reverse("denials:list"))


@login_required
@require_GET
def export_view(request: HttpRequest) -> HttpResponse:
    if not policy.can_view(request.user):
        raise Http404
    if not policy.may(request.user, policy.DenialAction.EXPORT):
        return HttpResponse("Only the policy officer exports our denial notifications", status=403)
    denials = queries.ours()
    if request.GET.get("format") == "csv":
        response = HttpResponse(exchange.to_csv(denials), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="denials.csv"'
        return response
    doc = exchange.document(denials, issuing_state=our_state(), today=clock.today())
    response = HttpResponse(json.dumps(doc, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="denials.json"'
    return response


def _back(flag: UndercutFlag) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[flag.case_id]) + "#undercut-h")


def _visible_flag(request: HttpRequest, pk: int) -> UndercutFlag:
    flag = get_object_or_404(UndercutFlag.objects.select_related("case", "denial"), pk=pk)
    if not policy.can_view_flags(request.user, flag.case):
        raise Http404
    return flag


@login_required
@require_POST
def consult_view(request: HttpRequest, pk: int) -> HttpResponse:
    flag = _visible_flag(request, pk)
    try:
        services.request_consultation(
            actor=_actor(request),
            flag=flag,
            requested_on=posted_date(request, "requested_on"),
            deadline=posted_date(request, "deadline"),
            note=request.POST.get("note", ""),
        )
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except InvalidInput as exc:
        messages.error(request, f"Consultation of {flag.denial.issuing_state}: {exc}")
    else:
        messages.success(
            request, f"Consultation of {flag.denial.issuing_state} about {flag.denial.reference} recorded"
        )
    return _back(flag)


@login_required
@require_POST
def answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(Consultation.objects.select_related("flag"), pk=pk)
    flag = _visible_flag(request, c.flag_id)
    try:
        services.record_answer(
            actor=_actor(request),
            consultation=c,
            answer=request.POST.get("answer", ""),
            answered_on=posted_date(request, "answered_on"),
        )
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except InvalidInput as exc:
        messages.error(request, f"Answer of {flag.denial.issuing_state}: {exc}")
    else:
        messages.success(request, f"Answer of {flag.denial.issuing_state} recorded")
    return _back(flag)


@login_required
@require_POST
def notice_view(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(Consultation.objects.select_related("flag"), pk=pk)
    flag = _visible_flag(request, c.flag_id)
    try:
        services.record_notice(
            actor=_actor(request),
            consultation=c,
            reasons=request.POST.get("reasons", ""),
            sent_on=posted_date(request, "sent_on"),
        )
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except InvalidInput as exc:
        messages.error(request, f"Notice to {flag.denial.issuing_state}: {exc}")
    else:
        messages.success(request, f"Notice to {flag.denial.issuing_state} recorded")
    return _back(flag)
