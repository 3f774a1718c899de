"""Times nomenklatura's matchers on a pairs CSV the way bench/screening.py times Warden: the first pass
(cold: nothing cached yet, after a 20-pair warm-up that loads logic-v2's name data) and a second pass
over the same pairs (warm), in wall-clock and CPU time (time.process_time) of this process. Runs in the
peer's own virtualenv (.venv-bench); prints one JSON object per algorithm.

    .venv-bench/bin/python bench/peer_timing.py PAIRS.csv [--algorithms logic-v2,logic-v1]
"""

import argparse
import csv
import json
import time
from uuid import uuid4


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pairs")
    ap.add_argument("--algorithms", default="logic-v2,logic-v1")
    args = ap.parse_args()
    # The peer's packages exist only in .venv-bench: imported after the options, so --help works anywhere.
    from followthemoney import ValueEntity, model
    from nomenklatura.matching import LogicV1, LogicV2

    algorithms = {"logic-v2": LogicV2, "logic-v1": LogicV1}

    def entity(schema, name):
        # Built inside the timed loop: the peer, too, starts from the raw string.
        e = ValueEntity(model.get(schema or "Person"), {"id": uuid4().hex})
        e.add("name", name)
        return e

    with open(args.pairs, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    raw = [(r.get("schema") or "Person", r["name1"], r["name2"]) for r in rows]
    for name in args.algorithms.split(","):
        alg = algorithms[name]
        cfg = alg.default_config()
        for s, a, b in raw[-20:]:
            alg.compare(entity(s, a), entity(s, b), cfg)
        out = {"algorithm": name, "pairs": len(raw)}
        for label in ("cold", "warm"):
            w0, c0 = time.perf_counter(), time.process_time()
            for s, a, b in raw:
                alg.compare(entity(s, a), entity(s, b), cfg)
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            out[f"{label}_wall_per_s"] = round(len(raw) / wall, 1)
            out[f"{label}_cpu_per_s"] = round(len(raw) / cpu, 1)
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
