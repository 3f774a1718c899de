"""Sign in and sign out, and the signed-in person's own API tokens. Everything else in the UI requires a
signed-in user (login_required)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from warden.accounts import policy, services
from warden.accounts.forms import ApiTokenForm, LoginForm, NewUserForm
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
            login(request, form.get_user())
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


def _tokens_page(
    request: HttpRequest, form: ApiTokenForm, new_token: str = "", status: int = 200
) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=_me(request)).order_by("revoked_at", "-created_at")
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=status,
    )
    return response


@login_required
@never_cache  # the page that shows a new token once must not be kept by the browser or a proxy
@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    """List, create (the token is shown once, on this response only: it is never stored) and revoke."""
    if request.method != "POST":
        return _tokens_page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form, status=400)
    try:
        me = _me(request)
        _row, token = services.create_api_token(actor=me, user=me, name=form.cleaned_data["name"])
    except WorkflowError as exc:
        form.add_error("name", str(exc))
        return _tokens_page(request, form, status=400)
    return _tokens_page(request, ApiTokenForm(), new_token=token)


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
    return render(request, "accounts/people.html", {"form": form, "people": people}, status=status)


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


@login_required
@require_POST
def deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _admin(request)
    person = get_object_or_404(User, pk=pk)
    try:
        services.deactivate_user(actor=me, user=person)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{person.username} deactivated: they can no longer sign in or use API tokens."
        )
    return redirect("accounts:people")
