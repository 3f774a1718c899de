"""The inbox: a person's notifications (unread first), read marks, the e-mail preference, and the law-change
bulletins with their acknowledgement; the policy officer and oversight see who has acknowledged each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from warden.accounts.actors import signed_in
from warden.accounts.models import Role
from warden.inbox import bulletins, services
from warden.inbox.mail import mode_of
from warden.inbox.models import Bulletin, BulletinRecipient, MailMode, Notification
from warden.lib.errors import InvalidInput

TRACKERS = frozenset({Role.POLICY_OFFICER, Role.OVERSIGHT, Role.SENIOR_OFFICER})


@login_required
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    services.catch_up()
    user = signed_in(request)
    qs = Notification.objects.filter(user=user).order_by("read_at", "-created_at", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    pending = BulletinRecipient.objects.filter(user=user, acknowledged_at__isnull=True).select_related(
        "bulletin"
    )
    return render(
        request,
        "inbox/inbox.html",
        {"page": page, "pending": list(pending), "mode": mode_of(user), "modes": MailMode.choices},
    )


@login_required
@require_POST
def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read, then go where the notification points (only ever a path on this site)."""
    n = services.mark_read(user=signed_in(request), pk=pk)
    target = n.url if n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts=None) else "/inbox/"
    return redirect(target)


@login_required
@require_POST
def read_all_view(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=signed_in(request))
    messages.success(request, f"{count} notification(s) marked read.")
    return redirect("inbox:inbox")


@login_required
@require_POST
def mail_view(request: HttpRequest) -> HttpResponse:
    try:
        pref = services.set_mail_mode(user=signed_in(request), mode=request.POST.get("mode", ""))
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("inbox:inbox")
    messages.success(request, f"E-mail: {pref.get_mode_display().lower()}.")
    return redirect("inbox:inbox")


def _bulletin(request: HttpRequest, pk: int) -> tuple[Bulletin, BulletinRecipient | None]:
    bulletin = get_object_or_404(Bulletin, pk=pk)
    mine = BulletinRecipient.objects.filter(bulletin=bulletin, user=signed_in(request)).first()
    if mine is None and getattr(request.user, "role", None) not in TRACKERS:
        raise Http404("No such bulletin for you")
    return bulletin, mine


@login_required
@require_GET
def bulletin_view(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin, mine = _bulletin(request, pk)
    tracking = None
    if getattr(request.user, "role", None) in TRACKERS:
        tracking = list(
            bulletin.recipients.select_related("user", "user__organisation").order_by("user__username")
        )
    return render(request, "inbox/bulletin.html", {"b": bulletin, "mine": mine, "tracking": tracking})


@login_required
@require_POST
def acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin, _ = _bulletin(request, pk)
    bulletins.acknowledge(user=signed_in(request), bulletin=bulletin)
    messages.success(request, "Acknowledged.")
    return redirect("inbox:bulletin", bulletin.pk)
