"""Errors that are the data's fault, not the code's: shown to the person as what is wrong and who can fix it,
never as a 500. Today: the bank-holiday calendar has run out (warden.lib.workdays.CalendarDataEnded)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from warden.lib.workdays import CalendarDataEnded


class DataErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, CalendarDataEnded):
            # 503: the service cannot answer until an administrator updates the data; nothing was changed
            # (the request's transaction rolled back with the exception).
            return render(request, "calendar_ended.html", {"message": str(exception)}, status=503)
        return None
