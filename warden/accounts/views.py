"""Sign in and sign out, the signed-in person's own API tokens, and the administrators' people pages.
Everything else in the UI requires a signed-in user (login_required). Passwords: password_views.py."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from warden.accounts import passwords, policy, second_factor, second_factor_views, services, throttle
from warden.accounts.forms import ApiTokenForm, EditUserForm, LoginForm, NewUserForm
from warden.accounts.models import ApiToken, User
from warden.lib.errors import WorkflowError


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
            user = form.get_user()
            if second_factor.needed_at_sign_in(user):  # the password alone does not sign them in
                return second_factor_views.begin(request, user, next_url)
            login(request, user)
            return HttpResponseRedirect(next_url or settings.LOGIN_REDIRECT_URL)
        status = 429 if form.has_error("__all__", "locked_out") else 200
    else:
        form = LoginForm(request)
        status = 200
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


# POST only (Django 5 refuses GET), so a link or image cannot sign a user out.
logout_view = LogoutView.as_view()


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


# The session key holding a just-created token for the one GET that shows it (post-redirect-get).
NEW_TOKEN_KEY = "accounts.new_api_token"


def _tokens_page(request: HttpRequest, form: ApiTokenForm, status: int = 200) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=_me(request)).order_by("revoked_at", "-created_at")
    # Popped: this response shows the new token, and no later one (a reload shows it no more).
    new_token = request.session.pop(NEW_TOKEN_KEY, "") if request.method == "GET" else ""
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "now": timezone.now()},
        status=status,
    )


@login_required
@never_cache  # the page that shows a new token once must not be kept by the browser or a proxy
@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    """List, create and revoke. A created token goes to the session and the browser is redirected: the GET
    that follows shows it once and forgets it, so a reload neither shows it again nor creates another."""
    if request.method != "POST":
        return _tokens_page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form, status=400)
    d = form.cleaned_data
    try:
        me = _me(request)
        _row, token = services.create_api_token(
            actor=me,
            user=me,
            name=d["name"],
            days=d["days"],
            scope=d["scope"],
            second_factor_passed=second_factor_views.passed_code(request),
        )
    except WorkflowError as exc:
        field = getattr(exc, "field", "")
        form.add_error(field if field in form.fields else "name", str(exc))
        return _tokens_page(request, form, status=400)
    request.session[NEW_TOKEN_KEY] = token
    return redirect("accounts:tokens")


@login_required
@require_POST
def revoke_token_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Only one's own tokens: another person's token id is a 404, as if it did not exist.
    token = get_object_or_404(ApiToken, pk=pk, user=_me(request))
    services.revoke_api_token(actor=_me(request), token=token)
    messages.success(request, f"Token “{token.name}” ({token.prefix}…) revoked; it no longer works.")
    return redirect("accounts:tokens")


def _admin(request: HttpRequest) -> User:
    # Only administrators manage people; to anyone else the pages do not exist.
    me = _me(request)
    if not policy.can_manage_people(me):
        raise Http404
    return me


def _people_page(request: HttpRequest, form: NewUserForm, status: int = 200) -> HttpResponse:
    people = User.objects.select_related("organisation", "team").order_by("-is_active", "role", "username")
    context = {"form": form, "people": people, "locked_addresses": throttle.locked_addresses()}
    return render(request, "accounts/people.html", context, status=status)


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def people_view(request: HttpRequest) -> HttpResponse:
    """Administrators: everyone with an account, and a form to add a person."""
    me = _admin(request)
    if request.method != "POST":
        return _people_page(request, NewUserForm())
    form = NewUserForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            user = services.create_user(
                actor=me,
                username=d["username"],
                role=d["role"],
                password=d["password"],
                organisation=d["organisation"],
                team=d["team"],
                first_name=d["first_name"],
                last_name=d["last_name"],
                email=d["email"],
            )
        except WorkflowError as exc:
            field = getattr(exc, "field", "")
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            messages.success(request, f"{user.username} added as {user.get_role_display().lower()}.")
            return redirect("accounts:people")
    return _people_page(request, form, status=400)


def _site(request: HttpRequest) -> str:
    # Scheme and host of this request, for the mailed link (ALLOWED_HOSTS has vetted the host).
    return request.build_absolute_uri("/").rstrip("/")


def _person_page(request: HttpRequest, person: User, form: EditUserForm, status: int = 200) -> HttpResponse:
    context = {
        "person": person,
        "form": form,
        "locked_out": throttle.is_locked_out_anywhere(person.username),
        "has_second_factor": second_factor.confirmed_device(person) is not None,
        "is_me": person.pk == _me(request).pk,
    }
    return render(request, "accounts/person.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: one person's account; change their role, team and organisation."""
    me = _admin(request)
    person = get_object_or_404(User.objects.select_related("organisation", "team"), pk=pk)
    if request.method != "POST":
        org = person.organisation
        initial: dict[str, object] = {
            "role": person.role,
            "team": person.team,
            # The authority is not among the form's choices: staff show "None (authority staff)".
            "organisation": org if org and org.kind == org.Kind.EXPORTER else None,
        }
        return _person_page(request, person, EditUserForm(initial=initial))
    form = EditUserForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.set_role(
                actor=me, user=person, role=d["role"], team=d["team"], organisation=d["organisation"]
            )
        except WorkflowError as exc:
            field = getattr(exc, "field", "")
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            messages.success(request, f"{person.username} is now {person.get_role_display().lower()}.")
            return redirect("accounts:person", pk=person.pk)
    person.refresh_from_db()
    return _person_page(request, person, form, status=400)


def _person_action(request: HttpRequest, pk: int, act: Callable[[User, User], str]) -> HttpResponse:
    """Run one administrator's action on a person; its refusal or its success as a message on their page."""
    me = _admin(request)
    person = get_object_or_404(User, pk=pk)
    try:
        done = act(me, person)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("accounts:person", pk=person.pk)


@login_required
@require_POST
def deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(me: User, person: User) -> str:
        services.deactivate_user(actor=me, user=person)
        return f"{person.username} deactivated: they can no longer sign in or use API tokens."

    return _person_action(request, pk, act)


@login_required
@require_POST
def reactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(me: User, person: User) -> str:
        services.reactivate_user(actor=me, user=person)
        return f"{person.username} reactivated: they can sign in again (their old API tokens stay revoked)."

    return _person_action(request, pk, act)


@login_required
@require_POST
def unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(me: User, person: User) -> str:
        cleared = throttle.unlock(actor=me, user=person)
        return f"{person.username}: {cleared} failed sign-in(s) forgotten; they can sign in again."

    return _person_action(request, pk, act)


@login_required
@require_POST
def unlock_address_view(request: HttpRequest) -> HttpResponse:
    """Lift one client address's lock-out (the people page's list); a malformed address is a 400 page."""
    me = _admin(request)
    address = throttle.normalise_address(request.POST.get("address", ""))
    cleared = throttle.unlock_address(actor=me, address=address)
    if cleared:
        messages.success(
            request, f"{address}: {cleared} recent failed sign-in(s) forgotten; it can sign in again."
        )
    else:
        messages.info(request, f"{address} had no recent failed sign-ins; nothing changed.")
    return redirect("accounts:people")


@login_required
@require_POST
def send_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(me: User, person: User) -> str:
        passwords.send_reset_link(actor=me, user=person, site=_site(request))
        return f"A link to set a new password was sent to {person.username} at {person.email}."

    return _person_action(request, pk, act)
