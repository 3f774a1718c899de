"""The exchange format warden.denial/1 (docs/denial-format.md): reading partners' files (JSON or CSV) into
checked notification dicts, and writing ours. No database writes here: services.import_denials stores
what parse() returns, so a file with one bad record changes nothing.

Every error names the record (its line in a CSV file, its position and reference in a JSON file) and the
field, as a JSON pointer or a CSV column, and says what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from warden.legislation.countries_iso import ISO_3166_ALPHA2
from warden.lib import safe_json

FORMAT = "warden.denial/1"
FILE_FORMATS = ("json", "csv")
SCHEMA_PATH = Path(__file__).parent / "schemas" / "denial-1.json"

# One CSV row per notification. Several goods lines are written in one cell each, separated by " | ", in the
# same order in goods_rating and goods_description; criteria likewise.
CSV_COLUMNS = (
    "issuing_state",
    "reference",
    "date",
    "destination",
    "goods_rating",
    "goods_description",
    "consignee_name",
    "consignee_address",
    "consignee_country",
    "end_user_name",
    "end_user_address",
    "end_user_country",
    "end_use",
    "criteria",
    "reason",
    "revoked",
    "revoked_reason",
)
CSV_REQUIRED = (
    "issuing_state",
    "reference",
    "date",
    "destination",
    "goods_rating",
    "goods_description",
    "end_user_name",
    "criteria",
)
SEP = "|"
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}


class DenialFormatError(ValueError):
    """The file is not a valid warden.denial/1 document; str() names the record and the field."""


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return loaded


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


@cache
def _denial_validator() -> Draft202012Validator:
    sub = dict(schema()["$defs"]["denial"])
    sub["$defs"] = schema()["$defs"]
    return Draft202012Validator(sub)


def _pointer(err: ValidationError) -> str:
    return "/" + "/".join(str(p) for p in err.absolute_path)


def _shown(value: Any) -> str:
    """A value for a message, cut short: jsonschema quotes the whole instance, megabytes of it if sent."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(err: ValidationError) -> str:
    if err.validator == "required":
        return err.message.replace("is a required property", "is missing")
    if err.validator == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown field(s)")
    if err.validator == "pattern":
        return f"{_shown(err.instance)} is not in the expected form"
    if err.validator == "maxLength" and isinstance(err.instance, str):
        return (
            f"{_shown(err.instance)} is {len(err.instance):,} characters long (at most {err.validator_value})"
        )
    if len(err.message) > 200:
        return f"{_shown(err.instance)} is not valid here ({err.validator} {_shown(err.validator_value)})"
    return err.message


def _check_values(d: dict[str, Any], where: str, today: dt.date) -> None:
    """What the schema cannot say: real dates not in the future, assigned country codes."""
    try:
        day = dt.date.fromisoformat(d["date"])
    except ValueError:
        raise DenialFormatError(f"{where}, date: {d['date']!r} is not a calendar date") from None
    if day > today:
        raise DenialFormatError(f"{where}, date: {day} is in the future")
    for field in ("issuing_state", "destination"):
        if d[field] not in ISO_3166_ALPHA2:
            raise DenialFormatError(f"{where}, {field}: {d[field]!r} is not an ISO 3166-1 country code")
    for party in ("end_user", "consignee"):
        country = (d.get(party) or {}).get("country")
        if country and country not in ISO_3166_ALPHA2:
            raise DenialFormatError(
                f"{where}, {party}.country: {country!r} is not an ISO 3166-1 country code"
            )


def _check_all(records: list[tuple[str, dict[str, Any]]], issuing_state: str, today: dt.date) -> None:
    seen: dict[str, str] = {}
    for where, d in records:
        _check_values(d, where, today)
        if d["issuing_state"] != issuing_state:
            raise DenialFormatError(
                f"{where}, issuing_state: {d['issuing_state']} but the file was imported as from {issuing_state}"
            )
        if d["reference"] in seen:
            raise DenialFormatError(
                f"{where}, reference: {d['reference']!r} already given in {seen[d['reference']]}"
            )
        seen[d["reference"]] = where


def parse_json(data: bytes, *, issuing_state: str, today: dt.date) -> list[dict[str, Any]]:
    try:
        # safe_json: deep nesting, 5,000-digit numbers, NaN, NUL and lone surrogates are "not JSON" here,
        # not a RecursionError, a ValueError or a PostgreSQL DataError out of the import.
        doc = safe_json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DenialFormatError(f"not UTF-8 text (byte {exc.start})") from None
    except safe_json.UnsafeJSON as exc:  # says what and where itself (a NUL at /denials/0/...)
        raise DenialFormatError(f"not storable JSON: {exc.msg}") from None
    except json.JSONDecodeError as exc:
        raise DenialFormatError(f"line {exc.lineno}, column {exc.colno}: not JSON ({exc.msg})") from None
    if not isinstance(doc, dict):
        raise DenialFormatError(f"/: expected a {FORMAT} object")
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        path = list(err.absolute_path)
        where = _pointer(err)
        if len(path) >= 2 and path[0] == "denials" and isinstance(path[1], int):
            ref = (
                (doc["denials"][path[1]] or {}).get("reference")
                if isinstance(doc["denials"][path[1]], dict)
                else None
            )
            if ref:
                shown = str(ref) if len(str(ref)) <= 40 else str(ref)[:37] + "..."
                where = f"{where} (notification {shown})"
        raise DenialFormatError(f"{where}: {_message(err)}")
    top = doc.get("issuing_state")
    if top and top != issuing_state:
        raise DenialFormatError(f"/issuing_state: {top} but the file was imported as from {issuing_state}")
    denials: list[dict[str, Any]] = doc["denials"]
    _check_all(
        [(f"/denials/{i} (notification {d['reference']})", d) for i, d in enumerate(denials)],
        issuing_state,
        today,
    )
    return denials


# A JSON pointer inside one notification -> the CSV column it came from.
def _column(err: ValidationError) -> str:
    path = [str(p) for p in err.absolute_path]
    if not path:
        missing = err.message.split("'")[1] if err.validator == "required" and "'" in err.message else ""
        return {"end_user": "end_user_name", "goods": "goods_rating"}.get(missing, missing)
    if path[0] == "goods":
        return "goods_rating" if path[-1] != "description" else "goods_description"
    if path[0] in ("end_user", "consignee"):
        return f"{path[0]}_{path[-1]}" if len(path) > 1 else f"{path[0]}_name"
    return path[0]


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(SEP)] if value.strip() else []


def _party(row: dict[str, str], prefix: str) -> dict[str, str] | None:
    party = {k: row.get(f"{prefix}_{k}", "").strip() for k in ("name", "address", "country")}
    party["country"] = party["country"].upper()
    if not any(party.values()):
        return None
    return {k: v for k, v in party.items() if v or k == "name"}


def _row_to_denial(row: dict[str, str], line: int) -> dict[str, Any]:
    ratings, descriptions = _split(row["goods_rating"]), _split(row["goods_description"])
    if len(ratings) != len(descriptions):
        raise DenialFormatError(
            f"line {line}, column goods_description: {len(descriptions)} description(s) for "
            f"{len(ratings)} rating(s) in goods_rating (separate goods lines with '{SEP}' in both)"
        )
    revoked = row.get("revoked", "").strip().lower()
    if revoked not in _TRUE | _FALSE:
        raise DenialFormatError(f"line {line}, column revoked: {row['revoked']!r}: expected yes or no")
    d: dict[str, Any] = {
        "issuing_state": row["issuing_state"].strip().upper(),
        "reference": row["reference"].strip(),
        "date": row["date"].strip(),
        "destination": row["destination"].strip().upper(),
        "goods": [{"rating": r, "description": t} for r, t in zip(ratings, descriptions, strict=True)],
        "end_use": row.get("end_use", "").strip(),
        "criteria": _split(row["criteria"]),
        "reason": row.get("reason", "").strip(),
        "revoked": revoked in _TRUE,
    }
    for prefix in ("end_user", "consignee"):
        party = _party(row, prefix)
        if party is not None:
            d[prefix] = party
    if row.get("revoked_reason", "").strip():
        d["revoked_reason"] = row["revoked_reason"].strip()
    errors = sorted(_denial_validator().iter_errors(d), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        raise DenialFormatError(f"line {line}, column {_column(err)}: {_message(err)}")
    return d


def parse_csv(data: bytes, *, issuing_state: str, today: dt.date) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DenialFormatError(f"not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        # PostgreSQL cannot store a NUL in text; the csv module would pass it on.
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DenialFormatError(f"line {line}: a NUL character (not text)")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise DenialFormatError(f"line 1: missing column(s) {', '.join(missing)}")
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise DenialFormatError(f"line 1: unknown column(s) {', '.join(unknown)}")
    reader.fieldnames = header
    records: list[tuple[str, dict[str, Any]]] = []
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                raise DenialFormatError(f"line {line}: more cells than columns")
            clean = {k: (v or "") for k, v in row.items()}
            records.append((f"line {line}", _row_to_denial(clean, line)))
    except csv.Error as exc:
        raise DenialFormatError(f"line {reader.line_num}: {exc}") from None
    _check_all(records, issuing_state, today)
    return [d for _, d in records]


def parse(data: bytes, fmt: str, *, issuing_state: str, today: dt.date) -> list[dict[str, Any]]:
    """The notifications of a partner's file, checked; raises DenialFormatError on the first bad one."""
    if fmt == "json":
        return parse_json(data, issuing_state=issuing_state, today=today)
    if fmt == "csv":
        return parse_csv(data, issuing_state=issuing_state, today=today)
    raise DenialFormatError(f"unknown format {fmt!r} (expected json or csv)")


def guess_format(name: str) -> str | None:
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix in FILE_FORMATS else None


# ------------------------------------------------------------------------------------------------ writing


def document(
    denials: Iterable[dict[str, Any]], *, issuing_state: str | None, today: dt.date
) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": FORMAT}
    if issuing_state:
        doc["issuing_state"] = issuing_state
    doc["generated_on"] = today.isoformat()
    doc["denials"] = list(denials)
    return doc


def to_csv(denials: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for d in denials:
        row = {
            "issuing_state": d["issuing_state"],
            "reference": d["reference"],
            "date": d["date"],
            "destination": d["destination"],
            "goods_rating": f" {SEP} ".join(g["rating"] for g in d["goods"]),
            "goods_description": f" {SEP} ".join(g["description"].replace(SEP, "/") for g in d["goods"]),
            "end_use": d.get("end_use", ""),
            "criteria": f" {SEP} ".join(d["criteria"]),
            "reason": d.get("reason", ""),
            "revoked": "yes" if d["revoked"] else "no",
            "revoked_reason": d.get("revoked_reason", ""),
        }
        for prefix in ("end_user", "consignee"):
            for k in ("name", "address", "country"):
                row[f"{prefix}_{k}"] = (d.get(prefix) or {}).get(k, "")
        writer.writerow(row)
    return out.getvalue()
