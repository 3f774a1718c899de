"""A bare Django page for bench/load.py: it renders the same number of case rows as the queue page, with
nothing else (no permissions, filters, deadlines or layout), so the queue page's cost can be compared with
the floor of "Django + template + one query" measured in the same run. Mounted only by warden.config.bench_urls,
the ROOT_URLCONF when WARDEN_BENCH=1."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines

from warden.cases.models import Case

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html><body><table>{% for c in rows %}<tr><td>{{ c.reference }}</td><td>{{ c.status }}</td>"
    "<td>{{ c.destination }}</td><td>{{ c.licence_type }}</td><td>{{ c.sla_deadline }}</td></tr>{% endfor %}"
    "</table></body></html>"
)


def bare_rows(request: HttpRequest) -> HttpResponse:
    rows = Case.objects.order_by("-id").only(
        "reference", "status", "destination", "licence_type", "sla_deadline"
    )[:50]
    return HttpResponse(_TEMPLATE.render({"rows": rows}))
