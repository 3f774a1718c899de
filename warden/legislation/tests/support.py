"""Builders for the legislation app's database tests."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from warden.cases.models import Case, Status
from warden.flows import submission
from warden.legislation import services
from warden.legislation.loader import normalise, read_bundle, validate_bundle
from warden.legislation.models import ReferenceRevision, RevisionSource
from warden.lib import clock
from warden.lib.actors import system
from warden.licences.models import Licence
from warden.testing import Personas, sample_application


def application_to(dest: str, *, sector: str = "armed_forces", rating: str = "ML10.d") -> dict[str, Any]:
    doc = sample_application(destination=dest)
    doc["goods"][0]["rating"] = rating
    for p in doc["parties"]:
        p["country"] = dest
    doc["parties"][0]["sector"] = sector
    return doc


def submit_to(p: Personas, dest: str, **kw: Any) -> Case:
    return submission.submit_application(actor=p.exporter, document=application_to(dest, **kw))


def with_live_licence(p: Personas, case: Case) -> Licence:
    # Issuing goes through the whole workflow, which other apps test; here only the live licence matters.
    Case.objects.filter(pk=case.pk).update(status=Status.LICENCE_ISSUED)
    today = clock.today()
    return Licence.objects.create(
        case=case,
        number=f"LIC-{case.pk:06d}",
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
        issued_by=p.senior,
    )


def bundle_with_embargo(
    base: dict[str, Any], target: str, start: dt.date, *, eid: str = "un-test"
) -> dict[str, Any]:
    bundle = copy.deepcopy(base)
    bundle["embargoes"]["embargoes"].append(
        {
            "id": eid,
            "target": target,
            "body": "UN",
            "title": f"UN arms embargo on {target} (test)",
            "versions": [
                {
                    "effective_from": start.isoformat(),
                    "applies_to": "all",
                    "to_goods": ["arms"],
                    "citation": "UNSCR 9999 (2026)",
                }
            ],
        }
    )
    return bundle


def load_initial() -> ReferenceRevision:
    rev, _ = services.load_bundled(actor=system("test"))
    return rev


def load_embargo(target: str, start: dt.date) -> ReferenceRevision:
    base = normalise(read_bundle())
    rev, created = services.load_reference(
        actor=system("test"),
        bundle=bundle_with_embargo(base, target, start),
        source=RevisionSource.UPLOAD,
        note=f"new embargo on {target}",
    )
    assert created
    return rev


def errors_after(bundle: dict[str, Any], change: Any) -> list[str]:
    """The loader's validation errors for a copy of `bundle` changed by `change` (the bundle is untouched)."""
    b = copy.deepcopy(bundle)
    change(b)
    return validate_bundle(b)
