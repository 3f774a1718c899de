"""Catch-all pages: the list (undecided first), the exporter's notification form, an officer's concern, a
referral's page with the decision and link forms, and the printable inform letter.

Who sees and does what is warden.catchall.policy: a referral one may not see is a 404; a POST one may not
make is a 403 with the policy's sentence."""

from __future__ import annotations

import json

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from warden.accounts.actors import signed_in
from warden.accounts.services import our_state
from warden.catchall import notices, policy, queries, services
from warden.catchall.forms import ConcernForm, DecisionForm, LinkForm, NotificationForm
from warden.catchall.models import CatchAllReferral, Status
from warden.catchall.policy import ReferralAction
from warden.flows import catch_all as flow
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted


def _referral(request: HttpRequest, pk: int) -> CatchAllReferral:
    referral = queries.visible(request.user).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such catch-all referral")
    return referral


def _place(form: django_forms.Form, exc: InvalidInput) -> None:
    name = exc.where if exc.where in form.fields else None
    form.add_error(name, exc.message)


@login_required
@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    if not policy.may(request.user, ReferralAction.VIEW):
        raise Http404
    return render(
        request,
        "catchall/list.html",
        {
            "rows": queries.open_first(queries.visible(request.user)),
            "may_notify": policy.may(request.user, ReferralAction.NOTIFY),
            "may_raise": policy.may(request.user, ReferralAction.RAISE),
            "may_see_notices": policy.may_see_notices(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_view(request: HttpRequest) -> HttpResponse:
    """The exporter's notification, or (for an officer) a concern about a named exporter."""
    officer = policy.may(request.user, ReferralAction.RAISE)
    if not (officer or policy.may(request.user, ReferralAction.NOTIFY)):
        raise Http404
    form_class = ConcernForm if officer else NotificationForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, ConcernForm):
                referral = services.raise_concern(
                    actor=signed_in(request),
                    organisation=form.cleaned_data["organisation"],
                    notification=form.notification(),
                )
            else:
                referral = services.notify(actor=signed_in(request), notification=form.notification())
        except InvalidInput as exc:
            _place(form, exc)
        except NotPermitted as exc:
            return HttpResponse(str(exc), status=403)
        else:
            note = (
                " You gave fewer than 60 days' notice: do not export until we have decided."
                if referral.short_notice()
                else " Do not export the goods until we have decided."
            )
            messages.success(request, f"{referral.reference} recorded.{note}")
            return redirect("catchall:detail", referral.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "catchall/new.html", {"form": form, "officer": officer}, status=status)


def _detail(
    request: HttpRequest,
    referral: CatchAllReferral,
    *,
    decision: DecisionForm | None = None,
    link: LinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_decide = policy.why_not(request.user, referral, ReferralAction.DECIDE) is None
    may_link = policy.why_not(request.user, referral, ReferralAction.LINK) is None
    return render(
        request,
        "catchall/detail.html",
        {
            "r": referral,
            "decision_form": decision or (DecisionForm() if may_decide else None),
            "decide_why_not": None
            if may_decide or not referral.open
            else policy.why_not(request.user, referral, ReferralAction.DECIDE),
            "link_form": link or (LinkForm(cases=queries.linkable_cases(referral)) if may_link else None),
        },
        status=status,
    )


@login_required
@require_GET
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _referral(request, pk))


@login_required
@require_POST
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    why = policy.why_not(request.user, referral, ReferralAction.DECIDE)
    if why:
        return HttpResponse(why[0].upper() + why[1:], status=403)
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.decide(
                actor=signed_in(request),
                referral=referral,
                decision=d["decision"],
                reason=d["reason"],
                basis=d["basis"] if d["decision"] == "licence_required" else "",
                letter=d["letter"] if d["decision"] == "licence_required" else "",
            )
        except InvalidInput as exc:
            _place(form, exc)
        else:
            messages.success(request, f"{referral.reference}: {referral.get_status_display()}.")
            return redirect("catchall:detail", referral.pk)
    return _detail(request, referral, decision=form, status=422)


@login_required
@require_POST
def link_view(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    why = policy.why_not(request.user, referral, ReferralAction.LINK)
    if why:
        return HttpResponse(why[0].upper() + why[1:], status=403)
    form = LinkForm(request.POST, cases=queries.linkable_cases(referral))
    if form.is_valid():
        try:
            flow.link_application(actor=signed_in(request), referral=referral, case=form.cleaned_data["case"])
        except InvalidInput as exc:
            _place(form, exc)
        else:
            messages.success(
                request, f"{referral.reference} linked to {referral.case.reference if referral.case else ''}."
            )
            return redirect("catchall:detail", referral.pk)
    return _detail(request, referral, link=form, status=422)


@login_required
@require_GET
def letter_view(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    if referral.status not in (Status.INFORMED, Status.APPLIED, Status.NOT_REQUIRED):
        raise Http404("No letter until the referral is decided")
    return render(request, "catchall/letter.html", {"r": referral})


@login_required
@require_GET
def notices_view(request: HttpRequest) -> HttpResponse:
    """The notices to partner states and customs; `?format=json|csv` downloads them (partner liaison)."""
    if not policy.may_see_notices(request.user):
        raise Http404
    fmt = request.GET.get("format", "")
    rows = list(notices.held())
    if not fmt:
        today = clock.today()
        return render(
            request,
            "catchall/notices.html",
            {
                "rows": [(n, n.in_force_on(today)) for n in reversed(rows)],
                "may_export": policy.may_export_notices(request.user),
            },
        )
    if not policy.may_export_notices(request.user):
        return HttpResponse("Only the partner-liaison (policy) officer exports the notices", status=403)
    if fmt not in notices.FILE_FORMATS:
        return HttpResponse(f"format: {fmt!r}: expected json or csv", status=422)
    records = [notices.as_record(n) for n in rows]
    if fmt == "csv":
        response = HttpResponse(notices.to_csv(records), content_type="text/csv; charset=utf-8")
    else:
        doc = notices.document(records, issuing_state=our_state(), today=clock.today())
        response = HttpResponse(
            json.dumps(doc, ensure_ascii=False, indent=2), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="catch-all-notices.{fmt}"'
    return response


@login_required
@require_GET
def customs_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable notice to customs: stop these goods to this end user unless licensed."""
    if not policy.may_see_notices(request.user):
        raise Http404
    referral = _referral(request, pk)
    notice = getattr(referral, "notice", None)
    if notice is None:
        raise Http404("No notice: no licence requirement was imposed")
    return render(
        request,
        "catchall/customs.html",
        {"r": referral, "n": notice, "in_force": notice.in_force_on(clock.today())},
    )
