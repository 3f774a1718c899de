"""The control list's checks (control_list.yaml): the military list, the dual-use categories and groups, the
Annex I entries, national entries and the emerging-technology flags, each named when refused."""

from __future__ import annotations

import re
from typing import Any

from warden.legislation.checker import Checker, parse_date


def check_control_list(doc: dict[str, Any], c: Checker) -> None:
    for section in ("military", "dual_use_categories", "dual_use_groups", "emerging"):
        recs = doc.get(section) or []
        if section != "emerging" and not recs:
            c.err(section, "section missing or empty")
        c.unique(recs)
        for r in recs:
            c.dated(f"{section} record {r.get('id')!r}", r)
    for r in doc.get("military") or []:
        if not re.fullmatch(r"ML([1-9]|1[0-9]|2[0-2])", str(r.get("id"))):
            c.err(f"military record {r.get('id')!r}", "id must be ML1..ML22")
    for r in doc.get("emerging") or []:
        if not r.get("ratings"):
            c.err(f"emerging record {r.get('id')!r}", "ratings missing")
    _check_dual_use_list(doc, c)


DUAL_USE_ID = re.compile(r"^[0-9][A-E][0-9]{3}$")
SUB_ITEM = re.compile(r"^([a-z]|[1-9][0-9]?)$")


def _check_entry(c: Checker, where: str, r: Any, *, id_form: re.Pattern[str], need_dates: bool) -> None:
    if not isinstance(r, dict):
        c.err(where, "must be a mapping")
        return
    if not id_form.fullmatch(str(r.get("id", ""))):
        c.err(where, f"id {r.get('id')!r} is not of the form {id_form.pattern}")
    if not str(r.get("title") or "").strip():
        c.err(where, "title missing")
    items = r.get("items")
    if items is not None and (
        not isinstance(items, list) or not all(SUB_ITEM.fullmatch(str(i)) for i in items)
    ):
        c.err(where, f"items must be a list of first-level sub-items (letters a-z or numbers), got {items!r}")
    if "sub_items" in r and not isinstance(r["sub_items"], bool):
        c.err(where, "sub_items must be true or false")
    if items and r.get("sub_items") is False:
        c.err(where, "lists items but says sub_items: false")
    if need_dates or "effective_from" in r or "effective_until" in r:
        if "effective_from" in r or need_dates:
            c.dated(where, r, need_citation=need_dates)
        elif parse_date(r.get("effective_until")) is None:
            c.err(where, f"effective_until is not a date (got {r.get('effective_until')!r})")


def _check_dual_use_list(doc: dict[str, Any], c: Checker) -> None:
    """Annex I entries (optional sections, so an older bundle without them still loads): each entry names
    its category, group and serial in its id, and is dated by the list's entries_from unless it says."""
    entries = doc.get("dual_use")
    if entries is None:
        return
    header = doc.get("dual_use_list")
    if not isinstance(header, dict):
        c.err("dual_use_list", "section missing: name the list's edition, entries_from and citation")
    else:
        for key in ("edition", "citation"):
            if not str(header.get(key) or "").strip():
                c.err("dual_use_list", f"{key} missing")
        if parse_date(header.get("entries_from")) is None:
            c.err("dual_use_list", f"entries_from is not a date (got {header.get('entries_from')!r})")
    if not isinstance(entries, list):
        c.err("dual_use", "must be a list of entries")
        return
    c.unique(entries)
    categories = {str(r.get("id")) for r in doc.get("dual_use_categories") or []}
    groups = {str(r.get("id")) for r in doc.get("dual_use_groups") or []}
    for r in entries:
        rid = r.get("id") if isinstance(r, dict) else None
        where = f"dual_use record {rid!r}"
        _check_entry(c, where, r, id_form=DUAL_USE_ID, need_dates=False)
        code = str(rid or "")
        if DUAL_USE_ID.fullmatch(code) and (code[0] not in categories or code[1] not in groups):
            c.err(
                where, f"category {code[0]} or product group {code[1]} is not in dual_use_categories/groups"
            )
    for r in doc.get("national") or []:
        where = f"national record {r.get('id') if isinstance(r, dict) else None!r}"
        _check_entry(c, where, r, id_form=re.compile(r"^(?!ML)[A-Z]{2,4}[0-9]{3,4}$"), need_dates=True)
