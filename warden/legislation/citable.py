"""The refusal criteria citable today: warden.legislation.criteria applied to the live reference revision.
Kept apart from criteria.py because the loader (below the services) checks ruleset files with that module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from warden.legislation.criteria import INSTRUMENT_CRITERIA, Criterion, citable
from warden.legislation.services import current_reference
from warden.lib.clock import today


def citable_now(on: dt.date | None = None) -> list[Criterion]:
    """The citable criteria of the live reference revision on `on` (today by default)."""
    _, ref = current_reference()
    return citable(ref, on or today())


def citable_map(on: dt.date | None = None) -> dict[str, str]:
    """{code: "code label"} of the citable criteria: what the services check against and the forms offer."""
    return {c.code: f"{c.code} {c.label}" for c in citable_now(on)}


def labels(codes: Sequence[str]) -> list[str]:
    """Stored codes as a reader sees them; a code no longer in force (a repealed national rule) as itself."""
    known = {c.code: f"{c.code} {c.label}" for c in INSTRUMENT_CRITERIA}
    if any(code not in known for code in codes):  # only a national code needs the live revision
        known.update(citable_map())
    return [known.get(code, code) for code in codes]
