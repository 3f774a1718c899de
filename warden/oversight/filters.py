"""Filters read from a query string, each checked on its own: a bad value is named with what is wrong and
what would be right ("Status 'opne' is not one of: ..."), and the list is then not shown at all rather than
shown unfiltered (which would look like an answer). Shared by the search, the portal's lists and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from warden.legislation.countries_iso import ISO_3166_ALPHA2

MAX_TEXT = 200


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | choice | date | country | int
    choices: Sequence[tuple[str, str]] = ()


@dataclass
class Parsed:
    values: dict[str, object] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def parse(params: Mapping[str, str], fields: Sequence[Field]) -> Parsed:
    out = Parsed()
    for f in fields:
        text = (params.get(f.name) or "").strip()
        out.raw[f.name] = text
        if not text:
            continue
        if len(text) > MAX_TEXT:
            out.errors[f.name] = f"{f.label} is too long ({MAX_TEXT} characters at most)."
        elif f.kind == "choice":
            allowed = {v for v, _ in f.choices}
            if text not in allowed:
                words = ", ".join(f"{v} ({label})" for v, label in f.choices)
                out.errors[f.name] = f"{f.label} '{text}' is not one of: {words}."
            else:
                out.values[f.name] = text
        elif f.kind == "date":
            try:
                out.values[f.name] = _date(text)
            except ValueError:
                out.errors[f.name] = (
                    f"{f.label} '{text}' is not a date: enter it as YYYY-MM-DD, e.g. 2026-03-01."
                )
        elif f.kind == "country":
            code = text.upper()
            if code not in ISO_3166_ALPHA2:
                out.errors[f.name] = (
                    f"{f.label} '{text}' is not a two-letter ISO country code such as NO or AE."
                )
            else:
                out.values[f.name] = code
        elif f.kind == "int":
            if not text.isdigit() or int(text) < 1:
                out.errors[f.name] = f"{f.label} '{text}' is not a whole number of 1 or more."
            else:
                out.values[f.name] = int(text)
        else:
            out.values[f.name] = text
    since, until = out.values.get("since"), out.values.get("until")
    if isinstance(since, dt.date) and isinstance(until, dt.date) and until < since:
        out.errors["until"] = f"To date {until.isoformat()} is before the from date {since.isoformat()}."
    return out
