"""The production URL map plus one page that raises the kernel error named in its URL, so that the UI's
mapping (warden.web.errors) is tested through the whole middleware stack, as a person meets it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from warden.config.urls import urlpatterns as production
from warden.lib.errors import Conflict, Forbidden, InvalidInput, NotFound, WardenError

KINDS: dict[str, type[WardenError]] = {
    "invalid": InvalidInput,
    "forbidden": Forbidden,
    "conflict": Conflict,
    "not-found": NotFound,
}


def refuse(request: HttpRequest, kind: str) -> HttpResponse:
    raise KINDS[kind](f"refused as {kind}", where="quantity")


urlpatterns: list[URLPattern | URLResolver] = [path("_refuse/<str:kind>/", refuse), *production]
