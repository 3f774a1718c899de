"""Ratings checked against the control list in force: the intake's check that every goods line names an
entry that exists (warden.rules.control_list decides; this module finds the live list).

The live list is the current reference revision's control list. A revision stored before the dual-use list
was data (no `dual_use` section) is checked against the bundled list instead, rather than refusing every
dual-use rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import DatabaseError

from warden.rules.control_list import rating_problem
from warden.rules.reference import Reference


def _bundled() -> Reference:
    from warden.legislation import services

    ref = services._REFERENCES.get("bundled")
    if ref is None:
        from warden.legislation.loader import bundled_reference

        ref = services._REFERENCES["bundled"] = bundled_reference()
    return ref


def live_reference() -> Reference:
    """The current revision's snapshot, fetched by digest first so that an indexed revision costs one
    small query; the bundled data when there is no revision (or no database yet)."""
    from warden.legislation import services
    from warden.legislation.models import ReferenceRevision

    try:
        head = ReferenceRevision.objects.only("digest").order_by("-number").first()
        if head is None:
            return _bundled()
        ref = services._REFERENCES.get(head.digest)
        if ref is None:
            ref = services.reference_for(ReferenceRevision.objects.get(pk=head.pk))
    except DatabaseError:
        return _bundled()
    return ref if "dual_use" in ref.bundle.get("control_list", {}) else _bundled()


def rating_errors(doc: dict[str, Any], on: dt.date, ref: Reference | None = None) -> list[tuple[str, str]]:
    """(JSON pointer, message) for every goods line whose rating is not on the list in force on `on`."""
    reference = ref or live_reference()
    out = []
    for i, line in enumerate(doc.get("goods") or []):
        problem = rating_problem(reference, str(line.get("rating", "")), on)
        if problem:
            out.append((f"/goods/{i}/rating", problem))
    return out
