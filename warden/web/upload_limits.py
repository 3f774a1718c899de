"""Refuse an over-limit request body before reading it (issue 14).

Without this, Django reads an uploaded file to the end (to memory, then a temporary file) before the form
can say it is too big: a 64 MiB upload cost the worker 66 MiB and the time to receive it. The declared
Content-Length is checked first, and the body is never read when it is over settings.REQUEST_MAX_BYTES
(the largest document plus room for the form fields). Under WSGI a body without Content-Length is read as
empty, so the declared length is the whole of what a request can send.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

Handler = Callable[[HttpRequest], HttpResponse]


def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return _refuse(
                request, 400, f"The Content-Length header {declared[:40]!r} is not a number of bytes."
            )
        if length < 0:
            return _refuse(request, 400, "The Content-Length header is negative.")
        limit: int = settings.REQUEST_MAX_BYTES
        if length > limit:
            request.META["CONTENT_LENGTH"] = "0"  # nothing below reads the body, not even CSRF's POST check
            return _refuse(
                request,
                413,
                f"The request is {length:,} bytes; the limit is {limit:,} bytes "
                f"(documents up to {settings.DOCUMENT_MAX_BYTES:,} bytes). Nothing was stored.",
            )
        return self.get_response(request)
