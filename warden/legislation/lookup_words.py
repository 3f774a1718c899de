"""The word side of the control-list look-up (warden.legislation.lookup): folding, the word -> entries table
searched by prefix, and the snippet shown for a hit in an entry's text. Pure Python."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents, words separated by single spaces: "Véhicules  AÉRIENS" -> "vehicules
    aeriens"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD.findall(plain))


@dataclass(frozen=True, slots=True)
class WordTable:
    """Which index rows hold each folded word (title or text), and the words sorted for prefix look-ups."""

    vocabulary: list[str]
    rows: dict[str, frozenset[int]]


def word_table(rows: list[frozenset[str]]) -> WordTable:
    """The table of `rows` (each row's folded words), by row position."""
    table: dict[str, set[int]] = {}
    for i, words in enumerate(rows):
        for w in words:
            table.setdefault(w, set()).add(i)
    return WordTable(sorted(table), {w: frozenset(ix) for w, ix in table.items()})


def candidates(table: WordTable, words: list[str]) -> set[int]:
    """The rows holding every word (a word with a digit whole, others as the start of a word)."""
    found: set[int] | None = None
    for w in words:
        rows: set[int] = set()
        if any(c.isdigit() for c in w):
            rows |= table.rows.get(w, frozenset())
        else:
            i = bisect.bisect_left(table.vocabulary, w)
            while i < len(table.vocabulary) and table.vocabulary[i].startswith(w):
                rows |= table.rows[table.vocabulary[i]]
                i += 1
        found = rows if found is None else found & rows
        if not found:
            return set()
    return found or set()


_TOKEN = re.compile(r"\w+")
SNIPPET_CHARS = 60  # of the text each side of the word hit


def snippet(text: str, words: list[str]) -> tuple[str, str, str]:
    """The text around the first word of it that a query word matches: (before, hit, after), cut at word
    boundaries with an ellipsis where cut; the template marks the hit.

    >>> snippet("a. rifles and combination guns; e. suppressors and mounts", ["suppress"])
    ('a. rifles and combination guns; e. ', 'suppressors', ' and mounts')
    """
    for m in _TOKEN.finditer(text):
        token = fold(m.group())
        if any(token == w or (not any(c.isdigit() for c in w) and token.startswith(w)) for w in words):
            lo, hi = max(0, m.start() - SNIPPET_CHARS), min(len(text), m.end() + SNIPPET_CHARS)
            before, after = text[lo : m.start()], text[m.end() : hi]
            if lo > 0:
                before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
            if hi < len(text):
                after = (after.rsplit(" ", 1)[0] if " " in after else after) + "…"
            return before, m.group(), after
    return "", "", ""
