"""The batch path: the same hits, scores and explanations as screening one query at a time."""

from __future__ import annotations

import random
from collections import Counter
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warden.screening.matcher.batch import screen_many
from warden.screening.matcher.index import ScreeningIndex, _keys
from warden.screening.matcher.normalise import normalise
from warden.screening.matcher.records import Entry, Query

FIRST = ["Mohammed", "Muhammad", "Ali", "Kim", "Sergei", "Olga", "Jean", "Maria", "Hassan", "Li", "Chen"]
LAST = ["Hassan", "Ivanov", "Jong Un", "Petrova", "Dupont", "Garcia", "Al-Rashid", "Wang", "Kovalenko"]


def _index(prefilter: bool = True, candidates: int = 8, postings_budget: int = 40) -> ScreeningIndex:
    rnd = random.Random(11)
    index = ScreeningIndex(candidates=candidates, postings_budget=postings_budget, prefilter=prefilter)
    for i in range(400):
        names = [f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"]
        if i % 5 == 0:
            names.append(f"{rnd.choice(LAST)}, {rnd.choice(FIRST)}")
        index.add(
            Entry(
                key=str(i),
                names=names,
                kind="person",
                countries=frozenset({rnd.choice(["IR", "KP", "RU"])}),
                dobs=(f"19{rnd.randint(50, 99)}",),
                identifiers=frozenset({f"P{i}"}) if i % 7 == 0 else frozenset(),
                weak=frozenset(names[1:]),
            )
        )
    index.add(Entry(key="org", names=["Tanchon Commercial Bank"], kind="organisation"))
    return index


def _queries() -> list[Query]:
    rnd = random.Random(12)
    out = [
        Query(
            name=f"{rnd.choice(LAST)} {rnd.choice(FIRST)}",
            kind="person",
            country=rnd.choice([None, "IR", "KP"]),
            dob=rnd.choice([None, "1970", "1985-02-03"]),
        )
        for _ in range(120)
    ]
    out += [Query(name="Tanchon Commercial Bank Ltd", kind="organisation"), out[0], out[1]]
    return out


def _as_tuples(hits: list) -> list[tuple[str, float, float, str, str]]:
    return [(h.entry.key, h.score, h.name_score, h.matched_name, h.explanation) for h in hits]


def test_batch_gives_the_hits_scores_and_explanations_of_single_queries() -> None:
    index = _index()
    queries = _queries()
    single = [_as_tuples(index.screen(q, threshold=0.5, limit=5)) for q in queries]
    batch = [_as_tuples(h) for h in screen_many(index, queries, threshold=0.5, limit=5)]
    assert batch == single
    assert sum(1 for hits in single if hits) > 50  # the sample really exercises matches


def test_batch_on_forked_workers_gives_the_same_hits() -> None:
    index = _index()
    queries = _queries()
    single = [_as_tuples(index.screen(q, threshold=0.5, limit=5)) for q in queries]
    done: list[int] = []
    batch = screen_many(
        index, queries, threshold=0.5, limit=5, workers=2, chunk_size=30, progress=done.append
    )
    assert [_as_tuples(h) for h in batch] == single
    assert sum(done) == len(queries)  # duplicates are reported done with their first copy


def test_candidates_are_the_variants_sharing_most_keys_rarest_keys_first() -> None:
    # Reference: the Counter-based ranking (count, then first appearance) the numpy version replaced.
    index = _index()
    for q in _queries()[:60]:
        n = normalise(q.name, q.kind)
        votes: Counter[int] = Counter()
        keyed = sorted((len(p), k, p) for k in _keys(n) if (p := index.postings.get(k)))
        read = 0
        for i, (_, _, posting) in enumerate(keyed):
            if i >= 2 and read + len(posting) > index.postings_budget:
                break
            votes.update(posting)
            read += len(posting)
        expected = [v for v, _ in votes.most_common(index.candidates)]
        assert index._candidates([n]) == expected


def test_top_voted_ranks_like_a_counter_on_random_postings() -> None:
    import numpy as np

    from warden.screening.matcher.index import _top_voted

    rnd = random.Random(5)
    for _ in range(200):
        postings = [sorted(rnd.sample(range(60), rnd.randint(1, 25))) for _ in range(rnd.randint(2, 6))]
        k = rnd.randint(1, 12)
        votes: Counter[int] = Counter()
        for p in postings:
            votes.update(p)
        expected = [v for v, _ in votes.most_common(k)]
        assert _top_voted([np.array(p, dtype=np.uint32) for p in postings], k) == expected


def test_candidates_do_not_depend_on_the_hash_seed() -> None:
    # Keys come from a set; with equally long postings their order must not follow the hash seed.
    import os
    import subprocess
    import sys

    code = (
        "from warden.screening.tests.test_batch import _index, _queries\n"
        "from warden.screening.matcher.normalise import normalise\n"
        "i = _index()\n"
        "print([i._candidates([normalise(q.name, q.kind)]) for q in _queries()])\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1


@cache
def _index_pair(candidates: int) -> tuple[ScreeningIndex, ScreeningIndex]:
    return _index(True, candidates, 400), _index(False, candidates, 400)


@st.composite
def _screening_queries(draw: st.DrawFn) -> Query:
    def name() -> str:
        parts = draw(st.lists(st.sampled_from(FIRST + LAST), min_size=1, max_size=3))
        if draw(st.booleans()):  # a typo
            i = draw(st.integers(0, len(parts) - 1))
            j = draw(st.integers(0, len(parts[i]) - 1))
            parts[i] = parts[i][:j] + draw(st.sampled_from("aeiou")) + parts[i][j + 1 :]
        return " ".join(parts)

    return Query(
        name=name(),
        kind=draw(st.sampled_from(["person", "organisation", "any"])),
        aliases=tuple(name() for _ in range(draw(st.integers(0, 2)))),
        country=draw(st.sampled_from([None, "IR", "KP", "FR"])),
        dob=draw(st.sampled_from([None, "1970", "1985-02-03"])),
        identifiers=draw(st.sampled_from([(), ("P7",), ("p 14", "X1")])),
    )


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    queries=st.lists(_screening_queries(), min_size=1, max_size=8),
    threshold=st.sampled_from([0.3, 0.5, 0.62, 0.7, 0.75, 0.8, 0.9]),
    candidates=st.sampled_from([8, 15, 40]),
)
def test_skipping_candidates_whose_score_bound_is_below_the_threshold_changes_no_hit(
    queries: list[Query], threshold: float, candidates: int
) -> None:
    with_bound, without = _index_pair(candidates)
    for q in queries:
        expected = _as_tuples(without.screen(q, threshold=threshold, limit=50))
        assert _as_tuples(with_bound.screen(q, threshold=threshold, limit=50)) == expected


def test_the_bound_spares_most_candidates_the_full_scorer() -> None:
    # Not a timing: how many candidates reach the full scorer, which is what the bound saves.
    with_bound, without = _index_pair(15)
    for q in _queries()[:60]:
        without.screen(q, threshold=0.7)
    for q in _queries()[:60]:
        with_bound.screen(q, threshold=0.7)
    assert 0 < with_bound.aligned < without.aligned / 2


def test_a_skipped_variant_keeps_its_entrys_place_among_equal_scores() -> None:
    # Entry a's first candidate (a long name) is skipped, its second (a typo) is a hit; entry b ranks
    # between them. Both hits score 1.0 (clamped), so their order is the order entries were first met.
    def build(prefilter: bool) -> ScreeningIndex:
        index = ScreeningIndex(prefilter=prefilter)
        long_name = "Maria Garcia Lopez Fernandez Ortega Ruiz Santos Silva Costa Pereira"
        index.add(
            Entry(
                key="a",
                names=[long_name, "Marja Garcia"],
                kind="person",
                dobs=("1970",),
                countries=frozenset({"IR"}),
            )
        )
        index.add(Entry(key="b", names=["Maria Garcia"], kind="person"))
        return index

    query = Query(name="Maria Garcia", kind="person", dob="1970", country="IR")
    with_bound, without = build(True), build(False)
    assert with_bound._candidates([normalise(query.name, "person")])[0] == 0  # the long name first
    expected = _as_tuples(without.screen(query, threshold=0.7))
    assert [key for key, *_ in expected] == ["a", "b"]
    assert _as_tuples(with_bound.screen(query, threshold=0.7)) == expected


def test_a_name_just_below_the_threshold_is_scored_because_evidence_can_lift_it() -> None:
    extra = "Alpha Bravo Charlie Delta Echo Foxtrot Golf"
    for prefilter in (True, False):
        index = ScreeningIndex(prefilter=prefilter)
        index.add(
            Entry(
                key="e",
                names=[f"Maria Garcia Lopez {extra}"],
                kind="person",
                dobs=("1970",),
                countries=frozenset({"IR"}),
            )
        )
        hits = index.screen(
            Query(name="Maria Garcia Lopez", kind="person", dob="1970", country="IR"), threshold=0.7
        )
        assert [(h.entry.key, h.name_score) for h in hits] == [("e", 0.6316)]  # 3 / (3 + 7 * 0.25)
