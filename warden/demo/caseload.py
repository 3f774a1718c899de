"""`load_demo`: the demo people and a caseload in every state, made by replaying each case's story through
the real services, all stories interleaved in time order.

Each step runs at its own moment inside `warden.lib.clock.travel` (the one supported clock override), so
every case, transition, audit entry, SLA deadline, assessment and licence date is what it would have been
had people done it then, and the audit log's entries stay in time order (overdue cases, expired licences...).
The time zone is settings.TIME_ZONE throughout. Idempotent: a second run finds the demo organisations' cases
and only tops up to the requested number."""

from __future__ import annotations

import datetime as dt
import heapq
import random
import time
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from warden.accounts.models import Organisation
from warden.cases.models import Case
from warden.catchall.demo import ensure_demo_referrals
from warden.demo.amendment import ensure_demo_amendment
from warden.demo.global_licence import ensure_demo_global_licence
from warden.demo.people import EXPORTERS, LOGINS, ensure_people
from warden.demo.plan import plan
from warden.demo.stages import Step, Story, allocate, licence_type_for, scenario_for
from warden.denials.demo import ensure_demo_denial
from warden.enduse.demo import ensure_overdue_check
from warden.flows.rescreening import ensure_demo_list
from warden.inbox.services import catch_up
from warden.lib import clock
from warden.licences.services import expire_licences
from warden.ogl.demo import ensure_demo_ogl


def demo_cases() -> QuerySet[Case]:
    names = [name for name, *_ in EXPORTERS]
    return Case.objects.filter(organisation__name__in=names, organisation__kind=Organisation.Kind.EXPORTER)


def load_demo(*, out: Any, cases: int = 300, seed: int = 2026) -> list[tuple[str, str]]:
    """Demo people (password DEMO_PASSWORD) and `cases` demo cases in every state, through the services.
    Returns (username, role description) for the demo logins. Idempotent: tops up to `cases`."""
    people = ensure_people()
    if not settings.REQUIRE_2FA:
        # The demo logins share a published password; say plainly that nothing else protects them.
        out.print("Two-step sign-in is OFF (WARDEN_REQUIRE_2FA=0): the demo logins need only the password.")
    if ensure_demo_list(actor=people.policy):
        out.print("Demo sanctions list imported (a SAMPLE of the UN list, not the authoritative one).")
    have = demo_cases().count()
    todo = max(0, cases - have)
    if todo == 0:
        out.print(f"Demo caseload already loaded ({have} cases).")
        return LOGINS
    started = time.monotonic()
    rng = random.Random(seed + have)
    real_now = clock.now()
    stories = []
    for i, stage in enumerate(allocate(todo)):
        srng = random.Random(rng.random())
        story = Story(
            stage=stage,
            scenario=scenario_for(stage, srng),
            exporter=people.exporters[i % 2] if srng.random() < 0.7 else srng.choice(people.exporters),
            licence_type=licence_type_for(stage, srng),
            rng=srng,
            people=people,
        )
        plan(story, real_now)
        stories.append(story)
    heap: list[Step] = []
    seq = 0
    for story in stories:
        for when, fn in story.steps:
            heap.append(Step(min(when, real_now - dt.timedelta(minutes=1)), seq, fn))
            seq += 1
    heapq.heapify(heap)
    done = 0
    with clock.travel(real_now) as moment:
        while heap:
            step = heapq.heappop(heap)
            moment.now = step.at
            step.run()
            done += 1
        moment.now = real_now
        expired = expire_licences()
    flagged = ensure_demo_denial(actor=people.policy, cases=demo_cases())  # issue 13: a partner denial
    referrals = ensure_demo_referrals(
        exporters=people.exporters, officer=people.officers[0], senior=people.seniors[0]
    )
    amended = ensure_demo_amendment(
        exporters=people.exporters, officer=people.officers[0], senior=people.seniors[0]
    )
    global_ref = ensure_demo_global_licence(  # issue 13 §1: a global licence, one destination refused
        exporter=people.exporters[0], officer=people.officers[0], senior=people.seniors[0]
    )
    overdue = ensure_overdue_check(officer=people.officers[0], inspector=people.inspector)  # issue 13 §2
    registered = ensure_demo_ogl(actor=people.policy, exporter=people.exporters[0])  # issue 13: an OGL
    catch_up()  # the demo's people find what happened to their cases in their inboxes
    took = time.monotonic() - started
    out.print(
        f"Demo caseload: {todo} cases ({done} steps through the services, {len(expired)} licences expired) "
        f"in {took:.1f} s."
    )
    if flagged:
        out.print(f"Demo partner denial imported (constructed, from FR): it flags {flagged}.")
    if referrals:
        out.print(f"Demo catch-all referrals (constructed): {', '.join(referrals)}.")
    if amended:
        out.print(f"Demo licence amendment: {amended}.")
    if global_ref:
        out.print(f"Demo global licence: {global_ref} (Norway and Sweden licensed, Belarus refused).")
    if overdue is not None:
        out.print(
            f"Demo end-use check {overdue.reference} is overdue (due {overdue.due_on}), assigned to inspector."
        )
    if registered:
        out.print(
            f"Demo open general licences published (illustrative); registration {registered} has one use."
        )
    return LOGINS
