"""A small published caseload written straight to the tables (the dashboard only reads them): licences and
refusals with chosen destinations, ratings, dates, exporters, consignees and values, so that tests can
assert the hand-counted figures and that the names and values never reach the public side."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from warden.accounts.models import Organisation
from warden.cases.models import Case, Decision, GoodsLine, LicenceType, Party, PartyRole, Status
from warden.licences.models import Licence, LicenceLine, LicenceStatus
from warden.testing import Personas

_seq = itertools.count(1)
UTC = dt.UTC


def _case(
    p: Personas,
    *,
    org: Organisation,
    destination: str,
    rating: str,
    decided: dt.datetime,
    decision: str,
    consignee: str,
    value: Decimal,
    took_days: int,
    criteria: list[str] | None = None,
) -> tuple[Case, GoodsLine]:
    n = next(_seq)
    case = Case.objects.create(
        reference=f"APP-T-{n:06d}",
        organisation=org,
        created_by=p.exporter,
        licence_type=LicenceType.INDIVIDUAL,
        destination=destination,
        end_use="Use by the armed forces",
        status=Status.LICENCE_ISSUED if decision != Decision.REFUSED else Status.FINALISED,
        document={},
        submitted_at=decided - dt.timedelta(days=took_days),
        decision=decision,
        decision_criteria=criteria or [],
        decision_reason="Reasons given" if decision == Decision.REFUSED else "",
        finalised_at=decided,
        finalised_by=p.senior,
    )
    line = GoodsLine.objects.create(
        case=case,
        line_no=0,
        description=f"Goods rated {rating}",
        rating=rating,
        quantity=10,
        value_amount=value,
        currency="GBP",
    )
    Party.objects.create(
        case=case,
        index=0,
        role=PartyRole.CONSIGNEE,
        party_type="organisation",
        name=consignee,
        country=destination,
    )
    return case, line


def licence(
    p: Personas,
    destination: str,
    rating: str = "ML1.a",
    *,
    year: int = 2025,
    org: Organisation | None = None,
    consignee: str = "Harbour Logistics Consignee GmbH",
    value: str = "987654.32",
    status: str = LicenceStatus.ISSUED,
    took_days: int = 15,
    valid_until: dt.date | None = None,
) -> Licence:
    decided = dt.datetime(year, 6, 1, 10, 0, tzinfo=UTC)
    case, line = _case(
        p,
        org=org or p.org_a,
        destination=destination,
        rating=rating,
        decided=decided,
        decision=Decision.APPROVED,
        consignee=consignee,
        value=Decimal(value),
        took_days=took_days,
    )
    lic = Licence.objects.create(
        case=case,
        number=f"LIC-T-{case.pk:06d}",
        status=status,
        valid_from=decided.date(),
        valid_until=valid_until or decided.date() + dt.timedelta(days=730),
        issued_by=p.officer,
    )
    Licence.objects.filter(pk=lic.pk).update(issued_at=decided)  # auto_now_add: set the issue date afterwards
    LicenceLine.objects.create(
        licence=lic, goods_line=line, quantity=10, value_amount=Decimal(value), currency="GBP"
    )
    lic.refresh_from_db()
    return lic


def refusal(
    p: Personas,
    destination: str,
    criteria: list[str],
    rating: str = "ML1.a",
    *,
    year: int = 2025,
    took_days: int = 30,
) -> Case:
    case, _ = _case(
        p,
        org=p.org_b,
        destination=destination,
        rating=rating,
        decided=dt.datetime(year, 7, 1, 10, 0, tzinfo=UTC),
        decision=Decision.REFUSED,
        consignee="Refused Consignee Holdings",
        value=Decimal("123456.78"),
        took_days=took_days,
        criteria=criteria,
    )
    return case
