"""Errors shown to the person as what is wrong and who can fix it, never as a 500: the one place the UI maps
them (the API's is warden.config.api, the command line's warden.cli).

- A refusal by a domain (warden.lib.errors): its page and status (InvalidInput 400, Forbidden 403,
  Conflict 409, NotFound 404), with the message. A view catches one itself only to do better: show it on
  the form the person is filling in.
- Data that has run out (the bank-holiday calendar, warden.lib.workdays.CalendarDataEnded): 503.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from warden.lib.errors import Conflict, Forbidden, InvalidInput, NotFound, WardenError
from warden.lib.workdays import CalendarDataEnded

# kind -> (status, page heading); the 403 and 404 pages are the site's own.
PAGES: tuple[tuple[type[WardenError], int, str], ...] = (
    (InvalidInput, 400, "That cannot be done as asked"),
    (Forbidden, 403, ""),
    (Conflict, 409, "That cannot be done now"),
    (NotFound, 404, ""),
)


def refusal_page(request: HttpRequest, exc: WardenError) -> HttpResponse:
    status, heading = next(
        ((status, heading) for kind, status, heading in PAGES if isinstance(exc, kind)),
        (400, "That cannot be done as asked"),
    )
    if status == 403:
        return render(request, "403.html", {"exception": str(exc)}, status=403)
    if status == 404:
        return render(request, "404.html", {}, status=404)
    # Back to the page the request came from, when that is one of ours (a form's page, for a POST).
    referer = request.headers.get("referer", "")
    back = (
        referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()) else ""
    )
    context = {"heading": heading, "message": str(exc), "where": exc.where, "back": back}
    return render(request, "refused.html", context, status=status)


class DataErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # The request's transaction (the service's atomic block) rolled back with the exception, so in
        # both cases nothing was changed.
        if isinstance(exception, WardenError):
            return refusal_page(request, exception)
        if isinstance(exception, CalendarDataEnded):
            # 503: the service cannot answer until an administrator updates the data.
            return render(request, "calendar_ended.html", {"message": str(exception)}, status=503)
        return None
