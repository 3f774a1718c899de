"""Candidate index and screening: one query is scored against a few dozen candidates, not every entry.

Every name variant of every entry is indexed under keys derived from its parts: the part itself,
its phonetic key, and its first and last four letters (typo tolerance without character n-gram
postings, which would be too large for a million names), plus the entry's identifiers. A query
collects the variants sharing its keys, weighted by inverse document frequency, keeps the best
`candidates`, scores them with the aligner, and adds date-of-birth, country and identifier evidence.
Variants are kept as raw strings plus their normalised parts as ids into one shared table of parts, so
memory stays small: with a threshold, the parts give each candidate a score bound (bound.py), and only
candidates that could reach the threshold are normalised again (cached) and aligned.
"""

from __future__ import annotations

from array import array
from typing import Final

import numpy as np

from warden.screening.matcher.bound import QueryBound
from warden.screening.matcher.countries import country_code
from warden.screening.matcher.evidence import (
    COUNTRY_ADJUST,
    DOB_ADJUST,
    EVIDENCE,
    dob_evidence,
    norm_identifier,
)
from warden.screening.matcher.generic import STATE_BODY
from warden.screening.matcher.normalise import (
    ABJAD,
    CJK,
    CYRILLIC,
    HANGUL,
    KANA,
    LATIN,
    OTHER,
    NormName,
    Token,
    normalise,
)
from warden.screening.matcher.records import Entry, Hit, Query
from warden.screening.matcher.score import DEFAULT_WEIGHTS, NameResult, Weights, compare_names
from warden.screening.matcher.variants import acronym

# A state body of another state is another body: "Ministry of Defence" of Poland is not the DPRK's.
STATE_BODY_MISMATCH: Final = -0.25
# A name made only of generic words (NameResult.generic_only) identifies nothing without the country:
# against an organisation of another country its score is multiplied by this (1.0 -> 0.6, below the
# default threshold), and without a country on both sides it stays below certainty (GENERIC_CAP).
GENERIC_MISMATCH: Final = 0.6
GENERIC_CAP: Final = 0.85
WEAK_CAP: Final = 0.8
# A skipped candidate's bound must be below the cut by more than the rounding of two float sums.
_ROUNDING: Final = 1e-9
SCRIPTS: Final = (LATIN, CYRILLIC, ABJAD, CJK, HANGUL, KANA, OTHER)


def _keys(n: NormName) -> set[str]:
    keys: set[str] = set()
    for t in n.tokens:
        if t.kind in ("particle", "number", "initial"):
            continue
        keys.add("t:" + t.text)
        keys.add("p:" + t.key)
        if len(t.text) >= 3:
            keys.add("s:" + "".join(sorted(t.text)))
        if len(t.text) >= 6:
            keys.add("b:" + t.text[:4])
            keys.add("e:" + t.text[-4:])
    for ch in n.native:
        keys.add("n:" + ch)
    if n.joined and len(n.tokens) > 1:
        keys.add("j:" + n.joined[:8])
    # Acronyms ("IRGC") and the organisation names they stand for share one key (score.acronym_of).
    if len(n.tokens) == 1 and 2 <= len(n.texts[0]) <= 6:
        keys.add("a:" + n.texts[0])
    elif any([t.kind in ("generic", "place") for t in n.tokens]) and (acr := acronym(n.texts)):
        keys.add("a:" + acr)
    return keys


def _top_voted(postings: list[np.ndarray], k: int) -> list[int]:
    """The k variants appearing in the most postings, ties broken by first appearance in the stream of
    postings in order. Each posting holds a variant at most once, so the count of a variant is its run
    length in the sorted stream; sorting (variant << 32 | position in the stream) puts each run's first
    appearance at its start, so one sort gives both (a stable argsort, or a binary search per posting,
    costs twice as much)."""
    stream = np.concatenate(postings)
    keyed = (stream.astype(np.uint64) << np.uint64(32)) | np.arange(len(stream), dtype=np.uint64)
    keyed.sort()
    variants = keyed >> np.uint64(32)
    starts = np.flatnonzero(np.concatenate(([True], variants[1:] != variants[:-1])))
    counts = np.diff(starts, append=len(variants))
    # Counts are at most the number of postings: the k-th largest comes from a histogram, in O(n).
    hist = np.bincount(counts)
    at_least = np.cumsum(hist[::-1])[::-1]  # at_least[c] = variants with a count >= c
    kth = int(np.flatnonzero(at_least >= k)[-1]) if at_least[1] >= k else 1
    keep = counts >= kth
    runs, counts = starts[keep], counts[keep]
    first = keyed[runs] & np.uint64(0xFFFFFFFF)
    top: list[int] = variants[runs][np.lexsort((first, -counts))[:k]].tolist()
    return top


# The best name of an entry whose candidates were all skipped so far: below any threshold, never a hit.
_SKIPPED: Final = (-1.0, NameResult(score=-1.0, method="skipped"), NormName("", LATIN, ()), "")


def _state_body(name: str, kind: str) -> bool:
    return any([t.text in STATE_BODY for t in normalise(name, kind).tokens])


class ScreeningIndex:
    def __init__(
        self,
        weights: Weights = DEFAULT_WEIGHTS,
        candidates: int = 15,
        postings_budget: int = 8_000,
        prefilter: bool = True,
    ) -> None:
        self.weights = weights
        self.candidates = candidates
        self.postings_budget = postings_budget
        self.entries: list[Entry] = []
        self.variant_names: list[str] = []
        self.variant_entry = array("I")
        # Each variant's normalised parts, as ids into one table of distinct parts (a million names share
        # a few hundred thousand parts): enough for the score bound, which so skips normalising most
        # candidates again, in about 14 bytes a variant and no per-variant objects that forked workers
        # would copy by touching their reference counts.
        self.prefilter = prefilter
        self.parts: list[Token] = []
        self.part_ids: dict[Token, int] = {}
        self.variant_parts = array("I")
        self.variant_parts_end = array("I")
        self.variant_script = bytearray()
        self.postings: dict[str, array[int]] = {}
        self.id_postings: dict[str, list[int]] = {}
        # Name pairs the aligner scored (what the score bound saves): counted here, not by patching
        # compare_names, which the compiled module calls directly.
        self.aligned = 0

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, entry: Entry) -> None:
        eidx = len(self.entries)
        self.entries.append(entry)
        for name in dict.fromkeys(entry.names):
            n = normalise(name, entry.kind)
            if not n.tokens:
                continue
            vidx = len(self.variant_names)
            self.variant_names.append(name)
            self.variant_entry.append(eidx)
            for t in n.tokens:
                pid = self.part_ids.get(t)
                if pid is None:
                    pid = self.part_ids[t] = len(self.parts)
                    self.parts.append(t)
                self.variant_parts.append(pid)
            self.variant_parts_end.append(len(self.variant_parts))
            self.variant_script.append(SCRIPTS.index(n.script))
            for key in _keys(n):
                posting = self.postings.get(key)
                if posting is None:
                    posting = self.postings[key] = array("I")
                posting.append(vidx)
        for ident in entry.identifiers:
            self.id_postings.setdefault(norm_identifier(ident), []).append(eidx)

    def _candidates(self, names: list[NormName]) -> list[int]:
        """The variants sharing the most keys with the query. Keys are taken rarest first (the rare ones
        identify; "t:muhammad" does not) until about POSTINGS_BUDGET postings were read, at least two per
        name. Ranked by votes, then by first appearance in the postings read (the order of a Counter's
        most_common, which an earlier version used: the candidates are the same, found 10-30x faster)."""
        selected: list[array[int]] = []
        for n in names:
            # Ties in length are broken by key: a set's order changes with the process's hash seed, and
            # the candidates (and so a past screening's explanation) must not.
            keyed = sorted((len(p), k, p) for k in _keys(n) if (p := self.postings.get(k)))
            read = 0
            for i, (_, _, posting) in enumerate(keyed):
                if i >= 2 and read + len(posting) > self.postings_budget:
                    break
                selected.append(posting)
                read += len(posting)
        if not selected:
            return []
        if len(selected) == 1:
            return list(selected[0][: self.candidates])
        return _top_voted([np.frombuffer(p, dtype=np.uint32) for p in selected], self.candidates)

    def variant_tokens(self, vidx: int) -> list[Token]:
        """A variant's normalised parts, as the index stored them (those of normalise(name, kind))."""
        start = self.variant_parts_end[vidx - 1] if vidx else 0
        parts = self.parts
        return [parts[i] for i in self.variant_parts[start : self.variant_parts_end[vidx]]]

    def screen(self, query: Query, threshold: float = 0.0, limit: int = 10) -> list[Hit]:
        kind = query.kind
        qnames = [normalise(x, kind) for x in dict.fromkeys((query.name, *query.aliases)) if x]
        qnames = [n for n in qnames if n.tokens]
        id_hits: set[int] = set()
        for ident in query.identifiers:
            id_hits.update(self.id_postings.get(norm_identifier(ident), ()))
        # A name scoring below `cut` cannot become a hit (see the gate below), so a candidate whose score
        # bound is below it is not scored. Identifier hits are always scored: they are reported anyway,
        # with their best name.
        cut = threshold - EVIDENCE - _ROUNDING
        bounds = [QueryBound(qn, self.weights) for qn in qnames] if self.prefilter and cut > 0 else []
        best: dict[int, tuple[float, NameResult, NormName, str]] = {}
        for vidx in self._candidates(qnames):
            eidx = self.variant_entry[vidx]
            cand: NormName | None = None
            if bounds and eidx not in id_hits:
                parts = self.variant_tokens(vidx)
                script = SCRIPTS[self.variant_script[vidx]]
                # Only a non-Latin name is read (for its original-script parts): in a forked worker every
                # object read is written to (its reference count), which copies its page.
                raw = self.variant_names[vidx] if script != LATIN else ""
            else:
                parts = None
            for i, qn in enumerate(qnames):
                if parts is not None and bounds[i].upper(parts, script, raw, cut) < cut:
                    # Keep the entry's place: hits of equal score are reported in this order.
                    best.setdefault(eidx, _SKIPPED)
                    continue
                if cand is None:
                    cand = normalise(self.variant_names[vidx], self.entries[eidx].kind)
                res = compare_names(qn, cand, self.weights)
                self.aligned += 1
                if eidx not in best or res.score > best[eidx][0]:
                    best[eidx] = (res.score, res, qn, self.variant_names[vidx])
        for eidx in id_hits - best.keys():
            entry = self.entries[eidx]
            best[eidx] = (
                0.0,
                NameResult(score=0.0, method="none"),
                qnames[0] if qnames else normalise(""),
                entry.names[0] if entry.names else "",
            )
        hits = []
        for eidx, (name_score, res, qn, matched) in best.items():
            # Only the name score can be known cheaply; evidence adds at most EVIDENCE.
            if name_score + EVIDENCE >= threshold or eidx in id_hits:
                hit = self._hit(query, eidx, name_score, res, qn, matched, eidx in id_hits)
                if hit.score >= threshold:
                    hits.append(hit)
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def _hit(
        self,
        query: Query,
        eidx: int,
        name_score: float,
        res: NameResult,
        qn: NormName,
        matched: str,
        id_hit: bool,
    ) -> Hit:
        entry = self.entries[eidx]
        w = self.weights
        score = name_score
        kinds = {query.kind, entry.kind} - {"any"}
        type_note = ""
        if len(kinds) == 2:
            score *= w.type_mismatch
            type_note = f"; type {query.kind} vs {entry.kind}"
        dob = dob_evidence(query.dob, entry.dobs)
        country = None
        query_country = country_code(query.country)
        if query_country and entry.countries:
            country = "match" if query_country in entry.countries else "mismatch"
        score += DOB_ADJUST[dob] + COUNTRY_ADJUST[country]
        notes = []
        if entry.kind != "person" and query.kind != "person":
            if res.generic_only and res.method != "none":
                if country == "mismatch":
                    score *= GENERIC_MISMATCH
                    notes.append("only generic words agree and the countries differ")
                elif country is None:
                    score = min(score, GENERIC_CAP)
                    notes.append("only generic words agree and a country is not known on both sides")
            elif country == "mismatch" and _state_body(matched, entry.kind):
                score += STATE_BODY_MISMATCH
                notes.append("a state body of another country")
        if matched in entry.weak:
            score = min(score, WEAK_CAP)
            notes.append("weak alias")
        if id_hit:
            score = max(score, 0.98)
        score = max(0.0, min(1.0, score))
        explanation = (
            f"query '{qn.comparable}' vs '{matched}': " + res.explain(qn.comparable, matched) + type_note
        )
        if dob:
            explanation += f"; date of birth {dob} ({query.dob} / {', '.join(entry.dobs)})"
        if country:
            explanation += f"; country {country} ({query.country} / {', '.join(sorted(entry.countries))})"
        if notes:
            explanation += "; " + "; ".join(notes)
        if id_hit:
            explanation += "; identifier equal"
        return Hit(
            entry=entry,
            score=round(score, 4),
            name_score=round(name_score, 4),
            query_name=query.name,
            matched_name=matched,
            features={
                "name": round(name_score, 4),
                "country": country,
                "date_of_birth": dob,
                "identifier": "match" if id_hit else None,
            },
            explanation=explanation,
        )
