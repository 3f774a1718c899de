"""The report through its three doors: CLI (exit codes, bad input -> exit 2), API (4xx for bad parameters,
403 for a role that may not) and the UI page (who sees it, a bad year re-renders the form with a 400)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from warden.cli import main
from warden.reports.tests.conftest import YEAR, Caseload
from warden.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def test_cli_writes_the_report_to_the_file_given(caseload: Caseload, tmp_path: Path) -> None:
    out = tmp_path / "coarm.json"
    assert main(["reports", "coarm", "--year", str(YEAR), "--format", "json", "--out", str(out)]) == 0
    doc = json.loads(out.read_bytes())
    assert doc["kind"] == "coarm" and len(doc["tables"]["exports"]["rows"]) == 9


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["reports", "sipri", "--year", "2026"],
            "unknown report kind 'sipri': choose one of att, unroca, coarm, national",
        ),
        (["reports", "att", "--year", "1999"], "year 1999 is out of range: reports cover 2000 to"),
        (["reports", "att", "--year", "20x6"], "year '20x6' is not a year"),
        (["reports", "att", "--year", "2026", "--format", "docx"], "unknown format 'docx'"),
    ],
)
def test_cli_bad_input_exits_2_with_a_message(
    db: None, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    assert message in " ".join(capsys.readouterr().err.split())


def test_cli_without_year_exits_2(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["reports", "att"])
    assert exc.value.code == 2
    assert "--year" in capsys.readouterr().err


def _token_client(personas: Personas, user: object) -> Client:
    from warden.accounts.services import create_api_token

    _, token = create_api_token(actor=user, user=user, name="reports")  # type: ignore[arg-type]
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_api_serves_the_report_and_refuses_bad_parameters(caseload: Caseload, personas: Personas) -> None:
    c = _token_client(personas, personas.oversight)
    ok = c.get(f"/api/reports/att?year={YEAR}&format=csv")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/csv")
    assert f'filename="warden-att-{YEAR}.csv"' in ok["Content-Disposition"]
    bad_year = c.get("/api/reports/att?year=1850")
    assert bad_year.status_code == 400 and bad_year.json()["errors"][0]["pointer"] == "/query/year"
    bad_kind = c.get(f"/api/reports/nope?year={YEAR}")
    assert bad_kind.status_code == 400 and "unknown report kind" in bad_kind.json()["detail"]
    bad_format = c.get(f"/api/reports/att?year={YEAR}&format=doc")
    assert bad_format.status_code == 400 and bad_format.json()["errors"][0]["pointer"] == "/query/format"
    assert c.get("/api/reports/att").status_code == 400  # no year


def test_api_refuses_an_exporter_and_an_anonymous_caller(caseload: Caseload, personas: Personas) -> None:
    assert _token_client(personas, personas.exporter).get(f"/api/reports/att?year={YEAR}").status_code == 403
    assert Client().get(f"/api/reports/att?year={YEAR}").status_code == 401


def test_reports_page_is_for_officers_and_oversight_only(personas: Personas) -> None:
    for user, status in [
        ("owen", 200),
        ("olivia", 200),
        ("paula", 200),
        ("alice", 403),
        ("fiona", 403),
        ("ada", 403),
    ]:
        c = Client()
        assert c.login(username=user, password=PASSWORD)
        assert c.get("/reports/").status_code == status, user


def test_reports_page_download_and_a_bad_year_is_a_400_with_the_reason(
    caseload: Caseload, personas: Personas
) -> None:
    c = Client()
    c.login(username="olivia", password=PASSWORD)
    r = c.get("/reports/download", {"kind": "national", "year": str(YEAR), "format": "xlsx"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    bad = c.get("/reports/download", {"kind": "national", "year": "1800", "format": "pdf"})
    assert bad.status_code == 400
    assert "Year 1800 is out of range" in bad.content.decode()


def test_the_html_report_keeps_its_style_under_the_content_security_policy(
    caseload: Caseload, personas: Personas
) -> None:
    # Its one inline style block is allowed by hash (issue 14 §3); scripts and other styles stay refused.
    import base64
    import hashlib
    import re

    c = Client()
    c.force_login(personas.oversight)
    response = c.get(f"/reports/download?kind=national&year={YEAR}&format=html")
    assert response.status_code == 200
    style = re.search(rb"<style[^>]*>(.*?)</style>", response.content, flags=re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1)).digest()).decode()
    # Directives in any order (django-csp does not promise one): compare them as a set.
    policy = {d.strip() for d in response["Content-Security-Policy"].split(";") if d.strip()}
    assert f"style-src 'self' 'sha256-{digest}'" in policy
    assert "script-src 'self'" in policy and not any("unsafe-inline" in d for d in policy)
