"""The stored columns of an entry against its hashed bytes.

The log browser, the case history and every filter read the plain columns (`actor_label`, `action`,
`object_type`, `object_id`, `case_id`, `actor_id`, `at`), not the hashed JSON, so a DBA who edits a column and
leaves the bytes alone changes what people see without touching the tree. The verifier therefore checks that
each column says what the entry's bytes say.

Fast path, for every row, in the database, which returns only a 0/1 flag per row (`column_check_sql`):
PostgreSQL builds the text the writer would have written around the entry's `data`
(`{"action":...,"actor":...,"actor_id":...,"at":"...","case":...,"data":` and
`,"object":{"id":...,"type":...},"seq":N}`) from the columns and compares it with the stored text (a string
with a quote or a backslash only sends its row to the exact check); SQLite compares the entry's decoded
values with the columns. This costs about as much as hashing the entries (bench/RESULTS.md, 2026-12-03). Exact path, for the rows the fast path flags (`column_problems`): parse the entry and compare
each column with its typed value, naming the column.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

# (column, key in the entry); "object" is a nested {"id", "type"}.
COLUMNS = ("actor_label", "action", "object_type", "object_id", "case_id", "actor_id", "at")


def column_check_sql(vendor: str) -> str:
    """A SQL expression over an audit_auditentry row: true when its columns match its entry text."""
    if vendor == "postgresql":
        # Strings are quoted by hand, which is JSON's quoting for every string without a quote or a backslash
        # (the only characters JSON escapes that could make two different strings quote alike); rows with one
        # go to the exact check. to_json() per value measured a third slower.
        prefix = (
            """'{"action":"' || action || '","actor":"' || actor_label || '","actor_id":' """
            """|| coalesce(actor_id::text, 'null') || ',"at":"' """
            """|| to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
            """ || '","case":' || coalesce(case_id::text, 'null') || ',"data":'"""
        )
        suffix = """',"object":{"id":"' || object_id || '","type":"' || object_type || '"},"seq":' || seq::text || '}'"""
        plain = "action || actor_label || object_id || object_type"
        return (
            f"(strpos({plain}, '\"') = 0 AND strpos({plain}, '\\') = 0 AND starts_with(entry, {prefix}) "
            f"AND right(entry, length({suffix})) = {suffix})"
        )
    if vendor == "sqlite":
        # Here SQLite's JSON parser is cheaper than building the text: the entry's values, decoded, against the
        # columns. `at` is stored as Django writes it, str() of the naive UTC value: the entry's isoformat()
        # with a space for the "T" and without the offset. An entry without the "actor_id" key (hashed before
        # it was) always gets the exact check.
        return (
            "(json_type(entry, '$.actor_id') IS NOT NULL AND json_extract(entry, '$.action', '$.actor', "
            "'$.actor_id', '$.at', '$.case', '$.object.id', '$.object.type') = json_array(action, actor_label, "
            "actor_id, replace(at, ' ', 'T') || '+00:00', case_id, object_id, object_type))"
        )
    return "1"  # another database: only the exact check on demand


def _parse_at(value: Any) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _differences(row: dict[str, Any], body: dict[str, Any], usernames: dict[int, str]) -> list[str]:
    raw_obj = body.get("object")
    obj: dict[str, Any] = raw_obj if isinstance(raw_obj, dict) else {}
    said: dict[str, Any] = {
        "actor_label": body.get("actor"),
        "action": body.get("action"),
        "object_type": obj.get("type"),
        "object_id": obj.get("id"),
        "case_id": body.get("case"),
    }
    out = [
        f"column {col} is {row[col]!r} but the hashed entry says {said[col]!r}"
        for col in ("actor_label", "action", "object_type", "object_id", "case_id")
        if row[col] != said[col]
    ]
    if "actor_id" in body:
        if row["actor_id"] != body["actor_id"]:
            out.append(
                f"column actor_id is {row['actor_id']!r} but the hashed entry says {body['actor_id']!r}"
            )
    else:
        # Entries written before the id was hashed: the id must name the user the hashed label names.
        named = usernames.get(row["actor_id"]) if row["actor_id"] is not None else "system"
        if named != body.get("actor"):
            out.append(
                f"column actor_id is {row['actor_id']!r}, user {named!r}, but the hashed entry names "
                f"{body.get('actor')!r}"
            )
    at = _parse_at(body.get("at"))
    stored = row["at"]
    if stored is not None and stored.tzinfo is None:
        stored = stored.replace(tzinfo=dt.UTC)
    if at is None or stored != at:
        out.append(f"column at is {row['at']} but the hashed entry says {body.get('at')!r}")
    return out


def column_problems(seqs: Sequence[int], batch: int = 2000) -> list[tuple[int, str]]:
    """The exact check of the rows the fast path flagged: one problem per differing column."""
    from django.contrib.auth import get_user_model

    from warden.audit.models import AuditEntry

    User = get_user_model()  # the log sits below accounts: it names the user model by setting

    problems: list[tuple[int, str]] = []
    for i in range(0, len(seqs), batch):
        rows = list(AuditEntry.objects.filter(seq__in=seqs[i : i + batch]).values("seq", "entry", *COLUMNS))
        legacy = {
            r["actor_id"] for r in rows if r["actor_id"] is not None and '"actor_id":' not in r["entry"]
        }
        usernames = dict(User.objects.filter(pk__in=legacy).values_list("pk", "username")) if legacy else {}
        for row in sorted(rows, key=lambda r: r["seq"]):
            try:
                body = json.loads(row["entry"])
            except ValueError:
                problems.append((row["seq"], "the entry's bytes are not JSON: its columns cannot be checked"))
                continue
            if not isinstance(body, dict):
                problems.append((row["seq"], "the entry's bytes are not a JSON object"))
                continue
            problems.extend((row["seq"], msg) for msg in _differences(row, body, usernames))
    return problems
