"""Licence pages: the list, a licence with its lines and what has been shipped against them (and what is
left), the actions on it (suspend, reinstate, revoke, surrender, record a shipment), the upload of a CSV
return of shipments, and the PDF licence document.

A licence is visible exactly when its case is (policy.visible_cases); otherwise 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from warden.accounts.actors import signed_in
from warden.accounts.models import Role
from warden.flows import end_use, licence_amendment
from warden.lib import clock
from warden.lib.errors import Conflict, Forbidden, InvalidInput, NotPermitted, WorkflowError
from warden.licences import licence_actions as lf
from warden.licences import pdf, returns, shipments
from warden.licences import policy as licence_policy
from warden.licences.destinations import destination_rows_for_page
from warden.licences.models import Licence


def _visible_licences(request: HttpRequest) -> QuerySet[Licence]:
    return licence_policy.visible_licences(request.user)


def _licence(request: HttpRequest, pk: int) -> Licence:
    return get_object_or_404(
        _visible_licences(request).select_related("case", "case__organisation", "issued_by"), pk=pk
    )


@login_required
@require_GET
def licence_list(request: HttpRequest) -> HttpResponse:
    qs = _visible_licences(request).select_related("case", "case__organisation").order_by("-issued_at", "-id")
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "licences/list.html", {"page": page, "status": status, "statuses": lf.STATUS_CHOICES}
    )


def _detail_context(
    request: HttpRequest,
    licence: Licence,
    bound: dict | None = None,  # type: ignore[type-arg]
    returns_form: lf.ReturnsUploadForm | None = None,
) -> dict:  # type: ignore[type-arg]
    bound = bound or {}
    allowed = lf.allowed_licence_actions(request.user, licence)
    may_ship = licence_policy.LicenceAction.RECORD_SHIPMENT in allowed
    lines = list(licence.lines.select_related("goods_line").order_by("goods_line__line_no"))
    actions = []
    for name in allowed:
        spec = lf.LICENCE_ACTIONS[name]
        form = bound.get(name) or spec.form(licence=licence, auto_id=f"id_{name}_%s")
        actions.append({"name": name, "spec": spec, "form": form, "open": name in bound})
    return {
        "return_overdue": licence.return_overdue(clock.today()),
        "licence": licence,
        "case": licence.case,
        "lines": [{"line": ln, "left": shipments.left_on(ln)} for ln in lines],
        "destinations": destination_rows_for_page(licence),
        "refused_destinations": licence.case.refused_destinations,
        "shipments": list(
            licence.shipments.select_related("line__goods_line", "recorded_by").order_by("-shipped_on", "-pk")
        ),
        "transitions": list(licence.transitions.select_related("actor")),
        "actions": actions,
        "all_forms": list(bound.values()) + ([returns_form] if returns_form is not None else []),
        "returns_form": returns_form or (lf.ReturnsUploadForm(auto_id="id_returns_%s") if may_ship else None),
    }


@login_required
@require_GET
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    licence = _licence(request, pk)
    return render(request, "licences/detail.html", _detail_context(request, licence))


@login_required
@require_POST
def licence_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    licence = _licence(request, pk)
    if action not in lf.LICENCE_ACTIONS:
        raise Http404("no such action")
    replay = action == licence_policy.LicenceAction.RECORD_SHIPMENT and lf.is_replay(
        request.user, licence, request.POST
    )
    if action not in lf.allowed_licence_actions(request.user, licence) and not replay:
        messages.error(request, lf.refusal_message(request.user, licence, action))
        return render(request, "licences/detail.html", _detail_context(request, licence), status=403)
    spec = lf.LICENCE_ACTIONS[action]
    form = spec.form(request.POST, licence=licence, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        return render(
            request, "licences/detail.html", _detail_context(request, licence, {action: form}), status=422
        )
    try:
        message = spec.run(request.user, licence, form.cleaned_data)
    except WorkflowError as exc:
        field = getattr(exc, "field", "")
        if field and field in form.fields:
            form.add_error(field, str(exc))
            return render(
                request, "licences/detail.html", _detail_context(request, licence, {action: form}), status=422
            )
        messages.error(request, str(exc))
        licence.refresh_from_db()
        return render(request, "licences/detail.html", _detail_context(request, licence), status=409)
    if action == licence_policy.LicenceAction.RECORD_SHIPMENT:
        # The shipment just recorded (the action's step returns its sentence only) may call for a check.
        shipment = licence.shipments.order_by("-pk").first()
        if shipment is not None:
            end_use.after_shipment_recorded(shipment=shipment)
    messages.success(request, message)
    return HttpResponseRedirect(reverse("licences:detail", args=[licence.pk]))


@login_required
@require_GET
def licence_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    licence = _licence(request, pk)
    content = pdf.licence_pdf(actor=signed_in(request), licence=licence)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{licence.number}.pdf"'
    return response


@login_required
@require_POST
def returns_import(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV return uploaded on the licence page. Its rows may name any of the person's licences; all are
    recorded or none, and the page comes back with the summary or the first bad row."""
    licence = _licence(request, pk)
    form = lf.ReturnsUploadForm(request.POST, request.FILES, auto_id="id_returns_%s")
    if not form.is_valid():
        return render(
            request, "licences/detail.html", _detail_context(request, licence, returns_form=form), status=422
        )
    upload = form.cleaned_data["file"]
    name = upload.name or "upload.csv"
    try:
        result = returns.import_returns(actor=signed_in(request), data=upload.read(), filename=name)
        for shipment in result.recorded:
            end_use.after_shipment_recorded(shipment=shipment)
    except WorkflowError as exc:
        form.add_error("file", f"{name}: {exc}")
        status = 403 if isinstance(exc, Forbidden) else 409 if isinstance(exc, Conflict) else 422
        licence.refresh_from_db()
        return render(
            request,
            "licences/detail.html",
            _detail_context(request, licence, returns_form=form),
            status=status,
        )
    messages.success(request, f"{name}: {result.summary()}.")
    return HttpResponseRedirect(reverse("licences:detail", args=[licence.pk]))


def _quantities(request: HttpRequest) -> dict[int, int]:
    """{goods line number: quantity} from the officer's form (quantity_<n> fields); bad numbers are refused."""
    out = {}
    for key in request.POST:
        raw = request.POST.get(key, "")
        if key.startswith("quantity_") and key[9:].isdigit():
            try:
                out[int(key[9:])] = int(raw)
            except ValueError:
                raise InvalidInput(f"Quantity {raw!r} is not a whole number", field=key) from None
    return out


@login_required
@require_POST
def propose_amendment(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder's "propose an amendment": a draft amendment case, opened for editing."""
    licence = _licence(request, pk)
    raw = request.POST.get("valid_until", "").strip()
    try:
        valid_until = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, f"New last day of validity: {raw!r} is not a date (YYYY-MM-DD)")
        return render(request, "licences/detail.html", _detail_context(request, licence), status=422)
    actor = signed_in(request)
    for_holder = actor.role in (Role.LICENSING_OFFICER, Role.SENIOR_OFFICER)
    try:
        if for_holder:
            case = licence_amendment.propose_for_holder(
                actor=actor,
                licence=licence,
                reason=request.POST.get("reason", ""),
                valid_until=valid_until,
                quantities=_quantities(request),
            )
        else:
            case = licence_amendment.propose(
                actor=actor, licence=licence, reason=request.POST.get("reason", ""), valid_until=valid_until
            )
    except WorkflowError as exc:
        messages.error(request, str(exc))
        status = 403 if isinstance(exc, NotPermitted) else 422 if isinstance(exc, InvalidInput) else 409
        return render(request, "licences/detail.html", _detail_context(request, licence), status=status)
    if for_holder:
        messages.success(
            request, f"Amendment {case.reference} of licence {licence.number} proposed; the holder is told."
        )
        return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]))
    messages.success(
        request,
        f"Draft amendment {case.reference} made from licence {licence.number}. Change what needs changing, "
        "then submit it.",
    )
    return HttpResponseRedirect(reverse("cases:edit", args=[case.pk]))
