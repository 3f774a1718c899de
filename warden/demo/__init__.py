"""Demo and benchmark data, apart from the domains: `load_demo` (`warden demo`) replays a caseload through the
services (caseload.py); `bulk_cases` is the benchmarks' fast loader (bulk.py). Modules: people (organisations
and logins), scenarios (export stories), stages (final states, stories, documents), plan and steps (the
service calls of one story), caseload (the time-ordered replay), bulk and rawinsert (bench loader)."""

from warden.demo.bulk import bulk_cases
from warden.demo.caseload import demo_cases, load_demo
from warden.demo.people import DEMO_PASSWORD, LOGINS, ensure_people
from warden.demo.stages import STAGES, allocate

__all__ = [
    "DEMO_PASSWORD",
    "LOGINS",
    "STAGES",
    "allocate",
    "bulk_cases",
    "demo_cases",
    "ensure_people",
    "load_demo",
]
