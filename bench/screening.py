"""Screening benchmark (issue 4): accuracy on labelled pairs against nomenklatura's logic-v2 and logic-v1
in the same run, pair-scoring throughput, the screening simulation and the one-million-name scale test.

    .venv/bin/python bench/screening.py [--data ../shared/data/screening] [--peer-python .venv-bench/bin/python]
                                        [--scale 1000000] [--batch 100000] [--pairs 10000] [--skip-peer] [--skip-scale]
                                        [--only pairs|throughput|simulation|scale]

The peer runs in its own virtualenv (`.venv-bench`, the `bench` extra: nomenklatura + followthemoney, whose
PyICU compiles from source) as a subprocess on the same pairs: ../shared/tools/peer_nomenklatura.py for
accuracy, bench/peer_timing.py for throughput (both from the raw strings, cold and warm, wall and CPU).
Figures are printed; bench/RESULTS.md records them with the machine and date.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warden.screening.matcher import normalise as nm  # noqa: E402
from warden.screening.matcher import score as sc  # noqa: E402
from warden.screening.matcher import variants as va  # noqa: E402
from warden.screening.matcher.batch import screen_many  # noqa: E402
from warden.screening.matcher.index import ScreeningIndex  # noqa: E402
from warden.screening.matcher.records import Entry, Query  # noqa: E402

THRESHOLD = float(os.environ.get("WARDEN_SCREENING_THRESHOLD", "0.70"))
TABLE = (0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90)
KIND = {"Person": "person"}


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def prf(scores: list[float], labels: list[bool], t: float) -> tuple[float, float, float]:
    tp = sum(s >= t and m for s, m in zip(scores, labels, strict=True))
    fp = sum(s >= t and not m for s, m in zip(scores, labels, strict=True))
    fn = sum(s < t and m for s, m in zip(scores, labels, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def auc(scores: list[float], labels: list[bool]) -> float:
    pos = [s for s, m in zip(scores, labels, strict=True) if m]
    neg = [s for s, m in zip(scores, labels, strict=True) if not m]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg)) if pos and neg else 0.0


def summary(name: str, scores: list[float], labels: list[bool], nonlatin: list[bool]) -> dict[str, Any]:
    p, r, f = prf(scores, labels, THRESHOLD)
    best = max((prf(scores, labels, t / 100)[2], t / 100) for t in range(1, 100))
    out: dict[str, Any] = {
        "scorer": name,
        "P": p,
        "R": r,
        "F1": f,
        "best_F1": best[0],
        "best_t": best[1],
        "AUC": auc(scores, labels),
    }
    for flag, label in ((False, "latin"), (True, "nonlatin")):
        s2 = [s for s, n in zip(scores, nonlatin, strict=True) if n == flag]
        l2 = [m for m, n in zip(labels, nonlatin, strict=True) if n == flag]
        out[f"{label}_n"] = len(s2)
        out[f"{label}_F1"] = prf(s2, l2, THRESHOLD)[2]
        out[f"{label}_P"], out[f"{label}_R"] = prf(s2, l2, THRESHOLD)[:2]
    return out


def peer(
    python: str, tool: Path, pairs_csv: Path, algorithms: str, with_scores: bool
) -> list[dict[str, Any]]:
    cmd = [python, str(tool), str(pairs_csv), "--algorithms", algorithms] + (
        ["--scores"] if with_scores else []
    )
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


# ------------------------------------------------------------------------------------------------ pairs


def f1_at(scores: list[float], labels: list[bool], t: float = THRESHOLD) -> float:
    return prf(scores, labels, t)[2]


def unseen_pairs(data: Path) -> list[dict[str, str]]:
    """Pairs that no rule was tuned on: each typo-treated UN name against its untreated entry (match),
    and each untreated UN name against another UN entry sharing one of its words of 3+ letters (no match:
    two listed people, the hard negatives of screening)."""
    un = rows(data / "positives_un_untreated.csv")
    treated = rows(data / "positives_un_treated.csv")
    out = [
        {
            "name1": t["full_name"],
            "name2": u["full_name"],
            "is_match": "true",
            "schema": "Person",
            "case_group": "un_typos",
        }
        for t, u in zip(treated, un, strict=True)
    ]
    by_word: dict[str, list[int]] = {}
    for i, r in enumerate(un):
        for w in set(r["full_name"].lower().replace(",", " ").split()):
            if len(w) >= 3:
                by_word.setdefault(w, []).append(i)
    rnd = random.Random(11)
    for i, r in enumerate(un):
        words = sorted(w for w in set(r["full_name"].lower().replace(",", " ").split()) if len(w) >= 3)
        others = sorted({j for w in words for j in by_word[w] if j != i})
        if others:
            j = rnd.choice(others)
            out.append(
                {
                    "name1": r["full_name"],
                    "name2": un[j]["full_name"],
                    "is_match": "false",
                    "schema": "Person",
                    "case_group": "un_shared_word",
                }
            )
    return out


def _write_pairs(pairs: list[dict[str, str]]) -> Path:
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["name1", "name2", "is_match", "schema"], extrasaction="ignore")
        w.writeheader()
        w.writerows(pairs)
    return Path(fh.name)


def _accuracy(
    label: str, pairs: list[dict[str, str]], args: argparse.Namespace, path: Path | None = None
) -> None:
    labels = [r["is_match"].strip().lower() == "true" for r in pairs]
    nonlatin = [nm.script_of(r["name1"]) != nm.LATIN or nm.script_of(r["name2"]) != nm.LATIN for r in pairs]
    ours = [sc.score_pair(r["name1"], r["name2"], KIND.get(r["schema"], "organisation")) for r in pairs]
    scored = {"warden": ours}
    results = [summary("warden", ours, labels, nonlatin)]
    if not args.skip_peer:
        tmp = path or _write_pairs(pairs)
        for out in peer(args.peer_python, args.peer_tool, tmp, "logic-v2,logic-v1", True):
            scored[out["algorithm"]] = out["scores"]
            results.append(summary(out["algorithm"], out["scores"], labels, nonlatin))
        if path is None:
            os.unlink(tmp)
    print(
        f"\n## Accuracy on {label} ({len(pairs)} pairs, {sum(labels)} matches, {sum(nonlatin)} non-Latin), threshold {THRESHOLD}"
    )
    print("| scorer | P | R | F1 | best F1 (t) | AUC | Latin P / R / F1 | non-Latin P / R / F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['scorer']} | {r['P']:.3f} | {r['R']:.3f} | {r['F1']:.3f} | {r['best_F1']:.3f} ({r['best_t']:.2f}) "
            f"| {r['AUC']:.3f} | {r['latin_P']:.3f} / {r['latin_R']:.3f} / {r['latin_F1']:.3f} "
            f"| {r['nonlatin_P']:.3f} / {r['nonlatin_R']:.3f} / {r['nonlatin_F1']:.3f} |"
        )
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(pairs):
        groups.setdefault(r.get("case_group", ""), []).append(i)
    names = list(scored)
    print(f"\nF1 at {THRESHOLD} per case_group (pairs, matches):")
    print("| case_group | pairs | " + " | ".join(names) + " |\n|---|---|" + "---|" * len(names))
    for g, idx in groups.items():
        if not any(labels[i] for i in idx):
            # No match in the group: F1 is 0 whatever happens; the false alerts say how it did.
            cells = [f"{sum(scored[n][i] >= THRESHOLD for i in idx)} false alerts" for n in names]
        else:
            cells = [f"{f1_at([scored[n][i] for i in idx], [labels[i] for i in idx]):.3f}" for n in names]
        print(f"| {g} | {len(idx)} ({sum(labels[i] for i in idx)}) | " + " | ".join(cells) + " |")
    if label.startswith("name_pairs_dev"):
        print("\nWarden on the pairs at each threshold:")
        print("| threshold | P | R | F1 |\n|---|---|---|---|")
        for t in TABLE:
            p, r, f = prf(ours, labels, t)
            print(f"| {t:.2f} | {p:.3f} | {r:.3f} | {f:.3f} |")


def bench_pairs(data: Path, args: argparse.Namespace) -> None:
    _accuracy("name_pairs_dev.csv", rows(data / "name_pairs_dev.csv"), args, data / "name_pairs_dev.csv")
    _accuracy("unseen pairs (UN typos and UN names sharing a word)", unseen_pairs(data), args)


# ------------------------------------------------------------------------------------------------ throughput


def synthetic_pairs(data: Path, n: int) -> list[tuple[str, str]]:
    rnd = random.Random(4)
    names = [r["full_name"] for r in rows(data / "negatives_us.csv")] + [
        r["full_name"] for r in rows(data / "negatives_global.csv")
    ]
    un = rows(data / "positives_un_untreated.csv")
    treated = rows(data / "positives_un_treated.csv")
    out = [(t["full_name"], u["full_name"]) for t, u in zip(treated, un, strict=True)]
    while len(out) < n:
        out.append((rnd.choice(names), rnd.choice(names)))
    return out[:n]


def clear_caches() -> None:
    """Every cache of the matcher: per string, per word, per pair of parts."""
    for module, names in (
        (nm, ("normalise", "_word", "_token", "phonetic")),
        (va, ("fold",)),
        (sc, ("_string_sim", "_plausible", "_undouble")),
    ):
        for name in names:
            getattr(module, name).cache_clear()


def _timed(fn: Any, n: int) -> tuple[float, float]:
    """(pairs/s wall, pairs/s CPU) of fn() over n pairs."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return n / (time.perf_counter() - w0), n / (time.process_time() - c0)


DEV_ROUNDS = 10


def _dev_throughput(data: Path, args: argparse.Namespace) -> None:
    """The labelled pairs of name_pairs_dev.csv, each with the kind the accuracy part scores it as, from
    the raw strings: DEV_ROUNDS rounds of a cold pass (every cache emptied first) and a warm pass (the
    same pairs again), the times summed (416 pairs take a few tens of milliseconds a pass)."""
    path = data / "name_pairs_dev.csv"
    dev = [(r["name1"], r["name2"], KIND.get(r["schema"], "organisation")) for r in rows(path)]
    times = {"cold": [0.0, 0.0], "warm": [0.0, 0.0]}
    for _ in range(DEV_ROUNDS):
        clear_caches()
        for label in ("cold", "warm"):
            w0, c0 = time.perf_counter(), time.process_time()
            for a, b, kind in dev:
                sc.score_pair(a, b, kind)
            times[label][0] += time.perf_counter() - w0
            times[label][1] += time.process_time() - c0
    n = len(dev) * DEV_ROUNDS
    print(
        f"\n## Pair scoring throughput on name_pairs_dev.csv ({len(dev)} labelled pairs, {DEV_ROUNDS} rounds), one core"
    )
    print("| scorer | pairs/s wall | pairs/s CPU |\n|---|---|---|")
    for label, text in (
        ("cold", "every cache empty at the start of each round (cold)"),
        ("warm", "same pairs again (warm)"),
    ):
        print(f"| warden, raw strings, {text} | {n / times[label][0]:,.0f} | {n / times[label][1]:,.0f} |")
    _group_throughput(rows(path))
    if not args.skip_peer:
        cmd = [
            args.peer_python,
            str(ROOT / "bench" / "peer_timing.py"),
            str(path),
            "--algorithms",
            "logic-v2,logic-v1",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        for line in done.stdout.splitlines():
            out = json.loads(line)
            for label, key in (("first pass (cold)", "cold"), ("same pairs again (warm)", "warm")):
                print(
                    f"| {out['algorithm']}, raw strings, {label} | {out[key + '_wall_per_s']:,.0f} | {out[key + '_cpu_per_s']:,.0f} |"
                )


def _group_throughput(dev_rows: list[dict[str, str]]) -> None:
    """The labelled pairs per case_group, cold and warm as in _dev_throughput (CPU time only: a group
    takes a few milliseconds a pass)."""
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for r in dev_rows:
        groups.setdefault(r.get("case_group", ""), []).append(
            (r["name1"], r["name2"], KIND.get(r["schema"], "organisation"))
        )
    print("\nPer case_group, pairs/s CPU:\n| case_group | pairs | cold | warm |\n|---|---|---|---|")
    for group, pairs in groups.items():
        cpu = {"cold": 0.0, "warm": 0.0}
        for _ in range(DEV_ROUNDS):
            clear_caches()
            for label in ("cold", "warm"):
                c0 = time.process_time()
                for a, b, kind in pairs:
                    sc.score_pair(a, b, kind)
                cpu[label] += time.process_time() - c0
        n = len(pairs) * DEV_ROUNDS
        print(f"| {group} | {len(pairs)} | {n / cpu['cold']:,.0f} | {n / cpu['warm']:,.0f} |")


def bench_throughput(data: Path, args: argparse.Namespace) -> None:
    pairs = synthetic_pairs(data, args.pairs)
    # Load anyascii's tables and the code paths on other pairs, then start with empty caches.
    for a, b in synthetic_pairs(data, args.pairs + 2000)[-2000:]:
        sc.score_pair(a, b, "person")
    clear_caches()

    def raw() -> None:
        for a, b in pairs:
            sc.score_pair(a, b, "person")

    cold = _timed(raw, len(pairs))
    warm = _timed(raw, len(pairs))
    normed = [(nm.normalise(a, "person"), nm.normalise(b, "person")) for a, b in pairs]

    def pre() -> None:
        sc._string_sim.cache_clear()
        sc._plausible.cache_clear()
        for a, b in normed:
            sc.compare_names(a, b)

    # The first pass after building the list of pairs pays for the allocator and the garbage collector
    # settling (up to 2x on this machine, for either version of the scorer): the second pass is reported.
    _timed(pre, len(pairs))
    pre_cold = _timed(pre, len(pairs))
    print(
        f"\n## Pair scoring throughput, one core, {len(pairs):,} distinct Person pairs, the same pairs for every scorer"
    )
    print(
        "(the 683 treated/untreated UN pairs, then random pairs of the synthetic negatives; "
        "raw = from the two strings, normalisation included; wall clock and CPU time of the process)"
    )
    print("| scorer | pairs/s wall | pairs/s CPU |\n|---|---|---|")
    print(f"| warden, raw strings, every cache empty at the start (cold) | {cold[0]:,.0f} | {cold[1]:,.0f} |")
    print(
        f"| warden, raw strings, same pairs again (warm per-string cache) | {warm[0]:,.0f} | {warm[1]:,.0f} |"
    )
    print(
        f"| warden, PRE-NORMALISED names (the index case), part caches emptied, 2nd pass | {pre_cold[0]:,.0f} | {pre_cold[1]:,.0f} |"
    )
    if not args.skip_peer:
        tmp = _write_pairs(
            [{"name1": a, "name2": b, "is_match": "false", "schema": "Person"} for a, b in pairs]
        )
        cmd = [
            args.peer_python,
            str(ROOT / "bench" / "peer_timing.py"),
            str(tmp),
            "--algorithms",
            "logic-v2,logic-v1",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        os.unlink(tmp)
        for line in done.stdout.splitlines():
            out = json.loads(line)
            for label, key in (("first pass (cold)", "cold"), ("same pairs again (warm)", "warm")):
                print(
                    f"| {out['algorithm']}, raw strings, {label} | {out[key + '_wall_per_s']:,.0f} | {out[key + '_cpu_per_s']:,.0f} |"
                )
    _dev_throughput(data, args)


# ------------------------------------------------------------------------------------------------ simulation

_INDEX: ScreeningIndex | None = None


def _best_scores(chunk: list[tuple[str, str, str]]) -> list[tuple[str, float, float]]:
    """(true key, score of the true entry, best score of any entry) per query."""
    assert _INDEX is not None
    out = []
    for name, dob, true_key in chunk:
        hits = _INDEX.screen(Query(name=name, kind="person", dob=dob or None), threshold=0.0, limit=50)
        true = max((h.score for h in hits if h.entry.key == true_key), default=0.0)
        out.append((true_key, true, hits[0].score if hits else 0.0))
    return out


def _parallel(queries: list[tuple[str, str, str]], workers: int) -> list[tuple[str, float, float]]:
    chunks = [queries[i : i + 500] for i in range(0, len(queries), 500)]
    with mp.get_context("fork").Pool(workers) as pool:
        return [x for part in pool.imap(_best_scores, chunks) for x in part]


def bench_simulation(data: Path, args: argparse.Namespace) -> None:
    global _INDEX
    _INDEX = ScreeningIndex()
    listed = rows(data / "positives_un_untreated.csv") + rows(data / "positives_us_congress_untreated.csv")
    for i, r in enumerate(listed):
        _INDEX.add(
            Entry(
                key=str(i),
                names=[r["full_name"]],
                kind="person",
                dobs=(r["date_of_birth"],) if r["date_of_birth"] else (),
            )
        )
    positives = [
        (r["full_name"], r["date_of_birth"], str(i))
        for i, r in enumerate(rows(data / "positives_un_treated.csv"))
    ]
    t0 = time.perf_counter()
    pos = _parallel(positives, 2)
    negs = {}
    negs_q = {}
    for f in ("negatives_global.csv", "negatives_us.csv"):
        negs_q[f] = [(r["full_name"], r["date_of_birth"], "") for r in rows(data / f)]
        negs[f] = _parallel(negs_q[f], 2)
    elapsed = time.perf_counter() - t0
    n_neg = sum(len(v) for v in negs.values())
    print(
        f"\n## Screening simulation: list {len(listed):,} names (UN + US Congress), {len(pos)} positive queries "
        f"(typo-treated UN, with DOB), {n_neg:,} negative queries (with DOB); {elapsed:.1f} s on 2 workers"
    )
    print("| threshold | recall of the true entry | alerts negatives_global | alerts negatives_us |")
    print("|---|---|---|---|")
    for t in TABLE:
        rec = sum(true >= t for _, true, _ in pos) / len(pos)
        al = {f: sum(best >= t for _, _, best in v) / len(v) for f, v in negs.items()}
        print(f"| {t:.2f} | {rec:.4f} | {al['negatives_global.csv']:.4f} | {al['negatives_us.csv']:.4f} |")
    # The table scores every candidate (threshold 0). Screening at the threshold skips the candidates whose
    # score bound is below it; it must alert on exactly the same queries and entries.
    assert _INDEX is not None
    t0 = time.perf_counter()
    at = {}
    for label, queries in (("positives", positives), *((f, negs_q[f]) for f in negs_q)):
        hits = screen_many(
            _INDEX,
            [Query(name=n, kind="person", dob=d or None) for n, d, _ in queries],
            threshold=THRESHOLD,
            limit=50,
            workers=2,
        )
        at[label] = [{h.entry.key for h in hs} for hs in hits]
    rec = sum(k in keys for (_, _, k), keys in zip(positives, at["positives"], strict=True)) / len(positives)
    al = {f: sum(bool(keys) for keys in at[f]) / len(at[f]) for f in negs_q}
    # Query by query: the true entry found, a negative alerting.
    same = all(
        (true >= THRESHOLD) == (k in keys) for (k, true, _), keys in zip(pos, at["positives"], strict=True)
    ) and all(
        (best >= THRESHOLD) == bool(keys)
        for f in negs
        for (_, _, best), keys in zip(negs[f], at[f], strict=True)
    )
    print(
        f"Screened at the threshold {THRESHOLD} (score bound skipping candidates), {time.perf_counter() - t0:.1f} s: "
        f"recall {rec:.4f}, alerts {al['negatives_global.csv']:.4f} / {al['negatives_us.csv']:.4f}; "
        f"the same queries as in the table, one by one: {'yes' if same else 'NO'}"
    )


# ------------------------------------------------------------------------------------------------ scale


def bench_scale(data: Path, args: argparse.Namespace) -> None:
    global _INDEX
    people = rows(data / "negatives_global.csv") + rows(data / "negatives_us.csv")
    firsts = [r["first_name"] for r in people if r["first_name"]]
    mids = [r["middle_name"] for r in people if r["middle_name"]]
    lasts = [r["last_name"] for r in people if r["last_name"]]
    rnd = random.Random(7)
    _INDEX = ScreeningIndex()
    t0 = time.perf_counter()
    for i in range(args.scale):
        mid = rnd.choice(mids) + " " if rnd.random() < 0.3 else ""
        _INDEX.add(Entry(key=str(i), names=[f"{rnd.choice(firsts)} {mid}{rnd.choice(lasts)}"], kind="person"))
        if i % 200_000 == 0:
            nm.normalise.cache_clear()  # the build normalises each name once; keep the cache for queries
    build = time.perf_counter() - t0
    nm.normalise.cache_clear()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queries = [r["full_name"] for r in people]
    rnd.shuffle(queries)
    times = []
    cpus = []
    single = []
    for q in queries[:1000]:
        t, c = time.perf_counter(), time.process_time()
        single.append(_INDEX.screen(Query(name=q, kind="person"), threshold=THRESHOLD))
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    single_cpu_ms = sum(cpus) / len(single) * 1000
    times.sort()
    cpus.sort()
    t = time.perf_counter()
    for q in queries[:1000]:
        _INDEX._candidates([nm.normalise(q, "person")])
    cand_ms = (time.perf_counter() - t) / 1000 * 1000
    batch = (queries * (args.batch // len(queries) + 1))[: args.batch]
    load_before = os.getloadavg()
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    results = screen_many(
        _INDEX, [Query(name=q, kind="person") for q in batch], threshold=THRESHOLD, workers=2
    )
    batch_s = time.perf_counter() - t0
    batch_cpu = _cpu_seconds() - cpu0
    load_after = os.getloadavg()
    alerts = sum(1 for hits in results if hits)
    same = all(
        [(h.entry.key, h.score, h.explanation) for h in a]
        == [(h.entry.key, h.score, h.explanation) for h in b]
        for a, b in zip(results, single, strict=False)
    )
    print(
        f"\n## Scale: synthetic list of {args.scale:,} name variants (first [middle] last from the negatives files)"
    )
    print(f"index build {build:.1f} s, peak RSS {rss:,.0f} MB, {len(_INDEX.postings):,} keys")
    print(
        f"one query, wall: median {statistics.median(times) * 1000:.2f} ms, mean {statistics.mean(times) * 1000:.2f} ms, "
        f"p95 {times[int(0.95 * len(times))] * 1000:.2f} ms, p99 {times[int(0.99 * len(times))] * 1000:.2f} ms "
        f"(1,000 queries, single thread; finding the candidates: {cand_ms:.2f} ms of it on average)"
    )
    print(
        f"one query, CPU time: mean {single_cpu_ms:.2f} ms, p95 {cpus[int(0.95 * len(cpus))] * 1000:.2f} ms, "
        f"p99 {cpus[int(0.99 * len(cpus))] * 1000:.2f} ms"
    )
    print(
        f"batch of {len(batch):,} queries on 2 worker processes: {batch_s:.1f} s ({alerts:,} with a match >= {THRESHOLD}); "
        f"CPU time {batch_cpu:.1f} s (workers and parent: {batch_cpu / len(batch) * 1000:.2f} ms a query); "
        f"load average before {_load(load_before)}, after {_load(load_after)}; "
        f"hits of the first 1,000 identical to one-at-a-time screening: {'yes' if same else 'NO'}"
    )


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the batch's worker processes)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _load(avg: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.2f}" for x in avg)


def _shared() -> Path:
    """../shared beside the checkout, or two levels up for a git worktree kept in a folder of them."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared").is_dir():
            return base / "shared"
    return ROOT.parent / "shared"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=_shared() / "data" / "screening")
    ap.add_argument("--peer-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    ap.add_argument("--peer-tool", type=Path, default=_shared() / "tools" / "peer_nomenklatura.py")
    ap.add_argument("--scale", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=100_000)
    ap.add_argument("--pairs", type=int, default=10_000, help="pairs for the throughput part")
    ap.add_argument("--skip-peer", action="store_true")
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument(
        "--only", choices=("pairs", "throughput", "simulation", "scale"), help="run only this part"
    )
    args = ap.parse_args()
    print(
        f"# Warden screening benchmark — {platform.node()} ({os.cpu_count()} CPUs), Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    parts = {
        "pairs": bench_pairs,
        "throughput": bench_throughput,
        "simulation": bench_simulation,
        "scale": bench_scale,
    }
    for name, run in parts.items():
        if (args.only or name) == name and not (name == "scale" and args.skip_scale and not args.only):
            cpu, load = _cpu_seconds(), os.getloadavg()
            run(args.data, args)
            print(
                f"[{name}: CPU time {_cpu_seconds() - cpu:.1f} s (this process and its workers); "
                f"load average (1/5/15 min) {_load(load)} before, {_load(os.getloadavg())} after]"
            )


if __name__ == "__main__":
    main()
