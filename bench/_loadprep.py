"""bench/load.py's preparation, run in a subprocess with the server's environment: migrate, load the caseload
(demo cases through the services, topped up by the benchmark loader), and hand the clients their users and
pools as one JSON line. CASES, DEMO and POOL are replaced by the numbers asked for."""

PREPARE = r"""
import datetime as dt, io, json, random, secrets, string
import django
django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from rich.console import Console
from warden.flows import case_decision
from warden.core_cli import init
from warden.accounts.models import ApiToken, Role, User
from warden.cases import services
from warden.cases.models import Case
from warden.demo import bulk_cases, ensure_people, load_demo
from warden.demo.scenarios import SCENARIOS
from warden.demo.stages import Story, document_for
from warden.lib import clock
from warden.screening.models import Match, MatchStatus
from warden.flows.decisions import dispose_match
from warden.flows import submission

init(Console(file=io.StringIO()))
load_demo(out=Console(file=io.StringIO()), cases=DEMO)
have = Case.objects.count()
if have < CASES:
    bulk_cases(CASES - have, seed=have)
people = ensure_people()
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def session(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key


def token(user):
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name="bench", prefix=raw[:12], digest=ApiToken.digest_of(raw))
    return raw


officers = list(User.objects.filter(role__in=[Role.LICENSING_OFFICER, Role.SENIOR_OFFICER], is_active=True))
seniors = [u for u in officers if u.role == Role.SENIOR_OFFICER]
exporter_tokens = {u.organisation_id: token(u) for u in people.exporters}
rng = random.Random(1)
ids = list(Case.objects.exclude(status="draft").values_list("pk", flat=True))
case_ids = rng.sample(ids, min(500, len(ids)))
visible = Case.objects.filter(pk__in=case_ids[:200]).values_list("reference", "organisation_id")
submissions = []
for i, exporter in enumerate(people.exporters):
    for sc in rng.sample(SCENARIOS, 6):
        story = Story(stage="submitted", scenario=sc, exporter=exporter, licence_type="individual",
                      rng=random.Random(i), people=people)
        doc = document_for(story, clock.today() - dt.timedelta(days=2))
        submissions.append({"token": exporter_tokens[exporter.organisation_id], "document": doc})
# Open matches for the match reviews: demo-like applications naming listed parties, each a party of its
# own (a decision on one party carries over to the same party's open matches elsewhere).
listed = [sc for sc in SCENARIOS if sc.consignee or "Korea" in sc.end_user[0] or "Shabab" in sc.end_user[0]]
for i in range(POOL):
    exporter = people.exporters[i % len(people.exporters)]
    story = Story(stage="submitted", scenario=listed[i % len(listed)], exporter=exporter,
                  licence_type="individual", rng=random.Random(i), people=people)
    doc = document_for(story, clock.today())
    for party in doc["parties"]:  # a registration number of its own: a party of its own, same name score
        party["identifiers"] = [{"type": "registration", "number": f"BENCH-{i + 1}"}]
    submission.submit_application(actor=exporter, document=doc)
# Cases for the decisions: through the services up to the officer's recommendation (screened, matches reviewed).
officer = people.officers[0]
final_review = []
calm = [sc for sc in SCENARIOS if sc.outcome == "approve"]
for i in range(POOL):
    exporter = people.exporters[i % len(people.exporters)]
    story = Story(stage="submitted", scenario=calm[i % len(calm)], exporter=exporter,
                  licence_type="individual", rng=random.Random(1000 + i), people=people)
    case = submission.submit_application(actor=exporter, document=document_for(story, clock.today()))
    case = services.start_initial_checks(actor=officer, case=case)
    for m in Match.objects.filter(case=case, status=MatchStatus.OPEN):
        dispose_match(actor=officer, match=m, decision=MatchStatus.FALSE_POSITIVE, reason="A different body")
    case.refresh_from_db()
    case_decision.recommend(actor=officer, case=case, decision="approved", reason="No criterion is engaged.", criteria=[])
    final_review.append(case.reference)
open_matches = list(Match.objects.filter(status=MatchStatus.OPEN).values_list("pk", flat=True))
print(json.dumps({
    "cases": Case.objects.count(),
    "officer_sessions": [session(u) for u in officers],
    "senior_tokens": [token(u) for u in seniors],
    "oversight_sessions": [session(u) for u in User.objects.filter(role=Role.OVERSIGHT, is_active=True)],
    "status": [(ref, exporter_tokens[org]) for ref, org in visible if org in exporter_tokens],
    "case_ids": case_ids,
    "submissions": submissions,
    "final_review": final_review,
    "open_matches": open_matches,
    "csrf": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32)),
}))
"""
