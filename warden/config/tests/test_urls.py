"""The production URL map has no benchmark routes, whatever the environment; only the bench URLconf does."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, resolve

ROOT = Path(__file__).resolve().parents[3]


def _routes(patterns: Iterable[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    out: list[str] = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out += _routes(p.url_patterns, route)
        else:
            out.append(route)
    return out


def test_the_production_url_map_has_no_bench_route_even_with_warden_bench_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WARDEN_BENCH", "1")
    import warden.config.urls as production

    importlib.reload(production)  # as if first imported with the variable set
    assert not [r for r in _routes(production.urlpatterns) if "_bench" in r]
    with pytest.raises(Resolver404):
        resolve("/_bench/bare/", urlconf="warden.config.urls")


def test_settings_defaults_serve_the_production_map() -> None:
    env = {k: v for k, v in os.environ.items() if k != "WARDEN_BENCH"}
    env["DJANGO_SETTINGS_MODULE"] = "warden.config.settings"
    code = "import django; django.setup(); from django.conf import settings; print(settings.ROOT_URLCONF)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "warden.config.urls"


def test_the_bench_url_map_is_the_production_map_plus_the_bare_page() -> None:
    import warden.config.bench_urls as bench
    import warden.config.urls as production

    assert resolve("/_bench/bare/", urlconf="warden.config.bench_urls").func.__name__ == "bare_rows"
    assert set(_routes(bench.urlpatterns)) - set(_routes(production.urlpatterns)) == {"_bench/bare/"}
