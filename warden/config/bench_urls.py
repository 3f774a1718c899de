"""The benchmark server's URL map: the production map plus the bare comparison page (bench_views.py).

Selected as ROOT_URLCONF by settings only when WARDEN_BENCH=1 (bench/load.py sets it for the server it
starts); the production map (warden.config.urls) never includes it."""

from django.urls import URLPattern, URLResolver, path

from warden.config.bench_views import bare_rows
from warden.config.urls import urlpatterns as production

urlpatterns: list[URLPattern | URLResolver] = [*production, path("_bench/bare/", bare_rows)]
