"""Every reader × every endpoint (web pages and the REST API) × the objects of authz_world, through the Django
test client. Who is allowed comes from the policy tables (legislation, screening, licences, audit,
accounts and the case transition table) intersected with who may see the object (cases.policy, written
out below as SEES and pinned by its own test): allowed answers 2xx/3xx and makes its change; forbidden
answers 403, or 404 when the reader may not even see the object, and changes nothing."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from warden.accounts.models import Role
from warden.accounts.policy import PEOPLE_MANAGERS
from warden.audit.models import AuditEntry
from warden.audit.policy import ROLES as AUDIT
from warden.audit.policy import AuditAction
from warden.cases import policy as case_policy
from warden.cases.models import CaseNote
from warden.cases.transitions import TABLE, Action
from warden.legislation.models import ImpactItem, ImpactRun, ItemState, RunKind
from warden.legislation.policy import ROLES as LEGISLATION
from warden.legislation.policy import LegislationAction as LA
from warden.lib import clock
from warden.licences.models import Licence, LicenceStatus
from warden.licences.policy import LICENCE_TABLE, LicenceAction
from warden.screening.models import Match, MatchStatus
from warden.screening.policy import ROLES as SCREENING
from warden.screening.policy import ScreeningAction as SA
from warden.web.tests.authz_world import ALL, CASE_READERS, FINDINGS, READERS, SEES, World, by_role


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    sees: frozenset[str] | None = None  # readers who may see the object; anyone else gets exactly 404
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    changed: Callable[[World], bool] | None = None  # did the POST make its change?
    api: bool = False


def _licence_suspended(w: World) -> bool:
    return Licence.objects.get(pk=w.licence.pk).status == LicenceStatus.SUSPENDED


@functools.cache
def _embargoes_yaml() -> bytes:
    import yaml

    from warden.legislation.loader import normalise, read_bundle

    return yaml.safe_dump(normalise(read_bundle())["embargoes"]).encode()


def _what_if_upload(w: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"files": SimpleUploadedFile("embargoes.yaml", _embargoes_yaml()), "years": 1}


_VIEW = by_role(LEGISLATION[LA.VIEW])

ENDPOINTS = [
    # --- cases and licences (web)
    Endpoint("case page", "GET", lambda w: f"/cases/{w.case.pk}/", SEES["C"], SEES["C"]),
    Endpoint(
        "add a case note",
        "POST",
        lambda w: f"/cases/{w.case.pk}/act/add_note/",
        by_role(TABLE[Action.ADD_NOTE].roles, SEES["C"]),
        SEES["C"],
        data=lambda w: {"text": "matrix note"},
        changed=lambda w: CaseNote.objects.filter(case=w.case, text="matrix note").exists(),
    ),
    Endpoint("licence page", "GET", lambda w: f"/licences/{w.licence.pk}/", SEES["K"], SEES["K"]),
    Endpoint("licence PDF", "GET", lambda w: f"/licences/{w.licence.pk}/licence.pdf", SEES["K"], SEES["K"]),
    Endpoint(
        "suspend a licence",
        "POST",
        lambda w: f"/licences/{w.licence.pk}/act/suspend/",
        by_role(LICENCE_TABLE[LicenceAction.SUSPEND].roles, SEES["K"]),
        SEES["K"],
        data=lambda w: {"reason": "matrix"},
        changed=_licence_suspended,
    ),
    # --- legislation (web): exporters are told nothing exists
    Endpoint("legislation index", "GET", lambda w: "/legislation/", _VIEW, _VIEW),
    Endpoint("country list", "GET", lambda w: "/legislation/countries/", _VIEW, _VIEW),
    Endpoint("country profile", "GET", lambda w: "/legislation/countries/NO/", _VIEW, _VIEW),
    # The control-list look-up is published law: every signed-in reader, exporters included.
    Endpoint("control-list look-up", "GET", lambda w: "/legislation/lookup/?q=ML10", ALL),
    Endpoint(
        "record a country risk assessment",
        "POST",
        lambda w: "/legislation/countries/NO/",
        by_role(LEGISLATION[LA.EDIT_COUNTRY_PROFILE]),
        _VIEW,
        data=lambda w: _country_form(),
        changed=lambda w: AuditEntry.objects.filter(action="legislation.country_profile_edited").exists(),
    ),
    Endpoint("impact run page", "GET", lambda w: f"/legislation/impact/{w.run.pk}/", _VIEW, _VIEW),
    Endpoint(
        "mark a review item reviewed",
        "POST",
        lambda w: f"/legislation/impact/{w.run.pk}/action/",
        by_role(LEGISLATION[LA.REVIEW_IMPACT_ITEM], SEES["C"]),
        _VIEW,
        data=lambda w: {"action": "reviewed", "items": [w.item.pk]},
        changed=lambda w: ImpactItem.objects.get(pk=w.item.pk).state == ItemState.REVIEWED,
    ),
    Endpoint(
        "suspend from the review queue",
        "POST",
        lambda w: f"/legislation/impact/{w.run.pk}/action/",
        by_role(LEGISLATION[LA.SUSPEND_FROM_IMPACT], SEES["K"]),
        _VIEW,
        data=lambda w: {"action": "suspend", "items": [w.licence_item.pk], "reason": "matrix"},
        changed=_licence_suspended,
    ),
    Endpoint(
        "compute an impact run now",
        "POST",
        lambda w: f"/legislation/impact/{w.run.pk}/action/",
        by_role(LEGISLATION[LA.RUN_NOW]),
        _VIEW,
        data=lambda w: {"action": "run_now"},
    ),
    Endpoint(
        "run a what-if",
        "POST",
        lambda w: "/legislation/what-if/",
        by_role(LEGISLATION[LA.WHAT_IF]),
        _VIEW,
        data=_what_if_upload,
        changed=lambda w: ImpactRun.objects.filter(kind=RunKind.WHAT_IF).exists(),
    ),
    # --- screening (web)
    Endpoint("screening queue", "GET", lambda w: "/screening/", by_role(SCREENING[SA.USE])),
    Endpoint(
        "decide a screening match",
        "POST",
        lambda w: f"/screening/matches/{w.match.pk}/decide/",
        by_role(SCREENING[SA.DISPOSE], FINDINGS["C"]),
        FINDINGS["C"],
        data=lambda w: {"decision": "false_positive", "reason": "Another man"},
        changed=lambda w: Match.objects.get(pk=w.match.pk).status == MatchStatus.FALSE_POSITIVE,
    ),
    # --- audit and people (web)
    Endpoint("audit log", "GET", lambda w: "/audit/", by_role(AUDIT[AuditAction.BROWSE])),
    Endpoint(
        "make a checkpoint", "POST", lambda w: "/audit/checkpoint/new", by_role(AUDIT[AuditAction.CHECKPOINT])
    ),
    Endpoint("people", "GET", lambda w: "/people/", by_role(PEOPLE_MANAGERS), by_role(PEOPLE_MANAGERS)),
    # --- REST API
    Endpoint("API: control-list look-up", "GET", lambda w: "/api/legislation/ratings?q=5A002", ALL, api=True),
    Endpoint(
        "API: stored assessment of C",
        "GET",
        lambda w: f"/api/legislation/cases/{w.case.reference}/assessment",
        FINDINGS["C"],
        FINDINGS["C"],
        api=True,
    ),
    Endpoint(
        "API: stored assessment of D",
        "GET",
        lambda w: f"/api/legislation/cases/{w.other_org.reference}/assessment",
        FINDINGS["D"],
        FINDINGS["D"],
        api=True,
    ),
    Endpoint(
        "API: case status",
        "GET",
        lambda w: f"/api/applications/{w.case.reference}",
        SEES["C"],
        SEES["C"],
        api=True,
    ),
    Endpoint(
        "API: licence PDF",
        "GET",
        lambda w: f"/api/applications/{w.licensed.reference}/licence.pdf",
        SEES["K"],
        SEES["K"],
        api=True,
    ),
    Endpoint(
        "API: screening matches",
        "GET",
        lambda w: "/api/screening/matches",
        by_role(SCREENING[SA.USE]),
        api=True,
    ),
    Endpoint(
        "API: list versions", "GET", lambda w: "/api/screening/lists", by_role(SCREENING[SA.USE]), api=True
    ),
    Endpoint(
        "API: screen a name",
        "GET",
        lambda w: "/api/screening/screen?name=Salek",
        by_role(SCREENING[SA.USE]),
        api=True,
    ),
]


def _country_form() -> dict[str, Any]:
    import datetime as dt

    from warden.legislation.loader import ASSESSMENT_KEYS

    return {
        **dict.fromkeys(ASSESSMENT_KEYS, "low"),
        "effective_from": (clock.today() - dt.timedelta(days=1)).isoformat(),
        "citation": "Matrix report",
        "reason": "Matrix",
    }


def _client(w: World, reader: str, api: bool) -> Client:
    if api:
        return Client(HTTP_AUTHORIZATION=f"Bearer {w.tokens[reader]}")
    c = Client()
    c.force_login(w.user(reader))
    return c


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_each_reader_gets_exactly_what_the_policy_allows(
    world: World, db: None, endpoint: Endpoint, reader: str
) -> None:
    c = _client(world, reader, endpoint.api)
    url = endpoint.url(world)
    response = c.get(url) if endpoint.method == "GET" else c.post(url, endpoint.data(world))
    status = response.status_code
    if reader in endpoint.allowed:
        assert 200 <= status < 400, f"{reader} should be allowed {endpoint.name}: {status}"
    elif endpoint.sees is not None and reader not in endpoint.sees:
        assert status == 404, (
            f"{reader} may not see the object of {endpoint.name}: expected 404, got {status}"
        )
    else:
        assert status in (403, 404), f"{reader} should be refused {endpoint.name}: {status}"
    if endpoint.changed is not None:
        assert endpoint.changed(world) == (reader in endpoint.allowed), f"{endpoint.name} by {reader}"


# ------------------------------------------------------------------------------ the tables themselves


@pytest.mark.parametrize("reader", sorted(READERS))
def test_who_sees_each_case_is_what_the_cases_policy_says(world: World, db: None, reader: str) -> None:
    """SEES and FINDINGS above are this test's own statement of cases.policy; pin them to it."""
    user = world.user(reader)
    for key, case in (("C", world.case), ("K", world.licensed), ("D", world.other_org)):
        assert case_policy.can_view_case(user, case) == (reader in SEES[key]), (reader, key)
        assert case_policy.can_view_findings(user, case) == (reader in FINDINGS[key]), (reader, key)


def test_the_policy_tables_keep_decisions_with_the_people_allowed() -> None:
    assert LEGISLATION[LA.EDIT_COUNTRY_PROFILE] == {Role.POLICY_OFFICER}
    assert LEGISLATION[LA.WHAT_IF] == {Role.POLICY_OFFICER}
    assert LEGISLATION[LA.REVIEW_IMPACT_ITEM] == {
        Role.POLICY_OFFICER,
        Role.LICENSING_OFFICER,
        Role.SENIOR_OFFICER,
    }
    assert SCREENING[SA.DISPOSE] == {Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}
    # Administrators manage people and the log's checkpoints; oversight reads. Neither decides anything.
    doing = [
        *(roles for action, roles in LEGISLATION.items() if action not in (LA.VIEW, LA.VIEW_RUN_COUNTS)),
        SCREENING[SA.DISPOSE],
        *(t.roles for t in LICENCE_TABLE.values()),
        *(t.roles for t in TABLE.values()),
    ]
    for roles in doing:
        assert Role.ADMINISTRATOR not in roles and Role.OVERSIGHT not in roles
    assert Role.EXPORTER not in LEGISLATION[LA.VIEW] | SCREENING[SA.USE]


# ------------------------------------------------------------------------------ what a list shows


_REFS = {"C": "case", "K": "licensed", "D": "other_org"}


@pytest.mark.parametrize("reader", sorted(_VIEW))
def test_the_impact_run_page_lists_only_the_cases_its_reader_may_see(
    world: World, db: None, reader: str
) -> None:
    html = _client(world, reader, api=False).get(f"/legislation/impact/{world.run.pk}/").content.decode()
    for key, attr in _REFS.items():
        reference = getattr(world, attr).reference
        assert (reference in html) == (reader in SEES[key]), (reader, key)
    # Counts over every affected case would reveal the ones the reader may not see.
    assert ('data-testid="by-destination"' in html) == (reader in CASE_READERS)
    assert ("Mark reviewed" in html) == (reader in by_role(LEGISLATION[LA.REVIEW_IMPACT_ITEM]))


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_list_shows_exactly_the_cases_and_licences_its_reader_may_see(
    world: World, db: None, reader: str
) -> None:
    web, api = _client(world, reader, api=False), _client(world, reader, api=True)
    queue = web.get("/cases/?status=all").content.decode()
    home = web.get("/").content.decode()
    listed = {r["reference"] for r in api.get("/api/applications/?page_size=200").json()["results"]}
    for key, attr in _REFS.items():
        reference = getattr(world, attr).reference
        assert (reference in listed) == (reader in SEES[key]), (reader, key, "API list")
        assert (reference in queue) == (reader in SEES[key]), (reader, key, "queue")
        if reader not in SEES[key]:
            assert reference not in home, (reader, key, "dashboard")
    licences = web.get("/licences/").content.decode()
    assert (world.licence.number in licences) == (reader in SEES["K"])


@pytest.mark.parametrize("reader", sorted(READERS))
def test_revision_notes_are_for_legislation_readers_only(world: World, db: None, reader: str) -> None:
    rows = _client(world, reader, api=True).get("/api/legislation/revisions").json()
    assert rows and all("digest" in r for r in rows)
    assert all(("note" in r) == (reader in _VIEW) for r in rows)


# ------------------------------------------------------------------------------ the CLI


@pytest.mark.parametrize("reader", sorted(READERS))
def test_the_cli_submits_only_for_the_roles_that_may_create(
    world: World, db: None, reader: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from warden.cases.models import Case
    from warden.cli import main
    from warden.testing import sample_application

    user = world.user(reader)
    org = user.organisation
    exporter = {"name": org.name, "country": org.country, "registration_number": org.registration_number}
    path = tmp_path / "application.json"
    path.write_text(json.dumps(sample_application(reference="CLI-MATRIX", exporter=exporter)))
    code = main(["applications", "submit", str(path), "--as", user.username])
    created = Case.objects.filter(client_reference="CLI-MATRIX").exists()
    allowed = reader in by_role(TABLE[Action.CREATE].roles)
    assert (code == 0, created) == (allowed, allowed), capsys.readouterr().err


# ------------------------------------------------------------------------------ every case-scoped route


def _routes() -> list[str]:
    from django.urls import URLResolver, get_resolver

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    return list(walk(get_resolver().url_patterns, ""))


def _object_routes() -> list[tuple[str, str]]:
    """(route, object key) for every route addressing one case, licence or match by a single parameter,
    found in the URL map itself, so that a route added later is swept without being listed here."""
    out = []
    for route in _routes():
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if params == ["reference"]:
            key = "C" if route.startswith("api/applications/") else "C-findings"
            out.append((route, "K" if "licence" in route else key))
        elif params == ["pk"] and route.startswith(("cases/", "licences/", "screening/matches/")):
            out.append((route, {"c": "C", "l": "K", "s": "C-findings"}[route[0]]))
    return out


def _url(route: str, w: World | None) -> str:
    """The route for the world's object, or (w None) for an object that does not exist."""
    if w is None:
        value: object = "APP-1900-999999" if "<reference>" in route else 999999
    else:
        value = {
            "cases/": w.case.pk,
            "licences/": w.licence.pk,
            "screening/": w.match.pk,
        }.get(route[: route.index("/") + 1], w.licensed.reference if "licence" in route else w.case.reference)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", str(value), route)


def test_the_sweep_finds_the_case_scoped_routes() -> None:
    found = {r for r, _ in _object_routes()}
    assert {"api/legislation/cases/<reference>/assessment", "cases/<int:pk>/", "licences/<int:pk>/"} <= found


@pytest.mark.parametrize(("route", "key"), _object_routes(), ids=[r for r, _ in _object_routes()])
def test_every_case_scoped_route_answers_as_if_the_object_did_not_exist_to_whoever_may_not_see_it(
    world: World, db: None, route: str, key: str
) -> None:
    """404 for a page or a GET; a POST-only route may reject the empty form first (405, 400, 422), but
    then it must answer exactly as it does for an object that does not exist."""
    readers = FINDINGS["C"] if key == "C-findings" else SEES[key]

    def status(c: Client, url: str) -> int:
        code = c.get(url).status_code
        return c.post(url, {}).status_code if code == 405 else code

    for reader in sorted(ALL - readers):
        c = _client(world, reader, api=route.startswith("api/"))
        real, missing = status(c, _url(route, world)), status(c, _url(route, None))
        assert real == missing and not 200 <= real < 400, f"{reader} on {_url(route, world)}: {real}"
