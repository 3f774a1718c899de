"""Evidence beside the name: dates of birth (as precise as each side gives them, ranges and approximate
years included), identifiers, and what each piece of evidence adds to or takes from a name's score.

The index (index.py) adds it after the aligner has scored the names; EVIDENCE, the most it can add, lets
the index skip candidates whose name score cannot reach the threshold even with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def norm_identifier(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def parse_date(value: str) -> tuple[int, int | None, int | None] | None:
    m = _DATE.search(value or "")
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None, int(m.group(3)) if m.group(3) else None


_Day = tuple[int, int, int]
_EDTF_PART = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(~)?$")


def _part_bounds(value: str) -> tuple[_Day, _Day] | None:
    m = _EDTF_PART.match(value.strip())
    if not m:
        return None
    y = int(m.group(1))
    if m.group(4):  # "1968~": approximately, taken as the year either side
        return (y - 1, 1, 1), (y + 1, 12, 31)
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    if mo is None:
        return (y, 1, 1), (y, 12, 31)
    if d is None:
        return (y, mo, 1), (y, mo, 31)
    return (y, mo, d), (y, mo, d)


def date_bounds(value: str | None) -> tuple[_Day, _Day] | None:
    """The earliest and latest day a date of birth allows: "1964-07-17", "1970-05" and "1984" (as
    precise as given), "1968~" (approximately: the year either side) and "1965/1969" (a range, as the
    UN list's BETWEEN FROM_YEAR / TO_YEAR is stored). Any other text: the first date in it, as before."""
    text = (value or "").strip()
    if not text:
        return None
    if "/" in text:
        start, _, end = text.partition("/")
        lo, hi = _part_bounds(start), _part_bounds(end)
        if lo and hi:
            return min(lo[0], hi[0]), max(lo[1], hi[1])
    elif bounds := _part_bounds(text):
        return bounds
    p = parse_date(text)
    if p is None:
        return None
    return _part_bounds("-".join(str(x) for x in p if x is not None))


def dob_evidence(query: str | None, entry_dobs: Iterable[str]) -> str | None:
    """'match' (the query's date lies within what a listed date allows, as precise as both give: inside
    a listed range is supporting evidence), 'close' (within a year of it: lists and applicants round
    and mistype years), 'mismatch' (further: contrary evidence, also outside a range), or None when
    either side has no date."""
    q = date_bounds(query)
    if q is None:
        return None
    best: str | None = None
    for raw in entry_dobs:
        e = date_bounds(raw)
        if e is None:
            continue
        if e[0] <= q[1] and q[0] <= e[1]:
            return "match"
        year_gap = max(e[0][0] - q[1][0], q[0][0] - e[1][0])
        if year_gap <= 1:
            best = "close"
        elif best is None:
            best = "mismatch"
    return best


DOB_ADJUST = {"match": 0.05, "close": 0.0, "mismatch": -0.15, None: 0.0}
COUNTRY_ADJUST = {"match": 0.03, "mismatch": -0.03, None: 0.0}
# The most that evidence can add to a name score: a name below threshold - EVIDENCE cannot alert.
EVIDENCE = max(DOB_ADJUST.values()) + max(COUNTRY_ADJUST.values())
