"""Sign in and sign out. Everything else in the UI requires a signed-in user (login_required)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from warden.accounts.forms import LoginForm


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            login(request, form.get_user())
            return HttpResponseRedirect(next_url or settings.LOGIN_REDIRECT_URL)
        status = 429 if form.has_error("__all__", "locked_out") else 200
    else:
        form = LoginForm(request)
        status = 200
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


# POST only (Django 5 refuses GET), so a link or image cannot sign a user out.
logout_view = LogoutView.as_view()
