"""Open general licence pages: the published OGLs (any signed-in person), an OGL's terms with "Register to
use" for exporters, the registrations ("My registrations" for an exporter, every one for the officers) and a
registration's page with its uses, the exporter's use-report form and the senior officer's sanctions.

Who sees and does what is warden.ogl.policy; a refused POST shows the service's sentence."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from warden.accounts.actors import signed_in
from warden.lib import clock
from warden.lib.errors import Conflict, InvalidInput, NotPermitted, WardenError
from warden.ogl import loader, policy, queries, returns, services
from warden.ogl.models import (
    END_USE_FLAGS,
    FLAG_LABELS,
    OglRegistration,
    OpenGeneralLicence,
    RegistrationStatus,
)
from warden.web.templatetags.warden_tags import COUNTRY_NAMES

# The country picker of the use form: every country by name (a use to a country the OGL does not permit is
# the exporter's to attempt and the service's to refuse, with the reason).
COUNTRIES = sorted(COUNTRY_NAMES.items(), key=lambda item: item[1])
USE_FIELDS = (
    "shipped_on",
    "destination",
    "ratings",
    "description",
    "quantity",
    "value",
    "currency",
    "consignee_name",
    "end_user_name",
    "customs_declaration",
)


@login_required
@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    if not policy.may(request.user, policy.OglAction.VIEW):
        raise Http404
    today = clock.today()
    rows = [(ogl, ogl.version_on(today)) for ogl in queries.published()]
    return render(
        request,
        "ogl/list.html",
        {
            "rows": rows,
            "may_register": policy.may(request.user, policy.OglAction.REGISTER),
            "may_oversee": policy.may(request.user, policy.OglAction.OVERSEE),
            "may_publish": policy.may(request.user, policy.OglAction.PUBLISH),
        },
    )


@login_required
@require_POST
def load_view(request: HttpRequest) -> HttpResponse:
    """The policy officer publishes the OGLs of an uploaded warden.ogl/1 file (all or nothing)."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "File: choose a warden.ogl/1 YAML file")
        return redirect(reverse("ogl:list"))
    name = upload.name or "upload.yaml"
    try:
        text = upload.read().decode("utf-8")
        result = services.load(
            actor=signed_in(request), document=loader.parse(text, filename=name), filename=name
        )
    except UnicodeDecodeError:
        messages.error(request, f"{name}: not UTF-8 text (nothing published)")
    except WardenError as exc:
        messages.error(request, f"{exc} (nothing published)")
    else:
        published = f": {', '.join(result.published)}" if result.published else ""
        messages.success(request, f"{name}: {result.summary()}{published}")
    return redirect(reverse("ogl:list"))


def _ogl(reference: str) -> OpenGeneralLicence:
    return get_object_or_404(queries.published(), reference=reference)


@login_required
@require_GET
def detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    if not policy.may(request.user, policy.OglAction.VIEW):
        raise Http404
    ogl = _ogl(reference)
    current = ogl.version_on(clock.today())
    mine = (
        policy.visible_registrations(request.user).filter(ogl=ogl)
        if policy.may(request.user, policy.OglAction.REGISTER)
        else OglRegistration.objects.none()
    )
    return render(
        request,
        "ogl/detail.html",
        {
            "ogl": ogl,
            "current": current,
            "versions": list(ogl.versions.all()),
            "may_register": policy.may(request.user, policy.OglAction.REGISTER),
            "mine": list(mine),
            # Registering again is refused while one is extant, suspended or revoked: no button to click then.
            "may_register_again": not any(r.status in services.BARRING for r in mine),
        },
    )


@login_required
@require_POST
def register_view(request: HttpRequest, reference: str) -> HttpResponse:
    ogl = _ogl(reference)
    try:
        reg = services.register(actor=signed_in(request), ogl=ogl)
    except WardenError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("ogl:detail", args=[ogl.reference]))
    messages.success(
        request, f"Registered to use {ogl.reference}: quote {reg.reference} on every customs declaration"
    )
    return redirect(reverse("ogl:registration", args=[reg.pk]))


@login_required
@require_GET
def registrations_view(request: HttpRequest) -> HttpResponse:
    if not (
        policy.may(request.user, policy.OglAction.OVERSEE)
        or policy.may(request.user, policy.OglAction.REGISTER)
    ):
        raise Http404
    rows = policy.visible_registrations(request.user).prefetch_related("uses")
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    return render(
        request,
        "ogl/registrations.html",
        {
            "rows": list(rows),
            "oversee": policy.may(request.user, policy.OglAction.OVERSEE),
            "status": status,
            "statuses": RegistrationStatus.choices,
        },
    )


def _registration(request: HttpRequest, pk: int) -> OglRegistration:
    reg = get_object_or_404(
        OglRegistration.objects.select_related("ogl", "organisation", "registered_by"), pk=pk
    )
    if not policy.can_view_registration(request.user, reg):
        raise Http404
    return reg


def _registration_page(
    request: HttpRequest,
    reg: OglRegistration,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    error_field: str = "",
    status: int = 200,
) -> HttpResponse:
    holder = policy.holds(request.user, reg)
    current = reg.ogl.version_on(clock.today())
    return render(
        request,
        "ogl/registration.html",
        {
            "reg": reg,
            "current": current,
            "uses": list(reg.uses.select_related("version").order_by("-shipped_on", "-pk")),
            "events": list(reg.events.select_related("by")),
            "holder": holder,
            "may_report": holder,
            "may_sanction": policy.may(request.user, policy.OglAction.SANCTION),
            "returns": returns.returns_of(reg),
            "next_due": returns.next_due(reg),
            "countries": COUNTRIES,
            "flags": [(f, FLAG_LABELS[f]) for f in END_USE_FLAGS],
            "form": form
            or {
                "currency": current.max_value_currency if current and current.max_value_currency else "GBP",
                "shipped_on": clock.today().isoformat(),
            },
            "error": error,
            "error_field": error_field,
        },
        status=status,
    )


@login_required
@require_GET
def registration_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _registration_page(request, _registration(request, pk))


@login_required
@require_http_methods(["POST"])
def report_use_view(request: HttpRequest, pk: int) -> HttpResponse:
    reg = _registration(request, pk)
    form: dict[str, Any] = {name: request.POST.get(name, "") for name in USE_FIELDS}
    form["end_use_flags"] = request.POST.getlist("end_use_flags")
    try:
        use, created = services.report_use(
            actor=signed_in(request),
            registration=reg,
            report=services.UseReport(**form),
        )
    except InvalidInput as exc:
        return _registration_page(request, reg, form=form, error=str(exc), error_field=exc.field, status=400)
    except WardenError as exc:
        return _registration_page(
            request, reg, form=form, error=str(exc), status=409 if isinstance(exc, Conflict) else 403
        )
    if created:
        messages.success(
            request, f"Use reported: declaration {use.customs_declaration}, shipped {use.shipped_on}"
        )
    else:
        messages.info(request, f"Declaration {use.customs_declaration} was already reported; nothing added")
    return redirect(reverse("ogl:registration", args=[reg.pk]) + "#uses-h")


@login_required
@require_POST
def status_view(request: HttpRequest, pk: int) -> HttpResponse:
    reg = _registration(request, pk)
    action = request.POST.get("action", "")
    try:
        services.change_status(
            actor=signed_in(request), registration=reg, action=action, reason=request.POST.get("reason", "")
        )
    except WardenError as exc:
        messages.error(request, str(exc))
    else:
        reg.refresh_from_db()
        messages.success(request, f"Registration {reg.reference} is now {reg.get_status_display().lower()}")
    return redirect(reverse("ogl:registration", args=[reg.pk]))


@login_required
@require_GET
def returns_view(request: HttpRequest) -> HttpResponse:
    """The returns overdue or approaching: an exporter's own registrations', or every one for officers."""
    oversee = policy.may(request.user, policy.OglAction.OVERSEE)
    if not (oversee or policy.may(request.user, policy.OglAction.REGISTER)):
        raise Http404
    regs = list(policy.visible_registrations(request.user).prefetch_related("returns"))
    return render(
        request,
        "ogl/returns.html",
        {"rows": returns.queue(regs), "oversee": oversee, "window": returns.APPROACHING_DAYS},
    )


@login_required
@require_POST
def file_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    reg = _registration(request, pk)
    try:
        row = returns.file_return(actor=signed_in(request), registration=reg)
    except NotPermitted as exc:
        return HttpResponse(str(exc), status=403)
    except WardenError as exc:
        messages.error(request, f"{exc} (nothing filed)")
    else:
        what = f"{row.uses} use(s)" if row.uses else "a nil return"
        messages.success(request, f"Return {row.number} of {reg.reference} filed: {what}")
    return redirect(reverse("ogl:registration", args=[reg.pk]) + "#returns-h")
