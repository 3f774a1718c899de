"""The matcher's index over the current list versions, kept per process and rebuilt when a list
changes, and the warden.screening/1 document. Reads only; state changes live in services.py."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from warden.screening.matcher.countries import country_code
from warden.screening.matcher.index import ScreeningIndex
from warden.screening.matcher.normalise import normalise
from warden.screening.matcher.records import Entry, EntryName, Hit, Query
from warden.screening.matcher.score import Weights
from warden.screening.models import ListEntry, ListVersion

KIND = {"person": "person", "organisation": "organisation", "vessel": "organisation"}


@dataclass(frozen=True)
class EntryRef:
    pk: int
    list_name: str
    list_title: str
    version: int
    entry_key: str
    digest: str
    name: str


_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "index": None, "refs": {}}


def _matcher_entry(row: ListEntry) -> Entry:
    d = row.data
    # An alias may be a string or a record {"name": ..., "weak": bool} (the list's alias strength).
    names: list[str] = [d.get("name") or row.name]
    for a in d.get("aliases", []):
        if isinstance(a, dict):
            names.append(EntryName(str(a.get("name") or ""), weak=bool(a.get("weak"))))
        else:
            names.append(a)
    names += d.get("original_script", [])
    names += [EntryName(a, weak=True) for a in d.get("weak_aliases", []) if isinstance(a, str)]
    # Lists write countries as codes (EU, CSL) or names (UN "Iran (Islamic Republic of)", UK "North Korea").
    countries = {
        code for c in [*d.get("countries", []), *d.get("nationalities", [])] if (code := country_code(c))
    }
    return Entry(
        key=str(row.pk),
        names=[n for n in names if n],
        kind=KIND.get(row.kind, "any"),
        countries=frozenset(countries),
        dobs=tuple(d.get("dates_of_birth", [])),
        identifiers=frozenset(i["number"] for i in d.get("identifiers", []) if i.get("number")),
    )


def current_index() -> tuple[ScreeningIndex, dict[int, EntryRef], list[str]]:
    """The index over every list's current version (rebuilt only when a version changed)."""
    versions = list(ListVersion.objects.filter(is_current=True).select_related("list").order_by("pk"))
    # pk alone can repeat (SQLite reuses ids after a rollback); the import time cannot.
    stamps = tuple((v.pk, v.sha256, v.imported_at.isoformat()) for v in versions)
    labels = [f"{v.list.name} v{v.number}" for v in versions]
    weights = Weights(**getattr(settings, "SCREENING_WEIGHTS", {}))
    key = (stamps, weights)
    with _lock:
        if _cache["key"] != key:
            index = ScreeningIndex(weights=weights)
            refs: dict[int, EntryRef] = {}
            for v in versions:
                for row in ListEntry.objects.filter(version=v).iterator(chunk_size=2000):
                    index.add(_matcher_entry(row))
                    refs[row.pk] = EntryRef(
                        row.pk, v.list.name, v.list.title, v.number, row.entry_id, row.digest, row.name
                    )
            _cache.update(key=key, index=index, refs=refs)
        return _cache["index"], _cache["refs"], labels


def query_for_party(party: Any) -> Query:
    ids = tuple(
        str(i.get("number")) for i in (party.identifiers or []) if isinstance(i, dict) and i.get("number")
    )
    return Query(
        name=party.name,
        kind=party.party_type if party.party_type in ("person", "organisation") else "any",
        aliases=tuple(a for a in (party.aliases or []) if isinstance(a, str)),
        country=(party.country or party.nationality or None),
        dob=party.date_of_birth or None,
        identifiers=ids,
    )


def party_fingerprint(party: Any) -> str:
    """Who the party is, as far as screening can tell: its decision memory key. Cosmetic differences
    (case, accents, punctuation, legal form spelling) do not change it; a new name, alias, country,
    date of birth or identifier does."""
    q = query_for_party(party)
    names = sorted({normalise(n, q.kind).comparable for n in (q.name, *q.aliases)})
    parts = [
        q.kind,
        *names,
        (q.country or "").upper(),
        (party.nationality or "").upper(),
        q.dob or "",
        *sorted(q.identifiers),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def hit_json(hit: Hit, ref: EntryRef) -> dict[str, Any]:
    return {
        "list": ref.list_name,
        "entry": ref.entry_key,
        "name": ref.name,
        "matched_name": hit.matched_name,
        "score": round(hit.score, 4),
        "features": hit.features,
        "explanation": hit.explanation,
    }


def screen_query(query: Query, threshold: float | None = None, limit: int = 20) -> dict[str, Any]:
    """Screen one query against the current lists: a warden.screening/1 document."""
    threshold = settings.SCREENING_THRESHOLD if threshold is None else threshold
    index, refs, _ = current_index()
    hits = index.screen(query, threshold=threshold, limit=limit)
    q: dict[str, Any] = {"name": query.name, "type": query.kind}
    if query.country:
        q["country"] = query.country
    if query.dob:
        q["date_of_birth"] = query.dob
    return {
        "format": "warden.screening/1",
        "query": q,
        "threshold": threshold,
        "matches": [hit_json(h, refs[int(h.entry.key)]) for h in hits],
    }
