"""Does a rating exist? A rating names an entry of the control list in force on a date, optionally with
sub-items. Pure: reads the reference snapshot only.

The rule (the data holds each list down to the level it records):
- The entry must be on the list on that date: a military list category ML1..ML22, an Annex I dual-use entry
  (5A002, 1C350), or a national entry (PL5001).
- Its first-level sub-item must be one the entry lists (`items`: ML22 has a and b, so ML22.z does not
  exist); an entry that says it has no sub-items (`sub_items: false`, or ML16 with no items) takes none; a
  dual-use entry whose sub-item letters are not recorded accepts any well-formed one.
- Deeper levels alternate number and letter, as the lists number them (ML8.c.4, 3A001.b.1.a); they are
  not recorded in the data, so only their form is checked.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from warden.rules.reference import Reference

_FORMS = (
    ("military", re.compile(r"^ML(\d{1,2})((?:\.[a-z0-9]+)*)$")),
    ("dual_use", re.compile(r"^(\d[A-E]\d{3})((?:\.[a-z0-9]+)*)$")),
    ("national", re.compile(r"^([A-Z]{2,4}\d{3,4})((?:\.[a-z0-9]+)*)$")),
)
_LETTER = re.compile(r"^[a-z]$")
_NUMBER = re.compile(r"^[1-9]\d?$")


def _levels_problem(code: str, levels: list[str]) -> str | None:
    for prev, level in zip(levels, levels[1:], strict=False):
        if not (_LETTER.match(level) or _NUMBER.match(level)):
            return f"{code}: {level!r} is not a sub-item (a letter a-z or a number 1-99)"
        if bool(_LETTER.match(prev)) == bool(_LETTER.match(level)):
            return f"{code}: sub-item levels alternate letters and numbers (as in 3A001.b.1.a)"
    return None


def _first_level_problem(code: str, entry_id: str, entry: dict[str, Any], first: str) -> str | None:
    items = entry.get("items")
    if isinstance(items, dict):
        items = list(items)
    if items is not None and not items or entry.get("sub_items") is False:
        return f"{code} does not exist: {entry_id} has no sub-items"
    if items:
        if first not in [str(i) for i in items]:
            listed = ", ".join(str(i) for i in items)
            return f"{code} does not exist: {entry_id} has sub-items {listed} only"
        return None
    if not (_LETTER.match(first) or _NUMBER.match(first)):
        return f"{code}: {first!r} is not a sub-item (a letter a-z or a number 1-99)"
    return None


def _in_force(entry: dict[str, Any], on: dt.date) -> str | None:
    """Only an entry's own dates count: an entry added by a later edition (3A501, from 15 Nov 2025) does
    not exist before it, and a deleted one not after. The list-wide start dates (the Wassenaar list of 1996,
    the first EU list of 2000) are where the data begins, not when the numbering began (COCOM and the
    earlier EU lists used it), so they do not refuse a rating assessed as of an earlier day."""
    start = entry.get("effective_from") if entry.get("dated_entry", True) else None
    until = entry.get("effective_until")
    if start and on.isoformat() < str(start):
        return f"only from {start}"
    if until and on.isoformat() >= str(until):
        return f"only until {until}"
    return None


def rating_problem(ref: Reference, code: str, on: dt.date) -> str | None:
    """Why `code` is not a rating on the control list in force on `on`, or None when it is one."""
    found = next(((kind, m) for kind, form in _FORMS if (m := form.match(code))), None)
    if found is None:
        return f"{code!r} is not a control-list rating (ML1..ML22, a dual-use entry such as 5A002, or PL5001)"
    kind, m = found
    head, rest = m.group(1), m.group(2)
    levels = rest.split(".")[1:] if rest else []
    lists = ref.control_lists
    if kind == "military":
        entry_id = f"ML{int(head)}"
        category = ref.military.get(int(head))
        # The categories' effective_from is the Wassenaar list's start, not ML numbering's (see _in_force).
        entry = {**category, "dated_entry": False} if category else None
        where = "the EU Common Military List"
    elif kind == "dual_use":
        entry_id, entry = head, ref.dual_use_entries.get(head)
        where = f"Annex I to Regulation (EU) 2021/821 ({lists.get('edition', 'dual-use list')})"
    else:
        entry_id, entry = head, ref.national_entries.get(head)
        where = "the national control list"
    if entry is None:
        return f"{code} is not on the control list: {where} has no entry {entry_id}"
    timing = _in_force(entry, on)
    if timing is not None:
        return f"{code} is not on the control list in force on {on.isoformat()}: {entry_id} applies {timing}"
    if not levels:
        return None
    return _first_level_problem(code, entry_id, entry, levels[0]) or _levels_problem(code, levels)
