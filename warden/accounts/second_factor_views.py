"""Two-step sign-in pages (warden.accounts.second_factor): the code (or first set-up) after the password,
the signed-in person's own set-up, and the administrator's reset on the person page.

After a right password for someone who needs a code, login_view does NOT sign them in: it remembers who
passed the password in the session (for a few minutes) and sends them here, so nothing behind
login_required is reachable with a password alone.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from warden.accounts import second_factor, throttle
from warden.accounts.forms import client_ip
from warden.accounts.models import User
from warden.lib.errors import InvalidInput, NotPermitted

PENDING = "warden_signin_pending"
PENDING_SECONDS = 300
# Set in a session that passed a code (at sign-in, or on confirming a device): the tokens page needs it of
# anyone whose sign-in takes one (policy.token_creation_refusal).
PASSED = "warden_second_factor_passed"


def passed_code(request: HttpRequest) -> bool:
    return request.session.get(PASSED) is True


def begin(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """The password was right and `user` needs a code: remember them, and ask for it."""
    request.session.cycle_key()  # a fresh session id once the password is known to be right
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "next": next_url,
        "at": time.time(),
    }
    return redirect("accounts:second_factor")


def _pending(request: HttpRequest) -> tuple[User, str, str] | None:
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=int(data.get("user") or 0), is_active=True).first()
    return (user, str(data.get("backend", "")), str(data.get("next", ""))) if user else None


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def code_view(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.info(request, "Sign in with your password first (the code page waits five minutes).")
        return redirect("accounts:login")
    user, backend, next_url = pending
    setting_up = second_factor.confirmed_device(user) is None
    error, status = "", 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            if setting_up:
                lock = throttle.reserve_attempt(user.username, client_ip(request))
                if lock is None:
                    try:
                        second_factor.confirm_set_up(actor=user, user=user, code=code)
                    except InvalidInput:
                        throttle.record_failure(user.username, client_ip(request))
                        raise
                    throttle.record_success(user.username, client_ip(request))
            else:
                lock = second_factor.check_code(user, code, client_ip(request))
            if lock is not None:
                request.session.pop(PENDING, None)
                minutes = throttle.lockout_minutes(lock)
                error = f"Too many failed sign-in attempts. Sign-in is blocked for {minutes} minutes; try again later."
                status = 429
            else:
                request.session.pop(PENDING, None)
                login(request, user, backend=backend or None)
                request.session[PASSED] = True  # after login(): it keeps the session's data
                return HttpResponseRedirect(next_url or "/")
        except InvalidInput as exc:
            error, status = str(exc), 200
    context = {"error": error, "setting_up": setting_up, "person": user}
    if setting_up:
        device = second_factor.pending_device(user)
        context |= {"qr": second_factor.qr_data_uri(device), "secret": second_factor.secret_of(device)}
    return render(request, "accounts/second_factor.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def own_set_up_view(request: HttpRequest) -> HttpResponse:
    me = request.user
    assert isinstance(me, User)
    error = ""
    if request.method == "POST":
        try:
            second_factor.confirm_set_up(actor=me, user=me, code=request.POST.get("code", ""))
            request.session[PASSED] = True  # a right code from the new device, in this session
            messages.success(request, "Two-step sign-in is on: every sign-in now asks for a code.")
            return redirect("accounts:own_second_factor")
        except (InvalidInput, NotPermitted) as exc:
            error = str(exc)
    context: dict[str, object] = {"error": error, "person": me, "own_page": True}
    if second_factor.confirmed_device(me) is None:
        device = second_factor.pending_device(me)
        context |= {
            "setting_up": True,
            "qr": second_factor.qr_data_uri(device),
            "secret": second_factor.secret_of(device),
        }
    return render(request, "accounts/second_factor.html", context, status=200 if not error else 400)


@login_required
@require_POST
def reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user
    assert isinstance(me, User)
    person = get_object_or_404(User, pk=pk)
    try:
        second_factor.reset(actor=me, user=person)
        messages.success(
            request, f"{person.username}: two-step sign-in reset; they set it up again next time."
        )
    except NotPermitted as exc:
        messages.error(request, str(exc))
    return redirect("accounts:person", pk=person.pk)
