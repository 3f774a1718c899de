"""The one answer to "which version of a record applies on date D". Every caller uses it.

Convention (a breaking change if altered): `effective_from` is the first day a version applies and
`effective_until`, when set, is the first day it NO LONGER applies (exclusive). So an embargo "lifted on
2003-09-12" has `effective_until: 2003-09-12` and does not apply on that day, and the next version of the
same record starts on exactly the day the previous one ends: versions chain without gaps or overlaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar


class Dated(Protocol):
    @property
    def effective_from(self) -> dt.date: ...

    @property
    def effective_until(self) -> dt.date | None: ...


D = TypeVar("D", bound=Dated)


def applies_on(record: Dated, on: dt.date) -> bool:
    """True if `record` is in force on `on`.

    >>> from types import SimpleNamespace as R
    >>> r = R(effective_from=dt.date(2011, 2, 26), effective_until=dt.date(2012, 1, 1))
    >>> applies_on(r, dt.date(2011, 2, 25)), applies_on(r, dt.date(2011, 2, 26))
    (False, True)
    >>> applies_on(r, dt.date(2011, 12, 31)), applies_on(r, dt.date(2012, 1, 1))
    (True, False)
    >>> applies_on(R(effective_from=dt.date(2011, 2, 26), effective_until=None), dt.date(2099, 1, 1))
    True
    """
    return record.effective_from <= on and (record.effective_until is None or on < record.effective_until)


def version_at(versions: Sequence[D], on: dt.date) -> D | None:
    """The version of one record in force on `on`, or None (not yet in force, lapsed, or in a gap).
    `versions` need not be sorted; the loader guarantees they do not overlap.

    >>> from types import SimpleNamespace as R
    >>> v1 = R(name="UN 1992", effective_from=dt.date(1992, 3, 31), effective_until=dt.date(2003, 9, 12))
    >>> v2 = R(name="UN 2011", effective_from=dt.date(2011, 2, 26), effective_until=None)
    >>> [getattr(version_at([v2, v1], dt.date(y, 6, 1)), "name", None) for y in (1991, 1995, 2005, 2020)]
    [None, 'UN 1992', None, 'UN 2011']
    """
    for version in versions:
        if applies_on(version, on):
            return version
    return None


def in_force(records: Iterable[D], on: dt.date) -> list[D]:
    """Every record of `records` in force on `on`, in the given order.

    >>> from types import SimpleNamespace as R
    >>> rs = [R(effective_from=dt.date(2000, 1, 1), effective_until=None),
    ...       R(effective_from=dt.date(2030, 1, 1), effective_until=None)]
    >>> len(in_force(rs, dt.date(2026, 3, 1)))
    1
    """
    return [r for r in records if applies_on(r, on)]
