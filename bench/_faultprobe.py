"""bench/faults.py's two in-database steps, each run as `python -c` in a subprocess with the server's
environment (so the script itself never imports Django and can kill anything it starts):

PREPARE  after `warden demo`: API tokens for the exporters and senior officers, application documents to
         submit, and cases brought up to the senior officer's decision (through the services), as one JSON line.
CHECK    the invariants after a kill and restart, as one JSON line {"problems": [...], "figures": {...}};
         ACKED is replaced by the path of a JSON file of the writes the server acknowledged.
"""

PREPARE = r"""
import datetime as dt, json, random
import django
django.setup()
from warden.accounts.models import ApiToken
from warden.cases import services
from warden.demo import ensure_people
from warden.demo.scenarios import SCENARIOS
from warden.demo.stages import Story, document_for
from warden.flows import case_decision, submission
from warden.flows.decisions import dispose_match
from warden.lib import clock
from warden.screening.models import Match, MatchStatus

people = ensure_people()


def token(user):
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name="faults", prefix=raw[:12], digest=ApiToken.digest_of(raw))
    return raw


rng = random.Random(7)
submissions = []
for i, exporter in enumerate(people.exporters):
    tok = token(exporter)
    for sc in rng.sample(SCENARIOS, 4):
        story = Story(stage="submitted", scenario=sc, exporter=exporter, licence_type="individual",
                      rng=random.Random(i), people=people)
        submissions.append({"token": tok, "document": document_for(story, clock.today() - dt.timedelta(days=2))})
officer = people.officers[0]
final_review = []
calm = [sc for sc in SCENARIOS if sc.outcome == "approve"]
for i in range(DECISIONS):
    exporter = people.exporters[i % len(people.exporters)]
    story = Story(stage="submitted", scenario=calm[i % len(calm)], exporter=exporter,
                  licence_type="individual", rng=random.Random(1000 + i), people=people)
    case = submission.submit_application(actor=exporter, document=document_for(story, clock.today()))
    case = services.start_initial_checks(actor=officer, case=case)
    for m in Match.objects.filter(case=case, status=MatchStatus.OPEN):
        dispose_match(actor=officer, match=m, decision=MatchStatus.FALSE_POSITIVE, reason="A different body")
    case.refresh_from_db()
    case_decision.recommend(actor=officer, case=case, decision="approved", reason="No criterion is engaged.", criteria=[])  # the criteria in force, passed by the flow
    final_review.append(case.reference)
print(json.dumps({"submissions": submissions, "senior_tokens": [token(u) for u in people.seniors],
                  "final_review": final_review}))
"""

CHECK = r"""
import json
import django
django.setup()
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from warden.audit.models import AuditEntry
from warden.cases.models import Case
from warden.flows.rescreening import stale_open_cases
from warden.legislation.models import ImpactRun, RunKind, RunStatus
from warden.screening.models import ListVersion, RescreenJob, ScreeningList

acked = json.load(open(ACKED))
problems = []
audited = set(AuditEntry.objects.exclude(case_id=None).values_list("case_id", "action"))
for pk, ref, submitted in Case.objects.values_list("pk", "reference", "submitted_at"):
    if (pk, "case.create") not in audited:
        problems.append(f"case {ref}: no case.create audit entry")
    if submitted is not None and (pk, "case.submit") not in audited:
        problems.append(f"case {ref}: submitted but no case.submit audit entry")
refs = set(Case.objects.values_list("reference", flat=True))
for ref in acked["submitted"]:
    if ref not in refs:
        problems.append(f"acknowledged submission {ref} is missing")
for ref, (status, decision) in acked["decided"].items():
    case = Case.objects.filter(reference=ref).values("status", "decision").first()
    if case is None or case["status"] != status or (decision and case["decision"] != decision):
        problems.append(f"acknowledged decision on {ref} ({status}, {decision}) is not stored: {case}")
listed = set(AuditEntry.objects.filter(action="screening.list_imported").values_list("object_id", flat=True))
for v in ListVersion.objects.annotate(n=Count("entries")).select_related("list"):
    if v.n != v.entries_count:
        problems.append(f"list {v.list.name} v{v.number}: {v.n} entries stored, {v.entries_count} recorded")
    if str(v.pk) not in listed:
        problems.append(f"list {v.list.name} v{v.number}: no screening.list_imported audit entry")
for lst in ScreeningList.objects.annotate(c=Count("versions")).filter(c__gt=0):
    current = lst.versions.filter(is_current=True).count()
    if current != 1:
        problems.append(f"list {lst.name}: {current} current versions")
for job in RescreenJob.objects.exclude(state=RescreenJob.State.DONE):
    problems.append(f"re-screen job #{job.pk} is {job.state} after resume")
stale = stale_open_cases()
if stale:
    problems.append(f"{len(stale)} open case(s) still screened against an older list: {stale[:5]}")
for run in ImpactRun.objects.exclude(status=RunStatus.DONE):
    problems.append(f"{run.kind} impact run #{run.pk} is {run.status} after resume ({run.done}/{run.total})")
running = DBTaskResult.objects.filter(status="RUNNING").count()
if running:  # resume marks a dead worker's rows failed; the drain has finished the rest
    problems.append(f"{running} task row(s) still RUNNING after resume and the drain")
print(json.dumps({"problems": problems, "figures": {
    "cases": len(refs), "list_versions": ListVersion.objects.count(), "rescreen_jobs": RescreenJob.objects.count(),
    "impact_runs": ImpactRun.objects.filter(kind=RunKind.CHANGE).count(), "audit_entries": AuditEntry.objects.count(),
    "runs_reclaimed": AuditEntry.objects.filter(action="legislation.impact_run_reclaimed").count(),
    "task_rows_left_running": DBTaskResult.objects.filter(status="RUNNING").count(),
}}))
"""
