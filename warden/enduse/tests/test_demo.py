"""The demo caseload holds an overdue verification, assigned to the demo compliance inspector, who can sign in."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from warden import demo
from warden.accounts.models import Role, User
from warden.enduse import queries
from warden.enduse.models import CheckStatus, EndUseCheck

pytestmark = pytest.mark.django_db


def test_the_demo_holds_an_overdue_verification_for_the_inspector() -> None:
    out = Console(file=io.StringIO())
    demo.load_demo(out=out, cases=12)
    inspector = User.objects.get(username="inspector")
    assert inspector.role == Role.COMPLIANCE_INSPECTOR and inspector.check_password(demo.DEMO_PASSWORD)
    overdue = list(queries.checks(status=CheckStatus.OVERDUE))
    assert overdue and any(c.inspector == inspector for c in overdue)
    mine = next(c for c in overdue if c.inspector == inspector)
    assert f"Demo end-use check {mine.reference} is overdue" in out.file.getvalue()  # type: ignore[attr-defined]
    # The checks were planned through the services as the licences were issued (or by hand): all audited.
    assert EndUseCheck.objects.count() >= 1
