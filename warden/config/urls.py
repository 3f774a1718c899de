"""URL map. Each domain app owns its `urls.py` (HTML) and `api.py` (REST, mounted on one NinjaAPI).

The production map: nothing here depends on the environment. The benchmarks' extra pages live in
warden.config.bench_urls, which settings select as ROOT_URLCONF only when WARDEN_BENCH=1."""

from django.urls import URLPattern, URLResolver, include, path

from warden.config.api import api
from warden.oversight.urls import oversight_patterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", api.urls),
    path("", include("warden.accounts.urls")),
    path("", include("warden.web.urls")),
    path("cases/", include("warden.cases.urls")),
    path("licences/", include("warden.licences.urls")),
    path("audit/", include("warden.audit.urls")),
    path("legislation/", include("warden.legislation.urls")),
    path("screening/", include("warden.screening.urls")),
    path("denials/", include("warden.denials.urls")),
    path("catch-all/", include("warden.catchall.urls")),
    path("inbox/", include("warden.inbox.urls")),
    path("end-use/", include("warden.enduse.urls")),
    path("open-licences/", include("warden.ogl.urls")),
    path("region/", include("warden.region.urls")),
    path("reports/", include("warden.reports.urls")),
    # The public side (no login: /transparency/, /verify/) and the refusal letter download.
    path("", include("warden.transparency.urls")),
    path("", include("warden.oversight.urls")),
    path("oversight/", include((oversight_patterns, "oversight"))),
]
