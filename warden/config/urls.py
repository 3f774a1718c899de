"""URL map. Each domain app owns its `urls.py` (HTML) and `api.py` (REST, mounted on one NinjaAPI)."""

import os

from django.urls import URLPattern, URLResolver, include, path

from warden.config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", api.urls),
    path("", include("warden.accounts.urls")),
    path("", include("warden.web.urls")),
    path("cases/", include("warden.cases.urls")),
    path("licences/", include("warden.licences.urls")),
    path("audit/", include("warden.audit.urls")),
    path("legislation/", include("warden.legislation.urls")),
    path("screening/", include("warden.screening.urls")),
]

if os.environ.get("WARDEN_BENCH") == "1":
    from warden.config.bench_views import bare_rows

    urlpatterns.append(path("_bench/bare/", bare_rows))
