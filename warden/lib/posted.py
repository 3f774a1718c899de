"""Reading a posted form field the views parse by hand (outside a Django form)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from warden.lib.errors import InvalidInput


def posted_date(request: HttpRequest, name: str) -> dt.date | None:
    """The ISO date posted as `name`, None when empty; a clear InvalidInput naming the field otherwise."""
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"{name.replace('_', ' ').capitalize()}: {raw!r} is not a date", field=name
        ) from None
