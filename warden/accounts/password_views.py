"""Changing one's password, and resetting a forgotten one through an e-mailed link (warden.accounts.passwords
holds the rules; these views only show them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from warden.accounts import passwords
from warden.accounts.actors import signed_in
from warden.accounts.forms import ChangePasswordForm, ResetRequestForm, SetPasswordForm
from warden.lib.errors import WorkflowError


def _refused_at(form: ChangePasswordForm | SetPasswordForm, exc: WorkflowError) -> None:
    field = getattr(exc, "field", "")
    form.add_error(field if field in form.fields else None, str(exc))


@login_required
@never_cache
@sensitive_post_parameters("current_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    me = signed_in(request)
    if request.method != "POST":
        return render(request, "accounts/password_change.html", {"form": ChangePasswordForm()})
    form = ChangePasswordForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            passwords.change_password(
                actor=me, user=me, current=d["current_password"], new=d["new_password1"]
            )
        except WorkflowError as exc:
            _refused_at(form, exc)
        else:
            # This session stays signed in; every other session of this person is now signed out (the
            # session auth hash they carry no longer matches the password).
            update_session_auth_hash(request, me)
            messages.success(request, "Your password is changed. Other sessions of yours were signed out.")
            return redirect("accounts:password_change")
    return render(request, "accounts/password_change.html", {"form": form}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def reset_request_view(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. The answer never says whether the account exists (no account enumeration)."""
    if request.method != "POST":
        return render(request, "accounts/reset_request.html", {"form": ResetRequestForm()})
    form = ResetRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/reset_request.html", {"form": form}, status=400)
    passwords.request_reset(who=form.cleaned_data["who"], site=request.build_absolute_uri("/").rstrip("/"))
    return redirect("accounts:reset_sent")


def reset_sent_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/reset_sent.html")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def reset_confirm_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link's page: a new password twice. An expired, used or forged link says so and offers a new one."""
    if passwords.user_for_link(uidb64, token) is None:
        return render(request, "accounts/reset_confirm.html", {"invalid": True}, status=400)
    if request.method != "POST":
        return render(request, "accounts/reset_confirm.html", {"form": SetPasswordForm()})
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            passwords.reset_with_link(uidb64=uidb64, token=token, new=form.cleaned_data["new_password1"])
        except WorkflowError as exc:
            if getattr(exc, "field", "") == "link":
                return render(request, "accounts/reset_confirm.html", {"invalid": True}, status=400)
            _refused_at(form, exc)
        else:
            messages.success(request, "Your new password is set. Sign in with it.")
            return redirect("accounts:login")
    return render(request, "accounts/reset_confirm.html", {"form": form}, status=400)
