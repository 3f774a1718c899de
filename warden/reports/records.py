"""The reports domain's state changes: the UN Register's background forms (military holdings, procurement
through national production) and an officer's per-line ATT/UNROCA category. Each function checks
warden.reports.policy, runs in one transaction and writes its audit entry in it; bad input raises
InvalidInput naming the field (or the file's line) and changes nothing."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from warden.accounts.actors import Actor
from warden.audit.services import record
from warden.cases.models import GoodsLine
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.reports import mapping, policy
from warden.reports.models import UNROCA_CATEGORIES, BackgroundForm, LineCategory, UnrocaBackground

FIRST_YEAR = 1992  # the Register's first calendar year
MAX_ITEMS = 10_000_000  # more than any state's holdings in one category; a larger figure is a typo
CSV_COLUMNS = ("form", "year", "category", "number_of_items", "description", "comments")


@dataclass(frozen=True)
class BackgroundRow:
    form: str
    year: int
    category: str
    number_of_items: int
    description: str = ""
    comments: str = ""


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def _text(value: Any, name: str, where: str) -> str:
    text = str(value or "").strip()
    if len(text) > 500:
        raise InvalidInput(f"{where}{name} is {len(text)} characters: at most 500", field=name)
    if "\x00" in text:
        raise InvalidInput(f"{where}{name} holds a NUL character", field=name)
    return text


def parse_row(raw: dict[str, Any], where: str = "") -> BackgroundRow:
    """One row of a background form from strings (a form post, a CSV line); InvalidInput says what."""
    form = str(raw.get("form") or "").strip().lower()
    if form not in BackgroundForm.values:
        raise InvalidInput(f"{where}form {form!r}: choose holdings or production", field="form")
    last = clock.today().year
    try:
        year = int(str(raw.get("year") or "").strip())
    except ValueError:
        raise InvalidInput(f"{where}year {raw.get('year')!r} is not a year (YYYY)", field="year") from None
    if not FIRST_YEAR <= year <= last:
        raise InvalidInput(f"{where}year {year} is out of range: {FIRST_YEAR} to {last}", field="year")
    category = str(raw.get("category") or "").strip().upper()
    if category not in UNROCA_CATEGORIES:
        raise InvalidInput(
            f"{where}category {category!r}: the Register's categories are {', '.join(UNROCA_CATEGORIES)}",
            field="category",
        )
    try:
        items = int(str(raw.get("number_of_items") or "").strip().replace(",", ""))
    except ValueError:
        raise InvalidInput(
            f"{where}number_of_items {raw.get('number_of_items')!r} is not a whole number",
            field="number_of_items",
        ) from None
    if not 0 <= items <= MAX_ITEMS:
        raise InvalidInput(
            f"{where}number_of_items {items} is out of range: 0 to {MAX_ITEMS:,}", field="number_of_items"
        )
    return BackgroundRow(
        form, year, category, items, _text(raw.get("description"), "description", where),
        _text(raw.get("comments"), "comments", where),
    )  # fmt: skip


def parse_csv(data: bytes) -> list[BackgroundRow]:
    """A CSV with the header form,year,category,number_of_items,description,comments; InvalidInput names
    the line. The same form, year and category twice in one file is refused (which one would count?)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"the file is not UTF-8 (byte {exc.start})", field="file") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS[:4] if c not in (reader.fieldnames or ())]
    if missing:
        raise InvalidInput(f"line 1: the header lacks {', '.join(missing)}", field="file")
    rows: list[BackgroundRow] = []
    seen: dict[tuple[str, int, str], int] = {}
    for raw in reader:
        line = reader.line_num
        row = parse_row(raw, where=f"line {line}: ")
        key = (row.form, row.year, row.category)
        if key in seen:
            raise InvalidInput(
                f"line {line}: {row.form} {row.year} category {row.category} is also on line {seen[key]}",
                field="file",
            )
        seen[key] = line
        rows.append(row)
    if not rows:
        raise InvalidInput("the file has a header and no rows", field="file")
    return rows


def _store(actor: Actor, row: BackgroundRow) -> str:
    """Insert or update one row; 'added', 'updated' or 'unchanged'."""
    now = clock.now()
    who = getattr(actor, "pk", None)
    existing = (
        UnrocaBackground.objects.select_for_update()
        .filter(form=row.form, year=row.year, category=row.category)
        .first()
    )
    values = {
        "number_of_items": row.number_of_items,
        "description": row.description,
        "comments": row.comments,
    }
    if existing is None:
        UnrocaBackground.objects.create(
            form=row.form, year=row.year, category=row.category, recorded_by_id=who, recorded_at=now, **values
        )
        return "added"
    if all(getattr(existing, k) == v for k, v in values.items()):
        return "unchanged"
    for k, v in values.items():
        setattr(existing, k, v)
    existing.recorded_by_id, existing.recorded_at = who, now
    existing.save()
    return "updated"


def _require(actor: Actor) -> None:
    why = policy.background_refusal(actor)
    if why:
        raise NotPermitted(why)


def _label(row: BackgroundRow) -> str:
    return f"{row.form} {row.year} {row.category}"


@transaction.atomic
def record_background(*, actor: Actor, row: BackgroundRow) -> str:
    """Record one category of a background form (the form on /reports/background); 'added', 'updated' or
    'unchanged' (nothing written, nothing audited)."""
    _require(actor)
    outcome = _store(actor, row)
    if outcome != "unchanged":
        record(
            actor=actor,
            action="reports.unroca_background.record",
            data={**row.__dict__, "outcome": outcome},
        )
    return outcome


@transaction.atomic
def import_background(*, actor: Actor, data: bytes, filename: str = "") -> ImportResult:
    """Record every row of a CSV file, all or nothing; one audit entry names the file and what changed."""
    _require(actor)
    rows = parse_csv(data)
    result = ImportResult()
    for row in rows:
        getattr(result, _store(actor, row)).append(_label(row))
    if result.added or result.updated:
        record(
            actor=actor,
            action="reports.unroca_background.import",
            data={
                "file": filename,
                "sha256": hashlib.sha256(data).hexdigest(),
                "added": result.added,
                "updated": result.updated,
                "unchanged": len(result.unchanged),
            },
        )
    return result


@transaction.atomic
def set_line_category(*, actor: Actor, line: GoodsLine, code: str, reason: str) -> LineCategory:
    """Give one goods line its ATT/UNROCA row, one of its rating's `choices` in categories.yaml; the reports
    count the line there instead of the rating's default. Setting it again replaces it (audited)."""
    why = policy.line_category_refusal(actor)
    if why:
        raise NotPermitted(why)
    entry = mapping.category_of(line.rating)
    if entry is None or not entry.ambiguous:
        raise InvalidInput(
            f"{line.rating} decides its report row by itself: no line category to set", field="category"
        )
    code = (code or "").strip()
    if code not in entry.choices:
        raise InvalidInput(
            f"category {code!r} is not one of {entry.rating}'s rows: {', '.join(entry.choices)}",
            field="category",
        )
    reason = _text(reason, "reason", "")
    if not reason:
        raise InvalidInput("say why (the item's type, calibre or model that decides the row)", field="reason")
    existing = LineCategory.objects.select_for_update().filter(goods_line=line).first()
    before = existing.code if existing else None
    obj = existing or LineCategory(goods_line=line)
    obj.code, obj.reason, obj.set_by_id, obj.set_at = code, reason, actor.pk, clock.now()
    obj.save()
    record(
        actor=actor,
        action="reports.line_category",
        target=line,
        case_id=line.case_id,
        data={"line_no": line.line_no, "rating": line.rating, "from": before, "to": code, "reason": reason},
    )
    return obj
