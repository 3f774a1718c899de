"""Screening many queries at once (`warden screen-batch`, bulk re-screens, the benchmark).

The same ScreeningIndex.screen runs for every query, so a batch gives exactly the matches, scores and
explanations that one-at-a-time screening gives. What the batch adds: identical queries (same names,
type, country, date of birth and identifiers) are screened once, and the work is shared by worker
processes forked after the index was built, so they read the parent's index copy-on-write instead of
rebuilding or unpickling it (a million-name index takes minutes to build and about 1 GB).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections.abc import Callable, Sequence

from warden.screening.matcher.index import ScreeningIndex
from warden.screening.matcher.records import Hit, Query

QueryKey = tuple[str, str, tuple[str, ...], str | None, str | None, tuple[str, ...]]

# Set in the parent just before the fork; the workers inherit it (fork copies the address space).
_SHARED: tuple[ScreeningIndex, float, int] | None = None


def query_key(q: Query) -> QueryKey:
    return (q.name, q.kind, tuple(q.aliases), q.country, q.dob, tuple(q.identifiers))


def _screen_chunk(chunk: list[Query]) -> list[list[Hit]]:
    assert _SHARED is not None, "worker started without a shared index"
    index, threshold, limit = _SHARED
    return [index.screen(q, threshold=threshold, limit=limit) for q in chunk]


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def screen_many(
    index: ScreeningIndex,
    queries: Sequence[Query],
    *,
    threshold: float = 0.0,
    limit: int = 10,
    workers: int = 1,
    chunk_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> list[list[Hit]]:
    """The hits of every query, in the order given. `progress(n)` is called as n more queries are done
    (duplicates count when their first copy is done). Workers are used only where fork exists and the
    batch is large enough to pay for them; otherwise the batch runs in this process."""
    global _SHARED
    first: dict[QueryKey, int] = {}
    unique: list[Query] = []
    copies: list[int] = []
    for q in queries:
        k = query_key(q)
        if k not in first:
            first[k] = len(unique)
            unique.append(q)
            copies.append(0)
        copies[first[k]] += 1
    chunks = [unique[i : i + chunk_size] for i in range(0, len(unique), chunk_size)]
    results: list[list[Hit]] = []

    def done(part: list[list[Hit]]) -> None:
        start = len(results)
        results.extend(part)
        if progress is not None:
            progress(sum(copies[start : len(results)]))

    use_fork = workers > 1 and len(chunks) > 1 and "fork" in mp.get_all_start_methods()
    if use_fork:
        _SHARED = (index, threshold, limit)
        # Frozen objects are skipped by the garbage collector: the workers' collections then neither walk
        # the millions of index objects nor write to their headers, which would copy every shared page.
        gc.freeze()
        try:
            with mp.get_context("fork").Pool(min(workers, len(chunks))) as pool:
                for part in pool.imap(_screen_chunk, chunks):
                    done(part)
        finally:
            gc.unfreeze()
            _SHARED = None
    else:
        for chunk in chunks:
            done([index.screen(q, threshold=threshold, limit=limit) for q in chunk])
    return [results[first[query_key(q)]] for q in queries]
