"""The dashboard: every role lands on what needs its attention."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from warden.web import dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    template, context = dashboard.for_user(request.user)  # type: ignore[arg-type]
    return render(request, template, context)
