"""The compiled matcher (mypyc, scripts/build_matcher.py) scores exactly as its Python source does, is in
use where the build says so, and is not used once a source is newer than it.

The Python source runs in a subprocess with WARDEN_PURE_MATCHER=1 (a module is compiled or not for the
whole process); generated names (hypothesis) go to both and the scores' repr must be equal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import warden.screening.matcher as matcher
from warden.screening.matcher import normalise as nm
from warden.screening.matcher import score as sc
from warden.screening.matcher.index import ScreeningIndex
from warden.screening.matcher.records import Entry, Query

_PURE_WORKER = """
import json, sys
import warden.screening.matcher as m
from warden.screening.matcher import normalise as nm, score as sc
assert not m.USING_COMPILED and sc.__file__.endswith(".py"), sc.__file__
for line in sys.stdin:
    a, b, kind = json.loads(line)
    n = nm.normalise(a, kind)
    print(json.dumps([repr(sc.score_pair(a, b, kind)), n.comparable, list(n.legal_forms), n.script]), flush=True)
"""

needs_build = pytest.mark.skipif(
    not matcher.USING_COMPILED, reason="matcher not compiled here (make matcher): nothing to compare"
)


def test_the_compiled_matcher_is_in_use_when_the_run_expects_it() -> None:
    # scripts/test.sh sets WARDEN_EXPECT_COMPILED_MATCHER=1 after `make` built it: a build that silently
    # stopped being used (a stale stamp, a broken build step) fails here instead of only running slower.
    if os.environ.get("WARDEN_EXPECT_COMPILED_MATCHER") != "1":
        pytest.skip("this run does not expect the compiled matcher")
    assert matcher.USING_COMPILED
    assert sc.__file__ is not None and sc.__file__.endswith(".so")
    assert nm.__file__ is not None and nm.__file__.endswith(".so")


@pytest.fixture(scope="module")
def pure() -> Iterator[subprocess.Popen[str]]:
    env = dict(os.environ, WARDEN_PURE_MATCHER="1")
    proc = subprocess.Popen(
        [sys.executable, "-c", _PURE_WORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    yield proc
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=30)


def _pure_result(proc: subprocess.Popen[str], a: str, b: str, kind: str) -> list[object]:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps([a, b, kind]) + "\n")
    proc.stdin.flush()
    out: list[object] = json.loads(proc.stdout.readline())
    return out


# Words that take the matcher's special paths (legal forms, titles, particles, nicknames, numbers,
# transliteration variants, generic and place words), and free text in the scripts it handles.
_VOCAB = [
    "llc",
    "ooo",
    "gmbh",
    "s.a.",
    "sp.",
    "z",
    "o.o.",
    "ltd",
    "bank",
    "of",
    "the",
    "and",
    "al",
    "bin",
    "abd",
    "abdulrahman",
    "haji",
    "dr",
    "mr",
    "mohammed",
    "muhammad",
    "bill",
    "william",
    "ted",
    "theodore",
    "forty-four",
    "4",
    "xi",
    "jin",
    "ping",
    "kim",
    "jong",
    "un",
    "kh",
    "ts",
    "zh",
    "shch",
    "airlines",
    "air",
    "ministry",
    "defence",
    "national",
    "russia",
    "rossiya",
    "i9or",
    "sech1n",
    "a.",
    "j.",
    "o",
    "y",
    "mc",
    "mac",
    "van",
    "der",
    "de",
    "la",
    "el",
]
_CHARS = st.characters(
    whitelist_categories=["Lu", "Ll", "Lo", "Nd"], whitelist_characters=" .-'&`’", max_codepoint=0xD7AF
)
_WORD = (
    st.sampled_from(_VOCAB)
    | st.text(_CHARS, min_size=1, max_size=10)
    | st.sampled_from(
        ["Иван", "Петров", "محمد", "الأسد", "习近平", "김정은", "ヤマダ", "Müller", "Øresund", "Đặng"]
    )
)
_NAME = st.lists(_WORD, min_size=0, max_size=6).map(" ".join)


@needs_build
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=_NAME, b=_NAME, kind=st.sampled_from(["person", "organisation", "any"]))
def test_compiled_and_python_matcher_score_generated_names_the_same(
    pure: subprocess.Popen[str], a: str, b: str, kind: str
) -> None:
    n = nm.normalise(a, kind)
    here = [repr(sc.score_pair(a, b, kind)), n.comparable, list(n.legal_forms), n.script]
    assert here == _pure_result(pure, a, b, kind)


@needs_build
def test_compiled_and_python_matcher_give_the_same_hits() -> None:
    # The index's query path is compiled too: same hits, scores and explanations from both.
    script = """
import json
from warden.screening.matcher.index import ScreeningIndex
from warden.screening.matcher.records import Entry, Query
index = ScreeningIndex()
for i, name in enumerate(["Kim Jong Un", "Mahan Air", "Bank Rossiya", "Иван Петров", "Abd al-Rahman Haji",
                          "Ministry of National Defence", "Sergei Ivanov", "Ким Чен Ын"]):
    index.add(Entry(key=str(i), names=[name], kind="any", dobs=("1964",), countries=frozenset({"KP"})))
out = []
for q in ["Kim Jong-un", "Mahan Airlines", "Bank of Russia", "Ivan Petrov", "Abdulrahman", "Ivanov Sergey"]:
    out.append([(h.entry.key, repr(h.score), h.explanation) for h in index.screen(Query(name=q, dob="1964"))])
print(json.dumps(out))
"""
    here = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    python = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, WARDEN_PURE_MATCHER="1"),
    )
    assert json.loads(here.stdout) == json.loads(python.stdout)
    assert any(json.loads(here.stdout))  # the queries found something: the comparison says something


@needs_build
def test_a_build_older_than_its_sources_is_not_used(tmp_path: Path) -> None:
    # A copy of the package with one module edited after the build: that process runs the Python source.
    package = Path(matcher.__file__).parent
    target = tmp_path / "warden" / "screening" / "matcher"
    shutil.copytree(package, target, ignore=shutil.ignore_patterns("__pycache__"))
    for init in (tmp_path / "warden" / "__init__.py", tmp_path / "warden" / "screening" / "__init__.py"):
        init.write_text("")
    probe = [sys.executable, "-c", "import warden.screening.matcher.score as s; print(s.__file__)"]
    env = dict(os.environ, PYTHONPATH=str(tmp_path))  # and run from there: `python -c` puts the cwd first
    before = subprocess.run(probe, capture_output=True, text=True, check=True, env=env, cwd=tmp_path).stdout
    assert before.strip().endswith(".so")
    edited = target / "score.py"
    edited.write_text(edited.read_text() + "\n# edited after the build\n")
    after = subprocess.run(probe, capture_output=True, text=True, check=True, env=env, cwd=tmp_path).stdout
    assert after.strip() == str(edited)


def test_the_index_is_usable_whichever_modules_run() -> None:
    # The records stay plain Python (a str subclass and pickled hits): the index takes and gives them.
    index = ScreeningIndex()
    index.add(Entry(key="1", names=["Kim Jong Un"], kind="person"))
    hits = index.screen(Query(name="Kim Jong-un", kind="person"), threshold=0.7)
    assert [h.entry.key for h in hits] == ["1"]
