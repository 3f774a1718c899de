"""The score bound that lets screening skip candidates: never below the score the scorer gives."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from warden.screening.matcher.bound import QueryBound, bound_applies
from warden.screening.matcher.index import SCRIPTS, ScreeningIndex
from warden.screening.matcher.normalise import normalise
from warden.screening.matcher.records import Entry
from warden.screening.matcher.score import DEFAULT_WEIGHTS, Weights, compare_names

# Words that reach every rule of the scorer: exact, edit budget, short swaps and doubled letters,
# phonetic keys, transliteration variants and nicknames (canon), acronyms, places, organisation types,
# initials, particles, numbers, generic words, legal forms, merged parts
# ("gazprombank" / "gazprom bank"), joined names ("xi jinping" / "xijin ping") and other scripts.
WORDS = [
    "mohammed", "muhammad", "mhmd", "ali", "al", "bin", "abu", "abdul", "kim", "gim", "jong", "jeong",
    "un", "eun", "gazprom", "bank", "gazprombank", "sergei", "sergey", "lavrov", "xi", "jin", "ping",
    "jinping", "xijin", "sok", "sko", "ab", "aab", "aaab", "alli", "emma", "daniels", "llc", "ltd",
    "gmbh", "ooo", "company", "trading", "international", "group", "ii", "iii", "7", "seven", "j", "m",
    "a.", "de", "la", "van", "smith", "smyth", "schmidt", "baker", "boccieri", "jonathan", "johnathan",
    "christine", "christina", "garcia", "maria", "the", "mr", "dr",
    "ted", "theodore", "bill", "william", "khodorkovsky", "hodorkovsky", "yuriy", "iurii", "tsoi", "coi",
    "irgc", "islamic", "revolutionary", "guard", "corps", "pla", "russia", "rossiya", "ministry", "defence",
    "air", "airlines", "forty", "four", "i9or", "haji", "holdings", "corporation", "drissi", "dri", "lind",
    "lindemann",
    "Сергей", "Лавров", "Серге", "Газпром", "Банк", "Газпромбанк", "محمد", "بن", "سلمان", "محمود", "习", "近平", "李", "김정은", "김",
    "정은", "バラク", "オバマ", "सरल", "理",
]  # fmt: skip


@st.composite
def names(draw: st.DrawFn, pool: list[str]) -> str:
    words = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4))
    out = []
    for w in words:
        edit = draw(st.sampled_from(["", "", "sub", "del", "ins", "swap"]))
        i = draw(st.integers(0, max(0, len(w) - 1)))
        c = draw(st.sampled_from("aeiknost"))
        if edit == "sub":
            w = w[:i] + c + w[i + 1 :]
        elif edit == "del" and len(w) > 1:
            w = w[:i] + w[i + 1 :]
        elif edit == "ins":
            w = w[:i] + c + w[i:]
        elif edit == "swap" and i + 1 < len(w):
            w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        out.append(w)
    return draw(st.sampled_from([" ", ", ", "-", " & "])).join(out)


def weights() -> st.SearchStrategy[Weights]:
    """Any weights the bound accepts (others switch it off)."""
    unit = st.floats(0.0, 1.0)
    return st.builds(
        lambda conflict, extra_share, phonetic, initial, step, nd, variant, acronym: Weights(
            conflict=conflict,
            extra=conflict * extra_share,
            phonetic=phonetic,
            initial=initial,
            edit_step=step,
            no_distinctive=nd,
            variant=variant,
            acronym=acronym,
        ),
        st.floats(0.0, 4.0),
        unit,
        unit,
        unit,
        st.floats(0.0, 0.4),
        unit,
        unit,
        unit,
    )


KINDS = st.sampled_from(["person", "organisation", "any"])


@st.composite
def query_and_candidates(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    # A few words per example, so that the query and its candidates share (or nearly share) parts.
    pool = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5, unique=True))
    query = draw(names(pool))
    return query, draw(st.lists(st.tuples(names(pool), KINDS), min_size=1, max_size=6))


@settings(max_examples=1500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=query_and_candidates(),
    kind=KINDS,
    w=st.one_of(st.just(DEFAULT_WEIGHTS), weights()),
    cut=st.floats(0.0, 1.0),
)
@example(case=("Adam Long", [("Adam 洪", "person")]), kind="person", w=DEFAULT_WEIGHTS, cut=0.6)
@example(case=("Gazprom Bank", [("Gazprombank", "any")]), kind="any", w=DEFAULT_WEIGHTS, cut=0.6)
@example(
    case=("IRGC", [("Islamic Revolutionary Guard Corps", "any")]), kind="any", w=DEFAULT_WEIGHTS, cut=0.6
)
@example(
    case=("Islamic Revolutionary Guard Corps", [("IRGC", "any")]), kind="any", w=DEFAULT_WEIGHTS, cut=0.6
)
@example(case=("Ted Doe", [("Theodore Doe", "person")]), kind="person", w=DEFAULT_WEIGHTS, cut=0.6)
@example(
    case=("Ali Ben Salem Dr", [("Ali Ben Salem Drissi", "person")]), kind="person", w=DEFAULT_WEIGHTS, cut=0.6
)
@example(
    case=("Ali Ben Salem Drissi", [("Ali Ben Salem Dr", "person")]), kind="person", w=DEFAULT_WEIGHTS, cut=0.6
)
@example(
    case=("Gazprom Bank Moscow", [("Gazprombank Moskva", "any")]), kind="any", w=DEFAULT_WEIGHTS, cut=0.2
)
@example(case=("Газпром Банк Москва", [("Газпромбанк Питер", "any")]), kind="any", w=DEFAULT_WEIGHTS, cut=0.2)
@example(case=("习近平", [("Xi Jinping", "any")]), kind="any", w=DEFAULT_WEIGHTS, cut=0.6)
@example(case=("Xi Jin Ping", [("Xiji Nping", "any")]), kind="any", w=DEFAULT_WEIGHTS, cut=0.6)
@example(case=("李", [("理", "any")]), kind="any", w=DEFAULT_WEIGHTS, cut=0.6)  # both "li"
@example(case=("eeee smith", [("ee smith", "person")]), kind="person", w=DEFAULT_WEIGHTS, cut=0.6)
@example(case=("John Smith", [("J. Smith", "person")]), kind="person", w=DEFAULT_WEIGHTS, cut=0.6)
def test_the_bound_is_never_below_the_score(
    case: tuple[str, list[tuple[str, str]]], kind: str, w: Weights, cut: float
) -> None:
    query, candidates = case
    qn = normalise(query, kind)
    bound = QueryBound(qn, w)  # one bound for several candidates, as in a screening: its caches too
    for name, ckind in candidates:
        cn = normalise(name, ckind)
        score = compare_names(qn, cn, w).score if qn.tokens else 0.0
        upper = bound.upper(cn.tokens, cn.script, name, cut)
        assert score <= upper + 1e-9, (query, name, score, upper)


def test_the_bound_skips_a_name_sharing_only_a_first_name() -> None:
    qn = normalise("Patricia Lucas Wheeler", "person")
    cn = normalise("Patricia Smith", "person")
    assert compare_names(qn, cn).score < 0.62
    assert QueryBound(qn, DEFAULT_WEIGHTS).upper(cn.tokens, cn.script, "Patricia Smith", 0.62) < 0.62


def test_the_bound_declines_weights_its_proof_does_not_cover() -> None:
    assert bound_applies(DEFAULT_WEIGHTS)
    for w in (Weights(conflict=0.1, extra=0.5), Weights(phonetic=1.2), Weights(no_distinctive=1.5)):
        assert not bound_applies(w)
        qn, cn = normalise("Patricia Lucas Wheeler"), normalise("Patricia Smith")
        assert QueryBound(qn, w).upper(cn.tokens, cn.script, "Patricia Smith", 0.62) == 1.0


def test_the_index_keeps_each_variants_normalised_parts_and_script() -> None:
    rnd = random.Random(3)
    index = ScreeningIndex()
    names = [" ".join(rnd.sample(WORDS, rnd.randint(1, 3))) for _ in range(300)]
    for i, name in enumerate(names):
        index.add(Entry(key=str(i), names=[name], kind=rnd.choice(["person", "organisation", "any"])))
    for vidx, name in enumerate(index.variant_names):
        n = normalise(name, index.entries[index.variant_entry[vidx]].kind)
        assert index.variant_tokens(vidx) == list(n.tokens)
        assert SCRIPTS[index.variant_script[vidx]] == n.script
