"""The request and response shapes of the applications API (warden.cases.api), apart from its endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class FieldErrorOut(Schema):
    pointer: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] = []


class RequestOut(Schema):
    id: int
    question: str
    asked_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class LicenceOut(Schema):
    number: str
    status: str
    valid_from: dt.date
    valid_until: dt.date


class CaseOut(Schema):
    reference: str
    client_reference: str
    status: str
    status_label: str
    licence_type: str
    destination: str
    submitted_at: dt.datetime | None
    sla_deadline: dt.date | None
    working_days_left: int | None
    waiting_for_exporter: bool
    overdue: bool
    open_requests: list[RequestOut]
    decision: str | None
    decision_criteria: list[str]
    decision_reason: str
    conditions: str
    appeal_deadline: dt.date | None
    licence: LicenceOut | None


class CaseListItem(Schema):
    reference: str
    client_reference: str
    status: str
    licence_type: str
    destination: str
    submitted_at: dt.datetime | None
    sla_deadline: dt.date | None
    decision: str | None


class CaseListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseListItem]


class ListFilters(Schema):
    page: int = 1
    page_size: int = 50
    status: str | None = None


class AnswerIn(Schema):
    answer: str
    # Optional: the application as amended by the answer (a full warden.application/1); the case is
    # re-screened and re-assessed with it.
    document: dict[str, Any] | None = None


class FinaliseIn(Schema):
    decision: str
    reason: str
    criteria: list[str] = []
    conditions: str = ""
    justification: str = ""
    omitted_provisos: dict[str, str] = {}
    # A global application approved with some destination lines refused: {line index (from 0): criteria}.
    refused_lines: dict[int, list[str]] = {}


class CountersignIn(Schema):
    note: str = ""


class DecisionOut(Schema):
    reference: str
    status: str
    decision: str | None
    awaiting_countersignature: bool
    detail: str
