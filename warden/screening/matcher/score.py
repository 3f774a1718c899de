"""Explainable name scoring: one-to-one alignment of name parts, then a weighted agreement score.

For two normalised names the parts are aligned greedily, best pair first (so reordered names align).
Each aligned pair scores 1.0 when equal, less for each edit within a length-dependent budget
(a 4-letter part allows no edit, so "Bush" never becomes "Habbash"), 0.85 when both parts have one
canonical spelling (transliteration systems, nicknames: variants.py), 0.8 when only the phonetic key
agrees, 0.7 for an initial against a name with that initial (or a last part cut short, "DR" / "DRISSI").
Country names (places) are never paired on the phonetic key alone.

    score = sum(w * s over aligned pairs)
            / (sum(w over aligned pairs) + CONFLICT * conflicting weight + EXTRA * extra weight)

A part left unaligned on both sides is a conflict ("Barack" against "Michelle"): it weighs heavily.
A part present on one side only (a middle name, a patronymic, "Europe") is an extra: it weighs
lightly. Particles (al, bin, de), numbers and initials weigh 0.3-0.5, generic organisation words 0.5,
and legal forms and stopwords were already removed by normalisation, so they can never drive a match.
An organisation type left over on one side ("Holdings") where the other has a legal form is a conflict.
A name that is the other's initials scores 0.8 ("IRGC"). When no distinctive part agrees the result is
`generic_only`, and the index weighs the country heavily (index.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import extractOne

from warden.screening.matcher.generic import words
from warden.screening.matcher.normalise import ABJAD, LATIN, NormName, Token, normalise
from warden.screening.matcher.variants import acronym, undouble

# Organisation-type words: where one name has a legal form and the other one of these instead ("Myanmar
# Economic Holdings" / "Myanmar Economic Corporation"), the two name different kinds of body.
ORG_TYPES: Final = words(
    "holdings group enterprises industries trust foundation association partners partnership company "
    "cooperative consortium bank fund institute agency"
)


@dataclass(frozen=True)
class Weights:
    conflict: float = 2.0  # cost of a part unmatched on both sides, per unit of weight
    extra: float = 0.25  # cost of a part present on one side only
    phonetic: float = 0.8  # similarity of two parts that only agree phonetically
    initial: float = 0.7  # similarity of an initial with a name starting with it
    edit_step: float = 0.12  # similarity lost per edit within the budget
    no_distinctive: float = 0.6  # factor when only particles / generic words agree
    type_mismatch: float = 0.7  # factor when a person is compared with an organisation
    variant: float = 0.85  # two spellings of one name: transliteration systems, nicknames (variants.canon)
    acronym: float = 0.8  # a name against the initials of the other ("IRGC")


DEFAULT_WEIGHTS: Final = Weights()


@dataclass
class NameResult:
    score: float
    pairs: list[tuple[str, str, float]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    method: str = "alignment"
    # No distinctive part agrees: the names share only generic words, places, particles or numbers
    # ("Ministry of National Defence"). The index then weighs the country heavily.
    generic_only: bool = False

    def explain(self, query: str, candidate: str) -> str:
        if self.method == "exact":
            return f"'{query}' = '{candidate}' (exact after normalisation)"
        parts = []
        for a, b, s in self.pairs:
            parts.append(f"'{a}'='{b}'" if s >= 1.0 else f"'{a}'~'{b}' {s:.2f}")
        text = f"{self.method}: " + ", ".join(parts) if parts else f"{self.method}: no parts aligned"
        if self.conflicts:
            text += "; differing: " + ", ".join(self.conflicts)
        if self.extras:
            text += "; extra: " + ", ".join(self.extras)
        return text


def _budget(length: int) -> int:
    if length <= 4:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3


@lru_cache(maxsize=100_000)
def _undouble(a: str) -> str:
    return undouble(a)


@lru_cache(maxsize=500_000)
def _string_sim(a: str, b: str, step: float) -> float:
    """Similarity of two part strings within the edit budget, else 0."""
    if a == b:
        return 1.0
    length = max(len(a), len(b))
    budget = _budget(length)
    if budget == 0:
        # Short parts allow no spelling change, only a swapped pair or a doubled letter ("sok"/"sko").
        if length >= 3 and (
            sorted(a) == sorted(b) and OSA.distance(a, b) == 1 or _undouble(a) == _undouble(b)
        ):
            return 1.0 - step
        return 0.0
    if abs(len(a) - len(b)) > budget:
        return 0.0
    d = OSA.distance(a, b, score_cutoff=budget)  # a transposition is one edit
    return 1.0 - step * d if d <= budget else 0.0


@lru_cache(maxsize=200_000)
def _plausible(a: str, b: str) -> bool:
    # A shared phonetic key alone is too coarse within one script ("Baker" / "Boccieri").
    return Levenshtein.normalized_similarity(a, b) >= 0.6


def token_sim(a: Token, b: Token, loose: bool, w: Weights = DEFAULT_WEIGHTS) -> float:
    # Unpacked once: a NamedTuple's attribute is a Python-level lookup, and this runs for every pair
    # of parts of every pair of names aligned.
    at, _, ak, akey, acanon = a
    bt, _, bk, bkey, bcanon = b
    if at == bt:
        return 1.0
    if ak == "initial" or bk == "initial":
        return w.initial if at[0] == bt[0] else 0.0
    if ak == "number" or bk == "number":
        return 0.0
    s = _string_sim(at, bt, w.edit_step)
    if acanon and acanon == bcanon:
        # One name in two transliteration systems, or a nickname (bound.py looks canons up).
        return max(s, w.variant)
    if s:
        return s
    if ak == "place" or bk == "place":
        # Country names are not fuzzed beyond the edit budget: "Bank Rossiya" is not "Bank of Russia".
        return 0.0
    if (
        len(akey) >= 2
        and akey == bkey
        and (loose or _plausible(at, bt) or (acanon and bcanon and _plausible(acanon, bcanon)))
    ):
        return w.phonetic
    if loose and len(akey) >= 3 and len(bkey) >= 3 and Levenshtein.distance(akey, bkey, score_cutoff=1) <= 1:
        # Across scripts (an abjad rendering has no vowels) a one-consonant difference is still plausible.
        return w.phonetic - 0.1
    return 0.0


def _align(
    ta: tuple[Token, ...], tb: tuple[Token, ...], loose: bool, w: Weights
) -> tuple[list[tuple[int, int, float]], set[int], set[int]]:
    cands: list[tuple[float, int, int]] = []
    for i, a in enumerate(ta):
        text = a[0]
        for j, b in enumerate(tb):
            # Equal parts (token_sim's first case) without the call: similar names share most parts.
            s = 1.0 if text == b[0] else token_sim(a, b, loose, w)
            if s > 0.0:
                cands.append((s, i, j))
    cands.sort(key=lambda c: (-c[0], abs(c[1] - c[2])))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for s, i, j in cands:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, s))
    return pairs, used_a, used_b


def _merge_rescue(
    ta: tuple[Token, ...], tb: tuple[Token, ...], used_a: set[int], used_b: set[int], w: Weights
) -> list[tuple[int, tuple[int, int], float]]:
    """A part of one name written as two parts in the other ("gazprombank" / "gazprom bank")."""
    found = []
    for i, a in enumerate(ta):
        if i in used_a or len(a.text) < 4:
            continue
        budget = _budget(len(a.text))
        for j in range(len(tb) - 1):
            if j in used_b or j + 1 in used_b or tb[j].text[0] != a.text[0]:
                continue
            if abs(len(tb[j].text) + len(tb[j + 1].text) - len(a.text)) > budget:
                continue
            s = _string_sim(a.text, tb[j].text + tb[j + 1].text, w.edit_step)
            if s:
                used_a.add(i)
                used_b.update((j, j + 1))
                found.append((i, (j, j + 1), s))
                break
    return found


def _truncated(
    ta: tuple[Token, ...], tb: tuple[Token, ...], used_a: set[int], used_b: set[int]
) -> list[tuple[int, int]]:
    """The last part of one name cut short, as a form's field limit does ("Belkassem DR" for "Belkassem
    DRISSI"): paired, like an initial, with a part of the other name that it begins. Only in a name of
    three parts or more whose other parts all aligned: "Lind" alone is not "Lindemann"."""
    out: list[tuple[int, int]] = []
    for x, y, ux, uy, flip in ((ta, tb, used_a, used_b, False), (tb, ta, used_b, used_a, True)):
        k = len(x) - 1
        last = x[k]
        if k < 2 or len(ux) != k or k in ux or last.kind != "name" or len(last.text) < 2:
            continue
        for j, t in enumerate(y):
            if (
                j not in uy
                and t.kind == "name"
                and len(t.text) > len(last.text)
                and t.text.startswith(last.text)
            ):
                ux.add(k)
                uy.add(j)
                out.append((j, k) if flip else (k, j))
                break
    return out


def _score_tokens(
    ta: tuple[Token, ...],
    tb: tuple[Token, ...],
    loose: bool,
    w: Weights,
    strict: tuple[bool, bool] = (False, False),
    org_strict: tuple[bool, bool] = (False, False),
    truncation: bool = True,
) -> NameResult:
    """`strict` marks a side whose extra distinctive parts count as conflicts: a name without a legal form
    against one with ("emma daniels" / "EMMA LLC"), where an extra surname means another kind of party."""
    pairs, used_a, used_b = _align(ta, tb, loose, w)
    num = 0.0
    matched = 0.0
    distinctive = False
    out_pairs: list[tuple[str, str, float]] = []
    for i, j, s in pairs:
        # Unpacked once: a NamedTuple's attribute is a Python-level lookup.
        at, aw, ak, _, _ = ta[i]
        bt, bw, bk, _, _ = tb[j]
        pw = min(aw, bw)
        num += pw * s
        matched += pw
        distinctive = distinctive or (ak == "name" and bk == "name")
        out_pairs.append((at, bt, s))
    if len(used_a) < len(ta) and len(used_b) < len(tb):
        for i, (j1, j2), s in _merge_rescue(ta, tb, used_a, used_b, w):
            num += ta[i].weight * s
            matched += ta[i].weight
            distinctive = True
            out_pairs.append((ta[i].text, tb[j1].text + " " + tb[j2].text, s))
        for j, (i1, i2), s in _merge_rescue(tb, ta, used_b, used_a, w):
            num += tb[j].weight * s
            matched += tb[j].weight
            distinctive = True
            out_pairs.append((ta[i1].text + " " + ta[i2].text, tb[j].text, s))
        for i, j in _truncated(ta, tb, used_a, used_b) if truncation else ():
            pw = min(ta[i].weight, tb[j].weight)
            num += pw * w.initial
            matched += pw
            distinctive = True
            out_pairs.append((ta[i].text, tb[j].text, w.initial))
    rest_a = [t for i, t in enumerate(ta) if i not in used_a]
    rest_b = [t for j, t in enumerate(tb) if j not in used_b]
    wa = sum([t[1] for t in rest_a])  # t[1]: the weight; the same additions in the same order
    wb = sum([t[1] for t in rest_b])
    conflict = min(wa, wb)
    extra = wa + wb - 2 * conflict
    for side, rest, other in ((0, rest_a, wb), (1, rest_b, wa)):
        if other:
            continue
        if strict[side]:
            moved = sum(t.weight for t in rest if t.kind == "name" or t.text in ORG_TYPES)
        elif org_strict[side]:
            # An organisation type on one side where the other has a legal form: another body.
            moved = sum(t.weight for t in rest if t.text in ORG_TYPES)
        else:
            continue
        conflict, extra = conflict + moved, extra - moved
    den = matched + w.conflict * conflict + w.extra * extra
    score = num / den if den > 0 else 0.0
    if not distinctive and any([t[2] == "name" for t in (*ta, *tb)]):  # t[2]: the kind
        # Only particles or generic words agree while a distinctive part differs.
        score *= w.no_distinctive
    result = NameResult(score=score, pairs=out_pairs, generic_only=not distinctive)
    if conflict:
        result.conflicts = [t.text for t in rest_a] + [t.text for t in rest_b]
    else:
        result.extras = [t.text for t in rest_a] + [t.text for t in rest_b]
    return result


def _disjoint(a: NormName, b: NormName) -> bool:
    """True when no part of one name can align with any part of the other: no shared phonetic key, no
    initial, and (checked in C by rapidfuzz) no pair of parts within a plausible edit distance. Most
    compared pairs are unrelated names; this skips the alignment for them."""
    if a.keyset & b.keyset or a.has_initial or b.has_initial:
        return False
    texts = b.texts
    return all(
        extractOne(t, texts, scorer=OSA.normalized_similarity, score_cutoff=0.6) is None for t in a.texts
    )


def _native(n: NormName) -> tuple[Token, ...]:
    return tuple(Token(t, 1.0, "name", t) for t in n.native)


def _distinctive(n: NormName) -> bool:
    return any([t.kind == "name" for t in n.tokens])


def acronym_of(a: NormName, b: NormName) -> bool:
    """Whether one name is the other's initials ("IRGC" / "Islamic Revolutionary Guard Corps")."""
    if len(a.tokens) == 1 and len(b.tokens) > 1:
        short, long = a, b
    elif len(b.tokens) == 1 and len(a.tokens) > 1:
        short, long = b, a
    else:
        return False
    t = short.tokens[0]
    # Only organisations have acronyms: the long name has a generic word ("Guard Corps", "Army"), so
    # that initials written together ("N.N.") never stand for a person's name.
    return (
        t.kind not in ("initial", "number")
        and 2 <= len(t.text) <= 6
        and t.text == acronym(long.texts)
        and any([x.kind in ("generic", "place") for x in long.tokens])
    )


def compare_names(a: NormName, b: NormName, w: Weights = DEFAULT_WEIGHTS) -> NameResult:
    """Score two normalised names in [0, 1] with the alignment that explains it."""
    if not a.tokens or not b.tokens:
        return NameResult(score=0.0, method="empty")
    if a.comparable == b.comparable:
        return NameResult(
            score=1.0,
            pairs=[(t, t, 1.0) for t in a.texts],
            method="exact",
            generic_only=not _distinctive(a),
        )
    if a.script == b.script and a.script != LATIN and a.native and b.native:
        # Both in the same non-Latin script: compare what was written, not a lossy transliteration.
        # (Legal forms are still in these words, so a cut-short last part is not looked for.)
        result = _score_tokens(_native(a), _native(b), False, w, truncation=False)
        result.method = f"{a.script} script"
        return result
    loose = a.script != b.script and ABJAD in (a.script, b.script)
    if not loose and _disjoint(a, b):
        result = NameResult(score=0.0, conflicts=[*a.texts, *b.texts])
    else:
        strict = (not a.legal_forms and bool(b.legal_forms), not b.legal_forms and bool(a.legal_forms))
        result = _score_tokens(
            a.tokens, b.tokens, loose, w, strict, (bool(b.legal_forms), bool(a.legal_forms))
        )
    if result.score < w.acronym and acronym_of(a, b):
        return NameResult(
            score=w.acronym,
            pairs=[(a.comparable, b.comparable, w.acronym)],
            method="acronym",
            generic_only=not (_distinctive(a) or _distinctive(b)),
        )
    if result.score < 0.9 and len(a.joined) >= 6:
        # Spacing differences the parts cannot see ("SergeiLavrov", "Xi Jinping" / "xi jin ping").
        j = Levenshtein.normalized_similarity(a.joined, b.joined)
        if j >= 0.9 and j > result.score:
            return NameResult(
                score=j,
                pairs=[(a.joined, b.joined, j)],
                method="joined",
                generic_only=not (_distinctive(a) or _distinctive(b)),
            )
    return result


def score_pair(name1: str, name2: str, kind: str = "any", w: Weights = DEFAULT_WEIGHTS) -> float:
    """Score two raw names (the CLI's score-pairs and the benchmark use this)."""
    return compare_names(normalise(name1, kind), normalise(name2, kind), w).score
