"""Property: after any sequence of input changes (list imports adding, removing and changing entries, match
decisions either way, reference-data revisions, country assessment edits, RFI answers that change the
parties), each open case's stored current recommendation, findings and screening equal a fresh assessment of
its current inputs: its document, its parties screened now against the current lists with the remembered
decisions, the live law as of its date.

Small on purpose (a handful of examples, two cases, two list entries) so that it runs in CI on 2 cores."""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from warden.cases import services as cases
from warden.cases.models import Case
from warden.flows import amendment, law_change, rescreening, submission
from warden.flows import decisions as match_decisions
from warden.flows.tests.support import KOMID, TANGUN, fresh, import_un, stored
from warden.legislation import impact
from warden.legislation import services as legislation
from warden.legislation.loader import ASSESSMENT_KEYS, normalise, read_bundle
from warden.legislation.models import ReferenceRevision, RevisionSource
from warden.legislation.tests.support import bundle_with_embargo
from warden.lib.actors import system
from warden.rules.reference import LEVELS
from warden.screening.models import Match, MatchStatus
from warden.testing import Personas, make_personas, sample_application

CLEAN = sample_application()["parties"][0]
PARTY_SETS = ([KOMID, TANGUN], [KOMID], [CLEAN, TANGUN], [CLEAN])

events = st.lists(
    st.one_of(
        st.tuples(
            st.just("import"),
            st.sets(st.sampled_from(["komid", "tangun"]), min_size=1),
            st.sampled_from(["Pyongyang", "Nampo"]),
        ),
        st.tuples(st.just("dispose"), st.sampled_from([MatchStatus.TRUE_MATCH, MatchStatus.FALSE_POSITIVE])),
        st.tuples(st.just("embargo"), st.booleans()),
        st.tuples(st.just("country"), st.sampled_from(LEVELS)),
        st.tuples(st.just("answer"), st.integers(0, len(PARTY_SETS) - 1)),
    ),
    min_size=1,
    max_size=6,
)


class World:
    def __init__(self, p: Personas) -> None:
        self.p = p
        self.tmp = Path(tempfile.mkdtemp(prefix="warden-prop-"))
        self.n = 0
        legislation.load_bundled()
        self.cases = [
            submission.submit_application(actor=p.exporter, document=sample_application(parties=parties))
            for parties in ([KOMID, TANGUN], [KOMID])  # one party in both: decisions are shared
        ]
        for case in self.cases:
            cases.start_initial_checks(actor=p.officer, case=case)

    def _run_law_change(self, rev: ReferenceRevision, created: bool) -> None:
        run = impact.change_run_for(rev) if created else None
        if run is not None:
            law_change.execute(run)  # what the task worker does with the run load_reference wrote

    def apply(self, event: tuple[Any, ...]) -> None:
        self.n += 1
        kind = event[0]
        if kind == "import":
            import_un(self.tmp, dict.fromkeys(event[1], event[2]), name=f"v{self.n}")
            rescreening.run_pending(actor=system("test"))  # what the task worker does after the import
        elif kind == "dispose":
            m = Match.objects.filter(status=MatchStatus.OPEN).order_by("pk").first()
            if m is not None:
                match_decisions.dispose_match(
                    actor=self.p.officer, match=m, decision=event[1], reason="checked"
                )
        elif kind == "embargo":
            base = normalise(read_bundle())
            bundle = bundle_with_embargo(base, "NO", dt.date(2000, 1, 1)) if event[1] else base
            self._run_law_change(
                *legislation.load_reference(
                    actor=system("test"), bundle=bundle, source=RevisionSource.UPLOAD, note="prop"
                )
            )
        elif kind == "country":
            rev = legislation.edit_country_profile(
                actor=self.p.policy,
                code="NO",
                levels=dict.fromkeys(ASSESSMENT_KEYS, event[1]),
                effective_from=dt.date(2026, 1, 1) + dt.timedelta(days=self.n),
                citation="test",
                reason=f"edit {self.n}",
            )
            self._run_law_change(rev, True)
        elif kind == "answer":
            case = Case.objects.get(pk=self.cases[0].pk)
            req = cases.request_information(actor=self.p.officer, case=case, question="Which parties?")
            doc = copy.deepcopy(case.document)
            doc["parties"] = copy.deepcopy(PARTY_SETS[event[1]])
            amendment.answer_information_request(
                actor=self.p.exporter, request=req, answer="These.", document=doc
            )


class StoredAssessmentIsFresh(TestCase):
    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        derandomize=True,
    )
    @given(events)
    def test_the_stored_assessment_equals_a_fresh_one_after_any_sequence_of_input_changes(
        self, sequence: list[tuple[Any, ...]]
    ) -> None:
        world = World(make_personas())
        for event in sequence:
            world.apply(event)
        for case in world.cases:
            assert stored(case) == fresh(case), (sequence, case.reference)
