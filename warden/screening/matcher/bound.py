"""A cheap upper bound on `compare_names(query, candidate).score`, so that screening skips the candidates
that cannot reach the threshold without normalising or aligning them (most of the ~15 candidates of a
query share one part with it and differ in the rest).

Why it is an upper bound. compare_names returns 1.0 for equal names, else a part score (on the
transliterated parts, or on the original ones when both names are in the same non-Latin script),
raised to the joined names' similarity when that is at least 0.9 (transliterated path only). The part
score is num / den (times no_distinctive <= 1 when no distinctive part agrees), where over the aligned
pairs num = sum(min weight * similarity) <= M = sum(min weight) (similarities are at most 1), and
den = M + conflict * min(ra, rb) + extra * |ra - rb| (+ (conflict - extra) * moved for a missing legal
form), ra and rb being the weights left unaligned on each side. With conflict >= extra >= 0 that is
non-decreasing in ra and rb, and M / (M + K) grows with M. The greedy alignment pairs only parts with
token_sim > 0 ("compatible"), so when no merged-part rescue is possible, k aligned pairs satisfy
k <= min(compatible query parts, compatible candidate parts), each side's aligned weight is at most
the sum of its k heaviest compatible parts (wa, wb), so M <= min(wa, wb), ra >= total_a - wa,
rb >= total_b - wb, and the score is at most g(min(wa, wb), total_a - wa, total_b - wb).
The bound gives up (returns 1.0) when a merged-part rescue ("gazprombank" / "gazprom bank") is possible,
the joined names are 0.9 alike, one name is the other's initials (the acronym rule), or a cut-short last
part could pair (score._truncated). Compatibility (token_sim > 0, or possibly more, never less: see
_mask) is worked out once per distinct candidate part and query. The test is
warden/screening/tests/test_bound.py: the bound against the scorer on generated names (hypothesis).
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import extract

from warden.screening.matcher.normalise import ABJAD, LATIN, NormName, Token, _native_tokens
from warden.screening.matcher.score import (
    Weights,
    _budget,
    _native,
    _string_sim,
    _undouble,
    token_sim,
)
from warden.screening.matcher.variants import acronym


def bound_applies(w: Weights) -> bool:
    """The proof needs conflicts to cost at least as much as extras, and no part similarity or factor
    above 1 (configured weights could break either)."""
    return (
        w.conflict >= w.extra >= 0.0
        and w.phonetic <= 1.0
        and w.initial <= 1.0
        and w.variant <= 1.0
        and w.acronym <= 1.0
        and w.edit_step >= 0.0
        and 0.0 <= w.no_distinctive <= 1.0
    )


class _PartsBound:
    """The bound on _score_tokens(query parts, candidate parts, loose) for one list of query parts."""

    def __init__(self, tokens: Sequence[Token], loose: bool, w: Weights) -> None:
        self.tokens = tuple(tokens)
        self.loose = loose
        self.w = w
        self.total = sum(t.weight for t in tokens)
        self.weights = [t.weight for t in tokens]
        # Merged-part rescue, either way: a long query part against two adjacent candidate parts, a long
        # candidate part against two adjacent query parts. Indexed by first letter, which must agree.
        self.long_by_first: dict[str, list[str]] = {}
        for t in tokens:
            if len(t.text) >= 4:
                self.long_by_first.setdefault(t.text[0], []).append(t.text)
        self.pairs_by_first: dict[str, list[str]] = {}
        for a, b in zip(tokens, tokens[1:], strict=False):
            self.pairs_by_first.setdefault(a.text[0], []).append(a.text + b.text)
        # What token_sim checks, as lookups: equal texts, initials by first letter, phonetic keys, short
        # parts by their undoubled form; "plain" parts (neither initial nor number) by edit similarity.
        self.by_text: dict[str, int] = {}
        self.by_first: dict[str, int] = {}
        self.initials_by_first: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.by_canon: dict[str, int] = {}
        self.short_undoubled: dict[str, int] = {}
        self.plain_texts: list[str] = []
        self.plain_bits: list[int] = []
        for i, t in enumerate(tokens):
            bit = 1 << i
            self.by_text[t.text] = self.by_text.get(t.text, 0) | bit
            self.by_first[t.text[0]] = self.by_first.get(t.text[0], 0) | bit
            if t.kind == "initial":
                self.initials_by_first[t.text[0]] = self.initials_by_first.get(t.text[0], 0) | bit
            elif t.kind != "number":
                self.plain_texts.append(t.text)
                self.plain_bits.append(bit)
                if len(t.key) >= 2:
                    self.by_key[t.key] = self.by_key.get(t.key, 0) | bit
                if t.canon:
                    self.by_canon[t.canon] = self.by_canon.get(t.canon, 0) | bit
                if len(t.text) <= 4:
                    u = _undouble(t.text)
                    self.short_undoubled[u] = self.short_undoubled.get(u, 0) | bit
        self.all_plain = sum(self.plain_bits)
        self._masks: dict[Token, int] = {}
        self._heaviest: dict[int, list[float]] = {}

    def _mask(self, b: Token) -> int:
        """The query parts that may be compatible with `b` (token_sim > 0), as bits: possibly more,
        never fewer. Parts that only a plain-part rule could pair are confirmed with token_sim itself,
        after a cheap filter: within the edit budget means an OSA similarity of at least 2/3 (0.6 is
        asked), except a doubled letter in a 3-4 letter part, looked up by its undoubled form."""
        text = b.text
        mask = self.by_text.get(text, 0)
        if b.kind == "initial":
            return mask | self.by_first.get(text[0], 0)
        mask |= self.initials_by_first.get(text[0], 0)
        if b.kind == "number" or not self.plain_texts:
            return mask
        if self.loose:
            maybe = self.all_plain  # a one-consonant key difference also pairs: check every part
        else:
            maybe = self.by_key.get(b.key, 0) if len(b.key) >= 2 else 0
            if b.canon:
                maybe |= self.by_canon.get(b.canon, 0)
            if len(text) <= 4:
                maybe |= self.short_undoubled.get(_undouble(text), 0)
            for _, _, i in extract(
                text, self.plain_texts, scorer=OSA.normalized_similarity, score_cutoff=0.6, limit=None
            ):
                maybe |= self.plain_bits[i]
        maybe &= ~mask
        if maybe:
            for i, a in enumerate(self.tokens):
                if maybe >> i & 1 and token_sim(a, b, self.loose, self.w) > 0.0:
                    mask |= 1 << i
        return mask

    def _heaviest_sums(self, mask: int) -> list[float]:
        """Sums of the k heaviest query parts in `mask`, for k = 0, 1, ..."""
        sums = self._heaviest.get(mask)
        if sums is None:
            ws = sorted((w for i, w in enumerate(self.weights) if mask >> i & 1), reverse=True)
            sums = [0.0]
            for x in ws:
                sums.append(sums[-1] + x)
            self._heaviest[mask] = sums
        return sums

    def merge_possible(self, parts: Sequence[Token]) -> bool:
        """Whether _merge_rescue could pair anything, whichever parts the alignment left over."""
        step = self.w.edit_step
        for j in range(len(parts) - 1):
            combined = parts[j].text + parts[j + 1].text
            for a in self.long_by_first.get(combined[0], ()):
                if abs(len(combined) - len(a)) <= _budget(len(a)) and _string_sim(a, combined, step):
                    return True
        for b in parts:
            if len(b.text) >= 4:
                for combined in self.pairs_by_first.get(b.text[0], ()):
                    if abs(len(combined) - len(b.text)) <= _budget(len(b.text)) and _string_sim(
                        b.text, combined, step
                    ):
                        return True
        return False

    def truncation_possible(self, parts: Sequence[Token]) -> bool:
        """Whether score._truncated could pair a cut-short last part, either way: the conditions it
        checks on the one side alone (3+ parts, a name of 2+ letters last), then the texts."""
        last = parts[-1]
        if len(parts) >= 3 and last.kind == "name" and len(last.text) >= 2:
            text = last.text
            if any([len(t.text) > len(text) and t.text.startswith(text) for t in self.tokens]):
                return True
        q_last = self.tokens[-1]
        if len(self.tokens) >= 3 and q_last.kind == "name" and len(q_last.text) >= 2:
            text = q_last.text
            return any([len(t.text) > len(text) and t.text.startswith(text) for t in parts])
        return False

    def upper(self, parts: Sequence[Token]) -> float:
        masks = self._masks
        compatible: list[float] = []
        reached = 0
        total_b = 0.0
        for t in parts:
            total_b += t.weight
            m = masks.get(t)
            if m is None:
                m = masks[t] = self._mask(t)
            if m:
                reached |= m
                compatible.append(t.weight)
        k = min(len(compatible), reached.bit_count())
        if not k:
            return 0.0
        wa = self._heaviest_sums(reached)[k]
        compatible.sort(reverse=True)
        wb = sum(compatible[:k])
        matched = min(wa, wb)
        ra, rb = self.total - wa, total_b - wb
        den = matched + self.w.conflict * min(ra, rb) + self.w.extra * abs(ra - rb)
        return matched / den if den > 0 else 0.0


class QueryBound:
    """One query name, prepared once; `upper` is then called for each candidate."""

    def __init__(self, query: NormName, w: Weights) -> None:
        self.query = query
        self.w = w
        self.usable = bound_applies(w) and bool(query.tokens)
        self.joined = query.joined if len(query.joined) >= 6 else ""
        # The acronym rule (score.acronym_of), by text alone: a superset of the cases it applies to.
        self.acronym = acronym(query.texts)
        self.single = query.texts[0] if len(query.texts) == 1 else ""
        self._parts: dict[bool, _PartsBound] = {}
        self._native: _PartsBound | None = None

    def _parts_bound(self, loose: bool) -> _PartsBound:
        pb = self._parts.get(loose)
        if pb is None:
            pb = self._parts[loose] = _PartsBound(self.query.tokens, loose, self.w)
        return pb

    def upper(self, parts: Sequence[Token], script: str, name: str, cut: float = 1.0) -> float:
        """At least compare_names(query, candidate).score, for a candidate whose normalised parts and
        script these are (the index keeps them; normalise would give the same). `name`, the raw name, is
        read only when the script is the query's and not Latin. Returns 1.0 instead, saving the rest of
        the work, as soon as the bound cannot be below `cut`."""
        q = self.query
        if not parts:
            return 0.0
        if not self.usable or " ".join([t.text for t in parts]) == q.comparable:
            return 1.0
        if script == q.script and script != LATIN and q.native:
            native = _native_tokens(name, script)
            if native:
                if self._native is None:
                    self._native = _PartsBound(_native(q), False, self.w)
                b_parts = tuple(Token(t, 1.0, "name", t) for t in native)
                bound = self._native.upper(b_parts)
                return 1.0 if bound >= cut or self._native.merge_possible(b_parts) else bound
        if (self.acronym and len(parts) == 1 and parts[0].text == self.acronym) or (
            self.single and len(parts) > 1 and acronym(tuple([t.text for t in parts])) == self.single
        ):
            return 1.0
        pb = self._parts_bound(q.script != script and ABJAD in (q.script, script))
        bound = pb.upper(parts)
        if bound >= cut:
            return 1.0
        # The scorer's own computation on the same strings, so the same float.
        if (
            self.joined
            and Levenshtein.normalized_similarity(self.joined, "".join([t.text for t in parts])) >= 0.9
        ):
            return 1.0
        return 1.0 if pb.merge_possible(parts) or pb.truncation_possible(parts) else bound
