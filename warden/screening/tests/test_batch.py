"""The batch path: the same hits, scores and explanations as screening one query at a time."""

from __future__ import annotations

import random
from collections import Counter

from warden.screening.matcher.batch import screen_many
from warden.screening.matcher.index import Entry, Query, ScreeningIndex, _keys
from warden.screening.matcher.normalise import normalise

FIRST = ["Mohammed", "Muhammad", "Ali", "Kim", "Sergei", "Olga", "Jean", "Maria", "Hassan", "Li", "Chen"]
LAST = ["Hassan", "Ivanov", "Jong Un", "Petrova", "Dupont", "Garcia", "Al-Rashid", "Wang", "Kovalenko"]


def _index() -> ScreeningIndex:
    rnd = random.Random(11)
    index = ScreeningIndex(candidates=8, postings_budget=40)
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
