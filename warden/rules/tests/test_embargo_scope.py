"""Embargo findings cite the act that imposed the measure first, then the amending acts in order, and
describe the measure's real scope; no country gets a finding from an embargo whose scope excludes it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from warden.rules.embargo_scope import _act, citation_chain, run_of
from warden.rules.evaluate import assess_document
from warden.rules.model import Version
from warden.rules.reference import Embargo
from warden.rules.tests.support import application, reference

REF = reference()
EMBARGOES: list[Embargo] = [e for es in (*REF.embargoes_by_target.values(), REF.global_embargoes) for e in es]
VERSIONS = [(e, v) for e in EMBARGOES for v in e.versions if v.data.get("to_goods")]


def _inside(v: Version) -> dt.date:
    """A day the version is in force (its first day)."""
    return v.effective_from


def _embargo_findings(a: dict[str, Any]) -> list[dict[str, str]]:
    return [f for f in a["findings"] if f["rule"].startswith("embargo.") and f["rule"] != "embargo.none"]


def _titles(findings: list[dict[str, str]]) -> set[str]:
    return {e.id for e in EMBARGOES for f in findings if f"({e.title})" in f["explanation"]}


def test_the_dprk_finding_cites_unscr_1718_first_then_the_amending_resolutions() -> None:
    a = assess_document(application({"destination": "KP"}), REF, dt.date(2020, 1, 1))
    [un] = [f for f in a["findings"] if f["rule"] == "embargo.un.arms"]
    positions = [un["basis"].index(f"UNSCR {n}") for n in (1718, 1874, 2270)]
    assert positions == sorted(positions), un["basis"]
    assert un["basis"].startswith("UNSCR 1718 (2006)")


@pytest.mark.parametrize(("emb", "v"), VERSIONS, ids=[f"{e.id}@{v.effective_from}" for e, v in VERSIONS])
def test_every_embargo_version_cites_its_imposing_act_first_and_the_amendments_in_order(
    emb: Embargo, v: Version
) -> None:
    chain = citation_chain(emb, v, _inside(v))
    run = run_of(emb, v)
    first_act = _act(run[0].citation.split(";")[0])
    assert chain.startswith(first_act), chain
    # Each version's own act appears, in the order the versions were adopted.
    positions = [chain.find(_act(x.citation.split(";")[0])) for x in run]
    assert -1 not in positions, (chain, [x.citation for x in run])
    assert positions == sorted(positions), chain
    # Nothing adopted after the assessment date, and not the act that will lift the measure.
    assert not re.search(r"\b(lifted|ended|repealed) by\b", chain), chain
    years = [int(y) for y in re.findall(r"\((\d{4})\)", chain)]
    assert all(y <= _inside(v).year for y in years), chain


def test_a_lifted_and_reimposed_embargo_cites_the_new_act_first() -> None:
    libya = next(e for e in EMBARGOES if e.id == "un-ly")
    v2012 = next(v for v in libya.versions if v.effective_from == dt.date(2011, 9, 16))
    assert citation_chain(libya, v2012).startswith("UNSCR 1970 (2011)")
    assert "748" not in citation_chain(libya, v2012)


COUNTRIES = sorted(set(REF.profiles) | {e.target for e in EMBARGOES if e.target != "*"})


@pytest.mark.parametrize(("emb", "v"), VERSIONS, ids=[f"{e.id}@{v.effective_from}" for e, v in VERSIONS])
def test_no_country_gets_a_finding_from_an_embargo_whose_scope_excludes_it(emb: Embargo, v: Version) -> None:
    on = _inside(v)
    goods = ["ML1.a", "ML6.a", "3A001", "0B001", "5A001.j"]
    for country in COUNTRIES:
        for sector in ("armed_forces", "commercial"):
            a = assess_document(
                application({"destination": country, "sector": sector, "goods": goods}), REF, on
            )
            found = _titles(_embargo_findings(a))
            foreign = {e.id for e in EMBARGOES if e.id in found and e.target != country}
            assert not foreign, f"{country} ({sector}) on {on}: findings from {sorted(foreign)}"


def test_norway_is_never_told_about_isil_or_al_qaida() -> None:
    for year in range(2002, 2027):
        for sector in ("armed_forces", "police", "government", "commercial", "unknown", "individual"):
            a = assess_document(
                application({"destination": "NO", "sector": sector}), REF, dt.date(year, 6, 1)
            )
            text = " ".join(f["basis"] + f["explanation"] for f in a["findings"])
            assert not re.search(r"ISIL|Al-Qaida|Taliban", text), (year, sector, text)


TARGETED = [
    (e, v) for e, v in VERSIONS if v.data.get("applies_to", "all") != "all" and not v.data.get("scope")
]


@pytest.mark.parametrize(("emb", "v"), TARGETED, ids=[f"{e.id}@{v.effective_from}" for e, v in TARGETED])
def test_targeted_embargoes_are_described_as_targeted(emb: Embargo, v: Version) -> None:
    country = "NG" if emb.target == "*" else emb.target
    a = assess_document(
        application({"destination": country, "sector": "non_state_armed_group", "goods": ["ML1.a"]}),
        REF,
        _inside(v),
    )
    mine = [f for f in _embargo_findings(a) if f"({emb.title})" in f["explanation"]]
    assert mine, [f["explanation"] for f in a["findings"]]
    for f in mine:
        assert "targeted" in f["basis"] and "targeted" in f["explanation"], f
        assert "is under the" not in f["explanation"], f
