"""Refuse integers no database column can hold, in the path and the query string (issue 14).

One guard for the whole class instead of a check in every view: each `<int:...>` path converter and each
`int(request.GET[...])` would otherwise hand 2^63 and beyond to the ORM, and SQLite raises OverflowError,
PostgreSQL a DataError (a 500). A path segment of digits over the limit names no row: 404. A query value
of digits over the limit is bad input: 400 naming the parameter. Nothing below the guard runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from warden.lib.limits import MAX_DB_INT, MAX_DB_INT_DIGITS

Handler = Callable[[HttpRequest], HttpResponse]

_DIGITS = re.compile(r"[+-]?\d+")


def _too_big(text: str) -> bool:
    stripped = text.strip().lstrip("+-").lstrip("0")
    if not stripped.isdigit():
        return False
    return len(stripped) > MAX_DB_INT_DIGITS or int(stripped) > MAX_DB_INT


def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class HugeIntegerGuardMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for segment in request.path.split("/"):
            if _DIGITS.fullmatch(segment) and _too_big(segment):
                return _refuse(
                    request, 404, f"No record has the number {segment[:40]}… in {request.path[:80]!r}."
                )
        for name, values in request.GET.lists():
            for value in values:
                if _DIGITS.fullmatch(value.strip()) and _too_big(value):
                    return _refuse(
                        request,
                        400,
                        f"The query parameter {name[:40]!r} is {len(value.strip())} digits long; "
                        f"the largest number accepted is {MAX_DB_INT}. Nothing was changed.",
                    )
        return self.get_response(request)
