"""The "Why" of a screening match in words an officer reads at a glance, from what the match stored: its
features ({"name": 0.92, "country": "match", "date_of_birth": "close", "identifier": None}), the listed and
matched names, and the matcher's explanation string, whose parts (aligned name parts, the country codes
and dates compared) are read here. Stored matches keep the explanation of the day they were raised, so the
reading is tolerant: a part it does not recognise is left out of the sentence, never guessed, and the
matcher's own text stays available beside the sentence. No database access."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_PAIR = re.compile(r"'([^']*)'(=|~)'([^']*)'(?: (\d\.\d+))?")
_EVIDENCE = re.compile(r"^(date of birth|country) (match|close|mismatch) \((.*) / (.*)\)$")
DOB_WORDS = {
    "match": "same date of birth",
    "close": "date of birth within 1 year",
    "mismatch": "different date of birth",
}


@dataclass(frozen=True)
class Why:
    sentence: str  # "Name matches alias 'X' (3 of 3 parts), same country (IR), date of birth within 1 year."
    details: list[str]  # the feature list, one fact a line
    explanation: str  # the matcher's own text


@dataclass
class _Reading:
    method: str = ""
    query: str = ""  # the party's name as the matcher normalised it
    pairs: list[tuple[str, str, float]] | None = None
    differing: list[str] | None = None
    extra: list[str] | None = None
    kinds: str = ""  # "person vs organisation"
    evidence: dict[str, tuple[str, str]] | None = None  # "country" -> (party's, listed)


def _read(explanation: str, matched_name: str) -> _Reading:
    """Split 'query Q vs M: METHOD: PAIRS; differing: ..; extra: ..; type ..; date of birth ..; country ..'.
    The matched name is known, so names holding quotes or semicolons do not confuse the split."""
    r = _Reading(pairs=[], differing=[], extra=[], evidence={})
    marker = f" vs '{matched_name}': "
    head, sep, rest = explanation.partition(marker)
    if not sep or not head.startswith("query '"):
        return r
    r.query = head[len("query '") : -1]
    exact = f"'{r.query}' = '{matched_name}' (exact after normalisation)"
    if rest.startswith(exact):
        r.method = "exact"
        rest = rest[len(exact) :]
        r.pairs = [(t, t, 1.0) for t in r.query.split()]
    segments = [s for s in rest.split("; ") if s]
    for seg in segments:
        if not r.method and ": " in seg:
            r.method, _, pairs = seg.partition(": ")
            r.pairs = [(a, b, 1.0 if eq == "=" else float(s or 0)) for a, eq, b, s in _PAIR.findall(pairs)]
        elif seg.startswith("differing: "):
            r.differing = seg[len("differing: ") :].split(", ")
        elif seg.startswith("extra: "):
            r.extra = seg[len("extra: ") :].split(", ")
        elif seg.startswith("type "):
            r.kinds = seg[len("type ") :]
        elif m := _EVIDENCE.match(seg):
            r.evidence[m.group(1)] = (m.group(3), m.group(4))  # type: ignore[index]
    return r


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _name_phrase(r: _Reading, features: dict[str, Any], listed_name: str, matched_name: str) -> str:
    which = "the listed name" if _same(matched_name, listed_name) else f"alias '{matched_name}'"
    if r.method == "exact":
        return f"Name matches {which} exactly"
    if r.method == "joined":
        return f"Name matches {which} when spaces are ignored"
    if r.pairs and r.query:
        words = r.query.split()
        matched = {w for a, _, _ in r.pairs for w in a.split()}
        n = sum(1 for w in words if w in matched)
        variants = sum(1 for _, _, s in r.pairs if s < 1.0)
        tail = f", {variants} spelt differently" if variants else ""
        return f"Name matches {which} ({n} of {len(words)} parts{tail})"
    score = features.get("name")
    return f"Name resembles {which}" + (
        f" (similarity {score:.2f})" if isinstance(score, int | float) else ""
    )


def _country_phrase(state: Any, codes: tuple[str, str] | None) -> str:
    if state == "match":
        return f"same country ({codes[0]})" if codes else "same country"
    if state == "mismatch":
        return f"different country ({codes[0]}; listed: {codes[1]})" if codes else "different country"
    return ""


def why(*, features: dict[str, Any] | None, explanation: str, listed_name: str, matched_name: str) -> Why:
    features = features or {}
    r = _read(explanation or "", matched_name)
    evidence = r.evidence or {}
    id_only = features.get("identifier") == "match" and not r.pairs
    # A hit on an identifier alone (passport, registration number) names no name parts to count.
    parts = [
        f"Same identifier as listed '{matched_name}'"
        if id_only
        else _name_phrase(r, features, listed_name, matched_name)
    ]
    if r.kinds:
        parts.append(f"different kind of party ({r.kinds})")
    parts.append(_country_phrase(features.get("country"), evidence.get("country")))
    parts.append(DOB_WORDS.get(str(features.get("date_of_birth")), ""))
    if features.get("identifier") == "match" and not id_only:
        parts.append("same identifier (passport, registration or similar number)")
    sentence = ", ".join(p for p in parts if p) + "."

    details = []
    if isinstance(features.get("name"), int | float):
        details.append(f"Name score {features['name']:.2f} (1.00 is identical after normalisation)")
    if r.method == "exact":
        details.append(
            "Equal after normalisation (case, punctuation and legal forms such as Ltd are ignored)"
        )
    for a, b, s in r.pairs or []:
        details.append(f"'{a}' = '{b}'" if s >= 1.0 else f"'{a}' ≈ '{b}' (spelling {s:.2f})")
    if r.differing:
        details.append("Parts that differ: " + ", ".join(r.differing))
    if r.extra:
        details.append("Parts on one side only: " + ", ".join(r.extra))
    if r.kinds:
        details.append(f"Kind of party: {r.kinds}")
    for label, key in (("Country", "country"), ("Date of birth", "date of birth")):
        if key in evidence:
            ours, listed = evidence[key]
            details.append(f"{label}: {ours} (party) / {listed} (listed)")
    if features.get("identifier") == "match":
        details.append("Identifier: equal")
    return Why(sentence=sentence, details=details, explanation=explanation or "")


def match_why(match: Any) -> Why:
    """The Why of a Match row (its entry already loaded by the caller's select_related)."""
    return why(
        features=match.features,
        explanation=match.explanation,
        listed_name=match.entry.name,
        matched_name=match.matched_name,
    )
