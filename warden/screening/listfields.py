"""Field readers shared by the list importers: dates of birth (exact, partial, approximate and ranges),
"not available" placeholders, and the name and identifier records kept in an entry's data. No Django.

Dates of birth are kept as the lists give them, written in ISO 8601 / EDTF (ISO 8601-2) so that one
string says how precise the list was: "1964-07-17", "1970-05", "1984", an approximate year "1968~" and a
range "1965/1969" (the UN list's BETWEEN FROM_YEAR/TO_YEAR). The matcher reads the same strings
(matcher/evidence.py, date_bounds), so a range stays a range all the way to the score.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

# What lists write when a value is not known. "na" in a free-text country field (UN, UK) means "not
# available", not Namibia; in fields that hold ISO codes (EU, FtM, CSL) "NA" is Namibia and stays.
PLACEHOLDERS = frozenset(
    {
        "na",
        "n/a",
        "n.a.",
        "n.a",
        "n. a.",
        "not available",
        "not known",
        "unknown",
        "not applicable",
        "none",
        "nil",
        "-",
        "--",
        "?",
        "00",
    }
)


def is_placeholder(value: str | None, *, code_field: bool = False) -> bool:
    """True for an empty value or one that says "not available"."""
    v = " ".join(str(value or "").split()).casefold()
    if not v:
        return True
    if code_field and v == "na":
        return False
    return v in PLACEHOLDERS


# ------------------------------------------------------------------------------------------ dates

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:.]+Z?)?$")
# dd/mm/yyyy with unknown parts written 00, dd, mm or xx (UK list: "00/00/1970", "00/05/1970",
# "dd/mm/1945"); also dd.mm.yyyy.
_DMY = re.compile(r"^(\d{1,2}|00|dd|xx)[/.](\d{1,2}|00|mm|xx)[/.](\d{4})$", re.IGNORECASE)
_MY = re.compile(r"^(\d{1,2}|00|mm|xx)[/.](\d{4})$", re.IGNORECASE)
_EDTF = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(~)?$")


def _valid(y: int, m: int | None, d: int | None) -> bool:
    if not (1800 <= y <= 2100 and (m is None or 1 <= m <= 12)):
        return False
    if d is None:
        return True
    try:
        datetime.date(y, m or 1, d)
    except ValueError:
        return False
    return True


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _num(part: str) -> int | None:
    return int(part) if part.isdigit() and int(part) != 0 else None


def read_date(raw: str | None) -> str | None:
    """One date as ISO 8601 at the precision given ("1970", "1970-05", "1970-05-02"), or None if it
    cannot be read. Empty input is not unreadable: callers check for that first."""
    text = " ".join(str(raw or "").split())
    if m := _ISO.match(text):
        y, mo, d = int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3))
        if mo == 0:
            mo, d = None, None
        if d == 0:
            d = None
        if _valid(y, mo or None, d or None):
            return _fmt(y, mo or None, d or None)
        return None
    if m := _DMY.match(text):
        d, mo, y = _num(m.group(1)), _num(m.group(2)), int(m.group(3))
        if mo is None:
            d = None  # a day without a month says nothing
        return _fmt(y, mo, d) if _valid(y, mo, d) else None
    if m := _MY.match(text):
        mo, y = _num(m.group(1)), int(m.group(2))
        return _fmt(y, mo) if _valid(y, mo, None) else None
    return None


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
# "14 Mar 1968", "Mar 1968", "March 14, 1968" (OFAC and CSL write dates this way).
_WORDY = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?(?:\s+(\d{1,2}),?)?\s+(\d{4})$")
_RANGE = re.compile(r"^(?:between\s+|from\s+)?(.+?)\s*(?:\bto\b|\band\b|-|–|/)\s*(\d{4}.*)$", re.IGNORECASE)
_ABOUT = re.compile(
    r"^(?:circa|ca\.?|c\.|approx(?:imately|\.)?|about|around)\s*(\d{4})$|^(\d{4})\s*~$", re.IGNORECASE
)


def read_dob(raw: str | None) -> str | None:
    """A date of birth as lists write it, as ISO 8601 / EDTF: a date at the precision given, a range
    ("1960 to 1961", "between 1960 and 1965", "1962-1965" -> "1960/1961"...), or an approximate year
    ("circa 1960", "approximately 1960" -> "1960~"). None if it cannot be read."""
    text = " ".join(str(raw or "").split())
    if (iso := read_date(text)) is not None:
        return iso
    if m := _ABOUT.match(text):
        return approximate(m.group(1) or m.group(2))
    if m := _WORDY.match(text):
        day, month, day2, year = m.groups()
        mo = _MONTHS.get(month.lower())
        d = int(day or day2) if (day or day2) else None
        if mo and _valid(int(year), mo, d):
            return _fmt(int(year), mo, d)
        return None
    if m := _RANGE.match(text):
        a, b = read_dob(m.group(1)), read_dob(m.group(2))
        if a and b and "/" not in a + b and "~" not in a + b:
            return f"{a}/{b}" if a <= b else f"{b}/{a}"
    return None


def approximate(year: str) -> str | None:
    y = read_date(year)
    return f"{y}~" if y else None


def between(start: str, end: str) -> str | None:
    a, b = read_date(start), read_date(end)
    if not a or not b:
        return None
    return f"{a}/{b}" if a <= b else f"{b}/{a}"


def birth_record(edtf: str) -> dict[str, Any]:
    """The structured form of a date string kept in `birth_dates`: earliest and latest as given."""
    if "/" in edtf:
        lo, hi = edtf.split("/", 1)
        return {"date": edtf, "from": lo, "to": hi, "kind": "range"}
    if edtf.endswith("~"):
        y = int(edtf[:4])
        return {"date": edtf, "from": f"{y - 1:04d}", "to": f"{y + 1:04d}", "kind": "approximate"}
    kind = "exact" if len(edtf) == 10 else "partial"
    return {"date": edtf, "from": edtf, "to": edtf, "kind": kind}


def is_edtf(value: str) -> bool:
    parts = value.split("/")
    return 1 <= len(parts) <= 2 and all(_EDTF.match(p) for p in parts)


# ------------------------------------------------------------------------------------------ names


def name_record(name: str, kind: str, *, weak: bool = False, quality: str = "") -> dict[str, Any]:
    """One name as the list gives it. `kind`: primary | alias | former | original_script. `weak` is the
    list's own mark (UN QUALITY "Low", UK AliasStrength "Low quality", EU strong="false", FtM
    weakAlias); the matcher scores weak names as weak."""
    rec: dict[str, Any] = {"name": name, "type": kind, "weak": weak}
    if quality:
        rec["quality"] = quality
    return rec


def is_weak_quality(quality: str | None) -> bool:
    q = (quality or "").casefold()
    return "low" in q or "weak" in q


# ------------------------------------------------------------------------------------ identifiers

# "Afghan national identification card (tazkira) number 44323": a number given only in the text.
_NUMBER_IN_TEXT = re.compile(r"\b(?:number|no\.?|nr\.?)\s*:?\s*([A-Z]{0,3}\s?\d[\dA-Z/-]*)", re.IGNORECASE)


def number_in_text(text: str) -> str:
    m = _NUMBER_IN_TEXT.search(text or "")
    return m.group(1).strip() if m else ""


def identifier(type_: str, number: str, country: str = "", **extra: str | None) -> dict[str, str]:
    """An identity document or registration record. Kept without a number too (type, country and the
    list's note are facts about the party); the matcher only indexes records with a number."""
    rec = {
        "type": " ".join((type_ or "").split()),
        "number": " ".join((number or "").split()),
        "country": " ".join((country or "").split()),
    }
    for key, value in extra.items():
        v = " ".join(str(value or "").split())
        if v:
            rec[key] = v
    return rec
