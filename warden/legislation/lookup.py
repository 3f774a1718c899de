"""Control-list look-up: find the rating for goods by number ("ML10", "5A002", "ML10.b") or by words
("unmanned", "night vision") over the entries in force on a day. Pure: reads a Reference snapshot (the views
and the API pass the live one and today's date), touches no database.

What is searched: every military category (ML1..ML22) and its recorded first-level sub-items (ML10.b, whose
short titles the data holds), every Annex I dual-use entry and every national entry. Dual-use sub-item
letters are recorded without titles, so they are not entries of their own here.

Ranking (docs/decisions/0012-legislation-rating-lookup.md):
0. the exact code (a deeper rating such as 5A002.a.1 finds the entry it falls under);
1. codes starting with the query, at a boundary: ML1 finds ML1 and ML1.a but never ML10 (rating_matches);
   an incomplete number ("5A00", "ML") finds every code starting with it;
2. title matches: every word of the query appears in the entry's code or title, ignoring case and accents;
   a word with a digit must be a whole word ("ML1" is not "ML10"), other words may be the start of one
   ("vehicle" finds "vehicles"). The words in order ranks first;
3. everyday words (EVERYDAY_TERMS) matching a title in the list's own terms;
4. text matches: every word appears in the entry's title or its text, and at least one only in the text (a
   sub-item also needs one in its own title); the words in order first. The result shows the snippet of the text around the first hit.
Within a rank, the list's own order (military, then dual-use, then national; categories before sub-items).

An entry's text is what the data says of it beyond its title: its own `text` (the entry's wording, when the
control-list file carries it: an optional field of warden.control_list/1), for a military category the texts
of its sub-items, for a sub-item its category's title, for a dual-use entry its category's title. The
provenance `note`s are not entry text and are not searched.

Fast: the index (entries, folded words, and a word -> entries table for prefix look-ups) is built once per
reference snapshot, which never changes (bench/lookup.py; bench/RESULTS.md).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Literal

from warden.legislation.lookup_words import candidates, fold, snippet, word_table
from warden.lib.errors import InvalidInput
from warden.rules.model import Rating, rating_matches
from warden.rules.reference import Reference

LIMIT = 20
MAX_QUERY = 100

Kind = Literal["military", "dual_use", "national"]

# The regime a dual-use serial comes from (warden.rules.model.Rating.regime), as the user reads it.
REGIMES = {
    "wassenaar": "Wassenaar Arrangement",
    "mtcr": "Missile Technology Control Regime (MTCR)",
    "nsg": "Nuclear Suppliers Group (NSG)",
    "australia_group": "Australia Group (AG)",
    "cwc": "Chemical Weapons Convention (CWC)",
    # 5xx and 9xx serials: controls the EU or a member state added without a regime list behind them.
    "national": "No regime list (an EU or national control)",
}
MILITARY_LIST = "EU Common Military List"
DUAL_USE_LIST = "EU dual-use list (Annex I to Regulation (EU) 2021/821)"
NATIONAL_LIST = "National control list"

_COMPLETE_CODE = re.compile(r"^(?:ML\d{1,2}|\d[A-E]\d{3}|[A-Z]{2,4}\d{3,4})(?:\.[a-z0-9]+)*$")
_PARTIAL_CODE = re.compile(r"^(?:ML\d{0,2}|\d(?:[A-E]\d{0,3})?|[A-Z]{2,4}\d{1,4})$")


@dataclass(frozen=True, slots=True)
class Flag:
    id: str
    title: str
    ratings: tuple[str, ...]  # the ratings the flag names (ML10.b): on a category, which sub-items it touches


@dataclass(frozen=True, slots=True)
class Entry:
    """One control-list entry as the look-up shows it."""

    code: str
    title: str  # the entry's own title (a sub-item's short title)
    parent: str  # for a sub-item, its category's code and title ("ML10 Aircraft, ..."); else ""
    kind: Kind
    lists: tuple[str, ...]  # the lists that carry it, the regime's last
    regime: str  # wassenaar | mtcr | nsg | australia_group | cwc | national | "" (a national entry)
    citation: str
    flags: tuple[Flag, ...] = ()
    match: str = "code"  # what the query matched: code | title | text
    snippet: tuple[str, str, str] = ("", "", "")  # a text hit: (before, the word hit, after)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "parent": self.parent,
            "kind": self.kind,
            "lists": list(self.lists),
            "regime": self.regime,
            "citation": self.citation,
            "emerging_flags": [
                {"id": f.id, "title": f.title, "ratings": list(f.ratings)} for f in self.flags
            ],
            "match": self.match,
            "snippet": "".join(self.snippet),
            "snippet_hit": self.snippet[1],
        }


@dataclass(frozen=True, slots=True)
class Results:
    query: str
    entries: tuple[Entry, ...]
    total: int  # how many matched before the limit

    @property
    def more(self) -> bool:
        return self.total > len(self.entries)

    def as_dict(self, on: dt.date) -> dict[str, Any]:
        """The API's and the CLI's answer (docs/decisions/0012-legislation-rating-lookup.md)."""
        return {
            "query": self.query,
            "on": on.isoformat(),
            "total": self.total,
            "entries": [e.as_dict() for e in self.entries],
        }


@dataclass(frozen=True, slots=True)
class _Indexed:
    entry: Entry
    order: int
    depth: int  # 0 an entry, 1 a sub-item
    folded: str  # code and title, folded, words joined by single spaces
    words: frozenset[str]
    text: str  # the entry's text as written (module docstring), for the snippet
    text_folded: str
    text_words: frozenset[str]
    start: str | None  # the entry's own effective_from (ISO), when it has one that counts
    until: str | None


def clean_query(raw: str | None, where: str = "q") -> str:
    """The query as searched, or InvalidInput saying what is wrong with it (the views and the API show it);
    `where` names the parameter in the error."""
    text = (raw or "").strip()
    if not text:
        raise InvalidInput(
            "Type a rating number (such as ML10 or 5A002) or words (such as unmanned)", where=where
        )
    if len(text) > MAX_QUERY:
        raise InvalidInput(
            f"The search is {len(text)} characters long; at most {MAX_QUERY} are allowed", where=where
        )
    # Control characters, lone surrogates and unassigned code points: nothing a person types into a search.
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") for c in text):
        raise InvalidInput(
            "The search contains control or unprintable characters; type letters and numbers", where=where
        )
    return text


def _code_form(text: str) -> str:
    """ "ml 10.B" -> "ML10.b": the entry head in capitals, the sub-items in lower case, as the lists write
    them."""
    compact = re.sub(r"\s+", "", text)
    head, dot, rest = compact.partition(".")
    return head.upper() + dot + rest.lower()


def _flags(ref: Reference, code: str, on: dt.date) -> tuple[Flag, ...]:
    out = []
    for flag in ref.emerging:
        start, until = str(flag.get("effective_from") or ""), flag.get("effective_until")
        if (start and on.isoformat() < start) or (until and on.isoformat() >= str(until)):
            continue
        patterns = [str(p) for p in flag.get("ratings", [])]
        # The flag covers the entry (5A001.f under 5A001.f) or one of its sub-items (ML10.b within ML10).
        touched = [p for p in patterns if rating_matches(code, p) or rating_matches(p, code)]
        if touched:
            out.append(Flag(str(flag["id"]), str(flag.get("title", flag["id"])), tuple(touched)))
    return tuple(out)


def _index(ref: Reference) -> list[_Indexed]:
    """Every entry of the snapshot, in the list's order; built once per snapshot (it never changes)."""
    key = ("legislation.lookup.index",)
    hit: list[_Indexed] | None = ref.memo.get(key)
    if hit is not None:
        return hit
    rows: list[tuple[Entry, int, str, str | None, str | None]] = []
    for n in sorted(ref.military):
        raw = ref.military[n]
        code, title = f"ML{n}", str(raw.get("title", ""))
        citation = str(raw.get("citation", MILITARY_LIST))
        lists = (MILITARY_LIST, "Wassenaar Arrangement Munitions List")
        # A category's effective_from is where the data begins, not when ML numbering began
        # (warden.rules.control_list._in_force): categories count as always in force.
        until = raw.get("effective_until")
        raw_items = raw.get("items")
        items: dict[str, Any] = raw_items if isinstance(raw_items, dict) else {}
        text = _joined(raw.get("text"), "; ".join(f"{letter}. {t}" for letter, t in items.items()))
        rows.append((Entry(code, title, "", "military", lists, "wassenaar", citation), 0, text, None, until))
        for letter, sub_text in items.items():
            sub = Entry(
                f"{code}.{letter}", str(sub_text), f"{code} {title}", "military", lists, "wassenaar", citation
            )
            rows.append((sub, 1, f"{code} {title}", None, until))
    dual_use_citation = str(ref.control_lists.get("citation") or DUAL_USE_LIST)
    categories = {
        str(c.get("id")): str(c.get("title", ""))
        for c in ref.bundle["control_list"].get("dual_use_categories", [])
    }
    for rid, raw in ref.dual_use_entries.items():
        regime = Rating.parse(rid).regime
        lists = (DUAL_USE_LIST, REGIMES.get(regime, regime))
        entry = Entry(rid, str(raw.get("title", "")), "", "dual_use", lists, regime, dual_use_citation)
        text = _joined(raw.get("text"), categories.get(rid[:1], ""))
        rows.append((entry, 0, text, raw.get("effective_from"), raw.get("effective_until")))
    for rid, raw in ref.national_entries.items():
        citation = str(raw.get("citation") or NATIONAL_LIST)
        entry = Entry(rid, str(raw.get("title", "")), "", "national", (NATIONAL_LIST,), "", citation)
        rows.append(
            (entry, 0, _joined(raw.get("text"), ""), raw.get("effective_from"), raw.get("effective_until"))
        )
    hit = []
    for order, (entry, depth, text, start, until) in enumerate(rows):
        folded = fold(f"{entry.code} {entry.title}")
        text_folded = fold(text)
        hit.append(
            _Indexed(
                entry,
                order,
                depth,
                folded,
                frozenset(folded.split()),
                text,
                text_folded,
                frozenset(text_folded.split()),
                str(start) if start else None,
                str(until) if until else None,
            )
        )
    ref.memo[key] = hit
    return hit


def _joined(own: Any, derived: str) -> str:
    """The entry's own text (when the data carries one) before what is derived from the list's structure."""
    return " ".join(t for t in (str(own or "").strip(), derived.strip()) if t)


def _in_force(row: _Indexed, on: dt.date) -> bool:
    day = on.isoformat()
    return not (row.start and day < row.start) and not (row.until and day >= row.until)


def _code_rank(row: _Indexed, code: str, complete: bool, partial: bool) -> int | None:
    own = row.entry.code
    if own == code:
        return 0
    if complete and rating_matches(own, code):
        return 1
    if partial and own.startswith(code):
        return 1
    return None


def _has(words: frozenset[str], w: str) -> bool:
    whole = any(c.isdigit() for c in w)
    return w in words or (not whole and any(t.startswith(w) for t in words))


def _word_rank(row: _Indexed, words: list[str], phrase: str) -> int | None:
    if not all(_has(row.words, w) for w in words):
        return None
    # The words in order (the phrase as typed) before the same words scattered.
    return 2 if f" {phrase}" in f" {row.folded}" else 3


def _text_rank(row: _Indexed, words: list[str], phrase: str) -> int | None:
    """5 or 6 when every word is in the title or the text (and not all in the title: that is a title hit)."""
    if not all(_has(row.words, w) or _has(row.text_words, w) for w in words):
        return None
    # A sub-item's text is its category's title: it completes the sub-item's own words ("aircraft
    # components" finds ML10.d) but alone would list every sub-item again after the category itself.
    if row.depth == 1 and not any(_has(row.words, w) for w in words):
        return None
    return 5 if f" {phrase}" in f" {row.text_folded}" else 6


# Everyday words for what the list's titles name in its own terms: a search for the left-hand words also
# finds the entries matching each right-hand phrase, ranked after direct matches (rank 4). A search aid, not
# law: it decides nothing, and an entry found this way shows its own title, so the exporter sees the list's
# words. Keys and phrases are folded (lower case, no accents).
EVERYDAY_TERMS: dict[str, tuple[str, ...]] = {
    "night vision": ("image intensifier", "infrared or thermal imaging"),
    "thermal camera": ("infrared or thermal imaging",),
    "drone": ("unmanned aerial vehicles",),
    "drones": ("unmanned aerial vehicles",),
    "uav": ("unmanned aerial vehicles",),
    "bulletproof vest": ("body armour",),
    "body armor": ("body armour",),
    "bullet proof": ("body armour", "ballistic protection"),
    "silencer": ("suppressors",),
    "sniper": ("rifles",),
    "spyware": ("intrusion software",),
    "wiretap": ("interception",),
    "lawful intercept": ("interception",),
    "jammer": ("jamming",),
    "tank": ("ground vehicles",),
    "warship": ("vessels of war",),
    "missile": ("missiles",),
    "explosive": ("explosives", "energetic materials"),
}


def _everyday_phrases(phrase: str) -> list[str]:
    padded = f" {phrase} "
    return [p for key, phrases in EVERYDAY_TERMS.items() if f" {key} " in padded for p in phrases]


def search(ref: Reference, query: str, on: dt.date, limit: int = LIMIT) -> Results:
    """The entries in force on `on` matching `query` (already checked by clean_query), best first."""
    code = _code_form(query)
    complete = bool(_COMPLETE_CODE.match(code))
    partial = not complete and bool(_PARTIAL_CODE.match(code))
    words = fold(query).split()
    phrase = " ".join(words)
    rows = [r for r in _index(ref) if _in_force(r, on)]
    ranked: dict[str, tuple[int, int, int, Entry]] = {}
    if complete or partial:
        for r in rows:
            rank = _code_rank(r, code, complete, partial)
            if rank is not None:
                ranked[r.entry.code] = (rank, r.depth, r.order, r.entry)
        if complete and not any(rank == 0 for rank, *_ in ranked.values()):
            # A deeper rating (ML10.b.1, 5A002.a.1) has no entry of its own: the one it falls under is exact.
            ancestors = [r for r in rows if rating_matches(code, r.entry.code)]
            if ancestors:
                best = max(ancestors, key=lambda r: len(r.entry.code))
                ranked[best.entry.code] = (0, best.depth, best.order, best.entry)
    index = _index(ref)
    texts: dict[str, _Indexed] = {}  # the text hits, for their snippets
    if words:
        for i in sorted(_candidates(ref, words)):
            r = index[i]
            if r.entry.code in ranked or not _in_force(r, on):
                continue
            rank = _word_rank(r, words, phrase)
            if rank is None:
                rank = _text_rank(r, words, phrase)
                if rank is not None:
                    texts[r.entry.code] = r
            if rank is not None:
                ranked[r.entry.code] = (rank, 0, r.order, r.entry)  # depth does not rank word matches
    for extra in _everyday_phrases(phrase):
        extra_words = extra.split()
        for i in sorted(_candidates(ref, extra_words)):
            r = index[i]
            open_to = r.entry.code not in ranked or r.entry.code in texts  # a text hit ranks after this
            if open_to and _in_force(r, on) and _word_rank(r, extra_words, extra) is not None:
                ranked[r.entry.code] = (4, 0, r.order, r.entry)
                texts.pop(r.entry.code, None)
    best_first = sorted(ranked.values(), key=lambda t: t[:3])
    chosen = tuple(_shown(ref, rank, e, texts.get(e.code), words, on) for rank, _, _, e in best_first[:limit])
    return Results(query=query, entries=chosen, total=len(best_first))


def _shown(
    ref: Reference, rank: int, entry: Entry, text_row: _Indexed | None, words: list[str], on: dt.date
) -> Entry:
    """The entry as the result shows it: its flags, what matched, and for a text hit the snippet."""
    match = "code" if rank <= 1 else "title" if text_row is None else "text"
    cut = snippet(text_row.text, words) if text_row is not None else ("", "", "")
    return replace(entry, flags=_flags(ref, entry.code, on), match=match, snippet=cut)


def _candidates(ref: Reference, words: list[str]) -> set[int]:
    """The index rows holding every word in their title or text (lookup_words.candidates)."""
    key = ("legislation.lookup.words",)
    table = ref.memo.get(key)
    if table is None:
        table = ref.memo[key] = word_table([r.words | r.text_words for r in _index(ref)])
    return candidates(table, words)
