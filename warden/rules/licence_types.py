"""What a licence's type adds to the assessment (after-licence.md §4): a temporary export must come back, and
a transit licence must name its route.

- Temporary: the application states a return date (warden.application/1 `temporary_export.return_by`). None
  stated is a risk (nothing to hold the exporter to); a date before the application, or more than twelve
  months on (the longest temporary licence, warden.licences.services.LICENCE_TERMS), is a risk too. A date
  within the term is a pass that names it, so the officer sees what the licence will demand.
- Transit: the goods pass through a country other than the destination, so at least one party (consignee,
  intermediary, broker) must be in such a country. Their countries are embargo-checked by embargoes.py; here
  a transit application naming no other country is a risk (the route is unknown).
"""

from __future__ import annotations

from warden.lib.months import add_months
from warden.rules.context import Ctx

TEMPORARY_MONTHS = 12


def check(ctx: Ctx) -> None:
    app = ctx.app
    if app.licence_type == "temporary":
        _temporary(ctx)
    elif app.licence_type == "transit":
        _transit(ctx)


def _temporary(ctx: Ctx) -> None:
    app = ctx.app
    start = app.submitted_on or ctx.on
    latest = add_months(start, TEMPORARY_MONTHS)
    if app.return_by is None:
        ctx.add(
            "licence_type.temporary_return",
            "application",
            "risk",
            "A temporary export states no return date: the licence could not require the goods to come back.",
        )
    elif app.return_by < start:
        ctx.add(
            "licence_type.temporary_return",
            "application",
            "risk",
            f"The return date {app.return_by} is before the application ({start}).",
        )
    elif app.return_by > latest:
        ctx.add(
            "licence_type.temporary_return",
            "application",
            "risk",
            f"The return date {app.return_by} is more than {TEMPORARY_MONTHS} months after {start} ({latest}), "
            "longer than a temporary licence runs: is this a permanent export?",
        )
    else:
        ctx.add(
            "licence_type.temporary_return",
            "application",
            "pass",
            f"The goods are to come back by {app.return_by}; the licence will require their return by then.",
        )


def _transit(ctx: Ctx) -> None:
    app = ctx.app
    route = sorted({p.country for p in app.parties if p.country and p.country != app.destination})
    if not route:
        ctx.add(
            "licence_type.transit_route",
            "application",
            "risk",
            f"A transit licence names no party outside the destination {app.destination}: the route the goods "
            "take, and so the countries whose embargoes apply, is unknown.",
        )
    else:
        ctx.add(
            "licence_type.transit_route",
            "application",
            "pass",
            f"The goods pass through {', '.join(route)}; each is checked against the arms embargoes.",
        )
