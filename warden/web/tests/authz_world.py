"""The objects the authorisation matrix (test_authorisation_matrix.py) is tried on, built once per module
through the real services, and the nine kinds of reader it is tried with.

- case C: Northbridge's (org A), in consultation, referred to Foreign Affairs, with its stored assessment
  and an open screening match (a party on the UN list fixture);
- case K: Northbridge's, referred to Foreign Affairs, with a live licence L;
- case D: Southgate's (org B), submitted, referred to nobody;
- an impact run R with a pending review item on each of C, K (with L) and D;
- the country profile of Norway (bundled reference data).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warden.accounts.models import ApiToken, Role, User
from warden.cases.models import Case
from warden.cases.tests.factories import in_consultation
from warden.flows import rescreening as list_import
from warden.flows import submission
from warden.legislation.models import ImpactItem, ImpactRun, RunKind, RunStatus
from warden.legislation.tests.support import load_initial, with_live_licence
from warden.lib import clock
from warden.lib.actors import system
from warden.licences.models import Licence
from warden.screening.models import Match
from warden.testing import Personas, make_personas, sample_application

SCREENING_FIXTURES = Path(__file__).resolve().parents[2] / "screening" / "tests" / "fixtures"
SALEK = {
    "role": "end_user",
    "type": "person",
    "sector": "individual",
    "name": "Salek, Abdulhai",
    "country": "AF",
}

# The readers, each named by their relation to the objects above, and the persona who plays them.
READERS: dict[str, str] = {
    "exporter_owner": "exporter",  # an exporter of the organisation that applied (org A)
    "exporter_other": "exporter_b",  # an exporter of another organisation
    "officer": "officer",  # licensing officer
    "senior": "senior",  # senior officer
    "adviser_consulted": "adviser_fcdo",  # adviser of the team C and K were referred to
    "adviser_other": "adviser_mod",  # adviser of a team they were not referred to
    "policy": "policy",  # policy officer
    "oversight": "oversight",
    "admin": "admin",
}

ROLE_OF: dict[str, Role] = {
    "exporter_owner": Role.EXPORTER,
    "exporter_other": Role.EXPORTER,
    "officer": Role.LICENSING_OFFICER,
    "senior": Role.SENIOR_OFFICER,
    "adviser_consulted": Role.ADVISER,
    "adviser_other": Role.ADVISER,
    "policy": Role.POLICY_OFFICER,
    "oversight": Role.OVERSIGHT,
    "admin": Role.ADMINISTRATOR,
}
ALL = frozenset(READERS)
EXPORTERS = frozenset({"exporter_owner", "exporter_other"})
# Who may see each case (cases.policy's rules, stated per reader): C and K are org A's and referred to the
# consulted team; D is org B's and referred to nobody. Administrators see no cases.
CASE_READERS = frozenset({"officer", "senior", "policy", "oversight"})
SEES = {
    "C": CASE_READERS | {"exporter_owner", "adviser_consulted"},
    "K": CASE_READERS | {"exporter_owner", "adviser_consulted"},
    "D": CASE_READERS | {"exporter_other"},
}
FINDINGS = {k: v - EXPORTERS for k, v in SEES.items()}


def by_role(roles: frozenset[Role] | set[Role], within: frozenset[str] = ALL) -> frozenset[str]:
    return frozenset(r for r in ALL if ROLE_OF[r] in roles) & within


@dataclass
class World:
    p: Personas
    case: Case  # C
    licensed: Case  # K
    other_org: Case  # D
    licence: Licence
    match: Match
    run: ImpactRun
    item: ImpactItem  # on C
    licence_item: ImpactItem  # on K, with L
    other_item: ImpactItem  # on D
    tokens: dict[str, str]

    def user(self, reader: str) -> User:
        return getattr(self.p, READERS[reader])  # type: ignore[no-any-return]


def _token(user: User) -> str:
    token = ApiToken.generate()
    ApiToken.objects.create(user=user, name="matrix", prefix=token[:12], digest=ApiToken.digest_of(token))
    return token


def build() -> World:
    p = make_personas()
    rev = load_initial()
    list_import.import_list(
        actor=system("test"),
        list_name="un-sc",
        fmt="un-xml",
        path=SCREENING_FIXTURES / "un.xml",
        rescreen="none",
    )
    case = in_consultation(p, parties=[SALEK])
    match = Match.objects.filter(case=case).order_by("-score").first()
    assert match is not None, "the UN fixture should match the listed party"
    licensed = in_consultation(p, reference="APP-2026-000124")
    licence = with_live_licence(p, licensed)
    licensed.refresh_from_db()
    exporter_b = {"name": p.org_b.name, "country": "GB", "registration_number": p.org_b.registration_number}
    other_org = submission.submit_application(
        actor=p.exporter_b, document=sample_application(reference="APP-2026-000125", exporter=exporter_b)
    )
    run = ImpactRun.objects.create(
        kind=RunKind.CHANGE,
        from_revision=rev,
        to_revision=rev,
        status=RunStatus.DONE,
        total=3,
        done=3,
        affected=3,
        summary={"scope": ["NO"], "as_of": clock.today().isoformat(), "by_destination": {"NO": 3}},
    )

    def item(c: Case, lic: Licence | None = None) -> ImpactItem:
        return ImpactItem.objects.create(
            run=run,
            case=c,
            licence=lic,
            destination=c.destination,
            before_recommendation="approve",
            after_recommendation="refuse",
            after_criteria=["EU-CP:1"],
        )

    return World(
        p=p,
        case=case,
        licensed=licensed,
        other_org=other_org,
        licence=licence,
        match=match,
        run=run,
        item=item(case),
        licence_item=item(licensed, licence),
        other_item=item(other_org),
        tokens={r: _token(getattr(p, name)) for r, name in READERS.items()},
    )
