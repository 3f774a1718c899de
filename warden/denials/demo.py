"""The demo's partner denial: a constructed French notification essentially identical to one open demo case,
imported through the real service, so the demo shows a flagged case and the partner-liaison officer's work.
Constructed data: no real state's denial."""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import QuerySet

from warden.accounts.actors import Actor
from warden.accounts.services import our_state
from warden.cases.models import OPEN_STATUSES, Case, PartyRole
from warden.denials import exchange, services
from warden.denials.models import Denial
from warden.lib import clock

STATE, REFERENCE = "FR", "FR-DN-DEMO-0001"


def ensure_demo_denial(*, actor: Actor, cases: QuerySet[Case]) -> str | None:
    """Import the demo notification once, modelled on the first open case of `cases` with an end user; the
    references of the cases it flags, or None (already there, or no open case to model it on)."""
    if Denial.objects.filter(issuing_state=STATE, reference=REFERENCE).exists():
        return None
    for case in cases.filter(status__in=OPEN_STATUSES).prefetch_related("goods", "parties").order_by("pk"):
        end_user = next((p for p in case.parties.all() if p.role == PartyRole.END_USER), None)
        goods = list(case.goods.all())
        if end_user is None or not goods or case.destination == our_state():
            continue
        day = clock.today() - dt.timedelta(days=200)
        doc = {
            "format": "warden.denial/1",
            "issuing_state": STATE,
            "denials": [
                {
                    "issuing_state": STATE,
                    "reference": REFERENCE,
                    "date": day.isoformat(),
                    "destination": case.destination,
                    "goods": [{"rating": goods[0].rating, "description": goods[0].description}],
                    "end_user": {"name": end_user.name, "country": end_user.country or case.destination},
                    "end_use": case.end_use,
                    "criteria": ["EU-CP:7"],
                    "reason": "Demo notification (constructed): risk of diversion to an unauthorised end user.",
                    "revoked": False,
                }
            ],
        }
        try:
            result = services.import_denials(
                actor=actor,
                issuing_state=STATE,
                data=json.dumps(doc).encode(),
                fmt="json",
                filename="demo-fr-denials.json",
            )
        except exchange.DenialFormatError:
            continue  # a demo rating outside the exchange format's forms: model it on another case
        return ", ".join(result.flagged) or None
    return None
