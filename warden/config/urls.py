"""URL map. Each domain app owns its `urls.py` (HTML) and `api.py` (REST, mounted on one NinjaAPI)."""

from django.urls import include, path

from warden.config.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("warden.accounts.urls")),
    path("", include("warden.web.urls")),
    path("cases/", include("warden.cases.urls")),
    path("licences/", include("warden.licences.urls")),
    path("audit/", include("warden.audit.urls")),
    path("legislation/", include("warden.legislation.urls")),
    path("screening/", include("warden.screening.urls")),
]
